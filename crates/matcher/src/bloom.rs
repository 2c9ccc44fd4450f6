//! A register-blocked Bloom filter: each value sets 4 bits in one 64-bit word chosen by its hash,
//! about 10 bits per value (~2% false positives). It is small enough to stay in cache, so a
//! lookup of a value that is not indexed usually costs no trip to main memory, and a domain
//! lookup probes the table only for the suffixes that may be there.

use prefetch_index::prefetch_index;

/// Filter bits per value.
const BITS_PER_VALUE: usize = 10;

/// The filter (see the module docs). An empty filter answers "maybe" to everything.
#[derive(Debug, Default)]
pub(crate) struct Bloom {
    words: Box<[u64]>,
    shift: u32,
}

impl Bloom {
    /// A filter sized for `values` values (none is added yet).
    pub(crate) fn with_capacity(values: usize) -> Bloom {
        let words = (values * BITS_PER_VALUE / 64).max(1).next_power_of_two();
        Bloom {
            words: vec![0; words].into_boxed_slice(),
            shift: 64 - words.trailing_zeros(),
        }
    }

    /// The word a hash selects, and the 4 bits it sets there.
    #[inline]
    fn locate(&self, hash: u64) -> (usize, u64) {
        let mixed = hash.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let word = mixed.checked_shr(self.shift).unwrap_or(0) as usize;
        let bits = (1u64 << (hash & 63))
            | (1u64 << ((hash >> 6) & 63))
            | (1u64 << ((hash >> 12) & 63))
            | (1u64 << ((hash >> 18) & 63));
        (word, bits)
    }

    /// Adds a value by its 64-bit hash.
    pub(crate) fn insert(&mut self, hash: u64) {
        let (word, bits) = self.locate(hash);
        if let Some(slot) = self.words.get_mut(word) {
            *slot |= bits;
        }
    }

    /// False when the value with this hash was certainly not added.
    #[inline]
    pub(crate) fn may_contain(&self, hash: u64) -> bool {
        let (word, bits) = self.locate(hash);
        self.words.get(word).is_none_or(|w| w & bits == bits)
    }

    /// Asks the cache for the word `may_contain(hash)` reads (a hint for batch lookups).
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        let (word, _) = self.locate(hash);
        prefetch_index(&self.words, word);
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.words.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(i: u64) -> u64 {
        let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    #[test]
    fn no_false_negatives_few_false_positives() {
        let mut bloom = Bloom::with_capacity(10_000);
        (0..10_000).for_each(|i| bloom.insert(hash(i)));
        assert!((0..10_000).all(|i| bloom.may_contain(hash(i))));
        let false_positives = (10_000..110_000)
            .filter(|i| bloom.may_contain(hash(*i)))
            .count();
        assert!(false_positives < 5_000, "{false_positives} of 100000");
    }

    #[test]
    fn empty_filter_says_maybe() {
        assert!(Bloom::default().may_contain(42));
        assert!(!Bloom::with_capacity(0).may_contain(42));
    }
}
