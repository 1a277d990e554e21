//! The workbench's pages, rendered on the server with every value escaped ([`super::html`]):
//! the query editor at `/`, the label search, entity pages and the 404 page. The query editor
//! runs its queries against `/sparql` from its script (`assets/workbench.js`).

use super::entity::{EntityView, MAX_LISTED, Node, Statement, entity_view};
use super::html::{data_island, entity_link, esc, page};
use super::sparql::text;
use super::{Shared, sparql::run_limited};
use crate::query::explain::Explained;
use crate::vocab;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;

/// The example queries of the editor: a name and the query.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Directors of a film",
        "SELECT ?film ?director WHERE {\n  ?f a cg:Film ; rdfs:label ?film ; cg:director ?d .\n  ?d rdfs:label ?director .\n  FILTER(CONTAINS(LCASE(?film), \"cranes\"))\n}\nORDER BY ?film ?director\nLIMIT 100",
    ),
    (
        "Films of a person",
        "SELECT ?film ?relation WHERE {\n  ?p rdfs:label \"Sergei Eisenstein\" .\n  ?f ?property ?p ; a cg:Film ; rdfs:label ?film .\n  ?property rdfs:label ?relation .\n}\nORDER BY ?film",
    ),
    (
        "Who is praised most (people named in reviews rated 8 or more)",
        "SELECT ?person ?name (COUNT(DISTINCT ?review) AS ?reviews) WHERE {\n  ?person a cg:Person ; rdfs:label ?name ; cg:mentionedIn ?review .\n  ?review cg:rating ?rating .\n  FILTER(?rating >= 8)\n}\nGROUP BY ?person ?name\nORDER BY DESC(?reviews) ?name\nLIMIT 20",
    ),
    (
        "Facts per relation",
        "SELECT ?relation (COUNT(*) AS ?facts) WHERE {\n  ?s ?p ?o .\n  ?p rdfs:label ?relation ; rdfs:domain|rdfs:range [] .\n  FILTER(STRSTARTS(STR(?p), STR(cg:)))\n}\nGROUP BY ?relation\nORDER BY DESC(?facts)",
    ),
    (
        "Facts with their evidence (RDF 1.2 reifiers)",
        "SELECT ?subject ?property ?object ?rule ?confidence ?evidence WHERE {\n  ?occurrence rdf:reifies <<( ?s ?property ?o )>> ;\n    cg:rule ?rule ; cg:confidence ?confidence ; cg:evidence ?evidence .\n  ?s rdfs:label ?subject .\n  OPTIONAL { ?o rdfs:label ?label }\n  BIND(COALESCE(?label, ?o) AS ?object)\n}\nORDER BY DESC(?confidence) ?rule\nLIMIT 50",
    ),
    (
        "A film as a graph (CONSTRUCT)",
        "CONSTRUCT { ?f ?p ?o } WHERE {\n  ?f a cg:Film ; rdfs:label ?title ; ?p ?o .\n  FILTER(CONTAINS(LCASE(?title), \"cranes\"))\n}",
    ),
];

/// GET `/`: the query editor.
pub(super) async fn workbench(State(state): State<Shared>) -> Html<String> {
    let mut body = String::new();
    let prefixes: Vec<String> = vocab::PREFIXES
        .iter()
        .chain(vocab::QUERY_PREFIXES)
        .map(|(p, iri)| format!("<code title=\"{}\">{}:</code>", esc(iri), esc(p)))
        .collect();
    let _ = write!(
        body,
        "<h1>Query the graph</h1><p class=\"note\">{} labelled entities. Predeclared prefixes: {}. \
         Read-only SPARQL 1.1 endpoint: <code>/sparql</code>.</p>\
         <div class=\"toolbar\"><label>Example <select id=\"examples\"></select></label>\
         <button id=\"run\" type=\"button\">Run</button> <span class=\"note\">Ctrl-Enter runs</span>\
         <span id=\"status\" role=\"status\"></span></div>\
         <textarea id=\"query\" spellcheck=\"false\">{}</textarea>\
         <p id=\"downloads\" class=\"downloads\" hidden></p><div id=\"results\"></div>",
        state.labels.len(),
        prefixes.join(" "),
        esc(EXAMPLES[0].1)
    );
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, query)| serde_json::json!({"name": name, "query": query}))
        .collect();
    body.push_str(&data_island(
        "example-queries",
        &serde_json::Value::from(examples),
    ));
    page(
        "Query",
        &body,
        &[
            "vendor/codemirror-5.65.20/codemirror.js",
            "vendor/codemirror-5.65.20/sparql.js",
            "workbench.js",
        ],
    )
}

