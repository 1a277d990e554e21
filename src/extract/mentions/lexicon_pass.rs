//! Pass 1, lexicon matches: which matches of lexicon aliases become mentions, longest first
//! so `Sergei Eisenstein` wins over `Eisenstein`. A match's shape in the text (its case, its
//! quotes, a year after it) is computed once; a pure [`accept`] decides per entry whether the
//! text writes it as that kind of name; [`rank`] picks among the accepted kinds; a person
//! then takes a generational suffix (`Jr.`) and a film a subtitle after a colon or a sequel
//! number (`Death Wish 3`).

use super::context::{Cx, LexiconQuery};
use crate::extract::{Link, LinkMethod, MentionKind};
use crate::lexicon::{Entry, EntryId, Kind, Lexicon, LexiconMatch, WordClass};
use crate::text::Shape;
use std::ops::Range;

pub(super) fn run(cx: &mut Cx) {
    let caps_runs = caps_runs(cx);
    let quoted = super::quoted_titles::spans(cx);
    for m in candidates(cx) {
        let r = m.tokens.clone();
        // A lower-case match is a common word (`love`, `crash`) unless it is quoted, before
        // its year, or an award.
        if cx.lower_start(r.start) && !cx.quoted(&r) && !cx.year_after(&r) && !m.names_award {
            continue;
        }
        let Some(shape) = MatchShape::of(cx, &caps_runs, r.clone()) else {
            continue;
        };
        let Some((kind, entry)) = choose(cx.lexicon, m.entries, &shape) else {
            continue;
        };
        let link = link(cx.lexicon, m.entries, entry);
        let (kind, r, link) = extend_generational_suffix(cx, kind, r, link);
        let (r, link) = extend_subtitle(cx, kind, r, link);
        let (r, link) = extend_sequel_number(cx, kind, r, link);
        // A film the lexicon knows is no part of a longer quoted title: `"The Monster Squad"`
        // is not `The Monster`; the quoted-title pass takes the whole.
        if kind == MentionKind::Film
            && quoted
                .iter()
                .any(|q| q.start <= r.start && r.end <= q.end && *q != r)
        {
            continue;
        }
        cx.push(kind, r, link);
    }
}

/// For each token in a run of two or more ALL-CAPS words, that run: a lexicon match must not
/// take part of one (`GLASS` in `THE GLASS HARBOUR`).
fn caps_runs(cx: &Cx) -> Vec<Option<Range<usize>>> {
    let n = cx.n;
    let mut caps_run_of = vec![None::<Range<usize>>; n];
    let mut i = 0;
    while i < n {
        if cx.shape(i) != Shape::AllCaps {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && cx.same_sentence(j, i) && cx.shape(j) == Shape::AllCaps {
            j += 1;
        }
        if j - i >= 2 {
            for slot in &mut caps_run_of[i..j] {
                *slot = Some(i..j);
            }
        }
        i = j;
    }
    caps_run_of
}

/// The lexicon's matches, longest first, then in text order.
fn candidates<'a>(cx: &Cx<'a>) -> Vec<LexiconMatch<'a>> {
    let lexicon: &'a Lexicon = cx.lexicon;
    // Most matches are common words in lower case (`love`, `crash`). Only an award, a quoted
    // title or a title before its year may start with one: the lexicon is not even asked for
    // the rest (it answers for awards itself).
    let years: Vec<usize> = (1..cx.n).filter(|&t| cx.year_after(&(0..t))).collect();
    let reach = lexicon.longest_alias_tokens();
    let may_start = |t: usize| {
        cx.query == LexiconQuery::All
            || !cx.lower_start(t)
            || (t > 0 && cx.norm(t - 1) == "\"")
            || years
                .get(years.partition_point(|&p| p <= t))
                .is_some_and(|&p| p <= t + reach)
    };
    let mut matches = lexicon.find_where(cx.doc, may_start);
    matches.sort_by(|a, b| {
        b.tokens
            .len()
            .cmp(&a.tokens.len())
            .then(a.tokens.start.cmp(&b.tokens.start))
    });
    matches
}

