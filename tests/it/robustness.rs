//! Hostile input and a hostile file system: the real binary on bad reviews (invalid UTF-8,
//! empty, enormous, markup), `--strict`, `query --timeout`, SPARQL syntax positions, and the
//! store on unwritable directories and leftovers of a crash.

use crate::common;
use common::{assert_clean_failure, manifest_dir, s, store_nquads, summary_line};

use cinegraph::store::GraphStore;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const EVIL_DEAD: &str = "The Evil Dead (1981) was directed by Sam Raimi and stars Bruce Campbell.";

fn run(args: &[&str]) -> (ExitStatus, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(args)
        .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
        .stdin(Stdio::null())
        .output()
        .expect("cinegraph runs");
    (
        out.status,
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

fn ask(store: &Path, q: &str) -> bool {
    let (status, stdout, stderr) = run(&["query", "--store", s(store), "--format", "tsv", q]);
    assert!(status.success(), "{stderr}");
    stdout.trim() == "true"
}

fn has_review(store: &Path, id: &str) -> bool {
    ask(
        store,
        &format!("ASK {{ ?r a cg:Review ; cg:sourceId \"{id}\" }}"),
    )
}

fn warning_at<'a>(stderr: &'a str, location: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with("warning") && l.contains(&format!("{location}:")))
        .unwrap_or_else(|| panic!("no warning at {location} in: {stderr}"))
}

/// Every kind of bad review in one JSONL file: each is reported at its line, the good ones land.
#[test]
fn hostile_jsonl_is_reported_line_by_line_and_the_rest_lands() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("hostile.jsonl");
    let mut data: Vec<u8> = Vec::new();
    let line = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    // 1: good.
    data.extend(line("good-1", EVIL_DEAD).as_bytes());
    data.push(b'\n');
    // 2: invalid UTF-8 inside the text: read lossily, with a warning.
    data.extend(
        b"{\"id\": \"latin1\", \"text\": \"Caf\xe9 Society was directed by Woody Allen.\"}\n",
    );
    // 3: empty text; 4: whitespace only.
    data.extend(line("empty", "").as_bytes());
    data.push(b'\n');
    data.extend(line("blank", " \n\t ").as_bytes());
    data.push(b'\n');
    // 5: markup and control characters: fine.
    data.extend(
        line(
            "markup",
            "\u{1b}[1m<b>Vertigo</b>\u{0} was <i>directed by</i>\u{7} Alfred Hitchcock.<br />",
        )
        .as_bytes(),
    );
    data.push(b'\n');
    // 6: longer than MAX_REVIEW_BYTES: skipped without being read into memory.
    let huge = cinegraph::input::MAX_REVIEW_BYTES + 1024;
    data.extend(b"{\"id\": \"huge\", \"text\": \"");
    data.resize(data.len() + huge, b'a');
    data.extend(b"\"}\n");
    // 7: binary garbage; 8: no text; 9: good.
    data.extend(b"\x00\x01\x02\xff\xfe binary\n");
    data.extend(b"{\"id\": \"no-text\"}\n");
    data.extend(line("good-2", "Directed by Kevin Tenney.").as_bytes());
    data.push(b'\n');
    fs::write(&path, &data).unwrap();
    let store = tmp.path().join("store");

    let (status, _, stderr) = run(&["extract", s(&path), "--store", s(&store)]);
    assert!(status.success(), "extract failed ({status}): {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let p = s(&path);
    assert!(warning_at(&stderr, &format!("{p}:2")).contains("invalid UTF-8"));
    assert!(!warning_at(&stderr, &format!("{p}:2")).contains("skipped"));
    assert!(warning_at(&stderr, &format!("{p}:3")).contains("empty review (no text"));
    assert!(warning_at(&stderr, &format!("{p}:4")).contains("empty"));
    assert!(warning_at(&stderr, &format!("{p}:6")).contains("longer than 16 MiB"));
    assert!(warning_at(&stderr, &format!("{p}:7")).contains("invalid JSON"));
    assert!(warning_at(&stderr, &format!("{p}:8")).contains("no `text`"));
    for good in [1, 5, 9] {
        assert!(
            !stderr.contains(&format!("{p}:{good}:")),
            "line {good} warned: {stderr}"
        );
    }
    assert_eq!(
        summary_line(&stderr).split(':').next().unwrap().trim_end(),
        "extracted 4 reviews (5 skipped, 1 warning)",
        "{stderr}"
    );
    for id in ["good-1", "latin1", "markup", "good-2"] {
        assert!(has_review(&store, id), "review {id} is missing");
    }
    assert!(ask(
        &store,
        "ASK { ?f cg:director ?p . ?p rdfs:label \"Alfred Hitchcock\" }"
    ));

    // --strict: the same run is an error, and says why; the good reviews are still stored.
    let store2 = tmp.path().join("store2");
    let (status, _, stderr) = run(&["extract", "--strict", s(&path), "--store", s(&store2)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("6 input problems (--strict)"), "{stderr}");
    assert!(has_review(&store2, "good-2"));
}

/// A directory with an empty, a binary, a Latin-1 and a good review.
#[test]
fn hostile_text_files_are_reported_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reviews");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a-empty.txt"), "").unwrap();
    fs::write(dir.join("b-binary.txt"), [0u8, 159, 146, 150, 0, 255, 7, 8]).unwrap();
    fs::write(
        dir.join("c-latin1.txt"),
        b"Caf\xe9 Society was directed by Woody Allen.",
    )
    .unwrap();
    fs::write(dir.join("d-good.txt"), EVIL_DEAD).unwrap();
    let store = tmp.path().join("store");
    let (status, _, stderr) = run(&["extract", s(&dir), "--store", s(&store)]);
    assert!(status.success(), "{stderr}");
    assert!(
        warning_at(&stderr, s(&dir.join("a-empty.txt"))).contains("empty review"),
        "{stderr}"
    );
    assert!(
        warning_at(&stderr, s(&dir.join("b-binary.txt"))).contains("invalid UTF-8"),
        "{stderr}"
    );
    assert!(
        warning_at(&stderr, s(&dir.join("c-latin1.txt"))).contains("1 replacement character"),
        "{stderr}"
    );
    assert!(
        summary_line(&stderr).starts_with("extracted 3 reviews (1 skipped, 2 warnings)"),
        "{stderr}"
    );
    assert!(ask(
        &store,
        "ASK { ?f cg:director ?p . ?p rdfs:label \"Sam Raimi\" }"
    ));

    // Nothing readable at all: non-zero even without --strict.
    let only_empty = tmp.path().join("only-empty.txt");
    fs::write(&only_empty, "  \n").unwrap();
    let (status, _, stderr) = run(&[
        "extract",
        s(&only_empty),
        "--store",
        s(&tmp.path().join("store2")),
    ]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("no review could be read"), "{stderr}");
}