#[derive(Deserialize)]
pub(super) struct SearchParams {
    #[serde(default)]
    q: String,
}

/// GET `/search?q=NAME`: the entities whose label matches, as `explain` matches names (then
/// labels containing the name).
pub(super) async fn search(
    State(state): State<Shared>,
    Query(params): Query<SearchParams>,
) -> Html<String> {
    let found = state.labels.search(&params.q, 100);
    let mut body = format!(
        "<h1>Search</h1><form action=\"/search\" method=\"get\" class=\"toolbar\">\
         <input type=\"search\" name=\"q\" value=\"{}\" aria-label=\"Name\"><button>Search</button></form>",
        esc(&params.q)
    );
    if params.q.trim().is_empty() {
        body.push_str("<p>Type a name: a film, a person, a character, an award.</p>");
    } else if found.is_empty() {
        let _ = write!(
            body,
            "<p id=\"count\">No entity is labelled <q>{}</q>.</p>",
            esc(&params.q)
        );
    } else {
        let _ = write!(
            body,
            "<p id=\"count\">{} {} for <q>{}</q>.</p><table class=\"results\"><thead><tr><th>label</th><th>IRI</th></tr></thead><tbody>",
            found.len(),
            if found.len() == 1 {
                "entity"
            } else {
                "entities"
            },
            esc(&params.q)
        );
        for e in found {
            let _ = write!(
                body,
                "<tr><td>{}</td><td><code>{}</code></td></tr>",
                entity_link(&e.iri, &e.label),
                esc(&vocab::shorten(&e.iri))
            );
        }
        body.push_str("</tbody></table>");
    }
    page("Search", &body, &[])
}

#[derive(Deserialize)]
pub(super) struct EntityParams {
    #[serde(default)]
    iri: String,
}

/// GET `/entity?iri=IRI`: an entity's label, classes, facts with their evidence, statements
/// and neighbourhood.
pub(super) async fn entity(
    State(state): State<Shared>,
    Query(params): Query<EntityParams>,
) -> Response {
    if params.iri.is_empty() {
        return text(StatusCode::BAD_REQUEST, "missing `iri` parameter");
    }
    let iri = params.iri.clone();
    let view = run_limited(&state, move |state, _| entity_view(&state.store, &iri)).await;
    match view {
        Ok(Ok(view)) if view.outgoing.is_empty() && view.incoming.is_empty() => {
            let body = format!(
                "<h1>Not in the graph</h1><p>No statement has <code>{}</code> as subject or object.</p>",
                esc(&params.iri)
            );
            (StatusCode::NOT_FOUND, page("Not found", &body, &[])).into_response()
        }
        Ok(Ok(view)) => entity_page(&view).into_response(),
        Ok(Err(e)) => text(StatusCode::BAD_REQUEST, e.to_string()),
        Err(limited) => limited,
    }
}

fn node_html(node: &Node) -> String {
    match node {
        Node::Iri { iri, label } => entity_link(iri, label),
        Node::Literal(value) => format!("<span class=\"literal\">{}</span>", esc(value)),
        Node::Other(text) => format!("<code>{}</code>", esc(text)),
    }
}

