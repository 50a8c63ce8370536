//! The incoming register (rejestr przesyłek wpływających, RPW): an item's number and the
//! minimal metadata the instrukcja kancelaryjna requires of it, checked all at once so that a
//! clerk sees everything that is missing in one message.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::date::{Date, PartialDate};
use crate::error::{Error, Result};
use crate::party::{Access, Party};

/// An item's number in the register: its place in the year's sequence. Written `RPW.12.2026`,
/// an identifier free of the characters the metadata standard forbids (`\ / * ? : = , ;` and
/// spaces); `RPW/12/2026` (as EZD RP shows it) and `12/2026` are read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RpwNumber {
    /// The year of registration.
    pub year: i32,
    /// The number within the year, from 1.
    pub number: u32,
}

impl fmt::Display for RpwNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RPW.{}.{}", self.number, self.year)
    }
}

impl FromStr for RpwNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<RpwNumber> {
        let bad = |reason: &str| Error::Rpw {
            value: s.to_string(),
            reason: reason.to_string(),
        };
        let t = s.trim();
        let upper = t.to_uppercase();
        let rest = upper
            .strip_prefix("RPW")
            .map(|r| r.trim_start_matches(['.', '/', ' ']))
            .unwrap_or(&upper);
        let parts: Vec<&str> = rest.split(['.', '/']).collect();
        let [number, year] = parts.as_slice() else {
            return Err(bad(
                "an RPW number is written RPW.<number>.<year>, e.g. RPW.12.2026",
            ));
        };
        let number: u32 = number
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad("the number is not a positive whole number"))?;
        if year.len() != 4 {
            return Err(bad("the year must have four digits"));
        }
        let year: i32 = year.parse().map_err(|_| bad("the year is not a number"))?;
        Ok(RpwNumber { year, number })
    }
}

text_serde!(RpwNumber);

/// How an item arrived (sposób dostarczenia).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// By post.
    Post,
    /// Brought in person.
    InPerson,
    /// By courier.
    Courier,
    /// By fax.
    Fax,
    /// By e-mail.
    Email,
    /// Through ePUAP.
    Epuap,
    /// Through e-Doręczenia.
    EDoreczenia,
    /// Otherwise.
    Other,
}

impl Delivery {
    /// The Polish word.
    pub fn polish(self) -> &'static str {
        match self {
            Delivery::Post => "poczta",
            Delivery::InPerson => "osobiście",
            Delivery::Courier => "kurier",
            Delivery::Fax => "faks",
            Delivery::Email => "e-mail",
            Delivery::Epuap => "ePUAP",
            Delivery::EDoreczenia => "e-Doręczenia",
            Delivery::Other => "inny",
        }
    }
}

impl FromStr for Delivery {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Delivery, String> {
        Ok(
            match crate::fold(s.trim()).replace(['-', ' '], "").as_str() {
                "poczta" | "post" | "list" => Delivery::Post,
                "osobiscie" | "inperson" => Delivery::InPerson,
                "kurier" | "courier" => Delivery::Courier,
                "faks" | "fax" => Delivery::Fax,
                "email" | "mail" => Delivery::Email,
                "epuap" => Delivery::Epuap,
                "edoreczenia" => Delivery::EDoreczenia,
                "inny" | "inne" | "other" => Delivery::Other,
                _ => {
                    return Err(format!(
                        "delivery \"{s}\" is none of poczta, osobiście, kurier, faks, e-mail, ePUAP, \
                     e-Doręczenia, inny"
                    ));
                }
            },
        )
    }
}

/// Whether the digital image holds the whole item (odwzorowanie pełne) or part of it (first page
/// and envelope, for oversized or unsuitable items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Image {
    /// Odwzorowanie pełne: all pages, attachments and the envelope.
    #[default]
    Full,
    /// Odwzorowanie niepełne.
    Partial,
}

impl FromStr for Image {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Image, String> {
        match crate::fold(s.trim()).as_str() {
            "full" | "pelne" | "pelny" => Ok(Image::Full),
            "partial" | "niepelne" | "niepelny" | "czesciowe" => Ok(Image::Partial),
            _ => Err(format!(
                "image \"{s}\" is neither full (pełne) nor partial (niepełne)"
            )),
        }
    }
}

