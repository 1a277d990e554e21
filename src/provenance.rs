//! Provenance views of a graph: keeping the facts read with enough confidence, and turning the
//! RDF 1.2 reifiers of the store into RDF 1.1 (standard `rdf:Statement` reification) or dropping
//! them, for consumers without RDF 1.2. Also the deterministic writer of exports, which declares
//! only the prefixes the output uses.
//!
//! Everything here works on a list of quads (from [`crate::store::GraphStore::sorted_quads`])
//! and gives a new list: the store itself is never changed.

use crate::error::{Error, Result};
use crate::model::Relation;
use crate::store::ExportFormat;
use crate::vocab::{self, prop};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, TermRef, Triple};
use std::collections::{HashMap, HashSet};
use std::io::Write;

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
/// assert_eq!(cinegraph::provenance::filter_min_confidence(quads.clone(), 0.5).len(), 3);
/// assert!(cinegraph::provenance::filter_min_confidence(quads, 0.7).is_empty());
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
/// use cinegraph::{provenance::*, vocab};
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

fn has_triple_term(q: &Quad) -> bool {
    matches!(q.object, Term::Triple(_))
}

/// Sorts quads for readable, deterministic output (graph, subject with its type and label
/// first, predicate, object) and removes duplicates; [`crate::store::GraphStore::sorted_quads`]
/// is this over the whole store.
pub fn sort_quads(quads: Vec<Quad>) -> Vec<Quad> {
    let rank = |p: &str| match p {
        vocab::RDF_TYPE => 0,
        vocab::RDFS_LABEL => 1,
        _ => 2,
    };
    let mut keyed: Vec<(String, String, u8, String, String, Quad)> = quads
        .into_iter()
        .map(|q| {
            (
                q.graph_name.to_string(),
                q.subject.to_string(),
                rank(q.predicate.as_str()),
                q.predicate.to_string(),
                q.object.to_string(),
                q,
            )
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, &a.1, a.2, &a.3, &a.4).cmp(&(&b.0, &b.1, b.2, &b.3, &b.4)));
    keyed.dedup_by(|a, b| a.5 == b.5);
    keyed.into_iter().map(|k| k.5).collect()
}

/// The [`vocab::PREFIXES`] whose namespace some IRI of the quads starts with (subjects,
/// predicates, objects, datatypes, inside triple terms too), in their declared order.
pub fn used_prefixes(quads: &[Quad]) -> Vec<(&'static str, &'static str)> {
    let mut used = vec![false; vocab::PREFIXES.len()];
    let mut mark = |iri: &str| {
        for (i, (_, ns)) in vocab::PREFIXES.iter().enumerate() {
            if iri.len() > ns.len() && iri.starts_with(ns) {
                used[i] = true;
                break;
            }
        }
    };
    fn visit(t: TermRef<'_>, mark: &mut dyn FnMut(&str)) {
        match t {
            TermRef::NamedNode(n) => mark(n.as_str()),
            TermRef::Literal(l) => mark(l.datatype().as_str()),
            TermRef::Triple(t) => {
                visit(t.subject.as_ref().into(), mark);
                mark(t.predicate.as_str());
                visit(t.object.as_ref(), mark);
            }
            TermRef::BlankNode(_) => {}
        }
    }
    for q in quads {
        let q = QuadRef::from(q);
        visit(q.subject.into(), &mut mark);
        mark(q.predicate.as_str());
        visit(q.object, &mut mark);
        if let oxigraph::model::GraphNameRef::NamedNode(g) = q.graph_name {
            mark(g.as_str());
        }
    }
    vocab::PREFIXES
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(p, _)| *p)
        .collect()
}

/// Export formats: the store's formats and JSON-LD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    /// One of the store's RDF formats.
    Rdf(ExportFormat),
    /// JSON-LD (RDF 1.1 only: provenance as reification or none).
    JsonLd,
}

impl OutFormat {
    fn rdf_format(self) -> RdfFormat {
        match self {
            OutFormat::Rdf(ExportFormat::Turtle) => RdfFormat::Turtle,
            OutFormat::Rdf(ExportFormat::NTriples) => RdfFormat::NTriples,
            OutFormat::Rdf(ExportFormat::NQuads) => RdfFormat::NQuads,
            OutFormat::Rdf(ExportFormat::TriG) => RdfFormat::TriG,
            OutFormat::Rdf(ExportFormat::RdfXml) => RdfFormat::RdfXml,
            OutFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }
}

/// Writes quads (already sorted) in a format with the prefixes they use. Formats without
/// datasets get the default graph only.
pub fn write_quads(quads: &[Quad], format: OutFormat, writer: &mut dyn Write) -> Result<()> {
    let rdf_format = format.rdf_format();
    if format == OutFormat::JsonLd && quads.iter().any(has_triple_term) {
        return Err(Error::Usage(
            "JSON-LD has no RDF 1.2 triple terms: use --provenance reification or none".into(),
        ));
    }
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if !matches!(
        format,
        OutFormat::Rdf(ExportFormat::NTriples | ExportFormat::NQuads)
    ) {
        for (prefix, iri) in used_prefixes(quads) {
            serializer = serializer
                .with_prefix(prefix, iri)
                .expect("vocabulary prefixes are valid IRIs");
        }
    }
    let mut out = serializer.for_writer(writer);
    let io = |e: std::io::Error| Error::io("<output>", e);
    for q in quads {
        if rdf_format.supports_datasets() {
            out.serialize_quad(q).map_err(io)?;
        } else if q.graph_name.is_default_graph() {
            out.serialize_triple(oxigraph::model::TripleRef::from(QuadRef::from(q)))
                .map_err(io)?;
        }
    }
    out.finish().map_err(io)?;
    Ok(())
}
