//! Cinegraph reads film reviews and builds a knowledge graph from them.
//!
//! Data flows one way, one type per stage:
//!
//! text ([`text::Document`], tokens with byte spans) -> mentions ([`extract::Mention`]) ->
//! facts with provenance ([`extract::Fact`]) -> entities ([`resolve::ResolvedReview`]) ->
//! quads ([`rdf::review_quads`]) -> store ([`store::GraphStore`]) -> SPARQL and export.
//!
//! Rules (`ontology/rules/*.rules`) and lexicons (`ontology/lexicon/*.tsv`) are data, loaded at
//! run time by [`Extractor::load`] and compiled once.
//!
//! ```
//! use cinegraph::{Extractor, model::ReviewInput};
//! let extractor = Extractor::load_default()?;
//! let review = extractor.extract(&ReviewInput {
//!     source_id: "example".into(),
//!     text: "A fine thriller directed by Kevin Tenney.".into(),
//!     imdb: None,
//!     rating: None,
//! });
//! let director = &review.facts[0];
//! assert_eq!(director.relation.key(), "director");
//! assert_eq!(review.entities[review.facts[0].subject].iri, review.entities[review.film].iri);
//! # Ok::<(), cinegraph::error::Error>(())
//! ```

pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod input;
pub mod lexicon;
pub mod model;
pub mod query;
pub mod rdf;
pub mod resolve;
pub mod rules;
pub mod store;
pub mod text;
pub mod vocab;

use error::{Error, Result};
use lexicon::Lexicon;
use model::ReviewInput;
use resolve::ResolvedReview;
use rules::RuleSet;
use std::path::{Path, PathBuf};

/// File name of the OWL ontology inside the ontology directory.
pub const ONTOLOGY_FILE: &str = "cinegraph.ttl";

/// The ontology directory used when none is given: `$CINEGRAPH_ONTOLOGY`, else `./ontology`
/// when it holds the ontology, else the one shipped with the source tree.
pub fn default_ontology_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CINEGRAPH_ONTOLOGY") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("ontology");
    if local.join(ONTOLOGY_FILE).is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ontology")
}

/// Everything extraction needs, compiled once: the lexicon, the rules and the ontology.
#[derive(Debug, Clone)]
pub struct Extractor {
    /// The lexicon.
    pub lexicon: Lexicon,
    /// The compiled rules.
    pub rules: RuleSet,
    /// Path of the ontology file, loaded into every store.
    pub ontology: PathBuf,
}

impl Extractor {
    /// Loads `DIR/lexicon/*.tsv`, `DIR/rules/*.rules` and checks `DIR/cinegraph.ttl` exists.
    pub fn load(dir: impl AsRef<Path>) -> Result<Extractor> {
        let dir = dir.as_ref();
        let ontology = dir.join(ONTOLOGY_FILE);
        if !ontology.is_file() {
            return Err(Error::io(
                &ontology,
                std::io::Error::new(std::io::ErrorKind::NotFound, "ontology file not found"),
            ));
        }
        // The two are independent and each takes a noticeable part of a short run's time.
        let (lexicon, rules) = rayon::join(
            || Lexicon::load_dir(dir.join("lexicon")),
            || RuleSet::load_dir(dir.join("rules")),
        );
        // A lexicon error is reported first, as when they were loaded one after the other.
        let lexicon = lexicon?;
        Ok(Extractor {
            lexicon,
            rules: rules?,
            ontology,
        })
    }

    /// Loads from [`default_ontology_dir`].
    pub fn load_default() -> Result<Extractor> {
        Extractor::load(default_ontology_dir())
    }

    /// Extracts one review: text -> mentions -> facts -> entities.
    pub fn extract(&self, input: &ReviewInput) -> ResolvedReview {
        let doc = text::Document::new(input.text.as_str());
        let extraction = extract::extract(&doc, &self.lexicon, &self.rules);
        resolve::resolve(input, &doc, &extraction, &self.lexicon, &self.rules)
    }
}

/// What an extraction run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractSummary {
    /// Reviews extracted.
    pub reviews: usize,
    /// Reviews skipped, with where and why.
    pub problems: Vec<input::InputProblem>,
    /// Relation triples added by this run (distinct).
    pub facts: usize,
    /// Entities used by this run (distinct).
    pub entities: usize,
}

