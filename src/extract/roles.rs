//! Document-level role resolution: after the rules, a person the review names but no rule
//! placed gets the role the words around its names speak of. Each cue phrase of the rule
//! directory's `.cues` files (`performance`, `camera work`) near a name adds its weight to that
//! person's score for the cue's relation, once per phrase, over the whole review; a list of
//! names ("A, B and C were wasted") shares a cue; the lexicon's record of what the person did
//! adds the profession weights; a relation reaching the threshold becomes a fact. A clause that
//! names another film credits that film when it says "in TITLE", and nobody otherwise; a
//! blocker (negation, hypothesis) between cue and name cancels the cue. The fact's rule id is
//! `role.RELATION`, followed by the cue phrases that decided it.

use super::{Arg, Fact, Mention, MentionKind};
use crate::lexicon::{Kind, Lexicon, WordClass};
use crate::model::Relation;
use crate::rules::RoleCues;
use crate::text::{Document, normalize_word};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;
use std::ops::Range;

/// Words after which a title is the film a clause speaks of ("her role in Night Train").
const IN_TITLE: [&str; 3] = ["in", "from", "of"];

/// Tokens a cue does not reach across.
const BARRIERS: [&str; 3] = [";", ":", "--"];

/// How many tokens after a `role-after` cue a "by" turns it to the name after it.
const BY_REACH: usize = 5;

/// Tokens that join the names of a list.
const LIST_JOINS: [&str; 4] = [",", "and", "&", "or"];

/// One cue found near a person.
struct Hit {
    relation: Relation,
    weight: f32,
    phrase: String,
    film: Arg,
    sentence: usize,
    span: Range<usize>,
    mention: usize,
}

/// The people of a review no rule placed, each with the mentions naming them.
struct Candidates {
    /// Mention index -> person key (a surname joins the full name it ends).
    key_of: BTreeMap<usize, String>,
    /// Name mentions that do not start with a given name.
    unsure: HashSet<usize>,
    /// Every word of a name a rule used.
    placed: HashSet<String>,
    /// Every word of the review's multi-word person names.
    person_words: HashSet<String>,
}

/// Facts for the people of the review the rules left without a role.
pub(super) fn resolve_roles(
    doc: &Document,
    mentions: &[Mention],
    facts: &[Fact],
    lexicon: &Lexicon,
    cues: &RoleCues,
) -> Vec<Fact> {
    if cues.is_empty() {
        return Vec::new();
    }
    let candidates = Candidates::of(mentions, facts, lexicon);
    let main_titles = main_titles(mentions);
    let mut hits = Vec::new();
    // Mentions are in text order: each sentence's are a run.
    let mut first = 0;
    while first < mentions.len() {
        let si = mentions[first].sentence;
        let end = first + mentions[first..].partition_point(|m| m.sentence == si);
        if (first..end).any(|i| candidates.key_of.contains_key(&i)) {
            let s = SentenceView::new(doc, mentions, first..end, cues, &main_titles, si);
            sentence_hits(&s, &candidates, cues, si, &mut hits);
        }
        first = end;
    }
    let mut facts = decide(mentions, &candidates, lexicon, cues, hits);
    facts.extend(plot_characters(doc, mentions, &candidates, lexicon, cues));
    facts
}

