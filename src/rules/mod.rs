//! Relation rules: the `.rules` files of `ontology/rules/` parsed into an AST with positions
//! (so errors name file:line:column), then compiled once into regular expressions over a
//! sentence encoded as its tokens and mention placeholders. The format is documented in
//! `ontology/README.md`.

use crate::error::{Error, Position, Result};
use crate::model::Relation;
use crate::text::normalize::match_key;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What a rule argument denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgSpec {
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

/// One `emit` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emit {
    /// Subject.
    pub subject: ArgSpec,
    /// Relation.
    pub relation: Relation,
    /// Object.
    pub object: ArgSpec,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id, e.g. `director.directed-by`.
    pub id: String,
    /// File and line it was defined at, for messages.
    pub origin: (PathBuf, usize),
    /// Alternative patterns (one per `match` line), compiled.
    pub patterns: Vec<Pattern>,
    /// The source text of each pattern.
    pub pattern_sources: Vec<String>,
    /// Facts produced by each match.
    pub emits: Vec<Emit>,
    /// Declared confidence, 0..1.
    pub confidence: f32,
    /// A phrase of this set must occur earlier in the sentence (or inside the match).
    pub requires_before: Option<Regex>,
    /// No phrase of these sets may occur shortly before the trigger or inside the match.
    pub unless: Vec<Regex>,
    /// No phrase of these sets may come right after the match.
    pub unless_after: Vec<Regex>,
    /// The list capture (`CLASS:name...`) and its placeholder letters: further mentions of
    /// those classes joined to it by `,` / `and` / `&` are captured too, one fact each.
    pub list: Option<(String, String)>,
}

/// One compiled `match` line: its regex, and what a sentence must hold for it to match at
/// all, so most patterns are skipped without running the regex.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The regex over the encoded sentence.
    pub regex: Regex,
    /// Every requirement must be met by the sentence.
    pub required: Vec<Requirement>,
    /// For each requirement, how many units after the previous requirement's element starts
    /// its element may start (the first's is `(0, UNBOUNDED)`): the requirements in order,
    /// with the elements between them, as the regex reads them.
    gaps: Vec<(u32, u32)>,
    /// The word requirements as ids of [`RuleSet::vocabulary`] (filled when the set is built).
    word_ids: Vec<Vec<u32>>,
    /// The class requirements as bit masks of placeholder letters (filled with `word_ids`).
    class_masks: Vec<u128>,
    /// The requirements in pattern order (filled with `word_ids`), for the positional test.
    steps: Vec<Step>,
}

/// A bound of a gap that has none (`*`, `+`, `{m,}`).
const UNBOUNDED: u32 = u32::MAX;

/// One requirement of a pattern in the positional test of [`Pattern::may_match_in_order`].
#[derive(Debug, Clone, Copy)]
struct Step {
    /// A word group (index into `word_ids`) or a class mask (index into `class_masks`).
    requirement: StepRequirement,
    /// The units from the previous step's start to this one's: at least, at most.
    gap: (u32, u32),
}

#[derive(Debug, Clone, Copy)]
enum StepRequirement {
    Words(usize),
    Class(usize),
}

/// Where the units of a sentence (of at most 128 units, as the rules' regexes see them) hold
/// the words of the rule vocabulary and the mention classes: bit `u` for unit `u`.
pub(crate) struct UnitPositions<'a> {
    /// By vocabulary id, the units equal to that word (none for a word the sentence lacks).
    pub words: &'a [u128],
    /// The mention classes present: bit [`letter_bit`] of each placeholder letter.
    pub letters: u128,
    /// By placeholder letter (`letter & 0x7f`), the units that are mentions of that class.
    pub classes: &'a [u128; 128],
}

/// Something a sentence must contain for a pattern to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// One of these words (normal form), outside mentions.
    AnyWord(Vec<String>),
    /// A mention of one of these placeholder letters.
    AnyClass(String),
}

impl Pattern {
    /// True when the sentence may match: `present[id]` tells which words of the rule set's
    /// vocabulary it holds (outside mentions), `letters` which mention classes (bit
    /// [`letter_bit`] of each placeholder letter).
    pub fn may_match(&self, present: &[bool], letters: u128) -> bool {
        self.class_masks.iter().all(|&mask| mask & letters != 0)
            && self
                .word_ids
                .iter()
                .all(|ids| ids.iter().any(|&id| present[id as usize]))
    }

    /// True when the sentence holds the pattern's requirements in its order and within its
    /// distances: `"director" ","? PERSON` needs a person one or two units after `director`.
    /// A necessary condition of the regex matching, for a sentence that passed
    /// [`Pattern::may_match`]: the regex is run only when this holds.
    pub(crate) fn may_match_in_order(&self, at: &UnitPositions<'_>) -> bool {
        let mut reach: u128 = 0;
        for (k, step) in self.steps.iter().enumerate() {
            let units = match step.requirement {
                StepRequirement::Words(g) => self.word_ids[g]
                    .iter()
                    .fold(0, |acc, &id| acc | at.words[id as usize]),
                StepRequirement::Class(c) => {
                    let mut letters = self.class_masks[c] & at.letters;
                    let mut units = 0;
                    while letters != 0 {
                        units |= at.classes[letters.trailing_zeros() as usize];
                        letters &= letters - 1;
                    }
                    units
                }
            };
            reach = if k == 0 {
                units
            } else {
                spread(reach, step.gap) & units
            };
            if reach == 0 {
                return false;
            }
        }
        true
    }
}

