//! The RDF stage: a resolved review becomes triples in the default graph (the review node,
//! its entities with one label each, the facts), following the contract in
//! `ontology/README.md`. Each fact is asserted once as a plain triple and each reading of it
//! gets an RDF 1.2 reifier (`occurrence:<review>-<n> rdf:reifies <<( s p o )>>`) with the
//! review, rule, method, confidence, sentence and character span; each mention of an entity
//! is a reifier of `entity cg:mentionedIn review` with its words and span.

use crate::resolve::{ResolvedReview, Value};
use crate::vocab::{self, class, prop};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::BTreeMap;

fn node(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn triple(s: &str, p: &str, o: impl Into<Term>) -> Quad {
    Quad::new(
        NamedOrBlankNode::from(node(s)),
        node(p),
        o,
        GraphName::DefaultGraph,
    )
}

/// The quads of a review, sorted and without duplicates.
///
/// Entities appear only when a fact (or the review) uses them; awards bring their festival.
///
/// ```
/// use cinegraph::{Extractor, model::ReviewInput};
/// let extractor = Extractor::load_default().unwrap();
/// let review = extractor.extract(&ReviewInput {
///     source_id: "r1".into(),
///     text: "The film was directed by Kevin Tenney.".into(),
///     imdb: None,
///     rating: Some(3),
/// });
/// let quads = cinegraph::rdf::review_quads(&review);
/// assert!(quads.iter().any(|q| q.predicate.as_str() == cinegraph::vocab::prop::DIRECTOR));
/// ```
pub fn review_quads(review: &ResolvedReview) -> Vec<Quad> {
    review_quads_with_text(review)
        .into_iter()
        .map(|(_, q)| q)
        .collect()
}

/// [`review_quads`] with each quad's N-Triples text (without the final ` .`), which is also
/// its N-Quads text since every quad is in the default graph.
pub fn review_quads_with_text(review: &ResolvedReview) -> Vec<(String, Quad)> {
    let mut sink = QuadSink::default();
    emit_review(review, &mut sink);
    sink.0.into_iter().collect()
}

/// The N-Triples lines (without the final ` .`) of [`review_quads`], in the same order: what
/// streamed output needs, written without building the quads.
///
/// ```
/// use cinegraph::{Extractor, model::ReviewInput};
/// let extractor = Extractor::load_default().unwrap();
/// let review = extractor.extract(&ReviewInput {
///     source_id: "r1".into(),
///     text: "The film was directed by Kevin Tenney.".into(),
///     imdb: None,
///     rating: Some(3),
/// });
/// let lines = cinegraph::rdf::review_lines(&review);
/// let quads = cinegraph::rdf::review_quads(&review);
/// assert_eq!(lines, quads.iter().map(|q| q.to_string()).collect::<Vec<_>>());
/// ```
pub fn review_lines(review: &ResolvedReview) -> Vec<String> {
    let lines = ReviewLines::of(review);
    lines.iter().map(str::to_string).collect()
}

/// The N-Triples lines of a review, sorted and without duplicates, as the text of an N-Triples
/// document (every line ending ` .\n`), with where its `rdfs:label` lines are: what streamed
/// output writes as it is, built on the extraction threads so the thread that writes only
/// drops the labels of entities already labelled.
///
/// ```
/// use cinegraph::{Extractor, model::ReviewInput, rdf::ReviewLines};
/// let extractor = Extractor::load_default().unwrap();
/// let review = extractor.extract(&ReviewInput {
///     source_id: "r1".into(),
///     text: "The film was directed by Kevin Tenney.".into(),
///     imdb: None,
///     rating: None,
/// });
/// let lines = ReviewLines::of(&review);
/// assert_eq!(lines.iter().collect::<Vec<_>>(), cinegraph::rdf::review_lines(&review));
/// assert!(lines.ntriples().ends_with(" .\n"));
/// let (line, subject) = lines.labels().next().unwrap();
/// assert!(lines.ntriples()[line].starts_with(subject));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ReviewLines {
    /// The lines in sorted order, each followed by ` .\n`.
    text: String,
    /// Byte ranges in `text` of the lines, without their ` .\n`.
    lines: Vec<std::ops::Range<u32>>,
    /// Indices in `lines` of the `rdfs:label` lines, with the length of their subject.
    labels: Vec<(u32, u32)>,
}

