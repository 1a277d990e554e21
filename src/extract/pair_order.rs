//! Which of a bracketed pair plays which. A rule marked `reversible` reads a pair of names
//! in one order (`Boris (Aleksey Batalov)`: the character, then its actor in brackets), but
//! reviews write both orders (`Starring Larenz Tate (Darius Lovehall)`). When a rule more
//! confident than the pair's makes its character an actor (`Starring`, a cast list; not
//! `actress X`, often a character's trade) and nothing but the pair makes its actor one, the
//! pair is read the other way: its `plays`, `actor` and `character` facts swap their two
//! names. Not when the lexicon knows its actor as a person (`starring Romeo (DiCaprio)`).

use super::{Arg, Fact, Mention};
use crate::lexicon::{Kind, Lexicon};
use crate::model::Relation;
use crate::rules::RuleSet;

/// Swaps the names of the pairs read by `reversible` rules whose character a more confident
/// rule makes an actor, and whose actor no rule does nor the lexicon knows.
pub(super) fn reverse_contradicted_pairs(
    mentions: &[Mention],
    lexicon: &Lexicon,
    rules: &RuleSet,
    facts: &mut [Fact],
) {
    let known_person = |m: usize| {
        mentions[m]
            .link
            .is_some_and(|l| lexicon.entry(l.entry).kind == Kind::Person)
    };
    let reversible = |f: &Fact| rules.is_reversible(&f.rule);
    // An actor fact of a rule no more confident than the pair's does not overturn it.
    let actor_elsewhere = |m: usize, above: f32, facts: &[Fact]| {
        facts.iter().any(|g| {
            g.relation == Relation::Actor
                && g.object == Arg::Mention(m)
                && !reversible(g)
                && g.confidence > above
        })
    };
    let mut swaps: Vec<(usize, usize, usize)> = Vec::new();
    for f in facts
        .iter()
        .filter(|f| f.relation == Relation::Plays && reversible(f))
    {
        let (Arg::Mention(person), Arg::Mention(character)) = (f.subject, f.object) else {
            continue;
        };
        if actor_elsewhere(character, f.confidence, facts)
            && !actor_elsewhere(person, 0.0, facts)
            && !known_person(person)
        {
            swaps.push((f.sentence, person, character));
        }
    }
    for (sentence, a, b) in swaps {
        let swap = |arg: &mut Arg| {
            *arg = match *arg {
                Arg::Mention(m) if m == a => Arg::Mention(b),
                Arg::Mention(m) if m == b => Arg::Mention(a),
                other => other,
            }
        };
        for f in facts
            .iter_mut()
            .filter(|f| f.sentence == sentence && reversible(f))
            .filter(|f| {
                [f.subject, f.object]
                    .iter()
                    .any(|&x| x == Arg::Mention(a) || x == Arg::Mention(b))
            })
        {
            swap(&mut f.subject);
            swap(&mut f.object);
        }
    }
}
