//! `cinegraph graph`: the entity graph of a store drawn whole or around one entity (DOT or
//! JSON), the shortest chain of facts between two entities, or the most central entities.

use super::args::{GraphArgs, GraphFormat};
use super::render::{plural, write_rank};
use cinegraph::error::Error;
use cinegraph::query::graph::EntityGraph;
use cinegraph::store::GraphStore;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn run(args: &GraphArgs) -> Result<ExitCode, Error> {
    let store = GraphStore::open_read(&args.store)?;
    let graph = EntityGraph::from_store(&store, args.min_confidence)?;
    let mut out = super::stdout();
    let json = args.format == GraphFormat::Json;
    let code = if let Some(ends) = &args.path {
        path(&mut out, &graph, [&ends[0], &ends[1]], json)?
    } else if args.rank {
        rank(&mut out, &graph, args.top, json)?;
        ExitCode::SUCCESS
    } else {
        let graph = match &args.focus {
            Some(focus) => graph.neighbourhood(&graph.find(focus)?, args.depth),
            None => graph,
        };
        if json {
            writeln!(out, "{}", graph.to_json()).map_err(super::stdout_error)?;
        } else {
            out.write_all(graph.to_dot().as_bytes())
                .map_err(super::stdout_error)?;
        }
        ExitCode::SUCCESS
    };
    out.flush().map_err(super::stdout_error)?;
    Ok(code)
}

/// `--path A B`: the shortest chain of facts over every entity the two names stand for.
fn path(
    out: &mut dyn Write,
    graph: &EntityGraph,
    ends: [&String; 2],
    json: bool,
) -> Result<ExitCode, Error> {
    let io = super::stdout_error;
    let (from, to) = (graph.find(ends[0])?, graph.find(ends[1])?);
    let best = from
        .iter()
        .flat_map(|&a| to.iter().map(move |&b| (a, b)))
        .filter_map(|(a, b)| graph.path(a, b))
        .min_by_key(|p| p.len());
    let Some(steps) = best else {
        eprintln!("no chain of facts links `{}` and `{}`", ends[0], ends[1]);
        return Ok(ExitCode::FAILURE);
    };
    if json {
        let steps: Vec<serde_json::Value> = steps
            .iter()
            .map(|(s, e, o)| serde_json::json!({"subject": s, "relation": e.relation, "object": o}))
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(steps)).map_err(io)?;
    } else {
        for (s, e, o) in &steps {
            writeln!(out, "{}  {}  {}", s.label, e.relation, o.label).map_err(io)?;
        }
        writeln!(out, "({} fact{})", steps.len(), plural(steps.len())).map_err(io)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--rank`: the `top` most central entities, with their PageRank and degree.
fn rank(out: &mut dyn Write, graph: &EntityGraph, top: usize, json: bool) -> Result<(), Error> {
    let ranked = graph.rank(top);
    if json {
        let rows: Vec<serde_json::Value> = ranked
            .iter()
            .map(|(n, score, degree)| {
                serde_json::json!({"entity": n, "pagerank": score, "degree": degree})
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(rows)).map_err(super::stdout_error)
    } else {
        write_rank(out, &ranked).map_err(super::stdout_error)
    }
}
