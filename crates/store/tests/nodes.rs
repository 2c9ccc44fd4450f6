//! Several nodes on one database: the change feed reaches every node, the per-tenant change sequence
//! stays gap-free and unique under concurrent writers on two nodes, and outbox claims split work
//! between nodes with at-least-once delivery when a node dies holding leases. On SQLite (one node)
//! the same tests run with both "nodes" on one handle's feed where a second process cannot share it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use store::{Clock, IngestOrigin, ManualClock, Store, StoreEvent};
use tokio::sync::broadcast;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(10);

/// The next event other than `Resync` (a listener may resync once when it starts).
async fn next_event(rx: &mut broadcast::Receiver<StoreEvent>) -> StoreEvent {
    loop {
        match timeout(WAIT, rx.recv()).await.expect("no event in time") {
            Ok(StoreEvent::Resync) => {}
            Ok(e) => return e,
            Err(e) => panic!("feed error: {e}"),
        }
    }
}

/// A second node: another store handle on the same database (on SQLite, the same handle: one file
/// has one writer process).
fn second_node(t: &TestStore) -> Store {
    match testdb::current() {
        testdb::Backend::Postgres => t.db.open_store(Arc::new(ManualClock::new(t.clock.now()))),
        testdb::Backend::Sqlite => t.store.clone(),
    }
}

testdb::conformance! {
    async fn committed_writes_are_announced_and_rolled_back_ones_are_not() {
        let t = open().await;
        let other = second_node(&t);
        let mut here = t.store.subscribe();
        let mut there = other.subscribe();
        t.store
            .tenant(&tenant_a())
            .ingest(vec![alert("e1", json!({}))], IngestOrigin::Api)
            .await
            .unwrap();
        let want = StoreEvent::Alerts {
            tenant: tenant_a(),
            seq: 1,
        };
        assert_eq!(next_event(&mut here).await, want);
        assert_eq!(next_event(&mut there).await, want, "the other node hears it");

        // A write refused by its own change commits nothing and announces nothing.
        let refused = t
            .store
            .tenant(&tenant_a())
            .update_alert(&model::AlertId("e1".into()), |_| Err("no".into()))
            .await;
        assert!(refused.is_err());
        t.store
            .outbox()
            .enqueue(&tenant_b(), "webhook", json!({}))
            .await
            .unwrap();
        assert_eq!(next_event(&mut there).await, StoreEvent::Outbox { kind: Some("webhook".into()) });
        t.store
            .identity()
            .create_tenant("Tenant C")
            .await
            .unwrap();
        assert_eq!(next_event(&mut there).await, StoreEvent::Identity);
        assert_eq!(next_event(&mut here).await, StoreEvent::Outbox { kind: Some("webhook".into()) });
    }

    async fn two_nodes_writing_one_tenant_keep_its_change_sequence_gap_free() {
        let t = open().await;
        let other = second_node(&t);
        let nodes = [t.store.clone(), other];
        let mut tasks = Vec::new();
        for (n, node) in nodes.iter().enumerate() {
            for w in 0..4 {
                let node = node.clone();
                tasks.push(tokio::spawn(async move {
                    for i in 0..10 {
                        let id = format!("n{n}-w{w}-{i}");
                        node.tenant(&tenant_a())
                            .ingest(vec![alert(&id, json!({}))], IngestOrigin::Api)
                            .await
                            .unwrap();
                    }
                }));
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let changes = t.store.tenant(&tenant_a()).changes_since(0, 1000).await.unwrap();
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, (1..=80).collect::<Vec<_>>(), "no gap, no duplicate");
        let mut per_alert = BTreeMap::new();
        for c in &changes {
            *per_alert.entry(c.alert_id.0.clone()).or_insert(0) += 1;
        }
        assert_eq!(per_alert.len(), 80);
        assert!(per_alert.values().all(|n| *n == 1));
    }

    async fn outbox_work_is_split_between_nodes_and_a_dead_nodes_leases_are_taken_over() {
        let t = open().await;
        let other = second_node(&t);
        for n in 0..40 {
            t.store
                .outbox()
                .enqueue(&tenant_a(), "webhook", json!({ "n": n }))
                .await
                .unwrap();
        }
        let lease = Duration::from_secs(30);
        // Both nodes claim at once: every row goes to exactly one of them.
        let (outbox_a, outbox_b) = (t.store.outbox(), other.outbox());
        let (a, b) = tokio::join!(
            outbox_a.claim(&["webhook"], 15, lease, "node-a"),
            outbox_b.claim(&["webhook"], 15, lease, "node-b"),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut ids: Vec<i64> = a.iter().chain(&b).map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), a.len() + b.len(), "no row claimed twice");
        assert_eq!(ids.len(), 30);
        // Node A completes its rows; node B dies holding its leases.
        for item in &a {
            assert!(t.store.outbox().complete(item.id).await.unwrap());
        }
        drop(b);
        // Node A drains what is left; B's rows come back when their lease expires.
        let mut done: Vec<i64> = a.iter().map(|i| i.id).collect();
        loop {
            let batch = t.store.outbox().claim(&["webhook"], 100, lease, "node-a").await.unwrap();
            if batch.is_empty() {
                if t.store.outbox().pending(None).await.unwrap() == 0 {
                    break;
                }
                t.clock.advance(lease + Duration::from_secs(1));
                continue;
            }
            for item in batch {
                assert!(t.store.outbox().complete(item.id).await.unwrap());
                done.push(item.id);
            }
        }
        done.sort_unstable();
        assert_eq!(done.len(), 40, "every row handled");
        done.dedup();
        assert_eq!(done.len(), 40, "and each once, here (at-least-once in general)");
    }
}
