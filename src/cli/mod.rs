//! Command-line interface: parses the arguments ([`args`]), runs one command (a module each)
//! and maps its outcome to an exit code. The only code that writes to stdout and stderr.

mod args;
mod eval;
mod explain;
mod export;
mod extract;
mod graph;
mod load;
mod query;
mod render;
mod serve;
mod table;

use args::{Cli, Command};
use cinegraph::default_ontology_dir;
use cinegraph::error::Error;
use clap::Parser;
use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let ontology = cli.ontology.unwrap_or_else(default_ontology_dir);
    match cli.command {
        Command::Extract(args) => extract::run(&ontology, &args),
        Command::Load(args) => load::run(&ontology, &args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Eval(args) => eval::run(&ontology, &args),
        Command::Serve(args) => serve::run(&ontology, &args),
    }
}

/// Standard output, buffered and locked for one command's output.
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// An error writing standard output.
fn stdout_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}
