//! Longest-prefix match over address blocks, as a flat interval map (one per address family).
//!
//! Blocks nest or are disjoint, so they cut the address space into ranges each owned by the most
//! specific block covering it (or by none). `spans` ([`Span`]) holds each range's first address
//! and owner, sorted, with a copy of the owner's entry when it has just one; a [`Radix`]
//! directory (about one bucket per four spans) narrows a lookup to a few neighbouring spans.
//! Records sit in one arena, `[len u8][entry count u32][parent u32][network][entries]`, so a
//! block's entries come with it; `parent` (the next shorter block containing it) walks a lookup
//! outwards when entries have expired or been removed. A single address is a block of full
//! length.

mod prefetch;

use crate::entry::{encode_entry, Entries, Entry, ENTRY_BYTES};
use crate::error::MatcherError;
use crate::radix::{Radix, Window};
use crate::span::{Chain, Span};
use std::fmt::Debug;

/// "No block" as an owner or parent.
pub(crate) const NONE: u32 = u32::MAX;
/// Record bytes before the network address.
const HEAD: usize = 9;

/// An address family's integer: `u32` for IPv4, `u128` for IPv6.
pub(crate) trait AddrBits: Copy + Ord + Default + Debug {
    /// Bits in an address.
    const BITS: u8;
    /// Bytes in an address.
    const BYTES: usize = Self::BITS as usize / 8;
    /// Widened to 128 bits.
    fn to_u128(self) -> u128;
    /// Narrowed from 128 bits (the caller keeps it in range).
    fn from_u128(value: u128) -> Self;
}

impl AddrBits for u32 {
    const BITS: u8 = 32;
    fn to_u128(self) -> u128 {
        u128::from(self)
    }
    fn from_u128(value: u128) -> u32 {
        value as u32
    }
}

impl AddrBits for u128 {
    const BITS: u8 = 128;
    fn to_u128(self) -> u128 {
        self
    }
    fn from_u128(value: u128) -> u128 {
        value
    }
}

/// Host bits of a `len`-bit prefix in a `bits`-bit address.
pub(crate) fn host_mask(len: u8, bits: u8) -> u128 {
    let host = u32::from(bits - len.min(bits));
    match host {
        0 => 0,
        128 => u128::MAX,
        _ => (1u128 << host) - 1,
    }
}

/// Accumulates blocks of one family; [`PrefixBuilder::build`] indexes them.
#[derive(Debug)]
pub(crate) struct PrefixBuilder<K> {
    items: Vec<(K, u8, Entry)>,
    /// Arena bytes needed if every block were distinct (the capacity check).
    bound: u64,
}

impl<K: AddrBits> PrefixBuilder<K> {
    /// An empty builder.
    pub(crate) fn new() -> PrefixBuilder<K> {
        PrefixBuilder {
            items: Vec::new(),
            bound: 0,
        }
    }

    /// Number of entries pushed.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Adds `entry` on the block `addr/len` (`len <= K::BITS`; host bits are cleared here).
    pub(crate) fn push(&mut self, addr: K, len: u8, entry: Entry) -> Result<(), MatcherError> {
        let bound = self.bound + (HEAD + K::BYTES + ENTRY_BYTES) as u64;
        if bound >= u64::from(NONE) {
            return Err(MatcherError::CapacityExceeded {
                kind: "IP",
                limit: "4 GiB of blocks and entries per address family",
            });
        }
        self.bound = bound;
        let net = addr.to_u128() & !host_mask(len, K::BITS);
        self.items.push((K::from_u128(net), len, entry));
        Ok(())
    }

