//! One MISP attribute's type and value → tiIndicator observable properties. The mapping follows
//! `RequestObject.py` of Microsoft's MISP sample, narrowed to the observables secgraph matches
//! (addresses, domains, URLs, md5/sha1/sha256, e-mail):
//!
//! | MISP type | tiIndicator properties |
//! |---|---|
//! | `ip-dst` | `networkDestinationIPv4` / `IPv6` / `CidrBlock` |
//! | `ip-src` | `networkSourceIPv4` / `IPv6` / `CidrBlock` |
//! | `ip-dst\|port`, `ip-src\|port` | the same + `networkDestinationPort` / `networkSourcePort` |
//! | `domain`, `hostname` | `domainName` (not mapped by the sample) |
//! | `domain\|ip` | `domainName` + `networkIPv4` / `networkIPv6` (sample) |
//! | `url` | `url` |
//! | `md5`, `sha1`, `sha256` | `fileHashType` + `fileHashValue` |
//! | `filename\|md5`, `filename\|sha1`, `filename\|sha256` | the same + `fileName` |
//! | `email-src` | `emailSenderAddress` + `emailSourceDomain` (sample) |
//! | `email-dst` | `emailRecipient` |
//! | `email-subject` | `emailSubject` |
//!
//! Skipped with a reason: `link` (a reference to a report, not an indicator), other hash types
//! (the sample sends them as `fileHashType: unknown`, which nothing can match), and every other
//! type (`filename`, `regkey`, `AS`, `comment`, `text`, …). Values are checked as in
//! [`observable`]: a `url` of `Data/dtl.dat` or a `hostname` with a space is
//! skipped with what is wrong.

use super::misp::ObjectPorts;
use super::observable::{self, HashKind, Observable, Role};
use serde_json::{Map, Value};

const SUPPORTED: &[&str] = &[
    "ip-dst",
    "ip-src",
    "ip-dst|port",
    "ip-src|port",
    "domain",
    "hostname",
    "domain|ip",
    "url",
    "md5",
    "sha1",
    "sha256",
    "filename|md5",
    "filename|sha1",
    "filename|sha256",
    "email-src",
    "email-dst",
    "email-subject",
];

const OTHER_HASHES: &[&str] = &[
    "sha224",
    "sha384",
    "sha512",
    "sha512/224",
    "sha512/256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "ssdeep",
    "imphash",
    "impfuzzy",
    "pehash",
    "tlsh",
    "authentihash",
    "vhash",
    "telfhash",
];

/// Whether secgraph imports attributes of type `ty`, and if not, why.
pub(crate) fn check_type(ty: &str) -> Result<(), String> {
    if SUPPORTED.contains(&ty) {
        return Ok(());
    }
    let hash = ty.strip_prefix("filename|").unwrap_or(ty);
    if OTHER_HASHES.contains(&hash) {
        return Err(format!(
            "hash type {hash} has no Graph fileHashType; only md5, sha1 and sha256 are imported"
        ));
    }
    Err(match ty {
        "" => "the attribute has no type".to_string(),
        "link" => "a link points to a report about the event; it is not an indicator".to_string(),
        "port" => "a port alone is not an indicator (ports are kept with the ip-dst or ip-src \
                   of the same object)"
            .to_string(),
        other => format!("MISP attribute type {other} is not supported"),
    })
}

/// Writes the observable properties of a `ty` attribute with `value` into `m`; `ports` are those
/// of the attribute's object, if any.
pub(crate) fn attribute_properties(
    ty: &str,
    value: &str,
    ports: Option<&ObjectPorts>,
    m: &mut Map<String, Value>,
) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the attribute has no value".into());
    }
    match ty {
        "ip-dst" | "ip-src" | "ip-dst|port" | "ip-src|port" => {
            return address_properties(ty, value, ports, m)
        }
        "domain" | "hostname" => observable::domain_name(value).map(Observable::Domain)?,
        "domain|ip" => {
            let (domain, ip) = value
                .split_once('|')
                .ok_or_else(|| format!("a {ty} value must be domain|address; found '{value}'"))?;
            let domain = observable::domain_name(domain)?;
            Observable::address(ip, Role::Unspecified)?.write_to(m);
            Observable::Domain(domain)
        }
        "url" => observable::url(value).map(Observable::Url)?,
        "email-src" => {
            let address = observable::email(value)?;
            if let Some((_, d)) = address.rsplit_once('@') {
                m.insert("emailSourceDomain".into(), Value::String(d.to_string()));
            }
            Observable::EmailSender(address)
        }
        "email-dst" => observable::email(value).map(Observable::EmailRecipient)?,
        "email-subject" => Observable::EmailSubject(value.to_string()),
        _ => return hash_properties(ty, value, m),
    }
    .write_to(m);
    Ok(())
}

/// `ip-dst`, `ip-src` (with the object's port, if any), `ip-dst|port`, `ip-src|port`.
fn address_properties(
    ty: &str,
    value: &str,
    ports: Option<&ObjectPorts>,
    m: &mut Map<String, Value>,
) -> Result<(), String> {
    let role = if ty.starts_with("ip-dst") {
        Role::Destination
    } else {
        Role::Source
    };
    let (address, port) = if ty.ends_with("|port") {
        let (ip, port) = split(value, ty, "address|port")?;
        let port: u16 = port
            .trim()
            .parse()
            .map_err(|_| format!("'{port}' is not a port number (0 to 65535)"))?;
        (ip, Some(port))
    } else {
        let port = ports.and_then(|p| match role {
            Role::Destination => p.dst,
            _ => p.src,
        });
        (value, port)
    };
    Observable::address(address, role)?.write_to(m);
    if let Some(port) = port {
        m.insert(port_property(role).into(), Value::from(port));
    }
    Ok(())
}

/// `md5` … and `filename|md5` ….
fn hash_properties(ty: &str, value: &str, m: &mut Map<String, Value>) -> Result<(), String> {
    let (name, kind) = match ty.split_once('|') {
        Some((_, h)) => (true, h),
        None => (false, ty),
    };
    let kind = HashKind::from_name(kind)
        .ok_or_else(|| format!("MISP attribute type {ty} is not supported"))?;
    let hash = if name {
        let (file, hash) = split(value, ty, "file name|hash")?;
        if !file.trim().is_empty() {
            m.insert("fileName".into(), Value::String(file.trim().to_string()));
        }
        hash
    } else {
        value
    };
    Observable::hash(kind, hash)?.write_to(m);
    Ok(())
}

/// Splits `a|b` at the last `|`.
fn split<'a>(value: &'a str, ty: &str, shape: &str) -> Result<(&'a str, &'a str), String> {
    value
        .rsplit_once('|')
        .ok_or_else(|| format!("a {ty} value must be {shape}; found '{value}'"))
}

fn port_property(role: Role) -> &'static str {
    match role {
        Role::Source => "networkSourcePort",
        _ => "networkDestinationPort",
    }
}
