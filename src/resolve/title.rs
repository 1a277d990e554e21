//! The title a review gives the film it is about: the review's film mentions scored by where
//! they stand (the first sentence, quotes, `X (1995)`, the cue words of
//! `ontology/lexicon/title-cues.txt` around them: `I watched X` for, `better than X` against)
//! and what they hold (a `not-title` word such as `spoiler` or `festival` makes a phrase no
//! title). The cue words are data ([`TitleCues`]); this module owns their classes, the file
//! format, and the scoring.

use crate::error::{Error, Position, Result};
use crate::extract::{Extraction, Mention, MentionKind};
use crate::lexicon::{EntryId, Lexicon, WordClass};
use crate::text::normalize::name_key;
use crate::text::{Document, Shape};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// Name of the title-cue list in a lexicon directory.
pub const TITLE_CUES_FILE: &str = "title-cues.txt";

/// The shipped list, for an extractor built without a directory or from one without its own.
const SHIPPED: &str = include_str!("../../ontology/lexicon/title-cues.txt");

/// The classes of `title-cues.txt`, in a fixed order.
const CLASSES: [&str; 8] = [
    "reviewed-before",
    "reviewed-after",
    "other-before",
    "other-after",
    "not-title",
    "other-nearby",
    "article",
    "other-before-owner",
];
const REVIEWED_BEFORE: usize = 0;
const REVIEWED_AFTER: usize = 1;
const OTHER_BEFORE: usize = 2;
const OTHER_AFTER: usize = 3;
const NOT_TITLE: usize = 4;
const OTHER_NEARBY: usize = 5;
const ARTICLE: usize = 6;
const OTHER_BEFORE_OWNER: usize = 7;
/// How many tokens after a title an `other-nearby` word is looked for (in its sentence).
const NEARBY: usize = 8;

/// The cue phrases of each class, as words in normal form, in file order; and, for each
/// class, the phrases by their last word and by their first, so that a look-up at a token
/// hashes its word instead of comparing every phrase (titles are checked at every name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleCues {
    phrases: [Vec<Vec<String>>; 8],
    by_last: [FxHashMap<String, Vec<usize>>; 8],
    by_first: [FxHashMap<String, Vec<usize>>; 8],
}

impl Default for TitleCues {
    fn default() -> Self {
        TitleCues::parse(Path::new(TITLE_CUES_FILE), SHIPPED).expect("the shipped title cues parse")
    }
}

