//! Security actions (`/beta/security/securityActions`) of one tenant: a client asks a provider to
//! do something (`blockIp`, `isolateDevice`, …), secgraph stores the action and, in the same
//! transaction, an outbox row that carries it to the provider; the provider's answer and its later
//! status reports move the action forward. Reached only through [`TenantStore::security_actions`],
//! so every statement starts from the tenant.
//!
//! The row is `security_actions (tenant_id, id, provider_id, status, created, doc)`: `doc` is the
//! Graph entity ([`SecurityAction`]) as JSON, `status` and `created` copy the values lists filter
//! and page on, and `provider_id` (the registry id of the provider it runs at) is not part of the
//! entity. Status moves forward only ([`ActionStatus::can_become`]); every change appends to the
//! entity's `states` history.
//!
//! | call | outbox kind | payload |
//! |---|---|---|
//! | [`create`](SecurityActionStore::create) | [`ACTION_KIND`] | [`ActionJob`] |
//! | [`cancel`](SecurityActionStore::cancel) | [`ACTION_CANCEL_KIND`] | [`CancelJob`] |

mod read;
mod schema;
mod write;

pub use read::SecurityActionPage;
pub use schema::SECURITY_ACTION;
pub use write::{ActionOutcome, NewSecurityAction};

use crate::error::StoreError;
use crate::query::Documents;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::{datetime, VendorInformation};
use provider_protocol::ResultInfo;
use provider_protocol::{ActionCancellation, ActionInvocation, ActionStatus, KeyValuePair};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The outbox kind of an action on its way to its provider (`POST {base}/actions`).
pub const ACTION_KIND: &str = "provider.action";
/// The outbox kind of a cancellation on its way to the provider (`POST {base}/actions/{id}/cancel`).
pub const ACTION_CANCEL_KIND: &str = "provider.actionCancel";

/// The payload of an [`ACTION_KIND`] outbox row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionJob {
    /// The provider's registry id.
    pub provider_id: String,
    /// What is sent, the same on every attempt (its `actionId` is the idempotency key).
    pub invocation: ActionInvocation,
}

/// The payload of an [`ACTION_CANCEL_KIND`] outbox row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelJob {
    /// The provider's registry id.
    pub provider_id: String,
    /// What is sent, the same on every attempt.
    pub cancellation: ActionCancellation,
}

/// `microsoft.graph.securityAction`: the Graph entity, serialised exactly as clients receive it
/// (without `@odata.*`; every property present, `null` when it has no value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityAction {
    /// Server-generated (a UUID v7).
    pub id: String,
    /// The action's name in the provider's manifest spelling (`blockIp`).
    pub name: String,
    /// `NotStarted`, `Running`, `Completed` or `Failed`.
    pub status: ActionStatus,
    /// Why the caller asked, as given.
    #[serde(default)]
    pub action_reason: Option<String>,
    /// The caller's context string (at most 256 characters), as given.
    #[serde(default)]
    pub client_context: Option<String>,
    /// The calling application's id, from its token.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The tenant, from the token.
    pub azure_tenant_id: String,
    /// The signed-in user's principal name (delegated tokens; app-only calls leave it `null`).
    #[serde(default)]
    pub user: Option<String>,
    /// When it was created.
    #[serde(with = "datetime::required")]
    pub created_date_time: OffsetDateTime,
    /// When its status last changed (creation counts).
    #[serde(default, with = "datetime::optional")]
    pub last_action_date_time: Option<OffsetDateTime>,
    /// When it reached `Completed` or `Failed`.
    #[serde(default, with = "datetime::optional")]
    pub completed_date_time: Option<OffsetDateTime>,
    /// Why it failed (with `Failed` only).
    #[serde(default)]
    pub error_info: Option<ResultInfo>,
    /// Canonical parameter names and normalised values, in the manifest's order.
    #[serde(default)]
    pub parameters: Vec<KeyValuePair>,
    /// The status history, oldest first; the last entry is the current status.
    #[serde(default)]
    pub states: Vec<SecurityActionState>,
    /// The provider it runs at (`provider`, `vendor` from its manifest).
    pub vendor_information: VendorInformation,
    /// The provider's registry id: a column of the row, not a property of the Graph entity.
    #[serde(skip)]
    pub provider_id: String,
}

/// `microsoft.graph.securityActionState`: one step of an action's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityActionState {
    /// The application that caused the step: the caller (create, cancel) or the provider's
    /// application (its answers and reports).
    #[serde(default)]
    pub app_id: Option<String>,
    /// The status the action took.
    pub status: ActionStatus,
    /// When.
    #[serde(default, with = "datetime::optional")]
    pub updated_date_time: Option<OffsetDateTime>,
    /// The signed-in user, for delegated calls (`null` otherwise).
    #[serde(default)]
    pub user: Option<String>,
}

impl SecurityAction {
    /// Moves the action to `status` at `at` on behalf of `app_id`: appends the state, sets
    /// `lastActionDateTime`, and `completedDateTime` when the status is final. The caller checked
    /// [`ActionStatus::can_become`] and that the status differs.
    pub(crate) fn advance(
        &mut self,
        status: ActionStatus,
        app_id: Option<String>,
        at: OffsetDateTime,
    ) {
        self.status = status;
        self.last_action_date_time = Some(at);
        if status.is_final() {
            self.completed_date_time = Some(at);
        }
        self.states.push(SecurityActionState {
            app_id,
            status,
            updated_date_time: Some(at),
            user: None,
        });
    }
}

/// The security actions of one tenant (cheap to clone).
#[derive(Debug, Clone)]
pub struct SecurityActionStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's security actions.
    pub fn security_actions(&self) -> SecurityActionStore {
        SecurityActionStore {
            tenant: self.clone(),
        }
    }
}

/// The securityAction documents of `security_actions`. Only `id`, `status` and `createdDateTime`
/// may be filtered and sorted on ([`SECURITY_ACTION`]), and each has a column, so no query reads
/// the document (which is plain text on both backends).
pub(crate) static SECURITY_ACTIONS: Documents = Documents {
    name: "securityAction",
    table: "security_actions",
    doc_column: "security_actions.doc",
    id_column: "security_actions.id",
    default_order: "createdDateTime",
    hot_column,
};

/// The column holding exactly the value at `path` of a securityAction document.
fn hot_column(path: &[&str]) -> Option<(&'static str, bool)> {
    Some(match path {
        ["status"] => ("status", false),
        ["createdDateTime"] => ("created", false),
        _ => return None,
    })
}

/// The selected columns of a stored action, in [`from_columns`] order.
const COLUMNS: &str = "security_actions.provider_id, security_actions.doc";

/// Decodes the [`COLUMNS`] at the front of a row.
fn from_columns(cols: &mut std::vec::IntoIter<Value>) -> Result<SecurityAction, StoreError> {
    let mut next = |what: &str| {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt(format!("security action row lacks {what}")))
    };
    let provider_id = next("provider_id")?.into_text("security_actions.provider_id")?;
    let text = next("doc")?.into_text("security_actions.doc")?;
    let mut action: SecurityAction = serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("security action document: {e}")))?;
    action.provider_id = provider_id;
    Ok(action)
}

/// The document text of `action`.
fn doc_text(action: &SecurityAction) -> Result<String, StoreError> {
    serde_json::to_string(action)
        .map_err(|e| StoreError::Corrupt(format!("security action {}: {e}", action.id)))
}
