//! A library: one folder holding the database, the blob store and the search index.
//!
//! ```text
//! <library>/skladnica.sqlite   system of record (WAL)
//! <library>/blobs/             originals, content-addressed
//! <library>/index/             tantivy index, derived
//! <library>/lock               held by the one process that may write
//! <library>/encryption.json    only in an encrypted library (see `crypt`)
//! ```
//!
//! Opening takes the writer lock when it is free. With it, opening also finishes what a crash
//! interrupted: blobs placed for an uncommitted transaction are removed, temporary files are
//! swept, and the search index catches up with the database. Without it (another process is
//! importing), the library opens for reading only.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::audit::{Actor, ActorCell};
use crate::blobs::{BlobStore, PendingJournal};
use crate::db::documents::{self, Document, DocumentSummary};
use crate::db::{self, state};
use crate::error::{Error, Result};
use crate::search::index::SearchIndex;

const DB_FILE: &str = "skladnica.sqlite";

/// An open library.
pub struct Library {
    root: PathBuf,
    conn: Connection,
    blobs: BlobStore,
    index: SearchIndex,
    lock: Option<File>,
    /// The keys of an encrypted library.
    cipher: Option<crate::crypt::Cipher>,
    /// The database file is SQLCipher's (false while `encrypt` has not reached it yet).
    db_sealed: bool,
    /// Who the audit log names for this handle's changes.
    actor: ActorCell,
    /// The operator signed in (see `operators`).
    pub(crate) session: Option<crate::operators::Operator>,
}

/// What opening had to repair after an interruption.
#[derive(Debug, Clone, Default)]
pub struct Recovery {
    /// Blobs of uncommitted imports that were removed.
    pub orphan_blobs_removed: usize,
    /// Temporary files swept.
    pub temp_files_removed: usize,
    /// Documents the index caught up on.
    pub documents_reindexed: usize,
}

impl Library {
    /// The default library: `Składnica/library` in the OS data directory.
    pub fn default_root() -> Option<PathBuf> {
        directories::ProjectDirs::from("pl", "Skladnica", "Skladnica")
            .map(|d| d.data_dir().join("library"))
    }

    /// Creates a library at `root` (or opens the one already there).
    pub fn init(root: &Path) -> Result<Library> {
        Self::open_inner(root, true)
    }

    /// Opens the library at `root`; it must exist.
    pub fn open(root: &Path) -> Result<Library> {
        Self::open_inner(root, false)
    }

    /// Opens the library at `root`, creating it on first use.
    pub fn open_or_create(root: &Path) -> Result<Library> {
        Self::open_inner(root, true)
    }

    fn open_inner(root: &Path, create: bool) -> Result<Library> {
        let db_path = root.join(DB_FILE);
        if !db_path.exists() {
            if !create {
                return Err(Error::NoLibrary(root.to_path_buf()));
            }
            fs::create_dir_all(root).map_err(|e| not_writable(root, root, e))?;
        }
        let lock = take_lock(root)?;
        let cipher = crate::crypt::cipher_for(root)?;
        let db_sealed = cipher.is_some() && !db::is_plain(&db_path);
        let actor = ActorCell::default();
        let conn = db::open(
            &db_path,
            create,
            actor.clone(),
            cipher.as_ref().filter(|_| db_sealed),
        )?;
        if crate::operators::has_profiles(&conn)? {
            *actor.write().unwrap_or_else(|e| e.into_inner()) = Actor::SignInRequired;
        }
        let blobs = BlobStore::open(root.join("blobs"), cipher.clone())?;
        let index = SearchIndex::open(&root.join("index"), cipher.as_ref())?;
        let mut lib = Library {
            root: root.to_path_buf(),
            conn,
            blobs,
            index,
            lock,
            cipher,
            db_sealed,
            actor,
            session: None,
        };
        if lib.lock.is_some() {
            lib.recover()?;
        }
        Ok(lib)
    }

    /// Finishes what an interrupted writer left: see the module documentation.
    pub fn recover(&mut self) -> Result<Recovery> {
        let mut r = Recovery::default();
        let journal = self.blobs.journal();
        for sha in PendingJournal::leftovers(journal.path()) {
            if documents::find_by_sha(&self.conn, &sha)?.is_none() {
                self.blobs.remove(&sha)?;
                r.orphan_blobs_removed += 1;
            }
        }
        self.blobs.journal().clear()?;
        r.temp_files_removed = self.blobs.sweep_tmp()?;
        r.documents_reindexed = self.catch_up_index()?;
        Ok(r)
    }

