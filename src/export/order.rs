//! The deterministic order of quads: the one every export, `explain` and `graph` see
//! ([`sort_quads`]), and the line order of the store's N-Quads snapshot
//! ([`write_sorted_lines`]).

use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::model::Quad;
use std::io::Write;

/// Sorts quads for readable, deterministic output (graph, subject with its type and label
/// first, predicate, object, each compared as written in N-Quads) and removes duplicates;
/// [`crate::store::GraphStore::sorted_quads`] is this over the whole store.
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

/// Writes quads as N-Quads, one line per quad, the lines sorted as strings and deduplicated by
/// the store beforehand. This is the snapshot's order, kept apart from [`sort_quads`] because
/// only a line per quad is held (a 50,000-review store has millions of quads, and
/// [`sort_quads`] holds four strings and the quad for each), and because a snapshot written by
/// an earlier version must stay byte-identical: a store reloaded from it iterates in insertion
/// order, which unordered query results show.
pub fn write_sorted_lines(
    quads: impl Iterator<Item = Result<Quad>>,
    writer: &mut dyn Write,
) -> Result<()> {
    let mut lines = Vec::new();
    for quad in quads {
        // A default-graph quad prints as its triple: the N-Triples line.
        lines.push(quad?.to_string());
    }
    lines.sort_unstable();
    let io = |e: std::io::Error| Error::io("<output>", e);
    for line in &lines {
        writer.write_all(line.as_bytes()).map_err(io)?;
        writer.write_all(b" .\n").map_err(io)?;
    }
    Ok(())
}
