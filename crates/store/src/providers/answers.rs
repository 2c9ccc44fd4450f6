//! Providers' answers to sync-back calls, written onto their alerts with the answers that arrive
//! at the same moment. The outbox worker calls providers sixteen at a time, so answers come in
//! bursts; each written alone would be an alert write job of its own (the tenant's row locked, a
//! COMMIT), as many as the clients' PATCHes themselves. The store's answer queue
//! ([`Coalescer`](crate::coalesce::Coalescer)) writes whatever waits in one transaction, one
//! [`AlertWriter`] per tenant and provider, and answers each caller with its own outcome.

use super::sync::answer_onto;
use crate::backend::Tx;
use crate::error::StoreError;
use crate::hooks::{IngestHook, IngestOrigin};
use crate::ingest::AlertWriter;
use crate::tenant::TenantStore;
use crate::update::modify;
use model::{AlertId, TenantId};
use provider_protocol::CallbackAnswer;
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

/// An answer waiting in the store's queue.
pub(crate) struct PendingAnswer {
    tenant: TenantId,
    alert: AlertId,
    provider: String,
    key: String,
    answer: CallbackAnswer,
    hooks: Vec<Arc<dyn IngestHook>>,
    now: OffsetDateTime,
}

impl TenantStore {
    /// Writes a provider's answer to the alert update `key` onto alert `id`: when it answers the
    /// newest pending change, the pending state ends (applied, with the provider's version, or
    /// rejected with its reason); an answer to an older change is recorded only in the log.
    /// Recorded with origin `provider:NAME`, so it is not synced back. `Ok(false)` when the alert
    /// is gone or the answer is not for its newest change. Answers arriving together share a
    /// transaction (see the module docs).
    pub async fn record_sync_answer(
        &self,
        id: &AlertId,
        provider_name: &str,
        key: Uuid,
        answer: CallbackAnswer,
    ) -> Result<bool, StoreError> {
        let store = self.store();
        let pending = PendingAnswer {
            tenant: self.tenant_id().clone(),
            alert: id.clone(),
            provider: provider_name.to_owned(),
            key: key.to_string(),
            answer,
            hooks: store.hooks(),
            now: store.now_for(self.tenant_id()),
        };
        store.sync_answers().submit(store, pending).await
    }
}

/// Writes `answers` (the store's answer queue's [`WriteAll`](crate::coalesce::WriteAll)): grouped
/// by tenant and provider, tenants in one order on every node (so two nodes' transactions never
/// wait for each other's tenant rows in opposite orders), answers to one alert in arrival order.
/// Each answer's result says whether it applied.
pub(crate) fn write_answers(
    tx: &mut dyn Tx,
    answers: Vec<PendingAnswer>,
) -> Result<Vec<bool>, StoreError> {
    let mut order: Vec<usize> = (0..answers.len()).collect();
    order.sort_by(|a, b| {
        let key = |i: &usize| (&answers[*i].tenant, &answers[*i].provider);
        key(a).cmp(&key(b))
    });
    let mut results = vec![false; answers.len()];
    for group in order.chunk_by(|a, b| {
        (&answers[*a].tenant, &answers[*a].provider) == (&answers[*b].tenant, &answers[*b].provider)
    }) {
        let first = &answers[group[0]];
        let origin = IngestOrigin::Provider(first.provider.clone());
        let mut w = match AlertWriter::begin(tx, &first.tenant, &origin, &first.hooks, first.now) {
            // A tenant that is gone has no alert to answer for.
            Err(StoreError::UnknownTenant(_)) => continue,
            other => other?,
        };
        for &i in group {
            let a = &answers[i];
            let mut onto =
                |alert: &mut model::StoredAlert| answer_onto(alert, &a.key, &a.answer, a.now);
            results[i] = modify(&mut w, &a.alert, &mut onto, None)?.is_ok();
        }
        w.finish()?;
    }
    Ok(results)
}
