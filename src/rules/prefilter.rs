//! What a sentence must hold for a pattern to match, read off the pattern's syntax tree: the
//! contract is that if a sentence lacks one of a pattern's [`Requirement`]s, or holds them
//! only in another order or farther apart than the pattern allows, the pattern's regex cannot
//! match it, so the regex is not run. Words and classes are tested as bit sets over the
//! sentence's [`SentenceContent`](super::sentence::SentenceContent).

use super::ast::{Atom, PatternAst, UNBOUNDED};
use super::compile::Macros;
use super::index::Vocabulary;
use super::sentence::{ClassSet, UnitPositions};
use crate::text::normalize::match_key;

/// Something a sentence must contain for a pattern to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Requirement {
    /// One of these words (normal form), outside mentions.
    AnyWord(Vec<String>),
    /// A mention of one of these classes.
    AnyClass(ClassSet),
}

/// A pattern's requirements in order, and for each how many units after the previous
/// requirement's element starts its element may start (the first's is `(0, UNBOUNDED)`).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Requirements {
    pub required: Vec<Requirement>,
    pub gaps: Vec<(u32, u32)>,
}

/// The requirements of a pattern whose macros are all defined. Only an element that must
/// occur at least once constrains the sentence.
pub(crate) fn requirements(pattern: &PatternAst, macros: &Macros) -> Requirements {
    let mut out = Requirements::default();
    // The units since the last requirement's element started; `None` before the first.
    let mut since_required: Option<(u32, u32)> = None;
    for element in &pattern.elements {
        let (requirement, per_repetition) = element_requirement(&element.atom, macros);
        let (fewest, most) = (element.quant.fewest, element.quant.most);
        // The units the element spans (`UNBOUNDED` stays so: multiplying saturates).
        let span = (
            fewest.saturating_mul(per_repetition.0),
            most.saturating_mul(per_repetition.1),
        );
        if fewest >= 1
            && let Some(r) = requirement
        {
            out.required.push(r);
            out.gaps.push(since_required.unwrap_or((0, UNBOUNDED)));
            since_required = Some(span);
        } else if let Some((lo, hi)) = since_required {
            since_required = Some((lo.saturating_add(span.0), hi.saturating_add(span.1)));
        }
    }
    out
}

/// What one repetition of an atom requires, and the units it spans: fewest, most.
fn element_requirement(atom: &Atom, macros: &Macros) -> (Option<Requirement>, (u32, u32)) {
    match atom {
        Atom::Phrase(key) => (
            Some(Requirement::AnyWord(vec![first_word(key)])),
            word_span(std::iter::once(key.as_str())),
        ),
        Atom::Macro(name) => {
            let phrases = macros.phrases(name).unwrap_or_default();
            let keys: Vec<String> = phrases.iter().map(|a| match_key(a)).collect();
            let firsts: Vec<String> = keys
                .iter()
                .map(|k| first_word(k))
                .filter(|w| !w.is_empty())
                .collect();
            let requirement = (!firsts.is_empty()).then_some(Requirement::AnyWord(firsts));
            (requirement, word_span(keys.iter().map(String::as_str)))
        }
        Atom::AnyUnit | Atom::AnyWord => (None, (1, 1)),
        Atom::Classes { classes, .. } => (Some(Requirement::AnyClass(*classes)), (1, 1)),
    }
}

fn first_word(key: &str) -> String {
    key.split(' ').next().unwrap_or("").to_string()
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

/// A pattern's requirements as the sentence tests read them: word groups as vocabulary ids,
/// classes as sets, and both in pattern order with their distances.
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    /// The word requirements, as ids of the rule set's vocabulary.
    word_ids: Vec<Vec<u32>>,
    /// The class requirements.
    class_masks: Vec<ClassSet>,
    /// The requirements in pattern order, for the positional test.
    steps: Vec<Step>,
}

/// One requirement of a pattern in the positional test of [`Prefilter::may_match_in_order`].
#[derive(Debug, Clone, Copy)]
struct Step {
    /// A word group (index into `word_ids`) or a class set (index into `class_masks`).
    requirement: StepRequirement,
    /// The units from the previous step's start to this one's: at least, at most.
    gap: (u32, u32),
}

