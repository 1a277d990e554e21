//! The reviewed film: which film a review is about (from its IMDb id, else the titles and
//! people it names scored against the lexicon's credits, else the title it repeats), the
//! title keys that refer to it, and the film entity of a film argument or mention.

use super::entities::{EntityTable, display_case};
use super::offsets::CharOffsets;
use super::{FilmIdentification, Resolver};
use crate::extract::{Arg, Extraction, Mention, MentionKind};
use crate::lexicon::{EntryId, Kind, Lexicon, WordClasses};
use crate::model::ReviewInput;
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
    pub(super) fn identification(&self, offsets: &CharOffsets) -> FilmIdentification {
        FilmIdentification {
            title: self.title.clone(),
            confidence: self.confidence,
            cues: self.cues.clone(),
            span: self.span.clone(),
            chars: self.span.as_ref().map(|s| offsets.chars(s)),
        }
    }
}

/// Chooses the film a review is about: from its IMDb id, else from the titles and people it
/// names (scored against the lexicon's credits), else the title it repeats, else an unnamed
/// film node.
pub(super) fn reviewed_film(
    entities: &mut EntityTable<'_>,
    x: &Extraction,
    input: &ReviewInput,
) -> ReviewedFilm {
    let lexicon = entities.lexicon();
    let unlinked_titles: Vec<&Mention> = x
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Film && m.link.is_none())
        .collect();
    let from_entry = |entities: &mut EntityTable<'_>, e: EntryId| ReviewedFilm {
        entity: entities.lexicon_entity(e),
        keys: title_keys(lexicon, e),
        title: Some(lexicon.entry(e).label.clone()),
        confidence: 1.0,
        cues: Vec::new(),
        span: None,
    };
    if let Some(imdb) = &input.imdb {
        if let Some(e) = lexicon
            .by_id(imdb)
            .filter(|&e| lexicon.entry(e).kind == Kind::Film)
        {
            return from_entry(entities, e);
        }
        let title = most_repeated_title(lexicon.words(), &unlinked_titles, input);
        let label = title.clone().unwrap_or_else(|| format!("IMDb {imdb}"));
        let keys = vec![name_key(&label)];
        let iri = EntityKind::Film.iri(&[&slug(imdb)]);
        let entity = entities.get_or_add(EntityKind::Film, iri, label, Some(imdb.clone()));
        return ReviewedFilm {
            entity,
            keys,
            title,
            confidence: 1.0,
            cues: Vec::new(),
            span: None,
        };
    }
    if let Some(best) = best_candidate(lexicon, x, &unlinked_titles) {
        return from_entry(entities, best);
    }
    if let Some(label) = most_repeated_title(lexicon.words(), &unlinked_titles, input) {
        let keys = vec![name_key(&label)];
        let entity = entities.named(EntityKind::Film, label.clone());
        return ReviewedFilm {
            entity,
            keys,
            title: Some(label),
            confidence: 0.5,
            cues: Vec::new(),
            span: None,
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

/// The keys of a lexicon film's title and aliases.
fn title_keys(lexicon: &Lexicon, e: EntryId) -> Vec<String> {
    let entry = lexicon.entry(e);
    std::iter::once(&entry.label)
        .chain(&entry.aliases)
        .map(|s| name_key(s))
        .collect()
}

/// The unlinked title the review repeats (display-cased), if any.
fn most_repeated_title(
    words: &WordClasses,
    unlinked_titles: &[&Mention],
    input: &ReviewInput,
) -> Option<String> {
    let mut counts: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    for (order, m) in unlinked_titles.iter().enumerate() {
        let slot = counts
            .entry(name_key(&m.surface))
            .or_insert((0, order, m.surface.clone()));
        slot.0 += 1;
    }
    // A title named once may be any film the review compares with; a repeated one is
    // what the review is about, and so is the only title of a review that opens with it.
    // (Only trusted when the metadata says which film it is and the lexicon lacks it.)
    let only_title_opening = input.imdb.is_some()
        && counts.len() == 1
        && unlinked_titles.first().is_some_and(|m| m.sentence <= 1);
    counts
        .into_values()
        .filter(|(count, _, _)| *count >= 2 || only_title_opening)
        .max_by_key(|(count, order, _)| (*count, std::cmp::Reverse(*order)))
        .map(|(_, _, s)| display_case(words, &s))
}

/// The evidence for each lexicon film that it is the reviewed one.
#[derive(Default)]
struct Candidates {
    score: BTreeMap<EntryId, f32>,
    /// Whether the review names it (by title).
    named: BTreeMap<EntryId, bool>,
    /// How many of its people the review names.
    credited_people: BTreeMap<EntryId, u32>,
}

/// The lexicon film the review is most likely about, when it clearly leads.
fn best_candidate(
    lexicon: &Lexicon,
    x: &Extraction,
    unlinked_titles: &[&Mention],
) -> Option<EntryId> {
    let mut c = Candidates::default();
    c.add_titles_and_people(lexicon, x);
    c.add_years_and_title_words(lexicon, x, unlinked_titles);
    let mut ranked: Vec<(EntryId, f32)> = c.score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(best, s) = ranked.first()?;
    let runner_up = ranked.get(1).map_or(0.0, |r| r.1);
    // A film the review never names needs several of its people named: a review
    // naming two actors says little about which of their films it is about.
    let evidence = c.named.get(&best).copied().unwrap_or(false)
        || c.credited_people.get(&best).copied().unwrap_or(0) >= 3;
    (s >= 3.0 && s - runner_up >= 1.0 && evidence).then_some(best)
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
            let mut films: Vec<EntryId> = lexicon.credits_of(p).iter().map(|(f, _)| *f).collect();
            films.sort_unstable();
            films.dedup();
            for f in films {
                *self.score.entry(f).or_default() += 1.5;
                *self.credited_people.entry(f).or_default() += 1;
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
                Some((self.entities.named(EntityKind::Film, label), false))
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

/// The label a film gets from the titles its reviews give it: the title most reviews use;
/// ties go to the title first in byte order, so the choice depends only on the counts, never
/// on the order reviews were read. `votes` are (title, reviews using it), merged by title.
///
/// ```
/// use cinegraph::resolve::consensus_title;
/// let votes = [("Heat", 2), ("Heat (1995)", 1), ("Heat", 1)];
/// assert_eq!(consensus_title(votes).unwrap(), ("Heat".to_string(), 3));
/// assert_eq!(consensus_title([("B", 1), ("A", 1)]).unwrap().0, "A");
/// assert_eq!(consensus_title(Vec::<(&str, usize)>::new()), None);
/// ```
pub fn consensus_title<'a>(
    votes: impl IntoIterator<Item = (&'a str, usize)>,
) -> Option<(String, usize)> {
    let mut merged: BTreeMap<&str, usize> = BTreeMap::new();
    for (title, n) in votes {
        *merged.entry(title).or_default() += n;
    }
    merged
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(t, n)| (t.to_string(), n))
}
