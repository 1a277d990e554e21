//! The store: a directory holding the graph, in one of two backends chosen at build time
//! (selected once, below, as `backend`):
//!
//! - default (`snapshot.rs`): an Oxigraph in-memory store persisted as one
//!   N-Quads snapshot (`graph.nq`), replaced atomically after a successful write;
//! - Cargo feature `rocksdb` (`rocksdb.rs`): Oxigraph's RocksDB store in `rocksdb/`.
//!
//! Either way a lock file (`lock`, holding the writer's PID) stops two writers. This module is
//! the [`GraphStore`] facade: opening, adding quads under the one-label rule, relabelling films
//! by the titles of their reviews, saving, reading.
//! Locks are in `lock`, loading RDF files in `load` ([`RdfFile`]), SPARQL in [`query`].

mod load;
mod lock;
pub mod query;

#[cfg_attr(feature = "rocksdb", path = "rocksdb.rs")]
#[cfg_attr(not(feature = "rocksdb"), path = "snapshot.rs")]
mod backend;

pub use load::RdfFile;
pub use query::{Dataset, FailureKind, QueryAnswer, QueryFailure, ResultsFormat};

use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Quad};
use std::fs::File;
use std::path::{Path, PathBuf};

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
pub const BACKEND: &str = backend::NAME;

/// The titles reviews give each film, with how many reviews give each (see
/// [`GraphStore::film_title_votes`]).
pub type FilmTitleVotes =
    std::collections::HashMap<NamedOrBlankNode, std::collections::BTreeMap<String, usize>>;

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

impl GraphStore {
    /// Opens a store for reading. The directory must hold a snapshot (or, with the `rocksdb`
    /// feature, a RocksDB database).
    pub fn open_read(dir: impl AsRef<Path>) -> Result<GraphStore> {
        let dir = dir.as_ref().to_path_buf();
        let (store, shared_lock) = backend::open_read(&dir)?;
        Ok(GraphStore {
            dir,
            store,
            lock: None,
            _shared_lock: shared_lock,
        })
    }

    /// Opens (creating if needed) a store for writing, taking its lock.
    pub fn open_write(dir: impl AsRef<Path>) -> Result<GraphStore> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let lock = lock::lock_for_writing(&dir)?;
        let store = backend::open_write(&dir)?;
        Ok(GraphStore {
            dir,
            store,
            lock: Some(lock),
            _shared_lock: None,
        })
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying Oxigraph store.
    pub fn inner(&self) -> &oxigraph::store::Store {
        &self.store
    }