impl ReviewLines {
    /// The sorted, distinct lines of a review.
    pub fn of(review: &ResolvedReview) -> ReviewLines {
        thread_local! {
            // The lines as emitted, before sorting: the same buffers review after review.
            static EMITTED: std::cell::Cell<Option<Box<LineSink>>> =
                const { std::cell::Cell::new(None) };
        }
        let mut sink = EMITTED.take().unwrap_or_else(|| {
            Box::new(LineSink {
                text: String::new(),
                lines: Vec::new(),
                labels: Vec::new(),
            })
        });
        sink.text.clear();
        sink.lines.clear();
        sink.labels.clear();
        emit_review(review, &mut *sink);
        let emitted = &sink.text;
        let line = |r: &std::ops::Range<u32>| &emitted.as_bytes()[r.start as usize..r.end as usize];
        sink.lines.sort_unstable_by(|a, b| line(a).cmp(line(b)));
        sink.lines.dedup_by(|a, b| line(a) == line(b));
        let mut lines = ReviewLines {
            text: String::with_capacity(emitted.len() + 3 * sink.lines.len()),
            lines: Vec::with_capacity(sink.lines.len()),
            labels: Vec::with_capacity(sink.labels.len()),
        };
        for (i, r) in sink.lines.iter().enumerate() {
            if let Some(&(_, subject_len)) = sink.labels.iter().find(|(start, _)| *start == r.start)
            {
                lines.labels.push((i as u32, subject_len));
            }
            let start = lines.text.len() as u32;
            lines
                .text
                .push_str(&emitted[r.start as usize..r.end as usize]);
            lines.lines.push(start..lines.text.len() as u32);
            lines.text.push_str(" .\n");
        }
        EMITTED.set(Some(sink));
        lines
    }

    /// The lines in order, without their final ` .`.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.lines
            .iter()
            .map(|r| &self.text[r.start as usize..r.end as usize])
    }

    /// The lines as an N-Triples document: each one ends ` .\n`.
    pub fn ntriples(&self) -> &str {
        &self.text
    }

    /// The `rdfs:label` lines: the byte range in [`ReviewLines::ntriples`] of each one (its
    /// ` .\n` included), with its subject (`<iri>`).
    pub fn labels(&self) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
        self.labels.iter().map(|&(i, subject_len)| {
            let r = &self.lines[i as usize];
            let (start, end) = (r.start as usize, r.end as usize);
            (
                start..end + 3,
                &self.text[start..start + subject_len as usize],
            )
        })
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when there is no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// An object as the RDF stage writes it, borrowed: turned into text or into an Oxigraph term
/// by the sink.
enum Object<'a> {
    Iri(&'a str),
    /// A simple literal.
    Text(&'a str),
    /// A literal with a datatype.
    Typed(&'a str, &'static str),
    /// A quoted triple (the object of `rdf:reifies`).
    Triple(&'a str, &'static str, &'a Object<'a>),
}

/// Where the triples of a review go.
trait Sink {
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>);
}

/// Collects N-Triples lines end to end in one buffer.
struct LineSink {
    text: String,
    lines: Vec<std::ops::Range<u32>>,
    /// Where each `rdfs:label` line starts, and the length of its subject (`<iri>`).
    labels: Vec<(u32, u32)>,
}

impl Sink for LineSink {
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>) {
        let start = self.text.len() as u32;
        write_line(subject, predicate, object, &mut self.text);
        if predicate == vocab::RDFS_LABEL {
            // `write_line` starts with the subject, written `<iri>`.
            self.labels.push((start, subject.len() as u32 + 2));
        }
        self.lines.push(start..self.text.len() as u32);
    }
}

/// Collects quads keyed by their N-Triples text, for order and uniqueness.
#[derive(Default)]
struct QuadSink(BTreeMap<String, Quad>);

impl Sink for QuadSink {
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>) {
        let mut line = String::with_capacity(160);
        write_line(subject, predicate, object, &mut line);
        self.0
            .insert(line, triple(subject, predicate, term(object)));
    }
}

fn term(object: &Object<'_>) -> Term {
    match *object {
        Object::Iri(iri) => node(iri).into(),
        Object::Text(text) => Literal::new_simple_literal(text).into(),
        Object::Typed(value, datatype) => Literal::new_typed_literal(value, node(datatype)).into(),
        Object::Triple(s, p, o) => Term::Triple(Box::new(Triple::new(node(s), node(p), term(o)))),
    }
}