/// The units `lo..=hi` units after any unit of `reach` (bit `u` for unit `u`).
fn spread(reach: u128, (lo, hi): (u32, u32)) -> u128 {
    if lo >= 128 {
        return 0;
    }
    if hi >= 128 {
        // From the first unit on: every later one is as far from it as allowed.
        let from = reach.trailing_zeros() + lo;
        return if from >= 128 { 0 } else { !0u128 << from };
    }
    (lo..=hi).fold(0, |acc, d| acc | reach << d)
}

/// All rules, compiled once.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Rules in file order.
    pub rules: Vec<Rule>,
    /// Every macro, compiled to match one of its phrases in a sentence's normalised words
    /// (` word word `), for checks outside patterns such as lexicon corroboration.
    pub macros: BTreeMap<String, Regex>,
    /// Every word a pattern requires, numbered: a sentence is looked up once per word.
    pub vocabulary: std::collections::HashMap<String, u32>,
    /// [`RuleSet::vocabulary`] as an open-addressing table keyed by FNV-1a, built with it: a
    /// sentence looks up every word, and SipHash would dominate.
    vocabulary_table: crate::text::WordTable,
    /// Which patterns a sentence can trigger, by what it holds (built with the vocabulary).
    pub triggers: PatternTriggers,
}

/// An inverted index from what a sentence holds to the patterns that may match it: each
/// pattern is filed under one of its requirements (a word group, else a mention class), so a
/// sentence only looks at the patterns one of its words or mentions can trigger instead of
/// testing every pattern's requirements.
#[derive(Debug, Clone, Default)]
pub struct PatternTriggers {
    /// `(rule, pattern)` of every pattern, in rule then pattern order; the index below uses
    /// positions in this list, so sorting candidates restores file order.
    pub patterns: Vec<(u32, u32)>,
    /// Patterns filed under each vocabulary word id.
    pub by_word: Vec<Vec<u32>>,
    /// Patterns filed under each placeholder letter (mention class).
    pub by_class: Vec<Vec<u32>>,
    /// Patterns with no requirement: tried on every sentence.
    pub always: Vec<u32>,
}

impl RuleSet {
    /// True when the sentence (normalised words, space-separated with a space at both ends)
    /// holds a phrase of the macro; `None` when there is no such macro.
    pub fn macro_matches(&self, name: &str, sentence: &str) -> Option<bool> {
        self.macros.get(name).map(|r| r.is_match(sentence))
    }

    /// The id of a word in [`RuleSet::vocabulary`].
    pub fn vocabulary_id(&self, word: &str) -> Option<u32> {
        self.vocabulary_id_hashed(word, crate::text::fnv1a(word.as_bytes()))
    }

    /// [`RuleSet::vocabulary_id`] of a word whose FNV-1a hash is known (a token's).
    pub(crate) fn vocabulary_id_hashed(&self, word: &str, hash: u64) -> Option<u32> {
        if self.vocabulary_table.len() != self.vocabulary.len() {
            return self.vocabulary.get(word).copied();
        }
        self.vocabulary_table.get(word, hash)
    }
}

/// Mention classes a pattern may name, and the placeholder letters each matches.
pub const MENTION_CLASSES: &[(&str, &str)] = &[
    ("PERSON", "P"),
    ("NAME", "NM"),
    ("FULLNAME", "N"),
    ("SHORTNAME", "M"),
    ("FILM", "FT"),
    ("TITLE", "F"),
    ("THISFILM", "T"),
    ("AWARD", "AB"),
    ("ACTINGAWARD", "B"),
    ("FESTIVAL", "E"),
    ("YEAR", "Y"),
    ("PRONOUN", "R"),
    ("MENTION", "PNMFTABEYR"),
];

/// How many units before the trigger `unless` looks at.
pub const UNLESS_WINDOW: usize = 3;

