//! Command-line interface: clap derive structs (their doc comments are the help text) and the
//! subcommands. The only code that writes to stdout and stderr.

use cinegraph::error::Error;
use cinegraph::export::provenance::{Provenance, filter_min_confidence, with_provenance};
use cinegraph::export::{ExportFormat, sort_quads, write_quads};
use cinegraph::query::graph::EntityGraph;
use cinegraph::store::{GraphStore, ResultsFormat};
use cinegraph::{
    Extractor, Progress, RunOptions, StreamFormat, default_ontology_dir, extract_to_store_with,
    extract_to_writer,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod table;

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
    Explain(ExplainArgs),
    Graph(GraphArgs),
    Eval(EvalArgs),
}

/// Show the facts about an entity with every review that supports each one.
///
/// SUBJECT, OBJECT: a label, matched like the gold scorer matches names (case, accents,
/// punctuation and a leading "the" do not matter), or an IRI (`person:nm0440222`, <https://…>).
/// RELATION: director, cinematographer, actor, plays, character, writer, composer, producer,
/// editor, award, nominated, year, based_on, alt_title (or a cg: property). Without a relation,
/// facts where the entity is the object are shown too. Each supporting review gives its id,
/// the sentence with the matched words highlighted (bold on a terminal, [brackets] otherwise),
/// the rule, the method and the confidence.
///
/// Example:
///   cinegraph explain "The Cranes Are Flying" director
///   cinegraph explain Kalatozov
///   cinegraph explain "tatiana samoilova" plays veronica --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct ExplainArgs {
    /// The entity (label or IRI).
    #[arg(value_name = "SUBJECT")]
    subject: String,
    /// A relation, to show only its facts.
    #[arg(value_name = "RELATION")]
    relation: Option<String>,
    /// An object (label, IRI or value), to show only that fact.
    #[arg(value_name = "OBJECT", requires = "relation")]
    object: Option<String>,
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    store: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: ExplainFormat,
    /// Only supports with at least this confidence (0..1).
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    min_confidence: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExplainFormat {
    /// For people.
    Text,
    /// For tools: an array of facts with their supports.
    Json,
}

