//! The store: a directory holding the graph, in one of two backends chosen at build time.
//!
//! - Default: an Oxigraph in-memory store persisted as one N-Quads snapshot (`graph.nq`),
//!   replaced atomically (write to a temporary file, fsync, rename, fsync the directory) after
//!   a successful write. Readers never need a lock: a snapshot is either the old or the new one.
//! - Cargo feature `rocksdb`: Oxigraph's RocksDB store in `rocksdb/`, so opening a big graph
//!   reads nothing up front. Each batch is committed by Oxigraph's bulk loader; readers take a
//!   shared lock, because RocksDB must not be read while another process writes it. A store
//!   that only has a snapshot (written by a default build) is read from the snapshot, and
//!   imported into RocksDB by the first writer.
//!
//! Either way a lock file (`lock`, holding the writer's PID) stops two writers.

use crate::error::Position;
use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term,
};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// File name of the snapshot in a store directory.
pub const SNAPSHOT: &str = "graph.nq";
/// File name of the snapshot being written; a leftover one (from a crash) is removed by the
/// next writer.
pub const TMP_SNAPSHOT: &str = "graph.nq.tmp";
/// File name of the writer lock in a store directory.
pub const LOCK: &str = "lock";
/// Directory of the RocksDB database in a store directory (feature `rocksdb`).
pub const ROCKSDB_DIR: &str = "rocksdb";
/// The backend this build uses for store directories: `"rocksdb"` or `"snapshot"`.
pub const BACKEND: &str = if cfg!(feature = "rocksdb") {
    "rocksdb"
} else {
    "snapshot"
};

/// Subjects that have a label (see [`GraphStore::labelled_subjects`]).
pub type LabelledSubjects = rustc_hash::FxHashSet<NamedOrBlankNode>;

/// An opened store.
pub struct GraphStore {
    dir: PathBuf,
    store: oxigraph::store::Store,
    /// The writer lock, held by stores opened for writing.
    lock: Option<File>,
    /// A reader's shared lock (RocksDB backend): never read, held until the store is dropped.
    _shared_lock: Option<File>,
}

/// Output formats of RDF exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Turtle (default graph).
    Turtle,
    /// N-Triples (default graph).
    NTriples,
    /// N-Quads (every graph).
    NQuads,
    /// TriG (every graph).
    TriG,
    /// RDF/XML (default graph).
    RdfXml,
}

impl ExportFormat {
    fn rdf_format(self) -> RdfFormat {
        match self {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
        }
    }
}

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// An aligned text table, for people.
    Table,
    /// W3C SPARQL results CSV.
    Csv,
    /// W3C SPARQL results TSV.
    Tsv,
    /// W3C SPARQL results JSON.
    Json,
    /// W3C SPARQL results XML.
    Xml,
}

impl GraphStore {
    /// Opens a store for reading. The directory must hold a snapshot.
    pub fn open_read(dir: impl AsRef<Path>) -> Result<GraphStore> {
        let dir = dir.as_ref().to_path_buf();
        #[cfg(feature = "rocksdb")]
        if dir.join(ROCKSDB_DIR).is_dir() {
            return Self::open_rocksdb_read(dir);
        }
        let snapshot = dir.join(SNAPSHOT);
        if !snapshot.exists() {
            return Err(Error::store(
                &dir,
                if cfg!(feature = "rocksdb") {
                    "no store here (neither rocksdb/ nor graph.nq): run `cinegraph extract` first, or pass --store"
                } else {
                    "no store here (no graph.nq): run `cinegraph extract` first, or pass --store"
                },
            ));
        }
        let store = Self::load_snapshot(&dir)?;
        Ok(GraphStore {
            dir,
            store,
            lock: None,
            _shared_lock: None,
        })
    }

