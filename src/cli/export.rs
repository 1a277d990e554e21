//! `cinegraph export`: writes a store (or its facts above a confidence) as RDF in the chosen
//! format and provenance mode, to standard output or atomically to a file.

use super::args::{ExportArgs, ProvenanceOut, RdfOut};
use cinegraph::error::Error;
use cinegraph::export::provenance::{Provenance, filter_min_confidence, with_provenance};
use cinegraph::export::{ExportFormat, sort_quads, write_file, write_quads};
use cinegraph::store::GraphStore;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn run(args: &ExportArgs) -> Result<ExitCode, Error> {
    let store = GraphStore::open_read(&args.store)?;
    let format = out_format(args.format);
    let mode = provenance(args, format);
    let mut quads = store.sorted_quads()?;
    if let Some(min) = args.min_confidence {
        quads = filter_min_confidence(quads, min);
    }
    if mode != Provenance::Rdf12 {
        quads = sort_quads(with_provenance(quads, mode));
    }
    // Checked before any file is created.
    if format == ExportFormat::JsonLd && mode == Provenance::Rdf12 {
        return Err(Error::Usage(
            "JSON-LD has no RDF 1.2 triple terms: use --provenance reification or none".into(),
        ));
    }
    match &args.output {
        Some(path) => write_file(&quads, format, path)?,
        None => {
            let mut w = super::stdout();
            write_quads(&quads, format, &mut w)?;
            w.flush().map_err(super::stdout_error)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The library's output format for a `--format` value.
fn out_format(format: RdfOut) -> ExportFormat {
    match format {
        RdfOut::Turtle => ExportFormat::Turtle,
        RdfOut::Ntriples => ExportFormat::NTriples,
        RdfOut::Nquads => ExportFormat::NQuads,
        RdfOut::Trig => ExportFormat::TriG,
        RdfOut::Rdfxml => ExportFormat::RdfXml,
        RdfOut::Jsonld => ExportFormat::JsonLd,
    }
}

/// The provenance mode of `--provenance` and `--rdf11`; without them RDF 1.2, except for
/// JSON-LD, which has no RDF 1.2.
fn provenance(args: &ExportArgs, format: ExportFormat) -> Provenance {
    match (args.provenance, args.rdf11) {
        (_, true) | (Some(ProvenanceOut::Reification), _) => Provenance::Reification,
        (Some(ProvenanceOut::None), _) => Provenance::None,
        (Some(ProvenanceOut::Rdf12), _) => Provenance::Rdf12,
        (None, false) if format == ExportFormat::JsonLd => Provenance::Reification,
        (None, false) => Provenance::Rdf12,
    }
}
