//! [`Snapshot`]: one tenant's indicators at one moment, immutable and shared by readers, and
//! [`SnapshotBuilder`] that makes one from scratch.
//!
//! A snapshot is a base layer (shared through an `Arc` between successive snapshots), a small
//! overlay layer holding what was added since the base was built, and the sorted keys removed
//! from the base since. [`Snapshot::apply`] rebuilds only the overlay, until overlay and removals
//! together pass 1/32 of the base (at least 4,096 entries): then it rebuilds everything into a
//! new base, so the cost of a change stays proportional to the overlay, and lookups never pay for
//! more than one extra layer.

use crate::entry::{Entry, Hit, Verdict, EXACT_SPECIFICITY};
use crate::error::MatcherError;
use crate::judge::{IpLevels, Judge, Level};
use crate::layer::{label_bit, Layer, LayerBuilder};
use crate::observable::{decode_hex, Observable, Query, MAX_HASH_BYTES};
use crate::probe::Probe;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// Collects indicators, then [`SnapshotBuilder::build`]s a [`Snapshot`].
pub struct SnapshotBuilder {
    layer: LayerBuilder,
}

impl Default for SnapshotBuilder {
    fn default() -> Self {
        SnapshotBuilder::new()
    }
}

impl SnapshotBuilder {
    /// An empty builder.
    pub fn new() -> SnapshotBuilder {
        SnapshotBuilder {
            layer: LayerBuilder::new(),
        }
    }

    /// Adds `entry` on `observable`, after checking the value is normalised and well-formed;
    /// on error nothing is added.
    pub fn insert(&mut self, observable: Observable<'_>, entry: Entry) -> Result<(), MatcherError> {
        self.layer.insert(observable, entry)
    }

    /// Number of entries inserted.
    pub fn len(&self) -> usize {
        self.layer.len()
    }

    /// Whether nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.layer.len() == 0
    }

    /// Indexes everything inserted.
    pub fn build(self) -> Snapshot {
        Snapshot::from_base(self.layer.build())
    }
}

/// An immutable index of one tenant's indicators (see the crate docs).
pub struct Snapshot {
    pub(crate) base: Arc<Layer>,
    pub(crate) overlay: Layer,
    /// Keys removed from the base, sorted, deduplicated.
    pub(crate) removed: Vec<u32>,
    /// Base entries hidden by `removed`.
    pub(crate) masked: usize,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot::from_base(Layer::empty())
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("len", &self.len())
            .field("base_entries", &self.base.len())
            .field("overlay_entries", &self.overlay.len())
            .field("removed_keys", &self.removed.len())
            .field("memory_bytes", &self.memory_bytes())
            .finish()
    }
}

impl Snapshot {
    pub(crate) fn from_base(base: Layer) -> Snapshot {
        Snapshot {
            base: Arc::new(base),
            overlay: Layer::empty(),
            removed: Vec::new(),
            masked: 0,
        }
    }

    /// A snapshot with no indicators.
    pub fn empty() -> Snapshot {
        Snapshot::default()
    }

    /// Number of entries that can match (expired ones included: expiry is judged per lookup).
    pub fn len(&self) -> usize {
        self.base.len() - self.masked + self.overlay.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Changes not yet folded into the base: entries in the overlay plus base entries removed.
    pub fn pending_changes(&self) -> usize {
        self.overlay.len() + self.masked
    }

    /// Estimated heap bytes: the base (shared with the snapshots it was applied to), the overlay
    /// and the removed keys.
    pub fn memory_bytes(&self) -> usize {
        self.base.memory_bytes() + self.overlay.memory_bytes() + self.removed.capacity() * 4
    }

    fn judge(&self, now: i64) -> Judge<'_> {
        Judge {
            now,
            removed: &self.removed,
        }
    }

    /// The verdict for `query` at `now` (unix seconds), or `None` when no live entry matches.
    pub fn lookup(&self, query: Query<'_>, now: i64) -> Option<Verdict> {
        self.lookup_probed(query, &self.probe(query), now)
    }

    /// The verdict of the longest live block containing `addr`.
    pub fn lookup_ip(&self, addr: IpAddr, now: i64) -> Option<Verdict> {
        self.lookup(Query::Ip(addr), now)
    }

    /// The verdict of the longest live domain among `domain` and its parents.
    pub fn lookup_domain(&self, domain: &str, now: i64) -> Option<Verdict> {
        self.lookup(Query::Domain(domain), now)
    }

    /// The verdict on exactly `url`.
    pub fn lookup_url(&self, url: &str, now: i64) -> Option<Verdict> {
        self.lookup(Query::Url(url), now)
    }

