//! [`WordTable`], the word -> id table every token is looked up in (lexicon aliases, rule
//! vocabulary, word classes), keyed by the FNV-1a hash the tokeniser already keeps.

use super::hash::fnv1a;

/// Words to ids in a `hashbrown::HashTable` of ids, probed with the FNV-1a hash the tokeniser
/// keeps for every token ([`Document::norm_hash`]); a hit is verified against the word itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordTable {
    ids: hashbrown::HashTable<u32>,
    /// Every word, end to end, and where each id's word ends (ids are `0..n`).
    text: String,
    ends: Vec<u32>,
}

impl WordTable {
    /// The table of these (word, id) pairs; ids are `0..n`, each given once.
    pub(crate) fn new<'a>(pairs: impl ExactSizeIterator<Item = (&'a str, u32)>) -> WordTable {
        let count = pairs.len();
        let mut words = vec![""; count];
        let mut hashes = vec![0u64; count];
        for (word, id) in pairs {
            words[id as usize] = word;
            hashes[id as usize] = fnv1a(word.as_bytes());
        }
        let mut ids = hashbrown::HashTable::with_capacity(count);
        for (id, &h) in hashes.iter().enumerate() {
            ids.insert_unique(h, id as u32, |&id| hashes[id as usize]);
        }
        let mut text = String::with_capacity(words.iter().map(|w| w.len()).sum());
        let mut ends = Vec::with_capacity(count);
        for word in words {
            text.push_str(word);
            ends.push(text.len() as u32);
        }
        WordTable { ids, text, ends }
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

    /// The id of `word`, whose FNV-1a hash is `h`.
    #[inline]
    pub(crate) fn get(&self, word: &str, h: u64) -> Option<u32> {
        self.ids.find(h, |&id| self.word(id) == word).copied()
    }
}
