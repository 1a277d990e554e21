//! The workbench's static files, compiled into the binary (`include_bytes!`): its own script
//! and style sheet, and the vendored CodeMirror 5 (editor, SPARQL mode) and Cytoscape.js
//! (graph drawing), each with its licence (`assets/vendor/README.md`). No network is needed.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Path under `/assets/`, media type, bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "workbench.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/workbench.js"),
    ),
    (
        "graph.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graph.js"),
    ),
    (
        "workbench.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/workbench.css"),
    ),
    (
        "vendor/codemirror-5.65.20/codemirror.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/codemirror-5.65.20/codemirror.js"),
    ),
    (
        "vendor/codemirror-5.65.20/sparql.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/codemirror-5.65.20/sparql.js"),
    ),
    (
        "vendor/codemirror-5.65.20/codemirror.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/vendor/codemirror-5.65.20/codemirror.css"),
    ),
    (
        "vendor/codemirror-5.65.20/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/vendor/codemirror-5.65.20/LICENSE"),
    ),
    (
        "vendor/cytoscape-3.35.0/cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/cytoscape-3.35.0/cytoscape.min.js"),
    ),
    (
        "vendor/cytoscape-3.35.0/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/vendor/cytoscape-3.35.0/LICENSE"),
    ),
    (
        "vendor/README.md",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/vendor/README.md"),
    ),
];

/// GET `/assets/{path}`: a compiled-in file, cached for a day.
pub(super) async fn serve(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, media, bytes)) => (
            [
                (header::CONTENT_TYPE, *media),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset\n").into_response(),
    }
}
