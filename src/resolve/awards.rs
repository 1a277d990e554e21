//! Awards: an award mention's entity, a category award specialised to the festival in
//! context (`Best Director` near `Cannes`), and an award the lexicon lacks scoped by it.

use super::Resolver;
use super::entities::display_case;
use crate::extract::MentionKind;
use crate::lexicon::EntryId;
use crate::text::normalize::slug;
use crate::vocab::EntityKind;

impl Resolver<'_> {
    /// The award entity of an award mention.
    pub(super) fn award(&mut self, m: usize) -> Option<usize> {
        let mention = self.mention(m);
        if mention.kind != MentionKind::Award {
            return None;
        }
        let Some(link) = mention.link else {
            // An award the lexicon does not know: named from the text, scoped by festival.
            let label = display_case(self.lexicon.words(), &mention.surface);
            let festival = self.festival_context(m);
            let iri = unknown_award_iri(festival.as_deref(), &slug(&label));
            let award = self
                .entities
                .get_or_add(EntityKind::Award, iri, label, None);
            if let Some(fe) = festival.and_then(|f| self.lexicon.by_id(&f)) {
                let fi = self.entities.lexicon_entity(fe);
                self.entities.set_festival(award, fi);
            }
            return Some(award);
        };
        let entry = self.specific_award(m, link.entry).unwrap_or(link.entry);
        Some(self.entities.lexicon_entity(entry))
    }

    /// The award of the festival in context, for a mention of a category award without one.
    fn specific_award(&self, m: usize, entry: EntryId) -> Option<EntryId> {
        let entry = self.lexicon.entry(entry);
        if let (Some(category), None) = (&entry.category, &entry.festival)
            && let Some(festival) = self.festival_context(m)
        {
            return self.lexicon.award_for(category, &festival);
        }
        None
    }

    /// The entity [`Resolver::award`] gives an award mention, if the review has it (found
    /// without adding one).
    pub(super) fn award_entity_of(&self, m: usize) -> Option<usize> {
        let mention = self.mention(m);
        let lexicon_entity = |entry: EntryId| self.entities.find_lexicon(entry);
        match mention.link {
            Some(link) => self
                .specific_award(m, link.entry)
                .and_then(lexicon_entity)
                .or_else(|| lexicon_entity(link.entry)),
            None => {
                let label = slug(&display_case(self.lexicon.words(), &mention.surface));
                self.festival_context(m)
                    .and_then(|f| self.entities.index_of(&unknown_award_iri(Some(&f), &label)))
                    .or_else(|| self.entities.index_of(&unknown_award_iri(None, &label)))
            }
        }
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

/// The IRI of an award the lexicon lacks: its slug, after its festival's when there is one.
fn unknown_award_iri(festival: Option<&str>, label_slug: &str) -> String {
    match festival {
        Some(f) => EntityKind::Award.iri(&[&slug(f), "-", label_slug]),
        None => EntityKind::Award.iri(&[label_slug]),
    }
}
