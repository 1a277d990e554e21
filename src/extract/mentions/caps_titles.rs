//! Pass 2, ALL-CAPS titles: a run of two or more words in capitals (numbers after the first)
//! within a sentence is a film title (`IVAN THE TERRIBLE`), unless it is short or only
//! stopwords.

use super::context::Cx;
use crate::extract::MentionKind;
use crate::text::Shape;

pub(super) fn run(cx: &mut Cx) {
    let n = cx.n;
    let mut i = 0;
    while i < n {
        if cx.taken(i) || cx.shape(i) != Shape::AllCaps {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n
            && !cx.taken(j)
            && cx.same_sentence(j, i)
            && (cx.shape(j) == Shape::AllCaps || (cx.shape(j) == Shape::Number && j > i))
        {
            j += 1;
        }
        let letters: usize = (i..j).map(|t| cx.norm(t).chars().count()).sum();
        if j - i >= 2 && letters >= 6 && (i..j).any(|t| !cx.is_stopword(t)) {
            cx.push(MentionKind::Film, i..j, None);
        }
        i = j.max(i + 1);
    }
}
