//! The mention stage: tokens plus the lexicon give [`Mention`]s.

use super::{Link, LinkMethod, Mention, MentionKind};
use crate::lexicon::{EntryId, Kind, Lexicon};
use crate::text::{Document, Shape, Token, WordTable};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// Nouns that make `this film` / `the movie` a reference to the reviewed film.
const THIS_FILM_NOUNS: &[&str] = &["film", "movie", "picture"];
/// Other nouns that announce a film title (`the documentary Grey Gardens`).
const OTHER_FILM_NOUNS: &[&str] = &["flick", "classic", "documentary"];
/// Other nouns after which a Title Case phrase is a title (of a source work, a remake...).
const OTHER_TITLE_CUES: &[&str] = &[
    "novel", "book", "play", "novella", "musical", "remake", "sequel", "prequel",
];
/// Determiners of `this film` / `the movie`.
const THIS_FILM_DETERMINERS: &[&str] = &["this", "the"];
/// Lower-case words allowed inside names and titles.
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "dos", "das",
    "bin", "al", "el", "y", "ter", "ten",
];
/// Titles that may open a name (`Dr. Locksley Hall`, `Mrs. Lovett`), with or without a full
/// stop.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "lady",
    "lord",
    "dame",
    "prof",
    "professor",
    "captain",
    "capt",
    "colonel",
    "col",
    "general",
    "gen",
    "sergeant",
    "sgt",
    "lieutenant",
    "lt",
    "detective",
    "inspector",
    "father",
    "sister",
    "brother",
    "uncle",
    "aunt",
    "king",
    "queen",
    "prince",
    "princess",
    "count",
    "countess",
    "baron",
    "duke",
    "judge",
    "sheriff",
    "agent",
    "officer",
    "major",
    "reverend",
    "rev",
    "saint",
    "st",
];
/// Small words of titles (`Ivan the Terrible`).
const TITLE_SMALL_WORDS: &[&str] = &[
    "the", "of", "a", "an", "and", "in", "on", "at", "to", "for", "with", "from", "is", "are",
    "or", "by", "as",
];
/// Pronouns that stand for a person named before.
const PERSON_PRONOUNS: &[&str] = &["he", "she"];
/// Quotation marks around titles (normal forms).
const QUOTES: &[&str] = &["\"", "'"];

/// The classes of the word lists above, as bits of a token's class mask.
mod word_class {
    pub const THIS_FILM_NOUN: u16 = 1;
    /// Any film noun (the `this film` nouns included).
    pub const FILM_NOUN: u16 = 1 << 1;
    pub const OTHER_TITLE_CUE: u16 = 1 << 2;
    pub const THIS_FILM_DETERMINER: u16 = 1 << 3;
    pub const NAME_PARTICLE: u16 = 1 << 4;
    pub const HONORIFIC: u16 = 1 << 5;
    pub const TITLE_SMALL_WORD: u16 = 1 << 6;
    pub const PERSON_PRONOUN: u16 = 1 << 7;
    pub const QUOTE: u16 = 1 << 8;
}

/// The word lists as one table from a word to its class mask, built on first use.
fn word_classes() -> &'static (WordTable, Vec<u16>) {
    static TABLE: std::sync::OnceLock<(WordTable, Vec<u16>)> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let lists: [(&[&str], u16); 9] = [
            (
                THIS_FILM_NOUNS,
                word_class::THIS_FILM_NOUN | word_class::FILM_NOUN,
            ),
            (OTHER_FILM_NOUNS, word_class::FILM_NOUN),
            (OTHER_TITLE_CUES, word_class::OTHER_TITLE_CUE),
            (THIS_FILM_DETERMINERS, word_class::THIS_FILM_DETERMINER),
            (NAME_PARTICLES, word_class::NAME_PARTICLE),
            (HONORIFICS, word_class::HONORIFIC),
            (TITLE_SMALL_WORDS, word_class::TITLE_SMALL_WORD),
            (PERSON_PRONOUNS, word_class::PERSON_PRONOUN),
            (QUOTES, word_class::QUOTE),
        ];
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut masks: Vec<u16> = Vec::new();
        for (list, bits) in lists {
            for &word in list {
                let id = *ids.entry(word).or_insert_with(|| {
                    masks.push(0);
                    masks.len() as u32 - 1
                });
                masks[id as usize] |= bits;
            }
        }
        (WordTable::new(ids.into_iter()), masks)
    })
}

