//! The streaming extraction run: reviews are read from the inputs chunk by chunk, each chunk
//! extracted in parallel while the previous one is written, in input order, to a store
//! ([`extract_to_store_with`]) or to a writer as N-Quads lines ([`extract_to_writer`]). Owns
//! the run's options, its progress reports and its summary (with the distinct-fact count).

use crate::error::{Error, Result};
use crate::model::ReviewInput;
use crate::resolve::{self, ResolvedReview};
use crate::{Extractor, input, rdf, store, vocab};
use rustc_hash::FxHashSet;
use std::io::{IoSlice, Write};
use std::path::{Path, PathBuf};

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

/// How an extraction run reads its inputs and uses the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// How the inputs are written (by default, told by their names).
    pub input_format: input::InputFormat,
    /// Extraction threads; 0 means the available parallelism.
    pub threads: usize,
    /// Reviews read, extracted in parallel and written at a time. Memory is bounded by about
    /// three chunks (one being read, one extracted, one written), whatever the input size.
    pub chunk_size: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            input_format: input::InputFormat::Auto,
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

/// Where a run's reviews go: what each extraction thread makes of a review, and how the
/// sequential stage writes a chunk of them, in input order.
trait Sink {
    /// A review as this sink needs it, made on an extraction thread.
    type Review: Send;
    /// Renders one review (on an extraction thread).
    fn render(review: &ResolvedReview) -> Self::Review;
    /// Writes one chunk's reviews, in input order (on the reading thread).
    fn write(&mut self, chunk: Vec<Extracted<Self::Review>>) -> Result<()>;
}

/// One extracted review: the sink's rendering and the hash of each of its facts.
struct Extracted<T> {
    review: T,
    /// A 128-bit hash of each fact, for the distinct count: hashed on the extraction threads,
    /// so the sequential stage keeps no strings.
    facts: Vec<u128>,
}

/// One extraction run: the extractor, how it uses the machine, who hears of its progress.
struct Run<'a> {
    extractor: &'a Extractor,
    options: &'a RunOptions,
    progress: &'a dyn Progress,
}

/// The reviews of every input, read a chunk at a time: chunks start small and double up to
/// the chunk size, since the extraction threads idle while the first chunk is read, and the
/// writer while the first chunk is extracted.
struct Chunks<'a> {
    items: std::iter::Flatten<std::vec::IntoIter<input::Reviews>>,
    next_size: usize,
    max_size: usize,
    progress: &'a dyn Progress,
}

impl Chunks<'_> {
    /// Reads the next chunk, and how many items (reviews and problems) it took; problems are
    /// recorded in input order as they are met.
    fn read(&mut self, problems: &mut Vec<input::InputProblem>) -> (Vec<ReviewInput>, u64) {
        let chunk_size = self.next_size;
        self.next_size = (self.next_size * 2).min(self.max_size);
        let mut chunk = Vec::with_capacity(chunk_size);
        let mut seen = 0;
        for item in self.items.by_ref() {
            seen += 1;
            match item {
                Ok(r) => chunk.push(r),
                Err(problem) => {
                    if problem.skipped {
                        self.progress.advance(1);
                    }
                    problems.push(problem)
                }
            }
            if chunk.len() == chunk_size {
                break;
            }
        }
        (chunk, seen)
    }
}

