//! The entity stage: inside one review, mentions become entities with deterministic IRIs and
//! one label each. It decides which film the review is about, joins a surname to the full name
//! met elsewhere in the review, scopes characters to their film, specialises award categories
//! to the festival in context, and adds facts the lexicon corroborates.

use crate::extract::{Arg, Extraction, LinkMethod, Mention, MentionKind};
use crate::lexicon::{EntryId, Kind, Lexicon};
use crate::model::{Relation, ReviewInput};
use crate::rules::RuleSet;
use crate::text::normalize::{name_key, slug};
use crate::text::{Document, normalize_word};
use crate::vocab::{CGR, class};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;

/// How a fact was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// A rule matched the sentence.
    TextRule,
    /// A rule matched and one of its arguments was linked by a fuzzy match.
    FuzzyLink,
    /// A rule matched and an argument was resolved by coreference (a surname, `this film`).
    Coreference,
    /// The review names both entities and the lexicon records the relation.
    LexiconCorroboration,
}

impl Method {
    /// The value written as `cg:method`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::TextRule => "text rule",
            Method::FuzzyLink => "fuzzy link",
            Method::Coreference => "coreference",
            Method::LexiconCorroboration => "lexicon corroboration",
        }
    }
}

/// An entity of a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Deterministic IRI.
    pub iri: String,
    /// `cg:` class IRI.
    pub class: &'static str,
    /// Canonical name.
    pub label: String,
    /// IMDb id, when linked to one.
    pub imdb_id: Option<String>,
    /// For awards: the festival entity index.
    pub festival: Option<usize>,
}

/// The object of a resolved fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// An entity, by index in [`ResolvedReview::entities`].
    Entity(usize),
    /// A year literal (`xsd:gYear`).
    Year(String),
    /// A plain string literal.
    Text(String),
}

/// A fact between entities, with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedFact {
    /// Subject entity index.
    pub subject: usize,
    /// Relation (for `plays` the subject is the character, as in `cg:portrayedBy`).
    pub relation: Relation,
    /// Object.
    pub object: Value,
    /// Rule id (`lexicon.credit` for corroborated facts).
    pub rule: String,
    /// How it was established.
    pub method: Method,
    /// Confidence, 0..1.
    pub confidence: f32,
    /// The evidence sentence, cleaned for display.
    pub sentence: String,
    /// Byte span of the evidence in the original text.
    pub span: Range<usize>,
    /// The same span in characters (Unicode code points), as `cg:beginIndex`/`cg:endIndex`.
    pub chars: Range<usize>,
    /// The words of the span, cleaned like `sentence` (for highlighting them in it).
    pub evidence: String,
}

/// Words of a review that name an entity (written as a `cg:Mention`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// Entity index in [`ResolvedReview::entities`].
    pub entity: usize,
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// Character span (code points) in the original text.
    pub chars: Range<usize>,
    /// The words as written (whitespace collapsed).
    pub surface: String,
}

/// Everything a review contributes to the graph.
#[derive(Debug, Clone)]
pub struct ResolvedReview {
    /// Where the review came from.
    pub source_id: String,
    /// The review's IRI.
    pub iri: String,
    /// The reviewer's rating.
    pub rating: Option<i64>,
    /// Index of the reviewed film in `entities`.
    pub film: usize,
    /// Entities in first-use order.
    pub entities: Vec<Entity>,
    /// Facts in text order.
    pub facts: Vec<ResolvedFact>,
    /// The mentions naming an entity (not pronouns nor `this film`), in text order.
    pub mentions: Vec<EntityMention>,
}