impl TitleCues {
    /// Reads `DIR/title-cues.txt`, or the shipped list when the directory has none.
    pub fn load_dir(dir: &Path) -> Result<TitleCues> {
        let path = dir.join(TITLE_CUES_FILE);
        if !path.exists() {
            return Ok(TitleCues::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        TitleCues::parse(&path, &text)
    }

    /// Parses the text of a title-cue list (`path` names it in errors).
    ///
    /// ```
    /// use cinegraph::resolve::TitleCues;
    /// let path = std::path::Path::new("t.txt");
    /// assert!(TitleCues::parse(path, "other-before\tbetter than\n").is_ok());
    /// let err = TitleCues::parse(path, "# c\nsomething\tx\n").unwrap_err().to_string();
    /// assert!(err.contains("t.txt:2:1"), "{err}");
    /// ```
    pub fn parse(path: &Path, text: &str) -> Result<TitleCues> {
        let mut phrases: [Vec<Vec<String>>; 8] = Default::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |column| {
                Some(Position {
                    line: n + 1,
                    column,
                })
            };
            let Some((class, phrase)) = line.split_once('\t') else {
                return Err(Error::syntax(path, at(1), "expected `class<TAB>phrase`"));
            };
            let Some(c) = CLASSES.iter().position(|&k| k == class.trim()) else {
                let known = CLASSES.join(", ");
                let msg = format!("unknown title-cue class `{class}` (known: {known})");
                return Err(Error::syntax(path, at(1), msg));
            };
            let words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
            if words.is_empty() {
                let column = class.chars().count() + 2;
                return Err(Error::syntax(path, at(column), "empty phrase"));
            }
            phrases[c].push(words);
        }
        let mut by_last: [FxHashMap<String, Vec<usize>>; 8] = Default::default();
        let mut by_first: [FxHashMap<String, Vec<usize>>; 8] = Default::default();
        for (c, list) in phrases.iter().enumerate() {
            for (i, p) in list.iter().enumerate() {
                by_last[c]
                    .entry(p[p.len() - 1].clone())
                    .or_default()
                    .push(i);
                by_first[c].entry(p[0].clone()).or_default().push(i);
            }
        }
        Ok(TitleCues {
            phrases,
            by_last,
            by_first,
        })
    }

    /// The first phrase of `class` that the words before token `end` (exclusive) end with.
    fn before(&self, doc: &Document, class: usize, end: usize) -> Option<String> {
        let last = doc.norm(end.checked_sub(1)?);
        self.by_last[class]
            .get(last)?
            .iter()
            .map(|&i| &self.phrases[class][i])
            .find(|p| {
                p.len() <= end
                    && p.iter()
                        .zip(end - p.len()..end)
                        .all(|(w, t)| doc.norm(t) == w)
            })
            .map(|p| p.join(" "))
    }

    /// The first phrase of `class` that the words from token `start` begin with.
    fn after(&self, doc: &Document, class: usize, start: usize) -> Option<String> {
        if start >= doc.tokens.len() {
            return None;
        }
        self.by_first[class]
            .get(doc.norm(start))?
            .iter()
            .map(|&i| &self.phrases[class][i])
            .find(|p| {
                start + p.len() <= doc.tokens.len()
                    && p.iter().zip(start..).all(|(w, t)| doc.norm(t) == w)
            })
            .map(|p| p.join(" "))
    }

    /// The first `other-nearby` word among the `NEARBY` tokens from `start`, within `sentence`.
    fn nearby(&self, doc: &Document, start: usize, sentence: usize) -> Option<String> {
        let end = doc.sentences[sentence].tokens.end.min(start + NEARBY);
        (start..end).find_map(|t| {
            self.one_word(OTHER_NEARBY, doc.norm(t))
                .then(|| doc.norm(t).to_string())
        })
    }

    /// True when a word of the token range is a `not-title` word.
    fn holds_non_title_word(&self, doc: &Document, tokens: Range<usize>) -> bool {
        tokens
            .into_iter()
            .any(|t| self.one_word(NOT_TITLE, doc.norm(t)))
    }

    /// True when `word` is a one-word phrase of `class`.
    fn one_word(&self, class: usize, word: &str) -> bool {
        self.by_first[class]
            .get(word)
            .is_some_and(|ids| ids.iter().any(|&i| self.phrases[class][i].len() == 1))
    }
}

/// A title the review may give its film, with its evidence.
#[derive(Debug, Clone)]
pub(super) struct TitleCandidate {
    /// Its name key.
    pub(super) key: String,
    /// Its first mention.
    pub(super) first: usize,
    /// The title as its first mention writes it, with a capitalised article before it
    /// (`The Glass Harbour` where the mention is `Glass Harbour`).
    pub(super) surface: String,
    /// Byte span of [`TitleCandidate::surface`].
    pub(super) span: Range<usize>,
    /// Its score (above [`MIN_SCORE`] to be taken).
    pub(super) score: f32,
    /// Mentions naming it.
    pub(super) count: usize,
    /// The lexicon film a mention of it is linked to.
    pub(super) link: Option<EntryId>,
    /// The year written after it (`X (1995)`).
    pub(super) year: Option<u16>,
    /// Mentions of it that stand where another film is named (`better than X`).
    pub(super) other: usize,
    /// Mentions of it that stand where the reviewed film's title does: before its year,
    /// after `I watched`, before `is a`.
    pub(super) placed: usize,
    /// The cues, for `explain`: (cue, count).
    pub(super) cues: BTreeMap<String, usize>,
}

/// The least score a candidate needs to be the review's title of its film.
pub(super) const MIN_SCORE: f32 = 2.5;

/// The review's title candidates, best first (ties: first named); phrases that are no title
/// are left out. A candidate named as another film more often than not ([`TitleCandidate::is_other`])
/// is kept, last, so the lexicon identification can leave its film out.
pub(super) fn candidates(
    doc: &Document,
    x: &Extraction,
    cues: &TitleCues,
    lexicon: &Lexicon,
) -> Vec<TitleCandidate> {
    // A name of unknown type is a title where one of its mentions stands in a title's
    // place; its other mentions then count too.
    let cued_names: rustc_hash::FxHashSet<String> = x
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name && strongly_cued(doc, m, cues))
        .filter(|m| !person_like(doc, x, m, lexicon))
        .map(|m| name_key(&m.surface))
        .collect();
    let mut by_key: BTreeMap<String, TitleCandidate> = BTreeMap::new();
    for (i, m) in x.mentions.iter().enumerate() {
        let cued_name = m.kind == MentionKind::Name
            && !cued_names.is_empty()
            && cued_names.contains(&name_key(&m.surface));
        if !(m.kind == MentionKind::Film || cued_name) {
            continue;
        }
        let whole;
        let m = match whole_phrase(doc, x, m, cues, lexicon) {
            Phrase::AsFound => m,
            Phrase::Whole(w) => {
                whole = w;
                &whole
            }
            Phrase::Fragment => continue,
        };
        if !looks_like_title(doc, m, cues, lexicon) {
            continue;
        }
        let key = name_key(&m.surface);
        // `"Mongolian"`: a people's name alone is no title.
        if !key.contains(' ') && lexicon.is_demonym(&key) {
            continue;
        }
        let c = by_key.entry(key.clone()).or_insert_with(|| {
            let from = with_article(doc, m, cues);
            let (surface, span) = if from < m.tokens.start {
                let article = doc.surface(from..from + 1);
                (
                    format!("{article} {}", m.surface),
                    doc.span(from..from + 1).start..m.span.end,
                )
            } else {
                (m.surface.clone(), m.span.clone())
            };
            TitleCandidate {
                key,
                first: i,
                surface,
                span,
                score: 0.0,
                count: 0,
                link: None,
                year: None,
                other: 0,
                placed: 0,
                cues: BTreeMap::new(),
            }
        });
        c.count += 1;
        c.link = c.link.or(m.link.map(|l| l.entry));
        score_mention(
            doc,
            m,
            cues,
            film_list_or_filmography(doc, x, lexicon, m)
                .map(str::to_string)
                .or_else(|| other_before_possessive(doc, x, cues, m)),
            c,
        );
    }
    let mut ranked: Vec<TitleCandidate> = by_key.into_values().collect();
    for c in &mut ranked {
        // Each repetition adds, with diminishing weight.
        c.score += (c.count as f32).ln() * 1.5;
    }
    ranked.sort_by(|a, b| {
        (a.is_other().cmp(&b.is_other()))
            .then(b.score.total_cmp(&a.score))
            .then(a.first.cmp(&b.first))
    });
    ranked
}

