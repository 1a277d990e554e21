//! Which of a bracketed pair plays which. A rule marked `reversible` reads a pair of names
//! in one order (`Boris (Aleksey Batalov)`: the character, then its actor in brackets), but
//! reviews write both orders (`Starring Larenz Tate (Darius Lovehall)`). A pair is read the
//! other way (its `plays`, `actor` and `character` facts swap their two names) when
//! - a rule more confident than the pair's makes its character an actor (`Starring`, a cast
//!   list; not `actress X`, often a character's trade) and nothing but the pair makes its
//!   actor one;
//! - or it puts the character first in a sentence whose other pairs, two or more, put the
//!   actor first (`Sean Pertwee (Mace); Gary Busey (Captain Church); Michael Chiklis (Jimmy
//!   Pig)`): a list keeps one order.
//!
//! Never when the lexicon knows its actor as a person (`starring Romeo (DiCaprio)`).

use super::{Arg, Fact, Mention};
use crate::lexicon::{Kind, Lexicon};
use crate::model::Relation;
use crate::rules::RuleSet;

/// A pair a `reversible` rule read: its sentence, actor, character and the rule's confidence.
#[derive(Clone, Copy)]
struct Pair {
    sentence: usize,
    person: usize,
    character: usize,
    confidence: f32,
}

/// Swaps the names of the pairs read by `reversible` rules that other facts of their
/// sentence contradict.
pub(super) fn reverse_contradicted_pairs(
    mentions: &[Mention],
    lexicon: &Lexicon,
    rules: &RuleSet,
    facts: &mut [Fact],
) {
    // Most reviews have no pair to weigh.
    if !facts.iter().any(|f| rules.is_reversible(&f.rule)) {
        return;
    }
    let pairs = Pairs {
        mentions,
        lexicon,
        rules,
    };
    let swaps = pairs.contradicted(facts);
    pairs.swap(facts, &swaps);
    let swaps = pairs.out_of_step(facts);
    pairs.swap(facts, &swaps);
}

struct Pairs<'a> {
    mentions: &'a [Mention],
    lexicon: &'a Lexicon,
    rules: &'a RuleSet,
}

impl Pairs<'_> {
    fn reversible(&self, f: &Fact) -> bool {
        self.rules.is_reversible(&f.rule)
    }

    /// The pairs of the facts whose actor the lexicon does not know.
    fn of<'f>(&'f self, facts: &'f [Fact]) -> impl Iterator<Item = Pair> + 'f {
        facts
            .iter()
            .filter(|f| f.relation == Relation::Plays && self.reversible(f))
            .filter_map(|f| match (f.subject, f.object) {
                (Arg::Mention(person), Arg::Mention(character)) => Some(Pair {
                    sentence: f.sentence,
                    person,
                    character,
                    confidence: f.confidence,
                }),
                _ => None,
            })
            .filter(|p| !self.known_person(p.person))
    }

    fn known_person(&self, m: usize) -> bool {
        self.mentions[m]
            .link
            .is_some_and(|l| self.lexicon.entry(l.entry).kind == Kind::Person)
    }

    /// True when a rule more confident than `above` (and not a pair's) makes `m` an actor.
    fn actor_elsewhere(&self, m: usize, above: f32, facts: &[Fact]) -> bool {
        facts.iter().any(|g| {
            g.relation == Relation::Actor
                && g.object == Arg::Mention(m)
                && !self.reversible(g)
                && g.confidence > above
        })
    }

    /// Pairs whose character a more confident rule makes an actor, and whose actor no other
    /// rule does.
    fn contradicted(&self, facts: &[Fact]) -> Vec<Pair> {
        self.of(facts)
            .filter(|p| {
                self.actor_elsewhere(p.character, p.confidence, facts)
                    && !self.actor_elsewhere(p.person, 0.0, facts)
            })
            .collect()
    }

    /// Pairs putting the character first in a sentence whose other pairs, two or more, put
    /// the actor first.
    fn out_of_step(&self, facts: &[Fact]) -> Vec<Pair> {
        let actor_first = |p: &Pair| {
            self.mentions[p.person].tokens.start < self.mentions[p.character].tokens.start
        };
        let all: Vec<Pair> = self.of(facts).collect();
        all.iter()
            .filter(|p| !actor_first(p))
            .filter(|p| {
                let step = (all.iter())
                    .filter(|q| q.sentence == p.sentence && actor_first(q))
                    .count();
                step >= 2 && !self.actor_elsewhere(p.person, 0.0, facts)
            })
            .copied()
            .collect()
    }

    fn swap(&self, facts: &mut [Fact], swaps: &[Pair]) {
        for &Pair {
            sentence,
            person: a,
            character: b,
            ..
        } in swaps
        {
            let swap = |arg: &mut Arg| {
                *arg = match *arg {
                    Arg::Mention(m) if m == a => Arg::Mention(b),
                    Arg::Mention(m) if m == b => Arg::Mention(a),
                    other => other,
                }
            };
            for f in facts
                .iter_mut()
                .filter(|f| f.sentence == sentence && self.rules.is_reversible(&f.rule))
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
}
