//! The observables secgraph imports and exports, written once: how each is checked, which
//! tiIndicator properties hold it, and which STIX object path expresses it.
//!
//! | observable | tiIndicator properties | STIX path (export; import accepts the same) |
//! |---|---|---|
//! | IPv4 / IPv6 address | `networkDestinationIPv4/IPv6` (import from STIX, MISP `ip-dst`), `networkSourceIPv4/IPv6` (MISP `ip-src`), `networkIPv4/IPv6` (MISP `domain\|ip`) | `ipv4-addr:value`, `ipv6-addr:value` |
//! | CIDR block | `networkDestinationCidrBlock`, `networkSourceCidrBlock`, `networkCidrBlock` | `ipv4-addr:value`, `ipv6-addr:value` |
//! | domain | `domainName` | `domain-name:value` |
//! | URL | `url` | `url:value` |
//! | file hash | `fileHashType` (`md5`, `sha1`, `sha256`) + `fileHashValue` | `file:hashes.MD5`, `file:hashes.'SHA-1'`, `file:hashes.'SHA-256'` (import also takes `SHA1`, `SHA256`, any case) |
//! | sender | `emailSenderAddress` | `email-message:from_ref.value` (import also takes `email-addr:value`) |
//! | recipient | `emailRecipient` | `email-message:to_refs[*].value` |
//! | subject | `emailSubject` | `email-message:subject` |
//!
//! Export reads every property in the middle column; the other tiIndicator observables (ports,
//! `fileName`, `userAgent`, …) have no single-comparison STIX form that keeps the OR semantics and
//! are left out of the pattern.

pub(crate) use super::hostname::{domain_name, email, url};
use super::pattern::{CompareOp, Literal, ObjectPath, PathStep, PropTest, Span};
use serde_json::{Map, Value};
use std::net::IpAddr;

/// Which side of a connection an address is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Destination,
    Source,
    Unspecified,
}

/// A Graph file hash type secgraph imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashKind {
    Md5,
    Sha1,
    Sha256,
}

impl HashKind {
    /// From a Graph `fileHashType`, a MISP type or a STIX hash name (any case, `-` optional).
    pub fn from_name(name: &str) -> Option<HashKind> {
        match name.to_ascii_lowercase().replace('-', "").as_str() {
            "md5" => Some(HashKind::Md5),
            "sha1" => Some(HashKind::Sha1),
            "sha256" => Some(HashKind::Sha256),
            _ => None,
        }
    }

    fn graph(self) -> &'static str {
        match self {
            HashKind::Md5 => "md5",
            HashKind::Sha1 => "sha1",
            HashKind::Sha256 => "sha256",
        }
    }

    fn stix(self) -> &'static str {
        match self {
            HashKind::Md5 => "MD5",
            HashKind::Sha1 => "SHA-1",
            HashKind::Sha256 => "SHA-256",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            HashKind::Md5 => 32,
            HashKind::Sha1 => 40,
            HashKind::Sha256 => 64,
        }
    }
}

/// One observable, checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Observable {
    Ip(IpAddr, Role),
    Cidr { text: String, v6: bool, role: Role },
    Domain(String),
    Url(String),
    Hash(HashKind, String),
    EmailSender(String),
    EmailRecipient(String),
    EmailSubject(String),
}

impl Observable {
    /// An address or CIDR block for `role`.
    pub fn address(text: &str, role: Role) -> Result<Observable, String> {
        let text = text.trim();
        if let Some((addr, prefix)) = text.split_once('/') {
            let ip: IpAddr = addr.parse().map_err(|_| {
                format!("'{text}' is not a CIDR block: '{addr}' is not an IP address")
            })?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            match prefix.parse::<u8>() {
                Ok(p) if p <= max => Ok(Observable::Cidr {
                    text: format!("{ip}/{p}"),
                    v6: ip.is_ipv6(),
                    role,
                }),
                _ => Err(format!(
                    "'{text}' is not a CIDR block: the prefix length must be 0 to {max}"
                )),
            }
        } else {
            text.parse::<IpAddr>()
                .map(|ip| Observable::Ip(ip, role))
                .map_err(|_| format!("'{text}' is not an IP address"))
        }
    }

