//! Evidence found on endpoints: devices, files, processes, registry, malware and logon sessions on a host.

use crate::evidence::{
    details::FileDetails,
    details::LoggedOnUser,
    details::ResourceAccessEvent,
    details::UserAccount,
    details::VmMetadata,
    enums::{
        DefenderAvStatus, DetectionStatus, DeviceHealthStatus, DeviceRiskScore, FileHashAlgorithm,
        OnboardingStatus,
    },
    identity::UserEvidence,
    EvidenceBase,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.deviceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.deviceEvidence",
    rename_all = "camelCase"
)]
pub struct DeviceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `azureAdDeviceId` (`Edm.String`).
    #[serde(default)]
    pub azure_ad_device_id: Option<String>,
    /// `defenderAvStatus` (`microsoft.graph.security.defenderAvStatus`).
    #[serde(default)]
    pub defender_av_status: Option<OpenEnum<DefenderAvStatus>>,
    /// `deviceDnsName` (`Edm.String`).
    #[serde(default)]
    pub device_dns_name: Option<String>,
    /// `dnsDomain` (`Edm.String`).
    #[serde(default)]
    pub dns_domain: Option<String>,
    /// `firstSeenDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub first_seen_date_time: Option<OffsetDateTime>,
    /// `healthStatus` (`microsoft.graph.security.deviceHealthStatus`).
    #[serde(default)]
    pub health_status: Option<OpenEnum<DeviceHealthStatus>>,
    /// `hostName` (`Edm.String`).
    #[serde(default)]
    pub host_name: Option<String>,
    /// `ipInterfaces` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub ip_interfaces: Vec<String>,
    /// `lastExternalIpAddress` (`Edm.String`).
    #[serde(default)]
    pub last_external_ip_address: Option<String>,
    /// `lastIpAddress` (`Edm.String`).
    #[serde(default)]
    pub last_ip_address: Option<String>,
    /// `loggedOnUsers` (`Collection(microsoft.graph.security.loggedOnUser)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub logged_on_users: Vec<LoggedOnUser>,
    /// `mdeDeviceId` (`Edm.String`).
    #[serde(default)]
    pub mde_device_id: Option<String>,
    /// `ntDomain` (`Edm.String`).
    #[serde(default)]
    pub nt_domain: Option<String>,
    /// `onboardingStatus` (`microsoft.graph.security.onboardingStatus`).
    #[serde(default)]
    pub onboarding_status: Option<OpenEnum<OnboardingStatus>>,
    /// `osBuild` (`Edm.Int64`).
    #[serde(default)]
    pub os_build: Option<i64>,
    /// `osPlatform` (`Edm.String`).
    #[serde(default)]
    pub os_platform: Option<String>,
    /// `rbacGroupId` (`Edm.Int32`).
    #[serde(default)]
    pub rbac_group_id: Option<i32>,
    /// `rbacGroupName` (`Edm.String`).
    #[serde(default)]
    pub rbac_group_name: Option<String>,
    /// `resourceAccessEvents` (`Collection(microsoft.graph.security.resourceAccessEvent)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub resource_access_events: Vec<ResourceAccessEvent>,
    /// `riskScore` (`microsoft.graph.security.deviceRiskScore`).
    #[serde(default)]
    pub risk_score: Option<OpenEnum<DeviceRiskScore>>,
    /// `version` (`Edm.String`).
    #[serde(default)]
    pub version: Option<String>,
    /// `vmMetadata` (`microsoft.graph.security.vmMetadata`).
    #[serde(default)]
    pub vm_metadata: Option<VmMetadata>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.fileEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.fileEvidence",
    rename_all = "camelCase"
)]
pub struct FileEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `detectionStatus` (`microsoft.graph.security.detectionStatus`).
    #[serde(default)]
    pub detection_status: Option<OpenEnum<DetectionStatus>>,
    /// `fileDetails` (`microsoft.graph.security.fileDetails`).
    #[serde(default)]
    pub file_details: Option<FileDetails>,
    /// `mdeDeviceId` (`Edm.String`).
    #[serde(default)]
    pub mde_device_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.fileHashEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.fileHashEvidence",
    rename_all = "camelCase"
)]
pub struct FileHashEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `algorithm` (`microsoft.graph.security.fileHashAlgorithm`).
    #[serde(default)]
    pub algorithm: Option<OpenEnum<FileHashAlgorithm>>,
    /// `value` (`Edm.String`).
    #[serde(default)]
    pub value: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.processEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.processEvidence",
    rename_all = "camelCase"
)]
pub struct ProcessEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `detectionStatus` (`microsoft.graph.security.detectionStatus`).
    #[serde(default)]
    pub detection_status: Option<OpenEnum<DetectionStatus>>,
    /// `imageFile` (`microsoft.graph.security.fileDetails`).
    #[serde(default)]
    pub image_file: Option<FileDetails>,
    /// `mdeDeviceId` (`Edm.String`).
    #[serde(default)]
    pub mde_device_id: Option<String>,
    /// `parentProcessCreationDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub parent_process_creation_date_time: Option<OffsetDateTime>,
    /// `parentProcessId` (`Edm.Int64`).
    #[serde(default)]
    pub parent_process_id: Option<i64>,
    /// `parentProcessImageFile` (`microsoft.graph.security.fileDetails`).
    #[serde(default)]
    pub parent_process_image_file: Option<FileDetails>,
    /// `processCommandLine` (`Edm.String`).
    #[serde(default)]
    pub process_command_line: Option<String>,
    /// `processCreationDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub process_creation_date_time: Option<OffsetDateTime>,
    /// `processId` (`Edm.Int64`).
    #[serde(default)]
    pub process_id: Option<i64>,
    /// `userAccount` (`microsoft.graph.security.userAccount`).
    #[serde(default)]
    pub user_account: Option<UserAccount>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.registryKeyEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.registryKeyEvidence",
    rename_all = "camelCase"
)]
pub struct RegistryKeyEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `registryHive` (`Edm.String`).
    #[serde(default)]
    pub registry_hive: Option<String>,
    /// `registryKey` (`Edm.String`).
    #[serde(default)]
    pub registry_key: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.registryValueEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.registryValueEvidence",
    rename_all = "camelCase"
)]
pub struct RegistryValueEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `mdeDeviceId` (`Edm.String`).
    #[serde(default)]
    pub mde_device_id: Option<String>,
    /// `registryHive` (`Edm.String`).
    #[serde(default)]
    pub registry_hive: Option<String>,
    /// `registryKey` (`Edm.String`).
    #[serde(default)]
    pub registry_key: Option<String>,
    /// `registryValue` (`Edm.String`).
    #[serde(default)]
    pub registry_value: Option<String>,
    /// `registryValueName` (`Edm.String`).
    #[serde(default)]
    pub registry_value_name: Option<String>,
    /// `registryValueType` (`Edm.String`).
    #[serde(default)]
    pub registry_value_type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.malwareEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.malwareEvidence",
    rename_all = "camelCase"
)]
pub struct MalwareEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `category` (`Edm.String`).
    #[serde(default)]
    pub category: Option<String>,
    /// `files` (`Collection(microsoft.graph.security.fileEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub files: Vec<FileEvidence>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `processes` (`Collection(microsoft.graph.security.processEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub processes: Vec<ProcessEvidence>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.hostLogonSessionEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.hostLogonSessionEvidence",
    rename_all = "camelCase"
)]
pub struct HostLogonSessionEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `account` (`microsoft.graph.security.userEvidence`).
    #[serde(default)]
    pub account: Option<Box<UserEvidence>>,
    /// `endUtcDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub end_utc_date_time: Option<OffsetDateTime>,
    /// `host` (`microsoft.graph.security.deviceEvidence`).
    #[serde(default)]
    pub host: Option<Box<DeviceEvidence>>,
    /// `sessionId` (`Edm.String`).
    #[serde(default)]
    pub session_id: Option<String>,
    /// `startUtcDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub start_utc_date_time: Option<OffsetDateTime>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
