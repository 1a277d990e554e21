//! Integration tests of the `cinegraph` binary: each test runs the real executable in a
//! temporary directory and checks its exit status, output and the store it leaves behind.

use crate::common;
use common::{
    assert_clean_failure, example, manifest_dir, parse_rdf, s, store_exists, store_nquads,
    summary_line,
};

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use tempfile::TempDir;

const DIRECTORS: &str = "SELECT ?name WHERE { ?f cg:director ?p . ?p rdfs:label ?name }";
const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
const KALATOZOV_DIRECTS: &str = "ASK { ?f cg:director ?p . ?p rdfs:label \"Mikhail Kalatozov\" }";
const EVIL_DEAD: &str = "The Evil Dead (1981) was directed by Sam Raimi and stars Bruce Campbell.";

/// Runs the binary with `args` (and `stdin`, if any); returns (status, stdout, stderr).
fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> (ExitStatus, String, String) {
    let (status, stdout, stderr) = common::run_binary(&std::env::temp_dir(), args, stdin);
    (
        status,
        String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr,
    )
}

fn run(args: &[&str]) -> (ExitStatus, String, String) {
    run_with_stdin(args, None)
}

/// Runs the binary, asserting success; returns stdout.
fn run_ok(args: &[&str]) -> String {
    let (status, stdout, stderr) = run(args);
    assert!(
        status.success(),
        "cinegraph {args:?} failed ({status}): {stderr}"
    );
    stdout
}

/// Extracts `inputs` into `store`, asserting success; returns stderr.
fn extract(store: &Path, inputs: &[&Path]) -> String {
    let mut args = vec!["extract", "--store", s(store)];
    args.extend(inputs.iter().map(|p| s(p)));
    let (status, _, stderr) = run(&args);
    assert!(status.success(), "extract failed ({status}): {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// A store in `tmp` holding the example review.
fn example_store(tmp: &TempDir) -> PathBuf {
    let store = tmp.path().join("store");
    extract(&store, &[&example()]);
    store
}

fn query(store: &Path, format: &str, q: &str) -> String {
    run_ok(&["query", "--store", s(store), "--format", format, q])
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON ({e}): {text}"))
}

fn ask(store: &Path, q: &str) -> bool {
    let v = json(&query(store, "json", q));
    v["boolean"]
        .as_bool()
        .unwrap_or_else(|| panic!("not an ASK result: {v}"))
}

fn count_triples(store: &Path) -> u64 {
    let v = json(&query(store, "json", COUNT));
    let n = &v["results"]["bindings"][0]["n"]["value"];
    n.as_str()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {v}"))
}

/// Solutions of a SELECT result in `format`, as (variables, rows of values as strings).
fn parse_results(format: QueryResultsFormat, text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let parsed = QueryResultsParser::from_format(format)
        .for_slice(text)
        .unwrap_or_else(|e| panic!("invalid {format:?} results ({e}): {text}"));
    let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
        panic!("expected solutions, got a boolean: {text}");
    };
    let vars: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let rows = solutions
        .map(|row| {
            let row = row.unwrap_or_else(|e| panic!("invalid {format:?} row ({e}): {text}"));
            row.iter().map(|(_, t)| t.to_string()).collect()
        })
        .collect();
    (vars, rows)
}

#[test]
fn extract_example_review() {
    let tmp = TempDir::new().unwrap();
    let store = tmp.path().join("store");
    let (status, _, stderr) = run(&["extract", s(&example()), "--store", s(&store)]);
    assert!(status.success(), "extract failed ({status}): {stderr}");
    assert!(
        summary_line(&stderr).starts_with("extracted 1 review "),
        "{stderr}"
    );
    assert!(store_exists(&store), "no store written");
    assert!(!store_nquads(&store).is_empty());
}

#[test]
fn query_in_every_format() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);

    let table = query(&store, "table", DIRECTORS);
    assert!(table.contains("Mikhail Kalatozov"), "{table}");
    let footer = table.lines().last().unwrap_or_default();
    let n = footer
        .strip_prefix('(')
        .and_then(|f| f.strip_suffix(" rows)").or_else(|| f.strip_suffix(" row)")))
        .and_then(|n| n.parse::<usize>().ok());
    assert!(n.is_some_and(|n| n >= 1), "no (N rows) footer: {table}");

    let csv = query(&store, "csv", DIRECTORS);
    assert!(csv.starts_with("name\r\n"), "{csv:?}");
    assert!(csv.contains("Mikhail Kalatozov\r\n"), "{csv:?}");
    assert!(
        csv.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CSV lines must end with CRLF: {csv:?}"
    );

    let tsv = query(&store, "tsv", DIRECTORS);
    assert_eq!(tsv.lines().next(), Some("?name"), "{tsv}");
    let (vars, rows) = parse_results(QueryResultsFormat::Tsv, &tsv);
    assert_eq!(vars, ["name"]);
    assert!(
        rows.iter().any(|r| r == &["\"Mikhail Kalatozov\""]),
        "{tsv}"
    );

    let out = query(&store, "json", DIRECTORS);
    let v = json(&out);
    assert_eq!(v["head"]["vars"], serde_json::json!(["name"]), "{out}");
    let bindings = v["results"]["bindings"].as_array().expect("bindings");
    assert!(
        bindings
            .iter()
            .any(|b| b["name"]["value"] == "Mikhail Kalatozov"),
        "{out}"
    );

    let xml = query(&store, "xml", DIRECTORS);
    assert!(xml.contains("<sparql"), "{xml}");
    assert!(xml.contains("Mikhail Kalatozov"), "{xml}");
    let (vars, rows) = parse_results(QueryResultsFormat::Xml, &xml);
    assert_eq!(vars, ["name"]);
    assert!(
        rows.iter().any(|r| r == &["\"Mikhail Kalatozov\""]),
        "{xml}"
    );
}

