//! Alert evidence: the polymorphic `microsoft.graph.security.alertEvidence` and every subtype of it
//! in Graph's v1.0 metadata, fully typed.
//!
//! # Wire format
//! * **Out**: `@odata.type` first (`#microsoft.graph.security.deviceEvidence`), then the base
//!   properties, then the subtype's own properties in metadata order — every one of them, `null` or
//!   `[]` when absent, as Graph does — then any properties we kept without knowing them.
//! * **In**: the subtype is chosen by `@odata.type`, with or without `#` and the
//!   `microsoft.graph.security.` namespace, case-insensitively. Properties the subtype does not
//!   declare are kept in its `extra` map and written back unchanged.
//! * **Never fails an alert**: an item whose `@odata.type` is missing or unknown, or whose
//!   properties do not fit its type (a string where a number belongs, ...), becomes
//!   [`AlertEvidence::Other`] and round-trips verbatim. Enum values that are not members of their
//!   enum are kept as [`OpenEnum::Unknown`](crate::open_enum::OpenEnum) strings, so one new
//!   remediation status does not demote an item to `Other`. Only an item that is not a JSON object
//!   is an error.
//! * Nested evidence values (`networkConnectionEvidence.sourceAddress`, `malwareEvidence.files`, ...)
//!   are typed by their declared type and written with their `@odata.type`; the one polymorphic
//!   nested property (`kubernetesClusterEvidence.cloudResource`) is an [`AlertEvidence`].

pub mod apps;
pub mod base;
pub mod cloud;
pub mod container;
pub mod details;
pub mod endpoint;
pub mod enums;
pub mod identity;
pub mod iot;
pub mod mail;
pub mod network;
pub mod observables;

pub use base::EvidenceBase;

use crate::enums::{EvidenceRemediationStatus, EvidenceVerdict};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The namespace-qualified name of the evidence base type.
pub const BASE_TYPE: &str = "microsoft.graph.security.alertEvidence";
const NAMESPACE: &str = "microsoft.graph.security.";

