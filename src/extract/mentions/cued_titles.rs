//! Pass 4, titles after a cue noun: Title Case words after a film noun or a title cue
//! (`the film Ivan the Terrible`, `the novel The Salt Road`) are a title, up to the first
//! lower-case word that is not a title small word, or `by`.

use super::context::Cx;
use crate::extract::MentionKind;
use crate::lexicon::WordClass;
use crate::text::Shape;

pub(super) fn run(cx: &mut Cx) {
    let n = cx.n;
    let cues = WordClass::THIS_FILM_NOUN | WordClass::OTHER_FILM_NOUN | WordClass::TITLE_CUE;
    for ci in 0..n {
        if !cx.has(ci, cues) || ci + 1 >= n {
            continue;
        }
        let start = ci + 1;
        if !cx.is_upper(start)
            || cx.taken(start)
            || cx.shape(start) == Shape::AllCaps && cx.norm(start).len() == 1
        {
            continue;
        }
        let end = title_end(cx, start);
        if end > start && !(end - start == 1 && cx.is_stopword(start)) {
            cx.push(MentionKind::Film, start..end, None);
        }
    }
}

/// The end of the title starting at `start`: after its last capitalised word or number.
fn title_end(cx: &Cx, start: usize) -> usize {
    let mut end = start;
    let mut k = start;
    while k < cx.n && cx.same_sentence(k, start) && !cx.taken(k) {
        if cx.is_upper(k) || cx.shape(k) == Shape::Number {
            end = k + 1;
        } else if cx.norm(k) == "by" || !cx.has(k, WordClass::TITLE_SMALL_WORD) {
            // `the novel The Salt Road by Edith Varnum`: the author is not in the title.
            break;
        }
        k += 1;
    }
    end
}