impl Candidates {
    fn of(mentions: &[Mention], facts: &[Fact], lexicon: &Lexicon) -> Self {
        // The words of every person or name mention, once.
        let all_words: Vec<Vec<String>> = mentions
            .iter()
            .map(|m| {
                if !matches!(m.kind, MentionKind::Person | MentionKind::Name) {
                    return Vec::new();
                }
                m.surface
                    .split_whitespace()
                    .map(normalize_word)
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .collect()
            })
            .collect();
        // Every word of a name a rule used: its bearer (or a namesake character) is placed.
        let mut placed: HashSet<String> = HashSet::default();
        for f in facts {
            for arg in [f.subject, f.object] {
                if let Arg::Mention(m) = arg {
                    placed.extend(all_words[m].iter().cloned());
                }
            }
        }
        let mut key_of = BTreeMap::new();
        let mut unsure = HashSet::default();
        let mut full: Vec<Vec<String>> = Vec::new();
        let person_words: HashSet<String> = all_words
            .iter()
            .filter(|w| w.len() >= 2)
            .flatten()
            .cloned()
            .collect();
        for (i, m) in mentions.iter().enumerate() {
            let w = &all_words[i];
            let is_person = match m.kind {
                MentionKind::Person => m
                    .link
                    .is_none_or(|l| lexicon.entry(l.entry).kind == Kind::Person),
                // An unknown name is a person's less surely when it does not start with a
                // given name ("Rocket Boys", "Chicago Tabloid", but also "Temuera Morrison"):
                // it pays the `unknown-name` setting.
                MentionKind::Name => {
                    if !lexicon.is_given_name(&w[0]) {
                        unsure.insert(i);
                    }
                    w.len() >= 2 && !organisation(lexicon, w)
                }
                _ => false,
            };
            if !is_person || w.is_empty() || w.iter().any(|x| placed.contains(x)) {
                continue;
            }
            if w.len() >= 2 {
                full.push(w.clone());
            }
            key_of.insert(i, w.join(" "));
        }
        // A lone word takes the key of the full name it ends or starts.
        for key in key_of.values_mut() {
            if !key.contains(' ')
                && let Some(f) = full
                    .iter()
                    .find(|f| f.last() == Some(key) || f.first() == Some(key))
            {
                *key = f.join(" ");
            }
        }
        Candidates {
            key_of,
            unsure,
            placed,
            person_words,
        }
    }
}

fn organisation(lexicon: &Lexicon, words: &[String]) -> bool {
    words
        .last()
        .is_some_and(|w| lexicon.words().of(w).has(WordClass::ORGANISATION_WORD))
}

/// The token range a phrase (first word at `t`, then `rest`) covers, when it is there.
fn phrase_at(doc: &Document, t: usize, end: usize, rest: &[String]) -> Option<Range<usize>> {
    let stop = t + 1 + rest.len();
    (stop <= end
        && rest
            .iter()
            .enumerate()
            .all(|(k, w)| doc.norm(t + 1 + k) == w))
    .then_some(t..stop)
}

/// The titles that name the reviewed film as far as this stage can tell: those the review
/// repeats, or gives in its first sentence (the others are other films).
fn main_titles(mentions: &[Mention]) -> HashSet<String> {
    let mut count: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Film) {
        let c = count.entry(normalize_word(&m.surface)).or_default();
        c.0 += 1;
        c.1 |= m.sentence == 0;
    }
    count
        .into_iter()
        .filter(|(_, (n, first))| *n >= 2 || *first)
        .map(|(k, _)| k)
        .collect()
}

/// The cues of sentence `si`, each given to the person it is nearest to.
fn sentence_hits(
    s: &SentenceView<'_>,
    candidates: &Candidates,
    cues: &RoleCues,
    si: usize,
    hits: &mut Vec<Hit>,
) {
    let (doc, mentions) = (s.doc, s.mentions);
    let range = doc.sentences[si].tokens.clone();
    let people: Vec<usize> = s
        .own
        .clone()
        .filter(|&i| matches!(mentions[i].kind, MentionKind::Person | MentionKind::Name))
        .collect();
    if s.other_film_unplaced {
        return;
    }
    bracket_hits(s, &people, candidates, cues, si, hits);
    for t in range.clone() {
        for cue in cues.cues_at(doc.norm(t), doc.norm_hash(t)) {
            let Some(cue_tokens) = phrase_at(doc, t, range.end, &cue.rest) else {
                continue;
            };
            // "played by X", "score by X": the name after "by" is the one the cue speaks of;
            // "Hutz, playing Alex": the name after a `role-after` cue is the role, not the
            // player, so the cue speaks of a name before it.
            // After a `role-after` cue, "by" may come a few words on: "played, poorly, by X".
            let role_after = cues.names_role_after(&cue.phrase);
            let reach = if role_after { BY_REACH } else { 1 };
            let by = (cue_tokens.end..(cue_tokens.end + reach).min(range.end))
                .any(|t| doc.norm(t) == "by");
            let role_after = role_after && !by;
            let side: Vec<usize>;
            let people = if by || role_after {
                side = people
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let m = &mentions[i].tokens;
                        if by {
                            m.start >= cue_tokens.end
                        } else {
                            m.end <= cue_tokens.start
                        }
                    })
                    .collect();
                &side
            } else {
                &people
            };
            let Some(nearest) = s.nearest(people, &cue_tokens, cues.window()) else {
                continue;
            };
            // "actors playing the Rocket Boys": a name after a `role-after` cue is the role.
            let role_between = (cue_tokens.end..mentions[nearest].tokens.start)
                .any(|t| cues.names_role_after(doc.norm(t)));
            if role_between || s.blocked(&mentions[nearest], &cue_tokens) {
                continue;
            }
            let list = s.list_of(people, nearest);
            // A name a rule placed carries the cue on only in a long list ("a cast which
            // includes A, B, C and D", A placed by a rule elsewhere); two or three names
            // joined are as often a pair of characters or a comparison.
            if !candidates.key_of.contains_key(&nearest) && list.len() < 4 {
                continue;
            }
            for m in list {
                if candidates.key_of.contains_key(&m) {
                    hits.push(Hit {
                        relation: cue.relation,
                        weight: cue.weight,
                        phrase: cue.phrase.clone(),
                        film: s.film,
                        sentence: si,
                        span: doc.span(cue_tokens.clone()),
                        mention: m,
                    });
                }
            }
        }
    }
}

