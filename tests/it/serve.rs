//! `cinegraph serve` over HTTP, against the real binary on a free port: the SPARQL 1.1
//! Protocol (each method, each format, the dataset parameters, 400 / 403 / 406 / 413 / 503),
//! the limits, CORS, the log and a clean stop on SIGTERM, and the workbench's pages (escaped,
//! with a content-security policy).

use super::common::{parse_rdf, store_nquads};
use super::serve_support::{Server, client, encoded, example_store, read};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};

const DIRECTORS: &str =
    "SELECT ?name WHERE { ?f cg:director ?p . ?p rdfs:label ?name } ORDER BY ?name";
const FILM_GRAPH: &str = "CONSTRUCT { ?f ?p ?o } WHERE { ?f a cg:Film ; cg:imdbId ?id ; ?p ?o }";

/// The `?name` values of a SELECT answer in a results format (CSV, which Oxigraph does not
/// parse back, is read as lines).
fn names(format: QueryResultsFormat, body: &str) -> Vec<String> {
    if format == QueryResultsFormat::Csv {
        let mut lines = body.lines();
        assert_eq!(lines.next(), Some("name"), "{body}");
        return lines.map(str::to_string).collect();
    }
    let parsed = QueryResultsParser::from_format(format)
        .for_reader(body.as_bytes())
        .unwrap_or_else(|e| panic!("invalid {format:?} ({e}): {body}"));
    let ReaderQueryResultsParserOutput::Solutions(rows) = parsed else {
        panic!("not solutions: {body}");
    };
    rows.map(|row| {
        let row = row.expect("a row");
        match row.get("name") {
            Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
            other => panic!("not a literal name: {other:?}"),
        }
    })
    .collect()
}

