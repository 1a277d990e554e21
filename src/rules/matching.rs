//! A rule's pattern run over an [`EncodedSentence`]: its matches that pass the rule's gates
//! (`requires-before`, `unless`, `unless-after`), the mentions each captures, and the further
//! mentions a list capture takes (`X, Y and Z`).

use super::ast::ListDirection;
use super::compile::{Pattern, Rule};
use super::sentence::{EncodedSentence, MentionClass, Placeholder};

/// How many units before the trigger `unless` looks at.
const UNLESS_WINDOW: usize = 3;

/// A match of a pattern that passed its rule's gates.
pub(crate) struct RuleMatch<'s> {
    captures: regex::Captures<'s>,
    pattern: &'s Pattern,
    /// The first and last units matched.
    pub first_unit: usize,
    pub last_unit: usize,
}

impl RuleMatch<'_> {
    /// The mention a capture of the rule (by number) took; `None` when the capture did not
    /// take part in the match.
    #[inline]
    pub(crate) fn mention(&self, capture: usize) -> Option<usize> {
        let group = self.captures.get(self.pattern.group(capture)?)?;
        Placeholder::parse(group.as_str()).map(|p| p.mention)
    }

    /// The byte offset of a capture's placeholder, when the capture took part in the match.
    fn capture_start(&self, capture: usize) -> Option<usize> {
        Some(self.captures.get(self.pattern.group(capture)?)?.start())
    }
}

/// The matches of a pattern in a sentence that pass the rule's gates, left to right.
pub(crate) struct Matches<'s> {
    rule: &'s Rule,
    pattern: &'s Pattern,
    enc: &'s EncodedSentence,
    /// Where the next match may start.
    pos: usize,
}

impl Rule {
    /// The matches of one of the rule's patterns in a sentence that pass its gates.
    pub(crate) fn matches<'s>(
        &'s self,
        pattern: &'s Pattern,
        enc: &'s EncodedSentence,
    ) -> Matches<'s> {
        // Most patterns tried do not match: a match test allocates no capture slots.
        let pos = if pattern.regex().is_match(enc.as_str()) {
            0
        } else {
            enc.as_str().len()
        };
        Matches {
            rule: self,
            pattern,
            enc,
            pos,
        }
    }

    /// True when the gates let a match of `start..end` (bytes of the encoded text) through.
    fn gates_pass(&self, enc: &EncodedSentence, start: usize, end: usize) -> bool {
        let text = enc.as_str();
        let mut trigger_unit = enc.unit_at(start);
        if let Some(req) = self.requires_before() {
            let Some(found) = req.find_iter(&text[..end]).last() else {
                return false;
            };
            trigger_unit = trigger_unit.min(enc.unit_at(found.start()));
        }
        let from = enc.offset_of_unit(trigger_unit.saturating_sub(UNLESS_WINDOW));
        if self.unless().iter().any(|u| u.is_match(&text[from..end])) {
            return false;
        }
        let after = &text[end.saturating_sub(1)..];
        !self.unless_after().iter().any(|u| u.is_match(after))
    }

    /// The mentions a list capture takes after its own, joined to it: `X, Y and Z`, `X as well
    /// as Y`, `X (Boris), Y`, `Best Director for «P», Best Editing`; or before it, for a list
    /// running back (`X, Y and Z were believable`). Empty for a rule without a list capture,
    /// or a match without it.
    pub(crate) fn list_items(&self, m: &RuleMatch<'_>, enc: &EncodedSentence) -> Vec<usize> {
        let mut items = Vec::new();
        let Some(list) = self.list() else {
            return items;
        };
        let Some(start) = m.capture_start(list.capture) else {
            return items;
        };
        let own = enc.unit_at(start.saturating_sub(1));
        let mut u = match list.direction {
            ListDirection::After => own + 1,
            ListDirection::Before => own,
        };
        // Whether `, and` joins the last item: then two items are two clauses (`X is good as
        // Bathurst, and Y is convincing`), three or more a list.
        let mut comma_and = false;
        loop {
            let next = match list.direction {
                ListDirection::After => next_list_item(enc, u),
                ListDirection::Before => {
                    previous_list_item(enc, u, items.is_empty()).map(|(k, comma)| {
                        comma_and |= items.is_empty() && comma;
                        k
                    })
                }
            };
            let Some(k) = next else { break };
            match Placeholder::parse(enc.unit_text(k)) {
                Some(p) if list.classes.contains(p.class) => {
                    items.push(p.mention);
                    u = match list.direction {
                        ListDirection::After => k + 1,
                        ListDirection::Before => k,
                    };
                }
                _ => break,
            }
        }
        // `the romance between X and Y was believable`: the list is no subject.
        if list.direction == ListDirection::Before
            && ((u > 0 && enc.unit_text(u - 1) == "between") || (comma_and && items.len() < 2))
        {
            items.clear();
        }
        items
    }
}

