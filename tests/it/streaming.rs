//! Streaming extraction: `extract --output` (the extractor as a filter, no store), threads and
//! chunks. The output must parse as RDF, give every entity one label, and not depend on the
//! number of threads or the chunk size.

use crate::common;
use common::{example, manifest_dir, parse_rdf, run_binary, s, store_nquads};

use cinegraph::{Extractor, NoProgress, RunOptions, extract_to_writer};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedOrBlankNode, Quad};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use tempfile::TempDir;

const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const DIRECTOR: &str = "https://w3id.org/cinegraph/ontology#director";

/// Runs the binary in `cwd`; returns (status, stdout bytes, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (ExitStatus, Vec<u8>, String) {
    let (status, stdout, stderr) = run_binary(cwd, args, None);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (status, stdout, stderr)
}

fn run_ok(cwd: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let (status, stdout, stderr) = run_in(cwd, args);
    assert!(
        status.success(),
        "cinegraph {args:?} failed ({status}): {stderr}"
    );
    (stdout, stderr)
}

/// Asserts every subject with a label has exactly one.
fn assert_one_label_each(quads: &[Quad]) {
    let mut labels: HashMap<&NamedOrBlankNode, usize> = HashMap::new();
    for q in quads.iter().filter(|q| q.predicate.as_str() == LABEL) {
        *labels.entry(&q.subject).or_default() += 1;
    }
    assert!(!labels.is_empty(), "no label at all");
    let many: Vec<_> = labels.iter().filter(|(_, n)| **n > 1).collect();
    assert!(many.is_empty(), "entities with several labels: {many:?}");
}

/// A directory of reviews, two of which name the same people.
fn review_dir(tmp: &TempDir) -> PathBuf {
    let dir = tmp.path().join("reviews");
    fs::create_dir_all(dir.join("more")).unwrap();
    fs::copy(example(), dir.join("a-cranes.txt")).unwrap();
    fs::write(
        dir.join("b-evil-dead.txt"),
        "The Evil Dead (1981) was directed by Sam Raimi and stars Bruce Campbell.",
    )
    .unwrap();
    fs::write(
        dir.join("more/c-raimi.txt"),
        "Evil Dead II was directed by Sam Raimi. Bruce Campbell is great as Ash.",
    )
    .unwrap();
    dir
}

#[test]
fn output_stdout_is_nquads_without_a_store() {
    let tmp = TempDir::new().unwrap();
    let (stdout, stderr) = run_ok(
        tmp.path(),
        &[
            "extract",
            s(&example()),
            "--output",
            "-",
            "--format",
            "nquads",
        ],
    );
    assert!(stderr.contains("-> <stdout>"), "{stderr}");
    let quads = parse_rdf(RdfFormat::NQuads, &stdout);
    assert!(
        quads.iter().any(|q| q.predicate.as_str() == DIRECTOR),
        "no director fact:\n{}",
        String::from_utf8_lossy(&stdout)
    );
    assert!(quads.iter().all(|q| q.graph_name.is_default_graph()));
    assert_one_label_each(&quads);
    assert!(
        !tmp.path().join("out").exists(),
        "--output must not create a store"
    );
}

#[test]
fn output_stdout_with_a_directory_input() {
    let tmp = TempDir::new().unwrap();
    let dir = review_dir(&tmp);
    let (stdout, stderr) = run_ok(
        tmp.path(),
        &["extract", s(&dir), "--output", "-", "--format", "ntriples"],
    );
    assert!(stderr.contains("extracted 3 reviews"), "{stderr}");
    let quads = parse_rdf(RdfFormat::NTriples, &stdout);
    assert_one_label_each(&quads);
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.contains("\"Sam Raimi\""), "{text}");
    assert!(text.contains("\"Mikhail Kalatozov\""), "{text}");
}

#[test]
fn output_file_and_thread_counts_give_the_same_bytes() {
    let tmp = TempDir::new().unwrap();
    let dir = review_dir(&tmp);
    let one = tmp.path().join("one.nq");
    let two = tmp.path().join("two.nq");
    let (_, stderr) = run_ok(
        tmp.path(),
        &["extract", s(&dir), "--output", s(&one), "--threads", "1"],
    );
    assert!(
        stderr.contains(&format!("-> {}", one.display())),
        "{stderr}"
    );
    run_ok(
        tmp.path(),
        &["extract", s(&dir), "--output", s(&two), "--threads", "2"],
    );
    let batches = tmp.path().join("batches.nq");
    run_ok(
        tmp.path(),
        &[
            "extract",
            s(&dir),
            "--output",
            s(&batches),
            "--batch-size",
            "1",
        ],
    );
    let (a, b) = (fs::read(&one).unwrap(), fs::read(&two).unwrap());
    assert!(!a.is_empty());
    assert_eq!(a, b, "output depends on the thread count");
    assert_eq!(
        a,
        fs::read(&batches).unwrap(),
        "output depends on the batch size"
    );
    assert_one_label_each(&parse_rdf(RdfFormat::NQuads, &a));
}

