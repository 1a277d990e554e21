//! The reviewed film: which film a review is about (from its IMDb id, else the title it gives
//! the film (`title`) and the people it names, scored against the lexicon's films and
//! credits, else the title alone), with the evidence and confidence of the decision; the
//! title keys that refer to it; the film entity of a film argument or mention; and the label
//! a film gets from the titles of all its reviews ([`consensus_title`]).

use super::entities::{EntityTable, display_case};
use super::offsets::CharOffsets;
use super::title::{self, TitleCandidate, TitleCues};
use super::{FilmIdentification, Resolver};
use crate::extract::{Arg, Extraction, Mention, MentionKind};
use crate::lexicon::{EntryId, Kind, Lexicon};
use crate::model::ReviewInput;
use crate::text::Document;
use crate::text::normalize::{name_key, slug};
use crate::vocab::EntityKind;
use std::collections::BTreeMap;

/// The film a review is about.
pub(super) struct ReviewedFilm {
    /// Its entity.
    pub(super) entity: usize,
    /// The title keys that refer to it.
    pub(super) keys: Vec<String>,
    /// The title the review gives it, if any.
    pub(super) title: Option<String>,
    /// Confidence of the identification.
    pub(super) confidence: f32,
    /// The cues that decided it.
    pub(super) cues: Vec<String>,
    /// Byte span of the title in the text.
    pub(super) span: Option<std::ops::Range<usize>>,
}

impl ReviewedFilm {
    /// The identification as the stage's output gives it.
    pub(super) fn identification(
        &self,
        doc: &Document,
        offsets: &CharOffsets,
    ) -> FilmIdentification {
        FilmIdentification {
            title: self.title.clone(),
            confidence: self.confidence,
            cues: self.cues.clone(),
            span: self.span.clone(),
            chars: self.span.as_ref().map(|s| offsets.chars(s)),
            evidence: self
                .span
                .as_ref()
                .map(|s| crate::text::clean_snippet(&doc.text[s.clone()])),
            sentence: self.span.as_ref().and_then(|span| {
                doc.sentences
                    .iter()
                    .find(|s| s.span.contains(&span.start))
                    .map(|s| doc.sentence_text(s))
            }),
        }
    }
}

/// Chooses the film a review is about: from its IMDb id; else the title the review gives it
/// when the lexicon knows that title; else the lexicon film whose people (and title words) the
/// review names; else the title alone (a film node minted from the title, which every review
/// giving that title shares; a lexicon title only where it stands in a title's place); else
/// an unidentified film node of its own.
pub(super) fn reviewed_film(
    entities: &mut EntityTable<'_>,
    doc: &Document,
    x: &Extraction,
    input: &ReviewInput,
    cues: &TitleCues,
) -> ReviewedFilm {
    let lexicon = entities.lexicon();
    let titles = title::candidates(doc, x, cues, lexicon);
    let taken = titles.first().filter(|c| c.is_taken());
    if let Some(imdb) = &input.imdb {
        // A title the lexicon gives another IMDb id is another film's; one it knows by a
        // `local:` id alone may be this film's.
        let own = titles
            .iter()
            .find(|c| {
                c.link.is_none_or(|e| {
                    let id = &lexicon.entry(e).id;
                    id == imdb || id.starts_with("local:")
                })
            })
            .filter(|c| c.is_taken());
        return from_imdb_id(entities, imdb, own);
    }
    if let Some(c) = taken
        && let Some(e) = c.link
        && corroborated(lexicon, x, e, c)
    {
        let mut film = ReviewedFilm::of_entry(entities, e);
        film.cues = title_cues(c);
        film.cues.push("lexicon title".into());
        film.confidence = confidence(c.score);
        film.span = Some(c.span.clone());
        return film;
    }
    let others: Vec<EntryId> = titles
        .iter()
        .filter(|c| c.is_other())
        .filter_map(|c| c.link)
        .collect();
    let unlinked: Vec<&Mention> = x
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Film && m.link.is_none())
        .collect();
    if let Some((best, score, credits)) = best_candidate(lexicon, x, &unlinked, &others)
        && taken.is_none_or(|c| {
            title_overlap(&title_keys(lexicon, best), std::slice::from_ref(&c.key)) > 0.0
        })
    {
        let mut film = ReviewedFilm::of_entry(entities, best);
        film.cues = credits;
        film.confidence = confidence(score);
        return film;
    }
    // A title the lexicon knows but cannot confirm (no person or year of its film) names a
    // film the review compares with more often than the one it reviews, unless it stands in
    // the title's place (`I watched X`, `X is a`, `X (1995)`).
    if let Some(c) = taken.filter(|c| c.link.is_none() || c.placed > 0) {
        let label = display_case(lexicon.words(), &c.surface);
        return ReviewedFilm {
            entity: entities.titled_film(label.clone()),
            keys: vec![c.key.clone()],
            title: Some(label),
            confidence: confidence(c.score),
            cues: title_cues(c),
            span: Some(c.span.clone()),
        };
    }
    let iri = EntityKind::Film.iri(&["unidentified-", &slug(&input.source_id)]);
    let label = format!("Unidentified film of review {}", input.source_id);
    ReviewedFilm {
        entity: entities.get_or_add(EntityKind::Film, iri, label, None),
        keys: Vec::new(),
        title: None,
        confidence: 0.0,
        cues: Vec::new(),
        span: None,
    }
}