#[test]
fn query_ask_construct_and_file() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);

    let out = query(&store, "json", "ASK { ?f cg:director ?p }");
    let v = json(&out);
    assert_eq!(v["boolean"], serde_json::json!(true), "{out}");
    assert!(!ask(&store, "ASK { ?f cg:director \"nobody\" }"));

    let construct = "CONSTRUCT { ?f cg:director ?p } WHERE { ?f cg:director ?p }";
    let turtle = query(&store, "table", construct);
    let triples = parse_rdf(RdfFormat::Turtle, turtle.as_bytes());
    assert!(!triples.is_empty(), "empty CONSTRUCT result: {turtle}");
    assert!(
        triples
            .iter()
            .all(|q| q.predicate.as_str() == "https://w3id.org/cinegraph/ontology#director"),
        "{turtle}"
    );
    // The other graph formats parse too, with the same triples.
    let nt = query(&store, "tsv", construct);
    assert_eq!(
        parse_rdf(RdfFormat::NTriples, nt.as_bytes()).len(),
        triples.len()
    );
    let rdfxml = query(&store, "xml", construct);
    assert_eq!(
        parse_rdf(RdfFormat::RdfXml, rdfxml.as_bytes()).len(),
        triples.len()
    );
    let jsonld = query(&store, "json", construct);
    let jsonld_format = RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    };
    assert_eq!(
        parse_rdf(jsonld_format, jsonld.as_bytes()).len(),
        triples.len()
    );

    let file = tmp.path().join("directors.rq");
    fs::write(&file, DIRECTORS).unwrap();
    let out = run_ok(&[
        "query",
        "--store",
        s(&store),
        "--file",
        s(&file),
        "--format",
        "json",
    ]);
    assert_eq!(json(&out), json(&query(&store, "json", DIRECTORS)));
}