#[derive(Debug, Clone, Copy)]
enum StepRequirement {
    Words(usize),
    Class(usize),
}

impl Prefilter {
    /// The prefilter of these requirements, numbering their words in `vocabulary`.
    pub(crate) fn new(requirements: &Requirements, vocabulary: &mut Vocabulary) -> Prefilter {
        let mut prefilter = Prefilter {
            word_ids: Vec::new(),
            class_masks: Vec::new(),
            steps: Vec::new(),
        };
        for (r, &gap) in requirements.required.iter().zip(&requirements.gaps) {
            let requirement = match r {
                Requirement::AnyWord(words) => {
                    prefilter
                        .word_ids
                        .push(words.iter().map(|w| vocabulary.id(w)).collect());
                    StepRequirement::Words(prefilter.word_ids.len() - 1)
                }
                Requirement::AnyClass(classes) => {
                    prefilter.class_masks.push(*classes);
                    StepRequirement::Class(prefilter.class_masks.len() - 1)
                }
            };
            prefilter.steps.push(Step { requirement, gap });
        }
        prefilter
    }

    /// The word groups, as vocabulary ids.
    pub(crate) fn word_groups(&self) -> &[Vec<u32>] {
        &self.word_ids
    }

    /// The first class requirement, if any.
    pub(crate) fn first_classes(&self) -> Option<ClassSet> {
        self.class_masks.first().copied()
    }

    /// True when the sentence may match: `present[id]` tells which words of the rule set's
    /// vocabulary it holds (outside mentions), `classes` which mention classes.
    #[inline]
    pub(crate) fn may_match(&self, present: &[bool], classes: ClassSet) -> bool {
        self.class_masks.iter().all(|&mask| mask.meets(classes))
            && self
                .word_ids
                .iter()
                .all(|ids| ids.iter().any(|&id| present[id as usize]))
    }

    /// True when the sentence holds the requirements in their order and within their
    /// distances: `"director" ","? PERSON` needs a person one or two units after `director`.
    /// A necessary condition of the regex matching, for a sentence that passed
    /// [`Prefilter::may_match`].
    pub(crate) fn may_match_in_order(&self, at: &UnitPositions<'_>) -> bool {
        let mut reach: u128 = 0;
        for (k, step) in self.steps.iter().enumerate() {
            let units = match step.requirement {
                StepRequirement::Words(g) => self.word_ids[g]
                    .iter()
                    .fold(0, |acc, &id| acc | at.words[id as usize]),
                StepRequirement::Class(c) => self.class_masks[c]
                    .intersection(at.classes_present)
                    .iter()
                    .fold(0, |acc, class| acc | at.classes[class.index()]),
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

/// A guess at how common a word is in reviews, without counting any: punctuation (`,` `'s`)
/// is in most sentences, words of up to three letters (`the`, `as`, `by`) in many, longer
/// ones (`directed`, `cinematographer`) in few.
pub(crate) fn commonness(word: &str) -> u32 {
    if !word.chars().any(char::is_alphanumeric) || word.starts_with('\'') {
        100
    } else if word.chars().count() <= 3 {
        10
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse::parse_pattern;

    fn macros() -> Macros {
        let mut macros = Macros::default();
        macros.define("BY", vec!["by".into(), "directed by".into()]);
        macros.define("WIN", vec!["won".into(), "took home".into()]);
        macros
    }

    /// Each requirement's distance from the one before, in units, as the regex allows it.
    #[test]
    fn requirements_keep_their_order_and_distances() {
        let macros = macros();
        let gaps = |src: &str| requirements(&parse_pattern(src), &macros).gaps;
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

    #[test]
    fn macro_requires_one_of_its_first_words() {
        let r = requirements(&parse_pattern("@WIN _{0,3} AWARD:a"), &macros());
        // `took home` is two units, then up to three: the award comes 1 to 5 units later.
        assert_eq!(r.gaps, [(0, UNBOUNDED), (1, 5)]);
        assert_eq!(
            r.required,
            [
                Requirement::AnyWord(vec!["won".into(), "took".into()]),
                Requirement::AnyClass(ClassSet::from_letters("AB"))
            ]
        );
    }
}
