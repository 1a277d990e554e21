//! Where the words of each fact and mention are: byte spans counted in characters (Unicode
//! code points, as `cg:beginIndex`/`cg:endIndex`) and a fact's evidence words; the readings
//! and mentions of the review become complete [`ResolvedFact`]s and [`EntityMention`]s here.

use super::facts::Reading;
use super::{EntityMention, ResolvedFact};
use crate::extract::Mention;
use crate::text::{Document, clean_snippet};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// The character offset of each byte offset a review's spans start or end at.
pub(super) struct CharOffsets(FxHashMap<usize, usize>);

impl CharOffsets {
    /// Counts the characters before every start and end of `spans` in one pass over `text`.
    pub(super) fn new<'a>(text: &str, spans: impl Iterator<Item = &'a Range<usize>>) -> Self {
        let mut offsets: Vec<usize> = spans.flat_map(|s| [s.start, s.end]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut map = FxHashMap::with_capacity_and_hasher(offsets.len(), Default::default());
        // Characters are counted as the bytes that do not continue one (not 0b10xxxxxx): a
        // loop the compiler vectorises, where decoding every character does not.
        let bytes = text.as_bytes();
        let (mut byte, mut count) = (0, 0);
        for &target in &offsets {
            let end = target.min(bytes.len());
            if byte < end {
                count += bytes[byte..end]
                    .iter()
                    .filter(|&&b| (b as i8) >= -0x40)
                    .count();
                byte = end;
            }
            map.insert(target, count);
        }
        CharOffsets(map)
    }

    /// A byte span (one of those given to [`CharOffsets::new`]) in characters.
    pub(super) fn chars(&self, bytes: &Range<usize>) -> Range<usize> {
        self.0[&bytes.start]..self.0[&bytes.end]
    }

    /// The mention of an entity, with its character span.
    pub(super) fn entity_mention(&self, entity: usize, m: &Mention) -> EntityMention {
        EntityMention {
            entity,
            span: m.span.clone(),
            chars: self.chars(&m.span),
            surface: m.surface.clone(),
        }
    }
}

impl Reading {
    /// The fact, with its sentence, character span and evidence words.
    pub(super) fn into_fact(self, doc: &Document, offsets: &CharOffsets) -> ResolvedFact {
        ResolvedFact {
            subject: self.subject,
            relation: self.relation,
            object: self.object,
            rule: self.rule,
            method: self.method,
            confidence: self.confidence,
            sentence: doc.sentence_text(&doc.sentences[self.sentence]),
            chars: offsets.chars(&self.span),
            evidence: clean_snippet(&doc.text[self.span.clone()]),
            span: self.span,
        }
    }
}