#[test]
fn export_formats_round_trip() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let export =
        |format: &str| -> String { run_ok(&["export", "--store", s(&store), "--format", format]) };

    let snapshot = parse_rdf(RdfFormat::NQuads, &store_nquads(&store));
    let default_graph = snapshot
        .iter()
        .filter(|q| q.graph_name.is_default_graph())
        .count();
    assert!(default_graph > 0);

    let turtle = run_ok(&["export", "--store", s(&store)]);
    assert!(turtle.contains("@prefix cg:"), "{turtle}");
    assert_eq!(
        parse_rdf(RdfFormat::Turtle, turtle.as_bytes()).len(),
        default_graph
    );
    let explicit = export("turtle");
    assert!(explicit.contains("@prefix cg:"), "{explicit}");
    assert_eq!(
        parse_rdf(RdfFormat::Turtle, explicit.as_bytes()).len(),
        default_graph
    );

    let nt = export("ntriples");
    assert_eq!(
        parse_rdf(RdfFormat::NTriples, nt.as_bytes()).len(),
        default_graph
    );
    let nq = export("nquads");
    assert_eq!(
        parse_rdf(RdfFormat::NQuads, nq.as_bytes()).len(),
        snapshot.len()
    );
    let trig = export("trig");
    assert_eq!(
        parse_rdf(RdfFormat::TriG, trig.as_bytes()).len(),
        snapshot.len()
    );
    let rdfxml = export("rdfxml");
    assert_eq!(
        parse_rdf(RdfFormat::RdfXml, rdfxml.as_bytes()).len(),
        default_graph
    );

    // --output writes the file (and nothing else: no temporary file left behind).
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let out_file = out_dir.join("graph.ttl");
    let stdout = run_ok(&["export", "--store", s(&store), "--output", s(&out_file)]);
    assert!(stdout.is_empty(), "{stdout}");
    let written = fs::read(&out_file).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("@prefix cg:"));
    assert_eq!(parse_rdf(RdfFormat::Turtle, &written).len(), default_graph);
    let entries: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [std::ffi::OsString::from("graph.ttl")]);
}

#[test]
fn export_is_deterministic() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    for format in ["turtle", "nquads"] {
        let first = run_ok(&["export", "--store", s(&store), "--format", format]);
        let second = run_ok(&["export", "--store", s(&store), "--format", format]);
        assert!(
            first == second,
            "exporting the same store twice as {format} gave different bytes; first difference \
             at line {}",
            first
                .lines()
                .zip(second.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |i| i + 1)
        );
    }
    // --output writes what standard output gets.
    let out_file = tmp.path().join("graph.ttl");
    run_ok(&["export", "--store", s(&store), "--output", s(&out_file)]);
    let stdout = run_ok(&["export", "--store", s(&store)]);
    assert!(
        fs::read_to_string(&out_file).unwrap() == stdout,
        "export --output and export to stdout differ"
    );
}

#[test]
fn error_missing_input_file() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("no-such-review.txt");
    let store = tmp.path().join("store");
    let (status, _, stderr) = run(&["extract", s(&missing), "--store", s(&store)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("no-such-review.txt"), "{stderr}");
}

