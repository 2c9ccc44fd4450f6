//! The benchmarks' seeded random generator (SplitMix64): the same workload for the same seed, on
//! every machine.

/// SplitMix64: small, fast, seedable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// `len` lowercase letters and digits, starting with a letter.
    pub fn label(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|i| {
                let n = if i == 0 { 26 } else { CHARS.len() as u64 };
                char::from(CHARS[self.below(n) as usize])
            })
            .collect()
    }

    /// Failures before a success of probability `percent`/100, capped at `cap`.
    pub fn geometric(&mut self, percent: u64, cap: u8) -> u8 {
        let mut n = 0;
        while n < cap && !self.percent(percent) {
            n += 1;
        }
        n
    }

    /// `len` lowercase hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
}
