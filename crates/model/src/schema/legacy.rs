//! Property tables of the legacy `microsoft.graph.alert` and its sub-records.

use crate::legacy::enums::*;
use odata::schema::{ComplexType, EntitySchema, PropType, Property};

/// `microsoft.graph.alert` (`/security/alerts`).
pub static LEGACY_ALERT: EntitySchema = EntitySchema {
    name: "microsoft.graph.alert",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("activityGroupName", PropType::String),
        Property::new(
            "alertDetections",
            PropType::Collection(&PropType::Complex(&ALERT_DETECTION)),
        ),
        Property::new("assignedTo", PropType::String),
        Property::new("azureSubscriptionId", PropType::String),
        Property::new("azureTenantId", PropType::String),
        Property::new("category", PropType::String),
        Property::new("closedDateTime", PropType::DateTimeOffset),
        Property::new(
            "cloudAppStates",
            PropType::Collection(&PropType::Complex(&CLOUD_APP_SECURITY_STATE)),
        ),
        Property::new("comments", PropType::Collection(&PropType::String)),
        Property::new("confidence", PropType::Int32),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("description", PropType::String),
        Property::new("detectionIds", PropType::Collection(&PropType::String)),
        Property::new("eventDateTime", PropType::DateTimeOffset),
        Property::new("feedback", PropType::Enum(&AlertFeedback::ODATA)),
        Property::new(
            "fileStates",
            PropType::Collection(&PropType::Complex(&FILE_SECURITY_STATE)),
        ),
        Property::new(
            "historyStates",
            PropType::Collection(&PropType::Complex(&ALERT_HISTORY_STATE)),
        ),
        Property::new(
            "hostStates",
            PropType::Collection(&PropType::Complex(&HOST_SECURITY_STATE)),
        ),
        Property::new("incidentIds", PropType::Collection(&PropType::String)),
        Property::new(
            "investigationSecurityStates",
            PropType::Collection(&PropType::Complex(&INVESTIGATION_SECURITY_STATE)),
        ),
        Property::new("lastEventDateTime", PropType::DateTimeOffset),
        Property::new("lastModifiedDateTime", PropType::DateTimeOffset),
        Property::new(
            "malwareStates",
            PropType::Collection(&PropType::Complex(&MALWARE_STATE)),
        ),
        Property::new(
            "messageSecurityStates",
            PropType::Collection(&PropType::Complex(&MESSAGE_SECURITY_STATE)),
        ),
        Property::new(
            "networkConnections",
            PropType::Collection(&PropType::Complex(&NETWORK_CONNECTION)),
        ),
        Property::new(
            "processes",
            PropType::Collection(&PropType::Complex(&PROCESS)),
        ),
        Property::new(
            "recommendedActions",
            PropType::Collection(&PropType::String),
        ),
        Property::new(
            "registryKeyStates",
            PropType::Collection(&PropType::Complex(&REGISTRY_KEY_STATE)),
        ),
        Property::new(
            "securityResources",
            PropType::Collection(&PropType::Complex(&SECURITY_RESOURCE)),
        ),
        Property::new("severity", PropType::Enum(&LegacyAlertSeverity::ODATA)),
        Property::new("sourceMaterials", PropType::Collection(&PropType::String)),
        Property::new("status", PropType::Enum(&LegacyAlertStatus::ODATA)),
        Property::new("tags", PropType::Collection(&PropType::String)),
        Property::new("title", PropType::String),
        Property::new(
            "triggers",
            PropType::Collection(&PropType::Complex(&ALERT_TRIGGER)),
        ),
        Property::new(
            "uriClickSecurityStates",
            PropType::Collection(&PropType::Complex(&URI_CLICK_SECURITY_STATE)),
        ),
        Property::new(
            "userStates",
            PropType::Collection(&PropType::Complex(&USER_SECURITY_STATE)),
        ),
        Property::new("vendorInformation", PropType::Complex(&VENDOR_INFORMATION)),
        Property::new(
            "vulnerabilityStates",
            PropType::Collection(&PropType::Complex(&VULNERABILITY_STATE)),
        ),
    ],
};

