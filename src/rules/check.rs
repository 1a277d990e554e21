//! The checks of a parsed rule that need more than its own line: that it has `match` and
//! `emit` lines, that the macros its patterns name exist, that every pattern agrees on the
//! list capture, and that every argument an `emit` names is captured by every pattern.
//! [`super::compile`] calls them in the order a rule reads, so the first problem is reported.

use super::ast::RuleErrorKind as K;
use super::ast::{
    ArgSpec, Atom, EmitAst, ListDirection, PatternAst, PatternLine, RuleAst, RuleError,
};
use super::compile::Macros;
use super::sentence::ClassSet;
use crate::error::Position;
use std::collections::HashMap;

/// A rule has at least one `match` and one `emit` line.
pub(crate) fn rule_shape(rule: &RuleAst) -> Result<(), RuleError> {
    let at = |kind| Err(RuleError::new(kind, rule.at.line, 1));
    if rule.patterns.is_empty() {
        return at(K::NoMatch(rule.id.clone()));
    }
    if rule.emits.is_empty() {
        return at(K::NoEmit(rule.id.clone()));
    }
    Ok(())
}

/// The pattern names only defined macros and was read without a syntax error, whichever
/// comes first in it.
pub(crate) fn pattern(line: &PatternLine, macros: &Macros) -> Result<(), RuleError> {
    let at = |offset: usize, kind| RuleError::new(kind, line.at.line, line.at.column + offset);
    for element in &line.pattern.elements {
        if let Atom::Macro(name) = &element.atom
            && macros.phrases(name).is_none()
        {
            return Err(at(element.offset, K::UnknownMacro(name.clone())));
        }
    }
    match &line.pattern.error {
        Some((offset, kind)) => Err(at(*offset, kind.clone())),
        None => Ok(()),
    }
}

/// The list capture of a pattern (`CLASS:name...`, `...CLASS:name`): its name, classes and
/// direction.
pub(crate) fn list_capture(pattern: &PatternAst) -> Option<(&str, ClassSet, ListDirection)> {
    pattern.elements.iter().find_map(|e| match &e.atom {
        Atom::Classes {
            classes,
            capture: Some(name),
            list: Some(direction),
            ..
        } => Some((name.as_str(), *classes, *direction)),
        _ => None,
    })
}

/// Every pattern of a rule that has a list capture names the same one, running the same way.
pub(crate) fn list_agreement(
    previous: Option<(&str, ListDirection)>,
    this: (&str, ListDirection),
    at: Position,
) -> Result<(), RuleError> {
    match previous {
        Some(old) if old != this => Err(RuleError::new(K::ListMismatch, at.line, at.column)),
        _ => Ok(()),
    }
}

/// The capture names of a pattern, each with whether every match takes it (`FILM:film`) or
/// only some (`FILM:film?`).
pub(crate) fn captures(pattern: &PatternAst) -> HashMap<&str, bool> {
    pattern
        .elements
        .iter()
        .filter_map(|e| match &e.atom {
            Atom::Classes {
                capture: Some(name),
                ..
            } => Some((name.as_str(), e.quant.fewest >= 1)),
            _ => None,
        })
        .collect()
}

/// Each captured argument of an `emit` is captured by every match of every pattern, or, with
/// the film as fallback (`x|FILM`), by one pattern. An optional capture (`FILM:film?`) without
/// the fallback would silently emit nothing when the match leaves it out.
pub(crate) fn capture_coverage(
    emit: &EmitAst,
    captures: &[HashMap<&str, bool>],
    rule: &str,
) -> Result<(), RuleError> {
    for arg in [&emit.subject, &emit.object] {
        if let ArgSpec::Capture { name, or_film } = arg
            && !captures
                .iter()
                .all(|c| c.get(name.as_str()).copied().unwrap_or(false))
            && (!or_film || !captures.iter().any(|c| c.contains_key(name.as_str())))
        {
            let kind = K::NotCaptured {
                name: name.clone(),
                rule: rule.to_string(),
            };
            return Err(RuleError::new(kind, emit.at.line, emit.at.column));
        }
    }
    Ok(())
}
