//! Alerts a provider pushes (or secgraph pulls from it), stored through the one ingest path under the
//! protocol's ordering and race rules (`provider_protocol::push`).
//!
//! Per alert, in one writer transaction for the whole batch: the stored version decides
//! (create, apply, duplicate, stale, kind mismatch); a local change the provider has not answered
//! keeps its properties (`keep_local`); what only secgraph holds is carried over from the stored
//! alert (the sync state, legacy tags and comments, the link's pending changes). The provider's
//! health in the tenant is updated in the same transaction.

use super::health::{record_batch, Arrival};
use super::Provider;
use crate::error::StoreError;
use crate::hooks::IngestOrigin;
use crate::ingest::AlertWriter;
use crate::ingest::Existing;
use crate::prepared::{prepare_batch, BatchContext, Prepared};
use crate::tenant::TenantStore;
use model::{Answered, ProviderLink, StoredAlert};
use provider_protocol::push::{decide, keep_local, Decision, LocalChange};
use provider_protocol::{AlertChanges, AlertResult, ProviderVersion, PushedAlert};
use time::OffsetDateTime;

/// One valid alert of a batch, ready for the writer.
struct Incoming {
    index: usize,
    provider_alert_id: String,
    version: ProviderVersion,
}

impl TenantStore {
    /// Stores a validated batch (`AlertBatch::validate` or `PullPage::validate` accepted it) from
    /// `provider`: one result per item, in order. Items whose alert object does not fit alerts_v2
    /// are `rejected`; the rest are decided and written in one transaction.
    pub async fn push_alerts(
        &self,
        provider: &Provider,
        items: Vec<PushedAlert>,
        arrival: Arrival,
    ) -> Result<Vec<AlertResult>, StoreError> {
        let store = self.store().clone();
        let now = self.now();
        let vendor = provider.vendor_information();
        let mut results: Vec<Option<AlertResult>> = vec![None; items.len()];
        let mut incoming = Vec::with_capacity(items.len());
        let mut batch = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let (id, version) = (item.provider_alert_id.clone(), item.version);
            match item.into_stored(self.tenant_id(), &vendor) {
                Ok(mut alert) => {
                    alert.link = Some(ProviderLink {
                        provider_id: provider.id.clone(),
                        provider_alert_id: id.clone(),
                        version: version_json(&version),
                        pending: None,
                        answered: None,
                    });
                    incoming.push(Incoming {
                        index,
                        provider_alert_id: id,
                        version,
                    });
                    batch.push(alert);
                }
                Err(reason) => results[index] = Some(AlertResult::rejected(id, reason)),
            }
        }
        let lag_ms = lag(&batch, now);
        let ctx = BatchContext {
            tenant: self.tenant_id().clone(),
            origin: IngestOrigin::Provider(provider.name().to_owned()),
            hooks: store.hooks(),
            now,
        };
        let (prepared, ctx) = prepare_batch(batch, ctx).await?;
        let provider_id = provider.id.clone();
        let decided = store
            .write(move |tx| {
                let mut w = AlertWriter::begin(tx, &ctx.tenant, &ctx.origin, &ctx.hooks, ctx.now)?;
                let mut stored = w.open_batch(&prepared)?;
                let mut out = Vec::with_capacity(prepared.len());
                for (p, inc) in prepared.into_iter().zip(incoming) {
                    let existing = stored.remove(&p.alert.alert.id);
                    out.push((inc.index, store_one(&mut w, p, &inc, existing)?));
                }
                let count = out.len();
                record_batch(
                    w.tx(),
                    &ctx.tenant,
                    &provider_id,
                    arrival,
                    count,
                    lag_ms,
                    ctx.now,
                )?;
                w.finish()?;
                Ok(out)
            })
            .await?;
        for (index, result) in decided {
            results[index] = Some(result);
        }
        Ok(results.into_iter().flatten().collect())
    }
}

