//! The default backend: an in-memory Oxigraph store persisted as one N-Quads snapshot
//! (`graph.nq`), read whole when the store is opened and replaced atomically by
//! [`save`]. Readers need no lock: a snapshot is either the old or the new one.

use super::load::{load_snapshot, new_store, read_snapshot};
use super::{SNAPSHOT, TMP_SNAPSHOT};
use crate::error::{Error, Result};
use crate::export::atomic::{self, ReplaceError};
use oxigraph::store::Store;
use std::fs::File;
use std::path::Path;

/// The backend's name (see [`super::BACKEND`]).
pub(super) const NAME: &str = "snapshot";

/// Opens a store for reading: its snapshot, in memory. No lock is needed.
pub(super) fn open_read(dir: &Path) -> Result<(Store, Option<File>)> {
    let missing = "no store here (no graph.nq): run `cinegraph extract` first, or pass --store";
    Ok((read_snapshot(dir, missing)?, None))
}

/// Loads the snapshot of a store opened for writing (an empty store when there is none).
pub(super) fn open_write(dir: &Path) -> Result<Store> {
    // A writer killed while saving leaves its temporary snapshot: never read, removed here.
    let tmp = dir.join(TMP_SNAPSHOT);
    if tmp.is_file() {
        let _ = std::fs::remove_file(&tmp);
    }
    if dir.join(SNAPSHOT).exists() {
        load_snapshot(dir)
    } else {
        new_store(dir)
    }
}

/// Writes the snapshot atomically (see [`atomic::replace`]): when any step fails (read-only
/// directory, disk full…) the error names the file and says the previous `graph.nq` is left
/// as it was.
pub(super) fn save(store: &Store, dir: &Path) -> Result<()> {
    let target = dir.join(SNAPSHOT);
    let kept = if target.exists() {
        format!("the previous {SNAPSHOT} is unchanged")
    } else {
        format!("no {SNAPSHOT} was written")
    };
    let fail = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
        Error::store(
            dir,
            format!("cannot {what} {}: {e} ({kept})", path.display()),
        )
    };
    let tmp = dir.join(TMP_SNAPSHOT);
    let quads = store
        .iter()
        .map(|q| q.map_err(|e| Error::store_from(dir, "", e)));
    atomic::replace(&target, &tmp, |w| {
        crate::export::order::write_sorted_lines(quads, w)
    })
    .map_err(|e| match e {
        ReplaceError::Io { step, path, source } => fail(step.verb(), &path, &source),
        ReplaceError::Write(Error::Io { source, .. }) => fail("write", &tmp, &source),
        ReplaceError::Write(e) => e,
    })
}
