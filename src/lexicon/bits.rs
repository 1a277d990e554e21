//! Bit sets for look-ups asked of every token: [`BloomBits`], a one-hash Bloom filter over
//! 64-bit keys that keeps cache-missing hash-map look-ups for the keys that may be present, and
//! [`WordSet`], a set of small word ids, one bit each.

/// A one-hash Bloom filter of `2^BITS` bits over 64-bit keys (by default 2^20 bits, 128 KiB,
/// which stays in cache): it says for certain that a key is absent, so the hash map behind it,
/// whose look-ups miss the cache, is read only for keys that are (or, a few times in a hundred,
/// seem) present.
#[derive(Debug, Clone, Default)]
pub(super) struct BloomBits<const BITS: u32 = 20>(Vec<u64>);

impl<const BITS: u32> BloomBits<BITS> {
    pub(super) fn new(keys: impl Iterator<Item = u64>) -> Self {
        let mut bits = vec![0u64; (1 << BITS) / 64];
        for key in keys {
            let bit = Self::bit(key);
            bits[bit / 64] |= 1 << (bit % 64);
        }
        BloomBits(bits)
    }

    /// False when the key was certainly not given to [`BloomBits::new`].
    #[inline]
    pub(super) fn may_contain(&self, key: u64) -> bool {
        let bit = Self::bit(key);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    #[inline]
    fn bit(key: u64) -> usize {
        // Multiplicative hashing: the top bits of the product mix every bit of the key.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BITS)) as usize
    }
}

/// A set of alias word ids, one bit each: small enough to stay in the cache.
#[derive(Debug, Clone, Default)]
pub(super) struct WordSet(Vec<u64>);

impl WordSet {
    pub(super) fn new(words: usize, members: impl Iterator<Item = u32>) -> WordSet {
        let mut bits = vec![0u64; words.div_ceil(64)];
        for word in members {
            bits[word as usize / 64] |= 1 << (word % 64);
        }
        WordSet(bits)
    }

    #[inline]
    pub(super) fn contains(&self, word: u32) -> bool {
        self.0
            .get(word as usize / 64)
            .is_some_and(|bits| bits & (1 << (word % 64)) != 0)
    }
}
