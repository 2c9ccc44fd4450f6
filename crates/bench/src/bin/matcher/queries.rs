//! The benchmark's lookups: 40% IP addresses (matching addresses and blocks), 30% domains
//! (half of the hits on subdomains), 20% file hashes, 10% URLs; half hits, half misses. The
//! strings live in one arena so the timed loop measures the matcher, not the allocator.

use crate::data::{address, domain, hash, inside, label, url, Rng, Value};
use matcher::{Entry, Query, Snapshot};
use std::net::IpAddr;
use std::ops::Range;

/// The kinds of lookups, for per-kind figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// IPv4/IPv6 address.
    Ip,
    /// Domain or subdomain.
    Domain,
    /// Hex file hash.
    Hash,
    /// URL.
    Url,
}

impl Kind {
    /// All kinds, in report order.
    pub const ALL: [Kind; 4] = [Kind::Ip, Kind::Domain, Kind::Hash, Kind::Url];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ip => "ip",
            Kind::Domain => "domain",
            Kind::Hash => "hash",
            Kind::Url => "url",
        }
    }
}

#[derive(Clone, Debug)]
enum Stored {
    Ip(IpAddr),
    Text(Kind, Range<usize>),
}

/// A list of lookups with their strings in one arena.
#[derive(Clone, Debug, Default)]
pub struct QuerySet {
    stored: Vec<(Stored, bool)>,
    text: String,
}

impl QuerySet {
    /// Number of queries.
    pub fn len(&self) -> usize {
        self.stored.len()
    }

    /// The queries as the matcher takes them.
    pub fn iter(&self) -> impl Iterator<Item = Query<'_>> + '_ {
        self.stored.iter().map(|(stored, _)| match stored {
            Stored::Ip(addr) => Query::Ip(*addr),
            Stored::Text(kind, range) => {
                let text = &self.text[range.clone()];
                match kind {
                    Kind::Domain => Query::Domain(text),
                    Kind::Hash => Query::Hash(text),
                    Kind::Ip | Kind::Url => Query::Url(text),
                }
            }
        })
    }

    fn push_text(&mut self, kind: Kind, text: &str, hit: bool) {
        let start = self.text.len();
        self.text.push_str(text);
        self.stored
            .push((Stored::Text(kind, start..self.text.len()), hit));
    }

    /// The queries of `self` that pass `keep(kind, is_hit)`.
    pub fn filter(&self, keep: impl Fn(Kind, bool) -> bool) -> QuerySet {
        let mut out = QuerySet::default();
        for (stored, hit) in &self.stored {
            match stored {
                Stored::Ip(addr) if keep(Kind::Ip, *hit) => {
                    out.stored.push((Stored::Ip(*addr), *hit))
                }
                Stored::Text(kind, range) if keep(*kind, *hit) => {
                    out.push_text(*kind, &self.text[range.clone()], *hit);
                }
                _ => {}
            }
        }
        out
    }
}

/// `count` queries in the benchmark mix against `indicators` (half hits, checked on `snapshot`).
pub fn generate(
    count: usize,
    indicators: &[(Value, Entry)],
    snapshot: &Snapshot,
    now: i64,
    rng: &mut Rng,
) -> QuerySet {
    let by_kind = |kind: Kind| -> Vec<&Value> {
        indicators
            .iter()
            .map(|(value, _)| value)
            .filter(|value| value_kind(value) == kind)
            .collect()
    };
    let pools: Vec<Vec<&Value>> = Kind::ALL.iter().map(|k| by_kind(*k)).collect();
    let mut set = QuerySet::default();
    while set.len() < count {
        let kind = match rng.below(10) {
            0..=3 => Kind::Ip,
            4..=6 => Kind::Domain,
            7..=8 => Kind::Hash,
            _ => Kind::Url,
        };
        let pool = &pools[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)];
        if rng.percent(50) && !pool.is_empty() {
            let value = pool[rng.below(pool.len() as u64) as usize];
            push_hit(&mut set, value, rng);
        } else {
            push_miss(&mut set, kind, snapshot, now, rng);
        }
    }
    set
}

fn value_kind(value: &Value) -> Kind {
    match value {
        Value::Ip(_) | Value::Cidr(..) => Kind::Ip,
        Value::Domain(_) => Kind::Domain,
        Value::Hash(_) => Kind::Hash,
        Value::Url(_) => Kind::Url,
    }
}

/// The domain with 0 (50%), 1 (30%) or 2 (20%) random labels in front.
fn subdomain(domain: &str, rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=4 => domain.to_owned(),
        5..=7 => format!("{}.{domain}", label(rng)),
        _ => format!("{}.{}.{domain}", label(rng), label(rng)),
    }
}

fn push_hit(set: &mut QuerySet, value: &Value, rng: &mut Rng) {
    match value {
        Value::Ip(addr) => set.stored.push((Stored::Ip(*addr), true)),
        Value::Cidr(addr, len) => set
            .stored
            .push((Stored::Ip(inside(*addr, *len, rng)), true)),
        Value::Domain(d) => set.push_text(Kind::Domain, &subdomain(d, rng), true),
        Value::Hash(h) => set.push_text(Kind::Hash, h, true),
        Value::Url(u) => set.push_text(Kind::Url, u, true),
    }
}

fn push_miss(set: &mut QuerySet, kind: Kind, snapshot: &Snapshot, now: i64, rng: &mut Rng) {
    loop {
        match kind {
            Kind::Ip => {
                let addr = address(rng);
                if snapshot.lookup(Query::Ip(addr), now).is_none() {
                    set.stored.push((Stored::Ip(addr), false));
                    return;
                }
            }
            _ => {
                let text = match kind {
                    Kind::Domain => subdomain(&domain(rng), rng),
                    Kind::Hash => hash(rng),
                    _ => url(rng),
                };
                let query = match kind {
                    Kind::Domain => Query::Domain(&text),
                    Kind::Hash => Query::Hash(&text),
                    _ => Query::Url(&text),
                };
                if snapshot.lookup(query, now).is_none() {
                    set.push_text(kind, &text, false);
                    return;
                }
            }
        }
    }
}
