//! What an entity page shows, read from the store through its indexes: the entity's label,
//! classes and IMDb links, its statements out and in (capped), the facts about it with every
//! occurrence that supports them ([`crate::query::explain`]), and its neighbourhood as an
//! entity graph ([`crate::query::graph`]) for drawing.

use crate::error::{Error, Result};
use crate::query::explain::{Explained, explain};
use crate::query::graph::EntityGraph;
use crate::store::GraphStore;
use crate::vocab;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term};

/// At most this many statements are listed in each direction.
pub(super) const MAX_LISTED: usize = 300;
/// At most this many relation facts are drawn around an entity.
const MAX_DRAWN: usize = 80;

/// One statement about the entity: a property and the node at its other end.
pub(super) struct Statement {
    pub(super) property: String,
    /// The other node: an IRI (with its label) or a literal's value.
    pub(super) node: Node,
}

/// A node shown on a page.
pub(super) enum Node {
    Iri { iri: String, label: String },
    Literal(String),
    Other(String),
}

/// Everything an entity page shows.
pub(super) struct EntityView {
    pub(super) iri: String,
    pub(super) label: Option<String>,
    pub(super) classes: Vec<Node>,
    pub(super) outgoing: Vec<Statement>,
    pub(super) incoming: Vec<Statement>,
    /// Statements left out of the lists (past [`MAX_LISTED`]), out and in.
    pub(super) left_out: (usize, usize),
    pub(super) facts: Vec<Explained>,
    pub(super) graph: serde_json::Value,
}

/// Reads an entity's page from the store.
pub(super) fn entity_view(store: &GraphStore, iri: &str) -> Result<EntityView> {
    let node =
        NamedNode::new(iri).map_err(|e| Error::Usage(format!("invalid IRI `{iri}`: {e}")))?;
    let fail = |e| Error::store_from(store.dir(), "", e);
    let inner = store.inner();
    let default = Some(GraphNameRef::DefaultGraph);
    let out: Vec<Quad> = inner
        .quads_for_pattern(Some(node.as_ref().into()), None, None, default)
        .collect::<std::result::Result<_, _>>()
        .map_err(fail)?;
    let incoming: Vec<Quad> = inner
        .quads_for_pattern(None, None, Some(node.as_ref().into()), default)
        .collect::<std::result::Result<_, _>>()
        .map_err(fail)?;
    let label = label_of(store, node.as_str())?;
    let classes = out
        .iter()
        .filter(|q| q.predicate.as_str() == vocab::RDF_TYPE)
        .map(|q| shown(store, &q.object))
        .collect::<Result<Vec<_>>>()?;
    let left_out = (
        out.len().saturating_sub(MAX_LISTED),
        incoming.len().saturating_sub(MAX_LISTED),
    );
    let listed = |quads: &[Quad], outward: bool| -> Result<Vec<Statement>> {
        quads
            .iter()
            .take(MAX_LISTED)
            .map(|q| {
                let other = if outward {
                    q.object.clone()
                } else {
                    Term::from(q.subject.clone())
                };
                Ok(Statement {
                    property: q.predicate.as_str().to_string(),
                    node: shown(store, &other)?,
                })
            })
            .collect()
    };
    let graph = neighbourhood(store, &node, &out, &incoming)?;
    Ok(EntityView {
        iri: iri.to_string(),
        label,
        classes,
        outgoing: listed(&out, true)?,
        incoming: listed(&incoming, false)?,
        left_out,
        facts: explain(store, &format!("<{iri}>"), None, None, None)?,
        graph,
    })
}

fn label_of(store: &GraphStore, iri: &str) -> Result<Option<String>> {
    let subject = NamedNode::new_unchecked(iri).into();
    Ok(store
        .objects(&subject, vocab::RDFS_LABEL)?
        .into_iter()
        .find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        }))
}

fn shown(store: &GraphStore, term: &Term) -> Result<Node> {
    Ok(match term {
        Term::NamedNode(n) => Node::Iri {
            iri: n.as_str().to_string(),
            label: label_of(store, n.as_str())?.unwrap_or_else(|| vocab::shorten(n.as_str())),
        },
        Term::Literal(l) => Node::Literal(l.value().to_string()),
        other => Node::Other(other.to_string()),
    })
}

/// The entity graph of the entity and its neighbours (their labels and classes, and the
/// relation facts between the entity and them), as the JSON `cinegraph graph` writes.
fn neighbourhood(
    store: &GraphStore,
    node: &NamedNode,
    out: &[Quad],
    incoming: &[Quad],
) -> Result<serde_json::Value> {
    let relation = |q: &&Quad| {
        matches!(q.object, Term::NamedNode(_))
            && matches!(q.subject, oxigraph::model::NamedOrBlankNode::NamedNode(_))
            && q.predicate.as_str() != vocab::RDF_TYPE
    };
    let facts: Vec<&Quad> = out
        .iter()
        .chain(incoming)
        .filter(relation)
        .take(MAX_DRAWN)
        .collect();
    let mut quads: Vec<Quad> = facts.iter().map(|q| (*q).clone()).collect();
    let mut nodes: Vec<NamedNodeRef<'_>> = vec![node.as_ref()];
    for q in &facts {
        if let (NamedOrBlankNodeRef::NamedNode(s), Term::NamedNode(o)) =
            (q.subject.as_ref(), &q.object)
        {
            nodes.push(s);
            nodes.push(o.as_ref());
        }
    }
    nodes.sort();
    nodes.dedup();
    for n in nodes {
        for p in [vocab::RDFS_LABEL, vocab::RDF_TYPE] {
            let found = store.inner().quads_for_pattern(
                Some(n.into()),
                Some(NamedNodeRef::new_unchecked(p)),
                None,
                Some(GraphNameRef::DefaultGraph),
            );
            for q in found {
                quads.push(q.map_err(|e| Error::store_from(store.dir(), "", e))?);
            }
        }
    }
    Ok(EntityGraph::from_quads(&quads).to_json())
}
