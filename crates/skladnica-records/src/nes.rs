//! One model of a document's metadata that maps onto the NES elements, written as XML in the
//! two schemas that matter: the archives' `ndap:dokument` of Metadane 1.7
//! ([`NesDocument::to_ndap17`]) and NES 2.0 of eADM packages ([`NesDocument::to_nes20`]), both in
//! the namespace `http://www.mswia.gov.pl/standardy/ndap`.
//!
//! The model says what is known once; the writers put it in each schema's elements, order and
//! vocabulary (NES 2.0 "data na piśmie" is Metadane 1.7 "stworzony"; NES 2.0 has `nadawca`,
//! for 1.7 the sender is the letter's author, `tworca` "utworzył"). [`NesDocument::problems`]
//! checks what both schemas require, so that an incomplete record is refused before any XML is
//! written.

use std::fmt::Write;

use serde::Serialize;

use crate::category::Category;
use crate::date::PartialDate;
use crate::party::{Access, Address, Party};

/// The namespace both schemas use.
pub const NAMESPACE: &str = "http://www.mswia.gov.pl/standardy/ndap";

/// An identifier of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifier {
    /// Its kind: `SystemID`, `znak sprawy`, `znak pisma`, `numer`.
    pub kind: String,
    /// Its value.
    pub value: String,
    /// Who issued it, where it matters (the sender of a `znak pisma`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Party>,
}

/// The events a document's dates record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// The date the document bears (data na piśmie).
    OnLetter,
    /// Sent (data nadania).
    Sent,
    /// Received by the office (data wpływu).
    Received,
    /// Registered in the office's register.
    Registered,
    /// Acquired by this archive (imported).
    Acquired,
    /// Signed.
    Signed,
}

impl DateKind {
    fn nes20(self) -> &'static str {
        match self {
            DateKind::OnLetter => "data na piśmie",
            DateKind::Sent => "wysłany",
            DateKind::Received => "doręczony",
            DateKind::Registered => "data rejestracji",
            DateKind::Acquired => "uzyskany",
            DateKind::Signed => "podpisany",
        }
    }

    fn ndap17(self) -> &'static str {
        match self {
            DateKind::OnLetter => "stworzony",
            DateKind::Sent => "wysłany",
            DateKind::Received | DateKind::Registered => "otrzymany",
            DateKind::Acquired => "uzyskany",
            DateKind::Signed => "zatwierdzony",
        }
    }
}

/// A dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NesDate {
    /// What happened.
    pub kind: DateKind,
    /// When: a year, a month or a day.
    pub when: PartialDate,
}

/// The file the metadata describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Format {
    /// Its media type (`application/pdf`, `image/tiff`).
    pub media_type: String,
    /// Its size in bytes.
    pub size: Option<u64>,
    /// The digital image is partial (odwzorowanie niepełne).
    pub incomplete: bool,
}

/// A group the document belongs to: its case, or a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grouping {
    /// The kind of group (`znak sprawy`, `rejestr przesyłek wpływających`).
    pub kind: String,
    /// Its code (the case sign).
    pub code: String,
    /// What it is (the case title).
    pub description: String,
}

/// The archival category given to the document, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qualification {
    /// The category.
    pub category: Category,
    /// When it was given (the case's opening).
    pub when: PartialDate,
    /// Who gave it (the office).
    pub by: Party,
}

/// A document's metadata, the NES elements as one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NesDocument {
    /// Identyfikator (at least one).
    pub identifiers: Vec<Identifier>,
    /// Tytuł.
    pub title: String,
    /// Dates (at least one).
    pub dates: Vec<NesDate>,
    /// Format.
    pub format: Format,
    /// Dostęp.
    pub access: Access,
    /// DCMI type (`Text`).
    pub dc_type: String,
    /// Rodzaj (decyzja, wniosek, pismo…).
    pub kind: Option<String>,
    /// Grupowanie (at least one).
    pub groupings: Vec<Grouping>,
    /// Twórcy (who wrote, signed).
    pub authors: Vec<(String, Party)>,
    /// Nadawca.
    pub sender: Option<Party>,
    /// Odbiorcy, and whether each only gets a copy (do wiadomości).
    pub recipients: Vec<(Party, bool)>,
    /// Kwalifikacja.
    pub qualification: Option<Qualification>,
    /// Languages, ISO 639-2 (`pol`).
    pub languages: Vec<String>,
    /// Opis.
    pub description: Option<String>,
}