/// Title-cases an ALL-CAPS surface (`IVAN THE TERRIBLE` -> `Ivan the Terrible`); other
/// surfaces are kept.
pub fn display_case(surface: &str) -> String {
    let has_lower = surface.chars().any(char::is_lowercase);
    if has_lower {
        return surface.to_string();
    }
    const SMALL: &[&str] = &[
        "the", "of", "a", "an", "and", "in", "on", "at", "to", "for", "with", "from", "or", "by",
    ];
    surface
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                lower
            } else {
                let mut chars = lower.chars();
                match chars.next() {
                    Some(f) => f.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The pieces end to end: IRIs are built for every entity of every review, and `format!`
/// costs several times a few copies.
fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

fn lexicon_iri(kind: Kind, id: &str) -> String {
    let segment = match kind {
        Kind::Person => "person",
        Kind::Film => "film",
        Kind::Award => "award",
        Kind::Festival => "festival",
    };
    let local = id.strip_prefix("local:").unwrap_or(id);
    concat(&[CGR, segment, "/", &slug(local)])
}

fn kind_class(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => class::PERSON,
        Kind::Film => class::FILM,
        Kind::Award => class::AWARD,
        Kind::Festival => class::FESTIVAL,
    }
}

/// Builds the entities and facts of one review.
struct Resolver<'a> {
    doc: &'a Document,
    x: &'a Extraction,
    lexicon: &'a Lexicon,
    entities: Vec<Entity>,
    by_iri: FxHashMap<String, usize>,
    /// For each Person/Name mention: the mention whose name it takes (itself, or a fuller one).
    person_head: Vec<usize>,
    film: usize,
    film_keys: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn entity(
        &mut self,
        iri: String,
        class: &'static str,
        label: String,
        imdb_id: Option<String>,
    ) -> usize {
        if let Some(&i) = self.by_iri.get(&iri) {
            return i;
        }
        let i = self.entities.len();
        self.by_iri.insert(iri.clone(), i);
        self.entities.push(Entity {
            iri,
            class,
            label,
            imdb_id,
            festival: None,
        });
        i
    }

    fn lexicon_entity(&mut self, entry: EntryId) -> usize {
        let e = self.lexicon.entry(entry);
        let iri = lexicon_iri(e.kind, &e.id);
        let (class, label, imdb) = (
            kind_class(e.kind),
            e.label.clone(),
            e.imdb_id().map(String::from),
        );
        let i = self.entity(iri, class, label, imdb);
        if e.kind == Kind::Award
            && self.entities[i].festival.is_none()
            && let Some(f) = e.festival.clone()
            && let Some(fe) = self.lexicon.by_id(&f)
        {
            let fi = self.lexicon_entity(fe);
            self.entities[i].festival = Some(fi);
        }
        i
    }

    fn mention(&self, m: usize) -> &'a Mention {
        &self.x.mentions[m]
    }

    fn person(&mut self, m: usize) -> Option<(usize, bool)> {
        let mention = self.mention(m);
        if mention.kind == MentionKind::Pronoun {
            let antecedent = self.antecedent(m)?;
            return self.person(antecedent).map(|(p, _)| (p, true));
        }
        if !matches!(mention.kind, MentionKind::Person | MentionKind::Name) {
            return None;
        }
        let head = self.person_head[m];
        let coref = head != m;
        let hm = self.mention(head);
        if let Some(link) = hm.link
            && self.lexicon.entry(link.entry).kind == Kind::Person
        {
            return Some((self.lexicon_entity(link.entry), coref));
        }
        let label = display_case(&hm.surface);
        let iri = concat(&[CGR, "person/", &slug(&label)]);
        Some((self.entity(iri, class::PERSON, label, None), coref))
    }

    /// The person a pronoun stands for: the nearest person named before it, in its sentence
    /// or the one before; a lexicon person or a full name, since one-word names are as often
    /// characters.
    fn antecedent(&self, pronoun: usize) -> Option<usize> {
        let sentence = self.mention(pronoun).sentence;
        (0..pronoun)
            .rev()
            .map_while(|i| {
                let m = self.mention(i);
                (m.sentence + 1 >= sentence).then_some(i)
            })
            .find(|&i| {
                let m = self.mention(i);
                m.kind == MentionKind::Person && m.link.is_some()
                    || m.kind == MentionKind::Name
                        && m.surface.contains(' ')
                        && !names_an_organisation(&m.surface)
            })
    }

    fn film_of(&mut self, arg: Arg) -> Option<(usize, bool)> {
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
                    return Some((self.lexicon_entity(link.entry), false));
                }
                let label = display_case(&m.surface);
                let iri = concat(&[CGR, "film/", &slug(&label)]);
                Some((self.entity(iri, class::FILM, label, None), false))
            }
            _ => None,
        }
    }

    fn character(&mut self, m: usize, film: usize) -> Option<usize> {
        let mention = self.mention(m);
        if !matches!(mention.kind, MentionKind::Person | MentionKind::Name) {
            return None;
        }
        let head = self.mention(self.person_head[m]);
        let label = display_case(&head.surface);
        let film_tail = self.entities[film]
            .iri
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        // `--` never occurs in a slug, so film and name stay apart.
        let iri = concat(&[CGR, "character/", &film_tail, "--", &slug(&label)]);
        Some(self.entity(iri, class::CHARACTER, label, None))
    }

    fn award(&mut self, m: usize) -> Option<usize> {
        let mention = self.mention(m);
        if mention.kind != MentionKind::Award {
            return None;
        }
        let Some(link) = mention.link else {
            // An award the lexicon does not know: named from the text, scoped by festival.
            let label = display_case(&mention.surface);
            let festival = self.festival_context(m);
            let iri = match &festival {
                Some(f) => concat(&[CGR, "award/", &slug(f), "-", &slug(&label)]),
                None => concat(&[CGR, "award/", &slug(&label)]),
            };
            let award = self.entity(iri, class::AWARD, label, None);
            if let Some(fe) = festival.and_then(|f| self.lexicon.by_id(&f)) {
                let fi = self.lexicon_entity(fe);
                self.entities[award].festival = Some(fi);
            }
            return Some(award);
        };
        let entry = self.lexicon.entry(link.entry);
        if let (Some(category), None) = (&entry.category, &entry.festival)
            && let Some(festival) = self.festival_context(m)
            && let Some(specific) = self.lexicon.award_for(category, &festival)
        {
            return Some(self.lexicon_entity(specific));
        }
        Some(self.lexicon_entity(link.entry))
    }

    /// The festival a category award mention refers to: the nearest festival (or festival
    /// award) mentioned before it in its sentence, else in the preceding sentences.
    fn festival_context(&self, m: usize) -> Option<String> {
        let sentence = self.mention(m).sentence;
        let with_festival = |i: &usize| self.x.mentions[*i].festival.is_some() && *i != m;
        let same: Vec<usize> = (0..self.x.mentions.len())
            .filter(|&i| self.x.mentions[i].sentence == sentence)
            .filter(with_festival)
            .collect();
        let pick = same
            .iter()
            .copied()
            .filter(|&i| i < m)
            .max()
            .or_else(|| same.iter().copied().find(|&i| i > m))
            .or_else(|| (0..m).rev().find(with_festival));
        pick.and_then(|i| self.x.mentions[i].festival.clone())
    }
}

