//! The mention and fact stages: tokens plus the lexicon give [`Mention`]s (people, films, awards,
//! festivals, years, references to the reviewed film, and unknown capitalised names); compiled
//! rules over each sentence's mentions give [`Fact`]s with their rule, sentence and span.
//! Nothing here fails on prose: odd text only yields fewer facts and, maybe, [`Diagnostic`]s.

mod apply;
mod encode;
mod mentions;
mod not_person;
mod pair_order;
mod right_film;
mod roles;

pub use apply::apply_rules;
pub use encode::encoded_sentences;
pub use mentions::find_mentions;

use crate::lexicon::{EntryId, Lexicon};
use crate::model::Relation;
use crate::rules::{MentionClass, RuleSet};
use crate::text::Document;
use std::ops::Range;

/// What a mention is, as far as the text and the lexicon tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionKind {
    /// A person name (linked to the lexicon, or typed by a fuzzy match).
    Person,
    /// A film title.
    Film,
    /// A phrase referring to the reviewed film: `this film`, `the movie`.
    ThisFilm,
    /// An award or award category.
    Award,
    /// A festival or award ceremony.
    Festival,
    /// A four-digit year.
    Year,
    /// A capitalised name of unknown type (person or character, decided by rules).
    Name,
    /// `he` or `she`: a person named before (resolved by coreference).
    Pronoun,
}

impl MentionKind {
    /// The placeholder class of this kind (mentions refine a name to a short name and an
    /// award to an acting award).
    pub fn class(self) -> MentionClass {
        match self {
            MentionKind::Person => MentionClass::Person,
            MentionKind::Film => MentionClass::Film,
            MentionKind::ThisFilm => MentionClass::ThisFilm,
            MentionKind::Award => MentionClass::Award,
            MentionKind::Festival => MentionClass::Festival,
            MentionKind::Year => MentionClass::Year,
            MentionKind::Name => MentionClass::Name,
            MentionKind::Pronoun => MentionClass::Pronoun,
        }
    }
}

/// How a mention was linked to a lexicon entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMethod {
    /// The surface is the entry's label or one of its aliases.
    Exact,
    /// A transliteration-aware fuzzy match.
    Fuzzy,
    /// A lone surname that only one lexicon person has; a full name in the review wins.
    Surname,
}

/// A lexicon link of a mention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// The entry.
    pub entry: EntryId,
    /// How it was found.
    pub method: LinkMethod,
    /// Quality of the link, 0..1.
    pub score: f32,
}

/// A span of a review naming something.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// What it names.
    pub kind: MentionKind,
    /// Token range in the document.
    pub tokens: Range<usize>,
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// Surface text (whitespace collapsed).
    pub surface: String,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// Lexicon link, when one was found.
    pub link: Option<Link>,
    /// Its class in encoded sentences: the kind's, refined for one-word names
    /// ([`MentionClass::ShortName`]) and acting awards ([`MentionClass::ActingAward`]).
    pub class: MentionClass,
    /// For awards and festivals: the festival (lexicon id) the words name, when they name one
    /// (`Oscar for Best Sound Mixing` -> `oscars`).
    pub festival: Option<String>,
}

/// One argument of an extracted fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arg {
    /// The mention with this index in [`Extraction::mentions`].
    Mention(usize),
    /// The film the review is about.
    ReviewedFilm,
}

/// A fact read from a sentence by a rule, before entity resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Subject.
    pub subject: Arg,
    /// Relation.
    pub relation: Relation,
    /// Object.
    pub object: Arg,
    /// The rule that produced it.
    pub rule: String,
    /// The rule's declared confidence.
    pub confidence: f32,
    /// Index of the evidence sentence.
    pub sentence: usize,
    /// Byte span of the words the rule matched.
    pub span: Range<usize>,
}

/// A problem met while reading a review; extraction goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What happened.
    pub message: String,
}

/// The mentions and facts of one review.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Mentions in text order.
    pub mentions: Vec<Mention>,
    /// Facts in sentence order.
    pub facts: Vec<Fact>,
    /// Problems met.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the mention and rule stages on a document.
