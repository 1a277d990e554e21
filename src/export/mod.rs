//! Exports: the one [`ExportFormat`] enum, the writer of sorted quads with the prefixes they
//! use ([`write_quads`]), and writing an export to a file atomically ([`write_file`]). The
//! order of quads is in [`order`], the provenance views in [`provenance`], atomic replacement
//! in [`atomic`].

pub mod atomic;
pub mod order;
pub mod provenance;

pub use order::sort_quads;

use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, QuadRef, TermRef};
use std::io::Write;
use std::path::Path;

/// Output formats of RDF exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Turtle (default graph).
    Turtle,
    /// N-Triples (default graph).
    NTriples,
    /// N-Quads (every graph).
    NQuads,
    /// TriG (every graph).
    TriG,
    /// RDF/XML (default graph).
    RdfXml,
    /// JSON-LD (every graph; RDF 1.1 only: provenance as reification or none).
    JsonLd,
}

impl ExportFormat {
    /// Oxigraph's format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
            ExportFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }
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

/// Writes quads (already sorted) in a format with the prefixes they use. Formats without
/// datasets get the default graph only.
pub fn write_quads(quads: &[Quad], format: ExportFormat, writer: &mut dyn Write) -> Result<()> {
    let rdf_format = format.rdf_format();
    if format == ExportFormat::JsonLd && quads.iter().any(provenance::has_triple_term) {
        return Err(Error::Usage(
            "JSON-LD has no RDF 1.2 triple terms: use --provenance reification or none".into(),
        ));
    }
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if !matches!(format, ExportFormat::NTriples | ExportFormat::NQuads) {
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

/// [`write_quads`] to a file, replaced atomically through `PATH.tmp-export` (see
/// [`atomic::replace`]): a failed export leaves the previous file as it was. A file error
/// names the file concerned.
pub fn write_file(quads: &[Quad], format: ExportFormat, path: &Path) -> Result<()> {
    let tmp = path.with_extension("tmp-export");
    atomic::replace(path, &tmp, |w| write_quads(quads, format, w)).map_err(|e| match e {
        atomic::ReplaceError::Io { path, source, .. } => Error::io(path, source),
        atomic::ReplaceError::Write(e) => e,
    })
}
