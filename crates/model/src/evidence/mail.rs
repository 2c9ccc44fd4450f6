//! Messaging evidence: e-mail messages, clusters, submissions, mailbox configuration and Teams messages.

use crate::evidence::{
    details::EmailSender,
    endpoint::FileEvidence,
    enums::{
        AntispamTeamsDirection, MailboxConfigurationType, TeamsDeliveryLocation,
        TeamsMessageDeliveryAction,
    },
    network::UrlEvidence,
    EvidenceBase,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.analyzedMessageEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.analyzedMessageEvidence",
    rename_all = "camelCase"
)]
pub struct AnalyzedMessageEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `antiSpamDirection` (`Edm.String`).
    #[serde(default)]
    pub anti_spam_direction: Option<String>,
    /// `attachmentsCount` (`Edm.Int64`).
    #[serde(default)]
    pub attachments_count: Option<i64>,
    /// `deliveryAction` (`Edm.String`).
    #[serde(default)]
    pub delivery_action: Option<String>,
    /// `deliveryLocation` (`Edm.String`).
    #[serde(default)]
    pub delivery_location: Option<String>,
    /// `internetMessageId` (`Edm.String`).
    #[serde(default)]
    pub internet_message_id: Option<String>,
    /// `language` (`Edm.String`).
    #[serde(default)]
    pub language: Option<String>,
    /// `networkMessageId` (`Edm.String`).
    #[serde(default)]
    pub network_message_id: Option<String>,
    /// `p1Sender` (`microsoft.graph.security.emailSender`).
    #[serde(default)]
    pub p1_sender: Option<EmailSender>,
    /// `p2Sender` (`microsoft.graph.security.emailSender`).
    #[serde(default)]
    pub p2_sender: Option<EmailSender>,
    /// `receivedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub received_date_time: Option<OffsetDateTime>,
    /// `recipientEmailAddress` (`Edm.String`).
    #[serde(default)]
    pub recipient_email_address: Option<String>,
    /// `senderIp` (`Edm.String`).
    #[serde(default)]
    pub sender_ip: Option<String>,
    /// `subject` (`Edm.String`).
    #[serde(default)]
    pub subject: Option<String>,
    /// `threatDetectionMethods` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub threat_detection_methods: Vec<String>,
    /// `threats` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub threats: Vec<String>,
    /// `urlCount` (`Edm.Int64`).
    #[serde(default)]
    pub url_count: Option<i64>,
    /// `urls` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub urls: Vec<String>,
    /// `urn` (`Edm.String`).
    #[serde(default)]
    pub urn: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.mailClusterEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.mailClusterEvidence",
    rename_all = "camelCase"
)]
pub struct MailClusterEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `clusterBy` (`Edm.String`).
    #[serde(default)]
    pub cluster_by: Option<String>,
    /// `clusterByValue` (`Edm.String`).
    #[serde(default)]
    pub cluster_by_value: Option<String>,
    /// `emailCount` (`Edm.Int64`).
    #[serde(default)]
    pub email_count: Option<i64>,
    /// `networkMessageIds` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub network_message_ids: Vec<String>,
    /// `query` (`Edm.String`).
    #[serde(default)]
    pub query: Option<String>,
    /// `urn` (`Edm.String`).
    #[serde(default)]
    pub urn: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.submissionMailEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.submissionMailEvidence",
    rename_all = "camelCase"
)]
pub struct SubmissionMailEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `networkMessageId` (`Edm.String`).
    #[serde(default)]
    pub network_message_id: Option<String>,
    /// `recipient` (`Edm.String`).
    #[serde(default)]
    pub recipient: Option<String>,
    /// `reportType` (`Edm.String`).
    #[serde(default)]
    pub report_type: Option<String>,
    /// `sender` (`Edm.String`).
    #[serde(default)]
    pub sender: Option<String>,
    /// `senderIp` (`Edm.String`).
    #[serde(default)]
    pub sender_ip: Option<String>,
    /// `subject` (`Edm.String`).
    #[serde(default)]
    pub subject: Option<String>,
    /// `submissionDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub submission_date_time: Option<OffsetDateTime>,
    /// `submissionId` (`Edm.String`).
    #[serde(default)]
    pub submission_id: Option<String>,
    /// `submitter` (`Edm.String`).
    #[serde(default)]
    pub submitter: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.mailboxConfigurationEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.mailboxConfigurationEvidence",
    rename_all = "camelCase"
)]
pub struct MailboxConfigurationEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `configurationId` (`Edm.String`).
    #[serde(default)]
    pub configuration_id: Option<String>,
    /// `configurationType` (`microsoft.graph.security.mailboxConfigurationType`).
    #[serde(default)]
    pub configuration_type: Option<OpenEnum<MailboxConfigurationType>>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `externalDirectoryObjectId` (`Edm.Guid`).
    #[serde(default)]
    pub external_directory_object_id: Option<String>,
    /// `mailboxPrimaryAddress` (`Edm.String`).
    #[serde(default)]
    pub mailbox_primary_address: Option<String>,
    /// `upn` (`Edm.String`).
    #[serde(default)]
    pub upn: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.teamsMessageEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.teamsMessageEvidence",
    rename_all = "camelCase"
)]
pub struct TeamsMessageEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `campaignId` (`Edm.String`).
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// `channelId` (`Edm.String`).
    #[serde(default)]
    pub channel_id: Option<String>,
    /// `deliveryAction` (`microsoft.graph.security.teamsMessageDeliveryAction`).
    #[serde(default)]
    pub delivery_action: Option<OpenEnum<TeamsMessageDeliveryAction>>,
    /// `deliveryLocation` (`microsoft.graph.security.teamsDeliveryLocation`).
    #[serde(default)]
    pub delivery_location: Option<OpenEnum<TeamsDeliveryLocation>>,
    /// `files` (`Collection(microsoft.graph.security.fileEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub files: Vec<FileEvidence>,
    /// `groupId` (`Edm.String`).
    #[serde(default)]
    pub group_id: Option<String>,
    /// `isExternal` (`Edm.Boolean`).
    #[serde(default)]
    pub is_external: Option<bool>,
    /// `isOwned` (`Edm.Boolean`).
    #[serde(default)]
    pub is_owned: Option<bool>,
    /// `lastModifiedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub last_modified_date_time: Option<OffsetDateTime>,
    /// `messageDirection` (`microsoft.graph.security.antispamTeamsDirection`).
    #[serde(default)]
    pub message_direction: Option<OpenEnum<AntispamTeamsDirection>>,
    /// `messageId` (`Edm.String`).
    #[serde(default)]
    pub message_id: Option<String>,
    /// `owningTenantId` (`Edm.Guid`).
    #[serde(default)]
    pub owning_tenant_id: Option<String>,
    /// `parentMessageId` (`Edm.String`).
    #[serde(default)]
    pub parent_message_id: Option<String>,
    /// `receivedDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub received_date_time: Option<OffsetDateTime>,
    /// `recipients` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub recipients: Vec<String>,
    /// `senderFromAddress` (`Edm.String`).
    #[serde(default)]
    pub sender_from_address: Option<String>,
    /// `senderIP` (`Edm.String`).
    #[serde(default, rename = "senderIP")]
    pub sender_ip: Option<String>,
    /// `sourceAppName` (`Edm.String`).
    #[serde(default)]
    pub source_app_name: Option<String>,
    /// `sourceId` (`Edm.String`).
    #[serde(default)]
    pub source_id: Option<String>,
    /// `subject` (`Edm.String`).
    #[serde(default)]
    pub subject: Option<String>,
    /// `suspiciousRecipients` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub suspicious_recipients: Vec<String>,
    /// `threadId` (`Edm.String`).
    #[serde(default)]
    pub thread_id: Option<String>,
    /// `threadType` (`Edm.String`).
    #[serde(default)]
    pub thread_type: Option<String>,
    /// `urls` (`Collection(microsoft.graph.security.urlEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub urls: Vec<UrlEvidence>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
