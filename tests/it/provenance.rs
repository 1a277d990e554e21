//! Data-driven provenance cases: every directory of `tests/provenance/` holds a review
//! (`review.txt`, or `review.path` naming a file of the repository) and `provenance.tsv`, one
//! line per expected occurrence of a fact, read back from the review's RDF quads (the
//! `rdf:reifies` reifiers written by `src/rdf/`):
//!
//! `subject label <TAB> property <TAB> object label or value <TAB> rule <TAB> method <TAB>
//! confidence <TAB> begin <TAB> end <TAB> evidence`
//!
//! `begin`/`end` are character offsets into the original text. Besides the listed lines, every
//! occurrence of every case must be consistent: its sentence contains its evidence, the
//! characters `begin..end` of the text (cleaned like sentences) are its evidence, its fact is
//! asserted as a plain triple, and it names its review. `CINEGRAPH_BLESS=1 cargo test --test
//! it provenance::` rewrites the files from the current output (review the diff).

use cinegraph::Extractor;
use cinegraph::model::ReviewInput;
use cinegraph::vocab::{self, prop};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn review_text(dir: &Path) -> String {
    if dir.join("review.txt").exists() {
        std::fs::read_to_string(dir.join("review.txt")).unwrap()
    } else {
        let rel = std::fs::read_to_string(dir.join("review.path")).unwrap();
        std::fs::read_to_string(root().join(rel.trim())).unwrap()
    }
}

