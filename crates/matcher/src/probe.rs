//! What a lookup of a value starts from: its hashes, computed once per query and shared by the
//! base and overlay layers and by the prefetch steps of a batch ([`Probe`]).
//!
//! Every exact table hashes with one process-wide hasher ([`value_hash`], randomly seeded at
//! first use), so a value has the same hash in every table of every snapshot.

use crate::judge::Suffixes;
use crate::layer::label_bit;
use crate::observable::{decode_hex, Query, MAX_HASH_BYTES};
use foldhash::fast::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// Domain suffixes a probe holds; a lookup finds and hashes any further ones itself.
const MAX_SUFFIXES: usize = 4;

/// The hash of a value (domain, URL, hash bytes, e-mail) in every exact table.
#[inline]
pub(crate) fn value_hash(value: &[u8]) -> u64 {
    static HASHER: OnceLock<RandomState> = OnceLock::new();
    HASHER.get_or_init(RandomState::default).hash_one(value)
}

/// What a query's lookup needs computed: nothing for an address or a hash that is not hex; the
/// value's hash for a URL, e-mail or file hash (of its bytes); for a domain, the suffixes whose
/// label count occurs among the indexed domains, longest first, with their hashes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Probe {
    count: usize,
    /// A domain has further suffixes than the probe holds that may be indexed.
    more: bool,
    hashes: [u64; MAX_SUFFIXES],
    /// Byte offset of each suffix held in the domain, and its label count.
    starts: [u32; MAX_SUFFIXES],
    labels: [u32; MAX_SUFFIXES],
}

impl Probe {
    /// The probe of `query`; `domain_labels` is the label-count mask ([`label_bit`]) of every
    /// layer the lookup reads.
    #[inline]
    pub(crate) fn new(query: Query<'_>, domain_labels: u64) -> Probe {
        let mut probe = Probe::default();
        match query {
            Query::Ip(_) => {}
            Query::Url(value) | Query::Email(value) => probe.hold(value_hash(value.as_bytes())),
            Query::Hash(hex) => {
                let mut buf = [0; MAX_HASH_BYTES];
                if let Some(bytes) = decode_hex(hex, &mut buf) {
                    probe.hold(value_hash(bytes));
                }
            }
            Query::Domain(domain) => probe.hold_suffixes(domain, domain_labels),
        }
        probe
    }

    fn hold(&mut self, hash: u64) {
        self.hashes[0] = hash;
        self.count = 1;
    }

    fn hold_suffixes(&mut self, domain: &str, mask: u64) {
        // Offsets and label counts are held as u32: a longer "domain" is walked by the lookup.
        let Some(len) = u32::try_from(domain.len())
            .ok()
            .filter(|len| *len < u32::MAX)
        else {
            self.more = true;
            return;
        };
        let indexed = Suffixes::new(domain).filter(|(_, labels)| mask & label_bit(*labels) != 0);
        for (suffix, labels) in indexed {
            let Some(at) = (self.count < MAX_SUFFIXES).then_some(self.count) else {
                self.more = true;
                return;
            };
            self.hashes[at] = value_hash(suffix);
            self.starts[at] = len - suffix.len() as u32;
            self.labels[at] = labels as u32;
            self.count += 1;
        }
    }

    /// The hashes held, in order.
    #[inline]
    pub(crate) fn hashes(&self) -> &[u64] {
        &self.hashes[..self.count]
    }

    /// The hash of a URL, e-mail or file hash query (0 if it has none: it matches nothing).
    #[inline]
    pub(crate) fn value(&self) -> u64 {
        self.hashes[0]
    }

    /// The suffixes of the domain query `domain` whose label count is in `mask` (the one the
    /// probe was made with), longest first, with label count and hash: the ones held, then any
    /// further ones.
    #[inline]
    pub(crate) fn suffixes<'a>(
        &'a self,
        domain: &'a str,
        mask: u64,
    ) -> impl Iterator<Item = (&'a [u8], usize, u64)> + 'a {
        let bytes = domain.as_bytes();
        let held = (0..self.count).map(move |at| {
            let suffix = bytes.get(self.starts[at] as usize..).unwrap_or_default();
            (suffix, self.labels[at] as usize, self.hashes[at])
        });
        let last = self.count.checked_sub(1).map(|at| self.starts[at] as usize);
        let further = self.more.then(move || {
            Suffixes::new(domain)
                .skip_while(move |(suffix, _)| {
                    last.is_some_and(|l| bytes.len() - suffix.len() <= l)
                })
                .filter(move |(_, labels)| mask & label_bit(*labels) != 0)
                .map(|(suffix, labels)| (suffix, labels, value_hash(suffix)))
        });
        held.chain(further.into_iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(probe: &Probe, domain: &str, mask: u64) -> Vec<(String, usize, u64)> {
        probe
            .suffixes(domain, mask)
            .map(|(s, n, h)| (String::from_utf8_lossy(s).into_owned(), n, h))
            .collect()
    }

    fn expected(domain: &str, mask: u64) -> Vec<(String, usize, u64)> {
        Suffixes::new(domain)
            .filter(|(_, n)| mask & label_bit(*n) != 0)
            .map(|(s, n)| (String::from_utf8_lossy(s).into_owned(), n, value_hash(s)))
            .collect()
    }

    #[test]
    fn domain_suffixes_past_the_probe_are_found_by_the_lookup() {
        let domain = "a.b.c.d.e.f.g.h";
        for mask in [u64::MAX, 0b1_0101_0100, 0b100, 0] {
            let probe = Probe::new(Query::Domain(domain), mask);
            let want = expected(domain, mask);
            assert_eq!(probe.hashes().len(), want.len().min(MAX_SUFFIXES));
            assert_eq!(walk(&probe, domain, mask), want, "mask {mask:b}");
        }
        let probe = Probe::new(Query::Domain(domain), u64::MAX);
        assert_eq!(walk(&probe, domain, u64::MAX).len(), 8);
        assert_eq!(walk(&probe, domain, u64::MAX)[5].0, "f.g.h");
    }

    #[test]
    fn values_are_hashed_once_whatever_the_case_of_hex() {
        let upper = Probe::new(Query::Hash("00FF"), 0);
        let lower = Probe::new(Query::Hash("00ff"), 0);
        assert_eq!(upper.hashes(), [value_hash(&[0, 255])]);
        assert_eq!(upper.value(), lower.value());
        assert!(Probe::new(Query::Hash("0g"), 0).hashes().is_empty());
        assert!(Probe::new(Query::Ip([10, 0, 0, 1].into()), 0)
            .hashes()
            .is_empty());
        assert_eq!(
            Probe::new(Query::Url("https://x/"), 0).hashes(),
            [value_hash(b"https://x/")]
        );
    }
}
