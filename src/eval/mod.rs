//! Scoring against hand-annotated gold facts, exactly as `../shared/gold/GUIDELINE.md` says:
//! alias sets, name normalisation (accents, case, punctuation, a leading "the"), `FILM` for the
//! review's `cg:reviewOf` node, `?` lines neither required nor penalised, one-to-one matching;
//! and (`films`) how reviews are grouped into films and how films are named.

mod films;

pub use films::{FilmLabel, FilmReport, evaluate_films};

use crate::error::{Error, Position, Result};
use crate::model::Relation;
use crate::resolve::{ResolvedReview, Value};
use crate::text::normalize::name_key;
use std::collections::BTreeMap;
use std::path::Path;

/// The gold's name for the reviewed film.
pub const FILM: &str = "FILM";

/// One side of a gold fact: `FILM`, or acceptable names (normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasSet {
    /// The review's reviewed film.
    Film,
    /// Normalised names, canonical first.
    Names(Vec<String>),
}

impl AliasSet {
    fn parse(cell: &str) -> AliasSet {
        if cell.trim() == FILM {
            return AliasSet::Film;
        }
        AliasSet::Names(
            cell.split('|')
                .map(name_key)
                .filter(|k| !k.is_empty())
                .collect(),
        )
    }

    /// True when an extracted value (`FILM` or a label/literal) matches.
    pub fn matches(&self, value: &ExtractedValue) -> bool {
        match (self, value) {
            (AliasSet::Film, ExtractedValue::Film) => true,
            (AliasSet::Names(names), ExtractedValue::Name(n)) => {
                let key = name_key(n);
                names.contains(&key)
            }
            _ => false,
        }
    }
}

/// A gold line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldFact {
    /// Review id.
    pub review: String,
    /// Subject alias set.
    pub subject: AliasSet,
    /// Relation.
    pub relation: Relation,
    /// Object alias set.
    pub object: AliasSet,
    /// `?` flag: neither required nor penalised.
    pub optional: bool,
    /// The line as written, for error listings.
    pub text: String,
}

/// Gold facts, by review id (reviews with a `none` line have an empty list).
pub type Gold = BTreeMap<String, Vec<GoldFact>>;

/// Reads a gold TSV file.
pub fn read_gold(path: impl AsRef<Path>) -> Result<Gold> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_gold(path, &text)
}

/// Parses gold TSV text (`path` names it in errors).
///
/// ```
/// let gold = cinegraph::eval::parse_gold(std::path::Path::new("g.tsv"),
///     "seed\tFILM\tdirector\tMikhail Kalatozov|Kalatozov\t\nr2\t-\tnone\t-\t\n").unwrap();
/// assert_eq!(gold["seed"].len(), 1);
/// assert!(gold["r2"].is_empty());
/// ```
///
/// A split of each line on tabs rather than the `csv` crate, for the reasons of the lexicon's
/// reader (`lexicon::tsv`: lines of spaces skipped, no quoting, columns in characters), and
/// because each fact keeps its raw line for the report.
pub fn parse_gold(path: &Path, text: &str) -> Result<Gold> {
    let mut gold = Gold::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let at = |column| {
            Some(Position {
                line: n + 1,
                column,
            })
        };
        if cells.len() < 4 {
            return Err(Error::syntax(
                path,
                at(1),
                format!("expected 5 tab-separated columns, found {}", cells.len()),
            ));
        }
        let review = cells[0].trim().to_string();
        if cells[2].trim() == "none" {
            gold.entry(review).or_default();
            continue;
        }
        let relation = Relation::parse(cells[2].trim()).ok_or_else(|| {
            let column = cells[0].chars().count() + cells[1].chars().count() + 3;
            Error::syntax(path, at(column), format!("unknown relation `{}`", cells[2]))
        })?;
        let optional = cells.get(4).is_some_and(|f| f.trim() == "?");
        gold.entry(review.clone()).or_default().push(GoldFact {
            review,
            subject: AliasSet::parse(cells[1]),
            relation,
            object: AliasSet::parse(cells[3]),
            optional,
            text: line.to_string(),
        });
    }
    Ok(gold)
}

