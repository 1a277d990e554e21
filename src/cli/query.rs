//! `cinegraph query`: runs a SPARQL query on a store (or on its facts above a confidence) and
//! writes the results in the chosen format.

use super::args::{QueryArgs, QueryFormat};
use cinegraph::error::Error;
use cinegraph::export::provenance::filter_min_confidence;
use cinegraph::store::{GraphStore, ResultsFormat};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub(super) fn run(args: &QueryArgs) -> Result<ExitCode, Error> {
    let query = match (&args.query, &args.file) {
        (Some(q), _) => q.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?,
        (None, None) => return Err(Error::Usage("give a QUERY or --file".into())),
    };
    let mut store = GraphStore::open_read(&args.store)?;
    if let Some(min) = args.min_confidence {
        store = store.view(filter_min_confidence(store.sorted_quads()?, min))?;
    }
    let stdout = std::io::stdout();
    let format = match args.format {
        Some(f) => f,
        None if stdout.is_terminal() => QueryFormat::Table,
        None => QueryFormat::Tsv,
    };
    let answer = store
        .answer(&query, args.timeout)
        .map_err(|e| match (e, &args.file) {
            // A query read from a file: its syntax errors name the file.
            (Error::Query(msg), Some(f)) => Error::syntax(f, None, msg),
            (e, _) => e,
        })?;
    let mut out = std::io::BufWriter::new(stdout.lock());
    match results_format(format) {
        Some(format) => answer.write(format, &mut out)?,
        None => super::table::write_answer(&mut out, &answer)?,
    }
    out.flush().map_err(super::stdout_error)?;
    Ok(ExitCode::SUCCESS)
}

/// The library's (W3C) results format for a `--format` value; `None` for the table, which is
/// for people and rendered here.
fn results_format(format: QueryFormat) -> Option<ResultsFormat> {
    match format {
        QueryFormat::Table => None,
        QueryFormat::Csv => Some(ResultsFormat::Csv),
        QueryFormat::Tsv => Some(ResultsFormat::Tsv),
        QueryFormat::Json => Some(ResultsFormat::Json),
        QueryFormat::Xml => Some(ResultsFormat::Xml),
    }
}