macro_rules! alert_evidence {
    ($( $(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, )+) => {
        /// One evidence item of an alert, tagged by `@odata.type` (see the module docs for the
        /// wire rules).
        #[derive(Debug, Clone, PartialEq)]
        pub enum AlertEvidence {
            $( $(#[$doc])* $variant(Box<$ty>), )+
            /// An item of a type this schema does not know, or one that did not fit its type: kept
            /// as it came.
            Other {
                /// `@odata.type` with a leading `#` (the base type when the item had none).
                odata_type: String,
                /// Every other property, verbatim.
                properties: Map<String, Value>,
            },
        }

        impl AlertEvidence {
            /// The `@odata.type` written for this item, e.g.
            /// `#microsoft.graph.security.deviceEvidence`.
            pub fn odata_type(&self) -> &str {
                match self {
                    $( AlertEvidence::$variant(_) => concat!("#microsoft.graph.security.", $wire), )+
                    AlertEvidence::Other { odata_type, .. } => odata_type,
                }
            }

            /// The base properties of a typed item (`None` for [`AlertEvidence::Other`]).
            pub fn base(&self) -> Option<&EvidenceBase> {
                match self {
                    $( AlertEvidence::$variant(e) => Some(&e.base), )+
                    AlertEvidence::Other { .. } => None,
                }
            }

            /// Mutable access to the base properties of a typed item.
            pub fn base_mut(&mut self) -> Option<&mut EvidenceBase> {
                match self {
                    $( AlertEvidence::$variant(e) => Some(&mut e.base), )+
                    AlertEvidence::Other { .. } => None,
                }
            }

            /// The properties kept without being understood: every property of an
            /// [`AlertEvidence::Other`] item, the `extra` map of a typed one (nested values keep
            /// their own `extra` maps).
            pub fn unknown_properties_mut(&mut self) -> &mut Map<String, Value> {
                match self {
                    $( AlertEvidence::$variant(e) => &mut e.extra, )+
                    AlertEvidence::Other { properties, .. } => properties,
                }
            }

            /// Parses the properties of an item whose simple type name is `name` (any case);
            /// `None` when no subtype has that name.
            fn typed(name: &str, value: &Value) -> Option<Result<Self, serde_json::Error>> {
                $(
                    if name.eq_ignore_ascii_case($wire) {
                        let parsed = <$ty>::deserialize(value);
                        return Some(parsed.map(|e| AlertEvidence::$variant(Box::new(e))));
                    }
                )+
                None
            }
        }

        impl Serialize for AlertEvidence {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( AlertEvidence::$variant(e) => e.serialize(s), )+
                    AlertEvidence::Other { odata_type, properties } => {
                        serialize_other(odata_type, properties, s)
                    }
                }
            }
        }

        $(
            impl From<$ty> for AlertEvidence {
                fn from(e: $ty) -> Self {
                    AlertEvidence::$variant(Box::new(e))
                }
            }
        )+
    };
}

alert_evidence! {
    /// `microsoft.graph.security.deviceEvidence`.
    Device(endpoint::DeviceEvidence) = "deviceEvidence",
    /// `microsoft.graph.security.fileEvidence`.
    File(endpoint::FileEvidence) = "fileEvidence",
    /// `microsoft.graph.security.fileHashEvidence`.
    FileHash(endpoint::FileHashEvidence) = "fileHashEvidence",
    /// `microsoft.graph.security.processEvidence`.
    Process(endpoint::ProcessEvidence) = "processEvidence",
    /// `microsoft.graph.security.registryKeyEvidence`.
    RegistryKey(endpoint::RegistryKeyEvidence) = "registryKeyEvidence",
    /// `microsoft.graph.security.registryValueEvidence`.
    RegistryValue(endpoint::RegistryValueEvidence) = "registryValueEvidence",
    /// `microsoft.graph.security.malwareEvidence`.
    Malware(endpoint::MalwareEvidence) = "malwareEvidence",
    /// `microsoft.graph.security.hostLogonSessionEvidence`.
    HostLogonSession(endpoint::HostLogonSessionEvidence) = "hostLogonSessionEvidence",
    /// `microsoft.graph.security.ipEvidence`.
    Ip(network::IpEvidence) = "ipEvidence",
    /// `microsoft.graph.security.urlEvidence`.
    Url(network::UrlEvidence) = "urlEvidence",
    /// `microsoft.graph.security.networkConnectionEvidence`.
    NetworkConnection(network::NetworkConnectionEvidence) = "networkConnectionEvidence",
    /// `microsoft.graph.security.dnsEvidence`.
    Dns(network::DnsEvidence) = "dnsEvidence",
    /// `microsoft.graph.security.nicEvidence`.
    Nic(network::NicEvidence) = "nicEvidence",
    /// `microsoft.graph.security.userEvidence`.
    User(identity::UserEvidence) = "userEvidence",
    /// `microsoft.graph.security.mailboxEvidence`.
    Mailbox(identity::MailboxEvidence) = "mailboxEvidence",
    /// `microsoft.graph.security.securityGroupEvidence`.
    SecurityGroup(identity::SecurityGroupEvidence) = "securityGroupEvidence",
    /// `microsoft.graph.security.activeDirectoryDomainEvidence`.
    ActiveDirectoryDomain(identity::ActiveDirectoryDomainEvidence) = "activeDirectoryDomainEvidence",
    /// `microsoft.graph.security.cloudLogonSessionEvidence`.
    CloudLogonSession(identity::CloudLogonSessionEvidence) = "cloudLogonSessionEvidence",
    /// `microsoft.graph.security.cloudLogonRequestEvidence`.
    CloudLogonRequest(identity::CloudLogonRequestEvidence) = "cloudLogonRequestEvidence",
    /// `microsoft.graph.security.analyzedMessageEvidence`.
    AnalyzedMessage(mail::AnalyzedMessageEvidence) = "analyzedMessageEvidence",
    /// `microsoft.graph.security.mailClusterEvidence`.
    MailCluster(mail::MailClusterEvidence) = "mailClusterEvidence",
    /// `microsoft.graph.security.submissionMailEvidence`.
    SubmissionMail(mail::SubmissionMailEvidence) = "submissionMailEvidence",
    /// `microsoft.graph.security.mailboxConfigurationEvidence`.
    MailboxConfiguration(mail::MailboxConfigurationEvidence) = "mailboxConfigurationEvidence",
    /// `microsoft.graph.security.teamsMessageEvidence`.
    TeamsMessage(mail::TeamsMessageEvidence) = "teamsMessageEvidence",
    /// `microsoft.graph.security.azureResourceEvidence`.
    AzureResource(cloud::AzureResourceEvidence) = "azureResourceEvidence",
    /// `microsoft.graph.security.amazonResourceEvidence`.
    AmazonResource(cloud::AmazonResourceEvidence) = "amazonResourceEvidence",
    /// `microsoft.graph.security.googleCloudResourceEvidence`.
    GoogleCloudResource(cloud::GoogleCloudResourceEvidence) = "googleCloudResourceEvidence",
    /// `microsoft.graph.security.blobContainerEvidence`.
    BlobContainer(cloud::BlobContainerEvidence) = "blobContainerEvidence",
    /// `microsoft.graph.security.blobEvidence`.
    Blob(cloud::BlobEvidence) = "blobEvidence",
    /// `microsoft.graph.security.sasTokenEvidence`.
    SasToken(cloud::SasTokenEvidence) = "sasTokenEvidence",
    /// `microsoft.graph.security.containerEvidence`.
    Container(container::ContainerEvidence) = "containerEvidence",
    /// `microsoft.graph.security.containerImageEvidence`.
    ContainerImage(container::ContainerImageEvidence) = "containerImageEvidence",
    /// `microsoft.graph.security.containerRegistryEvidence`.
    ContainerRegistry(container::ContainerRegistryEvidence) = "containerRegistryEvidence",
    /// `microsoft.graph.security.kubernetesClusterEvidence`.
    KubernetesCluster(container::KubernetesClusterEvidence) = "kubernetesClusterEvidence",
    /// `microsoft.graph.security.kubernetesControllerEvidence`.
    KubernetesController(container::KubernetesControllerEvidence) = "kubernetesControllerEvidence",
    /// `microsoft.graph.security.kubernetesNamespaceEvidence`.
    KubernetesNamespace(container::KubernetesNamespaceEvidence) = "kubernetesNamespaceEvidence",
    /// `microsoft.graph.security.kubernetesPodEvidence`.
    KubernetesPod(container::KubernetesPodEvidence) = "kubernetesPodEvidence",
    /// `microsoft.graph.security.kubernetesSecretEvidence`.
    KubernetesSecret(container::KubernetesSecretEvidence) = "kubernetesSecretEvidence",
    /// `microsoft.graph.security.kubernetesServiceAccountEvidence`.
    KubernetesServiceAccount(container::KubernetesServiceAccountEvidence) = "kubernetesServiceAccountEvidence",
    /// `microsoft.graph.security.kubernetesServiceEvidence`.
    KubernetesService(container::KubernetesServiceEvidence) = "kubernetesServiceEvidence",
    /// `microsoft.graph.security.cloudApplicationEvidence`.
    CloudApplication(apps::CloudApplicationEvidence) = "cloudApplicationEvidence",
    /// `microsoft.graph.security.oauthApplicationEvidence`.
    OauthApplication(apps::OauthApplicationEvidence) = "oauthApplicationEvidence",
    /// `microsoft.graph.security.servicePrincipalEvidence`.
    ServicePrincipal(apps::ServicePrincipalEvidence) = "servicePrincipalEvidence",
    /// `microsoft.graph.security.gitHubOrganizationEvidence`.
    GitHubOrganization(apps::GitHubOrganizationEvidence) = "gitHubOrganizationEvidence",
    /// `microsoft.graph.security.gitHubRepoEvidence`.
    GitHubRepo(apps::GitHubRepoEvidence) = "gitHubRepoEvidence",
    /// `microsoft.graph.security.gitHubUserEvidence`.
    GitHubUser(apps::GitHubUserEvidence) = "gitHubUserEvidence",
    /// `microsoft.graph.security.aiAgentEvidence`.
    AiAgent(apps::AiAgentEvidence) = "aiAgentEvidence",
    /// `microsoft.graph.security.ioTDeviceEvidence`.
    IoTDevice(iot::IoTDeviceEvidence) = "ioTDeviceEvidence",
}

impl AlertEvidence {
    /// The type name without `#` and namespace, e.g. `deviceEvidence`.
    pub fn type_name(&self) -> &str {
        let t = self.odata_type().trim_start_matches('#');
        strip_namespace(t).unwrap_or(t)
    }

    /// `remediationStatus`, when it is a member of `evidenceRemediationStatus`.
    pub fn remediation_status(&self) -> Option<EvidenceRemediationStatus> {
        match self.base() {
            Some(b) => b.remediation_status.as_ref().and_then(|s| s.known()),
            None => self
                .other_str("remediationStatus")
                .and_then(EvidenceRemediationStatus::parse),
        }
    }

    /// `verdict`, when it is a member of `evidenceVerdict`.
    pub fn verdict(&self) -> Option<EvidenceVerdict> {
        match self.base() {
            Some(b) => b.verdict.as_ref().and_then(|s| s.known()),
            None => self.other_str("verdict").and_then(EvidenceVerdict::parse),
        }
    }

    /// A string property of an [`AlertEvidence::Other`] item.
    fn other_str(&self, name: &str) -> Option<&str> {
        match self {
            AlertEvidence::Other { properties, .. } => properties.get(name)?.as_str(),
            _ => None,
        }
    }

    /// Builds an item from its `@odata.type` (if any) and its other properties.
    pub fn from_parts(odata_type: Option<&str>, properties: Map<String, Value>) -> Self {
        let raw = odata_type
            .map(|t| t.trim().trim_start_matches('#'))
            .unwrap_or(BASE_TYPE);
        let name = strip_namespace(raw).unwrap_or(raw);
        let value = Value::Object(properties);
        if let Some(Ok(e)) = Self::typed(name, &value) {
            return e;
        }
        let properties = match value {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        AlertEvidence::Other {
            odata_type: format!("#{raw}"),
            properties,
        }
    }
}

/// `name` without a leading `microsoft.graph.security.` (any case); `None` when it has another
/// namespace. A bare simple name is returned as it is.
fn strip_namespace(name: &str) -> Option<&str> {
    match name.rfind('.') {
        None => Some(name),
        Some(_) => {
            let head = name.get(..NAMESPACE.len())?;
            head.eq_ignore_ascii_case(NAMESPACE)
                .then(|| &name[NAMESPACE.len()..])
        }
    }
}

fn serialize_other<S: Serializer>(
    odata_type: &str,
    properties: &Map<String, Value>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(properties.len() + 1))?;
    map.serialize_entry("@odata.type", odata_type)?;
    for (k, v) in properties {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl<'de> Deserialize<'de> for AlertEvidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut properties = Map::<String, Value>::deserialize(d)?;
        let odata_type = match properties.remove("@odata.type") {
            Some(Value::String(t)) => Some(t),
            _ => None,
        };
        Ok(AlertEvidence::from_parts(odata_type.as_deref(), properties))
    }
}
