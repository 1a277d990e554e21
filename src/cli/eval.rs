//! `cinegraph eval`: scores extraction against a gold file and prints the report.

use super::args::EvalArgs;
use super::render::{write_film_report, write_report};
use cinegraph::Extractor;
use cinegraph::error::Error;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(ontology: &Path, args: &EvalArgs) -> Result<ExitCode, Error> {
    let extractor = Extractor::load(ontology)?;
    let Some(gold) = &args.gold else {
        return run_films(&extractor, args);
    };
    let gold = cinegraph::eval::read_gold(gold)?;
    let (report, missing) = cinegraph::eval::evaluate(&extractor, &gold, &args.corpus)?;
    for id in &missing {
        eprintln!(
            "warning: review {id} of the gold file is not in {}",
            args.corpus.display()
        );
    }
    let mut out = super::stdout();
    write_report(&mut out, &report, args.show_errors).map_err(super::stdout_error)?;
    out.flush().map_err(super::stdout_error)?;
    if report.reviews == 0 {
        return Err(Error::Usage(
            "no review of the gold file was found in the corpus".into(),
        ));
    }
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
