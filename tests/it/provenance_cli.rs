//! CLI tests of provenance: `explain`, `graph`, `--min-confidence` on query and export, the
//! RDF 1.1 and JSON-LD exports (parsed by Python rdflib, a third-party parser, when it is
//! installed) and the RDF 1.2 snapshot round trip.

use crate::common;
use common::{parse_rdf, store_nquads};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::Term;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cinegraph"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("CINEGRAPH_ONTOLOGY", manifest_dir().join("ontology"))
        .stdin(Stdio::null())
        .output()
        .expect("cinegraph runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run_ok(args: &[&str]) -> String {
    let (ok, stdout, stderr) = run(args);
    assert!(ok, "cinegraph {args:?} failed: {stderr}");
    stdout
}

fn example_store(tmp: &TempDir) -> PathBuf {
    let store = tmp.path().join("store");
    let example = manifest_dir().join("examples/the-cranes-are-flying.txt");
    run_ok(&["extract", s(&example), "--store", s(&store), "--quiet"]);
    store
}

fn ask(store: &Path, extra: &[&str], query: &str) -> bool {
    let mut args = vec!["query", "--store", s(store), "--format", "csv"];
    args.extend_from_slice(extra);
    args.push(query);
    run_ok(&args).trim().ends_with("true")
}

#[test]
fn snapshot_round_trips_with_triple_terms() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let snapshot = store_nquads(&store);
    let quads = parse_rdf(RdfFormat::NQuads, &snapshot);
    assert!(
        quads.iter().any(|q| matches!(q.object, Term::Triple(_))),
        "no RDF 1.2 reifier in the snapshot"
    );
    // Extracting the same review again changes no byte.
    let example = manifest_dir().join("examples/the-cranes-are-flying.txt");
    run_ok(&["extract", s(&example), "--store", s(&store), "--quiet"]);
    assert_eq!(store_nquads(&store), snapshot);
    // Reifiers are queryable with SPARQL 1.2 triple terms.
    assert!(ask(
        &store,
        &[],
        "ASK { ?r rdf:reifies <<( ?f cg:director ?p )>> ; cg:rule \"lexicon.credit\" ; cg:confidence ?c . ?p rdfs:label \"Mikhail Kalatozov\" }"
    ));
    // Every mention of Kalatozov, with its words.
    let mentions = run_ok(&[
        "query",
        "--store",
        s(&store),
        "--format",
        "tsv",
        "SELECT ?surface WHERE { ?m rdf:reifies <<( ?p cg:mentionedIn ?r )>> ; cg:surface ?surface . ?p rdfs:label \"Mikhail Kalatozov\" } ORDER BY ?surface",
    ]);
    assert!(mentions.contains("\"Kalatozov\""), "{mentions}");
    assert!(mentions.contains("\"Mikhail Kalatozov\""), "{mentions}");
}

