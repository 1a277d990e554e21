//! `cinegraph graph`: the entities and their relations as a petgraph, with the neighbourhood
//! of an entity, Graphviz DOT and JSON output, the shortest chain of facts between two
//! entities, and the most central entities (PageRank). The library never prints.

use crate::error::{Error, Result};
use crate::export::provenance::filter_min_confidence;
use crate::export::sort_quads;
use crate::model::Relation;
use crate::store::GraphStore;
use crate::vocab::{self, class, prop};
use oxigraph::model::{Quad, Term};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write;

/// An entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// IRI.
    pub iri: String,
    /// `rdfs:label` (the shortened IRI when there is none).
    pub label: String,
    /// Class local name (`Film`, `Person`, `Character`, `Award`, `Festival`, `Work`).
    pub class: String,
}

/// A fact between two entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Relation key (`director`, `portrayed_by`, `festival`...).
    pub relation: String,
    /// Property IRI.
    pub property: String,
}

/// The entity graph: one node per typed entity, one edge per relation fact between entities
/// (literal-valued facts such as years are not edges).
#[derive(Debug, Clone, Default)]
pub struct EntityGraph {
    /// The petgraph.
    pub graph: DiGraph<Node, Edge>,
    by_iri: HashMap<String, NodeIndex>,
}

const CLASSES: [(&str, &str); 6] = [
    (class::FILM, "Film"),
    (class::PERSON, "Person"),
    (class::CHARACTER, "Character"),
    (class::AWARD, "Award"),
    (class::FESTIVAL, "Festival"),
    (class::WORK, "Work"),
];

fn relation_key(property: &str) -> Option<String> {
    if property == prop::FESTIVAL {
        return Some("festival".into());
    }
    Relation::from_property(property).map(|r| r.edge_key().to_string())
}

