//! The rule stage: each sentence encoded for the rules' regexes, matched, and read as [`Fact`]s.

use super::{Arg, Fact, Mention};
use crate::rules::{ArgSpec, Rule, RuleSet};
use crate::text::Document;
use std::ops::Range;

/// A sentence as the rules see it: units separated by spaces, mentions as placeholders.
struct EncodedSentence {
    text: String,
    /// Byte offset in `text` of the space before each unit.
    unit_starts: Vec<usize>,
    /// Byte span in the original text of each unit.
    unit_spans: Vec<Range<usize>>,
}

/// What a sentence holds, so patterns that cannot match are skipped unrun: `present[id]` for
/// the words of the rule vocabulary outside mentions, `letters` for the mention classes, and
/// in which units (as the rules' regexes count them) each of them is.
struct SentenceContent {
    present: Vec<bool>,
    /// The ids set in `present`, to clear them for the next sentence.
    set: Vec<u32>,
    /// The mention classes present: bit [`crate::rules::letter_bit`] of each placeholder letter.
    letters: u128,
    /// By vocabulary id, bit `u` when unit `u` is that word (units past 128 are not kept);
    /// zero for every word not in `set`.
    words: Vec<u128>,
    /// By placeholder letter, bit `u` when unit `u` is a mention of that class.
    classes: Box<[u128; 128]>,
    /// The units recorded so far.
    units: usize,
}

impl SentenceContent {
    fn new(rules: &RuleSet) -> Self {
        SentenceContent {
            present: vec![false; rules.vocabulary.len()],
            set: Vec::new(),
            letters: 0,
            words: vec![0; rules.vocabulary.len()],
            classes: Box::new([0; 128]),
            units: 0,
        }
    }

    fn clear(&mut self) {
        for id in self.set.drain(..) {
            self.present[id as usize] = false;
            self.words[id as usize] = 0;
        }
        let mut letters = self.letters;
        while letters != 0 {
            self.classes[letters.trailing_zeros() as usize] = 0;
            letters &= letters - 1;
        }
        self.letters = 0;
        self.units = 0;
    }

    /// The bit of the next unit, zero past the 128th.
    fn next_unit_bit(&mut self) -> u128 {
        let bit = if self.units < 128 { 1 << self.units } else { 0 };
        self.units += 1;
        bit
    }

    /// Records a mention's placeholder, whose letter is `letter`.
    fn add_mention(&mut self, letter: u8) {
        let bit = self.next_unit_bit();
        self.letters |= crate::rules::letter_bit(letter);
        self.classes[usize::from(letter & 0x7f)] |= bit;
    }

    /// Records one space-free unit of the encoded sentence.
    fn add_unit(&mut self, unit: &str, rules: &RuleSet) {
        self.add_unit_hashed(unit, None, rules);
    }

    /// [`SentenceContent::add_unit`] with the unit's FNV-1a hash when known (a token's).
    fn add_unit_hashed(&mut self, unit: &str, hash: Option<u64>, rules: &RuleSet) {
        match unit.strip_prefix('\u{ab}') {
            Some(rest) => {
                if let Some(l) = rest.bytes().next() {
                    self.add_mention(l);
                }
            }
            None => {
                let bit = self.next_unit_bit();
                let id = match hash {
                    Some(hash) => rules.vocabulary_id_hashed(unit, hash),
                    None => rules.vocabulary_id(unit),
                };
                if let Some(id) = id {
                    if !self.present[id as usize] {
                        self.present[id as usize] = true;
                        self.set.push(id);
                    }
                    self.words[id as usize] |= bit;
                }
            }
        }
    }

    /// The unit positions, when every unit of the sentence was kept.
    fn positions(&self) -> Option<crate::rules::UnitPositions<'_>> {
        (self.units <= 128).then_some(crate::rules::UnitPositions {
            words: &self.words,
            letters: self.letters,
            classes: &self.classes,
        })
    }
}

