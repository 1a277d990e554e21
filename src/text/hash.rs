//! FNV-1a, the one hash of words: the tokeniser computes it for every token's normal form as it
//! writes it, and word tables, Bloom filters and the fuzzy index are keyed by it, so no word is
//! hashed twice. It is streaming ([`fnv_extend`]), which the fuzzy index needs to hash a word
//! with one character deleted without building it.

/// FNV-1a hash of some bytes: cheap, for the Bloom filters that skip most hash-map look-ups.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    fnv_extend(FNV_OFFSET, bytes)
}

/// The FNV-1a offset basis: the hash of no bytes.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The FNV-1a 64-bit prime.
pub(crate) const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a over bytes, continuing from `h`: a streaming hash, so a word with one character
/// deleted hashes as its two halves in turn, without being built.
pub(crate) fn fnv_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}