/// Last words that make a capitalised name an institution, not a person (`American Academy`).
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "association",
    "society",
    "institute",
    "university",
    "college",
    "school",
    "studio",
    "studios",
    "pictures",
    "films",
    "company",
    "corporation",
    "network",
    "festival",
    "council",
    "committee",
    "party",
    "army",
    "navy",
    "union",
    "church",
    "hospital",
    "museum",
    "theatre",
    "theater",
    "club",
    "league",
    "records",
    "entertainment",
    "productions",
];

/// True when a name ends with a word of institutions (`American Academy`, `Red Army`).
fn names_an_organisation(surface: &str) -> bool {
    surface
        .rsplit(' ')
        .next()
        .is_some_and(|w| ORGANISATION_WORDS.contains(&normalize_word(w).as_str()))
}

/// Picks the head mention of each person/name mention: a single word joins an earlier (or
/// else later) multi-word name of the review ending or starting with it.
fn person_heads(x: &Extraction) -> Vec<usize> {
    let mut heads: Vec<usize> = (0..x.mentions.len()).collect();
    let words = |m: &Mention| -> Vec<String> {
        m.surface
            .split(|c: char| c.is_whitespace())
            .map(normalize_word)
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect()
    };
    // The words of every person or name mention, once.
    let mention_words: Vec<Option<Vec<String>>> = x
        .mentions
        .iter()
        .map(|m| matches!(m.kind, MentionKind::Person | MentionKind::Name).then(|| words(m)))
        .collect();
    let full: Vec<(usize, &Vec<String>)> = mention_words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.as_ref().map(|w| (i, w)))
        .filter(|(_, w)| w.len() >= 2)
        .collect();
    for (i, m) in x.mentions.iter().enumerate() {
        let Some(w) = &mention_words[i] else {
            continue;
        };
        if w.len() != 1 {
            continue;
        }
        let word = &w[0];
        let candidates: Vec<usize> = full
            .iter()
            .filter(|(_, fw)| fw.last() == Some(word) || fw.first() == Some(word))
            .map(|(j, _)| *j)
            .collect();
        // Prefer a linked full name, then the nearest earlier one, then the first later one.
        let pick = candidates
            .iter()
            .copied()
            .filter(|&j| x.mentions[j].link.is_some())
            .min_by_key(|&j| (j > i, j.abs_diff(i)))
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .min_by_key(|&j| (j > i, j.abs_diff(i)))
            });
        if let Some(j) = pick {
            // A linked single word keeps its own link unless the full name agrees with it.
            let agree = match (m.link, x.mentions[j].link) {
                (Some(a), Some(b)) => a.entry == b.entry || a.method == LinkMethod::Surname,
                (Some(a), None) => a.method == LinkMethod::Surname,
                _ => true,
            };
            if agree {
                heads[i] = j;
            }
        }
    }
    heads
}

