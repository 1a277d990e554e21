//! Sentence splitting: a document's tokens cut at terminators (`.`, `!`, `?` with their
//! closing quotes), not after abbreviations or initials, and always at hard breaks (block tags,
//! blank lines) the tokeniser found.

use super::{Document, Sentence, Shape, Token};
use std::ops::Range;

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "prof", "mt", "no", "vol", "ca", "e.g",
    "i.e", "co", "inc", "ltd", "capt", "sgt", "col", "lt", "gen", "cpl", "pvt", "maj", "cmdr",
    "rev", "insp", "supt",
];

/// The sentences of a tokenised document; a sentence always ends before a token of `breaks`.
pub(super) fn split_sentences(doc: &Document, breaks: &[usize]) -> Vec<Sentence> {
    let (tokens, text) = (&doc.tokens, &doc.text);
    // About a sentence every twenty tokens: sized once instead of grown from empty.
    let mut sentences = Vec::with_capacity(tokens.len() / 16 + breaks.len() + 1);
    let mut start = 0;
    let mut next_break = breaks.iter().peekable();
    let mut i = 0;
    while i < tokens.len() {
        while next_break.peek().is_some_and(|&&b| b <= i) {
            let b = *next_break.next().expect("peeked");
            if b == i && i > start {
                push_sentence(&mut sentences, tokens, start..i);
                start = i;
            }
        }
        let t = &tokens[i];
        let mut end_here = false;
        if t.shape == Shape::Punct && matches!(doc.norm_of(t), "." | "!" | "?") {
            // Absorb runs of terminators and closing quotes/brackets: `...`, `?!`, `."`.
            let mut j = i + 1;
            while j < tokens.len()
                && matches!(doc.norm(j), "." | "!" | "?" | "\"" | "'" | ")")
                && tokens[j].span.start == tokens[j - 1].span.end
            {
                j += 1;
            }
            let prev = i.checked_sub(1).map(|p| &tokens[p]);
            let is_abbrev = doc.norm(i) == "."
                && j == i + 1
                && prev.is_some_and(|p| {
                    let norm = doc.norm_of(p);
                    p.span.end == t.span.start
                        && (ABBREVIATIONS.contains(&norm)
                            || (p.shape == Shape::AllCaps && norm.chars().count() == 1))
                });
            let next = tokens.get(j);
            let next_starts = next.is_none_or(|n| {
                !matches!(n.shape, Shape::Lower) || text[n.span.clone()].starts_with('"')
            });
            if !is_abbrev && next_starts {
                end_here = true;
                i = j - 1;
            }
        }
        i += 1;
        if end_here {
            push_sentence(&mut sentences, tokens, start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        push_sentence(&mut sentences, tokens, start..tokens.len());
    }
    sentences
}

fn push_sentence(sentences: &mut Vec<Sentence>, tokens: &[Token], range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    let span = tokens[range.start].span.start..tokens[range.end - 1].span.end;
    sentences.push(Sentence {
        tokens: range,
        span,
    });
}

#[cfg(test)]
mod tests {
    use super::super::Document;

    /// Ranks and titles with a full stop open a name (`Capt. Willard (Martin Sheen)`).
    #[test]
    fn a_rank_abbreviation_ends_no_sentence() {
        let doc =
            Document::new("Brad Pitt plays Lt. Aldo Raine. Col. Kurtz waits and Sgt. Bilko jokes.");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(
            doc.sentence_text(&doc.sentences[1]),
            "Col. Kurtz waits and Sgt. Bilko jokes."
        );
    }

    #[test]
    fn sentences_split_on_tags_and_terminators_not_initials() {
        let doc = Document::new("Directed by Sergei M. Eisenstein. It won.<br /><br />great film");
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(
            doc.sentence_text(&doc.sentences[0]),
            "Directed by Sergei M. Eisenstein."
        );
    }
}
