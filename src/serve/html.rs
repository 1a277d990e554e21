//! HTML for the workbench's pages: escaping (every piece of review text, label and IRI goes
//! through [`esc`]), JSON data islands a script reads (never executed, `<` escaped), and the
//! page shell with its navigation.

use axum::response::Html;
use std::fmt::Write;

/// Text escaped for HTML content and quoted attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value percent-encoded for a URL's query string.
pub(super) fn url_param(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A link to an entity's page, showing `label`.
pub(super) fn entity_link(iri: &str, label: &str) -> String {
    format!(
        "<a href=\"/entity?iri={}\" title=\"{}\">{}</a>",
        esc(&url_param(iri)),
        esc(iri),
        esc(label)
    )
}

/// A JSON value as a data island: `<script type="application/json" id=…>`, which the page's
/// own script parses. `<`, `>` and `&` are escaped inside the JSON so the text can never close
/// the element.
pub(super) fn data_island(id: &str, value: &serde_json::Value) -> String {
    let json = value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("<script type=\"application/json\" id=\"{id}\">{json}</script>")
}

/// A complete page: title, navigation (with the search box), body, and the scripts it loads
/// from `/assets/`.
pub(super) fn page(title: &str, body: &str, scripts: &[&str]) -> Html<String> {
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Cinegraph</title>\
         <link rel=\"stylesheet\" href=\"/assets/vendor/codemirror-5.65.20/codemirror.css\">\
         <link rel=\"stylesheet\" href=\"/assets/workbench.css\"></head><body>\
         <nav><a class=\"brand\" href=\"/\">Cinegraph</a> <a href=\"/\">Query</a> \
         <a href=\"/try\">Try a review</a>\
         <form action=\"/search\" method=\"get\" class=\"search\">\
         <input type=\"search\" name=\"q\" placeholder=\"Search films, people, characters…\" aria-label=\"Search labels\">\
         <button type=\"submit\">Search</button></form></nav><main>",
        esc(title)
    );
    out.push_str(body);
    out.push_str("</main>");
    for script in scripts {
        let _ = write!(out, "<script src=\"/assets/{script}\"></script>");
    }
    out.push_str("</body></html>\n");
    Html(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_data_islands() {
        assert_eq!(esc("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
        let island = data_island("d", &serde_json::json!({"x": "</script><b>"}));
        assert!(
            !island[..island.len() - 9].contains("</script><b>"),
            "{island}"
        );
        let link = entity_link("https://x/a b\"", "<i>");
        assert!(
            link.contains("a+b%22") && link.contains("&lt;i&gt;"),
            "{link}"
        );
    }
}
