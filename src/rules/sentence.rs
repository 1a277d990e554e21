//! The rules' input language: a sentence encoded as its units (normalised words) separated by
//! spaces, each mention replaced by a placeholder `«P12»` (its [`MentionClass`] letter and its
//! index among the review's mentions). This module owns the encoding: the class letters and
//! bits, the placeholder format, the [`EncodedSentence`] the regexes run on, and the
//! [`SentenceContent`] the prefilters read. Nothing else spells a placeholder or a class bit.

use std::fmt;
use std::ops::Range;

/// The number of mention classes.
pub(crate) const CLASS_COUNT: usize = 14;

/// What a placeholder stands for: the class a pattern names (`PERSON`, `NAME`...) and the
/// letter it is written with in an encoded sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionClass {
    /// `P`: a person of the lexicon, or typed as one.
    Person,
    /// `N`: a capitalised name of several words, of unknown type.
    Name,
    /// `M`: a one-word name of unknown type.
    ShortName,
    /// `F`: a film title.
    Film,
    /// `T`: a phrase referring to the reviewed film.
    ThisFilm,
    /// `A`: an award or award category.
    Award,
    /// `B`: an acting award.
    ActingAward,
    /// `E`: a festival or award ceremony.
    Festival,
    /// `Y`: a year.
    Year,
    /// `R`: a pronoun.
    Pronoun,
    /// `G`: a one-word name of unknown type that is a given name (`Anna`), not the surname
    /// of a full name the review gives.
    GivenName,
    /// `S`: a one-word name of unknown type that ends a full name the review gives elsewhere
    /// (`Slater` after `Christian Slater`).
    Surname,
    /// `H`: a name of several words, of unknown type, that starts with a given name (`Orla
    /// Brady`; not `Dr. Creed`, not `Major Wirtanen`).
    GivenFullName,
    /// `K`: a name of several words, of unknown type, that opens with an honorific (`Mrs.
    /// Kruger`, `Colonel Pepper`): a role's name more often than an actor's.
    TitledName,
}

impl MentionClass {
    /// Every class, in bit order.
    pub const ALL: [MentionClass; CLASS_COUNT] = [
        MentionClass::Person,
        MentionClass::Name,
        MentionClass::ShortName,
        MentionClass::Film,
        MentionClass::ThisFilm,
        MentionClass::Award,
        MentionClass::ActingAward,
        MentionClass::Festival,
        MentionClass::Year,
        MentionClass::Pronoun,
        MentionClass::GivenName,
        MentionClass::Surname,
        MentionClass::GivenFullName,
        MentionClass::TitledName,
    ];

    /// The class names a pattern may use, and the classes each stands for.
    const PATTERN_NAMES: [(&'static str, &'static str); 20] = [
        ("PERSON", "P"),
        ("NAME", "NHMGSK"),
        ("FULLNAME", "NHK"),
        ("UNTITLEDFULLNAME", "NH"),
        ("TITLEDNAME", "K"),
        ("SHORTNAME", "MGS"),
        ("GIVENNAME", "G"),
        ("SURNAME", "S"),
        ("BARENAME", "M"),
        ("GIVENFULLNAME", "H"),
        ("OTHERFULLNAME", "NK"),
        ("FILM", "FT"),
        ("TITLE", "F"),
        ("THISFILM", "T"),
        ("AWARD", "AB"),
        ("ACTINGAWARD", "B"),
        ("FESTIVAL", "E"),
        ("YEAR", "Y"),
        ("PRONOUN", "R"),
        ("MENTION", "PNHMGSFTABEYRK"),
    ];

