//! Pass 6, the one-token mentions left: four-digit years in the range of cinema, `he`/`she`
//! (resolved by coreference later) and `this film` / `the movie` (the reviewed film).

use super::context::Cx;
use crate::extract::MentionKind;
use crate::lexicon::WordClass;
use crate::text::Shape;
use std::ops::RangeInclusive;

/// Four-digit numbers read as years: from the first films to a little after today.
const FILM_YEARS: RangeInclusive<u32> = 1888..=2030;

pub(super) fn run(cx: &mut Cx) {
    let n = cx.n;
    for t in 0..n {
        if cx.taken(t) {
            continue;
        }
        if cx.shape(t) == Shape::Number && cx.norm(t).len() == 4 {
            let y: u32 = cx.norm(t).parse().unwrap_or(0);
            if FILM_YEARS.contains(&y) {
                cx.push(MentionKind::Year, t..t + 1, None);
            }
        } else if cx.has(t, WordClass::PERSON_PRONOUN) {
            cx.push(MentionKind::Pronoun, t..t + 1, None);
        } else if cx.has(t, WordClass::THIS_FILM_DETERMINER)
            && t + 1 < n
            && !cx.taken(t + 1)
            && cx.has(t + 1, WordClass::THIS_FILM_NOUN)
        {
            cx.push(MentionKind::ThisFilm, t..t + 2, None);
        }
    }
}
