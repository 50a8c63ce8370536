//! Metadata read from the text at import (born-digital) and after OCR (scans): every value with
//! its confidence, page and source text in `show --json`; the sure ones fill the metadata and
//! the search filters; the clerk's values survive a new reading; personal data can be masked.

use serde_json::Value;
use skladnica_tests::{corpus, pdf_from_text};

use crate::harness::{Lib, meta, only_id};

fn extracted<'a>(doc: &'a Value, field: &str) -> Vec<&'a Value> {
    doc["extracted"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["field"] == field)
        .collect()
}

const LETTER: &str = "Urząd Gminy Iwanowice\nIwanowice, dnia 5 lutego 2014 roku\nZnak sprawy: GKM.6730.15.2014\n\n\
DECYZJA NR 15/2014\nWÓJTA GMINY IWANOWICE\nz dnia 5 lutego 2014 r.\nw sprawie ustalenia warunków zabudowy dla działki nr 12/3.\n\n\
Na podstawie art. 59 ustawy z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym, \
po rozpatrzeniu wniosku Pani Anny Kowalskiej, PESEL 02271400004, zamieszkałej w Iwanowicach, \
działającej przez pełnomocnika (NIP 123-456-32-18), orzekam o ustaleniu warunków zabudowy. \
Opłata skarbowa w kwocie 598 zł została uiszczona.";

#[test]
fn a_born_digital_letter_is_read_at_import() {
    let lib = Lib::new();
    let path = lib.file("decyzja.pdf", &pdf_from_text(LETTER, None, None));
    let id = only_id(&lib.import(&[&path], 0)).to_string();
    let doc = lib.json(["show", "--json", "--reveal-personal", &id], 0);
    let date = extracted(&doc, "document_date");
    assert_eq!(date.len(), 1, "{doc:#}");
    assert_eq!(date[0]["value"], "2014-02-05");
    assert_eq!(date[0]["page"], 1);
    assert!(
        date[0]["source_text"]
            .as_str()
            .unwrap()
            .contains("5 lutego 2014")
    );
    assert!(date[0]["confidence"].as_f64().unwrap() >= 0.8);
    let cited: Vec<&str> = extracted(&doc, "cited_date")
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert!(cited.contains(&"2003-03-27"), "{cited:?}");
    let refs: Vec<&str> = extracted(&doc, "reference")
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert!(
        refs.contains(&"GKM.6730.15.2014") && refs.contains(&"15/2014"),
        "{refs:?}"
    );
    assert!(
        !refs.contains(&"12/3"),
        "a plot number is no reference: {refs:?}"
    );
    let pesel = extracted(&doc, "pesel");
    assert_eq!(pesel[0]["value"], "02271400004");
    assert_eq!(pesel[0]["personal"], true);
    assert_eq!(pesel[0]["note"], "PESEL: born 2002-07-14, female");
    assert_eq!(extracted(&doc, "nip")[0]["value"], "1234563218");
    assert_eq!(extracted(&doc, "kind")[0]["value"], "decyzja");
    assert_eq!(extracted(&doc, "amount")[0]["value"], "598.00");
    // The sure values fill the metadata and the search filters.
    assert_eq!(meta(&doc, "data"), Some(("2014-02-05", "extracted")));
    assert_eq!(meta(&doc, "rodzaj"), Some(("decyzja", "extracted")));
    assert_eq!(
        meta(&doc, "tworca"),
        Some(("Wójt Gminy Iwanowice", "extracted"))
    );
    assert_eq!(doc["doc_date"], "2014-02-05");
    assert_eq!(
        lib.hit_ids("rodzaj:decyzja rok:2014"),
        [id.parse::<i64>().unwrap()]
    );

    // Revealing is logged; by default the PESEL is gone from the values, the text and the
    // search results.
    let log = lib.json(["audit", "log", "--json"], 0);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "personal.revealed" && e["record"] == format!("document {id}")),
        "{log}"
    );
    let hit = lib.search("Kowalskiej");
    let snippet = hit["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.contains("02271400004") && snippet.contains("•••••••••04"),
        "{snippet}"
    );
    assert_eq!(lib.hit_ids("02271400004"), [id.parse::<i64>().unwrap()]);
    let masked = lib.json(["show", "--json", &id], 0);
    assert_eq!(extracted(&masked, "pesel")[0]["value"], "•••••••••04");
    let text = masked["pages"][0]["text"].as_str().unwrap();
    assert!(
        !text.contains("02271400004") && text.contains("•••••••••04"),
        "{text}"
    );
    let human = String::from_utf8(lib.run(["show", "--mask-personal", &id]).stdout).unwrap();
    assert!(!human.contains("02271400004"), "{human}");
    let human = String::from_utf8(lib.run(["show", &id]).stdout).unwrap();
    assert!(!human.contains("02271400004"), "{human}");

    // The clerk corrects the kind; reading the text again leaves the clerk's value.
    lib.json(["meta", "set", "--json", &id, "rodzaj=postanowienie"], 0);
    lib.json(["extract", "--json", "--all"], 0);
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(meta(&doc, "rodzaj"), Some(("postanowienie", "clerk")));
    assert_eq!(meta(&doc, "data"), Some(("2014-02-05", "extracted")));
    assert_eq!(
        lib.hit_ids("rodzaj:postanowienie"),
        [id.parse::<i64>().unwrap()]
    );
}