impl Run<'_> {
    /// The extraction threads. One processor each when the run takes all the processors it
    /// may use: left to the scheduler, two extraction threads were seen taking turns on one
    /// processor of two for tens of milliseconds while the other idled (`perf sched
    /// timehist`). A run given fewer threads may share the machine with others, which pinned
    /// threads would crowd onto the first processors: those stay unpinned.
    fn pool(&self) -> Result<rayon::ThreadPool> {
        let threads = self.options.thread_count();
        let cores = core_affinity::get_core_ids().unwrap_or_default();
        let pin = threads > 1 && threads == cores.len();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("cinegraph-extract-{i}"))
            .start_handler(move |i| {
                if pin {
                    // Only a hint: a thread left unpinned still runs.
                    let _ = core_affinity::set_for_current(cores[i]);
                }
            })
            .build()
            .map_err(|e| Error::Usage(format!("cannot start extraction threads: {e}")))
    }

    /// Extracts one review and renders it for the sink `S` (on an extraction thread).
    fn extract_one<S: Sink>(&self, input: &ReviewInput) -> Extracted<S::Review> {
        let review = self.extractor.extract(input);
        let facts = review.facts.iter().map(|f| fact_hash(&review, f)).collect();
        Extracted {
            review: S::render(&review),
            facts,
        }
    }

    /// Streams the reviews of `inputs` through the extractor into `sink`: each chunk is
    /// extracted in parallel while the previous one is written, and the sink receives every
    /// chunk in input order (so output is deterministic). Returns the summary, less the
    /// entity count (the sink's to know).
    fn run<S: Sink>(&self, inputs: Vec<input::Reviews>, sink: &mut S) -> Result<ExtractSummary> {
        use rayon::prelude::*;
        let total = inputs.iter().map(input::Reviews::known_total).sum();
        self.progress.start(total);
        let pool = self.pool()?;
        let mut summary = ExtractSummary::default();
        let mut facts = FxHashSet::default();
        let mut chunks = Chunks {
            items: inputs.into_iter().flatten(),
            next_size: self.options.chunk_size.clamp(1, 64),
            max_size: self.options.chunk_size.max(1),
            progress: self.progress,
        };
        let (mut current, mut current_seen) = chunks.read(&mut summary.problems);
        // Extracted results of the previous chunk, written while the current one is extracted.
        let mut pending: Option<Vec<Extracted<S::Review>>> = None;
        while current_seen > 0 || pending.is_some() {
            let mut extracted = Vec::new();
            let mut next = (Vec::new(), 0);
            let mut written: Result<()> = Ok(());
            pool.in_place_scope(|scope| {
                let chunk = &current;
                let out = &mut extracted;
                scope.spawn(move |_| {
                    *out = chunk
                        .par_iter()
                        // Reviews differ in length a hundredfold: left to itself, rayon may
                        // hand a thread a quarter of the chunk to run in one piece, and the
                        // other waits for it at the end of the chunk. Small pieces keep both
                        // busy.
                        .with_max_len(4)
                        .map(|r| {
                            let extracted = self.extract_one::<S>(r);
                            self.progress.advance(1);
                            extracted
                        })
                        .collect();
                });
                if let Some(done) = pending.take() {
                    summary.reviews += done.len();
                    for review in &done {
                        facts.extend(review.facts.iter().copied());
                    }
                    written = sink.write(done);
                }
                if written.is_ok() {
                    next = chunks.read(&mut summary.problems);
                }
            });
            written?;
            pending = (current_seen > 0).then_some(extracted);
            (current, current_seen) = next;
        }
        self.progress.finish();
        summary.facts = facts.len();
        Ok(summary)
    }
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

/// Adds each chunk's quads to a store, in one batch.
struct StoreSink<'a> {
    store: &'a store::GraphStore,
    /// Subjects that have a label in the store.
    labelled: store::LabelledSubjects,
    /// Entities labelled by this run.
    entities: FxHashSet<String>,
}

impl Sink for StoreSink<'_> {
    /// The review's quads, sorted.
    type Review = Vec<oxigraph::model::Quad>;

    fn render(review: &ResolvedReview) -> Self::Review {
        rdf::review_quads(review)
    }

    fn write(&mut self, chunk: Vec<Extracted<Self::Review>>) -> Result<()> {
        let mut batch = Vec::with_capacity(chunk.iter().map(|e| e.review.len()).sum());
        for extracted in chunk {
            for q in extracted.review {
                if q.predicate.as_str() == vocab::RDFS_LABEL {
                    self.entities.insert(q.subject.to_string());
                }
                batch.push(q);
            }
        }
        self.store.add_batch(batch, &mut self.labelled)
    }
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
    let inputs = open_inputs(inputs, options)?;
    let store = store::GraphStore::open_write(store_dir)?;
    store.load_file(&extractor.ontology, oxigraph::io::RdfFormat::Turtle)?;
    let mut sink = StoreSink {
        store: &store,
        labelled: store.labelled_subjects()?,
        entities: FxHashSet::default(),
    };
    let run = Run {
        extractor,
        options,
        progress,
    };
    let mut summary = run.run(inputs, &mut sink)?;
    summary.entities = sink.entities.len();
    store.relabel_films()?;
    store.save()?;
    Ok(summary)
}

/// Writes each chunk's N-Triples lines, less the labels of entities labelled before and the
/// labels of films, which are written last, by consensus ([`FilmLabels`]).
struct WriterSink<'a> {
    out: &'a mut dyn Write,
    /// Entities labelled by this run.
    labelled: FxHashSet<String>,
    /// The films' labels, held back to the end of the run.
    films: FilmLabels,
}

/// The labels of the films of a streamed run: each film's first label line, and the titles
/// its reviews give it. A film's label is written once, at the end: the title most of its
/// reviews give it ([`resolve::consensus_title`]), else its first label.
#[derive(Default)]
struct FilmLabels {
    /// Film subject (`<iri>`) -> (its first label line, titles with their review counts).
    films: std::collections::BTreeMap<String, (String, std::collections::BTreeMap<String, usize>)>,
}

impl FilmLabels {
    /// True when `subject` (`<iri>`) is a film.
    fn is_film(subject: &str) -> bool {
        subject
            .strip_prefix('<')
            .is_some_and(|s| s.starts_with(vocab::EntityKind::Film.namespace()))
    }

    /// Takes a film's label line (the first one of a film is kept).
    fn label(&mut self, subject: &str, line: &[u8]) {
        if !self.films.contains_key(subject) {
            let line = String::from_utf8_lossy(line).into_owned();
            self.films
                .insert(subject.to_string(), (line, Default::default()));
        }
    }