/// The film of a review whose metadata gives its IMDb id: the lexicon's film, else a node of
/// the id titled by the review's title (when it gives one).
fn from_imdb_id(
    entities: &mut EntityTable<'_>,
    imdb: &str,
    taken: Option<&TitleCandidate>,
) -> ReviewedFilm {
    let lexicon = entities.lexicon();
    if let Some(e) = lexicon
        .by_id(imdb)
        .filter(|&e| lexicon.entry(e).kind == Kind::Film)
    {
        let mut film = ReviewedFilm::of_entry(entities, e);
        film.cues = vec!["imdb id".into()];
        return film;
    }
    let title = taken.map(|c| display_case(lexicon.words(), &c.surface));
    let label = title.clone().unwrap_or_else(|| format!("IMDb {imdb}"));
    let iri = EntityKind::Film.iri(&[&slug(imdb)]);
    let entity = entities.get_or_add(EntityKind::Film, iri, label, Some(imdb.to_string()));
    let mut cues = vec!["imdb id".to_string()];
    cues.extend(taken.map(title_cues).unwrap_or_default());
    ReviewedFilm {
        entity,
        keys: taken.map(|c| vec![c.key.clone()]).unwrap_or_default(),
        title,
        confidence: 1.0,
        cues,
        span: taken.map(|c| c.span.clone()),
    }
}

impl ReviewedFilm {
    /// A lexicon film, titled with the lexicon's title.
    fn of_entry(entities: &mut EntityTable<'_>, e: EntryId) -> ReviewedFilm {
        let lexicon = entities.lexicon();
        ReviewedFilm {
            entity: entities.lexicon_entity(e),
            keys: title_keys(lexicon, e),
            title: Some(lexicon.entry(e).label.clone()),
            confidence: 1.0,
            cues: Vec::new(),
            span: None,
        }
    }
}

/// True when a lexicon film named by the review's title is the one the review means: the
/// review names one of its people, or its year is the one written by the title. Titles are
/// shared by many films (remakes, films of the same name), and the lexicon knows few of them.
fn corroborated(lexicon: &Lexicon, x: &Extraction, film: EntryId, c: &TitleCandidate) -> bool {
    let entry = lexicon.entry(film);
    if let (Some(y), Some(t)) = (entry.year, c.year)
        && y.abs_diff(t) <= 1
    {
        return true;
    }
    x.mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person)
        .filter_map(|m| m.link)
        .any(|l| lexicon.credits_of(l.entry).iter().any(|(f, _)| *f == film))
}

/// A title candidate's cues, as provenance writes them.
fn title_cues(c: &TitleCandidate) -> Vec<String> {
    let mut cues = vec![format!("title `{}`", c.key)];
    cues.extend(c.cue_list());
    cues
}

/// A score as a confidence in 0..1: 0.5 at the least score taken, nearing 1 above.
fn confidence(score: f32) -> f32 {
    let over = (score - title::MIN_SCORE).max(0.0);
    1.0 - 0.5 * (-over / 3.0).exp()
}

/// The keys of a lexicon film's title and aliases.
fn title_keys(lexicon: &Lexicon, e: EntryId) -> Vec<String> {
    let entry = lexicon.entry(e);
    std::iter::once(&entry.label)
        .chain(&entry.aliases)
        .map(|s| name_key(s))
        .collect()
}

/// The evidence for each lexicon film that it is the reviewed one.
#[derive(Default)]
struct Candidates {
    score: BTreeMap<EntryId, f32>,
    /// Whether the review names it (by title).
    named: BTreeMap<EntryId, bool>,
    /// How many of its people the review names.
    credited_people: BTreeMap<EntryId, u32>,
    /// Its credits the review names (`credit: director Mikhail Kalatozov`).
    credits: BTreeMap<EntryId, Vec<String>>,
}

