//! Turning on encryption at rest for a library that already holds documents (a new library is
//! encrypted the same way before its first import).
//!
//! The order makes an interruption harmless and the command resumable: first `encryption.json`
//! and the key (kept in the keyring) — from then on everything new is sealed and the library
//! opens with the key; then every original is sealed in place (each one synced before it
//! replaces the clear copy); then the search index is rebuilt sealed; last, the database is
//! exported into a SQLCipher copy (`sqlcipher_export`), checked, synced and renamed over the
//! clear one. Running `encrypt` again after a power cut picks up where it stopped; the library
//! is usable throughout. What was written in the clear before may linger in the disk's free
//! space: a laptop is best encrypted before its first import.

use std::fs;
use std::path::Path;

use crate::crypt::{self, Cipher, Kept};
use crate::db;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::operators::Permission;

/// What [`Library::encrypt`] did.
#[derive(Debug, Clone)]
pub struct EncryptReport {
    /// Originals sealed now (not counting those sealed by an interrupted run).
    pub blobs_sealed: usize,
    /// Documents put into the rebuilt, sealed index.
    pub documents_indexed: usize,
    /// Where the key is kept on this computer.
    pub kept: Kept,
}

/// How far a library's encryption is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncryptionState {
    /// Not encrypted.
    Off,
    /// `encrypt` was interrupted: run it again to finish.
    Unfinished,
    /// Database, originals and index are encrypted.
    On,
}

impl Library {
    /// How far this library's encryption is.
    pub fn encryption(&self) -> EncryptionState {
        match (self.cipher(), self.db_cipher()) {
            (None, _) => EncryptionState::Off,
            (Some(_), None) => EncryptionState::Unfinished,
            (Some(_), Some(_)) => EncryptionState::On,
        }
    }

    /// Encrypts this library (an administrator's setting), or finishes an interrupted run, with
    /// `passphrase` as the recovery passphrase (used only when the key is made). See the module
    /// documentation. `on_progress(step, done, total)` is called as it goes.
    pub fn encrypt(
        &mut self,
        passphrase: &str,
        on_progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<EncryptReport> {
        self.require_writable()?;
        self.require(Permission::Settings)?;
        if cfg!(windows) {
            return Err(Error::Invalid(
                "encryption at rest is not part of the Windows build (its SQLite is not \
                 SQLCipher); encrypt the laptop's disk with BitLocker instead"
                    .into(),
            ));
        }
        let (cipher, kept) = match self.cipher().cloned() {
            Some(_) if self.encryption() == EncryptionState::On => {
                return Err(Error::Conflict(format!(
                    "{}: the library is encrypted already",
                    self.root().display()
                )));
            }
            Some(c) => (c, crypt::kept(self.root())?),
            None => crypt::create(self.root(), passphrase)?,
        };
        self.set_cipher(cipher.clone())?;

        let shas = self.blobs().list()?;
        let mut blobs_sealed = 0;
        for (i, sha) in shas.iter().enumerate() {
            if self.blobs().seal_in_place(sha)? {
                blobs_sealed += 1;
            }
            on_progress("originals", i + 1, shas.len());
        }
        self.blobs().sweep_tmp()?;

        let documents_indexed = self.reindex(&mut |n| on_progress("index", n, 0))?;

        if self.db_cipher().is_none() {
            on_progress("database", 0, 1);
            // Logged in the clear database, so that the encrypted one begins with it.
            self.log_action(
                "library.encrypted",
                "library",
                &serde_json::json!({ "originals": shas.len(), "documents": documents_indexed }),
            )?;
            self.encrypt_database(&cipher)?;
            on_progress("database", 1, 1);
        }
        Ok(EncryptReport {
            blobs_sealed,
            documents_indexed,
            kept,
        })
    }

    /// Gives this encrypted library a new recovery passphrase (an administrator's setting, when
    /// the old one is lost or has been seen); the old one no longer opens it. Logged.
    pub fn change_recovery_passphrase(&mut self, passphrase: &str) -> Result<()> {
        self.require_writable()?;
        self.require(Permission::Settings)?;
        if self.cipher().is_none() {
            return Err(Error::Invalid(format!(
                "{}: the library is not encrypted",
                self.root().display()
            )));
        }
        crypt::change_passphrase(self.root(), passphrase)?;
        self.log_action(
            "library.passphrase_changed",
            "library",
            &serde_json::json!({}),
        )
    }

    /// A consistent copy of the database at `copy`, in the clear (a backup's: the carrier has
    /// its own protection, an age passphrase when it may be lost).
    pub(crate) fn copy_database_to(&self, copy: &Path) -> Result<()> {
        let ctx = |e| Error::sqlite(format!("copying the database to {}", copy.display()), e);
        let conn = self.conn();
        if self.db_cipher().is_none() {
            return conn
                .execute("VACUUM INTO ?1", [copy.to_string_lossy().as_ref()])
                .map(|_| ())
                .map_err(ctx);
        }
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(ctx)?;
        empty_file(copy)?;
        conn.execute(
            "ATTACH DATABASE ?1 AS jawna KEY ''",
            [copy.to_string_lossy().as_ref()],
        )
        .map_err(ctx)?;
        let exported = conn
            .query_row("SELECT sqlcipher_export('jawna')", [], |_| Ok(()))
            .and_then(|()| conn.pragma_update(Some("jawna"), "user_version", version));
        conn.execute_batch("DETACH DATABASE jawna").map_err(ctx)?;
        exported.map_err(ctx)
    }

    /// Replaces the clear database with a SQLCipher copy of it.
    fn encrypt_database(&mut self, cipher: &Cipher) -> Result<()> {
        let path = self.db_path();
        let copy = self.root().join("skladnica.sqlite.szyfrowana");
        remove_if_there(&copy)?;
        let ctx = |e| Error::sqlite("encrypting the database", e);
        let conn = self.conn();
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(ctx)?;
        empty_file(&copy)?;
        conn.execute(
            "ATTACH DATABASE ?1 AS szyfrowana KEY ?2",
            [copy.to_string_lossy().as_ref(), cipher.db_key()],
        )
        .map_err(ctx)?;
        let exported = conn
            .query_row("SELECT sqlcipher_export('szyfrowana')", [], |_| Ok(()))
            .and_then(|()| conn.pragma_update(Some("szyfrowana"), "user_version", version));
        conn.execute_batch("DETACH DATABASE szyfrowana")
            .map_err(ctx)?;
        if let Err(e) = exported {
            let _ = fs::remove_file(&copy);
            return Err(ctx(e));
        }
        check_copy(&copy, cipher, self.conn())?;
        fs::File::open(&copy)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&copy, e))?;
        // The clear database is closed (its WAL folded in) before the copy replaces it.
        self.reopen_database(|| {
            for wal in ["skladnica.sqlite-wal", "skladnica.sqlite-shm"] {
                remove_if_there(&path.with_file_name(wal))?;
            }
            fs::rename(&copy, &path).map_err(|e| Error::io(&path, e))?;
            if let Some(dir) = path.parent().and_then(|d| fs::File::open(d).ok()) {
                let _ = dir.sync_all();
            }
            Ok(())
        })
    }
}

