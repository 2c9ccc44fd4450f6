//! [ext] secgraph: how an alert raised by a provider is kept in step with that provider.
//!
//! Two halves. [`ProviderLink`] lives in [`crate::StoredAlert`] and never reaches the wire: which
//! registered provider owns the alert, its id and version there, and the local changes the provider
//! has not answered yet (what the race rule of the provider protocol needs). [`ProviderSync`] is
//! what clients see, as the alert's `providerSync` property (alerts_v2 and legacy views): whether
//! the last local change reached the provider and what it said.

use crate::datetime;
use crate::wire_enum;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

wire_enum! {
    /// `secgraph.providerSyncState`: `pending` (a local change is on its way to the provider),
    /// `applied` (the provider applied the last one), `rejected` (the provider refused the last one;
    /// `reason` says why).
    pub enum ProviderSyncState: "secgraph.providerSyncState" {
        Pending = "pending", Applied = "applied", Rejected = "rejected",
    }
}

/// `providerSync`: the state of the last local change's sync-back to the owning provider. Absent on
/// alerts no client has changed, and on alerts no registered provider owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSync {
    /// The provider's name (`vendorInformation.provider`).
    pub provider: String,
    /// Where the last local change stands.
    pub state: ProviderSyncState,
    /// The idempotency key of the last local change sent (or being sent).
    pub idempotency_key: String,
    /// The provider's version after it applied the change, when it said.
    #[serde(default)]
    pub provider_version: Option<Value>,
    /// The provider's reason, with `rejected`.
    #[serde(default)]
    pub reason: Option<String>,
    /// When the state last changed.
    #[serde(with = "datetime::required")]
    pub updated_date_time: OffsetDateTime,
}

/// Which registered provider owns a stored alert, and the sync state the push rules need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderLink {
    /// The provider's registry id.
    pub provider_id: String,
    /// The provider's own id of the alert (the push upsert key).
    pub provider_alert_id: String,
    /// The provider's version of the stored revision (a `provider_protocol::ProviderVersion`).
    pub version: Value,
    /// Local changes the provider has not answered yet, merged (`AlertChanges` JSON), with the key of
    /// the newest; `None` when every change was answered.
    #[serde(default)]
    pub pending: Option<PendingChanges>,
    /// The answer to the last local change: applied (with the provider's version, if it gave one)
    /// or rejected. `None` before the first answer.
    #[serde(default)]
    pub answered: Option<Answered>,
}

/// Local changes on their way to the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingChanges {
    /// The newest change's idempotency key; an answer to it ends the pending state.
    pub idempotency_key: String,
    /// Every unanswered change merged (later values win), as `AlertChanges` JSON.
    pub changes: Value,
}

/// The provider's answer to the last local change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum Answered {
    /// Applied; the provider's version after applying, if it gave one.
    Applied {
        /// `providerVersion` of the answer.
        #[serde(default)]
        provider_version: Option<Value>,
        /// The changes it applied (`AlertChanges` JSON): a provider revision older than
        /// `provider_version` still keeps their local values.
        #[serde(default)]
        changes: Option<Value>,
    },
    /// Rejected.
    Rejected,
}
