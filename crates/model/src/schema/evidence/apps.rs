//! Property tables of the application evidence.

use super::STREAM;
use crate::evidence::enums::{AiAgentPlatform, ServicePrincipalType};
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.cloudApplicationEvidence`.
    CLOUD_APPLICATION_EVIDENCE = "cloudApplicationEvidence" [
        Property::new("appId", PropType::Int64),
        Property::new("displayName", PropType::String),
        Property::new("instanceId", PropType::Int64),
        Property::new("instanceName", PropType::String),
        Property::new("saasAppId", PropType::Int64),
        Property::new("stream", PropType::Complex(&STREAM)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.oauthApplicationEvidence`.
    OAUTH_APPLICATION_EVIDENCE = "oauthApplicationEvidence" [
        Property::new("appId", PropType::String),
        Property::new("displayName", PropType::String),
        Property::new("objectId", PropType::String),
        Property::new("publisher", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.servicePrincipalEvidence`.
    SERVICE_PRINCIPAL_EVIDENCE = "servicePrincipalEvidence" [
        Property::new("appId", PropType::String),
        Property::new("appOwnerTenantId", PropType::String),
        Property::new("servicePrincipalName", PropType::String),
        Property::new("servicePrincipalObjectId", PropType::String),
        Property::new("servicePrincipalType", PropType::Enum(&ServicePrincipalType::ODATA)),
        Property::new("tenantId", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.gitHubOrganizationEvidence`.
    GIT_HUB_ORGANIZATION_EVIDENCE = "gitHubOrganizationEvidence" [
        Property::new("company", PropType::String),
        Property::new("displayName", PropType::String),
        Property::new("email", PropType::String),
        Property::new("login", PropType::String),
        Property::new("orgId", PropType::String),
        Property::new("webUrl", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.gitHubRepoEvidence`.
    GIT_HUB_REPO_EVIDENCE = "gitHubRepoEvidence" [
        Property::new("baseUrl", PropType::String),
        Property::new("login", PropType::String),
        Property::new("owner", PropType::String),
        Property::new("ownerType", PropType::String),
        Property::new("repoId", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.gitHubUserEvidence`.
    GIT_HUB_USER_EVIDENCE = "gitHubUserEvidence" [
        Property::new("email", PropType::String),
        Property::new("login", PropType::String),
        Property::new("name", PropType::String),
        Property::new("userId", PropType::String),
        Property::new("webUrl", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.aiAgentEvidence`.
    AI_AGENT_EVIDENCE = "aiAgentEvidence" [
        Property::new("agentId", PropType::String),
        Property::new("agentName", PropType::String),
        Property::new("hostingPlatformType", PropType::Enum(&AiAgentPlatform::ODATA)),
        Property::new("instructions", PropType::String),
    ]
}