/// An incoming item as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingItem {
    /// Nadawca, with an address (town and country required).
    pub sender: Party,
    /// The sender's PESEL (a person), NIP or REGON (an institution or a business), when the
    /// letter gives it: the EZD finds the sender in its contact base by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// Data na piśmie: the date the letter bears (a partial date is allowed).
    pub letter_date: Option<PartialDate>,
    /// The letter bears no date (said explicitly, so that a forgotten date is not mistaken for
    /// none).
    #[serde(default)]
    pub undated: bool,
    /// Data wpływu: the day it arrived.
    pub received_on: Date,
    /// Data nadania: the day it was sent, where known (postmark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_on: Option<Date>,
    /// Tytuł.
    pub title: String,
    /// Dostęp.
    #[serde(default)]
    pub access: Access,
    /// Typ (DCMI): `Text` for letters.
    pub dc_type: String,
    /// Rodzaj: wniosek, skarga, faktura…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Sposób dostarczenia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// Znak u nadawcy: the sender's own sign, required when the letter bears one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_sign: Option<String>,
    /// Liczba załączników.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<u32>,
    /// Uwagi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Full or partial digital image.
    #[serde(default)]
    pub image: Image,
}

/// What a sender's identifier is: `PESEL` (a person's 11 digits), `NIP` (10 digits) or `REGON`
/// (9 or 14 digits), each with its check digit; `None` when it is none of them.
pub fn sender_id_kind(id: &str, person: bool) -> Option<&'static str> {
    let digits: String = id.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if person && crate::ids::pesel(&digits).is_some() {
        Some("PESEL")
    } else if crate::ids::nip(&digits) {
        Some("NIP")
    } else if crate::ids::regon(&digits) {
        Some("REGON")
    } else {
        None
    }
}

/// The DCMI types the metadata standards use.
pub const DC_TYPES: &[&str] = &[
    "Text",
    "Image",
    "StillImage",
    "MovingImage",
    "Sound",
    "Dataset",
    "Collection",
    "InteractiveResource",
    "Software",
    "PhysicalObject",
    "Event",
    "Service",
];

impl IncomingItem {
    /// Checks the instrukcja's minimal metadata; returns every problem found, each naming the
    /// field in the register's words.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        let blank = |s: &str| s.trim().is_empty();
        match &self.sender {
            Party::Person {
                surname,
                first_names,
                ..
            } => {
                if blank(surname) {
                    p.push("the sender's surname (nazwisko) is missing".to_string());
                }
                if first_names.iter().all(|n| blank(n)) {
                    p.push("the sender's first name (imię) is missing".to_string());
                }
            }
            Party::Institution { name, .. } => {
                if blank(name) {
                    p.push("the sender's name (nazwa nadawcy) is missing".to_string());
                }
            }
        }
        match self.sender.addresses().first() {
            None => p.push("the sender's address is missing (at least town and country)".into()),
            Some(a) => {
                if blank(&a.town) {
                    p.push("the sender's town (miejscowość) is missing".into());
                }
                if a.country.len() != 2 || !a.country.chars().all(|c| c.is_ascii_uppercase()) {
                    p.push(format!(
                        "the sender's country \"{}\" is not a two-letter ISO code",
                        a.country
                    ));
                }
            }
        }
        if let Some(id) = &self.sender_id
            && sender_id_kind(id, matches!(self.sender, Party::Person { .. })).is_none()
        {
            p.push(format!(
                "the sender's identifier {id:?} is not a valid PESEL, NIP or REGON (its check                  digit does not match, or it has the wrong length)"
            ));
        }
        match (&self.letter_date, self.undated) {
            (None, false) => p.push(
                "the date on the letter (data na piśmie) is missing; give it (a year or month \
                 will do) or say the letter is undated"
                    .into(),
            ),
            (Some(_), true) => {
                p.push("the letter is said to be undated but a date is given".into())
            }
            (Some(d), false) => {
                if later_than(*d, self.received_on) {
                    p.push(format!(
                        "the date on the letter ({d}) is after the day it arrived ({})",
                        self.received_on
                    ));
                }
            }
            (None, true) => {}
        }
        if let Some(sent) = self.sent_on {
            if sent > self.received_on {
                p.push(format!(
                    "the day it was sent ({sent}) is after the day it arrived ({})",
                    self.received_on
                ));
            }
            if let Some(d) = self.letter_date
                && later_than(d, sent)
            {
                p.push(format!(
                    "the date on the letter ({d}) is after the day it was sent ({sent})"
                ));
            }
        }
        if blank(&self.title) {
            p.push("the title (tytuł) is missing".into());
        }
        if !DC_TYPES.contains(&self.dc_type.as_str()) {
            p.push(format!(
                "the type \"{}\" is not a DCMI type ({})",
                self.dc_type,
                DC_TYPES.join(", ")
            ));
        }
        if let Some(sign) = &self.sender_sign
            && blank(sign)
        {
            p.push("the sender's sign (znak u nadawcy) is empty".into());
        }
        p
    }
}

