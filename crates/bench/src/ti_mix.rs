//! The threat-indicator benchmark's indicators (`indicators` binary, `bench/indicators.sh`): a
//! deterministic mix, written as `submitTiIndicators` bodies.
//!
//! The mix (seeded SplitMix64, the matcher benchmark's shares): 30% addresses, 10% CIDR blocks,
//! 30% domains, 20% file hashes (half SHA-256, a quarter each SHA-1 and MD5), 10% URLs; 80% of
//! addresses and blocks are IPv4; blocks lean long like real feeds (/24 and longer 85% of the
//! time, /16 at most). Actions: 60% `alert`, 10% `block`, 30% `allow`.
//!
//! No two values overlap, and no event value the benchmark invents by mistake matches, so the
//! verdict of every generated event is known in advance ([`crate::ti_events`]):
//! - IPv4 blocks are carved, aligned and disjoint, from 20.0.0.0–59.255.255.255; IPv4 addresses
//!   are drawn from 60.0.0.0–99.255.255.255; missed addresses from 130.0.0.0–159.255.255.255;
//! - each IPv6 block (/48, /56 or /64) sits in its own /48 of 2400::/16; IPv6 addresses are drawn
//!   from 2600::/16, missed ones from 2c00::/16;
//! - an indicator domain is `label.tld` with an alphanumeric label, while URL hosts and missed
//!   names have a hyphen in their registrable label, so none is a subdomain of an indicator domain;
//! - hashes are random hex (a missed hash colliding has probability 2^-128).
//!
//! None of these ranges is critical infrastructure, so `block` indicators are accepted.

use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub use crate::rng::Rng;

/// What an indicator tells an enforcement point to do (`as_str` is the wire string, as in
/// `action` and in an event's `verdict`).
pub use matcher::Action;

/// A file hash algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashKind {
    /// SHA-256 (64 hex digits).
    Sha256,
    /// SHA-1 (40 hex digits).
    Sha1,
    /// MD5 (32 hex digits).
    Md5,
}

impl HashKind {
    /// The name in `fileHashType` and in ECS `file.hash.*`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashKind::Sha256 => "sha256",
            HashKind::Sha1 => "sha1",
            HashKind::Md5 => "md5",
        }
    }

    /// Hex digits of a hash of this kind.
    pub fn hex_len(self) -> usize {
        match self {
            HashKind::Sha256 => 64,
            HashKind::Sha1 => 40,
            HashKind::Md5 => 32,
        }
    }
}

/// An indicator's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Observable {
    /// An address.
    Ip(IpAddr),
    /// A block: its network address and prefix length.
    Cidr(IpAddr, u8),
    /// A domain name (it also matches its subdomains).
    Domain(String),
    /// A file hash.
    Hash(HashKind, String),
    /// A URL.
    Url(String),
}

/// One generated indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Its value.
    pub observable: Observable,
    /// Its action.
    pub action: Action,
}

/// The generated indicators, in submission order.
#[derive(Debug, Clone)]
pub struct IndicatorSet {
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// The seed they were generated from (part of each `externalId`).
    pub seed: u64,
}

/// Top-level domains of generated names.
pub const TLDS: [&str; 12] = [
    "com", "net", "org", "ru", "cn", "io", "info", "xyz", "top", "biz", "online", "site",
];

/// First IPv4 address of the block region (20.0.0.0) and the end of it (60.0.0.0).
const V4_BLOCKS: (u32, u32) = (20 << 24, 60 << 24);
/// The IPv4 address region: 60.0.0.0 and 40 × 2^24 addresses.
const V4_ADDRESSES: (u32, u64) = (60 << 24, 40 << 24);

/// Hands out disjoint, aligned blocks.
#[derive(Debug)]
struct Allocator {
    /// Next free IPv4 address of the block region.
    v4_next: u64,
    /// Next free /48 of 2400::/16.
    v6_next: u128,
}

impl IndicatorSet {
    /// `count` indicators from `seed`. Fails only when the IPv4 block region is exhausted (more
    /// than about two million indicators).
    pub fn generate(count: usize, seed: u64) -> Result<IndicatorSet, String> {
        let mut rng = Rng::new(seed);
        let mut alloc = Allocator {
            v4_next: u64::from(V4_BLOCKS.0),
            v6_next: 0,
        };
        let mut seen = HashSet::with_capacity(count);
        let mut indicators = Vec::with_capacity(count);
        while indicators.len() < count {
            let observable = observable(&mut rng, &mut alloc)?;
            if !seen.insert(observable.clone()) {
                continue;
            }
            let action = match rng.below(100) {
                0..=59 => Action::Alert,
                60..=69 => Action::Block,
                _ => Action::Allow,
            };
            indicators.push(Indicator { observable, action });
        }
        Ok(IndicatorSet { indicators, seed })
    }

