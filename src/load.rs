//! A bulk load run (`cinegraph load`): RDF files added to a store with Oxigraph's bulk loader,
//! all or nothing for their syntax, with the ontology and the label rule of an extraction run,
//! so that loading the output of `extract --output` gives the store `extract --store` gives.
//!
//! The run reads every file twice: once to check it (a syntax error stops the run, naming the
//! file, line and column, before the store is even opened), then to load it under the store's
//! writer lock. The store is made durable the way an extraction run makes it (the snapshot is
//! replaced atomically; RocksDB commits each batch), so a crash leaves the previous store.

use crate::error::{Error, Result};
use crate::pipeline::NoProgress;
use crate::store::{GraphStore, RdfFile};
use std::path::Path;

/// What a load run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadSummary {
    /// Files loaded.
    pub files: usize,
    /// Quads read from them (a quad the store already held, or a label it skipped, counts too).
    pub quads: u64,
}

/// The two passes of a load run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadPhase {
    /// Parsing every file, before the store is opened.
    Check,
    /// Adding the files' quads to the store.
    Load,
}

/// Receives the progress of a load run, in bytes of the files as stored (compressed, for
/// gzip). The library never prints: the CLI's progress bar implements this.
pub trait LoadProgress {
    /// Called at the start of each phase with the total size of the files.
    fn start_phase(&self, _phase: LoadPhase, _bytes: u64) {}
    /// Called as bytes are read.
    fn read(&self, _bytes: u64) {}
    /// Called once when every file is loaded, before the store is saved.
    fn finish(&self) {}
}

impl LoadProgress for NoProgress {}

/// Loads RDF files into the store at `store_dir`, in the order given, after the ontology of
/// `ontology_dir` (as an extraction run does).
///
/// Labels follow extraction's rule: an entity keeps the first `rdfs:label` it was given, the
/// store's own first, then the files' in order (file after file, line after line). Every file
/// is parsed before the store is opened: one syntax error and nothing is loaded.
pub fn load_files(
    ontology_dir: &Path,
    files: &[RdfFile],
    store_dir: &Path,
    progress: &dyn LoadProgress,
) -> Result<LoadSummary> {
    let ontology = ontology_dir.join(crate::ONTOLOGY_FILE);
    if !ontology.is_file() {
        let missing = std::io::ErrorKind::NotFound;
        return Err(Error::io(&ontology, missing.into()));
    }
    let mut total = 0;
    for file in files {
        total += file.size()?;
    }
    let read = |n| progress.read(n);
    progress.start_phase(LoadPhase::Check, total);
    for file in files {
        file.check(&read)?;
    }
    let store = GraphStore::open_write(store_dir)?;
    store.load_file(&ontology, oxigraph::io::RdfFormat::Turtle)?;
    let mut labelled = store.labelled_subjects()?;
    progress.start_phase(LoadPhase::Load, total);
    let mut summary = LoadSummary::default();
    for file in files {
        summary.quads += store.load_rdf(file, &mut labelled, &read)?;
        summary.files += 1;
    }
    progress.finish();
    // Films are labelled by the titles their reviews give (`cg:filmTitle`), as `extract
    // --store` does: files loaded together (Spark's parts) give the same labels as one run.
    store.relabel_films()?;
    store.save()?;
    Ok(summary)
}
