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
//! use cinegraph::{Extractor, resolve::ReviewInput};
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
pub mod extract;
pub mod input;
pub mod lexicon;
pub mod rdf;
pub mod resolve;
pub mod rules;
pub mod store;
pub mod text;
pub mod vocab;

use error::{Error, Result};
use lexicon::Lexicon;
use resolve::{ResolvedReview, ReviewInput};
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
        Ok(Extractor {
            lexicon: Lexicon::load_dir(dir.join("lexicon"))?,
            rules: RuleSet::load_dir(dir.join("rules"))?,
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

/// Extracts every review of the inputs into a store opened for writing, then saves it.
///
/// Inputs that cannot be opened at all are errors; single bad reviews are skipped and listed
/// in the summary. The snapshot is only replaced when every input was read.
pub fn extract_to_store(
    extractor: &Extractor,
    inputs: &[PathBuf],
    store_dir: &Path,
) -> Result<ExtractSummary> {
    // Open every input before the store, so a bad argument leaves no trace.
    let streams = inputs.iter().map(input::open).collect::<Result<Vec<_>>>()?;
    let store = store::GraphStore::open_write(store_dir)?;
    let mut summary = ExtractSummary::default();
    let mut facts = std::collections::HashSet::new();
    let mut entities = std::collections::HashSet::new();
    store.load_file(&extractor.ontology, oxigraph::io::RdfFormat::Turtle)?;
    for stream in streams {
        for item in stream {
            match item {
                Ok(review_input) => {
                    let review = extractor.extract(&review_input);
                    for f in &review.facts {
                        facts.insert((
                            f.subject_iri(&review),
                            f.relation,
                            format!("{:?}", f.object_key(&review)),
                        ));
                    }
                    let quads = rdf::review_quads(&review);
                    for q in &quads {
                        if q.predicate.as_str() == vocab::RDFS_LABEL {
                            entities.insert(q.subject.to_string());
                        }
                    }
                    store.add(&quads)?;
                    summary.reviews += 1;
                }
                Err(problem) => summary.problems.push(problem),
            }
        }
    }
    summary.facts = facts.len();
    summary.entities = entities.len();
    store.save()?;
    Ok(summary)
}

impl resolve::ResolvedFact {
    fn subject_iri(&self, review: &ResolvedReview) -> String {
        review.entities[self.subject].iri.clone()
    }

    fn object_key(&self, review: &ResolvedReview) -> String {
        match &self.object {
            resolve::Value::Entity(o) => review.entities[*o].iri.clone(),
            resolve::Value::Year(y) => y.clone(),
            resolve::Value::Text(t) => t.clone(),
        }
    }
}
