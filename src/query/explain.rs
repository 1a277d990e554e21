//! `cinegraph explain`: the facts about an entity, each with every review that supports it
//! (review id, sentence, the words the rule matched, rule, method, confidence), read from the
//! RDF 1.2 reifiers of the store. The library only gathers; the CLI formats.

use crate::error::{Error, Result};
use crate::export::sort_quads;
use crate::model::Relation;
use crate::store::GraphStore;
use crate::text::normalize::name_key;
use crate::vocab::{self, prop};
use oxigraph::model::{
    GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, Triple,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// One review supporting a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Support {
    /// The review's `cg:sourceId` (corpus id or file path).
    pub review: String,
    /// The review's IRI.
    pub review_iri: String,
    /// The occurrence (reifier) IRI.
    pub occurrence: String,
    /// Rule id.
    pub rule: String,
    /// `cg:method`.
    pub method: String,
    /// `cg:confidence`.
    pub confidence: f64,
    /// The evidence sentence.
    pub sentence: String,
    /// The words the rule matched.
    pub evidence: String,
    /// Byte range of `evidence` in `sentence`, when it is found there.
    pub highlight: Option<Range<usize>>,
    /// Character offsets of the evidence in the original review text.
    pub begin: Option<u64>,
    /// End (exclusive) of the evidence, in characters.
    pub end: Option<u64>,
}

/// A fact with its supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// Subject IRI.
    pub subject: String,
    /// Subject label.
    pub subject_label: String,
    /// Relation key (`director`, `plays`...; `plays` facts are stored as `cg:portrayedBy`).
    pub relation: String,
    /// Property IRI.
    pub property: String,
    /// Object IRI, or the literal's value.
    pub object: String,
    /// Object label (the value for literals).
    pub object_label: String,
    /// Supporting occurrences, by review then position.
    pub supports: Vec<Support>,
}

/// Where `evidence` is in `sentence` (byte range), if it is.
///
/// ```
/// assert_eq!(cinegraph::query::explain::highlight("It was directed by Ann Lee.", "directed by Ann Lee"), Some(7..26));
/// assert_eq!(cinegraph::query::explain::highlight("abc", "x"), None);
/// ```
pub fn highlight(sentence: &str, evidence: &str) -> Option<Range<usize>> {
    if evidence.is_empty() {
        return None;
    }
    sentence
        .find(evidence)
        .map(|start| start..start + evidence.len())
}

/// Reads a store's facts and their reifiers (see [`explain`]) through Oxigraph's indexes.
struct Index<'a> {
    store: &'a GraphStore,
}

impl Index<'_> {
    fn values(&self, s: &NamedOrBlankNode, p: &str) -> Result<Vec<Term>> {
        self.store.objects(s, p)
    }

    /// The first literal value of a property (every one explain reads has one value).
    fn literal(&self, s: &NamedOrBlankNode, p: &str) -> Result<Option<String>> {
        Ok(self.values(s, p)?.into_iter().find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        }))
    }

    fn label(&self, t: &Term) -> Result<String> {
        Ok(match t {
            Term::NamedNode(n) => self
                .literal(&n.clone().into(), vocab::RDFS_LABEL)?
                .unwrap_or_else(|| vocab::shorten(n.as_str())),
            Term::Literal(l) => l.value().to_string(),
            other => other.to_string(),
        })
    }

    /// The entities a user's name stands for: an IRI (full, `<…>` or prefixed) or every
    /// subject whose label has the same scorer key.
    fn entities(&self, name: &str) -> Result<Vec<Term>> {
        if let Some(iri) = expand_iri(name) {
            return Ok(vec![Term::NamedNode(
                oxigraph::model::NamedNode::new_unchecked(iri),
            )]);
        }
        let labelled: Vec<(NamedOrBlankNode, String)> = self
            .store
            .quads_with_predicate(vocab::RDFS_LABEL)?
            .into_iter()
            .filter_map(|q| match q.object {
                Term::Literal(l) => Some((q.subject, l.value().to_string())),
                _ => None,
            })
            .collect();
        let labels: Vec<&str> = labelled.iter().map(|(_, l)| l.as_str()).collect();
        Ok(match_labels(name, &labels)
            .into_iter()
            .filter_map(|i| match &labelled[i].0 {
                NamedOrBlankNode::NamedNode(n) => Some(Term::NamedNode(n.clone())),
                _ => None,
            })
            .collect())
    }

    /// The confidence of a reifier (0 when it has none), as
    /// [`crate::export::provenance::filter_min_confidence`] reads it.
    fn confidence(&self, reifier: &NamedOrBlankNode) -> Result<f64> {
        Ok(self
            .literal(reifier, prop::CONFIDENCE)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0))
    }
}

