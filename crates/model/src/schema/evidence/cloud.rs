//! Property tables of the cloud resource evidence.

use super::FILE_HASH;
use crate::evidence::enums::GoogleCloudLocationType;
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.azureResourceEvidence`.
    AZURE_RESOURCE_EVIDENCE = "azureResourceEvidence" [
        Property::new("resourceId", PropType::String),
        Property::new("resourceName", PropType::String),
        Property::new("resourceType", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.amazonResourceEvidence`.
    AMAZON_RESOURCE_EVIDENCE = "amazonResourceEvidence" [
        Property::new("amazonAccountId", PropType::String),
        Property::new("amazonResourceId", PropType::String),
        Property::new("resourceName", PropType::String),
        Property::new("resourceType", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.googleCloudResourceEvidence`.
    GOOGLE_CLOUD_RESOURCE_EVIDENCE = "googleCloudResourceEvidence" [
        Property::new("fullResourceName", PropType::String),
        Property::new("location", PropType::String),
        Property::new("locationType", PropType::Enum(&GoogleCloudLocationType::ODATA)),
        Property::new("projectId", PropType::String),
        Property::new("projectNumber", PropType::Int64),
        Property::new("resourceName", PropType::String),
        Property::new("resourceType", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.blobContainerEvidence`.
    BLOB_CONTAINER_EVIDENCE = "blobContainerEvidence" [
        Property::new("name", PropType::String),
        Property::new("storageResource", PropType::Complex(&AZURE_RESOURCE_EVIDENCE)),
        Property::new("url", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.blobEvidence`.
    BLOB_EVIDENCE = "blobEvidence" [
        Property::new("blobContainer", PropType::Complex(&BLOB_CONTAINER_EVIDENCE)),
        Property::new("etag", PropType::String),
        Property::new("fileHashes", PropType::Collection(&PropType::Complex(&FILE_HASH))),
        Property::new("name", PropType::String),
        Property::new("url", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.sasTokenEvidence`.
    SAS_TOKEN_EVIDENCE = "sasTokenEvidence" [
        Property::new("allowedIpAddresses", PropType::String),
        Property::new("allowedResourceTypes", PropType::Collection(&PropType::String)),
        Property::new("allowedServices", PropType::Collection(&PropType::String)),
        Property::new("expiryDateTime", PropType::DateTimeOffset),
        Property::new("permissions", PropType::Collection(&PropType::String)),
        Property::new("protocol", PropType::String),
        Property::new("signatureHash", PropType::String),
        Property::new("signedWith", PropType::String),
        Property::new("startDateTime", PropType::DateTimeOffset),
        Property::new("storageResource", PropType::Complex(&AZURE_RESOURCE_EVIDENCE)),
    ]
}
