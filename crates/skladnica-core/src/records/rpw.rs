//! Registering incoming items in the RPW: the minimal metadata checked all at once, the next
//! number of the year, and the item's scan (a library document) described and, if asked, filed
//! in its case, all in one transaction.

use rusqlite::TransactionBehavior;
use serde::{Deserialize, Serialize};
use skladnica_records::party::{Address, Party, country_code};
use skladnica_records::rpw::{Delivery, Image};
use skladnica_records::{Access, Date, IncomingItem, RpwNumber};

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

/// An incoming item as a clerk types it (the CLI's options, the app's form): text fields, empty
/// ones left out, turned into an [`IncomingItem`] by [`IncomingForm::item`] with every problem
/// named at once.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IncomingForm {
    /// The sending institution's name (or `surname` and `first_names` for a person).
    pub institution: Option<String>,
    /// The sending person's surname.
    pub surname: Option<String>,
    /// The sending person's first names, separated by spaces.
    pub first_names: Option<String>,
    /// Miejscowość.
    pub town: Option<String>,
    /// Kod pocztowy.
    pub postal_code: Option<String>,
    /// Ulica.
    pub street: Option<String>,
    /// Numer budynku.
    pub building: Option<String>,
    /// Numer lokalu.
    pub flat: Option<String>,
    /// A two-letter code or the Polish name (`PL` when empty).
    pub country: Option<String>,
    /// The sender's PESEL, NIP or REGON.
    #[serde(default)]
    pub sender_id: Option<String>,
    /// Data wpływu, `YYYY-MM-DD` or `DD.MM.YYYY` (today when empty).
    pub received_on: Option<String>,
    /// Data na piśmie: a day, a month or a year.
    pub letter_date: Option<String>,
    /// The letter bears no date.
    #[serde(default)]
    pub undated: bool,
    /// Data nadania (postmark).
    pub sent_on: Option<String>,
    /// Tytuł.
    pub title: Option<String>,
    /// Dostęp: publiczny, niepubliczny (when empty) or wyłączony.
    pub access: Option<String>,
    /// The DCMI type (`Text` when empty).
    pub dc_type: Option<String>,
    /// Rodzaj: wniosek, skarga, faktura…
    pub kind: Option<String>,
    /// Sposób dostarczenia: poczta, osobiście, kurier, faks, e-mail, ePUAP, e-Doręczenia, inny.
    pub delivery: Option<String>,
    /// Znak u nadawcy.
    pub sender_sign: Option<String>,
    /// Liczba załączników.
    pub attachments: Option<u32>,
    /// Uwagi.
    pub remarks: Option<String>,
    /// Odwzorowanie: pełne (when empty) or niepełne.
    pub image: Option<String>,
}

/// The value, or `None` with its error noted.
fn noted<T, E: std::fmt::Display>(
    r: std::result::Result<T, E>,
    problems: &mut Vec<String>,
) -> Option<T> {
    r.map_err(|e| problems.push(e.to_string())).ok()
}

