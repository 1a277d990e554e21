//! Data-driven extraction cases: every directory of `tests/cases/` holds a review
//! (`review.txt`, or `review.path` naming a file of the repository) and `expected.tsv`, lines
//! of `subject<TAB>relation<TAB>object<TAB>flag` in the gold guideline's terms (`FILM` is the
//! reviewed film). Flag empty: must be extracted; `?`: either way; `!`: must not be extracted.
//! A `#min-precision X` line makes unexpected facts count: precision must reach X. An optional
//! `imdb` file gives the review's IMDb id.

use cinegraph::Extractor;
use cinegraph::eval::{AliasSet, ExtractedFact, Report, extracted_facts, parse_gold};
use cinegraph::model::ReviewInput;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn matches(line: &cinegraph::eval::GoldFact, fact: &ExtractedFact) -> bool {
    fact.relation == line.relation
        && line.subject.matches(&fact.subject)
        && line.object.matches(&fact.object)
}

fn run_case(dir: &Path, extractor: &Extractor) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let text = if dir.join("review.txt").exists() {
        std::fs::read_to_string(dir.join("review.txt")).unwrap()
    } else {
        let rel = std::fs::read_to_string(dir.join("review.path")).unwrap();
        std::fs::read_to_string(root().join(rel.trim())).unwrap()
    };
    let imdb = std::fs::read_to_string(dir.join("imdb"))
        .ok()
        .map(|s| s.trim().to_string());
    let expected = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let mut min_precision = None;
    let mut gold_text = String::new();
    let mut forbidden_text = String::new();
    for line in expected.lines() {
        if let Some(p) = line.strip_prefix("#min-precision") {
            min_precision = Some(p.trim().parse::<f64>().unwrap());
        } else if line.starts_with('#') || line.trim().is_empty() {
            continue;
        } else if line.ends_with("\t!") {
            forbidden_text.push_str(&format!("{name}\t{}\n", line.trim_end_matches('!')));
        } else {
            gold_text.push_str(&format!("{name}\t{line}\n"));
        }
    }
    let gold = parse_gold(&dir.join("expected.tsv"), &gold_text).map_err(|e| e.to_string())?;
    let forbidden =
        parse_gold(&dir.join("expected.tsv"), &forbidden_text).map_err(|e| e.to_string())?;
    let review = extractor.extract(&ReviewInput {
        source_id: name.clone(),
        text,
        imdb,
        rating: None,
    });
    let facts = extracted_facts(&review);
    let show = |facts: &[ExtractedFact]| {
        facts
            .iter()
            .map(|f| {
                format!(
                    "  {}\t{}\t{}\t[{}]",
                    f.subject,
                    f.relation.key(),
                    f.object,
                    f.rule
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut problems = Vec::new();
    let lines = gold.get(&name).cloned().unwrap_or_default();
    let mut report = Report::default();
    report.score_review(&name, &lines, &facts);
    for e in &report.errors {
        if let cinegraph::eval::ScoreError::FalseNegative { gold, .. } = e {
            problems.push(format!("missing: {}", gold.text));
        }
    }
    for line in forbidden.get(&name).into_iter().flatten() {
        if facts.iter().any(|f| matches(line, f)) {
            problems.push(format!("must not be extracted: {}", line.text));
        }
    }
    if let Some(min) = min_precision {
        let p = report.micro().precision();
        if p < min {
            problems.push(format!("precision {p:.3} < {min}"));
        }
    }
    let _ = AliasSet::Film;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case {name}:\n{}\nextracted:\n{}",
            problems.join("\n"),
            show(&facts)
        ))
    }
}

#[test]
fn extraction_cases() {
    let extractor = Extractor::load(root().join("ontology")).expect("ontology loads");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 10,
        "expected the case directory to hold cases"
    );
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| run_case(d, &extractor).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
