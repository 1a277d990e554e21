//! The `rocksdb` backend: Oxigraph's RocksDB store in `rocksdb/`, so opening a big graph reads
//! nothing up front. Each batch is committed by the bulk loader; readers take a shared lock
//! (RocksDB must not be read while another process writes it). A store that only has a
//! snapshot (written by a default build) is read from the snapshot, and imported into RocksDB
//! by the first writer.

use super::load::{bulk_load_snapshot, read_snapshot};
use super::lock::lock_for_reading;
use super::{ROCKSDB_DIR, SNAPSHOT};
use crate::error::{Error, Result};
use oxigraph::store::Store;
use std::fs::File;
use std::path::Path;

/// The backend's name (see [`super::BACKEND`]).
pub(super) const NAME: &str = "rocksdb";

/// Opens the RocksDB database of a store for reading, under a shared lock so that no writer
/// changes it meanwhile; a store without one is read from its snapshot.
pub(super) fn open_read(dir: &Path) -> Result<(Store, Option<File>)> {
    if !dir.join(ROCKSDB_DIR).is_dir() {
        let missing = "no store here (neither rocksdb/ nor graph.nq): run `cinegraph extract` first, or pass --store";
        return Ok((read_snapshot(dir, missing)?, None));
    }
    let lock = lock_for_reading(dir)?;
    let store = Store::open_read_only(dir.join(ROCKSDB_DIR))
        .map_err(|e| Error::store_from(dir, "cannot open the RocksDB store", e))?;
    Ok((store, lock))
}

/// Opens (creating) the RocksDB database of a store for writing. A snapshot left by a build
/// without the feature is imported once, then renamed `graph.nq.imported`.
pub(super) fn open_write(dir: &Path) -> Result<Store> {
    let db = dir.join(ROCKSDB_DIR);
    let fresh = !db.is_dir();
    let store =
        Store::open(&db).map_err(|e| Error::store_from(dir, "cannot open the RocksDB store", e))?;
    let snapshot = dir.join(SNAPSHOT);
    if fresh && snapshot.is_file() {
        bulk_load_snapshot(&store, dir)?;
        store
            .flush()
            .map_err(|e| Error::store_from(dir, &format!("cannot import {SNAPSHOT}"), e))?;
        let imported = dir.join(format!("{SNAPSHOT}.imported"));
        std::fs::rename(&snapshot, &imported).map_err(|e| Error::io(&snapshot, e))?;
    }
    Ok(store)
}

/// Every batch is already committed; flushing puts the last of them on disk.
pub(super) fn save(store: &Store, dir: &Path) -> Result<()> {
    store
        .flush()
        .map_err(|e| Error::store_from(dir, "cannot flush the store", e))
}
