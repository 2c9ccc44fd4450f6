//! The address policy: which IP addresses an outbound connection may reach, as a pure function
//! ([`check`]) over tables of named ranges, plus the URL checks made before a request is sent
//! ([`check_url`]).
//!
//! Under [`AddressPolicy::Public`] every address that is not a plain public unicast address is
//! refused: loopback, private, link-local (the cloud metadata service at 169.254.169.254 among
//! them), carrier-grade NAT, "this network" and unspecified, broadcast, multicast, reserved, and
//! the documentation and benchmarking ranges. An IPv6 address that embeds an IPv4 one (IPv4-mapped,
//! IPv4-compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) is refused when the
//! embedded address is, so `::ffff:127.0.0.1` cannot smuggle a loopback connection past the
//! check. [`AddressPolicy::AllowPrivate`] allows every address; it exists for destinations an
//! administrator registered on purpose (a provider on the same network, a test double on
//! loopback).
//!
//! The check is made where the connection is opened: the `resolver` module applies it to every
//! address a name resolves to, and [`check_url`] to a URL whose host is an IP literal (those never
//! reach a resolver). Checking a URL's name ahead of time would be useless against DNS rebinding.

use crate::error::OutboundError;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// Which addresses a request may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressPolicy {
    /// Public unicast addresses only (see the module docs); the default for anything a tenant or
    /// an API caller chose, such as a webhook's notification URL.
    #[default]
    Public,
    /// Every address, loopback and private ranges included.
    AllowPrivate,
}

impl AddressPolicy {
    /// [`AddressPolicy::AllowPrivate`] when `allow_private`, else [`AddressPolicy::Public`].
    pub fn from_allow_private(allow_private: bool) -> Self {
        if allow_private {
            AddressPolicy::AllowPrivate
        } else {
            AddressPolicy::Public
        }
    }
}

/// A named block of addresses that [`AddressPolicy::Public`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// The block in CIDR notation, such as `127.0.0.0/8`.
    pub cidr: &'static str,
    /// What it is, such as `loopback`.
    pub name: &'static str,
}

/// How an IPv6 address carries an IPv4 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// `::ffff:a.b.c.d`.
    Mapped,
    /// `::a.b.c.d` (deprecated).
    Compatible,
    /// `64:ff9b::a.b.c.d`, the NAT64 well-known prefix.
    Nat64,
    /// `2002:AABB:CCDD::/48`, 6to4.
    SixToFour,
    /// `2001:0::/32` with the client address inverted in the last 32 bits, Teredo.
    Teredo,
}

impl fmt::Display for Embedding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Embedding::Mapped => "IPv4-mapped",
            Embedding::Compatible => "IPv4-compatible",
            Embedding::Nat64 => "NAT64",
            Embedding::SixToFour => "6to4",
            Embedding::Teredo => "Teredo",
        })
    }
}

/// Why an address was refused: the address, the range it falls in, the IPv4 address it embeds
/// (when that is what was refused) and the name it was resolved from (when it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The refused address.
    pub ip: IpAddr,
    /// The range it (or the IPv4 address it embeds) falls in.
    pub range: Range,
    /// The embedded IPv4 address that was refused, and how it was embedded.
    pub embedded: Option<(Embedding, Ipv4Addr)>,
    /// The host name that resolved to `ip`; `None` for an IP literal.
    pub host: Option<String>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            Some(host) => write!(f, "{host} resolves to {}, which", self.ip)?,
            None => write!(f, "{}", self.ip)?,
        }
        if let Some((how, v4)) = self.embedded {
            write!(f, " embeds {v4} ({how}), which")?;
        }
        write!(f, " is in {} ({})", self.range.cidr, self.range.name)?;
        f.write_str("; only public addresses may be reached")
    }
}

impl std::error::Error for Refusal {}

const fn range(cidr: &'static str, name: &'static str) -> Range {
    Range { cidr, name }
}

