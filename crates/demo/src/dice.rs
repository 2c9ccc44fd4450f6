//! The per-alert random source.
//!
//! Alert *i* draws from its own ChaCha8 stream: the key comes from the configured seed and the
//! stream number is *i*, so an alert never depends on how many alerts were generated before or
//! after it (the first 640 of a million-alert benchmark run equal the demo set), and two
//! `(seed, index)` pairs never share a stream.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::{Builder, Uuid};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A seeded random source with the few draws the generator needs.
pub(crate) struct Dice {
    rng: ChaCha8Rng,
}

impl Dice {
    /// The stream of alert `index` under `seed`.
    pub(crate) fn for_alert(seed: u64, index: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        Dice { rng }
    }

    /// A stream keyed by an arbitrary label (see [`crate::fingerprint`]).
    pub(crate) fn for_label(label: &str) -> Self {
        Dice {
            rng: ChaCha8Rng::seed_from_u64(fnv1a(label.as_bytes())),
        }
    }

    /// True with probability `p` (0.0 ..= 1.0).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform integer in `lo ..= hi` (`lo` when `hi < lo`).
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.gen_range(lo..=hi)
        }
    }

    /// A uniform index below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.gen_range(0..n)
        }
    }

    /// An index below `n` that favours small indices (the minimum of two uniform draws), so that a
    /// few entities of every pool recur often — the material a correlator needs.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        self.below(n).min(self.below(n))
    }

    /// One element of a non-empty static pool.
    pub(crate) fn pick<'a, T>(&mut self, pool: &'a [T]) -> &'a T {
        &pool[self.below(pool.len())]
    }

    /// One element of a non-empty static pool, favouring the first ones.
    pub(crate) fn pick_skewed<'a, T>(&mut self, pool: &'a [T]) -> &'a T {
        &pool[self.skewed(pool.len())]
    }

    /// A value from a weighted table (weights need not sum to anything in particular).
    pub(crate) fn weighted<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.gen_range(0..total.max(1));
        for (value, weight) in table {
            if roll < *weight {
                return *value;
            }
            roll -= weight;
        }
        table[table.len() - 1].0
    }

    /// An element of a non-empty static pool, drawn with the weights `weight` gives.
    pub(crate) fn weighted_by<'a, T>(
        &mut self,
        pool: &'a [T],
        weight: impl Fn(&T) -> u32,
    ) -> &'a T {
        let total: u32 = pool.iter().map(&weight).sum();
        let mut roll = self.rng.gen_range(0..total.max(1));
        for item in pool {
            let w = weight(item);
            if roll < w {
                return item;
            }
            roll -= w;
        }
        &pool[pool.len() - 1]
    }

    /// A signed 32-bit number (the suffix of Defender alert ids).
    pub(crate) fn i32(&mut self) -> i32 {
        self.rng.next_u32() as i32
    }

    /// `len` lowercase hex digits.
    pub(crate) fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            let word = self.rng.next_u64();
            for shift in (0..16).rev() {
                if out.len() == len {
                    break;
                }
                out.push(char::from(HEX[((word >> (shift * 4)) & 0xf) as usize]));
            }
        }
        out
    }

    /// A version-4-shaped UUID built from this stream's bytes (never the OS random source).
    pub(crate) fn uuid(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// FNV-1a: a stable 64-bit hash of a label (std's hasher is randomly keyed per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_index_and_repeat_by_seed() {
        let a = Dice::for_alert(7, 1).hex(32);
        let b = Dice::for_alert(7, 2).hex(32);
        assert_ne!(a, b);
        assert_eq!(a, Dice::for_alert(7, 1).hex(32));
    }

    #[test]
    fn hex_has_the_requested_length() {
        let mut d = Dice::for_label("x");
        for len in [0, 1, 15, 16, 17, 40, 64] {
            let h = d.hex(len);
            assert_eq!(h.len(), len);
            assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn weighted_never_picks_zero_weight() {
        let mut d = Dice::for_label("w");
        for _ in 0..1000 {
            assert_ne!(d.weighted(&[(1, 3), (2, 0), (3, 1)]), 2);
        }
    }
}
