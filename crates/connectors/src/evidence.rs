//! Evidence builders both connectors use: addresses, connections and file details.
//!
//! * Addresses are validated and written in canonical form (`2001:db8::1`, not the fully expanded
//!   form some Suricata versions log), so the same address in two alerts is the same string for
//!   matching and correlation; a value that is not an IP address gives no evidence.
//! * Every item's `createdDateTime` is the event's time (deterministic, see [`crate::draft`]).
//! * `protocol` is set for TCP and UDP only, the two members of Graph's `protocolType`; other
//!   protocols are named in the alert's description instead of being invented as enum members.

use model::enums::{EvidenceRemediationStatus, EvidenceRole};
use model::evidence::details::FileDetails;
use model::evidence::enums::ProtocolType;
use model::evidence::network::{IpEvidence, NetworkConnectionEvidence};
use model::evidence::EvidenceBase;
use model::OpenEnum;
use std::net::IpAddr;
use time::OffsetDateTime;

/// The base properties: the event's time and the given roles.
pub(crate) fn base(at: OffsetDateTime, roles: &[EvidenceRole]) -> EvidenceBase {
    EvidenceBase {
        created_date_time: Some(at),
        roles: roles.iter().copied().map(OpenEnum::Known).collect(),
        ..EvidenceBase::default()
    }
}

/// `text` as a canonical IP address (brackets around IPv6 allowed); `None` when it is not one.
pub(crate) fn canonical_ip(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches('[').trim_end_matches(']');
    t.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// An `ipEvidence` for `address` in `role`; `None` when `address` is not an IP address.
pub(crate) fn ip(address: &str, role: EvidenceRole, at: OffsetDateTime) -> Option<IpEvidence> {
    Some(IpEvidence {
        base: base(at, &[role]),
        ip_address: Some(canonical_ip(address)?),
        ..IpEvidence::default()
    })
}

/// One side of a connection: an address and, when it is a valid port, its port.
pub(crate) struct Endpoint<'a> {
    pub address: &'a str,
    pub port: Option<u64>,
}

/// A `networkConnectionEvidence` from `source` to `destination`; `None` unless both addresses are
/// IP addresses. `blocked` sets `remediationStatus: blocked` (the product stopped the traffic).
pub(crate) fn connection(
    source: &Endpoint<'_>,
    destination: &Endpoint<'_>,
    protocol: Option<&str>,
    blocked: bool,
    at: OffsetDateTime,
) -> Option<NetworkConnectionEvidence> {
    let src = ip(source.address, EvidenceRole::Source, at)?;
    let dst = ip(destination.address, EvidenceRole::Destination, at)?;
    let mut base = base(at, &[]);
    if blocked {
        base.remediation_status = Some(OpenEnum::Known(EvidenceRemediationStatus::Blocked));
    }
    Some(NetworkConnectionEvidence {
        base,
        source_address: Some(Box::new(src)),
        source_port: source.port.and_then(port),
        destination_address: Some(Box::new(dst)),
        destination_port: destination.port.and_then(port),
        protocol: protocol.and_then(protocol_type).map(OpenEnum::Known),
        ..NetworkConnectionEvidence::default()
    })
}

/// A port number 0–65535 as Graph's `Edm.Int32`.
fn port(n: u64) -> Option<i32> {
    u16::try_from(n).ok().map(i32::from)
}

/// Graph's `protocolType` for a product's protocol name (`TCP`, `udp`, ...).
fn protocol_type(name: &str) -> Option<ProtocolType> {
    match name.trim().to_ascii_lowercase().as_str() {
        "tcp" => Some(ProtocolType::Tcp),
        "udp" => Some(ProtocolType::Udp),
        _ => None,
    }
}

/// `fileName` and `filePath` (the directory) of a path with `/` or `\` separators. A path with no
/// name part (`/`, `C:\`) keeps the whole path as its name.
pub(crate) fn file_details(path: &str) -> FileDetails {
    let path = path.trim();
    let (dir, name) = match path.rfind(['/', '\\']) {
        Some(i) if i + 1 < path.len() => (Some(&path[..i]), &path[i + 1..]),
        _ => (None, path),
    };
    let dir = dir.map(|d| if d.is_empty() { &path[..1] } else { d });
    FileDetails {
        file_name: Some(name.to_string()),
        file_path: dir.map(str::to_string),
        ..FileDetails::default()
    }
}

/// A non-blank hash value, lowercased (products write either case).
pub(crate) fn hash(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_canonical_or_absent() {
        assert_eq!(
            canonical_ip("2001:0db8:0000:0000:0000:0000:0000:0001").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(canonical_ip("[::1]").as_deref(), Some("::1"));
        assert_eq!(canonical_ip(" 10.0.0.1 ").as_deref(), Some("10.0.0.1"));
        assert_eq!(canonical_ip("unknown"), None);
    }

    #[test]
    fn paths_split_into_directory_and_name() {
        let d = file_details("/bin/sh");
        assert_eq!(
            (d.file_path.as_deref(), d.file_name.as_deref()),
            (Some("/bin"), Some("sh"))
        );
        let d = file_details("/lastlog");
        assert_eq!(
            (d.file_path.as_deref(), d.file_name.as_deref()),
            (Some("/"), Some("lastlog"))
        );
        let d = file_details(r"c:\windows\system32\cmd.exe");
        assert_eq!(d.file_path.as_deref(), Some(r"c:\windows\system32"));
        assert_eq!(d.file_name.as_deref(), Some("cmd.exe"));
        let d = file_details("/");
        assert_eq!((d.file_path, d.file_name.as_deref()), (None, Some("/")));
        let d = file_details("%{0b");
        assert_eq!((d.file_path, d.file_name.as_deref()), (None, Some("%{0b")));
    }

    #[test]
    fn only_tcp_and_udp_are_protocols_and_ports_are_16_bit() {
        assert_eq!(protocol_type("TCP"), Some(ProtocolType::Tcp));
        assert_eq!(protocol_type("ICMP"), None);
        assert_eq!(port(65535), Some(65535));
        assert_eq!(port(65536), None);
    }
}
