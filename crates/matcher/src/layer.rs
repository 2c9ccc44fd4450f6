//! One immutable set of indexes, one per kind of observable. A snapshot is a large base layer
//! plus a small overlay layer; both are built by [`LayerBuilder`].

use crate::entry::{Entries, Entry};
use crate::error::MatcherError;
use crate::exact::ExactTable;
use crate::exact_build::ExactBuilder;
use crate::observable::MAX_HASH_BYTES;
use crate::observable::{check_domain, check_email, check_hash, check_url, Observable, Query};
use crate::prefix::{PrefixBuilder, PrefixIndex};
use std::net::IpAddr;

/// Bit of a domain-label-count mask for a suffix of `labels` labels (63 stands for 63 or more).
pub(crate) fn label_bit(labels: usize) -> u64 {
    1u64 << labels.min(63)
}

/// Accumulates validated entries for one layer.
pub(crate) struct LayerBuilder {
    v4: PrefixBuilder<u32>,
    v6: PrefixBuilder<u128>,
    domains: ExactBuilder,
    urls: ExactBuilder,
    hashes: ExactBuilder,
    emails: ExactBuilder,
    domain_labels: u64,
    keys: Vec<u32>,
}

impl LayerBuilder {
    /// An empty builder.
    pub(crate) fn new() -> LayerBuilder {
        LayerBuilder {
            v4: PrefixBuilder::new(),
            v6: PrefixBuilder::new(),
            domains: ExactBuilder::new("domain"),
            urls: ExactBuilder::new("URL"),
            hashes: ExactBuilder::new("file hash"),
            emails: ExactBuilder::new("e-mail"),
            domain_labels: 0,
            keys: Vec::new(),
        }
    }

    /// Number of entries added.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Checks `observable` and adds `entry` on it.
    pub(crate) fn insert(
        &mut self,
        observable: Observable,
        entry: Entry,
    ) -> Result<(), MatcherError> {
        match observable {
            Observable::Ip(addr) => self.push_ip(addr, full_length(addr), entry)?,
            Observable::Cidr(addr, len) => {
                let max = full_length(addr);
                if len > max {
                    return Err(MatcherError::PrefixTooLong { addr, len, max });
                }
                self.push_ip(addr, len, entry)?;
            }
            Observable::Domain(domain) => {
                let labels = check_domain(domain)?;
                self.domains.push(domain.as_bytes(), entry)?;
                self.domain_labels |= label_bit(labels);
            }
            Observable::Url(url) => {
                check_url(url)?;
                self.urls.push(url.as_bytes(), entry)?;
            }
            Observable::Hash(hex) => {
                let mut buf = [0; MAX_HASH_BYTES];
                self.hashes.push(check_hash(hex, &mut buf)?, entry)?;
            }
            Observable::Email(email) => {
                check_email(email)?;
                self.emails.push(email.as_bytes(), entry)?;
            }
        }
        self.keys.push(entry.key);
        Ok(())
    }

    fn push_ip(&mut self, addr: IpAddr, len: u8, entry: Entry) -> Result<(), MatcherError> {
        match addr {
            IpAddr::V4(v4) => self.v4.push(u32::from(v4), len, entry),
            IpAddr::V6(v6) => self.v6.push(u128::from(v6), len, entry),
        }
    }

