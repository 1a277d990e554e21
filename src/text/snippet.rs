//! Display text of a snippet of a review: HTML tags removed, whitespace collapsed, typographic
//! quotes made plain; and the tag recognisers the tokeniser shares.

use super::normalize::normalize_quote;

/// Collapses whitespace, removes HTML tags and normalises typographic quotes in a snippet.
///
/// ```
/// assert_eq!(cinegraph::text::clean_snippet("a <br />  “b”"), "a \"b\"");
/// ```
pub fn clean_snippet(s: &str) -> String {
    clean_snippet_cow(s).into_owned()
}

/// [`clean_snippet`], borrowing the text when it is already clean (plain ASCII with single
/// spaces, no tag, no backquote: most names and sentences), so comparing allocates nothing.
pub(crate) fn clean_snippet_cow(s: &str) -> std::borrow::Cow<'_, str> {
    let bytes = s.as_bytes();
    let clean = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && bytes
            .iter()
            .all(|&b| (b' '..=b'~').contains(&b) && b != b'<' && b != b'`')
        && !s.contains("  ");
    if clean {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut pending_space = false;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(len) = tag_len(rest)
        {
            pending_space = true;
            rest = &rest[len..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() || c.is_control() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(normalize_quote(c));
    }
    std::borrow::Cow::Owned(out)
}

/// Length in bytes of an HTML tag at the start of `s` (`<br />`, `<i>`, `</p>`), if any.
pub(super) fn tag_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'<') {
        return None;
    }
    let mut i = 1;
    if bytes.get(i) == Some(&b'/') {
        i += 1;
    }
    if !bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    // Tags are short; a lone `<` in prose must not swallow the text after it.
    let limit = bytes.len().min(i + 80);
    (i..limit).find(|&j| bytes[j] == b'>').map(|j| j + 1)
}

/// True for an inline formatting tag (`<i>`, `</b>`, `<a href="…">`), which does not end a
/// sentence: "<i>Vertigo</i> was directed by Hitchcock" is one sentence.
pub(super) fn is_inline_tag(tag: &str) -> bool {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "big", "cite", "em", "font", "i", "q", "s", "small", "span", "strike",
        "strong", "sub", "sup", "tt", "u",
    ];
    let name = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    INLINE.iter().any(|t| t.eq_ignore_ascii_case(name))
}
