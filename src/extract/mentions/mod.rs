//! The mention stage: tokens plus the lexicon give [`Mention`]s. Seven passes run in a fixed
//! order over one [`Cx`]; the order is the priority rule: a pass claims tokens, and no later
//! pass may use a claimed token. So a lexicon match wins over a title the text's case suggests,
//! a title over a name run, and a name over a year or a pronoun. A post-pass then completes
//! awards and sets each mention's placeholder class and festival.

mod awards;
mod caps_titles;
mod context;
mod cued_titles;
mod lexicon_pass;
mod names;
mod numbered_titles;
mod quoted_titles;
mod years_refs;

use super::Mention;
use crate::lexicon::Lexicon;
use crate::text::Document;
use context::{Cx, LexiconQuery};

/// Finds the mentions of a document.
///
/// ```
/// use cinegraph::{extract::{find_mentions, MentionKind}, lexicon::Lexicon, text::Document};
/// let doc = Document::new("Eisenstein's IVAN THE TERRIBLE was released in 1944.");
/// let mentions = find_mentions(&doc, &Lexicon::default());
/// let kinds: Vec<_> = mentions.iter().map(|m| (m.kind, m.surface.as_str())).collect();
/// assert_eq!(kinds, [
///     (MentionKind::Name, "Eisenstein"),
///     (MentionKind::Film, "IVAN THE TERRIBLE"),
///     (MentionKind::Year, "1944"),
/// ]);
/// ```
pub fn find_mentions(doc: &Document, lexicon: &Lexicon) -> Vec<Mention> {
    run(Cx::new(doc, lexicon, LexiconQuery::MayKeep))
}

/// [`find_mentions`], asking the lexicon for every match instead of only those the lexicon
/// pass may keep: the tests check that both give the same mentions.
#[cfg(test)]
pub(crate) fn find_mentions_asking_all(doc: &Document, lexicon: &Lexicon) -> Vec<Mention> {
    run(Cx::new(doc, lexicon, LexiconQuery::All))
}

/// The passes, in priority order (see the module doc).
fn run(mut cx: Cx) -> Vec<Mention> {
    // 1. Lexicon matches, longest first: `Sergei Eisenstein` wins over `Eisenstein`.
    lexicon_pass::run(&mut cx);
    // 2. ALL-CAPS titles of two or more words: `IVAN THE TERRIBLE`.
    caps_titles::run(&mut cx);
    // 3. Quoted titles: `"The Man Who Knew Too Much"`.
    quoted_titles::run(&mut cx);
    // 4. Title Case after a film noun or title cue: `the film Ivan the Terrible`.
    cued_titles::run(&mut cx);
    // 4b. Title Case before a sequel number: `Troll 2`, `Halloween II`.
    numbered_titles::run(&mut cx);
    // 5. Capitalised name runs: fuzzy-linked people, otherwise untyped names.
    names::run(&mut cx);
    // 6. Years, pronouns and references to the reviewed film.
    years_refs::run(&mut cx);
    awards::finish(cx)
}