/// Records what a sentence holds (the rule vocabulary's words outside mentions, the mention
/// classes) without encoding it: most sentences let no pattern through the prefilter, and
/// are never encoded.
fn sentence_content(
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
            let mention = &mentions[m];
            // The placeholder's letter: the first byte after `«`, as `add_unit` reads it.
            let mut letter = [0u8; 4];
            mention.class.encode_utf8(&mut letter);
            content.add_mention(letter[0]);
            t = mention.tokens.end;
            m += 1;
        } else {
            // A unit seldom holds a space (a compatibility character such as `¨` folds to
            // one); rules see its pieces, as `split(' ')` of the whole text does. (Units are
            // short: a byte loop beats a call to `memchr`.)
            let unit = doc.norm(t);
            if unit.bytes().any(|b| b == b' ') {
                for piece in unit.split(' ').filter(|u| !u.is_empty()) {
                    content.add_unit(piece, rules);
                }
            } else if !unit.is_empty() {
                content.add_unit_hashed(unit, Some(doc.norm_hash(t)), rules);
            }
            t += 1;
        }
    }
}

/// Encodes a sentence for the rules' regexes: units separated by spaces, mentions as
/// placeholders `«P12»`, with each unit's offset and span.
fn encode_sentence(
    doc: &Document,
    sentence: usize,
    mentions: &[Mention],
    first_mention: usize,
    encoded: &mut EncodedSentence,
) {
    let s = &doc.sentences[sentence];
    // One set of buffers for every sentence of the document.
    let EncodedSentence {
        text,
        unit_starts,
        unit_spans,
    } = encoded;
    text.clear();
    unit_starts.clear();
    unit_spans.clear();
    let mut m = first_mention;
    let mut t = s.tokens.start;
    while t < s.tokens.end {
        unit_starts.push(text.len());
        text.push(' ');
        if m < mentions.len() && mentions[m].tokens.start == t {
            let mention = &mentions[m];
            text.push('\u{ab}');
            text.push(mention.class);
            push_decimal(text, m);
            text.push('\u{bb}');
            unit_spans.push(mention.span.clone());
            t = mention.tokens.end;
            m += 1;
        } else {
            text.push_str(doc.norm(t));
            unit_spans.push(doc.tokens[t].span.clone());
            t += 1;
        }
    }
    text.push(' ');
}

/// Appends `n` in decimal: `write!` goes through the formatting machinery, which costs more
/// than the rest of the encoding.
fn push_decimal(text: &mut String, n: usize) {
    text.push_str(itoa::Buffer::new().format(n));
}

impl EncodedSentence {
    fn unit_at(&self, offset: usize) -> usize {
        match self.unit_starts.binary_search(&offset) {
            Ok(u) => u,
            Err(u) => u.saturating_sub(1),
        }
    }

    fn offset_of_unit(&self, unit: usize) -> usize {
        self.unit_starts
            .get(unit)
            .copied()
            .unwrap_or(self.text.len() - 1)
    }
}

/// Every sentence of a document as the rules' regexes see it (units separated by spaces,
/// mentions as placeholders `«P12»`), for inspection and the stage snapshot tests.
pub fn encoded_sentences(doc: &Document, mentions: &[Mention]) -> Vec<String> {
    let mut encoded = EncodedSentence {
        text: String::new(),
        unit_starts: Vec::new(),
        unit_spans: Vec::new(),
    };
    let mut first = 0;
    (0..doc.sentences.len())
        .map(|sentence| {
            while first < mentions.len() && mentions[first].sentence < sentence {
                first += 1;
            }
            encode_sentence(doc, sentence, mentions, first, &mut encoded);
            encoded.text.clone()
        })
        .collect()
}

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
    let triggers = &rules.triggers;
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
        let present = &content.present;
        let letter_mask = content.letters;
        let positions = content.positions().filter(|_| positional_prefilter);
        candidates.fill(0);
        let mut add = |list: &[u32]| {
            for &flat in list {
                candidates[flat as usize / 64] |= 1 << (flat % 64);
            }
        };
        add(&triggers.always);
        for &id in &content.set {
            add(&triggers.by_word[id as usize]);
        }
        let mut letters = letter_mask;
        while letters != 0 {
            let letter = letters.trailing_zeros() as usize;
            letters &= letters - 1;
            add(&triggers.by_class[letter]);
        }
        // File order, so facts come out as if every pattern had been tried in turn.
        for (word_index, &word) in candidates.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let flat = word_index * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (ri, pi) = triggers.patterns[flat];
                let rule = &rules.rules[ri as usize];
                let pattern = &rule.patterns[pi as usize];
                if pattern.may_match(present, letter_mask)
                    && positions
                        .as_ref()
                        .is_none_or(|at| pattern.may_match_in_order(at))
                {
                    if !is_encoded {
                        encode_sentence(doc, si, mentions, first_mention, encoded);
                        is_encoded = true;
                    }
                    apply_pattern(rule, pattern, si, encoded, &mut facts);
                }
            }
        }
    }
    scratch.put_back();
    facts
}

