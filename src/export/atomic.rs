//! Replacing a file atomically: the new content goes to a temporary file beside the target,
//! which is synced, renamed over the target, and the directory synced, so a reader (or a crash)
//! sees either the old file or the complete new one. Used by the store's snapshot and by
//! `export --output`.

use crate::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::{NamedTempFile, TempPath};

/// The step of [`replace`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Creating the temporary file.
    Create,
    /// Writing (or flushing) it.
    Write,
    /// Syncing it to disk.
    Sync,
    /// Renaming it over the target.
    Replace,
}

impl Step {
    /// The step as a verb, for messages (`cannot create …`).
    pub fn verb(self) -> &'static str {
        match self {
            Step::Create => "create",
            Step::Write => "write",
            Step::Sync => "sync",
            Step::Replace => "replace",
        }
    }
}

/// Why [`replace`] failed. The temporary file is removed and the target left as it was.
#[derive(Debug)]
pub enum ReplaceError {
    /// A file operation failed: `path` is the temporary file, or the target for
    /// [`Step::Replace`].
    Io {
        /// What was being done.
        step: Step,
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The writer gave up with its own error.
    Write(Error),
}

/// Writes `target` through `tmp` (a path in the same directory): `write` fills the buffered
/// temporary file, which is then synced and renamed over `target`, and the directory synced.
///
/// The temporary file is created at a fixed path rather than a random one so that a writer
/// killed midway leaves a file its owner knows (and removes, see `store`). It is removed on
/// any failure.
pub fn replace(
    target: &Path,
    tmp: &Path,
    write: impl FnOnce(&mut dyn Write) -> crate::error::Result<()>,
) -> Result<(), ReplaceError> {
    fn io(step: Step, path: &Path) -> impl FnOnce(std::io::Error) -> ReplaceError + '_ {
        move |source| ReplaceError::Io {
            step,
            path: path.to_path_buf(),
            source,
        }
    }
    let file = File::create(tmp).map_err(io(Step::Create, tmp))?;
    let temp_path = TempPath::try_from_path(tmp).map_err(io(Step::Create, tmp))?;
    let mut writer = BufWriter::new(NamedTempFile::from_parts(file, temp_path));
    write(&mut writer).map_err(ReplaceError::Write)?;
    let file = writer
        .into_inner()
        .map_err(|e| io(Step::Write, tmp)(e.into_error()))?;
    file.as_file().sync_all().map_err(io(Step::Sync, tmp))?;
    file.persist(target)
        .map_err(|e| io(Step::Replace, target)(e.error))?;
    // Persist the rename itself.
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let (target, tmp) = (dir.path().join("f"), dir.path().join("f.tmp"));
        std::fs::write(&target, "old").unwrap();
        replace(&target, &tmp, |w| {
            w.write_all(b"new").map_err(|e| Error::io("<output>", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(!tmp.exists());
    }

    #[test]
    fn a_failed_write_keeps_the_target_and_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let (target, tmp) = (dir.path().join("f"), dir.path().join("f.tmp"));
        std::fs::write(&target, "old").unwrap();
        let err = replace(&target, &tmp, |_| Err(Error::Usage("no".into()))).unwrap_err();
        assert!(matches!(err, ReplaceError::Write(Error::Usage(_))));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert!(!tmp.exists());
    }
}
