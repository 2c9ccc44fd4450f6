//! A realistic test schema (shaped like `microsoft.graph.security.alert` with polymorphic evidence)
//! for this crate's tests, benchmark and fuzz target. Not part of the API: the real property tables
//! live in the `model` crate.
//!
//! Besides Graph's own properties it has a few made-up ones so that every type is covered:
//! `isTest` (Boolean), `riskScore` (Int32), `eventCount` (Int64), `confidence` (Double),
//! `correlationId` (Guid), `detectionFlags` (a flags enum) and `internalNotes` (not filterable,
//! not sortable).

use crate::schema::{ComplexType, EntitySchema, EnumType, PropType, Property};

/// `microsoft.graph.security.alertSeverity`.
pub static SEVERITY: EnumType = EnumType {
    name: "microsoft.graph.security.alertSeverity",
    members: &[
        "unknown",
        "informational",
        "low",
        "medium",
        "high",
        "unknownFutureValue",
    ],
    is_flags: false,
};

/// `microsoft.graph.security.alertStatus`.
pub static STATUS: EnumType = EnumType {
    name: "microsoft.graph.security.alertStatus",
    members: &[
        "unknown",
        "new",
        "inProgress",
        "resolved",
        "unknownFutureValue",
    ],
    is_flags: false,
};

/// `microsoft.graph.security.serviceSource` (evolvable members after `unknownFutureValue`).
pub static SERVICE_SOURCE: EnumType = EnumType {
    name: "microsoft.graph.security.serviceSource",
    members: &[
        "unknown",
        "microsoftDefenderForEndpoint",
        "microsoftDefenderForIdentity",
        "microsoftDefenderForCloudApps",
        "microsoftDefenderForOffice365",
        "microsoft365Defender",
        "azureAdIdentityProtection",
        "microsoftAppGovernance",
        "dataLossPrevention",
        "unknownFutureValue",
        "microsoftDefenderForCloud",
        "microsoftSentinel",
    ],
    is_flags: false,
};

/// A made-up flags enum.
pub static DETECTION_FLAGS: EnumType = EnumType {
    name: "test.detectionFlags",
    members: &["none", "automated", "manual", "correlated"],
    is_flags: true,
};

/// `microsoft.graph.security.evidenceRemediationStatus` (evolvable).
pub static REMEDIATION_STATUS: EnumType = EnumType {
    name: "microsoft.graph.security.evidenceRemediationStatus",
    members: &[
        "none",
        "remediated",
        "prevented",
        "blocked",
        "notFound",
        "unknownFutureValue",
        "active",
        "pendingApproval",
    ],
    is_flags: false,
};

/// `microsoft.graph.security.evidenceRole`.
pub static EVIDENCE_ROLE: EnumType = EnumType {
    name: "microsoft.graph.security.evidenceRole",
    members: &[
        "unknown",
        "contextual",
        "scanned",
        "source",
        "destination",
        "attacker",
        "unknownFutureValue",
    ],
    is_flags: false,
};

/// `microsoft.graph.security.evidenceVerdict`.
pub static VERDICT: EnumType = EnumType {
    name: "microsoft.graph.security.evidenceVerdict",
    members: &[
        "unknown",
        "suspicious",
        "malicious",
        "noThreatsFound",
        "unknownFutureValue",
    ],
    is_flags: false,
};

static ROLE_TY: PropType = PropType::Enum(&EVIDENCE_ROLE);