    /// Indicator `i` as a `submitTiIndicators` item.
    pub fn submit_item(&self, i: usize) -> Value {
        let Some(indicator) = self.indicators.get(i) else {
            return Value::Null;
        };
        let threat = ["Botnet", "C2", "Malware", "Phishing", "MaliciousUrl"][i % 5];
        let mut item = json!({
            "action": indicator.action.as_str(),
            "description": format!("secgraph benchmark indicator {i}"),
            "expirationDateTime": "2099-01-01T00:00:00Z",
            "targetProduct": "Azure Sentinel",
            "threatType": threat,
            "tlpLevel": "amber",
            "severity": 3,
            "confidence": 80,
            "externalId": format!("bench-{}-{i}", self.seed),
        });
        if let Value::Object(map) = &mut item {
            observable_properties(&indicator.observable, map);
        }
        item
    }

    /// The `submitTiIndicators` bodies (`{"value": [...]}`), `batch` indicators each.
    pub fn submit_bodies(&self, batch: usize) -> Vec<Vec<u8>> {
        let batch = batch.max(1);
        (0..self.indicators.len())
            .step_by(batch)
            .map(|start| {
                let end = (start + batch).min(self.indicators.len());
                let items: Vec<Value> = (start..end).map(|i| self.submit_item(i)).collect();
                json!({ "value": items }).to_string().into_bytes()
            })
            .collect()
    }
}

/// Sets the properties that carry `observable` on a tiIndicator item.
fn observable_properties(observable: &Observable, map: &mut Map<String, Value>) {
    let (key, value) = match observable {
        Observable::Ip(IpAddr::V4(a)) => ("networkDestinationIPv4", a.to_string()),
        Observable::Ip(IpAddr::V6(a)) => ("networkDestinationIPv6", a.to_string()),
        Observable::Cidr(net, len) => ("networkDestinationCidrBlock", format!("{net}/{len}")),
        Observable::Domain(d) => ("domainName", d.clone()),
        Observable::Url(u) => ("url", u.clone()),
        Observable::Hash(kind, h) => {
            map.insert("fileHashType".into(), kind.as_str().into());
            ("fileHashValue", h.clone())
        }
    };
    map.insert(key.into(), value.into());
}

/// One random indicator value of the mix.
fn observable(rng: &mut Rng, alloc: &mut Allocator) -> Result<Observable, String> {
    Ok(match rng.below(100) {
        0..=29 if rng.percent(80) => Observable::Ip(IpAddr::V4(Ipv4Addr::from(
            V4_ADDRESSES.0 + rng.below(V4_ADDRESSES.1) as u32,
        ))),
        0..=29 => Observable::Ip(IpAddr::V6(Ipv6Addr::from(
            (0x2600_u128 << 112)
                | (u128::from(rng.next_u64()) << 48)
                | u128::from(rng.below(1 << 48)),
        ))),
        30..=39 if rng.percent(80) => alloc.v4_block(rng)?,
        30..=39 => alloc.v6_block(rng),
        40..=69 => {
            let len = 6 + rng.below(9) as usize;
            let label = rng.label(len);
            Observable::Domain(format!(
                "{label}.{}",
                TLDS[rng.below(TLDS.len() as u64) as usize]
            ))
        }
        70..=89 => {
            let kind = match rng.below(4) {
                0 | 1 => HashKind::Sha256,
                2 => HashKind::Sha1,
                _ => HashKind::Md5,
            };
            Observable::Hash(kind, rng.hex(kind.hex_len()))
        }
        _ => Observable::Url(format!(
            "http://{}-dl.{}/{}/{}.exe",
            rng.label(8),
            TLDS[rng.below(TLDS.len() as u64) as usize],
            rng.label(6),
            rng.label(8)
        )),
    })
}

