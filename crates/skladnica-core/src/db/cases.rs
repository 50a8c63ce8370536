//! The `units`, `cases` and `case_documents` tables: organisational units by year, the spis
//! spraw, and the documents of each case.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use skladnica_records::{Category, Date};

use crate::error::{Error, Result};

/// An organisational unit (komórka organizacyjna) over the years it exists.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Its id.
    pub id: i64,
    /// Its code in case signs (`OR`, `GKM`, `ABC-A`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// The first year it exists.
    pub year_from: i32,
    /// The last year it exists, if it has ended.
    pub year_to: Option<i32>,
}

impl Unit {
    /// Whether the unit exists in `year`.
    pub fn exists_in(&self, year: i32) -> bool {
        self.year_from <= year && self.year_to.is_none_or(|to| year <= to)
    }
}

fn unit_from(r: &Row<'_>) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        year_from: r.get(3)?,
        year_to: r.get(4)?,
    })
}

/// Adds a unit; returns its id.
pub fn insert_unit(
    conn: &Connection,
    code: &str,
    name: &str,
    year_from: i32,
    year_to: Option<i32>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO units (code, name, year_from, year_to, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![code, name, year_from, year_to, crate::db::now()],
    )
    .map_err(|e| Error::sqlite(format!("saving unit {code}"), e))?;
    Ok(conn.last_insert_rowid())
}

/// Every unit, by code then first year.
pub fn units(conn: &Connection) -> Result<Vec<Unit>> {
    let ctx = |e| Error::sqlite("reading units", e);
    let mut s = conn
        .prepare("SELECT id, code, name, year_from, year_to FROM units ORDER BY code, year_from")
        .map_err(ctx)?;
    s.query_map([], unit_from)
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}

/// The units with this code, in any years.
pub fn units_with_code(conn: &Connection, code: &str) -> Result<Vec<Unit>> {
    let ctx = |e| Error::sqlite(format!("reading unit {code}"), e);
    let mut s = conn
        .prepare(
            "SELECT id, code, name, year_from, year_to FROM units WHERE code = ?1
             ORDER BY year_from",
        )
        .map_err(ctx)?;
    s.query_map([code], unit_from)
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}

/// A case: an entry of the spis spraw.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Its id.
    pub id: i64,
    /// The case sign (znak sprawy).
    pub sign: String,
    /// The unit's code.
    pub unit: String,
    /// The JRWA version it was opened under.
    pub jrwa_version: i64,
    /// The JRWA end class.
    pub jrwa_symbol: String,
    /// Its number in the spis spraw of its unit, class and year.
    pub number: u32,
    /// The year it began.
    pub year: i32,
    /// What it is about.
    pub title: String,
    /// Who handles it.
    pub handler: Option<String>,
    /// The archival category it was opened with.
    pub category: Category,
    /// The day it was opened.
    pub opened_on: Date,
    /// The day it was closed, if it is.
    pub closed_on: Option<Date>,
    /// The day its records were destroyed under a retention list (brakowanie), if they were.
    pub destroyed_on: Option<Date>,
}

const CASE_COLUMNS: &str = "id, sign, unit_code, jrwa_version, jrwa_symbol, number, year, title, \
                            handler, category, opened_on, closed_on, destroyed_on";

fn case_from(r: &Row<'_>) -> rusqlite::Result<Case> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let date = |i: usize, s: String| {
        s.parse::<Date>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    };
    let closed: Option<String> = r.get(11)?;
    let destroyed: Option<String> = r.get(12)?;
    Ok(Case {
        id: r.get(0)?,
        sign: text(1)?,
        unit: text(2)?,
        jrwa_version: r.get(3)?,
        jrwa_symbol: text(4)?,
        number: r.get(5)?,
        year: r.get(6)?,
        title: text(7)?,
        handler: r.get(8)?,
        category: text(9)?.parse::<Category>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(9, rusqlite::types::Type::Text, e.into())
        })?,
        opened_on: date(10, text(10)?)?,
        closed_on: closed.map(|s| date(11, s)).transpose()?,
        destroyed_on: destroyed.map(|s| date(12, s)).transpose()?,
    })
}

/// A case to be stored.
pub struct NewCase<'a> {
    /// Its sign.
    pub sign: &'a str,
    /// The unit's code.
    pub unit: &'a str,
    /// The JRWA version.
    pub jrwa_version: i64,
    /// The end class.
    pub jrwa_symbol: &'a str,
    /// The number.
    pub number: u32,
    /// The year.
    pub year: i32,
    /// The title.
    pub title: &'a str,
    /// The handler.
    pub handler: Option<&'a str>,
    /// The category.
    pub category: Category,
    /// The day it opened.
    pub opened_on: Date,
}

