//! Third-party SPARQL clients against `cinegraph serve`: Python's SPARQLWrapper and rdflib's
//! `SPARQLStore` (`tests/clients/sparql_clients.py`). Skipped with a message when python3 or
//! the packages are missing, except in CI (`CI` set), where `.ci/run` installs them and a
//! missing one fails.

use super::serve_support::{Server, example_store, required, resource};
use std::process::Command;

/// Whether python3 can import the modules; `None` (after a message, or a failure in CI)
/// when it cannot.
fn python_with(modules: &str) -> Option<()> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output();
    let missing = match probe {
        Ok(out) if out.status.success() => return Some(()),
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
        Err(e) => format!("python3: {e}"),
    };
    assert!(
        !required(),
        "CI installs python3 with {modules}, but: {missing}"
    );
    eprintln!(
        "SKIPPED: python3 with {modules} is not installed ({missing}); pip install SPARQLWrapper rdflib"
    );
    None
}

#[test]
fn sparqlwrapper_and_rdflib_query_the_endpoint() {
    if python_with("SPARQLWrapper, rdflib").is_none() {
        return;
    }
    let server = Server::start(example_store(), &[]);
    let out = Command::new("python3")
        .arg(resource("tests/clients/sparql_clients.py"))
        .arg(server.at("/sparql"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (_, log) = server.stop();
    assert!(
        out.status.success(),
        "clients failed:\n{stdout}\n{stderr}\nserver log:\n{log}"
    );
    assert!(stdout.contains("all client checks passed"), "{stdout}");
    // The clients' requests are in the log: GET and POST, and the refused update.
    assert!(
        log.contains("GET /sparql 200") && log.contains("POST /sparql 200"),
        "{log}"
    );
    assert!(log.contains("POST /sparql 403"), "{log}");
}
