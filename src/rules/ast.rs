//! The syntax tree of a `.rules` file, as [`super::parse`] reads it: macros, rules with their
//! `match` / `emit` / gate lines, and each pattern's elements, every one with the position it
//! was written at; and [`RuleError`], a problem at a position, with the message it prints.

use super::sentence::ClassSet;
use crate::error::{Error, Position};
use crate::model::Relation;
use std::fmt;
use std::path::Path;

/// One file, parsed: its macros, and its rules up to the first error among rule lines, if
/// any (reported after those rules are checked, as they come first in the file).
#[derive(Debug, Default)]
pub(crate) struct RuleFile {
    pub macros: Vec<MacroDef>,
    pub rules: Vec<RuleAst>,
    pub error: Option<RuleError>,
}

/// `define NAME = phrase | phrase ...`, with its `|` continuation lines.
#[derive(Debug)]
pub(crate) struct MacroDef {
    pub name: String,
    pub phrases: Vec<String>,
}

/// A `rule` block.
#[derive(Debug)]
pub(crate) struct RuleAst {
    pub id: String,
    /// The `rule` line (column 1).
    pub at: Position,
    pub patterns: Vec<PatternLine>,
    pub emits: Vec<EmitAst>,
    pub confidence: Option<f32>,
    pub requires_before: Option<MacroRef>,
    pub unless: Vec<MacroRef>,
    pub unless_after: Vec<MacroRef>,
    /// `requires-profession WORD...`: a lexicon person the match captures, when the lexicon
    /// records what they did, must have done one of these.
    pub requires_profession: Vec<String>,
    /// `reversible`: the rule reads a pair of names in one order, which other rules' facts
    /// may overturn (the `plays` pair of a bracket).
    pub reversible: bool,
}

/// A `match` line.
#[derive(Debug)]
pub(crate) struct PatternLine {
    pub source: String,
    /// Where the pattern starts; element offsets are bytes from there.
    pub at: Position,
    pub pattern: PatternAst,
}

/// A pattern's elements, read up to its first syntax error, if any. An element whose atom
/// was read is kept even when its quantifier is invalid, so a check of its atom (an unknown
/// macro) is reported first, as it comes first.
#[derive(Debug, Default)]
pub(crate) struct PatternAst {
    pub elements: Vec<Element>,
    pub error: Option<(usize, RuleErrorKind)>,
}

/// One element of a pattern and its quantifier.
#[derive(Debug)]
pub(crate) struct Element {
    /// Byte offset in the pattern source.
    pub offset: usize,
    pub atom: Atom,
    pub quant: Quant,
}

/// What one element matches.
#[derive(Debug)]
pub(crate) enum Atom {
    /// Normalised words, in a row (`"directed by"`, or a bare lower-case word).
    Phrase(String),
    /// One phrase of a macro (`@NEG`).
    Macro(String),
    /// `_`: any unit.
    AnyUnit,
    /// `WORD`: any unit that is not a mention.
    AnyWord,
    /// Mentions of some classes (`PERSON|NAME`), maybe captured (`:p`), maybe as a list
    /// running on (`:p...`) or back (`...CLASS:p`).
    Classes {
        /// The classes' letters as the pattern names them (`NAME|PERSON` is `NMP`).
        letters: String,
        classes: ClassSet,
        capture: Option<String>,
        list: Option<ListDirection>,
    },
}

/// Which way a list capture takes more mentions joined to its own by `,` / `and` / `&`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListDirection {
    /// `PERSON:p...`: the mentions after it (`starring X, Y and Z`).
    After,
    /// `...PERSON:p`: the mentions before it (`X, Y and Z were believable`).
    Before,
}

/// A quantifier: its source (`?`, `{1,3}`, or empty for none) and the repetitions it allows.
#[derive(Debug)]
pub(crate) struct Quant {
    pub source: String,
    pub fewest: u32,
    pub most: u32,
}

/// A bound of a repetition or gap that has none (`*`, `+`, `{m,}`).
pub(crate) const UNBOUNDED: u32 = u32::MAX;

/// An `emit SUBJECT RELATION OBJECT` line.
#[derive(Debug)]
pub(crate) struct EmitAst {
    pub subject: ArgSpec,
    pub relation: Relation,
    pub object: ArgSpec,
    pub at: Position,
}

/// What a rule argument denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArgSpec {
    /// The mention captured under this name; when the capture did not take part in the match,
    /// the fallback (if any) is used.
    Capture {
        /// Capture name.
        name: String,
        /// Use the reviewed film when the capture is absent.
        or_film: bool,
    },
    /// The film the review is about.
    ReviewedFilm,
}

/// `@NAME` after `requires-before`, `unless` or `unless-after`.
#[derive(Debug)]
pub(crate) struct MacroRef {
    pub name: String,
    pub at: Position,
}

/// A problem in a rule file, at a position.
#[derive(Debug)]
pub(crate) struct RuleError {
    pub kind: RuleErrorKind,
    pub at: Position,
}