impl Allocator {
    /// The next IPv4 block: prefix lengths /16 2%, /20 3%, /22 5%, /24 30%, /26 10%, /28 15%,
    /// /29 10%, /30 10%, /31 15%.
    fn v4_block(&mut self, rng: &mut Rng) -> Result<Observable, String> {
        let len: u8 = match rng.below(100) {
            0..=1 => 16,
            2..=4 => 20,
            5..=9 => 22,
            10..=39 => 24,
            40..=49 => 26,
            50..=64 => 28,
            65..=74 => 29,
            75..=84 => 30,
            _ => 31,
        };
        let size = 1_u64 << (32 - len);
        let start = self.v4_next.div_ceil(size) * size;
        if start + size > u64::from(V4_BLOCKS.1) {
            return Err("the IPv4 block region (20.0.0.0-59.255.255.255) is exhausted: generate fewer indicators".into());
        }
        self.v4_next = start + size;
        let net = Ipv4Addr::from(u32::try_from(start).map_err(|e| e.to_string())?);
        Ok(Observable::Cidr(IpAddr::V4(net), len))
    }

    /// The next IPv6 block: a /48 (30%), /56 (20%) or /64 (50%) at the start of its own /48.
    fn v6_block(&mut self, rng: &mut Rng) -> Observable {
        let len = match rng.below(10) {
            0..=2 => 48,
            3..=4 => 56,
            _ => 64,
        };
        let net = (0x2400_u128 << 112) | (self.v6_next << 80);
        self.v6_next += 1;
        Observable::Cidr(IpAddr::V6(Ipv6Addr::from(net)), len)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_mix_is_deterministic_unique_and_has_every_kind() {
        let a = IndicatorSet::generate(5_000, 7).unwrap();
        let b = IndicatorSet::generate(5_000, 7).unwrap();
        assert_eq!(a.indicators, b.indicators);
        let unique: HashSet<_> = a.indicators.iter().map(|i| &i.observable).collect();
        assert_eq!(unique.len(), 5_000);
        let count =
            |f: fn(&Observable) -> bool| a.indicators.iter().filter(|i| f(&i.observable)).count();
        assert!((1_200..1_800).contains(&count(|o| matches!(o, Observable::Ip(_)))));
        assert!((300..700).contains(&count(|o| matches!(o, Observable::Cidr(..)))));
        assert!((1_200..1_800).contains(&count(|o| matches!(o, Observable::Domain(_)))));
        assert!((750..1_250).contains(&count(|o| matches!(o, Observable::Hash(..)))));
        assert!((300..700).contains(&count(|o| matches!(o, Observable::Url(_)))));
        let allow = a
            .indicators
            .iter()
            .filter(|i| i.action == Action::Allow)
            .count();
        assert!((1_200..1_800).contains(&allow), "{allow}");
    }

    #[test]
    fn ipv4_blocks_are_aligned_and_disjoint() {
        let set = IndicatorSet::generate(20_000, 1).unwrap();
        let mut blocks: Vec<(u64, u64)> = set
            .indicators
            .iter()
            .filter_map(|i| match i.observable {
                Observable::Cidr(IpAddr::V4(net), len) => {
                    let start = u64::from(u32::from(net));
                    assert_eq!(start % (1 << (32 - len)), 0, "{net}/{len} is not aligned");
                    Some((start, start + (1 << (32 - len))))
                }
                _ => None,
            })
            .collect();
        blocks.sort_unstable();
        assert!(blocks.windows(2).all(|w| w[0].1 <= w[1].0));
        assert!(blocks.iter().all(|b| b.1 <= u64::from(V4_BLOCKS.1)));
    }

    #[test]
    fn submit_bodies_carry_every_indicator_once_in_batches() {
        let set = IndicatorSet::generate(25, 3).unwrap();
        let bodies = set.submit_bodies(10);
        assert_eq!(bodies.len(), 3);
        let items: Vec<Value> = bodies
            .iter()
            .flat_map(|b| {
                serde_json::from_slice::<Value>(b).unwrap()["value"]
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .collect();
        assert_eq!(items.len(), 25);
        assert_eq!(items[24]["externalId"], "bench-3-24");
        for (item, indicator) in items.iter().zip(&set.indicators) {
            assert_eq!(item["action"], indicator.action.as_str());
            if let Observable::Hash(kind, h) = &indicator.observable {
                assert_eq!(
                    (
                        item["fileHashType"].as_str(),
                        item["fileHashValue"].as_str()
                    ),
                    (Some(kind.as_str()), Some(h.as_str()))
                );
            }
        }
    }
}
