//! The safety rail on `block`: addresses and names whose blocking would cut an organisation off
//! from itself or the internet — loopback, private, link-local and carrier-grade NAT ranges,
//! multicast, well-known public DNS resolvers, and the server's own addresses and host name. A
//! `block` indicator touching one of them (an address inside, a CIDR block overlapping, a domain
//! equal to or a parent of a protected name) is refused unless the client sets
//! `criticalInfrastructureOverride: true`, which then stays on the indicator as a visible flag.
//! `alert` and `allow` indicators, and passive-only ones (which never block), are not checked.

use super::{ObservableValue, TiAction, TiIndicatorBody};
use std::net::IpAddr;

/// One protected address block and why it is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Protected {
    network: IpAddr,
    prefix: u8,
    why: String,
}

/// The protected addresses and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalInfrastructure {
    networks: Vec<Protected>,
    names: Vec<(String, String)>,
}

/// The documented default list: `(block, reason)`.
pub const DEFAULT_NETWORKS: &[(&str, &str)] = &[
    ("127.0.0.0/8", "loopback"),
    ("::1/128", "loopback"),
    ("0.0.0.0/8", "this-network addresses"),
    ("10.0.0.0/8", "a private range"),
    ("172.16.0.0/12", "a private range"),
    ("192.168.0.0/16", "a private range"),
    ("100.64.0.0/10", "carrier-grade NAT space"),
    ("169.254.0.0/16", "link-local"),
    ("fe80::/10", "link-local"),
    ("fc00::/7", "a private (unique local) range"),
    ("224.0.0.0/4", "multicast"),
    ("ff00::/8", "multicast"),
    ("8.8.8.8/32", "a public DNS resolver (Google)"),
    ("8.8.4.4/32", "a public DNS resolver (Google)"),
    ("2001:4860:4860::8888/128", "a public DNS resolver (Google)"),
    ("2001:4860:4860::8844/128", "a public DNS resolver (Google)"),
    ("1.1.1.1/32", "a public DNS resolver (Cloudflare)"),
    ("1.0.0.1/32", "a public DNS resolver (Cloudflare)"),
    (
        "2606:4700:4700::1111/128",
        "a public DNS resolver (Cloudflare)",
    ),
    (
        "2606:4700:4700::1001/128",
        "a public DNS resolver (Cloudflare)",
    ),
    ("9.9.9.9/32", "a public DNS resolver (Quad9)"),
    ("149.112.112.112/32", "a public DNS resolver (Quad9)"),
    ("2620:fe::fe/128", "a public DNS resolver (Quad9)"),
    ("208.67.222.222/32", "a public DNS resolver (OpenDNS)"),
    ("208.67.220.220/32", "a public DNS resolver (OpenDNS)"),
];

/// Protected names by default.
pub const DEFAULT_NAMES: &[(&str, &str)] = &[("localhost", "loopback")];

impl Default for CriticalInfrastructure {
    fn default() -> Self {
        let networks = DEFAULT_NETWORKS
            .iter()
            .filter_map(|(block, why)| {
                let (network, prefix) = super::parse_cidr(block).ok()?;
                Some(Protected {
                    network,
                    prefix,
                    why: (*why).to_owned(),
                })
            })
            .collect();
        let names = DEFAULT_NAMES
            .iter()
            .map(|(n, why)| ((*n).to_owned(), (*why).to_owned()))
            .collect();
        CriticalInfrastructure { networks, names }
    }
}

impl CriticalInfrastructure {
    /// Protects the server's own address (an unspecified address protects nothing more).
    pub fn with_server_address(mut self, address: IpAddr) -> Self {
        if !address.is_unspecified() {
            let prefix = if address.is_ipv4() { 32 } else { 128 };
            self.networks.push(Protected {
                network: address,
                prefix,
                why: "this server's address".into(),
            });
        }
        self
    }

