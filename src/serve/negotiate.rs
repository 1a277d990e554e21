//! Content negotiation of the SPARQL endpoint: which results format and which graph format a
//! request accepts, from its `format` parameter (a name or a media type, for download links)
//! or its `Accept` header (with q-values and wildcards). Solutions default to SPARQL results
//! JSON, graphs to Turtle.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// The formats a request accepts: one for solutions and booleans, one for graphs (either may
/// be missing: the answer is then 406).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Choice {
    pub(super) results: Option<QueryResultsFormat>,
    pub(super) graph: Option<RdfFormat>,
}

fn json_ld() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }
}

/// The results formats with their media types, the default first.
const RESULTS: &[(QueryResultsFormat, &[&str])] = &[
    (
        QueryResultsFormat::Json,
        &["application/sparql-results+json", "application/json"],
    ),
    (
        QueryResultsFormat::Xml,
        &["application/sparql-results+xml", "application/xml"],
    ),
    (QueryResultsFormat::Csv, &["text/csv"]),
    (QueryResultsFormat::Tsv, &["text/tab-separated-values"]),
];

/// The graph formats with their media types, the default first.
fn graph_formats() -> [(RdfFormat, &'static [&'static str]); 5] {
    [
        (RdfFormat::Turtle, &["text/turtle", "application/x-turtle"]),
        (
            RdfFormat::NTriples,
            &["application/n-triples", "text/plain"],
        ),
        (RdfFormat::NQuads, &["application/n-quads"]),
        (
            RdfFormat::RdfXml,
            &["application/rdf+xml", "application/xml", "text/xml"],
        ),
        (json_ld(), &["application/ld+json", "application/json"]),
    ]
}

/// The formats a `format` (or `output`) parameter names: a short name or a media type. Short
/// names of results formats also name a graph format (csv and tsv N-Triples, xml RDF/XML,
/// json JSON-LD), as `cinegraph query --format` does.
pub(super) fn from_parameter(name: &str) -> Option<Choice> {
    let both = |results, graph| {
        Some(Choice {
            results: Some(results),
            graph: Some(graph),
        })
    };
    let graph = |graph| {
        Some(Choice {
            results: None,
            graph: Some(graph),
        })
    };
    match name.trim().to_ascii_lowercase().as_str() {
        "json" | "srj" => both(QueryResultsFormat::Json, json_ld()),
        "xml" | "srx" => both(QueryResultsFormat::Xml, RdfFormat::RdfXml),
        "csv" => both(QueryResultsFormat::Csv, RdfFormat::NTriples),
        "tsv" => both(QueryResultsFormat::Tsv, RdfFormat::NTriples),
        "turtle" | "ttl" => graph(RdfFormat::Turtle),
        "ntriples" | "n-triples" | "nt" => graph(RdfFormat::NTriples),
        "nquads" | "n-quads" | "nq" => graph(RdfFormat::NQuads),
        "rdfxml" | "rdf/xml" | "rdf" => graph(RdfFormat::RdfXml),
        "jsonld" | "json-ld" => graph(json_ld()),
        media => {
            let choice = from_accept(Some(media));
            (choice.results.is_some() || choice.graph.is_some()).then_some(choice)
        }
    }
}

/// The formats an `Accept` header prefers (no header, or `*/*`, gives the defaults).
pub(super) fn from_accept(accept: Option<&str>) -> Choice {
    let ranges = parse_accept(accept.unwrap_or("*/*"));
    Choice {
        results: best(&ranges, RESULTS.iter().map(|(f, m)| (*f, *m))),
        graph: best(&ranges, graph_formats().into_iter()),
    }
}

/// A media range of an `Accept` header: type, subtype (either maybe `*`) and quality.
struct Range {
    kind: String,
    sub: String,
    q: f32,
}

fn parse_accept(accept: &str) -> Vec<Range> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let (kind, sub) = media.split_once('/')?;
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some(Range {
                kind: kind.trim().to_string(),
                sub: sub.trim().to_string(),
                q,
            })
        })
        .collect()
}

/// The quality the most specific matching range gives a media type (0 when none matches).
fn quality(ranges: &[Range], media: &str) -> f32 {
    let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
    let mut found: Option<(u8, f32)> = None;
    for r in ranges {
        let specificity = match (r.kind.as_str(), r.sub.as_str()) {
            (k, s) if k == kind && s == sub => 2,
            (k, "*") if k == kind => 1,
            ("*", "*") => 0,
            _ => continue,
        };
        if found.is_none_or(|(best, _)| specificity > best) {
            found = Some((specificity, r.q));
        }
    }
    found.map_or(0.0, |(_, q)| q)
}

/// The format of highest quality (ties go to the earlier, so the default wins a `*/*`).
fn best<F: Copy>(
    ranges: &[Range],
    formats: impl Iterator<Item = (F, &'static [&'static str])>,
) -> Option<F> {
    let mut chosen: Option<(F, f32)> = None;
    for (format, media) in formats {
        let q = media.iter().map(|m| quality(ranges, m)).fold(0.0, f32::max);
        if q > 0.0 && chosen.is_none_or(|(_, best)| q > best) {
            chosen = Some((format, q));
        }
    }
    chosen.map(|(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_wildcards_and_qualities() {
        let none = from_accept(None);
        assert_eq!(none.results, Some(QueryResultsFormat::Json));
        assert_eq!(none.graph, Some(RdfFormat::Turtle));
        let browser = from_accept(Some("text/html,application/xhtml+xml,*/*;q=0.8"));
        assert_eq!(browser.results, Some(QueryResultsFormat::Json));
        let csv = from_accept(Some("text/csv;q=0.5, application/sparql-results+xml;q=0.9"));
        assert_eq!(csv.results, Some(QueryResultsFormat::Xml));
        assert_eq!(csv.graph, None);
        let text = from_accept(Some("text/*"));
        assert_eq!(text.results, Some(QueryResultsFormat::Csv));
        assert_eq!(text.graph, Some(RdfFormat::Turtle));
        let refused = from_accept(Some("image/png, text/csv;q=0"));
        assert_eq!((refused.results, refused.graph), (None, None));
    }

    #[test]
    fn format_parameter() {
        let nq = from_parameter("nquads").unwrap();
        assert_eq!((nq.results, nq.graph), (None, Some(RdfFormat::NQuads)));
        assert_eq!(
            from_parameter("text/tab-separated-values").unwrap().results,
            Some(QueryResultsFormat::Tsv)
        );
        assert!(from_parameter("pdf").is_none());
    }
}
