//! What an indicator says about a value ([`Entry`], [`Action`]) and what a lookup answers
//! ([`Verdict`], [`Hit`]); plus the 13-byte packed form entries take inside the index.

use smallvec::SmallVec;
use std::ops::Deref;

/// Specificity reported for exact-match kinds (URL, hash, e-mail): nothing is more specific.
pub const EXACT_SPECIFICITY: u8 = u8::MAX;

/// What to do when an indicator matches. Among equally specific matches the greatest wins:
/// `Allow` > `Block` > `Alert` (the derived order encodes this).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Report the match, let the traffic through.
    Alert,
    /// Stop the traffic.
    Block,
    /// Explicitly allowed: overrides equally specific blocks and alerts (an exclusion).
    Allow,
}

impl Action {
    /// The lower-case name of the action (`alert`, `block`, `allow`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Alert => "alert",
            Action::Block => "block",
            Action::Allow => "allow",
        }
    }

    fn to_byte(self) -> u8 {
        match self {
            Action::Alert => 0,
            Action::Block => 1,
            Action::Allow => 2,
        }
    }

    fn from_byte(byte: u8) -> Option<Action> {
        match byte {
            0 => Some(Action::Alert),
            1 => Some(Action::Block),
            2 => Some(Action::Allow),
            _ => None,
        }
    }
}

/// One indicator's claim on one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The caller's dense handle for the indicator; removals are by key.
    pub key: u32,
    /// What to do on a match.
    pub action: Action,
    /// Unix seconds; the entry matches only while `now < expires`.
    pub expires: i64,
}

impl Entry {
    /// An entry for indicator `key`.
    pub fn new(key: u32, action: Action, expires: i64) -> Entry {
        Entry {
            key,
            action,
            expires,
        }
    }

    /// Whether the entry still matches at `now` (unix seconds): `expires <= now` never matches.
    pub fn is_live(&self, now: i64) -> bool {
        now < self.expires
    }
}

/// Bytes one entry takes in an index: `expires` (i64 LE), `key` (u32 LE), action (u8).
pub(crate) const ENTRY_BYTES: usize = 13;

/// Appends the packed form of `entry` to `out`.
pub(crate) fn encode_entry(entry: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(&entry.expires.to_le_bytes());
    out.extend_from_slice(&entry.key.to_le_bytes());
    out.push(entry.action.to_byte());
}

/// Writes the packed form of `entry` into `out`, which is [`ENTRY_BYTES`] long.
pub(crate) fn write_entry(entry: &Entry, out: &mut [u8]) {
    out[..8].copy_from_slice(&entry.expires.to_le_bytes());
    out[8..12].copy_from_slice(&entry.key.to_le_bytes());
    out[12] = entry.action.to_byte();
}

/// The entries of one value or block: packed in an index, or one entry copied out of it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Entries<'a> {
    /// A slice of [`ENTRY_BYTES`]-sized packed entries.
    Packed(&'a [u8]),
    /// A single entry.
    One(Entry),
}

impl<'a> Entries<'a> {
    /// The entries, decoded.
    #[inline]
    pub(crate) fn iter(self) -> EntryIter<'a> {
        match self {
            Entries::Packed(bytes) => EntryIter {
                packed: bytes.chunks_exact(ENTRY_BYTES),
                one: None,
            },
            Entries::One(entry) => EntryIter {
                packed: [].chunks_exact(ENTRY_BYTES),
                one: Some(entry),
            },
        }
    }

    /// The entry, if there is exactly one.
    pub(crate) fn single(self) -> Option<Entry> {
        match self {
            Entries::One(entry) => Some(entry),
            Entries::Packed(bytes) if bytes.len() == ENTRY_BYTES => decode_entry(bytes),
            Entries::Packed(_) => None,
        }
    }
}

/// Iterator over [`Entries`].
pub(crate) struct EntryIter<'a> {
    packed: std::slice::ChunksExact<'a, u8>,
    one: Option<Entry>,
}

impl Iterator for EntryIter<'_> {
    type Item = Entry;

    #[inline]
    fn next(&mut self) -> Option<Entry> {
        if let Some(entry) = self.one.take() {
            return Some(entry);
        }
        self.packed.by_ref().find_map(decode_entry)
    }
}

fn decode_entry(bytes: &[u8]) -> Option<Entry> {
    let (expires, rest) = bytes.split_first_chunk::<8>()?;
    let (key, rest) = rest.split_first_chunk::<4>()?;
    Some(Entry {
        key: u32::from_le_bytes(*key),
        action: Action::from_byte(*rest.first()?)?,
        expires: i64::from_le_bytes(*expires),
    })
}

/// Keys of the entries behind a verdict, ascending; up to six are held inline (no allocation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys(pub(crate) SmallVec<[u32; 6]>);

impl Deref for Keys {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        &self.0
    }
}

/// The answer of a lookup that matched: the winning action at the most specific level that had
/// a live entry, and the keys of every live entry at that level (whatever their action).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The winning action: the greatest (`Allow` > `Block` > `Alert`) at the winning level.
    pub action: Action,
    /// The winning level: a prefix length for IPs, a label count for domains,
    /// [`EXACT_SPECIFICITY`] for URLs, hashes and e-mails.
    pub specificity: u8,
    /// Keys of all live entries at the winning level, ascending.
    pub keys: Keys,
}

/// One live entry that matched a query, at any level (see [`crate::Snapshot::all_matches`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hit {
    /// The indicator's key.
    pub key: u32,
    /// The indicator's action.
    pub action: Action,
    /// The indicator's expiry (unix seconds).
    pub expires: i64,
    /// The level it matched at (as in [`Verdict::specificity`]).
    pub specificity: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_entries_round_trip() {
        let entries = [
            Entry::new(7, Action::Block, -5),
            Entry::new(u32::MAX, Action::Allow, i64::MAX),
            Entry::new(0, Action::Alert, i64::MIN),
        ];
        let mut bytes = Vec::new();
        for entry in &entries {
            encode_entry(entry, &mut bytes);
        }
        assert_eq!(bytes.len(), 3 * ENTRY_BYTES);
        let decoded: Vec<Entry> = Entries::Packed(&bytes).iter().collect();
        assert_eq!(decoded, entries);
    }

    #[test]
    fn expiry_is_exclusive() {
        let entry = Entry::new(1, Action::Alert, 100);
        assert!(entry.is_live(99));
        assert!(!entry.is_live(100));
    }

    #[test]
    fn allow_beats_block_beats_alert() {
        assert!(Action::Allow > Action::Block && Action::Block > Action::Alert);
    }
}
