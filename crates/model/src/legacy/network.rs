//! `networkConnections` ↔ `networkConnectionEvidence`, `ipEvidence` and `urlEvidence`.
//!
//! | legacy | evidence |
//! |---|---|
//! | `sourceAddress`, `destinationAddress` + `sourcePort`/`destinationPort`/`protocol` | `networkConnectionEvidence` with `sourceAddress`/`destinationAddress` (`ipEvidence`), ports, `protocol` (`tcp`, `udp`) |
//! | an address without ports or protocol | `ipEvidence` with role `source` or `destination` |
//! | `destinationUrl` | `urlEvidence` (role `destination`) |
//!
//! Out, a standalone `ipEvidence` is a source when its roles say `source` or `attacker`, and a
//! destination otherwise.

use crate::enums::EvidenceRole;
use crate::evidence::enums::ProtocolType;
use crate::evidence::network::{IpEvidence, NetworkConnectionEvidence, UrlEvidence};
use crate::evidence::{AlertEvidence, EvidenceBase};
use crate::legacy::enums::SecurityNetworkProtocol;
use crate::legacy::states::NetworkConnection;
use crate::open_enum::OpenEnum;

/// The `networkConnections` item of a connection.
pub fn connection(c: &NetworkConnectionEvidence) -> NetworkConnection {
    let address = |ip: &Option<Box<IpEvidence>>| ip.as_ref().and_then(|ip| ip.ip_address.clone());
    let protocol = c.protocol.as_ref().map(|p| match p.known() {
        Some(ProtocolType::Tcp) => SecurityNetworkProtocol::Tcp.into(),
        Some(ProtocolType::Udp) => SecurityNetworkProtocol::Udp.into(),
        _ => OpenEnum::Unknown(p.as_str().to_string()),
    });
    NetworkConnection {
        destination_address: address(&c.destination_address),
        destination_port: c.destination_port.map(|p| p.to_string()),
        protocol,
        source_address: address(&c.source_address),
        source_port: c.source_port.map(|p| p.to_string()),
        ..NetworkConnection::default()
    }
}

/// The `networkConnections` item of a standalone IP address.
pub fn ip_connection(ip: &IpEvidence) -> NetworkConnection {
    let is_source =
        ip.base.has_role(EvidenceRole::Source) || ip.base.has_role(EvidenceRole::Attacker);
    let mut c = NetworkConnection::default();
    if is_source {
        c.source_address = ip.ip_address.clone();
    } else {
        c.destination_address = ip.ip_address.clone();
    }
    c
}

/// The `networkConnections` item of a URL.
pub fn url_connection(u: &UrlEvidence) -> NetworkConnection {
    NetworkConnection {
        destination_url: u.url.clone(),
        ..NetworkConnection::default()
    }
}

/// The evidence a `networkConnections` item describes.
pub fn evidence(c: &NetworkConnection, base: &EvidenceBase) -> Vec<AlertEvidence> {
    let mut out = Vec::new();
    if let Some(url) = &c.destination_url {
        let base = with_role(base, EvidenceRole::Destination);
        out.push(
            UrlEvidence {
                base,
                url: Some(url.clone()),
                ..UrlEvidence::default()
            }
            .into(),
        );
    }
    let port = |p: &Option<String>| p.as_deref().and_then(|p| p.trim().parse::<i32>().ok());
    let protocol = c.protocol.as_ref().and_then(|p| match p.known() {
        Some(SecurityNetworkProtocol::Tcp) => Some(OpenEnum::Known(ProtocolType::Tcp)),
        Some(SecurityNetworkProtocol::Udp) => Some(OpenEnum::Known(ProtocolType::Udp)),
        _ => None,
    });
    let (source_port, destination_port) = (port(&c.source_port), port(&c.destination_port));
    let is_connection = protocol.is_some() || source_port.is_some() || destination_port.is_some();
    let ip = |addr: &Option<String>, role| {
        addr.as_ref().map(|a| IpEvidence {
            base: with_role(base, role),
            ip_address: Some(a.clone()),
            ..IpEvidence::default()
        })
    };
    let source = ip(&c.source_address, EvidenceRole::Source);
    let destination = ip(&c.destination_address, EvidenceRole::Destination);
    if is_connection && (source.is_some() || destination.is_some()) {
        out.push(
            NetworkConnectionEvidence {
                base: base.clone(),
                destination_address: destination.map(Box::new),
                destination_port,
                protocol,
                source_address: source.map(Box::new),
                source_port,
                ..NetworkConnectionEvidence::default()
            }
            .into(),
        );
    } else {
        out.extend(
            source
                .into_iter()
                .chain(destination)
                .map(AlertEvidence::from),
        );
    }
    out
}

fn with_role(base: &EvidenceBase, role: EvidenceRole) -> EvidenceBase {
    EvidenceBase {
        roles: vec![role.into()],
        ..base.clone()
    }
}
