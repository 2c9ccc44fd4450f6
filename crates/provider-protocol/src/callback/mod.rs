//! Calls from secgraph to a provider, all signed ([`crate::signing`]) and delivered at least once
//! from secgraph's outbox, and the provider's answers.
//!
//! | call | body | answer |
//! |---|---|---|
//! | `POST {base}/alertUpdates` | [`AlertUpdate`] | [`CallbackAnswer`] |
//! | `POST {base}/actions` | [`ActionInvocation`] | [`CallbackAnswer`] |
//! | `POST {base}/actions/{id}/cancel` | [`ActionCancellation`] | [`CallbackAnswer`] |
//!
//! A provider answers `200` with a [`CallbackAnswer`]: `applied` (done, or accepted for an action
//! that then reports its progress) or `rejected` with a reason (never retried). Any other status,
//! a timeout or an unreadable answer is retried on the [`crate::Backoff`] schedule. Because
//! delivery is at least once, a provider must treat a repeated `idempotencyKey` (alert updates) or
//! `actionId` (actions) as the same request and answer as before.

mod action;
mod changes;

pub use action::{
    ActionCancellation, ActionInvocation, ActionStatus, ActionStatusUpdate, ResultInfo,
    MAX_ACTION_ID_LEN,
};
pub use changes::AlertChanges;

use crate::manifest::MAX_DESCRIPTION_LEN;
use crate::problem::{Invalid, Problems};
use crate::push::{ProviderVersion, MAX_PROVIDER_ALERT_ID_LEN};
use model::{datetime, AlertId, TenantId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// `POST {base}/alertUpdates`: a local PATCH of one of the provider's alerts.
///
/// ```json
/// {"protocolVersion": 1, "idempotencyKey": "0195a3c4-...", "tenantId": "8c1e3c1a-...",
///  "alertId": "b7d0...", "providerAlertId": "fw-4711", "baseVersion": 3,
///  "changes": {"status": "resolved", "classification": "falsePositive"},
///  "changedBy": "analyst@contoso.example", "changedDateTime": "2025-03-01T10:05:00.0000000Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertUpdate {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// Fixed when the PATCH is committed; the same on every retry of this update.
    pub idempotency_key: Uuid,
    /// The alert's tenant.
    pub tenant_id: TenantId,
    /// secgraph's alert id.
    pub alert_id: AlertId,
    /// The provider's alert id.
    pub provider_alert_id: String,
    /// The provider version secgraph held when the PATCH was made (for the provider's own conflict
    /// check); absent for an alert never pushed or pulled with a version.
    #[serde(default)]
    pub base_version: Option<ProviderVersion>,
    /// What the PATCH changed; never empty.
    pub changes: AlertChanges,
    /// Who made the change (user principal name or application id).
    #[serde(default)]
    pub changed_by: Option<String>,
    /// When the PATCH was committed.
    #[serde(with = "datetime::required")]
    pub changed_date_time: OffsetDateTime,
}

model::wire_enum! {
    /// A provider's verdict on a call: `applied` or `rejected`. Read case-insensitively.
    pub enum CallbackResult: "secgraph.provider.callbackResult" {
        Applied = "applied", Rejected = "rejected",
    }
}

/// A provider's answer to any call of the table in the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackAnswer {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// `applied` or `rejected`.
    pub result: CallbackResult,
    /// Why (required with `rejected`).
    #[serde(default)]
    pub reason: Option<String>,
    /// For an alert update: the alert's version at the provider after applying it (lets the race
    /// rule release the local values exactly; see [`crate::push::race`]).
    #[serde(default)]
    pub provider_version: Option<ProviderVersion>,
}

impl AlertUpdate {
    /// Checks the envelope.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        p.text("tenantId", self.tenant_id.as_str(), MAX_ACTION_ID_LEN);
        p.text("alertId", self.alert_id.as_str(), MAX_PROVIDER_ALERT_ID_LEN);
        p.text(
            "providerAlertId",
            &self.provider_alert_id,
            MAX_PROVIDER_ALERT_ID_LEN,
        );
        if self.changes.is_empty() {
            p.push(
                "changes",
                "is empty; an update changes at least one property",
            );
        }
        if let Some(by) = &self.changed_by {
            p.optional_text("changedBy", by, MAX_PROVIDER_ALERT_ID_LEN);
        }
        p.finish()
    }
}

impl CallbackAnswer {
    /// `applied`, optionally with the provider's new version.
    pub fn applied(provider_version: Option<ProviderVersion>) -> Self {
        CallbackAnswer {
            protocol_version: crate::PROTOCOL_VERSION,
            result: CallbackResult::Applied,
            reason: None,
            provider_version,
        }
    }

    /// `rejected` with a reason.
    pub fn rejected(reason: impl Into<String>) -> Self {
        CallbackAnswer {
            protocol_version: crate::PROTOCOL_VERSION,
            result: CallbackResult::Rejected,
            reason: Some(reason.into()),
            provider_version: None,
        }
    }

    /// Checks the answer: a rejection needs a reason.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        match (&self.reason, self.result) {
            (None, CallbackResult::Rejected) => p.push(
                "reason",
                "is required with result rejected; say why, for the person who made the change",
            ),
            (Some(r), CallbackResult::Rejected) => p.text("reason", r, MAX_DESCRIPTION_LEN),
            (Some(r), CallbackResult::Applied) => p.optional_text("reason", r, MAX_DESCRIPTION_LEN),
            (None, CallbackResult::Applied) => {}
        }
        p.finish()
    }
}
