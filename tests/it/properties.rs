//! Property tests (proptest) of everything that reads text written by strangers: the tokeniser,
//! the whole extractor, the rule-file parser and the JSONL reader. None may panic, whatever the
//! text; every span must lie inside the text, on character boundaries.
//!
//! `PROPTEST_CASES=N cargo test --test it properties` runs more cases than the defaults below.

use cinegraph::Extractor;
use cinegraph::input;
use cinegraph::model::ReviewInput;
use cinegraph::rules::RuleSet;
use cinegraph::text::Document;
use proptest::prelude::*;
use std::io::Write;
use std::ops::Range;
use std::sync::OnceLock;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Shrinking a failure of the whole extractor can take long; a few hundred steps is
        // plenty to get a readable input.
        max_shrink_iters: 512,
        ..ProptestConfig::default()
    }
}

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::load_default().expect("the shipped ontology loads"))
}

/// Pieces of review-like text: words the rules look for, names, titles, markup, quotes,
/// typographic punctuation, control characters, odd Unicode (combining marks, ligatures,
/// right-to-left, zero-width, letters whose case mapping changes their length).
const PIECES: &[&str] = &[
    "Directed by ",
    "directed by ",
    "Mikhail Kalatozov",
    "Kalatozov",
    "KALATOZOV",
    "The Cranes Are Flying",
    "CRANES ARE FLYING",
    "Tatiana Samoilova",
    " as ",
    " plays ",
    " stars ",
    " won the ",
    "Palme d’Or",
    "Best Actress",
    " at Cannes",
    "cinematographer Sergei Uresevsky",
    "(1957)",
    " in 1957",
    "Ivan the Terrible",
    "Sam Raimi's ",
    "'s ",
    "s' ",
    "this film",
    " the film ",
    "Mr. ",
    "Dr.",
    "e.g. ",
    ". ",
    "! ",
    "? ",
    "...",
    ", ",
    "; ",
    ": ",
    " - ",
    " — ",
    "\"",
    "“",
    "”",
    "'",
    "‘",
    "’",
    "`",
    "(",
    ")",
    "[",
    "]",
    "<br />",
    "<br /><br />",
    "<i>",
    "</i>",
    "<a href=\"x\">",
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "&amp;",
    "&#39;",
    "&",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{ad}",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
    "e\u{301}",
    "\u{301}",
    "ﬁ",
    "ß",
    "ẞ",
    "İ",
    "ǅ",
    "ΐ",
    "Σ",
    "Ⅻ",
    "١٩٥٧",
    "Летят журавли",
    "Михаил Калатозов",
    "東京物語",
    "小津安二郎",
    "🎬",
    "👩‍👩‍👧",
    "🇫🇷",
    "a",
    "I",
    " ",
    "  ",
    "1",
    "0",
    "tt0050634",
];

/// Review-like text: pieces, arbitrary characters and long runs, concatenated.
fn review_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(str::to_string),
        2 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[A-Z][a-z]{1,12}",
        1 => (prop::sample::select(&["a", "A", "é", "ж", ".", "-", "'", "\u{301}", "<", " "][..]),
              1usize..3000)
            .prop_map(|(s, n)| s.repeat(n)),
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..80).prop_map(|v| v.concat()),
        1 => any::<String>(),
        1 => "\\PC{0,300}",
    ]
}