/// Whether partial date `d` lies wholly after day `day`.
fn later_than(d: PartialDate, day: Date) -> bool {
    let s = d.to_string();
    let t = day.to_string();
    // Compare on the precision the partial date has: 2026 > 2025-12-31; 2026-03 > 2026-02-28.
    s.as_str() > &t[..s.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::Address;

    fn item() -> IncomingItem {
        IncomingItem {
            sender: Party::Person {
                surname: "Kowalska".into(),
                first_names: vec!["Anna".into()],
                addresses: vec![Address {
                    town: "Iwanowice".into(),
                    country: "PL".into(),
                    ..Address::default()
                }],
            },
            sender_id: None,
            letter_date: Some("2026-03".parse().unwrap()),
            undated: false,
            received_on: "2026-03-13".parse().unwrap(),
            sent_on: None,
            title: "Wniosek o wydanie zaświadczenia".into(),
            access: Access::NonPublic,
            dc_type: "Text".into(),
            kind: Some("wniosek".into()),
            delivery: Some(Delivery::Post),
            sender_sign: None,
            attachments: Some(2),
            remarks: None,
            image: Image::Full,
        }
    }

    #[test]
    fn a_complete_item_passes() {
        assert!(item().problems().is_empty(), "{:?}", item().problems());
    }

    #[test]
    fn every_missing_part_is_named() {
        let mut i = item();
        i.sender = Party::Person {
            surname: " ".into(),
            first_names: vec![],
            addresses: vec![Address {
                town: "".into(),
                country: "Polska".into(),
                ..Address::default()
            }],
        };
        i.letter_date = None;
        i.title = "".into();
        i.dc_type = "Letter".into();
        let p = i.problems().join("\n");
        for want in [
            "surname",
            "first name",
            "town",
            "country \"Polska\"",
            "data na piśmie",
            "tytuł",
            "DCMI",
        ] {
            assert!(p.contains(want), "{want}: {p}");
        }
    }

    #[test]
    fn dates_in_order() {
        let mut i = item();
        i.letter_date = Some("2026-04".parse().unwrap());
        assert!(i.problems()[0].contains("after the day it arrived"));
        i.letter_date = Some("2026-03-14".parse().unwrap());
        assert!(i.problems()[0].contains("after the day it arrived"));
        i.letter_date = Some("2026".parse().unwrap());
        assert!(i.problems().is_empty());
        i.sent_on = Some("2026-03-20".parse().unwrap());
        assert!(i.problems()[0].contains("sent (2026-03-20) is after"));
        i.letter_date = None;
        i.undated = true;
        i.sent_on = None;
        assert!(i.problems().is_empty());
    }

    #[test]
    fn rpw_numbers() {
        assert_eq!(
            "RPW.12.2026".parse::<RpwNumber>().unwrap().to_string(),
            "RPW.12.2026"
        );
        assert_eq!(
            "RPW/12/2026".parse::<RpwNumber>().unwrap().to_string(),
            "RPW.12.2026"
        );
        assert_eq!("12/2026".parse::<RpwNumber>().unwrap().number, 12);
        assert!("RPW.0.2026".parse::<RpwNumber>().is_err());
        assert!("RPW.12.26".parse::<RpwNumber>().is_err());
        assert!("RPW.12".parse::<RpwNumber>().is_err());
        let id = RpwNumber {
            year: 2026,
            number: 7,
        }
        .to_string();
        assert!(!id.contains(['\\', '/', '*', '?', ':', '=', ',', ';', ' ']));
    }
}
