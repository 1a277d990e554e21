//! Pass 5, name runs: runs of capitalised words (with initials, honorifics, name particles and
//! quoted nicknames) become people when the lexicon knows them by a fuzzy match or by a unique
//! surname, untyped names otherwise. A lone capitalised word opening a sentence is a name only
//! when the review's other uses of the word say so ([`WordCases`]).

use super::context::Cx;
use crate::extract::{Link, LinkMethod, MentionKind};
use crate::lexicon::{EntryId, WordClass};
use crate::text::{Document, Shape, Token};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// Link quality of a lone surname linked to the only lexicon person bearing it.
const SURNAME_LINK_SCORE: f32 = 0.8;

pub(super) fn run(cx: &mut Cx) {
    let cases = WordCases::new(cx.doc);
    let n = cx.n;
    let mut i = 0;
    while i < n {
        // Every opening below starts with a capital: most tokens leave here.
        if cx.taken(i) || !cx.doc.tokens[i].is_upper_initial() || !opens_name(cx, i) {
            i += 1;
            continue;
        }
        let j = run_end(cx, i);
        let mut run = i..j.min(n);
        // Leading function words (`The`, `This`, `Another`) are not part of a name; an
        // initial (`A. Shvorin`) is, even when it spells a function word.
        while !run.is_empty() && !initial_at(cx, run.start) && cx.is_stopword(run.start) {
            run.start += 1;
        }
        // A sentence's capitalised first word that the review also writes in lower case, or
        // a gerund no one is named, is not part of the name after it ("Putting Dracula in
        // his place", "Meanwhile Natalie").
        if run.len() >= 2 && cx.starts_sentence(run.start) && !initial_at(cx, run.start) {
            let w = cx.doc.norm(run.start);
            let gerund = w.len() > 4 && w.ends_with("ing");
            if (gerund || cases.lowercase_somewhere(w)) && cx.lexicon.name_word_counts(w).1 == 0 {
                run.start += 1;
            }
        }
        // A nationality adjective before a given name and a surname, or after a lower-case word,
        // describes the person, it is no part of the name ("American Brian Dennehy", "the
        // French Celine"; not the title "Mike Binder's Indian Summer").
        let described =
            run.len() >= 3 || (run.start > 0 && cx.doc.tokens[run.start - 1].shape == Shape::Lower);
        if run.len() >= 2
            && described
            && cx.lexicon.is_demonym(cx.norm(run.start))
            && cx.lexicon.is_given_name(cx.norm(run.start + 1))
        {
            run.start += 1;
        }
        // A name may open with a particle in lower case: "van Helsing", "del Toro".
        if run.start > 0
            && !cx.taken(run.start - 1)
            && cx.has(run.start - 1, WordClass::NAME_PARTICLE)
            && cx.doc.tokens[run.start - 1].shape == Shape::Lower
            && !cx.is_stopword(run.start)
        {
            run.start -= 1;
        }
        i = j;
        if is_name(cx, &cases, &run) {
            link_name_run(cx, &cases, run);
        }
    }
}

/// True when a name may open at `i`: a name word, an honorific with its stop, or an initial
/// before a name word or another initial.
#[inline]
fn opens_name(cx: &Cx, i: usize) -> bool {
    name_word(cx, i)
        || honorific_at(cx, i)
        || initial_at(cx, i) && i + 2 < cx.n && (name_word(cx, i + 2) || initial_at(cx, i + 2))
}

/// The end of the name run opening at `i`.
fn run_end(cx: &Cx, i: usize) -> usize {
    let n = cx.n;
    let mut j = if initial_at(cx, i) || honorific_at(cx, i) {
        i + 2
    } else {
        i + 1
    };
    while j < n && !cx.taken(j) && cx.same_sentence(j, i) {
        if name_word(cx, j) {
            j += 1;
        } else if initial_at(cx, j) {
            j += 2;
        } else if cx.has(j, WordClass::NAME_PARTICLE)
            && j + 1 < n
            && cx.shape(j + 1) == Shape::Capitalized
        {
            j += 1;
        } else if matches!(cx.norm(j), "'" | "\"")
            && j + 3 < n
            && name_word(cx, j + 1)
            && cx.norm(j + 2) == cx.norm(j)
            && name_word(cx, j + 3)
            && !cx.any_taken(j + 1..j + 4)
        {
            // A quoted nickname inside a name: `Charles Augustus 'Slim' Lindbergh`.
            j += 4;
        } else {
            break;
        }
    }
    j
}