/// A name (or list of names) that opens a bracket after other words, as reviews give the
/// actor of a role they describe: "his niece (Stephanie Beacham)".
fn bracket_hits(
    s: &SentenceView<'_>,
    people: &[usize],
    candidates: &Candidates,
    cues: &RoleCues,
    si: usize,
    hits: &mut Vec<Hit>,
) {
    let Some((relation, weight)) = cues.structure("bracket") else {
        return;
    };
    let start = s.doc.sentences[si].tokens.start;
    for &m in people {
        let t = s.mentions[m].tokens.start;
        if t <= start + 1 || s.doc.norm(t - 1) != "(" || !candidates.key_of.contains_key(&m) {
            continue;
        }
        for m in s.list_of(people, m) {
            if candidates.key_of.contains_key(&m) {
                hits.push(Hit {
                    relation,
                    weight,
                    phrase: "(".into(),
                    film: s.film,
                    sentence: si,
                    span: s.doc.span(t - 1..t),
                    mention: m,
                });
            }
        }
    }
}

/// What the role stage reads of one sentence.
struct SentenceView<'a> {
    doc: &'a Document,
    mentions: &'a [Mention],
    /// The indices of the sentence's own mentions.
    own: Range<usize>,
    /// Tokens of negation and hypothesis.
    blockers: Vec<usize>,
    /// The film its cues credit: the reviewed one, or a title after "in".
    film: Arg,
    /// True when it speaks of another film without saying which.
    other_film_unplaced: bool,
}

impl<'a> SentenceView<'a> {
    fn new(
        doc: &'a Document,
        mentions: &'a [Mention],
        own: Range<usize>,
        cues: &RoleCues,
        main_titles: &HashSet<String>,
        si: usize,
    ) -> Self {
        let range = doc.sentences[si].tokens.clone();
        let mut blockers = Vec::new();
        let mut other_film = false;
        for t in range.clone() {
            for b in cues.blockers_at(doc.norm(t), doc.norm_hash(t)) {
                if phrase_at(doc, t, range.end, &b.rest).is_some() {
                    if b.other_film {
                        other_film = true;
                    } else {
                        blockers.push(t);
                    }
                }
            }
        }
        let titles: Vec<usize> = own
            .clone()
            .filter(|&i| mentions[i].kind == MentionKind::Film)
            .collect();
        let other_title = titles
            .iter()
            .any(|&i| !main_titles.contains(&normalize_word(&mentions[i].surface)));
        let placed = titles.iter().copied().find(|&i| {
            let start = mentions[i].tokens.start;
            start > range.start && IN_TITLE.contains(&doc.norm(start - 1))
        });
        let film = placed.map_or(Arg::ReviewedFilm, Arg::Mention);
        SentenceView {
            doc,
            mentions,
            own,
            blockers,
            film,
            other_film_unplaced: placed.is_none() && (other_film || other_title),
        }
    }

    /// The person mention nearest to the cue, within `window` tokens and no barrier between;
    /// on a tie, the one before the cue (the subject).
    fn nearest(&self, people: &[usize], cue: &Range<usize>, window: usize) -> Option<usize> {
        people
            .iter()
            .copied()
            .filter_map(|i| {
                let m = &self.mentions[i].tokens;
                let (from, to, after) = if m.end <= cue.start {
                    (m.end, cue.start, 0)
                } else if cue.end <= m.start {
                    (cue.end, m.start, 1)
                } else {
                    return None;
                };
                // A bracket between them is skipped (an aside); one around only one of them, or
                // a semicolon, separates them.
                let (mut gap, mut depth, mut crosses) = (0, 0i32, false);
                for t in from..to {
                    match self.doc.norm(t) {
                        "(" => depth += 1,
                        ")" => depth -= 1,
                        w if BARRIERS.contains(&w) => crosses = true,
                        _ if depth == 0 => gap += 1,
                        _ => {}
                    }
                }
                crosses |= depth != 0;
                (gap <= window && !crosses).then_some((gap, after, i))
            })
            .min()
            .map(|(_, _, i)| i)
    }