    /// Protects the server's own host name (from its public URL), or its address when the URL
    /// names one.
    pub fn with_server_host(self, host: &str) -> Self {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.with_server_address(ip);
        }
        match super::normalize_domain(host) {
            Ok(name) => {
                let mut this = self;
                this.names.push((name, "this server's host name".into()));
                this
            }
            Err(_) => self,
        }
    }

    /// Why blocking what `body` names is refused, or `None` when it may block (not a block, passive,
    /// overridden, or nothing protected touched). The message names the value and the reason.
    pub fn refusal(&self, body: &TiIndicatorBody) -> Option<String> {
        if body.action != Some(TiAction::Block)
            || body.passive_only
            || body.critical_infrastructure_override
        {
            return None;
        }
        body.observables().into_iter().find_map(|o| {
            let why = self.protects(&o.value)?;
            Some(format!(
                "{} '{}' is critical infrastructure ({why}): blocking it could cut off the \
                 organisation's own traffic. Use action 'alert' instead, or set \
                 criticalInfrastructureOverride to true to block it anyway.",
                o.property,
                o.text()
            ))
        })
    }

    fn protects(&self, value: &ObservableValue) -> Option<&str> {
        match value {
            ObservableValue::Ip(ip) => self.overlapping(*ip, if ip.is_ipv4() { 32 } else { 128 }),
            ObservableValue::Cidr(ip, prefix) => self.overlapping(*ip, *prefix),
            ObservableValue::Domain(d) => self
                .names
                .iter()
                .find(|(name, _)| name == d || name.ends_with(&format!(".{d}")))
                .map(|(_, why)| why.as_str()),
            _ => None,
        }
    }

    /// The reason of the first protected block that overlaps `ip/prefix`.
    fn overlapping(&self, ip: IpAddr, prefix: u8) -> Option<&str> {
        self.networks
            .iter()
            .find(|p| {
                let shorter = p.prefix.min(prefix);
                same_prefix(p.network, ip, shorter)
            })
            .map(|p| p.why.as_str())
    }
}

/// Whether `a` and `b` (same family) agree on their first `bits` bits.
fn same_prefix(a: IpAddr, b: IpAddr, bits: u8) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(bits.min(32)))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(bits.min(128)))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::parse_new;
    use serde_json::json;

    fn body(extra: serde_json::Value) -> TiIndicatorBody {
        let mut v = json!({"action": "block", "description": "d", "expirationDateTime": "2099-01-01",
            "targetProduct": "Azure Sentinel", "threatType": "C2", "tlpLevel": "green"});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        parse_new(&v).unwrap()
    }

    #[test]
    fn blocks_touching_protected_space_are_refused_with_the_reason() {
        let rails = CriticalInfrastructure::default()
            .with_server_address("203.0.113.10".parse().unwrap())
            .with_server_host("secgraph.corp.example");
        for (extra, why) in [
            (json!({"networkDestinationIPv4": "8.8.8.8"}), "Google"),
            (json!({"networkIPv4": "10.1.2.3"}), "private"),
            (
                json!({"networkDestinationCidrBlock": "8.0.0.0/7"}),
                "Google",
            ),
            (
                json!({"networkDestinationCidrBlock": "192.168.1.0/24"}),
                "private",
            ),
            (json!({"networkDestinationIPv6": "::1"}), "loopback"),
            (
                json!({"networkDestinationIPv4": "203.0.113.10"}),
                "this server",
            ),
            (json!({"domainName": "corp.example"}), "host name"),
            (json!({"domainName": "localhost"}), "loopback"),
        ] {
            let message = rails
                .refusal(&body(extra.clone()))
                .unwrap_or_else(|| panic!("{extra} passed"));
            assert!(
                message.contains(why) && message.contains("criticalInfrastructureOverride"),
                "{message}"
            );
        }
    }

    #[test]
    fn other_values_alerts_passive_and_overridden_blocks_pass() {
        let rails = CriticalInfrastructure::default();
        assert_eq!(
            rails.refusal(&body(json!({"networkDestinationIPv4": "8.8.8.9"}))),
            None
        );
        assert_eq!(
            rails.refusal(&body(json!({"networkDestinationCidrBlock": "11.0.0.0/8"}))),
            None
        );
        assert_eq!(
            rails.refusal(&body(json!({"domainName": "evil.example"}))),
            None
        );
        for extra in [
            json!({"networkDestinationIPv4": "8.8.8.8", "action": "alert"}),
            json!({"networkDestinationIPv4": "8.8.8.8", "passiveOnly": true}),
            json!({"networkDestinationIPv4": "8.8.8.8", "criticalInfrastructureOverride": true}),
        ] {
            assert_eq!(rails.refusal(&body(extra.clone())), None, "{extra}");
        }
    }
}