fn example_store(tmp: &Path) -> PathBuf {
    let store = tmp.join("store");
    let example = manifest_dir().join("examples/the-cranes-are-flying.txt");
    let (status, _, stderr) = run(&["extract", s(&example), "--store", s(&store)]);
    assert!(status.success(), "{stderr}");
    store
}

#[test]
fn query_timeout_stops_a_runaway_query() {
    let tmp = tempfile::tempdir().unwrap();
    let store = example_store(tmp.path());
    // A cross product of the store with itself, three times: hours of work.
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    // A cross product of constants, which never reads the store (so Oxigraph cannot cancel it).
    let ten = "VALUES ?x { 0 1 2 3 4 5 6 7 8 9 }";
    let values = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
        (0..9)
            .map(|i| ten.replace("?x", &format!("?x{i}")))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for q in [runaway, values.as_str()] {
        let start = Instant::now();
        let (status, stdout, stderr) = run(&["query", "--store", s(&store), "--timeout", "0.5", q]);
        let took = start.elapsed();
        assert_clean_failure(status, &stderr);
        assert!(stderr.contains("timeout"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(took < Duration::from_secs(20), "took {took:?}");
    }
    // A quick query with a timeout answers as usual.
    let (status, stdout, stderr) = run(&[
        "query",
        "--store",
        s(&store),
        "--timeout",
        "30",
        "--format",
        "tsv",
        "ASK { ?f cg:director ?p }",
    ]);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "true");
    let (status, _, stderr) = run(&["query", "--store", s(&store), "--timeout", "-1", "ASK {}"]);
    assert_eq!(status.code(), Some(2), "{stderr}");
}

#[test]
fn sparql_syntax_errors_name_the_position() {
    let tmp = tempfile::tempdir().unwrap();
    let store = example_store(tmp.path());
    let (status, _, stderr) = run(&[
        "query",
        "--store",
        s(&store),
        "SELECT ?x\nWHERE { ?x cg:director ?y . FILTER(?y = ) }",
    ]);
    assert_clean_failure(status, &stderr);
    // Line 2, somewhere after the `=`.
    assert!(stderr.contains("syntax error"), "{stderr}");
    assert!(stderr.contains(" 2:"), "no line:column in: {stderr}");
}

fn quads_of(store: &GraphStore) -> Vec<oxigraph::model::Quad> {
    store.sorted_quads().unwrap()
}

fn small_store(dir: &Path) -> Vec<u8> {
    let store = GraphStore::open_write(dir).unwrap();
    store
        .load_file(
            &manifest_dir().join("ontology/cinegraph.ttl"),
            oxigraph::io::RdfFormat::Turtle,
        )
        .unwrap();
    store.save().unwrap();
    drop(store);
    store_nquads(dir)
}

fn one_quad(i: usize) -> oxigraph::model::Quad {
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
    Quad::new(
        NamedNode::new(format!("https://example.org/s{i}")).unwrap(),
        NamedNode::new("https://example.org/p").unwrap(),
        Literal::new_simple_literal("o"),
        GraphName::DefaultGraph,
    )
}

/// A snapshot that cannot be written (here: `graph.nq.tmp` is a directory, which fails for root
/// too) gives an error naming the file, and leaves the old graph.nq as it was.
#[cfg(not(feature = "rocksdb"))]
#[test]
fn unwritable_snapshot_is_a_clear_error_and_keeps_the_old_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let old = small_store(&dir);
    fs::create_dir(dir.join("graph.nq.tmp")).unwrap();
    let store = GraphStore::open_write(&dir).unwrap();
    store.add(&[one_quad(1)]).unwrap();
    let err = store.save().unwrap_err().to_string();
    assert!(err.contains("graph.nq.tmp"), "{err}");
    assert!(err.contains("previous graph.nq is unchanged"), "{err}");
    assert_eq!(store_nquads(&dir), old);
    drop(store);

    // The CLI says the same, with a non-zero exit.
    let example = manifest_dir().join("examples/the-cranes-are-flying.txt");
    let (status, _, stderr) = run(&["extract", s(&example), "--store", s(&dir)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("graph.nq.tmp"), "{stderr}");
    assert_eq!(store_nquads(&dir), old);
}

/// A read-only store directory: a clear error naming the path, the old graph.nq intact.
/// (Skipped when permissions do not apply, as for root.)
#[test]
fn read_only_store_directory_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let old = small_store(&dir);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(dir.join("probe"), "x").is_ok() {
        let _ = fs::remove_file(dir.join("probe"));
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: permissions do not apply to this user (root)");
        return;
    }
    let example = manifest_dir().join("examples/the-cranes-are-flying.txt");
    let (status, _, stderr) = run(&["extract", s(&example), "--store", s(&dir)]);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains(s(&dir)), "{stderr}");
    assert_eq!(store_nquads(&dir), old);
}