/// Chooses the film a review is about: from its IMDb id, else from the titles and people it
/// names (scored against the lexicon's credits), else the title it repeats, else an unnamed
/// film node. Returns (entity index, title keys that refer to it).
fn reviewed_film(r: &mut Resolver<'_>, input: &ReviewInput) -> (usize, Vec<String>) {
    let x = r.x;
    let lexicon = r.lexicon;
    let unlinked_titles: Vec<&Mention> = x
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Film && m.link.is_none())
        .collect();
    let most_repeated_title = || -> Option<String> {
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
            .map(|(_, _, s)| display_case(&s))
    };
    let keys_of = |e: EntryId| -> Vec<String> {
        let entry = lexicon.entry(e);
        std::iter::once(&entry.label)
            .chain(&entry.aliases)
            .map(|s| name_key(s))
            .collect()
    };
    if let Some(imdb) = &input.imdb {
        if let Some(e) = lexicon
            .by_id(imdb)
            .filter(|&e| lexicon.entry(e).kind == Kind::Film)
        {
            return (r.lexicon_entity(e), keys_of(e));
        }
        let label = most_repeated_title().unwrap_or_else(|| format!("IMDb {imdb}"));
        let keys = vec![name_key(&label)];
        let iri = concat(&[CGR, "film/", &slug(imdb)]);
        return (r.entity(iri, class::FILM, label, Some(imdb.clone())), keys);
    }
    let mut score: BTreeMap<EntryId, f32> = BTreeMap::new();
    // Evidence of each candidate: is it named (by title), and how many of its people are.
    let mut named: BTreeMap<EntryId, bool> = BTreeMap::new();
    let mut credited_people: BTreeMap<EntryId, u32> = BTreeMap::new();
    for m in &x.mentions {
        if m.kind == MentionKind::Film
            && let Some(link) = m.link
        {
            *score.entry(link.entry).or_default() += 2.0 * link.score;
            named.insert(link.entry, true);
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
            *score.entry(f).or_default() += 1.5;
            *credited_people.entry(f).or_default() += 1;
        }
    }
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
    for (&film, s) in score.iter_mut() {
        let entry = lexicon.entry(film);
        if let Some(y) = entry.year
            && years.iter().any(|&t| t.abs_diff(y) <= 1)
        {
            *s += 0.5;
        }
        // An unlinked title sharing words with the film's title (`CROSS FLYING`).
        let overlap = if unlinked_keys.is_empty() {
            0.0
        } else {
            let film_keys = keys_of(film);
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
        };
        *s += 2.0 * overlap;
        if overlap > 0.0 {
            named.insert(film, true);
        }
    }
    let mut ranked: Vec<(EntryId, f32)> = score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if let Some(&(best, s)) = ranked.first() {
        let runner_up = ranked.get(1).map_or(0.0, |r| r.1);
        // A film the review never names needs several of its people named: a review
        // naming two actors says little about which of their films it is about.
        let evidence = named.get(&best).copied().unwrap_or(false)
            || credited_people.get(&best).copied().unwrap_or(0) >= 3;
        if s >= 3.0 && s - runner_up >= 1.0 && evidence {
            return (r.lexicon_entity(best), keys_of(best));
        }
    }
    if let Some(label) = most_repeated_title() {
        let keys = vec![name_key(&label)];
        let iri = concat(&[CGR, "film/", &slug(&label)]);
        return (r.entity(iri, class::FILM, label, None), keys);
    }
    let iri = concat(&[CGR, "film/unidentified-", &slug(&input.source_id)]);
    let label = format!("Unidentified film of review {}", input.source_id);
    (r.entity(iri, class::FILM, label, None), Vec::new())
}

