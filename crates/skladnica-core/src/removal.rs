//! Taking records out of the library, as the instrukcja kancelaryjna allows it. A document is
//! removed only with a reason, which the audit log keeps (a scan imported twice, a page of
//! somebody else's letter); one filed in a case or registered in the RPW is never removed
//! outright (a trigger refuses it too). Whole cases are destroyed only through brakowanie: by
//! an archivist, for closed cases a retention list shows due, with the state archive's approval
//! named; the case stays in the register marked destroyed, its documents and files go.
//!
//! Files go after the database commits; their hashes are journalled first, so a crash between
//! the two leaves nothing behind that the next opening does not clear.

use rusqlite::params;
use serde::Serialize;
use skladnica_records::retention::{self, Due};
use skladnica_records::{Category, Date};

use crate::db::{self, state};
use crate::error::{Error, Result};
use crate::library::Library;
use crate::operators::Permission;

/// A case destroyed by [`Library::destroy_cases`].
#[derive(Debug, Clone, Serialize)]
pub struct DestroyedCase {
    /// Its sign.
    pub sign: String,
    /// Its title.
    pub title: String,
    /// Its archival category.
    pub category: Category,
    /// Documents destroyed with it.
    pub documents: usize,
}

/// What a brakowanie destroyed.
#[derive(Debug, Clone, Serialize)]
pub struct Destruction {
    /// The state archive's approval (its letter's sign).
    pub approval: String,
    /// The day of destruction.
    pub on: Date,
    /// The cases.
    pub cases: Vec<DestroyedCase>,
}

fn ctx(what: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| Error::sqlite(what, e)
}

impl Library {
    /// Removes document `id`, for `reason`. Refused for a document in a case or in the RPW.
    pub fn remove_document(&mut self, id: i64, reason: &str) -> Result<()> {
        self.require_writable()?;
        let reason = reason.trim();
        if reason.chars().count() < 3 {
            return Err(Error::Invalid(format!(
                "document {id}: a removal needs a reason (why the record goes), which the log keeps"
            )));
        }
        let doc = self.document(id)?;
        if let Some(case) = db::cases::cases_of_document(self.conn(), id)?.first() {
            return Err(Error::Invalid(format!(
                "document {id} is in case {}: a record in a case is never deleted outright; it \
                 goes with its case through brakowanie",
                case
            )));
        }
        if let Some(rpw) = db::rpw::for_document(self.conn(), id)?.first() {
            return Err(Error::Invalid(format!(
                "document {id} is registered in the RPW as {}: the register keeps it",
                rpw.number
            )));
        }
        let details = serde_json::json!({ "reason": reason, "title": doc.title });
        self.delete_documents(&[id], |lib| {
            lib.log_action("document.removed", &format!("document {id}"), &details)
        })
    }

