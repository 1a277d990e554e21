//! Reading RDF into a store: the N-Quads snapshot of a store directory (with the bulk loader),
//! and other RDF files such as the ontology, whose blank nodes are skolemised so that loading
//! a file twice adds nothing.

use super::{GraphStore, SNAPSHOT};
use crate::error::{Error, Position, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

/// An empty in-memory store.
pub(super) fn new_store(dir: &Path) -> Result<Store> {
    Store::new().map_err(|e| Error::store_from(dir, "", e))
}

/// An in-memory store holding a directory's snapshot, which must exist: `missing` says what to
/// do when it does not.
pub(super) fn read_snapshot(dir: &Path, missing: &str) -> Result<Store> {
    if !dir.join(SNAPSHOT).exists() {
        return Err(Error::store(dir, missing));
    }
    load_snapshot(dir)
}

/// An in-memory store holding a directory's snapshot.
pub(super) fn load_snapshot(dir: &Path) -> Result<Store> {
    let store = new_store(dir)?;
    bulk_load_snapshot(&store, dir)?;
    Ok(store)
}

/// Adds the quads of a directory's snapshot to a store with the bulk loader.
pub(super) fn bulk_load_snapshot(store: &Store, dir: &Path) -> Result<()> {
    let path = dir.join(SNAPSHOT);
    let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut loader = store.bulk_loader();
    loader
        .load_from_reader(
            RdfParser::from_format(RdfFormat::NQuads),
            std::io::BufReader::new(file),
        )
        .map_err(|e| Error::store_from(dir, &format!("cannot read {SNAPSHOT}"), e))?;
    loader
        .commit()
        .map_err(|e| Error::store_from(dir, &format!("cannot load {SNAPSHOT}"), e))
}

/// Names for a file's blank nodes: IRIs under [`vocab::GENID`] numbered in document order.
struct Skolemizer {
    file_key: String,
    names: HashMap<String, NamedNode>,
}

impl Skolemizer {
    fn new(path: &Path) -> Skolemizer {
        let file_key = path
            .file_stem()
            .map(|s| crate::text::normalize::slug(&s.to_string_lossy()))
            .unwrap_or_default();
        Skolemizer {
            file_key,
            names: HashMap::new(),
        }
    }

    fn name(&mut self, b: &BlankNode) -> NamedNode {
        let n = self.names.len();
        let file_key = &self.file_key;
        self.names
            .entry(b.as_str().to_string())
            .or_insert_with(|| NamedNode::new_unchecked(format!("{}{file_key}-{n}", vocab::GENID)))
            .clone()
    }

    fn quad(&mut self, q: Quad) -> Quad {
        let subject = match q.subject {
            NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::from(self.name(&b)),
            s => s,
        };
        let object = match q.object {
            Term::BlankNode(b) => Term::from(self.name(&b)),
            o => o,
        };
        Quad::new(subject, q.predicate, object, q.graph_name)
    }
}

impl GraphStore {
    /// Loads an RDF file (e.g. the ontology) into the default graph.
    ///
    /// Blank nodes are replaced by IRIs numbered in document order under
    /// [`vocab::GENID`], so loading the same file again adds nothing and exports stay
    /// byte-identical.
    pub fn load_file(&self, path: &Path, format: RdfFormat) -> Result<()> {
        let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let mut skolem = Skolemizer::new(path);
        let mut quads = Vec::new();
        for quad in RdfParser::from_format(format).for_slice(&text) {
            let q = quad.map_err(|e| {
                let position = e.location().map(|l| Position {
                    line: l.start.line as usize + 1,
                    column: l.start.column as usize + 1,
                });
                Error::syntax(path, position, e.to_string())
            })?;
            quads.push(skolem.quad(q));
        }
        self.add(&quads)
    }
}
