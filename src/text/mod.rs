//! The text stage: a review's original text split into sentences and tokens, every token a byte
//! span of the original, so every later stage can point back at the exact words.
//!
//! HTML tags are skipped: line and block tags such as `<br />` or `</p>` end a sentence, inline
//! formatting tags (`<i>`, `<b>`, `<em>`, `<a href=…>`…) do not; typographic quotes and
//! apostrophes are normalised in each token's [`Token::norm`] form, and whitespace runs never
//! become tokens. The original text is never modified.

pub mod normalize;

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// The shape of a token's surface, used by mention finders and by rule patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Starts with an upper-case letter and has a lower-case letter: `Kalatozov`.
    Capitalized,
    /// Letters, all upper case: `IVAN`, `I`.
    AllCaps,
    /// Starts with a lower-case letter: `film`.
    Lower,
    /// Digits only: `1957`.
    Number,
    /// Anything else with a letter or digit in it: `06-02-41`.
    Other,
    /// A punctuation character: `,` `(` `"`.
    Punct,
}

/// One token: a byte span of the original text and where its normalised form is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// Byte range of the lower-cased, accent-folded, quote-normalised form (`D’Or` -> `d'or`)
    /// in the document's buffer of normal forms: read it with [`Document::norm`]. One buffer
    /// for every token, because an allocation a token was the tokeniser's main cost.
    norm: Range<u32>,
    /// FNV-1a hash of the normal form, computed as it is written: word tables (lexicon
    /// aliases, rule vocabulary) are looked up by it without hashing the word again.
    norm_hash: u64,
    /// Shape of the surface form.
    pub shape: Shape,
}

impl Token {
    /// True when the token starts with an upper-case letter (capitalised or all caps).
    pub fn is_upper_initial(&self) -> bool {
        matches!(self.shape, Shape::Capitalized | Shape::AllCaps)
    }
}

/// A sentence: a range of token indices of its [`Document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Indices into [`Document::tokens`].
    pub tokens: Range<usize>,
    /// Byte range of the sentence in the original text (first token start to last token end).
    pub span: Range<usize>,
}

/// A review text, tokenised and split into sentences.
///
/// ```
/// use cinegraph::text::Document;
/// let doc = Document::new("Directed by Mikhail Kalatozov.<br /><br />It won the Palme d’Or.");
/// assert_eq!(doc.sentences.len(), 2);
/// let t = doc.sentences[1].tokens.end - 2;
/// assert_eq!(doc.norm(t), "d'or");
/// assert_eq!(&doc.text[doc.tokens[t].span.clone()], "d’Or");
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    /// The original text, unchanged.
    pub text: String,
    /// All tokens in order.
    pub tokens: Vec<Token>,
    /// The normal forms of all tokens, end to end ([`Document::norm`]).
    norms: String,
    /// Sentences in order, covering every token.
    pub sentences: Vec<Sentence>,
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "prof", "mt", "no", "vol", "ca", "e.g",
    "i.e", "co", "inc", "ltd",
];

