//! The stop-list: entities too common to mean anything when two alerts share them (a private
//! address, `SYSTEM`, the empty file's hash, `localhost`, `microsoft.com`). A stop-listed entity
//! never links alerts and does not count towards an incident's entity cap.
//!
//! [`StopList`] is the configuration (every list replaceable; [`StopList::default`] is the
//! documented default); the engine compiles it into a [`StopIndex`] once.

use crate::entity::{Entity, EntityKind};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::net::IpAddr;

/// The address blocks stop-listed by default: unspecified, private (RFC 1918), shared
/// (RFC 6598), loopback, link-local, multicast, broadcast and their IPv6 counterparts (unique
/// local, link-local, multicast). Documentation ranges (192.0.2.0/24, 2001:db8::/32) are *not*
/// listed: examples and demos use them as public addresses.
pub const DEFAULT_IP_RANGES: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "255.255.255.255/32",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

/// Hashes of files every machine has: the empty file (MD5, SHA-1, SHA-256) and all-zero digests.
pub const DEFAULT_HASHES: &[&str] = &[
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "00000000000000000000000000000000",
    "0000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
];

/// Built-in and service accounts, matched on the account name whatever the domain, and their
/// well-known SIDs.
pub const DEFAULT_ACCOUNTS: &[&str] = &[
    "system",
    "local service",
    "localservice",
    "network service",
    "networkservice",
    "anonymous logon",
    "root",
    "nobody",
    "daemon",
    "www-data",
    "S-1-5-18",
    "S-1-5-19",
    "S-1-5-20",
    "S-1-5-7",
    "S-1-0-0",
    "S-1-1-0",
];

/// Host names that name no machine in particular.
pub const DEFAULT_HOSTS: &[&str] = &["localhost", "unknown", "localdomain"];

/// Domains (and their subdomains) that half of all traffic touches.
pub const DEFAULT_DOMAINS: &[&str] = &[
    "localhost",
    "local",
    "microsoft.com",
    "windows.com",
    "windowsupdate.com",
    "windows.net",
    "office.com",
    "office365.com",
    "office.net",
    "microsoftonline.com",
    "live.com",
    "msftncsi.com",
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "apple.com",
    "icloud.com",
    "amazonaws.com",
    "akamaiedge.net",
    "akamaihd.net",
    "cloudflare.com",
    "digicert.com",
    "in-addr.arpa",
    "ip6.arpa",
];

/// Placeholder values sources write when they know nothing, matched against any identifier (the
/// part after a `mde:`-style prefix too).
pub const DEFAULT_PLACEHOLDERS: &[&str] = &[
    "unknown",
    "n/a",
    "na",
    "null",
    "none",
    "-",
    "0",
    "00000000-0000-0000-0000-000000000000",
];

/// The stop-list configuration. Each list replaces its default when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StopList {
    /// IP blocks (`10.0.0.0/8`, `::1/128`; a bare address is one host).
    pub ip_ranges: Vec<String>,
    /// File hashes (hex).
    pub hashes: Vec<String>,
    /// Account names (any domain) and SIDs.
    pub accounts: Vec<String>,
    /// Device host names.
    pub hosts: Vec<String>,
    /// Domains; each covers its subdomains.
    pub domains: Vec<String>,
    /// Placeholder identifiers, for every kind.
    pub placeholders: Vec<String>,
    /// Exact entities (kind and normalised value), e.g. a tenant's shared egress address.
    pub entities: Vec<Entity>,
}

impl Default for StopList {
    fn default() -> Self {
        let own = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        StopList {
            ip_ranges: own(DEFAULT_IP_RANGES),
            hashes: own(DEFAULT_HASHES),
            accounts: own(DEFAULT_ACCOUNTS),
            hosts: own(DEFAULT_HOSTS),
            domains: own(DEFAULT_DOMAINS),
            placeholders: own(DEFAULT_PLACEHOLDERS),
            entities: Vec::new(),
        }
    }
}

impl StopList {
    /// An empty stop-list: every entity is strong.
    pub fn empty() -> StopList {
        StopList {
            ip_ranges: Vec::new(),
            hashes: Vec::new(),
            accounts: Vec::new(),
            hosts: Vec::new(),
            domains: Vec::new(),
            placeholders: Vec::new(),
            entities: Vec::new(),
        }
    }

    /// The IP blocks that do not parse (for configuration checks).
    pub fn invalid_ranges(&self) -> Vec<String> {
        self.ip_ranges
            .iter()
            .filter(|r| parse_block(r).is_none())
            .cloned()
            .collect()
    }
}

/// An address block as (first address, prefix length) in the IPv6 space (IPv4 mapped).
fn parse_block(s: &str) -> Option<(u128, u8)> {
    let (ip, prefix) = model::indicator::normalization::parse_cidr(s).ok()?;
    Some(match ip {
        IpAddr::V4(v4) => (u128::from(v4.to_ipv6_mapped()), prefix + 96),
        IpAddr::V6(v6) => (u128::from(v6), prefix),
    })
}

/// A compiled stop-list: one call per entity decides whether it is weak.
#[derive(Debug, Clone, Default)]
pub struct StopIndex {
    blocks: Vec<(u128, u8)>,
    hashes: HashSet<String>,
    accounts: HashSet<String>,
    hosts: HashSet<String>,
    domains: HashSet<String>,
    placeholders: HashSet<String>,
    entities: HashSet<Entity>,
}