/// The unit of the list item before the item at unit `u`, and whether a comma joins them:
/// back over joiners (`,` `and` `&`) and a parenthesis after that item (`X (Boris), Y and Z
/// were believable`). The last item joins with `and` or `&`: a comma alone before it is an
/// aside (`Firstly, X is miscast`). An item after `as` is a role, no list item.
fn previous_list_item(enc: &EncodedSentence, u: usize, last: bool) -> Option<(usize, bool)> {
    let mut k = u;
    let (mut and, mut comma) = (false, false);
    while k > 0 && matches!(enc.unit_text(k - 1), "," | "and" | "&") {
        and |= enc.unit_text(k - 1) != ",";
        comma |= enc.unit_text(k - 1) == ",";
        k -= 1;
    }
    if k == u || k == 0 || (last && !and) {
        return None;
    }
    let mut item = k - 1;
    if enc.unit_text(item) == ")" {
        let open = (item.saturating_sub(8)..item)
            .rev()
            .find(|&j| enc.unit_text(j) == "(")?;
        item = open.checked_sub(1)?;
    }
    if item > 0 && enc.unit_text(item - 1) == "as" {
        return None;
    }
    Some((item, comma))
}

/// The unit of the next list item after an item ending before unit `u`: past a parenthesis,
/// who the item is for and the role it plays (`X as Rufus`), then joiners (`,` `and` `&` `or`
/// `as well as`) and an article; past an owner's possessive to the full name it owns
/// (`Terminator's Robert Patrick`). After a role, `and` and one name that plays nothing is the
/// role's pair, no item (`Wilson and Blake as Dick and Perry`), unless the lexicon knows a
/// person by that name (`Rob Reiner as Joel and Oprah Winfrey`).
fn next_list_item(enc: &EncodedSentence, mut u: usize) -> Option<usize> {
    let units = enc.units();
    let unit_text = |u: usize| enc.unit_text(u);
    // The class of the mention at a unit, if one is there.
    let class = |u: usize| {
        (u < units)
            .then(|| Placeholder::parse(unit_text(u)))
            .flatten()
            .map(|p| p.class)
    };
    // Skip a parenthesis after an item: `X (Boris), Y`.
    if u < units && unit_text(u) == "(" {
        u = (u..units.min(u + 8)).find(|&k| unit_text(k) == ")")? + 1;
    }
    // Skip who an item is for: `Best Director for Taylor Hackford, Best ...`
    if u + 1 < units && unit_text(u) == "for" && Placeholder::is_placeholder(unit_text(u + 1)) {
        u += 2;
    }
    // Skip the role an item plays: `starring X as Rufus, Y as the Sheriff and Z`.
    let mut played = false;
    if u + 1 < units && unit_text(u) == "as" {
        let role = if unit_text(u + 1) == "the" {
            u + 2
        } else {
            u + 1
        };
        // A quoted role reads as a title: `as 'Spencer'` ends a list of characters too.
        if class(role).is_some_and(|c| c != MentionClass::Film) {
            u = role + 1;
            played = true;
        }
    }
    let mut k = u;
    let (mut joined, mut and) = (false, false);
    loop {
        if k < units && matches!(unit_text(k), "," | "and" | "&" | "or") {
            and |= unit_text(k) != ",";
            k += 1;
        } else if k + 2 < units
            && unit_text(k) == "as"
            && unit_text(k + 1) == "well"
            && unit_text(k + 2) == "as"
        {
            k += 3;
        } else {
            break;
        }
        joined = true;
    }
    // `..., and the best director`
    while joined && k < units && matches!(unit_text(k), "the" | "a" | "an") {
        k += 1;
    }
    if !joined || k >= units {
        return None;
    }
    let full_name = class(k + 2).is_some_and(|c| {
        matches!(
            c,
            MentionClass::Person
                | MentionClass::Name
                | MentionClass::GivenFullName
                | MentionClass::TitledName
        )
    });
    if class(k).is_some() && k + 1 < units && unit_text(k + 1) == "'s" && full_name {
        k += 2;
    } else if k + 1 < units && unit_text(k + 1) == "'s" {
        // An owner of what follows is no item: `score by Antoine Duhamel, Truffaut's usual
        // musician`.
        return None;
    }
    let plays_nothing = k + 1 >= units || unit_text(k + 1) != "as";
    if played && and && plays_nothing && class(k) != Some(MentionClass::Person) {
        return None;
    }
    Some(k)
}

impl<'s> Iterator for Matches<'s> {
    type Item = RuleMatch<'s>;

    fn next(&mut self) -> Option<RuleMatch<'s>> {
        let text = self.enc.as_str();
        while self.pos < text.len() {
            let captures = self.pattern.regex().captures_at(text, self.pos)?;
            let whole = captures.get(0).expect("group 0");
            // The match's trailing space is the next match's leading space.
            self.pos = whole.end().saturating_sub(1).max(whole.start() + 1);
            if !self.rule.gates_pass(self.enc, whole.start(), whole.end()) {
                continue;
            }
            return Some(RuleMatch {
                first_unit: self.enc.unit_at(whole.start()),
                last_unit: self.enc.unit_at(whole.end().saturating_sub(2)),
                captures,
                pattern: self.pattern,
            });
        }
        None
    }
}
