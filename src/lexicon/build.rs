//! A lexicon built from its rows: rows with the same id merged into one entry, then every
//! index the look-ups need (aliases, fuzzy names, name-word counts, credits, awards by
//! category) computed from the entries in one place.

use super::aliases::AliasPatterns;
use super::fuzzy::FuzzyIndexBuilder;
use super::{Entry, EntryId, Kind, Lexicon};
use crate::text::normalize::match_key;
use rustc_hash::{FxHashMap, FxHashSet};

impl Lexicon {
    /// The lexicon of these rows (in file order), function words and word classes.
    pub(super) fn build(
        rows: Vec<Entry>,
        stopwords: FxHashSet<String>,
        words: super::WordClasses,
    ) -> Lexicon {
        let (entries, by_id) = merge_rows(rows);
        // Every name's match key is computed once, for the three indexes keyed by names.
        let mut patterns = AliasPatterns::default();
        let mut fuzzy = FuzzyIndexBuilder::default();
        let mut names = NameCounts::default();
        for (idx, e) in entries.iter().enumerate() {
            let idx = idx as EntryId;
            for name in std::iter::once(&e.label).chain(&e.aliases) {
                let key = match_key(name);
                if key.is_empty() {
                    continue;
                }
                patterns.add(&key, idx);
                if e.kind == Kind::Person {
                    if name == &e.label {
                        names.count(&key);
                    }
                    fuzzy.add(idx, &key);
                }
            }
        }
        let unique_surnames = names.unique_surnames(&entries);
        Lexicon {
            aliases: patterns.finish(&entries),
            fuzzy: fuzzy.finish(),
            credits: credits(&entries, &by_id),
            awards_by_category: awards_by_category(&entries),
            entries,
            by_id,
            surname_count: names.surnames,
            first_name_count: names.first_names,
            unique_surnames,
            stopwords,
            demonyms: Default::default(),
            given_names: Default::default(),
            words,
        }
    }
}

/// The entries of `rows`, one an id, in the order of their first rows, and each id's entry.
fn merge_rows(rows: Vec<Entry>) -> (Vec<Entry>, FxHashMap<String, EntryId>) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_id: FxHashMap<String, EntryId> = FxHashMap::default();
    for row in rows {
        if let Some(&idx) = by_id.get(&row.id) {
            entries[idx as usize].absorb(row);
        } else {
            by_id.insert(row.id.clone(), entries.len() as EntryId);
            entries.push(row);
        }
    }
    (entries, by_id)
}

impl Entry {
    /// Merges another row of the same id into this entry: its label and aliases become
    /// aliases, its lists are added without duplicates, and its single values fill only what
    /// is still missing.
    fn absorb(&mut self, row: Entry) {
        for a in row.aliases.into_iter().chain(std::iter::once(row.label)) {
            if a != self.label && !self.aliases.contains(&a) {
                self.aliases.push(a);
            }
        }
        self.year = self.year.or(row.year);
        add_new(&mut self.roles, row.roles);
        add_new(&mut self.links, row.links);
        add_new(&mut self.tags, row.tags);
        self.festival = self.festival.take().or(row.festival);
        self.category = self.category.take().or(row.category);
    }
}

/// Appends the items of `more` that `list` does not have yet.
fn add_new<T: PartialEq>(list: &mut Vec<T>, more: Vec<T>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// How many people have each normalised word as surname / as first name (of their labels).
#[derive(Default)]
struct NameCounts {
    surnames: FxHashMap<String, u32>,
    first_names: FxHashMap<String, u32>,
}

impl NameCounts {
    /// Counts the words of a person's label (its match key), when it has two or more.
    fn count(&mut self, key: &str) {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() >= 2 {
            *self
                .surnames
                .entry(words[words.len() - 1].to_string())
                .or_default() += 1;
            *self.first_names.entry(words[0].to_string()).or_default() += 1;
        }
    }

    /// The person of each surname (of four characters or more) only one person has.
    fn unique_surnames(&self, entries: &[Entry]) -> FxHashMap<String, EntryId> {
        let mut unique = FxHashMap::default();
        for (idx, e) in entries.iter().enumerate() {
            if e.kind != Kind::Person {
                continue;
            }
            let key = match_key(&e.label);
            let words: Vec<&str> = key.split(' ').collect();
            if words.len() >= 2 {
                let surname = words[words.len() - 1];
                if self.surnames.get(surname) == Some(&1) && surname.chars().count() >= 4 {
                    unique.insert(surname.to_string(), idx as EntryId);
                }
            }
        }
        unique
    }
}

/// Films credited to each person: (film entry, relation), from the films' links.
fn credits(
    entries: &[Entry],
    by_id: &FxHashMap<String, EntryId>,
) -> FxHashMap<EntryId, Vec<(EntryId, String)>> {
    let mut credits: FxHashMap<EntryId, Vec<(EntryId, String)>> = FxHashMap::default();
    for (idx, e) in entries.iter().enumerate() {
        for (rel, person) in &e.links {
            if let Some(&p) = by_id.get(person) {
                credits
                    .entry(p)
                    .or_default()
                    .push((idx as EntryId, rel.clone()));
            }
        }
    }
    credits
}

/// The first award of each (category, festival).
fn awards_by_category(entries: &[Entry]) -> FxHashMap<(String, String), EntryId> {
    let mut awards = FxHashMap::default();
    for (idx, e) in entries.iter().enumerate() {
        if let (Kind::Award, Some(c), Some(f)) = (e.kind, &e.category, &e.festival) {
            awards
                .entry((c.clone(), f.clone()))
                .or_insert(idx as EntryId);
        }
    }
    awards
}