/// The labels a user's name matches: those with the same scorer key ([`name_key`]), or, when
/// there is none, those whose words start or end with the name's words (a surname,
/// `Kalatozov` for `Mikhail Kalatozov`).
///
/// ```
/// use cinegraph::query::explain::match_labels;
/// let labels = ["Mikhail Kalatozov", "The Cranes Are Flying", "Boris"];
/// assert_eq!(match_labels("cranes are flying", &labels), vec![1]);
/// assert_eq!(match_labels("Kalatozov", &labels), vec![0]);
/// assert!(match_labels("Kala", &labels).is_empty());
/// ```
pub fn match_labels(name: &str, labels: &[&str]) -> Vec<usize> {
    let keys: Vec<String> = labels.iter().map(|l| name_key(l)).collect();
    match_keys(&name_key(name), &keys)
}

/// [`match_labels`] over labels already turned into their scorer keys ([`name_key`]), for
/// callers that match many names against the same labels (see
/// [`crate::query::labels::LabelIndex`]).
pub fn match_keys<K: AsRef<str>>(key: &str, keys: &[K]) -> Vec<usize> {
    if key.is_empty() {
        return Vec::new();
    }
    let exact: Vec<usize> = (0..keys.len())
        .filter(|&i| keys[i].as_ref() == key)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let (suffix, prefix) = (format!(" {key}"), format!("{key} "));
    (0..keys.len())
        .filter(|&i| {
            let k = keys[i].as_ref();
            k.ends_with(&suffix) || k.starts_with(&prefix)
        })
        .collect()
}

/// `<iri>`, `http(s)://…` or a known prefix (`person:x`) as a full IRI.
fn expand_iri(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(inner) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
        return Some(inner.to_string());
    }
    if name.starts_with("http://") || name.starts_with("https://") {
        return Some(name.to_string());
    }
    let (prefix, local) = name.split_once(':')?;
    if local.contains(' ') {
        return None;
    }
    vocab::PREFIXES
        .iter()
        .chain(vocab::QUERY_PREFIXES)
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| format!("{ns}{local}"))
}

/// The property a user's relation names, and whether subject and object swap (`plays`).
fn property_of(relation: &str) -> Result<(String, bool)> {
    let r = relation.trim();
    if let Some(rel) = Relation::parse(r) {
        return Ok((rel.property().to_string(), rel == Relation::Plays));
    }
    if let Some(iri) = expand_iri(r)
        && Relation::from_property(&iri).is_some()
    {
        return Ok((iri, false));
    }
    // A property's local name or label (`portrayedBy`, `portrayed by`, `release year`).
    let key = name_key(r).replace(' ', "");
    Relation::ALL
        .into_iter()
        .find(|rel| {
            let local = rel.property().rsplit('#').next().unwrap_or_default();
            local.to_lowercase() == key
        })
        .map(|rel| (rel.property().to_string(), false))
        .ok_or_else(|| {
            let keys: Vec<&str> = Relation::ALL.iter().map(|r| r.key()).collect();
            Error::Usage(format!(
                "unknown relation `{relation}`: use one of {}",
                keys.join(", ")
            ))
        })
}

/// The facts about `subject` (with `relation` and `object` when given), each with every
/// occurrence that supports it, from the store's reifiers; with `min_confidence`, only the
/// occurrences read with that confidence or more (as
/// [`crate::export::provenance::filter_min_confidence`] keeps them).
///
/// Names are matched like the gold scorer matches them ([`name_key`]: case, accents,
/// punctuation and a leading "the" do not matter) against `rdfs:label`s, or given as IRIs
/// (`person:nm0440222`, `<https://…>`). Without a relation, facts where the entity is the
/// object are included too. `plays` is read with the person as subject, as in the gold files.
pub fn explain(
    store: &GraphStore,
    subject: &str,
    relation: Option<&str>,
    object: Option<&str>,
    min_confidence: Option<f64>,
) -> Result<Vec<Explained>> {
    let index = Index { store };
    let subjects = index.entities(subject)?;
    if subjects.is_empty() {
        return Err(Error::Usage(format!(
            "no entity is labelled `{subject}` (names are matched ignoring case, accents and punctuation; or give an IRI)"
        )));
    }
    let wanted = Wanted {
        subjects,
        property: relation.map(property_of).transpose()?,
        objects: match object {
            Some(o) => Some((index.entities(o)?, name_key(o))),
            None => None,
        },
    };
    // Only the matching occurrences are sorted: a fact's first occurrence in the sorted store
    // gives its subject IRI when two entities share a label.
    let matching: Vec<Quad> = reifiers_of(store, &wanted.subjects)?
        .into_iter()
        .filter(|q| wanted.fact(q).is_some())
        .collect();
    let mut facts: BTreeMap<(String, String, String, String), Explained> = BTreeMap::new();
    for q in sort_quads(matching) {
        if let Some(min) = min_confidence
            && index.confidence(&q.subject)? < min
        {
            continue;
        }
        let Some(fact) = wanted.fact(&q) else {
            continue;
        };
        let explained = fact.explained(&index)?;
        let key = (
            explained.relation.clone(),
            explained.subject_label.clone(),
            explained.object_label.clone(),
            explained.object.clone(),
        );
        let entry = facts.entry(key).or_insert(explained);
        entry.supports.push(support(&index, &q.subject)?);
    }
    let mut out: Vec<Explained> = facts.into_values().collect();
    for f in &mut out {
        f.supports.sort_by(|a, b| {
            (&a.review, a.begin, &a.occurrence).cmp(&(&b.review, b.begin, &b.occurrence))
        });
    }
    Ok(out)
}

