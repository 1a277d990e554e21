//! A document's sentences, with their mentions, written in the rules' sentence language
//! ([`crate::rules::sentence`]): what each sentence holds, for the prefilters, and, for a
//! sentence some pattern may match, its encoding for the regexes.

use super::Mention;
use crate::rules::{EncodedSentence, Placeholder, RuleSet, SentenceContent};
use crate::text::Document;

/// Records what a sentence holds (the rule vocabulary's words outside mentions, the mention
/// classes, and their units) without encoding it: most sentences let no pattern through
/// the prefilter, and are never encoded. `first_mention` is the sentence's first mention.
pub(super) fn sentence_content(
    doc: &Document,
    sentence: usize,
    mentions: &[Mention],
    first_mention: usize,
    rules: &RuleSet,
    content: &mut SentenceContent,
) {
    let s = &doc.sentences[sentence];
    content.clear();
    let mut m = first_mention;
    let mut t = s.tokens.start;
    while t < s.tokens.end {
        if m < mentions.len() && mentions[m].tokens.start == t {
            content.add_mention(mentions[m].class);
            t = mentions[m].tokens.end;
            m += 1;
        } else {
            // A unit seldom holds a space (a compatibility character such as `¨` folds to
            // one); rules see its pieces, as `split(' ')` of the whole text does. (Units are
            // short: a byte loop beats a call to `memchr`.)
            let unit = doc.norm(t);
            if unit.bytes().any(|b| b == b' ') {
                for piece in unit.split(' ').filter(|u| !u.is_empty()) {
                    rules.add_word(content, piece, None);
                }
            } else if !unit.is_empty() {
                rules.add_word(content, unit, Some(doc.norm_hash(t)));
            }
            t += 1;
        }
    }
}

/// Encodes a sentence for the rules' regexes: units separated by spaces, mentions as
/// placeholders `«P12»`, with each unit's offset and span.
pub(super) fn encode_sentence(
    doc: &Document,
    sentence: usize,
    mentions: &[Mention],
    first_mention: usize,
    encoded: &mut EncodedSentence,
) {
    let s = &doc.sentences[sentence];
    encoded.clear();
    let mut m = first_mention;
    let mut t = s.tokens.start;
    while t < s.tokens.end {
        if m < mentions.len() && mentions[m].tokens.start == t {
            let mention = &mentions[m];
            let placeholder = Placeholder {
                class: mention.class,
                mention: m,
            };
            encoded.push_mention(placeholder, mention.span.clone());
            t = mention.tokens.end;
            m += 1;
        } else {
            encoded.push_word(doc.norm(t), doc.tokens[t].span.clone());
            t += 1;
        }
    }
    encoded.finish();
}

/// Every sentence of a document as the rules' regexes see it (units separated by spaces,
/// mentions as placeholders `«P12»`), for inspection and the stage snapshot tests.
pub fn encoded_sentences(doc: &Document, mentions: &[Mention]) -> Vec<String> {
    let mut encoded = EncodedSentence::default();
    let mut first = 0;
    (0..doc.sentences.len())
        .map(|sentence| {
            while first < mentions.len() && mentions[first].sentence < sentence {
                first += 1;
            }
            encode_sentence(doc, sentence, mentions, first, &mut encoded);
            encoded.as_str().to_string()
        })
        .collect()
}
