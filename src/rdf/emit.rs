//! Which triples a review has: the review node, each fact with its occurrence reifier,
//! each mention of a used entity with its reifier, and the used entities (type, label, IMDb
//! links, festival), handed one by one to a [`Sink`] as borrowed terms.

use crate::resolve::{EntityMention, ResolvedFact, ResolvedReview, Value};
use crate::vocab::{self, EntityKind, class, prop};

/// An object as the RDF stage writes it, borrowed: turned into text or into an Oxigraph term
/// by the sink.
pub(super) enum Object<'a> {
    Iri(&'a str),
    /// A simple literal.
    Text(&'a str),
    /// A literal with a datatype.
    Typed(&'a str, &'static str),
    /// A quoted triple (the object of `rdf:reifies`).
    Triple(&'a str, &'static str, &'a Object<'a>),
}

/// Where the triples of a review go.
pub(super) trait Sink {
    /// Takes one triple.
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>);
}

/// Emits the triples of a review (see [`super::review_quads`]).
pub(super) fn emit_review(review: &ResolvedReview, out: &mut impl Sink) {
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
    emit_identification(review, review_key, out);
    let mut occurrence = String::new();
    for (n, f) in review.facts.iter().enumerate() {
        used[f.subject] = true;
        if let Value::Entity(o) = f.object {
            used[o] = true;
        }
        // One reifier per occurrence of the fact, numbered in fact order: re-extracting the
        // review gives the same IRIs, so the store stays idempotent.
        occurrence.clear();
        EntityKind::Occurrence.write_iri(
            &[review_key, "-", itoa::Buffer::new().format(n + 1)],
            &mut occurrence,
        );
        emit_fact(review, f, &occurrence, out);
    }
    // Mentions of the entities the graph holds: `e cg:mentionedIn review`, reified once per
    // mention with its words and character span.
    let mut id = String::new();
    for (n, m) in review
        .mentions
        .iter()
        .filter(|m| used[m.entity])
        .enumerate()
    {
        id.clear();
        EntityKind::Mention.write_iri(
            &[review_key, "-", itoa::Buffer::new().format(n + 1)],
            &mut id,
        );
        emit_mention(review, m, &id, out);
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
    emit_entities(review, &used, out);
}

/// The title the review gives its film (`cg:filmTitle`, its vote for the film's label) and,
/// when the film was identified, the reifier of `review cg:reviewOf film`
/// (`occurrence:<review>-film`) with the cues, confidence and the title's words.
fn emit_identification(review: &ResolvedReview, review_key: &str, out: &mut impl Sink) {
    let id = &review.identification;
    if let Some(title) = &id.title {
        out.add(&review.iri, prop::FILM_TITLE, &Object::Text(title));
    }
    if id.cues.is_empty() {
        return;
    }
    let occ = EntityKind::Occurrence.iri(&[review_key, "-film"]);
    let film = Object::Iri(&review.entities[review.film].iri);
    out.add(&occ, vocab::RDF_TYPE, &Object::Iri(class::OCCURRENCE));
    out.add(
        &occ,
        vocab::RDF_REIFIES,
        &Object::Triple(&review.iri, prop::REVIEW_OF, &film),
    );
    out.add(
        &occ,
        vocab::PROV_WAS_DERIVED_FROM,
        &Object::Iri(&review.iri),
    );
    out.add(&occ, prop::RULE, &Object::Text("film.identification"));
    out.add(&occ, prop::METHOD, &Object::Text("film identification"));
    let confidence = decimal(id.confidence);
    out.add(
        &occ,
        prop::CONFIDENCE,
        &Object::Typed(&confidence, vocab::XSD_DECIMAL),
    );
    for cue in &id.cues {
        out.add(&occ, prop::CUE, &Object::Text(cue));
    }
    if let (Some(evidence), Some(chars)) = (&id.evidence, &id.chars) {
        out.add(&occ, prop::EVIDENCE, &Object::Text(evidence));
        add_offsets(out, &occ, chars);
    }
    if let Some(sentence) = &id.sentence {
        out.add(&occ, prop::SENTENCE, &Object::Text(sentence));
    }
}

/// A fact and its occurrence reifier `occurrence`.
fn emit_fact(review: &ResolvedReview, f: &ResolvedFact, occurrence: &str, out: &mut impl Sink) {
    let s = &review.entities[f.subject];
    let object = match &f.object {
        Value::Entity(o) => Object::Iri(&review.entities[*o].iri),
        Value::Year(y) => Object::Typed(y, vocab::XSD_GYEAR),
        Value::Text(t) => Object::Text(t),
    };
    let property = f.relation.property();
    out.add(&s.iri, property, &object);
    let occ = occurrence;
    out.add(occ, vocab::RDF_TYPE, &Object::Iri(class::OCCURRENCE));
    out.add(
        occ,
        vocab::RDF_REIFIES,
        &Object::Triple(&s.iri, property, &object),
    );
    out.add(occ, vocab::PROV_WAS_DERIVED_FROM, &Object::Iri(&review.iri));
    out.add(occ, prop::RULE, &Object::Text(&f.rule));
    out.add(occ, prop::METHOD, &Object::Text(f.method.as_str()));
    let confidence = decimal(f.confidence);
    out.add(
        occ,
        prop::CONFIDENCE,
        &Object::Typed(&confidence, vocab::XSD_DECIMAL),
    );
    out.add(occ, prop::SENTENCE, &Object::Text(&f.sentence));
    out.add(occ, prop::EVIDENCE, &Object::Text(&f.evidence));
    add_offsets(out, occ, &f.chars);
}

/// A mention, as the reifier `id` of `entity cg:mentionedIn review`.
fn emit_mention(review: &ResolvedReview, m: &EntityMention, id: &str, out: &mut impl Sink) {
    let e = &review.entities[m.entity].iri;
    let review_node = Object::Iri(&review.iri);
    out.add(e, prop::MENTIONED_IN, &review_node);
    out.add(id, vocab::RDF_TYPE, &Object::Iri(class::MENTION));
    out.add(
        id,
        vocab::RDF_REIFIES,
        &Object::Triple(e, prop::MENTIONED_IN, &review_node),
    );
    out.add(id, prop::SURFACE, &Object::Text(&m.surface));
    add_offsets(out, id, &m.chars);
}

/// The class, label and IMDb links of each used entity.
fn emit_entities(review: &ResolvedReview, used: &[bool], out: &mut impl Sink) {
    for (e, _) in review.entities.iter().zip(used).filter(|(_, u)| **u) {
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
    // score): the last few are kept (see the module doc of `rdf`, "Per-thread scratch").
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