impl TitleCandidate {
    /// True when the review names it as another film more often than not.
    pub(super) fn is_other(&self) -> bool {
        self.other * 2 > self.count
    }

    /// True when it is the review's title of its film: not another film, score enough.
    pub(super) fn is_taken(&self) -> bool {
        !self.is_other() && self.score >= MIN_SCORE
    }

    /// The cues, as written in provenance: `quoted`, `first sentence`, `named ×3`.
    pub(super) fn cue_list(&self) -> Vec<String> {
        self.cues
            .iter()
            .map(|(c, &n)| {
                if n > 1 {
                    format!("{c} ×{n}")
                } else {
                    c.clone()
                }
            })
            .collect()
    }
}

/// True when a name of unknown type stands where a title does: before `(1995)`, after a
/// `reviewed-before` cue (`I watched X`) or before a `reviewed-after` one (`X is a film`).
fn strongly_cued(doc: &Document, m: &Mention, cues: &TitleCues) -> bool {
    let (start, end, _) = outside_quotes(doc, m.tokens.clone(), cues);
    year_after(doc, end).is_some()
        || cues.before(doc, REVIEWED_BEFORE, start).is_some()
        || cues.after(doc, REVIEWED_AFTER, end).is_some()
}

/// True when a name of unknown type reads as a person's, or may: it opens with a given name
/// (`Tom Hanks is a`), or, of one word, it opens its sentence, the lexicon knows it as a
/// surname or the review writes it as the last word of a longer name (`Hanks` after `Tom
/// Hanks`).
fn person_like(doc: &Document, x: &Extraction, m: &Mention, lexicon: &Lexicon) -> bool {
    let first = doc.norm(m.tokens.start);
    if lexicon.is_given_name(first) {
        return true;
    }
    if m.tokens.len() > 1 {
        return false;
    }
    // A capital that opens a sentence says nothing of a lone word.
    m.tokens.start == doc.sentences[m.sentence].tokens.start
        || lexicon.name_word_counts(first).0 > 0
        || x.mentions.iter().any(|o| {
            matches!(o.kind, MentionKind::Person | MentionKind::Name)
                && o.tokens.len() > 1
                && doc.norm(o.tokens.end - 1) == first
        })
}

