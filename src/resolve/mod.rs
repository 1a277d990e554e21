//! The entity stage: inside one review, mentions become entities with deterministic IRIs and
//! one label each. This module owns the stage's output types ([`ResolvedReview`]) and the
//! order of its steps: the reviewed film (`film`, with the title the review gives it read by
//! `title`), the rule facts (`facts`, with people in
//! `people` and awards in `awards`, all kept in the review's entity table, `entities`), the
//! other titles and the lexicon's corroborated facts (`corroborate`), the mentions naming
//! entities (`mentions`), and last the character offsets and evidence of all (`offsets`).
//! Entity IRIs are minted by [`crate::vocab::EntityKind::iri`].

mod awards;
mod corroborate;
mod entities;
mod facts;
mod film;
mod mentions;
mod offsets;
mod people;
mod title;

pub use corroborate::corroboration_macro;
pub use entities::display_case;
pub use film::consensus_title;
pub use title::{TITLE_CUES_FILE, TitleCues};

use crate::extract::{Extraction, Mention};
use crate::lexicon::Lexicon;
use crate::model::{Relation, ReviewInput};
use crate::rules::RuleSet;
use crate::text::Document;
use crate::text::normalize::slug;
use crate::vocab::EntityKind;
use entities::EntityTable;
use offsets::CharOffsets;
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
    /// Deterministic IRI (minted by [`EntityKind::iri`]).
    pub iri: String,
    /// What kind of entity it is (its `cg:` class).
    pub kind: EntityKind,
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
    /// How the reviewed film was identified, and the title this review gives it.
    pub identification: FilmIdentification,
    /// Entities in first-use order.
    pub entities: Vec<Entity>,
    /// Facts in text order.
    pub facts: Vec<ResolvedFact>,
    /// The mentions naming an entity (not pronouns nor `this film`), in text order.
    pub mentions: Vec<EntityMention>,
}

/// How a review's film was identified: the title the review gives it (its vote for the
/// film's label across reviews), the confidence of the decision and its evidence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilmIdentification {
    /// The title this review gives the film, display-cased; `None` when it names none.
    pub title: Option<String>,
    /// Confidence of the identification, 0..1 (1 for an IMDb id in the metadata).
    pub confidence: f32,
    /// The cues that decided it (`imdb id`, `quoted`, `first sentence`, `credits: director
    /// Mikhail Kalatozov`...), in a fixed order.
    pub cues: Vec<String>,
    /// Byte span of the title's first occurrence in the text, when the text names it.
    pub span: Option<Range<usize>>,
    /// The same span in characters.
    pub chars: Option<Range<usize>>,
    /// The words of the span, cleaned for display.
    pub evidence: Option<String>,
    /// The sentence of the span, cleaned for display.
    pub sentence: Option<String>,
}

/// What the steps after the reviewed film share: the review's extraction, the entity table,
/// and which film the review is about.
struct Resolver<'a> {
    doc: &'a Document,
    x: &'a Extraction,
    lexicon: &'a Lexicon,
    entities: EntityTable<'a>,
    /// For each Person/Name mention: the mention whose name it takes (itself, or a fuller one).
    person_head: Vec<usize>,
    /// The reviewed film's entity.
    film: usize,
    /// The title keys that refer to the reviewed film.
    film_keys: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn mention(&self, m: usize) -> &'a Mention {
        &self.x.mentions[m]
    }
}

/// Resolves the mentions and facts of one review into entities and facts.
///
/// ```
/// use cinegraph::{extract::extract, lexicon::Lexicon, model::ReviewInput, resolve::*};
/// use cinegraph::{rules::RuleSet, text::Document};
/// let rules = RuleSet::parse("r.rules", "rule d\n  match \"directed by\" NAME|PERSON:p\n  emit FILM director p\n").unwrap();
/// let input = ReviewInput { source_id: "r1".into(), text: "Directed by Kevin Tenney.".into(), imdb: None, rating: None };
/// let doc = Document::new(input.text.clone());
/// let x = extract(&doc, &Lexicon::default(), &rules);
/// let review = resolve(&input, &doc, &x, &Lexicon::default(), &rules, &TitleCues::default());
/// assert_eq!(review.facts.len(), 1);
/// assert_eq!(review.entities[review.facts[0].subject].iri, review.entities[review.film].iri);
/// ```
pub fn resolve(
    input: &ReviewInput,
    doc: &Document,
    x: &Extraction,
    lexicon: &Lexicon,
    rules: &RuleSet,
    titles: &TitleCues,
) -> ResolvedReview {
    let mut entities = EntityTable::new(lexicon);
    let film = film::reviewed_film(&mut entities, doc, x, input, titles);
    let mut r = Resolver {
        doc,
        x,
        lexicon,
        entities,
        person_head: people::person_heads(x, lexicon),
        film: film.entity,
        film_keys: film.keys.clone(),
    };
    let mut readings: Vec<facts::Reading> = x.facts.iter().filter_map(|f| r.reading(f)).collect();
    corroborate::other_titles(&r, &mut readings);
    corroborate::corroborate(&mut r, rules, &mut readings);
    let mentions = mentions::entity_mentions(&r);
    let offsets = CharOffsets::new(
        &doc.text,
        readings
            .iter()
            .map(|f| &f.span)
            .chain(mentions.iter().map(|(_, m)| &m.span))
            .chain(film.span.as_ref()),
    );
    ResolvedReview {
        source_id: input.source_id.clone(),
        iri: EntityKind::Review.iri(&[&slug(&input.source_id)]),
        rating: input.rating,
        film: r.film,
        identification: film.identification(doc, &offsets),
        facts: readings
            .into_iter()
            .map(|f| f.into_fact(doc, &offsets))
            .collect(),
        mentions: mentions
            .into_iter()
            .map(|(entity, m)| offsets.entity_mention(entity, m))
            .collect(),
        entities: r.entities.into_entities(),
    }
}