impl RuleError {
    pub fn new(kind: RuleErrorKind, line: usize, column: usize) -> RuleError {
        RuleError {
            kind,
            at: Position { line, column },
        }
    }

    /// The library error naming the file.
    pub fn into_error(self, path: &Path) -> Error {
        Error::syntax(path, Some(self.at), self.kind.to_string())
    }
}

/// What is wrong; its `Display` is the message.
#[derive(Debug, Clone)]
pub(crate) enum RuleErrorKind {
    BadRuleId(String),
    DuplicateRule(String),
    BadDefine,
    BadMacroName(String),
    DuplicateMacro(String),
    UnknownLine(String),
    StrayContinuation,
    OutsideRule,
    BadEmit,
    UnknownRelation(String),
    BadConfidence(String),
    ConfidenceRange(f32),
    ExpectedMacro(String),
    ExpectedProfession,
    /// Words after a field that takes none (`reversible`).
    UnexpectedWords(String),
    UnknownField(String),
    NoMatch(String),
    NoEmit(String),
    ListMismatch,
    PatternRegex(regex::Error),
    NotCaptured {
        name: String,
        rule: String,
    },
    UnknownMacro(String),
    MacroRegex(regex::Error),
    UnterminatedLiteral,
    EmptyLiteral,
    UnknownClass(String),
    BadCaptureName(String),
    DuplicateCapture(String),
    TwoLists,
    UnterminatedQuantifier,
    BadQuantifier(String),
    UnexpectedAfterElement(char),
    EmptyPattern,
}

impl fmt::Display for RuleErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RuleErrorKind as K;
        match self {
            K::BadRuleId(id) => write!(
                f,
                "expected a rule id (letters, digits, `.`, `_`, `-`), found `{id}`"
            ),
            K::DuplicateRule(id) => write!(f, "rule `{id}` is defined twice"),
            K::BadDefine => f.write_str("expected `define NAME = phrase | phrase ...`"),
            K::BadMacroName(name) => write!(f, "invalid macro name `{name}`"),
            K::DuplicateMacro(name) => write!(f, "macro `@{name}` is defined twice"),
            K::UnknownLine(keyword) => write!(
                f,
                "expected `rule` or `define` at the start of a line, found `{keyword}`"
            ),
            K::StrayContinuation => f.write_str("a `|` continuation line must follow a `define`"),
            K::OutsideRule => f.write_str("indented line outside of a rule"),
            K::BadEmit => f.write_str("expected `emit SUBJECT RELATION OBJECT`"),
            K::UnknownRelation(r) => write!(
                f,
                "unknown relation `{r}`: expected one of {}",
                Relation::ALL.map(Relation::key).join(", ")
            ),
            K::BadConfidence(text) => write!(f, "expected a number in 0..1, found `{text}`"),
            K::ConfidenceRange(c) => write!(f, "confidence {c} is not in 0..1"),
            K::ExpectedMacro(keyword) => write!(f, "expected `@MACRO` after `{keyword}`"),
            K::ExpectedProfession => {
                f.write_str("expected one or more professions after `requires-profession`")
            }
            K::UnexpectedWords(keyword) => write!(f, "`{keyword}` takes no words after it"),
            K::UnknownField(keyword) => write!(
                f,
                "unknown rule field `{keyword}`: expected match, emit, confidence, requires-before, unless, unless-after, requires-profession or reversible"
            ),
            K::NoMatch(id) => write!(f, "rule `{id}` has no `match` line"),
            K::NoEmit(id) => write!(f, "rule `{id}` has no `emit` line"),
            K::ListMismatch => f.write_str(
                "all `match` lines of a rule must use the same list capture, running the same way",
            ),
            K::PatternRegex(e) => write!(f, "pattern does not compile: {e}"),
            K::NotCaptured { name, rule } => write!(
                f,
                "`{name}` is not captured by every `match` of rule `{rule}` (capture with CLASS:{name}, or write {name}|FILM to fall back on the reviewed film)"
            ),
            K::UnknownMacro(name) => write!(f, "unknown macro `@{name}`"),
            K::MacroRegex(e) => write!(f, "macro does not compile: {e}"),
            K::UnterminatedLiteral => f.write_str("unterminated quoted literal"),
            K::EmptyLiteral => f.write_str("empty literal"),
            K::UnknownClass(class) => write!(
                f,
                "unknown mention class `{class}`: expected one of {}",
                super::sentence::MentionClass::pattern_names()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            K::BadCaptureName(name) => write!(f, "invalid capture name `{name}`"),
            K::DuplicateCapture(name) => write!(f, "capture `{name}` appears twice"),
            K::TwoLists => f.write_str("a pattern may have one list capture"),
            K::UnterminatedQuantifier => f.write_str("unterminated `{m,n}` quantifier"),
            K::BadQuantifier(q) => {
                write!(f, "invalid quantifier `{q}`: expected {{m,n}} with n <= 50")
            }
            K::UnexpectedAfterElement(c) => write!(f, "unexpected `{c}` after a pattern element"),
            K::EmptyPattern => f.write_str("empty pattern"),
        }
    }
}
