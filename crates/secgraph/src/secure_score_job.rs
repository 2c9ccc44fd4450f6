//! The daily secure-score snapshot job `secgraph serve` runs beside the API: every
//! `secure_score_interval_seconds` (default an hour) it scores every tenant as of now, replacing the
//! day's snapshot (so a day's snapshot is its last computation, and a new day starts a new one), and
//! deletes snapshots older than `secure_score_retention_days`. It runs once at start, and again
//! whenever a tenant's emulator clock changes (each tenant is scored as of its own clock). Every node of
//! a deployment may run it: the day's rows are replaced, not added.

use std::time::Duration;
use store::Store;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Starts the job; it ends when `stop` turns true. An interval of zero disables it.
pub fn spawn(
    store: Store,
    interval: Duration,
    retention_days: u32,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        if interval.is_zero() {
            tracing::info!(
                "the secure-score snapshot job is off (secure_score_interval_seconds = 0)"
            );
            return;
        }
        let mut clocks = store.tenant_clock_changes();
        while !*stop.borrow() {
            match store.secure_score_snapshots().run(retention_days).await {
                Ok(run) => tracing::info!(
                    day = %run.day,
                    tenants = run.tenants,
                    pruned = run.pruned,
                    "secure-score snapshots computed"
                ),
                Err(e) => tracing::warn!(error = %e, "computing secure-score snapshots failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = stop.changed() => {}
                _ = clocks.changed() => {}
            }
        }
    })
}