/// The class mask of every token of a document: one table probe a token, by the hash the
/// tokeniser kept, instead of string comparisons in every pass of the mention finder.
fn token_classes(doc: &Document) -> Vec<u16> {
    let (table, masks) = word_classes();
    (0..doc.tokens.len())
        .map(|t| {
            table
                .get(doc.norm(t), doc.norm_hash(t))
                .map_or(0, |id| masks[id as usize])
        })
        .collect()
}

/// Finds the mentions of a document.
///
/// ```
/// use cinegraph::{extract::{find_mentions, MentionKind}, lexicon::Lexicon, text::Document};
/// let doc = Document::new("Eisenstein's IVAN THE TERRIBLE was released in 1944.");
/// let mentions = find_mentions(&doc, &Lexicon::default());
/// let kinds: Vec<_> = mentions.iter().map(|m| (m.kind, m.surface.as_str())).collect();
/// assert_eq!(kinds, [
///     (MentionKind::Name, "Eisenstein"),
///     (MentionKind::Film, "IVAN THE TERRIBLE"),
///     (MentionKind::Year, "1944"),
/// ]);
/// ```
pub fn find_mentions(doc: &Document, lexicon: &Lexicon) -> Vec<Mention> {
    find_mentions_with(doc, lexicon, true)
}

