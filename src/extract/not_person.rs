//! Who may fill a person's place in a fact. Names that are no person's: a fact whose person argument (the object of a crew or cast
//! relation, the subject of `plays`) is a name of unknown type made only of the words of the
//! `not-a-person` word class (studios, places, genres: `a Disney film`, `Hollywood's version`)
//! is dropped, and so is one made of a lone surname the lexicon links to its only bearer
//! (`Hammer's Dracula`). Lexicon people named otherwise keep their facts. A name a word of
//! the `likeness` class follows (`a Johnny Depp wanna-be`, `a Ben Gazzara look-alike`) is a
//! comparison, and loses its facts whatever it names. A name a rule reads as a role played
//! (the character of a `plays` fact) fills no crew place there: `producer Marty Wolf (Paul
//! Giamatti)` names a character of that trade, not the film's producer. And the professions
//! a rule requires (`requires-profession actor`): a fact of such a rule naming a lexicon person
//! whose recorded professions hold none of them is dropped (`Austen's Fanny` is no actor's
//! role).

use super::{Arg, Fact, LinkMethod, Mention, MentionKind};
use crate::lexicon::{Kind, Lexicon, WordClass};
use crate::model::Relation;
use crate::rules::RuleSet;
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
    let likeness = |arg: Arg| match arg {
        Arg::Mention(i) => followed_by_likeness(doc, mentions, lexicon, &mentions[i]),
        Arg::ReviewedFilm => false,
    };
    facts.retain(|f| {
        let person = match f.relation {
            r if r.is_film_to_person() => f.object,
            Relation::Plays => f.subject,
            _ => return true,
        };
        !not_a_person(person) && !likeness(person)
    });
}

/// Drops the crew credits (director, writer, producer...; not `actor`) given to a mention that
/// a `plays` fact makes a character, unless the lexicon records the person in that trade
/// (`the score by Bruno Nicolai (Wardh)`: a title read as a role).
pub(super) fn drop_crew_characters(mentions: &[Mention], lexicon: &Lexicon, facts: &mut Vec<Fact>) {
    let roles: Vec<usize> = facts
        .iter()
        .filter(|f| f.relation == Relation::Plays)
        .filter_map(|f| match f.object {
            Arg::Mention(m) => Some(m),
            Arg::ReviewedFilm => None,
        })
        .collect();
    if roles.is_empty() {
        return;
    }
    let in_trade = |m: usize, relation: Relation| {
        mentions[m].link.is_some_and(|l| {
            let e = lexicon.entry(l.entry);
            e.kind == Kind::Person && e.roles.iter().any(|r| r == relation.key())
        })
    };
    facts.retain(|f| {
        let crew = f.relation.is_film_to_person() && f.relation != Relation::Actor;
        !(crew
            && matches!(f.object, Arg::Mention(m) if roles.contains(&m) && !in_trade(m, f.relation)))
    });
}

/// True when a word of the `likeness` class follows the name, after its `'s` or after
/// `/` and another name (`Dakota Fanning's look-alike`, `a Johnny Depp/Rob Zombie wanna-be`).
fn followed_by_likeness(
    doc: &Document,
    mentions: &[Mention],
    lexicon: &Lexicon,
    m: &Mention,
) -> bool {
    let norm = |t: usize| (t < doc.tokens.len()).then(|| doc.norm(t));
    let mut t = m.tokens.end;
    if norm(t) == Some("/")
        && let Some(next) = mentions.iter().find(|n| n.tokens.start == t + 1)
    {
        t = next.tokens.end;
    }
    if norm(t) == Some("'s") {
        t += 1;
    }
    norm(t).is_some_and(|w| lexicon.words().of(w).has(WordClass::LIKENESS))
}

/// Drops the facts of rules with `requires-profession` whose arguments include a lexicon
/// person recorded with other professions only.
pub(super) fn drop_unqualified(
    mentions: &[Mention],
    lexicon: &Lexicon,
    rules: &RuleSet,
    facts: &mut Vec<Fact>,
) {
    let unqualified = |arg: Arg, required: &[String]| {
        let Arg::Mention(i) = arg else { return false };
        mentions[i].link.is_some_and(|l| {
            let e = lexicon.entry(l.entry);
            e.kind == Kind::Person
                && !e.roles.is_empty()
                && !e.roles.iter().any(|r| required.contains(r))
        })
    };
    // The facts of one match share rule, sentence and span: all go with the one naming the
    // person (`FILM character Marnie` goes with `Hitchcock plays Marnie`).
    let dropped: Vec<(&str, usize, usize)> = facts
        .iter()
        .filter(|f| {
            rules
                .required_professions(&f.rule)
                .is_some_and(|r| unqualified(f.subject, r) || unqualified(f.object, r))
        })
        .map(|f| (f.rule.as_str(), f.sentence, f.span.start))
        .collect();
    if dropped.is_empty() {
        return;
    }
    let dropped: Vec<(String, usize, usize)> = dropped
        .into_iter()
        .map(|(r, s, b)| (r.to_string(), s, b))
        .collect();
    facts.retain(|f| {
        !dropped
            .iter()
            .any(|(r, s, b)| *r == f.rule && *s == f.sentence && *b == f.span.start)
    });
}
