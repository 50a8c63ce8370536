//! Library settings: a key/value table (`settings`) for what a library keeps about itself (OCR
//! languages, scan profiles).

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// The value of `key`, if set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
    .map_err(|e| Error::sqlite(format!("reading the setting {key}"), e))
}

/// Sets `key` to `value`.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map_err(|e| Error::sqlite(format!("saving the setting {key}"), e))?;
    Ok(())
}
