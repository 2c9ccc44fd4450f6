//! Property table of `microsoft.graph.security.alert` (alerts_v2).

use crate::enums::*;
use crate::schema::evidence::ALERT_EVIDENCE;
use odata::schema::{ComplexType, EntitySchema, PropType, Property};

/// `microsoft.graph.security.alert` (`/security/alerts_v2`): every property of
/// [`crate::Alert`]'s serialisation.
pub static ALERT: EntitySchema = EntitySchema {
    name: "microsoft.graph.security.alert",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("actorDisplayName", PropType::String),
        Property::new("additionalData", PropType::Dictionary),
        Property::new("alertPolicyId", PropType::String),
        Property::new("alertWebUrl", PropType::String),
        Property::new("assignedTo", PropType::String),
        Property::new("categories", PropType::Collection(&PropType::String)),
        Property::new("category", PropType::String),
        Property::new(
            "classification",
            PropType::Enum(&AlertClassification::ODATA),
        ),
        Property::new(
            "comments",
            PropType::Collection(&PropType::Complex(&ALERT_COMMENT)),
        ),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("customDetails", PropType::Dictionary),
        Property::new("description", PropType::String),
        Property::new("detectionSource", PropType::Enum(&DetectionSource::ODATA)),
        Property::new("detectorId", PropType::String),
        Property::new("determination", PropType::Enum(&AlertDetermination::ODATA)),
        Property::new(
            "evidence",
            PropType::Collection(&PropType::Complex(&ALERT_EVIDENCE)),
        ),
        Property::new("firstActivityDateTime", PropType::DateTimeOffset),
        Property::new("incidentId", PropType::String),
        Property::new("incidentWebUrl", PropType::String),
        Property::new(
            "investigationState",
            PropType::Enum(&InvestigationState::ODATA),
        ),
        Property::new("lastActivityDateTime", PropType::DateTimeOffset),
        Property::new("lastUpdateDateTime", PropType::DateTimeOffset),
        Property::new("mitreTechniques", PropType::Collection(&PropType::String)),
        Property::new("productName", PropType::String),
        Property::new("providerAlertId", PropType::String),
        Property::new("recommendedActions", PropType::String),
        Property::new("resolvedDateTime", PropType::DateTimeOffset),
        Property::new("serviceSource", PropType::Enum(&ServiceSource::ODATA)),
        Property::new("severity", PropType::Enum(&AlertSeverity::ODATA)),
        Property::new("status", PropType::Enum(&AlertStatus::ODATA)),
        Property::new("systemTags", PropType::Collection(&PropType::String)),
        Property::new("tenantId", PropType::String),
        Property::new("threatDisplayName", PropType::String),
        Property::new("threatFamilyName", PropType::String),
        Property::new("title", PropType::String),
        Property::new(
            "threatIntelligenceMatches",
            PropType::Collection(&PropType::Complex(&THREAT_INTELLIGENCE_MATCH)),
        ),
    ],
};

/// [ext] `threatIntelligenceMatch`: one threat indicator matching a value of the alert's evidence.
pub static THREAT_INTELLIGENCE_MATCH: ComplexType = ComplexType {
    name: "microsoft.graph.security.threatIntelligenceMatch",
    properties: &[
        Property::new("indicatorId", PropType::String),
        Property::new("action", PropType::String),
        Property::new("kind", PropType::String),
        Property::new("value", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.alertComment`.
pub static ALERT_COMMENT: ComplexType = ComplexType {
    name: "microsoft.graph.security.alertComment",
    properties: &[
        Property::new("comment", PropType::String),
        Property::new("createdByDisplayName", PropType::String),
        Property::new("createdDateTime", PropType::DateTimeOffset),
    ],
    derived: &[],
};