/// How the text writes a lexicon match: what [`accept`] decides on.
#[derive(Debug, Clone, Default, PartialEq)]
struct MatchShape {
    /// The surface text.
    surface: String,
    /// Capitalised first word and at least two words.
    upper_multi: bool,
    /// Capitalised first word.
    upper_start: bool,
    /// One word only.
    single: bool,
    /// Every word capitalised, a name particle or `'s`.
    name_cased: bool,
    /// Every word capitalised, a number, a title small word or a stopword.
    title_cased: bool,
    /// Every word a stopword.
    all_stop: bool,
    /// At least three words, capitalised first, at least half the content words capitalised:
    /// `The Cranes are flying`.
    mostly_capitalised: bool,
    /// A capitalised word (not a stopword before it) next to it in the same sentence.
    capitalised_next_to: bool,
    /// One word, a stopword, opening its sentence.
    opens_sentence_as_stopword: bool,
    /// The first word has three letters or more.
    long_first_word: bool,
    quoted: bool,
    all_caps: bool,
    year_after: bool,
}

impl MatchShape {
    /// The shape of the match at `r`; none when it has no word or splits an ALL-CAPS run.
    fn of(cx: &Cx, caps_runs: &[Option<Range<usize>>], r: Range<usize>) -> Option<MatchShape> {
        let words: Vec<usize> = r.clone().filter(|&t| cx.is_word(t)).collect();
        if words.is_empty() {
            return None;
        }
        let splits_caps_run = |t: usize| {
            caps_runs[t]
                .as_ref()
                .is_some_and(|run| run.start < r.start || run.end > r.end)
        };
        if splits_caps_run(r.start) || splits_caps_run(r.end - 1) {
            return None;
        }
        let upper_start = cx.is_upper(r.start);
        let name_cased = upper_start
            && words.iter().all(|&t| {
                cx.is_upper(t) || cx.has(t, WordClass::NAME_PARTICLE) || cx.norm(t) == "'s"
            });
        let title_cased = upper_start
            && words.iter().all(|&t| {
                cx.is_upper(t)
                    || cx.shape(t) == Shape::Number
                    || cx.has(t, WordClass::TITLE_SMALL_WORD)
                    || cx.is_stopword(t)
            });
        let content: Vec<usize> = words
            .iter()
            .copied()
            .filter(|&t| !cx.has(t, WordClass::TITLE_SMALL_WORD))
            .collect();
        let mostly_capitalised = words.len() >= 3
            && upper_start
            && !content.is_empty()
            && content.iter().filter(|&&t| cx.is_upper(t)).count() * 2 >= content.len();
        let single = words.len() == 1;
        Some(MatchShape {
            surface: cx.doc.surface(r.clone()),
            upper_multi: words.len() >= 2 && upper_start,
            upper_start,
            single,
            name_cased,
            title_cased,
            all_stop: words.iter().all(|&t| cx.is_stopword(t)),
            mostly_capitalised,
            capitalised_next_to: capitalised_next_to(cx, &r),
            opens_sentence_as_stopword: single
                && cx.starts_sentence(r.start)
                && cx.is_stopword(r.start),
            long_first_word: cx.norm(r.start).chars().count() >= 3,
            quoted: cx.quoted(&r),
            all_caps: cx.all_caps(&r),
            year_after: cx.year_after(&r),
        })
    }
}

