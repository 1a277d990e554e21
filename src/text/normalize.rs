//! The keys names are compared by: the lexicon's matching key, the transliteration key of
//! fuzzy matching, the gold scorer's name key and the slug of minted IRIs. Every other module
//! asks here rather than folding text itself.

use super::normalize_word;

/// The normalised matching key of a name: its tokens' normal forms joined by single spaces.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::match_key("Palm  D’Or"), "palm d'or");
/// ```
pub fn match_key(name: &str) -> String {
    super::joined_norms(name)
}

/// Lower-case ASCII slug used in minted IRIs: accents folded, other characters as `-`.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::slug("Palme d'Or"), "palme-d-or");
/// assert_eq!(cinegraph::text::normalize::slug("test/pos/209_10"), "test-pos-209-10");
/// ```
pub fn slug(s: &str) -> String {
    let norm = normalize_word(s);
    let mut out = String::with_capacity(norm.len());
    for c in norm.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Normalises a name the way the gold scorer does: accents removed, lower case,
/// non-alphanumeric runs as one space, and a leading `the ` dropped.
///
/// ```
/// assert_eq!(cinegraph::text::normalize::name_key("The Cranes Are Flying!"), "cranes are flying");
/// ```
pub fn name_key(s: &str) -> String {
    let norm = normalize_word(s);
    let mut out = String::with_capacity(norm.len());
    for c in norm.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
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