/// A title candidate's phrase: the mention as found, the whole phrase it is part of, or a
/// part of a phrase that is no title.
enum Phrase {
    AsFound,
    Whole(Mention),
    Fragment,
}

/// The whole capitalised phrase an unquoted mention ends, when the mention finders cut it:
/// back over capitalised words that do not open the sentence (`The Second Woman`, `Never
/// Say Never Again`), a number and colon (`2001: A Space Odyssey`), and a title's possessive (`The Mummy's Curse`), then an
/// article opening the sentence. A person's possessive (`Hitchcock's Vertigo`) stays out. The
/// longer phrase names another film than the part's lexicon link. A capitalised film noun
/// among the words before (`Film Foundation`, `Lifetime Movie Network`) makes the mention a
/// fragment of a name that is no title.
fn whole_phrase(
    doc: &Document,
    x: &Extraction,
    m: &Mention,
    cues: &TitleCues,
    lexicon: &Lexicon,
) -> Phrase {
    let (start, _, quoted) = outside_quotes(doc, m.tokens.clone(), cues);
    if quoted || start != m.tokens.start {
        return Phrase::AsFound;
    }
    let opens = doc.sentences[m.sentence].tokens.start;
    // The owner of a title's possessive: a film, or a name after an article (`The
    // Ferryman's Revenge`; no person's name takes one).
    let film_ending_at = |t: usize| {
        x.mentions.iter().find(|o| {
            o.tokens.end == t
                && o.sentence == m.sentence
                && (o.kind == MentionKind::Film
                    || (o.kind == MentionKind::Name
                        && o.tokens.start > 0
                        && cues.one_word(ARTICLE, doc.norm(o.tokens.start - 1))))
        })
    };
    let mut from = start;
    while from > opens + 1 {
        let prev = from - 1;
        if doc.tokens[prev].shape == Shape::Capitalized {
            from = prev;
        } else if doc.norm(prev) == ":"
            && doc.tokens[prev - 1].shape == Shape::Number
            && !doc.norm(prev - 1).starts_with('0')
        {
            // `2001: A Space Odyssey`, not a list's `089: Footlight Parade`
            from = prev - 1;
        } else if matches!(doc.norm(prev), "'s" | "\u{2019}s")
            && let Some(owner) = film_ending_at(prev)
        {
            from = owner.tokens.start;
        } else {
            break;
        }
    }
    if from == start {
        return Phrase::AsFound;
    }
    let film_noun = WordClass::THIS_FILM_NOUN | WordClass::OTHER_FILM_NOUN;
    if (from..start).any(|t| lexicon.words().of(doc.norm(t)).has(film_noun)) {
        return Phrase::Fragment;
    }
    if from == opens + 1 && cues.one_word(ARTICLE, doc.norm(opens)) {
        from = opens;
    }
    let tokens = from..m.tokens.end;
    Phrase::Whole(Mention {
        surface: doc.surface(tokens.clone()),
        span: doc.span(tokens.clone()),
        tokens,
        link: None,
        ..m.clone()
    })
}

