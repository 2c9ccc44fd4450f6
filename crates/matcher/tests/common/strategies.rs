//! Proptest strategies shared by the property tests: small value spaces, so that blocks nest,
//! domains share suffixes and values collide often.

use super::{Ask, Value};
use matcher::{Action, Entry};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The instant the tests ask at; entries expire around it.
pub const NOW: i64 = 50;

/// How large the generated cases are.
#[derive(Clone, Copy)]
pub struct Space {
    /// Most labels in a domain (queries with more labels than a probe holds need 9).
    pub max_labels: usize,
    /// Most indicators in a case.
    pub max_items: usize,
}

pub fn v4() -> impl Strategy<Value = IpAddr> {
    (0u32..4, 0u32..4, any::<u8>())
        .prop_map(|(a, b, c)| IpAddr::V4(Ipv4Addr::new(10, a as u8, b as u8, c)))
}

pub fn v6() -> impl Strategy<Value = IpAddr> {
    (0u16..3, any::<u16>())
        .prop_map(|(a, b)| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, a, 0, 0, 0, 0, b)))
}

pub fn domain(space: Space) -> impl Strategy<Value = String> {
    let label = prop::sample::select(vec!["a", "b", "ab", "ba", "c", "xn--d1a"]);
    prop::collection::vec(label, 1..=space.max_labels).prop_map(|labels| labels.join("."))
}

/// URLs short enough to sit in a table line, and long ones that go to the arena.
pub fn url(space: Space) -> impl Strategy<Value = String> {
    (domain(space), 0usize..80).prop_map(|(d, pad)| format!("https://{d}/{}", "p".repeat(pad)))
}

pub fn hash() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "00ff",
        "00fe",
        "abcdef",
        "d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ])
    .prop_map(str::to_owned)
}

pub fn value(space: Space) -> impl Strategy<Value = Value> {
    prop_oneof![
        v4().prop_map(Value::Ip),
        (v4(), 0u8..=32).prop_map(|(a, l)| Value::Cidr(a, l)),
        v6().prop_map(Value::Ip),
        (v6(), 0u8..=128).prop_map(|(a, l)| Value::Cidr(a, l)),
        domain(space).prop_map(Value::Domain),
        url(space).prop_map(Value::Url),
        hash().prop_map(Value::Hash),
        domain(space).prop_map(|d| Value::Email(format!("x@{d}"))),
    ]
}

/// Twelve keys, every action, expiries around [`NOW`].
pub fn entry() -> impl Strategy<Value = Entry> {
    let action = prop::sample::select(vec![Action::Alert, Action::Block, Action::Allow]);
    (0u32..12, action, 48i64..53)
        .prop_map(|(key, action, expires)| Entry::new(key, action, expires))
}

pub fn ask(space: Space) -> impl Strategy<Value = Ask> {
    prop_oneof![
        v4().prop_map(Ask::Ip),
        v6().prop_map(Ask::Ip),
        domain(space).prop_map(Ask::Domain),
        url(space).prop_map(Ask::Url),
        hash().prop_map(|h| Ask::Hash(h.to_uppercase())),
        hash().prop_map(Ask::Hash),
        // Not hex, odd, empty: match nothing.
        prop::sample::select(vec!["0g", "abc", "", "zz"]).prop_map(|h| Ask::Hash(h.into())),
        domain(space).prop_map(|d| Ask::Email(format!("x@{d}"))),
    ]
}

pub fn items(space: Space) -> impl Strategy<Value = Vec<(Value, Entry)>> {
    prop::collection::vec((value(space), entry()), 0..space.max_items)
}
