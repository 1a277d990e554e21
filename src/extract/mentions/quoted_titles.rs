//! Pass 3, quoted titles: a short capitalised phrase between quotation marks is a film title
//! (`"The Man Who Knew Too Much"`, `'Ghost'`); the quotes belong to the mention, its surface
//! is the words inside.

use super::context::Cx;
use crate::extract::MentionKind;
use crate::lexicon::WordClass;

/// The most tokens a quoted title may have, closing quote included.
const MAX_QUOTED_TOKENS: usize = 9;

pub(super) fn run(cx: &mut Cx) {
    let n = cx.n;
    for qi in 0..n {
        // Double or single quotes: `"Hot Shots!"`, `'Ghost'`.
        if !cx.has(qi, WordClass::QUOTE) {
            continue;
        }
        let quote = cx.norm(qi);
        let Some(len) =
            (qi + 1..n.min(qi + 1 + MAX_QUOTED_TOKENS)).position(|k| cx.norm(k) == quote)
        else {
            continue;
        };
        let r = qi + 1..qi + 1 + len;
        if r.is_empty() || !cx.is_upper(r.start) || cx.taken(r.start) {
            continue;
        }
        if reads_as_title(cx, &r) {
            // The quotes belong to the mention, so rules see `"Massacre" directed by` as a
            // title followed by `directed by`.
            if cx.push(MentionKind::Film, r.start - 1..r.end + 1, None) {
                let surface = cx.doc.surface(r.clone());
                cx.last_mut().expect("just pushed").surface = surface;
            }
        }
    }
}

/// True when the words between the quotes read as a title: no clause punctuation inside, and
/// at least half the content words capitalised.
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
    !punct_inside && content > 0 && capitalised * 2 >= content
}
