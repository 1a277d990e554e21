//! Command-line interface: clap derive structs (their doc comments are the help text) and the
//! subcommands. The only code that writes to stdout and stderr.

use cinegraph::error::Error;
use cinegraph::store::{ExportFormat, GraphStore, ResultsFormat};
use cinegraph::{
    Extractor, Progress, RunOptions, StreamFormat, default_ontology_dir, extract_to_store_with,
    extract_to_writer,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Cinegraph: film reviews in, a knowledge graph out.
///
/// Rule-based extractors turn review text into RDF facts (who directed, shot, starred in or won
/// what), stored in an embedded Oxigraph store that answers SPARQL and exports Turtle.
///
/// Example:
///   cinegraph extract examples/the-cranes-are-flying.txt
///   cinegraph query 'SELECT ?film ?person WHERE { ?f cg:director ?p . ?f rdfs:label ?film . ?p rdfs:label ?person }'
#[derive(Parser, Debug)]
#[command(name = "cinegraph", version, verbatim_doc_comment)]
pub struct Cli {
    /// Directory holding cinegraph.ttl, rules/ and lexicon/ [default: $CINEGRAPH_ONTOLOGY,
    /// ./ontology, or the one shipped with Cinegraph]
    #[arg(long, global = true, value_name = "DIR")]
    ontology: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Extract(ExtractArgs),
    Query(QueryArgs),
    Export(ExportArgs),
    Eval(EvalArgs),
}

/// Score extraction against hand-annotated gold facts (the guideline's matching).
///
/// Each review of the gold file is read from the corpus and extracted on its own; the table
/// gives precision, recall and F1 per relation and micro-averaged.
///
/// Example:
///   cinegraph eval --gold ../shared/gold/dev.tsv --corpus ../shared/corpus/aclImdb.jsonl.gz
///   cinegraph eval --gold ../shared/gold/seed.tsv --corpus examples/the-cranes-are-flying.txt --show-errors
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct EvalArgs {
    /// Gold facts (TSV: review_id, subject, relation, object, flag).
    #[arg(long, value_name = "GOLD.tsv")]
    gold: PathBuf,
    /// Reviews: a .jsonl[.gz] corpus, a directory, or one .txt file.
    #[arg(long, value_name = "CORPUS")]
    corpus: PathBuf,
    /// List every false positive and false negative with its sentence.
    #[arg(long)]
    show_errors: bool,
}

/// Extract facts from reviews into a store (adding to what it holds).
///
/// INPUT is a text file (one review), a directory (every .txt below it), a .jsonl or .jsonl.gz
/// file (one JSON review a line: `id`, `text`, optional `imdb` title id and `rating`), or `-`
/// for standard input. A summary goes to stderr; bad reviews are reported (file, or file:line
/// for JSONL) and skipped: malformed JSON, no `text`, empty text, longer than 16 MiB. Invalid
/// UTF-8 is decoded with replacement characters and reported as a warning.
///
/// Example:
///   cinegraph extract examples/the-cranes-are-flying.txt --store out/store
///   cinegraph extract reviews.jsonl.gz --strict
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct ExtractArgs {
    /// Reviews to read.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Store directory.
    #[arg(
        long,
        default_value = "out/store",
        value_name = "DIR",
        conflicts_with = "output"
    )]
    store: PathBuf,
    /// Write the review quads to FILE (`-`: standard output) instead of a store, as they are
    /// extracted, in input order: the extractor as a filter. The ontology is not included.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Format of --output.
    #[arg(long, value_enum, default_value = "nquads", requires = "output")]
    format: StreamOut,
    /// Extraction threads [default: the available parallelism].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Print nothing but errors (no progress bar, no summary).
    #[arg(long, short)]
    quiet: bool,
    /// Exit non-zero when any review had a problem (skipped, or read with a warning such as
    /// invalid UTF-8); the reviews that could be read are still stored. Without it the exit is
    /// non-zero only when no review could be read.
    #[arg(long)]
    strict: bool,
}

/// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on a store.
///
/// The prefixes cg:, film:, person:, character:, award:, festival:, review:, work:, cgr:,
/// rdf:, rdfs:, owl:, xsd:, prov:, schema:, wd:, wdt: and dcterms: are predeclared.
/// CONSTRUCT and DESCRIBE results are written as Turtle (table), N-Triples (csv, tsv),
/// RDF/XML (xml) or JSON-LD (json).
///
/// Example:
///   cinegraph query 'SELECT ?name WHERE { ?f cg:director ?p . ?p rdfs:label ?name }'
///   cinegraph query --file directors.rq --format json
///   cinegraph query --timeout 10 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }'
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct QueryArgs {
    /// The query text (or use --file).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    query: Option<String>,
    /// Read the query from a file.
    #[arg(long, short, value_name = "F.rq")]
    file: Option<PathBuf>,
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    store: PathBuf,
    /// Results format [default: table on a terminal, tsv otherwise].
    #[arg(long, value_enum)]
    format: Option<QueryFormat>,
    /// Stop the query with an error after this many seconds (e.g. 2.5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Option<std::time::Duration>,
}