    /// Opens (creating if needed) a store for writing, taking its lock.
    pub fn open_write(dir: impl AsRef<Path>) -> Result<GraphStore> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let lock = Self::lock_for_writing(&dir)?;
        #[cfg(feature = "rocksdb")]
        let store = Self::open_rocksdb_write(&dir)?;
        #[cfg(not(feature = "rocksdb"))]
        let store = Self::open_snapshot_write(&dir)?;
        Ok(GraphStore {
            dir,
            store,
            lock: Some(lock),
            _shared_lock: None,
        })
    }

    /// Loads the snapshot of a store opened for writing (an empty store when there is none).
    #[cfg(not(feature = "rocksdb"))]
    fn open_snapshot_write(dir: &Path) -> Result<oxigraph::store::Store> {
        // A writer killed while saving leaves its temporary snapshot: never read, removed here.
        let tmp = dir.join(TMP_SNAPSHOT);
        if tmp.is_file() {
            let _ = std::fs::remove_file(&tmp);
        }
        if dir.join(SNAPSHOT).exists() {
            Self::load_snapshot(dir)
        } else {
            new_store(dir)
        }
    }

    /// Takes the writer lock of a store directory and records this process's PID in it.
    fn lock_for_writing(dir: &Path) -> Result<File> {
        let lock_path = dir.join(LOCK);
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        if lock.try_lock().is_err() {
            let mut pid = String::new();
            let _ = lock.read_to_string(&mut pid);
            let pid = pid.trim();
            return Err(Error::store(
                dir,
                format!(
                    "store is locked by another cinegraph process{}",
                    if pid.is_empty() {
                        String::new()
                    } else {
                        format!(" (PID {pid})")
                    }
                ),
            ));
        }
        lock.set_len(0).map_err(|e| Error::io(&lock_path, e))?;
        write!(lock, "{}", std::process::id()).map_err(|e| Error::io(&lock_path, e))?;
        Ok(lock)
    }

    /// Opens the RocksDB database of a store for reading, under a shared lock so that no
    /// writer changes it meanwhile.
    #[cfg(feature = "rocksdb")]
    fn open_rocksdb_read(dir: PathBuf) -> Result<GraphStore> {
        let lock_path = dir.join(LOCK);
        let lock = match OpenOptions::new().read(true).open(&lock_path) {
            Ok(mut file) => {
                if file.try_lock_shared().is_err() {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = pid.trim();
                    return Err(Error::store(
                        &dir,
                        format!(
                            "store is being written by another cinegraph process{}: try again when it has finished",
                            if pid.is_empty() {
                                String::new()
                            } else {
                                format!(" (PID {pid})")
                            }
                        ),
                    ));
                }
                Some(file)
            }
            // A store copied without its lock file (or on a read-only medium) has no writer.
            Err(_) => None,
        };
        let store = oxigraph::store::Store::open_read_only(dir.join(ROCKSDB_DIR))
            .map_err(|e| Error::store(&dir, format!("cannot open the RocksDB store: {e}")))?;
        Ok(GraphStore {
            dir,
            store,
            lock: None,
            _shared_lock: lock,
        })
    }

    /// Opens (creating) the RocksDB database of a store for writing. A snapshot left by a
    /// build without the feature is imported once, then renamed `graph.nq.imported`.
    #[cfg(feature = "rocksdb")]
    fn open_rocksdb_write(dir: &Path) -> Result<oxigraph::store::Store> {
        let db = dir.join(ROCKSDB_DIR);
        let fresh = !db.is_dir();
        let store = oxigraph::store::Store::open(&db)
            .map_err(|e| Error::store(dir, format!("cannot open the RocksDB store: {e}")))?;
        let snapshot = dir.join(SNAPSHOT);
        if fresh && snapshot.is_file() {
            Self::bulk_load_snapshot(&store, dir)?;
            store
                .flush()
                .map_err(|e| Error::store(dir, format!("cannot import {SNAPSHOT}: {e}")))?;
            let imported = dir.join(format!("{SNAPSHOT}.imported"));
            std::fs::rename(&snapshot, &imported).map_err(|e| Error::io(&snapshot, e))?;
        }
        Ok(store)
    }

    fn load_snapshot(dir: &Path) -> Result<oxigraph::store::Store> {
        let store = new_store(dir)?;
        Self::bulk_load_snapshot(&store, dir)?;
        Ok(store)
    }

    /// Adds the quads of a directory's snapshot to a store with the bulk loader.
    fn bulk_load_snapshot(store: &oxigraph::store::Store, dir: &Path) -> Result<()> {
        let path = dir.join(SNAPSHOT);
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut loader = store.bulk_loader();
        loader
            .load_from_reader(
                RdfParser::from_format(RdfFormat::NQuads),
                std::io::BufReader::new(file),
            )
            .map_err(|e| Error::store(dir, format!("cannot read {SNAPSHOT}: {e}")))?;
        loader
            .commit()
            .map_err(|e| Error::store(dir, format!("cannot load {SNAPSHOT}: {e}")))
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying Oxigraph store.
    pub fn inner(&self) -> &oxigraph::store::Store {
        &self.store
    }

    /// A read-only in-memory store of the same directory holding only `quads` (e.g. a
    /// view filtered by [`crate::provenance::filter_min_confidence`]), for queries.
    pub fn view(&self, quads: Vec<Quad>) -> Result<GraphStore> {
        let store = new_store(&self.dir)?;
        store
            .extend(quads)
            .map_err(|e| Error::store(&self.dir, e.to_string()))?;
        Ok(GraphStore {
            dir: self.dir.clone(),
            store,
            lock: None,
            _shared_lock: None,
        })
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize> {
        self.store
            .len()
            .map_err(|e| Error::store(&self.dir, e.to_string()))
    }

    /// True when the store holds no quad.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Adds quads, in one transaction. An entity that already has an `rdfs:label` keeps it, so
    /// every entity has exactly one label however many reviews name it.
    pub fn add(&self, quads: &[Quad]) -> Result<()> {
        let label = NamedNodeRef::new_unchecked(vocab::RDFS_LABEL);
        let mut labelled = std::collections::HashSet::new();
        let kept = quads.iter().filter(|q| {
            if q.predicate.as_ref() != label {
                return true;
            }
            let in_store = self
                .store
                .quads_for_pattern(
                    Some(q.subject.as_ref()),
                    Some(label),
                    None,
                    Some(GraphNameRef::DefaultGraph),
                )
                .next()
                .is_some();
            !in_store && labelled.insert(q.subject.clone())
        });
        let kept: Vec<&Quad> = kept.collect();
        self.store
            .extend(kept.into_iter().cloned())
            .map_err(|e| Error::store(&self.dir, e.to_string()))
    }

    /// The subjects that have an `rdfs:label` in the default graph: read once, then kept up to
    /// date by [`GraphStore::add_batch`], so adding needs no lookup per label.
    pub fn labelled_subjects(&self) -> Result<LabelledSubjects> {
        let label = NamedNodeRef::new_unchecked(vocab::RDFS_LABEL);
        self.store
            .quads_for_pattern(None, Some(label), None, Some(GraphNameRef::DefaultGraph))
            .map(|q| q.map(|q| q.subject))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::store(&self.dir, e.to_string()))
    }

    /// Adds a batch of quads with Oxigraph's bulk loader. A label of a subject in `labelled`
    /// (from [`GraphStore::labelled_subjects`]) is skipped, the others are added and their
    /// subjects recorded: the same one-label rule as [`GraphStore::add`], without a lookup per
    /// quad.
    pub fn add_batch(&self, quads: Vec<Quad>, labelled: &mut LabelledSubjects) -> Result<()> {
        let label = NamedNodeRef::new_unchecked(vocab::RDFS_LABEL);
        let kept = quads
            .into_iter()
            .filter(|q| q.predicate.as_ref() != label || labelled.insert(q.subject.clone()));
        let fail = |e: oxigraph::store::StorageError| Error::store(&self.dir, e.to_string());
        let mut loader = self.store.bulk_loader();
        loader.load_quads(kept).map_err(fail)?;
        loader.commit().map_err(fail)
    }

    /// Loads an RDF file (e.g. the ontology) into the default graph.
    ///
    /// Blank nodes are replaced by IRIs numbered in document order under
    /// [`vocab::GENID`], so loading the same file again adds nothing and exports stay
    /// byte-identical.
    pub fn load_file(&self, path: &Path, format: RdfFormat) -> Result<()> {
        let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let mut skolem: std::collections::HashMap<String, NamedNode> = Default::default();
        let file_key = path
            .file_stem()
            .map(|s| crate::text::normalize::slug(&s.to_string_lossy()))
            .unwrap_or_default();
        let mut skolemize = |b: &BlankNode| -> NamedNode {
            let n = skolem.len();
            skolem
                .entry(b.as_str().to_string())
                .or_insert_with(|| {
                    NamedNode::new_unchecked(format!("{}{file_key}-{n}", vocab::GENID))
                })
                .clone()
        };
        let mut quads = Vec::new();
        for quad in RdfParser::from_format(format).for_slice(&text) {
            let q = quad.map_err(|e| {
                let position = e.location().map(|l| Position {
                    line: l.start.line as usize + 1,
                    column: l.start.column as usize + 1,
                });
                Error::syntax(path, position, e.to_string())
            })?;
            let subject = match q.subject {
                NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::from(skolemize(&b)),
                s => s,
            };
            let object = match q.object {
                Term::BlankNode(b) => Term::from(skolemize(&b)),
                o => o,
            };
            quads.push(Quad::new(subject, q.predicate, object, q.graph_name));
        }
        self.add(&quads)
    }

    /// Writes the snapshot atomically. Only a store opened for writing can be saved.
    ///
    /// The new snapshot is written to `graph.nq.tmp`, synced, then renamed over `graph.nq`;
    /// when any step fails (read-only directory, disk full…) the error names the file, the
    /// temporary file is removed and the previous `graph.nq` is left as it was.
    pub fn save(&self) -> Result<()> {
        if self.lock.is_none() {
            return Err(Error::store(&self.dir, "opened read-only"));
        }
        #[cfg(feature = "rocksdb")]
        {
            // Every batch is already committed; flushing puts the last of them on disk.
            self.store
                .flush()
                .map_err(|e| Error::store(&self.dir, format!("cannot flush the store: {e}")))
        }
        #[cfg(not(feature = "rocksdb"))]
        self.save_snapshot()
    }

    #[cfg(not(feature = "rocksdb"))]
    fn save_snapshot(&self) -> Result<()> {
        let tmp = self.dir.join(TMP_SNAPSHOT);
        let target = self.dir.join(SNAPSHOT);
        let kept = if target.exists() {
            format!("the previous {SNAPSHOT} is unchanged")
        } else {
            format!("no {SNAPSHOT} was written")
        };
        let fail = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
            Error::store(
                &self.dir,
                format!("cannot {what} {}: {e} ({kept})", path.display()),
            )
        };
        let result = (|| {
            let file = File::create(&tmp).map_err(|e| fail("create", &tmp, &e))?;
            let mut writer = std::io::BufWriter::new(file);
            self.write_sorted(&mut writer, ExportFormat::NQuads)
                .map_err(|e| match e {
                    Error::Io { source, .. } => fail("write", &tmp, &source),
                    e => e,
                })?;
            let file = writer
                .into_inner()
                .map_err(|e| fail("write", &tmp, e.error()))?;
            file.sync_all().map_err(|e| fail("sync", &tmp, &e))?;
            drop(file);
            std::fs::rename(&tmp, &target).map_err(|e| fail("replace", &target, &e))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        // Persist the rename itself.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// All quads in a deterministic order: by graph, then subject (its `rdf:type` and
    /// `rdfs:label` first), predicate and object.
    pub fn sorted_quads(&self) -> Result<Vec<Quad>> {
        let quads: Vec<Quad> = self
            .store
            .iter()
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::store(&self.dir, e.to_string()))?;
        Ok(crate::provenance::sort_quads(quads))
    }

    /// Writes the store in a format, deterministically, with the vocabulary prefixes.
    pub fn write_sorted(&self, writer: &mut dyn Write, format: ExportFormat) -> Result<()> {
        if matches!(format, ExportFormat::NQuads | ExportFormat::NTriples) {
            return self.write_sorted_lines(writer, format);
        }
        let rdf_format = format.rdf_format();
        let mut serializer = RdfSerializer::from_format(rdf_format);
        if matches!(
            format,
            ExportFormat::Turtle | ExportFormat::TriG | ExportFormat::RdfXml
        ) {
            for (prefix, iri) in vocab::PREFIXES {
                serializer = serializer
                    .with_prefix(*prefix, *iri)
                    .expect("vocabulary prefixes are valid IRIs");
            }
        }
        let mut out = serializer.for_writer(writer);
        let io = |e: std::io::Error| Error::io("<output>", e);
        for q in self.sorted_quads()? {
            if rdf_format.supports_datasets() {
                out.serialize_quad(&q).map_err(io)?;
            } else if q.graph_name.is_default_graph() {
                out.serialize_triple(oxigraph::model::TripleRef::from(QuadRef::from(&q)))
                    .map_err(io)?;
            }
        }
        out.finish().map_err(io)?;
        Ok(())
    }

    /// N-Quads or N-Triples, one sorted line per quad: a line per quad is all that is held
    /// (the snapshot of a 50,000-review store has millions of quads).
    fn write_sorted_lines(&self, writer: &mut dyn Write, format: ExportFormat) -> Result<()> {
        let mut lines = Vec::new();
        for quad in self.store.iter() {
            let quad = quad.map_err(|e| Error::store(&self.dir, e.to_string()))?;
            if format == ExportFormat::NTriples && !quad.graph_name.is_default_graph() {
                continue;
            }
            // A default-graph quad prints as its triple: the N-Triples line.
            lines.push(quad.to_string());
        }
        lines.sort_unstable();
        let io = |e: std::io::Error| Error::io("<output>", e);
        for line in &lines {
            writer.write_all(line.as_bytes()).map_err(io)?;
            writer.write_all(b" .\n").map_err(io)?;
        }
        Ok(())
    }

    /// Runs a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) and writes its results.
    ///
    /// The vocabulary prefixes (`cg:`, `rdfs:`…) are predeclared. Graph results are written as
    /// Turtle (table), N-Triples (csv, tsv), RDF/XML (xml) or JSON-LD (json).
    pub fn query(&self, query: &str, format: ResultsFormat, writer: &mut dyn Write) -> Result<()> {
        self.query_with_timeout(query, format, writer, None)
    }

    /// Like [`GraphStore::query`], but gives up with an error once `timeout` has passed.
    ///
    /// With a timeout, the query runs on a worker thread and its results are buffered; when
    /// the time is up the evaluation is cancelled (Oxigraph checks its cancellation token as
    /// it reads the store) and the error is returned at once, without waiting for the worker:
    /// a query that never reads the store (e.g. a cross product of `VALUES`) cannot be
    /// interrupted and keeps its thread busy until it ends or the process exits.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// use cinegraph::store::{GraphStore, ResultsFormat};
    /// use std::time::Duration;
    /// let store = GraphStore::open_write(dir.path())?;
    /// // A billion rows of constants: Oxigraph never reads the store, so cannot be cancelled.
    /// let values: Vec<String> =
    ///     (0..9).map(|i| format!("VALUES ?x{i} {{ 0 1 2 3 4 5 6 7 8 9 }}")).collect();
    /// let runaway = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {} }}", values.join(" "));
    /// let mut out = Vec::new();
    /// let err = store
    ///     .query_with_timeout(&runaway, ResultsFormat::Csv, &mut out, Some(Duration::from_millis(100)))
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("timeout"), "{err}");
    /// assert!(out.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query_with_timeout(
        &self,
        query: &str,
        format: ResultsFormat,
        writer: &mut dyn Write,
        timeout: Option<Duration>,
    ) -> Result<()> {
        let token = CancellationToken::new();
        let Some(timeout) = timeout else {
            return run_query(&self.store, query, format, writer, token);
        };
        let (send, receive) = mpsc::channel();
        let store = self.store.clone();
        let query = query.to_string();
        let worker_token = token.clone();
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let result = run_query(&store, &query, format, &mut buffer, worker_token);
            let _ = send.send(result.map(|()| buffer));
        });
        match receive.recv_timeout(timeout) {
            Ok(Ok(buffer)) => writer
                .write_all(&buffer)
                .map_err(|e| Error::io("<output>", e)),
            Ok(Err(e)) => Err(e),
            Err(_) => {
                token.cancel();
                Err(Error::Query(format!(
                    "query stopped: it ran longer than the {} s timeout (--timeout)",
                    timeout.as_secs_f64()
                )))
            }
        }
    }
}

