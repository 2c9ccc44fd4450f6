//! Application evidence: cloud and OAuth applications, service principals, GitHub and AI agents.

use crate::evidence::{
    details::Stream,
    enums::{AiAgentPlatform, ServicePrincipalType},
    EvidenceBase,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `microsoft.graph.security.cloudApplicationEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.cloudApplicationEvidence",
    rename_all = "camelCase"
)]
pub struct CloudApplicationEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `appId` (`Edm.Int64`).
    #[serde(default)]
    pub app_id: Option<i64>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `instanceId` (`Edm.Int64`).
    #[serde(default)]
    pub instance_id: Option<i64>,
    /// `instanceName` (`Edm.String`).
    #[serde(default)]
    pub instance_name: Option<String>,
    /// `saasAppId` (`Edm.Int64`).
    #[serde(default)]
    pub saas_app_id: Option<i64>,
    /// `stream` (`microsoft.graph.security.stream`).
    #[serde(default)]
    pub stream: Option<Stream>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.oauthApplicationEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.oauthApplicationEvidence",
    rename_all = "camelCase"
)]
pub struct OauthApplicationEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `appId` (`Edm.String`).
    #[serde(default)]
    pub app_id: Option<String>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `objectId` (`Edm.String`).
    #[serde(default)]
    pub object_id: Option<String>,
    /// `publisher` (`Edm.String`).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.servicePrincipalEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.servicePrincipalEvidence",
    rename_all = "camelCase"
)]
pub struct ServicePrincipalEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `appId` (`Edm.String`).
    #[serde(default)]
    pub app_id: Option<String>,
    /// `appOwnerTenantId` (`Edm.String`).
    #[serde(default)]
    pub app_owner_tenant_id: Option<String>,
    /// `servicePrincipalName` (`Edm.String`).
    #[serde(default)]
    pub service_principal_name: Option<String>,
    /// `servicePrincipalObjectId` (`Edm.String`).
    #[serde(default)]
    pub service_principal_object_id: Option<String>,
    /// `servicePrincipalType` (`microsoft.graph.security.servicePrincipalType`).
    #[serde(default)]
    pub service_principal_type: Option<OpenEnum<ServicePrincipalType>>,
    /// `tenantId` (`Edm.String`).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.gitHubOrganizationEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.gitHubOrganizationEvidence",
    rename_all = "camelCase"
)]
pub struct GitHubOrganizationEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `company` (`Edm.String`).
    #[serde(default)]
    pub company: Option<String>,
    /// `displayName` (`Edm.String`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `email` (`Edm.String`).
    #[serde(default)]
    pub email: Option<String>,
    /// `login` (`Edm.String`).
    #[serde(default)]
    pub login: Option<String>,
    /// `orgId` (`Edm.String`).
    #[serde(default)]
    pub org_id: Option<String>,
    /// `webUrl` (`Edm.String`).
    #[serde(default)]
    pub web_url: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.gitHubRepoEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.gitHubRepoEvidence",
    rename_all = "camelCase"
)]
pub struct GitHubRepoEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `baseUrl` (`Edm.String`).
    #[serde(default)]
    pub base_url: Option<String>,
    /// `login` (`Edm.String`).
    #[serde(default)]
    pub login: Option<String>,
    /// `owner` (`Edm.String`).
    #[serde(default)]
    pub owner: Option<String>,
    /// `ownerType` (`Edm.String`).
    #[serde(default)]
    pub owner_type: Option<String>,
    /// `repoId` (`Edm.String`).
    #[serde(default)]
    pub repo_id: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.gitHubUserEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.gitHubUserEvidence",
    rename_all = "camelCase"
)]
pub struct GitHubUserEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `email` (`Edm.String`).
    #[serde(default)]
    pub email: Option<String>,
    /// `login` (`Edm.String`).
    #[serde(default)]
    pub login: Option<String>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `userId` (`Edm.String`).
    #[serde(default)]
    pub user_id: Option<String>,
    /// `webUrl` (`Edm.String`).
    #[serde(default)]
    pub web_url: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.aiAgentEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.aiAgentEvidence",
    rename_all = "camelCase"
)]
pub struct AiAgentEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `agentId` (`Edm.String`).
    #[serde(default)]
    pub agent_id: Option<String>,
    /// `agentName` (`Edm.String`).
    #[serde(default)]
    pub agent_name: Option<String>,
    /// `hostingPlatformType` (`microsoft.graph.security.aiAgentPlatform`).
    #[serde(default)]
    pub hosting_platform_type: Option<OpenEnum<AiAgentPlatform>>,
    /// `instructions` (`Edm.String`).
    #[serde(default)]
    pub instructions: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
