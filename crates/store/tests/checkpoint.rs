//! SQLite checkpoints run on a thread of their own, yet the WAL stays bounded under a continuous
//! stream of writes, and nothing committed is lost across a reopen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{alert, tenant_a};
use serde_json::json;
use std::sync::Arc;
use store::{AlertView, IngestOrigin, ManualClock, SqliteOptions, Store};
use time::macros::datetime;

const THRESHOLD_PAGES: u32 = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_while_the_writer_never_waits_for_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secgraph.db");
    let clock = Arc::new(ManualClock::new(datetime!(2024-06-01 12:00 UTC)));
    let options = SqliteOptions {
        wal_autocheckpoint_pages: THRESHOLD_PAGES,
        ..SqliteOptions::default()
    };
    let store = Store::open_sqlite_with(&path, clock.clone(), options).unwrap();
    store.ensure_tenant(&tenant_a(), "Tenant A").await.unwrap();
    let wal = path.with_extension("db-wal");
    let page = 4096_u64;
    let mut largest_wal = 0;
    for batch in 0..40 {
        let alerts = (0..25)
            .map(|i| {
                let n = batch * 25 + i;
                alert(
                    &format!("da{n:010}"),
                    json!({"description": "x".repeat(3000), "title": format!("alert {n}")}),
                )
            })
            .collect();
        let summary = store
            .tenant(&tenant_a())
            .ingest(alerts, IngestOrigin::Import)
            .await
            .unwrap();
        assert_eq!(summary.created, 25);
        largest_wal = largest_wal.max(std::fs::metadata(&wal).unwrap().len());
    }
    // Each batch appends well over a threshold of pages; without checkpoints the WAL would hold
    // all 1,000 alerts (over 1,000 pages). Checkpoints keep it near the catch-up bound.
    let bound = page * u64::from(THRESHOLD_PAGES) * 6;
    assert!(
        largest_wal < bound,
        "WAL reached {largest_wal} bytes (bound {bound})"
    );
    // Checkpointed pages reached the database file while the store was open.
    let db_bytes = std::fs::metadata(&path).unwrap().len();
    assert!(
        db_bytes > page * 500,
        "database file holds {db_bytes} bytes"
    );
    assert_eq!(
        store
            .tenant(&tenant_a())
            .count_alerts(AlertView::V2, None)
            .await
            .unwrap(),
        1000
    );
    store.shutdown().await;
    drop(store);

    let reopened = Store::open_sqlite(&path, clock).unwrap();
    assert_eq!(
        reopened
            .tenant(&tenant_a())
            .count_alerts(AlertView::V2, None)
            .await
            .unwrap(),
        1000
    );
}
