//! Exact alias matching: every normalised alias of every entry in a trie over word ids, walked
//! from each token of a document for the longest alias there ([`Lexicon::find_where`]), with
//! the words award names start with kept apart, since awards are matched wherever they start.

use super::bits::{BloomBits, WordSet};
use super::{Entry, EntryId, Kind, Lexicon, LexiconMatch};
use crate::text::{Document, WordTable, fnv1a};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The alias patterns while they are collected: every normalised alias (written ` word word `,
/// as [`crate::text::normalize::match_key`] gives it with a space either side), each once,
/// with its entries.
#[derive(Default)]
pub(super) struct AliasPatterns(BTreeMap<String, Vec<EntryId>>);

impl AliasPatterns {
    /// Adds `key`, a non-empty match key, as an alias of `entry`.
    pub(super) fn add(&mut self, key: &str, entry: EntryId) {
        let list = self.0.entry(format!(" {key} ")).or_default();
        if !list.contains(&entry) {
            list.push(entry);
        }
    }

    /// The matcher of these patterns; `entries` tells which name awards.
    pub(super) fn finish(self, entries: &[Entry]) -> Aliases {
        let (patterns, pattern_entries): (Vec<String>, Vec<Vec<EntryId>>) =
            self.0.into_iter().unzip();
        let trie = AliasTrie::new(&patterns);
        let pattern_names_award: Vec<bool> = pattern_entries
            .iter()
            .map(|ids| ids.iter().any(|&e| entries[e as usize].kind == Kind::Award))
            .collect();
        let award_first: Vec<&str> = patterns
            .iter()
            .zip(&pattern_names_award)
            .filter(|&(_, &award)| award)
            .filter_map(|(pattern, _)| pattern.split(' ').find(|w| !w.is_empty()))
            .collect();
        let award_first_words = WordSet::new(
            trie.words.len(),
            award_first
                .iter()
                .filter_map(|&word| trie.words.get(word).copied()),
        );
        let award_first_hashes =
            BloomBits::new(award_first.iter().map(|word| fnv1a(word.as_bytes())));
        Aliases {
            trie,
            pattern_entries,
            pattern_names_award,
            award_first_words,
            award_first_hashes,
        }
    }
}

/// The alias matcher of a lexicon.
#[derive(Debug, Clone, Default)]
pub(super) struct Aliases {
    trie: AliasTrie,
    /// Entries of each alias pattern.
    pattern_entries: Vec<Vec<EntryId>>,
    /// For each alias pattern, whether one of its entries is an award.
    pattern_names_award: Vec<bool>,
    /// The alias words (ids) that some award's alias starts with.
    award_first_words: WordSet,
    /// Their hashes, in a filter small enough to ask for every token.
    award_first_hashes: BloomBits<12>,
}

impl Lexicon {
    /// Every alias occurrence in a document: at each token, the longest alias starting there.
    ///
    /// ```
    /// use cinegraph::{lexicon::Lexicon, text::Document};
    /// let lex = Lexicon::from_str("kind\tid\tlabel\taliases\naward\tlocal:palme-d-or\tPalme d'Or\tPalm D'Or\n").unwrap();
    /// let doc = Document::new("a victory at the Cannes Palm D’Or, as well");
    /// let m = lex.find(&doc);
    /// assert_eq!(m.len(), 1);
    /// assert_eq!(doc.surface(m[0].tokens.clone()), "Palm D'Or");
    /// ```
    pub fn find(&self, doc: &Document) -> Vec<LexiconMatch<'_>> {
        self.find_where(doc, |_| true)
    }

    /// The occurrences [`Lexicon::find`] gives that start at a token `may_start` accepts, and
    /// every one that may name an award, wherever it starts: award names are written in lower
    /// case as often as not (`best director`), so they are never left to the caller's guess.
    ///
    /// Most tokens of running prose begin some alias (`love`, `the`), and the walk from each
    /// misses the caches several times; a caller that will keep only some starts says which.
    ///
    /// ```
    /// use cinegraph::{lexicon::Lexicon, text::{Document, Shape}};
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nfilm\tlocal:crash\tCrash\naward\tlocal:best-actress\tBest Actress\n").unwrap();
    /// let doc = Document::new("Crash won best actress after a crash.");
    /// let capitalised = |t: usize| doc.tokens[t].shape == Shape::Capitalized;
    /// let starts: Vec<usize> = lex.find_where(&doc, capitalised).iter().map(|m| m.tokens.start).collect();
    /// assert_eq!(starts, [0, 2]);
    /// assert_eq!(lex.find(&doc).len(), 3);
    /// ```
    pub fn find_where(
        &self,
        doc: &Document,
        may_start: impl Fn(usize) -> bool,
    ) -> Vec<LexiconMatch<'_>> {
        const MAY_START: u8 = 1;
        const MAY_NAME_AWARD: u8 = 2;
        let n = doc.tokens.len();
        // Only the tokens a walk starts from, and the words the walks go on to, are looked up:
        // in prose most tokens are neither.
        let starts: Vec<u8> = (0..n)
            .map(|t| {
                let award = self
                    .aliases
                    .award_first_hashes
                    .may_contain(doc.norm_hash(t));
                u8::from(may_start(t)) | if award { MAY_NAME_AWARD } else { 0 }
            })
            .collect();
        let mut words = vec![UNKNOWN; n];
        let mut word_at = |t: usize| {
            if words[t] == UNKNOWN {
                words[t] = self.aliases.trie.word(doc.norm(t), doc.norm_hash(t));
            }
            words[t]
        };
        let mut out = Vec::new();
        for (start, &may) in starts.iter().enumerate() {
            if may == 0 {
                continue;
            }
            let word = word_at(start);
            if word == NONE
                || (may & MAY_START == 0 && !self.aliases.award_first_words.contains(word))
            {
                continue;
            }
            let next = |len: usize| match start + len {
                t if t < n => word_at(t),
                _ => NONE,
            };
            if let Some((end, pattern)) = self.aliases.trie.longest_at(word, next) {
                out.push(LexiconMatch {
                    tokens: start..start + end,
                    entries: &self.aliases.pattern_entries[pattern],
                    names_award: self.aliases.pattern_names_award[pattern],
                });
            }
        }
        out
    }

    /// The most tokens an alias has: a match starting at a token ends at most this far on.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nfilm\tlocal:a\tThe Cranes Are Flying\n").unwrap();
    /// assert_eq!(lex.longest_alias_tokens(), 4);
    /// ```
    pub fn longest_alias_tokens(&self) -> usize {
        self.aliases.trie.depth
    }
}