/// The lexicon film the review is most likely about, when it clearly leads, with its score
/// and evidence (its title named, the credits of the people named). Films the review names
/// as other films (`others`) are left out.
fn best_candidate(
    lexicon: &Lexicon,
    x: &Extraction,
    unlinked_titles: &[&Mention],
    others: &[EntryId],
) -> Option<(EntryId, f32, Vec<String>)> {
    let mut c = Candidates::default();
    c.add_titles_and_people(lexicon, x);
    c.add_years_and_title_words(lexicon, x, unlinked_titles);
    c.score.retain(|e, _| !others.contains(e));
    let mut ranked: Vec<(EntryId, f32)> = c.score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(best, s) = ranked.first()?;
    let runner_up = ranked.get(1).map_or(0.0, |r| r.1);
    // A film the review never names needs several of its people named: a review
    // naming two actors says little about which of their films it is about.
    // People are shared by many films: a film the review names only by some of its title's
    // words needs two of its people named, one it never names four.
    let people = c.credited_people.get(&best).copied().unwrap_or(0);
    let evidence = if c.named.get(&best).copied().unwrap_or(false) {
        people >= 2
    } else {
        people >= 4
    };
    if !(s >= 3.0 && s - runner_up >= 1.0 && evidence) {
        return None;
    }
    let mut cues: Vec<String> = Vec::new();
    if c.named.get(&best).copied().unwrap_or(false) {
        cues.push("title words".into());
    }
    cues.extend(c.credits.remove(&best).unwrap_or_default());
    Some((best, s, cues))
}

impl Candidates {
    /// Linked titles, and the films of the linked people.
    fn add_titles_and_people(&mut self, lexicon: &Lexicon, x: &Extraction) {
        for m in &x.mentions {
            if m.kind == MentionKind::Film
                && let Some(link) = m.link
            {
                *self.score.entry(link.entry).or_default() += 2.0 * link.score;
                self.named.insert(link.entry, true);
            }
        }
        let mut people: Vec<EntryId> = x
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Person)
            .filter_map(|m| m.link.map(|l| l.entry))
            .collect();
        people.sort_unstable();
        people.dedup();
        for p in people {
            let mut films: Vec<(EntryId, &str)> = lexicon
                .credits_of(p)
                .iter()
                .map(|(f, r)| (*f, r.as_str()))
                .collect();
            films.sort_unstable();
            films.dedup_by_key(|f| f.0);
            for (f, relation) in films {
                *self.score.entry(f).or_default() += 1.5;
                *self.credited_people.entry(f).or_default() += 1;
                let person = &lexicon.entry(p).label;
                self.credits
                    .entry(f)
                    .or_default()
                    .push(format!("credit: {relation} {person}"));
            }
        }
    }

    /// The candidates' years named in the review, and unlinked titles sharing words with
    /// theirs (`CROSS FLYING`).
    fn add_years_and_title_words(
        &mut self,
        lexicon: &Lexicon,
        x: &Extraction,
        unlinked_titles: &[&Mention],
    ) {
        let years: Vec<u16> = x
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Year)
            .filter_map(|m| m.surface.parse().ok())
            .collect();
        // The words of each unlinked title, once for every candidate film.
        let unlinked_keys: Vec<String> = unlinked_titles
            .iter()
            .map(|m| name_key(&m.surface))
            .collect();
        for (&film, s) in self.score.iter_mut() {
            let entry = lexicon.entry(film);
            if let Some(y) = entry.year
                && years.iter().any(|&t| t.abs_diff(y) <= 1)
            {
                *s += 0.5;
            }
            let overlap = if unlinked_keys.is_empty() {
                0.0
            } else {
                title_overlap(&title_keys(lexicon, film), &unlinked_keys)
            };
            *s += 2.0 * overlap;
            if overlap > 0.0 {
                self.named.insert(film, true);
            }
        }
    }
}

/// The largest share of an unlinked title's words that are words (over three letters) of
/// the film's titles.
fn title_overlap(film_keys: &[String], unlinked_keys: &[String]) -> f32 {
    let title_words: Vec<&str> = film_keys
        .iter()
        .flat_map(|k| k.split(' '))
        .filter(|w| w.len() > 3)
        .collect();
    unlinked_keys
        .iter()
        .map(|key| {
            let (mut words, mut shared) = (0usize, 0usize);
            for w in key.split(' ') {
                words += 1;
                shared += usize::from(title_words.contains(&w));
            }
            shared as f32 / words.max(1) as f32
        })
        .fold(0.0f32, f32::max)
}

