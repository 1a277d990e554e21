//! The data files of an ontology directory: which files of a kind a directory holds, in the
//! order they are read (by name), so that lexicons and rules load the same way.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The files of `dir` whose extension is `extension`, sorted by path; an unreadable entry is
/// skipped, an unreadable directory is an error naming it.
pub(crate) fn with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    Ok(files)
}
