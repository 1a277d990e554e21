//! Provenance views of a graph: keeping the facts read with enough confidence, and turning the
//! RDF 1.2 reifiers of the store into RDF 1.1 (standard `rdf:Statement` reification) or dropping
//! them, for consumers without RDF 1.2.
//!
//! Everything here works on a list of quads and gives a new list: the store itself is never
//! changed.

use crate::model::Relation;
use crate::vocab::{self, prop};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::{HashMap, HashSet};

/// How the provenance of facts is written in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// As stored: RDF 1.2 reifiers (`?r rdf:reifies <<( s p o )>>`).
    Rdf12,
    /// RDF 1.1 reification: each reifier becomes an `rdf:Statement` with `rdf:subject`,
    /// `rdf:predicate` and `rdf:object`, keeping its other properties.
    Reification,
    /// Dropped: only the facts, entities and reviews (no occurrence or mention nodes).
    None,
}

/// The confidence of a literal of `cg:confidence`.
fn confidence_of(term: &Term) -> Option<f64> {
    match term {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
}

/// Keeps the facts read with confidence `min` or more.
///
/// Every reifier of a `cg:` relation fact whose `cg:confidence` is below `min` is removed (all
/// its quads); a fact left without any reifier is removed too. Facts that never had a reifier
/// (the ontology, festival links, labels) and mentions are kept.
///
/// ```
/// use oxigraph::model::*;
/// use cinegraph::vocab;
/// let n = |s: &str| NamedNode::new_unchecked(s);
/// let fact = Triple::new(n("http://x/f"), n(vocab::prop::DIRECTOR), n("http://x/p"));
/// let q = |s: &str, p: &str, o: Term| Quad::new(n(s), n(p), o, GraphName::DefaultGraph);
/// let quads = vec![
///     Quad::new(fact.subject.clone(), fact.predicate.clone(), fact.object.clone(), GraphName::DefaultGraph),
///     q("http://x/r1", vocab::RDF_REIFIES, Term::Triple(Box::new(fact.clone()))),
///     q("http://x/r1", vocab::prop::CONFIDENCE, Literal::new_typed_literal("0.6", n(vocab::XSD_DECIMAL)).into()),
/// ];
/// assert_eq!(cinegraph::export::provenance::filter_min_confidence(quads.clone(), 0.5).len(), 3);
/// assert!(cinegraph::export::provenance::filter_min_confidence(quads, 0.7).is_empty());
/// ```
pub fn filter_min_confidence(quads: Vec<Quad>, min: f64) -> Vec<Quad> {
    let reifies = vocab::RDF_REIFIES;
    let mut confidence: HashMap<&NamedOrBlankNode, f64> = HashMap::new();
    for q in &quads {
        if q.predicate.as_str() == prop::CONFIDENCE
            && let Some(c) = confidence_of(&q.object)
        {
            confidence.insert(&q.subject, c);
        }
    }
    // Reifiers of relation facts, and the best confidence each fact keeps.
    let mut dropped: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut kept_facts: HashSet<&Triple> = HashSet::new();
    let mut reified_facts: HashSet<&Triple> = HashSet::new();
    for q in &quads {
        if q.predicate.as_str() != reifies {
            continue;
        }
        let Term::Triple(t) = &q.object else { continue };
        if Relation::from_property(t.predicate.as_str()).is_none() {
            continue;
        }
        reified_facts.insert(t);
        if confidence.get(&q.subject).copied().unwrap_or(0.0) >= min {
            kept_facts.insert(t);
        } else {
            dropped.insert(q.subject.clone());
        }
    }
    let dropped_facts: HashSet<Triple> = reified_facts
        .difference(&kept_facts)
        .map(|t| (*t).clone())
        .collect();
    quads
        .into_iter()
        .filter(|q| {
            if dropped.contains(&q.subject) {
                return false;
            }
            if q.graph_name.is_default_graph() && !dropped_facts.is_empty() {
                let t = Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone());
                return !dropped_facts.contains(&t);
            }
            true
        })
        .collect()
}

/// Applies a provenance mode to quads (see [`Provenance`]).
///
/// ```
/// use oxigraph::model::*;
/// use cinegraph::{export::provenance::*, vocab};
/// let n = |s: &str| NamedNode::new_unchecked(s);
/// let fact = Triple::new(n("http://x/f"), n(vocab::prop::DIRECTOR), n("http://x/p"));
/// let reifier = Quad::new(n("http://x/r1"), n(vocab::RDF_REIFIES), Term::Triple(Box::new(fact)), GraphName::DefaultGraph);
/// let rdf11 = with_provenance(vec![reifier.clone()], Provenance::Reification);
/// assert_eq!(rdf11.len(), 4); // a rdf:Statement; rdf:subject, rdf:predicate, rdf:object
/// assert!(with_provenance(vec![reifier], Provenance::None).is_empty());
/// ```
pub fn with_provenance(quads: Vec<Quad>, mode: Provenance) -> Vec<Quad> {
    match mode {
        Provenance::Rdf12 => quads,
        Provenance::None => {
            let reifiers: HashSet<NamedOrBlankNode> = quads
                .iter()
                .filter(|q| q.predicate.as_str() == vocab::RDF_REIFIES)
                .map(|q| q.subject.clone())
                .collect();
            quads
                .into_iter()
                .filter(|q| !reifiers.contains(&q.subject) && !has_triple_term(q))
                .collect()
        }
        Provenance::Reification => {
            let node = |s: &str| NamedNode::new_unchecked(s);
            let mut out = Vec::with_capacity(quads.len() * 5 / 4);
            for q in quads {
                match (&q.object, q.predicate.as_str() == vocab::RDF_REIFIES) {
                    (Term::Triple(t), true) if !matches!(t.object, Term::Triple(_)) => {
                        let t = (**t).clone();
                        let add = |p: &str, o: Term, out: &mut Vec<Quad>| {
                            out.push(Quad::new(
                                q.subject.clone(),
                                node(p),
                                o,
                                q.graph_name.clone(),
                            ))
                        };
                        add(vocab::RDF_TYPE, node(vocab::RDF_STATEMENT).into(), &mut out);
                        add(vocab::RDF_SUBJECT, t.subject.into(), &mut out);
                        add(vocab::RDF_PREDICATE, t.predicate.into(), &mut out);
                        add(vocab::RDF_OBJECT, t.object, &mut out);
                    }
                    // Any other triple term has no RDF 1.1 form.
                    _ if has_triple_term(&q) => {}
                    _ => out.push(q),
                }
            }
            out
        }
    }
}

pub(crate) fn has_triple_term(q: &Quad) -> bool {
    matches!(q.object, Term::Triple(_))
}
