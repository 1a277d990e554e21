//! Role cues: the `.cues` files of `ontology/rules/`, the data of document-level role
//! resolution (`crate::extract::roles`). A cue is a phrase that, near a person's name, speaks of
//! a role ("performance" of acting, "camera work" of photography) with a weight; a profession
//! row weighs what the lexicon records a person did; blockers are phrases that move a clause to
//! another film or deny it ("remake", "should have"). A person's role is the relation whose
//! weights, summed, reach the threshold. The format is documented in `ontology/README.md`.

use crate::error::{Error, Position, Result};
use crate::model::Relation;
use crate::text::fnv1a;
use crate::text::normalize_word;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::Path;

/// A cue phrase's role and weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The words after the first one (normalised).
    pub rest: Vec<String>,
    /// The role it speaks of.
    pub relation: Relation,
    /// How much it counts.
    pub weight: f32,
    /// The phrase as written, for provenance.
    pub phrase: String,
}

/// A phrase that keeps the role stage from crediting the reviewed film in a clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    /// The words after the first one (normalised).
    pub rest: Vec<String>,
    /// True when the phrase names another film (its clause may credit a title it names).
    pub other_film: bool,
}

/// Every role cue, indexed by its first word.
#[derive(Debug, Clone, Default)]
pub struct RoleCues {
    /// Keyed by the FNV-1a hash of the first word, which the tokeniser keeps for every token:
    /// the stage looks up every word of the sentences that name someone, and hashing them
    /// again was most of its cost.
    cues: FxHashMap<u64, Vec<(String, Cue)>>,
    blockers: FxHashMap<u64, Vec<(String, Blocker)>>,
    /// (relation, lexicon role, weight).
    professions: Vec<(Relation, String, f32)>,
    /// Words ending in -s that are not verbs of the plot (`films`, `fans`).
    not_verbs: std::collections::HashSet<String>,
    /// Cue phrases after which a name is the role played, not the player (`playing`).
    role_after: std::collections::HashSet<String>,
    /// Evidence from the shape of the text (`bracket`, `narrative-verb`...): relation, weight.
    structures: HashMap<String, (Relation, f32)>,
    threshold: f32,
    window: usize,
    unknown_name: f32,
}

impl RoleCues {
    /// The cues whose first word is `word` (normalised), `hash` being its FNV-1a hash.
    pub fn cues_at<'a>(&'a self, word: &'a str, hash: u64) -> impl Iterator<Item = &'a Cue> {
        first_word_matches(&self.cues, word, hash)
    }