    /// Brings the index up to the database's latest revision; returns documents (re)indexed.
    pub fn catch_up_index(&mut self) -> Result<usize> {
        let last = state::last_rev(&self.conn)?;
        let sql_rev = state::indexed_rev(&self.conn)?;
        let idx_rev = self.index.committed_rev();
        // An index from the future (the database was restored from a backup) or a new one is
        // rebuilt whole; otherwise everything after the older of the two marks is redone.
        let full = self.index.fresh || idx_rev > last;
        let from = if full { 0 } else { sql_rev.min(idx_rev) };
        let tombstones = self.tombstones_after(from)?;
        if last <= from && tombstones.is_empty() && !full {
            if sql_rev != last {
                state::set_indexed_rev(&self.conn, last)?;
            }
            return Ok(0);
        }
        let mut writer = self.index.writer(2, 128 << 20)?;
        if full {
            writer
                .delete_all_documents()
                .map_err(|e| Error::index("emptying the index", e))?;
        }
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let conn = &self.conn;
        let n = self.index.put_parallel(&writer, threads, |feed| {
            documents::for_each_index_source(conn, from, feed)
        })?;
        for id in &tombstones {
            self.index.delete(&writer, *id);
        }
        self.index.commit(&mut writer, last)?;
        state::set_indexed_rev(&self.conn, last)?;
        self.conn
            .execute("DELETE FROM index_tombstones WHERE rev <= ?1", [last])
            .map_err(|e| Error::sqlite("clearing index tombstones", e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| Error::index("finishing index merges", e))?;
        Ok(n)
    }

    fn tombstones_after(&self, rev: i64) -> Result<Vec<i64>> {
        let mut s = self
            .conn
            .prepare("SELECT document_id FROM index_tombstones WHERE rev > ?1")
            .map_err(|e| Error::sqlite("reading index tombstones", e))?;
        s.query_map([rev], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| Error::sqlite("reading index tombstones", e))
    }

    /// Who this handle's changes are logged as now.
    pub(crate) fn actor(&self) -> Actor {
        self.actor.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set_actor(&self, actor: Actor) {
        *self.actor.write().unwrap_or_else(|e| e.into_inner()) = actor;
    }

    /// Fails with [`Error::Busy`] unless this process holds the writer lock.
    pub fn require_writable(&self) -> Result<()> {
        if self.lock.is_some() {
            Ok(())
        } else {
            Err(Error::Busy(self.root.clone()))
        }
    }

    /// True when this process may write.
    pub fn is_writable(&self) -> bool {
        self.lock.is_some()
    }

    /// The library folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// The database connection.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The database connection, for transactions.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The keys of an encrypted library.
    pub(crate) fn cipher(&self) -> Option<&crate::crypt::Cipher> {
        self.cipher.as_ref()
    }

    /// The key of the database file, when it is encrypted (connections of its own take it).
    pub(crate) fn db_cipher(&self) -> Option<&crate::crypt::Cipher> {
        self.cipher.as_ref().filter(|_| self.db_sealed)
    }

    /// From now on, originals and the index are sealed with `cipher` (an index still in the
    /// clear is recreated empty: the caller refills it).
    pub(crate) fn set_cipher(&mut self, cipher: crate::crypt::Cipher) -> Result<()> {
        self.blobs = BlobStore::open(self.root.join("blobs"), Some(cipher.clone()))?;
        self.index = SearchIndex::open(&self.root.join("index"), Some(&cipher))?;
        self.cipher = Some(cipher);
        Ok(())
    }

    /// Closes the database, runs `between` (which may replace its file) and opens it again.
    pub(crate) fn reopen_database(&mut self, between: impl FnOnce() -> Result<()>) -> Result<()> {
        let ctx = |e| Error::sqlite(format!("closing {}", self.root.join(DB_FILE).display()), e);
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory().map_err(ctx)?);
        old.close().map_err(|(_, e)| ctx(e))?;
        let between = between();
        self.db_sealed = self.cipher.is_some() && !db::is_plain(&self.db_path());
        self.conn = db::open(&self.db_path(), false, self.actor.clone(), self.db_cipher())?;
        between
    }

    /// The blob store.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// The search index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// One document with its files, pages and metadata.
    pub fn document(&self, id: i64) -> Result<Document> {
        documents::get(&self.conn, id)?.ok_or(Error::NoDocument(id))
    }

    /// All documents, newest first.
    pub fn list(&self) -> Result<Vec<DocumentSummary>> {
        documents::list(&self.conn)
    }

    /// Rebuilds the search index from the database. `on_progress(done)` is called as it goes.
    pub fn reindex(&mut self, on_progress: &mut dyn FnMut(usize)) -> Result<usize> {
        self.require_writable()?;
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut writer = self.index.writer(threads, 256 << 20)?;
        writer
            .delete_all_documents()
            .map_err(|e| Error::index("emptying the index", e))?;
        let last = state::last_rev(&self.conn)?;
        let conn = &self.conn;
        let mut fed = 0;
        let n = self.index.put_parallel(&writer, threads, |feed| {
            documents::for_each_index_source(conn, 0, |src| {
                feed(src)?;
                fed += 1;
                if fed % 1000 == 0 {
                    on_progress(fed);
                }
                Ok(())
            })
        })?;
        self.index.commit(&mut writer, last)?;
        state::set_indexed_rev(&self.conn, last)?;
        self.conn
            .execute("DELETE FROM index_tombstones", [])
            .map_err(|e| Error::sqlite("clearing index tombstones", e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| Error::index("finishing index merges", e))?;
        on_progress(n);
        Ok(n)
    }
}

/// A failure to write into the library's folder: said as such when it is a matter of permission
/// or a read-only disk, else the I/O error on `path`.
fn not_writable(root: &Path, path: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
    if matches!(e.kind(), PermissionDenied | ReadOnlyFilesystem) {
        Error::NotWritable(root.to_path_buf())
    } else {
        Error::io(path, e)
    }
}

fn take_lock(root: &Path) -> Result<Option<File>> {
    let path = root.join("lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| not_writable(root, &path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}