/// The aliases as a trie over word ids: a document's tokens are looked up once each, then
/// every token starts a walk that ends at the first word no alias continues with. Aliases are
/// whole tokens (` word word `, as [`match_key`] writes them), so matching words is matching
/// the aliases' text.
#[derive(Debug, Clone, Default)]
struct AliasTrie {
    /// Every word of an alias, numbered (while the trie is built).
    words: FxHashMap<Box<str>, u32>,
    /// [`AliasTrie::words`] for look-ups by a token's hash.
    word_table: WordTable,
    /// The child of the root for each word id (`NONE` when no alias starts with it): the
    /// first step is a lookup in a vector, since every token takes it.
    roots: Vec<u32>,
    /// Deeper edges: (node, word id) -> node.
    edges: FxHashMap<(u32, u32), u32>,
    /// The edges, keyed `node << 32 | word`: most words after a word that starts an alias
    /// continue none, and the filter says so without touching the map.
    edge_filter: BloomBits,
    /// For each node, the pattern that ends there (`NONE` when none).
    ends: Vec<u32>,
    /// The most words a pattern has.
    depth: usize,
}

const NONE: u32 = u32::MAX;
/// A token whose word id is not looked up yet.
const UNKNOWN: u32 = u32::MAX - 1;

/// The key of a trie edge in [`AliasTrie::edge_filter`].
#[inline]
fn edge_key(node: u32, word: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(word)
}

impl AliasTrie {
    /// Builds the trie of patterns written ` word word ` (leading and trailing space).
    fn new(patterns: &[String]) -> AliasTrie {
        let mut trie = AliasTrie {
            ends: vec![NONE],
            ..AliasTrie::default()
        };
        for (index, pattern) in patterns.iter().enumerate() {
            let mut node = 0u32;
            let mut depth = 0;
            for word in pattern.split(' ').filter(|w| !w.is_empty()) {
                depth += 1;
                let next_word = trie.words.len() as u32;
                let id = *trie.words.entry(word.into()).or_insert(next_word);
                if id as usize == trie.roots.len() {
                    trie.roots.push(NONE);
                }
                let next_node = trie.ends.len() as u32;
                let child = if node == 0 {
                    let slot = &mut trie.roots[id as usize];
                    if *slot == NONE {
                        *slot = next_node;
                    }
                    *slot
                } else {
                    *trie.edges.entry((node, id)).or_insert(next_node)
                };
                if child == next_node {
                    trie.ends.push(NONE);
                }
                node = child;
            }
            if node != 0 {
                trie.ends[node as usize] = index as u32;
            }
            trie.depth = trie.depth.max(depth);
        }
        trie.edge_filter = BloomBits::new(trie.edges.keys().map(|&(n, w)| edge_key(n, w)));
        trie.word_table = WordTable::new(trie.words.iter().map(|(w, &id)| (&**w, id)));
        trie
    }

    /// The id of a word, `NONE` when no alias has it.
    fn word(&self, word: &str, hash: u64) -> u32 {
        self.word_table.get(word, hash).unwrap_or(NONE)
    }

    /// The longest alias that starts with word `first` and goes on with the words `word(1)`,
    /// `word(2)`, ... (`NONE` past the end): (words matched, pattern).
    fn longest_at(&self, first: u32, mut word: impl FnMut(usize) -> u32) -> Option<(usize, usize)> {
        if first == NONE {
            return None;
        }
        let mut node = self.roots[first as usize];
        if node == NONE {
            return None;
        }
        let mut best = None;
        let mut len = 1;
        loop {
            let end = self.ends[node as usize];
            if end != NONE {
                best = Some((len, end as usize));
            }
            let next = word(len);
            if next == NONE {
                break;
            }
            if !self.edge_filter.may_contain(edge_key(node, next)) {
                break;
            }
            match self.edges.get(&(node, next)) {
                Some(&child) => node = child,
                None => break,
            }
            len += 1;
        }
        best
    }
}