    /// True when a negation, hypothesis or comparison stands between the cue and the name, or
    /// just before or after the name ("a Johnny Depp wanna-be").
    fn blocked(&self, m: &Mention, cue: &Range<usize>) -> bool {
        let from = m.tokens.start.min(cue.start).saturating_sub(2);
        let to = (m.tokens.end + 2).max(cue.end);
        self.blockers.iter().any(|t| (from..to).contains(t))
    }

    /// The names listed with `m` ("A, B and C"): itself and its neighbours joined by commas
    /// and "and".
    fn list_of(&self, people: &[usize], m: usize) -> Vec<usize> {
        let pos = people.iter().position(|&p| p == m).unwrap_or(0);
        // Joined by commas and "and", maybe with a few lower-case words of praise after the
        // joint: "A, the incredibly beautiful B, and C".
        let joined = |a: usize, b: usize| {
            let (a, b) = (&self.mentions[a].tokens, &self.mentions[b].tokens);
            if a.end >= b.start || !LIST_JOINS.contains(&self.doc.norm(a.end)) {
                return false;
            }
            let words = (a.end..b.start)
                .filter(|&t| !LIST_JOINS.contains(&self.doc.norm(t)))
                .collect::<Vec<_>>();
            words.len() <= 3
                && words
                    .iter()
                    .all(|&t| self.doc.tokens[t].shape == crate::text::Shape::Lower)
        };
        let mut first = pos;
        while first > 0 && joined(people[first - 1], people[first]) {
            first -= 1;
        }
        let mut last = pos;
        while last + 1 < people.len() && joined(people[last], people[last + 1]) {
            last += 1;
        }
        people[first..=last].to_vec()
    }
}

/// Sums each person's cues over the review (a phrase once per person and relation), adds the
/// lexicon's professions, and keeps the best relation that reaches the threshold.
fn decide(
    mentions: &[Mention],
    candidates: &Candidates,
    lexicon: &Lexicon,
    cues: &RoleCues,
    hits: Vec<Hit>,
) -> Vec<Fact> {
    // (person key, relation, film) -> hits.
    let mut by_person: BTreeMap<(&str, Relation, Arg), Vec<Hit>> = BTreeMap::new();
    for h in hits {
        let key = candidates.key_of[&h.mention].as_str();
        by_person
            .entry((key, h.relation, h.film))
            .or_default()
            .push(h);
    }
    let mut best: BTreeMap<(&str, Arg), (f32, Relation, Vec<Hit>)> = BTreeMap::new();
    for ((key, relation, film), mut hs) in by_person {
        hs.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(a.sentence.cmp(&b.sentence))
        });
        let mut seen = HashSet::default();
        hs.retain(|h| seen.insert(h.phrase.clone()));
        let mut score: f32 = hs.iter().map(|h| h.weight).sum();
        if hs.iter().all(|h| candidates.unsure.contains(&h.mention)) {
            score += cues.unknown_name_weight();
        }
        if let Some(link) = hs.iter().find_map(|h| mentions[h.mention].link) {
            for role in &lexicon.entry(link.entry).roles {
                score += cues.profession_weight(relation, role);
            }
        }
        if score < cues.threshold() {
            continue;
        }
        let slot = best
            .entry((key, film))
            .or_insert((f32::MIN, relation, Vec::new()));
        if score > slot.0 {
            *slot = (score, relation, hs);
        }
    }
    let mut facts: Vec<Fact> = best
        .into_iter()
        .map(|((_, film), (score, relation, hs))| fact(mentions, cues, film, score, relation, &hs))
        .collect();
    facts.sort_by_key(|f| (f.sentence, f.span.start));
    facts
}

