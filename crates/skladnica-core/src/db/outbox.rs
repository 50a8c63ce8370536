//! The `ezd_outbox` table: incoming-register entries to send to the EZD, each with the step it
//! has reached and what the EZD gave back (migration 11).

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::error::{Error, Result};

/// The steps of sending an incoming item, in order. `step` in the table is the next one to do.
pub const STEP_UPLOAD: i64 = 0;
/// Learning the uploaded file's document id in the flow.
pub const STEP_FIND_DOCUMENT: i64 = 1;
/// Uploading the document's further files into the flow.
pub const STEP_MORE_FILES: i64 = 2;
/// Registering it in the EZD's incoming register.
pub const STEP_REGISTER: i64 = 3;
/// Finding the sender in the EZD's contact base, or adding it.
pub const STEP_SENDER: i64 = 4;
/// Setting the RPW entry's metadata.
pub const STEP_METADATA: i64 = 5;
/// Putting the flow in its case on the EZD (opening the case there first when needed).
pub const STEP_CASE: i64 = 6;
/// Nothing left: delivered.
pub const STEP_DONE: i64 = 7;

/// What each step is called in statuses.
pub fn step_name(step: i64) -> &'static str {
    match step {
        STEP_UPLOAD => "uploading the scan",
        STEP_FIND_DOCUMENT => "reading the flow's documents",
        STEP_MORE_FILES => "uploading further files",
        STEP_REGISTER => "registering in the EZD's RPW",
        STEP_SENDER => "finding the sender in the EZD's contacts",
        STEP_METADATA => "setting the RPW metadata",
        STEP_CASE => "putting it in its case",
        _ => "done",
    }
}

/// One item of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxItem {
    /// Its id.
    pub id: i64,
    /// The local register number (`RPW.12.2026`): the provisional identifier.
    pub local_number: String,
    /// The register entry's row.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub rpw_item_id: i64,
    /// The library document holding the entry's scan.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub document: Option<i64>,
    /// The batch it was queued in.
    pub batch: i64,
    /// `queued`, `sending`, `delivered` or `rejected`.
    pub state: String,
    /// The next step (see the `STEP_` constants).
    pub step: i64,
    /// What that step is.
    pub step_name: String,
    /// The last attempt's outcome was unknown: the EZD is read back before the step is done
    /// again (needs reconciliation).
    pub check_first: bool,
    /// The file name the flow is uploaded under (and found by).
    pub upload_name: String,
    /// The EZD's flow id (`idObieg`).
    pub flow_id: Option<String>,
    /// The EZD's document id (`idDokumentPrzestrzeni`).
    pub document_id: Option<String>,
    /// Further files uploaded so far.
    pub files_sent: i64,
    /// The files of its document, all of which go up one at a time (the scan first).
    pub files_total: i64,
    /// The EZD's RPW number.
    pub rpw_number: Option<String>,
    /// The EZD's letter id (`idPismo`).
    pub rpw_letter: Option<String>,
    /// For an EZD without the API: the package (in the drop folder) it went in.
    pub package: Option<String>,
    /// The sender's id in the EZD's contact base (`idAdresat`).
    pub contact_id: Option<String>,
    /// The sender's address version the RPW entry names (`idAdresWersja`).
    pub sender_address: Option<String>,
    /// The EZD's case the flow is in (`idSprawa`).
    pub case_id: Option<String>,
    /// The EZD's sign of that case.
    pub case_sign: Option<String>,
    /// The local case the entry belongs to.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub local_case: Option<i64>,
    /// The last error, in words.
    pub error: Option<String>,
    /// Attempts that failed.
    pub attempts: i64,
    /// Not tried again before this time (seconds since the epoch).
    pub next_attempt_at: i64,
    /// When it was queued.
    pub queued_at: String,
    /// When the EZD confirmed the last step.
    pub delivered_at: Option<String>,
}

const COLUMNS: &str = "o.id, r.year, r.number, o.rpw_item_id, o.batch, o.state, o.step, \
     o.check_first, o.upload_name, o.flow_id, o.document_id, o.files_sent, o.rpw_number, \
     o.rpw_letter, o.error, o.attempts, o.next_attempt_at, o.queued_at, o.delivered_at, o.package, r.document_id, \
     o.contact_id, o.sender_address, o.case_id, o.case_sign, r.case_id, \
     (SELECT count(*) FROM files f WHERE f.document_id = r.document_id)";

