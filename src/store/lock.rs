//! The locks of a store directory: the writer lock (`lock`, an exclusive file lock holding the
//! writer's PID), and the shared lock RocksDB readers take on the same file so that no writer
//! changes the database while they read it.

use super::LOCK;
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

/// Takes the writer lock of a store directory and records this process's PID in it.
pub(super) fn lock_for_writing(dir: &Path) -> Result<File> {
    let lock_path = dir.join(LOCK);
    let mut lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    if lock.try_lock().is_err() {
        let pid = holder(&mut lock);
        return Err(Error::store(
            dir,
            format!("store is locked by another cinegraph process{pid}"),
        ));
    }
    lock.set_len(0).map_err(|e| Error::io(&lock_path, e))?;
    write!(lock, "{}", std::process::id()).map_err(|e| Error::io(&lock_path, e))?;
    Ok(lock)
}

/// Takes a shared lock on the lock file, if there is one: a store copied without its lock file
/// (or on a read-only medium) has no writer.
#[cfg(feature = "rocksdb")]
pub(super) fn lock_for_reading(dir: &Path) -> Result<Option<File>> {
    let Ok(mut file) = OpenOptions::new().read(true).open(dir.join(LOCK)) else {
        return Ok(None);
    };
    if file.try_lock_shared().is_err() {
        let pid = holder(&mut file);
        return Err(Error::store(
            dir,
            format!(
                "store is being written by another cinegraph process{pid}: try again when it has finished"
            ),
        ));
    }
    Ok(Some(file))
}

/// ` (PID n)` of the process holding a lock, or nothing when the file does not say.
fn holder(lock: &mut File) -> String {
    let mut pid = String::new();
    let _ = lock.read_to_string(&mut pid);
    let pid = pid.trim();
    if pid.is_empty() {
        String::new()
    } else {
        format!(" (PID {pid})")
    }
}