/// Parses and evaluates a query, writing its results (see [`GraphStore::query`]).
fn run_query(
    store: &oxigraph::store::Store,
    query: &str,
    format: ResultsFormat,
    writer: &mut dyn Write,
    token: CancellationToken,
) -> Result<()> {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
    for (prefix, iri) in vocab::PREFIXES.iter().chain(vocab::QUERY_PREFIXES) {
        evaluator = evaluator
            .with_prefix(*prefix, *iri)
            .expect("vocabulary prefixes are valid IRIs");
    }
    let prepared = evaluator.parse_query(query).map_err(|e| {
        let hint = if looks_like_update(query) {
            " (updates are not allowed in `query`)"
        } else {
            ""
        };
        Error::Query(format!("syntax error: {e}{hint}"))
    })?;
    let results = prepared.on_store(store).execute().map_err(query_error)?;
    let io = |e: std::io::Error| Error::io("<output>", e);
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for row in solutions {
                rows.push(row.map_err(query_error)?);
                if token.is_cancelled() {
                    return Err(query_error(QueryEvaluationError::Cancelled));
                }
            }
            if format == ResultsFormat::Table {
                let header: Vec<String> =
                    variables.iter().map(|v| v.as_str().to_string()).collect();
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        variables
                            .iter()
                            .map(|v| row.get(v).map(display_term).unwrap_or_default())
                            .collect()
                    })
                    .collect();
                write_table(writer, &header, &body).map_err(io)?;
                return Ok(());
            }
            let mut ser = QueryResultsSerializer::from_format(results_format(format))
                .serialize_solutions_to_writer(writer, variables)
                .map_err(io)?;
            for row in &rows {
                ser.serialize(row).map_err(io)?;
            }
            ser.finish().map_err(io)?;
        }
        QueryResults::Boolean(value) => {
            if format == ResultsFormat::Table {
                writeln!(writer, "{value}").map_err(io)?;
            } else {
                QueryResultsSerializer::from_format(results_format(format))
                    .serialize_boolean_to_writer(writer, value)
                    .map_err(io)?;
            }
        }
        QueryResults::Graph(triples) => {
            let rdf = match format {
                ResultsFormat::Table => RdfFormat::Turtle,
                ResultsFormat::Csv | ResultsFormat::Tsv => RdfFormat::NTriples,
                ResultsFormat::Xml => RdfFormat::RdfXml,
                ResultsFormat::Json => RdfFormat::JsonLd {
                    profile: Default::default(),
                },
            };
            let mut collected = Vec::new();
            for t in triples {
                collected.push(t.map_err(query_error)?);
                if token.is_cancelled() {
                    return Err(query_error(QueryEvaluationError::Cancelled));
                }
            }
            let mut triples = collected;
            triples.sort_by_key(|t| t.to_string());
            let mut serializer = RdfSerializer::from_format(rdf);
            if rdf == RdfFormat::Turtle {
                for (prefix, iri) in vocab::PREFIXES {
                    serializer = serializer
                        .with_prefix(*prefix, *iri)
                        .expect("vocabulary prefixes are valid IRIs");
                }
            }
            let mut out = serializer.for_writer(writer);
            for t in &triples {
                out.serialize_triple(t).map_err(io)?;
            }
            out.finish().map_err(io)?;
        }
    }
    Ok(())
}

