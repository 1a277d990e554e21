//! The post-pass over all mentions in text order: completes the awards the lexicon knows only
//! in part ([`complete_awards`]), then gives each mention its festival and its placeholder
//! class (`B` for an acting award; for a name of unknown type, [`name_class`]).

use super::context::Cx;
use crate::extract::{Link, LinkMethod, Mention, MentionKind};
use crate::lexicon::{Kind, Lexicon, WordClass};
use crate::rules::MentionClass;
use crate::text::{Shape, normalize_word};
use std::iter::Peekable;

/// The mentions of the context, in text order, completed and classed.
pub(super) fn finish(mut cx: Cx) -> Vec<Mention> {
    let mentions = cx.take_sorted();
    let mut mentions = complete_awards(&cx, mentions);
    let lexicon = cx.lexicon;
    let surnames = review_surnames(&mentions);
    for m in &mut mentions {
        if m.festival.is_none()
            && let Some(link) = m.link
        {
            let e = lexicon.entry(link.entry);
            m.festival = match e.kind {
                Kind::Festival => Some(e.id.clone()),
                Kind::Award => e.festival.clone(),
                _ => None,
            };
        }
        if m.kind == MentionKind::Name {
            m.class = name_class(lexicon, &surnames, &m.surface);
        }
        if m.kind == MentionKind::Award
            && m.link
                .is_some_and(|l| lexicon.entry(l.entry).has_tag("acting"))
        {
            m.class = MentionClass::ActingAward;
        }
    }
    mentions
}

/// The last words of the review's names of several words (people and unknown names).
fn review_surnames(mentions: &[Mention]) -> Vec<String> {
    let mut words: Vec<String> = mentions
        .iter()
        .filter(|m| matches!(m.kind, MentionKind::Person | MentionKind::Name))
        .filter_map(|m| {
            let mut words = m.surface.split_whitespace();
            let first = words.next();
            words.last().filter(|_| first.is_some()).map(normalize_word)
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The class of a name of unknown type, from its words: several words starting with a given
/// name (`H`), with an honorific (`K`: `Mrs. Kruger`), or with neither (`N`); one word that ends a full name the
/// review gives (`S`), a given name (`G`), or neither (`M`). The rules tell an actor's name
/// from a character's by these (`Orla Brady (Anna)` against `Edward Carnby (Slater)`).
fn name_class(lexicon: &Lexicon, surnames: &[String], surface: &str) -> MentionClass {
    let mut words = surface.split_whitespace().map(normalize_word);
    let first = words.next().unwrap_or_default();
    // `Mrs.`: the honorific with its full stop.
    let honorific = lexicon
        .words()
        .of(first.trim_end_matches('.'))
        .has(WordClass::HONORIFIC);
    let given = lexicon.is_given_name(&first) && !honorific;
    if words.next().is_some() {
        return if given {
            MentionClass::GivenFullName
        } else if honorific {
            MentionClass::TitledName
        } else {
            MentionClass::Name
        };
    }
    if surnames.binary_search(&first).is_ok() {
        MentionClass::Surname
    } else if given {
        MentionClass::GivenName
    } else {
        MentionClass::ShortName
    }
}

/// Completes award mentions the lexicon knows only in part: a category followed by more
/// capitalised words (`Best Sound` + `Mixing`, `Best Motion Picture` + `of the Year`) takes
/// them and becomes a name of its own; a prize followed by `for` and a category (`BAFTA for
/// Best Sound`) becomes one mention, linked to that festival's category when the lexicon has
/// it.
fn complete_awards(cx: &Cx, mentions: Vec<Mention>) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    let mut iter = mentions.into_iter().peekable();
    while let Some(mut m) = iter.next() {
        if m.kind == MentionKind::Award {
            extend_category(cx, &mut m, &mut iter);
            join_prize_for_category(cx, &mut m, &mut iter);
        }
        out.push(m);
    }
    out
}

type Mentions = Peekable<std::vec::IntoIter<Mention>>;

/// Extends an award category over the capitalised words after it (and `of the` between
/// them), a name or title found there included; `Oscar for Best Special Effects`, a prize,
/// `for` and a category the lexicon does not know, likewise. The extended award keeps its
/// festival and loses its link.
fn extend_category(cx: &Cx, m: &mut Mention, iter: &mut Mentions) {
    let (doc, lexicon, n) = (cx.doc, cx.lexicon, cx.n);
    let category_like = m
        .link
        .is_some_and(|l| lexicon.entry(l.entry).category.is_some());
    let prize_for_unknown = m.link.is_some_and(|l| {
        let e = lexicon.entry(l.entry);
        e.category.is_none() && e.festival.is_some()
    }) && m.tokens.end + 1 < n
        && cx.norm(m.tokens.end) == "for"
        && cx.shape(m.tokens.end + 1) == Shape::Capitalized
        && iter.peek().is_none_or(|next| {
            next.tokens.start != m.tokens.end + 1
                || matches!(next.kind, MentionKind::Name | MentionKind::Film)
        });
    let mut end = m.tokens.end;
    let mut k = if prize_for_unknown { end + 1 } else { end };
    let category_like = category_like || prize_for_unknown;
    while category_like && k < n {
        // A name found after the category (`Mixing`) is part of it.
        if cx.taken(k) {
            match iter.peek() {
                Some(next)
                    if matches!(next.kind, MentionKind::Name | MentionKind::Film)
                        && next.tokens.start == k =>
                {
                    k = next.tokens.end;
                    end = k;
                    iter.next();
                    continue;
                }
                _ => break,
            }
        }
        if cx.shape(k) == Shape::Capitalized {
            k += 1;
            end = k;
        } else if cx.has(k, WordClass::AWARD_JOINER) && k + 1 < n {
            k += 1;
        } else {
            break;
        }
    }
    if end > m.tokens.end {
        m.festival = m.link.and_then(|l| lexicon.entry(l.entry).festival.clone());
        m.tokens.end = end;
        m.span = doc.span(m.tokens.clone());
        m.surface = doc.surface(m.tokens.clone());
        m.link = None;
    }
}

/// `<prize> for <category>`: one mention, linked to the festival's award of that category
/// when the lexicon has one.
fn join_prize_for_category(cx: &Cx, m: &mut Mention, iter: &mut Mentions) {
    let (doc, lexicon) = (cx.doc, cx.lexicon);
    let festival = m
        .link
        .filter(|l| lexicon.entry(l.entry).category.is_none())
        .and_then(|l| lexicon.entry(l.entry).festival.clone());
    if let Some(festival) = festival
        && let Some(next) = iter.peek()
        && next.kind == MentionKind::Award
        && next.tokens.start == m.tokens.end + 1
        && cx.norm(m.tokens.end) == "for"
    {
        let next = iter.next().expect("peeked");
        let category = next
            .link
            .and_then(|l| lexicon.entry(l.entry).category.clone());
        let specific = category.and_then(|c| lexicon.award_for(&c, &festival));
        m.festival = Some(festival);
        m.tokens.end = next.tokens.end;
        m.span = doc.span(m.tokens.clone());
        m.surface = doc.surface(m.tokens.clone());
        m.link = specific.map(|entry| Link {
            entry,
            method: LinkMethod::Exact,
            score: 1.0,
        });
    }
}
