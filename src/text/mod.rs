//! The text stage: a review's original text split into sentences and tokens, every token a byte
//! span of the original, so every later stage can point back at the exact words.
//!
//! HTML tags are skipped: line and block tags such as `<br />` or `</p>` end a sentence, inline
//! formatting tags (`<i>`, `<b>`, `<em>`, `<a href=…>`…) do not; typographic quotes and
//! apostrophes are normalised in each token's [`Token::norm`] form, and whitespace runs never
//! become tokens. The original text is never modified.

//! The folder holds one concern a file: `tokenize` (tokens and their normal forms),
//! `sentences` (sentence splitting), `snippet` (display text of snippets, HTML tags),
//! [`normalize`] (normal forms and name keys), `word_table` (the word -> id table of every
//! token look-up) and `hash` (FNV-1a, the hash they share).

mod hash;
pub mod normalize;
mod sentences;
mod snippet;
mod tokenize;
mod word_table;

pub(crate) use hash::{FNV_OFFSET, fnv_extend, fnv1a};
pub use normalize::normalize_word;
pub use snippet::clean_snippet;
pub(crate) use snippet::clean_snippet_cow;
pub(crate) use word_table::WordTable;

use std::ops::Range;
use tokenize::{Tokens, tokenize};

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
        doc.sentences = sentences::split_sentences(&doc, &breaks);
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
        // SAFETY: `Token::norm` is private and set only by the tokeniser (`text::tokenize`), to
        // the range of the normal form it has just appended to `norms`, which is never changed
        // afterwards: the range is in bounds and on character boundaries. The checked slice
        // was a visible cost of the mention stage, which reads normal forms in every loop.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(doc: &Document) -> Vec<&str> {
        (0..doc.tokens.len()).map(|t| doc.norm(t)).collect()
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
