//! `cinegraph eval` on the real binary: scoring a gold file against a review, the error
//! listing, and the errors for bad gold files. The dev-set run needs `../shared` and says so
//! when it is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(args)
        .env("CINEGRAPH_ONTOLOGY", root().join("ontology"))
        .current_dir(std::env::temp_dir())
        .output()
        .expect("binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example() -> String {
    root()
        .join("examples/the-cranes-are-flying.txt")
        .display()
        .to_string()
}

/// Several gold files: a table each, then their union, whose counts are the sums.
#[test]
fn eval_scores_several_gold_files_and_their_union() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tsv");
    let b = dir.path().join("b.tsv");
    std::fs::write(&a, "r1\tFILM\tdirector\tMikhail Kalatozov|Kalatozov\t\n").unwrap();
    std::fs::write(&b, "r1\tFILM\tcomposer\tMoisei Vainberg\t\n").unwrap();
    let (ok, stdout, stderr) = run(&[
        "eval",
        "--gold",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--corpus",
        &example(),
    ]);
    assert!(ok, "{stderr}");
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headers.len(), 3, "{stdout}");
    assert!(
        headers[2].starts_with("== union of 2 gold files"),
        "{stdout}"
    );
    let union = stdout.split("== union").nth(1).unwrap();
    assert!(union.contains("2 reviews scored"), "{stdout}");
    let director = union.lines().find(|l| l.starts_with("director")).unwrap();
    let composer = union.lines().find(|l| l.starts_with("composer")).unwrap();
    assert_eq!(director.split_whitespace().nth(1), Some("1"), "{stdout}");
    assert_eq!(composer.split_whitespace().nth(3), Some("1"), "{stdout}");
}

#[test]
fn eval_scores_a_single_review_and_lists_errors() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.tsv");
    // One fact the review states, one it does not (a false negative), one `?` line.
    std::fs::write(
        &gold,
        "r1\tFILM\tdirector\tMikhail Kalatozov|Kalatozov\t\n\
         r1\tFILM\tcomposer\tMoisei Vainberg\t\n\
         r1\tFILM\tyear\t1957\t?\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = run(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--corpus",
        &example(),
        "--show-errors",
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("1 reviews scored"), "{stdout}");
    let director = stdout.lines().find(|l| l.starts_with("director")).unwrap();
    assert!(
        director.split_whitespace().nth(1) == Some("1"),
        "{director}"
    );
    assert!(
        stdout.contains("FN r1\tFILM\tcomposer\tMoisei Vainberg"),
        "{stdout}"
    );
    // Every fact extracted beyond the gold is listed as a false positive with its rule.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("FP r1\t") && l.contains('[')),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("micro")), "{stdout}");
}

#[test]
fn eval_rejects_a_bad_gold_file_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.tsv");
    std::fs::write(&gold, "r1\tFILM\tdirector\tX\t\nr1\tFILM\tdirected\tY\t\n").unwrap();
    let (ok, _, stderr) = run(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--corpus",
        &example(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("gold.tsv:2:"), "{stderr}");
    assert!(stderr.contains("unknown relation `directed`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn eval_on_the_dev_set_meets_the_targets() {
    let shared = root().join("../shared");
    let gold = shared.join("gold/dev.tsv");
    let corpus = shared.join("corpus/aclImdb.jsonl.gz");
    if !Path::new(&gold).exists() || !Path::new(&corpus).exists() {
        eprintln!("SKIPPED eval_on_the_dev_set_meets_the_targets: ../shared/gold or corpus absent");
        return;
    }
    let (ok, stdout, stderr) = run(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--corpus",
        corpus.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let micro: Vec<f64> = stdout
        .lines()
        .find(|l| l.starts_with("micro"))
        .unwrap()
        .split_whitespace()
        .skip(4)
        .map(|v| v.parse().unwrap())
        .collect();
    // Floors a little under the measured scores, so a regression fails the build.
    assert!(
        micro[0] >= 0.90,
        "micro precision {} < 0.90\n{stdout}",
        micro[0]
    );
    assert!(
        micro[1] >= 0.65,
        "micro recall {} < 0.65\n{stdout}",
        micro[1]
    );
}
