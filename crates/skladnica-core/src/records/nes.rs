//! A library document's metadata as the NES model ([`skladnica_records::NesDocument`]), from
//! everything the library knows of it: its file, the clerk's and the registers' metadata, its
//! RPW entries, its case and the office. Written as Metadane 1.7 or NES 2.0 XML by the records
//! crate.

use skladnica_records::nes::{DateKind, Format, Grouping, Identifier, NesDate, Qualification};
use skladnica_records::rpw::Image;
use skladnica_records::{Access, NesDocument, PartialDate, Party};

use crate::db::{self, settings};
use crate::error::{Error, Result};
use crate::library::Library;

/// The settings key of the office's own description (a [`Party`] as JSON).
pub const OFFICE_KEY: &str = "office";

impl Library {
    /// The office this library belongs to, as set with [`Library::set_office`].
    pub fn office(&self) -> Result<Option<Party>> {
        let Some(json) = settings::get(self.conn(), OFFICE_KEY)? else {
            return Ok(None);
        };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| Error::Invalid(format!("the stored office description is damaged: {e}")))
    }

    /// Describes the office (name and address) for the metadata it issues.
    pub fn set_office(&mut self, office: &Party) -> Result<()> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        let Party::Institution { name, addresses } = office else {
            return Err(Error::Invalid(
                "the office is an institution, not a person".into(),
            ));
        };
        if name.trim().is_empty() {
            return Err(Error::Invalid("the office needs a name".into()));
        }
        if addresses.iter().any(|a| a.town.trim().is_empty()) {
            return Err(Error::Invalid("the office's address needs a town".into()));
        }
        settings::set(
            self.conn(),
            OFFICE_KEY,
            &serde_json::to_string(office).expect("a party serialises"),
        )
    }

    /// Document `id`'s metadata as the NES model.
    pub fn nes_metadata(&self, id: i64) -> Result<NesDocument> {
        let doc = db::documents::get_described(self.conn(), id)?.ok_or(Error::NoDocument(id))?;
        self.nes_metadata_of(&doc)
    }

    /// The NES model of a document already read (with [`db::documents::get_described`]).
    pub fn nes_metadata_of(&self, doc: &db::documents::Document) -> Result<NesDocument> {
        let id = doc.id;
        let meta = |key: &str| {
            doc.metadata
                .iter()
                .find(|m| m.key == key)
                .map(|m| m.value.clone())
        };
        let office = self.office()?;
        let rpw = db::rpw::for_document(self.conn(), id)?;
        let case_sign = meta("znak_sprawy");
        let case = match &case_sign {
            Some(sign) => self.case(sign).ok(),
            None => None,
        };

        let mut identifiers = vec![Identifier {
            kind: "SystemID".into(),
            value: format!("skladnica.{id}"),
            issuer: None,
        }];
        if let Some(c) = &case {
            identifiers.push(Identifier {
                kind: "znak sprawy".into(),
                value: c.sign.clone(),
                issuer: office.clone(),
            });
        }
        for r in &rpw {
            identifiers.push(Identifier {
                kind: "numer".into(),
                value: r.number.to_string(),
                issuer: office.clone(),
            });
            if let Some(sign) = &r.item.sender_sign {
                identifiers.push(Identifier {
                    kind: "znak pisma".into(),
                    value: sign.clone(),
                    issuer: Some(r.item.sender.clone()),
                });
            }
        }

        let mut dates = Vec::new();
        if let Some(d) = meta("data").and_then(|d| d.parse::<PartialDate>().ok()) {
            dates.push(NesDate {
                kind: DateKind::OnLetter,
                when: d,
            });
        }
        for r in &rpw {
            if let Some(sent) = r.item.sent_on {
                dates.push(NesDate {
                    kind: DateKind::Sent,
                    when: sent.into(),
                });
            }
            dates.push(NesDate {
                kind: DateKind::Received,
                when: r.item.received_on.into(),
            });
            if let Some(registered) = db::local_date(&r.registered_at) {
                dates.push(NesDate {
                    kind: DateKind::Registered,
                    when: registered.into(),
                });
            }
        }
        if let Some(acquired) = db::local_date(&doc.created_at) {
            dates.push(NesDate {
                kind: DateKind::Acquired,
                when: acquired.into(),
            });
        }

        let file = doc.files.first();
        let format = Format {
            media_type: file
                .map(|f| f.media_type.clone())
                .unwrap_or_else(|| "application/octet-stream".into()),
            size: file.map(|f| f.size as u64),
            incomplete: rpw.iter().any(|r| r.item.image == Image::Partial),
        };

        let groupings = match &case {
            Some(c) => vec![Grouping {
                kind: "znak sprawy".into(),
                code: c.sign.clone(),
                description: c.title.clone(),
            }],
            None => match rpw.first() {
                Some(r) => vec![Grouping {
                    kind: "rejestr przesyłek wpływających".into(),
                    code: format!("RPW.{}", r.number.year),
                    description: format!("Rejestr przesyłek wpływających {}", r.number.year),
                }],
                None => vec![Grouping {
                    kind: "zbiór".into(),
                    code: "SKLADNICA".into(),
                    description: "Dokumenty bez sprawy w Składnicy".into(),
                }],
            },
        };

        let named = |name: String| Party::Institution {
            name,
            addresses: vec![],
        };
        let sender = rpw
            .first()
            .map(|r| r.item.sender.clone())
            .or_else(|| meta("nadawca").map(named));
        let authors = meta("tworca")
            .map(|t| vec![("utworzył".to_string(), named(t))])
            .unwrap_or_default();
        let recipients = meta("odbiorca")
            .map(|o| vec![(named(o), false)])
            .unwrap_or_default();
        let qualification = match (&case, &office) {
            (Some(c), Some(o)) => Some(Qualification {
                category: c.category,
                when: c.opened_on.into(),
                by: o.clone(),
            }),
            _ => None,
        };
        let access = meta("dostep")
            .and_then(|a| a.parse::<Access>().ok())
            .or_else(|| rpw.first().map(|r| r.item.access))
            .unwrap_or_default();
        Ok(NesDocument {
            identifiers,
            title: doc.title.clone(),
            dates,
            format,
            access,
            dc_type: meta("typ").unwrap_or_else(|| "Text".into()),
            kind: meta("rodzaj").or(doc.kind.clone()),
            groupings,
            authors,
            sender,
            recipients,
            qualification,
            languages: vec![meta("jezyk").unwrap_or_else(|| "pol".into())],
            description: meta("opis"),
        })
    }

    /// Document `id`'s metadata as XML: Metadane 1.7 (`ndap17`) or NES 2.0 (`nes20`). Refused,
    /// naming what is missing, when the record lacks what the schemas require.
    pub fn metadata_xml(&self, id: i64, schema: &str) -> Result<String> {
        let nes = self.nes_metadata(id)?;
        let problems = nes.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "document {id}: no metadata XML: {}",
                problems.join("; ")
            )));
        }
        match schema {
            "ndap17" => Ok(nes.to_ndap17()),
            "nes20" => Ok(nes.to_nes20()),
            other => Err(Error::Invalid(format!(
                "unknown metadata schema \"{other}\" (ndap17 or nes20)"
            ))),
        }
    }
}
