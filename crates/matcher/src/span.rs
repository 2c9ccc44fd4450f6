//! The ranges of a [`PrefixIndex`] and the walk from an address's range outwards through the
//! blocks containing it.
//!
//! A [`Span`] carries, besides its first address and owner, a copy of the owner's entry when the
//! owner has exactly one (the common case: a single address or block named by one indicator), so
//! the usual IP lookup reads the span and is done; the owner's record is read only to go further
//! out (expired or removed entry, or all matches wanted).

use crate::entry::{Action, Entries, Entry};
use crate::prefix::{AddrBits, PrefixIndex, NONE};

/// `single_len` of a span whose owner does not have exactly one entry.
const NO_SINGLE: u8 = u8::MAX;

/// A range of addresses from `start` to the next span's start, owned by a block record (or
/// `NONE`), with the owner's prefix length and entry when it has exactly one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span<K> {
    pub(crate) start: K,
    pub(crate) owner: u32,
    expires: i64,
    key: u32,
    action: Action,
    single_len: u8,
}

impl<K: AddrBits> Span<K> {
    /// A span without a copied entry.
    pub(crate) fn new(start: K, owner: u32) -> Span<K> {
        Span {
            start,
            owner,
            expires: 0,
            key: 0,
            action: Action::Alert,
            single_len: NO_SINGLE,
        }
    }

    /// Copies the owner's prefix length and entry into the span (when it has only that one).
    pub(crate) fn set_single(&mut self, len: u8, entry: Entry) {
        (self.expires, self.key, self.action, self.single_len) =
            (entry.expires, entry.key, entry.action, len);
    }

    /// Where a walk from this span starts.
    #[inline]
    fn first_step(&self) -> Step {
        if self.owner == NONE {
            Step::Record(NONE)
        } else if self.single_len == NO_SINGLE {
            Step::Record(self.owner)
        } else {
            Step::Single {
                len: self.single_len,
                entry: Entry::new(self.key, self.action, self.expires),
                owner: self.owner,
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Step {
    /// The owner's single entry, copied in the span.
    Single { len: u8, entry: Entry, owner: u32 },
    /// The record at this offset (`NONE`: the walk is over).
    Record(u32),
    /// The parent of the record at this offset.
    ParentOf(u32),
}

/// Iterator over the blocks containing an address, most specific first, as (prefix length,
/// entries).
pub(crate) struct Chain<'a, K> {
    index: &'a PrefixIndex<K>,
    step: Step,
}

impl<'a, K: AddrBits> Chain<'a, K> {
    /// The walk from `span` (none: nothing contains the address).
    #[inline]
    pub(crate) fn new(index: &'a PrefixIndex<K>, span: Option<&Span<K>>) -> Self {
        let step = span.map_or(Step::Record(NONE), Span::first_step);
        Chain { index, step }
    }
}

impl<'a, K: AddrBits> Iterator for Chain<'a, K> {
    type Item = (u8, Entries<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.step {
                Step::Single { len, entry, owner } => {
                    self.step = Step::ParentOf(owner);
                    return Some((len, Entries::One(entry)));
                }
                Step::ParentOf(offset) => {
                    let record = self.index.record(offset)?;
                    self.step = Step::Record(record.parent);
                }
                Step::Record(NONE) => return None,
                Step::Record(offset) => {
                    let record = self.index.record(offset)?;
                    self.step = Step::Record(record.parent);
                    return Some((record.len, record.entries));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_small() {
        assert_eq!(std::mem::size_of::<Span<u32>>(), 24);
        assert_eq!(std::mem::size_of::<Span<u128>>(), 48);
    }
}
