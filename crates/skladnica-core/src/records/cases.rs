//! Organisational units and cases: opening a case under a JRWA end class with the next number
//! of its spis spraw, closing it, and reading a case with its documents.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use skladnica_records::{CaseSign, Date, retention};

use crate::db::{
    self,
    cases::{Case, CaseFilter, NewCase, Unit},
    documents,
};
use crate::error::{Error, Result};
use crate::library::Library;

/// The longest case title accepted.
pub const MAX_TITLE_CHARS: usize = 1000;

/// What a clerk gives to open a case.
#[derive(Debug, Clone)]
pub struct NewCaseRequest {
    /// The unit's code.
    pub unit: String,
    /// The JRWA end class.
    pub jrwa_symbol: String,
    /// What the case is about.
    pub title: String,
    /// The day it opens (today when `None`); its year is the case's year.
    pub opened_on: Option<Date>,
    /// A number from a paper spis spraw (the next free one when `None`).
    pub number: Option<u32>,
    /// Who handles it.
    pub handler: Option<String>,
}

/// A case with what the registers know around it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetails {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// The heading of its JRWA class.
    pub jrwa_heading: String,
    /// The JRWA version's name.
    pub jrwa_name: String,
    /// The unit's name.
    pub unit_name: Option<String>,
    /// Its documents in order: id, title, when added.
    pub documents: Vec<CaseDocument>,
    /// What is due once it is closed.
    pub due: Option<retention::Due>,
    /// How the class's category was established, where the JRWA says (`ocr`, `ocr-poprawka`,
    /// `uzupelnienie` for the shipped list: see `assets/jrwa/README.md`).
    pub category_source: Option<String>,
}

/// A document of a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDocument {
    /// The document's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// When it joined the case.
    pub added_at: String,
}

fn years(unit: &Unit) -> String {
    match unit.year_to {
        Some(to) if to == unit.year_from => format!("{to}"),
        Some(to) => format!("{}–{to}", unit.year_from),
        None => format!("from {}", unit.year_from),
    }
}

