//! The outbox: leased claims, lease expiry, completion, failure with backoff, permanent failures,
//! kinds, and the background worker loop — all on the store's manual clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use store::{spawn_worker, Clock, OutboxFailure, OutboxItem, OutboxWorker, WorkerOptions};

const LEASE: Duration = Duration::from_secs(30);

testdb::conformance! {
    async fn a_restarted_worker_releases_its_own_leases_at_once() {
        let t = open().await;
        let outbox = t.store.outbox();
        outbox.enqueue(&tenant_a(), "provider", json!({"n": 1})).await.unwrap();
        outbox.enqueue(&tenant_a(), "provider", json!({"n": 2})).await.unwrap();
        assert_eq!(outbox.claim(&["provider"], 1, LEASE, "node-1").await.unwrap().len(), 1);
        assert_eq!(outbox.claim(&["provider"], 1, LEASE, "node-2").await.unwrap().len(), 1);
        assert!(outbox.claim(&["provider"], 10, LEASE, "node-1").await.unwrap().is_empty());
        assert_eq!(outbox.release_leases("node-1").await.unwrap(), 1, "only node-1's own lease");
        let again = outbox.claim(&["provider"], 10, LEASE, "node-1").await.unwrap();
        assert_eq!(again.iter().map(|i| i.payload["n"].clone()).collect::<Vec<_>>(), [json!(1)]);
    }

    async fn claims_are_leased_until_completed_or_expired() {
        let t = open().await;
        let outbox = t.store.outbox();
        outbox
            .enqueue(&tenant_a(), "webhook", json!({"n": 1}))
            .await
            .unwrap();
        outbox
            .enqueue(&tenant_b(), "webhook", json!({"n": 2}))
            .await
            .unwrap();
        outbox
            .enqueue(&tenant_a(), "provider", json!({"n": 3}))
            .await
            .unwrap();
        let claimed = outbox.claim(&["webhook"], 10, LEASE, "w1").await.unwrap();
        let payloads: Vec<_> = claimed.iter().map(|i| i.payload["n"].clone()).collect();
        assert_eq!(payloads, [json!(1), json!(2)]);
        assert_eq!(claimed[0].attempts, 0);
        assert_eq!(claimed[0].created_at, t.clock.now());
        assert!(
            outbox
                .claim(&["webhook"], 10, LEASE, "w2")
                .await
                .unwrap()
                .is_empty(),
            "leased rows are not claimed twice"
        );
        assert!(outbox.complete(claimed[0].id).await.unwrap());
        t.clock.advance(LEASE + Duration::from_secs(1));
        let reclaimed = outbox.claim(&["webhook"], 10, LEASE, "w2").await.unwrap();
        assert_eq!(reclaimed.len(), 1, "an expired lease can be taken over");
        assert_eq!(reclaimed[0].id, claimed[1].id);
        assert_eq!(
            outbox
                .claim(&["provider", "webhook"], 1, LEASE, "w3")
                .await
                .unwrap()[0]
                .payload["n"],
            3
        );
        assert!(
            !outbox.complete(claimed[0].id).await.unwrap(),
            "already completed"
        );
    }
}

testdb::conformance! {
    async fn failures_release_the_lease_until_retry_time() {
        let t = open().await;
        let outbox = t.store.outbox();
        outbox
            .enqueue(&tenant_a(), "webhook", json!({}))
            .await
            .unwrap();
        let item = outbox
            .claim(&["webhook"], 1, LEASE, "w")
            .await
            .unwrap()
            .remove(0);
        let retry_at = t.clock.now() + Duration::from_secs(10);
        assert!(outbox.fail(item.id, retry_at, "HTTP 503").await.unwrap());
        assert!(
            outbox
                .claim(&["webhook"], 1, LEASE, "w")
                .await
                .unwrap()
                .is_empty(),
            "not before retry_at"
        );
        t.clock.advance(Duration::from_secs(10));
        let again = outbox
            .claim(&["webhook"], 1, LEASE, "w")
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            (again.attempts, again.last_error.as_deref()),
            (1, Some("HTTP 503"))
        );
    }
}

/// Fails the first `failures` attempts of every item, then succeeds; "poison" payloads fail for good.
struct Flaky {
    failures: u32,
    handled: AtomicUsize,
}

impl OutboxWorker for Flaky {
    fn kinds(&self) -> &[&'static str] {
        &["webhook"]
    }

    async fn handle(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        if item.payload["poison"] == json!(true) {
            return Err(OutboxFailure::permanent("cannot deliver"));
        }
        if item.attempts < self.failures {
            return Err(OutboxFailure::retry(format!(
                "attempt {} failed",
                item.attempts + 1
            )));
        }
        self.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

testdb::conformance! {
    async fn run_once_retries_with_exponential_backoff() {
        let t = open().await;
        let outbox = t.store.outbox();
        outbox
            .enqueue(&tenant_a(), "webhook", json!({}))
            .await
            .unwrap();
        outbox
            .enqueue(&tenant_a(), "webhook", json!({"poison": true}))
            .await
            .unwrap();
        let worker = Flaky {
            failures: 2,
            handled: AtomicUsize::new(0),
        };
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 2);
        assert_eq!(
            outbox.pending(None).await.unwrap(),
            1,
            "the permanent failure was dropped"
        );
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 0, "backing off");
        t.clock.advance(Duration::from_secs(1)); // first retry after 1 s
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 1);
        t.clock.advance(Duration::from_secs(1));
        assert_eq!(
            outbox.run_once(&worker).await.unwrap(),
            0,
            "second retry waits 2 s"
        );
        t.clock.advance(Duration::from_secs(1));
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 1);
        assert_eq!(worker.handled.load(Ordering::SeqCst), 1);
        assert_eq!(outbox.pending(None).await.unwrap(), 0);
        let options = WorkerOptions::default();
        assert_eq!(options.backoff(1), Duration::from_secs(1));
        assert_eq!(options.backoff(3), Duration::from_secs(4));
        assert_eq!(options.backoff(40), options.max_backoff);
    }
}

testdb::conformance! {
    async fn the_worker_loop_wakes_on_new_rows_and_stops() {
        let t = open().await;
        let outbox = t.store.outbox();
        let worker = Arc::new(Flaky {
            failures: 0,
            handled: AtomicUsize::new(0),
        });
        let options = WorkerOptions {
            idle_poll: Duration::from_secs(3600),
            ..Default::default()
        };
        let handle = spawn_worker(outbox.clone(), worker.clone(), options);
        tokio::time::sleep(Duration::from_millis(50)).await;
        outbox
            .enqueue(&tenant_a(), "webhook", json!({}))
            .await
            .unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while worker.handled.load(Ordering::SeqCst) == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the worker did not pick the row up"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        handle.stop().await;
        assert_eq!(outbox.pending(None).await.unwrap(), 0);
    }
}
