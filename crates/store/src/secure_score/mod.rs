//! Secure score: each tenant's control profiles, the control states reported for it, its settings,
//! and its daily score snapshots (`/security/secureScores`, `/security/secureScoreControlProfiles`).
//!
//! Tenant data is reached through [`TenantStore::secure_score`] ([`SecureScoreStore`]); the
//! computation across tenants (the daily snapshot job, comparisons, retention) through
//! [`Store::secure_score_snapshots`] ([`SnapshotRunner`]).
//!
//! | table | row | written by |
//! |---|---|---|
//! | `secure_score_tenants` | a tenant's settings (licensed and active users, industry) and the catalogue version its profiles were built from | the admin API/CLI; profile materialisation |
//! | `secure_score_control_profiles` | one `secureScoreControlProfile` per tenant and catalogue control (`doc`), `sort_key` = -rank | materialisation; `PATCH` |
//! | `secure_score_control_states` | the latest state of each control reported through the admin API/CLI | the admin API/CLI |
//! | `provider_control_states` (V4) | the latest state of each control per provider | the provider protocol |
//! | `secure_scores` | one `secureScore` per tenant and day (`doc`), with `current_score`, `licensed_user_count` and `industry` copied for comparisons | the snapshot job, on-demand computation, the demo |
//!
//! Profiles are materialised from the built-in catalogue ([`model::secure_score::Catalogue`]) the
//! first time a tenant's profiles are read or scored, and again whenever the catalogue changes
//! (its version is kept per tenant): each control's profile is rebuilt around the tenant's
//! `controlStateUpdates`, and profiles of controls the catalogue dropped stay, marked deprecated.

mod compute;
mod documents;
mod inputs;
mod profiles;
mod snapshots;

pub use compute::{SnapshotRun, SnapshotRunner};
pub use inputs::{ReportedState, SecureScoreSettings};
pub use profiles::{ProfilePage, ProfileUpdate};
pub use snapshots::ScorePage;

use crate::error::StoreError;
use crate::handle::Store;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::secure_score::Catalogue;

/// One tenant's secure-score data (cheap to clone).
#[derive(Debug, Clone)]
pub struct SecureScoreStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's secure-score data.
    pub fn secure_score(&self) -> SecureScoreStore {
        SecureScoreStore {
            tenant: self.clone(),
        }
    }
}

impl Store {
    /// The computation across tenants: daily snapshots, comparisons, retention.
    pub fn secure_score_snapshots(&self) -> SnapshotRunner {
        SnapshotRunner {
            store: self.clone(),
        }
    }
}

impl SecureScoreStore {
    /// The tenant scope every list starts from.
    fn scope(&self) -> [(&'static str, Value); 1] {
        [("tenant_id", self.tenant.tenant_id().as_str().into())]
    }

    fn store(&self) -> &Store {
        self.tenant.store()
    }

    fn tenant_id(&self) -> &str {
        self.tenant.tenant_id().as_str()
    }
}

/// The `V6__secure_score` migration (see the module docs for the tables). `secure_scores.day` is
/// the snapshot's UTC date (`yyyy-MM-dd`) that retention and comparisons select on;
/// `current_score` is a double on both backends (SQLite's `DOUBLE PRECISION` has REAL affinity).
pub(crate) const V6_SECURE_SCORE: &str = "CREATE TABLE secure_score_tenants (
    tenant_id {text} PRIMARY KEY NOT NULL REFERENCES tenants(id),
    licensed_user_count {int},
    active_user_count {int},
    industry {text},
    catalogue_version {text},
    updated {text} NOT NULL
);
CREATE TABLE secure_score_control_profiles (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    control_key {text} NOT NULL,
    id {text} NOT NULL,
    sort_key {int} NOT NULL,
    doc {document_text} NOT NULL,
{doc_copy}    PRIMARY KEY (tenant_id, control_key)
);
CREATE INDEX secure_score_control_profiles_order ON secure_score_control_profiles (tenant_id, sort_key, id);
CREATE TABLE secure_score_control_states (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    control_key {text} NOT NULL,
    doc {text} NOT NULL,
    received {text} NOT NULL,
    PRIMARY KEY (tenant_id, control_key)
);
CREATE TABLE secure_scores (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    id {text} NOT NULL,
    day {text} NOT NULL,
    created {text} NOT NULL,
    current_score DOUBLE PRECISION NOT NULL,
    licensed_user_count {int},
    industry {text},
    doc {document_text} NOT NULL,
{doc_copy}    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX secure_scores_created ON secure_scores (tenant_id, created, id);
CREATE INDEX secure_scores_day ON secure_scores (day);
";

/// The built-in catalogue, or a store error saying why it cannot be used.
pub(crate) fn catalogue() -> Result<&'static Catalogue, StoreError> {
    Catalogue::builtin().map_err(|e| StoreError::Corrupt(e.to_string()))
}
