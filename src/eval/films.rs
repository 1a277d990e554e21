//! How well reviews are grouped into films and how films are named, measured on the reviews of
//! a corpus that carry an IMDb id: each review is extracted once with its id hidden (as if the
//! corpus had none) and once with it. The hidden run is scored against the real ids (B-cubed
//! precision and recall of the grouping, the lexicon's film recovered or another one taken);
//! the run with ids gives each id's label by consensus of its reviews' titles, checked against
//! the reviews' texts (a title no review writes is not one its reviews use).

use crate::error::Result;
use crate::model::ReviewInput;
use crate::resolve::consensus_title;
use crate::text::normalize::name_key;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What one review gave, with its id hidden and with it.
#[derive(Debug, Clone)]
struct Outcome {
    /// The real IMDb id.
    imdb: String,
    /// The film node of the hidden run.
    node: String,
    /// The IMDb id of that node, when the lexicon gave one.
    node_imdb: Option<String>,
    /// The title the review gives its film (hidden run).
    hidden_title: Option<String>,
    /// That title as the review writes it (not the lexicon's title it may have matched).
    hidden_written: Option<String>,
    /// The title the review gives its film (with its id).
    title: Option<String>,
    /// Whether the node of the run with ids is a lexicon film.
    lexicon_film: bool,
    /// The review's text as a name key, padded with spaces (for finding titles in it).
    text_key: String,
}

/// One film (an IMDb id) as the run with ids labels it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilmLabel {
    /// The IMDb id.
    pub imdb: String,
    /// Its reviews.
    pub reviews: usize,
    /// The consensus title, if any review gives one.
    pub title: Option<String>,
    /// The titles its reviews give, with how many reviews give each (most first).
    pub votes: Vec<(String, usize)>,
    /// Whether one of its reviews writes the consensus title.
    pub in_text: bool,
}

/// The scores of `cinegraph eval --films`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilmReport {
    /// Reviews with an IMDb id.
    pub reviews: usize,
    /// Distinct ids among them.
    pub films: usize,
    /// B-cubed precision of the hidden run's film nodes against the ids.
    pub bcubed_precision: f64,
    /// B-cubed recall.
    pub bcubed_recall: f64,
    /// Film nodes of the hidden run.
    pub nodes: usize,
    /// Reviews of the hidden run whose film node another review shares.
    pub joined_reviews: usize,
    /// Reviews whose id is a lexicon film.
    pub lexicon_reviews: usize,
    /// Of those, reviews whose hidden run found that film.
    pub lexicon_recovered: usize,
    /// Reviews whose hidden run took a lexicon film that is not theirs.
    pub lexicon_wrong: usize,
    /// Reviews of the hidden run that give their film a title.
    pub titled_reviews: usize,
    /// Films (ids) of the run with ids labelled with a title (not only `IMDb tt…`).
    pub films_titled: usize,
    /// Of those, films whose title one of their reviews writes.
    pub films_title_in_text: usize,
    /// Lexicon films, and those whose consensus title is the lexicon's title or an alias.
    pub lexicon_films: usize,
    /// See [`FilmReport::lexicon_films`].
    pub lexicon_films_titled_right: usize,
    /// Lexicon films labelled, ids hidden, by the titles their reviews write (grouped by the
    /// real id, the lexicon's title left out): as the lexicon's title or an alias.
    pub written_right: usize,
    /// See [`FilmReport::written_right`]: with another title.
    pub written_wrong: usize,
    /// Every film with its label and votes, by id.
    pub labels: Vec<FilmLabel>,
}

/// Extracts every review of `corpus` that has an IMDb id twice (id hidden, id given) and
/// scores the grouping and the labels.
pub fn evaluate_films(extractor: &crate::Extractor, corpus: &Path) -> Result<FilmReport> {
    let reviews: Vec<ReviewInput> = crate::input::open(corpus)?
        .filter_map(std::result::Result::ok)
        .filter(|r| r.imdb.is_some())
        .collect();
    let outcomes: Vec<Outcome> = reviews.par_iter().map(|r| outcome(extractor, r)).collect();
    let mut report = FilmReport {
        reviews: outcomes.len(),
        ..FilmReport::default()
    };
    score_grouping(&outcomes, &mut report);
    score_labels(extractor, &outcomes, &mut report);
    Ok(report)
}