#[test]
fn a_scan_is_read_after_its_ocr() {
    let lib = Lib::new();
    let scan = corpus().join("scans_admin/poleval2025-doclayout/test_a/ZARZADZENIE Nr 205_0.jpg");
    let id = only_id(&lib.import(&[&scan], 0)).to_string();
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(
        meta(&doc, "data"),
        Some(("2013-10-21", "extracted")),
        "{doc:#}"
    );
    assert_eq!(meta(&doc, "rodzaj"), Some(("zarządzenie", "extracted")));
    assert_eq!(meta(&doc, "tworca"), Some(("Burmistrz Polic", "extracted")));
    // The heading replaces a title that was only the file's name.
    assert!(
        doc["title"].as_str().unwrap().starts_with("ZARZĄDZENIE Nr 205/2013 Burmistrza Polic z dnia 21.10.2013 roku w Sprawie zasad przydziału"),
        "{}",
        doc["title"]
    );
    let refs: Vec<&str> = extracted(&doc, "reference")
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert!(refs.contains(&"205/2013"), "{refs:?}");
    assert_eq!(
        lib.hit_ids("rodzaj:zarządzenie rok:2013"),
        [id.parse::<i64>().unwrap()]
    );
    // Imported without waiting, the scan is read once OCR has run.
    let lib = Lib::new();
    let id = only_id(&lib.import_with(&["--no-wait"], &[&scan], 0)).to_string();
    let doc = lib.json(["show", "--json", &id], 0);
    assert!(doc["extracted"].as_array().unwrap().is_empty());
    lib.json(["ocr", "--json"], 0);
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(
        meta(&doc, "data"),
        Some(("2013-10-21", "extracted")),
        "{doc:#}"
    );
}

#[test]
fn jrwa_suggestions_learn_from_the_documents_clerks_filed() {
    let lib = Lib::new();
    let letter = |name: &str, text: &str| {
        let path = lib.file(&format!("{name}.pdf"), &pdf_from_text(text, None, None));
        only_id(&lib.import(&[&path], 0))
    };
    let first = letter(
        "oferta1",
        "Zawiadomienie o wyborze najkorzystniejszej oferty w postępowaniu na dostawę węgla \
         do kotłowni szkoły. Wykonawca złożył ofertę z najniższą ceną.",
    );
    let second = letter(
        "oferta2",
        "Zawiadomienie o odrzuceniu oferty wykonawcy w postępowaniu na remont chodnika: \
         oferta wykonawcy zawiera rażąco niską cenę.",
    );
    let new = letter(
        "oferta3",
        "Informacja o wyborze oferty wykonawcy na odśnieżanie dróg gminnych: wybrano ofertę \
         z najniższą ceną spośród trzech wykonawców.",
    );
    // Before anything is filed, the headings alone speak.
    let before = lib.json(["jrwa", "suggest", "--json", &new.to_string()], 0);
    assert!(before.as_array().unwrap().len() <= 3);
    // The clerk files the first two in a case under 271 ("Dokumentacja zamówień publicznych");
    // the third is then suggested there first.
    lib.add_unit("ZP", "2020", "Zamówienia publiczne");
    let case = lib.open_case("ZP", "271", "Postępowania 2024", "2024-01-02");
    let sign = case["sign"].as_str().unwrap();
    lib.json(
        [
            "case",
            "add",
            "--json",
            sign,
            &first.to_string(),
            &second.to_string(),
        ],
        0,
    );
    let after = lib.json(["jrwa", "suggest", "--json", &new.to_string()], 0);
    assert_eq!(after[0]["symbol"], "271", "{after:#}");
    assert_eq!(after[0]["examples"], 2);
    assert_eq!(after[0]["heading"], "Dokumentacja zamówień publicznych");
}