fn query_error(e: QueryEvaluationError) -> Error {
    Error::Query(e.to_string())
}

fn new_store(dir: &Path) -> Result<oxigraph::store::Store> {
    oxigraph::store::Store::new().map_err(|e| Error::store(dir, e.to_string()))
}

fn looks_like_update(query: &str) -> bool {
    let upper = query.to_uppercase();
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE"]
        .iter()
        .any(|k| upper.split_whitespace().any(|w| w == *k))
}

fn results_format(format: ResultsFormat) -> QueryResultsFormat {
    match format {
        ResultsFormat::Csv => QueryResultsFormat::Csv,
        ResultsFormat::Tsv => QueryResultsFormat::Tsv,
        ResultsFormat::Xml => QueryResultsFormat::Xml,
        ResultsFormat::Json | ResultsFormat::Table => QueryResultsFormat::Json,
    }
}

/// How a term is shown in a table: prefixed IRIs, plain literal values.
fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => vocab::shorten(n.as_str()),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        // People read values; the exact forms are in the W3C formats.
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn write_table(w: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(clean(cell).chars().count());
        }
    }
    let line = |w: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let c = clean(c);
            out.push_str(&c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        writeln!(w, "{}", out.trim_end())
    };
    line(w, header)?;
    let rule: Vec<String> = widths.iter().map(|&n| "-".repeat(n.max(1))).collect();
    line(w, &rule)?;
    for row in rows {
        line(w, row)?;
    }
    writeln!(
        w,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
