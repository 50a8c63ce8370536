//! The `rpw_items` table: the incoming register, numbered per year.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use skladnica_records::{IncomingItem, RpwNumber};

use crate::error::{Error, Result};

/// A registered incoming item.
#[derive(Debug, Clone, Serialize)]
pub struct RpwRecord {
    /// Its row id.
    #[serde(skip)]
    pub id: i64,
    /// Its number in the register.
    pub number: RpwNumber,
    /// When it was registered (UTC).
    pub registered_at: String,
    /// The item's metadata.
    #[serde(flatten)]
    pub item: IncomingItem,
    /// The document holding its digital image.
    pub document_id: Option<i64>,
    /// The sign of the case it belongs to.
    pub case_sign: Option<String>,
}

const COLUMNS: &str = "r.id, r.year, r.number, r.registered_at, r.item, r.document_id, c.sign";

fn record_from(r: &Row<'_>) -> rusqlite::Result<RpwRecord> {
    let json: String = r.get(4)?;
    let item: IncomingItem = serde_json::from_str(&json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(RpwRecord {
        id: r.get(0)?,
        number: RpwNumber {
            year: r.get(1)?,
            number: r.get(2)?,
        },
        registered_at: r.get(3)?,
        item,
        document_id: r.get(5)?,
        case_sign: r.get(6)?,
    })
}

/// The next free number of `year`.
pub fn next_number(conn: &Connection, year: i32) -> Result<u32> {
    let last: Option<u32> = conn
        .query_row(
            "SELECT MAX(number) FROM rpw_items WHERE year = ?1",
            [year],
            |r| r.get(0),
        )
        .map_err(|e| Error::sqlite("reading the incoming register", e))?;
    Ok(last.unwrap_or(0) + 1)
}

/// Stores a registered item; returns its row id.
pub fn insert(
    conn: &Connection,
    number: RpwNumber,
    item: &IncomingItem,
    document_id: Option<i64>,
    case_id: Option<i64>,
) -> Result<i64> {
    let json = serde_json::to_string(item).expect("an item serialises");
    conn.execute(
        "INSERT INTO rpw_items (year, number, registered_at, received_on, letter_date,
             sender_name, title, item, document_id, case_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            number.year,
            number.number,
            crate::db::now(),
            item.received_on.to_string(),
            item.letter_date.map(|d| d.to_string()),
            item.sender.display_name(),
            item.title,
            json,
            document_id,
            case_id
        ],
    )
    .map_err(|e| Error::sqlite(format!("registering {number}"), e))?;
    Ok(conn.last_insert_rowid())
}

/// The item with this number.
pub fn get(conn: &Connection, number: RpwNumber) -> Result<Option<RpwRecord>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM rpw_items r LEFT JOIN cases c ON c.id = r.case_id
             WHERE r.year = ?1 AND r.number = ?2"
        ),
        params![number.year, number.number],
        record_from,
    )
    .optional()
    .map_err(|e| Error::sqlite(format!("reading {number}"), e))
}

/// The item in row `id`.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<RpwRecord>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM rpw_items r LEFT JOIN cases c ON c.id = r.case_id
             WHERE r.id = ?1"
        ),
        [id],
        record_from,
    )
    .optional()
    .map_err(|e| Error::sqlite("reading the incoming register", e))
}

/// The items of `year` (all years when `None`), in register order.
pub fn list(conn: &Connection, year: Option<i32>) -> Result<Vec<RpwRecord>> {
    let ctx = |e| Error::sqlite("reading the incoming register", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM rpw_items r LEFT JOIN cases c ON c.id = r.case_id
             WHERE (?1 IS NULL OR r.year = ?1) ORDER BY r.year, r.number"
        ))
        .map_err(ctx)?;
    s.query_map([year], record_from)
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}

/// The register entries whose digital image is document `id`.
pub fn for_document(conn: &Connection, id: i64) -> Result<Vec<RpwRecord>> {
    let ctx = |e| Error::sqlite("reading the incoming register", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM rpw_items r LEFT JOIN cases c ON c.id = r.case_id
             WHERE r.document_id = ?1 ORDER BY r.year, r.number"
        ))
        .map_err(ctx)?;
    s.query_map([id], record_from)
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}