#[test]
fn get_post_and_form_give_every_results_format() {
    let server = Server::start(example_store(), &[]);
    let http = client();
    let expected = vec![
        "Mikhail Kalatozov".to_string(),
        "Sergei Eisenstein".to_string(),
    ];
    // GET without Accept: SPARQL results JSON.
    let (status, media, body) = read(
        http.get(server.at(&format!("/sparql?query={}", encoded(DIRECTORS))))
            .call(),
    );
    assert_eq!(
        (status, media.as_str()),
        (200, "application/sparql-results+json"),
        "{body}"
    );
    assert_eq!(names(QueryResultsFormat::Json, &body), expected);
    let formats = [
        (QueryResultsFormat::Xml, "application/sparql-results+xml"),
        (QueryResultsFormat::Csv, "text/csv"),
        (QueryResultsFormat::Tsv, "text/tab-separated-values"),
        (QueryResultsFormat::Json, "application/sparql-results+json"),
    ];
    for (format, accept) in formats {
        // POST application/sparql-query.
        let (status, media, body) = read(
            http.post(server.at("/sparql"))
                .header("Content-Type", "application/sparql-query")
                .header("Accept", accept)
                .send(DIRECTORS),
        );
        assert_eq!(status, 200, "{body}");
        assert!(media.starts_with(accept), "{media} for {accept}");
        assert_eq!(names(format, &body), expected, "{accept}");
        // POST form-encoded.
        let (status, _, body) = read(
            http.post(server.at("/sparql"))
                .header("Accept", &format!("text/html;q=0.9, {accept}"))
                .send_form([("query", DIRECTORS)]),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(names(format, &body), expected, "form, {accept}");
    }
    // ASK, and the `format` parameter of download links.
    let ask = encoded("ASK { ?f cg:director ?p }");
    let (status, media, body) = read(
        http.get(server.at(&format!("/sparql?query={ask}&format=xml")))
            .call(),
    );
    assert_eq!(
        (status, media.as_str()),
        (200, "application/sparql-results+xml")
    );
    assert!(body.contains("<boolean>true</boolean>"), "{body}");
}

#[test]
fn graphs_come_in_every_rdf_format() {
    let server = Server::start(example_store(), &[]);
    let http = client();
    let url = server.at(&format!("/sparql?query={}", encoded(FILM_GRAPH)));
    let (status, media, turtle) = read(http.get(&url).call());
    assert_eq!(
        (status, media.as_str()),
        (200, "text/turtle"),
        "default for graphs"
    );
    let expected = parse_rdf(RdfFormat::Turtle, turtle.as_bytes()).len();
    assert!(expected >= 8, "{turtle}");
    let formats = [
        (RdfFormat::NTriples, "application/n-triples"),
        (RdfFormat::NQuads, "application/n-quads"),
        (RdfFormat::RdfXml, "application/rdf+xml"),
        (
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            "application/ld+json",
        ),
    ];
    for (format, accept) in formats {
        let (status, media, body) = read(http.get(&url).header("Accept", accept).call());
        assert_eq!(status, 200, "{accept}: {body}");
        assert!(media.starts_with(accept), "{media} for {accept}");
        assert_eq!(
            parse_rdf(format, body.as_bytes()).len(),
            expected,
            "{accept}"
        );
    }
    // A results-only Accept has no format for a graph, and nothing at all for an image.
    let (status, _, body) = read(http.get(&url).header("Accept", "text/csv").call());
    assert_eq!(status, 406, "{body}");
    let select = server.at(&format!("/sparql?query={}", encoded(DIRECTORS)));
    let (status, _, body) = read(http.get(&select).header("Accept", "image/png").call());
    assert_eq!(status, 406, "{body}");
    assert!(body.contains("application/sparql-results+json"), "{body}");
}

#[test]
fn dataset_parameters_choose_the_graphs() {
    let server = Server::start(example_store(), &[]);
    let http = client();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let n = |extra: &str| {
        let url = server.at(&format!(
            "/sparql?query={}{extra}&format=csv",
            encoded(count)
        ));
        let (status, _, body) = read(http.get(&url).call());
        assert_eq!(status, 200, "{body}");
        body.lines()
            .nth(1)
            .unwrap_or_default()
            .trim()
            .parse::<usize>()
            .expect("a count")
    };
    assert!(n("") > 100);
    // A graph the store does not have: an empty default graph.
    assert_eq!(n("&default-graph-uri=https%3A%2F%2Fexample.org%2Fnone"), 0);
    let named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let url = server.at(&format!(
        "/sparql?query={}&named-graph-uri=https%3A%2F%2Fexample.org%2Fnone&format=csv",
        encoded(named)
    ));
    let (status, _, body) = read(http.get(&url).call());
    assert_eq!(
        (status, body.lines().nth(1).map(str::trim)),
        (200, Some("0")),
        "{body}"
    );
    let (status, _, body) = read(
        http.get(server.at("/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"))
            .call(),
    );
    assert_eq!(status, 400, "{body}");
}

#[test]
fn bad_queries_updates_and_service_calls_are_refused() {
    let store = example_store();
    let before = store_nquads(store);
    let server = Server::start(store, &[]);
    let http = client();
    // A syntax error names line and column.
    let (status, _, body) = read(
        http.post(server.at("/sparql"))
            .header("Content-Type", "application/sparql-query")
            .send("SELECT ?x WHERE {\n  ?x cg:director \n"),
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("syntax error") && body.contains("3:1"),
        "{body}"
    );
    let update =
        "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }";
    let refused = [
        read(
            http.post(server.at("/sparql"))
                .header("Content-Type", "application/sparql-update")
                .send(update),
        ),
        read(
            http.post(server.at("/sparql"))
                .send_form([("update", update)]),
        ),
        read(
            http.post(server.at("/sparql"))
                .send_form([("query", update)]),
        ),
        read(
            http.post(server.at("/update"))
                .header("Content-Type", "application/sparql-update")
                .send(update),
        ),
        read(
            http.get(server.at(&format!("/update?update={}", encoded(update))))
                .call(),
        ),
    ];
    for (status, _, body) in refused {
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("read-only"), "{body}");
    }
    let service = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }";
    let (status, _, body) = read(
        http.get(server.at(&format!("/sparql?query={}", encoded(service))))
            .call(),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("SERVICE"), "{body}");
    let (status, _, _) = read(http.get(server.at("/sparql")).call());
    assert_eq!(status, 400, "no query");
    let (status, _, _) = read(
        http.post(server.at("/sparql"))
            .header("Content-Type", "text/plain")
            .send("ASK {}"),
    );
    assert_eq!(status, 415);
    let (status, log) = server.stop();
    assert!(status.success(), "{status}: {log}");
    assert_eq!(store_nquads(store), before, "the store changed");
}

