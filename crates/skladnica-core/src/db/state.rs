//! The `index_state` row: the library revision counter and what the search index has committed.
//!
//! Every change to a document takes a fresh revision (`documents.rev`). After the tantivy index
//! commits, the highest revision it contains is recorded here; documents with a higher revision
//! are what the index still has to catch up on after a crash.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Takes the next revision number (inside the caller's transaction).
pub fn take_rev(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "UPDATE index_state SET next_rev = next_rev + 1 WHERE id = 1 RETURNING next_rev - 1",
        [],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("taking a revision", e))
}

/// The newest revision handed out so far (0 when none).
pub fn last_rev(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT next_rev - 1 FROM index_state WHERE id = 1",
        [],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("reading the revision counter", e))
}

/// The revision the index is known to have committed.
pub fn indexed_rev(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT indexed_rev FROM index_state WHERE id = 1",
        [],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("reading the index state", e))
}

/// Records that the index has committed everything up to `rev`.
pub fn set_indexed_rev(conn: &Connection, rev: i64) -> Result<()> {
    conn.execute(
        "UPDATE index_state SET indexed_rev = ?1 WHERE id = 1",
        [rev],
    )
    .map_err(|e| Error::sqlite("recording the index state", e))?;
    Ok(())
}