impl RuleSet {
    /// Loads and compiles every `*.rules` file of a directory, in name order.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<RuleSet> {
        let dir = dir.as_ref();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rules"))
            .collect();
        files.sort();
        let mut set = RuleSet::default();
        let mut macros = BTreeMap::new();
        let mut regexes = RegexCache::default();
        let mut texts = Vec::new();
        // Macros first, from every file, so a rule may use one defined anywhere.
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            set.parse_into(file, &text, &mut macros, false, &mut regexes)?;
            texts.push(text);
        }
        for (file, text) in files.iter().zip(&texts) {
            set.parse_into(file, text, &mut macros, true, &mut regexes)?;
        }
        set.compile_macros(&macros, &mut regexes);
        set.index_vocabulary();
        Ok(set)
    }

    /// Parses and compiles rules from a string (`path` is used in error messages).
    ///
    /// ```
    /// use cinegraph::rules::RuleSet;
    /// let rules = RuleSet::parse("x.rules", r#"
    /// rule director.directed-by
    ///   match "directed by" PERSON|NAME:person
    ///   emit FILM director person
    ///   confidence 0.9
    /// "#).unwrap();
    /// assert_eq!(rules.rules[0].id, "director.directed-by");
    ///
    /// let err = RuleSet::parse("x.rules", "rule a\n  match ROBOT:x\n  emit FILM director x\n").unwrap_err();
    /// assert!(err.to_string().starts_with("x.rules:2:9: unknown mention class `ROBOT`"));
    /// ```
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<RuleSet> {
        let mut set = RuleSet::default();
        let mut macros = BTreeMap::new();
        let mut regexes = RegexCache::default();
        set.parse_into(path.as_ref(), text, &mut macros, false, &mut regexes)?;
        set.parse_into(path.as_ref(), text, &mut macros, true, &mut regexes)?;
        set.compile_macros(&macros, &mut regexes);
        set.index_vocabulary();
        Ok(set)
    }

    fn parse_into(
        &mut self,
        path: &Path,
        text: &str,
        macros: &mut BTreeMap<String, Vec<String>>,
        rules_pass: bool,
        regexes: &mut RegexCache,
    ) -> Result<()> {
        let mut current: Option<RuleDraft> = None;
        let mut seen: HashSet<String> = self.rules.iter().map(|r| r.id.clone()).collect();
        let mut last_macro: Option<String> = None;
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = strip_comment(raw);
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let body = line.trim();
            let err = |col: usize, msg: String| {
                Error::syntax(
                    path,
                    Some(Position {
                        line: line_no,
                        column: col,
                    }),
                    msg,
                )
            };
            let (keyword, rest) = match body.find(char::is_whitespace) {
                Some(i) => (&body[..i], body[i..].trim_start()),
                None => (body, ""),
            };
            let rest_col = char_col(
                raw,
                raw.len() - raw.trim_start().len() + body.len() - rest.len(),
            );
            if indent == 0 {
                if let Some(d) = current.take() {
                    self.rules.push(d.finish(path, macros, regexes)?);
                }
                last_macro = None;
                match keyword {
                    "rule" if !rules_pass => {}
                    "define" if rules_pass => {}
                    "rule" => {
                        let id = rest.trim();
                        if id.is_empty()
                            || !id
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                        {
                            return Err(err(
                                rest_col,
                                format!(
                                    "expected a rule id (letters, digits, `.`, `_`, `-`), found `{id}`"
                                ),
                            ));
                        }
                        if !seen.insert(id.to_string()) {
                            return Err(err(rest_col, format!("rule `{id}` is defined twice")));
                        }
                        current = Some(RuleDraft {
                            id: id.to_string(),
                            line: line_no,
                            ..Default::default()
                        });
                    }
                    "define" => {
                        let Some((name, alts)) = rest.split_once('=') else {
                            return Err(err(
                                rest_col,
                                "expected `define NAME = phrase | phrase ...`".into(),
                            ));
                        };
                        let name = name.trim();
                        if name.is_empty()
                            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            return Err(err(rest_col, format!("invalid macro name `{name}`")));
                        }
                        if macros.contains_key(name) {
                            return Err(err(rest_col, format!("macro `@{name}` is defined twice")));
                        }
                        macros.insert(name.to_string(), split_alternatives(alts));
                        last_macro = Some(name.to_string());
                    }
                    _ => {
                        return Err(err(
                            char_col(raw, 0),
                            format!(
                                "expected `rule` or `define` at the start of a line, found `{keyword}`"
                            ),
                        ));
                    }
                }
                continue;
            }
            if keyword == "|" || body.starts_with('|') {
                // Continuation of a `define` list.
                if rules_pass {
                    continue;
                }
                let Some(name) = &last_macro else {
                    return Err(err(
                        char_col(raw, indent),
                        "a `|` continuation line must follow a `define`".into(),
                    ));
                };
                let more = split_alternatives(&body[1..]);
                macros.get_mut(name).expect("defined").extend(more);
                continue;
            }
            if !rules_pass {
                continue;
            }
            let Some(draft) = current.as_mut() else {
                return Err(err(
                    char_col(raw, indent),
                    "indented line outside of a rule".into(),
                ));
            };
            match keyword {
                "match" => draft.patterns.push((rest.to_string(), line_no, rest_col)),
                "emit" => {
                    let parts: Vec<&str> = rest.split_whitespace().collect();
                    if parts.len() != 3 {
                        return Err(err(
                            rest_col,
                            "expected `emit SUBJECT RELATION OBJECT`".into(),
                        ));
                    }
                    let relation_col =
                        rest_col + rest[..rest.find(parts[1]).unwrap_or(0)].chars().count();
                    let relation = Relation::parse(parts[1]).ok_or_else(|| {
                        err(
                            relation_col,
                            format!(
                                "unknown relation `{}`: expected one of {}",
                                parts[1],
                                Relation::ALL.map(Relation::key).join(", ")
                            ),
                        )
                    })?;
                    draft.emits.push((
                        parse_arg(parts[0]),
                        relation,
                        parse_arg(parts[2]),
                        line_no,
                        rest_col,
                    ));
                }
                "confidence" => {
                    let c: f32 = rest.trim().parse().map_err(|_| {
                        err(
                            rest_col,
                            format!("expected a number in 0..1, found `{rest}`"),
                        )
                    })?;
                    if !(0.0..=1.0).contains(&c) {
                        return Err(err(rest_col, format!("confidence {c} is not in 0..1")));
                    }
                    draft.confidence = Some(c);
                }
                "requires-before" | "unless" | "unless-after" => {
                    let name = rest.trim().strip_prefix('@').ok_or_else(|| {
                        err(rest_col, format!("expected `@MACRO` after `{keyword}`"))
                    })?;
                    let slot = (name.to_string(), line_no, rest_col);
                    if keyword == "unless-after" {
                        draft.unless_after.push(slot);
                    } else if keyword == "unless" {
                        draft.unless.push(slot);
                    } else {
                        draft.requires_before = Some(slot);
                    }
                }
                _ => {
                    return Err(err(
                        char_col(raw, indent),
                        format!(
                            "unknown rule field `{keyword}`: expected match, emit, confidence, requires-before, unless or unless-after"
                        ),
                    ));
                }
            }
        }
        if let Some(d) = current.take() {
            self.rules.push(d.finish(path, macros, regexes)?);
        }
        Ok(())
    }
}

