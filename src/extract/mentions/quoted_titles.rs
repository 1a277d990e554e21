//! Pass 3, quoted titles: a short capitalised phrase between quotation marks is a film title
//! (`"The Man Who Knew Too Much"`, `'Ghost'`); the quotes belong to the mention, its surface
//! is the words inside.

use super::context::Cx;
use crate::extract::MentionKind;
use crate::lexicon::WordClass;

/// The most tokens a quoted title may have, closing quote included.
const MAX_QUOTED_TOKENS: usize = 9;

pub(super) fn run(cx: &mut Cx) {
    for qi in 0..cx.n {
        let Some(r) = quoted_title_at(cx, qi) else {
            continue;
        };
        // The quotes belong to the mention, so rules see `"Massacre" directed by` as a
        // title followed by `directed by`.
        if !cx.taken(r.start) && cx.push(MentionKind::Film, r.start - 1..r.end + 1, None) {
            let surface = cx.doc.surface(r.clone());
            cx.last_mut().expect("just pushed").surface = surface;
        }
    }
}

/// The words between the quotation mark at `qi` and its closing one, when they read as a
/// title (`"Hot Shots!"`, `'Ghost'`).
fn quoted_title_at(cx: &Cx, qi: usize) -> Option<std::ops::Range<usize>> {
    if !cx.has(qi, WordClass::QUOTE) {
        return None;
    }
    let quote = cx.norm(qi);
    let len = (qi + 1..cx.n.min(qi + 1 + MAX_QUOTED_TOKENS)).position(|k| cx.norm(k) == quote)?;
    let r = qi + 1..qi + 1 + len;
    (!r.is_empty() && cx.is_upper(r.start) && reads_as_title(cx, &r)).then_some(r)
}

/// The words of every quoted title of the text (before any mention is taken).
pub(super) fn spans(cx: &Cx) -> Vec<std::ops::Range<usize>> {
    (0..cx.n).filter_map(|qi| quoted_title_at(cx, qi)).collect()
}

/// True when the words between the quotes read as a title: no clause punctuation inside, at
/// least half the content words capitalised, the last one too.
fn reads_as_title(cx: &Cx, r: &std::ops::Range<usize>) -> bool {
    // A title may end with `!` or `?` (`Airplane!`), not hold a clause.
    let punct_inside = r.clone().any(|t| {
        matches!(cx.norm(t), "." | "!" | "?" | "," | ";")
            && !(t + 1 == r.end && matches!(cx.norm(t), "!" | "?"))
    });
    let (mut content, mut capitalised) = (0, 0);
    for t in r.clone().filter(|&t| cx.is_word(t)) {
        if !cx.has(t, WordClass::TITLE_SMALL_WORD) {
            content += 1;
            capitalised += usize::from(cx.is_upper(t));
        }
    }
    // Title Case capitalises a title's last word: `'Midnight Express' and` (the closing quote
    // read as a plural possessive) ends with none.
    let last_word = r.clone().rev().find(|&t| cx.is_word(t));
    let ends_capitalised = last_word
        .is_none_or(|t| cx.is_upper(t) || cx.norm(t).starts_with(|c: char| c.is_ascii_digit()));
    !punct_inside && content > 0 && capitalised * 2 >= content && ends_capitalised
}
