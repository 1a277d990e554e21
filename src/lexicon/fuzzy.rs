//! Fuzzy, transliteration-aware matching of person names (`Sergei Uresevsky` ->
//! `Sergey Urusevsky`): a deletion-neighbourhood index of the lexicon's surnames finds the
//! candidates, a Levenshtein distance within a budget that grows with length decides, and a
//! bounded memo remembers the best answer of each name asked.

use super::bits::BloomBits;
use super::{EntryId, Lexicon};
use crate::text::normalize::{match_key, translit_key};
use crate::text::{FNV_OFFSET, fnv_extend, fnv1a};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The index of every lexicon person's name for fuzzy look-ups.
#[derive(Debug, Clone, Default)]
pub(super) struct FuzzyIndex {
    /// Deletion-neighbourhood index of person surnames (hashes of keys with one char deleted).
    surnames: FxHashMap<u64, Vec<(EntryId, u32)>>,
    /// The keys of `surnames`: most deletion variants of a name in a review are no variant of
    /// a lexicon surname, and the filter says so without a look-up in the map.
    filter: BloomBits,
    /// Transliteration keys of every person name (label and aliases), by entry.
    person_keys: Vec<(EntryId, String)>,
    /// Answers of [`Lexicon::fuzzy_person_best`] already computed.
    memo: FuzzyMemo,
}

/// [`FuzzyIndex`] while the lexicon's names are added to it.
#[derive(Default)]
pub(super) struct FuzzyIndexBuilder {
    surnames: FxHashMap<u64, Vec<(EntryId, u32)>>,
    person_keys: Vec<(EntryId, String)>,
}

impl FuzzyIndexBuilder {
    /// Adds a name (its [`match_key`]) of person `entry`.
    pub(super) fn add(&mut self, entry: EntryId, key: &str) {
        let tkey = translit_key(key);
        let surname = tkey.rsplit(' ').next().unwrap_or("").to_string();
        let key_no = self.person_keys.len() as u32;
        self.person_keys.push((entry, tkey));
        for variant in deletion_hashes(&surname) {
            let list = self.surnames.entry(variant).or_default();
            if !list.iter().any(|(i, _)| *i == entry) {
                list.push((entry, key_no));
            }
        }
    }

    pub(super) fn finish(self) -> FuzzyIndex {
        FuzzyIndex {
            filter: BloomBits::new(self.surnames.keys().copied()),
            surnames: self.surnames,
            person_keys: self.person_keys,
            memo: FuzzyMemo::default(),
        }
    }
}

/// Memo of the best fuzzy person match of each name key. The same names come back review
/// after review (a corpus names the same stars again and again), and a fuzzy look-up costs
/// thousands of instructions while a memo look-up costs a hash. Shared by the extraction
/// threads behind a mutex held only for the look-up or the insert.
#[derive(Debug, Default)]
struct FuzzyMemo(std::sync::Mutex<FuzzyAnswers>);

/// The best fuzzy match (or none) of each name key asked.
type FuzzyAnswers = FxHashMap<Box<str>, Option<(EntryId, f32)>>;

/// Past this many keys the memo starts again, so memory stays bounded on any corpus.
const FUZZY_MEMO_CAPACITY: usize = 1 << 16;

impl Clone for FuzzyMemo {
    fn clone(&self) -> Self {
        FuzzyMemo::default()
    }
}

impl FuzzyMemo {
    fn map(&self) -> std::sync::MutexGuard<'_, FuzzyAnswers> {
        // The map holds only finished answers: one left by a panicking thread is still valid.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Lexicon {
    /// Fuzzy, transliteration-aware lookup of a person name (`Sergei Uresevsky`): the entries
    /// whose name is within an edit budget that grows with length, best first, with a
    /// similarity in 0..1. Short names never match fuzzily.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nperson\tlocal:sergey-urusevsky\tSergey Urusevsky\n").unwrap();
    /// let hits = lex.fuzzy_person("Sergei Uresevsky");
    /// assert_eq!(hits[0].0, 0);
    /// assert!(lex.fuzzy_person("Sergei Ivanov").is_empty());
    /// ```
    pub fn fuzzy_person(&self, name: &str) -> Vec<(EntryId, f32)> {
        self.fuzzy_person_key(&match_key(name))
    }

    /// The first hit of [`Lexicon::fuzzy_person_key`], remembered: the same key costs a hash
    /// look-up the next time.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nperson\tlocal:sergey-urusevsky\tSergey Urusevsky\n").unwrap();
    /// assert_eq!(lex.fuzzy_person_best("sergei uresevsky").map(|h| h.0), Some(0));
    /// assert_eq!(lex.fuzzy_person_best("sergei uresevsky").map(|h| h.0), Some(0));
    /// assert_eq!(lex.fuzzy_person_best("sergei ivanov"), None);
    /// ```
    pub fn fuzzy_person_best(&self, match_key: &str) -> Option<(EntryId, f32)> {
        if short_surname(match_key) {
            return None;
        }
        let memo = &self.fuzzy.memo;
        if let Some(&hit) = memo.map().get(match_key) {
            return hit;
        }
        let hit = self.fuzzy_person_key(match_key).first().copied();
        let mut memo = memo.map();
        if memo.len() >= FUZZY_MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(match_key.into(), hit);
        hit
    }

