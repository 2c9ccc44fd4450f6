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
use crate::judge::{IpLevels, Judge, Level, Suffixes};
use crate::layer::{label_bit, Layer, LayerBuilder};
use crate::observable::{decode_hex, Observable, Query, MAX_HASH_BYTES};
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
        match query {
            Query::Ip(addr) => self.lookup_ip(addr, now),
            Query::Domain(domain) => self.lookup_domain(domain, now),
            Query::Url(url) => self.lookup_url(url, now),
            Query::Hash(hex) => self.lookup_hash(hex, now),
            Query::Email(email) => self.lookup_email(email, now),
        }
    }

    /// The verdict of the longest live block containing `addr`.
    pub fn lookup_ip(&self, addr: IpAddr, now: i64) -> Option<Verdict> {
        let judge = self.judge(now);
        match addr {
            IpAddr::V4(v4) => {
                let addr = u32::from(v4);
                judge.verdict(IpLevels::new(
                    self.base.v4_chain(addr),
                    self.overlay.v4_chain(addr),
                ))
            }
            IpAddr::V6(v6) => {
                let addr = u128::from(v6);
                judge.verdict(IpLevels::new(
                    self.base.v6_chain(addr),
                    self.overlay.v6_chain(addr),
                ))
            }
        }
    }

    /// The verdict of the longest live domain among `domain` and its parents.
    pub fn lookup_domain(&self, domain: &str, now: i64) -> Option<Verdict> {
        self.judge(now).verdict(self.domain_levels(domain))
    }

    /// The verdict on exactly `url`.
    pub fn lookup_url(&self, url: &str, now: i64) -> Option<Verdict> {
        let level = self.exact_level(|layer| layer.urls.get(url.as_bytes()));
        self.judge(now).verdict(level.into_iter())
    }

    /// The verdict on the hash written as hex digits (either case); non-hex input matches nothing.
    pub fn lookup_hash(&self, hex: &str, now: i64) -> Option<Verdict> {
        let mut buf = [0; MAX_HASH_BYTES];
        let bytes = decode_hex(hex, &mut buf)?;
        let level = self.exact_level(|layer| layer.hashes.get(bytes));
        self.judge(now).verdict(level.into_iter())
    }

    /// The verdict on exactly `email`.
    pub fn lookup_email(&self, email: &str, now: i64) -> Option<Verdict> {
        let level = self.exact_level(|layer| layer.emails.get(email.as_bytes()));
        self.judge(now).verdict(level.into_iter())
    }

    /// Appends every live entry matching `query` at any level to `out` (most specific first,
    /// then by key, action, expiry) and returns how many; allocates only if `out` must grow.
    pub fn all_matches(&self, query: Query<'_>, now: i64, out: &mut Vec<Hit>) -> usize {
        let judge = self.judge(now);
        match query {
            Query::Ip(IpAddr::V4(v4)) => {
                let addr = u32::from(v4);
                judge.all(
                    IpLevels::new(self.base.v4_chain(addr), self.overlay.v4_chain(addr)),
                    out,
                )
            }
            Query::Ip(IpAddr::V6(v6)) => {
                let addr = u128::from(v6);
                judge.all(
                    IpLevels::new(self.base.v6_chain(addr), self.overlay.v6_chain(addr)),
                    out,
                )
            }
            Query::Domain(domain) => judge.all(self.domain_levels(domain), out),
            Query::Url(url) => judge.all(
                self.exact_level(|l| l.urls.get(url.as_bytes())).into_iter(),
                out,
            ),
            Query::Email(email) => judge.all(
                self.exact_level(|l| l.emails.get(email.as_bytes()))
                    .into_iter(),
                out,
            ),
            Query::Hash(hex) => {
                let mut buf = [0; MAX_HASH_BYTES];
                let Some(bytes) = decode_hex(hex, &mut buf) else {
                    return 0;
                };
                judge.all(self.exact_level(|l| l.hashes.get(bytes)).into_iter(), out)
            }
        }
    }

    fn exact_level<'a>(
        &'a self,
        get: impl Fn(&'a Layer) -> Option<crate::entry::Entries<'a>>,
    ) -> Option<Level<'a>> {
        let base = get(&self.base);
        let overlay = get(&self.overlay);
        (base.is_some() || overlay.is_some()).then_some(Level {
            specificity: EXACT_SPECIFICITY,
            base,
            overlay,
        })
    }

    fn domain_levels<'a>(&'a self, domain: &'a str) -> impl Iterator<Item = Level<'a>> + 'a {
        Suffixes::new(domain).filter_map(move |(suffix, labels)| {
            let bit = label_bit(labels);
            let base = self.base.domain(suffix, bit);
            let overlay = self.overlay.domain(suffix, bit);
            (base.is_some() || overlay.is_some()).then_some(Level {
                specificity: labels.min(usize::from(u8::MAX)) as u8,
                base,
                overlay,
            })
        })
    }
}
