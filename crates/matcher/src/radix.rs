//! A radix directory over sorted 128-bit keys: which slice of the sorted array can hold the last
//! key <= a probe. Keys are left-aligned (IPv4 in the top 32 bits). The bits common to all keys
//! are skipped, the next `bits` bits pick a bucket, and the directory (about one bucket per
//! four keys) gives each bucket's first key. A probe then searches only its bucket's few keys
//! instead of the whole array. A coverage bitmap, 32 times finer than the buckets (about eight
//! bits per key, so it stays in cache), marks where owned ranges are: a probe landing on a clear
//! bit is answered without reading the directory or the keys at all.

use prefetch_index::prefetch_index;

/// Keys per bucket aimed at.
const KEYS_PER_BUCKET: usize = 4;
/// Largest directory: 2^22 buckets (16 MiB).
const MAX_BITS: u32 = 22;
/// Coverage cells per bucket, as a power of two.
const COVERAGE_SHIFT: u32 = 5;

/// Where the last key <= a probe is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Window {
    /// Index `0`: the probe is below every key after the first.
    First,
    /// The last index: the probe is above the keys' common prefix.
    Last,
    /// Among `low..high`, or at `low - 1` if all of those are greater (`low >= 1`).
    Between(usize, usize),
    /// In a stretch that no owned range touches.
    Unowned,
}

/// The directory (see the module docs). Index 0 is outside it: the first key is the bottom of the
/// address space and the rest are bucketed.
#[derive(Debug, Default)]
pub(crate) struct Radix {
    region: u128,
    skip: u32,
    bits: u32,
    cell_bits: u32,
    /// Per bucket, its first key's index; plus one entry past the last bucket.
    table: Vec<u32>,
    /// One bit per cell: whether an owned range touches it.
    coverage: Vec<u64>,
}

impl Radix {
    /// A directory over `keys` (sorted, left-aligned; the first key is not bucketed); `owned`
    /// tells which keys start a range that belongs to something (ranges end at the next key).
    pub(crate) fn new(keys: &[u128], owned: impl Fn(usize) -> bool) -> Radix {
        let (Some(&min), Some(&max)) = (keys.get(1), keys.last()) else {
            return Radix::default();
        };
        let skip = (min ^ max).leading_zeros().min(127);
        let bits = ((keys.len() - 1) / KEYS_PER_BUCKET)
            .checked_ilog2()
            .unwrap_or(0)
            .min(MAX_BITS)
            .min(128 - skip);
        let cell_bits = (bits + COVERAGE_SHIFT).min(128 - skip);
        let mut radix = Radix {
            region: min,
            skip,
            bits,
            cell_bits,
            table: Vec::with_capacity((1 << bits) + 1),
            coverage: vec![0; ((1usize << cell_bits) / 64).max(1)],
        };
        let mut at = 1;
        for bucket in 0..=(1u128 << bits) {
            while at < keys.len() && radix.bucket(keys[at]) < bucket {
                at += 1;
            }
            radix.table.push(at as u32);
        }
        for index in (0..keys.len()).filter(|i| owned(*i)) {
            let last = keys.get(index + 1).map_or(u128::MAX, |next| next - 1);
            radix.cover(keys[index], last);
        }
        radix
    }

    /// The region's first and last keys.
    fn region_bounds(&self) -> (u128, u128) {
        let low_bits = u128::MAX.checked_shr(self.skip).unwrap_or(0);
        (self.region & !low_bits, self.region | low_bits)
    }

    /// Marks the coverage cells that the range `first..=last` touches.
    fn cover(&mut self, first: u128, last: u128) {
        let (low, high) = self.region_bounds();
        let (first, last) = (first.max(low), last.min(high));
        if first > last {
            return;
        }
        for cell in self.cell(first)..=self.cell(last) {
            if let Some(word) = self.coverage.get_mut(cell / 64) {
                *word |= 1 << (cell % 64);
            }
        }
    }

    /// The top `n` bits of an in-region key after the common prefix.
    fn top(&self, key: u128, n: u32) -> u128 {
        if n == 0 {
            0
        } else {
            (key << self.skip) >> (128 - n)
        }
    }

    /// The coverage cell of an in-region key.
    fn cell(&self, key: u128) -> usize {
        self.top(key, self.cell_bits) as usize
    }

