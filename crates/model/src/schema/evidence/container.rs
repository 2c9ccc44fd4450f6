//! Property tables of the container and Kubernetes evidence.

use super::network::IP_EVIDENCE;
use super::{ALERT_EVIDENCE, KUBERNETES_SERVICE_PORT};
use crate::evidence::enums::{KubernetesPlatform, KubernetesServiceType};
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.containerEvidence`.
    CONTAINER_EVIDENCE = "containerEvidence" [
        Property::new("args", PropType::Collection(&PropType::String)),
        Property::new("command", PropType::Collection(&PropType::String)),
        Property::new("containerId", PropType::String),
        Property::new("image", PropType::Complex(&CONTAINER_IMAGE_EVIDENCE)),
        Property::new("isPrivileged", PropType::Boolean),
        Property::new("name", PropType::String),
        Property::new("pod", PropType::Complex(&KUBERNETES_POD_EVIDENCE)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.containerImageEvidence`.
    CONTAINER_IMAGE_EVIDENCE = "containerImageEvidence" [
        Property::new("digestImage", PropType::Complex(&CONTAINER_IMAGE_EVIDENCE)),
        Property::new("imageId", PropType::String),
        Property::new("registry", PropType::Complex(&CONTAINER_REGISTRY_EVIDENCE)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.containerRegistryEvidence`.
    CONTAINER_REGISTRY_EVIDENCE = "containerRegistryEvidence" [
        Property::new("registry", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesClusterEvidence`.
    KUBERNETES_CLUSTER_EVIDENCE = "kubernetesClusterEvidence" [
        Property::new("cloudResource", PropType::Complex(&ALERT_EVIDENCE)),
        Property::new("distribution", PropType::String),
        Property::new("name", PropType::String),
        Property::new("platform", PropType::Enum(&KubernetesPlatform::ODATA)),
        Property::new("version", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesControllerEvidence`.
    KUBERNETES_CONTROLLER_EVIDENCE = "kubernetesControllerEvidence" [
        Property::new("labels", PropType::Dictionary),
        Property::new("name", PropType::String),
        Property::new("namespace", PropType::Complex(&KUBERNETES_NAMESPACE_EVIDENCE)),
        Property::new("type", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesNamespaceEvidence`.
    KUBERNETES_NAMESPACE_EVIDENCE = "kubernetesNamespaceEvidence" [
        Property::new("cluster", PropType::Complex(&KUBERNETES_CLUSTER_EVIDENCE)),
        Property::new("labels", PropType::Dictionary),
        Property::new("name", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesPodEvidence`.
    KUBERNETES_POD_EVIDENCE = "kubernetesPodEvidence" [
        Property::new("containers", PropType::Collection(&PropType::Complex(&CONTAINER_EVIDENCE))),
        Property::new("controller", PropType::Complex(&KUBERNETES_CONTROLLER_EVIDENCE)),
        Property::new("ephemeralContainers", PropType::Collection(&PropType::Complex(&CONTAINER_EVIDENCE))),
        Property::new("initContainers", PropType::Collection(&PropType::Complex(&CONTAINER_EVIDENCE))),
        Property::new("labels", PropType::Dictionary),
        Property::new("name", PropType::String),
        Property::new("namespace", PropType::Complex(&KUBERNETES_NAMESPACE_EVIDENCE)),
        Property::new("podIp", PropType::Complex(&IP_EVIDENCE)),
        Property::new("serviceAccount", PropType::Complex(&KUBERNETES_SERVICE_ACCOUNT_EVIDENCE)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesSecretEvidence`.
    KUBERNETES_SECRET_EVIDENCE = "kubernetesSecretEvidence" [
        Property::new("name", PropType::String),
        Property::new("namespace", PropType::Complex(&KUBERNETES_NAMESPACE_EVIDENCE)),
        Property::new("secretType", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesServiceAccountEvidence`.
    KUBERNETES_SERVICE_ACCOUNT_EVIDENCE = "kubernetesServiceAccountEvidence" [
        Property::new("name", PropType::String),
        Property::new("namespace", PropType::Complex(&KUBERNETES_NAMESPACE_EVIDENCE)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.kubernetesServiceEvidence`.
    KUBERNETES_SERVICE_EVIDENCE = "kubernetesServiceEvidence" [
        Property::new("clusterIP", PropType::Complex(&IP_EVIDENCE)),
        Property::new("externalIPs", PropType::Collection(&PropType::Complex(&IP_EVIDENCE))),
        Property::new("labels", PropType::Dictionary),
        Property::new("name", PropType::String),
        Property::new("namespace", PropType::Complex(&KUBERNETES_NAMESPACE_EVIDENCE)),
        Property::new("selector", PropType::Dictionary),
        Property::new("servicePorts", PropType::Collection(&PropType::Complex(&KUBERNETES_SERVICE_PORT))),
        Property::new("serviceType", PropType::Enum(&KubernetesServiceType::ODATA)),
    ]
}