    /// Destroys the closed cases `signs` under a retention list approved by the state archive
    /// (`approval`: its letter's sign), on `on`: every one must be due for destruction that
    /// day (B*n* past its period, Bc, or BE*n* the archive let go), or nothing is destroyed.
    pub fn destroy_cases(
        &mut self,
        signs: &[String],
        approval: &str,
        on: Date,
    ) -> Result<Destruction> {
        self.require_writable()?;
        self.require(Permission::Brakowanie)?;
        let approval = approval.trim();
        if approval.is_empty() {
            return Err(Error::Invalid(
                "brakowanie needs the state archive's approval: give its letter's sign".into(),
            ));
        }
        if signs.is_empty() {
            return Err(Error::Invalid("no cases were given to destroy".into()));
        }
        let mut problems = Vec::new();
        let mut cases = Vec::new();
        for sign in signs {
            let case = match self.case(sign) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            let why_not = match (case.destroyed_on, case.closed_on) {
                (Some(d), _) => Some(format!("was destroyed already on {d}")),
                (None, None) => Some("is still open".to_string()),
                (None, Some(closed)) => match retention::due(case.category, closed) {
                    Due::Transfer(_) => Some(
                        "is of category A: it goes to the state archive, never destroyed".into(),
                    ),
                    Due::PeriodFromOtherLaw => Some(format!(
                        "is of category {}: its period comes from another law; set it first",
                        case.category
                    )),
                    Due::Destroy(from) | Due::DestroyWhenUnused(from) | Due::Review(from)
                        if from > on =>
                    {
                        Some(format!(
                            "is not due for destruction on {on}: category {}, closed on \
                             {closed}, it may go from {from}",
                            case.category
                        ))
                    }
                    _ => None,
                },
            };
            match why_not {
                Some(why) => problems.push(format!("case {} {why}", case.sign)),
                None if cases.iter().any(|c: &db::cases::Case| c.id == case.id) => {}
                None => cases.push(case),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "nothing was destroyed: {}",
                problems.join("; ")
            )));
        }
        // The documents of these cases that no other (living) case holds.
        let mut documents = Vec::new();
        let mut report = Vec::new();
        for case in &cases {
            let ids: Vec<i64> = db::cases::case_documents(self.conn(), case.id)?
                .into_iter()
                .map(|(id, _, _)| id)
                .collect();
            for &id in &ids {
                let mut s = self
                    .conn()
                    .prepare_cached(
                        "SELECT cd.case_id FROM case_documents cd JOIN cases c ON c.id = cd.case_id
                         WHERE cd.document_id = ?1 AND c.destroyed_on IS NULL",
                    )
                    .map_err(ctx("reading the cases' documents"))?;
                let holders = s
                    .query_map([id], |r| r.get::<_, i64>(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                    .map_err(ctx("reading the cases' documents"))?;
                let elsewhere = holders.iter().any(|h| !cases.iter().any(|c| c.id == *h));
                if !elsewhere && !documents.contains(&id) {
                    documents.push(id);
                }
            }
            report.push(DestroyedCase {
                sign: case.sign.clone(),
                title: case.title.clone(),
                category: case.category,
                documents: ids.len(),
            });
        }
        let on_text = on.to_string();
        self.delete_documents(&documents, |lib| {
            for case in &cases {
                lib.conn()
                    .execute(
                        "UPDATE cases SET destroyed_on = ?2, destruction_approval = ?3,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
                        params![case.id, on_text, approval],
                    )
                    .map_err(ctx("marking a case destroyed"))?;
            }
            Ok(())
        })?;
        Ok(Destruction {
            approval: approval.to_string(),
            on,
            cases: report,
        })
    }

    /// Deletes documents `ids` in one transaction after `before` (which logs why), then their
    /// files, and brings the index up to date.
    fn delete_documents(
        &mut self,
        ids: &[i64],
        before: impl FnOnce(&Library) -> Result<()>,
    ) -> Result<()> {
        let mut shas = Vec::new();
        for &id in ids {
            let mut s = self
                .conn()
                .prepare_cached("SELECT sha256 FROM files WHERE document_id = ?1")
                .map_err(ctx("reading a document's files"))?;
            let found = s
                .query_map([id], |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(ctx("reading a document's files"))?;
            shas.extend(found);
        }
        let mut journal = self.blobs().journal();
        for sha in &shas {
            journal.record(sha)?;
        }
        let tx = self
            .conn()
            .unchecked_transaction()
            .map_err(ctx("starting a removal"))?;
        before(self)?;
        for &id in ids {
            let rev = state::take_rev(self.conn())?;
            self.conn()
                .execute(
                    "INSERT INTO index_tombstones (document_id, rev) VALUES (?1, ?2)
                     ON CONFLICT (document_id) DO UPDATE SET rev = excluded.rev",
                    params![id, rev],
                )
                .map_err(ctx("noting a removal for the index"))?;
            self.conn()
                .execute("DELETE FROM documents WHERE id = ?1", [id])
                .map_err(|e| Error::sqlite(format!("removing document {id}"), e))?;
        }
        tx.commit().map_err(ctx("committing a removal"))?;
        for sha in &shas {
            self.blobs().remove(sha)?;
        }
        journal.clear()?;
        self.catch_up_index()?;
        Ok(())
    }
}