/// Writes a triple's N-Triples text exactly as Oxigraph's `Display` of the quad does.
fn write_line(subject: &str, predicate: &str, object: &Object<'_>, out: &mut String) {
    write_iri(subject, out);
    out.push(' ');
    write_iri(predicate, out);
    out.push(' ');
    match *object {
        Object::Iri(iri) => write_iri(iri, out),
        Object::Text(text) => write_quoted(text, out),
        Object::Typed(value, datatype) => {
            write_quoted(value, out);
            if datatype != oxigraph::model::vocab::xsd::STRING.as_str() {
                out.push_str("^^");
                write_iri(datatype, out);
            }
        }
        Object::Triple(s, p, o) => {
            out.push_str("<<( ");
            write_line(s, p, o, out);
            out.push_str(" )>>");
        }
    }
}

/// Emits the triples of a review (see [`review_quads`]).
fn emit_review(review: &ResolvedReview, out: &mut impl Sink) {
    let film = &review.entities[review.film];
    out.add(&review.iri, vocab::RDF_TYPE, &Object::Iri(class::REVIEW));
    out.add(
        &review.iri,
        prop::SOURCE_ID,
        &Object::Text(&review.source_id),
    );
    out.add(&review.iri, prop::REVIEW_OF, &Object::Iri(&film.iri));
    if let Some(rating) = review.rating {
        let rating = rating.to_string();
        out.add(
            &review.iri,
            prop::RATING,
            &Object::Typed(&rating, vocab::XSD_INTEGER),
        );
    }
    let mut used = vec![false; review.entities.len()];
    used[review.film] = true;
    let review_key = review.iri.rsplit('/').next().unwrap_or_default();
    let mut occ = String::new();
    for (n, f) in review.facts.iter().enumerate() {
        let s = &review.entities[f.subject];
        used[f.subject] = true;
        let object = match &f.object {
            Value::Entity(o) => {
                used[*o] = true;
                Object::Iri(&review.entities[*o].iri)
            }
            Value::Year(y) => Object::Typed(y, vocab::XSD_GYEAR),
            Value::Text(t) => Object::Text(t),
        };
        let property = f.relation.property();
        out.add(&s.iri, property, &object);
        // One reifier per occurrence of the fact, numbered in fact order: re-extracting the
        // review gives the same IRIs, so the store stays idempotent.
        occ.clear();
        occ.push_str(vocab::OCCURRENCE_NS);
        occ.push_str(review_key);
        occ.push('-');
        occ.push_str(&(n + 1).to_string());
        out.add(&occ, vocab::RDF_TYPE, &Object::Iri(class::OCCURRENCE));
        out.add(
            &occ,
            vocab::RDF_REIFIES,
            &Object::Triple(&s.iri, property, &object),
        );
        out.add(
            &occ,
            vocab::PROV_WAS_DERIVED_FROM,
            &Object::Iri(&review.iri),
        );
        out.add(&occ, prop::RULE, &Object::Text(&f.rule));
        out.add(&occ, prop::METHOD, &Object::Text(f.method.as_str()));
        let confidence = decimal(f.confidence);
        out.add(
            &occ,
            prop::CONFIDENCE,
            &Object::Typed(&confidence, vocab::XSD_DECIMAL),
        );
        out.add(&occ, prop::SENTENCE, &Object::Text(&f.sentence));
        out.add(&occ, prop::EVIDENCE, &Object::Text(&f.evidence));
        add_offsets(out, &occ, &f.chars);
    }
    // Mentions of the entities the graph holds: `e cg:mentionedIn review`, reified once per
    // mention with its words and character span.
    let mut n = 0;
    let mut id = String::new();
    for m in &review.mentions {
        if !used[m.entity] {
            continue;
        }
        n += 1;
        let e = &review.entities[m.entity].iri;
        let review_node = Object::Iri(&review.iri);
        out.add(e, prop::MENTIONED_IN, &review_node);
        id.clear();
        id.push_str(vocab::MENTION_NS);
        id.push_str(review_key);
        id.push('-');
        id.push_str(&n.to_string());
        out.add(&id, vocab::RDF_TYPE, &Object::Iri(class::MENTION));
        out.add(
            &id,
            vocab::RDF_REIFIES,
            &Object::Triple(e, prop::MENTIONED_IN, &review_node),
        );
        out.add(&id, prop::SURFACE, &Object::Text(&m.surface));
        add_offsets(out, &id, &m.chars);
    }
    for i in 0..review.entities.len() {
        if used[i]
            && let Some(fest) = review.entities[i].festival
        {
            used[fest] = true;
            out.add(
                &review.entities[i].iri,
                prop::FESTIVAL,
                &Object::Iri(&review.entities[fest].iri),
            );
        }
    }
    for (e, _) in review.entities.iter().zip(&used).filter(|(_, u)| **u) {
        out.add(&e.iri, vocab::RDF_TYPE, &Object::Iri(e.kind.class()));
        out.add(&e.iri, vocab::RDFS_LABEL, &Object::Text(&e.label));
        if let Some(id) = &e.imdb_id {
            out.add(&e.iri, prop::IMDB_ID, &Object::Text(id));
            let base = if id.starts_with("tt") {
                vocab::IMDB_TITLE
            } else {
                vocab::IMDB_NAME
            };
            let same = format!("{base}{id}/");
            out.add(&e.iri, vocab::OWL_SAME_AS, &Object::Iri(&same));
        }
    }
}