/// Resolves the mentions and facts of one review into entities and facts.
///
/// ```
/// use cinegraph::{extract::extract, lexicon::Lexicon, resolve::*, rules::RuleSet, text::Document};
/// let rules = RuleSet::parse("r.rules", "rule d\n  match \"directed by\" NAME|PERSON:p\n  emit FILM director p\n").unwrap();
/// let input = ReviewInput { source_id: "r1".into(), text: "Directed by Kevin Tenney.".into(), imdb: None, rating: None };
/// let doc = Document::new(input.text.clone());
/// let x = extract(&doc, &Lexicon::default(), &rules);
/// let review = resolve(&input, &doc, &x, &Lexicon::default(), &rules);
/// assert_eq!(review.facts.len(), 1);
/// assert_eq!(review.entities[review.facts[0].subject].iri, review.entities[review.film].iri);
/// ```
pub fn resolve(
    input: &ReviewInput,
    doc: &Document,
    x: &Extraction,
    lexicon: &Lexicon,
    rules: &RuleSet,
) -> ResolvedReview {
    let mut r = Resolver {
        doc,
        x,
        lexicon,
        entities: Vec::new(),
        by_iri: FxHashMap::default(),
        person_head: person_heads(x),
        film: 0,
        film_keys: Vec::new(),
    };
    let (film, keys) = reviewed_film(&mut r, input);
    r.film = film;
    r.film_keys = keys;
    let mut facts = Vec::new();
    for f in &x.facts {
        let mut coref = false;
        let mut fuzzy = false;
        let mut note = |arg: Arg, x: &Extraction| {
            if let Arg::Mention(m) = arg
                && x.mentions[m]
                    .link
                    .is_some_and(|l| l.method == LinkMethod::Fuzzy)
            {
                fuzzy = true;
            }
        };
        note(f.subject, x);
        note(f.object, x);
        let resolved: Option<(usize, Value)> = (|| {
            let mention_of = |a: Arg| match a {
                Arg::Mention(m) => Some(m),
                Arg::ReviewedFilm => None,
            };
            Some(match f.relation {
                Relation::Director
                | Relation::Cinematographer
                | Relation::Actor
                | Relation::Writer
                | Relation::Composer
                | Relation::Producer
                | Relation::Editor => {
                    let (s, c1) = r.film_of(f.subject)?;
                    let (o, c2) = r.person(mention_of(f.object)?)?;
                    coref |= c1 || c2;
                    (s, Value::Entity(o))
                }
                Relation::Plays => {
                    let (p, c1) = r.person(mention_of(f.subject)?)?;
                    let c = r.character(mention_of(f.object)?, r.film)?;
                    coref |= c1;
                    // Stored as character portrayedBy person.
                    (c, Value::Entity(p))
                }
                Relation::Character => {
                    let (s, c1) = r.film_of(f.subject)?;
                    let c = r.character(mention_of(f.object)?, s)?;
                    coref |= c1;
                    (s, Value::Entity(c))
                }
                Relation::Award | Relation::Nominated => {
                    let s = match r.film_of(f.subject) {
                        Some((s, c)) => {
                            coref |= c;
                            s
                        }
                        None => {
                            let (s, c) = r.person(mention_of(f.subject)?)?;
                            coref |= c;
                            s
                        }
                    };
                    let a = r.award(mention_of(f.object)?)?;
                    (s, Value::Entity(a))
                }
                Relation::Year => {
                    let (s, c1) = r.film_of(f.subject)?;
                    coref |= c1;
                    let m = r.mention(mention_of(f.object)?);
                    if m.kind != MentionKind::Year {
                        return None;
                    }
                    (s, Value::Year(m.surface.clone()))
                }
                Relation::AltTitle => {
                    let (s, c1) = r.film_of(f.subject)?;
                    coref |= c1;
                    let m = r.mention(mention_of(f.object)?);
                    if m.kind != MentionKind::Film {
                        return None;
                    }
                    (s, Value::Text(display_case(&m.surface)))
                }
                Relation::BasedOn => {
                    let (s, c1) = r.film_of(f.subject)?;
                    coref |= c1;
                    let om = mention_of(f.object)?;
                    let m = r.mention(om);
                    let o = match m.kind {
                        MentionKind::Person | MentionKind::Name => r.person(om)?.0,
                        MentionKind::Film => {
                            let label = display_case(&m.surface);
                            let iri = concat(&[CGR, "work/", &slug(&label)]);
                            r.entity(iri, class::WORK, label, None)
                        }
                        _ => return None,
                    };
                    (s, Value::Entity(o))
                }
            })
        })();
        let Some((subject, object)) = resolved else {
            continue;
        };
        if object == Value::Entity(subject) {
            continue;
        }
        let method = if fuzzy {
            Method::FuzzyLink
        } else if coref {
            Method::Coreference
        } else {
            Method::TextRule
        };
        let link_quality = [f.subject, f.object]
            .iter()
            .filter_map(|a| match a {
                Arg::Mention(m) => x.mentions[*m].link.map(|l| l.score),
                Arg::ReviewedFilm => None,
            })
            .fold(1.0f32, f32::min);
        facts.push(ResolvedFact {
            subject,
            relation: f.relation,
            object,
            rule: f.rule.clone(),
            method,
            confidence: f.confidence * link_quality,
            sentence: r.doc.sentence_text(&r.doc.sentences[f.sentence]),
            span: f.span.clone(),
            chars: 0..0,
            evidence: String::new(),
        });
    }
    other_titles(&r, &mut facts);
    corroborate(&mut r, rules, &mut facts);
    let mut mentions = entity_mentions(&r);
    char_offsets(
        &doc.text,
        facts
            .iter_mut()
            .map(|f| (&f.span, &mut f.chars))
            .chain(mentions.iter_mut().map(|m| (&m.span, &mut m.chars))),
    );
    for f in &mut facts {
        f.evidence = crate::text::clean_snippet(&doc.text[f.span.clone()]);
    }
    ResolvedReview {
        source_id: input.source_id.clone(),
        iri: concat(&[CGR, "review/", &slug(&input.source_id)]),
        rating: input.rating,
        film: r.film,
        entities: r.entities,
        facts,
        mentions,
    }
}

