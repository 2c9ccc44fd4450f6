//! A throughput smoke check (ignored by default; run with
//! `cargo test -p store --release --test throughput -- --ignored --nocapture`): batched durable
//! ingest and the hot list query. The real numbers come from the benchmark in `bench/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::time::Instant;
use store::{AlertView, IngestOrigin, ListRequest};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn ingest_and_hot_list_throughput() {
    let t = open().await;
    let ts = t.store.tenant(&tenant_a());
    let total = 50_000;
    let mut batches = Vec::new();
    for batch in 0..total / 1000 {
        let alerts: Vec<_> = (0..1000)
            .map(|i| {
                let n = batch * 1000 + i;
                let severity = ["low", "medium", "high", "informational"][n % 4];
                let status = ["new", "inProgress", "resolved"][n % 3];
                alert(
                    &format!("da63755122767{n:07}_-96144481"),
                    json!({
                        "severity": severity,
                        "status": status,
                        "createdDateTime": format!("2024-05-{:02}T{:02}:{:02}:00Z", 1 + n % 28, n % 24, n % 60),
                        "description": "x".repeat(400),
                        "evidence": [{"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "10.0.0.1",
                                      "verdict": "suspicious", "roles": [], "remediationStatus": "none"}]
                    }),
                )
            })
            .collect();
        batches.push(alerts);
    }
    let started = Instant::now();
    for alerts in batches {
        ts.ingest(alerts, IngestOrigin::Import).await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "ingest: {total} alerts in {secs:.2}s = {:.0}/s",
        total as f64 / secs
    );

    let q = query(
        &ALERT,
        "$filter=severity eq 'high' and status ne 'resolved'",
    );
    let n = 2000;
    let started = Instant::now();
    for _ in 0..n {
        let page = ts
            .list_alerts(ListRequest {
                view: AlertView::V2,
                query: &q,
                page_size: 50,
            })
            .await
            .unwrap();
        assert_eq!(page.items.len(), 50);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "hot list: {n} pages in {secs:.2}s = {:.0} pages/s on one task",
        n as f64 / secs
    );
}