    /// Sorts the blocks, writes their records and cuts the address space into owned ranges.
    pub(crate) fn build(mut self) -> PrefixIndex<K> {
        self.items.sort_unstable_by_key(|&(net, len, _)| (net, len));
        let mut index = PrefixIndex::default();
        let mut blocks: Vec<(u128, u8, u32)> = Vec::new(); // (network, length, record offset)
        let mut count_at = 0;
        for (i, &(net, len, entry)) in self.items.iter().enumerate() {
            if i == 0 || (self.items[i - 1].0, self.items[i - 1].1) != (net, len) {
                let offset = index.records.len();
                blocks.push((net.to_u128(), len, offset as u32));
                index.records.push(len);
                count_at = index.records.len();
                index.records.extend_from_slice(&[0; 8]);
                index
                    .records
                    .extend_from_slice(&net.to_u128().to_le_bytes()[..K::BYTES]);
            }
            let count = read_u32(&index.records, count_at).unwrap_or(0) + 1;
            index.records[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
            encode_entry(&entry, &mut index.records);
        }
        index.entry_count = self.items.len() as u32;
        index.cut_ranges(&blocks);
        for i in 0..index.spans.len() {
            let record = index.record(index.spans[i].owner);
            if let Some((len, entry)) = record.and_then(|r| Some((r.len, r.entries.single()?))) {
                index.spans[i].set_single(len, entry);
            }
        }
        let starts: Vec<u128> = index.spans.iter().map(|s| left_aligned(s.start)).collect();
        index.radix = Radix::new(&starts, |i| index.spans[i].owner != NONE);
        index.spans.shrink_to_fit();
        index.records.shrink_to_fit();
        index
    }
}

/// `addr` in the top bits of a `u128` (the radix directory's key).
fn left_aligned<K: AddrBits>(addr: K) -> u128 {
    addr.to_u128() << (128 - u32::from(K::BITS))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let (value, _) = bytes.get(at..)?.split_first_chunk::<4>()?;
    Some(u32::from_le_bytes(*value))
}

/// A block's record, decoded.
pub(crate) struct Record<'a, K> {
    /// Prefix length.
    pub(crate) len: u8,
    /// Offset of the parent block's record, or `NONE`.
    pub(crate) parent: u32,
    /// Network address.
    pub(crate) net: K,
    /// The block's entries.
    pub(crate) entries: Entries<'a>,
    /// Bytes the record takes.
    size: usize,
}

/// An immutable longest-prefix index (see the module docs).
pub(crate) struct PrefixIndex<K> {
    spans: Vec<Span<K>>,
    radix: Radix,
    records: Vec<u8>,
    entry_count: u32,
}

impl<K: AddrBits> Default for PrefixIndex<K> {
    fn default() -> Self {
        PrefixIndex {
            spans: vec![Span::new(K::default(), NONE)],
            radix: Radix::default(),
            records: Vec::new(),
            entry_count: 0,
        }
    }
}

impl<K: AddrBits> PrefixIndex<K> {
    /// Sweeps the sorted blocks (parents sort before their children) with a stack of open
    /// blocks, setting parents and emitting a range wherever the innermost open block changes.
    fn cut_ranges(&mut self, blocks: &[(u128, u8, u32)]) {
        let mut open: Vec<(u128, u32)> = Vec::new(); // (last address, record offset)
        for &(start, len, offset) in blocks {
            while let Some(&(last, _)) = open.last() {
                if last >= start {
                    break;
                }
                open.pop();
                self.emit(last + 1, open.last().map_or(NONE, |o| o.1));
            }
            let parent = open.last().map_or(NONE, |o| o.1).to_le_bytes();
            let at = offset as usize + 5;
            self.records[at..at + 4].copy_from_slice(&parent);
            self.emit(start, offset);
            open.push((start | host_mask(len, K::BITS), offset));
        }
        while let Some((last, _)) = open.pop() {
            if let Some(next) = last.checked_add(1).filter(|n| *n <= host_mask(0, K::BITS)) {
                self.emit(next, open.last().map_or(NONE, |o| o.1));
            }
        }
    }

    /// Starts a range at `start` owned by `owner`, replacing a range starting at the same
    /// address and merging with an equal neighbour.
    fn emit(&mut self, start: u128, owner: u32) {
        let start = K::from_u128(start);
        if self.spans.last().map(|s| s.start) == Some(start) {
            self.spans.pop();
        }
        if self.spans.last().map(|s| s.owner) != Some(owner) {
            self.spans.push(Span::new(start, owner));
        }
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.spans.capacity() * std::mem::size_of::<Span<K>>()
            + self.radix.memory_bytes()
            + self.records.capacity()
    }

    /// The span containing `addr`, unless the directory knows no block does.
    #[inline]
    fn locate(&self, addr: K) -> Option<&Span<K>> {
        let at = match self.radix.window(left_aligned(addr)) {
            Window::Unowned => return None,
            Window::First => 0,
            Window::Last => self.spans.len().saturating_sub(1),
            Window::Between(low, high) => {
                let window = self.spans.get(low..high).unwrap_or_default();
                (low + window.partition_point(|s| s.start <= addr)).saturating_sub(1)
            }
        };
        self.spans.get(at)
    }