/// Sets each character range to its byte range counted in characters of `text`.
fn char_offsets<'a>(
    text: &str,
    spans: impl Iterator<Item = (&'a Range<usize>, &'a mut Range<usize>)>,
) {
    let mut pending: Vec<(usize, usize, &mut Range<usize>)> = Vec::new();
    for (bytes, chars) in spans {
        pending.push((bytes.start, bytes.end, chars));
    }
    // Byte offsets to character offsets in one pass over the text.
    let mut offsets: Vec<usize> = pending.iter().flat_map(|p| [p.0, p.1]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut map = FxHashMap::with_capacity_and_hasher(offsets.len(), Default::default());
    // Characters are counted as the bytes that do not continue one (not 0b10xxxxxx): a loop
    // the compiler vectorises, where decoding every character does not.
    let bytes = text.as_bytes();
    let (mut byte, mut count) = (0, 0);
    for &target in &offsets {
        let end = target.min(bytes.len());
        if byte < end {
            count += bytes[byte..end]
                .iter()
                .filter(|&&b| (b as i8) >= -0x40)
                .count();
            byte = end;
        }
        map.insert(target, count);
    }
    for (start, end, chars) in pending {
        *chars = map[&start]..map[&end];
    }
}

/// The mentions of the review that name one of its entities: each person, name, title, award
/// or festival mention whose entity (as the resolver would build it) exists in the review.
fn entity_mentions(r: &Resolver<'_>) -> Vec<EntityMention> {
    let x = r.x;
    let lexicon_target = |entry: EntryId| {
        let e = r.lexicon.entry(entry);
        lexicon_iri(e.kind, &e.id)
    };
    let film_tail = r.entities[r.film]
        .iri
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let entity_of = |iri: &str| r.by_iri.get(iri).copied();
    // The people and the reviewed film's characters of the review by the slug their IRI ends
    // with: most names of a review name neither, and a look-up by slug builds no IRI.
    let person_prefix = concat(&[CGR, "person/"]);
    let character_prefix = concat(&[CGR, "character/", &film_tail, "--"]);
    let mut people_by_slug: FxHashMap<&str, usize> = FxHashMap::default();
    let mut characters_by_slug: FxHashMap<&str, usize> = FxHashMap::default();
    for (iri, &index) in &r.by_iri {
        if let Some(slug) = iri.strip_prefix(person_prefix.as_str()) {
            people_by_slug.insert(slug, index);
        } else if let Some(slug) = iri.strip_prefix(character_prefix.as_str()) {
            characters_by_slug.insert(slug, index);
        }
    }
    // What a person head resolves to, for every mention sharing it.
    let mut person_entity: FxHashMap<usize, Option<usize>> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, m) in x.mentions.iter().enumerate() {
        // The candidate IRIs in the resolver's order of preference, each built only when the
        // ones before it name no entity of the review.
        let entity = match m.kind {
            MentionKind::Person | MentionKind::Name => {
                let head_index = r.person_head[i];
                *person_entity.entry(head_index).or_insert_with(|| {
                    let head = &x.mentions[head_index];
                    head.link
                        .filter(|link| r.lexicon.entry(link.entry).kind == Kind::Person)
                        .and_then(|link| entity_of(&lexicon_target(link.entry)))
                        .or_else(|| {
                            if people_by_slug.is_empty() && characters_by_slug.is_empty() {
                                return None;
                            }
                            let label = slug(&display_case(&head.surface));
                            people_by_slug
                                .get(label.as_str())
                                .or_else(|| characters_by_slug.get(label.as_str()))
                                .copied()
                        })
                })
            }
            MentionKind::Film => {
                if r.film_keys.contains(&name_key(&m.surface)) {
                    Some(r.film)
                } else if let Some(link) = m.link {
                    entity_of(&lexicon_target(link.entry))
                } else {
                    let label = slug(&display_case(&m.surface));
                    entity_of(&format!("{CGR}film/{label}"))
                        .or_else(|| entity_of(&format!("{CGR}work/{label}")))
                }
            }
            MentionKind::Award => match m.link {
                Some(link) => {
                    let entry = r.lexicon.entry(link.entry);
                    let specific = if let (Some(category), None) =
                        (&entry.category, &entry.festival)
                        && let Some(festival) = r.festival_context(i)
                        && let Some(specific) = r.lexicon.award_for(category, &festival)
                    {
                        entity_of(&lexicon_target(specific))
                    } else {
                        None
                    };
                    specific.or_else(|| entity_of(&lexicon_target(link.entry)))
                }
                None => {
                    let label = slug(&display_case(&m.surface));
                    r.festival_context(i)
                        .and_then(|f| entity_of(&format!("{CGR}award/{}-{label}", slug(&f))))
                        .or_else(|| entity_of(&format!("{CGR}award/{label}")))
                }
            },
            MentionKind::Festival => m.link.and_then(|l| entity_of(&lexicon_target(l.entry))),
            MentionKind::ThisFilm | MentionKind::Year | MentionKind::Pronoun => None,
        };
        if let Some(entity) = entity {
            out.push(EntityMention {
                entity,
                span: m.span.clone(),
                chars: 0..0,
                surface: m.surface.clone(),
            });
        }
    }
    out
}

