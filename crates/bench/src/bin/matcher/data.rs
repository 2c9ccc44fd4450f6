//! The deterministic indicator mix of the benchmark (seeded SplitMix64): 30% IPv4/IPv6
//! addresses, 10% CIDR blocks, 30% domains, 20% file hashes, 10% URLs; 80% of addresses and
//! blocks are IPv4. Block lengths lean long like real feeds (/31 most common, /8 rare).

use matcher::{Action, Entry, Observable};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub use bench::rng::Rng;

/// One generated indicator value.
#[derive(Clone, Debug)]
pub enum Value {
    /// An address.
    Ip(IpAddr),
    /// A block.
    Cidr(IpAddr, u8),
    /// A domain.
    Domain(String),
    /// A file hash (hex).
    Hash(String),
    /// A URL.
    Url(String),
}

impl Value {
    /// The value as the matcher takes it.
    pub fn observable(&self) -> Observable<'_> {
        match self {
            Value::Ip(addr) => Observable::Ip(*addr),
            Value::Cidr(addr, len) => Observable::Cidr(*addr, *len),
            Value::Domain(d) => Observable::Domain(d),
            Value::Hash(h) => Observable::Hash(h),
            Value::Url(u) => Observable::Url(u),
        }
    }
}

const TLDS: [&str; 16] = [
    "com", "net", "org", "ru", "cn", "io", "info", "xyz", "top", "de", "uk", "co", "biz", "online",
    "site", "club",
];

/// A random address: IPv4 80% of the time, else IPv6 in 2000::/4.
pub fn address(rng: &mut Rng) -> IpAddr {
    if rng.percent(80) {
        IpAddr::V4(Ipv4Addr::from(rng.next_u64() as u32))
    } else {
        let high = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        IpAddr::V6(Ipv6Addr::from((high >> 4) | (0x2u128 << 124)))
    }
}

fn block(rng: &mut Rng) -> Value {
    match address(rng) {
        v4 @ IpAddr::V4(_) => Value::Cidr(v4, 31 - rng.geometric(30, 23)),
        v6 @ IpAddr::V6(_) => Value::Cidr(v6, 64 - rng.geometric(30, 32)),
    }
}

/// A random label of 3 to 12 letters and digits.
pub fn label(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let len = 3 + rng.below(10);
    (0..len)
        .map(|_| char::from(CHARS[rng.below(CHARS.len() as u64) as usize]))
        .collect()
}

/// A random registrable-looking domain: one or two labels and a TLD.
pub fn domain(rng: &mut Rng) -> String {
    let tld = TLDS[rng.below(TLDS.len() as u64) as usize];
    if rng.percent(30) {
        format!("{}.{}.{tld}", label(rng), label(rng))
    } else {
        format!("{}.{tld}", label(rng))
    }
}

/// A random hex hash: MD5 30%, SHA-1 20%, SHA-256 50%.
pub fn hash(rng: &mut Rng) -> String {
    let bytes = match rng.below(10) {
        0..=2 => 16,
        3..=4 => 20,
        _ => 32,
    };
    (0..bytes)
        .map(|_| format!("{:02x}", rng.below(256)))
        .collect()
}

/// A random normalised URL on a random domain.
pub fn url(rng: &mut Rng) -> String {
    let mut url = format!("https://{}/", domain(rng));
    for _ in 0..1 + rng.below(3) {
        url.push_str(&label(rng));
        url.push('/');
    }
    if rng.percent(50) {
        url.push_str(&format!("index.php?id={}", rng.below(1_000_000)));
    }
    url
}

/// `count` indicators in the benchmark mix, keys 0..count, all live until `now` + 1..90 days.
pub fn indicators(count: usize, now: i64, rng: &mut Rng) -> Vec<(Value, Entry)> {
    (0..count)
        .map(|key| {
            let value = match rng.below(10) {
                0..=2 => Value::Ip(address(rng)),
                3 => block(rng),
                4..=6 => Value::Domain(domain(rng)),
                7..=8 => Value::Hash(hash(rng)),
                _ => Value::Url(url(rng)),
            };
            let action = match rng.below(100) {
                0..=84 => Action::Block,
                85..=94 => Action::Alert,
                _ => Action::Allow,
            };
            let expires = now + 86_400 * (1 + rng.below(90) as i64);
            (value, Entry::new(key as u32, action, expires))
        })
        .collect()
}

/// A random address inside the block `addr/len`.
pub fn inside(addr: IpAddr, len: u8, rng: &mut Rng) -> IpAddr {
    let noise = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
    match addr {
        IpAddr::V4(v4) => {
            let host = if len == 0 { u32::MAX } else { u32::MAX >> len };
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) | (noise as u32 & host)))
        }
        IpAddr::V6(v6) => {
            let host = if len == 0 {
                u128::MAX
            } else {
                u128::MAX >> len
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) | (noise & host)))
        }
    }
}