impl StopIndex {
    /// Compiles `list`; entries that do not parse are ignored ([`StopList::invalid_ranges`]).
    pub fn new(list: &StopList) -> StopIndex {
        let lower = |v: &[String]| v.iter().map(|s| s.trim().to_lowercase()).collect();
        StopIndex {
            blocks: list
                .ip_ranges
                .iter()
                .filter_map(|r| parse_block(r))
                .collect(),
            hashes: lower(&list.hashes),
            accounts: lower(&list.accounts),
            hosts: lower(&list.hosts),
            domains: lower(&list.domains),
            placeholders: lower(&list.placeholders),
            entities: list.entities.iter().cloned().collect(),
        }
    }

    /// Whether `entity` (normalised) is weak.
    pub fn is_weak(&self, entity: &Entity) -> bool {
        self.is_weak_value(entity.kind, &entity.value) || self.entities.contains(entity)
    }

    fn is_weak_value(&self, kind: EntityKind, value: &str) -> bool {
        let bare = value.split_once(':').map_or(value, |(_, rest)| rest);
        let placeholder = |v: &str| match v.bytes().any(|b| b.is_ascii_uppercase()) {
            true => self.placeholders.contains(&v.to_ascii_lowercase()),
            false => self.placeholders.contains(v),
        };
        match kind {
            EntityKind::Ip => self.weak_ip(value),
            EntityKind::FileHash => self.hashes.contains(value) || placeholder(value),
            EntityKind::Domain => self.weak_domain(value),
            EntityKind::User => self.weak_user(value, bare) || placeholder(bare),
            EntityKind::Device => {
                (value.starts_with("name:") && self.hosts.contains(bare)) || placeholder(bare)
            }
            EntityKind::Url | EntityKind::Mailbox | EntityKind::CloudResource => placeholder(value),
        }
    }

    fn weak_ip(&self, value: &str) -> bool {
        let Ok(ip) = value.parse::<IpAddr>() else {
            return true;
        };
        let addr = match ip {
            IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
            IpAddr::V6(v6) => u128::from(v6),
        };
        self.blocks.iter().any(|&(net, prefix)| {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            addr & mask == net & mask
        })
    }

    fn weak_domain(&self, value: &str) -> bool {
        let mut rest = value;
        loop {
            if self.domains.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) => rest = parent,
                None => return false,
            }
        }
    }

    fn weak_user(&self, value: &str, bare: &str) -> bool {
        if value.starts_with("sid:") {
            return self.accounts.contains(&bare.to_lowercase());
        }
        if let Some(account) = value.strip_prefix("account:") {
            let name = account.split_once('\\').map_or(account, |(_, n)| n);
            return self.accounts.contains(name);
        }
        if let Some(upn) = value.strip_prefix("upn:") {
            let name = upn.split_once('@').map_or(upn, |(n, _)| n);
            return self.accounts.contains(name);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weak(kind: EntityKind, value: &str) -> bool {
        StopIndex::new(&StopList::default()).is_weak(&Entity::new(kind, value))
    }

    #[test]
    fn default_stop_list_catches_the_documented_noise_and_nothing_strong() {
        for ip in [
            "10.1.2.3",
            "192.168.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "224.0.0.251",
        ] {
            assert!(weak(EntityKind::Ip, ip), "{ip}");
        }
        for ip in ["::1", "fe80::1", "fd00::5", "0.0.0.0", "100.64.1.1"] {
            assert!(weak(EntityKind::Ip, ip), "{ip}");
        }
        for ip in ["203.0.113.7", "8.8.8.8", "2001:db8::7", "172.32.0.1"] {
            assert!(!weak(EntityKind::Ip, ip), "{ip}");
        }
        assert!(weak(
            EntityKind::FileHash,
            "d41d8cd98f00b204e9800998ecf8427e"
        ));
        assert!(!weak(EntityKind::FileHash, &"ab".repeat(32)));
        assert!(weak(EntityKind::User, "account:nt authority\\system"));
        assert!(weak(EntityKind::User, "account:contoso\\local service"));
        assert!(weak(EntityKind::User, "sid:S-1-5-18"));
        assert!(!weak(EntityKind::User, "account:contoso\\alice"));
        assert!(!weak(EntityKind::User, "upn:alice@contoso.com"));
        assert!(weak(EntityKind::Device, "name:localhost"));
        assert!(weak(
            EntityKind::Device,
            "aad:00000000-0000-0000-0000-000000000000"
        ));
        assert!(!weak(EntityKind::Device, "name:ws01"));
        assert!(weak(EntityKind::Domain, "login.microsoftonline.com"));
        assert!(weak(EntityKind::Domain, "google.com"));
        assert!(!weak(EntityKind::Domain, "evil-google.com"));
        assert!(!weak(EntityKind::Url, "http://login.microsoftonline.com/x"));
    }

    #[test]
    fn exact_entities_and_custom_lists_replace_the_defaults() {
        let list = StopList {
            ip_ranges: vec!["203.0.113.0/24".into(), "not a block".into()],
            entities: vec![Entity::new(EntityKind::Mailbox, "noreply@contoso.com")],
            ..StopList::empty()
        };
        assert_eq!(list.invalid_ranges(), vec!["not a block".to_string()]);
        let index = StopIndex::new(&list);
        assert!(index.is_weak(&Entity::new(EntityKind::Ip, "203.0.113.9")));
        assert!(!index.is_weak(&Entity::new(EntityKind::Ip, "10.0.0.1")));
        assert!(index.is_weak(&Entity::new(EntityKind::Mailbox, "noreply@contoso.com")));
    }
}
