//! Property tables of the network evidence.

use super::{GEO_LOCATION, STREAM};
use crate::evidence::enums::ProtocolType;
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.ipEvidence`.
    IP_EVIDENCE = "ipEvidence" [
        Property::new("countryLetterCode", PropType::String),
        Property::new("ipAddress", PropType::String),
        Property::new("location", PropType::Complex(&GEO_LOCATION)),
        Property::new("stream", PropType::Complex(&STREAM)),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.urlEvidence`.
    URL_EVIDENCE = "urlEvidence" [
        Property::new("url", PropType::String),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.networkConnectionEvidence`.
    NETWORK_CONNECTION_EVIDENCE = "networkConnectionEvidence" [
        Property::new("destinationAddress", PropType::Complex(&IP_EVIDENCE)),
        Property::new("destinationPort", PropType::Int32),
        Property::new("protocol", PropType::Enum(&ProtocolType::ODATA)),
        Property::new("sourceAddress", PropType::Complex(&IP_EVIDENCE)),
        Property::new("sourcePort", PropType::Int32),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.dnsEvidence`.
    DNS_EVIDENCE = "dnsEvidence" [
        Property::new("dnsServerIp", PropType::Complex(&IP_EVIDENCE)),
        Property::new("domainName", PropType::String),
        Property::new("hostIpAddress", PropType::Complex(&IP_EVIDENCE)),
        Property::new("ipAddresses", PropType::Collection(&PropType::Complex(&IP_EVIDENCE))),
    ]
}

evidence_type! {
    /// `microsoft.graph.security.nicEvidence`.
    NIC_EVIDENCE = "nicEvidence" [
        Property::new("ipAddress", PropType::Complex(&IP_EVIDENCE)),
        Property::new("macAddress", PropType::String),
        Property::new("vlans", PropType::Collection(&PropType::String)),
    ]
}
