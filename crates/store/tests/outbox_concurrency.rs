//! The outbox worker's concurrency: a pass handles a worker's items at the same time, keeps the
//! items of one order key in enqueue order, and holds back the later items of a key whose earlier
//! item failed — on both backends, on the store's manual clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use parking_lot::Mutex;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use store::{OutboxFailure, OutboxItem, OutboxWorker};

/// Records the order items are handled in, and the most items in flight at once; items whose
/// payload has `"fail": true` fail (retryably) on their first attempt.
#[derive(Default)]
struct Recorder {
    concurrency: usize,
    handled: Mutex<Vec<Value>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl OutboxWorker for Recorder {
    fn kinds(&self) -> &[&'static str] {
        &["call"]
    }

    fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn order_key(&self, item: &OutboxItem) -> Option<String> {
        item.payload["key"].as_str().map(str::to_owned)
    }

    async fn handle(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if item.payload["fail"] == json!(true) && item.attempts == 0 {
            return Err(OutboxFailure::retry("first attempt fails"));
        }
        self.handled.lock().push(item.payload["n"].clone());
        Ok(())
    }
}

async fn enqueue_all(t: &TestStore, payloads: &[Value]) {
    for p in payloads {
        t.store
            .outbox()
            .enqueue(&tenant_a(), "call", p.clone())
            .await
            .unwrap();
    }
}

testdb::conformance! {
    async fn a_pass_handles_items_at_once_and_keeps_each_keys_order() {
        let t = open().await;
        let payloads: Vec<Value> = (0..12)
            .map(|n| json!({"n": n, "key": if n % 3 == 0 { Some("alert-1") } else { None }}))
            .collect();
        enqueue_all(&t, &payloads).await;
        let worker = Recorder { concurrency: 8, ..Default::default() };
        assert_eq!(t.store.outbox().run_once(&worker).await.unwrap(), 12);
        assert_eq!(t.store.outbox().pending(None).await.unwrap(), 0, "all completed");
        assert!(worker.most_in_flight.load(Ordering::SeqCst) > 1, "items ran at the same time");
        let handled = worker.handled.lock().clone();
        assert_eq!(handled.len(), 12);
        let keyed: Vec<_> = handled.iter().filter(|n| n.as_i64().unwrap() % 3 == 0).collect();
        assert_eq!(keyed, [&json!(0), &json!(3), &json!(6), &json!(9)], "one key, in enqueue order");
    }
}

testdb::conformance! {
    async fn a_failed_item_holds_back_the_later_items_of_its_key() {
        let t = open().await;
        enqueue_all(&t, &[
            json!({"n": 1, "key": "a", "fail": true}),
            json!({"n": 2, "key": "a"}),
            json!({"n": 3, "key": "b"}),
        ]).await;
        let worker = Recorder { concurrency: 4, ..Default::default() };
        let outbox = t.store.outbox();
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 3);
        assert_eq!(worker.handled.lock().clone(), [json!(3)], "key b is not held up");
        assert_eq!(outbox.pending(None).await.unwrap(), 2);
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 0, "both wait for the retry");
        t.clock.advance(Duration::from_secs(1));
        assert_eq!(outbox.run_once(&worker).await.unwrap(), 2);
        assert_eq!(worker.handled.lock().clone(), [json!(3), json!(1), json!(2)]);
        assert_eq!(outbox.pending(None).await.unwrap(), 0);
    }
}