/// A guess at how common a word is in reviews, without counting any: punctuation (`,` `'s`)
/// is in most sentences, words of up to three letters (`the`, `as`, `by`) in many, longer
/// ones (`directed`, `cinematographer`) in few.
fn commonness(word: &str) -> u32 {
    if !word.chars().any(char::is_alphanumeric) || word.starts_with('\'') {
        100
    } else if word.chars().count() <= 3 {
        10
    } else {
        1
    }
}

/// The bit of a placeholder letter (a mention class) in the masks of [`Pattern::may_match`].
pub fn letter_bit(letter: u8) -> u128 {
    1 << (letter & 0x7f)
}

impl RuleSet {
    /// Numbers the words patterns require, so sentences are checked against ids.
    fn index_vocabulary(&mut self) {
        let mut vocabulary = std::collections::HashMap::new();
        for rule in &mut self.rules {
            for pattern in &mut rule.patterns {
                pattern.word_ids = pattern
                    .required
                    .iter()
                    .filter_map(|r| match r {
                        Requirement::AnyWord(words) => Some(
                            words
                                .iter()
                                .map(|w| {
                                    let next = vocabulary.len() as u32;
                                    *vocabulary.entry(w.clone()).or_insert(next)
                                })
                                .collect(),
                        ),
                        Requirement::AnyClass(_) => None,
                    })
                    .collect();
                pattern.class_masks = pattern
                    .required
                    .iter()
                    .filter_map(|r| match r {
                        Requirement::AnyClass(letters) => {
                            Some(letters.bytes().map(letter_bit).fold(0, |a, b| a | b))
                        }
                        Requirement::AnyWord(_) => None,
                    })
                    .collect();
                let (mut words, mut classes) = (0, 0);
                pattern.steps = pattern
                    .required
                    .iter()
                    .zip(&pattern.gaps)
                    .map(|(r, &gap)| {
                        let requirement = match r {
                            Requirement::AnyWord(_) => {
                                words += 1;
                                StepRequirement::Words(words - 1)
                            }
                            Requirement::AnyClass(_) => {
                                classes += 1;
                                StepRequirement::Class(classes - 1)
                            }
                        };
                        Step { requirement, gap }
                    })
                    .collect();
            }
        }
        self.vocabulary_table =
            crate::text::WordTable::new(vocabulary.iter().map(|(w, &id)| (w.as_str(), id)));
        let mut words_by_id = vec![""; vocabulary.len()];
        for (word, &id) in &vocabulary {
            words_by_id[id as usize] = word.as_str();
        }
        let mut triggers = PatternTriggers {
            by_word: vec![Vec::new(); vocabulary.len()],
            by_class: vec![Vec::new(); 128],
            ..PatternTriggers::default()
        };
        for (ri, rule) in self.rules.iter().enumerate() {
            for (pi, pattern) in rule.patterns.iter().enumerate() {
                let flat = triggers.patterns.len() as u32;
                triggers.patterns.push((ri as u32, pi as u32));
                // Filed under its rarest word group, so few sentences look at it: by Zipf's
                // law punctuation and short words are the commonest in any text, so a group
                // is as common as the sum of its words' guesses (see `commonness`).
                if let Some(group) = pattern.word_ids.iter().min_by_key(|g| {
                    g.iter()
                        .map(|&id| commonness(words_by_id[id as usize]))
                        .sum::<u32>()
                }) {
                    for &id in group {
                        triggers.by_word[id as usize].push(flat);
                    }
                } else if let Some(letters) = pattern.required.iter().find_map(|r| match r {
                    Requirement::AnyClass(ls) => Some(ls),
                    Requirement::AnyWord(_) => None,
                }) {
                    for b in letters.bytes() {
                        let list = &mut triggers.by_class[usize::from(b & 0x7f)];
                        if list.last() != Some(&flat) {
                            list.push(flat);
                        }
                    }
                } else {
                    triggers.always.push(flat);
                }
            }
        }
        self.triggers = triggers;
        self.vocabulary = vocabulary;
    }

    fn compile_macros(&mut self, macros: &BTreeMap<String, Vec<String>>, regexes: &mut RegexCache) {
        for (name, alts) in macros {
            if let Ok(re) = regexes.get(name, alts, false) {
                self.macros.insert(name.clone(), re);
            }
        }
    }
}