    /// Copies every entry of `layer` whose key passes `keep` (values are already checked).
    pub(crate) fn absorb(
        &mut self,
        layer: &Layer,
        keep: impl Fn(u32) -> bool,
    ) -> Result<(), MatcherError> {
        let mut result = Ok(());
        let mut keys = Vec::new();
        let mut take = |pushed: Result<(), MatcherError>, key: u32| match pushed {
            Ok(()) => keys.push(key),
            Err(error) => result = Err(error),
        };
        layer.v4.for_each(|net, len, e| {
            if keep(e.key) {
                take(self.v4.push(net, len, e), e.key);
            }
        });
        layer.v6.for_each(|net, len, e| {
            if keep(e.key) {
                take(self.v6.push(net, len, e), e.key);
            }
        });
        let mut labels = 0;
        layer.domains.for_each(|value, e| {
            if keep(e.key) {
                labels |= label_bit(1 + value.iter().filter(|b| **b == b'.').count());
                take(self.domains.push(value, e), e.key);
            }
        });
        self.domain_labels |= labels;
        for (from, to) in [
            (&layer.urls, &mut self.urls),
            (&layer.hashes, &mut self.hashes),
            (&layer.emails, &mut self.emails),
        ] {
            from.for_each(|value, e| {
                if keep(e.key) {
                    take(to.push(value, e), e.key);
                }
            });
        }
        self.keys.extend(keys);
        result
    }

    /// Indexes everything added.
    pub(crate) fn build(mut self) -> Layer {
        debug_assert_eq!(
            self.keys.len(),
            self.v4.len()
                + self.v6.len()
                + self.domains.len()
                + self.urls.len()
                + self.hashes.len()
                + self.emails.len()
        );
        self.keys.sort_unstable();
        Layer {
            v4: self.v4.build(),
            v6: self.v6.build(),
            domains: self.domains.build(),
            urls: self.urls.build(),
            hashes: self.hashes.build(),
            emails: self.emails.build(),
            domain_labels: self.domain_labels,
            keys: self.keys.into_boxed_slice(),
        }
    }
}

fn full_length(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// Immutable indexes of one layer.
pub(crate) struct Layer {
    pub(crate) v4: PrefixIndex<u32>,
    pub(crate) v6: PrefixIndex<u128>,
    pub(crate) domains: ExactTable,
    pub(crate) urls: ExactTable,
    pub(crate) hashes: ExactTable,
    pub(crate) emails: ExactTable,
    /// Which label counts occur among the domains ([`label_bit`]).
    pub(crate) domain_labels: u64,
    /// The key of every entry, sorted (for counting what a removal masks).
    keys: Box<[u32]>,
}

impl Layer {
    /// A layer with nothing in it.
    pub(crate) fn empty() -> Layer {
        Layer {
            v4: PrefixIndex::default(),
            v6: PrefixIndex::default(),
            domains: ExactTable::default(),
            urls: ExactTable::default(),
            hashes: ExactTable::default(),
            emails: ExactTable::default(),
            domain_labels: 0,
            keys: Box::default(),
        }
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Number of entries with `key`.
    pub(crate) fn count_key(&self, key: u32) -> usize {
        let start = self.keys.partition_point(|k| *k < key);
        let end = self.keys.partition_point(|k| *k <= key);
        end - start
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.v4.memory_bytes()
            + self.v6.memory_bytes()
            + self.domains.memory_bytes()
            + self.urls.memory_bytes()
            + self.hashes.memory_bytes()
            + self.emails.memory_bytes()
            + self.keys.len() * 4
    }

    /// The exact table a domain, URL, file-hash or e-mail query reads (none for an address).
    #[inline]
    pub(crate) fn table(&self, query: Query<'_>) -> Option<&ExactTable> {
        match query {
            Query::Domain(_) => Some(&self.domains),
            Query::Url(_) => Some(&self.urls),
            Query::Hash(_) => Some(&self.hashes),
            Query::Email(_) => Some(&self.emails),
            Query::Ip(_) => None,
        }
    }

    /// Entries on exactly the domain `suffix` (whose [`crate::probe::value_hash`] is `hash`), if
    /// its label count (`bit`, see [`label_bit`]) occurs at all.
    #[inline]
    pub(crate) fn domain(&self, suffix: &[u8], bit: u64, hash: u64) -> Option<Entries<'_>> {
        if self.domain_labels & bit == 0 {
            return None;
        }
        self.domains.get(suffix, hash)
    }
}
