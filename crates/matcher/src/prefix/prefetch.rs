//! The steps a batch lookup takes on a [`PrefixIndex`] before the lookup itself (see
//! `crate::batch`): each asks the cache for what the next step, or `chain`, will read. They are
//! hints and never change an answer.

use super::{left_aligned, AddrBits, PrefixIndex, HEAD, NONE};
use crate::entry::ENTRY_BYTES;
use crate::radix::Window;
use crate::span::Span;
use prefetch_index::prefetch_index;

impl<K: AddrBits> PrefixIndex<K> {
    /// First step: the radix directory's coverage word and bucket of `addr`.
    #[inline]
    pub(crate) fn prefetch_directory(&self, addr: K) {
        if self.entry_count != 0 {
            self.radix.prefetch(left_aligned(addr));
        }
    }

    /// Second step (directory cached): the spans `locate` will search.
    #[inline]
    pub(crate) fn prefetch_spans(&self, addr: K) {
        if self.entry_count == 0 {
            return;
        }
        let last_span = self.spans.len().saturating_sub(1);
        let (first, last) = match self.radix.window(left_aligned(addr)) {
            Window::Unowned => return,
            Window::First => (0, 0),
            Window::Last => (last_span, last_span),
            // The answer is among low..high, or low - 1.
            Window::Between(low, high) => {
                let first = low.saturating_sub(1);
                (first, high.saturating_sub(1).max(first))
            }
        };
        // Every line of the window holds the start of at least one of these spans.
        let step = (64 / std::mem::size_of::<Span<K>>()).max(1);
        for at in (first..last).step_by(step) {
            prefetch_index(&self.spans, at);
        }
        prefetch_index(&self.spans, last);
    }

    /// Third step (spans cached): the record of the span's owner, for a walk through every
    /// block containing the address (a lookup that stops at the first live entry finds it in
    /// the span when the owner has just one).
    #[inline]
    pub(crate) fn prefetch_record(&self, addr: K) {
        if self.entry_count == 0 {
            return;
        }
        let Some(span) = self.locate(addr) else {
            return;
        };
        if span.owner != NONE {
            let at = span.owner as usize;
            prefetch_index(&self.records, at);
            prefetch_index(&self.records, at + HEAD + K::BYTES + ENTRY_BYTES - 1);
        }
    }
}