    fn bucket(&self, key: u128) -> u128 {
        self.top(key, self.bits)
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.table.capacity() * 4 + self.coverage.capacity() * 8
    }

    /// Whether `probe` lies outside the keys' common prefix.
    #[inline]
    fn outside(&self, probe: u128) -> bool {
        self.skip > 0 && (probe ^ self.region) >> (128 - self.skip) != 0
    }

    /// Asks the cache for the coverage word and directory entry `window(probe)` reads (a hint
    /// for batch lookups).
    #[inline]
    pub(crate) fn prefetch(&self, probe: u128) {
        if self.table.is_empty() || self.outside(probe) {
            return;
        }
        let cell = self.cell(probe);
        prefetch_index(&self.coverage, cell / 64);
        prefetch_index(&self.table, cell >> (self.cell_bits - self.bits));
    }

    /// Where to look for the last key <= `probe` (left-aligned).
    #[inline]
    pub(crate) fn window(&self, probe: u128) -> Window {
        if self.table.is_empty() {
            return Window::First;
        }
        if self.outside(probe) {
            return if probe < self.region {
                Window::First
            } else {
                Window::Last
            };
        }
        let cell = self.cell(probe);
        let word = self.coverage.get(cell / 64).copied().unwrap_or(u64::MAX);
        if word & (1 << (cell % 64)) == 0 {
            return Window::Unowned;
        }
        let bucket = cell >> (self.cell_bits - self.bits);
        match (self.table.get(bucket), self.table.get(bucket + 1)) {
            (Some(&low), Some(&high)) => Window::Between(low as usize, high as usize),
            _ => Window::Last,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of the last key <= probe, through the directory.
    fn find(keys: &[u128], probe: u128) -> usize {
        find_in(&Radix::new(keys, |_| true), keys, probe).unwrap_or(usize::MAX)
    }

    /// Like `find`, `None` when the directory says the probe is in an unowned stretch.
    fn find_in(radix: &Radix, keys: &[u128], probe: u128) -> Option<usize> {
        Some(match radix.window(probe) {
            Window::Unowned => return None,
            Window::First => 0,
            Window::Last => keys.len() - 1,
            Window::Between(low, high) => {
                low + keys[low..high].partition_point(|k| *k <= probe) - 1
            }
        })
    }

    fn reference(keys: &[u128], probe: u128) -> usize {
        keys.partition_point(|k| *k <= probe) - 1
    }

    #[test]
    fn agrees_with_binary_search() {
        let mut keys = vec![0u128];
        let mut x = 0x2001_0db8u128 << 96;
        for i in 0..5000u128 {
            x += (i * 7919 % 1000 + 1) << 70;
            keys.push(x);
        }
        let radix = Radix::new(&keys, |_| true);
        let probes = keys.iter().flat_map(|k| [k.saturating_sub(1), *k, k + 1]);
        for probe in probes.chain([0, 1, u128::MAX, 0x2000u128 << 112, 0xffff_u128 << 112]) {
            let found = find_in(&radix, &keys, probe);
            assert_eq!(found, Some(reference(&keys, probe)), "{probe:x}");
        }
    }

    #[test]
    fn coverage_never_hides_an_owned_range() {
        let keys: Vec<u128> = std::iter::once(0)
            .chain((1..4000u128).map(|i| (i * 104_729) << 90))
            .collect();
        let owned = |i: usize| i % 3 == 1;
        let radix = Radix::new(&keys, owned);
        let mut unowned = 0;
        for probe in keys
            .iter()
            .flat_map(|k| [k.saturating_sub(1), *k, k + 1, k + (1 << 89)])
        {
            let expected = reference(&keys, probe);
            match find_in(&radix, &keys, probe) {
                Some(found) => assert_eq!(found, expected, "{probe:x}"),
                None => {
                    assert!(!owned(expected), "{probe:x} is owned by {expected}");
                    unowned += 1;
                }
            }
        }
        assert!(unowned > 0);
    }

    #[test]
    fn tiny_key_sets() {
        assert_eq!(find(&[0], 5), 0);
        assert_eq!(find(&[0, 10 << 100], 5), 0);
        assert_eq!(find(&[0, 10 << 100], 10 << 100), 1);
        assert_eq!(find(&[0, 10 << 100], u128::MAX), 1);
        assert_eq!(find(&[0, 10 << 100, 11 << 100], 10 << 100 | 1), 1);
    }
}
