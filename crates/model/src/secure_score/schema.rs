//! Property tables of `microsoft.graph.secureScore` and `microsoft.graph.secureScoreControlProfile`:
//! every property of their serialisation ([`super::SecureScore`],
//! [`super::SecureScoreControlProfile`]), secgraph's extra `controlScore` members included, so
//! each may be filtered (collections through `any`/`all`), sorted when single-valued, and selected.

use crate::schema::legacy::VENDOR_INFORMATION;
use odata::schema::{ComplexType, EntitySchema, PropType, Property};

const STRINGS: PropType = PropType::Collection(&PropType::String);

static AVERAGE_COMPARATIVE_SCORE: ComplexType = ComplexType {
    name: "microsoft.graph.averageComparativeScore",
    properties: &[
        Property::new("averageScore", PropType::Double),
        Property::new("basis", PropType::String),
    ],
    derived: &[],
};

static CONTROL_SCORE: ComplexType = ComplexType {
    name: "microsoft.graph.controlScore",
    properties: &[
        Property::new("controlCategory", PropType::String),
        Property::new("controlName", PropType::String),
        Property::new("description", PropType::String),
        Property::new("score", PropType::Double),
        Property::new("scoreInPercentage", PropType::Double),
        Property::new("implementationStatus", PropType::String),
        Property::new("state", PropType::String),
        Property::new("count", PropType::Int64),
        Property::new("lastSynced", PropType::DateTimeOffset),
    ],
    derived: &[],
};

static CERTIFICATION_CONTROL: ComplexType = ComplexType {
    name: "microsoft.graph.certificationControl",
    properties: &[
        Property::new("name", PropType::String),
        Property::new("url", PropType::String),
    ],
    derived: &[],
};
static CERTIFICATION_CONTROLS: PropType = PropType::Complex(&CERTIFICATION_CONTROL);

static COMPLIANCE_INFORMATION: ComplexType = ComplexType {
    name: "microsoft.graph.complianceInformation",
    properties: &[
        Property::new("certificationName", PropType::String),
        Property::new(
            "certificationControls",
            PropType::Collection(&CERTIFICATION_CONTROLS),
        ),
    ],
    derived: &[],
};

static CONTROL_STATE_UPDATE: ComplexType = ComplexType {
    name: "microsoft.graph.secureScoreControlStateUpdate",
    properties: &[
        Property::new("assignedTo", PropType::String),
        Property::new("comment", PropType::String),
        Property::new("state", PropType::String),
        Property::new("updatedBy", PropType::String),
        Property::new("updatedDateTime", PropType::DateTimeOffset),
    ],
    derived: &[],
};

static AVERAGES: PropType = PropType::Complex(&AVERAGE_COMPARATIVE_SCORE);
static CONTROL_SCORES: PropType = PropType::Complex(&CONTROL_SCORE);
static COMPLIANCE: PropType = PropType::Complex(&COMPLIANCE_INFORMATION);
static UPDATES: PropType = PropType::Complex(&CONTROL_STATE_UPDATE);

/// `microsoft.graph.secureScore`.
pub static SECURE_SCORE: EntitySchema = EntitySchema {
    name: "microsoft.graph.secureScore",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("azureTenantId", PropType::String),
        Property::new("activeUserCount", PropType::Int32),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("currentScore", PropType::Double),
        Property::new("enabledServices", STRINGS),
        Property::new("licensedUserCount", PropType::Int32),
        Property::new("maxScore", PropType::Double),
        Property::new("averageComparativeScores", PropType::Collection(&AVERAGES)),
        Property::new("controlScores", PropType::Collection(&CONTROL_SCORES)),
        Property::new("vendorInformation", PropType::Complex(&VENDOR_INFORMATION)),
    ],
};

/// `microsoft.graph.secureScoreControlProfile`.
pub static SECURE_SCORE_CONTROL_PROFILE: EntitySchema = EntitySchema {
    name: "microsoft.graph.secureScoreControlProfile",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("azureTenantId", PropType::String),
        Property::new("actionType", PropType::String),
        Property::new("actionUrl", PropType::String),
        Property::new("controlCategory", PropType::String),
        Property::new("title", PropType::String),
        Property::new("deprecated", PropType::Boolean),
        Property::new("implementationCost", PropType::String),
        Property::new("lastModifiedDateTime", PropType::DateTimeOffset),
        Property::new("maxScore", PropType::Double),
        Property::new("rank", PropType::Int32),
        Property::new("remediation", PropType::String),
        Property::new("remediationImpact", PropType::String),
        Property::new("service", PropType::String),
        Property::new("threats", STRINGS),
        Property::new("tier", PropType::String),
        Property::new("userImpact", PropType::String),
        Property::new("complianceInformation", PropType::Collection(&COMPLIANCE)),
        Property::new("controlStateUpdates", PropType::Collection(&UPDATES)),
        Property::new("vendorInformation", PropType::Complex(&VENDOR_INFORMATION)),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secure_score::{Catalogue, SecureScoreControlProfile};

    /// Every member of a serialised profile is in the table (so `$select` and `$filter` reach it).
    #[test]
    fn the_tables_name_every_serialised_property() {
        let c = Catalogue::builtin().unwrap();
        let p = SecureScoreControlProfile::from_control(&c.controls[0], "t", vec![], None);
        let v = serde_json::to_value(p).unwrap();
        for key in v.as_object().unwrap().keys() {
            assert!(
                SECURE_SCORE_CONTROL_PROFILE
                    .properties
                    .iter()
                    .any(|p| p.name == key),
                "{key}"
            );
        }
    }

    #[test]
    fn filters_bind_against_the_tables() {
        let opts = odata::BindOptions::default();
        for (schema, text) in [
            (
                &SECURE_SCORE,
                "controlScores/any(c: c/controlName eq 'AdminMfa' and c/score gt 1)",
            ),
            (
                &SECURE_SCORE,
                "createdDateTime ge 2026-01-01T00:00:00Z and currentScore gt 10.5",
            ),
            (
                &SECURE_SCORE_CONTROL_PROFILE,
                "controlCategory eq 'Identity' and rank le 10",
            ),
            (
                &SECURE_SCORE_CONTROL_PROFILE,
                "controlStateUpdates/any(u: u/state eq 'Ignored')",
            ),
            (
                &SECURE_SCORE_CONTROL_PROFILE,
                "threats/any(t: t eq 'spoofing')",
            ),
        ] {
            odata::bind_filter(text, schema, &opts).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }
}
