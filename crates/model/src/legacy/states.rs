//! The legacy sub-records that describe what an alert touched: hosts, users, files, processes, network connections and registry keys.

use crate::legacy::enums::{
    ConnectionDirection, ConnectionStatus, EmailRole, FileHashType, LogonType,
    ProcessIntegrityLevel, RegistryHive, RegistryOperation, RegistryValueType,
    SecurityNetworkProtocol, UserAccountSecurityType,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.fileHash`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileHash {
    /// `hashType` (`microsoft.graph.fileHashType`).
    #[serde(default)]
    pub hash_type: Option<OpenEnum<FileHashType>>,
    /// `hashValue` (`Edm.String`).
    #[serde(default)]
    pub hash_value: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.fileSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSecurityState {
    /// `fileHash` (`microsoft.graph.fileHash`).
    #[serde(default)]
    pub file_hash: Option<FileHash>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `path` (`Edm.String`).
    #[serde(default)]
    pub path: Option<String>,
    /// `riskScore` (`Edm.String`).
    #[serde(default)]
    pub risk_score: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.hostSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostSecurityState {
    /// `fqdn` (`Edm.String`).
    #[serde(default)]
    pub fqdn: Option<String>,
    /// `isAzureAdJoined` (`Edm.Boolean`).
    #[serde(default)]
    pub is_azure_ad_joined: Option<bool>,
    /// `isAzureAdRegistered` (`Edm.Boolean`).
    #[serde(default)]
    pub is_azure_ad_registered: Option<bool>,
    /// `isHybridAzureDomainJoined` (`Edm.Boolean`).
    #[serde(default)]
    pub is_hybrid_azure_domain_joined: Option<bool>,
    /// `netBiosName` (`Edm.String`).
    #[serde(default)]
    pub net_bios_name: Option<String>,
    /// `os` (`Edm.String`).
    #[serde(default)]
    pub os: Option<String>,
    /// `privateIpAddress` (`Edm.String`).
    #[serde(default)]
    pub private_ip_address: Option<String>,
    /// `publicIpAddress` (`Edm.String`).
    #[serde(default)]
    pub public_ip_address: Option<String>,
    /// `riskScore` (`Edm.String`).
    #[serde(default)]
    pub risk_score: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.networkConnection`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConnection {
    /// `applicationName` (`Edm.String`).
    #[serde(default)]
    pub application_name: Option<String>,
    /// `destinationAddress` (`Edm.String`).
    #[serde(default)]
    pub destination_address: Option<String>,
    /// `destinationDomain` (`Edm.String`).
    #[serde(default)]
    pub destination_domain: Option<String>,
    /// `destinationLocation` (`Edm.String`).
    #[serde(default)]
    pub destination_location: Option<String>,
    /// `destinationPort` (`Edm.String`).
    #[serde(default)]
    pub destination_port: Option<String>,
    /// `destinationUrl` (`Edm.String`).
    #[serde(default)]
    pub destination_url: Option<String>,
    /// `direction` (`microsoft.graph.connectionDirection`).
    #[serde(default)]
    pub direction: Option<OpenEnum<ConnectionDirection>>,
    /// `domainRegisteredDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub domain_registered_date_time: Option<OffsetDateTime>,
    /// `localDnsName` (`Edm.String`).
    #[serde(default)]
    pub local_dns_name: Option<String>,
    /// `natDestinationAddress` (`Edm.String`).
    #[serde(default)]
    pub nat_destination_address: Option<String>,
    /// `natDestinationPort` (`Edm.String`).
    #[serde(default)]
    pub nat_destination_port: Option<String>,
    /// `natSourceAddress` (`Edm.String`).
    #[serde(default)]
    pub nat_source_address: Option<String>,
    /// `natSourcePort` (`Edm.String`).
    #[serde(default)]
    pub nat_source_port: Option<String>,
    /// `protocol` (`microsoft.graph.securityNetworkProtocol`).
    #[serde(default)]
    pub protocol: Option<OpenEnum<SecurityNetworkProtocol>>,
    /// `riskScore` (`Edm.String`).
    #[serde(default)]
    pub risk_score: Option<String>,
    /// `sourceAddress` (`Edm.String`).
    #[serde(default)]
    pub source_address: Option<String>,
    /// `sourceLocation` (`Edm.String`).
    #[serde(default)]
    pub source_location: Option<String>,
    /// `sourcePort` (`Edm.String`).
    #[serde(default)]
    pub source_port: Option<String>,
    /// `status` (`microsoft.graph.connectionStatus`).
    #[serde(default)]
    pub status: Option<OpenEnum<ConnectionStatus>>,
    /// `urlParameters` (`Edm.String`).
    #[serde(default)]
    pub url_parameters: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.process`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Process {
    /// `accountName` (`Edm.String`).
    #[serde(default)]
    pub account_name: Option<String>,
    /// `commandLine` (`Edm.String`).
    #[serde(default)]
    pub command_line: Option<String>,
    /// `createdDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub created_date_time: Option<OffsetDateTime>,
    /// `fileHash` (`microsoft.graph.fileHash`).
    #[serde(default)]
    pub file_hash: Option<FileHash>,
    /// `integrityLevel` (`microsoft.graph.processIntegrityLevel`).
    #[serde(default)]
    pub integrity_level: Option<OpenEnum<ProcessIntegrityLevel>>,
    /// `isElevated` (`Edm.Boolean`).
    #[serde(default)]
    pub is_elevated: Option<bool>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `parentProcessCreatedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub parent_process_created_date_time: Option<OffsetDateTime>,
    /// `parentProcessId` (`Edm.Int32`).
    #[serde(default)]
    pub parent_process_id: Option<i32>,
    /// `parentProcessName` (`Edm.String`).
    #[serde(default)]
    pub parent_process_name: Option<String>,
    /// `path` (`Edm.String`).
    #[serde(default)]
    pub path: Option<String>,
    /// `processId` (`Edm.Int32`).
    #[serde(default)]
    pub process_id: Option<i32>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.registryKeyState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryKeyState {
    /// `hive` (`microsoft.graph.registryHive`).
    #[serde(default)]
    pub hive: Option<OpenEnum<RegistryHive>>,
    /// `key` (`Edm.String`).
    #[serde(default)]
    pub key: Option<String>,
    /// `oldKey` (`Edm.String`).
    #[serde(default)]
    pub old_key: Option<String>,
    /// `oldValueData` (`Edm.String`).
    #[serde(default)]
    pub old_value_data: Option<String>,
    /// `oldValueName` (`Edm.String`).
    #[serde(default)]
    pub old_value_name: Option<String>,
    /// `operation` (`microsoft.graph.registryOperation`).
    #[serde(default)]
    pub operation: Option<OpenEnum<RegistryOperation>>,
    /// `processId` (`Edm.Int32`).
    #[serde(default)]
    pub process_id: Option<i32>,
    /// `valueData` (`Edm.String`).
    #[serde(default)]
    pub value_data: Option<String>,
    /// `valueName` (`Edm.String`).
    #[serde(default)]
    pub value_name: Option<String>,
    /// `valueType` (`microsoft.graph.registryValueType`).
    #[serde(default)]
    pub value_type: Option<OpenEnum<RegistryValueType>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.userSecurityState`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSecurityState {
    /// `aadUserId` (`Edm.String`).
    #[serde(default)]
    pub aad_user_id: Option<String>,
    /// `accountName` (`Edm.String`).
    #[serde(default)]
    pub account_name: Option<String>,
    /// `domainName` (`Edm.String`).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// `emailRole` (`microsoft.graph.emailRole`).
    #[serde(default)]
    pub email_role: Option<OpenEnum<EmailRole>>,
    /// `isVpn` (`Edm.Boolean`).
    #[serde(default)]
    pub is_vpn: Option<bool>,
    /// `logonDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub logon_date_time: Option<OffsetDateTime>,
    /// `logonId` (`Edm.String`).
    #[serde(default)]
    pub logon_id: Option<String>,
    /// `logonIp` (`Edm.String`).
    #[serde(default)]
    pub logon_ip: Option<String>,
    /// `logonLocation` (`Edm.String`).
    #[serde(default)]
    pub logon_location: Option<String>,
    /// `logonType` (`microsoft.graph.logonType`).
    #[serde(default)]
    pub logon_type: Option<OpenEnum<LogonType>>,
    /// `onPremisesSecurityIdentifier` (`Edm.String`).
    #[serde(default)]
    pub on_premises_security_identifier: Option<String>,
    /// `riskScore` (`Edm.String`).
    #[serde(default)]
    pub risk_score: Option<String>,
    /// `userAccountType` (`microsoft.graph.userAccountSecurityType`).
    #[serde(default)]
    pub user_account_type: Option<OpenEnum<UserAccountSecurityType>>,
    /// `userPrincipalName` (`Edm.String`).
    #[serde(default)]
    pub user_principal_name: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
