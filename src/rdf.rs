//! The RDF stage: a resolved review becomes plain triples in the default graph (the review
//! node, its entities with one label each, and the facts), following the contract in README.

use crate::resolve::{ResolvedReview, Value};
use crate::vocab::{self, class, prop};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
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
    for f in &review.facts {
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
        out.insert(triple(&s.iri, f.relation.property(), object));
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

/// Quads keyed by their N-Quads form, for order and uniqueness.
#[derive(Default)]
struct Quads(BTreeMap<String, Quad>);

impl Quads {
    fn insert(&mut self, q: Quad) {
        self.0.insert(q.to_string(), q);
    }
}