impl Library {
    /// Adds organisational unit `code` (`OR`, `GKM`, `ABC-A` for sub-unit A of ABC) for the
    /// years `from`..=`to` (open-ended when `to` is `None`).
    pub fn add_unit(&mut self, code: &str, name: &str, from: i32, to: Option<i32>) -> Result<Unit> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        skladnica_records::sign::check_unit_code(code).map_err(Error::Invalid)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid(format!("unit {code}: the name is empty")));
        }
        if !(1900..=2199).contains(&from) || to.is_some_and(|t| !(from..=2199).contains(&t)) {
            return Err(Error::Invalid(format!(
                "unit {code}: the years {from}–{} are not a valid range",
                to.map(|t| t.to_string()).unwrap_or_default()
            )));
        }
        let ctx = |e| Error::sqlite(format!("saving unit {code}"), e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        let last = to.unwrap_or(i32::MAX);
        if let Some(other) = db::cases::units_with_code(&tx, code)?
            .into_iter()
            .find(|u| u.year_from <= last && u.year_to.is_none_or(|t| from <= t))
        {
            return Err(Error::Conflict(format!(
                "unit code {code} is already used by \"{}\" ({}); a code belongs to one unit in \
                 any year",
                other.name,
                years(&other)
            )));
        }
        if let Some((parent, _)) = code.rsplit_once('-')
            && !db::cases::units_with_code(&tx, parent)?
                .iter()
                .any(|u| u.exists_in(from))
        {
            return Err(Error::Invalid(format!(
                "unit {code} is a sub-unit of {parent}, which does not exist in {from}; add {parent} first"
            )));
        }
        let id = db::cases::insert_unit(&tx, code, name, from, to)?;
        tx.commit().map_err(ctx)?;
        Ok(Unit {
            id,
            code: code.to_string(),
            name: name.to_string(),
            year_from: from,
            year_to: to,
        })
    }

    /// Every organisational unit.
    pub fn units(&self) -> Result<Vec<Unit>> {
        db::cases::units(self.conn())
    }

    /// Opens a case: checks that the unit exists in the case's year and that the class is an
    /// end class with an archival category in the JRWA in force on the opening day, then gives
    /// it the next number of its spis spraw (or the one requested, if free).
    pub fn open_case(&mut self, req: &NewCaseRequest) -> Result<Case> {
        self.require_writable()?;
        let opened_on = req.opened_on.unwrap_or_else(Date::today);
        let today = Date::today();
        if opened_on > today {
            return Err(Error::Invalid(format!(
                "a case cannot be opened on {opened_on}, a day still to come (today is {today})"
            )));
        }
        let year = opened_on.year();
        let title = req.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(Error::Invalid("a case needs a title".into()));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(Error::Invalid(format!(
                "the title has {} characters; at most {MAX_TITLE_CHARS}",
                title.chars().count()
            )));
        }
        let unit_code = req.unit.trim();
        let ctx = |e| Error::sqlite("opening a case", e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        let units = db::cases::units_with_code(&tx, unit_code)?;
        if units.is_empty() {
            return Err(Error::NotFound(format!(
                "no unit {unit_code}; add it with `skladnica unit add {unit_code} NAME`"
            )));
        }
        if !units.iter().any(|u| u.exists_in(year)) {
            let when: Vec<String> = units.iter().map(years).collect();
            return Err(Error::Invalid(format!(
                "unit {unit_code} does not exist in {year} (it exists {})",
                when.join(", ")
            )));
        }
        let version = db::jrwa::in_force(&tx, opened_on)?
            .ok_or_else(|| Error::Invalid(format!("no JRWA is in force on {opened_on}")))?;
        let jrwa = db::jrwa::load(&tx, version.id)?;
        let symbol = req.jrwa_symbol.trim();
        let class = jrwa.get(symbol).ok_or_else(|| {
            Error::NotFound(format!(
                "JRWA class {symbol} is not in \"{}\" (version {}, in force on {opened_on})",
                version.name, version.id
            ))
        })?;
        if !class.is_end {
            let subs: Vec<&str> = jrwa
                .children(Some(symbol))
                .map(|c| c.symbol.as_str())
                .collect();
            return Err(Error::Invalid(format!(
                "JRWA class {symbol} \"{}\" has sub-classes ({}); cases are opened under an end \
                 class",
                class.heading,
                subs.join(", ")
            )));
        }
        let category = class.category.ok_or_else(|| {
            Error::Invalid(format!(
                "JRWA class {symbol} \"{}\" has no archival category; load a list that gives it \
                 one",
                class.heading
            ))
        })?;
        let number = match req.number {
            Some(n) => {
                if let Some(existing) = db::cases::case_by_number(&tx, unit_code, symbol, year, n)?
                {
                    return Err(Error::Conflict(format!(
                        "case {} already exists (\"{}\", opened {}); the next free number is {}",
                        existing.sign,
                        existing.title,
                        existing.opened_on,
                        db::cases::last_number(&tx, unit_code, symbol, year)?.unwrap_or(0) + 1
                    )));
                }
                n
            }
            None => db::cases::last_number(&tx, unit_code, symbol, year)?.unwrap_or(0) + 1,
        };
        let sign = CaseSign::new(unit_code, symbol, number, year)?.to_string();
        let handler = req
            .handler
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty());
        let id = db::cases::insert_case(
            &tx,
            &NewCase {
                sign: &sign,
                unit: unit_code,
                jrwa_version: version.id,
                jrwa_symbol: symbol,
                number,
                year,
                title: &title,
                handler,
                category,
                opened_on,
            },
        )?;
        tx.commit().map_err(ctx)?;
        Ok(Case {
            id,
            sign,
            unit: unit_code.to_string(),
            jrwa_version: version.id,
            jrwa_symbol: symbol.to_string(),
            number,
            year,
            title,
            handler: handler.map(str::to_string),
            category,
            opened_on,
            closed_on: None,
            destroyed_on: None,
        })
    }

    /// The case with this sign (checked for format first, so a typo gets a reason).
    pub fn case(&self, sign: &str) -> Result<Case> {
        let parsed: CaseSign = sign.trim().parse()?;
        db::cases::case_by_sign(self.conn(), &parsed.to_string())?
            .ok_or_else(|| Error::NotFound(format!("no case {parsed}")))
    }

    /// The case with this sign and what the registers know around it.
    pub fn case_details(&self, sign: &str) -> Result<CaseDetails> {
        let case = self.case(sign)?;
        let (version, jrwa) = self.jrwa(Some(case.jrwa_version), None)?;
        let documents = db::cases::case_documents(self.conn(), case.id)?
            .into_iter()
            .map(|(id, title, added_at)| CaseDocument {
                id,
                title,
                added_at,
            })
            .collect();
        let unit_name = db::cases::units_with_code(self.conn(), &case.unit)?
            .into_iter()
            .find(|u| u.exists_in(case.year))
            .map(|u| u.name);
        let class = jrwa.get(&case.jrwa_symbol);
        Ok(CaseDetails {
            category_source: class.and_then(|c| c.category_source.clone()),
            jrwa_heading: class.map(|c| c.heading.clone()).unwrap_or_default(),
            jrwa_name: version.name,
            unit_name,
            documents,
            due: case.closed_on.map(|on| retention::due(case.category, on)),
            case,
        })
    }

    /// Cases matching `filter`, in spis spraw order.
    pub fn cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        db::cases::cases(self.conn(), filter)
    }

    /// Files documents in a case, after those it has; each document gets the case's sign and
    /// JRWA class as metadata (and so as search filters). A document already in the case is
    /// left where it is; one in another case is refused.
    pub fn add_to_case(&mut self, sign: &str, document_ids: &[i64]) -> Result<CaseDetails> {
        self.require_writable()?;
        let case = self.case(sign)?;
        if case.closed_on.is_some() {
            return Err(Error::Invalid(format!(
                "case {} is closed; documents are filed in open cases",
                case.sign
            )));
        }
        let ctx = |e| Error::sqlite(format!("filing documents in case {}", case.sign), e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        for &id in document_ids {
            if !documents::exists(&tx, id)? {
                return Err(Error::NotFound(format!("no document {id}")));
            }
            if attach(&tx, &case, id)? {
                documents::mark_changed(&tx, id)?;
            }
        }
        tx.commit().map_err(ctx)?;
        self.catch_up_index()?;
        self.case_details(&case.sign)
    }

    /// Closes a case on `on` (today when `None`).
    pub fn close_case(&mut self, sign: &str, on: Option<Date>) -> Result<Case> {
        self.require_writable()?;
        let mut case = self.case(sign)?;
        let on = on.unwrap_or_else(Date::today);
        if let Some(closed) = case.closed_on {
            return Err(Error::Conflict(format!(
                "case {} was closed on {closed} already",
                case.sign
            )));
        }
        if on < case.opened_on {
            return Err(Error::Invalid(format!(
                "case {} cannot close on {on}, before it opened ({})",
                case.sign, case.opened_on
            )));
        }
        let today = Date::today();
        if on > today {
            return Err(Error::Invalid(format!(
                "case {} cannot close on {on}, a day still to come (today is {today})",
                case.sign
            )));
        }
        db::cases::close_case(self.conn(), case.id, on)?;
        case.closed_on = Some(on);
        Ok(case)
    }
}

