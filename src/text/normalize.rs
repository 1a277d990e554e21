//! Normal forms: a word's ([`normalize_word`], which every token carries) and the keys names are
//! compared by: the lexicon's matching key, the transliteration key of fuzzy matching, the gold
//! scorer's name key and the slug of minted IRIs. Every other module asks here rather than
//! folding text itself.

use unicode_normalization::UnicodeNormalization;

/// Typographic quotes, apostrophes and dashes as their ASCII forms.
pub(super) fn normalize_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Lower-cases, folds accents and normalises quotes: the form all matching is done on.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::normalize_word("Skarsgård’s"), "skarsgard's");
/// ```
pub fn normalize_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_word_into(s, &mut out);
    out
}

/// [`normalize_word`], appending to `out`.
pub(super) fn normalize_word_into(s: &str, out: &mut String) {
    // Most words are plain ASCII: no decomposition, no quote to fold.
    if s.bytes().all(|b| b.is_ascii() && b != b'`') {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
        return;
    }
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = normalize_quote(c);
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
}

/// The normalised matching key of a name: its tokens' normal forms joined by single spaces.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::match_key("Palm  D’Or"), "palm d'or");
/// ```
pub fn match_key(name: &str) -> String {
    super::tokenize::joined_norms(name)
}

/// Lower-case ASCII slug used in minted IRIs: accents folded, other characters as `-`.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::slug("Palme d'Or"), "palme-d-or");
/// assert_eq!(cinegraph::text::normalize::slug("test/pos/209_10"), "test-pos-209-10");
/// ```
pub fn slug(s: &str) -> String {
    runs_joined(s, |c| c.is_ascii_alphanumeric(), '-')
        .trim_matches('-')
        .to_string()
}

/// The normal form of `s` with every run of characters that `keep` rejects written as one
/// `separator`.
fn runs_joined(s: &str, keep: impl Fn(char) -> bool, separator: char) -> String {
    let norm = normalize_word(s);
    let mut out = String::with_capacity(norm.len());
    for c in norm.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.ends_with(separator) {
            out.push(separator);
        }
    }
    out
}

/// Normalises a name the way the gold scorer does: accents removed, lower case,
/// non-alphanumeric runs as one space, and a leading `the ` dropped.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::name_key("The Cranes Are Flying!"), "cranes are flying");
/// ```
pub fn name_key(s: &str) -> String {
    let out = runs_joined(s, char::is_alphanumeric, ' ');
    let out = out.trim();
    out.strip_prefix("the ").unwrap_or(out).to_string()
}

/// Folds spelling variants of transliterated names to one key: `y`/`j` -> `i`, `kh` -> `h`,
/// doubled letters collapsed, punctuation dropped (`Samojlova`, `Samoylova` -> `samoilova`).
///
/// ```
/// use cinegraph::text::normalize::translit_key;
/// assert_eq!(translit_key("sergey urusevskiy"), translit_key("sergei urusevsky"));
/// assert_eq!(translit_key("samojlova"), translit_key("samoylova"));
/// ```
pub fn translit_key(key: &str) -> String {
    let mut s = String::with_capacity(key.len());
    for c in key.chars() {
        let c = match c {
            'y' | 'j' => 'i',
            'w' => 'v',
            c if c.is_alphanumeric() || c == ' ' => c,
            _ => continue,
        };
        s.push(c);
    }
    // Each step copies only when it changes something: most names have no digraph to fold
    // and no space to tidy (only letters, digits and spaces are left by now).
    if s.as_bytes()
        .windows(2)
        .any(|w| matches!(w, b"kh" | b"ph" | b"ck"))
    {
        s = s.replace("kh", "h").replace("ph", "f").replace("ck", "k");
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    for c in s.chars() {
        if Some(c) == prev && c != ' ' {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    let tidy = !out.starts_with(' ')
        && !out.ends_with(' ')
        && !out.as_bytes().windows(2).any(|w| w == b"  ");
    if tidy {
        out
    } else {
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
