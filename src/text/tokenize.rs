//! The tokeniser: a text cut into tokens (byte spans), each with its normal form written into
//! one buffer, its FNV-1a hash and its shape, in one pass; hard breaks (block tags, blank
//! lines) noted for the sentence splitter. Plain ASCII words, most of every review, take a
//! fast path that classifies bytes by table and sixteen at a time.

use super::hash::{FNV_OFFSET, FNV_PRIME, fnv1a};
use super::normalize::normalize_word_into;
use super::snippet::{is_inline_tag, tag_len};
use super::{Shape, Token};
use std::ops::Range;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}')
}

/// The shape of a token's surface (the general path; plain tokens get theirs from
/// [`push_plain_token`]).
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
pub(super) struct Tokens {
    pub(super) tokens: Vec<Token>,
    /// The normal forms, end to end.
    pub(super) norms: String,
    /// Indices of the tokens that follow a hard break (an HTML tag or a blank line), where a
    /// sentence always ends.
    pub(super) breaks: Vec<usize>,
}

/// The normal forms of the tokens of a text, joined by single spaces (`Palm  D’Or` ->
/// `palm d'or`): `Document::new` without the sentences, for the lexicon's thirty thousand
/// names and the rules' phrases, which need no sentences.
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
pub(super) fn tokenize(text: &str) -> Tokens {
    Tokenizer::new(text).run::<true>()
}

/// [`tokenize`] without the fast path for plain ASCII words: the general loop alone, which
/// the fast path must agree with.
#[cfg(test)]
fn tokenize_general(text: &str) -> Tokens {
    Tokenizer::new(text).run::<false>()
}

/// The tokeniser's state while it walks a text.
struct Tokenizer<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    norms: String,
    breaks: Vec<usize>,
    /// Newlines since the last token: two make a hard break.
    newlines: usize,
}

impl<'t> Tokenizer<'t> {
    fn new(text: &'t str) -> Self {
        Tokenizer {
            text,
            // Reviews average about five bytes a token (word and space); a third of the
            // length never needs to grow.
            tokens: Vec::with_capacity(text.len() / 3 + 8),
            // Normal forms are about as long as the words, which are shorter than the text.
            norms: String::with_capacity(text.len()),
            breaks: Vec::new(),
            newlines: 0,
        }
    }

    /// Tokenises the whole text; `PLAIN_FAST` takes plain ASCII words by the fast path.
    fn run<const PLAIN_FAST: bool>(mut self) -> Tokens {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let mut i = 0;
        while i < text.len() {
            // ASCII space and control bytes (what `is_whitespace() || is_control()` says of
            // ASCII), the most frequent bytes after letters, skip the general path.
            let b = bytes[i];
            if b <= b' ' || b == 0x7F {
                if b == b'\n' {
                    self.newline();
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
                    self.breaks.push(self.tokens.len());
                }
                i += len;
                continue;
            }
            if c.is_whitespace() || c.is_control() {
                if c == '\n' {
                    self.newline();
                }
                i += c.len_utf8();
                continue;
            }
            self.newlines = 0;
            if PLAIN_FAST
                && b.is_ascii_alphanumeric()
                && let Some(end) = plain_word_end(bytes, i)
            {
                push_plain_token(&mut self.tokens, &mut self.norms, &bytes[i..end], i..end);
                i = end;
                continue;
            }
            i = self.token_at(i, c);
        }
        Tokens {
            tokens: self.tokens,
            norms: self.norms,
            breaks: self.breaks,
        }
    }

    fn newline(&mut self) {
        self.newlines += 1;
        if self.newlines >= 2 {
            self.breaks.push(self.tokens.len());
        }
    }

    /// Pushes the token that starts with `c` at `i` (no space, no tag) and returns its end.
    fn token_at(&mut self, i: usize, c: char) -> usize {
        let end = if c.is_alphanumeric() {
            word_end(self.text, i, c)
        } else if is_apostrophe(c)
            && let Some(end) = self.possessive_at(i, c)
        {
            return end;
        } else {
            i + c.len_utf8()
        };
        push_token(&mut self.tokens, &mut self.norms, self.text, i..end);
        end
    }

    /// Pushes the possessive that apostrophe `c` at `i` starts, if it starts one, and returns
    /// its end: `'s` / `’s` after a word, or a bare `s'` plural possessive.
    fn possessive_at(&mut self, i: usize, c: char) -> Option<usize> {
        let tail = &self.text[i + c.len_utf8()..];
        let mut t = tail.chars();
        // `'s` alone (as in a rule pattern) is the possessive too.
        if (self.tokens.is_empty() || self.tokens.last().is_some_and(|t| t.span.end == i))
            && matches!(t.next(), Some('s' | 'S'))
            && !t.next().is_some_and(|x| x.is_alphanumeric())
        {
            let end = i + c.len_utf8() + 1;
            push_token(&mut self.tokens, &mut self.norms, self.text, i..end);
            return Some(end);
        }
        // `Nichols' film`: the apostrophe after a word ending in s is its possessive.
        let norms = &self.norms;
        let after_s_word = self.tokens.last().is_some_and(|t| {
            t.span.end == i
                && norms[t.norm.start as usize..t.norm.end as usize].ends_with('s')
                && t.shape != Shape::Punct
        });
        if !after_s_word || tail.chars().next().is_some_and(|x| x.is_alphanumeric()) {
            return None;
        }
        let from = self.norms.len() as u32;
        self.norms.push_str("'s");
        self.tokens.push(Token {
            span: i..i + c.len_utf8(),
            norm: from..self.norms.len() as u32,
            norm_hash: fnv1a(b"'s"),
            shape: Shape::Punct,
        });
        Some(i + c.len_utf8())
    }
}

/// The end of the word that starts with the letter or digit `c` at `start` (the general path,
/// for any text): inner `'`, `-`, and `.` between digits join, a possessive `'s` does not.
fn word_end(text: &str, start: usize, c: char) -> usize {
    let bytes = text.as_bytes();
    let mut end = start + c.len_utf8();
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
    end
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

#[cfg(test)]
mod tests {
    use super::*;

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
            let (fast, general) = (tokenize(&text), tokenize_general(&text));
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
}
