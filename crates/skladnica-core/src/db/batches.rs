//! The `import_batches` table: one row per `import` run, with its counts.

use rusqlite::{Connection, params};

use crate::error::{Error, Result};

/// Opens a batch and returns its id.
pub fn start(conn: &Connection, now: &str) -> Result<i64> {
    conn.execute("INSERT INTO import_batches (started_at) VALUES (?1)", [now])
        .map_err(|e| Error::sqlite("starting an import batch", e))?;
    Ok(conn.last_insert_rowid())
}

/// Closes a batch with its counts.
pub fn finish(
    conn: &Connection,
    id: i64,
    now: &str,
    imported: usize,
    duplicates: usize,
    failed: usize,
) -> Result<()> {
    conn.execute(
        "UPDATE import_batches SET finished_at = ?2, imported = ?3, duplicates = ?4, failed = ?5
         WHERE id = ?1",
        params![id, now, imported as i64, duplicates as i64, failed as i64],
    )
    .map_err(|e| Error::sqlite("closing an import batch", e))?;
    Ok(())
}