fn add_offsets(out: &mut impl Sink, subject: &str, chars: &std::ops::Range<usize>) {
    // Two offsets a mention: `to_string` would allocate each.
    let (mut begin, mut end) = (itoa::Buffer::new(), itoa::Buffer::new());
    out.add(
        subject,
        prop::BEGIN_INDEX,
        &Object::Typed(begin.format(chars.start), vocab::XSD_INTEGER),
    );
    out.add(
        subject,
        prop::END_INDEX,
        &Object::Typed(end.format(chars.end), vocab::XSD_INTEGER),
    );
}

/// A confidence as the canonical `xsd:decimal` form (the one Oxigraph stores, so the snapshot
/// round-trips) with at most three decimals (`0.85`, `1`).
///
/// ```
/// assert_eq!(cinegraph::rdf::decimal(0.85), "0.85");
/// assert_eq!(cinegraph::rdf::decimal(1.0), "1");
/// assert_eq!(cinegraph::rdf::decimal(0.0), "0");
/// assert_eq!(cinegraph::rdf::decimal(0.7906), "0.791");
/// ```
pub fn decimal(x: f32) -> String {
    // A review's confidences are a handful of values (a rule's confidence times a link's
    // score), and formatting a float costs a thousand instructions: the last few are kept.
    thread_local! {
        static RECENT: std::cell::RefCell<[(u32, Option<Box<str>>); 8]> =
            const { std::cell::RefCell::new([const { (0, None) }; 8]) };
    }
    let slot = (x.to_bits().wrapping_mul(0x9e37_79b9) >> 29) as usize;
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let (bits, Some(text)) = &recent[slot]
            && *bits == x.to_bits()
        {
            return text.to_string();
        }
        let s = format!("{:.3}", x.clamp(0.0, 1.0));
        let text = s.trim_end_matches('0').trim_end_matches('.');
        recent[slot] = (x.to_bits(), Some(text.into()));
        text.to_string()
    })
}

fn write_iri(iri: &str, out: &mut String) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

/// Bytes that may need escaping in a quoted literal: controls, DEL, `"`, `\\`, and 0xEF, the
/// first byte of U+FFFE and U+FFFF (checked in full when met).
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == 0x7F || b == b'"' as usize || b == b'\\' as usize || b == 0xEF;
        b += 1;
    }
    table
};

/// A string literal's quoted form, escaped as Oxigraph's `print_quoted_str` escapes it.
fn write_quoted(value: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    let bytes = value.as_bytes();
    // Most literals need no escape: one scan of the bytes, then one copy.
    let mut clean = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let c = value[i..].chars().next().expect("a char starts here");
        let escape = match c {
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{C}' => "\\f",
            '\r' => "\\r",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => "",
            _ => {
                // Another character starting with 0xEF: kept as it is.
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&value[clean..i]);
        if escape.is_empty() {
            write!(out, "\\u{:04X}", u32::from(c)).expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        i += c.len_utf8();
        clean = i;
    }
    out.push_str(&value[clean..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_text_is_the_display_text() {
        let s = "https://example.org/s";
        let tricky = "a \"b\" \\ c\n\t\r\u{8}\u{C}\u{1}\u{7F}\u{FFFE}é “d”";
        let fact_object = Object::Iri("https://example.org/o");
        let cases = [
            (prop::SURFACE, Object::Text(tricky)),
            (prop::SURFACE, Object::Text("")),
            (prop::BEGIN_INDEX, Object::Typed("42", vocab::XSD_INTEGER)),
            (
                prop::BEGIN_INDEX,
                Object::Typed("x", "http://www.w3.org/2001/XMLSchema#string"),
            ),
            (
                vocab::RDF_REIFIES,
                Object::Triple(s, prop::DIRECTOR, &fact_object),
            ),
            (vocab::RDF_TYPE, Object::Iri(class::REVIEW)),
        ];
        for (p, o) in cases {
            let mut text = String::new();
            write_line(s, p, &o, &mut text);
            assert_eq!(text, triple(s, p, term(&o)).to_string());
        }
    }
}
