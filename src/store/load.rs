//! Reading RDF into a store: the N-Quads snapshot of a store directory (with the bulk loader),
//! and other RDF files such as the ontology or `cinegraph load`'s ([`RdfFile`], plain or gzip,
//! streamed through the bulk loader), whose blank nodes are skolemised so that loading a file
//! twice adds nothing.

use super::{GraphStore, LabelledSubjects, SNAPSHOT};
use crate::error::{Error, Position, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Quads given to the bulk loader at a time by [`GraphStore::load_rdf`].
const LOAD_BATCH: usize = 1 << 17;

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

    /// Adds the quads of an RDF file with the bulk loader, a batch at a time, under the one-label
    /// rule of [`GraphStore::add_batch`] (a subject in `labelled` keeps its label; the first
    /// label the file gives another subject is kept). Blank nodes are skolemised as by
    /// [`GraphStore::load_file`]. `read` hears of the file's bytes as they are read. Returns
    /// the number of quads read.
    ///
    /// A syntax error stops the load with the file, line and column; what earlier batches added
    /// stays in the store (check the file first with [`RdfFile::check`] for all or nothing).
    pub fn load_rdf(
        &self,
        file: &RdfFile,
        labelled: &mut LabelledSubjects,
        read: &dyn Fn(u64),
    ) -> Result<u64> {
        let mut skolem = Skolemizer::new(&file.path);
        let mut batch = Vec::with_capacity(LOAD_BATCH);
        let mut count = 0;
        for quad in file.parse(read)? {
            batch.push(skolem.quad(file.quad(quad)?));
            count += 1;
            if batch.len() == LOAD_BATCH {
                self.add_batch(std::mem::take(&mut batch), labelled)?;
            }
        }
        self.add_batch(batch, labelled)?;
        Ok(count)
    }
}

/// An RDF file to load: N-Quads, N-Triples, Turtle or TriG, plain or gzip (told by its first
/// bytes, whatever its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdfFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its syntax.
    pub format: RdfFormat,
}

/// The formats [`RdfFile`] reads, with the extensions that name them.
const LOADABLE: [(&str, RdfFormat); 4] = [
    ("nq", RdfFormat::NQuads),
    ("nt", RdfFormat::NTriples),
    ("ttl", RdfFormat::Turtle),
    ("trig", RdfFormat::TriG),
];

impl RdfFile {
    /// The file at `path`, in `format`, or else in the format its extension names (`.nq`,
    /// `.nt`, `.ttl`, `.trig`, each maybe followed by `.gz`).
    ///
    /// ```
    /// use cinegraph::store::RdfFile;
    /// use oxigraph::io::RdfFormat;
    /// assert_eq!(RdfFile::new("parts/a.nq.gz", None).unwrap().format, RdfFormat::NQuads);
    /// assert_eq!(RdfFile::new("part-00000.gz", Some(RdfFormat::NQuads)).unwrap().format, RdfFormat::NQuads);
    /// assert!(RdfFile::new("part-00000.gz", None).is_err());
    /// ```
    pub fn new(path: impl Into<PathBuf>, format: Option<RdfFormat>) -> Result<RdfFile> {
        let path = path.into();
        if let Some(format) = format {
            return Ok(RdfFile { path, format });
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let extension = name.rsplit_once('.').map(|(_, x)| x.to_ascii_lowercase());
        match LOADABLE
            .iter()
            .find(|(x, _)| Some(*x) == extension.as_deref())
        {
            Some(&(_, format)) => Ok(RdfFile { path, format }),
            None => Err(Error::Usage(format!(
                "{}: cannot tell the RDF format from the name (.nq, .nt, .ttl or .trig, maybe \
                 with .gz): give it with --format",
                path.display()
            ))),
        }
    }

    /// Its size in bytes, as stored (compressed, for gzip).
    pub fn size(&self) -> Result<u64> {
        let meta = std::fs::metadata(&self.path).map_err(|e| Error::io(&self.path, e))?;
        Ok(meta.len())
    }

    /// Parses the whole file and returns its number of quads, or its first error: a syntax
    /// error with the file, line and column (of the decompressed text, for gzip).
    pub fn check(&self, read: &dyn Fn(u64)) -> Result<u64> {
        let mut count = 0;
        for quad in self.parse(read)? {
            self.quad(quad)?;
            count += 1;
        }
        Ok(count)
    }

    /// The file's quads, as parsed.
    fn parse<'a>(
        &self,
        read: &'a dyn Fn(u64),
    ) -> Result<impl Iterator<Item = std::result::Result<Quad, RdfParseError>> + 'a> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let mut raw = BufReader::with_capacity(1 << 16, Counted { inner: file, read });
        let head = raw.fill_buf().map_err(|e| Error::io(&self.path, e))?;
        let reader: Box<dyn Read + 'a> = if head.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::bufread::MultiGzDecoder::new(raw))
        } else {
            Box::new(raw)
        };
        Ok(RdfParser::from_format(self.format).for_reader(reader))
    }

    /// A parsed quad, or the error naming this file (and the position of a syntax error).
    fn quad(&self, quad: std::result::Result<Quad, RdfParseError>) -> Result<Quad> {
        quad.map_err(|e| match e {
            RdfParseError::Io(e) => Error::io(&self.path, e),
            RdfParseError::Syntax(e) => {
                let position = e.location().map(|l| Position {
                    line: l.start.line as usize + 1,
                    column: l.start.column as usize + 1,
                });
                Error::syntax(&self.path, position, e.to_string())
            }
        })
    }
}

/// A reader that reports the bytes it reads.
struct Counted<'a, R> {
    inner: R,
    read: &'a dyn Fn(u64),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.read)(n as u64);
        Ok(n)
    }
}
