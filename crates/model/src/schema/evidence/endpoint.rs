//! Property tables of the evidence found on endpoints.

use super::identity::USER_EVIDENCE;
use super::{FILE_DETAILS, LOGGED_ON_USER, RESOURCE_ACCESS_EVENT, USER_ACCOUNT, VM_METADATA};
use crate::evidence::enums::{
    DefenderAvStatus, DetectionStatus, DeviceHealthStatus, DeviceRiskScore, FileHashAlgorithm,
    OnboardingStatus,
};
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.deviceEvidence`.
    DEVICE_EVIDENCE = "deviceEvidence" [
        Property::new("azureAdDeviceId", PropType::String),
        Property::new("defenderAvStatus", PropType::Enum(&DefenderAvStatus::ODATA)),
        Property::new("deviceDnsName", PropType::String),
        Property::new("dnsDomain", PropType::String),
        Property::new("firstSeenDateTime", PropType::DateTimeOffset),
        Property::new("healthStatus", PropType::Enum(&DeviceHealthStatus::ODATA)),
        Property::new("hostName", PropType::String),
        Property::new("ipInterfaces", PropType::Collection(&PropType::String)),
        Property::new("lastExternalIpAddress", PropType::String),
        Property::new("lastIpAddress", PropType::String),
        Property::new("loggedOnUsers", PropType::Collection(&PropType::Complex(&LOGGED_ON_USER))),
        Property::new("mdeDeviceId", PropType::String),
        Property::new("ntDomain", PropType::String),
        Property::new("onboardingStatus", PropType::Enum(&OnboardingStatus::ODATA)),
        Property::new("osBuild", PropType::Int64),
        Property::new("osPlatform", PropType::String),
        Property::new("rbacGroupId", PropType::Int32),
        Property::new("rbacGroupName", PropType::String),
        Property::new("resourceAccessEvents", PropType::Collection(&PropType::Complex(&RESOURCE_ACCESS_EVENT))),
        Property::new("riskScore", PropType::Enum(&DeviceRiskScore::ODATA)),
        Property::new("version", PropType::String),
        Property::new("vmMetadata", PropType::Complex(&VM_METADATA)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.fileEvidence`.
    FILE_EVIDENCE = "fileEvidence" [
        Property::new("detectionStatus", PropType::Enum(&DetectionStatus::ODATA)),
        Property::new("fileDetails", PropType::Complex(&FILE_DETAILS)),
        Property::new("mdeDeviceId", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.fileHashEvidence`.
    FILE_HASH_EVIDENCE = "fileHashEvidence" [
        Property::new("algorithm", PropType::Enum(&FileHashAlgorithm::ODATA)),
        Property::new("value", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.processEvidence`.
    PROCESS_EVIDENCE = "processEvidence" [
        Property::new("detectionStatus", PropType::Enum(&DetectionStatus::ODATA)),
        Property::new("imageFile", PropType::Complex(&FILE_DETAILS)),
        Property::new("mdeDeviceId", PropType::String),
        Property::new("parentProcessCreationDateTime", PropType::DateTimeOffset),
        Property::new("parentProcessId", PropType::Int64),
        Property::new("parentProcessImageFile", PropType::Complex(&FILE_DETAILS)),
        Property::new("processCommandLine", PropType::String),
        Property::new("processCreationDateTime", PropType::DateTimeOffset),
        Property::new("processId", PropType::Int64),
        Property::new("userAccount", PropType::Complex(&USER_ACCOUNT)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.registryKeyEvidence`.
    REGISTRY_KEY_EVIDENCE = "registryKeyEvidence" [
        Property::new("registryHive", PropType::String),
        Property::new("registryKey", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.registryValueEvidence`.
    REGISTRY_VALUE_EVIDENCE = "registryValueEvidence" [
        Property::new("mdeDeviceId", PropType::String),
        Property::new("registryHive", PropType::String),
        Property::new("registryKey", PropType::String),
        Property::new("registryValue", PropType::String),
        Property::new("registryValueName", PropType::String),
        Property::new("registryValueType", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.malwareEvidence`.
    MALWARE_EVIDENCE = "malwareEvidence" [
        Property::new("category", PropType::String),
        Property::new("files", PropType::Collection(&PropType::Complex(&FILE_EVIDENCE))),
        Property::new("name", PropType::String),
        Property::new("processes", PropType::Collection(&PropType::Complex(&PROCESS_EVIDENCE))),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.hostLogonSessionEvidence`.
    HOST_LOGON_SESSION_EVIDENCE = "hostLogonSessionEvidence" [
        Property::new("account", PropType::Complex(&USER_EVIDENCE)),
        Property::new("endUtcDateTime", PropType::DateTimeOffset),
        Property::new("host", PropType::Complex(&DEVICE_EVIDENCE)),
        Property::new("sessionId", PropType::String),
        Property::new("startUtcDateTime", PropType::DateTimeOffset),
    ]
}