/// An extracted value as the scorer sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtractedValue {
    /// The review's reviewed film.
    Film,
    /// An entity label or a literal.
    Name(String),
}

impl std::fmt::Display for ExtractedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtractedValue::Film => f.write_str(FILM),
            ExtractedValue::Name(n) => f.write_str(n),
        }
    }
}

/// An extracted fact in gold terms (`plays` is person -> character), with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedFact {
    /// Subject.
    pub subject: ExtractedValue,
    /// Relation.
    pub relation: Relation,
    /// Object.
    pub object: ExtractedValue,
    /// Evidence sentence of the first occurrence.
    pub sentence: String,
    /// Rule of the first occurrence.
    pub rule: String,
}

/// The distinct facts of a review in gold terms.
pub fn extracted_facts(review: &ResolvedReview) -> Vec<ExtractedFact> {
    let value = |i: usize| {
        if i == review.film {
            ExtractedValue::Film
        } else {
            ExtractedValue::Name(review.entities[i].label.clone())
        }
    };
    let mut out: Vec<ExtractedFact> = Vec::new();
    for f in &review.facts {
        let subject = value(f.subject);
        let object = match &f.object {
            Value::Entity(o) => value(*o),
            Value::Year(y) | Value::Text(y) => ExtractedValue::Name(y.clone()),
        };
        // `cg:portrayedBy` is character -> person; the gold's `plays` is person -> character.
        let (subject, object) = if f.relation == Relation::Plays {
            (object, subject)
        } else {
            (subject, object)
        };
        if out
            .iter()
            .any(|e| e.subject == subject && e.relation == f.relation && e.object == object)
        {
            continue;
        }
        out.push(ExtractedFact {
            subject,
            relation: f.relation,
            object,
            sentence: f.sentence.clone(),
            rule: f.rule.clone(),
        });
    }
    out
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Required gold lines matched.
    pub tp: usize,
    /// Extracted facts matching no gold line.
    pub fp: usize,
    /// Required gold lines unmatched.
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was extracted).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    /// Recall (1 when nothing was required).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

/// A scoring error, for `--show-errors`.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreError {
    /// An extracted fact no gold line accepts.
    FalsePositive {
        /// Review id.
        review: String,
        /// The fact.
        fact: ExtractedFact,
    },
    /// A required gold line nothing matched.
    FalseNegative {
        /// Review id.
        review: String,
        /// The gold line.
        gold: GoldFact,
        /// The first sentence of the review naming the object (or the subject), if any.
        sentence: Option<String>,
    },
}

/// Scores of a whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Counts per relation.
    pub per_relation: BTreeMap<Relation, Counts>,
    /// Every error.
    pub errors: Vec<ScoreError>,
    /// Reviews scored.
    pub reviews: usize,
}

impl Report {
    /// Adds another report's counts, errors and reviews: the union of two gold files'
    /// evaluations (a review in both is counted twice).
    ///
    /// ```
    /// let mut a = cinegraph::eval::Report::default();
    /// let b = cinegraph::eval::Report { reviews: 2, ..Default::default() };
    /// a.merge(b);
    /// assert_eq!(a.reviews, 2);
    /// ```
    pub fn merge(&mut self, other: Report) {
        for (relation, counts) in other.per_relation {
            self.per_relation.entry(relation).or_default().add(counts);
        }
        self.errors.extend(other.errors);
        self.reviews += other.reviews;
    }

    /// Micro-averaged counts over every relation.
    pub fn micro(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.per_relation.values() {
            total.add(*c);
        }
        total
    }