#[test]
fn explain_shows_each_support() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let text = run_ok(&[
        "explain",
        "--store",
        s(&store),
        "the cranes are flying",
        "cinematographer",
    ]);
    assert!(
        text.starts_with(
            "The Cranes Are Flying  cinematographer  Sergey Urusevsky  (2 occurrences in 1 review)"
        ),
        "{text}"
    );
    // Not a terminal: the matched words are in brackets, no ANSI escape.
    assert!(text.contains("[cameraman Sergei Uresevsky]"), "{text}");
    assert!(
        text.contains("rule cinematographer.cue (fuzzy link"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "{text}");
    // A surname, the object side and JSON.
    let json = run_ok(&[
        "explain",
        "--store",
        s(&store),
        "Kalatozov",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let facts = v.as_array().unwrap();
    assert!(
        facts
            .iter()
            .any(|f| f["relation"] == "director" && f["object_label"] == "Mikhail Kalatozov"),
        "{json}"
    );
    let support = &facts[0]["supports"][0];
    for key in [
        "review",
        "rule",
        "method",
        "confidence",
        "sentence",
        "begin",
        "end",
    ] {
        assert!(!support[key].is_null(), "no {key} in {support}");
    }
    // plays is read person -> character; an unknown name is a clean error.
    let (ok, _, stderr) = run(&["explain", "--store", s(&store), "Nobody Atall"]);
    assert!(!ok && stderr.contains("no entity is labelled"), "{stderr}");
    let (ok, _, stderr) = run(&["explain", "--store", s(&store), "Boris", "haunts"]);
    assert!(!ok && stderr.contains("unknown relation"), "{stderr}");
}

#[test]
fn min_confidence_filters_query_and_export() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    // Kalatozov directs only by lexicon corroboration (0.7).
    let kalatozov = "ASK { ?f cg:director ?p . ?p rdfs:label \"Mikhail Kalatozov\" }";
    assert!(ask(&store, &["--min-confidence", "0.7"], kalatozov));
    assert!(!ask(&store, &["--min-confidence", "0.75"], kalatozov));
    // No occurrence below the threshold is left either.
    assert!(!ask(
        &store,
        &["--min-confidence", "0.8"],
        "ASK { ?r cg:confidence ?c FILTER(?c < 0.8) }"
    ));
    let count = |extra: &[&str]| -> usize {
        let mut args = vec!["export", "--store", s(&store), "--format", "ntriples"];
        args.extend_from_slice(extra);
        let nt = run_ok(&args);
        parse_rdf(RdfFormat::NTriples, nt.as_bytes())
            .iter()
            .filter(|q| cinegraph::model::Relation::from_property(q.predicate.as_str()).is_some())
            .count()
    };
    let (all, high) = (count(&[]), count(&["--min-confidence", "0.8"]));
    assert!(high > 0 && high < all, "{high} of {all} facts kept");
    let (ok, _, stderr) = run(&["export", "--store", s(&store), "--min-confidence", "2"]);
    assert!(!ok && stderr.contains("between 0 and 1"), "{stderr}");
}

/// Parses `file` with Python rdflib and returns its triple count, or None (with a visible
/// message) when python3 or rdflib is missing.
fn rdflib_count(file: &Path, format: &str) -> Option<usize> {
    let script = "import sys, rdflib\ng = rdflib.Graph()\ng.parse(sys.argv[1], format=sys.argv[2])\nprint(len(g))";
    let out = Command::new("python3")
        .args(["-c", script, s(file), format])
        .output();
    let out = match out {
        Ok(out) => out,
        Err(_) => {
            eprintln!("SKIPPED: python3 is not installed; the rdflib check did not run");
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && stderr.contains("No module named 'rdflib'") {
        eprintln!(
            "SKIPPED: Python rdflib is not installed (pip install rdflib); the check did not run"
        );
        return None;
    }
    assert!(
        out.status.success(),
        "rdflib rejects {}: {stderr}",
        file.display()
    );
    Some(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap())
}

#[test]
fn rdf11_exports_parse_with_rdflib() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let rdf11 = tmp.path().join("graph-rdf11.ttl");
    run_ok(&[
        "export",
        "--store",
        s(&store),
        "--rdf11",
        "--output",
        s(&rdf11),
    ]);
    let text = fs::read_to_string(&rdf11).unwrap();
    assert!(
        !text.contains("<<("),
        "RDF 1.2 syntax in the RDF 1.1 export"
    );
    assert!(text.contains("a rdf:Statement"), "no reification");
    let quads = parse_rdf(RdfFormat::Turtle, text.as_bytes());
    // Each reifier became a statement with subject, predicate and object.
    let statements = quads
        .iter()
        .filter(|q| q.object.to_string() == format!("<{}>", cinegraph::vocab::RDF_STATEMENT))
        .count();
    let reifiers = parse_rdf(RdfFormat::NQuads, &store_nquads(&store))
        .iter()
        .filter(|q| q.predicate.as_str() == cinegraph::vocab::RDF_REIFIES)
        .count();
    assert_eq!(statements, reifiers);

    let none = tmp.path().join("graph-none.nt");
    run_ok(&[
        "export",
        "--store",
        s(&store),
        "--provenance",
        "none",
        "--format",
        "ntriples",
        "--output",
        s(&none),
    ]);
    let plain = fs::read_to_string(&none).unwrap();
    assert!(!plain.contains("<<(") && !plain.contains("/occurrence/"));

    let jsonld = tmp.path().join("graph.jsonld");
    run_ok(&[
        "export",
        "--store",
        s(&store),
        "--format",
        "jsonld",
        "--output",
        s(&jsonld),
    ]);
    let json_quads = parse_rdf(
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        &fs::read(&jsonld).unwrap(),
    );
    assert_eq!(json_quads.len(), quads.len());
    let (ok, _, stderr) = run(&[
        "export",
        "--store",
        s(&store),
        "--format",
        "jsonld",
        "--provenance",
        "rdf12",
    ]);
    assert!(!ok && stderr.contains("JSON-LD"), "{stderr}");

    // A third-party RDF 1.1 parser reads the same triples.
    if let Some(n) = rdflib_count(&rdf11, "turtle") {
        assert_eq!(
            n,
            quads.len(),
            "rdflib and Oxigraph disagree on {}",
            rdf11.display()
        );
    }
    if let Some(n) = rdflib_count(&none, "nt") {
        assert_eq!(n, parse_rdf(RdfFormat::NTriples, plain.as_bytes()).len());
    }
    if let Some(n) = rdflib_count(&jsonld, "json-ld") {
        assert_eq!(n, quads.len());
    }
}

#[test]
fn graph_dot_path_and_rank() {
    let tmp = TempDir::new().unwrap();
    let store = example_store(&tmp);
    let dot = run_ok(&["graph", "--store", s(&store)]);
    assert!(dot.starts_with("digraph cinegraph {") && dot.trim_end().ends_with('}'));
    assert!(
        dot.contains("[label=\"The Cranes Are Flying\", fillcolor="),
        "{dot}"
    );
    assert!(dot.contains("[label=\"cinematographer\"]"), "{dot}");
    // Every edge joins declared nodes.
    let nodes: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("fillcolor"))
        .map(|l| l.trim().split(' ').next().unwrap())
        .collect();
    for edge in dot.lines().filter(|l| l.contains(" -> ")) {
        let mut ends = edge.trim().split(' ');
        let (a, _, b) = (ends.next().unwrap(), ends.next(), ends.next().unwrap());
        assert!(nodes.contains(&a) && nodes.contains(&b), "{edge}");
    }
    match Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(dot.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "dot rejects the graph: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
        }
        Err(_) => {
            eprintln!("SKIPPED: graphviz `dot` is not installed; DOT checked structurally only")
        }
    }

    let focus = run_ok(&[
        "graph",
        "--store",
        s(&store),
        "--focus",
        "Ivan the Terrible",
    ]);
    assert!(
        focus.contains("Sergei Eisenstein") && !focus.contains("Boris"),
        "{focus}"
    );

    let path = run_ok(&[
        "graph",
        "--store",
        s(&store),
        "--path",
        "Samoilova",
        "Kalatozov",
    ]);
    assert!(
        path.contains("Tatiana Samoilova") && path.contains("director  Mikhail Kalatozov"),
        "{path}"
    );
    let (ok, _, stderr) = run(&[
        "graph",
        "--store",
        s(&store),
        "--path",
        "Kalatozov",
        "Eisenstein",
    ]);
    assert!(!ok && stderr.contains("no chain of facts"), "{stderr}");

    let rank = run_ok(&[
        "graph",
        "--store",
        s(&store),
        "--rank",
        "--format",
        "json",
        "--top",
        "3",
    ]);
    let v: serde_json::Value = serde_json::from_str(&rank).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["entity"]["label"], "The Cranes Are Flying", "{rank}");

    let json = run_ok(&[
        "graph",
        "--store",
        s(&store),
        "--format",
        "json",
        "--min-confidence",
        "0.8",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["relation"] != "director"),
        "{json}"
    );
}
