//! Network evidence: addresses, URLs, connections, DNS and network interfaces.

use crate::evidence::{details::GeoLocation, details::Stream, enums::ProtocolType, EvidenceBase};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `microsoft.graph.security.ipEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.ipEvidence",
    rename_all = "camelCase"
)]
pub struct IpEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `countryLetterCode` (`Edm.String`).
    #[serde(default)]
    pub country_letter_code: Option<String>,
    /// `ipAddress` (`Edm.String`).
    #[serde(default)]
    pub ip_address: Option<String>,
    /// `location` (`microsoft.graph.security.geoLocation`).
    #[serde(default)]
    pub location: Option<GeoLocation>,
    /// `stream` (`microsoft.graph.security.stream`).
    #[serde(default)]
    pub stream: Option<Stream>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.urlEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.urlEvidence",
    rename_all = "camelCase"
)]
pub struct UrlEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `url` (`Edm.String`).
    #[serde(default)]
    pub url: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.networkConnectionEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.networkConnectionEvidence",
    rename_all = "camelCase"
)]
pub struct NetworkConnectionEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `destinationAddress` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub destination_address: Option<Box<IpEvidence>>,
    /// `destinationPort` (`Edm.Int32`).
    #[serde(default)]
    pub destination_port: Option<i32>,
    /// `protocol` (`microsoft.graph.security.protocolType`).
    #[serde(default)]
    pub protocol: Option<OpenEnum<ProtocolType>>,
    /// `sourceAddress` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub source_address: Option<Box<IpEvidence>>,
    /// `sourcePort` (`Edm.Int32`).
    #[serde(default)]
    pub source_port: Option<i32>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.dnsEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.dnsEvidence",
    rename_all = "camelCase"
)]
pub struct DnsEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `dnsServerIp` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub dns_server_ip: Option<Box<IpEvidence>>,
    /// `domainName` (`Edm.String`).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// `hostIpAddress` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub host_ip_address: Option<Box<IpEvidence>>,
    /// `ipAddresses` (`Collection(microsoft.graph.security.ipEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub ip_addresses: Vec<IpEvidence>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}

/// `microsoft.graph.security.nicEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.nicEvidence",
    rename_all = "camelCase"
)]
pub struct NicEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `ipAddress` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub ip_address: Option<Box<IpEvidence>>,
    /// `macAddress` (`Edm.String`).
    #[serde(default)]
    pub mac_address: Option<String>,
    /// `vlans` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub vlans: Vec<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