fn parse_timeout(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > 1e9 {
        return Err(format!("`{s}`: give a positive number of seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum StreamOut {
    /// N-Quads.
    Nquads,
    /// N-Triples.
    Ntriples,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum QueryFormat {
    /// Aligned columns, for people.
    Table,
    /// W3C SPARQL 1.1 results CSV.
    Csv,
    /// W3C SPARQL 1.1 results TSV.
    Tsv,
    /// W3C SPARQL 1.1 results JSON.
    Json,
    /// W3C SPARQL results XML.
    Xml,
}

/// Export a store as RDF, in a deterministic order with the ontology's prefixes.
///
/// Example:
///   cinegraph export --output out/graph.ttl
///   cinegraph export --format nquads > graph.nq
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct ExportArgs {
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    store: PathBuf,
    /// RDF format.
    #[arg(long, value_enum, default_value = "turtle")]
    format: RdfOut,
    /// Write to this file instead of standard output (replaced atomically).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum RdfOut {
    /// Turtle.
    Turtle,
    /// N-Triples.
    Ntriples,
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
    /// RDF/XML.
    Rdfxml,
}

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
    let ontology = cli.ontology.clone().unwrap_or_else(default_ontology_dir);
    match cli.command {
        Command::Extract(args) => {
            let extractor = Extractor::load(&ontology)?;
            for input in &args.inputs {
                if input.as_os_str() != "-" && !input.exists() {
                    return Err(Error::io(
                        input,
                        std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no such file or directory",
                        ),
                    ));
                }
            }
            let options = RunOptions {
                threads: args.threads.map_or(0, usize::from),
                ..RunOptions::default()
            };
            let bar = ProgressBar::new(!args.quiet && std::io::stderr().is_terminal());
            let (summary, target) = match &args.output {
                None => (
                    extract_to_store_with(&extractor, &args.inputs, &args.store, &options, &bar)?,
                    args.store.display().to_string(),
                ),
                Some(path) => {
                    let format = match args.format {
                        StreamOut::Nquads => StreamFormat::NQuads,
                        StreamOut::Ntriples => StreamFormat::NTriples,
                    };
                    let summary = if path.as_os_str() == "-" {
                        let stdout = std::io::stdout();
                        let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
                        extract_to_writer(&extractor, &args.inputs, &mut w, format, &options, &bar)?
                    } else {
                        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
                        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
                        extract_to_writer(&extractor, &args.inputs, &mut w, format, &options, &bar)
                            .map_err(|e| match e {
                                Error::Io { source, .. } => Error::io(path, source),
                                e => e,
                            })?
                    };
                    let target = if path.as_os_str() == "-" {
                        "<stdout>".to_string()
                    } else {
                        path.display().to_string()
                    };
                    (summary, target)
                }
            };
            for p in &summary.problems {
                eprintln!(
                    "warning: {}: {}{}",
                    p.location,
                    p.message,
                    if p.skipped { " (skipped)" } else { "" }
                );
            }
            let skipped = summary.problems.iter().filter(|p| p.skipped).count();
            let warnings = summary.problems.len() - skipped;
            if !args.quiet {
                eprintln!(
                    "extracted {} review{} ({} skipped, {} warning{}): {} facts, {} entities -> {}",
                    summary.reviews,
                    if summary.reviews == 1 { "" } else { "s" },
                    skipped,
                    warnings,
                    if warnings == 1 { "" } else { "s" },
                    summary.facts,
                    summary.entities,
                    target
                );
            }
            if summary.reviews == 0 {
                eprintln!("error: no review could be read");
                return Ok(ExitCode::FAILURE);
            }
            if args.strict && !summary.problems.is_empty() {
                eprintln!(
                    "error: {} input problem{} (--strict)",
                    summary.problems.len(),
                    if summary.problems.len() == 1 { "" } else { "s" }
                );
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Query(args) => {
            let query = match (&args.query, &args.file) {
                (Some(q), _) => q.clone(),
                (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?,
                (None, None) => return Err(Error::Usage("give a QUERY or --file".into())),
            };
            let store = GraphStore::open_read(&args.store)?;
            let stdout = std::io::stdout();
            let format = match args.format {
                Some(f) => f,
                None if stdout.is_terminal() => QueryFormat::Table,
                None => QueryFormat::Tsv,
            };
            let format = match format {
                QueryFormat::Table => ResultsFormat::Table,
                QueryFormat::Csv => ResultsFormat::Csv,
                QueryFormat::Tsv => ResultsFormat::Tsv,
                QueryFormat::Json => ResultsFormat::Json,
                QueryFormat::Xml => ResultsFormat::Xml,
            };
            let mut out = std::io::BufWriter::new(stdout.lock());
            store
                .query_with_timeout(&query, format, &mut out, args.timeout)
                .map_err(|e| match (e, &args.file) {
                    (Error::Query(msg), Some(f)) => Error::syntax(f, None, msg),
                    (e, _) => e,
                })?;
            out.flush().map_err(|e| Error::io("<stdout>", e))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args) => {
            let extractor = Extractor::load(&ontology)?;
            let gold = cinegraph::eval::read_gold(&args.gold)?;
            let (report, missing) = cinegraph::eval::evaluate(&extractor, &gold, &args.corpus)?;
            for id in &missing {
                eprintln!(
                    "warning: review {id} of the gold file is not in {}",
                    args.corpus.display()
                );
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write_report(&mut out, &report, args.show_errors)
                .map_err(|e| Error::io("<stdout>", e))?;
            out.flush().map_err(|e| Error::io("<stdout>", e))?;
            if report.reviews == 0 {
                return Err(Error::Usage(
                    "no review of the gold file was found in the corpus".into(),
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => {
            let store = GraphStore::open_read(&args.store)?;
            let format = match args.format {
                RdfOut::Turtle => ExportFormat::Turtle,
                RdfOut::Ntriples => ExportFormat::NTriples,
                RdfOut::Nquads => ExportFormat::NQuads,
                RdfOut::Trig => ExportFormat::TriG,
                RdfOut::Rdfxml => ExportFormat::RdfXml,
            };
            match &args.output {
                Some(path) => {
                    let tmp = path.with_extension("tmp-export");
                    let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
                    let mut w = std::io::BufWriter::new(file);
                    store.write_sorted(&mut w, format)?;
                    let file = w
                        .into_inner()
                        .map_err(|e| Error::io(&tmp, e.into_error()))?;
                    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
                    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    store.write_sorted(&mut w, format)?;
                    w.flush().map_err(|e| Error::io("<stdout>", e))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_report(
    w: &mut dyn Write,
    report: &cinegraph::eval::Report,
    show_errors: bool,
) -> std::io::Result<()> {
    use cinegraph::eval::ScoreError;
    writeln!(w, "{} reviews scored", report.reviews)?;
    writeln!(
        w,
        "{:<16} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
        "relation", "tp", "fp", "fn", "P", "R", "F1"
    )?;
    let row = |w: &mut dyn Write, name: &str, c: cinegraph::eval::Counts| {
        writeln!(
            w,
            "{:<16} {:>5} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3}",
            name,
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        )
    };
    for (rel, c) in &report.per_relation {
        row(w, rel.key(), *c)?;
    }
    row(w, "micro", report.micro())?;
    if show_errors {
        for e in &report.errors {
            match e {
                ScoreError::FalsePositive { review, fact } => writeln!(
                    w,
                    "FP {review}\t{}\t{}\t{}\t[{}] {}",
                    fact.subject,
                    fact.relation.key(),
                    fact.object,
                    fact.rule,
                    fact.sentence
                )?,
                ScoreError::FalseNegative {
                    review,
                    gold,
                    sentence,
                } => {
                    let cells: Vec<&str> = gold.text.split('\t').collect();
                    writeln!(
                        w,
                        "FN {review}\t{}\t{}",
                        cells[1..].join("\t").trim_end(),
                        sentence.as_deref().unwrap_or("(no sentence names it)")
                    )?
                }
            }
        }
    }
    Ok(())
}

/// The progress of `extract` on a terminal: a bar with reviews done, reviews/s and ETA when the
/// number of reviews is known, a spinner with the count and rate otherwise; hidden when stderr
/// is not a terminal or with --quiet.
struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressBar {
    fn new(visible: bool) -> ProgressBar {
        ProgressBar {
            bar: visible.then(indicatif::ProgressBar::hidden),
        }
    }
}

impl Progress for ProgressBar {
    fn start(&self, total: Option<u64>) {
        let Some(bar) = &self.bar else { return };
        let style = match total {
            Some(n) => {
                bar.set_length(n);
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {human_pos}/{human_len} reviews, {rate}, ETA {eta}",
                )
            }
            None => indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} reviews, {rate}, {elapsed}",
            ),
        };
        if let Ok(style) = style {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} reviews/s", state.per_sec());
                },
            ));
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn advance(&self, reviews: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(reviews);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
