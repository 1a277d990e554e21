//! The rule stage: each sentence with a mention is checked against the rule set's
//! prefilters, encoded when some pattern may match it, matched, and each match read as
//! [`Fact`]s, one for each emit line and each item of a list capture.

use super::encode::{encode_sentence, sentence_content};
use super::{Arg, Fact, Mention};
use crate::rules::{
    CandidateSet, EmitArg, EncodedSentence, Pattern, Rule, RuleMatch, RuleSet, SentenceContent,
};
use crate::text::Document;
use std::ops::Range;

/// Applies every rule to every sentence of a document whose mentions are known.
pub fn apply_rules(doc: &Document, mentions: &[Mention], rules: &RuleSet) -> Vec<Fact> {
    apply_rules_with(doc, mentions, rules, true)
}

/// [`apply_rules`], with or without the positional prefilter (tests compare the two).
pub(crate) fn apply_rules_with(
    doc: &Document,
    mentions: &[Mention],
    rules: &RuleSet,
    positional_prefilter: bool,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    let mut first_mention = 0;
    let mut scratch = RuleScratch::take(rules);
    let RuleScratch {
        content,
        candidates,
        encoded,
    } = &mut *scratch;
    for si in 0..doc.sentences.len() {
        while first_mention < mentions.len() && mentions[first_mention].sentence < si {
            first_mention += 1;
        }
        // Every fact names a mention, so a sentence without one is not even encoded.
        if mentions.get(first_mention).is_none_or(|m| m.sentence != si) {
            continue;
        }
        sentence_content(doc, si, mentions, first_mention, rules, content);
        let mut is_encoded = false;
        for (rule, pattern) in rules.candidates(content, candidates, positional_prefilter) {
            if !is_encoded {
                encode_sentence(doc, si, mentions, first_mention, encoded);
                is_encoded = true;
            }
            apply_pattern(rule, pattern, si, encoded, &mut facts);
        }
    }
    scratch.put_back();
    facts
}

/// The buffers [`apply_rules_with`] works in, kept by each thread from one review to the
/// next in `RULE_SCRATCH`: the content arrays are as long as the rule vocabulary, and
/// allocating them zeroed for every review was a measurable share of a corpus run. This is
/// the only hidden state of the rule stage; explicit scratch would change the pipeline's API.
#[derive(Default)]
struct RuleScratch {
    content: SentenceContent,
    candidates: CandidateSet,
    encoded: EncodedSentence,
}

thread_local! {
    static RULE_SCRATCH: std::cell::Cell<Option<Box<RuleScratch>>> =
        const { std::cell::Cell::new(None) };
}

impl RuleScratch {
    /// This thread's buffers, cleared and sized for `rules` (a thread may apply several rule
    /// sets in turn).
    fn take(rules: &RuleSet) -> Box<RuleScratch> {
        let mut scratch = RULE_SCRATCH.take().unwrap_or_default();
        scratch.content.reset(rules.vocabulary_len());
        scratch.candidates.reset(rules.pattern_count());
        scratch
    }

    fn put_back(self: Box<Self>) {
        RULE_SCRATCH.set(Some(self));
    }
}

/// Runs one pattern of a rule over an encoded sentence, adding the facts of its matches.
fn apply_pattern(
    rule: &Rule,
    pattern: &Pattern,
    sentence: usize,
    enc: &EncodedSentence,
    facts: &mut Vec<Fact>,
) {
    for m in rule.matches(pattern, enc) {
        // A list capture takes the mentions that continue it: `X, Y and Z`.
        let items = rule.list_items(&m, enc);
        let span = enc.span_of_units(m.first_unit, m.last_unit);
        emit(rule, &m, &items, sentence, &span, facts);
    }
}

/// The facts of one match: for each emit line whose arguments the match binds, its fact,
/// and one more for each list item in place of the list capture.
fn emit(
    rule: &Rule,
    m: &RuleMatch<'_>,
    list_items: &[usize],
    sentence: usize,
    span: &Range<usize>,
    facts: &mut Vec<Fact>,
) {
    let arg = |spec: EmitArg| -> Option<Arg> {
        match spec {
            EmitArg::ReviewedFilm => Some(Arg::ReviewedFilm),
            EmitArg::Capture { capture, or_film } => match m.mention(capture) {
                Some(mention) => Some(Arg::Mention(mention)),
                None if or_film => Some(Arg::ReviewedFilm),
                None => None,
            },
        }
    };
    let list = rule.list().map(|l| l.capture);
    let is_list =
        |spec: EmitArg| matches!(spec, EmitArg::Capture { capture, .. } if Some(capture) == list);
    for emit in rule.emits() {
        let (Some(subject), Some(object)) = (arg(emit.subject), arg(emit.object)) else {
            continue;
        };
        let mut pairs = vec![(subject, object)];
        for &item in list_items {
            let s = if is_list(emit.subject) {
                Arg::Mention(item)
            } else {
                subject
            };
            let o = if is_list(emit.object) {
                Arg::Mention(item)
            } else {
                object
            };
            if (s, o) != (subject, object) {
                pairs.push((s, o));
            }
        }
        for (subject, object) in pairs {
            if subject == object {
                continue;
            }
            facts.push(Fact {
                subject,
                relation: emit.relation,
                object,
                rule: rule.id().to_string(),
                confidence: rule.confidence(),
                sentence,
                span: span.clone(),
            });
        }
    }
}