///
/// ```
/// use cinegraph::{extract::*, lexicon::Lexicon, rules::RuleSet, text::Document};
/// let rules = RuleSet::parse("r.rules", "rule d\n  match \"directed by\" NAME|PERSON:p\n  emit FILM director p\n").unwrap();
/// let doc = Document::new("A thriller directed by Kevin Tenney in 1988.");
/// let x = extract(&doc, &Lexicon::default(), &rules);
/// assert_eq!(x.facts.len(), 1);
/// assert_eq!(x.facts[0].object, Arg::Mention(0));
/// assert_eq!(x.mentions[0].surface, "Kevin Tenney");
/// ```
pub fn extract(doc: &Document, lexicon: &Lexicon, rules: &RuleSet) -> Extraction {
    let mentions = find_mentions(doc, lexicon);
    let mut facts = apply_rules(doc, &mentions, rules);
    not_person::drop_non_persons(doc, &mentions, lexicon, &mut facts);
    not_person::drop_unqualified(&mentions, lexicon, rules, &mut facts);
    pair_order::reverse_contradicted_pairs(&mentions, lexicon, rules, &mut facts);
    let roles = roles::resolve_roles(doc, &mentions, &facts, lexicon, rules.cues());
    if !roles.is_empty() {
        facts.extend(roles);
        facts.sort_by_key(|f| f.sentence);
        not_person::drop_non_persons(doc, &mentions, lexicon, &mut facts);
    }
    not_person::drop_crew_characters(&mentions, lexicon, &mut facts);
    right_film::attach_to_titles(&mut facts);
    let mut diagnostics = Vec::new();
    if doc.tokens.is_empty() {
        diagnostics.push(Diagnostic {
            message: "the review has no words".into(),
        });
    }
    Extraction {
        mentions,
        facts,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::apply::apply_rules_with;
    use super::mentions::find_mentions_asking_all;
    use super::*;

    /// A thread keeps its rule buffers between documents, and may apply rule sets of other
    /// sizes in turn: each gives the facts it gives on a thread of its own.
    #[test]
    fn rule_buffers_serve_rule_sets_in_turn() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let shipped = RuleSet::load_dir(root.join("ontology/rules")).expect("rules");
        let small = RuleSet::parse(
            "small.rules",
            "rule d\n  match \"directed by\" NAME|PERSON:p\n  emit FILM director p\n",
        )
        .expect("small rules");
        let doc = Document::new(
            "Casablanca was directed by Michael Curtiz. Directed by Michael Curtiz, it won.",
        );
        let mentions = find_mentions(&doc, &Lexicon::default());
        let alone = |rules: &RuleSet| {
            let rules = rules.clone();
            let (doc, mentions) = (doc.clone(), mentions.clone());
            std::thread::spawn(move || format!("{:?}", apply_rules(&doc, &mentions, &rules)))
                .join()
                .expect("thread")
        };
        let (shipped_alone, small_alone) = (alone(&shipped), alone(&small));
        assert!(small_alone.contains("Director"), "{small_alone}");
        for rules in [&shipped, &small, &shipped, &small] {
            let facts = format!("{:?}", apply_rules(&doc, &mentions, rules));
            let expected = if std::ptr::eq(rules, &shipped) {
                &shipped_alone
            } else {
                &small_alone
            };
            assert_eq!(&facts, expected);
        }
    }

    /// Matches starting in lower case that the mention finder keeps: a quoted title, a title
    /// before its year, an award. The lexicon's start filter must let each through.
    #[test]
    fn lexicon_start_filter_keeps_lower_case_titles_and_awards() {
        let lexicon = Lexicon::from_str(
            "kind\tid\tlabel\nfilm\tlocal:the-kid\tThe Kid\nfilm\tlocal:crash\tCrash\naward\tlocal:best-actress\tBest Actress\n",
        )
        .expect("lexicon");
        for text in [
            "I watched \"the kid\" twice.",
            "I watched crash (2004) twice.",
            "She won best actress for it.",
        ] {
            let doc = Document::new(text);
            let filtered = find_mentions(&doc, &lexicon);
            assert!(
                filtered.iter().any(|m| m.link.is_some()),
                "{text}: {filtered:?}"
            );
            let unfiltered = find_mentions_asking_all(&doc, &lexicon);
            assert_eq!(format!("{filtered:?}"), format!("{unfiltered:?}"), "{text}");
        }
    }

    /// The positional prefilter only skips regexes that cannot match: on every review the
    /// repository ships (the test cases and the example), the rules give the same facts with
    /// and without it; and the lexicon's start filter drops no mention.
    #[test]
    fn prefilters_never_drop_a_match() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let extractor = crate::Extractor::load(root.join("ontology")).expect("ontology");
        let mut texts = vec![root.join("examples/the-cranes-are-flying.txt")];
        for case in std::fs::read_dir(root.join("tests/cases")).expect("tests/cases") {
            // A case without `review.txt` points at the example instead.
            let review = case.expect("entry").path().join("review.txt");
            if review.is_file() {
                texts.push(review);
            }
        }
        let (mut with_facts, mut reviews) = (0, 0);
        for path in texts {
            let text = std::fs::read_to_string(&path).expect("review text");
            let doc = Document::new(text);
            let mentions = find_mentions(&doc, &extractor.lexicon);
            // The lexicon's start filter, likewise.
            let unfiltered = find_mentions_asking_all(&doc, &extractor.lexicon);
            assert_eq!(
                format!("{mentions:?}"),
                format!("{unfiltered:?}"),
                "{}",
                path.display()
            );
            let filtered = apply_rules_with(&doc, &mentions, &extractor.rules, true);
            let unfiltered = apply_rules_with(&doc, &mentions, &extractor.rules, false);
            assert_eq!(
                format!("{filtered:?}"),
                format!("{unfiltered:?}"),
                "{}",
                path.display()
            );
            reviews += 1;
            with_facts += usize::from(!filtered.is_empty());
        }
        // The comparison means something only if the rules fire on these reviews.
        assert!(with_facts * 2 > reviews, "{with_facts} of {reviews}");
    }
}