    /// Scores one review's extraction against its gold lines, one-to-one, gold line by gold
    /// line (required lines first).
    pub fn score_review(
        &mut self,
        review_id: &str,
        gold: &[GoldFact],
        extracted: &[ExtractedFact],
    ) {
        self.reviews += 1;
        let mut used = vec![false; extracted.len()];
        let mut ordered: Vec<&GoldFact> = gold.iter().filter(|g| !g.optional).collect();
        ordered.extend(gold.iter().filter(|g| g.optional));
        for g in ordered {
            let hit = extracted.iter().enumerate().position(|(i, e)| {
                !used[i]
                    && e.relation == g.relation
                    && g.subject.matches(&e.subject)
                    && g.object.matches(&e.object)
            });
            let counts = self.per_relation.entry(g.relation).or_default();
            match hit {
                Some(i) => {
                    used[i] = true;
                    if !g.optional {
                        counts.tp += 1;
                    }
                }
                None if !g.optional => {
                    counts.fn_ += 1;
                    self.errors.push(ScoreError::FalseNegative {
                        review: review_id.to_string(),
                        gold: g.clone(),
                        sentence: None,
                    });
                }
                None => {}
            }
        }
        for (e, used) in extracted.iter().zip(used) {
            if !used {
                self.per_relation.entry(e.relation).or_default().fp += 1;
                self.errors.push(ScoreError::FalsePositive {
                    review: review_id.to_string(),
                    fact: e.clone(),
                });
            }
        }
    }
}

/// Extracts every review of the gold file from a corpus (each on its own) and scores it.
///
/// A corpus holding a single review (a `.txt` file) is paired with a gold file about a single
/// review whatever its id (the example review's gold uses the id `seed`). Returns the report
/// and the gold review ids the corpus did not have.
pub fn evaluate(
    extractor: &crate::Extractor,
    gold: &Gold,
    corpus: &Path,
) -> Result<(Report, Vec<String>)> {
    let mut report = Report::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut lone: Option<crate::model::ReviewInput> = None;
    let mut count = 0;
    for item in crate::input::open(corpus)? {
        let Ok(review) = item else { continue };
        count += 1;
        if let Some(lines) = gold.get(&review.source_id) {
            if !seen.insert(review.source_id.clone()) {
                continue;
            }
            let resolved = extractor.extract(&review);
            let first_error = report.errors.len();
            report.score_review(&review.source_id, lines, &extracted_facts(&resolved));
            locate_misses(&mut report.errors[first_error..], &review.text);
        } else if count == 1 {
            lone = Some(review);
        }
    }
    if count == 1
        && seen.is_empty()
        && gold.len() == 1
        && let Some(review) = lone
    {
        let (id, lines) = gold.iter().next().expect("one review");
        let resolved = extractor.extract(&review);
        let first_error = report.errors.len();
        report.score_review(id, lines, &extracted_facts(&resolved));
        locate_misses(&mut report.errors[first_error..], &review.text);
        seen.insert(id.clone());
    }
    let missing = gold
        .keys()
        .filter(|k| !seen.contains(*k))
        .cloned()
        .collect();
    Ok((report, missing))
}

/// Gives each false negative the first sentence of the review that names its object (or, for
/// a `FILM` object, its subject), so `--show-errors` shows where the fact was missed.
fn locate_misses(errors: &mut [ScoreError], text: &str) {
    let doc = crate::text::Document::new(text);
    let sentences: Vec<(String, String)> = doc
        .sentences
        .iter()
        .map(|s| {
            let shown = doc.sentence_text(s);
            (format!(" {} ", name_key(&shown)), shown)
        })
        .collect();
    for e in errors {
        let ScoreError::FalseNegative { gold, sentence, .. } = e else {
            continue;
        };
        let names = match (&gold.object, &gold.subject) {
            (AliasSet::Names(n), _) | (AliasSet::Film, AliasSet::Names(n)) => n,
            _ => continue,
        };
        *sentence = sentences
            .iter()
            .find(|(key, _)| names.iter().any(|n| key.contains(&format!(" {n} "))))
            .map(|(_, shown)| shown.clone());
    }
}