/// [`find_mentions`], asking the lexicon only for the matches it may keep when
/// `lexicon_start_filter` is set (the tests compare both ways).
pub(crate) fn find_mentions_with(
    doc: &Document,
    lexicon: &Lexicon,
    lexicon_start_filter: bool,
) -> Vec<Mention> {
    let n = doc.tokens.len();
    let classes = token_classes(doc);
    let has = |t: usize, mask: u16| classes[t] & mask != 0;
    let mut taken = vec![false; n];
    let mut sentence_of = vec![0usize; n];
    let mut sentence_start = vec![false; n];
    for (si, s) in doc.sentences.iter().enumerate() {
        for t in s.tokens.clone() {
            sentence_of[t] = si;
        }
        if s.tokens.start < n {
            // The first word of a sentence, after any opening quote or bracket.
            let first = s
                .tokens
                .clone()
                .find(|&t| doc.tokens[t].shape != Shape::Punct)
                .unwrap_or(s.tokens.start);
            sentence_start[first] = true;
        }
    }
    let mut mentions: Vec<Mention> = Vec::new();
    let push = |mentions: &mut Vec<Mention>,
                taken: &mut Vec<bool>,
                kind: MentionKind,
                range: Range<usize>,
                link: Option<Link>| {
        if range.is_empty() || taken[range.clone()].iter().any(|&t| t) {
            return false;
        }
        for t in range.clone() {
            taken[t] = true;
        }
        mentions.push(Mention {
            kind,
            span: doc.span(range.clone()),
            surface: doc.surface(range.clone()),
            sentence: sentence_of[range.start],
            tokens: range,
            link,
            class: kind.letter(),
            festival: None,
        });
        true
    };

    let is_upper = |t: usize| doc.tokens[t].is_upper_initial();
    let is_word = |t: usize| doc.tokens[t].shape != Shape::Punct;
    let quoted = |r: &Range<usize>| {
        r.start > 0 && r.end < n && doc.norm(r.start - 1) == "\"" && doc.norm(r.end) == "\""
    };
    let all_caps = |r: &Range<usize>| {
        r.clone()
            .filter(|&t| is_word(t))
            .all(|t| doc.tokens[t].shape == Shape::AllCaps || doc.tokens[t].shape == Shape::Number)
    };

    // Runs of ALL-CAPS words: a lexicon match must not take part of one (`GLASS` in
    // `THE GLASS HARBOUR`).
    let mut caps_run_of = vec![None::<Range<usize>>; n];
    let mut i = 0;
    while i < n {
        if doc.tokens[i].shape != Shape::AllCaps {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && sentence_of[j] == sentence_of[i] && doc.tokens[j].shape == Shape::AllCaps {
            j += 1;
        }
        if j - i >= 2 {
            for slot in &mut caps_run_of[i..j] {
                *slot = Some(i..j);
            }
        }
        i = j;
    }

    // 1. Lexicon matches, longest first so `Sergei Eisenstein` wins over `Eisenstein`.
    let year_after = |r: &Range<usize>| {
        r.end + 2 < n && doc.norm(r.end) == "(" && doc.tokens[r.end + 1].shape == Shape::Number
    };
    let lower_start = |t: usize| matches!(doc.tokens[t].shape, Shape::Lower | Shape::Other);
    // Most matches are common words in lower case (`love`, `crash`). Only an award, a quoted
    // title or a title before its year may start with one: the lexicon is not even asked for
    // the rest (it answers for awards itself).
    let years: Vec<usize> = (1..n).filter(|&t| year_after(&(0..t))).collect();
    let reach = lexicon.longest_alias_tokens();
    let may_start = |t: usize| {
        !lexicon_start_filter
            || !lower_start(t)
            || (t > 0 && doc.norm(t - 1) == "\"")
            || years
                .get(years.partition_point(|&p| p <= t))
                .is_some_and(|&p| p <= t + reach)
    };
    let mut lex_matches = lexicon.find_where(doc, may_start);
    lex_matches.sort_by(|a, b| {
        b.tokens
            .len()
            .cmp(&a.tokens.len())
            .then(a.tokens.start.cmp(&b.tokens.start))
    });
    for m in lex_matches {
        let r = m.tokens.clone();
        if lower_start(r.start) && !quoted(&r) && !year_after(&r) && !m.names_award {
            continue;
        }
        let words: Vec<usize> = r.clone().filter(|&t| is_word(t)).collect();
        if words.is_empty() {
            continue;
        }
        let splits_caps_run = |t: usize| {
            caps_run_of[t]
                .as_ref()
                .is_some_and(|run| run.start < r.start || run.end > r.end)
        };
        if splits_caps_run(r.start) || splits_caps_run(r.end - 1) {
            continue;
        }
        let name_cased = is_upper(r.start)
            && words
                .iter()
                .all(|&t| is_upper(t) || has(t, word_class::NAME_PARTICLE) || doc.norm(t) == "'s");
        let title_cased = is_upper(r.start)
            && words.iter().all(|&t| {
                is_upper(t)
                    || doc.tokens[t].shape == Shape::Number
                    || has(t, word_class::TITLE_SMALL_WORD)
                    || lexicon.is_stopword(doc.norm(t))
            });
        let all_stop = words.iter().all(|&t| lexicon.is_stopword(doc.norm(t)));
        // `The Cranes are flying`: a long title written with some words in lower case.
        let content: Vec<usize> = words
            .iter()
            .copied()
            .filter(|&t| !has(t, word_class::TITLE_SMALL_WORD))
            .collect();
        let mostly_capitalised = words.len() >= 3
            && is_upper(r.start)
            && !content.is_empty()
            && content.iter().filter(|&&t| is_upper(t)).count() * 2 >= content.len();
        let single = words.len() == 1;
        // A surname alone inside a longer capitalised name (`Serguei Urusevsky`) is left to
        // the name step, which matches the whole name.
        // (A quoted nickname in between counts: `Charles Augustus 'Slim' Lindbergh`.)
        let before = if r.start >= 3
            && matches!(doc.norm(r.start - 1), "'" | "\"")
            && doc.norm(r.start - 3) == doc.norm(r.start - 1)
        {
            r.start - 3
        } else {
            r.start
        };
        let capitalised_next_to = (before > 0
            && doc.tokens[before - 1].shape == Shape::Capitalized
            && sentence_of[before - 1] == sentence_of[r.start]
            && !lexicon.is_stopword(doc.norm(before - 1)))
            || (r.end < n
                && doc.tokens[r.end].shape == Shape::Capitalized
                && sentence_of[r.end] == sentence_of[r.start]);
        let mut chosen: Option<(MentionKind, EntryId)> = None;
        let surface = doc.surface(r.clone());
        for &e in m.entries {
            let entry = lexicon.entry(e);
            // Written exactly as the lexicon writes it (`Letyat zhuravli`): the case is right.
            let as_written = words.len() >= 2
                && is_upper(r.start)
                && std::iter::once(&entry.label)
                    .chain(&entry.aliases)
                    .any(|a| crate::text::clean_snippet_cow(a) == surface);
            let ok = as_written
                || match entry.kind {
                    Kind::Person => {
                        !(single && capitalised_next_to)
                            && name_cased
                            && !all_stop
                            && !(single
                                && sentence_start[r.start]
                                && lexicon.is_stopword(doc.norm(r.start)))
                    }
                    Kind::Film => {
                        !all_stop
                            && if single {
                                (quoted(&r) || all_caps(&r) || year_after(&r))
                                    && doc.norm(r.start).chars().count() >= 3
                            } else {
                                title_cased || quoted(&r) || all_caps(&r) || mostly_capitalised
                            }
                    }
                    Kind::Award => true,
                    Kind::Festival => is_upper(r.start),
                };
            if ok {
                let kind = match entry.kind {
                    Kind::Person => MentionKind::Person,
                    Kind::Film => MentionKind::Film,
                    Kind::Award => MentionKind::Award,
                    Kind::Festival => MentionKind::Festival,
                };
                // Prefer a person over a film of the same name, and an award over both.
                let rank = |k: MentionKind| match k {
                    MentionKind::Award => 0,
                    MentionKind::Festival => 1,
                    MentionKind::Person => 2,
                    _ => 3,
                };
                if chosen.is_none_or(|(k, _)| rank(kind) < rank(k)) {
                    chosen = Some((kind, e));
                }
            }
        }
        if let Some((mut kind, entry)) = chosen {
            let same_kind: Vec<EntryId> = m
                .entries
                .iter()
                .copied()
                .filter(|&e| lexicon.entry(e).kind == lexicon.entry(entry).kind)
                .collect();
            // An award category shared by several festivals (`best actress`) is the generic
            // category; the festival in context specialises it later.
            let generic_award: Vec<EntryId> = same_kind
                .iter()
                .copied()
                .filter(|&e| {
                    lexicon.entry(e).kind == Kind::Award && lexicon.entry(e).festival.is_none()
                })
                .collect();
            let entry = match (same_kind.len(), generic_award.as_slice()) {
                (1, _) => Some(entry),
                (_, [generic]) => Some(*generic),
                _ => None,
            };
            let mut link = entry.map(|entry| Link {
                entry,
                method: LinkMethod::Exact,
                score: 1.0,
            });
            let mut r = r;
            // `Harry Carey Jr.`: a generational suffix belongs to the name.
            if kind == MentionKind::Person
                && r.end < n
                && !taken[r.end]
                && matches!(doc.norm(r.end), "jr" | "sr" | "ii" | "iii")
                && doc.tokens[r.end].is_upper_initial()
            {
                r.end += 1;
                if r.end < n && doc.norm(r.end) == "." && !taken[r.end] {
                    r.end += 1;
                }
                // The son is not the father the lexicon knows by the shorter name.
                link = None;
                kind = MentionKind::Name;
            }
            // `The Exorcist: The Beginning` is another film than `The Exorcist`.
            if kind == MentionKind::Film
                && r.end + 1 < n
                && doc.norm(r.end) == ":"
                && is_upper(r.end + 1)
                && sentence_of[r.end + 1] == sentence_of[r.start]
            {
                let mut end = r.end + 2;
                while end < n
                    && sentence_of[end] == sentence_of[r.start]
                    && !taken[end]
                    && (is_upper(end)
                        || has(end, word_class::TITLE_SMALL_WORD)
                            && end + 1 < n
                            && is_upper(end + 1))
                {
                    end += 1;
                }
                if !taken[r.end..end].iter().any(|&t| t) {
                    r.end = end;
                    link = None;
                }
            }
            push(&mut mentions, &mut taken, kind, r, link);
        }
    }

    // 2. ALL-CAPS titles of two or more words: `IVAN THE TERRIBLE`.
    let mut i = 0;
    while i < n {
        if taken[i] || doc.tokens[i].shape != Shape::AllCaps {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n
            && !taken[j]
            && sentence_of[j] == sentence_of[i]
            && (doc.tokens[j].shape == Shape::AllCaps
                || (doc.tokens[j].shape == Shape::Number && j > i))
        {
            j += 1;
        }
        let letters: usize = (i..j).map(|t| doc.norm(t).chars().count()).sum();
        if j - i >= 2 && letters >= 6 && (i..j).any(|t| !lexicon.is_stopword(doc.norm(t))) {
            push(&mut mentions, &mut taken, MentionKind::Film, i..j, None);
        }
        i = j.max(i + 1);
    }

    // 3. Quoted titles: `"The Man Who Knew Too Much"`.
    for (qi, t) in doc.tokens.iter().enumerate() {
        // Double or single quotes: `"Hot Shots!"`, `'Ghost'`.
        let quote = doc.norm_of(t);
        if !has(qi, word_class::QUOTE) {
            continue;
        }
        let Some(len) = (qi + 1..n.min(qi + 10)).position(|k| doc.norm(k) == quote) else {
            continue;
        };
        let r = qi + 1..qi + 1 + len;
        if r.is_empty() || !is_upper(r.start) || taken[r.start] {
            continue;
        }
        let words: Vec<usize> = r.clone().filter(|&t| is_word(t)).collect();
        // A title may end with `!` or `?` (`Airplane!`), not hold a clause.
        let punct_inside = r.clone().any(|t| {
            matches!(doc.norm(t), "." | "!" | "?" | "," | ";")
                && !(t + 1 == r.end && matches!(doc.norm(t), "!" | "?"))
        });
        let content: Vec<usize> = words
            .iter()
            .copied()
            .filter(|&t| !has(t, word_class::TITLE_SMALL_WORD))
            .collect();
        let capitalised = content.iter().filter(|&&t| is_upper(t)).count();
        if !punct_inside && !content.is_empty() && capitalised * 2 >= content.len() {
            // The quotes belong to the mention, so rules see `"Massacre" directed by` as a
            // title followed by `directed by`.
            let with_quotes = r.start - 1..r.end + 1;
            if push(
                &mut mentions,
                &mut taken,
                MentionKind::Film,
                with_quotes,
                None,
            ) {
                let m = mentions.last_mut().expect("just pushed");
                m.surface = doc.surface(r.clone());
            }
        }
    }

    // 4. Title Case after a film noun: `the film Ivan the Terrible`.
    for ci in 0..n {
        if !has(ci, word_class::FILM_NOUN | word_class::OTHER_TITLE_CUE) || ci + 1 >= n {
            continue;
        }
        let start = ci + 1;
        if !is_upper(start)
            || taken[start]
            || doc.tokens[start].shape == Shape::AllCaps && doc.norm(start).len() == 1
        {
            continue;
        }
        let mut end = start;
        let mut k = start;
        while k < n && sentence_of[k] == sentence_of[start] && !taken[k] {
            if is_upper(k) || doc.tokens[k].shape == Shape::Number {
                end = k + 1;
            } else if doc.norm(k) == "by" || !has(k, word_class::TITLE_SMALL_WORD) {
                // `the novel The Salt Road by Edith Varnum`: the author is not in the title.
                break;
            }
            k += 1;
        }
        if end > start && !(end - start == 1 && lexicon.is_stopword(doc.norm(start))) {
            push(
                &mut mentions,
                &mut taken,
                MentionKind::Film,
                start..end,
                None,
            );
        }
    }

    // 5. Capitalised name runs: fuzzy-linked people, otherwise untyped names.
    let initial_at = |j: usize| {
        doc.tokens[j].shape == Shape::AllCaps
            && doc.norm(j).chars().count() == 1
            && j + 1 < n
            && doc.norm(j + 1) == "."
    };
    // `Oscar-winning`, `Monogram-made`: a capitalised word joined to a lower-case one is not
    // part of a name.
    let name_word = |j: usize| {
        let t = &doc.tokens[j];
        t.shape == Shape::Capitalized
            && !doc.text[t.span.clone()]
                .split('-')
                .skip(1)
                .any(|part| part.starts_with(|c: char| c.is_lowercase()))
    };
    // `Dr.`, `Mrs.` before a capitalised word: the honorific and its stop open the name.
    let honorific_at = |j: usize| {
        doc.tokens[j].is_upper_initial()
            && has(j, word_class::HONORIFIC)
            && j + 2 < n
            && doc.norm(j + 1) == "."
            && doc.tokens[j + 1].span.start == doc.tokens[j].span.end
            && name_word(j + 2)
    };
    let cases = WordCases::new(doc);
    let mut i = 0;
    while i < n {
        // Every opening below starts with a capital: most tokens leave here.
        if taken[i] || !doc.tokens[i].is_upper_initial() {
            i += 1;
            continue;
        }
        let opens = name_word(i)
            || honorific_at(i)
            || initial_at(i) && i + 2 < n && (name_word(i + 2) || initial_at(i + 2));
        if taken[i] || !opens {
            i += 1;
            continue;
        }
        let mut j = if initial_at(i) || honorific_at(i) {
            i + 2
        } else {
            i + 1
        };
        while j < n && !taken[j] && sentence_of[j] == sentence_of[i] {
            let t = &doc.tokens[j];
            if name_word(j) {
                j += 1;
            } else if initial_at(j) {
                j += 2;
            } else if has(j, word_class::NAME_PARTICLE)
                && j + 1 < n
                && doc.tokens[j + 1].shape == Shape::Capitalized
            {
                j += 1;
            } else if matches!(doc.norm_of(t), "'" | "\"")
                && j + 3 < n
                && name_word(j + 1)
                && doc.norm(j + 2) == doc.norm_of(t)
                && name_word(j + 3)
                && !taken[j + 1..j + 4].iter().any(|&x| x)
            {
                // A quoted nickname inside a name: `Charles Augustus 'Slim' Lindbergh`.
                j += 4;
            } else {
                break;
            }
        }
        let mut run = i..j.min(n);
        // Leading function words (`The`, `This`, `Another`) are not part of a name; an
        // initial (`A. Shvorin`) is, even when it spells a function word.
        while !run.is_empty() && !initial_at(run.start) && lexicon.is_stopword(doc.norm(run.start))
        {
            run.start += 1;
        }
        i = j;
        // A nationality adjective alone is no name (`Italian`); before one it is (`Soviet Union`).
        if run.len() == 1 && lexicon.is_demonym(doc.norm(run.start)) {
            continue;
        }
        if run.is_empty() {
            continue;
        }
        let single_initial = run.len() == 1 && sentence_start[run.start];
        // A lone capitalised word opening a sentence is a name when the review capitalises it
        // elsewhere too, or when what follows reads like a name's (`Albert is played by`,
        // `Eisenstein's`, `Boris (Aleksey Batalov)`).
        let name_like_next = run.end < n
            && matches!(
                doc.norm(run.end),
                "'s" | "is"
                    | "was"
                    | "plays"
                    | "played"
                    | "and"
                    | "has"
                    | "had"
                    | "("
                    | "won"
                    | "stars"
                    | "starred"
                    | "directed"
                    | "wrote"
                    | "gives"
                    | "gave"
                    | ","
            );
        // It reads as a name when a name-like word follows and the review never writes it
        // in lower case.
        let reads_as_name = || name_like_next && !cases.lowercase_somewhere(doc.norm(run.start));
        if single_initial && !reads_as_name() && !cases.capitalised_elsewhere(doc, run.start) {
            continue;
        }
        link_name_run(doc, lexicon, &cases, run, &mut |kind, r, link| {
            push(&mut mentions, &mut taken, kind, r, link);
        });
    }

    // 6. Years and references to the reviewed film.
    for t in 0..n {
        if taken[t] {
            continue;
        }
        let tok = &doc.tokens[t];
        if tok.shape == Shape::Number && doc.norm_of(tok).len() == 4 {
            let y: u32 = doc.norm_of(tok).parse().unwrap_or(0);
            if (1888..=2030).contains(&y) {
                push(&mut mentions, &mut taken, MentionKind::Year, t..t + 1, None);
            }
        } else if has(t, word_class::PERSON_PRONOUN) {
            push(
                &mut mentions,
                &mut taken,
                MentionKind::Pronoun,
                t..t + 1,
                None,
            );
        } else if has(t, word_class::THIS_FILM_DETERMINER)
            && t + 1 < n
            && !taken[t + 1]
            && has(t + 1, word_class::THIS_FILM_NOUN)
        {
            push(
                &mut mentions,
                &mut taken,
                MentionKind::ThisFilm,
                t..t + 2,
                None,
            );
        }
    }

    mentions.sort_by_key(|m| m.tokens.start);
    let mut mentions = complete_awards(doc, lexicon, mentions, &taken);
    for m in &mut mentions {
        if m.festival.is_none()
            && let Some(link) = m.link
        {
            let e = lexicon.entry(link.entry);
            m.festival = match e.kind {
                Kind::Festival => Some(e.id.clone()),
                Kind::Award => e.festival.clone(),
                _ => None,
            };
        }
        if m.kind == MentionKind::Name && !m.surface.contains(' ') {
            m.class = 'M';
        }
        if m.kind == MentionKind::Award
            && m.link
                .is_some_and(|l| lexicon.entry(l.entry).has_tag("acting"))
        {
            m.class = 'B';
        }
    }
    mentions
}

/// Completes award mentions the lexicon knows only in part: a category followed by more
/// capitalised words (`Best Sound` + `Mixing`, `Best Motion Picture` + `of the Year`) takes
/// them and becomes a name of its own; a prize followed by `for` and a category (`BAFTA for
/// Best Sound`) becomes one mention, linked to that festival's category when the lexicon has
/// it.
fn complete_awards(
    doc: &Document,
    lexicon: &Lexicon,
    mentions: Vec<Mention>,
    taken: &[bool],
) -> Vec<Mention> {
    let n = doc.tokens.len();
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    let mut iter = mentions.into_iter().peekable();
    while let Some(mut m) = iter.next() {
        if m.kind == MentionKind::Award {
            // Extend over capitalised words, and `of the` between them.
            let category_like = m
                .link
                .is_some_and(|l| lexicon.entry(l.entry).category.is_some());
            // `Oscar for Best Special Effects`: a prize, `for`, and a category the lexicon
            // does not know.
            let prize_for_unknown = m.link.is_some_and(|l| {
                let e = lexicon.entry(l.entry);
                e.category.is_none() && e.festival.is_some()
            }) && m.tokens.end + 1 < n
                && doc.norm(m.tokens.end) == "for"
                && doc.tokens[m.tokens.end + 1].shape == Shape::Capitalized
                && iter.peek().is_none_or(|next| {
                    next.tokens.start != m.tokens.end + 1
                        || matches!(next.kind, MentionKind::Name | MentionKind::Film)
                });
            let mut end = m.tokens.end;
            let mut k = if prize_for_unknown { end + 1 } else { end };
            let category_like = category_like || prize_for_unknown;
            while category_like && k < n {
                // A name found after the category (`Mixing`) is part of it.
                if taken[k] {
                    match iter.peek() {
                        Some(next)
                            if matches!(next.kind, MentionKind::Name | MentionKind::Film)
                                && next.tokens.start == k =>
                        {
                            k = next.tokens.end;
                            end = k;
                            iter.next();
                            continue;
                        }
                        _ => break,
                    }
                }
                let t = &doc.tokens[k];
                if t.shape == Shape::Capitalized {
                    k += 1;
                    end = k;
                } else if matches!(doc.norm_of(t), "of" | "the" | "-" | "or") && k + 1 < n {
                    k += 1;
                } else {
                    break;
                }
            }
            if end > m.tokens.end {
                m.festival = m.link.and_then(|l| lexicon.entry(l.entry).festival.clone());
                m.tokens.end = end;
                m.span = doc.span(m.tokens.clone());
                m.surface = doc.surface(m.tokens.clone());
                m.link = None;
            }
            // `<prize> for <category>`
            let festival = m
                .link
                .filter(|l| lexicon.entry(l.entry).category.is_none())
                .and_then(|l| lexicon.entry(l.entry).festival.clone());
            if let Some(festival) = festival
                && let Some(next) = iter.peek()
                && next.kind == MentionKind::Award
                && next.tokens.start == m.tokens.end + 1
                && doc.norm(m.tokens.end) == "for"
            {
                let next = iter.next().expect("peeked");
                let category = next
                    .link
                    .and_then(|l| lexicon.entry(l.entry).category.clone());
                let specific = category.and_then(|c| lexicon.award_for(&c, &festival));
                m.festival = Some(festival);
                m.tokens.end = next.tokens.end;
                m.span = doc.span(m.tokens.clone());
                m.surface = doc.surface(m.tokens.clone());
                m.link = specific.map(|entry| Link {
                    entry,
                    method: LinkMethod::Exact,
                    score: 1.0,
                });
            }
        }
        out.push(m);
    }
    out
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

/// Splits a capitalised run into people found by fuzzy lexicon match (best window of 2-3
/// words) and untyped names for the rest.
fn link_name_run(
    doc: &Document,
    lexicon: &Lexicon,
    cases: &WordCases,
    run: Range<usize>,
    push: &mut dyn FnMut(MentionKind, Range<usize>, Option<Link>),
) {
    let words: Vec<usize> = run
        .clone()
        .filter(|&t| doc.tokens[t].shape != Shape::Punct)
        .collect();
    let mut best: Option<(Range<usize>, EntryId, f32)> = None;
    let mut key = String::new();
    if words.len() >= 2 {
        for len in (2..=words.len().min(3)).rev() {
            for w in words.windows(len) {
                let r = w[0]..w[len - 1] + 1;
                key.clear();
                for t in r.clone() {
                    if !key.is_empty() {
                        key.push(' ');
                    }
                    key.push_str(doc.norm(t));
                }
                if let Some((entry, sim)) = lexicon.fuzzy_person_best(&key)
                    && best.as_ref().is_none_or(|b| sim > b.2)
                {
                    best = Some((r, entry, sim));
                }
            }
            if best.is_some() {
                break;
            }
        }
    }
    match best {
        Some((r, entry, sim)) => {
            if run.start < r.start {
                push(MentionKind::Name, run.start..r.start, None);
            }
            let method = if sim >= 1.0 {
                LinkMethod::Exact
            } else {
                LinkMethod::Fuzzy
            };
            push(
                MentionKind::Person,
                r.clone(),
                Some(Link {
                    entry,
                    method,
                    score: sim,
                }),
            );
            if r.end < run.end {
                push(MentionKind::Name, r.end..run.end, None);
            }
        }
        None => {
            // A lone surname only one lexicon person has (`Kalatozov`), never written in lower
            // case in the review, is that person unless the review names someone else so.
            let word = &doc.norm(run.start);
            let unique = (run.len() == 1 && !lexicon.is_stopword(word))
                .then(|| lexicon.person_by_surname(word))
                .flatten()
                .filter(|_| !cases.lowercase_somewhere(word));
            match unique {
                Some(entry) => push(
                    MentionKind::Person,
                    run,
                    Some(Link {
                        entry,
                        method: LinkMethod::Surname,
                        score: SURNAME_LINK_SCORE,
                    }),
                ),
                None => push(MentionKind::Name, run, None),
            }
        }
    }
}

/// Link quality of a lone surname linked to the only lexicon person bearing it.
const SURNAME_LINK_SCORE: f32 = 0.8;