fn item_from(r: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    let step: i64 = r.get(6)?;
    Ok(OutboxItem {
        id: r.get(0)?,
        local_number: format!("RPW.{}.{}", r.get::<_, i64>(2)?, r.get::<_, i64>(1)?),
        rpw_item_id: r.get(3)?,
        batch: r.get(4)?,
        state: r.get(5)?,
        step,
        step_name: step_name(step).to_string(),
        check_first: r.get::<_, i64>(7)? == 1,
        upload_name: r.get(8)?,
        flow_id: r.get(9)?,
        document_id: r.get(10)?,
        files_sent: r.get(11)?,
        rpw_number: r.get(12)?,
        rpw_letter: r.get(13)?,
        error: r.get(14)?,
        attempts: r.get(15)?,
        next_attempt_at: r.get(16)?,
        queued_at: r.get(17)?,
        delivered_at: r.get(18)?,
        package: r.get(19)?,
        document: r.get(20)?,
        contact_id: r.get(21)?,
        sender_address: r.get(22)?,
        case_id: r.get(23)?,
        case_sign: r.get(24)?,
        local_case: r.get(25)?,
        files_total: r.get(26)?,
    })
}

/// Every item, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<OutboxItem>> {
    query(conn, "ORDER BY o.id", [])
}

/// Items to send now (queued or half-sent, not waiting for a back-off), oldest first.
pub fn due(conn: &Connection, now: i64) -> Result<Vec<OutboxItem>> {
    query(
        conn,
        "WHERE o.state IN ('queued', 'sending') AND o.next_attempt_at <= ?1 ORDER BY o.id",
        [now],
    )
}

/// The item of a register entry.
pub fn for_rpw(conn: &Connection, rpw_item_id: i64) -> Result<Option<OutboxItem>> {
    Ok(query(conn, "WHERE o.rpw_item_id = ?1", [rpw_item_id])?
        .into_iter()
        .next())
}

fn query(conn: &Connection, tail: &str, p: impl rusqlite::Params) -> Result<Vec<OutboxItem>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM ezd_outbox o JOIN rpw_items r ON r.id = o.rpw_item_id {tail}"
    );
    let mut s = conn
        .prepare_cached(&sql)
        .map_err(|e| Error::sqlite("reading the EZD outbox", e))?;
    s.query_map(p, item_from)
        .and_then(|rows| rows.collect())
        .map_err(|e| Error::sqlite("reading the EZD outbox", e))
}

/// The EZD's case (id and sign) that an earlier letter of the local case `case` was put in.
pub fn ezd_case_of(conn: &Connection, case: i64) -> Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT o.case_id, o.case_sign FROM ezd_outbox o JOIN rpw_items r ON r.id = o.rpw_item_id
         WHERE r.case_id = ?1 AND o.case_id IS NOT NULL AND o.case_sign IS NOT NULL
         ORDER BY o.id LIMIT 1",
        [case],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .map_err(|e| Error::sqlite("reading the EZD's cases", e))
}

/// True when an item of the local case `case` other than `except` opened or joined a case on
/// the EZD with no answer yet (it waits at the case step to be read back).
pub fn case_unconfirmed(conn: &Connection, case: i64, except: i64) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM ezd_outbox o JOIN rpw_items r ON r.id = o.rpw_item_id
         WHERE r.case_id = ?1 AND o.id <> ?2 AND o.step = ?3 AND o.check_first = 1
           AND o.case_id IS NULL AND o.state IN ('queued', 'sending'))",
        params![case, except, STEP_CASE],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("reading the EZD outbox", e))
}

/// The next batch number.
pub fn next_batch(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT COALESCE(MAX(batch), 0) + 1 FROM ezd_outbox",
        [],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite("numbering an EZD batch", e))
}

