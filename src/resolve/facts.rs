//! Rule facts: each fact the rules read becomes a reading between entities (the relation
//! decides which kind of entity each argument must be), with how it was established and its
//! confidence.

use super::entities::display_case;
use super::{Method, Resolver, Value};
use crate::extract::{Arg, Fact, LinkMethod, MentionKind};
use crate::model::Relation;
use crate::vocab::EntityKind;
use std::ops::Range;

/// A fact of the review before its character offsets and evidence are known (they are
/// counted for every fact and mention of the review at once).
pub(super) struct Reading {
    pub(super) subject: usize,
    pub(super) relation: Relation,
    pub(super) object: Value,
    pub(super) rule: String,
    pub(super) method: Method,
    pub(super) confidence: f32,
    /// Index of the evidence sentence.
    pub(super) sentence: usize,
    /// Byte span of the evidence.
    pub(super) span: Range<usize>,
}

fn mention_of(arg: Arg) -> Option<usize> {
    match arg {
        Arg::Mention(m) => Some(m),
        Arg::ReviewedFilm => None,
    }
}

impl Resolver<'_> {
    /// The reading of a rule fact, unless an argument names no entity of the kind the
    /// relation needs, or the fact relates an entity to itself.
    pub(super) fn reading(&mut self, f: &Fact) -> Option<Reading> {
        let (subject, object, coref) = self.arguments(f)?;
        if object == Value::Entity(subject) {
            return None;
        }
        let x = self.x;
        let fuzzy = [f.subject, f.object].iter().any(|&a| {
            mention_of(a).is_some_and(|m| {
                x.mentions[m]
                    .link
                    .is_some_and(|l| l.method == LinkMethod::Fuzzy)
            })
        });
        let method = if fuzzy {
            Method::FuzzyLink
        } else if coref {
            Method::Coreference
        } else {
            Method::TextRule
        };
        let link_quality = [f.subject, f.object]
            .iter()
            .filter_map(|&a| x.mentions[mention_of(a)?].link.map(|l| l.score))
            .fold(1.0f32, f32::min);
        Some(Reading {
            subject,
            relation: f.relation,
            object,
            rule: f.rule.clone(),
            method,
            confidence: f.confidence * link_quality,
            sentence: f.sentence,
            span: f.span.clone(),
        })
    }

    /// The subject and object of a rule fact, and whether one was found by coreference.
    fn arguments(&mut self, f: &Fact) -> Option<(usize, Value, bool)> {
        Some(match f.relation {
            Relation::Director
            | Relation::Cinematographer
            | Relation::Actor
            | Relation::Writer
            | Relation::Composer
            | Relation::Producer
            | Relation::Editor => {
                let (s, c1) = self.film_of(f.subject)?;
                let (o, c2) = self.person_as(mention_of(f.object)?, Some(f.relation.key()))?;
                (s, Value::Entity(o), c1 || c2)
            }
            Relation::Plays => {
                let (p, c1) = self.person_as(mention_of(f.subject)?, Some("actor"))?;
                let c = self.character(mention_of(f.object)?, self.film)?;
                // Stored as character portrayedBy person.
                (c, Value::Entity(p), c1)
            }
            Relation::Character => {
                let (s, c1) = self.film_of(f.subject)?;
                let c = self.character(mention_of(f.object)?, s)?;
                (s, Value::Entity(c), c1)
            }
            Relation::Award | Relation::Nominated => {
                let (s, c) = match self.film_of(f.subject) {
                    Some(film) => film,
                    None => self.person(mention_of(f.subject)?)?,
                };
                let a = self.award(mention_of(f.object)?)?;
                (s, Value::Entity(a), c)
            }
            Relation::Year => {
                let (s, c1) = self.film_of(f.subject)?;
                let m = self.mention(mention_of(f.object)?);
                if m.kind != MentionKind::Year {
                    return None;
                }
                (s, Value::Year(m.surface.clone()), c1)
            }
            Relation::AltTitle => {
                let (s, c1) = self.film_of(f.subject)?;
                let m = self.mention(mention_of(f.object)?);
                if m.kind != MentionKind::Film {
                    return None;
                }
                (
                    s,
                    Value::Text(display_case(self.lexicon.words(), &m.surface)),
                    c1,
                )
            }
            Relation::BasedOn => {
                let (s, c1) = self.film_of(f.subject)?;
                let om = mention_of(f.object)?;
                let m = self.mention(om);
                let o = match m.kind {
                    MentionKind::Person | MentionKind::Name => self.person(om)?.0,
                    MentionKind::Film => self.entities.named(
                        EntityKind::Work,
                        display_case(self.lexicon.words(), &m.surface),
                    ),
                    _ => return None,
                };
                (s, Value::Entity(o), c1)
            }
        })
    }
}