#[test]
fn error_bad_sparql_syntax() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let (status, stdout, stderr) = run(&["query", "--store", s(&store), "SELECT ?x WHERE { ?x"]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("syntax"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    let file = tmp.path().join("bad.rq");
    fs::write(&file, "SELECT ?x WHERE { ?x").unwrap();
    let (status, _, stderr) = run(&["query", "--store", s(&store), "--file", s(&file)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("syntax"), "{stderr}");
    assert!(stderr.contains("bad.rq"), "{stderr}");
}

#[test]
fn error_query_missing_store() {
    let tmp = TempDir::new().unwrap();
    let store = tmp.path().join("nowhere");
    let (status, _, stderr) = run(&["query", "--store", s(&store), DIRECTORS]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains(s(&store)), "{stderr}");
    let (status, _, stderr) = run(&["export", "--store", s(&store)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains(s(&store)), "{stderr}");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Appends `addition` to a copy of the shipped ontology's file `file`, runs `extract` with it
/// and checks the run fails cleanly without writing a store; returns stderr and the number of
/// the first line added.
fn extract_with_broken_ontology_file(file: &str, addition: &str) -> (String, usize) {
    let tmp = TempDir::new().unwrap();
    let ontology = tmp.path().join("ontology");
    copy_dir(&manifest_dir().join("ontology"), &ontology);
    let path = ontology.join(file);
    let mut text = fs::read_to_string(&path).unwrap();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let first_added = text.lines().count() + 1;
    text.push_str(addition);
    fs::write(&path, text).unwrap();
    let store = tmp.path().join("store");
    let (status, _, stderr) = run(&[
        "--ontology",
        s(&ontology),
        "extract",
        s(&example()),
        "--store",
        s(&store),
    ]);
    assert_clean_failure(status, &stderr);
    assert!(!store_exists(&store), "a store was written");
    (stderr, first_added)
}

#[test]
fn error_invalid_rule_file() {
    let (stderr, first) = extract_with_broken_ontology_file(
        "rules/crew.rules",
        "rule broken.rule\n  match PERSON:p\n  emit FILM starred p\n",
    );
    let re = regex::Regex::new(r"crew\.rules:(\d+):(\d+):.*unknown relation").unwrap();
    let caps = re
        .captures(&stderr)
        .unwrap_or_else(|| panic!("no crew.rules:LINE:COL ... unknown relation in: {stderr}"));
    assert_eq!(caps[1].parse::<usize>().unwrap(), first + 2, "{stderr}");
    assert!(caps[2].parse::<usize>().unwrap() >= 1, "{stderr}");
}

/// A bad row of a role-cue file names the file, line and column, and nothing is written.
#[test]
fn error_invalid_cue_file() {
    let (stderr, first) =
        extract_with_broken_ontology_file("rules/roles.cues", "cue\tactor\tperformance\tvery\n");
    let expected = format!("roles.cues:{first}:23: `very` is not a number");
    assert!(stderr.contains(&expected), "no `{expected}` in: {stderr}");
}

#[test]
fn error_update_refused_by_query() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let before = store_nquads(&store);
    let (status, _, stderr) = run(&[
        "query",
        "--store",
        s(&store),
        "INSERT DATA { <a:b> <a:c> <a:d> }",
    ]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("update"), "{stderr}");
    assert_eq!(store_nquads(&store), before);
    assert!(!ask(&store, "ASK { <a:b> <a:c> <a:d> }"));
}

#[test]
fn extract_adds_to_an_existing_store() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let first = count_triples(&store);
    assert!(first > 0);
    assert!(ask(&store, KALATOZOV_DIRECTS));

    let review = tmp.path().join("evil-dead.txt");
    fs::write(&review, EVIL_DEAD).unwrap();
    let stderr = extract(&store, &[&review]);
    assert!(
        summary_line(&stderr).starts_with("extracted 1 review "),
        "{stderr}"
    );
    let second = count_triples(&store);
    assert!(second > first, "count did not grow: {first} -> {second}");
    assert!(
        ask(&store, KALATOZOV_DIRECTS),
        "the first review's facts are gone"
    );
}

#[test]
fn extract_same_input_twice_is_idempotent() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let review = tmp.path().join("evil-dead.txt");
    fs::write(&review, EVIL_DEAD).unwrap();
    extract(&store, &[&review]);
    let once = count_triples(&store);

    extract(&store, &[&review]);
    assert_eq!(
        count_triples(&store),
        once,
        "re-extracting evil-dead.txt changed the store"
    );
    extract(&store, &[&example()]);
    assert_eq!(
        count_triples(&store),
        once,
        "re-extracting the example changed the store"
    );
    assert!(ask(&store, KALATOZOV_DIRECTS));
}

fn jsonl_lines() -> String {
    format!(
        "{}\n{{not json\n{}\n",
        serde_json::json!({"id": "r1", "text": EVIL_DEAD}),
        serde_json::json!({"id": "r3", "rating": 7}),
    )
}

fn assert_jsonl_run(path: &Path, store: &Path) {
    let (status, _, stderr) = run(&["extract", s(path), "--store", s(store)]);
    assert!(status.success(), "extract failed ({status}): {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for line in [2, 3] {
        let location = format!("{}:{line}:", path.display());
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("warning") && l.contains(&location)),
            "no warning at {location} in: {stderr}"
        );
    }
    let location = format!("{}:1:", path.display());
    assert!(
        !stderr.contains(&location),
        "the good line was warned about: {stderr}"
    );
    assert!(
        summary_line(&stderr).starts_with("extracted 1 review "),
        "{stderr}"
    );
    assert!(ask(store, "ASK { ?r a cg:Review ; cg:sourceId \"r1\" }"));
}

