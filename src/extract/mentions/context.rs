//! The state the mention passes share: the document and lexicon, what each token is (its word
//! classes, its sentence, whether it opens one), which tokens an earlier pass has claimed, and
//! the mentions found so far. Claiming goes through [`Cx::push`] only, so a token belongs to
//! at most one mention.

use crate::extract::{Link, Mention, MentionKind};
use crate::lexicon::{Lexicon, WordClass};
use crate::text::{Document, Shape};
use std::ops::Range;

/// Which lexicon matches the lexicon pass asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexiconQuery {
    /// Only those it may keep: most matches starting in lower case are dropped unasked.
    MayKeep,
    /// Every match (the tests compare both ways).
    #[cfg_attr(not(test), allow(dead_code))]
    All,
}

/// The mention finder's context: one per document.
pub(super) struct Cx<'a> {
    pub(super) doc: &'a Document,
    pub(super) lexicon: &'a Lexicon,
    pub(super) query: LexiconQuery,
    /// Number of tokens.
    pub(super) n: usize,
    classes: Vec<WordClass>,
    sentence_of: Vec<usize>,
    /// The first word of each sentence, after any opening quote or bracket.
    sentence_start: Vec<bool>,
    taken: Vec<bool>,
    out: Vec<Mention>,
}

impl<'a> Cx<'a> {
    pub(super) fn new(doc: &'a Document, lexicon: &'a Lexicon, query: LexiconQuery) -> Self {
        let n = doc.tokens.len();
        let mut sentence_of = vec![0usize; n];
        let mut sentence_start = vec![false; n];
        for (si, s) in doc.sentences.iter().enumerate() {
            for t in s.tokens.clone() {
                sentence_of[t] = si;
            }
            if s.tokens.start < n {
                let first = s
                    .tokens
                    .clone()
                    .find(|&t| doc.tokens[t].shape != Shape::Punct)
                    .unwrap_or(s.tokens.start);
                sentence_start[first] = true;
            }
        }
        Cx {
            doc,
            lexicon,
            query,
            n,
            classes: lexicon.words().token_classes(doc),
            sentence_of,
            sentence_start,
            taken: vec![false; n],
            out: Vec::new(),
        }
    }

    /// Claims `range` for a mention unless it is empty or a token of it is taken; true when
    /// claimed.
    pub(super) fn push(
        &mut self,
        kind: MentionKind,
        range: Range<usize>,
        link: Option<Link>,
    ) -> bool {
        if range.is_empty() || self.any_taken(range.clone()) {
            return false;
        }
        self.taken[range.clone()].fill(true);
        let doc = self.doc;
        self.out.push(Mention {
            kind,
            span: doc.span(range.clone()),
            surface: doc.surface(range.clone()),
            sentence: self.sentence_of[range.start],
            tokens: range,
            link,
            class: kind.class(),
            festival: None,
        });
        true
    }

    /// The mention pushed last.
    pub(super) fn last_mut(&mut self) -> Option<&mut Mention> {
        self.out.last_mut()
    }

    /// The mentions found, in text order (the context keeps which tokens they took).
    pub(super) fn take_sorted(&mut self) -> Vec<Mention> {
        self.out.sort_by_key(|m| m.tokens.start);
        std::mem::take(&mut self.out)
    }

    #[inline]
    pub(super) fn taken(&self, t: usize) -> bool {
        self.taken[t]
    }

    #[inline]
    pub(super) fn any_taken(&self, r: Range<usize>) -> bool {
        self.taken[r].iter().any(|&t| t)
    }

    /// True when token `t` is in one of `classes`.
    #[inline]
    pub(super) fn has(&self, t: usize, classes: WordClass) -> bool {
        self.classes[t].has(classes)
    }

    #[inline]
    pub(super) fn norm(&self, t: usize) -> &'a str {
        self.doc.norm(t)
    }

    #[inline]
    pub(super) fn shape(&self, t: usize) -> Shape {
        self.doc.tokens[t].shape
    }

    #[inline]
    pub(super) fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.sentence_of[a] == self.sentence_of[b]
    }

    /// True when `t` is the first word of its sentence.
    #[inline]
    pub(super) fn starts_sentence(&self, t: usize) -> bool {
        self.sentence_start[t]
    }

    #[inline]
    pub(super) fn is_upper(&self, t: usize) -> bool {
        self.doc.tokens[t].is_upper_initial()
    }

    #[inline]
    pub(super) fn is_word(&self, t: usize) -> bool {
        self.shape(t) != Shape::Punct
    }

    #[inline]
    pub(super) fn lower_start(&self, t: usize) -> bool {
        matches!(self.shape(t), Shape::Lower | Shape::Other)
    }

    #[inline]
    pub(super) fn is_stopword(&self, t: usize) -> bool {
        self.lexicon.is_stopword(self.norm(t))
    }

    /// True when `r` stands between double quotes.
    #[inline]
    pub(super) fn quoted(&self, r: &Range<usize>) -> bool {
        r.start > 0 && r.end < self.n && self.norm(r.start - 1) == "\"" && self.norm(r.end) == "\""
    }

    /// True when every word of `r` is in capitals (or a number).
    #[inline]
    pub(super) fn all_caps(&self, r: &Range<usize>) -> bool {
        r.clone()
            .filter(|&t| self.is_word(t))
            .all(|t| matches!(self.shape(t), Shape::AllCaps | Shape::Number))
    }

    /// True when `r` is followed by a year in brackets: `Crash (2004)`.
    #[inline]
    pub(super) fn year_after(&self, r: &Range<usize>) -> bool {
        r.end + 2 < self.n && self.norm(r.end) == "(" && self.shape(r.end + 1) == Shape::Number
    }
}