fn language_name(code: &str) -> &'static str {
    match code {
        "pol" => "polski",
        "eng" => "angielski",
        "deu" | "ger" => "niemiecki",
        "ukr" => "ukraiński",
        "rus" => "rosyjski",
        "ces" | "cze" => "czeski",
        "fra" | "fre" => "francuski",
        _ => "",
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl NesDocument {
    /// What the schemas require and the record lacks; empty when it can be written.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.identifiers.is_empty() {
            p.push("no identifier".to_string());
        }
        for i in &self.identifiers {
            if blank(&i.kind) || blank(&i.value) {
                p.push(format!(
                    "identifier \"{}\" of kind \"{}\" is empty",
                    i.value, i.kind
                ));
            }
        }
        if blank(&self.title) {
            p.push("no title (tytuł)".into());
        }
        if self.dates.is_empty() {
            p.push("no date".into());
        }
        if blank(&self.format.media_type) {
            p.push("no format".into());
        }
        if self.groupings.is_empty() {
            p.push("no grouping (grupowanie): neither a case nor a register".into());
        }
        for g in &self.groupings {
            if blank(&g.kind) || blank(&g.code) || blank(&g.description) {
                p.push(format!(
                    "grouping \"{}\" lacks its kind, code or description",
                    g.code
                ));
            }
        }
        let mut parties: Vec<&Party> = self.authors.iter().map(|(_, p)| p).collect();
        parties.extend(self.sender.iter());
        parties.extend(self.recipients.iter().map(|(p, _)| p));
        parties.extend(self.qualification.iter().map(|q| &q.by));
        parties.extend(self.identifiers.iter().filter_map(|i| i.issuer.as_ref()));
        for party in parties {
            let name = party.display_name();
            if blank(&name) {
                p.push("a person or institution without a name".into());
            }
            for a in party.addresses() {
                if blank(&a.town) {
                    p.push(format!("the address of {name} has no town"));
                }
            }
        }
        for l in &self.languages {
            if l.len() != 3 || !l.chars().all(|c| c.is_ascii_lowercase()) {
                p.push(format!("language \"{l}\" is not an ISO 639-2 code"));
            }
        }
        p
    }

    /// The document as Metadane 1.7 (`ndap:dokument`, the archives' schema).
    pub fn to_ndap17(&self) -> String {
        let mut x = Xml::new();
        x.open_root();
        for (party, copy) in &self.recipients {
            x.open("odbiorca");
            x.party17(party);
            x.leaf("rodzaj", if *copy { "do wiadomosci" } else { "glowny" });
            x.close("odbiorca");
        }
        for d in &self.dates {
            x.open("data");
            x.leaf("typ", d.kind.ndap17());
            x.leaf("czas", &d.when.to_string());
            x.close("data");
        }
        x.open("dostep");
        x.leaf("dostepnosc", self.access.ndap17());
        x.close("dostep");
        x.open("format");
        x.leaf("typ", &self.format.media_type);
        if let Some(size) = self.format.size {
            x.leaf_attr("wielkosc", "jednostka", "bajt", &size.to_string());
        }
        x.close("format");
        for g in &self.groupings {
            x.open("grupowanie");
            x.leaf("typ", &g.kind);
            x.leaf("kod", &g.code);
            x.leaf("opis", &g.description);
            x.close("grupowanie");
        }
        for i in &self.identifiers {
            x.open("identyfikator");
            x.leaf("typ", &i.kind);
            x.leaf("wartosc", &i.value);
            if let Some(issuer) = &i.issuer {
                x.party17(issuer);
            }
            x.close("identyfikator");
        }
        for l in &self.languages {
            x.leaf_attr("jezyk", "kod", l, language_name(l));
        }
        if let Some(d) = self.description.as_deref().filter(|d| !blank(d)) {
            x.leaf("opis", d);
        }
        if let Some(q) = &self.qualification {
            x.open("kwalifikacja");
            x.leaf("kategoria", &q.category.to_string());
            x.leaf("data", &q.when.to_string());
            x.party17(&q.by);
            x.close("kwalifikacja");
        }
        let mut authors: Vec<(&str, &Party)> =
            self.authors.iter().map(|(f, p)| (f.as_str(), p)).collect();
        if authors.is_empty()
            && let Some(sender) = &self.sender
        {
            // Metadane 1.7 has no sender: an incoming letter's sender is its author.
            authors.push(("utworzył", sender));
        }
        for (function, party) in authors {
            x.open("tworca");
            x.leaf("funkcja", function);
            x.party17(party);
            x.close("tworca");
        }
        x.open("typ");
        x.leaf("kategoria", class_of(&self.dc_type));
        if let Some(k) = self.kind.as_deref().filter(|k| !blank(k)) {
            x.leaf("rodzaj", k);
        }
        x.close("typ");
        x.open("tytul");
        x.leaf("oryginalny", &self.title);
        x.close("tytul");
        x.close_root()
    }

    /// The document as NES 2.0 (eADM).
    pub fn to_nes20(&self) -> String {
        let mut x = Xml::new();
        x.open_root();
        for i in &self.identifiers {
            x.open("identyfikator");
            x.leaf("typIdentyfikatora", &i.kind);
            x.leaf("wartoscId", &i.value);
            if let Some(issuer) = &i.issuer {
                x.party20(issuer);
            }
            x.close("identyfikator");
        }
        x.open("tytul");
        x.leaf("oryginalny", &self.title);
        x.close("tytul");
        for d in &self.dates {
            x.open("data");
            x.leaf("typDaty", d.kind.nes20());
            x.leaf("czas", &d.when.to_string());
            x.close("data");
        }
        x.open("format");
        x.leaf("typFormatu", &self.format.media_type);
        if self.format.incomplete {
            x.leaf("niekompletnosc", "tak");
        }
        if let Some(size) = self.format.size {
            x.leaf_attr("wielkosc", "miara", "bajt", &size.to_string());
        }
        x.close("format");
        x.open("dostep");
        x.leaf("dostepnosc", self.access.nes20());
        x.close("dostep");
        x.open("typ");
        x.leaf("klasa", class_of(&self.dc_type));
        x.leaf(
            "rodzaj",
            self.kind
                .as_deref()
                .filter(|k| !blank(k))
                .unwrap_or("inne pismo/dokument"),
        );
        x.close("typ");
        for g in &self.groupings {
            x.open("grupowanie");
            x.leaf("typGrupy", &g.kind);
            x.leaf("kodGrupy", &g.code);
            x.leaf("opis", &g.description);
            x.close("grupowanie");
        }
        for (function, party) in &self.authors {
            x.open("tworca");
            x.leaf("funkcja", function);
            x.party20(party);
            x.close("tworca");
        }
        if let Some(sender) = &self.sender {
            x.open("nadawca");
            x.party20(sender);
            x.close("nadawca");
        }
        for (party, copy) in &self.recipients {
            x.open("odbiorca");
            if *copy {
                x.leaf("doWiadomosci", "tak");
            }
            x.party20(party);
            x.close("odbiorca");
        }
        if let Some(q) = &self.qualification {
            x.open("kwalifikacja");
            x.leaf("kategoria", &q.category.to_string());
            x.leaf("data", &q.when.to_string());
            x.party20(&q.by);
            x.close("kwalifikacja");
        }
        for l in &self.languages {
            x.leaf_attr("jezyk", "kodJezyka", l, language_name(l));
        }
        if let Some(d) = self.description.as_deref().filter(|d| !blank(d)) {
            x.leaf("opis", d);
        }
        x.close_root()
    }
}