    /// The placeholder letter.
    pub const fn letter(self) -> char {
        match self {
            MentionClass::Person => 'P',
            MentionClass::Name => 'N',
            MentionClass::ShortName => 'M',
            MentionClass::Film => 'F',
            MentionClass::ThisFilm => 'T',
            MentionClass::Award => 'A',
            MentionClass::ActingAward => 'B',
            MentionClass::Festival => 'E',
            MentionClass::Year => 'Y',
            MentionClass::Pronoun => 'R',
            MentionClass::GivenName => 'G',
            MentionClass::Surname => 'S',
            MentionClass::GivenFullName => 'H',
            MentionClass::TitledName => 'K',
        }
    }

    /// The class of a placeholder letter.
    ///
    /// ```
    /// use cinegraph::rules::MentionClass;
    /// assert_eq!(MentionClass::from_letter('B'), Some(MentionClass::ActingAward));
    /// assert_eq!(MentionClass::from_letter('x'), None);
    /// ```
    pub const fn from_letter(letter: char) -> Option<MentionClass> {
        Some(match letter {
            'P' => MentionClass::Person,
            'N' => MentionClass::Name,
            'M' => MentionClass::ShortName,
            'F' => MentionClass::Film,
            'T' => MentionClass::ThisFilm,
            'A' => MentionClass::Award,
            'B' => MentionClass::ActingAward,
            'E' => MentionClass::Festival,
            'Y' => MentionClass::Year,
            'R' => MentionClass::Pronoun,
            'G' => MentionClass::GivenName,
            'S' => MentionClass::Surname,
            'H' => MentionClass::GivenFullName,
            'K' => MentionClass::TitledName,
            _ => return None,
        })
    }

    /// The position of the class in [`MentionClass::ALL`], for per-class arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The bit of the class in a [`ClassSet`].
    pub const fn bit(self) -> u16 {
        1 << self as u16
    }

    /// The classes a pattern's class name stands for (`NAME` is a full or a short name), as
    /// their letters; `None` for a name patterns do not know.
    pub(crate) fn from_pattern_name(name: &str) -> Option<&'static str> {
        Self::PATTERN_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, letters)| letters)
    }

    /// The class names patterns may use, for messages.
    pub(crate) fn pattern_names() -> impl Iterator<Item = &'static str> {
        Self::PATTERN_NAMES.iter().map(|&(name, _)| name)
    }
}

/// A set of mention classes, as bits ([`MentionClass::bit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassSet(u16);

impl ClassSet {
    /// The classes whose letters are in `letters` (letters of no class are ignored).
    pub fn from_letters(letters: &str) -> ClassSet {
        ClassSet(
            letters
                .chars()
                .filter_map(MentionClass::from_letter)
                .fold(0, |set, class| set | class.bit()),
        )
    }

    /// True when the set holds `class`.
    #[inline]
    pub fn contains(self, class: MentionClass) -> bool {
        self.0 & class.bit() != 0
    }

    /// True when the sets share a class.
    #[inline]
    pub fn meets(self, other: ClassSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Adds a class.
    #[inline]
    pub fn insert(&mut self, class: MentionClass) {
        self.0 |= class.bit();
    }

    /// The classes of both sets.
    #[inline]
    pub fn intersection(self, other: ClassSet) -> ClassSet {
        ClassSet(self.0 & other.0)
    }

    /// The classes of the set, in bit order.
    #[inline]
    pub fn iter(self) -> impl Iterator<Item = MentionClass> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let index = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(MentionClass::ALL[index])
        })
    }
}

/// The regex source of one placeholder of these classes, as written by
/// [`EncodedSentence::push_mention`]; `letters` as the pattern named them.
pub(crate) fn placeholder_regex(letters: &str) -> String {
    format!("{OPEN}[{letters}][0-9]+{CLOSE}")
}

/// The regex source of a unit that is not a placeholder.
pub(crate) const WORD_UNIT_REGEX: &str = "(?:[^\u{ab} ][^ ]* )";

const OPEN: char = '\u{ab}';
const CLOSE: char = '\u{bb}';

/// A mention in an encoded sentence: `«P12»` is mention 12 of the review, a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    /// Its class.
    pub class: MentionClass,
    /// Its index among the review's mentions.
    pub mention: usize,
}

