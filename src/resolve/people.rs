//! People: surname coreference (a single word takes the full name met elsewhere in the
//! review), pronouns (the nearest person named before), and the person and character
//! entities a name mention stands for.

use super::Resolver;
use super::entities::display_case;
use crate::extract::{Extraction, LinkMethod, Mention, MentionKind};
use crate::lexicon::{Kind, Lexicon, WordClass, WordClasses};
use crate::text::normalize::slug;
use crate::text::normalize_word;
use crate::vocab::EntityKind;
use rustc_hash::FxHashMap;

impl Resolver<'_> {
    /// The person a person, name or pronoun mention stands for, and whether it took the name
    /// by coreference.
    pub(super) fn person(&mut self, m: usize) -> Option<(usize, bool)> {
        self.person_as(m, None)
    }

    /// [`Resolver::person`] for a fact that gives the person `role` (`actor`, `director`…):
    /// a lone surname the lexicon gave one of its people names someone else when the lexicon
    /// records what that person did and `role` is not among it (`Rickman` acting is not the
    /// writer Tom Rickman, `Huston's direction` not the actress Anjelica Huston).
    pub(super) fn person_as(&mut self, m: usize, role: Option<&str>) -> Option<(usize, bool)> {
        let mention = self.mention(m);
        if mention.kind == MentionKind::Pronoun {
            let antecedent = self.antecedent(m)?;
            return self.person_as(antecedent, role).map(|(p, _)| (p, true));
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
            let entry = self.lexicon.entry(link.entry);
            let other_trade = link.method == LinkMethod::Surname
                && role.is_some_and(|r| {
                    !entry.roles.is_empty() && !entry.roles.iter().any(|t| t == r)
                });
            if !other_trade {
                return Some((self.entities.lexicon_entity(link.entry), coref));
            }
        }
        let label = display_case(self.lexicon.words(), &hm.surface);
        Some((self.entities.named(EntityKind::Person, label), coref))
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
                        && !names_an_organisation(self.lexicon.words(), &m.surface)
            })
    }

    /// The character of `film` a person or name mention stands for; or a title mention a
    /// rule put in a role's place (`as "The Boss"`: the mention finder reads quoted names as
    /// titles).
    pub(super) fn character(&mut self, m: usize, film: usize) -> Option<usize> {
        let mention = self.mention(m);
        if !matches!(
            mention.kind,
            MentionKind::Person | MentionKind::Name | MentionKind::Film
        ) {
            return None;
        }
        let head = self.mention(self.person_head[m]);
        let label = display_case(self.lexicon.words(), &head.surface);
        let iri = character_iri(self.entities.get(film).local_name(), &slug(&label));
        Some(
            self.entities
                .get_or_add(EntityKind::Character, iri, label, None),
        )
    }

    /// The person entity the head of a person mention names, if the review has it: what
    /// [`Resolver::person`] would give, found without adding an entity. `by_slug` holds the
    /// review's people and the reviewed film's characters by their slug.
    pub(super) fn person_entity_of(
        &self,
        head: &Mention,
        by_slug: &PeopleBySlug<'_>,
    ) -> Option<usize> {
        head.link
            .filter(|link| self.lexicon.entry(link.entry).kind == Kind::Person)
            .and_then(|link| self.entities.find_lexicon(link.entry))
            .or_else(|| {
                if by_slug.people.is_empty() && by_slug.characters.is_empty() {
                    return None;
                }
                let label = slug(&display_case(self.lexicon.words(), &head.surface));
                by_slug
                    .people
                    .get(label.as_str())
                    .or_else(|| by_slug.characters.get(label.as_str()))
                    .copied()
            })
    }
}

/// The review's people and the reviewed film's characters by the slug their IRI ends with:
/// most names of a review name neither, and a look-up by slug builds no IRI.
pub(super) struct PeopleBySlug<'a> {
    people: FxHashMap<&'a str, usize>,
    characters: FxHashMap<&'a str, usize>,
}

impl<'a> PeopleBySlug<'a> {
    pub(super) fn new(r: &'a Resolver<'_>) -> Self {
        let character_prefix = character_iri(r.entities.get(r.film).local_name(), "");
        let mut by_slug = PeopleBySlug {
            people: Default::default(),
            characters: Default::default(),
        };
        for (iri, index) in r.entities.iris() {
            if let Some(slug) = EntityKind::Person.local_name(iri) {
                by_slug.people.insert(slug, index);
            } else if let Some(slug) = iri.strip_prefix(character_prefix.as_str()) {
                by_slug.characters.insert(slug, index);
            }
        }
        by_slug
    }
}

/// A character's IRI, scoped by its film's local name: `--` never occurs in a slug, so film
/// and name stay apart.
fn character_iri(film: &str, name: &str) -> String {
    EntityKind::Character.iri(&[film, "--", name])
}

/// True when a name ends with a word of institutions (`American Academy`, `Red Army`).
fn names_an_organisation(words: &WordClasses, surface: &str) -> bool {
    surface.rsplit(' ').next().is_some_and(|w| {
        words
            .of(&normalize_word(w))
            .has(WordClass::ORGANISATION_WORD)
    })
}

/// Picks the head mention of each person/name mention: a single word joins an earlier (or
/// else later) multi-word name of the review ending or starting with it. Not one ending a
/// name the lexicon does not know that opens with a `not-a-person` word that is no given
/// name (`Dracula` is not `the last Hammer Dracula film`).
pub(super) fn person_heads(x: &Extraction, lexicon: &Lexicon) -> Vec<usize> {
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
        let qualified = |j: usize, fw: &[String]| {
            x.mentions[j].link.is_some()
                || !lexicon.words().of(&fw[0]).has(WordClass::NOT_A_PERSON)
                || lexicon.is_given_name(&fw[0])
        };
        let candidates: Vec<usize> = full
            .iter()
            .filter(|(j, fw)| {
                fw.first() == Some(word) || (fw.last() == Some(word) && qualified(*j, fw))
            })
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
