//! The complex (non-evidence) types that evidence properties are made of.

use crate::evidence::enums::{ContainerPortProtocol, FileHashAlgorithm, VmCloudProvider};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.fileDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDetails {
    /// `fileName` (`Edm.String`).
    #[serde(default)]
    pub file_name: Option<String>,
    /// `filePath` (`Edm.String`).
    #[serde(default)]
    pub file_path: Option<String>,
    /// `filePublisher` (`Edm.String`).
    #[serde(default)]
    pub file_publisher: Option<String>,
    /// `fileSize` (`Edm.Int64`).
    #[serde(default)]
    pub file_size: Option<i64>,
    /// `issuer` (`Edm.String`).
    #[serde(default)]
    pub issuer: Option<String>,
    /// `md5` (`Edm.String`).
    #[serde(default)]
    pub md5: Option<String>,
    /// `sha1` (`Edm.String`).
    #[serde(default)]
    pub sha1: Option<String>,
    /// `sha256` (`Edm.String`).
    #[serde(default)]
    pub sha256: Option<String>,
    /// `sha256Ac` (`Edm.String`).
    #[serde(default)]
    pub sha256_ac: Option<String>,
    /// `signer` (`Edm.String`).
    #[serde(default)]
    pub signer: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.userAccount`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAccount {
    /// `accountName` (`Edm.String`).
    #[serde(default)]
    pub account_name: Option<String>,
    /// `activeDirectoryObjectGuid` (`Edm.Guid`).
    #[serde(default)]
    pub active_directory_object_guid: Option<String>,
    /// `azureAdUserId` (`Edm.String`).
    #[serde(default)]
    pub azure_ad_user_id: Option<String>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `domainName` (`Edm.String`).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// `resourceAccessEvents` (`Collection(microsoft.graph.security.resourceAccessEvent)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub resource_access_events: Vec<ResourceAccessEvent>,
    /// `tenantId` (`Edm.String`).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// `userPrincipalName` (`Edm.String`).
    #[serde(default)]
    pub user_principal_name: Option<String>,
    /// `userSid` (`Edm.String`).
    #[serde(default)]
    pub user_sid: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.resourceAccessEvent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceAccessEvent {
    /// `accessDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub access_date_time: Option<OffsetDateTime>,
    /// `accountId` (`Edm.String`).
    #[serde(default)]
    pub account_id: Option<String>,
    /// `ipAddress` (`Edm.String`).
    #[serde(default)]
    pub ip_address: Option<String>,
    /// `resourceIdentifier` (`Edm.String`).
    #[serde(default)]
    pub resource_identifier: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.loggedOnUser`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedOnUser {
    /// `accountName` (`Edm.String`).
    #[serde(default)]
    pub account_name: Option<String>,
    /// `domainName` (`Edm.String`).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.vmMetadata`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmMetadata {
    /// `cloudProvider` (`microsoft.graph.security.vmCloudProvider`).
    #[serde(default)]
    pub cloud_provider: Option<OpenEnum<VmCloudProvider>>,
    /// `resourceId` (`Edm.String`).
    #[serde(default)]
    pub resource_id: Option<String>,
    /// `subscriptionId` (`Edm.String`).
    #[serde(default)]
    pub subscription_id: Option<String>,
    /// `vmId` (`Edm.String`).
    #[serde(default)]
    pub vm_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.geoLocation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeoLocation {
    /// `city` (`Edm.String`).
    #[serde(default)]
    pub city: Option<String>,
    /// `countryName` (`Edm.String`).
    #[serde(default)]
    pub country_name: Option<String>,
    /// `latitude` (`Edm.Double`).
    #[serde(default)]
    pub latitude: Option<f64>,
    /// `longitude` (`Edm.Double`).
    #[serde(default)]
    pub longitude: Option<f64>,
    /// `state` (`Edm.String`).
    #[serde(default)]
    pub state: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.stream`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stream {
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.emailSender`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailSender {
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `domainName` (`Edm.String`).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// `emailAddress` (`Edm.String`).
    #[serde(default)]
    pub email_address: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.fileHash`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileHash {
    /// `algorithm` (`microsoft.graph.security.fileHashAlgorithm`).
    #[serde(default)]
    pub algorithm: Option<OpenEnum<FileHashAlgorithm>>,
    /// `value` (`Edm.String`).
    #[serde(default)]
    pub value: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesServicePort`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesServicePort {
    /// `appProtocol` (`Edm.String`).
    #[serde(default)]
    pub app_protocol: Option<String>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `nodePort` (`Edm.Int32`).
    #[serde(default)]
    pub node_port: Option<i32>,
    /// `port` (`Edm.Int32`).
    #[serde(default)]
    pub port: Option<i32>,
    /// `protocol` (`microsoft.graph.security.containerPortProtocol`).
    #[serde(default)]
    pub protocol: Option<OpenEnum<ContainerPortProtocol>>,
    /// `targetPort` (`Edm.String`).
    #[serde(default)]
    pub target_port: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