/// `microsoft.graph.security.userAccount`.
pub static USER_ACCOUNT: ComplexType = ComplexType {
    name: "microsoft.graph.security.userAccount",
    properties: &[
        Property::new("accountName", PropType::String),
        Property::new("activeDirectoryObjectGuid", PropType::Guid),
        Property::new("domainName", PropType::String),
        Property::new("userPrincipalName", PropType::String),
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
static LOGGED_ON_USER_TY: PropType = PropType::Complex(&LOGGED_ON_USER);

/// `microsoft.graph.security.fileDetails`.
pub static FILE_DETAILS: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileDetails",
    properties: &[
        Property::new("fileName", PropType::String),
        Property::new("filePath", PropType::String),
        Property::new("fileSize", PropType::Int64),
        Property::new("sha256", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.deviceEvidence`.
pub static DEVICE_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.deviceEvidence",
    properties: &[
        Property::new("deviceDnsName", PropType::String),
        Property::new("hostName", PropType::String),
        Property::new("ipInterfaces", PropType::Collection(&PropType::String)),
        Property::new("loggedOnUsers", PropType::Collection(&LOGGED_ON_USER_TY)),
        Property::new("osBuild", PropType::Int64),
        Property::new("rbacGroupId", PropType::Int32),
    ],
    derived: &[],
};

/// `microsoft.graph.security.fileEvidence`.
pub static FILE_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileEvidence",
    properties: &[
        Property::new("fileDetails", PropType::Complex(&FILE_DETAILS)),
        Property::new("mdeDeviceId", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.processEvidence`.
pub static PROCESS_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.processEvidence",
    properties: &[
        Property::new("imageFile", PropType::Complex(&FILE_DETAILS)),
        Property::new("processCommandLine", PropType::String),
        Property::new("processCreationDateTime", PropType::DateTimeOffset),
        Property::new("processId", PropType::Int64),
        Property::new("userAccount", PropType::Complex(&USER_ACCOUNT)),
    ],
    derived: &[],
};

/// `microsoft.graph.security.kubernetesPodEvidence` (for dictionaries below a lambda).
pub static POD_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.kubernetesPodEvidence",
    properties: &[
        Property::new("labels", PropType::Dictionary),
        Property::new("name", PropType::String),
    ],
    derived: &[],
};

/// `microsoft.graph.security.alertEvidence`, the polymorphic base.
pub static EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.alertEvidence",
    properties: &[
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("detailedRoles", PropType::Collection(&PropType::String)),
        Property::new("remediationStatus", PropType::Enum(&REMEDIATION_STATUS)),
        Property::new("remediationStatusDetails", PropType::String),
        Property::new("roles", PropType::Collection(&ROLE_TY)),
        Property::new("tags", PropType::Collection(&PropType::String)),
        Property::new("verdict", PropType::Enum(&VERDICT)),
    ],
    derived: &[
        &DEVICE_EVIDENCE,
        &FILE_EVIDENCE,
        &PROCESS_EVIDENCE,
        &POD_EVIDENCE,
    ],
};
static EVIDENCE_TY: PropType = PropType::Complex(&EVIDENCE);

/// `microsoft.graph.security.alertComment`.
pub static COMMENT: ComplexType = ComplexType {
    name: "microsoft.graph.security.alertComment",
    properties: &[
        Property::new("comment", PropType::String),
        Property::new("createdByDisplayName", PropType::String),
        Property::new("createdDateTime", PropType::DateTimeOffset),
    ],
    derived: &[],
};
static COMMENT_TY: PropType = PropType::Complex(&COMMENT);

/// `microsoft.graph.securityVendorInformation` (legacy alerts).
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

/// The alert entity.
pub static ALERT: EntitySchema = EntitySchema {
    name: "microsoft.graph.security.alert",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("additionalData", PropType::Dictionary),
        Property::new("assignedTo", PropType::String),
        Property::new("categories", PropType::Collection(&PropType::String)),
        Property::new("comments", PropType::Collection(&COMMENT_TY)),
        Property::new("confidence", PropType::Double),
        Property::new("correlationId", PropType::Guid),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("customDetails", PropType::Dictionary),
        Property::new("description", PropType::String),
        Property::new("detectionFlags", PropType::Enum(&DETECTION_FLAGS)),
        Property::new("eventCount", PropType::Int64),
        Property::new("evidence", PropType::Collection(&EVIDENCE_TY)),
        Property {
            name: "internalNotes",
            ty: PropType::String,
            filterable: false,
            sortable: false,
        },
        Property::new("isTest", PropType::Boolean),
        Property::new("lastUpdateDateTime", PropType::DateTimeOffset),
        Property::new("riskScore", PropType::Int32),
        Property::new("serviceSource", PropType::Enum(&SERVICE_SOURCE)),
        Property::new("severity", PropType::Enum(&SEVERITY)),
        Property::new("status", PropType::Enum(&STATUS)),
        Property::new("systemTags", PropType::Collection(&PropType::String)),
        Property::new("title", PropType::String),
        Property::new("vendorInformation", PropType::Complex(&VENDOR_INFORMATION)),
    ],
};

/// The schema the fuzz target binds against.
pub static FUZZ_SCHEMA: &EntitySchema = &ALERT;