impl Resolver<'_> {
    /// The film entity of a film argument (the reviewed film, `this film`, or a title), and
    /// whether it was found by coreference.
    pub(super) fn film_of(&mut self, arg: Arg) -> Option<(usize, bool)> {
        let m = match arg {
            Arg::ReviewedFilm => return Some((self.film, false)),
            Arg::Mention(m) => self.mention(m),
        };
        match m.kind {
            MentionKind::ThisFilm => Some((self.film, true)),
            MentionKind::Film => {
                if self.film_keys.contains(&name_key(&m.surface)) {
                    return Some((self.film, true));
                }
                if let Some(link) = m.link {
                    return Some((self.entities.lexicon_entity(link.entry), false));
                }
                let label = display_case(self.lexicon.words(), &m.surface);
                Some((self.entities.titled_film(label), false))
            }
            _ => None,
        }
    }

    /// The lexicon entry of a film entity, if it has one.
    pub(super) fn film_entry_of(&self, film: usize) -> Option<EntryId> {
        let tail = EntityKind::Film.local_name(&self.entities.get(film).iri)?;
        self.lexicon
            .by_id(tail)
            .or_else(|| self.lexicon.by_id(&["local:", tail].concat()))
            .filter(|&e| self.lexicon.entry(e).kind == Kind::Film)
    }
}

/// The label a film gets from the titles its reviews give it: titles are counted by name key
/// (case, accents, punctuation and a leading article aside); a title also counts, at half
/// weight, for every longer one that holds its words in a row (reviews shorten `Goodbye, Mr.
/// Chips` to `Chips`); the key with the most votes wins (ties: the one more reviews write in full, then the longer,
/// then the first in code point order), and its label is the spelling most of those reviews
/// write (ties: the first in code point order). The choice depends only on the counts, never
/// on the order reviews were read. `votes` are (title, reviews writing it); returns the label
/// and how many reviews gave its key.
///
/// ```
/// use cinegraph::resolve::consensus_title;
/// let votes = [("Heat", 2), ("Heat (1995)", 1), ("HEAT", 1), ("Heat", 1)];
/// assert_eq!(consensus_title(votes).unwrap(), ("Heat".to_string(), 4));
/// let votes = [("Maitresse", 1), ("Murder by Numbers", 1), ("Murder By Numbers", 1)];
/// assert_eq!(consensus_title(votes).unwrap(), ("Murder By Numbers".to_string(), 2));
/// assert_eq!(consensus_title([("B", 1), ("A", 1)]).unwrap().0, "A");
/// let votes = [("Chips", 1), ("Goodbye, Mr. Chips", 1), ("Rebecca", 1)];
/// assert_eq!(consensus_title(votes).unwrap(), ("Goodbye, Mr. Chips".to_string(), 1));
/// let votes = [("Glass Harbour", 3), ("Glass Harbour Blues", 1)];
/// assert_eq!(consensus_title(votes).unwrap(), ("Glass Harbour".to_string(), 3));
/// assert_eq!(consensus_title(Vec::<(&str, usize)>::new()), None);
/// ```
pub fn consensus_title<'a>(
    votes: impl IntoIterator<Item = (&'a str, usize)>,
) -> Option<(String, usize)> {
    let mut by_key: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for (title, n) in votes {
        // `A Death in Venice` is `Death in Venice` with an article an opening capital took.
        let key = name_key(title);
        let key = ["a ", "an "]
            .iter()
            .find_map(|a| key.strip_prefix(a).filter(|k| k.contains(' ')))
            .map_or(key.clone(), str::to_string);
        *by_key.entry(key).or_default().entry(title).or_default() += n;
    }
    let totals: Vec<(&str, usize)> = by_key
        .iter()
        .map(|(k, spellings)| (k.as_str(), spellings.values().sum::<usize>()))
        .collect();
    // Its own votes count twice, those of the shorter titles it holds once: `Chips` and
    // `Goodbye, Mr. Chips` once each make the latter, three `Glass Harbour` and one `Glass
    // Harbour Blues` the former.
    let support = |key: &str| -> usize {
        totals
            .iter()
            .filter(|(k, _)| holds_words(key, k))
            .map(|&(k, n)| if k == key { 2 * n } else { n })
            .sum()
    };
    let &(key, total) = totals.iter().max_by(|a, b| {
        (support(a.0), a.1, a.0.len())
            .cmp(&(support(b.0), b.1, b.0.len()))
            .then(b.0.cmp(a.0))
    })?;
    let most = |a: &(usize, &str), b: &(usize, &str)| a.0.cmp(&b.0).then(b.1.cmp(a.1));
    let (_, label) = by_key[key].iter().map(|(t, &n)| (n, *t)).max_by(most)?;
    Some((label.to_string(), total))
}

/// True when name key `long` holds the words of `short` in a row (or is it).
fn holds_words(long: &str, short: &str) -> bool {
    let (long, short) = (format!(" {long} "), format!(" {short} "));
    long.contains(&short)
}
