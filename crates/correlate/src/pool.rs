//! Compactable pools: many small slices (alert ids, per-alert entity lists, entity values) stored
//! back to back in one vector and addressed by offset, instead of one heap allocation each.
//!
//! Released slices leave garbage behind; when garbage outweighs live data the owner compacts the
//! pool, rewriting every live offset ([`Pool::compact`]). Offsets are `u32`: a pool holds fewer
//! than 2^32 elements.

/// A pool of `T` slices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pool<T> {
    data: Vec<T>,
    garbage: usize,
}

/// Garbage below this many elements is never worth a compaction.
const MIN_GARBAGE: usize = 1 << 16;

impl<T: Copy> Pool<T> {
    /// Stores `items`, returning their offset.
    pub(crate) fn push(&mut self, items: &[T]) -> u32 {
        let off = self.data.len() as u32;
        self.data.extend_from_slice(items);
        off
    }

    /// The slice at `off` of `len` elements.
    pub(crate) fn get(&self, off: u32, len: u32) -> &[T] {
        let start = off as usize;
        self.data.get(start..start + len as usize).unwrap_or(&[])
    }

    /// The slice at `off` of `len` elements, mutably.
    pub(crate) fn get_mut(&mut self, off: u32, len: u32) -> &mut [T] {
        let start = off as usize;
        self.data
            .get_mut(start..start + len as usize)
            .unwrap_or(&mut [])
    }

    /// Marks a slice of `len` elements as garbage.
    pub(crate) fn release(&mut self, len: u32) {
        self.garbage += len as usize;
    }

    /// Whether garbage outweighs live data (and is large enough to bother).
    pub(crate) fn wants_compaction(&self) -> bool {
        self.garbage >= MIN_GARBAGE && self.garbage * 2 > self.data.len()
    }

    /// Rewrites the pool with only the slices `spans` names (offset, length), updating each offset.
    pub(crate) fn compact<'a>(&mut self, spans: impl Iterator<Item = (&'a mut u32, u32)>) {
        let mut fresh = Vec::with_capacity(self.data.len() - self.garbage.min(self.data.len()));
        for (off, len) in spans {
            let start = *off as usize;
            let slice = self.data.get(start..start + len as usize).unwrap_or(&[]);
            *off = fresh.len() as u32;
            fresh.extend_from_slice(slice);
        }
        self.data = fresh;
        self.garbage = 0;
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.data.capacity() * std::mem::size_of::<T>()
    }
}

/// A `BuildHasher` for keys that are already hashes: the `u64` is used as is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PassThrough;

/// The hasher of [`PassThrough`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl std::hash::BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

/// A map from an already-hashed `u64` to a slot.
pub(crate) type HashedMap = std::collections::HashMap<u64, u32, PassThrough>;

/// Heap bytes of a `HashMap` with `capacity` entries of `entry` bytes (control bytes included).
pub(crate) fn map_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = (capacity * 8 / 7).next_power_of_two();
    buckets * (entry + 1)
}

/// The fixed hash every table uses: the same value hashes the same in every engine and process.
pub(crate) fn hash_str(tag: u8, s: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5ec6_c022_e1a7_e000).hash_one((tag, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compaction_keeps_live_slices_and_rewrites_offsets() {
        let mut pool = Pool::default();
        let a = pool.push(b"alpha");
        let b = pool.push(b"beta");
        let mut c = pool.push(b"gamma");
        pool.release(4);
        let _ = (a, b);
        let mut a2 = a;
        pool.compact([(&mut a2, 5), (&mut c, 5)].into_iter());
        assert_eq!(pool.get(a2, 5), b"alpha");
        assert_eq!(pool.get(c, 5), b"gamma");
        assert_eq!((a2, c), (0, 5));
        assert_eq!(pool.get(100, 3), b"");
    }
}
