//! The Spark job of `spark/`, in local mode, over 3,000 corpus reviews: after `cinegraph load`
//! of its parts, the store exports the same N-Quads as a direct `cinegraph extract` of the same
//! reviews. The input is split so that the job has several partitions (a gzip file and a plain
//! one split in two), and four reviews give two people each two labels in different
//! partitions, in opposite orders, so only extract's rule (the first label in input order)
//! passes.
//!
//! Needs `../shared/corpus` (skipped with a message when absent) and `spark-submit` with Java
//! (skipped with a message when absent, except in CI, whose `.ci/run` installs them).

use crate::common::{manifest_dir, s, store_nquads};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const REVIEWS: usize = 3000;

fn cinegraph(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(args)
        .current_dir(dir)
        .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
        .stdin(Stdio::null())
        .output()
        .expect("cinegraph runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cinegraph {args:?} failed: {stderr}");
    out
}

/// True when `spark-submit` runs; in CI (`CI` set) its absence is a failure.
fn have_spark() -> bool {
    let works = Command::new("spark-submit")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !works && std::env::var_os("CI").is_some() {
        panic!("spark-submit (pyspark) or Java is missing: .ci/run installs them");
    }
    works
}

/// A review naming a film's director `director`.
fn review(id: &str, director: &str) -> String {
    let text = format!("The Quiet Harbour {id} was directed by {director} in 1958. A slow film.");
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

/// The first [`REVIEWS`] reviews of the corpus, as a gzip file then a plain one, with the
/// label pairs (Petrová before Petrova, Volkov before Volkóv, each pair in two partitions).
fn inputs(corpus: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let reader = flate2::read::MultiGzDecoder::new(std::fs::File::open(corpus).unwrap());
    let lines: Vec<String> = std::io::BufReader::new(reader)
        .lines()
        .take(REVIEWS)
        .map(|l| l.unwrap() + "\n")
        .collect();
    let (a, b) = lines.split_at(REVIEWS / 2);
    let first = dir.join("a.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(review("p1", "Anna Petrová").as_bytes())
        .unwrap();
    gz.write_all(a.concat().as_bytes()).unwrap();
    std::fs::write(&first, gz.finish().unwrap()).unwrap();
    let second = dir.join("b.jsonl");
    let text = [
        review("v1", "Boris Volkov"),
        b.concat(),
        review("v2", "Boris Volkóv"),
        review("p2", "Anna Petrova"),
    ];
    std::fs::write(&second, text.concat()).unwrap();
    (first, second)
}

#[test]
fn spark_job_then_load_gives_the_store_of_a_direct_extraction() {
    let corpus = manifest_dir().join("../shared/corpus/aclImdb.jsonl.gz");
    if !corpus.is_file() {
        eprintln!("SKIPPED spark_job_then_load...: ../shared/corpus/aclImdb.jsonl.gz absent");
        return;
    }
    if !have_spark() {
        eprintln!("SKIPPED spark_job_then_load...: no spark-submit (pip install pyspark) or Java");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (a, b) = inputs(&corpus, dir);
    cinegraph(dir, &["extract", s(&a), s(&b), "--store", "direct", "-q"]);

    let job = manifest_dir().join("spark/cinegraph_extract.py");
    let ontology = manifest_dir().join("ontology");
    let submit = || {
        Command::new("spark-submit")
            .args(["--master", "local[2]", "--conf", "spark.ui.enabled=false"])
            .arg("--conf")
            .arg(format!("spark.local.dir={}", dir.display()))
            .args([s(&job), "--input", s(&a), s(&b), "--output", "parts"])
            .args(["--binary", env!("CARGO_BIN_EXE_cinegraph")])
            .args(["--ontology", s(&ontology), "--min-partitions", "3"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("spark-submit runs")
    };
    let mut out = submit();
    if !out.status.success() {
        // Once in a CI run the local driver stopped right after start, with no error from the
        // job: the first failure is shown, and the job run once more.
        eprintln!(
            "the Spark job failed ({}), running it again; its stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_dir_all(dir.join("parts"));
        out = submit();
    }
    let log = String::from_utf8_lossy(&out.stderr);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the Spark job failed ({}):\nstdout:\n{said}\nstderr:\n{log}",
        out.status
    );

    let mut parts: Vec<String> = std::fs::read_dir(dir.join("parts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("part-"))
        .map(|name| format!("parts/{name}"))
        .collect();
    parts.sort();
    assert!(parts.len() >= 4, "too few part files: {parts:?}");
    let args = ["load", "--store", "loaded", "--format", "nquads", "-q"];
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    cinegraph(dir, &[&args[..], &parts].concat());

    let direct = store_nquads(&dir.join("direct"));
    let text = String::from_utf8_lossy(&direct);
    let label = "<http://www.w3.org/2000/01/rdf-schema#label>";
    for expected in [
        "anna-petrova> {label} \"Anna Petrová\"",
        "boris-volkov> {label} \"Boris Volkov\"",
    ] {
        let expected = expected.replace("{label}", label);
        assert!(text.contains(&expected), "direct store lacks {expected}");
    }
    assert!(text.lines().count() > 100_000, "too small a graph");
    assert!(
        store_nquads(&dir.join("loaded")) == direct,
        "the store loaded from the Spark parts differs from the direct extraction"
    );
}
