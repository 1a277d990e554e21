//! Names that are no person's: a fact whose person argument (the object of a crew or cast
//! relation, the subject of `plays`) is a name of unknown type made only of the words of the
//! `not-a-person` word class (studios, places, genres: `a Disney film`, `Hollywood's version`)
//! is dropped, and so is one made of a lone surname the lexicon links to its only bearer
//! (`Hammer's Dracula`). Lexicon people named otherwise keep their facts.

use super::{Arg, Fact, LinkMethod, Mention, MentionKind};
use crate::lexicon::{Lexicon, WordClass};
use crate::model::Relation;
use crate::text::Document;

/// Drops the facts whose person argument names no person.
pub(super) fn drop_non_persons(
    doc: &Document,
    mentions: &[Mention],
    lexicon: &Lexicon,
    facts: &mut Vec<Fact>,
) {
    let not_a_person = |arg: Arg| match arg {
        Arg::Mention(i) => {
            let m = &mentions[i];
            // A lone surname linked to the one lexicon person bearing it (`Hammer`) is no
            // surer than a name of unknown type.
            let unsure = m.kind == MentionKind::Name
                || m.link.is_some_and(|l| l.method == LinkMethod::Surname);
            unsure && {
                let mut words = m
                    .tokens
                    .clone()
                    .map(|t| doc.norm(t))
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .peekable();
                words.peek().is_some()
                    && words.all(|w| lexicon.words().of(w).has(WordClass::NOT_A_PERSON))
            }
        }
        Arg::ReviewedFilm => false,
    };
    facts.retain(|f| {
        let person = match f.relation {
            Relation::Director
            | Relation::Cinematographer
            | Relation::Actor
            | Relation::Writer
            | Relation::Composer
            | Relation::Producer
            | Relation::Editor => f.object,
            Relation::Plays => f.subject,
            _ => return true,
        };
        !not_a_person(person)
    });
}