/// How an extraction run uses the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Extraction threads; 0 means the available parallelism.
    pub threads: usize,
    /// Reviews read, extracted in parallel and written at a time. Memory is bounded by about
    /// three chunks (one being read, one extracted, one written), whatever the input size.
    pub chunk_size: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 0,
            chunk_size: 1024,
        }
    }
}

impl RunOptions {
    /// The number of extraction threads this run uses.
    pub fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// Receives the progress of an extraction run. The library never prints: a front end (the CLI's
/// progress bar) implements this; [`NoProgress`] ignores it. Extraction threads call
/// [`Progress::advance`], hence `Sync`.
pub trait Progress: Sync {
    /// Called once before the first review, with the number of reviews when it is known in
    /// advance (text files and directories; not JSON Lines).
    fn start(&self, _total: Option<u64>) {}
    /// Called as reviews are done (extracted, or skipped as unreadable), from any thread.
    fn advance(&self, _reviews: u64) {}
    /// Called once when every review has been written, before the store is saved.
    fn finish(&self) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Line-based RDF formats that can be streamed review by review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// N-Quads (every quad is in the default graph, so lines are N-Triples too).
    NQuads,
    /// N-Triples.
    NTriples,
}

/// What the sequential stage of a run needs of each review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// Quads, for a store.
    Quads,
    /// N-Triples lines, for streamed output.
    Lines,
}

/// One extracted review, as the sequential stage of a run needs it.
struct Extracted {
    /// The review's quads, sorted (when [`Wanted::Quads`]).
    quads: Vec<oxigraph::model::Quad>,
    /// The review's N-Triples lines (no final ` .`), sorted (when [`Wanted::Lines`]).
    lines: rdf::ReviewLines,
    /// A 128-bit hash of (subject, relation, object) of each fact, for the distinct count:
    /// hashed on the extraction threads, so the sequential stage keeps no strings.
    facts: Vec<u128>,
}

fn extract_one(extractor: &Extractor, review_input: &ReviewInput, wanted: Wanted) -> Extracted {
    let review = extractor.extract(review_input);
    let facts = review.facts.iter().map(|f| fact_hash(&review, f)).collect();
    match wanted {
        Wanted::Quads => Extracted {
            quads: rdf::review_quads(&review),
            lines: rdf::ReviewLines::default(),
            facts,
        },
        Wanted::Lines => Extracted {
            quads: Vec::new(),
            lines: rdf::ReviewLines::of(&review),
            facts,
        },
    }
}

fn is_label(q: &oxigraph::model::Quad) -> bool {
    q.predicate.as_str() == vocab::RDFS_LABEL
}

/// The number of reviews of the inputs when it is known without reading them: one per text
/// file (or standard input), one per `.txt` file below a directory (as [`input::open`] reads
/// them); unknown for JSON Lines.
fn review_total(inputs: &[PathBuf]) -> Option<u64> {
    fn txt_files(dir: &Path) -> Option<u64> {
        let mut n = 0;
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let path = entry.path();
            if entry.file_type().ok()?.is_dir() {
                n += txt_files(&path)?;
            } else if path.extension().is_some_and(|x| x == "txt") {
                n += 1;
            }
        }
        Some(n)
    }
    inputs
        .iter()
        .map(|path| {
            let name = path.to_string_lossy();
            if path.is_dir() {
                txt_files(path)
            } else if [".jsonl", ".jsonl.gz", ".ndjson"]
                .iter()
                .any(|x| name.ends_with(x))
            {
                None
            } else {
                Some(1)
            }
        })
        .sum()
}

