//! Several nodes serving one deployment: two `secgraph serve` processes on one PostgreSQL database,
//! clients writing through both, one node killed (SIGKILL) mid-way. Every acknowledged write is
//! there afterwards and appears once; a write that was not acknowledged and was retried on the other
//! node appears at least once (at-least-once, never lost); the tenant's change sequence has no gap
//! and no duplicate. A signing-key rotation made through one node reaches the other at once.
//!
//! PostgreSQL only: a SQLite file is one node's (the test prints a skip notice without
//! `SECGRAPH_TEST_POSTGRES_URL`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use testdb::Backend;
use tokio::sync::Mutex;

/// Comments each writer sends.
const PER_WRITER: usize = 30;
/// Writers per node.
const WRITERS: usize = 3;

/// What the clients saw: comment text → (alert id, acknowledged, retried on the other node).
type Ledger = Arc<Mutex<BTreeMap<String, (String, bool, bool)>>>;

async fn comment(base: &str, alert: &str, text: &str) -> bool {
    let reply = client()
        .post(format!("{base}/v1.0/security/alerts_v2/{alert}/comments"))
        .json(&json!({"comment": text}))
        .timeout(Duration::from_secs(20))
        .send()
        .await;
    matches!(reply, Ok(r) if r.status().is_success())
}

#[test]
fn two_nodes_share_one_database_and_lose_nothing_when_one_dies() {
    testdb::run(
        "cluster::two_nodes_share_one_database_and_lose_nothing_when_one_dies",
        Backend::Postgres,
        || async {
            let dir = tempfile::tempdir().unwrap();
            let data_a = Data::new(dir.path());
            let data_b = data_a.node(dir.path(), "data-b");
            let mut a = Server::start(dir.path(), &data_a, &["--demo"], &[]).await;
            let b = Server::start(dir.path(), &data_b, &[], &[]).await;
            assert_eq!(
                b.count("alerts_v2").await,
                640,
                "node B serves node A's data"
            );
            // The demo's writes: its 640 alerts and the alerts correlation moved while loading them.
            let loaded = change_sequence(&data_b).len();
            let page = b
                .get_json("/v1.0/security/alerts_v2?$select=id&$top=12")
                .await;
            let alerts: Vec<String> = ids_in(page["value"].as_array().unwrap());

            let ledger: Ledger = Arc::default();
            let a_dead = Arc::new(AtomicBool::new(false));
            let mut writers = Vec::new();
            for (node, base) in [("a", a.url.clone()), ("b", b.url.clone())] {
                for w in 0..WRITERS {
                    let (ledger, alerts, a_dead) = (ledger.clone(), alerts.clone(), a_dead.clone());
                    let (base, other) = (base.clone(), b.url.clone());
                    writers.push(tokio::spawn(async move {
                        for i in 0..PER_WRITER {
                            let text = format!("cluster-{node}-{w}-{i}");
                            let alert = alerts[(w * PER_WRITER + i) % alerts.len()].clone();
                            let target = if node == "a" && a_dead.load(Ordering::SeqCst) {
                                &other
                            } else {
                                &base
                            };
                            let mut acked = comment(target, &alert, &text).await;
                            let mut retried = false;
                            if !acked && node == "a" {
                                // Node A is gone: the client retries on node B.
                                retried = true;
                                acked = comment(&other, &alert, &text).await;
                            }
                            ledger.lock().await.insert(text, (alert, acked, retried));
                        }
                    }));
                }
            }
            // Kill node A once a third of the writes are in.
            while ledger.lock().await.len() < 2 * WRITERS * PER_WRITER / 3 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            a.proc.kill().await;
            a_dead.store(true, Ordering::SeqCst);
            for w in writers {
                w.await.unwrap();
            }

            let ledger = ledger.lock().await;
            assert_eq!(ledger.len(), 2 * WRITERS * PER_WRITER);
            assert!(
                ledger.values().all(|(_, acked, _)| *acked),
                "node B acknowledged every retry"
            );
            assert!(
                ledger.values().any(|(_, _, retried)| *retried),
                "node A died while clients were writing to it"
            );
            // Every comment on the alerts, as node B serves them.
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for alert in &alerts {
                let page = b
                    .get_json(&format!("/v1.0/security/alerts_v2/{alert}/comments"))
                    .await;
                for c in page["value"].as_array().unwrap() {
                    let text = c["comment"].as_str().unwrap().to_owned();
                    if !text.starts_with("cluster-") {
                        continue; // the demo data's own comments
                    }
                    let (want_alert, _, _) = ledger
                        .get(&text)
                        .unwrap_or_else(|| panic!("a comment nobody sent: {text}"));
                    assert_eq!(want_alert, alert, "{text} is on the wrong alert");
                    *seen.entry(text).or_default() += 1;
                }
            }
            for (text, (_, _, retried)) in ledger.iter() {
                let n = seen.get(text).copied().unwrap_or(0);
                if *retried {
                    assert!((1..=2).contains(&n), "{text}: {n} copies (at-least-once)");
                } else {
                    assert_eq!(n, 1, "{text}: an acknowledged write appears once");
                }
            }

            // The tenant's change sequence: one entry per committed write, no gap, no duplicate.
            // (A node that finds another node's writes rebuilds its correlation engine from the
            // database; the rebuild moves no alert, so it adds no write.)
            let changes = change_sequence(&data_b);
            let committed: usize = seen.values().sum();
            assert_eq!(changes.len(), loaded + committed);
            assert_eq!(changes, (1..=changes.len() as i64).collect::<Vec<_>>());

            // A key rotated through the admin API of node B... and node A, restarted, sees it too.
            let before = jwks_kids(&b).await;
            let rotate = run_on(dir.path(), &data_b, &["signing-key", "rotate"], &[]).await;
            assert!(rotate.status.success(), "{}", rotate.stderr);
            let a2 = Server::start(dir.path(), &data_a, &[], &[]).await;
            let mut after = jwks_kids(&b).await;
            for _ in 0..50 {
                if after.len() > before.len() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                after = jwks_kids(&b).await;
            }
            assert!(
                after.len() > before.len(),
                "node B heard of the rotation through the change feed: {before:?} -> {after:?}"
            );
            assert_eq!(jwks_kids(&a2).await, after);
        },
    );
}

/// The signing key ids a node publishes.
async fn jwks_kids(node: &Server) -> BTreeSet<String> {
    let keys: Value = node
        .get_json(&format!("/{}/discovery/v2.0/keys", demo::DEMO_TENANT_ID))
        .await;
    keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// The demo tenant's change sequence numbers, read from the database.
fn change_sequence(data: &Data) -> Vec<i64> {
    let url = data.db().url().to_owned();
    // The blocking client runs its own runtime: on a plain thread, not in this one.
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .query(
                "SELECT seq FROM alert_changes WHERE tenant_id = $1 ORDER BY seq",
                &[&demo::DEMO_TENANT_ID],
            )
            .unwrap()
            .iter()
            .map(|r| r.get::<_, i64>(0))
            .collect()
    })
    .join()
    .unwrap()
}
