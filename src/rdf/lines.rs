//! N-Triples text: the sink that writes a review's triples as lines end to end in one
//! buffer, and the line writer with its literal escaping, a copy of Oxigraph's `Display`
//! checked against it by `line_text_is_the_display_text`.
//!
//! Why a copy: writing each line through `Display` of borrowed oxrdf terms (`TripleRef` of
//! `NamedNodeRef::new_unchecked` and `LiteralRef`, `write!(out, "{t}")`) goes through the
//! formatter character by character; on `extract 3k_late.jsonl --output /dev/null --threads 1`
//! it cost 1,688 M instructions against 1,549 M with this writer (callgrind, +9 %).

use super::emit::{Object, Sink};
use crate::vocab;

/// Collects N-Triples lines end to end in one buffer.
#[derive(Default)]
pub(super) struct LineSink {
    pub(super) text: String,
    pub(super) lines: Vec<std::ops::Range<u32>>,
    /// Where each `rdfs:label` line starts, and the length of its subject (`<iri>`).
    pub(super) labels: Vec<(u32, u32)>,
}

impl LineSink {
    /// Empties the buffers, keeping their memory.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
        self.labels.clear();
    }
}

impl Sink for LineSink {
    fn add(&mut self, subject: &str, predicate: &str, object: &Object<'_>) {
        let start = self.text.len() as u32;
        write_line(subject, predicate, object, &mut self.text);
        if predicate == vocab::RDFS_LABEL {
            // `write_line` starts with the subject, written `<iri>`.
            self.labels.push((start, subject.len() as u32 + 2));
        }
        self.lines.push(start..self.text.len() as u32);
    }
}

/// Writes a triple's N-Triples text exactly as Oxigraph's `Display` of the quad does.
pub(super) fn write_line(subject: &str, predicate: &str, object: &Object<'_>, out: &mut String) {
    write_iri(subject, out);
    out.push(' ');
    write_iri(predicate, out);
    out.push(' ');
    match *object {
        Object::Iri(iri) => write_iri(iri, out),
        Object::Text(text) => write_quoted(text, out),
        Object::Typed(value, datatype) => {
            write_quoted(value, out);
            if datatype != oxigraph::model::vocab::xsd::STRING.as_str() {
                out.push_str("^^");
                write_iri(datatype, out);
            }
        }
        Object::Triple(s, p, o) => {
            out.push_str("<<( ");
            write_line(s, p, o, out);
            out.push_str(" )>>");
        }
    }
}

fn write_iri(iri: &str, out: &mut String) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

/// Bytes that may need escaping in a quoted literal: controls, DEL, `"`, `\\`, and 0xEF, the
/// first byte of U+FFFE and U+FFFF (checked in full when met).
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == 0x7F || b == b'"' as usize || b == b'\\' as usize || b == 0xEF;
        b += 1;
    }
    table
};

/// A string literal's quoted form, escaped as Oxigraph's `print_quoted_str` escapes it.
fn write_quoted(value: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    let bytes = value.as_bytes();
    // Most literals need no escape: one scan of the bytes, then one copy.
    let mut clean = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let c = value[i..].chars().next().expect("a char starts here");
        let escape = match c {
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{C}' => "\\f",
            '\r' => "\\r",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => "",
            _ => {
                // Another character starting with 0xEF: kept as it is.
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&value[clean..i]);
        if escape.is_empty() {
            write!(out, "\\u{:04X}", u32::from(c)).expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        i += c.len_utf8();
        clean = i;
    }
    out.push_str(&value[clean..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::quads::{term, triple};
    use crate::vocab::{class, prop};

    #[test]
    fn line_text_is_the_display_text() {
        let s = "https://example.org/s";
        let tricky = "a \"b\" \\ c\n\t\r\u{8}\u{C}\u{1}\u{7F}\u{FFFE}é “d”";
        let fact_object = Object::Iri("https://example.org/o");
        let cases = [
            (prop::SURFACE, Object::Text(tricky)),
            (prop::SURFACE, Object::Text("")),
            (prop::BEGIN_INDEX, Object::Typed("42", vocab::XSD_INTEGER)),
            (
                prop::BEGIN_INDEX,
                Object::Typed("x", "http://www.w3.org/2001/XMLSchema#string"),
            ),
            (
                vocab::RDF_REIFIES,
                Object::Triple(s, prop::DIRECTOR, &fact_object),
            ),
            (vocab::RDF_TYPE, Object::Iri(class::REVIEW)),
        ];
        for (p, o) in cases {
            let mut text = String::new();
            write_line(s, p, &o, &mut text);
            assert_eq!(text, triple(s, p, term(&o)).to_string());
        }
    }
}