fn entity_page(view: &EntityView) -> Html<String> {
    let title = view
        .label
        .clone()
        .unwrap_or_else(|| vocab::shorten(&view.iri));
    let mut body = format!(
        "<h1 id=\"label\">{}</h1><p class=\"iri\"><code>{}</code>",
        esc(&title),
        esc(&view.iri)
    );
    for class in &view.classes {
        let _ = write!(body, " <span class=\"class\">{}</span>", node_html(class));
    }
    for s in view
        .outgoing
        .iter()
        .filter(|s| s.property == vocab::OWL_SAME_AS)
    {
        if let Node::Iri { iri, .. } = &s.node
            && iri.starts_with("https://www.imdb.com/")
        {
            let _ = write!(
                body,
                " <a class=\"imdb\" href=\"{}\" rel=\"noreferrer\">IMDb</a>",
                esc(iri)
            );
        }
    }
    body.push_str("</p>");
    body.push_str("<section><h2>Neighbourhood</h2><div id=\"graph\" class=\"graph\"></div>");
    body.push_str(&data_island("graph-data", &view.graph));
    body.push_str("</section>");
    facts_html(&mut body, &view.facts);
    statements_html(
        &mut body,
        "Statements about it",
        &view.outgoing,
        view.left_out.0,
    );
    statements_html(
        &mut body,
        "Statements naming it",
        &view.incoming,
        view.left_out.1,
    );
    page(
        &title,
        &body,
        &["vendor/cytoscape-3.35.0/cytoscape.min.js", "graph.js"],
    )
}

/// A sentence with its evidence in `<mark>`, escaped.
pub(super) fn highlighted(sentence: &str, range: Option<std::ops::Range<usize>>) -> String {
    match range {
        Some(r) if sentence.get(r.clone()).is_some() => format!(
            "{}<mark>{}</mark>{}",
            esc(&sentence[..r.start]),
            esc(&sentence[r.clone()]),
            esc(&sentence[r.end..])
        ),
        _ => esc(sentence),
    }
}

fn facts_html(body: &mut String, facts: &[Explained]) {
    let _ = write!(
        body,
        "<section id=\"facts\"><h2>Facts and their evidence ({})</h2>",
        facts.len()
    );
    for f in facts {
        let object = if f.object.starts_with("http") {
            entity_link(&f.object, &f.object_label)
        } else {
            format!("<span class=\"literal\">{}</span>", esc(&f.object_label))
        };
        let _ = write!(
            body,
            "<div class=\"fact\"><p>{} <span class=\"relation\">{}</span> {} <span class=\"note\">({} {})</span></p><ul>",
            entity_link(&f.subject, &f.subject_label),
            esc(&f.relation.replace('_', " ")),
            object,
            f.supports.len(),
            if f.supports.len() == 1 {
                "occurrence"
            } else {
                "occurrences"
            }
        );
        for s in &f.supports {
            let _ = write!(
                body,
                "<li class=\"occurrence\"><span class=\"meta\">review {} · rule <code>{}</code> · {} · confidence {:.3}</span><blockquote>{}</blockquote></li>",
                entity_link(&s.review_iri, &s.review),
                esc(&s.rule),
                esc(&s.method),
                s.confidence,
                highlighted(&s.sentence, s.highlight.clone())
            );
        }
        body.push_str("</ul></div>");
    }
    body.push_str("</section>");
}

fn statements_html(body: &mut String, title: &str, statements: &[Statement], left_out: usize) {
    if statements.is_empty() {
        return;
    }
    let _ = write!(
        body,
        "<section><h2>{}</h2><table class=\"results\"><tbody>",
        esc(title)
    );
    for s in statements {
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            esc(&vocab::shorten(&s.property)),
            node_html(&s.node)
        );
    }
    body.push_str("</tbody></table>");
    if left_out > 0 {
        let _ = write!(
            body,
            "<p class=\"note\">The first {MAX_LISTED} are shown; {left_out} more can be queried in the <a href=\"/\">editor</a>.</p>"
        );
    }
    body.push_str("</section>");
}

/// Any other path.
pub(super) async fn not_found() -> Response {
    let body = "<h1>Not found</h1><p>Nothing here: try the <a href=\"/\">query editor</a> or the search box.</p>";
    (StatusCode::NOT_FOUND, page("Not found", body, &[])).into_response()
}
