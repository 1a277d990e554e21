//! `cinegraph serve`: opens the store and the extractor once, prints the URL, serves until
//! SIGINT/SIGTERM, and writes one log line per request to stderr.

use super::args::ServeArgs;
use cinegraph::Extractor;
use cinegraph::error::Error;
use cinegraph::serve::{RequestLog, ServeOptions, serve};
use cinegraph::store::{self, GraphStore};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub(super) fn run(ontology: &Path, args: &ServeArgs) -> Result<ExitCode, Error> {
    let start = Instant::now();
    let store = GraphStore::open_read(&args.store)?;
    let quads = store.len()?;
    let extractor = Extractor::load(ontology)?;
    let mut options = ServeOptions {
        bind: args.bind,
        timeout: args.timeout,
        cors: args.cors.clone(),
        max_body: args.max_body,
        ..ServeOptions::default()
    };
    if let Some(n) = args.max_concurrent {
        options.max_concurrent = usize::from(n);
    }
    let store_dir = args.store.display().to_string();
    let on_ready = move |addr: std::net::SocketAddr| {
        eprintln!(
            "store {store_dir} ({quads} quads, {} backend) ready in {:.2} s",
            store::BACKEND,
            start.elapsed().as_secs_f64()
        );
        println!("Cinegraph workbench: http://{addr}/  (SPARQL endpoint: http://{addr}/sparql)");
        let _ = std::io::stdout().flush();
        eprintln!("Ctrl-C stops the server");
    };
    let log = Arc::new(|r: &RequestLog| {
        eprintln!(
            "{} {} {} {:.1} ms",
            r.method,
            r.path,
            r.status,
            r.elapsed.as_secs_f64() * 1000.0
        );
    });
    serve(store, extractor, options, on_ready, log)?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}