/// A field's trimmed text, `None` when empty.
fn given(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl IncomingForm {
    /// The item, or, when some field does not parse, every problem with the form at once (what
    /// does not parse and what is missing). A form that parses is checked whole, with its
    /// document and case, by [`Library::register_incoming`].
    pub fn item(&self) -> std::result::Result<IncomingItem, Vec<String>> {
        let mut problems = Vec::new();
        let country = given(&self.country).unwrap_or_else(|| "PL".into());
        let country = noted(country_code(&country), &mut problems).unwrap_or(country);
        let received_on = match given(&self.received_on) {
            Some(d) => noted(
                d.parse::<Date>()
                    .map_err(|e| format!("the day it arrived: {e}")),
                &mut problems,
            ),
            None => Some(Date::today()),
        };
        let letter_date = given(&self.letter_date).and_then(|d| {
            noted(
                d.parse()
                    .map_err(|e| format!("the date on the letter: {e}")),
                &mut problems,
            )
        });
        let sent_on = given(&self.sent_on).and_then(|d| {
            noted(
                d.parse::<Date>()
                    .map_err(|e| format!("the day it was sent: {e}")),
                &mut problems,
            )
        });
        let access = given(&self.access)
            .and_then(|a| noted(a.parse::<Access>(), &mut problems))
            .unwrap_or_default();
        let delivery =
            given(&self.delivery).and_then(|d| noted(d.parse::<Delivery>(), &mut problems));
        let image = given(&self.image)
            .and_then(|i| noted(i.parse::<Image>(), &mut problems))
            .unwrap_or_default();
        let address = Address {
            postal_code: given(&self.postal_code),
            post_office: None,
            town: given(&self.town).unwrap_or_default(),
            street: given(&self.street),
            building: given(&self.building),
            flat: given(&self.flat),
            country,
        };
        let sender = match (
            given(&self.institution),
            given(&self.surname),
            given(&self.first_names),
        ) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                problems.push(
                    "the sender is either an institution (its name) or a person (surname and first \
                     names), not both"
                        .into(),
                );
                None
            }
            (Some(name), None, None) => Some(Party::Institution {
                name,
                addresses: vec![address.clone()],
            }),
            (None, None, None) => {
                problems.push(
                    "the sender is missing: an institution's name, or a person's surname and \
                     first names"
                        .into(),
                );
                None
            }
            (None, surname, first) => Some(Party::Person {
                surname: surname.unwrap_or_default(),
                first_names: first
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
                addresses: vec![address.clone()],
            }),
        };
        let item = IncomingItem {
            // A missing sender is said above; its address is still checked.
            sender: sender.unwrap_or(Party::Institution {
                name: "?".into(),
                addresses: vec![address],
            }),
            sender_id: given(&self.sender_id)
                .map(|s| s.chars().filter(|c| !matches!(c, '-' | ' ')).collect()),
            letter_date,
            undated: self.undated,
            received_on: received_on.unwrap_or_else(Date::today),
            sent_on,
            title: given(&self.title).unwrap_or_default(),
            access,
            dc_type: given(&self.dc_type).unwrap_or_else(|| "Text".into()),
            kind: given(&self.kind),
            delivery,
            sender_sign: given(&self.sender_sign),
            attachments: self.attachments,
            remarks: given(&self.remarks),
            image,
        };
        if problems.is_empty() {
            // What is missing is checked with the document and case by `register_incoming`.
            return Ok(item);
        }
        // The item's own check adds what else is missing, so that all is said at once.
        problems.extend(item.problems());
        Err(problems)
    }
}

/// What registering did.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// The register entry.
    #[serde(flatten)]
    pub record: RpwRecord,
    /// Metadata keys of the document that the clerk had set and that were left as they were.
    pub kept_clerk_values: Vec<String>,
    /// Queued for the EZD in the same transaction (an EZD connection is set up and the item has
    /// its scan).
    pub queued_for_ezd: bool,
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
        let queued_for_ezd = req.document.is_some() && crate::sync::configured(&tx)? && {
            let batch = db::outbox::next_batch(&tx)?;
            crate::sync::queue_record(&tx, &record, batch)?
        };
        tx.commit().map_err(ctx)?;
        if req.document.is_some() {
            self.catch_up_index()?;
        }
        Ok(Registered {
            record,
            kept_clerk_values: kept,
            queued_for_ezd,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn a_filled_form_is_an_item() {
        let form = IncomingForm {
            institution: text(" Starostwo Powiatowe w Krakowie "),
            town: text("Kraków"),
            postal_code: text("30-037"),
            country: text("Polska"),
            received_on: text("02.03.2026"),
            letter_date: text("2026-02"),
            title: text("Zawiadomienie"),
            delivery: text("poczta"),
            access: text(""),
            ..IncomingForm::default()
        };
        let item = form.item().unwrap();
        assert_eq!(item.sender.display_name(), "Starostwo Powiatowe w Krakowie");
        assert_eq!(item.sender.addresses()[0].country, "PL");
        assert_eq!(item.received_on.to_string(), "2026-03-02");
        assert_eq!(item.letter_date.unwrap().to_string(), "2026-02");
        assert_eq!(item.delivery, Some(Delivery::Post));
        assert_eq!(item.access, Access::NonPublic);
        assert_eq!(item.dc_type, "Text");
    }

    #[test]
    fn every_problem_is_said_at_once() {
        let problems = IncomingForm {
            country: text("Atlantyda"),
            received_on: text("31.02.2026"),
            delivery: text("gołąb"),
            ..IncomingForm::default()
        }
        .item()
        .unwrap_err();
        let all = problems.join("\n");
        for part in [
            "sender is missing",
            "Atlantyda",
            "the day it arrived",
            "gołąb",
            "town (miejscowość) is missing",
            "data na piśmie",
            "title",
        ] {
            assert!(all.contains(part), "{part} not in:\n{all}");
        }
        let both = IncomingForm {
            institution: text("Urząd"),
            surname: text("Nowak"),
            ..IncomingForm::default()
        }
        .item()
        .unwrap_err();
        assert!(both[0].contains("not both"), "{both:?}");
    }
}
