//! The mentions naming an entity of the review: each person, name, title, award or festival
//! mention whose entity, as the other steps would build it, is in the entity table (found
//! by look-up, never added).

use super::Resolver;
use super::entities::display_case;
use super::people::PeopleBySlug;
use crate::extract::{Mention, MentionKind};
use crate::text::normalize::{name_key, slug};
use crate::vocab::EntityKind;
use rustc_hash::FxHashMap;

/// The mentions of the review that name one of its entities, with the entity, in text order.
pub(super) fn entity_mentions<'a>(r: &Resolver<'a>) -> Vec<(usize, &'a Mention)> {
    let by_slug = PeopleBySlug::new(r);
    // What a person head resolves to, for every mention sharing it.
    let mut person_entity: FxHashMap<usize, Option<usize>> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, m) in r.x.mentions.iter().enumerate() {
        let entity = match m.kind {
            MentionKind::Person | MentionKind::Name => {
                let head = r.person_head[i];
                *person_entity
                    .entry(head)
                    .or_insert_with(|| r.person_entity_of(r.mention(head), &by_slug))
            }
            MentionKind::Film => r.film_entity_of(m),
            MentionKind::Award => r.award_entity_of(i),
            MentionKind::Festival => m.link.and_then(|l| r.entities.find_lexicon(l.entry)),
            MentionKind::ThisFilm | MentionKind::Year | MentionKind::Pronoun => None,
        };
        if let Some(entity) = entity {
            out.push((entity, m));
        }
    }
    out
}

impl Resolver<'_> {
    /// The entity [`Resolver::film_of`] (or a `based on` work) gives a title mention, if the
    /// review has it. The candidate IRIs are in the resolver's order of preference, each
    /// built only when the ones before it name no entity of the review.
    fn film_entity_of(&self, m: &Mention) -> Option<usize> {
        if self.film_keys.contains(&name_key(&m.surface)) {
            Some(self.film)
        } else if let Some(link) = m.link {
            self.entities.find_lexicon(link.entry)
        } else {
            let label = slug(&display_case(self.lexicon.words(), &m.surface));
            self.entities
                .index_of(&EntityKind::Film.iri(&[&label]))
                .or_else(|| self.entities.index_of(&EntityKind::Work.iri(&[&label])))
        }
    }
}