    /// The blocks containing `addr`, most specific first, as (prefix length, entries).
    #[inline]
    pub(crate) fn chain(&self, addr: K) -> Chain<'_, K> {
        let span = if self.entry_count == 0 {
            None
        } else {
            self.locate(addr)
        };
        Chain::new(self, span)
    }

    /// The record at `offset`.
    pub(crate) fn record(&self, offset: u32) -> Option<Record<'_, K>> {
        let at = offset as usize;
        let len = *self.records.get(at)?;
        let count = read_u32(&self.records, at + 1)? as usize;
        let parent = read_u32(&self.records, at + 5)?;
        let net_at = at + HEAD;
        let mut net = [0u8; 16];
        net[..K::BYTES].copy_from_slice(self.records.get(net_at..net_at + K::BYTES)?);
        let entries_at = net_at + K::BYTES;
        let entries = self
            .records
            .get(entries_at..entries_at + count * ENTRY_BYTES)?;
        Some(Record {
            len,
            parent,
            net: K::from_u128(u128::from_le_bytes(net)),
            entries: Entries::Packed(entries),
            size: HEAD + K::BYTES + entries.len(),
        })
    }

    /// Calls `f` with every block (network address, length) and entry.
    pub(crate) fn for_each(&self, mut f: impl FnMut(K, u8, Entry)) {
        let mut offset = 0;
        while let Some(record) = self.record(offset) {
            for entry in record.entries.iter() {
                f(record.net, record.len, entry);
            }
            offset += record.size as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Action;

    fn index(blocks: &[(u32, u8)]) -> PrefixIndex<u32> {
        let mut builder = PrefixBuilder::new();
        for (key, &(addr, len)) in blocks.iter().enumerate() {
            builder
                .push(addr, len, Entry::new(key as u32, Action::Alert, 1))
                .unwrap();
        }
        builder.build()
    }

    fn lens(index: &PrefixIndex<u32>, addr: u32) -> Vec<u8> {
        index.chain(addr).map(|(len, _)| len).collect()
    }

    #[test]
    fn nested_blocks_chain_outwards() {
        let ix = index(&[
            (0x0a00_0000, 8),
            (0x0a01_0000, 16),
            (0x0a01_0203, 32),
            (0, 0),
        ]);
        assert_eq!(lens(&ix, 0x0a01_0203), [32, 16, 8, 0]);
        assert_eq!(lens(&ix, 0x0a01_0204), [16, 8, 0]);
        assert_eq!(lens(&ix, 0x0a02_0000), [8, 0]);
        assert_eq!(lens(&ix, 0x0b00_0000), [0]);
        assert_eq!(lens(&ix, u32::MAX), [0]);
    }

    #[test]
    fn block_ending_at_the_top_of_the_space() {
        let ix = index(&[(0xffff_ff00, 24), (0xffff_ffff, 32)]);
        assert_eq!(lens(&ix, u32::MAX), [32, 24]);
        assert_eq!(lens(&ix, 0xffff_fffe), [24]);
        assert_eq!(lens(&ix, 0xffff_feff), Vec::<u8>::new());
        assert_eq!(lens(&ix, 0), Vec::<u8>::new());
    }

    #[test]
    fn host_bits_are_cleared_and_duplicates_grouped() {
        let ix = index(&[(0x0a01_0203, 8), (0x0a00_0000, 8), (0x0b00_0000, 8)]);
        let chain: Vec<_> = ix.chain(0x0a09_0909).collect();
        assert_eq!(chain.len(), 1);
        assert_eq!(chain[0].1.iter().map(|e| e.key).collect::<Vec<_>>(), [0, 1]);
        let mut all = Vec::new();
        ix.for_each(|net, len, e| all.push((net, len, e.key)));
        assert_eq!(
            all,
            [
                (0x0a00_0000, 8, 0),
                (0x0a00_0000, 8, 1),
                (0x0b00_0000, 8, 2)
            ]
        );
    }

    #[test]
    fn many_ranges_across_buckets() {
        let blocks: Vec<(u32, u8)> = (0..1000u32).map(|i| (i << 8, 24)).collect();
        let ix = index(&blocks);
        for i in 0..1000u32 {
            assert_eq!(lens(&ix, (i << 8) | 7), [24], "block {i}");
        }
        assert!(lens(&ix, 1000 << 8).is_empty());
    }

    #[test]
    fn ipv6_full_space() {
        let mut builder = PrefixBuilder::<u128>::new();
        builder.push(0, 0, Entry::new(1, Action::Alert, 1)).unwrap();
        builder
            .push(u128::MAX, 128, Entry::new(2, Action::Alert, 1))
            .unwrap();
        let ix = builder.build();
        assert_eq!(
            ix.chain(u128::MAX).map(|c| c.0).collect::<Vec<_>>(),
            [128, 0]
        );
        assert_eq!(ix.chain(5).map(|c| c.0).collect::<Vec<_>>(), [0]);
    }
}
