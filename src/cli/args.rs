//! The command line's grammar: the clap derive structs, whose doc comments are the help text
//! (`--help` prints them verbatim), their value enums and the parsers of their values.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
    pub(super) ontology: Option<PathBuf>,

    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
    Extract(ExtractArgs),
    Load(LoadArgs),
    Query(QueryArgs),
    Export(ExportArgs),
    Explain(ExplainArgs),
    Graph(GraphArgs),
    Eval(EvalArgs),
    Serve(ServeArgs),
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
pub(super) struct ExplainArgs {
    /// The entity (label or IRI).
    #[arg(value_name = "SUBJECT")]
    pub(super) subject: String,
    /// A relation, to show only its facts.
    #[arg(value_name = "RELATION")]
    pub(super) relation: Option<String>,
    /// An object (label, IRI or value), to show only that fact.
    #[arg(value_name = "OBJECT", requires = "relation")]
    pub(super) object: Option<String>,
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(super) format: ExplainFormat,
    /// Only supports with at least this confidence (0..1).
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub(super) min_confidence: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ExplainFormat {
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
pub(super) struct GraphArgs {
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// Only the neighbourhood of this entity (label or IRI).
    #[arg(long, value_name = "LABEL")]
    pub(super) focus: Option<String>,
    /// Facts away from the focus to include.
    #[arg(long, default_value_t = 1, value_name = "N", requires = "focus")]
    pub(super) depth: usize,
    /// Only facts with a supporting occurrence of at least this confidence (0..1).
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub(super) min_confidence: Option<f64>,
    /// Output format of the graph (and of --path and --rank: json, or text otherwise).
    #[arg(long, value_enum, default_value = "dot")]
    pub(super) format: GraphFormat,
    /// The shortest chain of facts between two entities.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["focus", "rank"])]
    pub(super) path: Option<Vec<String>>,
    /// The most central entities.
    #[arg(long, conflicts_with = "focus")]
    pub(super) rank: bool,
    /// How many entities --rank lists.
    #[arg(long, default_value_t = 10, value_name = "N", requires = "rank")]
    pub(super) top: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GraphFormat {
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
/// gives precision, recall and F1 per relation and micro-averaged. With several gold files,
/// each gets its table, then their union one.
///
/// With --films (no gold file): the reviews of the corpus that carry an IMDb id are extracted
/// with the id hidden and with it; the report gives the B-cubed precision and recall of the
/// grouping of reviews into film nodes against the ids, the lexicon's films recovered (or
/// another taken), and how many films are labelled with a title their reviews write.
///
/// Example:
///   cinegraph eval --gold ../shared/gold/dev.tsv --corpus ../shared/corpus/aclImdb.jsonl.gz
///   cinegraph eval --gold ../shared/gold/dev.tsv ../shared/gold/dev2.tsv --corpus ../shared/corpus/aclImdb.jsonl.gz
///   cinegraph eval --gold ../shared/gold/seed.tsv --corpus examples/the-cranes-are-flying.txt --show-errors
///   cinegraph eval --films --corpus ../shared/corpus/aclImdb.jsonl.gz --show-films 20
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub(super) struct EvalArgs {
    /// Gold facts (TSV: review_id, subject, relation, object, flag). Several files are
    /// scored each on its own, then together (their union).
    #[arg(long, value_name = "GOLD.tsv", num_args = 1.., required_unless_present = "films")]
    pub(super) gold: Vec<PathBuf>,
    /// Score film identification and labels instead of facts (needs reviews with IMDb ids).
    #[arg(long, conflicts_with_all = ["gold", "show_errors"])]
    pub(super) films: bool,
    /// With --films: list N films (by id) with their label and the titles their reviews give.
    #[arg(long, value_name = "N", requires = "films")]
    pub(super) show_films: Option<usize>,
    /// Reviews: a .jsonl[.gz] corpus, a directory, or one .txt file.
    #[arg(long, value_name = "CORPUS")]
    pub(super) corpus: PathBuf,
    /// List every false positive and false negative with its sentence.
    #[arg(long)]
    pub(super) show_errors: bool,
}

/// Extract facts from reviews into a store (adding to what it holds).
///
/// INPUT is a text file (one review), a directory (every .txt below it), a .jsonl or .jsonl.gz
/// file (one JSON review a line: `id`, `text`, optional `imdb` title id and `rating`), or `-`
/// for standard input (one review; JSON Lines with --input-format jsonl). A summary goes to stderr; bad reviews are reported (file, or file:line
/// for JSONL) and skipped: malformed JSON, no `text`, empty text, longer than 16 MiB. Invalid
/// UTF-8 is decoded with replacement characters and reported as a warning.
///
/// Example:
///   cinegraph extract examples/the-cranes-are-flying.txt --store out/store
///   cinegraph extract reviews.jsonl.gz --strict
///   zcat reviews.jsonl.gz | cinegraph extract --input-format jsonl - --output - | gzip > facts.nq.gz
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub(super) struct ExtractArgs {
    /// Reviews to read.
    #[arg(required = true, value_name = "INPUT")]
    pub(super) inputs: Vec<PathBuf>,
    /// How the inputs are written [default: auto, told by their names; standard input is one
    /// review].
    #[arg(long, value_enum, default_value = "auto")]
    pub(super) input_format: InputFormatArg,
    /// Store directory.
    #[arg(
        long,
        default_value = "out/store",
        value_name = "DIR",
        conflicts_with = "output"
    )]
    pub(super) store: PathBuf,
    /// Write the review quads to FILE (`-`: standard output) instead of a store, as they are
    /// extracted, in input order: the extractor as a filter. The ontology is not included.
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// Format of --output.
    #[arg(long, value_enum, default_value = "nquads", requires = "output")]
    pub(super) format: StreamOut,
    /// Extraction threads [default: the available parallelism]. With one thread for each
    /// processor the process may use, each thread keeps to its own processor.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(super) threads: Option<u16>,
    /// Reviews extracted and written at a time (the first batches are smaller: 64 reviews,
    /// doubling). Memory grows with it (about three batches are held); with the RocksDB store
    /// each batch is one atomic commit, so a crash keeps every batch written before it.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(super) batch_size: u32,
    /// Print nothing but errors (no progress bar, no summary).
    #[arg(long, short)]
    pub(super) quiet: bool,
    /// Exit non-zero when any review had a problem (skipped, or read with a warning such as
    /// invalid UTF-8); the reviews that could be read are still stored. Without it the exit is
    /// non-zero only when no review could be read.
    #[arg(long)]
    pub(super) strict: bool,
}

/// Bulk-load RDF files (N-Quads, N-Triples, Turtle, TriG; plain or gzip) into a store.
///
/// The format is told by the name (.nq, .nt, .ttl, .trig, maybe followed by .gz; gzip is
/// recognised by its content) unless --format is given. Like `extract`, the run adds the
/// ontology first, holds the store's writer lock and leaves the previous store intact when it
/// fails or is killed. Every file is parsed before anything is loaded: a syntax error names
/// the file, line and column, and loads nothing. An entity keeps the first label it was given
/// (the store's, then the files' in the order given, line after line), as with `extract`; so
/// loading the output of `extract --output` gives the store `extract --store` gives.
///
/// Example:
///   cinegraph extract reviews.jsonl.gz --output facts.nq && cinegraph load facts.nq
///   cinegraph load --store out/big --format nquads spark-out/part-*.gz
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub(super) struct LoadArgs {
    /// RDF files to load, in this order.
    #[arg(required = true, value_name = "FILE")]
    pub(super) files: Vec<PathBuf>,
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// Format of every file [default: told by each file's name].
    #[arg(long, value_enum)]
    pub(super) format: Option<RdfIn>,
    /// Print nothing but errors (no progress bar, no summary).
    #[arg(long, short)]
    pub(super) quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum RdfIn {
    /// N-Quads.
    Nquads,
    /// N-Triples.
    Ntriples,
    /// Turtle.
    Turtle,
    /// TriG.
    Trig,
}

impl From<RdfIn> for oxigraph::io::RdfFormat {
    fn from(f: RdfIn) -> Self {
        match f {
            RdfIn::Nquads => Self::NQuads,
            RdfIn::Ntriples => Self::NTriples,
            RdfIn::Turtle => Self::Turtle,
            RdfIn::Trig => Self::TriG,
        }
    }
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
pub(super) struct QueryArgs {
    /// The query text (or use --file).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub(super) query: Option<String>,
    /// Read the query from a file.
    #[arg(long, short, value_name = "F.rq")]
    pub(super) file: Option<PathBuf>,
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// Results format [default: table on a terminal, tsv otherwise].
    #[arg(long, value_enum)]
    pub(super) format: Option<QueryFormat>,
    /// Stop the query with an error after this many seconds (e.g. 2.5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub(super) timeout: Option<std::time::Duration>,
    /// Query only the facts with a supporting occurrence of at least this confidence (0..1):
    /// the others, and every occurrence below it, are left out of the queried graph.
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub(super) min_confidence: Option<f64>,
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
pub(super) enum InputFormatArg {
    /// A directory's .txt files; .jsonl, .jsonl.gz, .ndjson as JSON Lines; any other file one
    /// review.
    Auto,
    /// Each file (or standard input) is one review.
    Text,
    /// JSON Lines, one review a line (gzip when the name ends in .gz); for standard input in
    /// a pipeline.
    Jsonl,
}

impl From<InputFormatArg> for cinegraph::input::InputFormat {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Auto => Self::Auto,
            InputFormatArg::Text => Self::Text,
            InputFormatArg::Jsonl => Self::JsonLines,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum StreamOut {
    /// N-Quads.
    Nquads,
    /// N-Triples.
    Ntriples,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum QueryFormat {
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
pub(super) struct ExportArgs {
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// RDF format.
    #[arg(long, value_enum, default_value = "turtle")]
    pub(super) format: RdfOut,
    /// Write to this file instead of standard output (replaced atomically).
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// How the provenance of facts is written [default: rdf12; reification for jsonld].
    #[arg(long, value_enum)]
    pub(super) provenance: Option<ProvenanceOut>,
    /// RDF 1.1 output: the same as --provenance reification.
    #[arg(long, conflicts_with = "provenance")]
    pub(super) rdf11: bool,
    /// Export only the facts with a supporting occurrence of at least this confidence (0..1);
    /// occurrences below it are left out too.
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub(super) min_confidence: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ProvenanceOut {
    /// RDF 1.2 reifiers (`rdf:reifies <<( s p o )>>`), as stored.
    Rdf12,
    /// RDF 1.1 `rdf:Statement` reification (rdf:subject, rdf:predicate, rdf:object).
    Reification,
    /// No occurrence or mention nodes: facts, entities and reviews only.
    None,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum RdfOut {
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

/// Serve a store: a SPARQL 1.1 endpoint at /sparql and a browser workbench at /.
///
/// The store is opened once (read-only). The endpoint takes GET ?query=, POST
/// application/sparql-query and POST form query=, with default-graph-uri and named-graph-uri;
/// results as SPARQL JSON, XML, CSV or TSV, graphs as Turtle, N-Triples, N-Quads, RDF/XML or
/// JSON-LD (Accept header, or ?format=). Updates are refused (403), SERVICE calls too. The
/// workbench has a query editor with examples, a label search, entity pages with the evidence
/// of every fact and a picture of the neighbourhood, and a "try a review" page. One log line
/// per request goes to stderr; Ctrl-C (SIGINT) or SIGTERM stops it.
///
/// Example:
///   cinegraph serve --store out/store
///   cinegraph serve --bind 0.0.0.0:8080 --timeout 10 --cors https://example.org
///   curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s cg:director ?o }' http://127.0.0.1:7878/sparql
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub(super) struct ServeArgs {
    /// Store directory.
    #[arg(long, default_value = "out/store", value_name = "DIR")]
    pub(super) store: PathBuf,
    /// Address and port to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    pub(super) bind: std::net::SocketAddr,
    /// Longest time a query may take, waiting for its turn included.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_timeout)]
    pub(super) timeout: std::time::Duration,
    /// Allow browser pages of this origin (or `*`) to call the endpoint (CORS); off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub(super) cors: Option<String>,
    /// Largest request body accepted, in bytes (larger ones get 413).
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub(super) max_body: usize,
    /// Queries evaluated at once; the others wait their turn [default: the number of CPUs].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(super) max_concurrent: Option<u16>,
}