/// The buffers [`apply_rules_with`] works in, kept by each thread from one review to the next:
/// the content arrays are as long as the rule vocabulary, and allocating them zeroed for every
/// review cost about 2.5% of the instructions of a corpus run (callgrind).
struct RuleScratch {
    content: SentenceContent,
    /// Candidate patterns as a bit set over their file-order positions: setting bits and
    /// reading them back in order costs less than sorting a list with duplicates.
    candidates: Vec<u64>,
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
        let vocabulary = rules.vocabulary.len();
        let patterns = rules.triggers.patterns.len().div_ceil(64);
        let mut scratch = RULE_SCRATCH.take().unwrap_or_else(|| {
            Box::new(RuleScratch {
                content: SentenceContent::new(rules),
                candidates: Vec::new(),
                encoded: EncodedSentence {
                    text: String::new(),
                    unit_starts: Vec::new(),
                    unit_spans: Vec::new(),
                },
            })
        });
        // Cleared, every array is zero, whatever rule set filled it: resizing keeps it so.
        scratch.content.clear();
        scratch.content.present.resize(vocabulary, false);
        scratch.content.words.resize(vocabulary, 0);
        scratch.candidates.clear();
        scratch.candidates.resize(patterns, 0);
        scratch
    }

    fn put_back(self: Box<Self>) {
        RULE_SCRATCH.set(Some(self));
    }
}

