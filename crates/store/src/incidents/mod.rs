//! Incidents (`/security/incidents`) of one tenant: groups of alerts that belong to one attack,
//! formed by the correlation engine on every alert write (`correlation`), changed by analysts
//! (PATCH, comments, manual link/unlink/merge), and rolled up from their alerts (`rollup`).
//! Reached only through [`TenantStore::incidents`], so every statement starts from the tenant.
//!
//! An alert's incident is its `incidentId` (the `alerts.incident_id` column): the incident row does
//! not list its alerts, so there is one truth. Every incident write runs inside an alert writer job
//! (`crate::ingest`), which locks the tenant's row: incident changes, the alert rewrites they cause
//! (resolving an incident resolves its alerts through the one alert update path, so the sync-back
//! to providers is staged in the outbox) and the roll-up commit together.

pub mod correlation;
mod read;
pub(crate) mod rollup;
pub(crate) mod rows;
mod schema;
pub(crate) mod tally;
mod write;

pub use correlation::{
    Correlation, CorrelationSettings, ManualAction, ManualRefusal, RebuildReport,
};
pub use read::IncidentPage;
pub(crate) use schema::V7_INCIDENTS;
pub use write::IncidentUpdate;

use crate::query::Documents;
use crate::tenant::TenantStore;

/// The incident documents of `incidents`. Only Graph's filterable properties (and `id`) may be
/// filtered and sorted on ([`model::incident::schema::INCIDENT`]), and each has a column, so no
/// query reads the document.
pub(crate) static INCIDENTS: Documents = Documents {
    name: "incident",
    table: "incidents",
    doc_column: "incidents.doc",
    id_column: "incidents.id",
    default_order: "createdDateTime",
    hot_column,
};

/// The column holding exactly the value at `path` of an incident document.
fn hot_column(path: &[&str]) -> Option<(&'static str, bool)> {
    Some(match path {
        ["status"] => ("status", false),
        ["severity"] => ("severity", false),
        ["assignedTo"] => ("assigned_to", true),
        ["classification"] => ("classification", true),
        ["determination"] => ("determination", true),
        ["createdDateTime"] => ("created_date_time", false),
        ["lastUpdateDateTime"] => ("last_update_date_time", false),
        _ => return None,
    })
}

/// The incidents of one tenant (cheap to clone).
#[derive(Debug, Clone)]
pub struct IncidentStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's incidents.
    pub fn incidents(&self) -> IncidentStore {
        IncidentStore {
            tenant: self.clone(),
        }
    }
}

/// The URL an incident is read at: `{base}/v1.0/security/incidents/{id}` (`incidentWebUrl` of the
/// incident and of its alerts), `None` without a base URL.
pub fn incident_web_url(base: Option<&str>, id: &str) -> Option<String> {
    base.map(|b| format!("{}/v1.0/security/incidents/{id}", b.trim_end_matches('/')))
}
