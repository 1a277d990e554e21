//! The entity labels of a store indexed by their scorer keys, read once: the name search of
//! `explain` ([`crate::query::explain::match_keys`]) for callers that search many times, such
//! as the server's search box.

use crate::error::Result;
use crate::query::explain::match_keys;
use crate::store::GraphStore;
use crate::text::normalize::name_key;
use crate::vocab;
use oxigraph::model::{NamedOrBlankNode, Term};

/// One labelled entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// The entity's IRI.
    pub iri: String,
    /// Its `rdfs:label`.
    pub label: String,
}

/// Every named entity's label with its scorer key, sorted by label then IRI.
#[derive(Debug, Clone, Default)]
pub struct LabelIndex {
    entries: Vec<Labelled>,
    keys: Vec<String>,
}

impl LabelIndex {
    /// Reads the `rdfs:label`s of the store's named entities.
    pub fn of_store(store: &GraphStore) -> Result<LabelIndex> {
        let mut entries: Vec<Labelled> = store
            .quads_with_predicate(vocab::RDFS_LABEL)?
            .into_iter()
            .filter_map(|q| match (q.subject, q.object) {
                (NamedOrBlankNode::NamedNode(n), Term::Literal(l)) => Some(Labelled {
                    iri: n.into_string(),
                    label: l.value().to_string(),
                }),
                _ => None,
            })
            .collect();
        entries.sort_by(|a, b| (&a.label, &a.iri).cmp(&(&b.label, &b.iri)));
        entries.dedup();
        let keys = entries.iter().map(|e| name_key(&e.label)).collect();
        Ok(LabelIndex { entries, keys })
    }

    /// Number of labelled entities.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no entity has a label.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entities a name stands for, as `explain` finds them (same scorer key, else a
    /// surname or first word); when none, those whose key contains the name's key, so that a
    /// search box finds `Cranes` in `The Cranes Are Flying`. At most `limit`, in label order.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// use cinegraph::query::labels::LabelIndex;
    /// let store = cinegraph::store::GraphStore::open_write(dir.path())?;
    /// let label = |s: &str, l: &str| format!("<https://example.org/{s}> <http://www.w3.org/2000/01/rdf-schema#label> \"{l}\" .\n");
    /// let nq = label("a", "Mikhail Kalatozov") + &label("b", "The Cranes Are Flying");
    /// let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
    ///     .for_slice(nq.as_bytes()).collect::<Result<Vec<_>, _>>()?;
    /// store.add(&quads)?;
    /// let index = LabelIndex::of_store(&store)?;
    /// assert_eq!(index.search("kalatozov", 10)[0].label, "Mikhail Kalatozov");
    /// assert_eq!(index.search("cranes are", 10)[0].label, "The Cranes Are Flying");
    /// assert!(index.search("nobody", 10).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search(&self, name: &str, limit: usize) -> Vec<&Labelled> {
        let key = name_key(name);
        let mut found = match_keys(&key, &self.keys);
        if found.is_empty() && !key.is_empty() {
            found = (0..self.keys.len())
                .filter(|&i| self.keys[i].contains(&key))
                .collect();
        }
        found
            .into_iter()
            .take(limit)
            .map(|i| &self.entries[i])
            .collect()
    }
}