/// Opens the encrypted copy with the key and checks it holds what the clear database holds.
fn check_copy(copy: &Path, cipher: &Cipher, clear: &rusqlite::Connection) -> Result<()> {
    let bad = |detail: String| {
        let _ = fs::remove_file(copy);
        Error::Invalid(format!(
            "{}: the encrypted copy of the database is not sound ({detail}); the clear database \
             is untouched",
            copy.display()
        ))
    };
    let c = rusqlite::Connection::open(copy).map_err(|e| bad(e.to_string()))?;
    db::key(&c, cipher).map_err(|e| bad(e.to_string()))?;
    let ok: String = c
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if ok != "ok" {
        return Err(bad(ok));
    }
    for table in [
        "documents",
        "files",
        "pages",
        "audit_log",
        "cases",
        "rpw_items",
        "operators",
    ] {
        let q = format!("SELECT count(*) FROM {table}");
        let n = |conn: &rusqlite::Connection| conn.query_row(&q, [], |r| r.get::<_, i64>(0));
        let (a, b) = (n(clear), n(&c));
        if a.as_ref().ok() != b.as_ref().ok() {
            return Err(bad(format!(
                "{table}: {a:?} rows in the clear, {b:?} encrypted"
            )));
        }
    }
    Ok(())
}

/// An empty file at `path` (a new database to attach: the library's connection may not create
/// files).
fn empty_file(path: &Path) -> Result<()> {
    fs::File::create(path)
        .map(drop)
        .map_err(|e| Error::io(path, e))
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blobs::BlobState;
    use crate::operators::Role;

    #[test]
    fn only_an_administrator_encrypts_and_an_interrupted_run_resumes() {
        let (dir, mut lib, first) = crate::test_support::library_with_scan(40, 30);
        let root = lib.root().to_path_buf();
        lib.add_operator("Ala Nowak", Role::Administrator, None)
            .unwrap();
        lib.add_operator("Jan Kowal", Role::Clerk, None).unwrap();
        lib.sign_in("Jan Kowal", None).unwrap();
        let err = lib.encrypt("zielona łąka nad Odrą", &mut |_, _, _| {});
        assert!(matches!(err, Err(Error::Forbidden(_))), "{err:?}");
        assert!(!crypt::is_encrypted(&root));
        lib.sign_in("Ala Nowak", None).unwrap();

        // Interrupted right after the key was made: nothing is sealed yet.
        let (cipher, _) = crypt::create(&root, "zielona łąka nad Odrą").unwrap();
        lib.set_cipher(cipher).unwrap();
        drop(lib);
        let mut lib = Library::open(&root).unwrap();
        lib.sign_in("Ala Nowak", None).unwrap();
        assert_eq!(lib.encryption(), EncryptionState::Unfinished);
        // Usable meanwhile: the clear original reads, a new one is sealed at once.
        let sha = lib.document(first).unwrap().files[0].sha256.clone();
        assert!(!crypt::file_is_sealed(&lib.blobs().path(&sha)).unwrap());
        crate::preview::page_preview(&lib, first, 1, 200).unwrap();
        let second =
            crate::test_support::import_scan(&mut lib, &dir.path().join("drugi.png"), 50, 20, 9);
        let sha2 = lib.document(second).unwrap().files[0].sha256.clone();
        assert!(crypt::file_is_sealed(&lib.blobs().path(&sha2)).unwrap());

        // Run again, it finishes: only what was still clear is sealed now.
        let done = lib.encrypt("", &mut |_, _, _| {}).unwrap();
        assert_eq!(done.blobs_sealed, 1);
        assert_eq!(done.documents_indexed, 2);
        assert_eq!(lib.encryption(), EncryptionState::On);
        assert!(!db::is_plain(&lib.db_path()));
        drop(lib);
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.encryption(), EncryptionState::On);
        for sha in [&sha, &sha2] {
            assert_eq!(lib.blobs().verify(sha).unwrap(), BlobState::Intact);
        }
        crate::preview::page_preview(&lib, first, 1, 200).unwrap();
        assert_eq!(lib.list().unwrap().len(), 2);
        let log = lib.audit_log(None).unwrap();
        assert!(log.iter().any(|e| e.action == "library.encrypted"));
        assert!(lib.verify_audit(None).unwrap().problems.is_empty());
    }
}