#[test]
fn limits_body_size_and_time() {
    let server = Server::start(example_store(), &["--max-body", "2000", "--timeout", "1"]);
    let http = client();
    let big = format!("ASK {{}} #{}", "x".repeat(5000));
    let (status, _, body) = read(
        http.post(server.at("/sparql"))
            .header("Content-Type", "application/sparql-query")
            .send(big.as_str()),
    );
    assert_eq!(status, 413, "{body}");
    // A query that reads the store forever (a cross product of its quads) is stopped.
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let start = std::time::Instant::now();
    let (status, _, body) = read(
        http.get(server.at(&format!("/sparql?query={}", encoded(runaway))))
            .call(),
    );
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("timeout"), "{body}");
    assert!(
        start.elapsed().as_secs_f64() < 10.0,
        "{:?}",
        start.elapsed()
    );
    // The server goes on answering.
    let (status, _, body) = read(http.get(server.at("/sparql?query=ASK%7B%7D")).call());
    assert_eq!(status, 200, "{body}");
}

#[test]
fn cors_is_off_unless_asked() {
    let origin = "https://scholar.example.org";
    let ask = "/sparql?query=ASK%7B%7D";
    let server = Server::start(example_store(), &[]);
    let answer = client()
        .get(server.at(ask))
        .header("Origin", origin)
        .call()
        .expect("answer");
    assert!(
        answer
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    drop(server);
    let server = Server::start(example_store(), &["--cors", origin]);
    let answer = client()
        .get(server.at(ask))
        .header("Origin", origin)
        .call()
        .expect("answer");
    assert_eq!(
        answer
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some(origin)
    );
}

#[test]
fn logs_each_request_and_stops_cleanly_on_sigterm() {
    let server = Server::start(example_store(), &[]);
    let (status, _, _) = read(client().get(server.at("/sparql?query=ASK%7B%7D")).call());
    assert_eq!(status, 200);
    let (status, _, _) = read(client().get(server.at("/nowhere")).call());
    assert_eq!(status, 404);
    let (exit, log) = server.stop();
    assert!(exit.success(), "{exit}: {log}");
    assert!(log.contains("GET /sparql 200 "), "{log}");
    assert!(log.contains("GET /nowhere 404 "), "{log}");
    assert!(
        log.contains("ready in") && log.trim_end().ends_with("stopped"),
        "{log}"
    );
}

#[test]
fn workbench_pages_are_escaped_and_carry_a_csp() {
    let server = Server::start(example_store(), &[]);
    let http = client();
    let answer = http.get(server.at("/")).call().expect("answer");
    let csp = answer
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let (status, _, home) = read(Ok(answer));
    assert_eq!(status, 200);
    assert!(
        home.contains("id=\"query\"") && home.contains("codemirror.js"),
        "{home}"
    );
    for asset in [
        "/assets/workbench.js",
        "/assets/graph.js",
        "/assets/vendor/cytoscape-3.35.0/LICENSE",
    ] {
        let (status, _, body) = read(http.get(server.at(asset)).call());
        assert_eq!(status, 200, "{asset}");
        assert!(!body.is_empty(), "{asset}");
    }
    let (status, _, search) = read(http.get(server.at("/search?q=kalatozov")).call());
    assert_eq!(status, 200);
    assert!(search.contains(">Mikhail Kalatozov</a>"), "{search}");
    let (_, _, search) = read(
        http.get(server.at("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
            .call(),
    );
    assert!(
        !search.contains("<script>alert") && search.contains("&lt;script&gt;"),
        "{search}"
    );
    let film = "https://w3id.org/cinegraph/id/film/tt0050634";
    let (status, _, page) = read(
        http.get(server.at(&format!("/entity?iri={}", encoded(film))))
            .call(),
    );
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("The Cranes Are Flying")
            && page.contains("https://www.imdb.com/title/tt0050634/"),
        "{page}"
    );
    assert!(
        page.contains("cinematographer.cue") && page.contains("<mark>"),
        "{page}"
    );
    assert!(
        page.contains("id=\"graph-data\"") && page.contains("Sergey Urusevsky"),
        "{page}"
    );
    let (status, _, _) = read(
        http.get(server.at("/entity?iri=https%3A%2F%2Fexample.org%2Fnothing"))
            .call(),
    );
    assert_eq!(status, 404);
    let review = "A fine thriller directed by Kevin Tenney. <script>alert('x')</script> <img src=x onerror=alert(1)>";
    let (status, _, tried) = read(http.post(server.at("/try")).send_form([("text", review)]));
    assert_eq!(status, 200, "{tried}");
    assert!(
        !tried.contains("<script>alert") && !tried.contains("<img src=x"),
        "{tried}"
    );
    assert!(
        tried.contains("&lt;script&gt;") && tried.contains("Kevin Tenney"),
        "{tried}"
    );
    assert!(
        tried.contains("director") && tried.contains("class=\"mention"),
        "{tried}"
    );
}
