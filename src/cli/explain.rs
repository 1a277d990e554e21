//! `cinegraph explain`: finds the facts about an entity in a store and shows each with the
//! reviews that support it, as text for people or JSON for tools.

use super::args::{ExplainArgs, ExplainFormat};
use super::render::write_explained;
use cinegraph::error::Error;
use cinegraph::provenance::filter_min_confidence;
use cinegraph::store::GraphStore;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub(super) fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let store = GraphStore::open_read(&args.store)?;
    let mut quads = store.sorted_quads()?;
    if let Some(min) = args.min_confidence {
        quads = filter_min_confidence(quads, min);
    }
    let facts = cinegraph::explain::explain_quads(
        &quads,
        &args.subject,
        args.relation.as_deref(),
        args.object.as_deref(),
    )?;
    let bold = std::io::stdout().is_terminal();
    let mut out = super::stdout();
    let io = super::stdout_error;
    match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &facts).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        ExplainFormat::Text => write_explained(&mut out, &facts, bold).map_err(io)?,
    }
    out.flush().map_err(io)?;
    if facts.is_empty() {
        eprintln!("no fact matches");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
