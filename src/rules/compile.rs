//! A checked rule's syntax tree to a [`Rule`]: each pattern to a regex over the encoded
//! sentence, with the regex group of each capture resolved here, once, and its
//! [`Prefilter`]; the gates to their macros' regexes. Each element matches whole units, each
//! unit followed by one space; a pattern's regex starts with the space before its first unit.

use super::ast::{
    ArgSpec, Atom, ListDirection, PatternAst, RuleAst, RuleError, RuleErrorKind as K,
};
use super::check;
use super::index::Vocabulary;
use super::prefilter::{Prefilter, requirements};
use super::sentence::{ClassSet, WORD_UNIT_REGEX, placeholder_regex};
use crate::error::Position;
use crate::model::Relation;
use crate::text::normalize::match_key;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    id: String,
    origin: (PathBuf, usize),
    patterns: Vec<Pattern>,
    pattern_sources: Vec<String>,
    emits: Vec<Emit>,
    confidence: f32,
    requires_before: Option<Regex>,
    unless: Vec<Regex>,
    unless_after: Vec<Regex>,
    requires_profession: Vec<String>,
    reversible: bool,
    list: Option<ListCapture>,
}

/// One compiled `match` line: its regex, the regex group of each of the rule's captures, and
/// what a sentence must hold for it to match at all.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
    /// By capture number of the rule, the regex group, when this pattern has the capture.
    groups: Vec<Option<usize>>,
    prefilter: Prefilter,
}

/// One `emit` line, its captures numbered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Emit {
    pub subject: EmitArg,
    pub relation: Relation,
    pub object: EmitArg,
}

/// A rule argument, its capture numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmitArg {
    /// The mention of a capture (by number); when the capture did not take part in the match,
    /// the reviewed film if `or_film`.
    Capture { capture: usize, or_film: bool },
    /// The film the review is about.
    ReviewedFilm,
}

/// The list capture (`CLASS:name...`): further mentions of its classes joined to it by `,` /
/// `and` / `&` are captured too, one fact each; those before it for `...CLASS:name`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListCapture {
    pub capture: usize,
    pub classes: ClassSet,
    pub direction: ListDirection,
}

impl Rule {
    /// Unique id, e.g. `director.directed-by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// File and line it was defined at, for messages.
    pub fn origin(&self) -> (&Path, usize) {
        (&self.origin.0, self.origin.1)
    }

    /// Alternative patterns (one per `match` line), compiled.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The source text of each pattern.
    pub fn pattern_sources(&self) -> &[String] {
        &self.pattern_sources
    }

    /// Declared confidence, 0..1.
    pub fn confidence(&self) -> f32 {
        self.confidence
    }

    pub(crate) fn emits(&self) -> &[Emit] {
        &self.emits
    }

    /// A phrase of this set must occur earlier in the sentence (or inside the match).
    pub(crate) fn requires_before(&self) -> Option<&Regex> {
        self.requires_before.as_ref()
    }

    /// No phrase of these sets may occur shortly before the trigger or inside the match.
    pub(crate) fn unless(&self) -> &[Regex] {
        &self.unless
    }

    /// No phrase of these sets may come right after the match.
    pub(crate) fn unless_after(&self) -> &[Regex] {
        &self.unless_after
    }

    /// The professions of which a captured lexicon person with a recorded profession must
    /// have one (`requires-profession`); empty when the rule asks none.
    pub fn requires_profession(&self) -> &[String] {
        &self.requires_profession
    }

    /// True when other rules' facts may overturn the order in which it reads its `plays`
    /// pair (`reversible`).
    pub fn reversible(&self) -> bool {
        self.reversible
    }

    pub(crate) fn list(&self) -> Option<ListCapture> {
        self.list
    }
}

impl Pattern {
    /// The regex over the encoded sentence.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }

    /// The regex group of a capture of the rule, when this pattern has it.
    #[inline]
    pub(crate) fn group(&self, capture: usize) -> Option<usize> {
        self.groups[capture]
    }

    pub(crate) fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }
}

/// The macros of every file, and their regexes compiled while a rule set is built: a macro
/// named by many rules (`unless @NEG`) is compiled once, not once a rule.
#[derive(Debug, Default)]
pub(crate) struct Macros(BTreeMap<String, MacroEntry>);