/// Streams the reviews of `inputs` through the extractor: chunks of `options.chunk_size`
/// reviews are read on the calling thread while the previous chunk is extracted in parallel,
/// and `sink` receives every chunk's results in input order (so output is deterministic).
#[allow(clippy::too_many_arguments)]
fn run_chunks(
    extractor: &Extractor,
    wanted: Wanted,
    streams: Vec<Box<dyn Iterator<Item = input::InputItem>>>,
    options: &RunOptions,
    total: Option<u64>,
    progress: &dyn Progress,
    summary: &mut ExtractSummary,
    mut sink: impl FnMut(Vec<Extracted>) -> Result<()>,
) -> Result<()> {
    use rayon::prelude::*;
    progress.start(total);
    let threads = options.thread_count();
    // One processor each when the run takes all the processors it may use: left to the
    // scheduler, two extraction threads were seen taking turns on one processor of two for
    // tens of milliseconds while the other idled (`perf sched timehist`). A run given fewer
    // threads may share the machine with others, which pinned threads would crowd onto the
    // first processors: those stay unpinned.
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let pin = threads > 1 && threads == cores.len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("cinegraph-extract-{i}"))
        .start_handler(move |i| {
            if pin {
                // Only a hint: a thread left unpinned still runs.
                let _ = core_affinity::set_for_current(cores[i]);
            }
        })
        .build()
        .map_err(|e| Error::Usage(format!("cannot start extraction threads: {e}")))?;
    let chunk_size = options.chunk_size.max(1);
    // The extraction threads idle while the first chunk is read, and the writer while the
    // first chunk is extracted: chunks start small and double up to `chunk_size`.
    let mut next_size = chunk_size.min(64);
    let mut items = streams.into_iter().flatten();
    // Reads the next chunk; problems are recorded in input order as they are met.
    let mut read_chunk = |problems: &mut Vec<input::InputProblem>| -> (Vec<ReviewInput>, u64) {
        let chunk_size = next_size;
        next_size = (next_size * 2).min(options.chunk_size.max(1));
        let mut chunk = Vec::with_capacity(chunk_size);
        let mut seen = 0;
        for item in items.by_ref() {
            seen += 1;
            match item {
                Ok(r) => chunk.push(r),
                Err(problem) => {
                    if problem.skipped {
                        progress.advance(1);
                    }
                    problems.push(problem)
                }
            }
            if chunk.len() == chunk_size {
                break;
            }
        }
        (chunk, seen)
    };
    let (mut current, mut current_seen) = read_chunk(&mut summary.problems);
    // Extracted results of the previous chunk, written while the current one is extracted.
    let mut pending: Option<Vec<Extracted>> = None;
    while current_seen > 0 || pending.is_some() {
        let mut extracted: Vec<Extracted> = Vec::new();
        let mut next = (Vec::new(), 0);
        let mut sunk: Result<()> = Ok(());
        pool.in_place_scope(|scope| {
            let chunk = &current;
            let out = &mut extracted;
            scope.spawn(move |_| {
                *out = chunk
                    .par_iter()
                    // Reviews differ in length a hundredfold: left to itself, rayon may hand
                    // a thread a quarter of the chunk to run in one piece, and the other waits
                    // for it at the end of the chunk. Small pieces keep both busy.
                    .with_max_len(4)
                    .map(|r| {
                        let extracted = extract_one(extractor, r, wanted);
                        progress.advance(1);
                        extracted
                    })
                    .collect();
            });
            if let Some(done) = pending.take() {
                summary.reviews += done.len();
                sunk = sink(done);
            }
            if sunk.is_ok() {
                next = read_chunk(&mut summary.problems);
            }
        });
        sunk?;
        pending = (current_seen > 0).then_some(extracted);
        (current, current_seen) = next;
    }
    progress.finish();
    Ok(())
}

/// Extracts every review of the inputs into a store opened for writing, then saves it.
///
/// Inputs that cannot be opened at all are errors; single bad reviews are skipped and listed
/// in the summary. The snapshot is only replaced when every input was read.
pub fn extract_to_store(
    extractor: &Extractor,
    inputs: &[PathBuf],
    store_dir: &Path,
) -> Result<ExtractSummary> {
    extract_to_store_with(
        extractor,
        inputs,
        store_dir,
        &RunOptions::default(),
        &NoProgress,
    )
}