/// True when a capitalised word stands next to `r` in its sentence: a surname alone inside a
/// longer capitalised name (`Serguei Urusevsky`) is left to the name pass, which matches the
/// whole name. A quoted nickname in between counts: `Charles Augustus 'Slim' Lindbergh`.
fn capitalised_next_to(cx: &Cx, r: &Range<usize>) -> bool {
    let before = if r.start >= 3
        && matches!(cx.norm(r.start - 1), "'" | "\"")
        && cx.norm(r.start - 3) == cx.norm(r.start - 1)
    {
        r.start - 3
    } else {
        r.start
    };
    (before > 0
        && cx.shape(before - 1) == Shape::Capitalized
        && cx.same_sentence(before - 1, r.start)
        && !cx.is_stopword(before - 1))
        || (r.end < cx.n
            && cx.shape(r.end) == Shape::Capitalized
            && cx.same_sentence(r.end, r.start))
}

/// Whether the text writes `entry`'s name the way a name of its kind is written.
fn accept(entry: &Entry, s: &MatchShape) -> bool {
    // Written exactly as the lexicon writes it (`Letyat zhuravli`): the case is right.
    let as_written = s.upper_multi
        && std::iter::once(&entry.label)
            .chain(&entry.aliases)
            .any(|a| crate::text::clean_snippet_cow(a) == s.surface);
    as_written
        || match entry.kind {
            Kind::Person => {
                (!s.single || !s.capitalised_next_to)
                    && s.name_cased
                    && !s.all_stop
                    && !s.opens_sentence_as_stopword
            }
            Kind::Film => {
                !s.all_stop
                    && if s.single {
                        (s.quoted || s.all_caps || s.year_after) && s.long_first_word
                    } else {
                        s.title_cased || s.quoted || s.all_caps || s.mostly_capitalised
                    }
            }
            Kind::Award => true,
            Kind::Festival => s.upper_start,
        }
}

/// The preference among the kinds a match may be, lower first: an award over everything, a
/// person over a film of the same name.
fn rank(kind: MentionKind) -> u8 {
    match kind {
        MentionKind::Award => 0,
        MentionKind::Festival => 1,
        MentionKind::Person => 2,
        _ => 3,
    }
}

fn mention_kind(kind: Kind) -> MentionKind {
    match kind {
        Kind::Person => MentionKind::Person,
        Kind::Film => MentionKind::Film,
        Kind::Award => MentionKind::Award,
        Kind::Festival => MentionKind::Festival,
    }
}

/// The best-ranked accepted entry of a match, and its kind.
fn choose(
    lexicon: &Lexicon,
    entries: &[EntryId],
    shape: &MatchShape,
) -> Option<(MentionKind, EntryId)> {
    let mut chosen: Option<(MentionKind, EntryId)> = None;
    for &e in entries {
        let entry = lexicon.entry(e);
        if accept(entry, shape) {
            let kind = mention_kind(entry.kind);
            if chosen.is_none_or(|(k, _)| rank(kind) < rank(k)) {
                chosen = Some((kind, e));
            }
        }
    }
    chosen
}

/// The link of a match to its chosen entry: none when several entries of that kind share the
/// alias, unless exactly one of them is a generic award category.
fn link(lexicon: &Lexicon, entries: &[EntryId], chosen: EntryId) -> Option<Link> {
    let kind = lexicon.entry(chosen).kind;
    let same_kind: Vec<EntryId> = entries
        .iter()
        .copied()
        .filter(|&e| lexicon.entry(e).kind == kind)
        .collect();
    // An award category shared by several festivals (`best actress`) is the generic
    // category; the festival in context specialises it later.
    let generic_award: Vec<EntryId> = same_kind
        .iter()
        .copied()
        .filter(|&e| lexicon.entry(e).kind == Kind::Award && lexicon.entry(e).festival.is_none())
        .collect();
    let entry = match (same_kind.len(), generic_award.as_slice()) {
        (1, _) => Some(chosen),
        (_, [generic]) => Some(*generic),
        _ => None,
    };
    entry.map(|entry| Link {
        entry,
        method: LinkMethod::Exact,
        score: 1.0,
    })
}

