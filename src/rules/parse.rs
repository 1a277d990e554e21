//! Rule file text to [`RuleFile`], in one pass over its lines; a pattern's text to its
//! [`PatternAst`]. Errors are of two phases, as a file's macros are usable by every rule of
//! every file: an error among macro lines (or an unknown line) stops loading at once, before
//! any rule is checked; an error among rule lines ends the file's rules, and is reported
//! after the rules before it are checked.

use super::ast::{
    ArgSpec, Atom, Element, EmitAst, ListDirection, MacroDef, MacroRef, PatternAst, PatternLine,
    Quant, RuleAst, RuleError, RuleErrorKind as K, RuleFile, UNBOUNDED,
};
use super::sentence::{ClassSet, MentionClass};
use crate::error::Position;
use crate::model::Relation;
use crate::text::normalize::match_key;
use std::collections::HashSet;

/// The names defined so far, in this file and those before it: each may be defined once.
#[derive(Debug, Default)]
pub(crate) struct Names {
    macros: HashSet<String>,
    rules: HashSet<String>,
}

/// Parses one file. `Err` is an error among macro lines, which ends loading.
pub(crate) fn parse_file(text: &str, names: &mut Names) -> Result<RuleFile, RuleError> {
    let mut parser = FileParser {
        names,
        file: RuleFile::default(),
        current: None,
        last_macro: None,
    };
    for (n, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        parser.line(&Line::new(raw, line, n + 1))?;
    }
    parser.end_rule();
    Ok(parser.file)
}

/// One non-blank line, split into its keyword and the rest.
struct Line<'t> {
    raw: &'t str,
    no: usize,
    indent: usize,
    body: &'t str,
    keyword: &'t str,
    rest: &'t str,
    /// The character column of `rest`.
    rest_col: usize,
}

impl<'t> Line<'t> {
    fn new(raw: &'t str, line: &'t str, no: usize) -> Line<'t> {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        let (keyword, rest) = match body.find(char::is_whitespace) {
            Some(i) => (&body[..i], body[i..].trim_start()),
            None => (body, ""),
        };
        let rest_col = char_col(
            raw,
            raw.len() - raw.trim_start().len() + body.len() - rest.len(),
        );
        Line {
            raw,
            no,
            indent,
            body,
            keyword,
            rest,
            rest_col,
        }
    }

    /// An error at a character column of this line.
    fn error(&self, column: usize, kind: K) -> RuleError {
        RuleError::new(kind, self.no, column)
    }

    /// An error at the rest of the line.
    fn error_at_rest(&self, kind: K) -> RuleError {
        self.error(self.rest_col, kind)
    }

    /// An error at the start of the line's text.
    fn error_at_indent(&self, kind: K) -> RuleError {
        self.error(char_col(self.raw, self.indent), kind)
    }

    fn position_of_rest(&self) -> Position {
        Position {
            line: self.no,
            column: self.rest_col,
        }
    }
}

struct FileParser<'n> {
    names: &'n mut Names,
    file: RuleFile,
    /// The rule whose lines are being read.
    current: Option<RuleAst>,
    /// The `define` a `|` line continues (index in `file.macros`).
    last_macro: Option<usize>,
}

