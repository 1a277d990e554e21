//! The word classes of the mention finder: closed lists of function and cue words (`film`,
//! `Dr`, `Jr`, `the`...) loaded from `word-classes.txt`, and the table that gives a token its
//! set of classes in one probe by the hash the tokeniser kept. The words are data; this module
//! owns the list of class names and the file format.

use crate::error::{Error, Position, Result};
use crate::text::{Document, WordTable, normalize_word};
use rustc_hash::FxHashMap;
use std::path::Path;

/// Name of the word-class list in a lexicon directory.
pub const WORD_CLASSES_FILE: &str = "word-classes.txt";

/// The shipped word classes, for a lexicon built without a directory ([`Lexicon::default`],
/// [`Lexicon::from_str`]) or from one without its own list.
///
/// [`Lexicon::default`]: super::Lexicon
/// [`Lexicon::from_str`]: super::Lexicon::from_str
const SHIPPED: &str = include_str!("../../ontology/lexicon/word-classes.txt");

/// A set of word classes, as bits: what a token is among the closed lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordClass(u32);

impl WordClass {
    /// `film`, `movie`: a reference to the reviewed film after `this`, and a title cue.
    pub const THIS_FILM_NOUN: WordClass = WordClass(1);
    /// `documentary`, `flick`: a title cue, never `this film`.
    pub const OTHER_FILM_NOUN: WordClass = WordClass(1 << 1);
    /// `novel`, `remake`: a title of another work follows.
    pub const TITLE_CUE: WordClass = WordClass(1 << 2);
    /// `this`, `the` before a this-film noun.
    pub const THIS_FILM_DETERMINER: WordClass = WordClass(1 << 3);
    /// `von`, `de`: lower case inside a name.
    pub const NAME_PARTICLE: WordClass = WordClass(1 << 4);
    /// `Dr`, `Mrs`, `Sheriff`: opens a name with its full stop.
    pub const HONORIFIC: WordClass = WordClass(1 << 5);
    /// `the`, `of`: lower case inside a title.
    pub const TITLE_SMALL_WORD: WordClass = WordClass(1 << 6);
    /// `he`, `she`.
    pub const PERSON_PRONOUN: WordClass = WordClass(1 << 7);
    /// Quotation marks around titles.
    pub const QUOTE: WordClass = WordClass(1 << 8);
    /// `is`, `'s`, `directed` after a lone capitalised sentence opener: it reads as a name.
    pub const NAME_FOLLOWER: WordClass = WordClass(1 << 9);
    /// `Jr`, `III`: part of the person name before it.
    pub const GENERATIONAL_SUFFIX: WordClass = WordClass(1 << 10);
    /// `of`, `the`, `-`: joins the capitalised words of an award name.
    pub const AWARD_JOINER: WordClass = WordClass(1 << 11);
    /// `academy`, `army`: the last word of a name that makes it an institution, not a person.
    pub const ORGANISATION_WORD: WordClass = WordClass(1 << 12);
    /// `the`, `of`: kept lower case when an ALL-CAPS title gets its display case.
    pub const LABEL_SMALL_WORD: WordClass = WordClass(1 << 13);
    /// `disney`, `hollywood`, `christmas`: a name made only of these is no person's.
    pub const NOT_A_PERSON: WordClass = WordClass(1 << 14);
    /// `2`, `II`: after a title, the number of a sequel (`Troll 2`, `Halloween II`).
    pub const SEQUEL_NUMBER: WordClass = WordClass(1 << 15);
    /// `season`, `war`, `stars`: a number beside it counts, it numbers no sequel (`Season 2`,
    /// `World War II`, `2 stars`).
    pub const NUMBERED_NOUN: WordClass = WordClass(1 << 16);
    /// `lookalike`, `wannabe`, `clone`: after a name, a likeness of that person, not the
    /// person (`a Johnny Depp wanna-be`).
    pub const LIKENESS: WordClass = WordClass(1 << 17);

    /// Every class, by its name in the file.
    const NAMED: [(&'static str, WordClass); 18] = [
        ("this-film-noun", Self::THIS_FILM_NOUN),
        ("other-film-noun", Self::OTHER_FILM_NOUN),
        ("title-cue", Self::TITLE_CUE),
        ("this-film-determiner", Self::THIS_FILM_DETERMINER),
        ("name-particle", Self::NAME_PARTICLE),
        ("honorific", Self::HONORIFIC),
        ("title-small-word", Self::TITLE_SMALL_WORD),
        ("person-pronoun", Self::PERSON_PRONOUN),
        ("quote", Self::QUOTE),
        ("name-follower", Self::NAME_FOLLOWER),
        ("generational-suffix", Self::GENERATIONAL_SUFFIX),
        ("award-joiner", Self::AWARD_JOINER),
        ("organisation-word", Self::ORGANISATION_WORD),
        ("label-small-word", Self::LABEL_SMALL_WORD),
        ("not-a-person", Self::NOT_A_PERSON),
        ("sequel-number", Self::SEQUEL_NUMBER),
        ("numbered-noun", Self::NUMBERED_NOUN),
        ("likeness", Self::LIKENESS),
    ];

    /// True when this set and `other` share a class.
    #[inline]
    pub fn has(self, other: WordClass) -> bool {
        self.0 & other.0 != 0
    }

    fn named(name: &str) -> Option<WordClass> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, c)| c)
    }
}

