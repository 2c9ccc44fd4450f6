//! Token signing keys on real SQLite files: the first key, restarts, rotation and retirement.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::sync::Arc;
use std::time::Duration;
use store::{Clock, ManualClock, StoreError};

fn rejected<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Rejected(m)) => m,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

testdb::conformance! {
    async fn the_first_signing_key_is_created_once_and_survives_a_restart() {
        let t = open().await;
        let ids = t.store.identity();
        assert!(ids.published_signing_keys().await.unwrap().is_empty());
        let (first, again) = tokio::join!(ids.active_signing_key(), ids.active_signing_key());
        let first = first.unwrap();
        assert_eq!(
            again.unwrap().kid,
            first.kid,
            "racing callers agree on one key"
        );
        assert_eq!(ids.published_signing_keys().await.unwrap().len(), 1);
        t.store.shutdown().await;
        drop(t.store);

        let clock = Arc::new(ManualClock::new(t.clock.now()));
        let reopened = t.db.open_store(clock);
        let key = reopened.identity().active_signing_key().await.unwrap();
        assert_eq!(key.kid, first.kid);
        assert_eq!(key.to_pkcs8_der(), first.to_pkcs8_der());
    }
}

testdb::conformance! {
    async fn rotation_publishes_old_keys_until_they_are_retired() {
        let t = open().await;
        let ids = t.store.identity();
        let old = ids.active_signing_key().await.unwrap();
        t.clock.advance(Duration::from_secs(3600));
        let new = ids.rotate_signing_key().await.unwrap();
        assert_ne!(new.kid, old.kid);
        assert_eq!(ids.active_signing_key().await.unwrap().kid, new.kid);
        let published: Vec<_> = ids
            .published_signing_keys()
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(
            published,
            [new.kid.clone(), old.kid.clone()],
            "active first"
        );

        let msg = rejected(ids.retire_signing_key(&new.kid).await);
        assert!(msg.contains("rotate"), "{msg}");
        t.clock.advance(Duration::from_secs(3600));
        assert!(ids.retire_signing_key(&old.kid).await.unwrap());
        assert!(
            !ids.retire_signing_key(&old.kid).await.unwrap(),
            "already retired"
        );
        assert!(!ids.retire_signing_key("unknown").await.unwrap());
        let published: Vec<_> = ids
            .published_signing_keys()
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(published, std::slice::from_ref(&new.kid));

        let all = ids.signing_keys().await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].key.kid.as_str(), all[0].retired),
            (new.kid.as_str(), None)
        );
        assert_eq!(all[1].key.kid, old.kid);
        assert_eq!(all[1].retired, Some(t.clock.now()));
        assert!(rejected(ids.add_signing_key(&old).await).contains("already stored"));
    }
}
