//! Cloud resource evidence: Azure, AWS and Google Cloud resources and Azure Storage.

use crate::evidence::{details::FileHash, enums::GoogleCloudLocationType, EvidenceBase};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// `microsoft.graph.security.azureResourceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.azureResourceEvidence",
    rename_all = "camelCase"
)]
pub struct AzureResourceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `resourceId` (`Edm.String`).
    #[serde(default)]
    pub resource_id: Option<String>,
    /// `resourceName` (`Edm.String`).
    #[serde(default)]
    pub resource_name: Option<String>,
    /// `resourceType` (`Edm.String`).
    #[serde(default)]
    pub resource_type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.amazonResourceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.amazonResourceEvidence",
    rename_all = "camelCase"
)]
pub struct AmazonResourceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `amazonAccountId` (`Edm.String`).
    #[serde(default)]
    pub amazon_account_id: Option<String>,
    /// `amazonResourceId` (`Edm.String`).
    #[serde(default)]
    pub amazon_resource_id: Option<String>,
    /// `resourceName` (`Edm.String`).
    #[serde(default)]
    pub resource_name: Option<String>,
    /// `resourceType` (`Edm.String`).
    #[serde(default)]
    pub resource_type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.googleCloudResourceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.googleCloudResourceEvidence",
    rename_all = "camelCase"
)]
pub struct GoogleCloudResourceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `fullResourceName` (`Edm.String`).
    #[serde(default)]
    pub full_resource_name: Option<String>,
    /// `location` (`Edm.String`).
    #[serde(default)]
    pub location: Option<String>,
    /// `locationType` (`microsoft.graph.security.googleCloudLocationType`).
    #[serde(default)]
    pub location_type: Option<OpenEnum<GoogleCloudLocationType>>,
    /// `projectId` (`Edm.String`).
    #[serde(default)]
    pub project_id: Option<String>,
    /// `projectNumber` (`Edm.Int64`).
    #[serde(default)]
    pub project_number: Option<i64>,
    /// `resourceName` (`Edm.String`).
    #[serde(default)]
    pub resource_name: Option<String>,
    /// `resourceType` (`Edm.String`).
    #[serde(default)]
    pub resource_type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.blobContainerEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.blobContainerEvidence",
    rename_all = "camelCase"
)]
pub struct BlobContainerEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `storageResource` (`microsoft.graph.security.azureResourceEvidence`).
    #[serde(default)]
    pub storage_resource: Option<Box<AzureResourceEvidence>>,
    /// `url` (`Edm.String`).
    #[serde(default)]
    pub url: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.blobEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.blobEvidence",
    rename_all = "camelCase"
)]
pub struct BlobEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `blobContainer` (`microsoft.graph.security.blobContainerEvidence`).
    #[serde(default)]
    pub blob_container: Option<Box<BlobContainerEvidence>>,
    /// `etag` (`Edm.String`).
    #[serde(default)]
    pub etag: Option<String>,
    /// `fileHashes` (`Collection(microsoft.graph.security.fileHash)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub file_hashes: Vec<FileHash>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `url` (`Edm.String`).
    #[serde(default)]
    pub url: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.sasTokenEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.sasTokenEvidence",
    rename_all = "camelCase"
)]
pub struct SasTokenEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `allowedIpAddresses` (`Edm.String`).
    #[serde(default)]
    pub allowed_ip_addresses: Option<String>,
    /// `allowedResourceTypes` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub allowed_resource_types: Vec<String>,
    /// `allowedServices` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub allowed_services: Vec<String>,
    /// `expiryDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub expiry_date_time: Option<OffsetDateTime>,
    /// `permissions` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub permissions: Vec<String>,
    /// `protocol` (`Edm.String`).
    #[serde(default)]
    pub protocol: Option<String>,
    /// `signatureHash` (`Edm.String`).
    #[serde(default)]
    pub signature_hash: Option<String>,
    /// `signedWith` (`Edm.String`).
    #[serde(default)]
    pub signed_with: Option<String>,
    /// `startDateTime` (`Edm.DateTimeOffset`).
    #[serde(default, with = "crate::datetime::optional")]
    pub start_date_time: Option<OffsetDateTime>,
    /// `storageResource` (`microsoft.graph.security.azureResourceEvidence`).
    #[serde(default)]
    pub storage_resource: Option<Box<AzureResourceEvidence>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