/// A mention that can be a title: some letters, not a lone short word, no `not-title` word,
/// and no `this film` (`I LOVED THIS FILM` is a reviewer's heading).
fn looks_like_title(doc: &Document, m: &Mention, cues: &TitleCues, lexicon: &Lexicon) -> bool {
    let letters = m.surface.chars().filter(|c| c.is_alphabetic()).count();
    let this_film = m.tokens.clone().skip(1).any(|t| {
        doc.norm(t - 1) == "this"
            && lexicon
                .words()
                .of(doc.norm(t))
                .has(WordClass::THIS_FILM_NOUN)
    });
    letters >= 3 && !this_film && !cues.holds_non_title_word(doc, m.tokens.clone())
}

/// Adds one mention's evidence to its candidate.
fn score_mention(
    doc: &Document,
    m: &Mention,
    cues: &TitleCues,
    other_place: Option<String>,
    c: &mut TitleCandidate,
) {
    let cue = |c: &mut TitleCandidate, name: String, weight: f32| {
        c.score += weight;
        *c.cues.entry(name).or_default() += 1;
    };
    if let Some(place) = other_place {
        c.other += 1;
        cue(c, place, -1.0);
        return;
    }
    let (start, end, quoted) = outside_quotes(doc, m.tokens.clone(), cues);
    let year = year_after(doc, end);
    // The words after a title follow its year: `X (1995) is a film`.
    let end = if year.is_some() { end + 3 } else { end };
    if let Some(p) = cues.before(doc, OTHER_BEFORE, start) {
        c.other += 1;
        cue(c, format!("after `{p}`"), -1.0);
        return;
    }
    if let Some(p) = cues.after(doc, OTHER_AFTER, end) {
        c.other += 1;
        cue(c, format!("before `{p}`"), -1.0);
        return;
    }
    if let Some(w) = cues.nearby(doc, end, m.sentence) {
        c.other += 1;
        cue(c, format!("`{w}` after it"), -1.0);
        return;
    }
    cue(c, "named".into(), 1.0);
    if m.sentence == 0 {
        cue(c, "first sentence".into(), 1.5);
    }
    if quoted {
        cue(c, "quoted".into(), 0.5);
    }
    if let Some(y) = year {
        c.year = c.year.or(Some(y));
        c.placed += 1;
        // Reviews cite other films with their years as often as their own.
        cue(c, "year after it".into(), 0.5);
    }
    if let Some(p) = cues.before(doc, REVIEWED_BEFORE, start) {
        // `I saw X` names the film a review is about in its opening, and past viewings of
        // others later on.
        c.placed += 1;
        cue(c, format!("after `{p}`"), 0.5);
    }
    if let Some(p) = cues.after(doc, REVIEWED_AFTER, end) {
        c.placed += 1;
        cue(c, format!("before `{p}`"), 1.0);
    }
}

