//! Sync-back: a client's change to a provider's alert is committed together with an outbox row that
//! carries it to the provider (`POST {base}/alertUpdates`), and the provider's answer is written back
//! onto the alert.
//!
//! [`stage`] runs inside the write transaction of every API change (`TenantStore::update_alert`
//! and friends), so no route can forget it: it computes what changed in the synced properties, marks
//! the alert's link *pending* (the race rule keeps these values against provider updates until
//! answered) and shows `providerSync.state = pending`. The outbox worker delivers the row at least
//! once with the same idempotency key and calls [`TenantStore::record_sync_answer`].

use super::push::{pending_changes, version_json};
use crate::error::StoreError;
use model::TenantId;
use model::{Answered, PendingChanges, ProviderSync, ProviderSyncState, StoredAlert};
use provider_protocol::{AlertChanges, AlertUpdate, CallbackAnswer, CallbackResult};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// The outbox kind of an alert update on its way to a provider.
pub const ALERT_UPDATE_KIND: &str = "provider.alertUpdate";

/// The payload of an [`ALERT_UPDATE_KIND`] outbox row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertUpdateJob {
    /// The provider's registry id.
    pub provider_id: String,
    /// What is sent, as it is sent on every attempt.
    pub update: AlertUpdate,
}

/// Marks `after` (a client's change of `before`) as pending with its provider and returns the job
/// to enqueue; `None` when the alert has no provider or no synced property changed.
pub(crate) fn stage(
    tenant: &TenantId,
    before: &StoredAlert,
    after: &mut StoredAlert,
    actor: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<AlertUpdateJob>, StoreError> {
    let changes = AlertChanges::between(before, after);
    let Some(link) = after.link.as_mut() else {
        return Ok(None);
    };
    if changes.is_empty() {
        return Ok(None);
    }
    let key = Uuid::now_v7();
    let mut merged = pending_changes(before)?;
    merged.then(&changes);
    link.pending = Some(PendingChanges {
        idempotency_key: key.to_string(),
        changes: serde_json::to_value(&merged)
            .map_err(|e| StoreError::Corrupt(format!("pending changes: {e}")))?,
    });
    let update = AlertUpdate {
        protocol_version: provider_protocol::PROTOCOL_VERSION,
        idempotency_key: key,
        tenant_id: tenant.clone(),
        alert_id: after.alert.id.clone(),
        provider_alert_id: link.provider_alert_id.clone(),
        base_version: serde_json::from_value(link.version.clone()).ok(),
        changes,
        changed_by: actor.map(str::to_owned),
        changed_date_time: now,
    };
    let provider_id = link.provider_id.clone();
    after.alert.provider_sync = Some(ProviderSync {
        provider: after.vendor.provider.clone().unwrap_or_default(),
        state: ProviderSyncState::Pending,
        idempotency_key: key.to_string(),
        provider_version: None,
        reason: None,
        updated_date_time: now,
    });
    Ok(Some(AlertUpdateJob {
        provider_id,
        update,
    }))
}

/// Applies an answer to the alert; `Err` (nothing written) when it is not for the newest change.
pub(super) fn answer_onto(
    alert: &mut StoredAlert,
    key: &str,
    answer: &CallbackAnswer,
    now: OffsetDateTime,
) -> Result<(), String> {
    let Some(link) = alert.link.as_mut() else {
        return Err("the alert has no provider".into());
    };
    if link
        .pending
        .as_ref()
        .is_none_or(|p| p.idempotency_key != key)
    {
        return Err("the answer is not for the alert's newest change".into());
    }
    let changes = link.pending.take().map(|p| p.changes);
    let version = answer.provider_version.as_ref().map(version_json);
    let (state, answered) = match answer.result {
        CallbackResult::Applied => (
            ProviderSyncState::Applied,
            Answered::Applied {
                provider_version: version.clone(),
                changes,
            },
        ),
        CallbackResult::Rejected => (ProviderSyncState::Rejected, Answered::Rejected),
    };
    link.answered = Some(answered);
    alert.alert.provider_sync = Some(ProviderSync {
        provider: alert.vendor.provider.clone().unwrap_or_default(),
        state,
        idempotency_key: key.to_owned(),
        provider_version: version,
        reason: answer.reason.clone(),
        updated_date_time: now,
    });
    Ok(())
}