/// Confidence of an alternative title read from a mention of the reviewed film by another of
/// its names.
const OTHER_TITLE_CONFIDENCE: f32 = 0.8;

/// A mention naming the reviewed film by another of its titles (`Letyat zhuravli` in a
/// review of The Cranes Are Flying) states an alternative title.
fn other_titles(r: &Resolver<'_>, facts: &mut Vec<ResolvedFact>) {
    let film_entry = film_entry_of(r, &r.entities[r.film].iri);
    let label_key = name_key(&r.entities[r.film].label);
    for m in &r.x.mentions {
        if m.kind != MentionKind::Film {
            continue;
        }
        let key = name_key(&m.surface);
        let names_film = m.link.is_some_and(|l| Some(l.entry) == film_entry)
            || (m.link.is_none() && r.film_keys.contains(&key));
        if !names_film || key == label_key || key.is_empty() {
            continue;
        }
        facts.push(ResolvedFact {
            subject: r.film,
            relation: Relation::AltTitle,
            object: Value::Text(display_case(&m.surface)),
            rule: "alt_title.other-name".into(),
            method: Method::Coreference,
            confidence: OTHER_TITLE_CONFIDENCE,
            sentence: r.doc.sentence_text(&r.doc.sentences[m.sentence]),
            span: m.span.clone(),
            chars: 0..0,
            evidence: String::new(),
        });
    }
}