fn apply_pattern(
    rule: &Rule,
    pattern: &crate::rules::Pattern,
    sentence: usize,
    enc: &EncodedSentence,
    facts: &mut Vec<Fact>,
) {
    {
        // Most patterns tried do not match: a match test allocates no capture slots.
        if !pattern.regex.is_match(&enc.text) {
            return;
        }
        let mut pos = 0;
        while pos < enc.text.len() {
            let Some(caps) = pattern.regex.captures_at(&enc.text, pos) else {
                break;
            };
            let whole = caps.get(0).expect("group 0");
            // The match's trailing space is the next match's leading space.
            pos = whole.end().saturating_sub(1).max(whole.start() + 1);
            let first_unit = enc.unit_at(whole.start());
            let last_unit = enc.unit_at(whole.end().saturating_sub(2));
            let mut trigger_unit = first_unit;
            if let Some(req) = &rule.requires_before {
                let region = &enc.text[..whole.end()];
                let Some(found) = req.find_iter(region).last() else {
                    continue;
                };
                trigger_unit = trigger_unit.min(enc.unit_at(found.start()));
            }
            let from = enc.offset_of_unit(trigger_unit.saturating_sub(crate::rules::UNLESS_WINDOW));
            if rule
                .unless
                .iter()
                .any(|u| u.is_match(&enc.text[from..whole.end()]))
            {
                continue;
            }
            let after = &enc.text[whole.end().saturating_sub(1)..];
            if rule.unless_after.iter().any(|u| u.is_match(after)) {
                continue;
            }
            // A list capture takes the mentions that continue it: `X, Y and Z`.
            let mut list_items: Vec<usize> = Vec::new();
            if let Some((name, letters)) = &rule.list
                && let Some(m) = named_group(&caps, &pattern.regex, name)
            {
                let mut u = enc.unit_at(m.start().saturating_sub(1)) + 1;
                let units = enc.unit_starts.len();
                let unit_text = |u: usize| -> &str {
                    let start = enc.unit_starts[u] + 1;
                    let end = enc
                        .unit_starts
                        .get(u + 1)
                        .copied()
                        .unwrap_or(enc.text.len() - 1);
                    &enc.text[start..end]
                };
                loop {
                    // Skip a parenthesis after an item: `X (Boris), Y`.
                    if u < units && unit_text(u) == "(" {
                        match (u..units.min(u + 8)).find(|&k| unit_text(k) == ")") {
                            Some(close) => u = close + 1,
                            None => break,
                        }
                    }
                    // Skip who an item is for: `Best Director for Taylor Hackford, Best ...`
                    if u + 1 < units
                        && unit_text(u) == "for"
                        && unit_text(u + 1).starts_with('\u{ab}')
                    {
                        u += 2;
                    }
                    let mut k = u;
                    let mut joined = false;
                    loop {
                        if k < units && matches!(unit_text(k), "," | "and" | "&" | "or") {
                            k += 1;
                        } else if k + 2 < units
                            && unit_text(k) == "as"
                            && unit_text(k + 1) == "well"
                            && unit_text(k + 2) == "as"
                        {
                            k += 3;
                        } else {
                            break;
                        }
                        joined = true;
                    }
                    // `..., and the best director`
                    while joined && k < units && matches!(unit_text(k), "the" | "a" | "an") {
                        k += 1;
                    }
                    if !joined || k >= units {
                        break;
                    }
                    let t = unit_text(k);
                    let ok = t.starts_with('\u{ab}')
                        && t.chars().nth(1).is_some_and(|c| letters.contains(c));
                    match parse_placeholder(t) {
                        Some(idx) if ok => {
                            list_items.push(idx);
                            u = k + 1;
                        }
                        _ => break,
                    }
                }
            }
            let arg = |spec: &ArgSpec| -> Option<Arg> {
                match spec {
                    ArgSpec::ReviewedFilm => Some(Arg::ReviewedFilm),
                    ArgSpec::Capture { name, or_film } => {
                        match named_group(&caps, &pattern.regex, name) {
                            Some(m) => parse_placeholder(m.as_str()).map(Arg::Mention),
                            None if *or_film => Some(Arg::ReviewedFilm),
                            None => None,
                        }
                    }
                }
            };
            let span = enc.unit_spans[first_unit].start..enc.unit_spans[last_unit].end;
            let list_name = rule.list.as_ref().map(|l| l.0.as_str());
            let is_list = |spec: &ArgSpec| matches!(spec, ArgSpec::Capture { name, .. } if Some(name.as_str()) == list_name);
            for emit in &rule.emits {
                let (Some(subject), Some(object)) = (arg(&emit.subject), arg(&emit.object)) else {
                    continue;
                };
                let mut pairs = vec![(subject, object)];
                for &item in &list_items {
                    let s = if is_list(&emit.subject) {
                        Arg::Mention(item)
                    } else {
                        subject
                    };
                    let o = if is_list(&emit.object) {
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
                        rule: rule.id.clone(),
                        confidence: rule.confidence,
                        sentence,
                        span: span.clone(),
                    });
                }
            }
        }
    }
}

/// The capture of a named group. `Captures::name` looks the name up in a SipHash map; a scan
/// of a pattern's few group names costs a fraction of that.
fn named_group<'h>(
    caps: &regex::Captures<'h>,
    regex: &regex::Regex,
    name: &str,
) -> Option<regex::Match<'h>> {
    let index = regex.capture_names().position(|n| n == Some(name))?;
    caps.get(index)
}

fn parse_placeholder(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('\u{ab}')?.strip_suffix('\u{bb}')?;
    inner.get(1..)?.parse().ok()
}
