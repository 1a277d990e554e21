//! The right film: the facts a sentence states about one person agree on the film. When a rule
//! credits a person to a title the sentence names ("rent Night Train (1983) starring X as
//! Rufus"), the sentence's other cast facts about that person, which the rules gave to the
//! reviewed film ("X as Rufus"), move to that title, and so does the character X plays there.

use super::{Arg, Fact};
use crate::model::Relation;
use std::collections::BTreeMap;

/// Moves each sentence's cast facts about a person to the title a rule credited them to there.
pub(super) fn attach_to_titles(facts: &mut [Fact]) {
    let mut start = 0;
    while start < facts.len() {
        let si = facts[start].sentence;
        let end = start + facts[start..].partition_point(|f| f.sentence == si);
        attach_in_sentence(&mut facts[start..end]);
        start = end;
    }
}

fn attach_in_sentence(facts: &mut [Fact]) {
    // person mention -> the title it acted in, by a rule of this sentence.
    let mut title_of: BTreeMap<usize, usize> = BTreeMap::new();
    for f in facts.iter() {
        if let (Relation::Actor, Arg::Mention(film), Arg::Mention(person)) =
            (f.relation, f.subject, f.object)
        {
            title_of.entry(person).or_insert(film);
        }
    }
    if title_of.is_empty() {
        return;
    }
    // character mention -> the title of the person who plays it.
    let mut character_title: BTreeMap<usize, usize> = BTreeMap::new();
    for f in facts.iter() {
        if let (Relation::Plays, Arg::Mention(person), Arg::Mention(character)) =
            (f.relation, f.subject, f.object)
            && let Some(&film) = title_of.get(&person)
        {
            character_title.insert(character, film);
        }
    }
    for f in facts.iter_mut() {
        let Arg::Mention(object) = f.object else {
            continue;
        };
        let title = match f.relation {
            Relation::Actor => title_of.get(&object),
            Relation::Character => character_title.get(&object),
            _ => None,
        };
        if f.subject == Arg::ReviewedFilm
            && let Some(&film) = title
        {
            f.subject = Arg::Mention(film);
        }
    }
}
