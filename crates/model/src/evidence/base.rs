//! The properties every evidence type inherits from `microsoft.graph.security.alertEvidence`.

use crate::datetime;
use crate::enums::{EvidenceRemediationStatus, EvidenceRole, EvidenceVerdict};
use crate::open_enum::OpenEnum;
use crate::serde_util::null_as_default;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// The `alertEvidence` base properties, flattened into every evidence subtype.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceBase {
    /// `createdDateTime`: when the evidence was created and added to the alert.
    #[serde(default, with = "datetime::optional")]
    pub created_date_time: Option<OffsetDateTime>,
    /// `detailedRoles`: free-text roles, e.g. `Main device`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub detailed_roles: Vec<String>,
    /// `remediationStatus` (evolvable).
    #[serde(default)]
    pub remediation_status: Option<OpenEnum<EvidenceRemediationStatus>>,
    /// `remediationStatusDetails`.
    #[serde(default)]
    pub remediation_status_details: Option<String>,
    /// `roles`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub roles: Vec<OpenEnum<EvidenceRole>>,
    /// `tags`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// `verdict`.
    #[serde(default)]
    pub verdict: Option<OpenEnum<EvidenceVerdict>>,
}

impl EvidenceBase {
    /// True when `roles` holds `role`.
    pub fn has_role(&self, role: EvidenceRole) -> bool {
        self.roles.iter().any(|r| r.known() == Some(role))
    }
}

/// Deserialises the flattened map of unknown properties of an evidence subtype, dropping the
/// `@odata.type` annotation (the type is known from where the value sits; it is written back
/// from the Rust type).
pub fn extra<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    let mut map = Map::<String, Value>::deserialize(d)?;
    map.remove("@odata.type");
    Ok(map)
}
