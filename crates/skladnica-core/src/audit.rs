//! The audit log (migration 13): who did what to which record, and when. SQLite triggers append
//! an entry in the same transaction as every change to a record (a document added, changed,
//! reviewed, OCRed or deleted; metadata set or removed, with the old and new values; a letter
//! registered; a case opened, closed, a document filed in it or taken out; an export; a letter
//! queued for and delivered to the EZD), so no code path can forget one. Each entry's hash
//! covers the previous entry's hash and its own fields: an entry edited, deleted or moved
//! breaks the chain, which [`Library::verify_audit`] finds; one cut off the end is found against
//! a head recorded elsewhere (an export's, a printout's).
//!
//! The operator is the one signed in to the library ([`Library::sign_in`]); a library without
//! operator profiles names the system's user (`system:<name>`), and one with profiles refuses
//! every change until somebody signs in.

use std::sync::{Arc, RwLock};

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::library::Library;

/// Who the entries of one open library are made by.
#[derive(Debug, Clone, Default)]
pub(crate) enum Actor {
    /// A library without operator profiles: the system's user (`system:<name>`).
    #[default]
    System,
    /// The library has profiles and nobody has signed in: every change is refused.
    SignInRequired,
    /// The operator signed in.
    Operator(String),
}

/// One library's actor, shared with its connection's `skladnica_operator()`.
pub(crate) type ActorCell = Arc<RwLock<Actor>>;

/// Said when a change is tried on a library with operator profiles before anyone signed in.
pub const NO_OPERATOR: &str = "no operator is signed in: this library has operator profiles, \
                               and every change names who made it";

/// The system's user, for a library without profiles: `system:<user name>`.
fn system_user() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "?".into());
    format!("system:{user}")
}

/// An entry's hash: SHA-256 (hex) of the previous entry's hash and its own fields, each
/// followed by a newline.
pub fn entry_hash(
    previous: &str,
    seq: i64,
    at: &str,
    operator: &str,
    action: &str,
    record: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        previous,
        &seq.to_string(),
        at,
        operator,
        action,
        record,
        details,
    ] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    format!("{:x}", h.finalize())
}

/// Gives `conn` the functions the audit triggers call. Every connection that writes to the
/// library needs them: one without (a hand-opened `sqlite3`, say) cannot change a record.
pub(crate) fn register(conn: &Connection, actor: ActorCell) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "skladnica_operator",
        0,
        FunctionFlags::SQLITE_UTF8,
        move |_| match &*actor.read().unwrap_or_else(|e| e.into_inner()) {
            Actor::System => Ok(system_user()),
            Actor::Operator(name) => Ok(name.clone()),
            Actor::SignInRequired => Err(rusqlite::Error::UserFunctionError(NO_OPERATOR.into())),
        },
    )?;
    conn.create_scalar_function(
        "skladnica_audit_hash",
        7,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(ctx.get::<Option<String>>(i)?.unwrap_or_default())
            };
            Ok(entry_hash(
                &text(0)?,
                ctx.get::<i64>(1)?,
                &text(2)?,
                &text(3)?,
                &text(4)?,
                &text(5)?,
                &text(6)?,
            ))
        },
    )
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Entry {
    /// Its place in the log.
    pub seq: i64,
    /// When (UTC).
    pub at: String,
    /// Who.
    pub operator: String,
    /// What: `document.added`, `metadata.set`, `rpw.registered`, `case.opened`, …
    pub action: String,
    /// Which record: `document 12`, `case OR.0012.1.2026`, `RPW.3.2026`, `export <package>`.
    pub record: String,
    /// The particulars (old and new values), as JSON.
    pub details: String,
    /// The chain's hash at this entry.
    pub hash: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// Entries read.
    pub entries: usize,
    /// The last entry's number and hash: the head to keep elsewhere.
    pub head: Option<(i64, String)>,
    /// Each break in the chain, naming the entry.
    pub problems: Vec<String>,
}

/// Calls `f` with each entry the query `tail` selects, in turn, without holding them all.
fn each_entry(
    conn: &Connection,
    tail: &str,
    p: impl rusqlite::Params,
    mut f: impl FnMut(Entry),
) -> Result<()> {
    let ctx = |e| Error::sqlite("reading the audit log", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT seq, at, operator, action, record, details, COALESCE(hash, '') FROM audit_log {tail}"
        ))
        .map_err(ctx)?;
    let mut rows = s.query(p).map_err(ctx)?;
    while let Some(r) = rows.next().map_err(ctx)? {
        f(Entry {
            seq: r.get(0).map_err(ctx)?,
            at: r.get(1).map_err(ctx)?,
            operator: r.get(2).map_err(ctx)?,
            action: r.get(3).map_err(ctx)?,
            record: r.get(4).map_err(ctx)?,
            details: r.get(5).map_err(ctx)?,
            hash: r.get(6).map_err(ctx)?,
        });
    }
    Ok(())
}