fn assert_span(text: &str, span: &Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside a text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on character boundaries"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Tokens and sentences are spans of the original text, in order, on char boundaries.
    #[test]
    fn document_spans_are_inside_the_text(text in review_text()) {
        let doc = Document::new(text.as_str());
        prop_assert_eq!(&doc.text, &text);
        let mut previous_end = 0;
        for t in &doc.tokens {
            assert_span(&text, &t.span, "token")?;
            prop_assert!(t.span.start < t.span.end, "empty token {t:?}");
            prop_assert!(t.span.start >= previous_end, "tokens overlap at {t:?}");
            previous_end = t.span.end;
        }
        for s in &doc.sentences {
            assert_span(&text, &s.span, "sentence")?;
            prop_assert!(s.tokens.start <= s.tokens.end && s.tokens.end <= doc.tokens.len());
            let _ = doc.sentence_text(s);
            let _ = doc.surface(s.tokens.clone());
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// The whole pipeline is total: any text gives a review, every fact's span is inside it.
    #[test]
    fn extraction_never_panics_and_fact_spans_are_inside(
        text in review_text(),
        imdb in prop::option::of(prop_oneof!["tt[0-9]{7}", "\\PC{0,12}"]),
    ) {
        let input = ReviewInput {
            source_id: "prop".into(),
            text: text.clone(),
            imdb,
            rating: None,
        };
        let review = extractor().extract(&input);
        prop_assert!(review.film < review.entities.len());
        for f in &review.facts {
            assert_span(&text, &f.span, "fact")?;
            prop_assert!(f.subject < review.entities.len());
        }
        for e in &review.entities {
            prop_assert!(!e.iri.is_empty());
        }
        // The quads of any review are valid RDF terms (Oxigraph would refuse them otherwise).
        let _ = cinegraph::rdf::review_quads(&review);
    }
}

/// Rule-file-like text: keywords, patterns with quotes, classes, macros and repetition.
fn rule_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(
            &[
                "rule ",
                "define ",
                "  match ",
                "  emit ",
                "  confidence ",
                "  unless ",
                "  unless-after ",
                "  requires-before ",
                "  | ",
                "FILM",
                "PERSON",
                "NAME",
                "TITLE",
                "YEAR",
                "AWARD",
                "CHARACTER",
                ":x",
                ":film",
                ":person",
                "|",
                "?",
                "*",
                "+",
                "...",
                "{1,2}",
                "{0,",
                "{",
                "}",
                "\"",
                "\"directed by\"",
                "\"(\"",
                "@NEG",
                "@",
                "@WIN",
                "_",
                "_{0,3}",
                "=",
                " = ",
                "a | b",
                "director",
                "actor",
                "plays",
                "film|FILM",
                "0.5",
                "1.5",
                "-1",
                "NaN",
                "#",
                " ",
                "\n",
                "\t",
                "(",
                ")",
                "[",
                "\\",
                "$",
                "^",
                ".",
                "x",
                "é",
                "\u{0}",
            ][..]
        )
        .prop_map(str::to_string),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop_oneof![
        4 => prop::collection::vec(token, 0..60).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// The rule parser never panics; an error names the file and a line:column.
    #[test]
    fn rule_parser_never_panics(text in rule_text()) {
        if let Err(e) = RuleSet::parse("fuzz.rules", &text) {
            let message = e.to_string();
            prop_assert!(message.starts_with("fuzz.rules:"), "{message}");
            prop_assert!(
                matches!(e, cinegraph::error::Error::Syntax { position: Some(_), .. }),
                "no position: {message}"
            );
        }
    }
}

/// JSONL-like lines: valid reviews, broken JSON, invalid UTF-8, blanks, arbitrary bytes.
fn jsonl_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (review_text(), prop::option::of("[a-z0-9]{1,8}")).prop_map(|(text, id)| {
            serde_json::json!({"id": id, "text": text}).to_string().into_bytes()
        }),
        1 => (any::<i64>(), any::<String>()).prop_map(|(n, s)| {
            serde_json::json!({"id": n, "rating": s, "imdb": s}).to_string().into_bytes()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(|bytes| {
            let mut line = b"{\"id\": \"x\", \"text\": \"".to_vec();
            line.extend(bytes.into_iter().filter(|&b| b != b'"' && b != b'\\' && b != b'\n'));
            line.extend(b"\"}");
            line
        }),
        1 => Just(Vec::new()),
        1 => Just(b"   \t\r".to_vec()),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    /// The JSONL reader never panics; every line is a review or a problem at `path:line`.
    #[test]
    fn jsonl_reader_never_panics(lines in prop::collection::vec(jsonl_line(), 0..20)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let mut file = std::fs::File::create(&path).unwrap();
        for line in &lines {
            file.write_all(line).unwrap();
            file.write_all(b"\n").unwrap();
        }
        drop(file);
        // Arbitrary bytes may hold newlines: count the lines of the file, not the strategy's.
        let physical_lines = lines.iter().map(|l| l.iter().filter(|&&b| b == b'\n').count() + 1).sum::<usize>();
        let prefix = format!("{}:", path.display());
        let mut reviews = 0;
        let mut skipped = 0;
        for item in input::open(&path).unwrap() {
            match item {
                Ok(review) => {
                    reviews += 1;
                    prop_assert!(!review.text.trim().is_empty());
                }
                Err(p) => {
                    prop_assert!(p.location.starts_with(&prefix), "{p:?}");
                    let line: usize = p.location[prefix.len()..].parse().unwrap();
                    prop_assert!(line >= 1 && line <= physical_lines, "{p:?}");
                    skipped += usize::from(p.skipped);
                }
            }
        }
        // A line gives one review, one skip, or nothing (blank) — never more.
        prop_assert!(reviews + skipped <= physical_lines);
        // The same bytes as a `.txt` review: one review or one problem, never a panic.
        let txt = dir.path().join("review.txt");
        std::fs::write(&txt, lines.concat()).unwrap();
        let items: Vec<_> = input::open(&txt).unwrap().collect();
        prop_assert!(!items.is_empty() && items.len() <= 2, "{items:?}");
    }
}

/// Control characters and markup reach the tokeniser, which never makes tokens of them, and
/// the facts around them are still found.
#[test]
fn markup_and_control_characters_are_harmless() {
    let text = "\u{1b}[1m<b>The Cranes Are Flying</b>\u{0}\u{7} (1957) was <i>directed by</i>\u{200b} \
                Mikhail Kalatozov.\u{7f}<br /><script>alert(1)</script>";
    let doc = Document::new(text);
    for t in &doc.tokens {
        let surface = &text[t.span.clone()];
        assert!(
            !surface.chars().any(char::is_control),
            "control character in token {surface:?}"
        );
        assert!(!surface.starts_with('<'), "markup in token {surface:?}");
    }
    let review = extractor().extract(&ReviewInput {
        source_id: "markup".into(),
        text: text.into(),
        imdb: None,
        rating: None,
    });
    let director = review
        .facts
        .iter()
        .find(|f| f.relation.key() == "director")
        .expect("the director is still found");
    let cinegraph::resolve::Value::Entity(person) = &director.object else {
        panic!("director is an entity")
    };
    assert_eq!(review.entities[*person].label, "Mikhail Kalatozov");
}
