//! Facts the text states without a rule: a mention naming the reviewed film by another of its
//! titles, and the lexicon's credits between films and people the review names, when a
//! sentence naming the person speaks of that role.

use super::facts::Reading;
use super::{Method, Resolver, Value, display_case};
use crate::extract::MentionKind;
use crate::lexicon::{EntryId, Kind};
use crate::model::Relation;
use crate::rules::RuleSet;
use crate::text::normalize::name_key;
use std::collections::BTreeMap;

/// Confidence of an alternative title read from a mention of the reviewed film by another of
/// its names.
const OTHER_TITLE_CONFIDENCE: f32 = 0.8;

/// Confidence of a fact the lexicon records between a film and a person the review names.
const CORROBORATION_CONFIDENCE: f32 = 0.7;

/// A mention naming the reviewed film by another of its titles (`Letyat zhuravli` in a
/// review of The Cranes Are Flying) states an alternative title.
pub(super) fn other_titles(r: &Resolver<'_>, readings: &mut Vec<Reading>) {
    let film_entry = r.film_entry_of(r.film);
    let label_key = name_key(&r.entities.get(r.film).label);
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
        readings.push(Reading {
            subject: r.film,
            relation: Relation::AltTitle,
            object: Value::Text(display_case(r.lexicon.words(), &m.surface)),
            rule: "alt_title.other-name".into(),
            method: Method::Coreference,
            confidence: OTHER_TITLE_CONFIDENCE,
            sentence: m.sentence,
            span: m.span.clone(),
        });
    }
}

/// The macro that, when a rule file defines it, a sentence naming the person must match for
/// the lexicon to corroborate a relation (`CORROBORATE_ACTOR`: "plays", "performance"...).
pub fn corroboration_macro(relation: Relation) -> String {
    format!("CORROBORATE_{}", relation.key().to_uppercase())
}

/// The linked people a review names.
struct NamedPeople {
    /// Each person's first mention.
    first: BTreeMap<EntryId, usize>,
    /// The sentences naming each person.
    sentences: BTreeMap<EntryId, Vec<usize>>,
}

impl NamedPeople {
    fn of(r: &Resolver<'_>) -> Self {
        let mut people = NamedPeople {
            first: BTreeMap::new(),
            sentences: BTreeMap::new(),
        };
        for (i, m) in r.x.mentions.iter().enumerate() {
            if !matches!(m.kind, MentionKind::Person | MentionKind::Name) {
                continue;
            }
            let head = &r.x.mentions[r.person_head[i]];
            if let Some(link) = head.link
                && r.lexicon.entry(link.entry).kind == Kind::Person
            {
                people.first.entry(link.entry).or_insert(i);
                people
                    .sentences
                    .entry(link.entry)
                    .or_default()
                    .push(m.sentence);
            }
        }
        people
    }
}

/// Adds facts the lexicon records between films and people the review names, when a sentence
/// naming the person speaks of that role (see [`corroboration_macro`]).
pub(super) fn corroborate(r: &mut Resolver<'_>, rules: &RuleSet, readings: &mut Vec<Reading>) {
    let people = NamedPeople::of(r);
    // Films: the reviewed one and every linked title.
    let mut films: Vec<usize> = vec![r.film];
    for m in &r.x.mentions {
        if m.kind == MentionKind::Film
            && let Some(link) = m.link
        {
            let e = r.entities.lexicon_entity(link.entry);
            if !films.contains(&e) {
                films.push(e);
            }
        }
    }
    for film in films {
        let Some(entry) = r.film_entry_of(film) else {
            continue;
        };
        for (rel, person_id) in &r.lexicon.entry(entry).links {
            let (Some(relation), Some(p)) = (Relation::parse(rel), r.lexicon.by_id(person_id))
            else {
                continue;
            };
            if let Some(reading) = r.credit(rules, &people, film, relation, p) {
                readings.push(reading);
            }
        }
    }
}

impl Resolver<'_> {
    /// The reading of a lexicon credit of `film`, if the review names the person in a
    /// sentence speaking of the role.
    fn credit(
        &mut self,
        rules: &RuleSet,
        people: &NamedPeople,
        film: usize,
        relation: Relation,
        p: EntryId,
    ) -> Option<Reading> {
        let &first = people.first.get(&p)?;
        let x = self.x;
        let macro_name = corroboration_macro(relation);
        let names_a_film = |si: usize| {
            x.mentions.iter().any(|m| {
                m.sentence == si && matches!(m.kind, MentionKind::Film | MentionKind::ThisFilm)
            })
        };
        let evidence = people.sentences[&p].iter().copied().find(|&si| {
            rules
                .macro_matches(&macro_name, &self.sentence_words(si))
                .unwrap_or(true)
                || (relation == Relation::Director && names_a_film(si))
        })?;
        let person = self.entities.lexicon_entity(p);
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
        let link_score = x.mentions[self.person_head[first]]
            .link
            .map_or(1.0, |l| l.score);
        Some(Reading {
            subject: film,
            relation,
            object: Value::Entity(person),
            rule: "lexicon.credit".into(),
            method: Method::LexiconCorroboration,
            confidence: CORROBORATION_CONFIDENCE * link_score,
            sentence: m.sentence,
            span: m.span.clone(),
        })
    }

    /// A sentence's normalised words, each between spaces, as corroboration macros read them.
    fn sentence_words(&self, si: usize) -> String {
        let mut s = String::from(" ");
        for t in self.doc.sentences[si].tokens.clone() {
            s.push_str(self.doc.norm(t));
            s.push(' ');
        }
        s
    }
}
