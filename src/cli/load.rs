//! `cinegraph load`: bulk-loads RDF files into a store, with a progress bar and a summary line.

use super::args::LoadArgs;
use super::render::{ProgressBar, plural};
use cinegraph::error::Error;
use cinegraph::load::load_files;
use cinegraph::store::RdfFile;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(ontology: &Path, args: &LoadArgs) -> Result<ExitCode, Error> {
    let format = args.format.map(Into::into);
    let files = args
        .files
        .iter()
        .map(|path| RdfFile::new(path, format))
        .collect::<Result<Vec<_>, _>>()?;
    let bar = ProgressBar::new(!args.quiet && std::io::stderr().is_terminal());
    let summary = load_files(ontology, &files, &args.store, &bar)?;
    if !args.quiet {
        eprintln!(
            "loaded {} quad{} from {} file{} -> {}",
            summary.quads,
            plural(summary.quads as usize),
            summary.files,
            plural(summary.files),
            args.store.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
