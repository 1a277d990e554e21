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
/// use cinegraph::{Extractor, resolve::ReviewInput};
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
/// its N-Quads text since every quad is in the default graph: streamed output needs no second
/// serialisation.
pub fn review_quads_with_text(review: &ResolvedReview) -> Vec<(String, Quad)> {
    let mut out = Quads::default();
    let film = &review.entities[review.film];
    out.insert(triple(&review.iri, vocab::RDF_TYPE, node(class::REVIEW)));
    out.insert(triple(
        &review.iri,
        prop::SOURCE_ID,
        Literal::new_simple_literal(&review.source_id),
    ));
    out.insert(triple(&review.iri, prop::REVIEW_OF, node(&film.iri)));
    if let Some(rating) = review.rating {
        out.insert(triple(
            &review.iri,
            prop::RATING,
            Literal::new_typed_literal(rating.to_string(), node(vocab::XSD_INTEGER)),
        ));
    }
    let mut used = vec![false; review.entities.len()];
    used[review.film] = true;
    let review_key = review.iri.rsplit('/').next().unwrap_or_default();
    for (n, f) in review.facts.iter().enumerate() {
        let s = &review.entities[f.subject];
        used[f.subject] = true;
        let object: Term = match &f.object {
            Value::Entity(o) => {
                used[*o] = true;
                node(&review.entities[*o].iri).into()
            }
            Value::Year(y) => Literal::new_typed_literal(y, node(vocab::XSD_GYEAR)).into(),
            Value::Text(t) => Literal::new_simple_literal(t).into(),
        };
        let fact = Triple::new(node(&s.iri), node(f.relation.property()), object);
        out.insert(Quad::new(
            fact.subject.clone(),
            fact.predicate.clone(),
            fact.object.clone(),
            GraphName::DefaultGraph,
        ));
        // One reifier per occurrence of the fact, numbered in fact order: re-extracting the
        // review gives the same IRIs, so the store stays idempotent.
        let occ = format!("{}{review_key}-{}", vocab::OCCURRENCE_NS, n + 1);
        out.insert(triple(&occ, vocab::RDF_TYPE, node(class::OCCURRENCE)));
        out.insert(triple(
            &occ,
            vocab::RDF_REIFIES,
            Term::Triple(Box::new(fact)),
        ));
        out.insert(triple(
            &occ,
            vocab::PROV_WAS_DERIVED_FROM,
            node(&review.iri),
        ));
        out.insert(triple(
            &occ,
            prop::RULE,
            Literal::new_simple_literal(&f.rule),
        ));
        out.insert(triple(
            &occ,
            prop::METHOD,
            Literal::new_simple_literal(f.method.as_str()),
        ));
        out.insert(triple(
            &occ,
            prop::CONFIDENCE,
            Literal::new_typed_literal(decimal(f.confidence), node(vocab::XSD_DECIMAL)),
        ));
        out.insert(triple(
            &occ,
            prop::SENTENCE,
            Literal::new_simple_literal(&f.sentence),
        ));
        out.insert(triple(
            &occ,
            prop::EVIDENCE,
            Literal::new_simple_literal(&f.evidence),
        ));
        out.insert(triple(&occ, prop::BEGIN_INDEX, offset(f.chars.start)));
        out.insert(triple(&occ, prop::END_INDEX, offset(f.chars.end)));
    }
    // Mentions of the entities the graph holds: `e cg:mentionedIn review`, reified once per
    // mention with its words and character span.
    let mut n = 0;
    for m in &review.mentions {
        if !used[m.entity] {
            continue;
        }
        n += 1;
        let e = &review.entities[m.entity].iri;
        let fact = Triple::new(node(e), node(prop::MENTIONED_IN), node(&review.iri));
        out.insert(triple(e, prop::MENTIONED_IN, node(&review.iri)));
        let id = format!("{}{review_key}-{n}", vocab::MENTION_NS);
        out.insert(triple(&id, vocab::RDF_TYPE, node(class::MENTION)));
        out.insert(triple(
            &id,
            vocab::RDF_REIFIES,
            Term::Triple(Box::new(fact)),
        ));
        out.insert(triple(
            &id,
            prop::SURFACE,
            Literal::new_simple_literal(&m.surface),
        ));
        out.insert(triple(&id, prop::BEGIN_INDEX, offset(m.chars.start)));
        out.insert(triple(&id, prop::END_INDEX, offset(m.chars.end)));
    }
    for i in 0..review.entities.len() {
        if used[i]
            && let Some(fest) = review.entities[i].festival
        {
            used[fest] = true;
            out.insert(triple(
                &review.entities[i].iri,
                prop::FESTIVAL,
                node(&review.entities[fest].iri),
            ));
        }
    }
    for (e, _) in review.entities.iter().zip(&used).filter(|(_, u)| **u) {
        out.insert(triple(&e.iri, vocab::RDF_TYPE, node(e.class)));
        out.insert(triple(
            &e.iri,
            vocab::RDFS_LABEL,
            Literal::new_simple_literal(&e.label),
        ));
        if let Some(id) = &e.imdb_id {
            out.insert(triple(
                &e.iri,
                prop::IMDB_ID,
                Literal::new_simple_literal(id),
            ));
            let base = if id.starts_with("tt") {
                vocab::IMDB_TITLE
            } else {
                vocab::IMDB_NAME
            };
            out.insert(triple(
                &e.iri,
                vocab::OWL_SAME_AS,
                node(&format!("{base}{id}/")),
            ));
        }
    }
    out.0.into_iter().collect()
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
    let s = format!("{:.3}", x.clamp(0.0, 1.0));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn offset(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), node(vocab::XSD_INTEGER))
}