/// `microsoft.graph.alertDetection`.
pub static ALERT_DETECTION: ComplexType = ComplexType {
    name: "microsoft.graph.alertDetection",
    properties: &[
        Property::new("detectionType", PropType::String),
        Property::new("method", PropType::String),
        Property::new("name", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.alertHistoryState`.
pub static ALERT_HISTORY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.alertHistoryState",
    properties: &[
        Property::new("appId", PropType::String),
        Property::new("assignedTo", PropType::String),
        Property::new("comments", PropType::Collection(&PropType::String)),
        Property::new("feedback", PropType::Enum(&AlertFeedback::ODATA)),
        Property::new("status", PropType::Enum(&LegacyAlertStatus::ODATA)),
        Property::new("updatedDateTime", PropType::DateTimeOffset),
        Property::new("user", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.alertTrigger`.
pub static ALERT_TRIGGER: ComplexType = ComplexType {
    name: "microsoft.graph.alertTrigger",
    properties: &[
        Property::new("name", PropType::String),
        Property::new("type", PropType::String),
        Property::new("value", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.cloudAppSecurityState`.
pub static CLOUD_APP_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.cloudAppSecurityState",
    properties: &[
        Property::new("destinationServiceIp", PropType::String),
        Property::new("destinationServiceName", PropType::String),
        Property::new("riskScore", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.fileHash`.
pub static LEGACY_FILE_HASH: ComplexType = ComplexType {
    name: "microsoft.graph.fileHash",
    properties: &[
        Property::new("hashType", PropType::Enum(&FileHashType::ODATA)),
        Property::new("hashValue", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.fileSecurityState`.
pub static FILE_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.fileSecurityState",
    properties: &[
        Property::new("fileHash", PropType::Complex(&LEGACY_FILE_HASH)),
        Property::new("name", PropType::String),
        Property::new("path", PropType::String),
        Property::new("riskScore", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.hostSecurityState`.
pub static HOST_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.hostSecurityState",
    properties: &[
        Property::new("fqdn", PropType::String),
        Property::new("isAzureAdJoined", PropType::Boolean),
        Property::new("isAzureAdRegistered", PropType::Boolean),
        Property::new("isHybridAzureDomainJoined", PropType::Boolean),
        Property::new("netBiosName", PropType::String),
        Property::new("os", PropType::String),
        Property::new("privateIpAddress", PropType::String),
        Property::new("publicIpAddress", PropType::String),
        Property::new("riskScore", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.investigationSecurityState`.
pub static INVESTIGATION_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.investigationSecurityState",
    properties: &[
        Property::new("name", PropType::String),
        Property::new("status", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.malwareState`.
pub static MALWARE_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.malwareState",
    properties: &[
        Property::new("category", PropType::String),
        Property::new("family", PropType::String),
        Property::new("name", PropType::String),
        Property::new("severity", PropType::String),
        Property::new("wasRunning", PropType::Boolean),
    ],
    derived: &[],
};

/// `microsoft.graph.messageSecurityState`.
pub static MESSAGE_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.messageSecurityState",
    properties: &[
        Property::new("connectingIP", PropType::String),
        Property::new("deliveryAction", PropType::String),
        Property::new("deliveryLocation", PropType::String),
        Property::new("directionality", PropType::String),
        Property::new("internetMessageId", PropType::String),
        Property::new("messageFingerprint", PropType::String),
        Property::new("messageReceivedDateTime", PropType::DateTimeOffset),
        Property::new("messageSubject", PropType::String),
        Property::new("networkMessageId", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.networkConnection`.
pub static NETWORK_CONNECTION: ComplexType = ComplexType {
    name: "microsoft.graph.networkConnection",
    properties: &[
        Property::new("applicationName", PropType::String),
        Property::new("destinationAddress", PropType::String),
        Property::new("destinationDomain", PropType::String),
        Property::new("destinationLocation", PropType::String),
        Property::new("destinationPort", PropType::String),
        Property::new("destinationUrl", PropType::String),
        Property::new("direction", PropType::Enum(&ConnectionDirection::ODATA)),
        Property::new("domainRegisteredDateTime", PropType::DateTimeOffset),
        Property::new("localDnsName", PropType::String),
        Property::new("natDestinationAddress", PropType::String),
        Property::new("natDestinationPort", PropType::String),
        Property::new("natSourceAddress", PropType::String),
        Property::new("natSourcePort", PropType::String),
        Property::new("protocol", PropType::Enum(&SecurityNetworkProtocol::ODATA)),
        Property::new("riskScore", PropType::String),
        Property::new("sourceAddress", PropType::String),
        Property::new("sourceLocation", PropType::String),
        Property::new("sourcePort", PropType::String),
        Property::new("status", PropType::Enum(&ConnectionStatus::ODATA)),
        Property::new("urlParameters", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.process`.
pub static PROCESS: ComplexType = ComplexType {
    name: "microsoft.graph.process",
    properties: &[
        Property::new("accountName", PropType::String),
        Property::new("commandLine", PropType::String),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("fileHash", PropType::Complex(&LEGACY_FILE_HASH)),
        Property::new(
            "integrityLevel",
            PropType::Enum(&ProcessIntegrityLevel::ODATA),
        ),
        Property::new("isElevated", PropType::Boolean),
        Property::new("name", PropType::String),
        Property::new("parentProcessCreatedDateTime", PropType::DateTimeOffset),
        Property::new("parentProcessId", PropType::Int32),
        Property::new("parentProcessName", PropType::String),
        Property::new("path", PropType::String),
        Property::new("processId", PropType::Int32),
    ],
    derived: &[],
};

/// `microsoft.graph.registryKeyState`.
pub static REGISTRY_KEY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.registryKeyState",
    properties: &[
        Property::new("hive", PropType::Enum(&RegistryHive::ODATA)),
        Property::new("key", PropType::String),
        Property::new("oldKey", PropType::String),
        Property::new("oldValueData", PropType::String),
        Property::new("oldValueName", PropType::String),
        Property::new("operation", PropType::Enum(&RegistryOperation::ODATA)),
        Property::new("processId", PropType::Int32),
        Property::new("valueData", PropType::String),
        Property::new("valueName", PropType::String),
        Property::new("valueType", PropType::Enum(&RegistryValueType::ODATA)),
    ],
    derived: &[],
};

/// `microsoft.graph.securityResource`.
pub static SECURITY_RESOURCE: ComplexType = ComplexType {
    name: "microsoft.graph.securityResource",
    properties: &[
        Property::new("resource", PropType::String),
        Property::new("resourceType", PropType::Enum(&SecurityResourceType::ODATA)),
    ],
    derived: &[],
};

/// `microsoft.graph.securityVendorInformation`.
pub static VENDOR_INFORMATION: ComplexType = ComplexType {
    name: "microsoft.graph.securityVendorInformation",
    properties: &[
        Property::new("provider", PropType::String),
        Property::new("providerVersion", PropType::String),
        Property::new("subProvider", PropType::String),
        Property::new("vendor", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.uriClickSecurityState`.
pub static URI_CLICK_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.uriClickSecurityState",
    properties: &[
        Property::new("clickAction", PropType::String),
        Property::new("clickDateTime", PropType::DateTimeOffset),
        Property::new("id", PropType::String),
        Property::new("sourceId", PropType::String),
        Property::new("uriDomain", PropType::String),
        Property::new("verdict", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.userSecurityState`.
pub static USER_SECURITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.userSecurityState",
    properties: &[
        Property::new("aadUserId", PropType::String),
        Property::new("accountName", PropType::String),
        Property::new("domainName", PropType::String),
        Property::new("emailRole", PropType::Enum(&EmailRole::ODATA)),
        Property::new("isVpn", PropType::Boolean),
        Property::new("logonDateTime", PropType::DateTimeOffset),
        Property::new("logonId", PropType::String),
        Property::new("logonIp", PropType::String),
        Property::new("logonLocation", PropType::String),
        Property::new("logonType", PropType::Enum(&LogonType::ODATA)),
        Property::new("onPremisesSecurityIdentifier", PropType::String),
        Property::new("riskScore", PropType::String),
        Property::new(
            "userAccountType",
            PropType::Enum(&UserAccountSecurityType::ODATA),
        ),
        Property::new("userPrincipalName", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.vulnerabilityState`.
pub static VULNERABILITY_STATE: ComplexType = ComplexType {
    name: "microsoft.graph.vulnerabilityState",
    properties: &[
        Property::new("cve", PropType::String),
        Property::new("severity", PropType::String),
        Property::new("wasRunning", PropType::Boolean),
    ],
    derived: &[],
};
