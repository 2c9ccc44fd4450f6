//! Exact-match index of byte strings (domains, URLs, hash bytes, e-mails), laid out so that a
//! lookup usually reads one cache line of main memory.
//!
//! The table is an array of 64-byte, 64-byte-aligned [`Line`]s, probed linearly from a home line
//! chosen by the value's hash ([`value_hash`]: the same in every table, so a lookup hashes once
//! for the base and the overlay). A line holds `[flags][used bytes][records...]`; a record is
//! either inline, `[tag][value length][entry count][value][entries, 13 bytes each]` (when it fits
//! in 62 bytes: MD5/SHA-1/SHA-256 hashes and most domains with one entry), or indirect,
//! `[tag][0xff][arena offset u32]`, pointing at `[length u32][count u32][value][entries]` in an
//! arena (long URLs, values with many entries). The tag is 8 bits of the hash, so other records
//! in the line are rarely compared. A line's overflow flag says a record homed at or before it
//! was placed further on, so a lookup stops at the first line without it. A [`Bloom`] filter in
//! front answers most misses from cache.

mod prefetch;

use crate::bloom::Bloom;
use crate::entry::{write_entry, Entries, Entry, ENTRY_BYTES};
use crate::exact_build::Group;
use crate::probe::value_hash;

/// Bytes of a line available to records.
const ROOM: usize = 62;
/// Flag: a record homed at or before this line lives after it.
const OVERFLOW: u8 = 1;
/// Value-length byte of an indirect record.
const INDIRECT: u8 = 0xff;
/// Size of an indirect record.
const INDIRECT_SIZE: usize = 6;
/// Header of an arena record.
pub(crate) const ARENA_HEADER: usize = 8;
/// Lines are filled to about this fraction (records over half a line count as a whole one). At
/// 85 %, finding a value scanned 1.9-4.4 lines on average (linear probing; domains worst), each a
/// possible miss; at 60 %, 1.3-1.8 lines, for about 14 more bytes per indicator.
const FILL_PERCENT: usize = 60;

/// One cache line of the table.
#[derive(Clone, Copy, Debug)]
#[repr(align(64))]
struct Line([u8; 64]);

/// An immutable exact-match index (see the module docs for the layout).
pub(crate) struct ExactTable {
    bloom: Bloom,
    lines: Vec<Line>,
    arena: Vec<u8>,
}

impl Default for ExactTable {
    fn default() -> Self {
        ExactTable {
            bloom: Bloom::with_capacity(0),
            lines: vec![Line([0; 64])],
            arena: Vec::new(),
        }
    }
}