/// Confidence of a fact the lexicon records between a film and a person the review names.
const CORROBORATION_CONFIDENCE: f32 = 0.7;

/// The macro that, when a rule file defines it, a sentence naming the person must match for
/// the lexicon to corroborate a relation (`CORROBORATE_ACTOR`: "plays", "performance"...).
pub fn corroboration_macro(relation: Relation) -> String {
    format!("CORROBORATE_{}", relation.key().to_uppercase())
}

/// Adds facts the lexicon records between films and people the review names, when a sentence
/// naming the person speaks of that role (see [`corroboration_macro`]).
fn corroborate(r: &mut Resolver<'_>, rules: &RuleSet, facts: &mut Vec<ResolvedFact>) {
    let x = r.x;
    let sentence_words = |si: usize| -> String {
        let mut s = String::from(" ");
        for t in r.doc.sentences[si].tokens.clone() {
            s.push_str(r.doc.norm(t));
            s.push(' ');
        }
        s
    };
    // Sentences naming each linked person.
    let mut person_sentences: BTreeMap<EntryId, Vec<usize>> = BTreeMap::new();
    // Linked people named in the review, with their first mention.
    let mut people: BTreeMap<EntryId, usize> = BTreeMap::new();
    for (i, m) in x.mentions.iter().enumerate() {
        if !matches!(m.kind, MentionKind::Person | MentionKind::Name) {
            continue;
        }
        let head = &x.mentions[r.person_head[i]];
        if let Some(link) = head.link
            && r.lexicon.entry(link.entry).kind == Kind::Person
        {
            people.entry(link.entry).or_insert(i);
            person_sentences
                .entry(link.entry)
                .or_default()
                .push(m.sentence);
        }
    }
    // Films: the reviewed one and every linked title.
    let mut films: Vec<usize> = vec![r.film];
    for m in &x.mentions {
        if m.kind == MentionKind::Film
            && let Some(link) = m.link
        {
            let e = r.lexicon_entity(link.entry);
            if !films.contains(&e) {
                films.push(e);
            }
        }
    }
    for film in films {
        let iri = r.entities[film].iri.clone();
        let Some(entry) = film_entry_of(r, &iri) else {
            continue;
        };
        for (rel, person_id) in r.lexicon.entry(entry).links.clone() {
            let (Some(relation), Some(p)) = (Relation::parse(&rel), r.lexicon.by_id(&person_id))
            else {
                continue;
            };
            let Some(&first) = people.get(&p) else {
                continue;
            };
            let macro_name = corroboration_macro(relation);
            let names_a_film = |si: usize| {
                x.mentions.iter().any(|m| {
                    m.sentence == si && matches!(m.kind, MentionKind::Film | MentionKind::ThisFilm)
                })
            };
            let evidence = person_sentences[&p].iter().copied().find(|&si| {
                rules
                    .macro_matches(&macro_name, &sentence_words(si))
                    .unwrap_or(true)
                    || (relation == Relation::Director && names_a_film(si))
            });
            let Some(evidence) = evidence else { continue };
            let person = r.lexicon_entity(p);
            let first = x
                .mentions
                .iter()
                .position(|m| {
                    m.sentence == evidence
                        && matches!(m.kind, MentionKind::Person | MentionKind::Name)
                        && m.link.is_some_and(|l| l.entry == p)
                })
                .unwrap_or(first);
            let m = &x.mentions[first];
            let link_score = x.mentions[r.person_head[first]]
                .link
                .map_or(1.0, |l| l.score);
            facts.push(ResolvedFact {
                subject: film,
                relation,
                object: Value::Entity(person),
                rule: "lexicon.credit".into(),
                method: Method::LexiconCorroboration,
                confidence: CORROBORATION_CONFIDENCE * link_score,
                sentence: r.doc.sentence_text(&r.doc.sentences[m.sentence]),
                span: m.span.clone(),
                chars: 0..0,
                evidence: String::new(),
            });
        }
    }
}

fn film_entry_of(r: &Resolver<'_>, iri: &str) -> Option<EntryId> {
    let tail = iri.strip_prefix(CGR)?.strip_prefix("film/")?;
    r.lexicon
        .by_id(tail)
        .or_else(|| r.lexicon.by_id(&concat(&["local:", tail])))
        .filter(|&e| r.lexicon.entry(e).kind == Kind::Film)
}
