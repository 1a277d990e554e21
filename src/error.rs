//! Errors of the library: I/O, invalid data files (rules, lexicons, ontology, queries) with their
//! position, and store problems. Extraction itself never fails on prose; see
//! [`crate::extract::Diagnostic`] for the problems it reports instead.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a text file: 1-based line and column (column counted in characters).
///
/// ```
/// let p = cinegraph::error::Position { line: 3, column: 7 };
/// assert_eq!(p.to_string(), "3:7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number, in characters.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file (rule, lexicon, ontology, query, review corpus) is invalid.
    #[error("{}{}: {message}", path.display(), position.map(|p| format!(":{p}")).unwrap_or_default())]
    Syntax {
        /// The file concerned.
        path: PathBuf,
        /// Where in the file, when known.
        position: Option<Position>,
        /// What was expected or found.
        message: String,
    },
    /// The store cannot be used (locked, corrupt, backend failure).
    #[error("store {}: {message}", path.display())]
    Store {
        /// The store directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
        /// The backend's error, when there is one (its text is in `message` too).
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A SPARQL query failed to evaluate, or its results could not be written.
    #[error("query: {0}")]
    Query(String),
    /// Invalid input given by the caller (arguments, options).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// A syntax error at a position of a file.
    pub fn syntax(
        path: impl AsRef<Path>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Error::Syntax {
            path: path.as_ref().to_path_buf(),
            position,
            message: message.into(),
        }
    }

    /// A store error.
    pub fn store(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::Store {
            path: path.as_ref().to_path_buf(),
            message: message.into(),
            source: None,
        }
    }

    /// A store error caused by a backend error: `message`, then `: ` and the error's text
    /// (just the text when `message` is empty).
    pub fn store_from(
        path: impl AsRef<Path>,
        message: &str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Store {
            path: path.as_ref().to_path_buf(),
            message: if message.is_empty() {
                source.to_string()
            } else {
                format!("{message}: {source}")
            },
            source: Some(Box::new(source)),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
