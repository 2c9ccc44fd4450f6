//! Property tables of the identity evidence.

use super::{STREAM, USER_ACCOUNT};
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.userEvidence`.
    USER_EVIDENCE = "userEvidence" [
        Property::new("stream", PropType::Complex(&STREAM)),
        Property::new("userAccount", PropType::Complex(&USER_ACCOUNT)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.mailboxEvidence`.
    MAILBOX_EVIDENCE = "mailboxEvidence" [
        Property::new("displayName", PropType::String),
        Property::new("primaryAddress", PropType::String),
        Property::new("upn", PropType::String),
        Property::new("userAccount", PropType::Complex(&USER_ACCOUNT)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.securityGroupEvidence`.
    SECURITY_GROUP_EVIDENCE = "securityGroupEvidence" [
        Property::new("activeDirectoryObjectGuid", PropType::Guid),
        Property::new("displayName", PropType::String),
        Property::new("distinguishedName", PropType::String),
        Property::new("friendlyName", PropType::String),
        Property::new("securityGroupId", PropType::String),
        Property::new("sid", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.activeDirectoryDomainEvidence`.
    ACTIVE_DIRECTORY_DOMAIN_EVIDENCE = "activeDirectoryDomainEvidence" [
        Property::new("activeDirectoryDomainName", PropType::String),
        Property::new("trustedDomains", PropType::Collection(&PropType::Complex(&ACTIVE_DIRECTORY_DOMAIN_EVIDENCE))),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.cloudLogonSessionEvidence`.
    CLOUD_LOGON_SESSION_EVIDENCE = "cloudLogonSessionEvidence" [
        Property::new("account", PropType::Complex(&USER_EVIDENCE)),
        Property::new("browser", PropType::String),
        Property::new("deviceName", PropType::String),
        Property::new("operatingSystem", PropType::String),
        Property::new("previousLogonDateTime", PropType::DateTimeOffset),
        Property::new("protocol", PropType::String),
        Property::new("sessionId", PropType::String),
        Property::new("startUtcDateTime", PropType::DateTimeOffset),
        Property::new("userAgent", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.cloudLogonRequestEvidence`.
    CLOUD_LOGON_REQUEST_EVIDENCE = "cloudLogonRequestEvidence" [
        Property::new("requestId", PropType::String),
    ]
}
