//! `cinegraph load`, through the real binary: loading the output of `extract --output` gives
//! the store `extract --store` gives (plain and gzip, labels included when reviews name an
//! entity differently), the first-label rule across files, a syntax error that names the file,
//! line and column and loads nothing, and the format options. Also `extract --input-format
//! jsonl -`, the filter the Spark job runs.

use crate::common::{assert_clean_failure, example, run_binary, s, store_exists, store_nquads};
use std::io::Write;
use std::path::Path;
use std::process::ExitStatus;
use tempfile::TempDir;

/// Runs the binary in `dir` with `args` (and `stdin`); returns (status, stdout, stderr).
fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> (ExitStatus, Vec<u8>, String) {
    run_binary(dir, args, stdin)
}

fn run_ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let (status, stdout, stderr) = run(dir, args, None);
    assert!(status.success(), "{args:?} failed: {stderr}");
    stdout
}

/// Reviews naming one director with and without an accent (one IRI, two labels), the
/// example review, and a film of its own each.
fn reviews(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("reviews.jsonl");
    let example = std::fs::read_to_string(example()).unwrap();
    let lines = [
        serde_json::json!({"id": "a", "text": "The Zorbal Story was directed by Anna Petrová in 1961. A quiet film."}),
        serde_json::json!({"id": "b", "text": "The Zorbal Story was directed by Anna Petrova in 1961. I liked it."}),
        serde_json::json!({"id": "cranes", "text": example}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn loading_extract_output_gives_the_store_extract_gives() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let input = reviews(dir);
    run_ok(dir, &["extract", s(&input), "--store", "direct", "-q"]);
    run_ok(dir, &["extract", s(&input), "--output", "facts.nq", "-q"]);
    let (status, _, stderr) = run(dir, &["load", "--store", "loaded", "facts.nq"], None);
    assert!(status.success(), "load failed: {stderr}");
    assert!(stderr.contains("from 1 file -> loaded"), "{stderr}");
    assert_eq!(
        store_nquads(&dir.join("loaded")),
        store_nquads(&dir.join("direct"))
    );
    // The accented label came first, in both.
    assert_eq!(label_of(&dir.join("direct")), "\"Anna Petrová\"");

    // The same file gzipped, and under a name that does not tell its format.
    let bytes = std::fs::read(dir.join("facts.nq")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(dir.join("facts.nq.gz"), &gz).unwrap();
    std::fs::write(dir.join("part-00000"), &gz).unwrap();
    run_ok(dir, &["load", "--store", "gz", "facts.nq.gz", "-q"]);
    assert_eq!(
        store_nquads(&dir.join("gz")),
        store_nquads(&dir.join("direct"))
    );
    let (status, _, stderr) = run(dir, &["load", "--store", "x", "part-00000"], None);
    assert_clean_failure(status, &stderr);
    assert!(
        stderr.contains("part-00000") && stderr.contains("--format"),
        "{stderr}"
    );
    let args = [
        "load",
        "--store",
        "named",
        "--format",
        "nquads",
        "part-00000",
    ];
    run_ok(dir, &args);
    assert_eq!(
        store_nquads(&dir.join("named")),
        store_nquads(&dir.join("direct"))
    );
}

const ENTITY: &str = "<https://w3id.org/cinegraph/id/person/anna-petrova>";
const LABEL: &str = "<http://www.w3.org/2000/01/rdf-schema#label>";

/// The label the store at `store` gives [`ENTITY`].
fn label_of(store: &Path) -> String {
    let text = String::from_utf8(store_nquads(store)).unwrap();
    let prefix = format!("{ENTITY} {LABEL} ");
    let labels: Vec<&str> = text.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(labels.len(), 1, "one label: {labels:?}");
    labels[0][prefix.len()..].trim_end_matches(" .").to_string()
}

#[test]
fn the_first_label_wins_across_files_and_the_stores_own_first() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let write = |name: &str, label: &str, format_line: &str| {
        let body = format!("{format_line}{ENTITY} {LABEL} \"{label}\" .\n");
        std::fs::write(dir.join(name), body).unwrap();
    };
    write("one.nt", "Anna Petrová", "");
    write("two.ttl", "Anna Petrova", "@prefix x: <http://x/> .\n");
    run_ok(dir, &["load", "--store", "ab", "one.nt", "two.ttl", "-q"]);
    assert_eq!(label_of(&dir.join("ab")), "\"Anna Petrová\"");
    run_ok(dir, &["load", "--store", "ba", "two.ttl", "one.nt", "-q"]);
    assert_eq!(label_of(&dir.join("ba")), "\"Anna Petrova\"");
    // A store keeps the label it has.
    run_ok(dir, &["load", "--store", "ba", "one.nt", "-q"]);
    assert_eq!(label_of(&dir.join("ba")), "\"Anna Petrova\"");
}

#[test]
fn a_syntax_error_names_the_file_line_and_column_and_loads_nothing() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let good = "<http://x/a> <http://x/b> <http://x/c> .\n";
    std::fs::write(dir.join("good.nq"), good).unwrap();
    let bad = format!("{good}{good}<http://x/a> <http://x/b> \"unterminated .\n");
    std::fs::write(dir.join("bad.nt"), bad).unwrap();

    // Into a new store: no store is made.
    let (status, _, stderr) = run(dir, &["load", "--store", "new", "good.nq", "bad.nt"], None);
    assert_clean_failure(status, &stderr);
    assert!(
        stderr.contains("bad.nt:3:"),
        "no file:line:column: {stderr}"
    );
    assert!(!dir.join("new").exists(), "a failed load made a store");

    // Into an existing store: it is unchanged.
    run_ok(dir, &["extract", s(&example()), "--store", "old", "-q"]);
    let before = store_nquads(&dir.join("old"));
    let (status, _, stderr) = run(dir, &["load", "--store", "old", "good.nq", "bad.nt"], None);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("bad.nt:3:"), "{stderr}");
    assert_eq!(store_nquads(&dir.join("old")), before);

    // Gzip: the position is in the decompressed text.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(dir.join("bad.nt")).unwrap())
        .unwrap();
    std::fs::write(dir.join("bad.nt.gz"), gz.finish().unwrap()).unwrap();
    let (status, _, stderr) = run(dir, &["load", "--store", "old", "bad.nt.gz"], None);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("bad.nt.gz:3:"), "{stderr}");
    assert_eq!(store_nquads(&dir.join("old")), before);

    // A missing file: named, nothing loaded.
    let (status, _, stderr) = run(dir, &["load", "--store", "new", "absent.nq"], None);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("absent.nq"), "{stderr}");
    assert!(!store_exists(&dir.join("new")));
}

#[test]
fn extract_reads_json_lines_from_standard_input() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let input = reviews(dir);
    let from_file = run_ok(dir, &["extract", s(&input), "--output", "-", "-q"]);
    let bytes = std::fs::read(&input).unwrap();
    let args = ["extract", "--input-format", "jsonl", "-", "--output", "-"];
    let args = [&args[..], &["--format", "nquads", "-q"]].concat();
    let (status, from_stdin, stderr) = run(dir, &args, Some(&bytes));
    assert!(status.success(), "{stderr}");
    assert_eq!(from_stdin, from_file);
    // A bad line is reported with its number on standard input too.
    let (status, _, stderr) = run(dir, &args, Some(b"{oops\n"));
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("stdin:1"), "{stderr}");
}
