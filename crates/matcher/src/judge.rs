//! Precedence: turning the levels a query reaches (most specific first) into a [`Verdict`] or a
//! list of [`Hit`]s, skipping expired entries and base entries whose key was removed.

use crate::entry::{Action, Entries, Entry, Hit, Keys, Verdict};
use crate::prefix::AddrBits;
use crate::span::Chain;
use smallvec::SmallVec;
use std::iter::Peekable;

/// What one level of specificity holds for a query, in the base and in the overlay.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Level<'a> {
    pub(crate) specificity: u8,
    pub(crate) base: Option<Entries<'a>>,
    pub(crate) overlay: Option<Entries<'a>>,
}

/// The clock and the removed keys a lookup judges entries by.
pub(crate) struct Judge<'s> {
    pub(crate) now: i64,
    /// Keys removed from the base since it was built, sorted.
    pub(crate) removed: &'s [u32],
}

impl Judge<'_> {
    /// Whether `entry` counts: unexpired, and (in the base) not removed.
    #[inline]
    fn live(&self, entry: &Entry, in_base: bool) -> bool {
        entry.is_live(self.now)
            && !(in_base
                && !self.removed.is_empty()
                && self.removed.binary_search(&entry.key).is_ok())
    }

    /// Calls `f` with each live entry of `level`.
    #[inline]
    fn each_live(&self, level: &Level<'_>, mut f: impl FnMut(Entry)) {
        for (entries, in_base) in [(level.base, true), (level.overlay, false)] {
            for entry in entries.into_iter().flat_map(Entries::iter) {
                if self.live(&entry, in_base) {
                    f(entry);
                }
            }
        }
    }

    /// The verdict of the first level with a live entry.
    #[inline]
    pub(crate) fn verdict<'a>(&self, levels: impl Iterator<Item = Level<'a>>) -> Option<Verdict> {
        for level in levels {
            if let Some(verdict) = self.level_verdict(&level) {
                return Some(verdict);
            }
        }
        None
    }

    /// The verdict of one level, if it has a live entry.
    #[inline]
    pub(crate) fn level_verdict(&self, level: &Level<'_>) -> Option<Verdict> {
        let mut keys = SmallVec::new();
        let mut action = Action::Alert;
        self.each_live(level, |entry| {
            keys.push(entry.key);
            action = action.max(entry.action);
        });
        if keys.is_empty() {
            return None;
        }
        if keys.len() > 1 {
            keys.sort_unstable();
        }
        Some(Verdict {
            action,
            specificity: level.specificity,
            keys: Keys(keys),
        })
    }

    /// Appends every live entry of every level to `out`, most specific first, then by key,
    /// action and expiry; returns how many were appended.
    pub(crate) fn all<'a>(
        &self,
        levels: impl Iterator<Item = Level<'a>>,
        out: &mut Vec<Hit>,
    ) -> usize {
        let before = out.len();
        for level in levels {
            self.each_live(&level, |e| {
                out.push(Hit {
                    key: e.key,
                    action: e.action,
                    expires: e.expires,
                    specificity: level.specificity,
                })
            });
        }
        out[before..].sort_unstable_by(|a, b| {
            (b.specificity, a.key, a.action, a.expires).cmp(&(
                a.specificity,
                b.key,
                b.action,
                b.expires,
            ))
        });
        out.len() - before
    }
}

/// The blocks containing an address in the base and the overlay, merged by prefix length.
pub(crate) struct IpLevels<'a, K: AddrBits> {
    base: Peekable<Chain<'a, K>>,
    overlay: Peekable<Chain<'a, K>>,
}

impl<'a, K: AddrBits> IpLevels<'a, K> {
    /// Merges the two chains (each most specific first).
    pub(crate) fn new(base: Chain<'a, K>, overlay: Chain<'a, K>) -> Self {
        IpLevels {
            base: base.peekable(),
            overlay: overlay.peekable(),
        }
    }
}

impl<'a, K: AddrBits> Iterator for IpLevels<'a, K> {
    type Item = Level<'a>;

    #[inline]
    fn next(&mut self) -> Option<Level<'a>> {
        let base_len = self.base.peek().map(|b| b.0);
        let overlay_len = self.overlay.peek().map(|o| o.0);
        let specificity = base_len.max(overlay_len)?;
        let base = self.base.next_if(|b| b.0 == specificity).map(|b| b.1);
        let overlay = self.overlay.next_if(|o| o.0 == specificity).map(|o| o.1);
        Some(Level {
            specificity,
            base,
            overlay,
        })
    }
}

/// The suffixes of a domain that end at label boundaries, longest first, with label counts.
pub(crate) struct Suffixes<'a> {
    rest: &'a [u8],
    labels: usize,
}

impl<'a> Suffixes<'a> {
    /// Suffixes of `domain` (`a.b.c` gives `a.b.c`, `b.c`, `c`).
    pub(crate) fn new(domain: &'a str) -> Self {
        let rest = domain.as_bytes();
        let labels = if rest.is_empty() {
            0
        } else {
            1 + rest.iter().filter(|b| **b == b'.').count()
        };
        Suffixes { rest, labels }
    }
}

impl<'a> Iterator for Suffixes<'a> {
    type Item = (&'a [u8], usize);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.labels == 0 {
            return None;
        }
        let item = (self.rest, self.labels);
        self.labels -= 1;
        let dot = self.rest.iter().position(|b| *b == b'.');
        self.rest = dot.map_or(&[], |at| &self.rest[at + 1..]);
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_stop_at_label_boundaries() {
        let all: Vec<(&[u8], usize)> = Suffixes::new("a.bc.d").collect();
        assert_eq!(
            all,
            [(&b"a.bc.d"[..], 3), (&b"bc.d"[..], 2), (&b"d"[..], 1)]
        );
        assert_eq!(Suffixes::new("").count(), 0);
        assert_eq!(Suffixes::new("x").count(), 1);
    }
}