fn entries(conn: &Connection, tail: &str, p: impl rusqlite::Params) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    each_entry(conn, tail, p, |e| out.push(e))?;
    Ok(out)
}

impl Library {
    /// The history of document `id`: every entry naming it, oldest first.
    pub fn document_history(&self, id: i64) -> Result<Vec<Entry>> {
        entries(
            self.conn(),
            "WHERE record = ?1 OR (record LIKE 'RPW.%' AND json_extract(details, '$.document') = ?2)
             ORDER BY seq",
            params![format!("document {id}"), id],
        )
    }

    /// The entries about `record` (all of them when `None`), oldest first.
    pub fn audit_log(&self, record: Option<&str>) -> Result<Vec<Entry>> {
        match record {
            Some(r) => entries(self.conn(), "WHERE record = ?1 ORDER BY seq", [r]),
            None => entries(self.conn(), "ORDER BY seq", []),
        }
    }

    /// Checks the chain from the first entry: each entry's hash must follow from the one before
    /// and its own fields. With `head` (a number and hash kept elsewhere), the log must still
    /// hold that entry unchanged.
    pub fn verify_audit(&self, head: Option<(i64, &str)>) -> Result<Verification> {
        let mut problems = Vec::new();
        let mut previous = String::new();
        let (mut count, mut last, mut head_found) = (0, None, None);
        each_entry(self.conn(), "ORDER BY seq", [], |e| {
            let expected = entry_hash(
                &previous,
                e.seq,
                &e.at,
                &e.operator,
                &e.action,
                &e.record,
                &e.details,
            );
            if e.hash != expected {
                problems.push(format!(
                    "entry {} ({} {} at {}): its hash does not follow from the entry before — it \
                     or an entry before it was edited, removed or moved",
                    e.seq, e.action, e.record, e.at
                ));
            }
            if head.is_some_and(|(seq, _)| seq == e.seq) {
                head_found = Some(e.hash.clone());
            }
            count += 1;
            last = Some(e.seq);
            // The chain goes on from what is stored, so one break is reported once.
            previous = e.hash;
        })?;
        if let Some((seq, hash)) = head {
            match head_found {
                None => problems.push(format!(
                    "the head kept elsewhere names entry {seq}, which the log no longer holds \
                     (entries were cut off its end)"
                )),
                Some(found) if found != hash => problems.push(format!(
                    "entry {seq} differs from the head kept elsewhere ({hash})"
                )),
                Some(_) => {}
            }
        }
        Ok(Verification {
            entries: count,
            head: last.map(|seq| (seq, previous)),
            problems,
        })
    }

    /// Logs an action the triggers do not see (one that changes no record: personal numbers
    /// shown, say), by the session's operator.
    pub fn log_action(
        &self,
        action: &str,
        record: &str,
        details: &serde_json::Value,
    ) -> Result<()> {
        self.require_writable()?;
        self.conn()
            .execute(
                "INSERT INTO audit_log (at, operator, action, record, details)
                 VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), ?1, ?2, ?3)",
                params![action, record, details.to_string()],
            )
            .map_err(|e| Error::sqlite("writing the audit log", e))?;
        Ok(())
    }

    /// Document `id` with its personal numbers shown (PESEL, identity cards), which is logged
    /// (`personal.revealed`): shown anywhere else, they are masked.
    pub fn reveal_personal(&self, id: i64) -> Result<crate::db::documents::Document> {
        let doc = self.document(id)?;
        self.log_action(
            "personal.revealed",
            &format!("document {id}"),
            &serde_json::json!({"fields": ["pesel", "id_card"]}),
        )?;
        Ok(doc)
    }

    /// The head of the chain now: the last entry's number and hash.
    pub fn audit_head(&self) -> Result<Option<(i64, String)>> {
        Ok(entries(self.conn(), "ORDER BY seq DESC LIMIT 1", [])?
            .pop()
            .map(|e| (e.seq, e.hash)))
    }
}