    fn fail(&self) -> impl Fn(oxigraph::store::StorageError) -> Error + '_ {
        |e| Error::store_from(&self.dir, "", e)
    }

    /// A read-only in-memory store of the same directory holding only `quads` (e.g. a
    /// view filtered by [`crate::export::provenance::filter_min_confidence`]), for queries.
    /// Oxigraph iterates in insertion order, so give sorted quads for deterministic answers.
    pub fn view(&self, quads: Vec<Quad>) -> Result<GraphStore> {
        let store = load::new_store(&self.dir)?;
        store.extend(quads).map_err(self.fail())?;
        Ok(GraphStore {
            dir: self.dir.clone(),
            store,
            lock: None,
            _shared_lock: None,
        })
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize> {
        self.store.len().map_err(self.fail())
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
            .map_err(self.fail())
    }

    /// The subjects that have an `rdfs:label` in the default graph: read once, then kept up to
    /// date by [`GraphStore::add_batch`], so adding needs no lookup per label.
    pub fn labelled_subjects(&self) -> Result<LabelledSubjects> {
        let label = NamedNodeRef::new_unchecked(vocab::RDFS_LABEL);
        self.store
            .quads_for_pattern(None, Some(label), None, Some(GraphNameRef::DefaultGraph))
            .map(|q| q.map(|q| q.subject))
            .collect::<std::result::Result<_, _>>()
            .map_err(self.fail())
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
        let mut loader = self.store.bulk_loader();
        loader.load_quads(kept).map_err(self.fail())?;
        loader.commit().map_err(self.fail())
    }

    /// Gives every film that reviews title (`?review cg:reviewOf ?film ; cg:filmTitle ?t`) the
    /// label most of them give it ([`crate::resolve::consensus_title`]: the most reviews, ties
    /// to the first in code point order; titles counted by name key), replacing the label it had. Returns how many
    /// labels changed. Adding reviews can change a label; the choice depends only on the
    /// counts, not on the order reviews were added.
    pub fn relabel_films(&self) -> Result<usize> {
        let votes = self.film_title_votes()?;
        let label = NamedNodeRef::new_unchecked(vocab::RDFS_LABEL);
        let mut changed = 0;
        for (film, titles) in votes {
            let Some((title, _)) =
                crate::resolve::consensus_title(titles.iter().map(|(t, n)| (t.as_str(), *n)))
            else {
                continue;
            };
            let current: Vec<Quad> = self
                .store
                .quads_for_pattern(
                    Some(film.as_ref()),
                    Some(label),
                    None,
                    Some(GraphNameRef::DefaultGraph),
                )
                .collect::<std::result::Result<_, _>>()
                .map_err(self.fail())?;
            let wanted = oxigraph::model::Literal::new_simple_literal(&title);
            if current.len() == 1 && current[0].object == wanted.clone().into() {
                continue;
            }
            for q in &current {
                self.store.remove(q).map_err(self.fail())?;
            }
            let quad = Quad::new(film, label, wanted, GraphNameRef::DefaultGraph);
            self.store.insert(&quad).map_err(self.fail())?;
            changed += 1;
        }
        Ok(changed)
    }

    /// The titles reviews give each film (`cg:filmTitle` of its reviews), with how many
    /// reviews give each.
    pub fn film_title_votes(&self) -> Result<FilmTitleVotes> {
        let title = NamedNodeRef::new_unchecked(vocab::prop::FILM_TITLE);
        let review_of = NamedNodeRef::new_unchecked(vocab::prop::REVIEW_OF);
        let dg = Some(GraphNameRef::DefaultGraph);
        let mut votes = FilmTitleVotes::default();
        for q in self.store.quads_for_pattern(None, Some(title), None, dg) {
            let q = q.map_err(self.fail())?;
            let oxigraph::model::Term::Literal(t) = &q.object else {
                continue;
            };
            for f in
                self.store
                    .quads_for_pattern(Some(q.subject.as_ref()), Some(review_of), None, dg)
            {
                let f = f.map_err(self.fail())?;
                if let Some(film) = named_or_blank(&f.object) {
                    *votes
                        .entry(film)
                        .or_default()
                        .entry(t.value().to_string())
                        .or_default() += 1;
                }
            }
        }
        Ok(votes)
    }

    /// Makes the store durable. Only a store opened for writing can be saved.
    ///
    /// The snapshot backend writes `graph.nq.tmp`, syncs it, then renames it over `graph.nq`;
    /// when any step fails (read-only directory, disk full…) the error names the file, the
    /// temporary file is removed and the previous `graph.nq` is left as it was. The RocksDB
    /// backend flushes.
    pub fn save(&self) -> Result<()> {
        if self.lock.is_none() {
            return Err(Error::store(&self.dir, "opened read-only"));
        }
        backend::save(&self.store, &self.dir)
    }

    /// Every quad, in the store's order.
    pub fn quads(&self) -> Result<Vec<Quad>> {
        self.store
            .iter()
            .collect::<std::result::Result<_, _>>()
            .map_err(self.fail())
    }

    /// All quads in a deterministic order: [`crate::export::sort_quads`].
    pub fn sorted_quads(&self) -> Result<Vec<Quad>> {
        Ok(crate::export::sort_quads(self.quads()?))
    }

    /// The values of a subject's property, in any graph, in the store's order.
    pub fn objects(
        &self,
        subject: &NamedOrBlankNode,
        predicate: &str,
    ) -> Result<Vec<oxigraph::model::Term>> {
        self.store
            .quads_for_pattern(
                Some(subject.as_ref()),
                Some(NamedNodeRef::new_unchecked(predicate)),
                None,
                None,
            )
            .map(|q| q.map(|q| q.object))
            .collect::<std::result::Result<_, _>>()
            .map_err(self.fail())
    }

    /// The quads of a predicate, in any graph, in the store's order.
    pub fn quads_with_predicate(&self, predicate: &str) -> Result<Vec<Quad>> {
        self.store
            .quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(predicate)),
                None,
                None,
            )
            .collect::<std::result::Result<_, _>>()
            .map_err(self.fail())
    }
}

/// A term as a subject, when it can be one.
fn named_or_blank(t: &oxigraph::model::Term) -> Option<NamedOrBlankNode> {
    match t {
        oxigraph::model::Term::NamedNode(n) => Some(n.clone().into()),
        oxigraph::model::Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}
