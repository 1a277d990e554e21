//! [`WordTable`], the word -> id table every token is looked up in (lexicon aliases, rule
//! vocabulary, word classes), keyed by the FNV-1a hash the tokeniser already keeps.

use super::hash::fnv1a;

/// Words to ids, by linear probing on the FNV-1a hash the tokeniser keeps for every token
/// ([`Document::norm_hash`]). Every token of every review is looked up, most of them in the
/// lexicon's table of some twenty thousand words, so the table is laid out for the cache: a
/// slot is 16 bytes (a tag of the hash, the length, the id and the first eight bytes of the
/// word), the table at most about half full, and a word of up to eight bytes is verified
/// against its slot alone; only longer words are compared with their full text.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordTable {
    /// A power of two of slots; `id == u32::MAX` marks an empty one.
    slots: Vec<WordSlot>,
    /// Every word, end to end, and where each id's word ends (ids are `0..n`).
    text: String,
    ends: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct WordSlot {
    /// The top 16 bits of the hash.
    tag: u16,
    /// The length in bytes, saturated.
    len: u16,
    id: u32,
    /// The first eight bytes, little-endian, zero-padded.
    head: u64,
}

const EMPTY_SLOT: WordSlot = WordSlot {
    tag: 0,
    len: 0,
    id: u32::MAX,
    head: 0,
};

/// The first eight bytes of a word as a little-endian number, zero-padded.
#[inline]
fn word_head(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(head) => u64::from_le_bytes(*head),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |head, (i, &b)| head | u64::from(b) << (8 * i)),
    }
}

impl WordSlot {
    fn of(word: &str, hash: u64, id: u32) -> WordSlot {
        WordSlot {
            tag: Self::tag(hash),
            len: Self::len(word),
            id,
            head: word_head(word.as_bytes()),
        }
    }

    fn tag(hash: u64) -> u16 {
        (hash >> 48) as u16
    }

    fn len(word: &str) -> u16 {
        word.len().min(usize::from(u16::MAX)) as u16
    }
}

impl WordTable {
    /// The table of these (word, id) pairs; ids are `0..n`, each given once.
    pub(crate) fn new<'a>(pairs: impl ExactSizeIterator<Item = (&'a str, u32)>) -> WordTable {
        let count = pairs.len();
        let size = (count + count / 2 + 1).next_power_of_two().max(16);
        let mut slots = vec![EMPTY_SLOT; size];
        let mut words = vec![""; count];
        for (word, id) in pairs {
            let h = fnv1a(word.as_bytes());
            let mut i = h as usize & (size - 1);
            while slots[i].id != u32::MAX {
                i = (i + 1) & (size - 1);
            }
            slots[i] = WordSlot::of(word, h, id);
            words[id as usize] = word;
        }
        let mut text = String::with_capacity(words.iter().map(|w| w.len()).sum());
        let mut ends = Vec::with_capacity(count);
        for word in words {
            text.push_str(word);
            ends.push(text.len() as u32);
        }
        WordTable { slots, text, ends }
    }

    /// The number of words.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The word of an id.
    fn word(&self, id: u32) -> &str {
        let start = match id {
            0 => 0,
            _ => self.ends[id as usize - 1] as usize,
        };
        &self.text[start..self.ends[id as usize] as usize]
    }

    /// Asks the processor to bring the first slot `get(_, h)` reads into the cache: a table
    /// too big for the caches answers a run of look-ups faster when they are announced ahead.
    #[inline]
    pub(crate) fn prefetch(&self, h: u64) {
        let slot = &self.slots[h as usize & (self.slots.len() - 1)];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it never faults, whatever the address.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (slot as *const WordSlot).cast(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// The id of `word`, whose FNV-1a hash is `h`.
    #[inline]
    pub(crate) fn get(&self, word: &str, h: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let (tag, len) = (WordSlot::tag(h), WordSlot::len(word));
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.id == u32::MAX {
                return None;
            }
            // The head is read only for a slot whose tag and length agree: most probes end
            // at an empty slot or a differing tag.
            if slot.tag == tag
                && slot.len == len
                && slot.head == word_head(word.as_bytes())
                && (word.len() <= 8 || self.word(slot.id) == word)
            {
                return Some(slot.id);
            }
            i = (i + 1) & mask;
        }
    }
}
