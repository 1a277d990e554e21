//! `cinegraph explain`: finds the facts about an entity in a store and shows each with the
//! reviews that support it, as text for people or JSON for tools.

use super::args::{ExplainArgs, ExplainFormat};
use super::render::{write_explained, write_film_naming};
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
    // A reviewed film with no fact is still explained: how it was named and identified.
    let mut named = false;
    match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &facts).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        ExplainFormat::Text => {
            if args.relation.is_none() {
                let naming = cinegraph::query::explain::film_naming(&store, &args.subject)?;
                write_film_naming(&mut out, &naming).map_err(io)?;
                named = !naming.is_empty();
            }
            write_explained(&mut out, &facts, bold).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    if facts.is_empty() && !named {
        eprintln!("no fact matches");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