#[derive(Debug)]
struct MacroEntry {
    phrases: Vec<String>,
    /// The regex unanchored and anchored, once compiled.
    regexes: [Option<Regex>; 2],
}

impl Macros {
    pub fn define(&mut self, name: &str, phrases: Vec<String>) {
        let entry = MacroEntry {
            phrases,
            regexes: [None, None],
        };
        self.0.insert(name.to_string(), entry);
    }

    /// The phrases of a macro; `None` when there is no such macro.
    pub fn phrases(&self, name: &str) -> Option<&[String]> {
        self.0.get(name).map(|m| m.phrases.as_slice())
    }

    /// The regex of a macro: one of its phrases between unit spaces (` (?:...) `), or,
    /// `anchored`, right at the start (`^ (?:...) `); `None` when there is no such macro.
    fn regex(&mut self, name: &str, anchored: bool) -> Option<Result<Regex, regex::Error>> {
        let entry = self.0.get_mut(name)?;
        let slot = &mut entry.regexes[usize::from(anchored)];
        if let Some(regex) = slot {
            // A clone shares the compiled program.
            return Some(Ok(regex.clone()));
        }
        let anchor = if anchored { "^" } else { "" };
        let source = format!("{anchor} (?:{}) ", phrase_alternation(&entry.phrases));
        Some(Regex::new(&source).inspect(|regex| *slot = Some(regex.clone())))
    }

    /// Every macro that compiles, unanchored, for checks outside patterns.
    pub fn into_regexes(mut self) -> BTreeMap<String, Regex> {
        let names: Vec<String> = self.0.keys().cloned().collect();
        names
            .into_iter()
            .filter_map(|name| match self.regex(&name, false) {
                Some(Ok(regex)) => Some((name, regex)),
                _ => None,
            })
            .collect()
    }
}

/// Compiles the rules of one file.
pub(crate) struct RuleCompiler<'a> {
    pub path: &'a Path,
    pub macros: &'a mut Macros,
    pub vocabulary: &'a mut Vocabulary,
}

/// A pattern checked and compiled, before its captures are numbered.
struct CompiledPattern {
    regex: Regex,
    prefilter: Prefilter,
}

impl RuleCompiler<'_> {
    /// Checks and compiles a rule.
    pub(crate) fn rule(&mut self, ast: RuleAst) -> Result<Rule, RuleError> {
        check::rule_shape(&ast)?;
        let mut compiled = Vec::new();
        let mut captures = Vec::new();
        let mut list: Option<(&str, ClassSet, ListDirection)> = None;
        for line in &ast.patterns {
            check::pattern(line, self.macros)?;
            if let Some(this) = check::list_capture(&line.pattern) {
                check::list_agreement(list.map(|l| (l.0, l.2)), (this.0, this.2), line.at)?;
                list = Some(this);
            }
            let regex = Regex::new(&regex_source(&line.pattern, self.macros))
                .map_err(|e| error_at(line.at, K::PatternRegex(e)))?;
            let requirements = requirements(&line.pattern, self.macros);
            compiled.push(CompiledPattern {
                regex,
                prefilter: Prefilter::new(&requirements, self.vocabulary),
            });
            captures.push(check::captures(&line.pattern));
        }
        for emit in &ast.emits {
            check::capture_coverage(emit, &captures, &ast.id)?;
        }
        let requires_before = match &ast.requires_before {
            Some(gate) => Some(self.gate(&gate.name, gate.at, false)?),
            None => None,
        };
        let unless = (ast.unless.iter())
            .map(|gate| self.gate(&gate.name, gate.at, false))
            .collect::<Result<_, _>>()?;
        // Anchored at the match's trailing space.
        let unless_after = (ast.unless_after.iter())
            .map(|gate| self.gate(&gate.name, gate.at, true))
            .collect::<Result<_, _>>()?;
        let list = list.map(|(name, classes, direction)| (name.to_string(), classes, direction));
        Ok(number_captures(
            self.path,
            ast,
            compiled,
            list,
            Gates {
                requires_before,
                unless,
                unless_after,
            },
        ))
    }

    /// The regex of the macro a gate names.
    fn gate(&mut self, name: &str, at: Position, anchored: bool) -> Result<Regex, RuleError> {
        match self.macros.regex(name, anchored) {
            None => Err(error_at(at, K::UnknownMacro(name.to_string()))),
            Some(regex) => regex.map_err(|e| error_at(at, K::MacroRegex(e))),
        }
    }
}