/// Quads keyed by their N-Quads form, for order and uniqueness.
#[derive(Default)]
struct Quads(BTreeMap<String, Quad>);

impl Quads {
    fn insert(&mut self, q: Quad) {
        let mut key = String::with_capacity(160);
        write_quad(&q, &mut key);
        self.0.insert(key, q);
    }
}

/// Appends a default-graph quad's N-Triples text, exactly as its `Display` writes it, without
/// the formatting machinery (the common terms are written directly).
fn write_quad(q: &Quad, out: &mut String) {
    if !q.graph_name.is_default_graph() {
        out.push_str(&q.to_string());
        return;
    }
    write_triple(
        q.subject.as_ref(),
        q.predicate.as_ref(),
        q.object.as_ref(),
        out,
    );
}

fn write_triple(
    s: oxigraph::model::NamedOrBlankNodeRef<'_>,
    p: oxigraph::model::NamedNodeRef<'_>,
    o: oxigraph::model::TermRef<'_>,
    out: &mut String,
) {
    use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
    use std::fmt::Write;
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => write_iri(n.as_str(), out),
        other => write!(out, "{other}").expect("writing to a String"),
    }
    out.push(' ');
    write_iri(p.as_str(), out);
    out.push(' ');
    match o {
        TermRef::NamedNode(n) => write_iri(n.as_str(), out),
        TermRef::Literal(l) if l.language().is_none() => {
            write_quoted(l.value(), out);
            let datatype = l.datatype().as_str();
            if datatype != oxigraph::model::vocab::xsd::STRING.as_str() {
                out.push_str("^^");
                write_iri(datatype, out);
            }
        }
        TermRef::Triple(t) => {
            out.push_str("<<( ");
            write_triple(
                t.subject.as_ref(),
                t.predicate.as_ref(),
                t.object.as_ref(),
                out,
            );
            out.push_str(" )>>");
        }
        other => write!(out, "{other}").expect("writing to a String"),
    }
}

fn write_iri(iri: &str, out: &mut String) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

/// A string literal's quoted form, escaped as Oxigraph's `print_quoted_str` escapes it.
fn write_quoted(value: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    let mut rest = value;
    while let Some(i) = rest.find(|c: char| {
        matches!(
            c,
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' | '"' | '\\'
        )
    }) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().expect("found a char");
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => write!(out, "\\u{:04X}", u32::from(c)).expect("writing to a String"),
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_text_is_the_display_text() {
        let s = "https://example.org/s";
        let tricky = "a \"b\" \\ c\n\t\r\u{8}\u{C}\u{1}\u{7F}\u{FFFE}é “d”";
        let fact = Triple::new(node(s), node(prop::DIRECTOR), node("https://example.org/o"));
        let quads = [
            triple(s, prop::SURFACE, Literal::new_simple_literal(tricky)),
            triple(s, prop::SURFACE, Literal::new_simple_literal("")),
            triple(s, prop::BEGIN_INDEX, offset(42)),
            triple(
                s,
                prop::SURFACE,
                Literal::new_language_tagged_literal_unchecked("x", "en"),
            ),
            triple(s, vocab::RDF_REIFIES, Term::Triple(Box::new(fact))),
            triple(s, vocab::RDF_TYPE, node(class::REVIEW)),
        ];
        for q in quads {
            let mut text = String::new();
            write_quad(&q, &mut text);
            assert_eq!(text, q.to_string());
        }
    }
}