impl Document {
    /// Tokenises and sentence-splits `text`.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let Tokens {
            tokens,
            norms,
            breaks,
        } = tokenize(&text);
        let mut doc = Document {
            text,
            tokens,
            norms,
            sentences: Vec::new(),
        };
        doc.sentences = split_sentences(&doc, &breaks);
        doc
    }

    /// The normal form of token `t`: lower-cased, accent-folded, quote-normalised.
    ///
    /// ```
    /// let doc = cinegraph::text::Document::new("Skarsgård’s FILM");
    /// assert_eq!(doc.norm(0), "skarsgard");
    /// assert_eq!(doc.norm(1), "'s");
    /// assert_eq!(doc.norm(2), "film");
    /// ```
    #[inline]
    pub fn norm(&self, t: usize) -> &str {
        self.norm_of(&self.tokens[t])
    }

    /// The FNV-1a hash of the normal form of token `t` (`fnv1a(doc.norm(t).as_bytes())`),
    /// kept by the tokeniser.
    #[inline]
    pub(crate) fn norm_hash(&self, t: usize) -> u64 {
        self.tokens[t].norm_hash
    }

    /// The normal form of a token of this document.
    #[inline]
    pub fn norm_of(&self, token: &Token) -> &str {
        let range = token.norm.start as usize..token.norm.end as usize;
        debug_assert!(self.norms.get(range.clone()).is_some());
        // SAFETY: `Token::norm` is private and set only by the tokeniser, to the range of the
        // normal form it has just appended to `norms`, which is never changed afterwards: the
        // range is in bounds and on character boundaries. The checked slice cost a tenth of
        // the mention stage, which reads normal forms in every loop.
        unsafe { self.norms.get_unchecked(range) }
    }

    /// The surface text of a token range, with whitespace runs and tags collapsed to one space.
    ///
    /// ```
    /// let doc = cinegraph::text::Document::new("Sergei   Uresevsky");
    /// assert_eq!(doc.surface(0..2), "Sergei Uresevsky");
    /// ```
    pub fn surface(&self, tokens: Range<usize>) -> String {
        if tokens.is_empty() {
            return String::new();
        }
        let span = self.tokens[tokens.start].span.start..self.tokens[tokens.end - 1].span.end;
        clean_snippet(&self.text[span])
    }

    /// The text of a sentence, cleaned of tags and extra whitespace, for display.
    pub fn sentence_text(&self, sentence: &Sentence) -> String {
        clean_snippet(&self.text[sentence.span.clone()])
    }

    /// The byte span covering a token range.
    pub fn span(&self, tokens: Range<usize>) -> Range<usize> {
        if tokens.is_empty() {
            return 0..0;
        }
        self.tokens[tokens.start].span.start..self.tokens[tokens.end - 1].span.end
    }
}

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
fn tag_len(s: &str) -> Option<usize> {
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
fn is_inline_tag(tag: &str) -> bool {
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

fn normalize_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}')
}

/// Lower-cases, folds accents and normalises quotes: the form all matching is done on.
///
/// ```
/// assert_eq!(cinegraph::text::normalize_word("Skarsgård’s"), "skarsgard's");
/// ```
pub fn normalize_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_word_into(s, &mut out);
    out
}

/// [`normalize_word`], appending to `out`.
fn normalize_word_into(s: &str, out: &mut String) {
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

/// FNV-1a hash of some bytes: cheap, for the Bloom filters that skip most hash-map look-ups.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    fnv_extend(FNV_OFFSET, bytes)
}

/// The FNV-1a offset basis: the hash of no bytes.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Words to ids, by linear probing on the FNV-1a hash the tokeniser keeps for every token
/// ([`Document::norm_hash`]). Every token of every review is looked up, most of them in the
/// lexicon's table of some twenty thousand words, so the table is laid out for the cache: a
/// slot is 16 bytes (a tag of the hash, the length, the id and the first eight bytes of the
/// word), the table at most about half full, and a word of up to eight bytes is verified
/// against its slot alone; only longer words are compared with their full text.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordTable {
    /// A power of two of slots; `id == u32::MAX` marks an empty one.
    slots: Vec<WordSlot>,
    /// Every word, end to end, and where each id's word ends (ids are `0..n`).
    text: String,
    ends: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct WordSlot {
    /// The top 16 bits of the hash.
    tag: u16,
    /// The length in bytes, saturated.
    len: u16,
    id: u32,
    /// The first eight bytes, little-endian, zero-padded.
    head: u64,
}

const EMPTY_SLOT: WordSlot = WordSlot {
    tag: 0,
    len: 0,
    id: u32::MAX,
    head: 0,
};

/// The first eight bytes of a word as a little-endian number, zero-padded.
#[inline]
fn word_head(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(head) => u64::from_le_bytes(*head),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |head, (i, &b)| head | u64::from(b) << (8 * i)),
    }
}

impl WordSlot {
    fn of(word: &str, hash: u64, id: u32) -> WordSlot {
        WordSlot {
            tag: Self::tag(hash),
            len: Self::len(word),
            id,
            head: word_head(word.as_bytes()),
        }
    }

    fn tag(hash: u64) -> u16 {
        (hash >> 48) as u16
    }

