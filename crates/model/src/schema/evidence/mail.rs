//! Property tables of the messaging evidence.

use super::endpoint::FILE_EVIDENCE;
use super::network::URL_EVIDENCE;
use super::EMAIL_SENDER;
use crate::evidence::enums::{
    AntispamTeamsDirection, MailboxConfigurationType, TeamsDeliveryLocation,
    TeamsMessageDeliveryAction,
};
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.analyzedMessageEvidence`.
    ANALYZED_MESSAGE_EVIDENCE = "analyzedMessageEvidence" [
        Property::new("antiSpamDirection", PropType::String),
        Property::new("attachmentsCount", PropType::Int64),
        Property::new("deliveryAction", PropType::String),
        Property::new("deliveryLocation", PropType::String),
        Property::new("internetMessageId", PropType::String),
        Property::new("language", PropType::String),
        Property::new("networkMessageId", PropType::String),
        Property::new("p1Sender", PropType::Complex(&EMAIL_SENDER)),
        Property::new("p2Sender", PropType::Complex(&EMAIL_SENDER)),
        Property::new("receivedDateTime", PropType::DateTimeOffset),
        Property::new("recipientEmailAddress", PropType::String),
        Property::new("senderIp", PropType::String),
        Property::new("subject", PropType::String),
        Property::new("threatDetectionMethods", PropType::Collection(&PropType::String)),
        Property::new("threats", PropType::Collection(&PropType::String)),
        Property::new("urlCount", PropType::Int64),
        Property::new("urls", PropType::Collection(&PropType::String)),
        Property::new("urn", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.mailClusterEvidence`.
    MAIL_CLUSTER_EVIDENCE = "mailClusterEvidence" [
        Property::new("clusterBy", PropType::String),
        Property::new("clusterByValue", PropType::String),
        Property::new("emailCount", PropType::Int64),
        Property::new("networkMessageIds", PropType::Collection(&PropType::String)),
        Property::new("query", PropType::String),
        Property::new("urn", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.submissionMailEvidence`.
    SUBMISSION_MAIL_EVIDENCE = "submissionMailEvidence" [
        Property::new("networkMessageId", PropType::String),
        Property::new("recipient", PropType::String),
        Property::new("reportType", PropType::String),
        Property::new("sender", PropType::String),
        Property::new("senderIp", PropType::String),
        Property::new("subject", PropType::String),
        Property::new("submissionDateTime", PropType::DateTimeOffset),
        Property::new("submissionId", PropType::String),
        Property::new("submitter", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.mailboxConfigurationEvidence`.
    MAILBOX_CONFIGURATION_EVIDENCE = "mailboxConfigurationEvidence" [
        Property::new("configurationId", PropType::String),
        Property::new("configurationType", PropType::Enum(&MailboxConfigurationType::ODATA)),
        Property::new("displayName", PropType::String),
        Property::new("externalDirectoryObjectId", PropType::Guid),
        Property::new("mailboxPrimaryAddress", PropType::String),
        Property::new("upn", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.teamsMessageEvidence`.
    TEAMS_MESSAGE_EVIDENCE = "teamsMessageEvidence" [
        Property::new("campaignId", PropType::String),
        Property::new("channelId", PropType::String),
        Property::new("deliveryAction", PropType::Enum(&TeamsMessageDeliveryAction::ODATA)),
        Property::new("deliveryLocation", PropType::Enum(&TeamsDeliveryLocation::ODATA)),
        Property::new("files", PropType::Collection(&PropType::Complex(&FILE_EVIDENCE))),
        Property::new("groupId", PropType::String),
        Property::new("isExternal", PropType::Boolean),
        Property::new("isOwned", PropType::Boolean),
        Property::new("lastModifiedDateTime", PropType::DateTimeOffset),
        Property::new("messageDirection", PropType::Enum(&AntispamTeamsDirection::ODATA)),
        Property::new("messageId", PropType::String),
        Property::new("owningTenantId", PropType::Guid),
        Property::new("parentMessageId", PropType::String),
        Property::new("receivedDateTime", PropType::DateTimeOffset),
        Property::new("recipients", PropType::Collection(&PropType::String)),
        Property::new("senderFromAddress", PropType::String),
        Property::new("senderIP", PropType::String),
        Property::new("sourceAppName", PropType::String),
        Property::new("sourceId", PropType::String),
        Property::new("subject", PropType::String),
        Property::new("suspiciousRecipients", PropType::Collection(&PropType::String)),
        Property::new("threadId", PropType::String),
        Property::new("threadType", PropType::String),
        Property::new("urls", PropType::Collection(&PropType::Complex(&URL_EVIDENCE))),
    ]
}
