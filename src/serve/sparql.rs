//! The SPARQL 1.1 Protocol at `/sparql`: GET `?query=`, POST `application/sparql-query`, POST
//! form-encoded `query=`, with `default-graph-uri` / `named-graph-uri`; results in the format
//! negotiated ([`super::negotiate`]). Read-only: updates are refused with 403 whichever way
//! they come. Each evaluation takes a permit of the concurrency cap and runs on a blocking
//! thread; past the timeout it is cancelled and the client gets 503.

use super::negotiate::{self, Choice};
use super::{AppState, Shared};
use crate::store::{Dataset, FailureKind, QueryAnswer, QueryFailure, query::write_triples};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::CancellationToken;
use oxigraph::sparql::results::QueryResultsSerializer;
use std::sync::Arc;

/// A plain-text answer with a status: every error of the endpoint.
pub(super) fn text(status: StatusCode, message: impl Into<String>) -> Response {
    let mut message = message.into();
    message.push('\n');
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

const READ_ONLY: &str =
    "this endpoint is read-only: SPARQL updates are refused and the store is never changed";

/// Any request to an update path.
pub(super) async fn update_refused() -> Response {
    text(StatusCode::FORBIDDEN, READ_ONLY)
}

/// What a protocol request asks.
#[derive(Default)]
struct Protocol {
    query: Option<String>,
    update: bool,
    dataset: Dataset,
    format: Option<String>,
}

impl Protocol {
    /// Reads form-encoded parameters (a query string or a form body).
    fn read(&mut self, encoded: &[u8]) -> Result<(), Response> {
        for (name, value) in form_urlencoded::parse(encoded) {
            match name.as_ref() {
                "query" if self.query.is_some() => {
                    return Err(text(
                        StatusCode::BAD_REQUEST,
                        "more than one `query` parameter",
                    ));
                }
                "query" => self.query = Some(value.into_owned()),
                "update" | "using-graph-uri" | "using-named-graph-uri" => self.update = true,
                "default-graph-uri" => self.dataset.default_graphs.push(value.into_owned()),
                "named-graph-uri" => self.dataset.named_graphs.push(value.into_owned()),
                "format" | "output" => self.format = Some(value.into_owned()),
                _ => {}
            }
        }
        Ok(())
    }
}

/// GET `/sparql?query=…`.
pub(super) async fn get(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let mut protocol = Protocol::default();
    if let Err(r) = protocol.read(raw.unwrap_or_default().as_bytes()) {
        return r;
    }
    execute(state, protocol, &headers).await
}

/// POST `/sparql`, with the query as the body or in a form.
pub(super) async fn post(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut protocol = Protocol::default();
    if let Err(r) = protocol.read(raw.unwrap_or_default().as_bytes()) {
        return r;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match content_type.as_str() {
        "application/sparql-query" => match String::from_utf8(body.to_vec()) {
            Ok(q) if protocol.query.is_none() => protocol.query = Some(q),
            Ok(_) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "a query in the body and in the URL",
                );
            }
            Err(_) => return text(StatusCode::BAD_REQUEST, "the query is not UTF-8"),
        },
        "application/sparql-update" => return update_refused().await,
        "application/x-www-form-urlencoded" => {
            if let Err(r) = protocol.read(&body) {
                return r;
            }
        }
        other => {
            return text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported content type `{other}`: send application/sparql-query or application/x-www-form-urlencoded"
                ),
            );
        }
    }
    execute(state, protocol, &headers).await
}

