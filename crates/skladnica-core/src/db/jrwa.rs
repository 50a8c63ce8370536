//! The `jrwa_versions` and `jrwa_classes` tables: every file plan the library has loaded, kept
//! for good so that a case stays under the JRWA in force when it was opened.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use skladnica_records::{Category, Date, Jrwa, JrwaClass};

use crate::error::{Error, Result};

/// One loaded file plan.
#[derive(Debug, Clone, Serialize)]
pub struct JrwaVersion {
    /// Its id.
    pub id: i64,
    /// A name for people ("JRWA gminy 2011", the file's name).
    pub name: String,
    /// Where it came from: `builtin:gmina-2011`, `csv:<file>`.
    pub source: String,
    /// SHA-256 of the source bytes.
    pub sha256: String,
    /// Cases opened from this day on use this version.
    pub in_force_from: Date,
    /// When it was loaded.
    pub imported_at: String,
    /// How many classes it has.
    pub class_count: i64,
}

fn version_from(r: &Row<'_>) -> rusqlite::Result<JrwaVersion> {
    let from: String = r.get(4)?;
    Ok(JrwaVersion {
        id: r.get(0)?,
        name: r.get(1)?,
        source: r.get(2)?,
        sha256: r.get(3)?,
        in_force_from: from.parse().unwrap_or(Date::january_first(1970)),
        imported_at: r.get(5)?,
        class_count: r.get(6)?,
    })
}

const VERSION_COLUMNS: &str = "id, name, source, sha256, in_force_from, imported_at, class_count";

/// Stores `jrwa` as a new version; returns its id. Call inside a transaction.
pub fn insert_version(
    conn: &Connection,
    name: &str,
    source: &str,
    sha256: &str,
    in_force_from: Date,
    jrwa: &Jrwa,
) -> Result<i64> {
    let ctx = |e| Error::sqlite("saving a JRWA", e);
    conn.execute(
        "INSERT INTO jrwa_versions (name, source, sha256, in_force_from, imported_at, class_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            source,
            sha256,
            in_force_from.to_string(),
            crate::db::now(),
            jrwa.len() as i64
        ],
    )
    .map_err(ctx)?;
    let id = conn.last_insert_rowid();
    let mut insert = conn
        .prepare(
            "INSERT INTO jrwa_classes (version_id, symbol, parent, heading, category,
                 category_other, notes, category_source, is_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(ctx)?;
    for c in jrwa.classes() {
        insert
            .execute(params![
                id,
                c.symbol,
                c.parent,
                c.heading,
                c.category.map(|c| c.to_string()),
                c.category_other.map(|c| c.to_string()),
                c.notes,
                c.category_source,
                c.is_end
            ])
            .map_err(ctx)?;
    }
    Ok(id)
}

/// All versions, oldest first.
pub fn versions(conn: &Connection) -> Result<Vec<JrwaVersion>> {
    let ctx = |e| Error::sqlite("reading JRWA versions", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT {VERSION_COLUMNS} FROM jrwa_versions ORDER BY in_force_from, id"
        ))
        .map_err(ctx)?;
    s.query_map([], version_from)
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}

/// The version with this id.
pub fn version(conn: &Connection, id: i64) -> Result<Option<JrwaVersion>> {
    conn.query_row(
        &format!("SELECT {VERSION_COLUMNS} FROM jrwa_versions WHERE id = ?1"),
        [id],
        version_from,
    )
    .optional()
    .map_err(|e| Error::sqlite("reading a JRWA version", e))
}

/// The version in force on `date`: the latest to come into force on or before it (of two on
/// the same day, the one loaded later).
pub fn in_force(conn: &Connection, date: Date) -> Result<Option<JrwaVersion>> {
    conn.query_row(
        &format!(
            "SELECT {VERSION_COLUMNS} FROM jrwa_versions WHERE in_force_from <= ?1
             ORDER BY in_force_from DESC, id DESC LIMIT 1"
        ),
        [date.to_string()],
        version_from,
    )
    .optional()
    .map_err(|e| Error::sqlite("finding the JRWA in force", e))
}

/// The classes of version `id`, as a [`Jrwa`].
pub fn load(conn: &Connection, id: i64) -> Result<Jrwa> {
    let ctx = |e| Error::sqlite(format!("reading JRWA version {id}"), e);
    let mut s = conn
        .prepare(
            "SELECT symbol, parent, heading, category, category_other, notes, category_source
             FROM jrwa_classes WHERE version_id = ?1",
        )
        .map_err(ctx)?;
    let category = |v: Option<String>| v.and_then(|c| c.parse::<Category>().ok());
    let classes = s
        .query_map([id], |r| {
            Ok(JrwaClass {
                symbol: r.get(0)?,
                parent: r.get(1)?,
                heading: r.get(2)?,
                category: category(r.get(3)?),
                category_other: category(r.get(4)?),
                notes: r.get(5)?,
                category_source: r.get(6)?,
                is_end: false,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(ctx)?;
    Ok(Jrwa::from_classes(classes))
}
