//! Oxigraph quads: the sink that builds a review's triples as quads, keyed by their
//! N-Triples text for order and uniqueness.

use super::emit::{Object, Sink};
use super::lines::write_line;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::BTreeMap;

fn node(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

pub(super) fn triple(s: &str, p: &str, o: impl Into<Term>) -> Quad {
    Quad::new(
        NamedOrBlankNode::from(node(s)),
        node(p),
        o,
        GraphName::DefaultGraph,
    )
}

/// Collects quads keyed by their N-Triples text, for order and uniqueness.
#[derive(Default)]
pub(super) struct QuadSink(BTreeMap<String, Quad>);

impl Sink for QuadSink {
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>) {
        let mut line = String::with_capacity(160);
        write_line(subject, predicate, object, &mut line);
        self.0
            .insert(line, triple(subject, predicate, term(object)));
    }
}

pub(super) fn term(object: &Object<'_>) -> Term {
    match *object {
        Object::Iri(iri) => node(iri).into(),
        Object::Text(text) => Literal::new_simple_literal(text).into(),
        Object::Typed(value, datatype) => Literal::new_typed_literal(value, node(datatype)).into(),
        Object::Triple(s, p, o) => Term::Triple(Box::new(Triple::new(node(s), node(p), term(o)))),
    }
}

impl QuadSink {
    /// The quads in the order of their text.
    pub(super) fn into_quads(self) -> Vec<(String, Quad)> {
        self.0.into_iter().collect()
    }
}
