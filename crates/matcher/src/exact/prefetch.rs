//! The steps a batch lookup takes on an [`ExactTable`] before the lookup itself (see
//! `crate::batch`): each asks the cache for what the next step, or `get`, will read. They are
//! hints and never change an answer.

use super::{Body, ExactTable, Records, OVERFLOW};
use prefetch_index::prefetch_index;

impl ExactTable {
    /// First step: the filter word and the home line of `hash` (the line whatever the filter
    /// will say: waiting for the filter word first would cost a step).
    #[inline]
    pub(crate) fn prefetch_home(&self, hash: u64) {
        self.bloom.prefetch(hash);
        prefetch_index(&self.lines, self.home(hash));
    }

    /// Second step (filter word and home line cached), for a value the filter lets through: the
    /// next line if records overflowed into it, and the arena record behind an indirect record
    /// carrying the value's tag.
    #[inline]
    pub(crate) fn prefetch_rest(&self, hash: u64) {
        if !self.bloom.may_contain(hash) {
            return;
        }
        let at = self.home(hash);
        let Some(line) = self.lines.get(at) else {
            return;
        };
        if line.0[0] & OVERFLOW != 0 {
            prefetch_index(&self.lines, self.next(at));
        }
        if self.arena.is_empty() {
            return;
        }
        let tag = hash as u8;
        for record in Records::new(&line.0).filter(|r| r.tag == tag) {
            if let Body::Indirect(offset) = record.body {
                // An arena record is [length][count][value][entries]: usually within two lines.
                prefetch_index(&self.arena, offset as usize);
                prefetch_index(&self.arena, offset as usize + 64);
            }
        }
    }
}