impl ExactTable {
    /// Indexes `groups` (distinct values with their entries and [`value_hash`]es): lays them
    /// out largest records first (so small ones fill the gaps); should a record
    /// find no room, starts again with half as many lines more. The builder's capacity check
    /// keeps the arena under 4 GiB.
    pub(crate) fn from_groups(groups: &mut [Group<'_>]) -> ExactTable {
        groups.sort_by_key(|g| std::cmp::Reverse(g.record_size()));
        let weight: usize = groups.iter().map(|g| line_weight(g.record_size())).sum();
        let mut count = (weight * 100).div_ceil(ROOM * FILL_PERCENT).max(1);
        loop {
            if let Some(table) = ExactTable::lay_out(groups, count) {
                return table;
            }
            count += count / 2 + 1;
        }
    }

    /// The table with `count` lines, or `None` if a record found no room.
    fn lay_out(groups: &[Group<'_>], count: usize) -> Option<ExactTable> {
        let mut table = ExactTable {
            bloom: Bloom::with_capacity(groups.len()),
            lines: vec![Line([0; 64]); count],
            arena: Vec::new(),
        };
        let mut record = Vec::with_capacity(ROOM);
        for group in groups {
            table.bloom.insert(group.hash);
            record.clear();
            record.push(group.hash as u8);
            if group.inline_size().is_some() {
                record.push(group.value.len() as u8);
                record.push(group.entries.len() as u8);
                record.extend_from_slice(group.value);
                group
                    .entries
                    .iter()
                    .for_each(|e| push_entry(e, &mut record));
            } else {
                record.push(INDIRECT);
                record.extend_from_slice(&(table.arena.len() as u32).to_le_bytes());
                table.push_arena(group);
            }
            if !table.place(group.hash, &record) {
                return None;
            }
        }
        Some(table)
    }

    fn push_arena(&mut self, group: &Group<'_>) {
        self.arena
            .extend_from_slice(&(group.value.len() as u32).to_le_bytes());
        self.arena
            .extend_from_slice(&(group.entries.len() as u32).to_le_bytes());
        self.arena.extend_from_slice(group.value);
        group
            .entries
            .iter()
            .for_each(|e| push_entry(e, &mut self.arena));
    }

    /// Puts `record` in the first line from its home with room, flagging the lines passed;
    /// false if no line has room.
    fn place(&mut self, hash: u64, record: &[u8]) -> bool {
        let mut at = self.home(hash);
        for _ in 0..self.lines.len() {
            let line = &mut self.lines[at].0;
            let used = usize::from(line[1]);
            if used + record.len() <= ROOM {
                line[2 + used..2 + used + record.len()].copy_from_slice(record);
                line[1] = (used + record.len()) as u8;
                return true;
            }
            line[0] |= OVERFLOW;
            at = self.next(at);
        }
        false
    }

    /// The home line of a hash.
    #[inline]
    fn home(&self, hash: u64) -> usize {
        (((hash >> 32) * self.lines.len() as u64) >> 32) as usize
    }

    #[inline]
    fn next(&self, at: usize) -> usize {
        if at + 1 == self.lines.len() {
            0
        } else {
            at + 1
        }
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.lines.capacity() * 64 + self.arena.capacity() + self.bloom.memory_bytes()
    }

    /// The entries on `value`, if any; `hash` is its [`value_hash`].
    #[inline]
    pub(crate) fn get(&self, value: &[u8], hash: u64) -> Option<Entries<'_>> {
        debug_assert_eq!(hash, value_hash(value));
        if !self.bloom.may_contain(hash) {
            return None;
        }
        let tag = hash as u8;
        let mut at = self.home(hash);
        for _ in 0..self.lines.len() {
            let line = &self.lines.get(at)?.0;
            let found = Records::new(line)
                .filter(|r| r.tag == tag)
                .find_map(|r| self.resolve(r).filter(|(v, _)| *v == value));
            if let Some((_, entries)) = found {
                return Some(entries);
            }
            if line[0] & OVERFLOW == 0 {
                return None;
            }
            at = self.next(at);
        }
        None
    }

    /// A record's value and entries (reading the arena for an indirect one).
    #[inline]
    fn resolve<'a>(&'a self, record: Record<'a>) -> Option<(&'a [u8], Entries<'a>)> {
        match record.body {
            Body::Inline { value, entries } => Some((value, Entries::Packed(entries))),
            Body::Indirect(offset) => {
                let rest = self.arena.get(offset as usize..)?;
                let (len, rest) = rest.split_first_chunk::<4>()?;
                let (count, rest) = rest.split_first_chunk::<4>()?;
                let len = u32::from_le_bytes(*len) as usize;
                let count = u32::from_le_bytes(*count) as usize;
                let entries = rest.get(len..len + count * ENTRY_BYTES)?;
                Some((rest.get(..len)?, Entries::Packed(entries)))
            }
        }
    }

    /// Calls `f` with every value and entry (in table order).
    pub(crate) fn for_each(&self, mut f: impl FnMut(&[u8], Entry)) {
        for line in &self.lines {
            for record in Records::new(&line.0) {
                if let Some((value, entries)) = self.resolve(record) {
                    entries.iter().for_each(|entry| f(value, entry));
                }
            }
        }
    }
}

fn push_entry(entry: &Entry, out: &mut Vec<u8>) {
    let at = out.len();
    out.resize(at + ENTRY_BYTES, 0);
    write_entry(entry, &mut out[at..]);
}

/// Room a record takes for sizing the table: over half a line, it takes a whole one.
fn line_weight(size: usize) -> usize {
    if size > ROOM / 2 {
        ROOM
    } else {
        size
    }
}

impl Group<'_> {
    /// Bytes of the record inline in a line, if it fits there.
    fn inline_size(&self) -> Option<usize> {
        let size = 3 + self.value.len() + self.entries.len() * ENTRY_BYTES;
        (size <= ROOM && self.entries.len() <= usize::from(u8::MAX)).then_some(size)
    }

    /// Bytes the record takes in a line (inline, or indirect to the arena).
    fn record_size(&self) -> usize {
        self.inline_size().unwrap_or(INDIRECT_SIZE)
    }
}

