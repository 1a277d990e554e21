//! Snapshots of the intermediate stages for every review the repository ships (each case of
//! `tests/cases/` and the example): the encoded sentences the rules' regexes read, the
//! mentions (kind, placeholder class, byte span, surface, lexicon link, festival) and the
//! facts each rule read (before resolution). One file per review in `tests/stages/`;
//! `CINEGRAPH_BLESS=1 cargo test --test it stages` rewrites them from the current output (review the
//! diff). A change of any stage shows here, line by line, before it reaches the graph.

use cinegraph::Extractor;
use cinegraph::extract::{self, Arg, Extraction};
use cinegraph::text::Document;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped review: (snapshot name, review path).
fn reviews() -> Vec<(String, PathBuf)> {
    let mut reviews = vec![(
        "example".to_string(),
        root().join("examples/the-cranes-are-flying.txt"),
    )];
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/cases"))
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    for case in cases {
        // A case without `review.txt` points at the example instead.
        let review = case.join("review.txt");
        if review.is_file() {
            let name = case
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            reviews.push((name, review));
        }
    }
    reviews
}

fn arg(x: &Extraction, a: Arg) -> String {
    match a {
        Arg::ReviewedFilm => "FILM".into(),
        Arg::Mention(m) => format!("#{m} {:?}", x.mentions[m].surface),
    }
}

/// The stages of one review as text.
fn dump(extractor: &Extractor, text: &str) -> String {
    let doc = Document::new(text);
    let x = extract::extract(&doc, &extractor.lexicon, &extractor.rules);
    let encoded = extract::encoded_sentences(&doc, &x.mentions);
    let mut out = String::new();
    for (si, sentence) in encoded.iter().enumerate() {
        writeln!(out, "[{si}]{}", sentence.trim_end()).unwrap();
        for (mi, m) in x
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.sentence == si)
        {
            write!(
                out,
                "  mention #{mi} {:?} {} {}..{} {:?}",
                m.kind,
                m.class.letter(),
                m.span.start,
                m.span.end,
                m.surface
            )
            .unwrap();
            if let Some(l) = m.link {
                let e = extractor.lexicon.entry(l.entry);
                write!(out, " -> {} {:?} {:.3}", e.id, l.method, l.score).unwrap();
            }
            if let Some(f) = &m.festival {
                write!(out, " festival {f}").unwrap();
            }
            out.push('\n');
        }
        for f in x.facts.iter().filter(|f| f.sentence == si) {
            writeln!(
                out,
                "  fact {} {} {} [{} {:.2} {}..{}]",
                arg(&x, f.subject),
                f.relation.key(),
                arg(&x, f.object),
                f.rule,
                f.confidence,
                f.span.start,
                f.span.end
            )
            .unwrap();
        }
    }
    for d in &x.diagnostics {
        writeln!(out, "diagnostic {}", d.message).unwrap();
    }
    out
}

fn check(name: &str, actual: &str, expected_path: &Path, failures: &mut Vec<String>) {
    if std::env::var_os("CINEGRAPH_BLESS").is_some() {
        std::fs::write(expected_path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_default();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        failures.push(format!(
            "{name}: stage snapshot differs from line {} (expected {:?}, got {:?}); \
             CINEGRAPH_BLESS=1 rewrites it",
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>"),
        ));
    }
}

#[test]
fn stages_match_their_snapshots() {
    let extractor = Extractor::load(root().join("ontology")).expect("ontology");
    let dir = root().join("tests/stages");
    let mut failures = Vec::new();
    let reviews = reviews();
    for (name, path) in &reviews {
        let text = std::fs::read_to_string(path).expect("review");
        let actual = dump(&extractor, &text);
        check(
            name,
            &actual,
            &dir.join(format!("{name}.txt")),
            &mut failures,
        );
    }
    // Every snapshot belongs to a review (a case removed takes its snapshot with it).
    for entry in std::fs::read_dir(&dir).expect("tests/stages") {
        let path = entry.expect("entry").path();
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        if !reviews.iter().any(|(name, _)| *name == stem) {
            failures.push(format!("{}: no review of that name", path.display()));
        }
    }
    assert!(reviews.len() > 40, "{} reviews", reviews.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
