//! A naive reference matcher (a list scanned linearly) that the index is checked against, and
//! owned observables for property tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod strategies;

use matcher::{Entry, Hit, Observable, Query, Verdict, EXACT_SPECIFICITY};
use std::net::IpAddr;

/// An owned observable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Ip(IpAddr),
    Cidr(IpAddr, u8),
    Domain(String),
    Url(String),
    Hash(String),
    Email(String),
}

impl Value {
    pub fn observable(&self) -> Observable<'_> {
        match self {
            Value::Ip(a) => Observable::Ip(*a),
            Value::Cidr(a, l) => Observable::Cidr(*a, *l),
            Value::Domain(d) => Observable::Domain(d),
            Value::Url(u) => Observable::Url(u),
            Value::Hash(h) => Observable::Hash(h),
            Value::Email(e) => Observable::Email(e),
        }
    }
}

/// An owned query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    Ip(IpAddr),
    Domain(String),
    Url(String),
    Hash(String),
    Email(String),
}

impl Ask {
    pub fn query(&self) -> Query<'_> {
        match self {
            Ask::Ip(a) => Query::Ip(*a),
            Ask::Domain(d) => Query::Domain(d),
            Ask::Url(u) => Query::Url(u),
            Ask::Hash(h) => Query::Hash(h),
            Ask::Email(e) => Query::Email(e),
        }
    }
}

fn bits(addr: IpAddr) -> (u128, u8) {
    match addr {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

/// Whether `addr/len` contains `query` (same family).
fn contains(addr: IpAddr, len: u8, query: IpAddr) -> bool {
    let ((a, family), (q, query_family)) = (bits(addr), bits(query));
    if family != query_family {
        return false;
    }
    let shift = u32::from(family - len);
    shift >= 128 || (a >> shift) == (q >> shift)
}

/// The specificity at which `value` matches `ask`, if it does.
pub fn matches(value: &Value, ask: &Ask) -> Option<u8> {
    match (value, ask) {
        (Value::Ip(a), Ask::Ip(q)) => contains(*a, bits(*a).1, *q).then_some(bits(*a).1),
        (Value::Cidr(a, l), Ask::Ip(q)) => contains(*a, *l, *q).then_some(*l),
        (Value::Domain(d), Ask::Domain(q)) => {
            let hit = q == d || q.ends_with(&format!(".{d}"));
            hit.then(|| d.split('.').count() as u8)
        }
        (Value::Url(u), Ask::Url(q)) => (u == q).then_some(EXACT_SPECIFICITY),
        (Value::Email(e), Ask::Email(q)) => (e == q).then_some(EXACT_SPECIFICITY),
        (Value::Hash(h), Ask::Hash(q)) => h.eq_ignore_ascii_case(q).then_some(EXACT_SPECIFICITY),
        _ => None,
    }
}

/// Every live match, sorted like `Snapshot::all_matches`.
pub fn all(items: &[(Value, Entry)], ask: &Ask, now: i64) -> Vec<Hit> {
    let mut hits: Vec<Hit> = items
        .iter()
        .filter(|(_, e)| e.is_live(now))
        .filter_map(|(v, e)| {
            matches(v, ask).map(|specificity| Hit {
                key: e.key,
                action: e.action,
                expires: e.expires,
                specificity,
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        (b.specificity, a.key, a.action, a.expires).cmp(&(
            a.specificity,
            b.key,
            b.action,
            b.expires,
        ))
    });
    hits
}

/// The verdict the rules give: most specific live level, greatest action there, all its keys.
pub fn verdict(
    items: &[(Value, Entry)],
    ask: &Ask,
    now: i64,
) -> Option<(matcher::Action, u8, Vec<u32>)> {
    let hits = all(items, ask, now);
    let top = hits.first()?.specificity;
    let level: Vec<&Hit> = hits.iter().filter(|h| h.specificity == top).collect();
    let action = level.iter().map(|h| h.action).max()?;
    let mut keys: Vec<u32> = level.iter().map(|h| h.key).collect();
    keys.sort_unstable();
    Some((action, top, keys))
}

/// A verdict in the reference's shape.
pub fn shape(v: Option<Verdict>) -> Option<(matcher::Action, u8, Vec<u32>)> {
    v.map(|v| (v.action, v.specificity, v.keys.to_vec()))
}

/// Builds a snapshot of `items` from scratch.
pub fn build(items: &[(Value, Entry)]) -> matcher::Snapshot {
    let mut builder = matcher::SnapshotBuilder::new();
    for (value, entry) in items {
        builder.insert(value.observable(), *entry).unwrap();
    }
    builder.build()
}
