//! Incremental change of a [`Snapshot`]: removals by key and additions produce a new snapshot
//! that shares the old one's base, rebuilding only the overlay (or everything, once the overlay
//! has grown past its limit).

use crate::entry::Entry;
use crate::error::MatcherError;
use crate::layer::LayerBuilder;
use crate::observable::Observable;
use crate::snapshot::Snapshot;
use std::sync::Arc;

/// Smallest number of pending changes (overlay entries plus removed base entries) that makes
/// [`Snapshot::apply`] rebuild the base.
pub const MIN_OVERLAY_LIMIT: usize = 4096;
/// [`Snapshot::apply`] rebuilds the base once pending changes pass base entries / this.
pub const OVERLAY_FRACTION: usize = 32;

/// Pending changes above which the base is rebuilt.
fn overlay_limit(base_len: usize) -> usize {
    MIN_OVERLAY_LIMIT.max(base_len / OVERLAY_FRACTION)
}

impl Snapshot {
    /// A new snapshot with every entry whose key is in `removed` gone, then the `added` entries
    /// in (so a key both removed and added is replaced). `self` is unchanged; the new snapshot
    /// shares its base. Costs time proportional to the pending changes, except when they pass
    /// the overlay limit and everything is rebuilt. On error (naming the position in `added`)
    /// nothing is applied.
    pub fn apply<'a, I>(&self, removed: &[u32], added: I) -> Result<Snapshot, MatcherError>
    where
        I: IntoIterator<Item = (Observable<'a>, Entry)>,
    {
        let mut gone = removed.to_vec();
        gone.sort_unstable();
        gone.dedup();
        let mut overlay = LayerBuilder::new();
        overlay.absorb(&self.overlay, |key| gone.binary_search(&key).is_err())?;
        for (index, (observable, entry)) in added.into_iter().enumerate() {
            overlay
                .insert(observable, entry)
                .map_err(|source| MatcherError::AddedItem {
                    index,
                    source: Box::new(source),
                })?;
        }
        let mut masked = self.masked;
        let mut newly = Vec::new();
        for &key in &gone {
            if self.removed.binary_search(&key).is_err() {
                let count = self.base.count_key(key);
                if count > 0 {
                    masked += count;
                    newly.push(key);
                }
            }
        }
        let removed = merge_sorted(&self.removed, &newly);
        if overlay.len() + masked > overlay_limit(self.base.len()) {
            overlay.absorb(&self.base, |key| removed.binary_search(&key).is_err())?;
            return Ok(Snapshot::from_base(overlay.build()));
        }
        Ok(Snapshot {
            base: Arc::clone(&self.base),
            overlay: overlay.build(),
            removed,
            masked,
        })
    }

    /// The same entries rebuilt into a single base layer (what `apply` does when the overlay
    /// passes its limit); lookups on the result touch one layer only.
    pub fn compact(&self) -> Result<Snapshot, MatcherError> {
        let mut all = LayerBuilder::new();
        all.absorb(&self.overlay, |_| true)?;
        all.absorb(&self.base, |key| self.removed.binary_search(&key).is_err())?;
        Ok(Snapshot::from_base(all.build()))
    }
}

/// The union of two sorted, deduplicated, disjoint key lists, sorted.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out.sort_unstable();
    out
}
