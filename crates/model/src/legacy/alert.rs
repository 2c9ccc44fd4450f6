//! The legacy `microsoft.graph.alert` entity (`/security/alerts`), a view computed from the stored
//! alert by [`LegacyAlert::from_stored`](crate::legacy::LegacyAlert::from_stored).

use crate::legacy::enums::{AlertFeedback, LegacyAlertSeverity, LegacyAlertStatus};
use crate::legacy::records::*;
use crate::legacy::states::*;
use crate::open_enum::OpenEnum;
use crate::stored::VendorInformation;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.alert`: serialises `@odata.type` first and then every property, `null` or `[]`
/// when it has no value, then the properties this schema does not know (kept from a legacy import).
/// Deserialisation is lenient (enum members of sub-records may be unknown) and is what the import of
/// legacy-shape alerts uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.alert",
    rename_all = "camelCase"
)]
pub struct LegacyAlert {
    /// `id` (`Edm.String`).
    #[serde(default)]
    pub id: String,
    /// `activityGroupName` (`Edm.String`).
    #[serde(default)]
    pub activity_group_name: Option<String>,
    /// `alertDetections` (`Collection(microsoft.graph.alertDetection)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub alert_detections: Vec<AlertDetection>,
    /// `assignedTo` (`Edm.String`).
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// `azureSubscriptionId` (`Edm.String`).
    #[serde(default)]
    pub azure_subscription_id: Option<String>,
    /// `azureTenantId` (`Edm.String`).
    #[serde(default)]
    pub azure_tenant_id: Option<String>,
    /// `category` (`Edm.String`).
    #[serde(default)]
    pub category: Option<String>,
    /// `closedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub closed_date_time: Option<OffsetDateTime>,
    /// `cloudAppStates` (`Collection(microsoft.graph.cloudAppSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub cloud_app_states: Vec<CloudAppSecurityState>,
    /// `comments` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub comments: Vec<String>,
    /// `confidence` (`Edm.Int32`).
    #[serde(default)]
    pub confidence: Option<i32>,
    /// `createdDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub created_date_time: Option<OffsetDateTime>,
    /// `description` (`Edm.String`).
    #[serde(default)]
    pub description: Option<String>,
    /// `detectionIds` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub detection_ids: Vec<String>,
    /// `eventDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub event_date_time: Option<OffsetDateTime>,
    /// `feedback` (`microsoft.graph.alertFeedback`).
    #[serde(default)]
    pub feedback: Option<OpenEnum<AlertFeedback>>,
    /// `fileStates` (`Collection(microsoft.graph.fileSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub file_states: Vec<FileSecurityState>,
    /// `historyStates` (`Collection(microsoft.graph.alertHistoryState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub history_states: Vec<AlertHistoryState>,
    /// `hostStates` (`Collection(microsoft.graph.hostSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub host_states: Vec<HostSecurityState>,
    /// `incidentIds` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub incident_ids: Vec<String>,
    /// `investigationSecurityStates` (`Collection(microsoft.graph.investigationSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub investigation_security_states: Vec<InvestigationSecurityState>,
    /// `lastEventDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub last_event_date_time: Option<OffsetDateTime>,
    /// `lastModifiedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub last_modified_date_time: Option<OffsetDateTime>,
    /// `malwareStates` (`Collection(microsoft.graph.malwareState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub malware_states: Vec<MalwareState>,
    /// `messageSecurityStates` (`Collection(microsoft.graph.messageSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub message_security_states: Vec<MessageSecurityState>,
    /// `networkConnections` (`Collection(microsoft.graph.networkConnection)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub network_connections: Vec<NetworkConnection>,
    /// `processes` (`Collection(microsoft.graph.process)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub processes: Vec<Process>,
    /// `recommendedActions` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub recommended_actions: Vec<String>,
    /// `registryKeyStates` (`Collection(microsoft.graph.registryKeyState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub registry_key_states: Vec<RegistryKeyState>,
    /// `securityResources` (`Collection(microsoft.graph.securityResource)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub security_resources: Vec<SecurityResource>,
    /// `severity` (`microsoft.graph.alertSeverity`).
    #[serde(default)]
    pub severity: Option<LegacyAlertSeverity>,
    /// `sourceMaterials` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub source_materials: Vec<String>,
    /// `status` (`microsoft.graph.alertStatus`).
    #[serde(default)]
    pub status: Option<LegacyAlertStatus>,
    /// `tags` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub tags: Vec<String>,
    /// `title` (`Edm.String`).
    #[serde(default)]
    pub title: Option<String>,
    /// `triggers` (`Collection(microsoft.graph.alertTrigger)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub triggers: Vec<AlertTrigger>,
    /// `uriClickSecurityStates` (`Collection(microsoft.graph.uriClickSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub uri_click_security_states: Vec<UriClickSecurityState>,
    /// `userStates` (`Collection(microsoft.graph.userSecurityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub user_states: Vec<UserSecurityState>,
    /// `vendorInformation` (`microsoft.graph.securityVendorInformation`).
    #[serde(default)]
    pub vendor_information: Option<VendorInformation>,
    /// `vulnerabilityStates` (`Collection(microsoft.graph.vulnerabilityState)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub vulnerability_states: Vec<VulnerabilityState>,
    /// Properties this schema does not know (`riskScore`, `CustomProperties`, ...), kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
