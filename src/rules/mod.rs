//! Relation rules: the `.rules` files of `ontology/rules/`, staged as regex-syntax stages a
//! regex. `parse` reads each file once into a syntax tree with positions (`ast`), so errors
//! name file:line:column; `compile` checks each rule (`check`) and compiles its patterns to
//! regexes over the encoded sentence ([`sentence`]) with their prefilters (`prefilter`);
//! [`RuleSet`] is then built complete with its index (`index`), and `matching` runs a rule
//! over a sentence. The format is documented in `ontology/README.md`.

mod ast;
mod check;
mod compile;
mod cues;
mod index;
mod matching;
mod parse;
mod prefilter;
pub mod sentence;

pub(crate) use compile::EmitArg;
pub use compile::{Pattern, Rule};
pub use cues::{Blocker, Cue, RoleCues, word_hash};
pub(crate) use index::CandidateSet;
pub(crate) use matching::RuleMatch;
pub use sentence::{ClassSet, EncodedSentence, MentionClass, Placeholder, SentenceContent};

use crate::error::{Error, Result};
use ast::RuleFile;
use compile::{Macros, RuleCompiler};
use index::{PatternTriggers, Vocabulary};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// All rules, compiled once, with the index that tells which patterns a sentence may match.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Rules in file order.
    rules: Vec<Rule>,
    /// Every macro, compiled to match one of its phrases in a sentence's normalised words
    /// (` word word `), for checks outside patterns such as lexicon corroboration.
    macros: BTreeMap<String, Regex>,
    /// Every word a pattern requires, numbered: a sentence is looked up once per word.
    vocabulary: crate::text::WordTable,
    /// Which patterns a sentence can trigger, by what it holds.
    triggers: PatternTriggers,
    /// The role cues of the `.cues` files, for document-level role resolution.
    cues: RoleCues,
    /// The rules with a `requires-profession` line, by index.
    profession_gated: Vec<usize>,
    /// The ids of the `reversible` rules.
    reversible: Vec<String>,
}

