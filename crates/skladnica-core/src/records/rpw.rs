//! Registering incoming items in the RPW: the minimal metadata checked all at once, the next
//! number of the year, and the item's scan (a library document) described and, if asked, filed
//! in its case, all in one transaction.

use rusqlite::TransactionBehavior;
use serde::Serialize;
use skladnica_records::{Date, IncomingItem, RpwNumber};

use crate::db::{self, documents, rpw::RpwRecord};
use crate::error::{Error, Result};
use crate::library::Library;

/// An incoming item to register.
#[derive(Debug, Clone)]
pub struct RegisterRequest {
    /// The item's metadata.
    pub item: IncomingItem,
    /// The library document holding its scan, if it is scanned already.
    pub document: Option<i64>,
    /// The case it belongs to, if known.
    pub case: Option<String>,
}

/// What registering did.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// The register entry.
    #[serde(flatten)]
    pub record: RpwRecord,
    /// Metadata keys of the document that the clerk had set and that were left as they were.
    pub kept_clerk_values: Vec<String>,
}

impl Library {
    /// Registers an incoming item with the next number of the current year. Every missing or
    /// inconsistent part is reported at once and nothing is saved.
    pub fn register_incoming(&mut self, req: &RegisterRequest) -> Result<Registered> {
        self.require_writable()?;
        let today = Date::today();
        let mut problems = req.item.problems();
        if req.item.received_on > today {
            problems.push(format!(
                "the day it arrived ({}) is still to come (today is {today})",
                req.item.received_on
            ));
        }
        if let Some(id) = req.document
            && !documents::exists(self.conn(), id)?
        {
            problems.push(format!("there is no document {id} to hold its scan"));
        }
        let case = match &req.case {
            Some(sign) => match self.case(sign) {
                Ok(c) if c.closed_on.is_some() => {
                    problems.push(format!(
                        "case {} is closed; reopen it or choose an open case",
                        c.sign
                    ));
                    None
                }
                Ok(c) => Some(c),
                Err(e) => {
                    problems.push(e.to_string());
                    None
                }
            },
            None => None,
        };
        if req.case.is_some() && req.document.is_none() {
            problems.push("a case can be given only with the document that holds the scan".into());
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "incoming item not registered:\n  - {}",
                problems.join("\n  - ")
            )));
        }
        let ctx = |e| Error::sqlite("registering an incoming item", e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        let number = RpwNumber {
            year: today.year(),
            number: db::rpw::next_number(&tx, today.year())?,
        };
        db::rpw::insert(
            &tx,
            number,
            &req.item,
            req.document,
            case.as_ref().map(|c| c.id),
        )?;
        let mut kept = Vec::new();
        if let Some(id) = req.document {
            let item = &req.item;
            let mut facts: Vec<(&str, String)> = vec![
                ("rpw", number.to_string()),
                ("nadawca", item.sender.display_name()),
                ("data_wplywu", item.received_on.to_string()),
                ("dostep", item.access.to_string()),
                ("typ", item.dc_type.clone()),
                ("tytul", item.title.clone()),
            ];
            if let Some(d) = item.letter_date {
                facts.push(("data", d.to_string()));
            }
            if let Some(s) = &item.sender_sign {
                facts.push(("znak_u_nadawcy", s.clone()));
            }
            if let Some(k) = &item.kind {
                facts.push(("rodzaj", k.clone()));
            }
            for (key, value) in &facts {
                if !documents::set_metadata(&tx, id, key, value, "rpw")? {
                    kept.push(key.to_string());
                }
            }
            // Kind and date follow their metadata; the title is the register's unless the
            // clerk gave one.
            if !kept.iter().any(|k| k == "tytul") {
                documents::set_head(&tx, id, Some(&item.title), None, None)?;
            }
            if let Some(c) = &case {
                super::cases::attach(&tx, c, id)?;
            }
            documents::mark_changed(&tx, id)?;
        }
        let record = db::rpw::get(&tx, number)?.expect("just registered");
        tx.commit().map_err(ctx)?;
        if req.document.is_some() {
            self.catch_up_index()?;
        }
        Ok(Registered {
            record,
            kept_clerk_values: kept,
        })
    }

    /// The register entry with this number (`RPW.12.2026`, `RPW/12/2026`).
    pub fn rpw_item(&self, number: &str) -> Result<RpwRecord> {
        let number: RpwNumber = number.parse()?;
        db::rpw::get(self.conn(), number)?
            .ok_or_else(|| Error::NotFound(format!("no item {number} in the incoming register")))
    }

    /// The register of `year` (all years when `None`).
    pub fn rpw_items(&self, year: Option<i32>) -> Result<Vec<RpwRecord>> {
        db::rpw::list(self.conn(), year)
    }
}