/// A record as found in a line.
#[derive(Clone, Copy)]
struct Record<'a> {
    tag: u8,
    body: Body<'a>,
}

#[derive(Clone, Copy)]
enum Body<'a> {
    Inline { value: &'a [u8], entries: &'a [u8] },
    Indirect(u32),
}

/// The records of one line, in order.
struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Records<'a> {
    #[inline]
    fn new(line: &'a [u8; 64]) -> Records<'a> {
        let used = usize::from(line[1]).min(ROOM);
        Records {
            rest: &line[2..2 + used],
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    #[inline]
    fn next(&mut self) -> Option<Record<'a>> {
        let [tag, len, rest @ ..] = self.rest else {
            return None;
        };
        if *len == INDIRECT {
            let (offset, rest) = rest.split_first_chunk::<4>()?;
            self.rest = rest;
            return Some(Record {
                tag: *tag,
                body: Body::Indirect(u32::from_le_bytes(*offset)),
            });
        }
        let (count, rest) = rest.split_first()?;
        let len = usize::from(*len);
        let end = len + usize::from(*count) * ENTRY_BYTES;
        let (value, entries) = (rest.get(..len)?, rest.get(len..end)?);
        self.rest = rest.get(end..)?;
        Some(Record {
            tag: *tag,
            body: Body::Inline { value, entries },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Action;
    use crate::exact_build::ExactBuilder;

    fn table(values: &[(&str, u32)]) -> ExactTable {
        let mut builder = ExactBuilder::new("test");
        for (value, key) in values {
            builder
                .push(value.as_bytes(), Entry::new(*key, Action::Alert, 10))
                .unwrap();
        }
        builder.build()
    }

    fn keys(table: &ExactTable, value: &str) -> Vec<u32> {
        table
            .get(value.as_bytes(), value_hash(value.as_bytes()))
            .map(|e| e.iter().map(|e| e.key).collect())
            .unwrap_or_default()
    }

    #[test]
    fn groups_entries_by_value() {
        let t = table(&[("a", 1), ("bb", 2), ("a", 3), ("", 4)]);
        assert_eq!(keys(&t, "a"), [1, 3]);
        assert_eq!(keys(&t, "bb"), [2]);
        assert_eq!(keys(&t, ""), [4]);
        assert_eq!(keys(&t, "b"), Vec::<u32>::new());
        let mut seen = Vec::new();
        t.for_each(|v, e| seen.push((v.to_vec(), e.key)));
        seen.sort();
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[0], (b"".to_vec(), 4));
    }

    #[test]
    fn empty_table_misses() {
        let t = table(&[]);
        assert!(t.get(b"x", value_hash(b"x")).is_none());
        let mut count = 0;
        t.for_each(|_, _| count += 1);
        assert_eq!(count, 0);
    }

    #[test]
    fn long_values_and_many_entries_go_to_the_arena() {
        let long = "u".repeat(300);
        let mut values = vec![(long.as_str(), 1)];
        values.extend((0..300).map(|key| ("shared", key)));
        let t = table(&values);
        assert_eq!(keys(&t, &long), [1]);
        assert_eq!(keys(&t, "shared").len(), 300);
        assert!(!t.arena.is_empty());
    }

    #[test]
    fn records_that_do_not_pack_still_all_find_a_line() {
        // Five 58-byte records and small ones: first-fit in arrival order would strand some.
        let big: Vec<String> = (0..5).map(|i| format!("{i}{}", "b".repeat(41))).collect();
        let mut values: Vec<(&str, u32)> = vec![("s1", 1), ("s2", 2), ("s3", 3), ("s4", 4)];
        values.extend(big.iter().map(|b| (b.as_str(), 9)));
        let t = table(&values);
        assert!(values.iter().all(|(v, _)| !keys(&t, v).is_empty()));
    }

    #[test]
    fn many_values_all_found() {
        let values: Vec<String> = (0..20_000)
            .map(|i| format!("value-{i}-{}", "x".repeat(i % 50)))
            .collect();
        let pairs: Vec<(&str, u32)> = values.iter().map(|v| (v.as_str(), 0)).collect();
        let t = table(&pairs);
        assert!(values.iter().all(|v| !keys(&t, v).is_empty()));
        assert!((20_000..40_000).all(|i| keys(&t, &format!("value-{i}-")).is_empty()));
        let mut count = 0;
        t.for_each(|_, _| count += 1);
        assert_eq!(count, 20_000);
    }
}