/// The `rdf:reifies` quads of the facts asserted about `entities` (as subject or object),
/// found through the store's indexes: each fact's reifiers are looked up by its triple term,
/// so the cost follows the entities' facts, not the size of the store.
fn reifiers_of(store: &GraphStore, entities: &[Term]) -> Result<Vec<Quad>> {
    let inner = store.inner();
    let fail = |e| Error::store_from(store.dir(), "", e);
    let reifies = NamedNodeRef::new_unchecked(vocab::RDF_REIFIES);
    let default = Some(GraphNameRef::DefaultGraph);
    let mut facts: Vec<Triple> = Vec::new();
    for entity in entities {
        let Term::NamedNode(n) = entity else {
            continue;
        };
        let out = inner.quads_for_pattern(Some(n.as_ref().into()), None, None, default);
        let incoming = inner.quads_for_pattern(None, None, Some(n.as_ref().into()), default);
        for q in out.chain(incoming) {
            let q = q.map_err(fail)?;
            if Relation::from_property(q.predicate.as_str()).is_some() {
                facts.push(Triple::new(q.subject, q.predicate, q.object));
            }
        }
    }
    facts.sort_by_key(|t| t.to_string());
    facts.dedup();
    let mut found = Vec::new();
    for fact in facts {
        let term = Term::Triple(Box::new(fact));
        for q in inner.quads_for_pattern(None, Some(reifies), Some(term.as_ref()), None) {
            found.push(q.map_err(fail)?);
        }
    }
    Ok(found)
}

/// What the user asked about: the subject's entities, the property (and whether subject and
/// object swap), the object's entities and scorer key.
struct Wanted {
    subjects: Vec<Term>,
    property: Option<(String, bool)>,
    objects: Option<(Vec<Term>, String)>,
}

/// A reified relation fact that matches, in the direction it is shown.
struct Fact<'a> {
    relation: String,
    property: &'a str,
    shown_s: Term,
    shown_o: Term,
}

impl Wanted {
    /// The fact an `rdf:reifies` quad reifies, when it is a relation fact matching the query.
    fn fact<'q>(&self, q: &'q Quad) -> Option<Fact<'q>> {
        let Term::Triple(t) = &q.object else {
            return None;
        };
        let rel = Relation::from_property(t.predicate.as_str())?;
        let s = Term::from(t.subject.clone());
        let o = &t.object;
        // The user's subject and object, in the stored direction.
        let (user_s, user_o) = match &self.property {
            Some((p, swapped)) => {
                if t.predicate.as_str() != p {
                    return None;
                }
                if *swapped { (o, &s) } else { (&s, o) }
            }
            None => (&s, o),
        };
        let subject_matches = self.subjects.contains(user_s)
            || (self.property.is_none()
                && self.objects.is_none()
                && self.subjects.contains(user_o));
        if !subject_matches {
            return None;
        }
        if let Some((entities, key)) = &self.objects {
            let ok = entities.contains(user_o)
                || matches!(user_o, Term::Literal(l) if name_key(l.value()) == *key);
            if !ok {
                return None;
            }
        }
        let swapped = matches!(self.property, Some((_, true)));
        let relation = match (swapped, rel) {
            (true, _) => "plays".to_string(),
            (_, r) => r.edge_key().to_string(),
        };
        let (shown_s, shown_o) = if swapped {
            (o.clone(), s.clone())
        } else {
            (s.clone(), o.clone())
        };
        Some(Fact {
            relation,
            property: t.predicate.as_str(),
            shown_s,
            shown_o,
        })
    }
}

impl Fact<'_> {
    /// The fact with its labels, without supports yet.
    fn explained(self, index: &Index<'_>) -> Result<Explained> {
        let object = match &self.shown_o {
            Term::NamedNode(n) => n.as_str().to_string(),
            Term::Literal(l) => l.value().to_string(),
            other => other.to_string(),
        };
        let subject = match &self.shown_s {
            Term::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        };
        Ok(Explained {
            subject,
            subject_label: index.label(&self.shown_s)?,
            relation: self.relation,
            property: self.property.to_string(),
            object,
            object_label: index.label(&self.shown_o)?,
            supports: Vec::new(),
        })
    }
}

