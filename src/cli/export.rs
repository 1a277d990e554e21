//! `cinegraph export`: writes a store (or its facts above a confidence) as RDF in the chosen
//! format and provenance mode, to standard output or atomically to a file.

use super::args::{ExportArgs, ProvenanceOut, RdfOut};
use cinegraph::error::Error;
use cinegraph::provenance::{
    OutFormat, Provenance, filter_min_confidence, sort_quads, with_provenance, write_quads,
};
use cinegraph::store::{ExportFormat, GraphStore};
use std::io::Write;
use std::path::Path;
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
    if format == OutFormat::JsonLd && mode == Provenance::Rdf12 {
        return Err(Error::Usage(
            "JSON-LD has no RDF 1.2 triple terms: use --provenance reification or none".into(),
        ));
    }
    match &args.output {
        Some(path) => write_file(path, &quads, format)?,
        None => {
            let mut w = super::stdout();
            write_quads(&quads, format, &mut w)?;
            w.flush().map_err(super::stdout_error)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The library's output format for a `--format` value.
fn out_format(format: RdfOut) -> OutFormat {
    match format {
        RdfOut::Turtle => OutFormat::Rdf(ExportFormat::Turtle),
        RdfOut::Ntriples => OutFormat::Rdf(ExportFormat::NTriples),
        RdfOut::Nquads => OutFormat::Rdf(ExportFormat::NQuads),
        RdfOut::Trig => OutFormat::Rdf(ExportFormat::TriG),
        RdfOut::Rdfxml => OutFormat::Rdf(ExportFormat::RdfXml),
        RdfOut::Jsonld => OutFormat::JsonLd,
    }
}

/// The provenance mode of `--provenance` and `--rdf11`; without them RDF 1.2, except for
/// JSON-LD, which has no RDF 1.2.
fn provenance(args: &ExportArgs, format: OutFormat) -> Provenance {
    match (args.provenance, args.rdf11) {
        (_, true) | (Some(ProvenanceOut::Reification), _) => Provenance::Reification,
        (Some(ProvenanceOut::None), _) => Provenance::None,
        (Some(ProvenanceOut::Rdf12), _) => Provenance::Rdf12,
        (None, false) if format == OutFormat::JsonLd => Provenance::Reification,
        (None, false) => Provenance::Rdf12,
    }
}

/// Writes the quads to a temporary file beside `path`, then renames it over `path`: a reader
/// of `path` sees the old export or the new one, never a part.
fn write_file(
    path: &Path,
    quads: &[oxigraph::model::Quad],
    format: OutFormat,
) -> Result<(), Error> {
    let tmp = path.with_extension("tmp-export");
    let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let mut w = std::io::BufWriter::new(file);
    if let Err(e) = write_quads(quads, format, &mut w) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let file = w
        .into_inner()
        .map_err(|e| Error::io(&tmp, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
