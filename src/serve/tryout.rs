//! The "try a review" page: a pasted text is extracted in memory with the server's
//! [`Extractor`](crate::Extractor) (nothing is written to the store) and shown with its
//! mentions and the evidence of its facts highlighted in place, the facts with their rules
//! and confidence, and its entity graph.

use super::Shared;
use super::html::{data_island, esc, page};
use super::pages::highlighted;
use super::sparql::run_limited;
use crate::model::ReviewInput;
use crate::query::graph::EntityGraph;
use crate::resolve::{ResolvedReview, Value};
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;

const FORM: &str = "<form action=\"/try\" method=\"post\" id=\"try\">\
<textarea name=\"text\" id=\"text\" rows=\"10\" placeholder=\"Paste a film review…\">{text}</textarea>\
<p><button type=\"submit\">Extract</button> <span class=\"note\">Nothing is written to the store.</span></p></form>";

fn form_html(text: &str) -> String {
    FORM.replace("{text}", &esc(text))
}

/// GET `/try`: the form.
pub(super) async fn form() -> Html<String> {
    let body = format!(
        "<h1>Try a review</h1><p>Paste a review: its mentions and facts are extracted with the rules and lexicons this server loaded.</p>{}",
        form_html("")
    );
    page("Try a review", &body, &[])
}

#[derive(Deserialize)]
pub(super) struct TryForm {
    #[serde(default)]
    text: String,
}

/// POST `/try`: the text extracted, shown.
pub(super) async fn run(State(state): State<Shared>, Form(input): Form<TryForm>) -> Response {
    let text = input.text;
    let outcome = run_limited(&state, move |state, _| {
        let review = state.extractor.extract(&ReviewInput {
            source_id: "try".into(),
            text: text.clone(),
            imdb: None,
            rating: None,
        });
        (text, review)
    })
    .await;
    match outcome {
        Ok((text, review)) => result_page(&text, &review).into_response(),
        Err(limited) => limited,
    }
}

fn result_page(text: &str, review: &ResolvedReview) -> Html<String> {
    let mut body = format!(
        "<h1>Try a review</h1>{}<section><h2>The text ({} mentions, {} facts)</h2><div id=\"review\" class=\"review\">{}</div></section>",
        form_html(text),
        review.mentions.len(),
        review.facts.len(),
        marked_text(text, review)
    );
    let graph = EntityGraph::from_quads(&crate::rdf::review_quads(review)).to_json();
    body.push_str("<section><h2>Graph</h2><div id=\"graph\" class=\"graph\"></div>");
    body.push_str(&data_island("graph-data", &graph));
    body.push_str("</section>");
    facts_table(&mut body, review);
    page(
        "Try a review",
        &body,
        &["vendor/cytoscape-3.35.0/cytoscape.min.js", "graph.js"],
    )
}

/// The text cut at every boundary of a mention or a fact's evidence; each piece is marked
/// with what covers it (mentions as `<mark>`, evidence underlined), with a title naming the
/// entity or the rules. Overlaps are fine: every piece is marked on its own.
fn marked_text(text: &str, review: &ResolvedReview) -> String {
    let mut cuts = vec![0, text.len()];
    for m in &review.mentions {
        cuts.extend([m.span.start, m.span.end]);
    }
    for f in &review.facts {
        cuts.extend([f.span.start, f.span.end]);
    }
    cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for piece in cuts.windows(2) {
        let (start, end) = (piece[0], piece[1]);
        let within = |span: &std::ops::Range<usize>| span.start <= start && end <= span.end;
        let mention = review.mentions.iter().find(|m| within(&m.span));
        let rules: Vec<String> = review
            .facts
            .iter()
            .filter(|f| within(&f.span))
            .map(|f| format!("{} ({}, {:.2})", f.rule, f.relation.key(), f.confidence))
            .collect();
        let words = esc(&text[start..end]);
        let words = match mention {
            Some(m) => {
                let e = &review.entities[m.entity];
                format!(
                    "<mark class=\"mention {}\" title=\"{} · {}\">{words}</mark>",
                    esc(&class_name(e.kind.class()).to_lowercase()),
                    esc(&e.label),
                    esc(class_name(e.kind.class()))
                )
            }
            None => words,
        };
        if rules.is_empty() {
            out.push_str(&words);
        } else {
            let _ = write!(
                out,
                "<span class=\"evidence\" title=\"{}\">{words}</span>",
                esc(&rules.join("; "))
            );
        }
    }
    out
}

fn class_name(class_iri: &str) -> &str {
    class_iri.rsplit('#').next().unwrap_or(class_iri)
}

fn facts_table(body: &mut String, review: &ResolvedReview) {
    body.push_str(
        "<section><h2>Facts</h2><table class=\"results\" id=\"facts\"><thead><tr><th>subject</th><th>relation</th><th>object</th>\
         <th>rule</th><th>method</th><th>confidence</th><th>evidence</th></tr></thead><tbody>",
    );
    for f in &review.facts {
        let object = match &f.object {
            Value::Entity(i) => review.entities[*i].label.clone(),
            Value::Year(y) | Value::Text(y) => y.clone(),
        };
        let range = crate::query::explain::highlight(&f.sentence, &f.evidence);
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{:.3}</td><td>{}</td></tr>",
            esc(&review.entities[f.subject].label),
            esc(f.relation.key()),
            esc(&object),
            esc(&f.rule),
            esc(f.method.as_str()),
            f.confidence,
            highlighted(&f.sentence, range)
        );
    }
    body.push_str("</tbody></table></section>");
}
