//! `cinegraph serve`: a store opened once and served over HTTP (axum on tokio): the SPARQL 1.1
//! Protocol at `/sparql` ([`sparql`], read-only, with a timeout, a body limit and a cap on
//! concurrent evaluations) and a browser workbench ([`pages`]: query editor, label search,
//! entity pages with their evidence, a "try a review" page), whose assets are compiled in
//! ([`assets`]). The library does not print: each request is handed to the caller's log
//! function, and the bound address to its `on_ready`.

mod assets;
mod entity;
mod html;
mod negotiate;
mod pages;
mod sparql;
mod tryout;

use crate::Extractor;
use crate::error::{Error, Result};
use crate::query::labels::LabelIndex;
use crate::store::GraphStore;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address and port to listen on (`127.0.0.1:7878` by default: this machine only).
    pub bind: SocketAddr,
    /// How long a query (waiting for its turn included) may take.
    pub timeout: Duration,
    /// The origin allowed to call the endpoint from a browser page of another site (`*` for
    /// any); `None` sends no CORS header.
    pub cors: Option<String>,
    /// The largest request body accepted, in bytes (larger ones get 413).
    pub max_body: usize,
    /// How many queries (and review extractions) run at once; the others wait their turn.
    pub max_concurrent: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(30),
            cors: None,
            max_body: 1 << 20,
            max_concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// One served request, for the log.
#[derive(Debug, Clone)]
pub struct RequestLog {
    /// HTTP method.
    pub method: String,
    /// Path, without the query string.
    pub path: String,
    /// Response status code.
    pub status: u16,
    /// Time from receiving the request to its response's head.
    pub elapsed: Duration,
}

/// Receives each served request.
pub type LogFn = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// What every handler shares: the store, opened once, and what is read from it up front.
pub(crate) struct AppState {
    store: GraphStore,
    extractor: Extractor,
    labels: LabelIndex,
    options: ServeOptions,
    permits: Arc<Semaphore>,
}

type Shared = Arc<AppState>;

/// Serves `store` until SIGINT or SIGTERM, then returns once the requests in flight are
/// answered. `on_ready` gets the address bound (with port 0, the one the system chose).
pub fn serve(
    store: GraphStore,
    extractor: Extractor,
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr),
    log: LogFn,
) -> Result<()> {
    let labels = LabelIndex::of_store(&store)?;
    let state = Arc::new(AppState {
        permits: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
        store,
        extractor,
        labels,
        options,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("<tokio runtime>", e))?;
    runtime.block_on(async move {
        let bind = state.options.bind;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {bind}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io("<socket>", e))?;
        on_ready(local);
        axum::serve(listener, router(state, log))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::io("<server>", e))
    })
}

/// Every route, with the log, the security headers, the body limit and (when asked) CORS.
fn router(state: Shared, log: LogFn) -> Router {
    let max_body = state.options.max_body;
    let cors = state.options.cors.clone();
    let mut app = Router::new()
        .route("/", get(pages::workbench))
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/update", any(sparql::update_refused))
        .route("/update/{*rest}", any(sparql::update_refused))
        .route("/sparql/update", any(sparql::update_refused))
        .route("/search", get(pages::search))
        .route("/entity", get(pages::entity))
        .route("/try", get(tryout::form).post(tryout::run))
        .route("/assets/{*path}", get(assets::serve))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .fallback(pages::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::map_response(security_headers));
    if let Some(origin) = cors {
        app = app.layer(cors_layer(&origin));
    }
    app.layer(middleware::from_fn_with_state(log, log_request))
}

fn cors_layer(origin: &str) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let allow = match HeaderValue::from_str(origin) {
        Ok(_) if origin == "*" => AllowOrigin::any(),
        Ok(value) => AllowOrigin::exact(value),
        Err(_) => AllowOrigin::list([]),
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
}

/// The content-security policy of every response: only this server's own scripts and styles,
/// no inline script, no framing. The one inline style allowed, by its hash, is the rule
/// Cytoscape.js adds to the page head (`.__________cytoscape_container { position: relative; }`);
/// the browser test fails on any other CSP violation.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn log_request(State(log): State<LogFn>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    log(&RequestLog {
        method,
        path,
        status: response.status().as_u16(),
        elapsed: start.elapsed(),
    });
    response
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