    /// [`Lexicon::fuzzy_person`] of a name already turned into its [`match_key`], as the
    /// mention finder has it from the tokens' normal forms without tokenising the name again.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nperson\tlocal:sergey-urusevsky\tSergey Urusevsky\n").unwrap();
    /// assert_eq!(lex.fuzzy_person_key("sergei uresevsky")[0].0, 0);
    /// ```
    pub fn fuzzy_person_key(&self, match_key: &str) -> Vec<(EntryId, f32)> {
        if short_surname(match_key) {
            return Vec::new();
        }
        let key = translit_key(match_key);
        let surname = key.rsplit(' ').next().unwrap_or("");
        if surname.chars().count() < 5 {
            return Vec::new();
        }
        let word_count = key.split(' ').count();
        let key_chars = key.chars().count().max(1) as f32;
        let mut best: BTreeMap<EntryId, f32> = BTreeMap::new();
        for (key_no, entry) in self.fuzzy.candidates(surname) {
            let cand = &self.fuzzy.person_keys[key_no as usize].1;
            // Same number of words, each within its own budget: a surname alone never
            // fuzzily matches a full name, and `Bea` never becomes `Lee`.
            if cand.split(' ').count() != word_count {
                continue;
            }
            let mut d = 0;
            let within =
                key.split(' ').zip(cand.split(' ')).all(|(a, b)| {
                    match levenshtein_within(a, b, edit_budget(a.chars().count())) {
                        Some(wd) => {
                            d += wd;
                            true
                        }
                        None => false,
                    }
                });
            if within {
                let sim = 1.0 - d as f32 / key_chars;
                let slot = best.entry(entry).or_insert(0.0);
                *slot = slot.max(sim);
            }
        }
        let mut hits: Vec<(EntryId, f32)> = best.into_iter().collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    }
}

impl FuzzyIndex {
    /// Every (person key, entry) sharing a deletion variant with `surname`, each once
    /// however many variants it shares, in order.
    fn candidates(&self, surname: &str) -> Vec<(u32, EntryId)> {
        let mut cands: Vec<(u32, EntryId)> = Vec::new();
        for h in deletion_hashes(surname) {
            if !self.filter.may_contain(h) {
                continue;
            }
            if let Some(list) = self.surnames.get(&h) {
                cands.extend(list.iter().map(|&(entry, key_no)| (key_no, entry)));
            }
        }
        cands.sort_unstable();
        cands.dedup();
        cands
    }
}

/// True when the last word of a match key is too short for a fuzzy match: transliteration
/// never lengthens a word, so a short last word is a short surname.
fn short_surname(match_key: &str) -> bool {
    match_key.rsplit(' ').next().unwrap_or("").chars().count() < 5
}

/// The edit budget for a name word of this many characters.
fn edit_budget(chars: usize) -> usize {
    // Short names differ by one letter from many others (`Birney`, `Byrne`).
    match chars {
        0..=6 => 0,
        7..=10 => 1,
        _ => 2,
    }
}

/// Hashes of the word and of every variant with one character deleted (each the hash of the
/// variant as a `str`, computed without building it).
fn deletion_hashes(word: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(word.len() + 1);
    out.push(fnv1a(word.as_bytes()));
    let bytes = word.as_bytes();
    for (i, c) in word.char_indices() {
        let head = fnv_extend(FNV_OFFSET, &bytes[..i]);
        out.push(fnv_extend(head, &bytes[i + c.len_utf8()..]));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Levenshtein distance in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The Levenshtein distance of two words when it is at most `budget`.
fn levenshtein_within(a: &str, b: &str, budget: usize) -> Option<usize> {
    // The distance is at least the difference of lengths (in characters).
    let (la, lb) = if a.is_ascii() && b.is_ascii() {
        (a.len(), b.len())
    } else {
        (a.chars().count(), b.chars().count())
    };
    if la.abs_diff(lb) > budget {
        return None;
    }
    let d = strsim::levenshtein(a, b);
    (d <= budget).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_matches_transliterations_not_other_names() {
        let lex = Lexicon::from_str(
            "kind\tid\tlabel\nperson\ta\tNikita Khrushchev\nperson\tb\tTatiana Samoilova\n",
        )
        .unwrap();
        assert_eq!(lex.fuzzy_person("Nikita Krushchev")[0].0, 0);
        assert_eq!(lex.fuzzy_person("Tatyana Samojlova")[0].0, 1);
        assert!(lex.fuzzy_person("Tatiana Smirnova").is_empty());
    }

    #[test]
    fn deletion_hashes_are_hashes_of_the_variants() {
        for word in ["urusevsky", "skarsgård", "ab", ""] {
            let chars: Vec<char> = word.chars().collect();
            let mut expected: Vec<u64> = (0..chars.len())
                .map(|skip| {
                    let v: String = chars
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, c)| c)
                        .collect();
                    fnv1a(v.as_bytes())
                })
                .chain(std::iter::once(fnv1a(word.as_bytes())))
                .collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(deletion_hashes(word), expected);
        }
    }

    #[test]
    fn levenshtein_ascii_and_unicode() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("skarsgård", "skarsgard"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein_within("urusevsky", "uresevsky", 1), Some(1));
        assert_eq!(levenshtein_within("urusevsky", "urusevskiyyy", 2), None);
    }
}