/// Stores a case; returns its id.
pub fn insert_case(conn: &Connection, c: &NewCase<'_>) -> Result<i64> {
    let now = crate::db::now();
    conn.execute(
        "INSERT INTO cases (sign, unit_code, jrwa_version, jrwa_symbol, number, year, title,
             handler, category, opened_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            c.sign,
            c.unit,
            c.jrwa_version,
            c.jrwa_symbol,
            c.number,
            c.year,
            c.title,
            c.handler,
            c.category.to_string(),
            c.opened_on.to_string(),
            now
        ],
    )
    .map_err(|e| Error::sqlite(format!("saving case {}", c.sign), e))?;
    Ok(conn.last_insert_rowid())
}

/// The case with this sign.
pub fn case_by_sign(conn: &Connection, sign: &str) -> Result<Option<Case>> {
    conn.query_row(
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE sign = ?1"),
        [sign],
        case_from,
    )
    .optional()
    .map_err(|e| Error::sqlite(format!("reading case {sign}"), e))
}

/// The highest number used in the spis spraw of `unit`, `symbol` and `year`, if any.
pub fn last_number(conn: &Connection, unit: &str, symbol: &str, year: i32) -> Result<Option<u32>> {
    conn.query_row(
        "SELECT MAX(number) FROM cases WHERE unit_code = ?1 AND jrwa_symbol = ?2 AND year = ?3",
        params![unit, symbol, year],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("reading the spis spraw", e))
}

/// The case with this number in the spis spraw, if it exists.
pub fn case_by_number(
    conn: &Connection,
    unit: &str,
    symbol: &str,
    year: i32,
    number: u32,
) -> Result<Option<Case>> {
    conn.query_row(
        &format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE unit_code = ?1 AND jrwa_symbol = ?2 AND year = ?3 AND number = ?4"
        ),
        params![unit, symbol, year, number],
        case_from,
    )
    .optional()
    .map_err(|e| Error::sqlite("reading the spis spraw", e))
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only this unit.
    pub unit: Option<String>,
    /// Only classes starting with this symbol.
    pub jrwa_prefix: Option<String>,
    /// Only this year.
    pub year: Option<i32>,
    /// Only open (`Some(true)`) or closed (`Some(false)`) cases.
    pub open: Option<bool>,
}

/// Cases matching `filter`, in spis spraw order (unit, class, year, number).
pub fn cases(conn: &Connection, filter: &CaseFilter) -> Result<Vec<Case>> {
    let ctx = |e| Error::sqlite("reading cases", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE (?1 IS NULL OR unit_code = ?1)
               AND (?2 IS NULL OR jrwa_symbol LIKE ?2 || '%')
               AND (?3 IS NULL OR year = ?3)
               AND (?4 IS NULL OR (closed_on IS NULL) = ?4)
             ORDER BY unit_code, jrwa_symbol, year, number"
        ))
        .map_err(ctx)?;
    s.query_map(
        params![filter.unit, filter.jrwa_prefix, filter.year, filter.open],
        case_from,
    )
    .and_then(|rows| rows.collect())
    .map_err(ctx)
}

/// Records that case `id` closed on `on`.
pub fn close_case(conn: &Connection, id: i64, on: Date) -> Result<()> {
    conn.execute(
        "UPDATE cases SET closed_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on.to_string(), crate::db::now()],
    )
    .map_err(|e| Error::sqlite("closing a case", e))?;
    Ok(())
}

/// The documents of case `id`, in the order they joined it: (document id, title, added at).
pub fn case_documents(conn: &Connection, id: i64) -> Result<Vec<(i64, String, String)>> {
    let ctx = |e| Error::sqlite("reading a case's documents", e);
    let mut s = conn
        .prepare(
            "SELECT d.id, d.title, cd.added_at FROM case_documents cd
             JOIN documents d ON d.id = cd.document_id
             WHERE cd.case_id = ?1 ORDER BY cd.position",
        )
        .map_err(ctx)?;
    s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .map_err(ctx)
}

/// The signs of the cases document `id` is filed in, in the order it joined them.
pub fn cases_of_document(conn: &Connection, id: i64) -> Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT c.sign FROM case_documents cd JOIN cases c ON c.id = cd.case_id
         WHERE cd.document_id = ?1 ORDER BY cd.added_at, c.id",
    )
    .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
    .map_err(|e| Error::sqlite(format!("reading the cases of document {id}"), e))
}
