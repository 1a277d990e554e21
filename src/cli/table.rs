//! The `query` results for people (`--format table`): an aligned text table of the rows, with
//! prefixed IRIs and plain literal values; `true`/`false` for ASK; Turtle for graphs.

use cinegraph::error::{Error, Result};
use cinegraph::store::QueryAnswer;
use cinegraph::vocab;
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Writes a query's answer for people.
pub fn write_answer(w: &mut dyn Write, answer: &QueryAnswer) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<output>", e);
    match answer {
        QueryAnswer::Solutions { variables, rows } => {
            let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    variables
                        .iter()
                        .map(|v| row.get(v).map(display_term).unwrap_or_default())
                        .collect()
                })
                .collect();
            write_table(w, &header, &body).map_err(io)
        }
        QueryAnswer::Boolean(value) => writeln!(w, "{value}").map_err(io),
        QueryAnswer::Graph(triples) => {
            cinegraph::store::query::write_triples(triples, RdfFormat::Turtle, w)
        }
    }
}

/// How a term is shown in a table: prefixed IRIs, plain literal values.
fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => vocab::shorten(n.as_str()),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        // People read values; the exact forms are in the W3C formats.
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Columns padded to their widest cell (in terminal columns) and two spaces, a rule under the
/// header, then the row count.
fn write_table(w: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(clean(cell).width());
        }
    }
    let line = |w: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let c = clean(c);
            out.push_str(&c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        writeln!(w, "{}", out.trim_end())
    };
    line(w, header)?;
    let rule: Vec<String> = widths.iter().map(|&n| "-".repeat(n.max(1))).collect();
    line(w, &rule)?;
    for row in rows {
        line(w, row)?;
    }
    writeln!(
        w,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_are_padded_by_their_width() {
        let mut out = Vec::new();
        let header = ["a".to_string(), "b".to_string()];
        let rows = [
            vec!["黒澤明".to_string(), "x".to_string()],
            vec!["abc".to_string(), "y".to_string()],
        ];
        write_table(&mut out, &header, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "a       b\n------  -\n黒澤明  x\nabc     y\n(2 rows)\n"
        );
    }
}