/// The occurrences of a review's quads as `provenance.tsv` lines, and consistency problems.
fn occurrences(quads: &[Quad], text: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Quad>> = HashMap::new();
    for q in quads {
        by_subject.entry(&q.subject).or_default().push(q);
    }
    let value = |s: &NamedOrBlankNode, p: &str| -> String {
        by_subject
            .get(s)
            .into_iter()
            .flatten()
            .find(|q| q.predicate.as_str() == p)
            .map(|q| match &q.object {
                Term::Literal(l) => l.value().to_string(),
                Term::NamedNode(n) => n.as_str().to_string(),
                o => o.to_string(),
            })
            .unwrap_or_default()
    };
    let label = |t: &Term| -> String {
        match t {
            Term::NamedNode(n) => value(&n.clone().into(), vocab::RDFS_LABEL),
            Term::Literal(l) => l.value().to_string(),
            o => o.to_string(),
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut lines = BTreeSet::new();
    let mut problems = Vec::new();
    for q in quads {
        if q.predicate.as_str() != vocab::RDF_REIFIES {
            continue;
        }
        let Term::Triple(t) = &q.object else {
            problems.push(format!("rdf:reifies without a triple term: {q}"));
            continue;
        };
        let asserted = quads
            .iter()
            .any(|a| a.subject == t.subject && a.predicate == t.predicate && a.object == t.object);
        if !asserted {
            problems.push(format!("reified but not asserted: {t}"));
        }
        // The identification of the reviewed film has a span only when the review writes its
        // title (a film known by its id or its people has none); it is checked like a fact's.
        if t.predicate.as_str() == prop::REVIEW_OF
            && value(&q.subject, prop::BEGIN_INDEX).is_empty()
        {
            if value(&q.subject, prop::CUE).is_empty() {
                problems.push(format!("{}: an identification without a cue", q.subject));
            }
            lines.insert(
                [
                    label(&Term::from(t.subject.clone())),
                    vocab::shorten(t.predicate.as_str()),
                    label(&t.object),
                    value(&q.subject, prop::RULE),
                    value(&q.subject, prop::CONFIDENCE),
                ]
                .join("\t"),
            );
            continue;
        }
        let begin: usize = value(&q.subject, prop::BEGIN_INDEX).parse().unwrap();
        let end: usize = value(&q.subject, prop::END_INDEX).parse().unwrap();
        let span: String = chars[begin..end].iter().collect();
        if t.predicate.as_str() == prop::MENTIONED_IN {
            let surface = value(&q.subject, prop::SURFACE);
            let written = span.split_whitespace().collect::<Vec<_>>().join(" ");
            if written != surface {
                problems.push(format!(
                    "mention {}: chars {begin}..{end} are `{written}`, surface `{surface}`",
                    q.subject
                ));
            }
            continue;
        }
        if value(&q.subject, vocab::PROV_WAS_DERIVED_FROM).is_empty() {
            problems.push(format!("{}: no prov:wasDerivedFrom", q.subject));
        }
        let sentence = value(&q.subject, prop::SENTENCE);
        let evidence = value(&q.subject, prop::EVIDENCE);
        if cinegraph::text::clean_snippet(&span) != evidence {
            problems.push(format!(
                "{}: chars {begin}..{end} are `{span}`, evidence `{evidence}`",
                q.subject
            ));
        }
        if !sentence.contains(&evidence) {
            problems.push(format!(
                "{}: evidence `{evidence}` not in sentence `{sentence}`",
                q.subject
            ));
        }
        lines.insert(
            [
                label(&Term::from(t.subject.clone())),
                vocab::shorten(t.predicate.as_str()),
                label(&t.object),
                value(&q.subject, prop::RULE),
                value(&q.subject, prop::METHOD),
                value(&q.subject, prop::CONFIDENCE),
                begin.to_string(),
                end.to_string(),
                evidence,
            ]
            .join("\t"),
        );
    }
    (lines, problems)
}

#[test]
fn provenance_cases() {
    let extractor = Extractor::load(root().join("ontology")).expect("ontology loads");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/provenance"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "expected provenance cases");
    let bless = std::env::var_os("CINEGRAPH_BLESS").is_some();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = review_text(dir);
        let review = extractor.extract(&ReviewInput {
            source_id: name.clone(),
            text: text.clone(),
            imdb: None,
            rating: None,
        });
        let quads = cinegraph::rdf::review_quads(&review);
        let (lines, problems) = occurrences(&quads, &text);
        for p in problems {
            failures.push(format!("{name}: {p}"));
        }
        let file = dir.join("provenance.tsv");
        if bless {
            let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(&file, body).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&file).unwrap();
        for line in expected.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !lines.contains(line) {
                failures.push(format!(
                    "{name}: expected occurrence not found:\n  {line}\nfound:\n  {}",
                    lines.iter().cloned().collect::<Vec<_>>().join("\n  ")
                ));
            }
        }
        if lines.is_empty() {
            failures.push(format!("{name}: no occurrence at all"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The same fact read twice in one review has one triple and two occurrences; two reviews
/// of the same film give one triple and occurrences numbered per review.
#[test]
fn one_triple_many_occurrences() {
    let extractor = Extractor::load(root().join("ontology")).expect("ontology loads");
    let text = "The Cranes Are Flying was directed by Mikhail Kalatozov. Mikhail Kalatozov \
                directed The Cranes Are Flying.";
    let mut all = Vec::new();
    for id in ["r1", "r2"] {
        let review = extractor.extract(&ReviewInput {
            source_id: id.into(),
            text: text.into(),
            imdb: Some("tt0050634".into()),
            rating: None,
        });
        all.extend(cinegraph::rdf::review_quads(&review));
    }
    let director: Vec<&Quad> = all
        .iter()
        .filter(|q| q.predicate.as_str() == prop::DIRECTOR)
        .collect();
    let distinct: BTreeSet<String> = director.iter().map(|q| q.to_string()).collect();
    assert_eq!(distinct.len(), 1, "{distinct:?}");
    let reifiers: BTreeSet<String> = all
        .iter()
        .filter(|q| q.predicate.as_str() == vocab::RDF_REIFIES)
        .filter(|q| matches!(&q.object, Term::Triple(t) if t.predicate.as_str() == prop::DIRECTOR))
        .map(|q| q.subject.to_string())
        .collect();
    assert!(reifiers.len() >= 2, "{reifiers:?}");
    assert!(
        reifiers.iter().any(|r| r.contains("/occurrence/r1-"))
            && reifiers.iter().any(|r| r.contains("/occurrence/r2-")),
        "{reifiers:?}"
    );
}