    fn len(word: &str) -> u16 {
        word.len().min(usize::from(u16::MAX)) as u16
    }
}

impl WordTable {
    /// The table of these (word, id) pairs; ids are `0..n`, each given once.
    pub(crate) fn new<'a>(pairs: impl ExactSizeIterator<Item = (&'a str, u32)>) -> WordTable {
        let count = pairs.len();
        let size = (count + count / 2 + 1).next_power_of_two().max(16);
        let mut slots = vec![EMPTY_SLOT; size];
        let mut words = vec![""; count];
        for (word, id) in pairs {
            let h = fnv1a(word.as_bytes());
            let mut i = h as usize & (size - 1);
            while slots[i].id != u32::MAX {
                i = (i + 1) & (size - 1);
            }
            slots[i] = WordSlot::of(word, h, id);
            words[id as usize] = word;
        }
        let mut text = String::with_capacity(words.iter().map(|w| w.len()).sum());
        let mut ends = Vec::with_capacity(count);
        for word in words {
            text.push_str(word);
            ends.push(text.len() as u32);
        }
        WordTable { slots, text, ends }
    }

    /// The number of words.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The word of an id.
    fn word(&self, id: u32) -> &str {
        let start = match id {
            0 => 0,
            _ => self.ends[id as usize - 1] as usize,
        };
        &self.text[start..self.ends[id as usize] as usize]
    }

    /// Asks the processor to bring the first slot `get(_, h)` reads into the cache: a table
    /// too big for the caches answers a run of look-ups faster when they are announced ahead.
    #[inline]
    pub(crate) fn prefetch(&self, h: u64) {
        let slot = &self.slots[h as usize & (self.slots.len() - 1)];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it never faults, whatever the address.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (slot as *const WordSlot).cast(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// The id of `word`, whose FNV-1a hash is `h`.
    #[inline]
    pub(crate) fn get(&self, word: &str, h: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let (tag, len) = (WordSlot::tag(h), WordSlot::len(word));
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.id == u32::MAX {
                return None;
            }
            // The head is read only for a slot whose tag and length agree: most probes end
            // at an empty slot or a differing tag.
            if slot.tag == tag
                && slot.len == len
                && slot.head == word_head(word.as_bytes())
                && (word.len() <= 8 || self.word(slot.id) == word)
            {
                return Some(slot.id);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a over bytes, continuing from `h`: a streaming hash, so a word with one character
/// deleted hashes as its two halves in turn, without being built.
pub(crate) fn fnv_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

fn shape_of(s: &str) -> Shape {
    let Some(first) = s.chars().next() else {
        return Shape::Other;
    };
    // One pass over the characters for every property the shape depends on.
    let (mut any_alnum, mut all_digits, mut has_lower, mut has_upper) = (false, true, false, false);
    if s.is_ascii() {
        for b in s.bytes() {
            any_alnum |= b.is_ascii_alphanumeric();
            all_digits &= b.is_ascii_digit();
            has_lower |= b.is_ascii_lowercase();
            has_upper |= b.is_ascii_uppercase();
        }
    } else {
        for c in s.chars() {
            any_alnum |= c.is_alphanumeric();
            all_digits &= c.is_ascii_digit();
            has_lower |= c.is_lowercase();
            has_upper |= c.is_uppercase();
        }
    }
    if !any_alnum {
        return Shape::Punct;
    }
    if all_digits {
        return Shape::Number;
    }
    if first.is_uppercase() {
        if has_lower {
            // `McQueen`, `D'Or`, `DeMille` are capitalised words.
            Shape::Capitalized
        } else {
            Shape::AllCaps
        }
    } else if first.is_lowercase() {
        Shape::Lower
    } else if has_upper && !has_lower {
        Shape::AllCaps
    } else {
        Shape::Other
    }
}

/// What the tokeniser makes of a text.
struct Tokens {
    tokens: Vec<Token>,
    /// The normal forms, end to end.
    norms: String,
    /// Indices of the tokens that follow a hard break (an HTML tag or a blank line), where a
    /// sentence always ends.
    breaks: Vec<usize>,
}

/// The normal forms of the tokens of a text, joined by single spaces (`Palm  D’Or` ->
/// `palm d'or`): [`Document::new`] without the sentences, for the lexicon's thirty thousand
/// names and the rules' phrases (startup: 10 M fewer instructions of 423 M, callgrind).
pub(crate) fn joined_norms(text: &str) -> String {
    let Tokens { tokens, norms, .. } = tokenize(text);
    let mut joined = String::with_capacity(norms.len() + tokens.len());
    for token in &tokens {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&norms[token.norm.start as usize..token.norm.end as usize]);
    }
    joined
}

/// Splits the text into tokens.
fn tokenize(text: &str) -> Tokens {
    tokenize_with(text, true)
}

/// [`tokenize`], with or without the fast path for plain ASCII words (tests compare the two).
fn tokenize_with(text: &str, plain_words_fast: bool) -> Tokens {
    // Reviews average about five bytes a token (word and space); a third of the length never
    // needs to grow.
    let mut tokens = Vec::with_capacity(text.len() / 3 + 8);
    // Normal forms are about as long as the words, which are shorter than the text.
    let mut norms = String::with_capacity(text.len());
    let mut breaks = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut newlines = 0;
    while i < text.len() {
        // ASCII space and control bytes (what `is_whitespace() || is_control()` says of
        // ASCII), the most frequent bytes after letters, skip the general path.
        let b = bytes[i];
        if b <= b' ' || b == 0x7F {
            if b == b'\n' {
                newlines += 1;
                if newlines >= 2 {
                    breaks.push(tokens.len());
                }
            }
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let c = match b {
            0..0x80 => char::from(b),
            _ => rest.chars().next().expect("i is a char boundary"),
        };
        if c == '<'
            && let Some(len) = tag_len(rest)
        {
            if !is_inline_tag(&rest[..len]) {
                breaks.push(tokens.len());
            }
            i += len;
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            if c == '\n' {
                newlines += 1;
                if newlines >= 2 {
                    breaks.push(tokens.len());
                }
            }
            i += c.len_utf8();
            continue;
        }
        newlines = 0;
        if plain_words_fast
            && b.is_ascii_alphanumeric()
            && let Some(end) = plain_word_end(bytes, i)
        {
            push_plain_token(&mut tokens, &mut norms, &bytes[i..end], i..end);
            i = end;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut end = i + c.len_utf8();
            loop {
                // Most words are ASCII letters and digits.
                while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                    end += 1;
                }
                let rest = &text[end..];
                let Some(n) = rest.chars().next() else { break };
                // An ASCII character here is no letter or digit (the loop above took those).
                if !n.is_ascii()
                    && (n.is_alphanumeric() || unicode_normalization::char::is_combining_mark(n))
                {
                    end += n.len_utf8();
                    continue;
                }
                // Inner joiners: `D'Or`, `three-year-old`, `06-02-41`; but a possessive `'s`
                // becomes a token of its own.
                if (is_apostrophe(n) || n == '-' || n == '.' && bytes[start].is_ascii_digit())
                    && let Some(after) = rest[n.len_utf8()..].chars().next()
                    && after.is_alphanumeric()
                {
                    if is_apostrophe(n) {
                        let tail = &rest[n.len_utf8()..];
                        let mut t = tail.chars();
                        if matches!(t.next(), Some('s' | 'S'))
                            && !t.next().is_some_and(|x| x.is_alphanumeric())
                        {
                            break;
                        }
                    }
                    end += n.len_utf8() + after.len_utf8();
                    continue;
                }
                break;
            }
            push_token(&mut tokens, &mut norms, text, start..end);
            i = end;
            continue;
        }
        if is_apostrophe(c) {
            // Possessive `'s` / `’s` after a word, or a bare `s'` plural possessive.
            let tail = &rest[c.len_utf8()..];
            let mut t = tail.chars();
            // `'s` alone (as in a rule pattern) is the possessive too.
            if (tokens.is_empty() || tokens.last().is_some_and(|t: &Token| t.span.end == i))
                && matches!(t.next(), Some('s' | 'S'))
                && !t.next().is_some_and(|x| x.is_alphanumeric())
            {
                push_token(&mut tokens, &mut norms, text, i..i + c.len_utf8() + 1);
                i += c.len_utf8() + 1;
                continue;
            }
            // `Nichols' film`: the apostrophe after a word ending in s is its possessive.
            let after_s_word = tokens.last().is_some_and(|t: &Token| {
                t.span.end == i
                    && norms[t.norm.start as usize..t.norm.end as usize].ends_with('s')
                    && t.shape != Shape::Punct
            });
            if after_s_word && !tail.chars().next().is_some_and(|x| x.is_alphanumeric()) {
                let from = norms.len() as u32;
                norms.push_str("'s");
                tokens.push(Token {
                    span: i..i + c.len_utf8(),
                    norm: from..norms.len() as u32,
                    norm_hash: fnv1a(b"'s"),
                    shape: Shape::Punct,
                });
                i += c.len_utf8();
                continue;
            }
        }
        push_token(&mut tokens, &mut norms, text, i..i + c.len_utf8());
        i += c.len_utf8();
    }
    Tokens {
        tokens,
        norms,
        breaks,
    }
}

/// Byte classes of ASCII, for the one-pass normal form and shape of a plain token.
const ALNUM: u8 = 1;
const DIGIT: u8 = 2;
const LOWER: u8 = 4;
const UPPER: u8 = 8;
/// Not plain: a non-ASCII byte or a backquote, which need the full normalisation.
const SPECIAL: u8 = 16;
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c >= 0x80 || c == b'`' {
            SPECIAL
        } else if c.is_ascii_digit() {
            ALNUM | DIGIT
        } else if c.is_ascii_lowercase() {
            ALNUM | LOWER
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else {
            0
        };
        b += 1;
    }
    table
};

fn push_token(tokens: &mut Vec<Token>, norms: &mut String, text: &str, span: Range<usize>) {
    let surface = &text.as_bytes()[span.clone()];
    if !surface
        .iter()
        .any(|&b| BYTE_CLASS[usize::from(b)] & SPECIAL != 0)
    {
        push_plain_token(tokens, norms, surface, span);
        return;
    }
    let from = norms.len();
    let surface = &text[span.clone()];
    normalize_word_into(surface, norms);
    tokens.push(Token {
        norm: from as u32..norms.len() as u32,
        norm_hash: fnv1a(&norms.as_bytes()[from..]),
        shape: shape_of(surface),
        span,
    });
}

/// Pushes a token whose bytes are plain ASCII (no SPECIAL byte): its normal form, hash and
/// shape come from one pass over the bytes, the same as `normalize_word`, `fnv1a` and
/// `shape_of` give.
fn push_plain_token(
    tokens: &mut Vec<Token>,
    norms: &mut String,
    surface: &[u8],
    span: Range<usize>,
) {
    debug_assert!(
        surface
            .iter()
            .all(|&b| BYTE_CLASS[usize::from(b)] & SPECIAL == 0)
    );
    let from = norms.len();
    let (mut any, mut all, mut hash) = (0u8, DIGIT, FNV_OFFSET);
    // SAFETY: every byte is ASCII (the caller checked that none is SPECIAL), and an ASCII
    // capital becomes its small letter (UPPER << 2 is 0x20): the buffer stays valid UTF-8.
    unsafe { norms.as_mut_vec() }.extend(surface.iter().map(|&b| {
        let class = BYTE_CLASS[usize::from(b)];
        any |= class;
        all &= class;
        let lower = b | ((class & UPPER) << 2);
        hash = (hash ^ u64::from(lower)).wrapping_mul(FNV_PRIME);
        lower
    }));
    let shape = if any & ALNUM == 0 {
        Shape::Punct
    } else if all & DIGIT != 0 {
        Shape::Number
    } else {
        let first = BYTE_CLASS[usize::from(surface[0])];
        if first & UPPER != 0 {
            if any & LOWER != 0 {
                Shape::Capitalized
            } else {
                Shape::AllCaps
            }
        } else if first & LOWER != 0 {
            Shape::Lower
        } else if any & UPPER != 0 && any & LOWER == 0 {
            Shape::AllCaps
        } else {
            Shape::Other
        }
    };
    tokens.push(Token {
        norm: from as u32..norms.len() as u32,
        norm_hash: hash,
        shape,
        span,
    });
}

/// The end of the word starting with the ASCII letter or digit at `start`, when the word is
/// plain ASCII: the same end as the general loop of [`tokenize`] finds (inner `'`, `-`, and
/// `.` between digits join; a possessive `'s` does not). `None` when a non-ASCII character or
/// a backquote takes part in the decision, which the general loop then makes.
fn plain_word_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = start + 1;
    loop {
        end += ascii_alphanumeric_run(bytes, end);
        let Some(&next) = bytes.get(end) else {
            return Some(end);
        };
        if next >= 0x80 || next == b'`' {
            return None;
        }
        let joiner = next == b'\'' || next == b'-' || next == b'.' && bytes[start].is_ascii_digit();
        if !joiner {
            return Some(end);
        }
        match bytes.get(end + 1) {
            None => return Some(end),
            Some(&after) if after >= 0x80 => return None,
            Some(&after) if !after.is_ascii_alphanumeric() => return Some(end),
            Some(&after) => {
                if next == b'\'' && matches!(after, b's' | b'S') {
                    match bytes.get(end + 2) {
                        None => return Some(end),
                        Some(&x) if x >= 0x80 => return None,
                        Some(&x) if !x.is_ascii_alphanumeric() => return Some(end),
                        Some(_) => {}
                    }
                }
            }
        }
        end += 2;
    }
}

/// How many ASCII letters and digits `bytes` has from `from` on, before anything else.
///
/// Words are short and of every length: a byte loop mispredicts its exit once a word, which
/// cost more than the loop itself. Sixteen bytes are classified at once instead.
#[inline]
fn ascii_alphanumeric_run(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    #[cfg(target_arch = "x86_64")]
    while let Some(block) = bytes.get(end..end + 16) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the load reads the sixteen bytes of `block`,
        // unaligned.
        let run = unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let zero = _mm_setzero_si128();
            // `x - lo <= span` unsigned, as a saturating subtraction that leaves zero.
            let within = |x: __m128i, lo: u8, span: u8| {
                let d = _mm_sub_epi8(x, _mm_set1_epi8(lo as i8));
                _mm_cmpeq_epi8(_mm_subs_epu8(d, _mm_set1_epi8(span as i8)), zero)
            };
            let digit = within(v, b'0', 9);
            // Setting bit 5 makes capitals small and maps no other byte onto a letter.
            let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 25);
            let mask = _mm_movemask_epi8(_mm_or_si128(digit, letter)) as u32;
            (!mask).trailing_zeros() as usize
        };
        end += run;
        if run < 16 {
            return end - from;
        }
    }
    while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    end - from
}