    /// A file hash of `kind`; the value is lower-cased.
    pub fn hash(kind: HashKind, text: &str) -> Result<Observable, String> {
        let text = text.trim();
        if text.len() == kind.hex_len() && text.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Observable::Hash(kind, text.to_ascii_lowercase()))
        } else {
            Err(format!(
                "'{text}' is not a {} hash: expected {} hex digits",
                kind.graph(),
                kind.hex_len()
            ))
        }
    }

    /// Adds the Graph properties holding this observable to `obj`.
    pub fn write_to(&self, obj: &mut Map<String, Value>) {
        let mut put = |k: &str, v: &str| {
            obj.insert(k.into(), Value::String(v.into()));
        };
        match self {
            Observable::Ip(ip, role) => put(&ip_property(role, ip.is_ipv6()), &ip.to_string()),
            Observable::Cidr { text, role, .. } => put(cidr_property(*role), text),
            Observable::Domain(d) => put("domainName", d),
            Observable::Url(u) => put("url", u),
            Observable::Hash(kind, v) => {
                put("fileHashType", kind.graph());
                put("fileHashValue", v);
            }
            Observable::EmailSender(a) => put("emailSenderAddress", a),
            Observable::EmailRecipient(a) => put("emailRecipient", a),
            Observable::EmailSubject(s) => put("emailSubject", s),
        }
    }

    /// The STIX comparison `path = 'value'` expressing this observable.
    pub fn to_prop_test(&self) -> PropTest {
        let (object_type, steps, value): (&str, Vec<PathStep>, String) = match self {
            Observable::Ip(ip, _) => (ip_type(ip.is_ipv6()), key("value"), ip.to_string()),
            Observable::Cidr { text, v6, .. } => (ip_type(*v6), key("value"), text.clone()),
            Observable::Domain(d) => ("domain-name", key("value"), d.clone()),
            Observable::Url(u) => ("url", key("value"), u.clone()),
            Observable::Hash(kind, v) => {
                let steps = vec![
                    PathStep::Key("hashes".into()),
                    PathStep::Key(kind.stix().into()),
                ];
                ("file", steps, v.clone())
            }
            Observable::EmailSender(a) => {
                ("email-message", keys(&["from_ref", "value"]), a.clone())
            }
            Observable::EmailRecipient(a) => {
                let steps = vec![
                    PathStep::Key("to_refs".into()),
                    PathStep::Index(None),
                    PathStep::Key("value".into()),
                ];
                ("email-message", steps, a.clone())
            }
            Observable::EmailSubject(s) => ("email-message", key("subject"), s.clone()),
        };
        let span = Span::new(0, 0);
        PropTest {
            path: ObjectPath {
                object_type: object_type.into(),
                steps,
                span,
            },
            negated: false,
            op: CompareOp::Eq,
            value: Literal::Str(value),
            span,
        }
    }
}

fn key(k: &str) -> Vec<PathStep> {
    vec![PathStep::Key(k.into())]
}

fn keys(ks: &[&str]) -> Vec<PathStep> {
    ks.iter().map(|k| PathStep::Key((*k).into())).collect()
}

fn ip_type(v6: bool) -> &'static str {
    if v6 {
        "ipv6-addr"
    } else {
        "ipv4-addr"
    }
}

fn ip_property(role: &Role, v6: bool) -> String {
    let prefix = match role {
        Role::Destination => "networkDestination",
        Role::Source => "networkSource",
        Role::Unspecified => "network",
    };
    format!("{prefix}{}", if v6 { "IPv6" } else { "IPv4" })
}

fn cidr_property(role: Role) -> &'static str {
    match role {
        Role::Destination => "networkDestinationCidrBlock",
        Role::Source => "networkSourceCidrBlock",
        Role::Unspecified => "networkCidrBlock",
    }
}

/// The exportable observables of a tiIndicator, and the names of the observable properties it has
/// that cannot be exported (no STIX form here, or a value that fails the import checks).
pub(crate) fn observables_of(ti: &Map<String, Value>) -> (Vec<Observable>, Vec<String>) {
    let mut found = Vec::new();
    let mut other = Vec::new();
    for (k, v) in ti {
        let empty = v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
        if k == "fileHashType" || !is_observable_property(k) || empty {
            continue;
        }
        match v
            .as_str()
            .and_then(|text| observable_from_property(ti, k, text))
        {
            Some(Ok(o)) => found.push(o),
            _ => other.push(k.clone()),
        }
    }
    (found, other)
}

fn observable_from_property(
    ti: &Map<String, Value>,
    k: &str,
    text: &str,
) -> Option<Result<Observable, String>> {
    let role = if k.starts_with("networkDestination") {
        Role::Destination
    } else if k.starts_with("networkSource") {
        Role::Source
    } else {
        Role::Unspecified
    };
    Some(match k {
        "networkDestinationIPv4"
        | "networkDestinationIPv6"
        | "networkSourceIPv4"
        | "networkSourceIPv6"
        | "networkIPv4"
        | "networkIPv6"
        | "networkDestinationCidrBlock"
        | "networkSourceCidrBlock"
        | "networkCidrBlock" => Observable::address(text, role),
        "domainName" => domain_name(text).map(Observable::Domain),
        "url" => url(text).map(Observable::Url),
        "fileHashValue" => {
            let kind = ti
                .get("fileHashType")
                .and_then(Value::as_str)
                .and_then(HashKind::from_name);
            match kind {
                Some(kind) => Observable::hash(kind, text),
                None => Err("fileHashType is not md5, sha1 or sha256".into()),
            }
        }
        "emailSenderAddress" => email(text).map(Observable::EmailSender),
        "emailRecipient" => email(text).map(Observable::EmailRecipient),
        "emailSubject" => Ok(Observable::EmailSubject(text.to_string())),
        _ => return None,
    })
}

fn is_observable_property(k: &str) -> bool {
    k.starts_with("email")
        || k.starts_with("file")
        || k.starts_with("network")
        || k == "domainName"
        || k == "url"
        || k == "userAgent"
}