fn error_at(at: Position, kind: K) -> RuleError {
    RuleError::new(kind, at.line, at.column)
}

/// The regex source of a pattern whose macros are all defined.
fn regex_source(pattern: &PatternAst, macros: &Macros) -> String {
    let mut out = String::from(" ");
    for element in &pattern.elements {
        let quant = element.quant.source.as_str();
        let lazy = match &element.atom {
            Atom::Phrase(key) => {
                out.push_str("(?:");
                out.push_str(&regex::escape(key));
                out.push_str(" )");
                false
            }
            Atom::Macro(name) => {
                let alts = macros.phrases(name).unwrap_or_default();
                out.push_str(&format!("(?:(?:{}) )", phrase_alternation(alts)));
                false
            }
            Atom::AnyUnit => {
                out.push_str("(?:[^ ]+ )");
                true
            }
            Atom::AnyWord => {
                out.push_str(WORD_UNIT_REGEX);
                true
            }
            Atom::Classes {
                letters, capture, ..
            } => {
                let unit = placeholder_regex(letters);
                match capture {
                    Some(name) => out.push_str(&format!("(?:(?P<{name}>{unit}) )")),
                    None => out.push_str(&format!("(?:{unit} )")),
                }
                false
            }
        };
        out.push_str(quant);
        // `_` and `WORD` repeated take as few units as they can.
        if lazy && !quant.is_empty() && quant != "?" {
            out.push('?');
        }
    }
    out
}

/// Regex source matching one of the phrases, each as normalised tokens separated by spaces,
/// without the leading/trailing unit spaces.
fn phrase_alternation(alts: &[String]) -> String {
    let mut keys: Vec<String> = alts
        .iter()
        .map(|a| {
            match_key(a)
                .split(' ')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|k| !k.is_empty())
        .collect();
    // Longest first, so `took home` wins over `took`.
    keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    keys.dedup();
    if keys.is_empty() {
        // A macro with no phrase matches nothing.
        return "[^\\s\\S]".to_string();
    }
    keys.join("|")
}

/// A rule's gates, compiled.
struct Gates {
    requires_before: Option<Regex>,
    unless: Vec<Regex>,
    unless_after: Vec<Regex>,
}

/// The rule, its captures numbered (emitted ones, then the list) and resolved to each
/// pattern's regex groups.
fn number_captures(
    path: &Path,
    ast: RuleAst,
    compiled: Vec<CompiledPattern>,
    list: Option<(String, ClassSet, ListDirection)>,
    gates: Gates,
) -> Rule {
    let mut names: Vec<String> = Vec::new();
    let mut number = |name: &str| match names.iter().position(|n| n == name) {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    };
    let emits = (ast.emits.iter())
        .map(|e| Emit {
            subject: emit_arg(&e.subject, &mut number),
            relation: e.relation,
            object: emit_arg(&e.object, &mut number),
        })
        .collect();
    let list = list.map(|(name, classes, direction)| ListCapture {
        capture: number(&name),
        classes,
        direction,
    });
    let patterns = (compiled.into_iter())
        .map(|c| Pattern {
            groups: (names.iter())
                .map(|name| c.regex.capture_names().position(|g| g == Some(name)))
                .collect(),
            regex: c.regex,
            prefilter: c.prefilter,
        })
        .collect();
    Rule {
        origin: (path.to_path_buf(), ast.at.line),
        id: ast.id,
        patterns,
        pattern_sources: ast.patterns.into_iter().map(|p| p.source).collect(),
        emits,
        confidence: ast.confidence.unwrap_or(0.8),
        requires_before: gates.requires_before,
        unless: gates.unless,
        unless_after: gates.unless_after,
        requires_profession: ast.requires_profession,
        reversible: ast.reversible,
        list,
    }
}

/// The `ArgSpec` of an emit line, its capture numbered by `number`.
fn emit_arg(spec: &ArgSpec, number: &mut impl FnMut(&str) -> usize) -> EmitArg {
    match spec {
        ArgSpec::ReviewedFilm => EmitArg::ReviewedFilm,
        ArgSpec::Capture { name, or_film } => EmitArg::Capture {
            capture: number(name),
            or_film: *or_film,
        },
    }
}
