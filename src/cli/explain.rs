//! `cinegraph explain`: finds the facts about an entity in a store and shows each with the
//! reviews that support it, as text for people or JSON for tools.

use super::args::{ExplainArgs, ExplainFormat};
use super::render::write_explained;
use cinegraph::error::Error;
use cinegraph::store::GraphStore;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub(super) fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let store = GraphStore::open_read(&args.store)?;
    let facts = cinegraph::query::explain::explain(
        &store,
        &args.subject,
        args.relation.as_deref(),
        args.object.as_deref(),
        args.min_confidence,
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