fn outcome(extractor: &crate::Extractor, review: &ReviewInput) -> Outcome {
    let hidden = extractor.extract(&ReviewInput {
        imdb: None,
        ..review.clone()
    });
    let given = extractor.extract(review);
    let h = hidden.entities[hidden.film].clone();
    let imdb = review.imdb.clone().unwrap_or_default();
    Outcome {
        lexicon_film: extractor.lexicon.by_id(&imdb).is_some(),
        imdb,
        node: h.iri,
        node_imdb: h.imdb_id,
        hidden_written: hidden
            .identification
            .title
            .as_ref()
            .and(hidden.identification.evidence.clone()),
        hidden_title: hidden.identification.title,
        title: given.identification.title,
        text_key: format!(" {} ", name_key(&review.text)),
    }
}

/// B-cubed precision and recall of the hidden run's nodes against the ids, and the lexicon's
/// films recovered.
fn score_grouping(outcomes: &[Outcome], report: &mut FilmReport) {
    let mut by_node: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for o in outcomes {
        *by_node
            .entry(&o.node)
            .or_default()
            .entry(&o.imdb)
            .or_default() += 1;
        *by_id.entry(&o.imdb).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for o in outcomes {
        let node = &by_node[o.node.as_str()];
        let shared = node[o.imdb.as_str()] as f64;
        p += shared / node.values().sum::<usize>() as f64;
        r += shared / by_id[o.imdb.as_str()] as f64;
        if node.values().sum::<usize>() > 1 {
            report.joined_reviews += 1;
        }
        report.titled_reviews += usize::from(o.hidden_title.is_some());
        if o.lexicon_film {
            report.lexicon_reviews += 1;
            report.lexicon_recovered += usize::from(o.node_imdb.as_deref() == Some(&o.imdb));
        }
        report.lexicon_wrong += usize::from(o.node_imdb.as_ref().is_some_and(|i| *i != o.imdb));
    }
    let n = outcomes.len().max(1) as f64;
    report.bcubed_precision = p / n;
    report.bcubed_recall = r / n;
    report.nodes = by_node.len();
    report.films = by_id.len();
}

/// Each id's consensus label (run with ids), whether its reviews write it, and for lexicon
/// films whether it is the lexicon's title.
fn score_labels(extractor: &crate::Extractor, outcomes: &[Outcome], report: &mut FilmReport) {
    let mut by_id: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_id.entry(&o.imdb).or_default().push(o);
    }
    for (imdb, reviews) in by_id {
        let votes = vote_counts(reviews.iter().filter_map(|o| o.title.as_deref()));
        let title = consensus_title(votes.iter().map(|(t, n)| (t.as_str(), *n))).map(|c| c.0);
        let in_text = title.as_ref().is_some_and(|t| {
            let key = format!(" {} ", name_key(t));
            reviews.iter().any(|o| o.text_key.contains(&key))
        });
        if let Some(t) = &title {
            report.films_titled += 1;
            report.films_title_in_text += usize::from(in_text);
            if let Some(e) = extractor.lexicon.by_id(imdb) {
                let entry = extractor.lexicon.entry(e);
                let keys: BTreeSet<String> = std::iter::once(&entry.label)
                    .chain(&entry.aliases)
                    .map(|s| name_key(s))
                    .collect();
                report.lexicon_films_titled_right += usize::from(keys.contains(&name_key(t)));
            }
        }
        report.lexicon_films += usize::from(reviews[0].lexicon_film);
        if let Some(e) = extractor.lexicon.by_id(imdb) {
            score_written(extractor, e, &reviews, report);
        }
        report.labels.push(FilmLabel {
            imdb: imdb.to_string(),
            reviews: reviews.len(),
            title,
            votes,
            in_text,
        });
    }
}

/// The label a lexicon film gets from the titles its reviews write, ids hidden: a check of
/// labels against truth for films the lexicon did not name.
fn score_written(
    extractor: &crate::Extractor,
    e: crate::lexicon::EntryId,
    reviews: &[&Outcome],
    report: &mut FilmReport,
) {
    let votes = vote_counts(reviews.iter().filter_map(|o| o.hidden_written.as_deref()));
    let Some((label, _)) = consensus_title(votes.iter().map(|(t, n)| (t.as_str(), *n))) else {
        return;
    };
    let entry = extractor.lexicon.entry(e);
    let right = std::iter::once(&entry.label)
        .chain(&entry.aliases)
        .any(|s| name_key(s) == name_key(&label));
    report.written_right += usize::from(right);
    report.written_wrong += usize::from(!right);
}

/// Titles with the number of reviews giving each, most first (then by title).
fn vote_counts<'a>(titles: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in titles {
        *counts.entry(t).or_default() += 1;
    }
    let mut votes: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
    votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    votes
}