impl Placeholder {
    /// Reads a placeholder unit.
    ///
    /// ```
    /// use cinegraph::rules::{MentionClass, Placeholder};
    /// let p = Placeholder::parse("«F7»").unwrap();
    /// assert_eq!((p.class, p.mention), (MentionClass::Film, 7));
    /// assert_eq!(p.to_string(), "«F7»");
    /// assert_eq!(Placeholder::parse("film"), None);
    /// ```
    pub fn parse(unit: &str) -> Option<Placeholder> {
        let inner = unit.strip_prefix(OPEN)?.strip_suffix(CLOSE)?;
        let mut chars = inner.chars();
        let class = MentionClass::from_letter(chars.next()?)?;
        let mention = chars.as_str().parse().ok()?;
        Some(Placeholder { class, mention })
    }

    /// True when a unit is a placeholder (units that are words never start with `«`: the
    /// normal form folds it to `"`).
    #[inline]
    pub fn is_placeholder(unit: &str) -> bool {
        unit.starts_with(OPEN)
    }

    /// Appends the placeholder: `write!` goes through the formatting machinery, which costs
    /// more than the rest of the encoding.
    fn push_to(self, text: &mut String) {
        text.push(OPEN);
        text.push(self.class.letter());
        text.push_str(itoa::Buffer::new().format(self.mention));
        text.push(CLOSE);
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{OPEN}{}{}{CLOSE}", self.class.letter(), self.mention)
    }
}

/// A sentence as the rules' regexes see it: each unit preceded by a space and the whole
/// followed by one (` directed by «P3» . `), with each unit's offset and its span in the
/// review. Its buffers are reused from one sentence to the next.
#[derive(Debug, Clone, Default)]
pub struct EncodedSentence {
    text: String,
    /// Byte offset in `text` of the space before each unit.
    unit_starts: Vec<usize>,
    /// Byte span in the original text of each unit.
    unit_spans: Vec<Range<usize>>,
}

impl EncodedSentence {
    /// Empties the sentence, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.unit_starts.clear();
        self.unit_spans.clear();
    }

    /// Appends a word unit (a normal form, without spaces) spanning `span` of the review.
    #[inline]
    pub fn push_word(&mut self, norm: &str, span: Range<usize>) {
        self.unit_starts.push(self.text.len());
        self.text.push(' ');
        self.text.push_str(norm);
        self.unit_spans.push(span);
    }

    /// Appends a mention's placeholder spanning `span` of the review.
    #[inline]
    pub fn push_mention(&mut self, placeholder: Placeholder, span: Range<usize>) {
        self.unit_starts.push(self.text.len());
        self.text.push(' ');
        placeholder.push_to(&mut self.text);
        self.unit_spans.push(span);
    }

    /// Ends the sentence with the space after its last unit.
    pub fn finish(&mut self) {
        self.text.push(' ');
    }

    /// The encoded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number of units.
    pub fn units(&self) -> usize {
        self.unit_starts.len()
    }

    /// The unit a byte offset of the text is in (the space before a unit is its own).
    pub fn unit_at(&self, offset: usize) -> usize {
        match self.unit_starts.binary_search(&offset) {
            Ok(u) => u,
            Err(u) => u.saturating_sub(1),
        }
    }

    /// The offset of the space before a unit; the final space past the last unit.
    pub fn offset_of_unit(&self, unit: usize) -> usize {
        self.unit_starts
            .get(unit)
            .copied()
            .unwrap_or(self.text.len() - 1)
    }

    /// The text of a unit, without its spaces.
    pub fn unit_text(&self, unit: usize) -> &str {
        let start = self.unit_starts[unit] + 1;
        let end = self
            .unit_starts
            .get(unit + 1)
            .copied()
            .unwrap_or(self.text.len() - 1);
        &self.text[start..end]
    }

    /// The span in the review of the units `first..=last`.
    pub fn span_of_units(&self, first: usize, last: usize) -> Range<usize> {
        self.unit_spans[first].start..self.unit_spans[last].end
    }
}