/// Where a title stands among other films: in a list of titles (`Boys Meet Girls, Mauvais Sang,
/// Les Amants du Pont Neuf`) or in the bracket after a person's name, their filmography
/// (`Wolfgang Petersen (Das Boot, Air Force One)`). Reviews name the film they review on its
/// own.
fn film_list_or_filmography(
    doc: &Document,
    x: &Extraction,
    lexicon: &Lexicon,
    m: &Mention,
) -> Option<&'static str> {
    let quote = |t: usize| is_quote(doc, t);
    let joint = |t: usize| matches!(doc.norm(t), "," | "and" | "&");
    // A film mention may hold its quotation marks or not.
    let film_ends_at = |t: usize| {
        x.mentions.iter().any(|o| {
            o.kind == MentionKind::Film
                && (o.tokens.end == t || (quote(t - 1) && o.tokens.end + 1 == t))
        })
    };
    let film_starts_at = |t: usize| {
        x.mentions.iter().any(|o| {
            o.kind == MentionKind::Film
                && (o.tokens.start == t || (quote(t) && o.tokens.start == t + 1))
        })
    };
    let sentence = &doc.sentences[m.sentence].tokens;
    let mut before = m.tokens.start;
    if before > sentence.start && quote(before - 1) {
        before -= 1;
    }
    let mut after = m.tokens.end;
    if after < sentence.end && quote(after) {
        after += 1;
    }
    let prev_film = before >= sentence.start + 2 && joint(before - 1) && film_ends_at(before - 1);
    let next_film = after + 1 < sentence.end && joint(after) && {
        let t = after + 1;
        film_starts_at(t) || (t + 1 < sentence.end && doc.norm(t) == "and" && film_starts_at(t + 1))
    };
    // After a title, a list goes on or ends; a verb makes it the subject of a new clause
    // (`"A Mighty Wind", "Best in Show" portrays…`).
    let list_goes_on = after >= sentence.end
        || joint(after)
        || matches!(doc.norm(after), ")" | "." | ";" | "!" | "?");
    if (prev_film && list_goes_on) || next_film {
        return Some("in a list of films");
    }
    // Back to the bracket that holds it, within its sentence.
    let open = (sentence.start..before)
        .rev()
        .take_while(|&t| doc.norm(t) != ")")
        .find(|&t| doc.norm(t) == "(")?;
    let person = x.mentions.iter().any(|o| {
        o.tokens.end == open
            && (o.kind == MentionKind::Person
                || (o.kind == MentionKind::Name && lexicon.is_given_name(doc.norm(o.tokens.start))))
    });
    person.then_some("in a person's bracket")
}

/// An `other-before-owner` cue before a person's possessive before the title: `a remake of
/// Kurosawa's "Yojimbo"`, `better than Hitchcock's Psycho`.
fn other_before_possessive(
    doc: &Document,
    x: &Extraction,
    cues: &TitleCues,
    m: &Mention,
) -> Option<String> {
    let (start, _, _) = outside_quotes(doc, m.tokens.clone(), cues);
    let possessive = start.checked_sub(1)?;
    if doc.norm(possessive) != "'s" {
        return None;
    }
    let owner = x.mentions.iter().find(|o| {
        matches!(o.kind, MentionKind::Person | MentionKind::Name) && o.tokens.end == possessive
    })?;
    cues.before(doc, OTHER_BEFORE_OWNER, owner.tokens.start)
        .map(|p| format!("after `{p}` and a possessive"))
}

/// The first token of a mention with the capitalised article before it (`The`), if any.
fn with_article(doc: &Document, m: &Mention, cues: &TitleCues) -> usize {
    let t = m.tokens.start;
    let article =
        t > 0 && doc.tokens[t - 1].is_upper_initial() && cues.one_word(ARTICLE, doc.norm(t - 1));
    if article { t - 1 } else { t }
}

/// The tokens around a mention, its quotation marks and an article before it included:
/// (first before, first after, whether quotation marks enclose it).
fn outside_quotes(doc: &Document, tokens: Range<usize>, cues: &TitleCues) -> (usize, usize, bool) {
    let quote = |t: usize| is_quote(doc, t);
    let article = |t: usize| cues.one_word(ARTICLE, doc.norm(t));
    // The mention may hold its quotation marks itself.
    let mut quoted = !tokens.is_empty() && quote(tokens.start);
    let mut start = tokens.start;
    if start > 0 && article(start - 1) {
        start -= 1;
    }
    if start > 0 && quote(start - 1) {
        start -= 1;
        quoted = true;
    }
    let end = if tokens.end < doc.tokens.len() && quote(tokens.end) {
        tokens.end + 1
    } else {
        tokens.end
    };
    (start, end, quoted)
}

/// The year of `( 1995 )` at token `t`.
fn year_after(doc: &Document, t: usize) -> Option<u16> {
    if t + 2 < doc.tokens.len() && doc.norm(t) == "(" && doc.norm(t + 2) == ")" {
        let y: u16 = doc.norm(t + 1).parse().ok()?;
        return (1880..=2030).contains(&y).then_some(y);
    }
    None
}

/// True when token `t` is a quotation mark.
fn is_quote(doc: &Document, t: usize) -> bool {
    matches!(doc.norm(t), "\"" | "'" | "`" | "''" | "``")
}