impl std::ops::BitOr for WordClass {
    type Output = WordClass;
    fn bitor(self, other: WordClass) -> WordClass {
        WordClass(self.0 | other.0)
    }
}

/// The loaded word lists: each word's set of classes.
#[derive(Debug, Clone)]
pub struct WordClasses {
    table: WordTable,
    /// The classes of each word id of `table`.
    classes: Vec<WordClass>,
}

impl Default for WordClasses {
    /// The shipped lists.
    fn default() -> Self {
        WordClasses::parse(Path::new(WORD_CLASSES_FILE), SHIPPED)
            .expect("the shipped word-classes.txt parses (tested)")
    }
}

impl WordClasses {
    /// The lists of a lexicon directory's `word-classes.txt`, or the shipped ones when it has
    /// none.
    pub(crate) fn load_dir(dir: &Path) -> Result<WordClasses> {
        let path = dir.join(WORD_CLASSES_FILE);
        if !path.exists() {
            return Ok(WordClasses::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        WordClasses::parse(&path, &text)
    }

    /// Parses `class<TAB>word` lines; errors name `path` and the line.
    pub(crate) fn parse(path: &Path, text: &str) -> Result<WordClasses> {
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut classes: Vec<WordClass> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |column| {
                Some(Position {
                    line: i + 1,
                    column,
                })
            };
            let Some((name, word)) = line.split_once('\t') else {
                return Err(Error::syntax(path, at(1), "expected `class<TAB>word`"));
            };
            let Some(class) = WordClass::named(name.trim()) else {
                let known: Vec<&str> = WordClass::NAMED.iter().map(|(n, _)| *n).collect();
                return Err(Error::syntax(
                    path,
                    at(1),
                    format!("unknown word class `{name}` (known: {})", known.join(", ")),
                ));
            };
            let word = normalize_word(word.trim());
            if word.is_empty() || word.contains(char::is_whitespace) {
                let column = name.chars().count() + 2;
                return Err(Error::syntax(path, at(column), "expected one word"));
            }
            let next = classes.len() as u32;
            let id = *ids.entry(word).or_insert(next);
            if id == next {
                classes.push(WordClass::default());
            }
            classes[id as usize] = classes[id as usize] | class;
        }
        let table = WordTable::new(ids.iter().map(|(w, &id)| (w.as_str(), id)));
        Ok(WordClasses { table, classes })
    }

    /// The classes of every token of a document: one table probe a token, by the hash the
    /// tokeniser kept, instead of string comparisons in every pass of the mention finder.
    pub fn token_classes(&self, doc: &Document) -> Vec<WordClass> {
        (0..doc.tokens.len())
            .map(|t| {
                self.table
                    .get(doc.norm(t), doc.norm_hash(t))
                    .map_or(WordClass::default(), |id| self.classes[id as usize])
            })
            .collect()
    }

    /// The classes of one word in normal form.
    pub fn of(&self, norm: &str) -> WordClass {
        let hash = crate::text::fnv1a(norm.as_bytes());
        self.table
            .get(norm, hash)
            .map_or(WordClass::default(), |id| self.classes[id as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_parse_and_classify() {
        let words = WordClasses::default();
        assert!(words.of("film").has(WordClass::THIS_FILM_NOUN));
        assert!(!words.of("film").has(WordClass::OTHER_FILM_NOUN));
        assert!(words.of("the").has(WordClass::THIS_FILM_DETERMINER));
        assert!(words.of("the").has(WordClass::TITLE_SMALL_WORD));
        assert!(words.of("\"").has(WordClass::QUOTE));
        assert!(words.of("sheriff").has(WordClass::HONORIFIC));
        assert_eq!(words.of("eisenstein"), WordClass::default());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let path = Path::new("w.txt");
        let err = WordClasses::parse(path, "# c\nhonorific\tdr\nhonorifc\tmr\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("w.txt") && text.contains("3:1"), "{text}");
        assert!(text.contains("honorifc"), "{text}");
        let err = WordClasses::parse(path, "honorific dr\n").unwrap_err();
        assert!(err.to_string().contains("1:1"), "{err}");
    }
}
