//! Building an [`ExactTable`]: [`ExactBuilder`] collects values and entries; grouping them by
//! value is one pass through a temporary open-addressing table that gives each distinct value a
//! group, then a counting sort lays every group's entries side by side.

use crate::entry::{Entry, ENTRY_BYTES};
use crate::error::MatcherError;
use crate::exact::{ExactTable, ARENA_HEADER};
use crate::probe::value_hash;

/// Accumulates values and entries of one kind; [`ExactBuilder::build`] indexes them.
#[derive(Debug)]
pub(crate) struct ExactBuilder {
    kind: &'static str,
    bytes: Vec<u8>,
    items: Vec<(u32, u32, Entry)>,
    /// Bytes the values would take as arena records (the capacity check: arena offsets are u32).
    bound: u64,
}

impl ExactBuilder {
    /// An empty builder for values of `kind` (named in capacity errors).
    pub(crate) fn new(kind: &'static str) -> ExactBuilder {
        ExactBuilder {
            kind,
            bytes: Vec::new(),
            items: Vec::new(),
            bound: 0,
        }
    }

    /// Number of entries pushed.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Adds `entry` on `value`; fails only when the values and entries would pass 4 GiB.
    pub(crate) fn push(&mut self, value: &[u8], entry: Entry) -> Result<(), MatcherError> {
        let bound = self.bound + (ARENA_HEADER + value.len() + ENTRY_BYTES) as u64;
        if bound >= u64::from(u32::MAX) {
            return Err(MatcherError::CapacityExceeded {
                kind: self.kind,
                limit: "4 GiB of values and entries",
            });
        }
        self.bound = bound;
        self.items
            .push((self.bytes.len() as u32, value.len() as u32, entry));
        self.bytes.extend_from_slice(value);
        Ok(())
    }

    /// Groups entries by value and lays the table out.
    pub(crate) fn build(self) -> ExactTable {
        let mut entries = Vec::new();
        let mut groups = group_by_value(&self.bytes, &self.items, &mut entries);
        ExactTable::from_groups(&mut groups)
    }
}

/// A distinct value, its hash and its entries.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Group<'a> {
    /// The value.
    pub(crate) value: &'a [u8],
    /// Its [`value_hash`].
    pub(crate) hash: u64,
    /// Its entries, in insertion order.
    pub(crate) entries: &'a [Entry],
}

/// Distinct values (with hash) in order of first appearance, how many entries each has, and
/// each item's group.
struct Grouping<'a> {
    firsts: Vec<(&'a [u8], u64)>,
    counts: Vec<u32>,
    group_of: Vec<u32>,
}

/// Gives each distinct value of `items` a group, through a temporary open-addressing table.
fn assign_groups<'a>(bytes: &'a [u8], items: &[(u32, u32, Entry)]) -> Grouping<'a> {
    let mask = (items.len() * 4 / 3 + 2).next_power_of_two() - 1;
    let mut slots = vec![0u32; mask + 1]; // group + 1; 0 = empty
    let mut out = Grouping {
        firsts: Vec::new(),
        counts: Vec::new(),
        group_of: Vec::with_capacity(items.len()),
    };
    for &(offset, len, _) in items {
        let value = bytes
            .get(offset as usize..(offset + len) as usize)
            .unwrap_or_default();
        let hash = value_hash(value);
        let mut at = hash as usize & mask;
        let group = loop {
            match slots[at] {
                0 => {
                    slots[at] = out.firsts.len() as u32 + 1;
                    out.firsts.push((value, hash));
                    out.counts.push(0);
                    break out.firsts.len() - 1;
                }
                id => {
                    let (first, first_hash) = out.firsts[id as usize - 1];
                    if first_hash == hash && first == value {
                        break id as usize - 1;
                    }
                }
            }
            at = (at + 1) & mask;
        };
        out.counts[group] += 1;
        out.group_of.push(group as u32);
    }
    out
}

/// Groups `items` (offset and length of a value in `bytes`, and an entry) by value; `sorted`
/// receives the entries in group order and backs the groups' entry slices.
pub(crate) fn group_by_value<'a>(
    bytes: &'a [u8],
    items: &[(u32, u32, Entry)],
    sorted: &'a mut Vec<Entry>,
) -> Vec<Group<'a>> {
    let grouping = assign_groups(bytes, items);
    let mut starts = Vec::with_capacity(grouping.counts.len());
    let mut total = 0usize;
    for &count in &grouping.counts {
        starts.push(total);
        total += count as usize;
    }
    let mut cursor = starts.clone();
    sorted.clear();
    if let Some(&(_, _, first)) = items.first() {
        sorted.resize(items.len(), first);
    }
    for (item, &group) in items.iter().zip(&grouping.group_of) {
        let at = &mut cursor[group as usize];
        sorted[*at] = item.2;
        *at += 1;
    }
    let sorted: &'a [Entry] = sorted;
    let sizes = starts.iter().zip(&grouping.counts);
    grouping
        .firsts
        .iter()
        .zip(sizes)
        .map(|(&(value, hash), (&start, &count))| Group {
            value,
            hash,
            entries: &sorted[start..start + count as usize],
        })
        .collect()
}