fn support(index: &Index<'_>, reifier: &NamedOrBlankNode) -> Result<Support> {
    let text = |p: &str| -> Result<String> { Ok(index.literal(reifier, p)?.unwrap_or_default()) };
    let number = |p: &str| -> Result<Option<u64>> {
        Ok(index.literal(reifier, p)?.and_then(|v| v.parse().ok()))
    };
    let review_iri = index
        .values(reifier, vocab::PROV_WAS_DERIVED_FROM)?
        .into_iter()
        .find_map(|t| match t {
            Term::NamedNode(n) => Some(n),
            _ => None,
        });
    let review = match &review_iri {
        Some(r) => index
            .literal(&r.clone().into(), prop::SOURCE_ID)?
            .unwrap_or_default(),
        None => String::new(),
    };
    let sentence = text(prop::SENTENCE)?;
    let evidence = text(prop::EVIDENCE)?;
    Ok(Support {
        review,
        review_iri: review_iri.map(|r| r.into_string()).unwrap_or_default(),
        occurrence: match NamedOrBlankNodeRef::from(reifier) {
            NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_string(),
            b => b.to_string(),
        },
        rule: text(prop::RULE)?,
        method: text(prop::METHOD)?,
        confidence: index.confidence(reifier)?,
        highlight: highlight(&sentence, &evidence),
        sentence,
        evidence,
        begin: number(prop::BEGIN_INDEX)?,
        end: number(prop::END_INDEX)?,
    })
}

/// How a film got its label and how its reviews identified it: what `explain` shows of a film
/// before its facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilmNaming {
    /// The film's IRI.
    pub film: String,
    /// Its label.
    pub label: String,
    /// Its reviews.
    pub reviews: usize,
    /// The titles its reviews give it, with how many reviews give each (most first).
    pub votes: Vec<(String, usize)>,
    /// Each review's identification of it (by review id).
    pub identifications: Vec<Identification>,
}

/// One review's identification of its film (`occurrence:<review>-film`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identification {
    /// The review's source id.
    pub review: String,
    /// The confidence of the identification.
    pub confidence: f64,
    /// Its cues.
    pub cues: Vec<String>,
}

/// The naming of each film `subject` names (a label or an IRI), for the films reviews are
/// about: its label, the titles its reviews give it and their identifications. Empty when
/// `subject` names no reviewed film.
pub fn film_naming(store: &GraphStore, subject: &str) -> Result<Vec<FilmNaming>> {
    let index = Index { store };
    let films = index.entities(subject)?;
    let review_of = store.quads_with_predicate(prop::REVIEW_OF)?;
    let mut out = Vec::new();
    for film in films {
        let reviews: Vec<&NamedOrBlankNode> = review_of
            .iter()
            .filter(|q| q.object == film)
            .map(|q| &q.subject)
            .collect();
        if reviews.is_empty() {
            continue;
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut identifications = Vec::new();
        for r in &reviews {
            if let Some(t) = index.literal(r, prop::FILM_TITLE)? {
                *counts.entry(t).or_default() += 1;
            }
            if let Some(i) = index.identification(r)? {
                identifications.push(i);
            }
        }
        identifications.sort_by(|a, b| a.review.cmp(&b.review));
        let mut votes: Vec<(String, usize)> = counts.into_iter().collect();
        votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.push(FilmNaming {
            film: match &film {
                Term::NamedNode(n) => n.as_str().to_string(),
                t => t.to_string(),
            },
            label: index.label(&film)?,
            reviews: reviews.len(),
            votes,
            identifications,
        });
    }
    Ok(out)
}

impl Index<'_> {
    /// A review's identification of its film, from `occurrence:<review>-film`.
    fn identification(&self, review: &NamedOrBlankNode) -> Result<Option<Identification>> {
        let NamedOrBlankNode::NamedNode(r) = review else {
            return Ok(None);
        };
        let Some(key) = vocab::EntityKind::Review.local_name(r.as_str()) else {
            return Ok(None);
        };
        let occ: NamedOrBlankNode = oxigraph::model::NamedNode::new_unchecked(
            vocab::EntityKind::Occurrence.iri(&[key, "-film"]),
        )
        .into();
        // The store keeps no order: cues are shown sorted.
        let mut cues: Vec<String> = self
            .values(&occ, prop::CUE)?
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect();
        cues.sort();
        if cues.is_empty() {
            return Ok(None);
        }
        Ok(Some(Identification {
            review: self.literal(review, prop::SOURCE_ID)?.unwrap_or_default(),
            confidence: self.confidence(&occ)?,
            cues,
        }))
    }
}