/// Queues a register entry (inside the caller's transaction). An entry already queued and not
/// rejected is left as it is (false); a rejected one is queued again, its progress kept.
pub fn queue(conn: &Connection, rpw_item_id: i64, batch: i64, upload_name: &str) -> Result<bool> {
    let now = crate::db::now();
    let existing: Option<String> = conn
        .query_row(
            "SELECT state FROM ezd_outbox WHERE rpw_item_id = ?1",
            [rpw_item_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::sqlite("reading the EZD outbox", e))?;
    let changed = match existing.as_deref() {
        None => conn.execute(
            "INSERT INTO ezd_outbox (rpw_item_id, batch, state, upload_name, queued_at, updated_at)
             VALUES (?1, ?2, 'queued', ?3, ?4, ?4)",
            params![rpw_item_id, batch, upload_name, now],
        ),
        Some("rejected") => conn.execute(
            "UPDATE ezd_outbox SET state = 'queued', batch = ?2, error = NULL, attempts = 0,
                 next_attempt_at = 0, updated_at = ?3
             WHERE rpw_item_id = ?1",
            params![rpw_item_id, batch, now],
        ),
        Some(_) => return Ok(false),
    }
    .map_err(|e| Error::sqlite("queueing for the EZD", e))?;
    Ok(changed == 1)
}

/// An item's progress as a turn moves it on; [`record`] writes it.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The state.
    pub state: &'static str,
    /// The next step.
    pub step: i64,
    /// Read back before doing the step.
    pub check_first: bool,
    /// The EZD's flow id, once known.
    pub flow_id: Option<String>,
    /// The EZD's document id, once known.
    pub document_id: Option<String>,
    /// Further files sent so far.
    pub files_sent: i64,
    /// The EZD's RPW number, once known.
    pub rpw_number: Option<String>,
    /// The EZD's letter id, when its answer gave it.
    pub rpw_letter: Option<String>,
    /// The drop folder's package it went in.
    pub package: Option<String>,
    /// The sender's contact id, once known.
    pub contact_id: Option<String>,
    /// The sender's address version, once known.
    pub sender_address: Option<String>,
    /// The EZD's case id, once known.
    pub case_id: Option<String>,
    /// The EZD's case sign, once known.
    pub case_sign: Option<String>,
    /// The error to show (cleared when `None`).
    pub error: Option<String>,
    /// One more failed attempt, and when to try again.
    pub retry_at: Option<i64>,
}

impl Progress {
    /// Where `item` stands.
    pub fn of(item: &OutboxItem) -> Progress {
        Progress {
            state: "sending",
            step: item.step,
            check_first: item.check_first,
            flow_id: item.flow_id.clone(),
            document_id: item.document_id.clone(),
            files_sent: item.files_sent,
            rpw_number: item.rpw_number.clone(),
            rpw_letter: item.rpw_letter.clone(),
            package: item.package.clone(),
            contact_id: item.contact_id.clone(),
            sender_address: item.sender_address.clone(),
            case_id: item.case_id.clone(),
            case_sign: item.case_sign.clone(),
            error: None,
            retry_at: None,
        }
    }
}

/// Records a step's outcome in its own transaction-sized write.
pub fn record(conn: &Connection, id: i64, p: &Progress) -> Result<()> {
    let now = crate::db::now();
    conn.execute(
        "UPDATE ezd_outbox SET state = ?2, step = ?3, check_first = ?4,
             flow_id = COALESCE(?5, flow_id), document_id = COALESCE(?6, document_id),
             files_sent = ?7, rpw_number = COALESCE(?8, rpw_number),
             rpw_letter = COALESCE(?9, rpw_letter), error = ?10,
             attempts = CASE WHEN ?11 IS NULL THEN 0 ELSE attempts + 1 END,
             next_attempt_at = COALESCE(?11, 0),
             delivered_at = CASE WHEN ?2 = 'delivered' THEN ?12 ELSE delivered_at END,
             package = COALESCE(?13, package),
             contact_id = COALESCE(?14, contact_id),
             sender_address = COALESCE(?15, sender_address),
             case_id = COALESCE(?16, case_id), case_sign = COALESCE(?17, case_sign),
             updated_at = ?12
         WHERE id = ?1",
        params![
            id,
            p.state,
            p.step,
            p.check_first as i64,
            p.flow_id,
            p.document_id,
            p.files_sent,
            p.rpw_number,
            p.rpw_letter,
            p.error,
            p.retry_at,
            now,
            p.package,
            p.contact_id,
            p.sender_address,
            p.case_id,
            p.case_sign
        ],
    )
    .map_err(|e| Error::sqlite("recording an EZD step", e))?;
    Ok(())
}