/// True when the (trimmed) run is a name: not empty, not a nationality adjective alone, and,
/// when it is one word opening a sentence, read as a name by the rest of the review.
fn is_name(cx: &Cx, cases: &WordCases, run: &Range<usize>) -> bool {
    // A nationality adjective alone is no name (`Italian`); before one it is (`Soviet Union`).
    if run.len() == 1 && cx.lexicon.is_demonym(cx.norm(run.start)) {
        return false;
    }
    if run.is_empty() {
        return false;
    }
    let single_initial = run.len() == 1 && cx.starts_sentence(run.start);
    // A lone capitalised word opening a sentence is a name when the review capitalises it
    // elsewhere too, or when what follows reads like a name's (`Albert is played by`,
    // `Eisenstein's`, `Boris (Aleksey Batalov)`) and the review never writes it in lower case.
    let name_like_next = run.end < cx.n && cx.has(run.end, WordClass::NAME_FOLLOWER);
    let reads_as_name = || name_like_next && !cases.lowercase_somewhere(cx.norm(run.start));
    !single_initial || reads_as_name() || cases.capitalised_elsewhere(cx.doc, run.start)
}

/// `A.`: a one-letter capital and its stop.
#[inline]
fn initial_at(cx: &Cx, j: usize) -> bool {
    cx.shape(j) == Shape::AllCaps
        && cx.norm(j).chars().count() == 1
        && j + 1 < cx.n
        && cx.norm(j + 1) == "."
}

/// A capitalised word that may be part of a name. `Oscar-winning`, `Monogram-made`: a
/// capitalised word joined to a lower-case one is not.
#[inline]
fn name_word(cx: &Cx, j: usize) -> bool {
    let t = &cx.doc.tokens[j];
    t.shape == Shape::Capitalized
        && !cx.doc.text[t.span.clone()]
            .split('-')
            .skip(1)
            .any(|part| part.starts_with(|c: char| c.is_lowercase()))
}

/// `Dr.`, `Mrs.` before a capitalised word: the honorific and its stop open the name.
#[inline]
fn honorific_at(cx: &Cx, j: usize) -> bool {
    let tokens = &cx.doc.tokens;
    tokens[j].is_upper_initial()
        && cx.has(j, WordClass::HONORIFIC)
        && j + 2 < cx.n
        && cx.norm(j + 1) == "."
        && tokens[j + 1].span.start == tokens[j].span.end
        && name_word(cx, j + 2)
}

/// Splits a capitalised run into people found by fuzzy lexicon match (best window of 2-3
/// words) and untyped names for the rest.
fn link_name_run(cx: &mut Cx, cases: &WordCases, run: Range<usize>) {
    match best_fuzzy_window(cx, &run) {
        Some((r, entry, sim)) => {
            if run.start < r.start {
                cx.push(MentionKind::Name, run.start..r.start, None);
            }
            let method = if sim >= 1.0 {
                LinkMethod::Exact
            } else {
                LinkMethod::Fuzzy
            };
            let link = Link {
                entry,
                method,
                score: sim,
            };
            cx.push(MentionKind::Person, r.clone(), Some(link));
            if r.end < run.end {
                cx.push(MentionKind::Name, r.end..run.end, None);
            }
        }
        None => {
            // A lone surname only one lexicon person has (`Kalatozov`), never written in lower
            // case in the review, is that person unless the review names someone else so.
            let word = cx.norm(run.start);
            let unique = (run.len() == 1 && !cx.lexicon.is_stopword(word))
                .then(|| cx.lexicon.person_by_surname(word))
                .flatten()
                .filter(|_| !cases.lowercase_somewhere(word));
            match unique {
                Some(entry) => {
                    let link = Link {
                        entry,
                        method: LinkMethod::Surname,
                        score: SURNAME_LINK_SCORE,
                    };
                    cx.push(MentionKind::Person, run, Some(link))
                }
                None => cx.push(MentionKind::Name, run, None),
            };
        }
    }
}