/// RocksDB must not be read while another process writes it: a reader is refused with the
/// writer's PID while the writer lock is held, and reads again once it is released.
#[cfg(feature = "rocksdb")]
#[test]
fn rocksdb_store_is_not_read_while_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let before = small_store(&dir);
    let writer = GraphStore::open_write(&dir).unwrap();
    let err = GraphStore::open_read(&dir)
        .err()
        .expect("read refused")
        .to_string();
    assert!(err.contains("being written"), "{err}");
    assert!(err.contains(&std::process::id().to_string()), "{err}");
    let (status, _, stderr) = run(&["query", "--store", s(&dir), "ASK { ?s ?p ?o }"]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("being written"), "{stderr}");
    writer.add(&[one_quad(3)]).unwrap();
    writer.save().unwrap();
    drop(writer);
    let after = store_nquads(&dir);
    assert!(after.len() > before.len());
}

/// A store written by a build without the `rocksdb` feature (an N-Quads snapshot) is read
/// as it is, and imported into RocksDB by the first writer; nothing is lost.
#[cfg(feature = "rocksdb")]
#[test]
fn snapshot_store_is_imported_into_rocksdb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    fs::create_dir_all(&dir).unwrap();
    let lines: Vec<String> = (0..5).map(|i| format!("{} .\n", one_quad(i))).collect();
    fs::write(dir.join("graph.nq"), lines.concat()).unwrap();
    assert_eq!(quads_of(&GraphStore::open_read(&dir).unwrap()).len(), 5);
    let writer = GraphStore::open_write(&dir).unwrap();
    writer.add(&[one_quad(9)]).unwrap();
    writer.save().unwrap();
    drop(writer);
    assert!(dir.join("rocksdb").is_dir());
    assert!(!dir.join("graph.nq").exists());
    assert!(dir.join("graph.nq.imported").is_file());
    assert_eq!(quads_of(&GraphStore::open_read(&dir).unwrap()).len(), 6);
}

/// A `graph.nq.tmp` left by a crash is never read, and the next writer removes it.
#[cfg(not(feature = "rocksdb"))]
#[test]
fn leftover_temporary_snapshot_is_ignored_and_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    small_store(&dir);
    let mut f = fs::File::create(dir.join("graph.nq.tmp")).unwrap();
    std::io::Write::write_all(&mut f, b"<half a quad").unwrap();
    drop(f);
    let reader = GraphStore::open_read(&dir).unwrap();
    let before = quads_of(&reader);
    let writer = GraphStore::open_write(&dir).unwrap();
    assert!(!dir.join("graph.nq.tmp").exists(), "leftover not removed");
    assert_eq!(quads_of(&writer), before);
    writer.add(&[one_quad(2)]).unwrap();
    writer.save().unwrap();
    assert_eq!(
        quads_of(&GraphStore::open_read(&dir).unwrap()).len(),
        before.len() + 1
    );
}
