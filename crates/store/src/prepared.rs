//! Alerts made ready for the writer: `before_write` hooks (enrichment), evidence date-time
//! normalisation and encoding into column values. This is pure work that needs no transaction (the
//! hooks see only [`WriteInfo`]), so [`TenantStore::ingest`](crate::TenantStore::ingest) does it on
//! the caller's side and the single writer thread spends its time on SQL alone.

use crate::encode::{encode, normalize_evidence_times, Encoded};
use crate::error::StoreError;
use crate::hooks::{IngestHook, IngestOrigin, WriteInfo};
use model::{StoredAlert, TenantId};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use time::OffsetDateTime;

/// Batches at least this large are prepared on the blocking pool rather than on the async worker
/// that called `ingest` (a hop costs tens of microseconds; encoding one alert costs about as much).
const BLOCKING_BATCH: usize = 16;

/// An alert after enrichment, with its encoded row.
pub(crate) struct Prepared {
    /// The alert as it will be written.
    pub(crate) alert: StoredAlert,
    /// Its column values.
    pub(crate) enc: Encoded,
}

/// Runs the `before_write` hooks on `alert`, normalises it and encodes it.
pub(crate) fn prepare(
    mut alert: StoredAlert,
    hooks: &[Arc<dyn IngestHook>],
    info: &WriteInfo<'_>,
) -> Result<Prepared, StoreError> {
    for hook in hooks {
        hook.before_write(&mut alert, info)
            .map_err(StoreError::Hook)?;
    }
    normalize_evidence_times(&mut alert);
    let enc = encode(&alert)?;
    Ok(Prepared { alert, enc })
}

/// What a batch is prepared with; handed back with the result so the writer job can own it.
pub(crate) struct BatchContext {
    pub(crate) tenant: TenantId,
    pub(crate) origin: IngestOrigin,
    pub(crate) hooks: Vec<Arc<dyn IngestHook>>,
    pub(crate) now: OffsetDateTime,
}

/// Prepares every alert of `batch` (in order), off the async worker when the batch is large. A
/// panicking hook fails the batch with [`StoreError::Hook`] instead of unwinding into the caller.
pub(crate) async fn prepare_batch(
    batch: Vec<StoredAlert>,
    ctx: BatchContext,
) -> Result<(Vec<Prepared>, BatchContext), StoreError> {
    let small = batch.len() < BLOCKING_BATCH;
    let work = move || {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| prepare_all(batch, &ctx)));
        match result {
            Ok(prepared) => prepared.map(|p| (p, ctx)),
            Err(_) => Err(StoreError::Hook("a before_write hook panicked".into())),
        }
    };
    if small {
        return work();
    }
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Backend(format!("preparing alerts failed: {e}")))?
}

fn prepare_all(batch: Vec<StoredAlert>, ctx: &BatchContext) -> Result<Vec<Prepared>, StoreError> {
    let info = WriteInfo {
        tenant_id: &ctx.tenant,
        origin: &ctx.origin,
        now: ctx.now,
    };
    batch
        .into_iter()
        .map(|alert| prepare(alert, &ctx.hooks, &info))
        .collect()
}
