//! The entity table of one review: each entity once, in first-use order, keyed by its IRI;
//! the IRIs of lexicon entries and of names read from the text, and their display labels.

use super::Entity;
use crate::lexicon::{EntryId, Kind, Lexicon, WordClass, WordClasses};
use crate::text::normalize::{name_key, slug};
use crate::vocab::EntityKind;
use rustc_hash::FxHashMap;

/// The entities of a review, each built complete when first used.
pub(super) struct EntityTable<'a> {
    lexicon: &'a Lexicon,
    entities: Vec<Entity>,
    by_iri: FxHashMap<String, usize>,
}

impl<'a> EntityTable<'a> {
    pub(super) fn new(lexicon: &'a Lexicon) -> Self {
        EntityTable {
            lexicon,
            entities: Vec::new(),
            by_iri: FxHashMap::default(),
        }
    }

    /// The entity with this IRI: the one already in the table, else a new one.
    pub(super) fn get_or_add(
        &mut self,
        kind: EntityKind,
        iri: String,
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
            kind,
            label,
            imdb_id,
            festival: None,
        });
        i
    }

    /// An entity named from the text: its IRI is the slug of its label.
    pub(super) fn named(&mut self, kind: EntityKind, label: String) -> usize {
        let iri = kind.iri(&[&slug(&label)]);
        self.get_or_add(kind, iri, label, None)
    }

    /// A film known by its title only: its IRI is the slug of the title's name key (case,
    /// accents, punctuation and a leading `the` aside), so every review naming the film by
    /// that title, as the reviewed film or in passing, shares its node.
    pub(super) fn titled_film(&mut self, label: String) -> usize {
        let iri = EntityKind::Film.iri(&[&slug(&name_key(&label))]);
        self.get_or_add(EntityKind::Film, iri, label, None)
    }

    /// The entity of a lexicon entry; an award brings its festival.
    pub(super) fn lexicon_entity(&mut self, entry: EntryId) -> usize {
        let e = self.lexicon.entry(entry);
        let iri = lexicon_iri(e.kind, &e.id);
        let imdb = e.imdb_id().map(String::from);
        let i = self.get_or_add(entity_kind(e.kind), iri, e.label.clone(), imdb);
        if e.kind == Kind::Award
            && self.entities[i].festival.is_none()
            && let Some(f) = e.festival.as_deref()
            && let Some(fe) = self.lexicon.by_id(f)
        {
            let fi = self.lexicon_entity(fe);
            self.entities[i].festival = Some(fi);
        }
        i
    }

    /// The lexicon entities come from.
    pub(super) fn lexicon(&self) -> &'a Lexicon {
        self.lexicon
    }

    /// Records the festival of an award entity.
    pub(super) fn set_festival(&mut self, award: usize, festival: usize) {
        self.entities[award].festival = Some(festival);
    }

    pub(super) fn get(&self, i: usize) -> &Entity {
        &self.entities[i]
    }

    /// The entity with this IRI, if the review has it.
    pub(super) fn index_of(&self, iri: &str) -> Option<usize> {
        self.by_iri.get(iri).copied()
    }

    /// The entity of a lexicon entry, if the table has it (never adds one).
    pub(super) fn find_lexicon(&self, entry: EntryId) -> Option<usize> {
        let e = self.lexicon.entry(entry);
        self.index_of(&lexicon_iri(e.kind, &e.id))
    }

    /// The entities with their IRIs.
    pub(super) fn iris(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_iri.iter().map(|(iri, &i)| (iri.as_str(), i))
    }

    pub(super) fn into_entities(self) -> Vec<Entity> {
        self.entities
    }
}

impl Entity {
    /// The last segment of the IRI: what scopes the characters of a film.
    pub(super) fn local_name(&self) -> &str {
        self.iri.rsplit('/').next().unwrap_or_default()
    }
}

/// The IRI of a lexicon entry: its id (without `local:`) as a slug in its kind's namespace.
fn lexicon_iri(kind: Kind, id: &str) -> String {
    let local = id.strip_prefix("local:").unwrap_or(id);
    entity_kind(kind).iri(&[&slug(local)])
}

fn entity_kind(kind: Kind) -> EntityKind {
    match kind {
        Kind::Person => EntityKind::Person,
        Kind::Film => EntityKind::Film,
        Kind::Award => EntityKind::Award,
        Kind::Festival => EntityKind::Festival,
    }
}

/// Title-cases an ALL-CAPS surface (`IVAN THE TERRIBLE` -> `Ivan the Terrible`); other
/// surfaces are kept.
pub fn display_case(words: &WordClasses, surface: &str) -> String {
    let has_lower = surface.chars().any(char::is_lowercase);
    if has_lower {
        return surface.to_string();
    }
    surface
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && words.of(&lower).has(WordClass::LABEL_SMALL_WORD) {
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
