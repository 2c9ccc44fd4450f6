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
        // Racers on several writer connections (PostgreSQL) must still create exactly one key.
        let racers = (0..8).map(|_| ids.active_signing_key());
        let keys: Vec<_> = futures::future::join_all(racers).await;
        let first = keys[0].as_ref().unwrap().clone();
        for key in &keys {
            assert_eq!(key.as_ref().unwrap().kid, first.kid, "racing callers agree on one key");
        }
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

/// PostgreSQL only (SQLite has one writer): two writers that reach the first key's insert at the
/// same moment still create one key. The table is held locked by a raw connection until both
/// writers are waiting (on the table, or on the exclusive section that guards the insert), so the
/// race happens on every run rather than when timing allows.
#[test]
fn writers_racing_for_the_first_key_on_postgres_create_one() {
    testdb::run(
        "writers_racing_for_the_first_key_on_postgres_create_one",
        testdb::Backend::Postgres,
        || async {
            let t = open().await;
            let url = t.db.url().to_owned();
            let (locked, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
            let (locked_tx, release_rx) = (locked.0, release.1);
            let holder = std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                let mut tx = client.transaction().unwrap();
                tx.batch_execute("LOCK TABLE signing_keys IN EXCLUSIVE MODE")
                    .unwrap();
                locked_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                tx.commit().unwrap();
            });
            locked.1.recv().unwrap();

            let ids = t.store.identity();
            let racers = [
                tokio::spawn({
                    let ids = ids.clone();
                    async move { ids.active_signing_key().await }
                }),
                tokio::spawn(async move { ids.active_signing_key().await }),
            ];
            let url = t.db.url().to_owned();
            tokio::task::spawn_blocking(move || wait_for_waiters(&url, 2))
                .await
                .unwrap();
            release.0.send(()).unwrap();
            holder.join().unwrap();

            let mut kids = Vec::new();
            for racer in racers {
                kids.push(racer.await.unwrap().unwrap().kid);
            }
            assert_eq!(kids[0], kids[1], "both callers got the one key");
            let published = t.store.identity().published_signing_keys().await.unwrap();
            assert_eq!(published.len(), 1, "exactly one key was created");
        },
    );
}

/// Polls until `n` sessions wait on this schema's `signing_keys` table or on its first-key
/// exclusive section (the advisory lock's 64-bit key shows in `pg_locks` as classid:objid).
fn wait_for_waiters(url: &str, n: i64) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND (\
                   (locktype = 'relation' AND relation = 'signing_keys'::regclass) OR \
                   (locktype = 'advisory' AND objsubid = 1 AND \
                    ((classid::bigint << 32) | objid::bigint) = \
                    hashtextextended(current_schema() || '.first_signing_key', 0)))",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting >= n {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {waiting} of {n} writers reached the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