/// The schemas' class of a DCMI type.
fn class_of(dc_type: &str) -> &str {
    match dc_type {
        "Text" => "tekst",
        "Image" | "StillImage" => "obraz",
        "MovingImage" => "obraz ruchomy",
        "Sound" => "dźwięk",
        "Dataset" => "zbiór danych",
        "Collection" => "kolekcja",
        other => other,
    }
}

/// A small XML writer: two-space indentation, text and attributes escaped.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn new() -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open_root(&mut self) {
        let _ = writeln!(self.out, "<ndap:dokument xmlns:ndap=\"{NAMESPACE}\">");
        self.depth = 1;
    }

    fn close_root(mut self) -> String {
        self.out.push_str("</ndap:dokument>\n");
        self.out
    }

    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<ndap:{name}>");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</ndap:{name}>");
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<ndap:{name}>{}</ndap:{name}>", escape(text));
    }

    fn leaf_attr(&mut self, name: &str, attr: &str, value: &str, text: &str) {
        self.indent();
        let _ = writeln!(
            self.out,
            "<ndap:{name} {attr}=\"{}\">{}</ndap:{name}>",
            escape(value),
            escape(text)
        );
    }

    fn opt(&mut self, name: &str, text: &Option<String>) {
        if let Some(t) = text.as_deref().filter(|t| !blank(t)) {
            self.leaf(name, t);
        }
    }

    /// `podmiot`: the same in both schemas but for the name of the postal code's element
    /// (`kod` in Metadane 1.7, `kodPocztowy` in NES 2.0).
    fn party(&mut self, party: &Party, postal_code: &str) {
        self.open("podmiot");
        let (kind, addresses) = match party {
            Party::Person {
                surname,
                first_names,
                addresses,
            } => {
                self.open("osoba");
                self.leaf("nazwisko", surname);
                for n in first_names {
                    self.leaf("imie", n);
                }
                ("osoba", addresses)
            }
            Party::Institution { name, addresses } => {
                self.open("instytucja");
                self.leaf("nazwa", name);
                ("instytucja", addresses)
            }
        };
        for a in addresses {
            self.address(a, postal_code);
        }
        self.close(kind);
        self.close("podmiot");
    }

    fn party17(&mut self, party: &Party) {
        self.party(party, "kod");
    }

    fn party20(&mut self, party: &Party) {
        self.party(party, "kodPocztowy");
    }

    /// `adres`: the same elements in both schemas but for the postal code's name.
    fn address(&mut self, a: &Address, postal_code: &str) {
        self.open("adres");
        self.opt(postal_code, &a.postal_code);
        self.opt("poczta", &a.post_office);
        self.leaf("miejscowosc", &a.town);
        self.opt("ulica", &a.street);
        self.opt("budynek", &a.building);
        self.opt("lokal", &a.flat);
        self.leaf("kraj", &a.country);
        self.close("adres");
    }
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