/// The macro regexes compiled while a rule set is built: a macro named by many rules
/// (`unless @NEG`, 44 of the shipped ones) is compiled once, not once a rule, which took about
/// a third of loading the shipped rules (callgrind).
#[derive(Default)]
struct RegexCache(std::collections::HashMap<(String, bool), Regex>);

impl RegexCache {
    /// The regex of macro `name`, whose phrases are `alts`: one of them between unit spaces
    /// (` (?:...) `), or, `anchored`, right at the start (`^ (?:...) `).
    fn get(&mut self, name: &str, alts: &[String], anchored: bool) -> Result<Regex, regex::Error> {
        let key = (name.to_string(), anchored);
        if let Some(regex) = self.0.get(&key) {
            // A clone shares the compiled program.
            return Ok(regex.clone());
        }
        let anchor = if anchored { "^" } else { "" };
        let regex = Regex::new(&format!("{anchor} (?:{}) ", phrase_alternation(alts)))?;
        self.0.insert(key, regex.clone());
        Ok(regex)
    }
}

fn first_word(key: &str) -> String {
    key.split(' ').next().unwrap_or("").to_string()
}

fn parse_arg(s: &str) -> ArgSpec {
    match s {
        "FILM" => ArgSpec::ReviewedFilm,
        _ => match s.strip_suffix("|FILM") {
            Some(name) => ArgSpec::Capture {
                name: name.to_string(),
                or_film: true,
            },
            None => ArgSpec::Capture {
                name: s.to_string(),
                or_film: false,
            },
        },
    }
}

fn split_alternatives(s: &str) -> Vec<String> {
    s.split('|')
        .map(|a| a.trim().trim_matches('"').trim())
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

fn strip_comment(line: &str) -> &str {
    // `#` starts a comment unless inside a quoted literal.
    let mut in_quote = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '#' if !in_quote => return &line[..i],
            _ => {}
        }
    }
    line
}

/// 1-based character column of a byte offset in a line.
fn char_col(line: &str, byte: usize) -> usize {
    line[..byte.min(line.len())].chars().count() + 1
}

#[derive(Default)]
struct RuleDraft {
    id: String,
    line: usize,
    patterns: Vec<(String, usize, usize)>,
    emits: Vec<(ArgSpec, Relation, ArgSpec, usize, usize)>,
    confidence: Option<f32>,
    requires_before: Option<(String, usize, usize)>,
    unless: Vec<(String, usize, usize)>,
    unless_after: Vec<(String, usize, usize)>,
}

impl RuleDraft {
    fn finish(
        self,
        path: &Path,
        macros: &BTreeMap<String, Vec<String>>,
        regexes: &mut RegexCache,
    ) -> Result<Rule> {
        let at = |line: usize, column: usize| Some(Position { line, column });
        if self.patterns.is_empty() {
            return Err(Error::syntax(
                path,
                at(self.line, 1),
                format!("rule `{}` has no `match` line", self.id),
            ));
        }
        if self.emits.is_empty() {
            return Err(Error::syntax(
                path,
                at(self.line, 1),
                format!("rule `{}` has no `emit` line", self.id),
            ));
        }
        let mut patterns = Vec::new();
        let mut captures: Vec<HashSet<String>> = Vec::new();
        let mut list: Option<(String, String)> = None;
        for (src, line, col) in &self.patterns {
            let CompiledPattern {
                regex: regex_src,
                captures: caps,
                list: list_capture,
                required,
                gaps,
            } = compile_pattern(src, macros)
                .map_err(|(offset, msg)| Error::syntax(path, at(*line, col + offset), msg))?;
            if let Some(l) = list_capture {
                if list.as_ref().is_some_and(|old| old.0 != l.0) {
                    return Err(Error::syntax(
                        path,
                        at(*line, *col),
                        "all `match` lines of a rule must use the same list capture",
                    ));
                }
                list = Some(l);
            }
            let regex = Regex::new(&regex_src).map_err(|e| {
                Error::syntax(
                    path,
                    at(*line, *col),
                    format!("pattern does not compile: {e}"),
                )
            })?;
            patterns.push(Pattern {
                regex,
                required,
                gaps,
                word_ids: Vec::new(),
                class_masks: Vec::new(),
                steps: Vec::new(),
            });
            captures.push(caps);
        }
        let mut emits = Vec::new();
        for (subject, relation, object, line, col) in self.emits {
            for arg in [&subject, &object] {
                if let ArgSpec::Capture { name, or_film } = arg
                    && !captures.iter().all(|c| c.contains(name))
                    && (!or_film || !captures.iter().any(|c| c.contains(name)))
                {
                    return Err(Error::syntax(
                        path,
                        at(line, col),
                        format!(
                            "`{name}` is not captured by every `match` of rule `{}` (capture with CLASS:{name}, or use FILM)",
                            self.id
                        ),
                    ));
                }
            }
            emits.push(Emit {
                subject,
                relation,
                object,
            });
        }
        let mut macro_regex = |slot: Option<(String, usize, usize)>| -> Result<Option<Regex>> {
            let Some((name, line, col)) = slot else {
                return Ok(None);
            };
            let alts = macros.get(&name).ok_or_else(|| {
                Error::syntax(path, at(line, col), format!("unknown macro `@{name}`"))
            })?;
            Ok(Some(regexes.get(&name, alts, false).map_err(|e| {
                Error::syntax(path, at(line, col), format!("macro does not compile: {e}"))
            })?))
        };
        Ok(Rule {
            id: self.id,
            origin: (path.to_path_buf(), self.line),
            patterns,
            pattern_sources: self.patterns.into_iter().map(|p| p.0).collect(),
            emits,
            confidence: self.confidence.unwrap_or(0.8),
            requires_before: macro_regex(self.requires_before)?,
            unless: self
                .unless
                .into_iter()
                .map(|slot| macro_regex(Some(slot)).map(|r| r.expect("some")))
                .collect::<Result<_>>()?,
            unless_after: self
                .unless_after
                .into_iter()
                .map(|(name, line, col)| {
                    let alts = macros.get(&name).ok_or_else(|| {
                        Error::syntax(path, at(line, col), format!("unknown macro `@{name}`"))
                    })?;
                    // Anchored at the match's trailing space.
                    regexes.get(&name, alts, true).map_err(|e| {
                        Error::syntax(path, at(line, col), format!("macro does not compile: {e}"))
                    })
                })
                .collect::<Result<_>>()?,
            list,
        })
    }
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

/// What [`compile_pattern`] makes of a `match` line.
struct CompiledPattern {
    /// The regex source.
    regex: String,
    /// The capture names.
    captures: HashSet<String>,
    /// The list capture and its placeholder letters.
    list: Option<(String, String)>,
    /// What a sentence must hold, element by element.
    required: Vec<Requirement>,
    /// For each requirement, the units from the previous one's element start to its own.
    gaps: Vec<(u32, u32)>,
}

/// The fewest and most words of a match key's phrases (a phrase is one unit a word).
fn word_span<'a>(keys: impl Iterator<Item = &'a str>) -> (u32, u32) {
    keys.filter(|k| !k.is_empty())
        .map(|k| k.split(' ').count() as u32)
        .fold(None, |acc: Option<(u32, u32)>, n| {
            Some(acc.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n))))
        })
        .unwrap_or((1, 1))
}