/// What a sentence holds, so patterns that cannot match are skipped unrun: which words of a
/// rule set's vocabulary it has outside mentions, which mention classes, and in which units
/// (as the regexes count them) each of them is. Filled unit by unit without encoding the
/// sentence: most sentences let no pattern through, and are never encoded.
#[derive(Debug, Clone, Default)]
pub struct SentenceContent {
    /// By vocabulary id, whether the sentence holds the word.
    present: Vec<bool>,
    /// The ids set in `present`, to clear them for the next sentence.
    set: Vec<u32>,
    /// The mention classes present.
    classes_present: ClassSet,
    /// By vocabulary id, bit `u` when unit `u` is that word (units past 128 are not kept);
    /// zero for every word not in `set`.
    words: Vec<u128>,
    /// By class index, bit `u` when unit `u` is a mention of that class.
    classes: [u128; CLASS_COUNT],
    /// The units recorded so far.
    units: usize,
}

/// Where the units of a sentence (of at most 128 units) hold the words of the rule
/// vocabulary and the mention classes: bit `u` for unit `u`.
pub(crate) struct UnitPositions<'a> {
    /// By vocabulary id, the units equal to that word (none for a word the sentence lacks).
    pub words: &'a [u128],
    /// The mention classes present.
    pub classes_present: ClassSet,
    /// By class index, the units that are mentions of that class.
    pub classes: &'a [u128; CLASS_COUNT],
}

impl SentenceContent {
    /// Empties the content and sizes it for a vocabulary of `words` words. Cleared, every
    /// array is zero whatever vocabulary filled it, and resizing keeps it so.
    pub fn reset(&mut self, words: usize) {
        self.clear();
        self.present.resize(words, false);
        self.words.resize(words, 0);
    }

    /// Empties the content for the next sentence of the same rule set.
    pub fn clear(&mut self) {
        for id in self.set.drain(..) {
            self.present[id as usize] = false;
            self.words[id as usize] = 0;
        }
        for class in self.classes_present.iter() {
            self.classes[class.index()] = 0;
        }
        self.classes_present = ClassSet::default();
        self.units = 0;
    }

    /// The bit of the next unit, zero past the 128th.
    #[inline]
    fn next_unit_bit(&mut self) -> u128 {
        let bit = if self.units < 128 { 1 << self.units } else { 0 };
        self.units += 1;
        bit
    }

    /// Records a mention's placeholder.
    #[inline]
    pub fn add_mention(&mut self, class: MentionClass) {
        let bit = self.next_unit_bit();
        self.classes_present.insert(class);
        self.classes[class.index()] |= bit;
    }

    /// Records a word unit, `id` being its id in the rule vocabulary if it has one.
    #[inline]
    pub(crate) fn add_word(&mut self, id: Option<u32>) {
        let bit = self.next_unit_bit();
        if let Some(id) = id {
            if !self.present[id as usize] {
                self.present[id as usize] = true;
                self.set.push(id);
            }
            self.words[id as usize] |= bit;
        }
    }

    /// Whether the sentence holds each vocabulary word, by id.
    pub(crate) fn present(&self) -> &[bool] {
        &self.present
    }

    /// The ids of the vocabulary words the sentence holds.
    pub(crate) fn word_ids(&self) -> &[u32] {
        &self.set
    }

    /// The mention classes the sentence holds.
    pub(crate) fn classes_present(&self) -> ClassSet {
        self.classes_present
    }

    /// The unit positions, when every unit of the sentence was kept.
    pub(crate) fn positions(&self) -> Option<UnitPositions<'_>> {
        (self.units <= 128).then_some(UnitPositions {
            words: &self.words,
            classes_present: self.classes_present,
            classes: &self.classes,
        })
    }
}
