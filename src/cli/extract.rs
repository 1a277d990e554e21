//! `cinegraph extract`: runs the extraction pipeline over the inputs into a store or a file,
//! shows its progress, reports input problems and the summary, and chooses the exit code.

use super::args::{ExtractArgs, StreamOut};
use super::render::{ProgressBar, plural};
use cinegraph::error::Error;
use cinegraph::{ExtractSummary, Extractor, RunOptions, extract_to_store_with, extract_to_writer};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn run(ontology: &Path, args: &ExtractArgs) -> Result<ExitCode, Error> {
    // Never freed: the process ends after the run, and freeing the lexicons and automata,
    // allocation by allocation, kept it alive noticeably longer.
    let extractor = std::mem::ManuallyDrop::new(Extractor::load(ontology)?);
    check_inputs(&args.inputs)?;
    let options = RunOptions {
        input_format: args.input_format.into(),
        threads: args.threads.map_or(0, usize::from),
        chunk_size: args.batch_size as usize,
    };
    let bar = ProgressBar::new(!args.quiet && std::io::stderr().is_terminal());
    let (summary, target) = match &args.output {
        None => (
            extract_to_store_with(&extractor, &args.inputs, &args.store, &options, &bar)?,
            args.store.display().to_string(),
        ),
        Some(path) => {
            // Every review quad is in the default graph, so N-Quads and N-Triples lines are
            // the same: both formats write the same bytes.
            let (StreamOut::Nquads | StreamOut::Ntriples) = args.format;
            let run = |w: &mut dyn std::io::Write| {
                extract_to_writer(&extractor, &args.inputs, w, &options, &bar)
            };
            write_to(path, run)?
        }
    };
    Ok(report(args, &summary, &target))
}

/// Every input exists (or is standard input), before anything is read.
fn check_inputs(inputs: &[PathBuf]) -> Result<(), Error> {
    for input in inputs {
        if input.as_os_str() != "-" && !input.exists() {
            return Err(Error::io(
                input,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    Ok(())
}

/// Runs `run` on a buffered writer to `path` (`-`: standard output); returns its summary and
/// the name of the output for the summary line.
fn write_to(
    path: &Path,
    run: impl FnOnce(&mut dyn std::io::Write) -> Result<ExtractSummary, Error>,
) -> Result<(ExtractSummary, String), Error> {
    if path.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        return Ok((run(&mut w)?, "<stdout>".to_string()));
    }
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    let summary = run(&mut w).map_err(|e| match e {
        Error::Io { source, .. } => Error::io(path, source),
        e => e,
    })?;
    Ok((summary, path.display().to_string()))
}

/// Prints the input problems and the summary line; the exit code: failure when no review
/// could be read, or with --strict when any input had a problem.
fn report(args: &ExtractArgs, summary: &ExtractSummary, target: &str) -> ExitCode {
    for p in &summary.problems {
        let skipped = if p.skipped { " (skipped)" } else { "" };
        eprintln!("warning: {}: {}{skipped}", p.location, p.message);
    }
    let skipped = summary.problems.iter().filter(|p| p.skipped).count();
    let warnings = summary.problems.len() - skipped;
    if !args.quiet {
        eprintln!(
            "extracted {} review{} ({} skipped, {} warning{}): {} facts, {} entities -> {}",
            summary.reviews,
            plural(summary.reviews),
            skipped,
            warnings,
            plural(warnings),
            summary.facts,
            summary.entities,
            target
        );
    }
    if summary.reviews == 0 {
        eprintln!("error: no review could be read");
        return ExitCode::FAILURE;
    }
    if args.strict && !summary.problems.is_empty() {
        let n = summary.problems.len();
        eprintln!("error: {n} input problem{} (--strict)", plural(n));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