impl EntityGraph {
    /// Builds the graph from quads (e.g. [`crate::store::GraphStore::sorted_quads`], maybe
    /// filtered by [`crate::export::provenance::filter_min_confidence`]). Nodes and edges come in the
    /// order of the quads, so sorted quads give a deterministic graph.
    pub fn from_quads(quads: &[Quad]) -> EntityGraph {
        let mut labels: HashMap<&str, &str> = HashMap::new();
        let mut classes: BTreeMap<&str, &str> = BTreeMap::new();
        for q in quads.iter().filter(|q| q.graph_name.is_default_graph()) {
            let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &q.subject else {
                continue;
            };
            match (q.predicate.as_str(), &q.object) {
                (vocab::RDFS_LABEL, Term::Literal(l)) => {
                    labels.entry(s.as_str()).or_insert(l.value());
                }
                (vocab::RDF_TYPE, Term::NamedNode(c)) => {
                    if let Some((_, name)) = CLASSES.iter().find(|(iri, _)| *iri == c.as_str()) {
                        classes.insert(s.as_str(), name);
                    }
                }
                _ => {}
            }
        }
        let mut g = EntityGraph::default();
        for (iri, class) in &classes {
            let label = labels
                .get(iri)
                .map_or_else(|| vocab::shorten(iri), |l| l.to_string());
            let i = g.graph.add_node(Node {
                iri: iri.to_string(),
                label,
                class: class.to_string(),
            });
            g.by_iri.insert(iri.to_string(), i);
        }
        for q in quads.iter().filter(|q| q.graph_name.is_default_graph()) {
            let (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
                (&q.subject, &q.object)
            else {
                continue;
            };
            let Some(relation) = relation_key(q.predicate.as_str()) else {
                continue;
            };
            if let (Some(&a), Some(&b)) = (g.by_iri.get(s.as_str()), g.by_iri.get(o.as_str())) {
                g.graph.add_edge(
                    a,
                    b,
                    Edge {
                        relation,
                        property: q.predicate.as_str().to_string(),
                    },
                );
            }
        }
        g
    }

    /// Builds the graph of a store, reading only the labels, types and relation facts (and,
    /// with `min_confidence`, the reifiers and confidences that filter them, as
    /// [`filter_min_confidence`] does over the whole store). They are sorted like
    /// [`crate::store::GraphStore::sorted_quads`]: edge order (the DOT and JSON output, and
    /// which of two equally short paths wins) follows it.
    pub fn from_store(store: &GraphStore, min_confidence: Option<f64>) -> Result<EntityGraph> {
        let mut predicates = vec![vocab::RDFS_LABEL, vocab::RDF_TYPE, prop::FESTIVAL];
        predicates.extend(Relation::ALL.iter().map(|r| r.property()));
        let read = predicates.len();
        if min_confidence.is_some() {
            predicates.extend([vocab::RDF_REIFIES, prop::CONFIDENCE]);
        }
        let mut quads = Vec::new();
        for p in &predicates {
            quads.extend(store.quads_with_predicate(p)?);
        }
        if let Some(min) = min_confidence {
            quads = filter_min_confidence(quads, min);
            quads.retain(|q| predicates[..read].contains(&q.predicate.as_str()));
        }
        Ok(EntityGraph::from_quads(&sort_quads(quads)))
    }

    /// The node of an IRI (full, or prefixed like `person:x`).
    pub fn node_by_iri(&self, iri: &str) -> Option<NodeIndex> {
        self.by_iri.get(iri).copied().or_else(|| {
            let (prefix, local) = iri.split_once(':')?;
            let ns = vocab::PREFIXES.iter().find(|(p, _)| *p == prefix)?.1;
            self.by_iri.get(&format!("{ns}{local}")).copied()
        })
    }

    /// The nodes a name stands for: an IRI, or the entities whose label matches it
    /// ([`crate::query::explain::match_labels`]). An error names the entity when nothing matches.
    pub fn find(&self, name: &str) -> Result<Vec<NodeIndex>> {
        let trimmed = name.trim().trim_start_matches('<').trim_end_matches('>');
        if let Some(i) = self.node_by_iri(trimmed) {
            return Ok(vec![i]);
        }
        let labels: Vec<&str> = self
            .graph
            .node_weights()
            .map(|n| n.label.as_str())
            .collect();
        let found: Vec<NodeIndex> = crate::query::explain::match_labels(name, &labels)
            .into_iter()
            .map(NodeIndex::new)
            .collect();
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "no entity of the graph is labelled `{name}`"
            )));
        }
        Ok(found)
    }

    /// The subgraph of the nodes within `depth` facts of `centres` (in either direction).
    pub fn neighbourhood(&self, centres: &[NodeIndex], depth: usize) -> EntityGraph {
        let mut dist: HashMap<NodeIndex, usize> = HashMap::new();
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &c in centres {
            dist.insert(c, 0);
            queue.push_back(c);
        }
        while let Some(n) = queue.pop_front() {
            let d = dist[&n];
            if d == depth {
                continue;
            }
            for m in self.graph.neighbors_undirected(n) {
                if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(m) {
                    slot.insert(d + 1);
                    queue.push_back(m);
                }
            }
        }
        let mut sub = EntityGraph::default();
        let mut map = HashMap::new();
        for i in self.graph.node_indices().filter(|i| dist.contains_key(i)) {
            let n = sub.graph.add_node(self.graph[i].clone());
            sub.by_iri.insert(self.graph[i].iri.clone(), n);
            map.insert(i, n);
        }
        for e in self.graph.edge_references() {
            if let (Some(&a), Some(&b)) = (map.get(&e.source()), map.get(&e.target())) {
                sub.graph.add_edge(a, b, e.weight().clone());
            }
        }
        sub
    }

    /// The shortest chain of facts between `from` and `to`, following facts in either
    /// direction (breadth first; ties go to the earlier fact). Each step is (subject,
    /// relation, object) as stored.
    pub fn path(&self, from: NodeIndex, to: NodeIndex) -> Option<Vec<(Node, Edge, Node)>> {
        let mut came: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        let mut seen = std::collections::HashSet::from([from]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                break;
            }
            let mut next: Vec<(EdgeIndex, NodeIndex)> = self
                .graph
                .edges_directed(n, petgraph::Direction::Outgoing)
                .map(|e| (e.id(), e.target()))
                .chain(
                    self.graph
                        .edges_directed(n, petgraph::Direction::Incoming)
                        .map(|e| (e.id(), e.source())),
                )
                .collect();
            next.sort();
            for (e, m) in next {
                if seen.insert(m) {
                    came.insert(m, (n, e));
                    queue.push_back(m);
                }
            }
        }
        if from != to && !came.contains_key(&to) {
            return None;
        }
        let mut steps = Vec::new();
        let mut n = to;
        while n != from {
            let (prev, e) = came[&n];
            let (a, b) = self.graph.edge_endpoints(e)?;
            steps.push((
                self.graph[a].clone(),
                self.graph[e].clone(),
                self.graph[b].clone(),
            ));
            n = prev;
        }
        steps.reverse();
        Some(steps)
    }

    /// The `top` most central entities: PageRank (damping 0.85, 50 iterations) over the facts
    /// taken in both directions, with each entity's degree. Ties go to the higher degree, then
    /// the label.
    pub fn rank(&self, top: usize) -> Vec<(Node, f64, usize)> {
        // Both directions: an award and its winners point at each other.
        let mut undirected: DiGraph<(), ()> =
            DiGraph::with_capacity(self.graph.node_count(), self.graph.edge_count() * 2);
        for _ in self.graph.node_indices() {
            undirected.add_node(());
        }
        for e in self.graph.edge_references() {
            undirected.add_edge(e.source(), e.target(), ());
            undirected.add_edge(e.target(), e.source(), ());
        }
        let scores = petgraph::algo::page_rank(&undirected, 0.85_f64, 50);
        let mut ranked: Vec<(Node, f64, usize)> = self
            .graph
            .node_indices()
            .map(|i| {
                (
                    self.graph[i].clone(),
                    scores[i.index()],
                    self.graph.neighbors_undirected(i).count(),
                )
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.2.cmp(&a.2))
                .then(a.0.label.cmp(&b.0.label))
        });
        ranked.truncate(top);
        ranked
    }

    /// Graphviz DOT: nodes labelled and filled by class, edges labelled by relation.
    pub fn to_dot(&self) -> String {
        let mut out = String::from(
            "digraph cinegraph {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        );
        for i in self.graph.node_indices() {
            let n = &self.graph[i];
            let _ = writeln!(
                out,
                "  n{} [label={}, fillcolor=\"{}\", tooltip={}];",
                i.index(),
                dot_string(&n.label),
                colour(&n.class),
                dot_string(&format!("{} ({})", n.iri, n.class))
            );
        }
        for e in self.graph.edge_references() {
            let _ = writeln!(
                out,
                "  n{} -> n{} [label={}];",
                e.source().index(),
                e.target().index(),
                dot_string(&e.weight().relation.replace('_', " "))
            );
        }
        out.push_str("}\n");
        out
    }

    /// The graph as JSON: `{"nodes": [...], "edges": [{"source", "target", "relation"...}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let nodes: Vec<&Node> = self.graph.node_weights().collect();
        let edges: Vec<serde_json::Value> = self
            .graph
            .edge_references()
            .map(|e| {
                serde_json::json!({
                    "source": self.graph[e.source()].iri,
                    "target": self.graph[e.target()].iri,
                    "relation": e.weight().relation,
                    "property": e.weight().property,
                })
            })
            .collect();
        serde_json::json!({ "nodes": nodes, "edges": edges })
    }
}

/// Fill colour of a class in DOT output.
fn colour(class: &str) -> &'static str {
    match class {
        "Film" => "#f4a261",
        "Person" => "#8ecae6",
        "Character" => "#b5e48c",
        "Award" => "#ffd166",
        "Festival" => "#e5989b",
        _ => "#dddddd",
    }
}

/// A DOT quoted string.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