impl FileParser<'_> {
    fn line(&mut self, line: &Line<'_>) -> Result<(), RuleError> {
        if line.indent == 0 {
            self.end_rule();
            self.last_macro = None;
            match line.keyword {
                "rule" => self.rule_header(line),
                "define" => self.define(line)?,
                keyword => {
                    return Err(line.error(1, K::UnknownLine(keyword.to_string())));
                }
            }
        } else if line.body.starts_with('|') {
            let Some(index) = self.last_macro else {
                return Err(line.error_at_indent(K::StrayContinuation));
            };
            let more = split_alternatives(&line.body[1..]);
            self.file.macros[index].phrases.extend(more);
        } else if self.file.error.is_none()
            && let Err(e) = self.rule_field(line)
        {
            self.stop_rules(e);
        }
        Ok(())
    }

    /// Files the rule being read.
    fn end_rule(&mut self) {
        if let Some(rule) = self.current.take() {
            self.file.rules.push(rule);
        }
    }

    /// Records the first error among rule lines: the file's later rule lines are not read.
    fn stop_rules(&mut self, error: RuleError) {
        self.current = None;
        self.file.error = Some(error);
    }

    fn rule_header(&mut self, line: &Line<'_>) {
        if self.file.error.is_some() {
            return;
        }
        let id = line.rest.trim();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return self.stop_rules(line.error_at_rest(K::BadRuleId(id.to_string())));
        }
        if !self.names.rules.insert(id.to_string()) {
            return self.stop_rules(line.error_at_rest(K::DuplicateRule(id.to_string())));
        }
        self.current = Some(RuleAst {
            id: id.to_string(),
            at: Position {
                line: line.no,
                column: 1,
            },
            patterns: Vec::new(),
            emits: Vec::new(),
            confidence: None,
            requires_before: None,
            unless: Vec::new(),
            unless_after: Vec::new(),
            requires_profession: Vec::new(),
            reversible: false,
        });
    }

    fn define(&mut self, line: &Line<'_>) -> Result<(), RuleError> {
        let Some((name, alts)) = line.rest.split_once('=') else {
            return Err(line.error_at_rest(K::BadDefine));
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(line.error_at_rest(K::BadMacroName(name.to_string())));
        }
        if !self.names.macros.insert(name.to_string()) {
            return Err(line.error_at_rest(K::DuplicateMacro(name.to_string())));
        }
        self.file.macros.push(MacroDef {
            name: name.to_string(),
            phrases: split_alternatives(alts),
        });
        self.last_macro = Some(self.file.macros.len() - 1);
        Ok(())
    }

    /// An indented line of a rule: `match`, `emit`, `confidence` or a gate.
    fn rule_field(&mut self, line: &Line<'_>) -> Result<(), RuleError> {
        let Some(rule) = self.current.as_mut() else {
            return Err(line.error_at_indent(K::OutsideRule));
        };
        let rest = line.rest;
        match line.keyword {
            "match" => rule.patterns.push(PatternLine {
                source: rest.to_string(),
                at: line.position_of_rest(),
                pattern: parse_pattern(rest),
            }),
            "emit" => rule.emits.push(parse_emit(line)?),
            "confidence" => {
                let c: f32 = rest
                    .trim()
                    .parse()
                    .map_err(|_| line.error_at_rest(K::BadConfidence(rest.to_string())))?;
                if !(0.0..=1.0).contains(&c) {
                    return Err(line.error_at_rest(K::ConfidenceRange(c)));
                }
                rule.confidence = Some(c);
            }
            "requires-profession" => {
                let words: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
                if words.is_empty() {
                    return Err(line.error_at_rest(K::ExpectedProfession));
                }
                rule.requires_profession.extend(words);
            }
            "reversible" => {
                if !rest.trim().is_empty() {
                    return Err(line.error_at_rest(K::UnexpectedWords("reversible".into())));
                }
                rule.reversible = true;
            }
            keyword @ ("requires-before" | "unless" | "unless-after") => {
                let name = rest
                    .trim()
                    .strip_prefix('@')
                    .ok_or_else(|| line.error_at_rest(K::ExpectedMacro(keyword.to_string())))?;
                let gate = MacroRef {
                    name: name.to_string(),
                    at: line.position_of_rest(),
                };
                match keyword {
                    "unless-after" => rule.unless_after.push(gate),
                    "unless" => rule.unless.push(gate),
                    _ => rule.requires_before = Some(gate),
                }
            }
            keyword => return Err(line.error_at_indent(K::UnknownField(keyword.to_string()))),
        }
        Ok(())
    }
}

/// `emit SUBJECT RELATION OBJECT`.
fn parse_emit(line: &Line<'_>) -> Result<EmitAst, RuleError> {
    let rest = line.rest;
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() != 3 {
        return Err(line.error_at_rest(K::BadEmit));
    }
    let relation_col = line.rest_col + rest[..rest.find(parts[1]).unwrap_or(0)].chars().count();
    let relation = Relation::parse(parts[1])
        .ok_or_else(|| line.error(relation_col, K::UnknownRelation(parts[1].to_string())))?;
    Ok(EmitAst {
        subject: parse_arg(parts[0]),
        relation,
        object: parse_arg(parts[2]),
        at: line.position_of_rest(),
    })
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

/// A pattern error: byte offset in the pattern, and what is wrong.
type PatternError = (usize, K);

/// Reads a pattern's elements, each with its quantifier, up to the first syntax error.
pub(crate) fn parse_pattern(src: &str) -> PatternAst {
    let mut reader = PatternReader {
        src,
        i: 0,
        captures: HashSet::new(),
        has_list: false,
    };
    let mut pattern = PatternAst::default();
    while reader.i < src.len() {
        if src.as_bytes()[reader.i].is_ascii_whitespace() {
            reader.i += 1;
            continue;
        }
        let offset = reader.i;
        let atom = match reader.atom() {
            Ok(atom) => atom,
            Err(e) => {
                pattern.error = Some(e);
                return pattern;
            }
        };
        pattern.elements.push(Element {
            offset,
            atom,
            quant: Quant {
                source: String::new(),
                fewest: 1,
                most: 1,
            },
        });
        match reader.quantifier() {
            Ok(quant) => pattern.elements.last_mut().expect("pushed").quant = quant,
            Err(e) => {
                pattern.error = Some(e);
                return pattern;
            }
        }
    }
    if pattern.elements.is_empty() {
        pattern.error = Some((0, K::EmptyPattern));
    }
    pattern
}

struct PatternReader<'s> {
    src: &'s str,
    /// Byte offset of the next character.
    i: usize,
    captures: HashSet<&'s str>,
    has_list: bool,
}