/// Draw the entity graph (Graphviz DOT or JSON), find a chain of facts, or rank entities.
///
/// Nodes are the entities (filled by class: film, person, character, award, festival, work),
/// edges the facts between them, labelled by relation (years and titles are not drawn).
/// --focus keeps the entities within --depth facts of one entity; --path A B prints the
/// shortest chain of facts linking two entities; --rank lists the most central entities
/// (PageRank over the facts in both directions, with their degree).
///
/// Example:
///   cinegraph graph --focus "The Cranes Are Flying" | dot -Tsvg > cranes.svg
///   cinegraph graph --path Kalatozov Eisenstein
///   cinegraph graph --rank --top 20
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
struct GraphArgs {
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    store: PathBuf,
    /// Only the neighbourhood of this entity (label or IRI).
    #[arg(long, value_name = "LABEL")]
    focus: Option<String>,
    /// Facts away from the focus to include.
    #[arg(long, default_value_t = 1, value_name = "N", requires = "focus")]
    depth: usize,
    /// Only facts with a supporting occurrence of at least this confidence (0..1).
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    min_confidence: Option<f64>,
    /// Output format of the graph (and of --path and --rank: json, or text otherwise).
    #[arg(long, value_enum, default_value = "dot")]
    format: GraphFormat,
    /// The shortest chain of facts between two entities.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["focus", "rank"])]
    path: Option<Vec<String>>,
    /// The most central entities.
    #[arg(long, conflicts_with = "focus")]
    rank: bool,
    /// How many entities --rank lists.
    #[arg(long, default_value_t = 10, value_name = "N", requires = "rank")]
    top: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GraphFormat {
    /// Graphviz DOT (text for --path and --rank).
    Dot,
    /// JSON.
    Json,
}

fn parse_confidence(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if !(0.0..=1.0).contains(&x) {
        return Err(format!("`{s}`: a confidence is between 0 and 1"));
    }
    Ok(x)
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
    /// Extraction threads [default: the available parallelism]. With one thread for each
    /// processor the process may use, each thread keeps to its own processor.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Reviews extracted and written at a time (the first batches are smaller: 64 reviews,
    /// doubling). Memory grows with it (about three batches are held); with the RocksDB store
    /// each batch is one atomic commit, so a crash keeps every batch written before it.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    batch_size: u32,
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
    /// Query only the facts with a supporting occurrence of at least this confidence (0..1):
    /// the others, and every occurrence below it, are left out of the queried graph.
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    min_confidence: Option<f64>,
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

/// Export a store as RDF, in a deterministic order with the prefixes it uses.
///
/// Provenance is RDF 1.2 by default: each fact once, each reading of it an `rdf:reifies`
/// reifier (cg:Occurrence) with review, rule, method, confidence, sentence and span.
/// --provenance reification (or --rdf11) writes RDF 1.1 `rdf:Statement` reification instead,
/// for tools without RDF 1.2; --provenance none drops occurrences and mentions. JSON-LD has no
/// RDF 1.2, so it defaults to reification.
///
/// Example:
///   cinegraph export --output out/graph.ttl
///   cinegraph export --format nquads > graph.nq
///   cinegraph export --rdf11 --min-confidence 0.8 --output graph-rdf11.ttl
///   cinegraph export --format jsonld --provenance none
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
    /// How the provenance of facts is written [default: rdf12; reification for jsonld].
    #[arg(long, value_enum)]
    provenance: Option<ProvenanceOut>,
    /// RDF 1.1 output: the same as --provenance reification.
    #[arg(long, conflicts_with = "provenance")]
    rdf11: bool,
    /// Export only the facts with a supporting occurrence of at least this confidence (0..1);
    /// occurrences below it are left out too.
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    min_confidence: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ProvenanceOut {
    /// RDF 1.2 reifiers (`rdf:reifies <<( s p o )>>`), as stored.
    Rdf12,
    /// RDF 1.1 `rdf:Statement` reification (rdf:subject, rdf:predicate, rdf:object).
    Reification,
    /// No occurrence or mention nodes: facts, entities and reviews only.
    None,
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
    /// JSON-LD (RDF 1.1: provenance as reification or none).
    Jsonld,
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
            // Never freed: the process ends after the run, and freeing the lexicons and
            // automata, allocation by allocation, kept it alive some 25 ms longer.
            let extractor = std::mem::ManuallyDrop::new(Extractor::load(&ontology)?);
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
                chunk_size: args.batch_size as usize,
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
            let mut store = GraphStore::open_read(&args.store)?;
            if let Some(min) = args.min_confidence {
                store = store.view(filter_min_confidence(store.sorted_quads()?, min))?;
            }
            let stdout = std::io::stdout();
            let format = match args.format {
                Some(f) => f,
                None if stdout.is_terminal() => QueryFormat::Table,
                None => QueryFormat::Tsv,
            };
            let answer = store
                .answer(&query, args.timeout)
                .map_err(|e| match (e, &args.file) {
                    (Error::Query(msg), Some(f)) => Error::syntax(f, None, msg),
                    (e, _) => e,
                })?;
            let mut out = std::io::BufWriter::new(stdout.lock());
            match format {
                QueryFormat::Table => table::write_answer(&mut out, &answer)?,
                QueryFormat::Csv => answer.write(ResultsFormat::Csv, &mut out)?,
                QueryFormat::Tsv => answer.write(ResultsFormat::Tsv, &mut out)?,
                QueryFormat::Json => answer.write(ResultsFormat::Json, &mut out)?,
                QueryFormat::Xml => answer.write(ResultsFormat::Xml, &mut out)?,
            }
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
                RdfOut::Jsonld => ExportFormat::JsonLd,
            };
            let mode = match (args.provenance, args.rdf11) {
                (_, true) | (Some(ProvenanceOut::Reification), _) => Provenance::Reification,
                (Some(ProvenanceOut::None), _) => Provenance::None,
                (Some(ProvenanceOut::Rdf12), _) => Provenance::Rdf12,
                (None, false) if format == ExportFormat::JsonLd => Provenance::Reification,
                (None, false) => Provenance::Rdf12,
            };
            let mut quads = store.sorted_quads()?;
            if let Some(min) = args.min_confidence {
                quads = filter_min_confidence(quads, min);
            }
            if mode != Provenance::Rdf12 {
                quads = sort_quads(with_provenance(quads, mode));
            }
            // Checked before any file is created.
            if format == ExportFormat::JsonLd && mode == Provenance::Rdf12 {
                return Err(Error::Usage(
                    "JSON-LD has no RDF 1.2 triple terms: use --provenance reification or none"
                        .into(),
                ));
            }
            match &args.output {
                Some(path) => cinegraph::export::write_file(&quads, format, path)?,
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    write_quads(&quads, format, &mut w)?;
                    w.flush().map_err(|e| Error::io("<stdout>", e))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(args) => {
            let store = GraphStore::open_read(&args.store)?;
            let facts = cinegraph::query::explain::explain(
                &store,
                &args.subject,
                args.relation.as_deref(),
                args.object.as_deref(),
                args.min_confidence,
            )?;
            let stdout = std::io::stdout();
            let bold = stdout.is_terminal();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let io = |e: std::io::Error| Error::io("<stdout>", e);
            match args.format {
                ExplainFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &facts)
                        .map_err(|e| Error::io("<stdout>", e.into()))?;
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
        Command::Graph(args) => {
            let store = GraphStore::open_read(&args.store)?;
            let graph = EntityGraph::from_store(&store, args.min_confidence)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let io = |e: std::io::Error| Error::io("<stdout>", e);
            let json = args.format == GraphFormat::Json;
            if let Some(ends) = &args.path {
                let (from, to) = (graph.find(&ends[0])?, graph.find(&ends[1])?);
                // The shortest chain over every entity the two names stand for.
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
                        .map(|(s, e, o)| {
                            serde_json::json!({"subject": s, "relation": e.relation, "object": o})
                        })
                        .collect();
                    writeln!(out, "{}", serde_json::Value::Array(steps)).map_err(io)?;
                } else {
                    for (s, e, o) in &steps {
                        writeln!(out, "{}  {}  {}", s.label, e.relation, o.label).map_err(io)?;
                    }
                    writeln!(
                        out,
                        "({} fact{})",
                        steps.len(),
                        if steps.len() == 1 { "" } else { "s" }
                    )
                    .map_err(io)?;
                }
            } else if args.rank {
                let ranked = graph.rank(args.top);
                if json {
                    let rows: Vec<serde_json::Value> = ranked
                        .iter()
                        .map(|(n, score, degree)| {
                            serde_json::json!({"entity": n, "pagerank": score, "degree": degree})
                        })
                        .collect();
                    writeln!(out, "{}", serde_json::Value::Array(rows)).map_err(io)?;
                } else {
                    let width = ranked
                        .iter()
                        .map(|(n, _, _)| n.label.chars().count())
                        .max()
                        .unwrap_or(0)
                        .max(6);
                    writeln!(
                        out,
                        "{:<width$}  {:<9}  {:>8}  {:>6}",
                        "entity", "class", "pagerank", "degree"
                    )
                    .map_err(io)?;
                    for (n, score, degree) in &ranked {
                        let pad = width - n.label.chars().count();
                        writeln!(
                            out,
                            "{}{}  {:<9}  {:>8.4}  {:>6}",
                            n.label,
                            " ".repeat(pad),
                            n.class,
                            score,
                            degree
                        )
                        .map_err(io)?;
                    }
                }
            } else {
                let graph = match &args.focus {
                    Some(focus) => graph.neighbourhood(&graph.find(focus)?, args.depth),
                    None => graph,
                };
                if json {
                    writeln!(out, "{}", graph.to_json()).map_err(io)?;
                } else {
                    out.write_all(graph.to_dot().as_bytes()).map_err(io)?;
                }
            }
            out.flush().map_err(io)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The facts of `explain`, for people: the fact, then each support with its sentence, the
/// matched words in bold (`bold`, on a terminal) or in [brackets].
fn write_explained(
    w: &mut dyn Write,
    facts: &[cinegraph::query::explain::Explained],
    bold: bool,
) -> std::io::Result<()> {
    for (i, f) in facts.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        let n = f.supports.len();
        let reviews: std::collections::BTreeSet<&str> =
            f.supports.iter().map(|s| s.review.as_str()).collect();
        writeln!(
            w,
            "{}  {}  {}  ({} occurrence{} in {} review{})",
            f.subject_label,
            f.relation,
            f.object_label,
            n,
            if n == 1 { "" } else { "s" },
            reviews.len(),
            if reviews.len() == 1 { "" } else { "s" }
        )?;
        for s in &f.supports {
            let sentence = match &s.highlight {
                Some(h) if bold => format!(
                    "{}\x1b[1m{}\x1b[0m{}",
                    &s.sentence[..h.start],
                    &s.sentence[h.clone()],
                    &s.sentence[h.end..]
                ),
                Some(h) => format!(
                    "{}[{}]{}",
                    &s.sentence[..h.start],
                    &s.sentence[h.clone()],
                    &s.sentence[h.end..]
                ),
                None => s.sentence.clone(),
            };
            let span = match (s.begin, s.end) {
                (Some(b), Some(e)) => format!(", chars {b}-{e}"),
                _ => String::new(),
            };
            writeln!(
                w,
                "  review {}{span}: rule {} ({}, confidence {})",
                s.review, s.rule, s.method, s.confidence
            )?;
            writeln!(w, "    {sentence}")?;
        }
    }
    Ok(())
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