/// Negotiates, evaluates within the limits, and writes the answer.
async fn execute(state: Shared, protocol: Protocol, headers: &HeaderMap) -> Response {
    if protocol.update {
        return text(StatusCode::FORBIDDEN, READ_ONLY);
    }
    let Some(query) = protocol.query else {
        return text(
            StatusCode::BAD_REQUEST,
            "missing `query` parameter (GET /sparql?query=…, or POST application/sparql-query)",
        );
    };
    let choice = match &protocol.format {
        Some(f) => match negotiate::from_parameter(f) {
            Some(c) => c,
            None => return text(StatusCode::BAD_REQUEST, format!("unknown format `{f}`")),
        },
        None => {
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
            negotiate::from_accept(accept)
        }
    };
    if choice.results.is_none() && choice.graph.is_none() {
        return not_acceptable();
    }
    let dataset = protocol.dataset;
    let outcome = run_limited(&state, move |state, token| {
        let answer = state.store.evaluate(&query, &dataset, token)?;
        serialize(&answer, choice)
    })
    .await;
    match outcome {
        Ok(Ok(Some((media, body)))) => {
            let media = HeaderValue::from_static(media);
            ([(header::CONTENT_TYPE, media)], body).into_response()
        }
        Ok(Ok(None)) => not_acceptable(),
        Ok(Err(failure)) => failure_response(&failure),
        Err(limited) => limited,
    }
}

fn not_acceptable() -> Response {
    text(
        StatusCode::NOT_ACCEPTABLE,
        "no acceptable format: results are given as application/sparql-results+json, application/sparql-results+xml, text/csv or text/tab-separated-values; graphs as text/turtle, application/n-triples, application/n-quads, application/rdf+xml or application/ld+json",
    )
}

fn failure_response(failure: &QueryFailure) -> Response {
    let status = match failure.kind {
        FailureKind::Syntax | FailureKind::Refused => StatusCode::BAD_REQUEST,
        FailureKind::Update => return text(StatusCode::FORBIDDEN, READ_ONLY),
        FailureKind::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
        FailureKind::Evaluation => StatusCode::INTERNAL_SERVER_ERROR,
    };
    text(status, failure.message.clone())
}

/// The answer in the chosen format, with its media type; `None` when the request accepts no
/// format of this kind of answer.
fn serialize(
    answer: &QueryAnswer,
    choice: Choice,
) -> Result<Option<(&'static str, Vec<u8>)>, QueryFailure> {
    let fail = |e: &dyn std::fmt::Display| QueryFailure {
        kind: FailureKind::Evaluation,
        message: format!("cannot write the results: {e}"),
    };
    let mut body = Vec::new();
    let media = match answer {
        QueryAnswer::Graph(triples) => {
            let Some(format) = choice.graph else {
                return Ok(None);
            };
            write_triples(triples, format, &mut body).map_err(|e| fail(&e))?;
            format.media_type()
        }
        QueryAnswer::Solutions { variables, rows } => {
            let Some(format) = choice.results else {
                return Ok(None);
            };
            let mut ser = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut body, variables.clone())
                .map_err(|e| fail(&e))?;
            for row in rows {
                ser.serialize(row).map_err(|e| fail(&e))?;
            }
            ser.finish().map_err(|e| fail(&e))?;
            format.media_type()
        }
        QueryAnswer::Boolean(value) => {
            let Some(format) = choice.results else {
                return Ok(None);
            };
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut body, *value)
                .map_err(|e| fail(&e))?;
            format.media_type()
        }
    };
    Ok(Some((media, body)))
}

/// Runs `work` on a blocking thread once a permit of the concurrency cap is free, giving up
/// (503) when the timeout passes first; then the work's cancellation token is cancelled (a
/// query stops at its next read of the store). The permit is held until the work really
/// ends, so a query that cannot be cancelled still counts against the cap.
pub(super) async fn run_limited<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&AppState, &CancellationToken) -> T + Send + 'static,
) -> Result<T, Response> {
    let timeout = state.options.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let stopped = || {
        text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "query stopped: it ran longer than the {} s timeout (--timeout)",
                timeout.as_secs_f64()
            ),
        )
    };
    let permit = tokio::time::timeout_at(deadline, state.permits.clone().acquire_owned())
        .await
        .map_err(|_| stopped())?
        .map_err(|_| text(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping"))?;
    let token = CancellationToken::new();
    let worker_token = token.clone();
    let worker_state = Arc::clone(state);
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&worker_state, &worker_token)
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the evaluation failed: {e}"),
        )),
        Err(_) => {
            token.cancel();
            Err(stopped())
        }
    }
}