#[test]
fn streamed_quads_are_in_the_store_too() {
    let tmp = TempDir::new().unwrap();
    let dir = review_dir(&tmp);
    let store = tmp.path().join("store");
    let (stdout, _) = run_ok(tmp.path(), &["extract", s(&dir), "--output", "-"]);
    run_ok(tmp.path(), &["extract", s(&dir), "--store", s(&store)]);
    let stored: HashSet<Quad> = parse_rdf(RdfFormat::NQuads, &store_nquads(&store))
        .into_iter()
        .collect();
    let streamed = parse_rdf(RdfFormat::NQuads, &stdout);
    let missing: Vec<_> = streamed.iter().filter(|q| !stored.contains(q)).collect();
    assert!(missing.is_empty(), "streamed but not stored: {missing:?}");
}

#[test]
fn output_and_store_conflict_and_threads_must_be_positive() {
    let tmp = TempDir::new().unwrap();
    for args in [
        vec!["extract", s(&example()), "--output", "-", "--store", "x"],
        vec!["extract", s(&example()), "--output", "-", "--threads", "0"],
        vec![
            "extract",
            s(&example()),
            "--output",
            "-",
            "--batch-size",
            "0",
        ],
        vec!["extract", s(&example()), "--format", "ntriples"],
    ] {
        let (status, stdout, stderr) = run_in(tmp.path(), &args);
        assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("error"), "{stderr}");
    }
}

#[test]
fn quiet_and_not_a_terminal_mean_no_progress_output() {
    let tmp = TempDir::new().unwrap();
    let dir = review_dir(&tmp);
    let (_, stderr) = run_ok(tmp.path(), &["extract", s(&dir), "--output", "-", "-q"]);
    assert_eq!(stderr, "", "--quiet printed something");
    let (_, stderr) = run_ok(tmp.path(), &["extract", s(&dir), "--output", "-"]);
    assert_eq!(stderr.lines().count(), 1, "more than the summary: {stderr}");
}

#[test]
fn chunk_size_and_threads_do_not_change_the_output() {
    let tmp = TempDir::new().unwrap();
    let dir = review_dir(&tmp);
    let extractor = Extractor::load(manifest_dir().join("ontology")).unwrap();
    let run = |threads, chunk_size| {
        let mut out = Vec::new();
        let summary = extract_to_writer(
            &extractor,
            std::slice::from_ref(&dir),
            &mut out,
            &RunOptions {
                threads,
                chunk_size,
                ..RunOptions::default()
            },
            &NoProgress,
        )
        .unwrap();
        assert_eq!(summary.reviews, 3);
        assert!(summary.facts > 0);
        out
    };
    let reference = run(1, 1024);
    for (threads, chunk) in [(2, 1), (2, 2), (1, 1), (0, 3)] {
        assert_eq!(
            run(threads, chunk),
            reference,
            "threads {threads}, chunk {chunk}"
        );
    }
}

#[test]
fn a_bad_jsonl_line_is_reported_and_the_others_streamed() {
    let tmp = TempDir::new().unwrap();
    let jsonl = tmp.path().join("r.jsonl");
    fs::write(
        &jsonl,
        "{\"id\":\"a\",\"text\":\"Directed by Sam Raimi.\"}\nnot json\n{\"id\":\"b\",\"text\":\"Directed by Kevin Tenney.\"}\n",
    )
    .unwrap();
    let (stdout, stderr) = run_ok(tmp.path(), &["extract", s(&jsonl), "--output", "-"]);
    assert!(stderr.contains("r.jsonl:2"), "{stderr}");
    assert!(stderr.contains("extracted 2 reviews"), "{stderr}");
    let text = String::from_utf8(stdout).unwrap();
    let raimi = text.find("\"Sam Raimi\"").expect("Sam Raimi");
    let tenney = text.find("\"Kevin Tenney\"").expect("Kevin Tenney");
    assert!(raimi < tenney, "output is not in input order:\n{text}");
}
