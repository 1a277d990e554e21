//! Lexicon rows read from tab-separated text (format: `ontology/lexicon/README.md`): a header
//! naming the columns, then one entry a line, every error located by file, line and column
//! (columns in characters, from 1).
//!
//! Hand-written rather than read with the `csv` crate, whose records would change what is
//! accepted and how it is reported: it skips only empty lines (this format also skips lines
//! of spaces), interprets quotes unless told not to, and its positions are in bytes, while
//! the messages here count characters.

use super::{Entry, Kind};
use crate::error::{Error, Position, Result};
use std::path::Path;

/// Appends the rows of one lexicon file's text to `rows`; `path` names the file in errors.
pub(super) fn parse_rows(path: &Path, text: &str, rows: &mut Vec<Entry>) -> Result<()> {
    let mut header: Option<Vec<String>> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let row = Row {
            path,
            line: n + 1,
            cells: line.split('\t').collect(),
        };
        match &header {
            None => header = Some(row.header()?),
            Some(cols) => rows.push(row.entry(cols)?),
        }
    }
    Ok(())
}

/// One line of a lexicon file, split into cells.
struct Row<'a> {
    path: &'a Path,
    /// The line number, from 1.
    line: usize,
    cells: Vec<&'a str>,
}

impl Row<'_> {
    /// The error `message` at `column` (from 1) of this line.
    fn error(&self, column: usize, message: String) -> Error {
        let position = Position {
            line: self.line,
            column,
        };
        Error::syntax(self.path, Some(position), message)
    }

    /// The column (from 1, in characters) where cell `i` starts.
    fn column_of(&self, i: usize) -> usize {
        self.cells[..i]
            .iter()
            .map(|c| c.chars().count() + 1)
            .sum::<usize>()
            + 1
    }

    /// The column names, when this line is a header with every required column.
    fn header(&self) -> Result<Vec<String>> {
        let cols: Vec<String> = self.cells.iter().map(|c| c.trim().to_string()).collect();
        for required in ["kind", "id", "label"] {
            if !cols.iter().any(|c| c == required) {
                return Err(self.error(1, format!("header lacks the required column `{required}`")));
            }
        }
        Ok(cols)
    }

    /// The entry this line gives, under the header's columns `cols`.
    fn entry(&self, cols: &[String]) -> Result<Entry> {
        if self.cells.len() != cols.len() {
            return Err(self.error(
                1,
                format!(
                    "expected {} tab-separated cells as in the header, found {}",
                    cols.len(),
                    self.cells.len()
                ),
            ));
        }
        let mut entry = Entry {
            kind: Kind::Person,
            id: String::new(),
            label: String::new(),
            aliases: Vec::new(),
            year: None,
            roles: Vec::new(),
            links: Vec::new(),
            festival: None,
            category: None,
            tags: Vec::new(),
        };
        for (i, (col, cell)) in cols.iter().zip(&self.cells).enumerate() {
            let cell = cell.trim();
            if cell.is_empty() || cell == "-" {
                if matches!(col.as_str(), "kind" | "id" | "label") {
                    return Err(self.error(self.column_of(i), format!("`{col}` must not be empty")));
                }
                continue;
            }
            set_field(&mut entry, col, cell)
                .map_err(|message| self.error(self.column_of(i), message))?;
        }
        entry.aliases.retain(|a| a != &entry.label);
        Ok(entry)
    }
}

/// Sets the field of column `col` of `entry` to `cell` (trimmed, not empty), or says why
/// the cell is wrong. Unknown columns are ignored.
fn set_field(entry: &mut Entry, col: &str, cell: &str) -> std::result::Result<(), String> {
    let list = || {
        cell.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    match col {
        "kind" => {
            entry.kind = Kind::parse(cell).ok_or_else(|| {
                format!("unknown kind `{cell}`: expected person, film, award or festival")
            })?
        }
        "id" => entry.id = cell.to_string(),
        "label" => entry.label = cell.to_string(),
        "aliases" => entry.aliases = list(),
        "year" => {
            entry.year = Some(
                cell.parse()
                    .map_err(|_| format!("year `{cell}` is not a number"))?,
            )
        }
        "roles" => entry.roles = list(),
        "tags" => entry.tags = list(),
        "festival" => entry.festival = Some(cell.to_string()),
        "category" => entry.category = Some(cell.to_string()),
        "links" => {
            for link in list() {
                let Some((rel, target)) = link.split_once('=') else {
                    return Err(format!("link `{link}` is not of the form relation=id"));
                };
                entry
                    .links
                    .push((rel.trim().to_string(), target.trim().to_string()));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Lexicon;

    #[test]
    fn bad_row_names_file_line_and_column() {
        let err = Lexicon::from_str("kind\tid\tlabel\nrobot\tx\tY\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "<memory>:2:1: unknown kind `robot`: expected person, film, award or festival"
        );
    }
}
