//! Lexicons: the people, films, awards and festivals Cinegraph knows by name, loaded at run time
//! from the tab-separated files of `ontology/lexicon/` (format: `ontology/lexicon/README.md`),
//! and the matchers compiled from them once: a trie over the normalised words of every alias,
//! and a transliteration-aware fuzzy index for misspelt names.

use crate::error::{Error, Position, Result};
use crate::text::normalize::{match_key, translit_key};
use crate::text::{Document, FNV_OFFSET, fnv_extend, normalize_word};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod words;
pub use words::{WORD_CLASSES_FILE, WordClass, WordClasses};

/// What an entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A film person.
    Person,
    /// A film.
    Film,
    /// An award or award category.
    Award,
    /// A festival or award ceremony.
    Festival,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "person" => Kind::Person,
            "film" => Kind::Film,
            "award" => Kind::Award,
            "festival" => Kind::Festival,
            _ => return None,
        })
    }
}

/// One lexicon entry, merged from every row with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the entry names.
    pub kind: Kind,
    /// `nm…`/`tt…` IMDb id, `local:slug`, or a festival id.
    pub id: String,
    /// Canonical name or title.
    pub label: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Release year of a film.
    pub year: Option<u16>,
    /// Roles of a person (`director`, `actor`…).
    pub roles: Vec<String>,
    /// Film credits: (relation, person id).
    pub links: Vec<(String, String)>,
    /// Festival id of an award.
    pub festival: Option<String>,
    /// Category key of an award (`best-actress`).
    pub category: Option<String>,
    /// Free tags (`film`, `acting`…).
    pub tags: Vec<String>,
}

impl Entry {
    /// The IMDb id of the entry, when its id is one.
    ///
    /// ```
    /// # use cinegraph::lexicon::*;
    /// # let mut e = Lexicon::from_str("kind\tid\tlabel\nperson\tnm0000033\tAlfred Hitchcock\n").unwrap();
    /// assert_eq!(e.entry(0).imdb_id(), Some("nm0000033"));
    /// ```
    pub fn imdb_id(&self) -> Option<&str> {
        let id = self.id.as_str();
        let is_imdb = (id.starts_with("nm") || id.starts_with("tt"))
            && id.len() > 2
            && id[2..].bytes().all(|b| b.is_ascii_digit());
        is_imdb.then_some(id)
    }

    /// True when the entry carries the tag.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

/// Index of an entry in its [`Lexicon`].
pub type EntryId = u32;

/// A lexicon match: which entries a token range names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconMatch<'a> {
    /// Token range in the document.
    pub tokens: std::ops::Range<usize>,
    /// Every entry with this alias (more than one when ambiguous).
    pub entries: &'a [EntryId],
    /// True when one of the entries is an award: known without reading the entries, which
    /// the mention finder would otherwise do for every lower-case match it drops.
    pub names_award: bool,
}

/// All lexicon entries and the matchers compiled from them.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
    by_id: FxHashMap<String, EntryId>,
    aliases: AliasTrie,
    /// Entries of each alias pattern.
    pattern_entries: Vec<Vec<EntryId>>,
    /// For each alias pattern, whether one of its entries is an award.
    pattern_names_award: Vec<bool>,
    /// The alias words (ids) that some award's alias starts with.
    award_first_words: WordSet,
    /// Their hashes, in a filter small enough to ask for every token.
    award_first_hashes: BloomBits<12>,
    /// Deletion-neighbourhood index of person surnames (hashes of keys with one char deleted).
    fuzzy_surnames: FxHashMap<u64, Vec<(EntryId, u32)>>,
    /// The keys of `fuzzy_surnames`: most deletion variants of a name in a review are no
    /// variant of a lexicon surname, and the filter says so without a look-up in the map.
    fuzzy_filter: BloomBits,
    /// Transliteration keys of every person name (label and aliases), by entry.
    person_keys: Vec<(EntryId, String)>,
    /// How many people have this normalised word as surname / as first name.
    surname_count: FxHashMap<String, u32>,
    first_name_count: FxHashMap<String, u32>,
    /// The person of each surname (normalised) that only one lexicon person has.
    unique_surnames: FxHashMap<String, EntryId>,
    /// Films credited to each person id: (film entry, relation).
    credits: FxHashMap<EntryId, Vec<(EntryId, String)>>,
    stopwords: FxHashSet<String>,
    demonyms: FxHashSet<String>,
    /// The closed word lists of the mention finder.
    words: WordClasses,
    /// Festival-specific award of each (category, festival).
    awards_by_category: FxHashMap<(String, String), EntryId>,
    /// Answers of [`Lexicon::fuzzy_person_best`] already computed.
    fuzzy_memo: FuzzyMemo,
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

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::build(Vec::new(), Default::default())
    }
}

