//! `cinegraph eval`: scores extraction against gold files (each, then their union) and prints
//! the reports; or, with `--films`, film identification.

use super::args::EvalArgs;
use super::render::{write_film_report, write_report};
use cinegraph::Extractor;
use cinegraph::error::Error;
use cinegraph::eval::Report;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(ontology: &Path, args: &EvalArgs) -> Result<ExitCode, Error> {
    let extractor = Extractor::load(ontology)?;
    if args.gold.is_empty() {
        return run_films(&extractor, args);
    }
    let mut out = super::stdout();
    let mut union = Report::default();
    for path in &args.gold {
        let gold = cinegraph::eval::read_gold(path)?;
        let (report, missing) = cinegraph::eval::evaluate(&extractor, &gold, &args.corpus)?;
        for id in &missing {
            eprintln!(
                "warning: review {id} of {} is not in {}",
                path.display(),
                args.corpus.display()
            );
        }
        if report.reviews == 0 {
            return Err(Error::Usage(format!(
                "no review of {} was found in the corpus",
                path.display()
            )));
        }
        if args.gold.len() > 1 {
            writeln!(out, "== {}", path.display()).map_err(super::stdout_error)?;
        }
        write_report(&mut out, &report, args.show_errors).map_err(super::stdout_error)?;
        union.merge(report);
    }
    if args.gold.len() > 1 {
        writeln!(out, "== union of {} gold files", args.gold.len()).map_err(super::stdout_error)?;
        // The errors were listed with each file.
        union.errors.clear();
        write_report(&mut out, &union, false).map_err(super::stdout_error)?;
    }
    out.flush().map_err(super::stdout_error)?;
    Ok(ExitCode::SUCCESS)
}

/// `eval --films`: film identification and labels on the reviews with an IMDb id.
fn run_films(extractor: &Extractor, args: &EvalArgs) -> Result<ExitCode, Error> {
    let report = cinegraph::eval::evaluate_films(extractor, &args.corpus)?;
    let mut out = super::stdout();
    write_film_report(&mut out, &report, args.show_films.unwrap_or(0))
        .map_err(super::stdout_error)?;
    out.flush().map_err(super::stdout_error)?;
    if report.reviews == 0 {
        return Err(Error::Usage(format!(
            "no review of {} has an IMDb id",
            args.corpus.display()
        )));
    }
    Ok(ExitCode::SUCCESS)
}