impl<'s> PatternReader<'s> {
    /// The atom at `i`, which is not a space.
    fn atom(&mut self) -> Result<Atom, PatternError> {
        let (src, start) = (self.src, self.i);
        let c = src.as_bytes()[start];
        if c == b'"' || c == b'\'' && src[start + 1..].starts_with('"') {
            // `"directed by"`; `'"'` is a literal double quote.
            let quote = c as char;
            let Some(end) = src[start + 1..].find(quote) else {
                return Err((start, K::UnterminatedLiteral));
            };
            let key = match_key(&src[start + 1..start + 1 + end]);
            self.i += end + 2;
            if key.is_empty() {
                return Err((start, K::EmptyLiteral));
            }
            return Ok(Atom::Phrase(key));
        }
        let end = src[start..]
            .find(|ch: char| ch.is_whitespace() || "?*+{".contains(ch))
            .map_or(src.len(), |e| start + e);
        let mut word = &src[start..end];
        self.i = end;
        let list = if !word.contains(':') {
            None
        } else if let Some(w) = word.strip_suffix("...") {
            word = w;
            Some(ListDirection::After)
        } else if let Some(w) = word.strip_prefix("...") {
            word = w;
            Some(ListDirection::Before)
        } else {
            None
        };
        Ok(if let Some(name) = word.strip_prefix('@') {
            Atom::Macro(name.to_string())
        } else if word == "_" {
            Atom::AnyUnit
        } else if word == "WORD" {
            Atom::AnyWord
        } else if word
            .chars()
            .all(|ch| ch.is_lowercase() || ch == '\'' || ch == '-')
        {
            Atom::Phrase(match_key(word))
        } else {
            self.classes(start, word, list)?
        })
    }

    /// `CLASS|CLASS`, `CLASS:name`, `CLASS:name...` or `...CLASS:name` (with the dots taken
    /// off).
    fn classes(
        &mut self,
        start: usize,
        word: &'s str,
        list: Option<ListDirection>,
    ) -> Result<Atom, PatternError> {
        let (names, capture) = match word.split_once(':') {
            Some((c, n)) => (c, Some(n)),
            None => (word, None),
        };
        let mut letters = String::new();
        for class in names.split('|') {
            let Some(l) = MentionClass::from_pattern_name(class) else {
                return Err((start, K::UnknownClass(class.to_string())));
            };
            letters.push_str(l);
        }
        if let Some(name) = capture {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                || name.starts_with(|ch: char| ch.is_ascii_digit())
            {
                return Err((start, K::BadCaptureName(name.to_string())));
            }
            if !self.captures.insert(name) {
                return Err((start, K::DuplicateCapture(name.to_string())));
            }
            if list.is_some() {
                if self.has_list {
                    return Err((start, K::TwoLists));
                }
                self.has_list = true;
            }
        }
        Ok(Atom::Classes {
            classes: ClassSet::from_letters(&letters),
            letters,
            capture: capture.map(str::to_string),
            list: list.filter(|_| capture.is_some()),
        })
    }

    /// The quantifier after an element, if any; the element must end there.
    fn quantifier(&mut self) -> Result<Quant, PatternError> {
        let (src, bytes) = (self.src, self.src.as_bytes());
        let mut source = String::new();
        let i = self.i;
        if i >= src.len() {
            return Ok(Quant::from_source(source));
        }
        match bytes[i] {
            b'?' | b'*' | b'+' => {
                source.push(bytes[i] as char);
                self.i += 1;
            }
            b'{' => {
                let Some(end) = src[i..].find('}') else {
                    return Err((i, K::UnterminatedQuantifier));
                };
                let q = &src[i..i + end + 1];
                let inner = &q[1..q.len() - 1];
                let ok = inner
                    .split(',')
                    .all(|p| p.trim().is_empty() || p.trim().parse::<u16>().is_ok_and(|n| n <= 50));
                if !ok || inner.split(',').count() > 2 || inner.trim().is_empty() {
                    return Err((i, K::BadQuantifier(q.to_string())));
                }
                source.push_str(q);
                self.i += end + 1;
            }
            _ => {}
        }
        if let Some(c) = src[self.i..].chars().next()
            && !c.is_ascii_whitespace()
        {
            return Err((self.i, K::UnexpectedAfterElement(c)));
        }
        Ok(Quant::from_source(source))
    }
}

impl Quant {
    /// The quantifier written `source` (`?`, `*`, `+`, `{m}`, `{m,}`, `{,n}`, `{m,n}`, or
    /// empty for none), with its fewest and most repetitions.
    fn from_source(source: String) -> Quant {
        let (fewest, most) = match source.as_str() {
            "" => (1, 1),
            "?" => (0, 1),
            "*" => (0, UNBOUNDED),
            "+" => (1, UNBOUNDED),
            quant => {
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
        };
        Quant {
            source,
            fewest,
            most,
        }
    }
}