/// How many times an element occurs under its quantifier (`?`, `*`, `+`, `{m}`, `{m,}`,
/// `{,n}`, `{m,n}`, or none): fewest, most.
fn repetitions(quant: &str) -> (u32, u32) {
    match quant {
        "" => (1, 1),
        "?" => (0, 1),
        "*" => (0, UNBOUNDED),
        "+" => (1, UNBOUNDED),
        _ => {
            let inner = quant.trim_start_matches('{').trim_end_matches('}');
            let bound = |s: &str| s.trim().parse::<u32>().ok();
            let mut parts = inner.split(',');
            let m = parts.next().and_then(bound).unwrap_or(0);
            match parts.next() {
                // `{m}`
                None => (m, m),
                Some(n) => (m, bound(n).unwrap_or(UNBOUNDED)),
            }
        }
    }
}

/// Compiles a pattern to a regex over the encoded sentence. Each element matches whole units,
/// each unit followed by one space; the whole regex starts with the space before the first
/// unit. Returns the regex source, the capture names and the requirements, or (byte offset,
/// message).
fn compile_pattern(
    src: &str,
    macros: &BTreeMap<String, Vec<String>>,
) -> std::result::Result<CompiledPattern, (usize, String)> {
    let mut out = String::from(" ");
    let mut caps = HashSet::new();
    let mut list: Option<(String, String)> = None;
    let mut required = Vec::new();
    let mut gaps = Vec::new();
    // The units since the last requirement's element started; `None` before the first.
    let mut since_required: Option<(u32, u32)> = None;
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut elements = 0;
    while i < src.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut lazy = false;
        let mut elem_requirement: Option<Requirement> = None;
        // The units one repetition of the element spans: fewest, most.
        let mut per_repetition = (1, 1);
        let elem = if c == b'"' || c == b'\'' && src[i + 1..].starts_with('"') {
            // `"directed by"`; `'"'` is a literal double quote.
            let quote = c as char;
            let Some(end) = src[i + 1..].find(quote) else {
                return Err((i, "unterminated quoted literal".into()));
            };
            let lit = &src[i + 1..i + 1 + end];
            i += end + 2;
            let key = match_key(lit);
            if key.is_empty() {
                return Err((start, "empty literal".into()));
            }
            elem_requirement = Some(Requirement::AnyWord(vec![first_word(&key)]));
            per_repetition = word_span(std::iter::once(key.as_str()));
            format!(
                "(?:{} )",
                key.split(' ')
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        } else {
            let end = src[i..]
                .find(|ch: char| ch.is_whitespace() || "?*+{".contains(ch))
                .map_or(src.len(), |e| i + e);
            let mut word = &src[i..end];
            i = end;
            let is_list = word.contains(':') && word.ends_with("...");
            if is_list {
                word = &word[..word.len() - 3];
            }
            if let Some(name) = word.strip_prefix('@') {
                let alts = macros
                    .get(name)
                    .ok_or_else(|| (start, format!("unknown macro `@{name}`")))?;
                let firsts: Vec<String> = alts
                    .iter()
                    .map(|a| first_word(&match_key(a)))
                    .filter(|w| !w.is_empty())
                    .collect();
                if !firsts.is_empty() {
                    elem_requirement = Some(Requirement::AnyWord(firsts));
                }
                let keys: Vec<String> = alts.iter().map(|a| match_key(a)).collect();
                per_repetition = word_span(keys.iter().map(String::as_str));
                format!("(?:(?:{}) )", phrase_alternation(alts))
            } else if word == "_" {
                lazy = true;
                "(?:[^ ]+ )".to_string()
            } else if word == "WORD" {
                // Any unit that is not a mention.
                lazy = true;
                "(?:[^\u{ab} ][^ ]* )".to_string()
            } else if word
                .chars()
                .all(|ch| ch.is_lowercase() || ch == '\'' || ch == '-')
            {
                let key = match_key(word);
                elem_requirement = Some(Requirement::AnyWord(vec![first_word(&key)]));
                per_repetition = word_span(std::iter::once(key.as_str()));
                format!("(?:{} )", regex::escape(&key))
            } else {
                let (classes, capture) = match word.split_once(':') {
                    Some((c, n)) => (c, Some(n)),
                    None => (word, None),
                };
                let mut letters = String::new();
                for class in classes.split('|') {
                    let Some((_, l)) = MENTION_CLASSES.iter().find(|(n, _)| *n == class) else {
                        return Err((
                            start,
                            format!(
                                "unknown mention class `{class}`: expected one of {}",
                                MENTION_CLASSES
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    };
                    letters.push_str(l);
                }
                elem_requirement = Some(Requirement::AnyClass(letters.clone()));
                let unit = format!("\u{ab}[{letters}][0-9]+\u{bb}");
                match capture {
                    Some(name) => {
                        if name.is_empty()
                            || !name
                                .chars()
                                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                            || name.starts_with(|ch: char| ch.is_ascii_digit())
                        {
                            return Err((start, format!("invalid capture name `{name}`")));
                        }
                        if !caps.insert(name.to_string()) {
                            return Err((start, format!("capture `{name}` appears twice")));
                        }
                        if is_list {
                            if list.is_some() {
                                return Err((start, "a pattern may have one list capture".into()));
                            }
                            list = Some((name.to_string(), letters.clone()));
                        }
                        format!("(?:(?P<{name}>{unit}) )")
                    }
                    None => format!("(?:{unit} )"),
                }
            }
        };
        // Quantifier suffix.
        let mut quant = String::new();
        if i < src.len() {
            match bytes[i] {
                b'?' | b'*' | b'+' => {
                    quant.push(bytes[i] as char);
                    i += 1;
                }
                b'{' => {
                    let Some(end) = src[i..].find('}') else {
                        return Err((i, "unterminated `{m,n}` quantifier".into()));
                    };
                    let q = &src[i..i + end + 1];
                    let inner = &q[1..q.len() - 1];
                    let ok = inner.split(',').all(|p| {
                        p.trim().is_empty() || p.trim().parse::<u16>().is_ok_and(|n| n <= 50)
                    });
                    if !ok || inner.split(',').count() > 2 || inner.trim().is_empty() {
                        return Err((
                            i,
                            format!("invalid quantifier `{q}`: expected {{m,n}} with n <= 50"),
                        ));
                    }
                    quant.push_str(q);
                    i += end + 1;
                }
                _ => {}
            }
            if i < src.len() && !bytes[i].is_ascii_whitespace() {
                return Err((
                    i,
                    format!("unexpected `{}` after a pattern element", &src[i..i + 1]),
                ));
            }
        }
        let (fewest, most) = repetitions(&quant);
        // The units the element spans (`UNBOUNDED` stays so: multiplying saturates).
        let span = (
            fewest.saturating_mul(per_repetition.0),
            most.saturating_mul(per_repetition.1),
        );
        // Only an element that must occur at least once constrains the sentence.
        if fewest >= 1
            && let Some(r) = elem_requirement
        {
            required.push(r);
            gaps.push(since_required.unwrap_or((0, UNBOUNDED)));
            since_required = Some(span);
        } else if let Some((lo, hi)) = since_required {
            since_required = Some((lo.saturating_add(span.0), hi.saturating_add(span.1)));
        }
        if !quant.is_empty() && lazy && quant != "?" {
            quant.push('?');
        }
        out.push_str(&elem);
        out.push_str(&quant);
        elements += 1;
    }
    if elements == 0 {
        return Err((0, "empty pattern".into()));
    }
    Ok(CompiledPattern {
        regex: out,
        captures: caps,
        list,
        required,
        gaps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_positions() {
        let cases = [
            (
                "rule a\n  match \"x\n  emit FILM actor x\n",
                "x.rules:2:9: unterminated quoted literal",
            ),
            (
                "rule a\n  match PERSON:p\n  emit FILM starred p\n",
                "x.rules:3:13: unknown relation `starred`",
            ),
            (
                "rule a\n  match PERSON:p\n  emit FILM actor q\n",
                "x.rules:3:8: `q` is not captured",
            ),
            (
                "rule a\n  match @WIN AWARD:a\n  emit FILM award a\n",
                "x.rules:2:9: unknown macro `@WIN`",
            ),
            (
                "rule a\n  match PERSON:p\n",
                "x.rules:1:1: rule `a` has no `emit` line",
            ),
            (
                "rule a\n  mtch PERSON:p\n",
                "x.rules:2:3: unknown rule field `mtch`",
            ),
            (
                "rule a\n  match PERSON:p{1,99}\n  emit FILM actor p\n",
                "x.rules:2:17: invalid quantifier",
            ),
        ];
        for (text, expected) in cases {
            let err = RuleSet::parse("x.rules", text).unwrap_err().to_string();
            assert!(
                err.starts_with(expected),
                "{err:?} should start with {expected:?}"
            );
        }
    }

    /// Each requirement's distance from the one before, in units, as the regex allows it.
    #[test]
    fn requirements_keep_their_order_and_distances() {
        let mut macros = BTreeMap::new();
        macros.insert("BY".to_string(), vec!["by".into(), "directed by".into()]);
        let gaps = |src: &str| compile_pattern(src, &macros).unwrap().gaps;
        assert_eq!(
            gaps(r#""director" ","? PERSON:p"#),
            [(0, UNBOUNDED), (1, 2)]
        );
        assert_eq!(
            gaps("FILM:f @BY PERSON:p"),
            [(0, UNBOUNDED), (1, 1), (1, 2)]
        );
        assert_eq!(
            gaps("PERSON:p _{1,3} WORD* FILM:f"),
            [(0, UNBOUNDED), (2, UNBOUNDED)]
        );
        assert_eq!(gaps("PERSON:p WORD{2} YEAR?"), [(0, UNBOUNDED)]);
        assert_eq!(
            gaps(r#"PERSON:p "who" "won"{1,} AWARD:a"#),
            [(0, UNBOUNDED), (1, 1), (1, 1), (1, UNBOUNDED)]
        );
        assert_eq!(spread(0b1, (1, 2)), 0b110);
        assert_eq!(spread(0b100, (0, UNBOUNDED)), !0u128 << 2);
        assert_eq!(spread(1 << 120, (10, 20)), 0);
    }

    /// A sentence holding a pattern's words and classes in another order, or too far apart,
    /// fails the positional test; in order, it passes.
    #[test]
    fn positional_test_reads_order_and_distance() {
        let set = RuleSet::parse(
            "x.rules",
            "rule a\n  match PERSON:p \",\"? \"directed\" FILM:f\n  emit f director p\n",
        )
        .unwrap();
        let pattern = &set.rules[0].patterns[0];
        let id = set.vocabulary_id("directed").unwrap() as usize;
        let letters = letter_bit(b'P') | letter_bit(b'F');
        let at = |person: usize, directed: usize, film: usize| {
            let mut words = vec![0u128; set.vocabulary.len()];
            words[id] = 1 << directed;
            let mut classes = [0u128; 128];
            classes[usize::from(b'P')] = 1 << person;
            classes[usize::from(b'F')] = 1 << film;
            pattern.may_match_in_order(&UnitPositions {
                words: &words,
                letters,
                classes: &classes,
            })
        };
        assert!(at(0, 1, 2));
        assert!(at(3, 5, 6), "a comma between");
        assert!(!at(0, 3, 4), "too far apart");
        assert!(!at(2, 1, 0), "in another order");
        assert!(!at(0, 1, 3), "the film not next");
    }

    /// Rules naming one macro get the same regex (compiled once), and each still applies it.
    #[test]
    fn rules_naming_one_macro_share_its_regex() {
        let set = RuleSet::parse(
            "x.rules",
            "define NEG = not | never\n\
             rule a\n  match \"directed by\" PERSON:p\n  emit FILM director p\n  unless @NEG\n\
             rule b\n  match \"shot by\" PERSON:p\n  emit FILM cinematographer p\n  unless @NEG\n  unless-after @NEG\n",
        )
        .unwrap();
        let (a, b) = (&set.rules[0], &set.rules[1]);
        assert_eq!(a.unless[0].as_str(), b.unless[0].as_str());
        assert_eq!(a.unless[0].as_str(), set.macros["NEG"].as_str());
        for rule in [a, b] {
            assert!(rule.unless[0].is_match(" was never "));
            assert!(!rule.unless[0].is_match(" was nothing "));
        }
        assert!(b.unless_after[0].is_match(" not shown "));
        assert!(
            !b.unless_after[0].is_match(" shown not "),
            "anchored at the match's end"
        );
    }

    #[test]
    fn pattern_compiles_to_unit_regex() {
        let mut macros = BTreeMap::new();
        macros.insert(
            "WIN".to_string(),
            vec!["won".to_string(), "took home".to_string()],
        );
        let CompiledPattern {
            regex: re,
            captures: caps,
            required,
            gaps,
            ..
        } = compile_pattern("@WIN _{0,3} AWARD:a", &macros).unwrap();
        // `took home` is two units, then up to three: the award comes 1 to 5 units later.
        assert_eq!(gaps, [(0, UNBOUNDED), (1, 5)]);
        assert_eq!(
            required,
            [
                Requirement::AnyWord(vec!["won".into(), "took".into()]),
                Requirement::AnyClass("AB".into())
            ]
        );
        assert!(caps.contains("a"));
        let re = Regex::new(&re).unwrap();
        let m = re.captures(" it took home the «A3» . ").unwrap();
        assert_eq!(&m["a"], "«A3»");
    }
}