/// The window of three, else two, words of a run that best matches a lexicon person by fuzzy
/// match.
fn best_fuzzy_window(cx: &Cx, run: &Range<usize>) -> Option<(Range<usize>, EntryId, f32)> {
    let words: Vec<usize> = run.clone().filter(|&t| cx.is_word(t)).collect();
    let mut best: Option<(Range<usize>, EntryId, f32)> = None;
    let mut key = String::new();
    if words.len() < 2 {
        return None;
    }
    for len in (2..=words.len().min(3)).rev() {
        for w in words.windows(len) {
            let r = w[0]..w[len - 1] + 1;
            key.clear();
            for t in r.clone() {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(cx.norm(t));
            }
            if let Some((entry, sim)) = cx.lexicon.fuzzy_person_best(&key)
                && best.as_ref().is_none_or(|b| sim > b.2)
            {
                best = Some((r, entry, sim));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}
/// How a document writes its words, for telling a capitalised first word from a name. A
/// review of ordinary length is scanned per question (a few per review, each a pass over the
/// tokens); a long one builds look-up tables on first use,
/// so the cost never grows with the square of the length.
struct WordCases<'d> {
    doc: &'d Document,
    /// Normal forms written in lower case somewhere (long documents only).
    lower: std::cell::OnceCell<FxHashSet<&'d str>>,
    /// Normal forms written with a capital away from the first token of a sentence, and how
    /// often (long documents only).
    capitalised: std::cell::OnceCell<FxHashMap<&'d str, u32>>,
}

/// Documents with more tokens than this answer [`WordCases`] questions from tables.
const WORD_CASES_SCAN_LIMIT: usize = 4096;

impl<'d> WordCases<'d> {
    fn new(doc: &'d Document) -> Self {
        WordCases {
            doc,
            lower: std::cell::OnceCell::new(),
            capitalised: std::cell::OnceCell::new(),
        }
    }

    fn scans(&self) -> bool {
        self.doc.tokens.len() <= WORD_CASES_SCAN_LIMIT
    }

    /// True when the review writes `norm` in lower case somewhere.
    fn lowercase_somewhere(&self, norm: &str) -> bool {
        let doc = self.doc;
        let lower = |t: &Token| t.shape == Shape::Lower;
        if self.scans() {
            return doc
                .tokens
                .iter()
                .any(|t| lower(t) && doc.norm_of(t) == norm);
        }
        self.lower
            .get_or_init(|| {
                doc.tokens
                    .iter()
                    .filter(|t| lower(t))
                    .map(|t| doc.norm_of(t))
                    .collect()
            })
            .contains(norm)
    }

    /// True when the word at `t` also appears capitalised away from a sentence start, so a
    /// capitalised sentence-initial word is a name, not just the first word.
    fn capitalised_elsewhere(&self, doc: &Document, t: usize) -> bool {
        let norm = doc.norm(t);
        let count = if self.scans() {
            let mut count = 0u32;
            for s in &self.doc.sentences {
                for k in s.tokens.clone().skip(1) {
                    let token = &self.doc.tokens[k];
                    if token.is_upper_initial() && self.doc.norm_of(token) == norm {
                        count += 1;
                    }
                }
            }
            count
        } else {
            let counts = self.capitalised.get_or_init(|| {
                let mut counts = FxHashMap::default();
                for s in &self.doc.sentences {
                    for k in s.tokens.clone().skip(1) {
                        if self.doc.tokens[k].is_upper_initial() {
                            *counts.entry(self.doc.norm(k)).or_insert(0) += 1;
                        }
                    }
                }
                counts
            });
            counts.get(norm).copied().unwrap_or(0)
        };
        let counted_itself =
            doc.tokens[t].is_upper_initial() && !doc.sentences.iter().any(|s| s.tokens.start == t);
        count > u32::from(counted_itself)
    }
}