fn fact(
    mentions: &[Mention],
    cues: &RoleCues,
    film: Arg,
    score: f32,
    relation: Relation,
    hs: &[Hit],
) -> Fact {
    let h = &hs[0];
    let m = &mentions[h.mention];
    let phrases: Vec<&str> = hs.iter().map(|h| h.phrase.as_str()).collect();
    // Just past the threshold is a guess; twice the threshold is as sure as a rule.
    let margin = ((score - cues.threshold()) / cues.threshold().max(0.01)).clamp(0.0, 1.0);
    Fact {
        subject: film,
        relation,
        object: Arg::Mention(h.mention),
        rule: format!("role.{}:{}", relation.key(), phrases.join("+")),
        confidence: 0.55 + 0.25 * margin,
        sentence: h.sentence,
        span: m.span.start.min(h.span.start)..m.span.end.max(h.span.end),
    }
}

/// Characters named only in plot narration: a one-word name that is a known first name (not a
/// place), no person's name in the review and no rule's argument, which acts in the plot
/// ("Tomas hides in the barn"), has a role apposition ("Tomas, a deserter,"), owns something
/// ("Tomas's plan"), speaks a quoted line ("Tomas: Get out!") or recurs. Each kind of
/// evidence counts once, with its `structure` weight.
fn plot_characters(
    doc: &Document,
    mentions: &[Mention],
    candidates: &Candidates,
    lexicon: &Lexicon,
    cues: &RoleCues,
) -> Vec<Fact> {
    // name -> (first mention, evidence kinds seen, best evidence mention)
    let mut seen: BTreeMap<String, (usize, Vec<&'static str>, usize)> = BTreeMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.kind != MentionKind::Name || m.tokens.len() != 1 {
            continue;
        }
        let word = doc.norm(m.tokens.start);
        // A place that is a given name too (`India`, `China`) is no character.
        if candidates.person_words.contains(word)
            || candidates.placed.contains(word)
            || !lexicon.is_given_name(word)
            || lexicon.words().of(word).has(WordClass::NOT_A_PERSON)
        {
            continue;
        }
        let entry = seen.entry(word.to_string()).or_insert((i, Vec::new(), i));
        for kind in plot_evidence(doc, m, cues) {
            if !entry.1.contains(&kind) {
                entry.1.push(kind);
                entry.2 = i;
            }
        }
        if entry.0 != i && !entry.1.contains(&"recurring") {
            entry.1.push("recurring");
        }
    }
    let mut facts = Vec::new();
    for (_, (_, mut kinds, at)) in seen {
        kinds.sort_unstable();
        let score: f32 = kinds
            .iter()
            .filter_map(|k| cues.structure(k))
            .filter(|(r, _)| *r == Relation::Character)
            .map(|(_, w)| w)
            .sum();
        if kinds.is_empty() || score < cues.threshold() {
            continue;
        }
        let m = &mentions[at];
        facts.push(Fact {
            subject: Arg::ReviewedFilm,
            relation: Relation::Character,
            object: Arg::Mention(at),
            rule: format!("role.character:{}", kinds.join("+")),
            confidence: 0.55,
            sentence: m.sentence,
            span: m.span.clone(),
        });
    }
    facts
}

/// The kinds of plot evidence around one mention of a name.
fn plot_evidence(doc: &Document, m: &Mention, cues: &RoleCues) -> Vec<&'static str> {
    let end = doc.sentences[m.sentence].tokens.end;
    let next = |k: usize| (m.tokens.end + k < end).then(|| &doc.tokens[m.tokens.end + k]);
    let mut kinds = Vec::new();
    if let Some(t) = next(0) {
        let w = doc.norm_of(t);
        let verb_like = t.shape == crate::text::Shape::Lower
            && w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !cues.is_not_verb(w);
        if verb_like {
            kinds.push("narrative-verb");
        }
        if w == "'s" && next(1).is_some_and(|t| t.shape == crate::text::Shape::Lower) {
            kinds.push("possessive");
        }
        if w == "," && next(1).is_some_and(|t| matches!(doc.norm_of(t), "a" | "an" | "the")) {
            kinds.push("apposition");
        }
        if w == ":" && next(1).is_some() && opens_a_line(doc, m) {
            kinds.push("speaker");
        }
    }
    kinds
}

/// True when nothing but punctuation comes before the mention in its sentence (`Pascal: Jesus,
/// Buckman!`, `My favorite scene: Pascal: ...`): a speaker's label in quoted dialogue.
fn opens_a_line(doc: &Document, m: &Mention) -> bool {
    let start = doc.sentences[m.sentence].tokens.start;
    m.tokens.start == start
        || matches!(
            doc.norm(m.tokens.start - 1),
            ":" | "\"" | "'" | "." | "!" | "?" | ")" | "-"
        )
}