/// Decides and writes one incoming alert.
fn store_one(
    w: &mut AlertWriter<'_>,
    p: Prepared,
    inc: &Incoming,
    existing: Option<Existing>,
) -> Result<AlertResult, StoreError> {
    let id = p.alert.alert.id.clone();
    let Some(existing) = existing else {
        w.write(p, Some(None))?;
        let d = Decision::Create;
        return Ok(AlertResult::decided(
            &inc.provider_alert_id,
            id,
            d,
            None,
            &inc.version,
        ));
    };
    let before = existing.decode()?;
    let link = before.link.as_ref();
    let stored_version = link.and_then(|l| serde_json::from_value(l.version.clone()).ok());
    let local = link.and_then(local_change);
    let decision = decide(stored_version.as_ref(), &inc.version, local.as_ref());
    let result = |d| {
        AlertResult::decided(
            &inc.provider_alert_id,
            id.clone(),
            d,
            stored_version,
            &inc.version,
        )
    };
    if !decision.writes() {
        return Ok(result(decision));
    }
    if holds_local_state(&before) {
        let mut merged = p.alert;
        carry_over(&mut merged, &before);
        if decision == Decision::ApplyKeepingLocal {
            keep_local(&mut merged, &before, &local_changes(&before)?);
        } else if let Some(link) = merged.link.as_mut() {
            // This revision is at or after the answered change: the race is over.
            link.answered = None;
        }
        w.put(merged, Some(Some(existing)))?;
    } else {
        w.write(p, Some(Some(existing)))?;
    }
    Ok(result(decision))
}

/// Where the last local change stands, as the race rule needs it.
fn local_change(link: &ProviderLink) -> Option<LocalChange> {
    if link.pending.is_some() {
        return Some(LocalChange::Pending);
    }
    match &link.answered {
        None => None,
        Some(Answered::Rejected) => Some(LocalChange::Rejected),
        Some(Answered::Applied {
            provider_version, ..
        }) => Some(LocalChange::Applied {
            provider_version: provider_version
                .as_ref()
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
        }),
    }
}

/// Whether the stored alert holds anything only secgraph knows (so the incoming one must be merged
/// with it rather than written as it came).
fn holds_local_state(a: &StoredAlert) -> bool {
    a.alert.provider_sync.is_some()
        || a.link
            .as_ref()
            .is_some_and(|l| l.pending.is_some() || l.answered.is_some())
        || !a.legacy.tags.is_empty()
        || !a.legacy.comments.is_empty()
        || a.legacy.dismissed
}

/// Copies what only secgraph holds from `before` into the provider's new revision.
fn carry_over(incoming: &mut StoredAlert, before: &StoredAlert) {
    incoming
        .alert
        .provider_sync
        .clone_from(&before.alert.provider_sync);
    if let (Some(to), Some(from)) = (incoming.link.as_mut(), before.link.as_ref()) {
        to.pending.clone_from(&from.pending);
        to.answered.clone_from(&from.answered);
    }
    incoming.legacy.tags.clone_from(&before.legacy.tags);
    incoming.legacy.comments.clone_from(&before.legacy.comments);
    // A dismissal stands only while the provider still has the alert resolved.
    incoming.legacy.dismissed =
        before.legacy.dismissed && incoming.alert.status == model::enums::AlertStatus::Resolved;
}

/// The unanswered local changes of `a`.
pub(crate) fn pending_changes(a: &StoredAlert) -> Result<AlertChanges, StoreError> {
    let pending = a.link.as_ref().and_then(|l| l.pending.as_ref());
    changes_of(a, pending.map(|p| &p.changes))
}

/// The local changes a provider revision must keep: the pending ones, else the applied ones (for a
/// revision older than the version the provider applied them at).
fn local_changes(a: &StoredAlert) -> Result<AlertChanges, StoreError> {
    let link = a.link.as_ref();
    if link.is_some_and(|l| l.pending.is_some()) {
        return pending_changes(a);
    }
    let applied = link.and_then(|l| match &l.answered {
        Some(Answered::Applied { changes, .. }) => changes.as_ref(),
        _ => None,
    });
    changes_of(a, applied)
}

fn changes_of(
    a: &StoredAlert,
    json: Option<&serde_json::Value>,
) -> Result<AlertChanges, StoreError> {
    match json {
        None => Ok(AlertChanges::default()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
            StoreError::Corrupt(format!("local changes of alert {}: {e}", a.alert.id))
        }),
    }
}

/// A version as stored in the link.
pub(crate) fn version_json(v: &ProviderVersion) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// How long after its newest `lastUpdateDateTime` the batch arrived, in ms (never negative).
fn lag(batch: &[StoredAlert], now: OffsetDateTime) -> Option<i64> {
    let newest = batch.iter().map(|a| a.alert.last_update_date_time).max()?;
    let ms = (now - newest).whole_milliseconds().max(0);
    Some(i64::try_from(ms).unwrap_or(i64::MAX))
}
