//! The RDF stage: a resolved review becomes triples in the default graph (the review node,
//! its entities with one label each, the facts), following the contract in
//! `ontology/README.md`. Each fact is asserted once as a plain triple and each reading of it
//! gets an RDF 1.2 reifier (`occurrence:<review>-<n> rdf:reifies <<( s p o )>>`) with the
//! review, rule, method, confidence, sentence and character span; each mention of an entity
//! is a reifier of `entity cg:mentionedIn review` with its words and span.
//!
//! This module owns the stage's entry points: [`review_quads`] and [`ReviewLines`]. `emit`
//! says which triples a review has, handing them to a sink: `lines` writes them as
//! N-Triples text, `quads` builds Oxigraph quads.
//!
//! Per-thread scratch: the stage keeps two `thread_local!` values, so that the extraction
//! threads reuse them review after review and callers see plain functions:
//! - `EMITTED` ([`ReviewLines::of`]): the buffers the lines of a review are emitted into
//!   before sorting;
//! - `RECENT` ([`decimal`]): the last few confidences and their text (a review's confidences
//!   are a handful of values, and formatting a float is far dearer than a look-up).

mod emit;
mod lines;
mod quads;

pub use emit::decimal;

use crate::resolve::ResolvedReview;
use emit::emit_review;
use lines::LineSink;
use oxigraph::model::Quad;
use quads::QuadSink;

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
    sink.into_quads()
}

/// The N-Triples line (with its final ` .` and newline) giving an entity its label.
///
/// ```
/// assert_eq!(cinegraph::rdf::label_line("http://e/x", "A \"B\""), "<http://e/x> <http://www.w3.org/2000/01/rdf-schema#label> \"A \\\"B\\\"\" .\n");
/// ```
pub fn label_line(iri: &str, label: &str) -> String {
    let mut out = String::new();
    lines::write_line(
        iri,
        crate::vocab::RDFS_LABEL,
        &emit::Object::Text(label),
        &mut out,
    );
    out.push_str(" .\n");
    out
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
    /// The reviewed film (`<iri>`) and the title the review gives it, if it gives one.
    film_title: Option<(String, String)>,
}

impl ReviewLines {
    /// The sorted, distinct lines of a review.
    pub fn of(review: &ResolvedReview) -> ReviewLines {
        thread_local! {
            // The lines as emitted, before sorting (see the module doc, "Per-thread scratch").
            static EMITTED: std::cell::Cell<Option<Box<LineSink>>> =
                const { std::cell::Cell::new(None) };
        }
        let mut sink = EMITTED.take().unwrap_or_default();
        sink.clear();
        emit_review(review, &mut *sink);
        let emitted = &sink.text;
        let line = |r: &std::ops::Range<u32>| &emitted.as_bytes()[r.start as usize..r.end as usize];
        sink.lines.sort_unstable_by(|a, b| line(a).cmp(line(b)));
        sink.lines.dedup_by(|a, b| line(a) == line(b));
        let mut lines = ReviewLines {
            text: String::with_capacity(emitted.len() + 3 * sink.lines.len()),
            lines: Vec::with_capacity(sink.lines.len()),
            labels: Vec::with_capacity(sink.labels.len()),
            film_title: review.identification.title.as_ref().map(|t| {
                let iri = &review.entities[review.film].iri;
                (format!("<{iri}>"), t.clone())
            }),
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

    /// The reviewed film (`<iri>`, as label subjects are given) and the title the review gives
    /// it: its vote for the film's label.
    pub fn film_title(&self) -> Option<(&str, &str)> {
        self.film_title
            .as_ref()
            .map(|(f, t)| (f.as_str(), t.as_str()))
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
