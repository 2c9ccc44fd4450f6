//! [`Matcher`]: the current snapshot of one tenant, swapped atomically. Readers load it without
//! locks (`arc-swap`); writers are serialised by a mutex, build the next snapshot off to the
//! side and publish it in one store, so a reader sees the old or the new index, never a mix.

use crate::entry::Entry;
use crate::error::MatcherError;
use crate::observable::Observable;
use crate::snapshot::Snapshot;
use arc_swap::{ArcSwap, Guard};
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

/// One tenant's live indicator index.
pub struct Matcher {
    current: ArcSwap<Snapshot>,
    writer: Mutex<()>,
}

/// A loaded snapshot; cheap to take and meant to be short-lived (for one request's lookups).
/// Hold [`Matcher::load_full`]'s `Arc` instead to keep a snapshot for long.
pub struct SnapshotGuard(Guard<Arc<Snapshot>>);

impl Deref for SnapshotGuard {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        &self.0
    }
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new(Snapshot::empty())
    }
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Matcher").field(&*self.load()).finish()
    }
}

impl Matcher {
    /// A matcher serving `snapshot`.
    pub fn new(snapshot: Snapshot) -> Matcher {
        Matcher {
            current: ArcSwap::from_pointee(snapshot),
            writer: Mutex::new(()),
        }
    }

    /// The current snapshot, lock-free.
    pub fn load(&self) -> SnapshotGuard {
        SnapshotGuard(self.current.load())
    }

    /// The current snapshot as an `Arc`, for holding across awaits or long work.
    pub fn load_full(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Replaces the snapshot (e.g. after a full reload from the store).
    pub fn store(&self, snapshot: Snapshot) {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.current.store(Arc::new(snapshot));
    }

    /// Applies removals by key and additions (see [`Snapshot::apply`]) and publishes the result;
    /// concurrent updates run one after the other, readers are never blocked. On error the
    /// current snapshot stays.
    pub fn update<'a, I>(&self, removed: &[u32], added: I) -> Result<(), MatcherError>
    where
        I: IntoIterator<Item = (Observable<'a>, Entry)>,
    {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let next = self.current.load().apply(removed, added)?;
        self.current.store(Arc::new(next));
        Ok(())
    }
}