fn split_sentences(doc: &Document, breaks: &[usize]) -> Vec<Sentence> {
    let (tokens, text) = (&doc.tokens, &doc.text);
    // About a sentence every twenty tokens: sized once instead of grown from empty.
    let mut sentences = Vec::with_capacity(tokens.len() / 16 + breaks.len() + 1);
    let mut start = 0;
    let mut next_break = breaks.iter().peekable();
    let mut i = 0;
    while i < tokens.len() {
        while next_break.peek().is_some_and(|&&b| b <= i) {
            let b = *next_break.next().expect("peeked");
            if b == i && i > start {
                push_sentence(&mut sentences, tokens, start..i);
                start = i;
            }
        }
        let t = &tokens[i];
        let mut end_here = false;
        if t.shape == Shape::Punct && matches!(doc.norm_of(t), "." | "!" | "?") {
            // Absorb runs of terminators and closing quotes/brackets: `...`, `?!`, `."`.
            let mut j = i + 1;
            while j < tokens.len()
                && matches!(doc.norm(j), "." | "!" | "?" | "\"" | "'" | ")")
                && tokens[j].span.start == tokens[j - 1].span.end
            {
                j += 1;
            }
            let prev = i.checked_sub(1).map(|p| &tokens[p]);
            let is_abbrev = doc.norm(i) == "."
                && j == i + 1
                && prev.is_some_and(|p| {
                    let norm = doc.norm_of(p);
                    p.span.end == t.span.start
                        && (ABBREVIATIONS.contains(&norm)
                            || (p.shape == Shape::AllCaps && norm.chars().count() == 1))
                });
            let next = tokens.get(j);
            let next_starts = next.is_none_or(|n| {
                !matches!(n.shape, Shape::Lower) || text[n.span.clone()].starts_with('"')
            });
            if !is_abbrev && next_starts {
                end_here = true;
                i = j - 1;
            }
        }
        i += 1;
        if end_here {
            push_sentence(&mut sentences, tokens, start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        push_sentence(&mut sentences, tokens, start..tokens.len());
    }
    sentences
}

fn push_sentence(sentences: &mut Vec<Sentence>, tokens: &[Token], range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    let span = tokens[range.start].span.start..tokens[range.end - 1].span.end;
    sentences.push(Sentence {
        tokens: range,
        span,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(doc: &Document) -> Vec<&str> {
        (0..doc.tokens.len()).map(|t| doc.norm(t)).collect()
    }

    /// The fast path for plain ASCII words gives exactly the tokens of the general loop, on
    /// text made of the characters that decide where words end.
    #[test]
    fn plain_word_fast_path_agrees_with_the_general_loop() {
        const ALPHABET: &[&str] = &[
            "a", "S", "s", "Z", "0", "9", "'", "`", "-", ".", " ", "\n", ",", "’", "é", "e\u{301}",
            "<br />", "\"", "(", "x",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
            }
            let (fast, general) = (tokenize_with(&text, true), tokenize_with(&text, false));
            assert_eq!(fast.tokens, general.tokens, "{text:?}");
            assert_eq!(fast.norms, general.norms, "{text:?}");
            assert_eq!(fast.breaks, general.breaks, "{text:?}");
        }
    }

    /// The sixteen-byte classifier counts the same run as a byte loop, for every byte value
    /// at every place of a block and across block ends.
    #[test]
    fn alphanumeric_run_agrees_with_a_byte_loop() {
        let byte_loop = |bytes: &[u8], from: usize| {
            bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count()
        };
        for stop in 0..=255u8 {
            for at in 0..40 {
                let mut bytes = vec![b'k'; 40];
                bytes[at] = stop;
                for from in 0..bytes.len() {
                    assert_eq!(
                        ascii_alphanumeric_run(&bytes, from),
                        byte_loop(&bytes, from),
                        "byte {stop:#x} at {at}, from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn possessive_and_inner_apostrophe() {
        let doc = Document::new("Eisenstein's IVAN and the Palm D'Or, Hitchcock’s film");
        assert_eq!(
            norms(&doc),
            [
                "eisenstein",
                "'s",
                "ivan",
                "and",
                "the",
                "palm",
                "d'or",
                ",",
                "hitchcock",
                "'s",
                "film"
            ]
        );
    }

    #[test]
    fn plural_possessive_is_a_possessive() {
        let doc = Document::new("Mike Nichols' film");
        assert_eq!(norms(&doc), ["mike", "nichols", "'s", "film"]);
        assert_eq!(&doc.text[doc.tokens[2].span.clone()], "'");
    }

    #[test]
    fn sentences_split_on_tags_and_terminators_not_initials() {
        let doc = Document::new("Directed by Sergei M. Eisenstein. It won.<br /><br />great film");
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(
            doc.sentence_text(&doc.sentences[0]),
            "Directed by Sergei M. Eisenstein."
        );
    }

    #[test]
    fn inline_tags_do_not_end_a_sentence() {
        let doc = Document::new(
            "<i>Vertigo</i> was <B>directed by</B> <a href=\"x\">Hitchcock</a>.<p>Next",
        );
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(
            norms(&doc)[..6],
            ["vertigo", "was", "directed", "by", "hitchcock", "."]
        );
    }

    #[test]
    fn spans_point_into_original() {
        let text = "“CROSS FLYING” (1957)";
        let doc = Document::new(text);
        for t in &doc.tokens {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        }
        assert_eq!(doc.norm(0), "\"");
        assert_eq!(doc.tokens[1].shape, Shape::AllCaps);
    }
}
