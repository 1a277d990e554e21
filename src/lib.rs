//! Cinegraph reads film reviews and builds a knowledge graph from them.
//!
//! Data flows one way, one type per stage:
//!
//! text ([`text::Document`], tokens with byte spans) -> mentions ([`extract::Mention`]) ->
//! facts with provenance ([`extract::Fact`]) -> entities ([`resolve::ResolvedReview`]) ->
//! quads ([`rdf::review_quads`]) -> store ([`store::GraphStore`]) -> SPARQL and export.
//!
//! [`pipeline`] streams whole corpora through these stages in parallel, in input order;
//! [`load`] bulk-loads RDF files (such as the N-Quads of `extract --output`, or of the Spark
//! job in `spark/`) into a store.
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

// The function budget (threshold in clippy.toml): a function reads at once.
#![warn(clippy::too_many_lines)]

pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
mod files;
pub mod input;
pub mod lexicon;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod query;
pub mod rdf;
pub mod resolve;
pub mod rules;
pub mod serve;
pub mod store;
pub mod text;
pub mod vocab;

use error::{Error, Result};
use lexicon::Lexicon;
use model::ReviewInput;
use resolve::ResolvedReview;
use rules::RuleSet;
use std::path::{Path, PathBuf};

pub use pipeline::{
    ExtractSummary, NoProgress, Progress, RunOptions, extract_to_store, extract_to_store_with,
    extract_to_writer,
};

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
    /// The cue words of the reviewed film's title (`lexicon/title-cues.txt`).
    pub titles: resolve::TitleCues,
}

impl Extractor {
    /// Loads `DIR/lexicon/*.tsv` (and the word lists there, `title-cues.txt` included),
    /// `DIR/rules/*.rules` and checks `DIR/cinegraph.ttl` exists.
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
            titles: resolve::TitleCues::load_dir(&dir.join("lexicon"))?,
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
        resolve::resolve(
            input,
            &doc,
            &extraction,
            &self.lexicon,
            &self.rules,
            &self.titles,
        )
    }
}
