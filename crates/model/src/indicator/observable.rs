//! [`Observable`]: one matchable value of an indicator, in its normal form, with the property it
//! came from. The matcher indexes these; event values go through the same
//! [`normalization`](super::normalization) functions before lookup.
//!
//! | kind | properties |
//! |---|---|
//! | `Ip` | networkIPv4, networkIPv6, networkDestinationIPv4, networkDestinationIPv6, networkSourceIPv4, networkSourceIPv6, emailSourceIpAddress |
//! | `Cidr` | networkCidrBlock, networkDestinationCidrBlock, networkSourceCidrBlock |
//! | `Domain` | domainName, emailSourceDomain |
//! | `Url` | url |
//! | `Hash` | fileHashValue (with fileHashType; `unknown` when absent) |
//! | `Email` | emailSenderAddress, emailRecipient |

use super::enums::FileHashType;
use super::normalization::{
    normalize_domain, normalize_email, normalize_hash, normalize_url, parse_cidr, parse_ip,
};
use super::TiIndicatorBody;
use std::net::IpAddr;

/// The kinds of matchable values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObservableKind {
    Ip,
    Cidr,
    Domain,
    Url,
    Hash,
    Email,
}

impl ObservableKind {
    /// A lowercase name (`ip`, `cidr`, `domain`, `url`, `hash`, `email`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ObservableKind::Ip => "ip",
            ObservableKind::Cidr => "cidr",
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::Hash => "hash",
            ObservableKind::Email => "email",
        }
    }
}

/// A normalised matchable value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ObservableValue {
    /// An address ([`parse_ip`]).
    Ip(IpAddr),
    /// A network address with host bits cleared, and its prefix length ([`parse_cidr`]).
    Cidr(IpAddr, u8),
    /// A host name ([`normalize_domain`]); matches the name and its subdomains.
    Domain(String),
    /// A URL ([`normalize_url`]).
    Url(String),
    /// A file hash ([`normalize_hash`]) and its type.
    Hash(FileHashType, String),
    /// An e-mail address ([`normalize_email`]).
    Email(String),
}

/// One matchable value of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Observable {
    /// The Graph property it came from (`networkDestinationIPv4`, ...).
    pub property: &'static str,
    /// The value in its normal form.
    pub value: ObservableValue,
}

impl Observable {
    /// The value's kind.
    pub fn kind(&self) -> ObservableKind {
        match self.value {
            ObservableValue::Ip(_) => ObservableKind::Ip,
            ObservableValue::Cidr(..) => ObservableKind::Cidr,
            ObservableValue::Domain(_) => ObservableKind::Domain,
            ObservableValue::Url(_) => ObservableKind::Url,
            ObservableValue::Hash(..) => ObservableKind::Hash,
            ObservableValue::Email(_) => ObservableKind::Email,
        }
    }

    /// The normal form as text (`10.0.0.0/8` for a block; the digest alone for a hash).
    pub fn text(&self) -> String {
        match &self.value {
            ObservableValue::Ip(ip) => ip.to_string(),
            ObservableValue::Cidr(ip, prefix) => format!("{ip}/{prefix}"),
            ObservableValue::Domain(s)
            | ObservableValue::Url(s)
            | ObservableValue::Hash(_, s)
            | ObservableValue::Email(s) => s.clone(),
        }
    }
}

