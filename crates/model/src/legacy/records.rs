//! The other legacy sub-records: detections, history, triggers, cloud apps, malware, messages, resources, URL clicks and vulnerabilities.

use crate::legacy::enums::{AlertFeedback, LegacyAlertStatus, SecurityResourceType};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.alertDetection`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertDetection {
    /// `detectionType` (`Edm.String`).
    #[serde(default)]
    pub detection_type: Option<String>,
    /// `method` (`Edm.String`).
    #[serde(default)]
    pub method: Option<String>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.alertHistoryState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertHistoryState {
    /// `appId` (`Edm.String`).
    #[serde(default)]
    pub app_id: Option<String>,
    /// `assignedTo` (`Edm.String`).
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// `comments` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub comments: Vec<String>,
    /// `feedback` (`microsoft.graph.alertFeedback`).
    #[serde(default)]
    pub feedback: Option<OpenEnum<AlertFeedback>>,
    /// `status` (`microsoft.graph.alertStatus`).
    #[serde(default)]
    pub status: Option<OpenEnum<LegacyAlertStatus>>,
    /// `updatedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub updated_date_time: Option<OffsetDateTime>,
    /// `user` (`Edm.String`).
    #[serde(default)]
    pub user: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.alertTrigger`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertTrigger {
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `type` (`Edm.String`).
    #[serde(default)]
    pub r#type: Option<String>,
    /// `value` (`Edm.String`).
    #[serde(default)]
    pub value: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.cloudAppSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudAppSecurityState {
    /// `destinationServiceIp` (`Edm.String`).
    #[serde(default)]
    pub destination_service_ip: Option<String>,
    /// `destinationServiceName` (`Edm.String`).
    #[serde(default)]
    pub destination_service_name: Option<String>,
    /// `riskScore` (`Edm.String`).
    #[serde(default)]
    pub risk_score: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.investigationSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationSecurityState {
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `status` (`Edm.String`).
    #[serde(default)]
    pub status: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.malwareState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MalwareState {
    /// `category` (`Edm.String`).
    #[serde(default)]
    pub category: Option<String>,
    /// `family` (`Edm.String`).
    #[serde(default)]
    pub family: Option<String>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `severity` (`Edm.String`).
    #[serde(default)]
    pub severity: Option<String>,
    /// `wasRunning` (`Edm.Boolean`).
    #[serde(default)]
    pub was_running: Option<bool>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.messageSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSecurityState {
    /// `connectingIP` (`Edm.String`).
    #[serde(default, rename = "connectingIP")]
    pub connecting_ip: Option<String>,
    /// `deliveryAction` (`Edm.String`).
    #[serde(default)]
    pub delivery_action: Option<String>,
    /// `deliveryLocation` (`Edm.String`).
    #[serde(default)]
    pub delivery_location: Option<String>,
    /// `directionality` (`Edm.String`).
    #[serde(default)]
    pub directionality: Option<String>,
    /// `internetMessageId` (`Edm.String`).
    #[serde(default)]
    pub internet_message_id: Option<String>,
    /// `messageFingerprint` (`Edm.String`).
    #[serde(default)]
    pub message_fingerprint: Option<String>,
    /// `messageReceivedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub message_received_date_time: Option<OffsetDateTime>,
    /// `messageSubject` (`Edm.String`).
    #[serde(default)]
    pub message_subject: Option<String>,
    /// `networkMessageId` (`Edm.String`).
    #[serde(default)]
    pub network_message_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.securityResource`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityResource {
    /// `resource` (`Edm.String`).
    #[serde(default)]
    pub resource: Option<String>,
    /// `resourceType` (`microsoft.graph.securityResourceType`).
    #[serde(default)]
    pub resource_type: Option<OpenEnum<SecurityResourceType>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.uriClickSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UriClickSecurityState {
    /// `clickAction` (`Edm.String`).
    #[serde(default)]
    pub click_action: Option<String>,
    /// `clickDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub click_date_time: Option<OffsetDateTime>,
    /// `id` (`Edm.String`).
    #[serde(default)]
    pub id: Option<String>,
    /// `sourceId` (`Edm.String`).
    #[serde(default)]
    pub source_id: Option<String>,
    /// `uriDomain` (`Edm.String`).
    #[serde(default)]
    pub uri_domain: Option<String>,
    /// `verdict` (`Edm.String`).
    #[serde(default)]
    pub verdict: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.vulnerabilityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VulnerabilityState {
    /// `cve` (`Edm.String`).
    #[serde(default)]
    pub cve: Option<String>,
    /// `severity` (`Edm.String`).
    #[serde(default)]
    pub severity: Option<String>,
    /// `wasRunning` (`Edm.Boolean`).
    #[serde(default)]
    pub was_running: Option<bool>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