/// Refused IPv4 blocks: (network, prefix length, range). The first match names the refusal, so
/// the broadcast address comes before the reserved block that contains it.
const V4: &[(u32, u32, Range)] = &[
    (
        0x0000_0000,
        8,
        range("0.0.0.0/8", "this network, incl. the unspecified address"),
    ),
    (0x0A00_0000, 8, range("10.0.0.0/8", "private")),
    (0x6440_0000, 10, range("100.64.0.0/10", "carrier-grade NAT")),
    (0x7F00_0000, 8, range("127.0.0.0/8", "loopback")),
    (
        0xA9FE_0000,
        16,
        range(
            "169.254.0.0/16",
            "link-local, incl. the cloud metadata service",
        ),
    ),
    (0xAC10_0000, 12, range("172.16.0.0/12", "private")),
    (
        0xC000_0000,
        24,
        range("192.0.0.0/24", "IETF protocol assignments"),
    ),
    (
        0xC000_0200,
        24,
        range("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ),
    (0xC0A8_0000, 16, range("192.168.0.0/16", "private")),
    (0xC612_0000, 15, range("198.18.0.0/15", "benchmarking")),
    (
        0xC633_6400,
        24,
        range("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ),
    (
        0xCB00_7100,
        24,
        range("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ),
    (0xE000_0000, 4, range("224.0.0.0/4", "multicast")),
    (0xFFFF_FFFF, 32, range("255.255.255.255/32", "broadcast")),
    (0xF000_0000, 4, range("240.0.0.0/4", "reserved")),
];

/// Refused IPv6 blocks, checked after the embedded IPv4 forms.
const V6: &[(u128, u32, Range)] = &[
    (0, 128, range("::/128", "unspecified")),
    (1, 128, range("::1/128", "loopback")),
    (0, 96, range("::/96", "IPv4-compatible (deprecated)")),
    (
        0x0064_ff9b_0001 << 80,
        48,
        range("64:ff9b:1::/48", "local-use NAT64"),
    ),
    (0x0100 << 112, 64, range("100::/64", "discard-only")),
    (0x2001_0002 << 96, 48, range("2001:2::/48", "benchmarking")),
    (
        0x2001_0db8 << 96,
        32,
        range("2001:db8::/32", "documentation"),
    ),
    (0x3fff << 112, 20, range("3fff::/20", "documentation")),
    (
        0xfc00 << 112,
        7,
        range("fc00::/7", "unique local (private)"),
    ),
    (0xfe80 << 112, 10, range("fe80::/10", "link-local")),
    (
        0xfec0 << 112,
        10,
        range("fec0::/10", "site-local (deprecated)"),
    ),
    (0xff00 << 112, 8, range("ff00::/8", "multicast")),
];

/// Checks one address against `policy`; the refusal names the range at fault.
pub fn check(ip: IpAddr, policy: AddressPolicy) -> Result<(), Refusal> {
    if policy == AddressPolicy::AllowPrivate {
        return Ok(());
    }
    let refused = |range, embedded| Refusal {
        ip,
        range,
        embedded,
        host: None,
    };
    match ip {
        IpAddr::V4(v4) => v4_range(v4).map_or(Ok(()), |r| Err(refused(r, None))),
        IpAddr::V6(v6) => {
            if let Some((how, v4)) = embedded_v4(v6) {
                if let Some(r) = v4_range(v4) {
                    return Err(refused(r, Some((how, v4))));
                }
            }
            v6_range(v6).map_or(Ok(()), |r| Err(refused(r, None)))
        }
    }
}

fn v4_range(ip: Ipv4Addr) -> Option<Range> {
    let bits = u32::from(ip);
    V4.iter()
        .find(|(net, len, _)| bits & mask32(*len) == *net)
        .map(|(_, _, r)| *r)
}

fn v6_range(ip: Ipv6Addr) -> Option<Range> {
    let bits = u128::from(ip);
    V6.iter()
        .find(|(net, len, _)| bits & mask128(*len) == *net)
        .map(|(_, _, r)| *r)
}

fn mask32(len: u32) -> u32 {
    u32::MAX.checked_shl(32 - len.min(32)).unwrap_or(0)
}

fn mask128(len: u32) -> u128 {
    u128::MAX.checked_shl(128 - len.min(128)).unwrap_or(0)
}

/// The IPv4 address an IPv6 address carries, if it has one of the forms of [`Embedding`]. `::`
/// and `::1` are not IPv4-compatible addresses; they are left to the IPv6 table.
fn embedded_v4(ip: Ipv6Addr) -> Option<(Embedding, Ipv4Addr)> {
    let bits = u128::from(ip);
    // The last 32 bits; the truncation is the point.
    let low = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some((Embedding::Mapped, v4));
    }
    if bits >> 32 == 0 && bits > 1 {
        return Some((Embedding::Compatible, low));
    }
    if bits >> 32 == 0x0064_ff9b << 64 {
        return Some((Embedding::Nat64, low));
    }
    if bits >> 112 == 0x2002 {
        let v4 = ((bits >> 80) & 0xffff_ffff) as u32;
        return Some((Embedding::SixToFour, Ipv4Addr::from(v4)));
    }
    if bits >> 96 == 0x2001_0000 {
        return Some((Embedding::Teredo, Ipv4Addr::from(!u32::from(low))));
    }
    None
}

/// Checks a URL before it is sent: `http` or `https` only, a host, no user name or password (a
/// credential in a URL ends up in logs; secgraph authenticates its calls otherwise), and, when the
/// host is an IP literal, the address against `policy` (a literal never reaches the resolver).
pub fn check_url(url: &Url, policy: AddressPolicy) -> Result<(), OutboundError> {
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(OutboundError::InvalidUrl(format!(
            "scheme '{}' is not allowed; use https or http",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(OutboundError::InvalidUrl(
            "the URL carries a user name or password; remove it".to_string(),
        ));
    }
    let ip = match url.host() {
        None => return Err(OutboundError::InvalidUrl("the URL has no host".to_string())),
        Some(Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        // `url` already turns every IPv4 spelling of a special scheme into an address; this
        // covers anything a connector might still read as a literal.
        Some(Host::Domain(name)) => name.parse::<IpAddr>().ok(),
    };
    match ip {
        Some(ip) => check(ip, policy).map_err(OutboundError::from),
        None => Ok(()),
    }
}
