//! Identity evidence: users, mailboxes, groups, domains and cloud logon sessions.

use crate::evidence::{details::Stream, details::UserAccount, EvidenceBase};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.userEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.userEvidence",
    rename_all = "camelCase"
)]
pub struct UserEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `stream` (`microsoft.graph.security.stream`).
    #[serde(default)]
    pub stream: Option<Stream>,
    /// `userAccount` (`microsoft.graph.security.userAccount`).
    #[serde(default)]
    pub user_account: Option<UserAccount>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.mailboxEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.mailboxEvidence",
    rename_all = "camelCase"
)]
pub struct MailboxEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `primaryAddress` (`Edm.String`).
    #[serde(default)]
    pub primary_address: Option<String>,
    /// `upn` (`Edm.String`).
    #[serde(default)]
    pub upn: Option<String>,
    /// `userAccount` (`microsoft.graph.security.userAccount`).
    #[serde(default)]
    pub user_account: Option<UserAccount>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.securityGroupEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.securityGroupEvidence",
    rename_all = "camelCase"
)]
pub struct SecurityGroupEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `activeDirectoryObjectGuid` (`Edm.Guid`).
    #[serde(default)]
    pub active_directory_object_guid: Option<String>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `distinguishedName` (`Edm.String`).
    #[serde(default)]
    pub distinguished_name: Option<String>,
    /// `friendlyName` (`Edm.String`).
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// `securityGroupId` (`Edm.String`).
    #[serde(default)]
    pub security_group_id: Option<String>,
    /// `sid` (`Edm.String`).
    #[serde(default)]
    pub sid: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.activeDirectoryDomainEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.activeDirectoryDomainEvidence",
    rename_all = "camelCase"
)]
pub struct ActiveDirectoryDomainEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `activeDirectoryDomainName` (`Edm.String`).
    #[serde(default)]
    pub active_directory_domain_name: Option<String>,
    /// `trustedDomains` (`Collection(microsoft.graph.security.activeDirectoryDomainEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub trusted_domains: Vec<ActiveDirectoryDomainEvidence>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.cloudLogonSessionEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.cloudLogonSessionEvidence",
    rename_all = "camelCase"
)]
pub struct CloudLogonSessionEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `account` (`microsoft.graph.security.userEvidence`).
    #[serde(default)]
    pub account: Option<Box<UserEvidence>>,
    /// `browser` (`Edm.String`).
    #[serde(default)]
    pub browser: Option<String>,
    /// `deviceName` (`Edm.String`).
    #[serde(default)]
    pub device_name: Option<String>,
    /// `operatingSystem` (`Edm.String`).
    #[serde(default)]
    pub operating_system: Option<String>,
    /// `previousLogonDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub previous_logon_date_time: Option<OffsetDateTime>,
    /// `protocol` (`Edm.String`).
    #[serde(default)]
    pub protocol: Option<String>,
    /// `sessionId` (`Edm.String`).
    #[serde(default)]
    pub session_id: Option<String>,
    /// `startUtcDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub start_utc_date_time: Option<OffsetDateTime>,
    /// `userAgent` (`Edm.String`).
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.cloudLogonRequestEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.cloudLogonRequestEvidence",
    rename_all = "camelCase"
)]
pub struct CloudLogonRequestEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `requestId` (`Edm.String`).
    #[serde(default)]
    pub request_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
