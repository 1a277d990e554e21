//! Helpers shared by the integration tests that run the real binary: paths of the
//! repository, and checks of an exit and its messages. Each test module uses a part of them.
// Some serve only the tests of one store backend (`--features rocksdb` or not).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// The repository root.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example review shipped in `examples/`.
pub fn example() -> PathBuf {
    manifest_dir().join("examples/the-cranes-are-flying.txt")
}

/// A path as an argument string.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// Asserts a failure with an exit code (not a signal), no panic, and an error message.
pub fn assert_clean_failure(status: ExitStatus, stderr: &str) {
    assert!(
        status.code().is_some_and(|c| c != 0),
        "expected a non-zero exit code, got {status}; stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "panicked: {stderr}");
    assert!(stderr.contains("error"), "no error message: {stderr}");
}

/// The summary line of an extraction's stderr.
pub fn summary_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("extracted "))
        .unwrap_or_else(|| panic!("no summary line in stderr: {stderr}"))
}

/// True when the store directory holds a store of this build's backend (`graph.nq`, or
/// `rocksdb/` with the `rocksdb` feature).
pub fn store_exists(store: &Path) -> bool {
    if cfg!(feature = "rocksdb") {
        store.join("rocksdb").is_dir()
    } else {
        store.join("graph.nq").is_file()
    }
}

/// Every quad of a store as sorted N-Quads, read through the binary (`export --format
/// nquads`), whatever the backend: for comparing a store before and after.
pub fn store_nquads(store: &Path) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(["export", "--store", s(store), "--format", "nquads"])
        .output()
        .expect("cinegraph runs");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Parses RDF in a format, panicking with the text when it is invalid.
pub fn parse_rdf(format: oxigraph::io::RdfFormat, bytes: &[u8]) -> Vec<oxigraph::model::Quad> {
    oxigraph::io::RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "invalid {format:?} ({e}):\n{}",
                String::from_utf8_lossy(bytes)
            )
        })
}

/// Runs the binary in `cwd` with `args` (and `stdin` when given), the shipped ontology chosen
/// by `CINEGRAPH_ONTOLOGY`; returns (status, stdout, stderr).
pub fn run_binary(
    cwd: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
) -> (ExitStatus, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(args)
        .current_dir(cwd)
        .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cinegraph starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("cinegraph ends");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status, out.stdout, stderr)
}