/// Name of the function-word list in a lexicon directory.
pub const STOPWORDS_FILE: &str = "stopwords.txt";
/// Name of the nationality-adjective list in a lexicon directory.
pub const DEMONYMS_FILE: &str = "demonyms.txt";

impl Lexicon {
    /// Loads every `*.tsv` file of a directory (sorted by name), and its `stopwords.txt`.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Lexicon> {
        let dir = dir.as_ref();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        files.sort();
        let mut rows = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            parse_rows(file, &text, &mut rows)?;
        }
        let read_words = |name: &str| -> Result<FxHashSet<String>> {
            let path = dir.join(name);
            let mut words = FxHashSet::default();
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                for line in text.lines() {
                    let line = line.trim();
                    if !line.is_empty() && !line.starts_with('#') {
                        words.insert(normalize_word(line));
                    }
                }
            }
            Ok(words)
        };
        let mut lexicon = Lexicon::build(rows, read_words(STOPWORDS_FILE)?);
        lexicon.demonyms = read_words(DEMONYMS_FILE)?;
        lexicon.words = WordClasses::load_dir(dir)?;
        Ok(lexicon)
    }

    /// Parses one lexicon file's text (for tests and embedding).
    ///
    /// ```
    /// use cinegraph::lexicon::{Lexicon, Kind};
    /// let lex = Lexicon::from_str("kind\tid\tlabel\taliases\nperson\tlocal:x-y\tXavier Yu\tX. Yu\n").unwrap();
    /// assert_eq!(lex.len(), 1);
    /// assert_eq!(lex.entry(0).kind, Kind::Person);
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Lexicon> {
        let mut rows = Vec::new();
        parse_rows(Path::new("<memory>"), text, &mut rows)?;
        Ok(Lexicon::build(rows, Default::default()))
    }

    fn build(rows: Vec<Entry>, stopwords: FxHashSet<String>) -> Lexicon {
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_id: FxHashMap<String, EntryId> = FxHashMap::default();
        for row in rows {
            if let Some(&idx) = by_id.get(&row.id) {
                let e = &mut entries[idx as usize];
                for a in row.aliases.into_iter().chain(std::iter::once(row.label)) {
                    if a != e.label && !e.aliases.contains(&a) {
                        e.aliases.push(a);
                    }
                }
                e.year = e.year.or(row.year);
                for r in row.roles {
                    if !e.roles.contains(&r) {
                        e.roles.push(r);
                    }
                }
                for l in row.links {
                    if !e.links.contains(&l) {
                        e.links.push(l);
                    }
                }
                for t in row.tags {
                    if !e.tags.contains(&t) {
                        e.tags.push(t);
                    }
                }
                e.festival = e.festival.take().or(row.festival);
                e.category = e.category.take().or(row.category);
            } else {
                by_id.insert(row.id.clone(), entries.len() as EntryId);
                entries.push(row);
            }
        }

        // Alias patterns: every normalised alias, each once, with its entries.
        let mut pattern_index: BTreeMap<String, Vec<EntryId>> = BTreeMap::new();
        let mut fuzzy_surnames: FxHashMap<u64, Vec<(EntryId, u32)>> = FxHashMap::default();
        let mut person_keys = Vec::new();
        let mut surname_count: FxHashMap<String, u32> = FxHashMap::default();
        let mut first_name_count: FxHashMap<String, u32> = FxHashMap::default();
        for (idx, e) in entries.iter().enumerate() {
            let idx = idx as EntryId;
            for name in std::iter::once(&e.label).chain(&e.aliases) {
                let key = match_key(name);
                if key.is_empty() {
                    continue;
                }
                let list = pattern_index.entry(format!(" {key} ")).or_default();
                if !list.contains(&idx) {
                    list.push(idx);
                }
                if e.kind == Kind::Person {
                    let words: Vec<&str> = key.split(' ').collect();
                    if words.len() >= 2 && name == &e.label {
                        *surname_count
                            .entry(words[words.len() - 1].to_string())
                            .or_default() += 1;
                        *first_name_count.entry(words[0].to_string()).or_default() += 1;
                    }
                    let tkey = translit_key(&key);
                    let surname = tkey.rsplit(' ').next().unwrap_or("").to_string();
                    let key_no = person_keys.len() as u32;
                    person_keys.push((idx, tkey));
                    for variant in deletion_hashes(&surname) {
                        let list = fuzzy_surnames.entry(variant).or_default();
                        if !list.iter().any(|(i, _)| *i == idx) {
                            list.push((idx, key_no));
                        }
                    }
                }
            }
        }
        let mut unique_surnames = FxHashMap::default();
        for (idx, e) in entries.iter().enumerate() {
            if e.kind != Kind::Person {
                continue;
            }
            let key = match_key(&e.label);
            let words: Vec<&str> = key.split(' ').collect();
            if words.len() >= 2 {
                let surname = words[words.len() - 1];
                if surname_count.get(surname) == Some(&1) && surname.chars().count() >= 4 {
                    unique_surnames.insert(surname.to_string(), idx as EntryId);
                }
            }
        }
        let mut credits: FxHashMap<EntryId, Vec<(EntryId, String)>> = FxHashMap::default();
        for (idx, e) in entries.iter().enumerate() {
            for (rel, person) in &e.links {
                if let Some(&p) = by_id.get(person) {
                    credits
                        .entry(p)
                        .or_default()
                        .push((idx as EntryId, rel.clone()));
                }
            }
        }
        let mut awards_by_category = FxHashMap::default();
        for (idx, e) in entries.iter().enumerate() {
            if let (Kind::Award, Some(c), Some(f)) = (e.kind, &e.category, &e.festival) {
                awards_by_category
                    .entry((c.clone(), f.clone()))
                    .or_insert(idx as EntryId);
            }
        }
        let (patterns, pattern_entries): (Vec<String>, Vec<Vec<EntryId>>) =
            pattern_index.into_iter().unzip();
        let aliases = AliasTrie::new(&patterns);
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
            aliases.words.len(),
            award_first
                .iter()
                .filter_map(|&word| aliases.words.get(word).copied()),
        );
        let award_first_hashes = BloomBits::new(
            award_first
                .iter()
                .map(|word| crate::text::fnv1a(word.as_bytes())),
        );
        Lexicon {
            entries,
            by_id,
            aliases,
            pattern_entries,
            pattern_names_award,
            award_first_words,
            award_first_hashes,
            fuzzy_filter: BloomBits::new(fuzzy_surnames.keys().copied()),
            fuzzy_surnames,
            person_keys,
            surname_count,
            first_name_count,
            unique_surnames,
            credits,
            stopwords,
            demonyms: Default::default(),
            words: WordClasses::default(),
            awards_by_category,
            fuzzy_memo: FuzzyMemo::default(),
        }
    }

    /// The award of a category at a festival (`best-actress` at `cannes`), when the lexicon
    /// has one.
    pub fn award_for(&self, category: &str, festival: &str) -> Option<EntryId> {
        self.awards_by_category
            .get(&(category.to_string(), festival.to_string()))
            .copied()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the lexicon has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this index.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id as usize]
    }

    /// The entry with this lexicon id (`tt0050634`, `local:…`, `cannes`).
    pub fn by_id(&self, id: &str) -> Option<EntryId> {
        self.by_id.get(id).copied()
    }

    /// True when `word` (normalised) is a nationality adjective (`italian`).
    pub fn is_demonym(&self, word: &str) -> bool {
        self.demonyms.contains(word)
    }

    /// True when `word` (normalised) is a function word of the stop list.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// The word classes of the mention finder (the shipped ones unless the directory has its
    /// own `word-classes.txt`).
    pub fn words(&self) -> &WordClasses {
        &self.words
    }

    /// Films the lexicon credits to a person: (film, relation).
    pub fn credits_of(&self, person: EntryId) -> &[(EntryId, String)] {
        self.credits.get(&person).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The only lexicon person with this surname (normalised), when the word is no lexicon
    /// person's first name.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nperson\ta\tMikhail Kalatozov\n").unwrap();
    /// assert_eq!(lex.person_by_surname("kalatozov"), Some(0));
    /// ```
    pub fn person_by_surname(&self, word: &str) -> Option<EntryId> {
        if self.first_name_count.contains_key(word) {
            return None;
        }
        self.unique_surnames.get(word).copied()
    }

    /// How many lexicon people have this normalised word as surname, and as first name.
    pub fn name_word_counts(&self, word: &str) -> (u32, u32) {
        (
            self.surname_count.get(word).copied().unwrap_or(0),
            self.first_name_count.get(word).copied().unwrap_or(0),
        )
    }

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
        // Most probes of this big table miss the caches; announced some tokens ahead, the
        // misses overlap instead of queueing.
        const AHEAD: usize = 12;
        const MAY_START: u8 = 1;
        const MAY_NAME_AWARD: u8 = 2;
        let n = doc.tokens.len();
        // Only the tokens a walk starts from, and the words the walks go on to, are looked up:
        // in prose most tokens are neither.
        let starts: Vec<u8> = (0..n)
            .map(|t| {
                let award = self.award_first_hashes.may_contain(doc.norm_hash(t));
                u8::from(may_start(t)) | if award { MAY_NAME_AWARD } else { 0 }
            })
            .collect();
        let announce = |t: usize| {
            self.aliases.word_table.prefetch(doc.norm_hash(t));
            if t + 1 < n {
                self.aliases.word_table.prefetch(doc.norm_hash(t + 1));
            }
        };
        for t in (0..n.min(AHEAD)).filter(|&t| starts[t] != 0) {
            announce(t);
        }
        let mut words = vec![UNKNOWN; n];
        let mut word_at = |t: usize| {
            if words[t] == UNKNOWN {
                words[t] = self.aliases.word(doc.norm(t), doc.norm_hash(t));
            }
            words[t]
        };
        let mut out = Vec::new();
        for start in 0..n {
            if start + AHEAD < n && starts[start + AHEAD] != 0 {
                announce(start + AHEAD);
            }
            if starts[start] == 0 {
                continue;
            }
            let word = word_at(start);
            if word == NONE
                || (starts[start] & MAY_START == 0 && !self.award_first_words.contains(word))
            {
                continue;
            }
            let next = |len: usize| match start + len {
                t if t < n => word_at(t),
                _ => NONE,
            };
            if let Some((end, pattern)) = self.aliases.longest_at(word, next) {
                out.push(LexiconMatch {
                    tokens: start..start + end,
                    entries: &self.pattern_entries[pattern],
                    names_award: self.pattern_names_award[pattern],
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
        self.aliases.depth
    }

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
        if let Some(&hit) = self.fuzzy_memo.map().get(match_key) {
            return hit;
        }
        let hit = self.fuzzy_person_key(match_key).first().copied();
        let mut memo = self.fuzzy_memo.map();
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
        // Every candidate key once, however many deletion variants it shares with the name.
        let mut cands: Vec<(u32, EntryId)> = Vec::new();
        for h in deletion_hashes(surname) {
            if !self.fuzzy_filter.may_contain(h) {
                continue;
            }
            if let Some(list) = self.fuzzy_surnames.get(&h) {
                cands.extend(list.iter().map(|&(entry, key_no)| (key_no, entry)));
            }
        }
        cands.sort_unstable();
        cands.dedup();
        let mut best: BTreeMap<EntryId, f32> = BTreeMap::new();
        let mut lev = Levenshtein::default();
        for (key_no, entry) in cands {
            let cand = &self.person_keys[key_no as usize].1;
            // Same number of words, each within its own budget: a surname alone never
            // fuzzily matches a full name, and `Bea` never becomes `Lee`.
            if cand.split(' ').count() != word_count {
                continue;
            }
            let mut d = 0;
            let within = key.split(' ').zip(cand.split(' ')).all(|(a, b)| {
                match lev.within(a, b, edit_budget(a.chars().count())) {
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

/// A one-hash Bloom filter of `2^BITS` bits over 64-bit keys (by default 2^20 bits, 128 KiB,
/// which stays in cache): it says for certain that a key is absent, so the hash map behind it,
/// whose look-ups miss the cache, is read only for keys that are (or, a few times in a hundred,
/// seem) present.
#[derive(Debug, Clone, Default)]
struct BloomBits<const BITS: u32 = 20>(Vec<u64>);

impl<const BITS: u32> BloomBits<BITS> {
    fn new(keys: impl Iterator<Item = u64>) -> Self {
        let mut bits = vec![0u64; (1 << BITS) / 64];
        for key in keys {
            let bit = Self::bit(key);
            bits[bit / 64] |= 1 << (bit % 64);
        }
        BloomBits(bits)
    }

    /// False when the key was certainly not given to [`BloomBits::new`].
    #[inline]
    fn may_contain(&self, key: u64) -> bool {
        let bit = Self::bit(key);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    #[inline]
    fn bit(key: u64) -> usize {
        // Multiplicative hashing: the top bits of the product mix every bit of the key.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BITS)) as usize
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

/// The aliases as a trie over word ids: a document's tokens are looked up once each, then
/// every token starts a walk that ends at the first word no alias continues with. Aliases are
/// whole tokens (` word word `, as [`match_key`] writes them), so matching words is matching
/// the aliases' text.
#[derive(Debug, Clone, Default)]
struct AliasTrie {
    /// Every word of an alias, numbered (while the trie is built).
    words: FxHashMap<Box<str>, u32>,
    /// [`AliasTrie::words`] for look-ups by a token's hash.
    word_table: crate::text::WordTable,
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

/// A set of alias word ids, one bit each: small enough to stay in the cache.
#[derive(Debug, Clone, Default)]
struct WordSet(Vec<u64>);

impl WordSet {
    fn new(words: usize, members: impl Iterator<Item = u32>) -> WordSet {
        let mut bits = vec![0u64; words.div_ceil(64)];
        for word in members {
            bits[word as usize / 64] |= 1 << (word % 64);
        }
        WordSet(bits)
    }

    #[inline]
    fn contains(&self, word: u32) -> bool {
        self.0
            .get(word as usize / 64)
            .is_some_and(|bits| bits & (1 << (word % 64)) != 0)
    }
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
        trie.word_table = crate::text::WordTable::new(trie.words.iter().map(|(w, &id)| (&**w, id)));
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

fn hash_str(s: &str) -> u64 {
    fnv_extend(FNV_OFFSET, s.as_bytes())
}

/// Hashes of the word and of every variant with one character deleted (each the hash of the
/// variant as a `str`, computed without building it).
fn deletion_hashes(word: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(word.len() + 1);
    out.push(hash_str(word));
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
    Levenshtein::default().distance(a, b)
}

/// Levenshtein distance with reused buffers, and a byte path for ASCII words.
#[derive(Default)]
struct Levenshtein {
    a: Vec<char>,
    b: Vec<char>,
    rows: Vec<usize>,
}

impl Levenshtein {
    /// The distance when it is at most `budget`.
    fn within(&mut self, a: &str, b: &str, budget: usize) -> Option<usize> {
        // The distance is at least the difference of lengths (in characters).
        let (la, lb) = if a.is_ascii() && b.is_ascii() {
            (a.len(), b.len())
        } else {
            (a.chars().count(), b.chars().count())
        };
        if la.abs_diff(lb) > budget {
            return None;
        }
        let d = self.distance(a, b);
        (d <= budget).then_some(d)
    }

    fn distance(&mut self, a: &str, b: &str) -> usize {
        if a.is_ascii() && b.is_ascii() {
            edit_distance(a.as_bytes(), b.as_bytes(), &mut self.rows)
        } else {
            self.a.clear();
            self.a.extend(a.chars());
            self.b.clear();
            self.b.extend(b.chars());
            edit_distance(&self.a, &self.b, &mut self.rows)
        }
    }
}

fn edit_distance<T: PartialEq>(a: &[T], b: &[T], rows: &mut Vec<usize>) -> usize {
    rows.clear();
    rows.extend(0..=b.len());
    rows.resize(2 * (b.len() + 1), 0);
    let (mut prev, mut cur) = rows.split_at_mut(b.len() + 1);
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn parse_rows(path: &Path, text: &str, rows: &mut Vec<Entry>) -> Result<()> {
    let mut header: Option<Vec<String>> = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let pos = |column: usize| {
            Some(Position {
                line: line_no,
                column,
            })
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let Some(cols) = &header else {
            let cols: Vec<String> = cells.iter().map(|c| c.trim().to_string()).collect();
            for required in ["kind", "id", "label"] {
                if !cols.iter().any(|c| c == required) {
                    return Err(Error::syntax(
                        path,
                        pos(1),
                        format!("header lacks the required column `{required}`"),
                    ));
                }
            }
            header = Some(cols);
            continue;
        };
        if cells.len() != cols.len() {
            return Err(Error::syntax(
                path,
                pos(1),
                format!(
                    "expected {} tab-separated cells as in the header, found {}",
                    cols.len(),
                    cells.len()
                ),
            ));
        }
        let column_of =
            |i: usize| -> usize { cells[..i].iter().map(|c| c.chars().count() + 1).sum() };
        let mut entry = Entry {
            kind: Kind::Person,
            id: String::new(),
            label: String::new(),
            aliases: Vec::new(),
            year: None,
            roles: Vec::new(),
            links: Vec::new(),
            festival: None,
            category: None,
            tags: Vec::new(),
        };
        for (i, (col, cell)) in cols.iter().zip(&cells).enumerate() {
            let cell = cell.trim();
            if cell.is_empty() || cell == "-" {
                if matches!(col.as_str(), "kind" | "id" | "label") {
                    return Err(Error::syntax(
                        path,
                        pos(column_of(i) + 1),
                        format!("`{col}` must not be empty"),
                    ));
                }
                continue;
            }
            let list = || {
                cell.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            };
            match col.as_str() {
                "kind" => {
                    entry.kind = Kind::parse(cell).ok_or_else(|| {
                        Error::syntax(
                            path,
                            pos(column_of(i) + 1),
                            format!(
                                "unknown kind `{cell}`: expected person, film, award or festival"
                            ),
                        )
                    })?
                }
                "id" => entry.id = cell.to_string(),
                "label" => entry.label = cell.to_string(),
                "aliases" => entry.aliases = list(),
                "year" => {
                    entry.year = Some(cell.parse().map_err(|_| {
                        Error::syntax(
                            path,
                            pos(column_of(i) + 1),
                            format!("year `{cell}` is not a number"),
                        )
                    })?)
                }
                "roles" => entry.roles = list(),
                "tags" => entry.tags = list(),
                "festival" => entry.festival = Some(cell.to_string()),
                "category" => entry.category = Some(cell.to_string()),
                "links" => {
                    for link in list() {
                        let Some((rel, target)) = link.split_once('=') else {
                            return Err(Error::syntax(
                                path,
                                pos(column_of(i) + 1),
                                format!("link `{link}` is not of the form relation=id"),
                            ));
                        };
                        entry
                            .links
                            .push((rel.trim().to_string(), target.trim().to_string()));
                    }
                }
                _ => {}
            }
        }
        entry.aliases.retain(|a| a != &entry.label);
        rows.push(entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_row_names_file_line_and_column() {
        let err = Lexicon::from_str("kind\tid\tlabel\nrobot\tx\tY\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "<memory>:2:1: unknown kind `robot`: expected person, film, award or festival"
        );
    }

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
                    hash_str(&v)
                })
                .chain(std::iter::once(hash_str(word)))
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
        let mut lev = Levenshtein::default();
        assert_eq!(lev.within("urusevsky", "uresevsky", 1), Some(1));
        assert_eq!(lev.within("urusevsky", "urusevskiyyy", 2), None);
    }
}
