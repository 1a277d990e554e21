//! Lexicons: the people, films, awards and festivals Cinegraph knows by name, loaded at run time
//! from the tab-separated files of `ontology/lexicon/` (format: `ontology/lexicon/README.md`),
//! and the matchers compiled from them once: a trie over the normalised words of every alias,
//! and a transliteration-aware fuzzy index for misspelt names.
//!
//! This module is the facade ([`Lexicon`], [`Entry`], [`Kind`]); one concern a file below it:
//! `tsv` (rows read from the files), `build` (rows merged by id, the indexes built),
//! `aliases` (exact alias matching), `fuzzy` (fuzzy person names) and `bits` (the bit sets
//! of per-token look-ups).

mod aliases;
mod bits;
mod build;
mod fuzzy;
mod tsv;

pub use fuzzy::levenshtein;

use crate::error::{Error, Result};
use crate::text::normalize_word;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

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
    /// The alias matcher ([`Lexicon::find_where`]).
    aliases: aliases::Aliases,
    /// The fuzzy person-name index ([`Lexicon::fuzzy_person`]).
    fuzzy: fuzzy::FuzzyIndex,
    /// How many people have this normalised word as surname / as first name.
    surname_count: FxHashMap<String, u32>,
    first_name_count: FxHashMap<String, u32>,
    /// The person of each surname (normalised) that only one lexicon person has.
    unique_surnames: FxHashMap<String, EntryId>,
    /// Films credited to each person id: (film entry, relation).
    credits: FxHashMap<EntryId, Vec<(EntryId, String)>>,
    stopwords: FxHashSet<String>,
    demonyms: FxHashSet<String>,
    /// The given-name list (`given-names.txt`).
    given_names: FxHashSet<String>,
    /// The closed word lists of the mention finder.
    words: WordClasses,
    /// Festival-specific award of each (category, festival).
    awards_by_category: FxHashMap<(String, String), EntryId>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::build(Vec::new(), Default::default(), WordClasses::default())
    }
}

/// Name of the function-word list in a lexicon directory.
pub const STOPWORDS_FILE: &str = "stopwords.txt";
/// Name of the nationality-adjective list in a lexicon directory.
pub const DEMONYMS_FILE: &str = "demonyms.txt";
/// Name of the given-name list in a lexicon directory.
pub const GIVEN_NAMES_FILE: &str = "given-names.txt";

impl Lexicon {
    /// Loads every `*.tsv` file of a directory (sorted by name), and its `stopwords.txt`.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Lexicon> {
        let dir = dir.as_ref();
        let files = crate::files::with_extension(dir, "tsv")?;
        let mut rows = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            tsv::parse_rows(file, &text, &mut rows)?;
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
        let words = WordClasses::load_dir(dir)?;
        let mut lexicon = Lexicon::build(rows, read_words(STOPWORDS_FILE)?, words);
        lexicon.demonyms = read_words(DEMONYMS_FILE)?;
        lexicon.given_names = read_words(GIVEN_NAMES_FILE)?;
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
        tsv::parse_rows(Path::new("<memory>"), text, &mut rows)?;
        Ok(Lexicon::build(
            rows,
            Default::default(),
            WordClasses::default(),
        ))
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

    /// True when the normalised word is a given name: in the given-name list, or the first
    /// name of a lexicon person.
    ///
    /// ```
    /// use cinegraph::lexicon::Lexicon;
    /// let lex = Lexicon::from_str("kind\tid\tlabel\nperson\ta\tMikhail Kalatozov\n").unwrap();
    /// assert!(lex.is_given_name("mikhail"));
    /// assert!(!lex.is_given_name("kalatozov"));
    /// ```
    pub fn is_given_name(&self, word: &str) -> bool {
        self.first_name_count.contains_key(word) || self.given_names.contains(word)
    }

    /// How many lexicon people have this normalised word as surname, and as first name.
    pub fn name_word_counts(&self, word: &str) -> (u32, u32) {
        (
            self.surname_count.get(word).copied().unwrap_or(0),
            self.first_name_count.get(word).copied().unwrap_or(0),
        )
    }
}