    /// The verdict on the hash written as hex digits (either case); non-hex input matches nothing.
    pub fn lookup_hash(&self, hex: &str, now: i64) -> Option<Verdict> {
        self.lookup(Query::Hash(hex), now)
    }

    /// The verdict on exactly `email`.
    pub fn lookup_email(&self, email: &str, now: i64) -> Option<Verdict> {
        self.lookup(Query::Email(email), now)
    }

    /// Appends every live entry matching `query` at any level to `out` (most specific first,
    /// then by key, action, expiry) and returns how many; allocates only if `out` must grow.
    pub fn all_matches(&self, query: Query<'_>, now: i64, out: &mut Vec<Hit>) -> usize {
        self.all_matches_probed(query, &self.probe(query), now, out)
    }

    /// The hashes `query`'s lookup in this snapshot needs.
    #[inline]
    pub(crate) fn probe(&self, query: Query<'_>) -> Probe {
        Probe::new(query, self.base.domain_labels | self.overlay.domain_labels)
    }

    /// [`Snapshot::lookup`], from the query's [`Snapshot::probe`].
    #[inline]
    pub(crate) fn lookup_probed(
        &self,
        query: Query<'_>,
        probe: &Probe,
        now: i64,
    ) -> Option<Verdict> {
        let judge = self.judge(now);
        match query {
            Query::Ip(IpAddr::V4(v4)) => judge.verdict(self.v4_levels(u32::from(v4))),
            Query::Ip(IpAddr::V6(v6)) => judge.verdict(self.v6_levels(u128::from(v6))),
            Query::Domain(domain) => judge.verdict(self.domain_levels(domain, probe)),
            Query::Url(_) | Query::Hash(_) | Query::Email(_) => {
                judge.verdict(self.value_level(query, probe).into_iter())
            }
        }
    }

    /// [`Snapshot::all_matches`], from the query's [`Snapshot::probe`].
    pub(crate) fn all_matches_probed(
        &self,
        query: Query<'_>,
        probe: &Probe,
        now: i64,
        out: &mut Vec<Hit>,
    ) -> usize {
        let judge = self.judge(now);
        match query {
            Query::Ip(IpAddr::V4(v4)) => judge.all(self.v4_levels(u32::from(v4)), out),
            Query::Ip(IpAddr::V6(v6)) => judge.all(self.v6_levels(u128::from(v6)), out),
            Query::Domain(domain) => judge.all(self.domain_levels(domain, probe), out),
            Query::Url(_) | Query::Hash(_) | Query::Email(_) => {
                judge.all(self.value_level(query, probe).into_iter(), out)
            }
        }
    }

    fn v4_levels(&self, addr: u32) -> IpLevels<'_, u32> {
        IpLevels::new(self.base.v4.chain(addr), self.overlay.v4.chain(addr))
    }

    fn v6_levels(&self, addr: u128) -> IpLevels<'_, u128> {
        IpLevels::new(self.base.v6.chain(addr), self.overlay.v6.chain(addr))
    }

    /// The one level of a URL, e-mail or file-hash query, if a layer has its value (a hash that
    /// is not hex has none).
    #[inline]
    fn value_level(&self, query: Query<'_>, probe: &Probe) -> Option<Level<'_>> {
        let mut buf = [0; MAX_HASH_BYTES];
        let value = match query {
            Query::Url(value) | Query::Email(value) => value.as_bytes(),
            Query::Hash(hex) => decode_hex(hex, &mut buf)?,
            Query::Ip(_) | Query::Domain(_) => return None,
        };
        let base = self.base.table(query)?.get(value, probe.value());
        let overlay = self.overlay.table(query)?.get(value, probe.value());
        (base.is_some() || overlay.is_some()).then_some(Level {
            specificity: EXACT_SPECIFICITY,
            base,
            overlay,
        })
    }

    /// The levels of a domain query: each suffix that either layer has, longest first.
    #[inline]
    fn domain_levels<'a>(
        &'a self,
        domain: &'a str,
        probe: &'a Probe,
    ) -> impl Iterator<Item = Level<'a>> + 'a {
        let labels = self.base.domain_labels | self.overlay.domain_labels;
        probe
            .suffixes(domain, labels)
            .filter_map(move |(suffix, count, hash)| {
                let bit = label_bit(count);
                let base = self.base.domain(suffix, bit, hash);
                let overlay = self.overlay.domain(suffix, bit, hash);
                (base.is_some() || overlay.is_some()).then_some(Level {
                    specificity: count.min(usize::from(u8::MAX)) as u8,
                    base,
                    overlay,
                })
            })
    }
}
