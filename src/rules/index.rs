//! The rule set's index, built with it: the vocabulary of every word a pattern requires
//! (numbered, so a sentence looks each of its words up once), and the [`PatternTriggers`]
//! that tell which patterns a sentence can trigger at all.

use super::compile::{Pattern, Rule};
use super::prefilter::commonness;
use super::sentence::SentenceContent;
use crate::text::WordTable;
use std::collections::HashMap;

/// The words patterns require, numbered in the order the patterns are compiled.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Vocabulary {
    /// The id of a word, numbering it if new.
    pub(crate) fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.to_string(), id);
        self.words.push(word.to_string());
        id
    }

    /// The words as an open-addressing table keyed by FNV-1a: a sentence looks up every
    /// word, and SipHash would dominate.
    pub(crate) fn table(&self) -> WordTable {
        WordTable::new(
            self.words
                .iter()
                .enumerate()
                .map(|(id, w)| (w.as_str(), id as u32)),
        )
    }

    pub(crate) fn words(&self) -> &[String] {
        &self.words
    }
}

/// An inverted index from what a sentence holds to the patterns that may match it: each
/// pattern is filed under one of its requirements (a word group, else a mention class), so a
/// sentence only looks at the patterns one of its words or mentions can trigger instead of
/// testing every pattern's requirements.
#[derive(Debug, Clone, Default)]
pub(crate) struct PatternTriggers {
    /// `(rule, pattern)` of every pattern, in rule then pattern order; the index below uses
    /// positions in this list, so reading candidates in position order is file order.
    patterns: Vec<(u32, u32)>,
    /// Patterns filed under each vocabulary word id.
    by_word: Vec<Vec<u32>>,
    /// Patterns filed under each mention class (by class index).
    by_class: [Vec<u32>; super::sentence::CLASS_COUNT],
    /// Patterns with no requirement: tried on every sentence.
    always: Vec<u32>,
}

impl PatternTriggers {
    pub(crate) fn new(rules: &[Rule], words: &[String]) -> PatternTriggers {
        let mut triggers = PatternTriggers {
            by_word: vec![Vec::new(); words.len()],
            ..PatternTriggers::default()
        };
        for (ri, rule) in rules.iter().enumerate() {
            for (pi, pattern) in rule.patterns().iter().enumerate() {
                let flat = triggers.patterns.len() as u32;
                triggers.patterns.push((ri as u32, pi as u32));
                triggers.file(pattern, flat, words);
            }
        }
        triggers
    }

    /// Files a pattern under its rarest word group, so few sentences look at it: by Zipf's
    /// law punctuation and short words are the commonest in any text, so a group is as
    /// common as the sum of its words' guesses (see `commonness`). A pattern without words
    /// is filed under its first class.
    fn file(&mut self, pattern: &Pattern, flat: u32, words: &[String]) {
        let prefilter = pattern.prefilter();
        if let Some(group) = prefilter.word_groups().iter().min_by_key(|g| {
            g.iter()
                .map(|&id| commonness(&words[id as usize]))
                .sum::<u32>()
        }) {
            for &id in group {
                self.by_word[id as usize].push(flat);
            }
        } else if let Some(classes) = prefilter.first_classes() {
            for class in classes.iter() {
                self.by_class[class.index()].push(flat);
            }
        } else {
            self.always.push(flat);
        }
    }

    /// The number of patterns.
    pub(crate) fn len(&self) -> usize {
        self.patterns.len()
    }
}

/// The patterns a sentence triggers, as a bit set over their file-order positions: setting
/// bits and reading them back in order costs less than sorting a list with duplicates.
#[derive(Debug, Clone, Default)]
pub(crate) struct CandidateSet(Vec<u64>);

impl CandidateSet {
    /// Empties the set and sizes it for `patterns` patterns.
    pub(crate) fn reset(&mut self, patterns: usize) {
        self.0.clear();
        self.0.resize(patterns.div_ceil(64), 0);
    }

    fn fill(&mut self, triggers: &PatternTriggers, content: &SentenceContent) {
        self.0.fill(0);
        let bits = &mut self.0;
        let mut add = |list: &[u32]| {
            for &flat in list {
                bits[flat as usize / 64] |= 1 << (flat % 64);
            }
        };
        add(&triggers.always);
        for &id in content.word_ids() {
            add(&triggers.by_word[id as usize]);
        }
        for class in content.classes_present().iter() {
            add(&triggers.by_class[class.index()]);
        }
    }

    /// The positions in the set, in order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(word_index, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let flat = word_index * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(flat)
            })
        })
    }
}

impl super::RuleSet {
    /// The patterns that may match a sentence holding `content`, in file order (so facts
    /// come out as if every pattern had been tried in turn): those its words or mentions
    /// trigger, whose requirements it holds, in their order and distances unless
    /// `positional` is false (tests compare the two). `set` is scratch space.
    pub(crate) fn candidates<'a>(
        &'a self,
        content: &'a SentenceContent,
        set: &'a mut CandidateSet,
        positional: bool,
    ) -> impl Iterator<Item = (&'a Rule, &'a Pattern)> + 'a {
        set.fill(&self.triggers, content);
        let set: &'a CandidateSet = set;
        let positions = content.positions().filter(|_| positional);
        let (present, classes) = (content.present(), content.classes_present());
        set.iter().filter_map(move |flat| {
            let (ri, pi) = self.triggers.patterns[flat];
            let rule = &self.rules[ri as usize];
            let pattern = &rule.patterns()[pi as usize];
            let prefilter = pattern.prefilter();
            (prefilter.may_match(present, classes)
                && (positions.as_ref()).is_none_or(|at| prefilter.may_match_in_order(at)))
            .then_some((rule, pattern))
        })
    }
}