    /// The blockers whose first word is `word` (normalised), `hash` being its FNV-1a hash.
    pub fn blockers_at<'a>(
        &'a self,
        word: &'a str,
        hash: u64,
    ) -> impl Iterator<Item = &'a Blocker> {
        first_word_matches(&self.blockers, word, hash)
    }

    /// What a lexicon role (`actor`, `director`) adds to the score of a relation.
    pub fn profession_weight(&self, relation: Relation, role: &str) -> f32 {
        self.professions
            .iter()
            .filter(|(r, p, _)| *r == relation && p == role)
            .map(|(_, _, w)| w)
            .sum()
    }

    /// The relation and weight of a kind of structural evidence, when a `structure` row
    /// gives it: `bracket` (a name opening a bracket), and for characters of the plot
    /// `narrative-verb`, `apposition`, `possessive`, `recurring`.
    pub fn structure(&self, kind: &str) -> Option<(Relation, f32)> {
        self.structures.get(kind).copied()
    }

    /// True when a word after a name is listed as no verb of the plot (`not-verb` rows).
    pub fn is_not_verb(&self, word: &str) -> bool {
        self.not_verbs.contains(word)
    }

    /// True when the name after this cue phrase is the role played, not the player (`role-after`
    /// rows: "the guy playing Ed Gein"): the cue speaks of a name before it.
    pub fn names_role_after(&self, phrase: &str) -> bool {
        self.role_after.contains(phrase)
    }

    /// The score a role needs.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// What a name that does not start with a given name adds to its score (negative).
    pub fn unknown_name_weight(&self) -> f32 {
        self.unknown_name
    }

    /// How many tokens a cue may be from the name it speaks of.
    pub fn window(&self) -> usize {
        self.window
    }

    /// True when there is no cue: the stage has nothing to do.
    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }

    /// Reads one `.cues` file into the set (`path` names it in errors).
    ///
    /// ```
    /// use cinegraph::rules::RoleCues;
    /// let mut cues = RoleCues::default();
    /// cues.add_file("a.cues", "setting\tthreshold\t0.6\ncue\tactor\tcamera work\t0.5\n").unwrap();
    /// let cue = cues.cues_at("camera", cinegraph::rules::word_hash("camera")).next().unwrap();
    /// assert_eq!(cue.rest, ["work"]);
    /// let err = cues.add_file("b.cues", "cue\tactress\tx\t0.5\n").unwrap_err();
    /// assert_eq!(err.to_string(), "b.cues:1:5: unknown relation `actress`");
    /// ```
    pub fn add_file(&mut self, path: impl AsRef<Path>, text: &str) -> Result<()> {
        if self.window == 0 {
            self.window = 8;
            self.threshold = 0.6;
        }
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            self.add_line(line)
                .map_err(|(column, message)| err(&path, i + 1, column, message))?;
        }
        Ok(())
    }

    fn add_line(&mut self, line: &str) -> Result<(), (usize, String)> {
        let fields = Fields::new(line);
        match fields.get(0)?.1 {
            "cue" => {
                let relation = fields.relation(1)?;
                let (first, rest, phrase) = fields.phrase(2)?;
                let weight = fields.number(3)?;
                let key = fnv1a(first.as_bytes());
                let cue = Cue {
                    rest,
                    relation,
                    weight,
                    phrase,
                };
                self.cues.entry(key).or_default().push((first, cue));
            }
            kind @ ("block" | "other-film") => {
                let (first, rest, _) = fields.phrase(1)?;
                let blocker = Blocker {
                    rest,
                    other_film: kind == "other-film",
                };
                let key = fnv1a(first.as_bytes());
                self.blockers.entry(key).or_default().push((first, blocker));
            }
            "not-verb" => {
                let word = normalize_word(fields.get(1)?.1);
                self.not_verbs.insert(word);
            }
            "role-after" => {
                let (_, _, phrase) = fields.phrase(1)?;
                self.role_after.insert(phrase);
            }
            "profession" => {
                let relation = fields.relation(1)?;
                let role = fields.get(2)?.1.to_string();
                let weight = fields.number(3)?;
                self.professions.push((relation, role, weight));
            }
            "structure" => match fields.get(2)? {
                (
                    _,
                    kind @ ("bracket" | "narrative-verb" | "apposition" | "possessive" | "speaker"
                    | "recurring"),
                ) => {
                    let evidence = (fields.relation(1)?, fields.number(3)?);
                    self.structures.insert(kind.to_string(), evidence);
                }
                (col, other) => return Err((col, format!("unknown structure `{other}`"))),
            },
            "setting" => match fields.get(1)? {
                (_, "threshold") => self.threshold = fields.number(2)?,
                (_, "window") => self.window = fields.number(2)?.max(1.0) as usize,
                (_, "unknown-name") => self.unknown_name = fields.number(2)?,
                (col, other) => return Err((col, format!("unknown setting `{other}`"))),
            },
            other => {
                return Err((
                    1,
                    format!(
                        "unknown row kind `{other}` (expected cue, block, other-film, not-verb, role-after, profession, structure or setting)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The hash [`RoleCues::cues_at`] takes for a normalised word (the tokeniser's).
pub fn word_hash(word: &str) -> u64 {
    fnv1a(word.as_bytes())
}

fn first_word_matches<'a, T>(
    map: &'a FxHashMap<u64, Vec<(String, T)>>,
    word: &'a str,
    hash: u64,
) -> impl Iterator<Item = &'a T> {
    map.get(&hash)
        .into_iter()
        .flatten()
        .filter(move |(w, _)| w == word)
        .map(|(_, t)| t)
}

fn err(path: impl AsRef<Path>, line: usize, column: usize, message: String) -> Error {
    Error::syntax(path, Some(Position { line, column }), message)
}

/// The tab-separated fields of a line, with their 1-based character columns.
struct Fields<'a>(Vec<(usize, &'a str)>);

impl<'a> Fields<'a> {
    fn new(line: &'a str) -> Self {
        let mut column = 1;
        let mut fields = Vec::new();
        for f in line.split('\t') {
            fields.push((column, f.trim()));
            column += f.chars().count() + 1;
        }
        Fields(fields)
    }

    fn get(&self, i: usize) -> Result<(usize, &'a str), (usize, String)> {
        match self.0.get(i) {
            Some(&(col, f)) if !f.is_empty() => Ok((col, f)),
            Some(&(col, _)) => Err((col, format!("field {} is empty", i + 1))),
            None => {
                let end = self.0.last().map_or(1, |(c, f)| c + f.chars().count());
                Err((end, format!("missing field {}", i + 1)))
            }
        }
    }

    fn relation(&self, i: usize) -> Result<Relation, (usize, String)> {
        let (col, f) = self.get(i)?;
        Relation::parse(f).ok_or((col, format!("unknown relation `{f}`")))
    }

    fn number(&self, i: usize) -> Result<f32, (usize, String)> {
        let (col, f) = self.get(i)?;
        f.parse::<f32>()
            .ok()
            .filter(|w| w.is_finite())
            .ok_or((col, format!("`{f}` is not a number")))
    }

    /// A phrase's first word, its other words (normalised as the text is) and its text.
    fn phrase(&self, i: usize) -> Result<(String, Vec<String>, String), (usize, String)> {
        let (col, f) = self.get(i)?;
        let mut words = f.split_whitespace().map(normalize_word);
        let first = words.next().ok_or((col, "empty phrase".to_string()))?;
        Ok((first, words.collect(), f.to_string()))
    }
}