    /// Counts a review's title of its film.
    fn vote(&mut self, film: &str, title: &str) {
        if let Some((_, votes)) = self.films.get_mut(film) {
            *votes.entry(title.to_string()).or_default() += 1;
        }
    }

    /// The closing label section: one line a film, by IRI.
    fn lines(&self) -> String {
        let mut out = String::new();
        for (subject, (first, votes)) in &self.films {
            match resolve::consensus_title(votes.iter().map(|(t, n)| (t.as_str(), *n))) {
                Some((title, _)) => {
                    let iri = &subject[1..subject.len() - 1];
                    out.push_str(&rdf::label_line(iri, &title));
                }
                None => out.push_str(first),
            }
        }
        out
    }
}

impl Sink for WriterSink<'_> {
    /// The review's N-Triples lines (no final ` .`), sorted.
    type Review = rdf::ReviewLines;

    fn render(review: &ResolvedReview) -> Self::Review {
        rdf::ReviewLines::of(review)
    }

    fn write(&mut self, chunk: Vec<Extracted<Self::Review>>) -> Result<()> {
        // Each review's text goes out as the extraction thread wrote it, less the labels of
        // entities labelled before: slices of it, in one vectored write a chunk.
        let mut slices: Vec<IoSlice<'_>> = Vec::with_capacity(chunk.len() + 16);
        for extracted in &chunk {
            let lines = &extracted.review;
            let text = lines.ntriples().as_bytes();
            let mut from = 0;
            for (line, subject) in lines.labels() {
                let film = FilmLabels::is_film(subject);
                if film {
                    self.films.label(subject, &text[line.clone()]);
                }
                if film || self.labelled.contains(subject) {
                    slices.push(IoSlice::new(&text[from..line.start]));
                    from = line.end;
                }
                if !self.labelled.contains(subject) {
                    self.labelled.insert(subject.to_string());
                }
            }
            slices.push(IoSlice::new(&text[from..]));
            if let Some((film, title)) = lines.film_title() {
                self.films.vote(film, title);
            }
        }
        write_all_slices(self.out, &mut slices).map_err(|e| Error::io("<output>", e))
    }
}

/// Extracts every review of the inputs and writes their quads to `out`, without a store: the
/// extractor as a filter. Quads come review by review in input order (each review's sorted),
/// whatever the thread count. Every entity gets one `rdfs:label`: the first one of the run,
/// except films, whose labels close the output (one a film, by IRI): the title most of the
/// run's reviews of the film give it (`cg:filmTitle`), else its first label.
/// Every review quad is in the default graph, so the lines are N-Quads and N-Triples alike.
///
/// Nothing is written for the ontology; load `ontology/cinegraph.ttl` beside the output when
/// its labels and alignments are wanted.
pub fn extract_to_writer(
    extractor: &Extractor,
    inputs: &[PathBuf],
    out: &mut dyn Write,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<ExtractSummary> {
    let inputs = open_inputs(inputs, options)?;
    let mut sink = WriterSink {
        out,
        labelled: FxHashSet::default(),
        films: FilmLabels::default(),
    };
    let run = Run {
        extractor,
        options,
        progress,
    };
    let mut summary = run.run(inputs, &mut sink)?;
    let closing = sink.films.lines();
    let io = |e| Error::io("<output>", e);
    sink.out.write_all(closing.as_bytes()).map_err(io)?;
    sink.out.flush().map_err(io)?;
    summary.entities = sink.labelled.len();
    Ok(summary)
}

/// Opens every input, in the run's input format.
fn open_inputs(inputs: &[PathBuf], options: &RunOptions) -> Result<Vec<input::Reviews>> {
    let open = |path: &PathBuf| input::open_as(path, options.input_format);
    inputs.iter().map(open).collect()
}

/// Writes every byte of `slices`, as few system calls as the writer allows
/// (`Write::write_all_vectored` is not stable yet).
fn write_all_slices(out: &mut dyn Write, mut slices: &mut [IoSlice<'_>]) -> std::io::Result<()> {
    IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A 128-bit hash of a fact's (subject IRI, relation, object), the same for the same fact in
/// any review. A collision among the facts of a corpus (about 2^-128 a pair) would only make
/// the count one short.
fn fact_hash(review: &ResolvedReview, fact: &resolve::ResolvedFact) -> u128 {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let (kind, object) = match &fact.object {
        resolve::Value::Entity(o) => (0u8, review.entities[*o].iri.as_str()),
        resolve::Value::Year(y) => (1, y.as_str()),
        resolve::Value::Text(t) => (2, t.as_str()),
    };
    let mut h = SipHasher13::new();
    let mut feed = |bytes: &[u8]| {
        h.write(bytes);
        // A separator no IRI or literal byte sequence can fake: the length.
        h.write_u64(bytes.len() as u64);
    };
    feed(review.entities[fact.subject].iri.as_bytes());
    feed(fact.relation.property().as_bytes());
    feed(&[kind]);
    feed(object.as_bytes());
    h.finish128().as_u128()
}
