//! The SQLite system of record: opening a connection, pragmas, numbered migrations.
//!
//! Migrations are the `.sql` files in `db/migrations/`, numbered from 1; `PRAGMA user_version`
//! holds the number of the last one applied. Each is applied in its own IMMEDIATE transaction. A
//! database whose version is newer than this code is refused, never "repaired".
//!
//! Repository functions live beside this module, one file per table, as free functions over a
//! `&Connection` so that they compose inside transactions.

pub mod batches;
pub mod cases;
pub mod documents;
pub mod jrwa;
pub mod outbox;
pub mod rpw;
pub mod settings;
pub mod state;

pub use rusqlite::Connection;

use std::path::Path;

use rusqlite::{OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// The migrations, in order; `MIGRATIONS[i]` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_ocr.sql"),
    include_str!("migrations/0003_ocr_rotation.sql"),
    include_str!("migrations/0004_ocr_image_size.sql"),
    include_str!("migrations/0005_records.sql"),
    include_str!("migrations/0006_rpw.sql"),
    include_str!("migrations/0007_extraction.sql"),
    include_str!("migrations/0008_review.sql"),
    include_str!("migrations/0009_exports.sql"),
    include_str!("migrations/0010_export_targets.sql"),
    include_str!("migrations/0011_ezd_outbox.sql"),
    include_str!("migrations/0012_ezd_records.sql"),
    include_str!("migrations/0013_audit.sql"),
    include_str!("migrations/0014_operators.sql"),
    include_str!("migrations/0015_removal.sql"),
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Opens (creating when `create`) the database at `path`, checks its integrity header, applies
/// pending migrations and sets the connection's pragmas. With `cipher` (an encrypted database:
/// see `Library::db_cipher`) the connection is keyed before anything is read.
pub(crate) fn open(
    path: &Path,
    create: bool,
    actor: crate::audit::ActorCell,
    cipher: Option<&crate::crypt::Cipher>,
) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let ctx = |e| Error::sqlite(format!("opening {}", path.display()), e);
    let mut conn = Connection::open_with_flags(path, flags).map_err(ctx)?;
    if let Some(c) = cipher {
        key(&conn, c).map_err(ctx)?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(ctx)?;
    crate::audit::register(&conn, actor).map_err(ctx)?;
    // A file that is not a database fails here, on the first read.
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| corrupt_or(path, e))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(|e| corrupt_or(path, e))?;
    migrate(&mut conn, path, version)?;
    Ok(conn)
}

/// A read-only connection of its own (an import's worker threads), keyed with `cipher` when the
/// database is encrypted.
pub(crate) fn open_read_only(
    path: &Path,
    cipher: Option<&crate::crypt::Cipher>,
) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if let Some(c) = cipher {
        key(&conn, c)?;
    }
    Ok(conn)
}

/// Keys a connection to an encrypted database (the first statement on it).
pub(crate) fn key(conn: &Connection, cipher: &crate::crypt::Cipher) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", cipher.db_key()))
}

/// True when the file at `path` is an unencrypted SQLite database (its header says so).
pub(crate) fn is_plain(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0")
}

fn corrupt_or(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::CorruptDatabase {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
        _ => Error::sqlite(format!("opening {}", path.display()), e),
    }
}

fn migrate(conn: &mut Connection, path: &Path, mut version: u32) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    while version < SCHEMA_VERSION {
        let next = version + 1;
        let ctx = |e| Error::sqlite(format!("applying migration {next}"), e);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        // Another process may have migrated while we waited for the lock.
        let current: u32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(ctx)?;
        if current == version {
            tx.execute_batch(MIGRATIONS[version as usize])
                .map_err(ctx)?;
            after_migration(&tx, next)?;
            tx.pragma_update(None, "user_version", next).map_err(ctx)?;
        }
        tx.commit().map_err(ctx)?;
        version = current.max(next);
    }
    Ok(())
}

/// Data a migration brings besides its SQL, written in the migration's transaction.
fn after_migration(conn: &Connection, version: u32) -> Result<()> {
    if version == 5 {
        crate::records::install_builtin_jrwa(conn)?;
    }
    Ok(())
}

/// The current time as an ISO 8601 UTC timestamp, to the second.
pub fn now() -> String {
    format_timestamp(now_secs())
}

/// Seconds since the Unix epoch now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The day in Poland of a timestamp written by [`now`] (`YYYY-MM-DDTHH:MM:SSZ`, UTC).
pub fn local_date(timestamp: &str) -> Option<skladnica_records::Date> {
    parse_timestamp(timestamp).map(skladnica_records::Date::in_poland_at)
}

/// Seconds since the Unix epoch of a timestamp written by [`now`] (`YYYY-MM-DDTHH:MM:SSZ`).
pub fn parse_timestamp(timestamp: &str) -> Option<i64> {
    let b = timestamp.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let day: skladnica_records::Date = timestamp[..10].parse().ok()?;
    let num = |r: std::ops::Range<usize>| timestamp.get(r)?.parse::<i64>().ok();
    Some(day.days() * 86_400 + num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?)
}

pub use skladnica_records::date::{
    civil_from_days, days_from_civil, utc_timestamp as format_timestamp,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_database_and_reopens_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let conn = open(&path, true, Default::default(), None).unwrap();
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        drop(conn);
        open(&path, false, Default::default(), None).unwrap();
    }

    #[test]
    fn migrates_a_version_1_database_keeping_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let conn = Connection::open(&path).unwrap();
        // A frozen version-1 library with one document and page.
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO documents (id, title, created_at, updated_at, rev)
               VALUES (1, 'Skan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
             INSERT INTO files (id, document_id, sha256, original_name, original_path,
                                media_type, size, page_count)
               VALUES (1, 1, 'ab', 'a.png', '/a.png', 'image/png', 3, 1);
             INSERT INTO pages (document_id, file_id, number, text_source)
               VALUES (1, 1, 1, 'awaiting_ocr');",
        )
        .unwrap();
        drop(conn);
        let conn = open(&path, false, Default::default(), None).unwrap();
        let (source, error): (String, Option<String>) = conn
            .query_row("SELECT text_source, ocr_error FROM pages", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((source.as_str(), error), ("awaiting_ocr", None));
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn refuses_a_newer_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = open(&path, false, Default::default(), None).unwrap_err();
        assert!(matches!(err, Error::NewerDatabase { .. }), "{err}");
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        std::fs::write(&path, vec![0x42; 8192]).unwrap();
        let err = open(&path, false, Default::default(), None).unwrap_err();
        assert!(matches!(err, Error::CorruptDatabase { .. }), "{err}");
    }

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 11, 23), (1899, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        // 23:30 UTC on 10 January is 00:30 on the 11th in Poland.
        assert_eq!(
            local_date("2026-01-10T23:30:00Z").unwrap().to_string(),
            "2026-01-11"
        );
        assert_eq!(
            local_date("2026-07-10T12:00:00Z").unwrap().to_string(),
            "2026-07-10"
        );
        assert!(local_date("2026-07-10").is_none());
    }
}