#[test]
fn extract_jsonl_with_bad_lines() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("reviews.jsonl");
    fs::write(&path, jsonl_lines()).unwrap();
    assert_jsonl_run(&path, &tmp.path().join("store"));
}

#[test]
fn extract_jsonl_gz_with_bad_lines() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("reviews.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(jsonl_lines().as_bytes()).unwrap();
    fs::write(&path, gz.finish().unwrap()).unwrap();
    assert_jsonl_run(&path, &tmp.path().join("store"));
}

#[test]
fn extract_directory_of_reviews() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("reviews");
    fs::create_dir_all(dir.join("a/b")).unwrap();
    fs::write(dir.join("a/evil-dead.txt"), EVIL_DEAD).unwrap();
    fs::copy(example(), dir.join("a/b/cranes.txt")).unwrap();
    fs::write(dir.join("a/notes.md"), "not a review").unwrap();
    let store = tmp.path().join("store");
    let stderr = extract(&store, &[&dir]);
    assert!(
        summary_line(&stderr).starts_with("extracted 2 reviews "),
        "{stderr}"
    );
    assert!(ask(&store, KALATOZOV_DIRECTS));

    let empty = tmp.path().join("empty");
    fs::create_dir_all(empty.join("sub")).unwrap();
    fs::write(empty.join("sub/readme.md"), "no reviews here").unwrap();
    let (status, _, stderr) = run(&[
        "extract",
        s(&empty),
        "--store",
        s(&tmp.path().join("store2")),
    ]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains(s(&empty)), "{stderr}");
    assert!(stderr.contains(".txt"), "{stderr}");
}

#[test]
fn extract_from_stdin() {
    let tmp = TempDir::new().unwrap();
    let store = tmp.path().join("store");
    let text = fs::read(example()).unwrap();
    let (status, _, stderr) = run_with_stdin(&["extract", "-", "--store", s(&store)], Some(&text));
    assert!(status.success(), "extract - failed ({status}): {stderr}");
    assert!(
        summary_line(&stderr).starts_with("extracted 1 review "),
        "{stderr}"
    );
    assert!(ask(&store, KALATOZOV_DIRECTS));
}

#[test]
fn help_has_examples() {
    for args in [
        &["--help"][..],
        &["extract", "--help"],
        &["query", "--help"],
        &["export", "--help"],
    ] {
        let (status, stdout, stderr) = run(args);
        assert!(status.success(), "{args:?}: {status} {stderr}");
        assert!(stdout.contains("Example"), "{args:?}: {stdout}");
    }
}

#[test]
fn second_writer_is_refused() {
    let tmp = TempDir::new().unwrap();
    let store = tmp.path().join("store");
    fs::create_dir_all(&store).unwrap();
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(store.join("lock"))
        .unwrap();
    lock.try_lock().expect("the test takes the lock");

    let (status, _, stderr) = run(&["extract", s(&example()), "--store", s(&store)]);
    assert_clean_failure(status, &stderr);
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(!store_exists(&store), "a locked store was written");

    drop(lock);
    extract(&store, &[&example()]);
    assert!(store_exists(&store));
}