/// [`extract_to_store`] with threads, chunk size and a progress receiver.
///
/// Reviews are extracted in parallel, chunk by chunk, and each chunk's quads are added to the
/// store in input order in one batch, so the store is the same whatever the thread count.
pub fn extract_to_store_with(
    extractor: &Extractor,
    inputs: &[PathBuf],
    store_dir: &Path,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<ExtractSummary> {
    // Open every input before the store, so a bad argument leaves no trace.
    let streams = inputs.iter().map(input::open).collect::<Result<Vec<_>>>()?;
    let total = review_total(inputs);
    let store = store::GraphStore::open_write(store_dir)?;
    let mut summary = ExtractSummary::default();
    let mut facts = rustc_hash::FxHashSet::default();
    let mut entities = rustc_hash::FxHashSet::default();
    store.load_file(&extractor.ontology, oxigraph::io::RdfFormat::Turtle)?;
    let mut labelled = store.labelled_subjects()?;
    run_chunks(
        extractor,
        Wanted::Quads,
        streams,
        options,
        total,
        progress,
        &mut summary,
        |chunk| {
            let mut batch = Vec::with_capacity(chunk.iter().map(|e| e.quads.len()).sum());
            for review in chunk {
                facts.extend(review.facts);
                for q in review.quads {
                    if is_label(&q) {
                        entities.insert(q.subject.to_string());
                    }
                    batch.push(q);
                }
            }
            store.add_batch(batch, &mut labelled)
        },
    )?;
    summary.facts = facts.len();
    summary.entities = entities.len();
    store.save()?;
    Ok(summary)
}

/// Extracts every review of the inputs and writes their quads to `out`, without a store: the
/// extractor as a filter. Quads come review by review in input order (each review's sorted),
/// whatever the thread count. Every entity gets one `rdfs:label`: the first one of the run.
///
/// Nothing is written for the ontology; load `ontology/cinegraph.ttl` beside the output when
/// its labels and alignments are wanted.
pub fn extract_to_writer(
    extractor: &Extractor,
    inputs: &[PathBuf],
    out: &mut dyn std::io::Write,
    format: StreamFormat,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<ExtractSummary> {
    // Every review quad is in the default graph: N-Quads and N-Triples lines are the same.
    let _ = format;
    let streams = inputs.iter().map(input::open).collect::<Result<Vec<_>>>()?;
    let total = review_total(inputs);
    let mut summary = ExtractSummary::default();
    let mut facts = rustc_hash::FxHashSet::default();
    let mut labelled: rustc_hash::FxHashSet<String> = Default::default();
    run_chunks(
        extractor,
        Wanted::Lines,
        streams,
        options,
        total,
        progress,
        &mut summary,
        |chunk| {
            // Each review's text goes out as the extraction thread wrote it, less the labels
            // of entities labelled before: slices of it, in one vectored write a chunk.
            let mut slices: Vec<std::io::IoSlice<'_>> = Vec::with_capacity(chunk.len() + 16);
            for review in &chunk {
                facts.extend(review.facts.iter().copied());
                let text = review.lines.ntriples().as_bytes();
                let mut from = 0;
                for (line, subject) in review.lines.labels() {
                    if labelled.contains(subject) {
                        slices.push(std::io::IoSlice::new(&text[from..line.start]));
                        from = line.end;
                    } else {
                        labelled.insert(subject.to_string());
                    }
                }
                slices.push(std::io::IoSlice::new(&text[from..]));
            }
            write_all_slices(out, &mut slices).map_err(|e| Error::io("<output>", e))
        },
    )?;
    out.flush().map_err(|e| Error::io("<output>", e))?;
    summary.facts = facts.len();
    summary.entities = labelled.len();
    Ok(summary)
}

/// Writes every byte of `slices`, as few system calls as the writer allows
/// (`Write::write_all_vectored` is not stable yet).
fn write_all_slices(
    out: &mut dyn std::io::Write,
    mut slices: &mut [std::io::IoSlice<'_>],
) -> std::io::Result<()> {
    std::io::IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => std::io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A 128-bit hash of a fact's (subject IRI, relation, object), the same for the same fact in
/// any review: two FNV-1a-style 64-bit hashes with different seeds. A collision among the
/// facts of a corpus (about 2^-128 a pair) would only make the count one short.
fn fact_hash(review: &ResolvedReview, fact: &resolve::ResolvedFact) -> u128 {
    let (kind, object) = match &fact.object {
        resolve::Value::Entity(o) => (0u8, review.entities[*o].iri.as_str()),
        resolve::Value::Year(y) => (1, y.as_str()),
        resolve::Value::Text(t) => (2, t.as_str()),
    };
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    let mut feed = |bytes: &[u8]| {
        for &x in bytes {
            a = (a ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2_0000);
        }
        // A separator no IRI or literal byte sequence can fake: the length.
        for x in (bytes.len() as u64).to_le_bytes() {
            a = (a ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2_0000);
        }
    };
    feed(review.entities[fact.subject].iri.as_bytes());
    feed(fact.relation.property().as_bytes());
    feed(&[kind]);
    feed(object.as_bytes());
    (u128::from(a) << 64) | u128::from(b)
}