impl RuleSet {
    /// Loads and compiles every `*.rules` file of a directory, in name order. A rule may use
    /// a macro defined in any file.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<RuleSet> {
        let dir = dir.as_ref();
        let paths = crate::files::with_extension(dir, "rules")?;
        let mut names = parse::Names::default();
        let mut files = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let file = parse::parse_file(&text, &mut names).map_err(|e| e.into_error(&path))?;
            files.push((path, file));
        }
        let mut set = RuleSet::compile(files)?;
        for path in crate::files::with_extension(dir, "cues")? {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            set.cues.add_file(&path, &text)?;
        }
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
    /// assert_eq!(rules.rules()[0].id(), "director.directed-by");
    ///
    /// let err = RuleSet::parse("x.rules", "rule a\n  match ROBOT:x\n  emit FILM director x\n").unwrap_err();
    /// assert!(err.to_string().starts_with("x.rules:2:9: unknown mention class `ROBOT`"));
    /// ```
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<RuleSet> {
        let path = path.as_ref();
        let file = parse::parse_file(text, &mut parse::Names::default())
            .map_err(|e| e.into_error(path))?;
        RuleSet::compile(vec![(path.to_path_buf(), file)])
    }

    /// Compiles parsed files, in order, into the set and its index. A file's rules are
    /// checked before the first error among its rule lines is reported.
    fn compile(files: Vec<(PathBuf, RuleFile)>) -> Result<RuleSet> {
        let mut macros = Macros::default();
        for (_, file) in &files {
            for def in &file.macros {
                macros.define(&def.name, def.phrases.clone());
            }
        }
        let mut vocabulary = Vocabulary::default();
        let mut rules = Vec::new();
        for (path, file) in files {
            let mut compiler = RuleCompiler {
                path: &path,
                macros: &mut macros,
                vocabulary: &mut vocabulary,
            };
            for rule in file.rules {
                rules.push(compiler.rule(rule).map_err(|e| e.into_error(&path))?);
            }
            if let Some(e) = file.error {
                return Err(e.into_error(&path));
            }
        }
        let profession_gated = (0..rules.len())
            .filter(|&i| !rules[i].requires_profession().is_empty())
            .collect();
        let reversible = (rules.iter())
            .filter(|r| r.reversible())
            .map(|r| r.id().to_string())
            .collect();
        Ok(RuleSet {
            profession_gated,
            reversible,
            triggers: PatternTriggers::new(&rules, vocabulary.words()),
            vocabulary: vocabulary.table(),
            macros: macros.into_regexes(),
            rules,
            cues: RoleCues::default(),
        })
    }

    /// The professions rule `id` requires of the lexicon people it captures
    /// (`requires-profession`), when it requires some.
    pub fn required_professions(&self, id: &str) -> Option<&[String]> {
        (self.profession_gated.iter())
            .map(|&i| &self.rules[i])
            .find(|r| r.id() == id)
            .map(Rule::requires_profession)
    }

    /// True when rule `id` is `reversible`.
    pub fn is_reversible(&self, id: &str) -> bool {
        self.reversible.iter().any(|r| r == id)
    }

    /// Rules in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The role cues of the directory's `.cues` files (none for [`RuleSet::parse`]).
    pub fn cues(&self) -> &RoleCues {
        &self.cues
    }

    /// True when the sentence (normalised words, space-separated with a space at both ends)
    /// holds a phrase of the macro; `None` when there is no such macro.
    pub fn macro_matches(&self, name: &str, sentence: &str) -> Option<bool> {
        self.macros.get(name).map(|r| r.is_match(sentence))
    }

    /// The number of words patterns require, which [`SentenceContent`] records.
    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.len()
    }

    /// The number of patterns, which a [`CandidateSet`] holds.
    pub fn pattern_count(&self) -> usize {
        self.triggers.len()
    }

    /// Records a word unit of a sentence in `content`; `hash` is its FNV-1a hash when known
    /// (a token's).
    #[inline]
    pub fn add_word(&self, content: &mut SentenceContent, word: &str, hash: Option<u64>) {
        let hash = hash.unwrap_or_else(|| crate::text::fnv1a(word.as_bytes()));
        content.add_word(self.vocabulary.get(word, hash));
    }

    /// The id of a word in the vocabulary of required words.
    #[cfg(test)]
    fn vocabulary_id(&self, word: &str) -> Option<u32> {
        self.vocabulary
            .get(word, crate::text::fnv1a(word.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an optional capture emitted without `|FILM` gave no fact at all when the
    /// match left it out; it is now an error naming the emit line.
    #[test]
    fn an_optional_capture_needs_the_film_fallback() {
        let text = "rule s\n  match FILM:film? \"starring\" PERSON:p\n  emit film actor p\n";
        let err = RuleSet::parse("s.rules", text).unwrap_err().to_string();
        assert!(
            err.starts_with("s.rules:3:") && err.contains("`film` is not captured by every"),
            "{err}"
        );
        let fixed = text.replace("emit film actor", "emit film|FILM actor");
        assert!(RuleSet::parse("s.rules", &fixed).is_ok());
    }

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
        assert_errors(&cases);
    }

    /// Each text fails to parse with an error starting with its expected message.
    fn assert_errors(cases: &[(&str, &str)]) {
        for (text, expected) in cases {
            let err = RuleSet::parse("x.rules", text).unwrap_err().to_string();
            assert!(
                err.starts_with(expected),
                "{err:?} should start with {expected:?}"
            );
        }
    }

    /// The first problem in reading order is reported, whichever stage finds it: a macro
    /// line's before any rule's, a rule's own before a later line's, an unknown macro before
    /// a later syntax error of the same pattern.
    #[test]
    fn errors_come_in_reading_order() {
        let cases = [
            (
                "rule a\n  match @NOPE ROBOT:x\n  emit FILM actor x\n",
                "x.rules:2:9: unknown macro `@NOPE`",
            ),
            (
                "rule a\n  match @NOPE PERSON:p{1,99}\n  emit FILM actor p\n",
                "x.rules:2:9: unknown macro `@NOPE`",
            ),
            (
                "rule a\n  match PERSON:p\n  emit FILM actor q\nrule b\n  mtch x\n",
                "x.rules:3:8: `q` is not captured",
            ),
            (
                "rule a\n  match PERSON:p\n  emit FILM actor q\ndefine = x\n",
                "x.rules:4:8: invalid macro name",
            ),
            (
                "rule a\n  match PERSON:p\n  emit FILM actor p\nrule a\n",
                "x.rules:4:6: rule `a` is defined twice",
            ),
            (
                "rule a\n  match \"x\"é\n  emit FILM actor p\n",
                "x.rules:2:12: unexpected `é` after a pattern element",
            ),
        ];
        assert_errors(&cases);
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
        let prefilter = set.rules[0].patterns()[0].prefilter();
        assert!(set.vocabulary_id("directed").is_some());
        let at = |units: &[&str]| {
            let mut content = SentenceContent::default();
            content.reset(set.vocabulary_len());
            for unit in units {
                match MentionClass::from_letter(unit.chars().next().unwrap()) {
                    Some(class) if unit.len() == 1 => content.add_mention(class),
                    _ => set.add_word(&mut content, unit, None),
                }
            }
            prefilter.may_match_in_order(&content.positions().unwrap())
        };
        assert!(at(&["P", "directed", "F"]));
        assert!(
            at(&["x", "y", "z", "P", ",", "directed", "F"]),
            "a comma between"
        );
        assert!(!at(&["P", "x", "y", "directed", "F"]), "too far apart");
        assert!(!at(&["F", "directed", "P"]), "in another order");
        assert!(!at(&["P", "directed", "x", "F"]), "the film not next");
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
        assert_eq!(a.unless()[0].as_str(), b.unless()[0].as_str());
        assert_eq!(a.unless()[0].as_str(), set.macros["NEG"].as_str());
        for rule in [a, b] {
            assert!(rule.unless()[0].is_match(" was never "));
            assert!(!rule.unless()[0].is_match(" was nothing "));
        }
        assert!(b.unless_after()[0].is_match(" not shown "));
        assert!(
            !b.unless_after()[0].is_match(" shown not "),
            "anchored at the match's end"
        );
    }

    /// `requires-profession` lists professions; without one it is an error at its place.
    #[test]
    fn requires_profession_lists_professions() {
        let set = RuleSet::parse(
            "x.rules",
            "rule a\n  match PERSON:p \"'s\" NAME:c\n  emit p plays c\n  requires-profession actor singer\n\
             rule b\n  match \"directed by\" PERSON:p\n  emit FILM director p\n",
        )
        .unwrap();
        assert_eq!(
            set.required_professions("a"),
            Some(&["actor".to_string(), "singer".to_string()][..])
        );
        assert_eq!(set.required_professions("b"), None);
        let err = RuleSet::parse(
            "x.rules",
            "rule a\n  match PERSON:p\n  emit FILM actor p\n  requires-profession\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.rules:4:22: expected one or more professions"),
            "{err}"
        );
    }

    /// `reversible` marks a rule; it takes no words, else an error at them.
    #[test]
    fn reversible_marks_a_rule_and_takes_no_words() {
        let set = RuleSet::parse(
            "x.rules",
            "rule a\n  match NAME:c \"(\" NAME:p \")\"\n  emit p plays c\n  reversible\n\
             rule b\n  match \"directed by\" PERSON:p\n  emit FILM director p\n",
        )
        .unwrap();
        assert!(set.is_reversible("a"));
        assert!(!set.is_reversible("b"));
        let err = RuleSet::parse(
            "x.rules",
            "rule a\n  match NAME:c \"(\" NAME:p \")\"\n  emit p plays c\n  reversible yes\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.rules:4:14: `reversible` takes no words"),
            "{err}"
        );
    }

    /// `...CLASS:name` is a list running back; a rule's match lines agree on its direction.
    #[test]
    fn a_list_capture_runs_back_after_leading_dots() {
        let text = "rule a\n  match ...PERSON:p \"is\" \"miscast\"\n  emit FILM actor p\n";
        let set = RuleSet::parse("x.rules", text).unwrap();
        let list = set.rules[0].list().expect("a list capture");
        assert_eq!(list.direction, ast::ListDirection::Before);
        let mixed = "rule a\n  match ...PERSON:p \"is\"\n  match PERSON:p... \"are\"\n  emit FILM actor p\n";
        let err = RuleSet::parse("x.rules", mixed).unwrap_err().to_string();
        assert!(err.starts_with("x.rules:3:"), "{err}");
        assert!(err.contains("running the same way"), "{err}");
    }

    #[test]
    fn pattern_compiles_to_unit_regex() {
        let set = RuleSet::parse(
            "x.rules",
            "define WIN = won | took home\nrule a\n  match @WIN _{0,3} AWARD:a\n  emit FILM award a\n",
        )
        .unwrap();
        let pattern = &set.rules[0].patterns()[0];
        let m = pattern
            .regex()
            .captures(" it took home the «A3» . ")
            .unwrap();
        assert_eq!(&m["a"], "«A3»");
        assert_eq!(
            pattern.group(0),
            Some(1),
            "the capture's group, resolved once"
        );
    }
}