/// `Harry Carey Jr.`: a generational suffix belongs to the name, and the son is not the father
/// the lexicon knows by the shorter name.
fn extend_generational_suffix(
    cx: &Cx,
    kind: MentionKind,
    mut r: Range<usize>,
    link: Option<Link>,
) -> (MentionKind, Range<usize>, Option<Link>) {
    let n = cx.n;
    if kind == MentionKind::Person
        && r.end < n
        && !cx.taken(r.end)
        && cx.has(r.end, WordClass::GENERATIONAL_SUFFIX)
        && cx.is_upper(r.end)
    {
        r.end += 1;
        if r.end < n && cx.norm(r.end) == "." && !cx.taken(r.end) {
            r.end += 1;
        }
        return (MentionKind::Name, r, None);
    }
    (kind, r, link)
}

/// `The Exorcist: The Beginning` is another film than `The Exorcist`: a film takes a
/// capitalised subtitle after a colon, and loses its link.
fn extend_subtitle(
    cx: &Cx,
    kind: MentionKind,
    mut r: Range<usize>,
    link: Option<Link>,
) -> (Range<usize>, Option<Link>) {
    let n = cx.n;
    if kind == MentionKind::Film
        && r.end + 1 < n
        && cx.norm(r.end) == ":"
        && cx.is_upper(r.end + 1)
        && cx.same_sentence(r.end + 1, r.start)
    {
        let mut end = r.end + 2;
        while end < n
            && cx.same_sentence(end, r.start)
            && !cx.taken(end)
            && (cx.is_upper(end)
                || cx.has(end, WordClass::TITLE_SMALL_WORD) && end + 1 < n && cx.is_upper(end + 1))
        {
            end += 1;
        }
        if !cx.any_taken(r.end..end) {
            r.end = end;
            return (r, None);
        }
    }
    (r, link)
}

/// `Death Wish 3` is another film than `Death Wish`: a film takes a sequel number after it,
/// and loses its link.
fn extend_sequel_number(
    cx: &Cx,
    kind: MentionKind,
    r: Range<usize>,
    link: Option<Link>,
) -> (Range<usize>, Option<Link>) {
    if kind == MentionKind::Film
        && r.end < cx.n
        && !cx.taken(r.end)
        && cx.same_sentence(r.end, r.start)
        && super::numbered_titles::sequel_number_at(cx, r.end)
    {
        return (r.start..r.end + 1, None);
    }
    (r, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, label: &str) -> Entry {
        let lexicon = Lexicon::from_str(&format!(
            "kind\tid\tlabel\n{}\tlocal:x\t{label}\n",
            match kind {
                Kind::Person => "person",
                Kind::Film => "film",
                Kind::Award => "award",
                Kind::Festival => "festival",
            }
        ))
        .expect("lexicon");
        lexicon.entry(0).clone()
    }

    #[test]
    fn a_lone_film_word_needs_quotes_capitals_or_a_year() {
        let film = entry(Kind::Film, "Crash");
        let plain = MatchShape {
            surface: "Crash".into(),
            upper_start: true,
            single: true,
            long_first_word: true,
            title_cased: true,
            ..MatchShape::default()
        };
        assert!(!accept(&film, &plain));
        assert!(accept(
            &film,
            &MatchShape {
                quoted: true,
                ..plain.clone()
            }
        ));
        assert!(accept(
            &film,
            &MatchShape {
                year_after: true,
                ..plain
            }
        ));
    }

    #[test]
    fn a_lone_surname_next_to_a_capitalised_word_is_left_to_the_names() {
        let person = entry(Kind::Person, "Sergei Urusevsky");
        let shape = MatchShape {
            surface: "Urusevsky".into(),
            upper_start: true,
            single: true,
            name_cased: true,
            ..MatchShape::default()
        };
        assert!(accept(&person, &shape));
        let next_to = MatchShape {
            capitalised_next_to: true,
            ..shape
        };
        assert!(!accept(&person, &next_to));
        assert!(rank(MentionKind::Award) < rank(MentionKind::Person));
        assert!(rank(MentionKind::Person) < rank(MentionKind::Film));
    }
}
