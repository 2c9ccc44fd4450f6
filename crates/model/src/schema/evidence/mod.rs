//! Property tables of `microsoft.graph.security.alertEvidence` and its subtypes.
//!
//! [`ALERT_EVIDENCE`] is polymorphic: its `derived` list names every subtype. Each subtype's table
//! lists the inherited base properties first and then the subtype's own, so that the same static
//! serves behind a type cast (`evidence/any(e: e/microsoft.graph.security.deviceEvidence/...)`)
//! and as the declared type of a nested property (`hostLogonSessionEvidence/host`), where the
//! inherited properties must resolve too.

use crate::enums::{EvidenceRemediationStatus, EvidenceRole, EvidenceVerdict};
use crate::evidence::enums::{ContainerPortProtocol, FileHashAlgorithm, VmCloudProvider};
use odata::schema::{ComplexType, PropType, Property};

/// Declares the table of one evidence subtype: the base properties, then `[own properties]`.
macro_rules! evidence_type {
    ($(#[$doc:meta])* $name:ident = $wire:literal [ $($prop:expr,)* ]) => {
        $(#[$doc])*
        pub static $name: odata::schema::ComplexType = odata::schema::ComplexType {
            name: concat!("microsoft.graph.security.", $wire),
            properties: &[
                Property::new("createdDateTime", PropType::DateTimeOffset),
                Property::new("detailedRoles", PropType::Collection(&PropType::String)),
                Property::new(
                    "remediationStatus",
                    PropType::Enum(&crate::enums::EvidenceRemediationStatus::ODATA),
                ),
                Property::new("remediationStatusDetails", PropType::String),
                Property::new(
                    "roles",
                    PropType::Collection(&PropType::Enum(&crate::enums::EvidenceRole::ODATA)),
                ),
                Property::new("tags", PropType::Collection(&PropType::String)),
                Property::new("verdict", PropType::Enum(&crate::enums::EvidenceVerdict::ODATA)),
                $($prop,)*
            ],
            derived: &[],
        };
    };
}

pub mod apps;
pub mod cloud;
pub mod container;
pub mod endpoint;
pub mod identity;
pub mod iot;
pub mod mail;
pub mod network;

/// `microsoft.graph.security.alertEvidence`: the base properties, and every subtype.
pub static ALERT_EVIDENCE: ComplexType = ComplexType {
    name: crate::evidence::BASE_TYPE,
    properties: &[
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("detailedRoles", PropType::Collection(&PropType::String)),
        Property::new(
            "remediationStatus",
            PropType::Enum(&EvidenceRemediationStatus::ODATA),
        ),
        Property::new("remediationStatusDetails", PropType::String),
        Property::new(
            "roles",
            PropType::Collection(&PropType::Enum(&EvidenceRole::ODATA)),
        ),
        Property::new("tags", PropType::Collection(&PropType::String)),
        Property::new("verdict", PropType::Enum(&EvidenceVerdict::ODATA)),
    ],
    derived: &[
        &endpoint::DEVICE_EVIDENCE,
        &endpoint::FILE_EVIDENCE,
        &endpoint::FILE_HASH_EVIDENCE,
        &endpoint::PROCESS_EVIDENCE,
        &endpoint::REGISTRY_KEY_EVIDENCE,
        &endpoint::REGISTRY_VALUE_EVIDENCE,
        &endpoint::MALWARE_EVIDENCE,
        &endpoint::HOST_LOGON_SESSION_EVIDENCE,
        &network::IP_EVIDENCE,
        &network::URL_EVIDENCE,
        &network::NETWORK_CONNECTION_EVIDENCE,
        &network::DNS_EVIDENCE,
        &network::NIC_EVIDENCE,
        &identity::USER_EVIDENCE,
        &identity::MAILBOX_EVIDENCE,
        &identity::SECURITY_GROUP_EVIDENCE,
        &identity::ACTIVE_DIRECTORY_DOMAIN_EVIDENCE,
        &identity::CLOUD_LOGON_SESSION_EVIDENCE,
        &identity::CLOUD_LOGON_REQUEST_EVIDENCE,
        &mail::ANALYZED_MESSAGE_EVIDENCE,
        &mail::MAIL_CLUSTER_EVIDENCE,
        &mail::SUBMISSION_MAIL_EVIDENCE,
        &mail::MAILBOX_CONFIGURATION_EVIDENCE,
        &mail::TEAMS_MESSAGE_EVIDENCE,
        &cloud::AZURE_RESOURCE_EVIDENCE,
        &cloud::AMAZON_RESOURCE_EVIDENCE,
        &cloud::GOOGLE_CLOUD_RESOURCE_EVIDENCE,
        &cloud::BLOB_CONTAINER_EVIDENCE,
        &cloud::BLOB_EVIDENCE,
        &cloud::SAS_TOKEN_EVIDENCE,
        &container::CONTAINER_EVIDENCE,
        &container::CONTAINER_IMAGE_EVIDENCE,
        &container::CONTAINER_REGISTRY_EVIDENCE,
        &container::KUBERNETES_CLUSTER_EVIDENCE,
        &container::KUBERNETES_CONTROLLER_EVIDENCE,
        &container::KUBERNETES_NAMESPACE_EVIDENCE,
        &container::KUBERNETES_POD_EVIDENCE,
        &container::KUBERNETES_SECRET_EVIDENCE,
        &container::KUBERNETES_SERVICE_ACCOUNT_EVIDENCE,
        &container::KUBERNETES_SERVICE_EVIDENCE,
        &apps::CLOUD_APPLICATION_EVIDENCE,
        &apps::OAUTH_APPLICATION_EVIDENCE,
        &apps::SERVICE_PRINCIPAL_EVIDENCE,
        &apps::GIT_HUB_ORGANIZATION_EVIDENCE,
        &apps::GIT_HUB_REPO_EVIDENCE,
        &apps::GIT_HUB_USER_EVIDENCE,
        &apps::AI_AGENT_EVIDENCE,
        &iot::IOT_DEVICE_EVIDENCE,
    ],
};

/// `microsoft.graph.security.fileDetails`.
pub static FILE_DETAILS: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileDetails",
    properties: &[
        Property::new("fileName", PropType::String),
        Property::new("filePath", PropType::String),
        Property::new("filePublisher", PropType::String),
        Property::new("fileSize", PropType::Int64),
        Property::new("issuer", PropType::String),
        Property::new("md5", PropType::String),
        Property::new("sha1", PropType::String),
        Property::new("sha256", PropType::String),
        Property::new("sha256Ac", PropType::String),
        Property::new("signer", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.userAccount`.
pub static USER_ACCOUNT: ComplexType = ComplexType {
    name: "microsoft.graph.security.userAccount",
    properties: &[
        Property::new("accountName", PropType::String),
        Property::new("activeDirectoryObjectGuid", PropType::Guid),
        Property::new("azureAdUserId", PropType::String),
        Property::new("displayName", PropType::String),
        Property::new("domainName", PropType::String),
        Property::new(
            "resourceAccessEvents",
            PropType::Collection(&PropType::Complex(&RESOURCE_ACCESS_EVENT)),
        ),
        Property::new("tenantId", PropType::String),
        Property::new("userPrincipalName", PropType::String),
        Property::new("userSid", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.resourceAccessEvent`.
pub static RESOURCE_ACCESS_EVENT: ComplexType = ComplexType {
    name: "microsoft.graph.security.resourceAccessEvent",
    properties: &[
        Property::new("accessDateTime", PropType::DateTimeOffset),
        Property::new("accountId", PropType::String),
        Property::new("ipAddress", PropType::String),
        Property::new("resourceIdentifier", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.loggedOnUser`.
pub static LOGGED_ON_USER: ComplexType = ComplexType {
    name: "microsoft.graph.security.loggedOnUser",
    properties: &[
        Property::new("accountName", PropType::String),
        Property::new("domainName", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.vmMetadata`.
pub static VM_METADATA: ComplexType = ComplexType {
    name: "microsoft.graph.security.vmMetadata",
    properties: &[
        Property::new("cloudProvider", PropType::Enum(&VmCloudProvider::ODATA)),
        Property::new("resourceId", PropType::String),
        Property::new("subscriptionId", PropType::String),
        Property::new("vmId", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.geoLocation`.
pub static GEO_LOCATION: ComplexType = ComplexType {
    name: "microsoft.graph.security.geoLocation",
    properties: &[
        Property::new("city", PropType::String),
        Property::new("countryName", PropType::String),
        Property::new("latitude", PropType::Double),
        Property::new("longitude", PropType::Double),
        Property::new("state", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.stream`.
pub static STREAM: ComplexType = ComplexType {
    name: "microsoft.graph.security.stream",
    properties: &[Property::new("name", PropType::String)],
    derived: &[],
};

/// `microsoft.graph.security.emailSender`.
pub static EMAIL_SENDER: ComplexType = ComplexType {
    name: "microsoft.graph.security.emailSender",
    properties: &[
        Property::new("displayName", PropType::String),
        Property::new("domainName", PropType::String),
        Property::new("emailAddress", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.fileHash`.
pub static FILE_HASH: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileHash",
    properties: &[
        Property::new("algorithm", PropType::Enum(&FileHashAlgorithm::ODATA)),
        Property::new("value", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.kubernetesServicePort`.
pub static KUBERNETES_SERVICE_PORT: ComplexType = ComplexType {
    name: "microsoft.graph.security.kubernetesServicePort",
    properties: &[
        Property::new("appProtocol", PropType::String),
        Property::new("name", PropType::String),
        Property::new("nodePort", PropType::Int32),
        Property::new("port", PropType::Int32),
        Property::new("protocol", PropType::Enum(&ContainerPortProtocol::ODATA)),
        Property::new("targetPort", PropType::String),
    ],
    derived: &[],
};
