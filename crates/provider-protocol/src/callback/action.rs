//! Security actions: secgraph invokes (`POST {base}/actions`) and cancels
//! (`POST {base}/actions/{id}/cancel`) them at the provider, which answers with a
//! [`super::CallbackAnswer`] and later reports progress to
//! `POST /secgraph/v1/provider/actions/{id}/status` with an [`ActionStatusUpdate`].
//!
//! The action id is secgraph's `securityAction` id and serves as the idempotency key: a provider
//! that receives the same id twice runs the action once and answers as it did the first time.

use crate::manifest::{KeyValuePair, ResolvedAction, MAX_DESCRIPTION_LEN, MAX_IDENTIFIER_LEN};
use crate::problem::{item, Invalid, Problems};
use crate::PROTOCOL_VERSION;
use model::{datetime, TenantId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Longest action id.
pub const MAX_ACTION_ID_LEN: usize = 128;

model::wire_enum! {
    /// `microsoft.graph.operationStatus`: `NotStarted`, `Running`, `Completed`, `Failed`. Read in
    /// any case (Microsoft's own example answers `notStarted`), written in PascalCase.
    pub enum ActionStatus: "microsoft.graph.operationStatus" {
        NotStarted = "NotStarted", Running = "Running", Completed = "Completed", Failed = "Failed",
    }
}

impl ActionStatus {
    /// `Completed` and `Failed` are final.
    pub fn is_final(self) -> bool {
        matches!(self, ActionStatus::Completed | ActionStatus::Failed)
    }

    /// True when an action in this status may move to `next`: forward only (`NotStarted` →
    /// `Running` → `Completed`/`Failed`, steps may be skipped), never out of a final status; the
    /// same status again is a harmless repeat.
    pub fn can_become(self, next: ActionStatus) -> bool {
        self == next
            || match self {
                ActionStatus::NotStarted => true,
                ActionStatus::Running => next.is_final(),
                ActionStatus::Completed | ActionStatus::Failed => false,
            }
    }
}

/// `microsoft.graph.resultInfo`: why an action failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultInfo {
    /// The provider's error code.
    #[serde(default)]
    pub code: i32,
    /// What went wrong, for people.
    #[serde(default)]
    pub message: Option<String>,
    /// A finer code.
    #[serde(default)]
    pub subcode: i32,
}

/// `POST {base}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionInvocation {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// secgraph's `securityAction` id; the idempotency key.
    pub action_id: String,
    /// The tenant the action runs for.
    pub tenant_id: TenantId,
    /// The action's canonical name from the manifest.
    pub name: String,
    /// Canonical names and normalised values ([`crate::ProviderManifest::resolve_action`]).
    pub parameters: Vec<KeyValuePair>,
    /// `actionReason` as the caller gave it.
    #[serde(default)]
    pub action_reason: Option<String>,
    /// `clientContext` as the caller gave it.
    #[serde(default)]
    pub client_context: Option<String>,
    /// Who asked: the calling application's id.
    #[serde(default)]
    pub requested_by: Option<String>,
    /// When the action was created.
    #[serde(with = "datetime::required")]
    pub created_date_time: OffsetDateTime,
}

/// `POST {base}/actions/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionCancellation {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The action to cancel (also in the path).
    pub action_id: String,
    /// The tenant it runs for.
    pub tenant_id: TenantId,
}

/// `POST /secgraph/v1/provider/actions/{id}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionStatusUpdate {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The new status, in any case.
    pub status: ActionStatus,
    /// Required with `Failed`, refused otherwise.
    #[serde(default)]
    pub error_info: Option<ResultInfo>,
    /// When the status changed at the provider; secgraph's time when absent.
    #[serde(default, with = "datetime::optional")]
    pub updated_date_time: Option<OffsetDateTime>,
}

impl ActionInvocation {
    /// The invocation of a resolved action.
    pub fn new(
        action_id: impl Into<String>,
        tenant_id: TenantId,
        action: ResolvedAction,
        created_date_time: OffsetDateTime,
    ) -> Self {
        ActionInvocation {
            protocol_version: PROTOCOL_VERSION,
            action_id: action_id.into(),
            tenant_id,
            name: action.name,
            parameters: action.parameters,
            action_reason: None,
            client_context: None,
            requested_by: None,
            created_date_time,
        }
    }

    /// Checks the envelope (a provider checks the parameters against its own manifest).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        p.text("actionId", &self.action_id, MAX_ACTION_ID_LEN);
        p.text("tenantId", self.tenant_id.as_str(), MAX_ACTION_ID_LEN);
        p.identifier("name", &self.name, MAX_IDENTIFIER_LEN);
        for (i, kv) in self.parameters.iter().enumerate() {
            p.identifier(
                &format!("{}.name", item("parameters", i)),
                &kv.name,
                MAX_IDENTIFIER_LEN,
            );
        }
        for (path, v) in [
            ("actionReason", &self.action_reason),
            ("clientContext", &self.client_context),
        ] {
            if let Some(v) = v {
                p.optional_text(path, v, MAX_DESCRIPTION_LEN);
            }
        }
        p.finish()
    }
}

impl ActionCancellation {
    /// Checks the envelope.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        p.text("actionId", &self.action_id, MAX_ACTION_ID_LEN);
        p.text("tenantId", self.tenant_id.as_str(), MAX_ACTION_ID_LEN);
        p.finish()
    }
}

impl ActionStatusUpdate {
    /// Checks the envelope: `errorInfo` with a message is required with `Failed` and refused with
    /// any other status.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        match (&self.error_info, self.status) {
            (None, ActionStatus::Failed) => p.push(
                "errorInfo",
                "is required with status Failed; say what went wrong in errorInfo.message",
            ),
            (Some(e), ActionStatus::Failed) => match &e.message {
                Some(m) => p.text("errorInfo.message", m, MAX_DESCRIPTION_LEN),
                None => p.push("errorInfo.message", "is required; say what went wrong"),
            },
            (Some(_), s) => p.push(
                "errorInfo",
                format!("is only for status Failed; remove it or report Failed instead of {s}"),
            ),
            (None, _) => {}
        }
        p.finish()
    }
}