impl TiIndicatorBody {
    /// Every matchable value, in the order of the table in [`self`](super::observable). A value
    /// that does not normalise (possible only for bodies not built by
    /// [`parse_new`](super::parse_new)/[`parse_patch`](super::parse_patch)) is left out.
    pub fn observables(&self) -> Vec<Observable> {
        let (n, e, f) = (&self.network, &self.email, &self.file);
        let mut out = Vec::new();
        let mut push = |property: &'static str, value: Option<ObservableValue>| {
            if let Some(value) = value {
                out.push(Observable { property, value });
            }
        };
        let ip = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| parse_ip(s).ok())
                .map(ObservableValue::Ip)
        };
        let cidr = |s: &Option<String>| {
            let parsed = s.as_deref().and_then(|s| parse_cidr(s).ok());
            parsed.map(|(ip, p)| ObservableValue::Cidr(ip, p))
        };
        let text = |s: &Option<String>, f: fn(&str) -> Result<String, String>| {
            s.as_deref().and_then(|s| f(s).ok())
        };
        push("networkIPv4", ip(&n.network_ipv4));
        push("networkIPv6", ip(&n.network_ipv6));
        push("networkDestinationIPv4", ip(&n.network_destination_ipv4));
        push("networkDestinationIPv6", ip(&n.network_destination_ipv6));
        push("networkSourceIPv4", ip(&n.network_source_ipv4));
        push("networkSourceIPv6", ip(&n.network_source_ipv6));
        push("emailSourceIpAddress", ip(&e.email_source_ip_address));
        push("networkCidrBlock", cidr(&n.network_cidr_block));
        push(
            "networkDestinationCidrBlock",
            cidr(&n.network_destination_cidr_block),
        );
        push("networkSourceCidrBlock", cidr(&n.network_source_cidr_block));
        push(
            "domainName",
            text(&n.domain_name, normalize_domain).map(ObservableValue::Domain),
        );
        push(
            "emailSourceDomain",
            text(&e.email_source_domain, normalize_domain).map(ObservableValue::Domain),
        );
        push("url", text(&n.url, normalize_url).map(ObservableValue::Url));
        let hash_type = f.file_hash_type.unwrap_or(FileHashType::Unknown);
        let hash = f
            .file_hash_value
            .as_deref()
            .and_then(|v| normalize_hash(hash_type, v).ok());
        push(
            "fileHashValue",
            hash.map(|h| ObservableValue::Hash(hash_type, h)),
        );
        push(
            "emailSenderAddress",
            text(&e.email_sender_address, normalize_email).map(ObservableValue::Email),
        );
        push(
            "emailRecipient",
            text(&e.email_recipient, normalize_email).map(ObservableValue::Email),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::parse_new;
    use serde_json::json;

    #[test]
    fn observables_are_listed_in_normal_form() {
        let item = json!({
            "action": "block", "description": "d", "expirationDateTime": "2026-12-31T00:00:00Z",
            "targetProduct": "Azure Sentinel", "threatType": "Malware", "tlpLevel": "amber",
            "domainName": "Bücher.Example.", "url": "HTTPS://Evil.Example:443/Drop.exe#x",
            "networkDestinationIPv4": "203.0.113.7", "networkSourceIPv6": "2001:DB8::1",
            "networkCidrBlock": "10.1.2.3/8", "emailSenderAddress": "Bad@Evil.Example",
            "emailSourceDomain": "MAIL.evil.example", "emailSourceIpAddress": "::ffff:192.0.2.5",
            "fileHashType": "sha1", "fileHashValue": "A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"
        });
        let body = parse_new(&item).unwrap();
        let got: Vec<(&str, &str, String)> = body
            .observables()
            .iter()
            .map(|o| (o.property, o.kind().as_str(), o.text()))
            .collect();
        let want = [
            ("networkDestinationIPv4", "ip", "203.0.113.7"),
            ("networkSourceIPv6", "ip", "2001:db8::1"),
            ("emailSourceIpAddress", "ip", "192.0.2.5"),
            ("networkCidrBlock", "cidr", "10.0.0.0/8"),
            ("domainName", "domain", "xn--bcher-kva.example"),
            ("emailSourceDomain", "domain", "mail.evil.example"),
            ("url", "url", "https://evil.example/Drop.exe"),
            (
                "fileHashValue",
                "hash",
                "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
            ),
            ("emailSenderAddress", "email", "bad@evil.example"),
        ];
        let want: Vec<(&str, &str, String)> = want
            .iter()
            .map(|(p, k, t)| (*p, *k, t.to_string()))
            .collect();
        assert_eq!(got, want);
        let hash = body
            .observables()
            .into_iter()
            .find(|o| o.kind() == ObservableKind::Hash);
        let hash = hash.map(|h| h.value);
        assert!(matches!(
            hash,
            Some(ObservableValue::Hash(FileHashType::Sha1, _))
        ));
    }
}
