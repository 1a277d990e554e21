//! Pass 4b, numbered titles: Title Case words before a sequel number are a film title with
//! it (`Troll 2`, `The Grudge 2`, `Halloween II`). The words before or after a count
//! (`Season 2`, `World War II`, `2 stars`), a person with a regnal or generational numeral
//! (`Henry VIII`) and a lone sentence opener that is a stopword (`So 4`) are not.

use super::context::Cx;
use crate::extract::MentionKind;
use crate::lexicon::WordClass;
use crate::text::Shape;
use std::ops::Range;

pub(super) fn run(cx: &mut Cx) {
    for k in 1..cx.n {
        if let Some(r) = numbered_title(cx, k) {
            cx.push(MentionKind::Film, r, None);
        }
    }
}

/// True when the token at `k` numbers a sequel: a digit or a roman numeral in capitals of
/// the `sequel-number` list, not counting what follows it (`2 stars`, `2/10`) and not the
/// start of a longer title (`Plan 9 From Outer Space`).
pub(super) fn sequel_number_at(cx: &Cx, k: usize) -> bool {
    if !cx.has(k, WordClass::SEQUEL_NUMBER)
        || !matches!(cx.shape(k), Shape::Number | Shape::AllCaps)
    {
        return false;
    }
    let next = k + 1;
    next >= cx.n
        || !cx.same_sentence(next, k)
        || !(cx.has(next, WordClass::NUMBERED_NOUN)
            || cx.is_upper(next)
            || matches!(cx.shape(next), Shape::Number | Shape::Other)
            || matches!(cx.norm(next), "/" | "%" | "-" | "." if next + 1 < cx.n && cx.shape(next + 1) == Shape::Number))
}

/// The title that ends with the sequel number at `k`, when the words before it make one.
fn numbered_title(cx: &Cx, k: usize) -> Option<Range<usize>> {
    if cx.taken(k) || !sequel_number_at(cx, k) {
        return None;
    }
    let last = k - 1;
    if !cx.same_sentence(last, k)
        || cx.taken(last)
        || !cx.is_upper(last)
        || cx.has(last, WordClass::NUMBERED_NOUN)
    {
        return None;
    }
    // Back over capitalised words, and small words between them (`Return of the Jedi`).
    let mut start = last;
    while start > 0 {
        let t = start - 1;
        let small_between = cx.has(t, WordClass::TITLE_SMALL_WORD)
            && t > 0
            && cx.is_upper(t - 1)
            && !cx.taken(t - 1)
            && cx.same_sentence(t - 1, k);
        if !cx.same_sentence(t, k) || cx.taken(t) || !(cx.is_upper(t) || small_between) {
            break;
        }
        start = t;
    }
    // A stopword that opens the sentence opens no title (`So 4`, `Then Troll 2`); a title's
    // article comes back with the title candidate.
    while start < last && cx.starts_sentence(start) && cx.is_stopword(start) {
        start += 1;
    }
    if last == start && cx.is_stopword(start) {
        return None;
    }
    // A lone capitalised word that opens the sentence may be any word (`Rented 3 films`): a
    // title there is the subject (`Critters 4 is`, `Troll 2,`).
    let next = k + 1;
    if last == start
        && cx.starts_sentence(start)
        && next < cx.n
        && cx.is_word(next)
        && !cx.has(next, WordClass::NAME_FOLLOWER)
    {
        return None;
    }
    let first = cx.norm(start);
    let roman = cx.shape(k) == Shape::AllCaps;
    let person = cx.has(start, WordClass::HONORIFIC)
        || roman
            && (cx.lexicon.is_given_name(first)
                || cx.lexicon.name_word_counts(cx.norm(last)).0 > 0);
    (!person).then_some(start..k + 1)
}
