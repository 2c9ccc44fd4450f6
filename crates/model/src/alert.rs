//! `microsoft.graph.security.alert` (alerts_v2): the one shape every alert is stored in.
//!
//! Serialises straight to Graph JSON: every property present, `null` when it has no value, `[]` for
//! empty collections. What the legacy `microsoft.graph.alert` view needs beyond this shape lives in
//! [`crate::stored::StoredAlert`].

use crate::datetime;
use crate::enums::*;
use crate::evidence::AlertEvidence;
use crate::ids::AlertId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.alert`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub id: AlertId,
    #[serde(default)]
    pub actor_display_name: Option<String>,
    #[serde(default)]
    pub additional_data: Option<Map<String, Value>>,
    #[serde(default)]
    pub alert_policy_id: Option<String>,
    #[serde(default)]
    pub alert_web_url: Option<String>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub categories: Vec<String>,
    #[serde(default)]
    pub classification: Option<AlertClassification>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub comments: Vec<AlertComment>,
    #[serde(with = "datetime::required")]
    pub created_date_time: OffsetDateTime,
    #[serde(default)]
    pub custom_details: Option<Map<String, Value>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub detection_source: Option<DetectionSource>,
    #[serde(default)]
    pub detector_id: Option<String>,
    #[serde(default)]
    pub determination: Option<AlertDetermination>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub evidence: Vec<AlertEvidence>,
    #[serde(default, with = "datetime::optional")]
    pub first_activity_date_time: Option<OffsetDateTime>,
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub incident_web_url: Option<String>,
    #[serde(default)]
    pub investigation_state: Option<InvestigationState>,
    #[serde(default, with = "datetime::optional")]
    pub last_activity_date_time: Option<OffsetDateTime>,
    #[serde(with = "datetime::required")]
    pub last_update_date_time: OffsetDateTime,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub mitre_techniques: Vec<String>,
    #[serde(default)]
    pub product_name: Option<String>,
    #[serde(default)]
    pub provider_alert_id: Option<String>,
    #[serde(default)]
    pub recommended_actions: Option<String>,
    #[serde(default, with = "datetime::optional")]
    pub resolved_date_time: Option<OffsetDateTime>,
    #[serde(default)]
    pub service_source: Option<ServiceSource>,
    pub severity: AlertSeverity,
    pub status: AlertStatus,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub system_tags: Vec<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub threat_display_name: Option<String>,
    #[serde(default)]
    pub threat_family_name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// [ext] secgraph: the tenant's threat indicators that match this alert's evidence, kept
    /// current as alerts and indicators change. Omitted when there are none.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::null_as_default"
    )]
    pub threat_intelligence_matches: Vec<ThreatIntelligenceMatch>,
    /// [ext] secgraph: where the last local change stands with the provider that owns the alert
    /// (see [`crate::sync`]). Omitted when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_sync: Option<crate::sync::ProviderSync>,
}

/// [ext] One threat indicator matching one value of an alert's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreatIntelligenceMatch {
    /// The tiIndicator's id.
    pub indicator_id: String,
    /// The indicator's action as matching applies it: `alert`, `block` or `allow`.
    pub action: String,
    /// What matched: `ip`, `cidr`, `domain`, `url`, `hash` or `email` (the indicator's kind).
    pub kind: String,
    /// The evidence value that matched, normalised.
    pub value: String,
}

/// `microsoft.graph.security.alertComment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertComment {
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub created_by_display_name: Option<String>,
    #[serde(default, with = "datetime::optional")]
    pub created_date_time: Option<OffsetDateTime>,
}