/// Files document `id` in `case` (inside the caller's transaction) and gives it the case's sign
/// and class as metadata. Returns false when it was in the case already.
pub(crate) fn attach(conn: &Connection, case: &Case, id: i64) -> Result<bool> {
    let ctx = |e| Error::sqlite(format!("filing document {id} in case {}", case.sign), e);
    let current: Option<String> = conn
        .query_row(
            "SELECT c.sign FROM case_documents cd JOIN cases c ON c.id = cd.case_id
             WHERE cd.document_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(ctx)?;
    match current {
        Some(sign) if sign == case.sign => return Ok(false),
        Some(sign) => {
            return Err(Error::Conflict(format!(
                "document {id} is filed in case {sign} already; a document belongs to one case"
            )));
        }
        None => {}
    }
    conn.execute(
        "INSERT INTO case_documents (case_id, document_id, position, added_at)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_documents
                          WHERE case_id = ?1), ?3)",
        params![case.id, id, crate::db::now()],
    )
    .map_err(ctx)?;
    documents::set_metadata(conn, id, "znak_sprawy", &case.sign, "case")?;
    documents::set_metadata(conn, id, "jrwa", &case.jrwa_symbol, "case")?;
    // An incoming item registered before its case was known now belongs to it.
    conn.execute(
        "UPDATE rpw_items SET case_id = ?1 WHERE document_id = ?2 AND case_id IS NULL",
        params![case.id, id],
    )
    .map_err(ctx)?;
    Ok(true)
}
