//! Container and Kubernetes evidence.

use crate::evidence::{
    details::KubernetesServicePort,
    enums::{KubernetesPlatform, KubernetesServiceType},
    network::IpEvidence,
    AlertEvidence, EvidenceBase,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `microsoft.graph.security.containerEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.containerEvidence",
    rename_all = "camelCase"
)]
pub struct ContainerEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `args` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub args: Vec<String>,
    /// `command` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub command: Vec<String>,
    /// `containerId` (`Edm.String`).
    #[serde(default)]
    pub container_id: Option<String>,
    /// `image` (`microsoft.graph.security.containerImageEvidence`).
    #[serde(default)]
    pub image: Option<Box<ContainerImageEvidence>>,
    /// `isPrivileged` (`Edm.Boolean`).
    #[serde(default)]
    pub is_privileged: Option<bool>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `pod` (`microsoft.graph.security.kubernetesPodEvidence`).
    #[serde(default)]
    pub pod: Option<Box<KubernetesPodEvidence>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.containerImageEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.containerImageEvidence",
    rename_all = "camelCase"
)]
pub struct ContainerImageEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `digestImage` (`microsoft.graph.security.containerImageEvidence`).
    #[serde(default)]
    pub digest_image: Option<Box<ContainerImageEvidence>>,
    /// `imageId` (`Edm.String`).
    #[serde(default)]
    pub image_id: Option<String>,
    /// `registry` (`microsoft.graph.security.containerRegistryEvidence`).
    #[serde(default)]
    pub registry: Option<Box<ContainerRegistryEvidence>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.containerRegistryEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.containerRegistryEvidence",
    rename_all = "camelCase"
)]
pub struct ContainerRegistryEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `registry` (`Edm.String`).
    #[serde(default)]
    pub registry: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesClusterEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesClusterEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesClusterEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `cloudResource` (`microsoft.graph.security.alertEvidence`).
    #[serde(default)]
    pub cloud_resource: Option<Box<AlertEvidence>>,
    /// `distribution` (`Edm.String`).
    #[serde(default)]
    pub distribution: Option<String>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `platform` (`microsoft.graph.security.kubernetesPlatform`).
    #[serde(default)]
    pub platform: Option<OpenEnum<KubernetesPlatform>>,
    /// `version` (`Edm.String`).
    #[serde(default)]
    pub version: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesControllerEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesControllerEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesControllerEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `labels` (`microsoft.graph.security.dictionary`).
    #[serde(default)]
    pub labels: Option<Map<String, Value>>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `namespace` (`microsoft.graph.security.kubernetesNamespaceEvidence`).
    #[serde(default)]
    pub namespace: Option<Box<KubernetesNamespaceEvidence>>,
    /// `type` (`Edm.String`).
    #[serde(default)]
    pub r#type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesNamespaceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesNamespaceEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesNamespaceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `cluster` (`microsoft.graph.security.kubernetesClusterEvidence`).
    #[serde(default)]
    pub cluster: Option<Box<KubernetesClusterEvidence>>,
    /// `labels` (`microsoft.graph.security.dictionary`).
    #[serde(default)]
    pub labels: Option<Map<String, Value>>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesPodEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesPodEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesPodEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `containers` (`Collection(microsoft.graph.security.containerEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub containers: Vec<ContainerEvidence>,
    /// `controller` (`microsoft.graph.security.kubernetesControllerEvidence`).
    #[serde(default)]
    pub controller: Option<Box<KubernetesControllerEvidence>>,
    /// `ephemeralContainers` (`Collection(microsoft.graph.security.containerEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub ephemeral_containers: Vec<ContainerEvidence>,
    /// `initContainers` (`Collection(microsoft.graph.security.containerEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub init_containers: Vec<ContainerEvidence>,
    /// `labels` (`microsoft.graph.security.dictionary`).
    #[serde(default)]
    pub labels: Option<Map<String, Value>>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `namespace` (`microsoft.graph.security.kubernetesNamespaceEvidence`).
    #[serde(default)]
    pub namespace: Option<Box<KubernetesNamespaceEvidence>>,
    /// `podIp` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub pod_ip: Option<Box<IpEvidence>>,
    /// `serviceAccount` (`microsoft.graph.security.kubernetesServiceAccountEvidence`).
    #[serde(default)]
    pub service_account: Option<Box<KubernetesServiceAccountEvidence>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesSecretEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesSecretEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesSecretEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `namespace` (`microsoft.graph.security.kubernetesNamespaceEvidence`).
    #[serde(default)]
    pub namespace: Option<Box<KubernetesNamespaceEvidence>>,
    /// `secretType` (`Edm.String`).
    #[serde(default)]
    pub secret_type: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesServiceAccountEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesServiceAccountEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesServiceAccountEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `namespace` (`microsoft.graph.security.kubernetesNamespaceEvidence`).
    #[serde(default)]
    pub namespace: Option<Box<KubernetesNamespaceEvidence>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.kubernetesServiceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.kubernetesServiceEvidence",
    rename_all = "camelCase"
)]
pub struct KubernetesServiceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `clusterIP` (`microsoft.graph.security.ipEvidence`).
    #[serde(default, rename = "clusterIP")]
    pub cluster_ip: Option<Box<IpEvidence>>,
    /// `externalIPs` (`Collection(microsoft.graph.security.ipEvidence)`).
    #[serde(
        default,
        deserialize_with = "crate::serde_util::null_as_default",
        rename = "externalIPs"
    )]
    pub external_ips: Vec<IpEvidence>,
    /// `labels` (`microsoft.graph.security.dictionary`).
    #[serde(default)]
    pub labels: Option<Map<String, Value>>,
    /// `name` (`Edm.String`).
    #[serde(default)]
    pub name: Option<String>,
    /// `namespace` (`microsoft.graph.security.kubernetesNamespaceEvidence`).
    #[serde(default)]
    pub namespace: Option<Box<KubernetesNamespaceEvidence>>,
    /// `selector` (`microsoft.graph.security.dictionary`).
    #[serde(default)]
    pub selector: Option<Map<String, Value>>,
    /// `servicePorts` (`Collection(microsoft.graph.security.kubernetesServicePort)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub service_ports: Vec<KubernetesServicePort>,
    /// `serviceType` (`microsoft.graph.security.kubernetesServiceType`).
    #[serde(default)]
    pub service_type: Option<OpenEnum<KubernetesServiceType>>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
