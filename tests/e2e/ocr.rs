//! OCR through the binary: real scans are read by Tesseract on import, their words are found by
//! search in other inflected forms, the queue resumes and redoes, and a missing language is a
//! clear error.

use crate::harness::Lib;

const SCAN: &str =
    "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif";

#[test]
fn a_real_scan_is_read_and_found_by_its_words() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let report = lib.import(&[&scan], 0);
    let id = crate::harness::only_id(&report);
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let page = &doc["pages"][0];
    assert_eq!(page["text_source"], "ocr", "{page}");
    assert!(page["ocr_confidence"].as_f64().unwrap() > 70.0, "{page}");
    let text = page["text"].as_str().unwrap();
    for word in ["pszenicy", "kukurydzy", "Aralskiego", "pustyni"] {
        assert!(text.contains(word), "{word} not in the OCR text:\n{text}");
    }
    // Found in other forms than the scan has: "pustynia" (the scan: "pustyni"), "pole" ("pola").
    for query in ["pustynia", "morze aralskie", "bawełna"] {
        assert_eq!(lib.hit_ids(query), vec![id], "{query}");
    }
    lib.assert_clean();
}

#[test]
fn no_wait_leaves_the_queue_and_ocr_works_it_off() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let out = lib.run([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new("--no-wait"),
        scan.as_os_str(),
    ]);
    assert!(out.status.success());
    let list = lib.json(["list", "--json"], 0);
    assert_eq!(list[0]["pages_awaiting_ocr"], 1);
    assert!(lib.hit_ids("kukurydza").is_empty());
    let report = lib.json(["ocr", "--json"], 0);
    assert_eq!(report["done"].as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(lib.json(["list", "--json"], 0)[0]["pages_awaiting_ocr"], 0);
    assert_eq!(lib.hit_ids("kukurydza").len(), 1);
    // Nothing left: a second run reads nothing.
    let again = lib.json(["ocr", "--json"], 0);
    assert!(again["done"].as_array().unwrap().is_empty());
    // Redo in English only: read again, other text.
    let id = list[0]["id"].as_i64().unwrap().to_string();
    let redo = lib.json(["ocr", "--json", "--redo", &id, "--lang", "eng"], 0);
    assert_eq!(redo["done"].as_array().unwrap().len(), 1);
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(doc["pages"][0]["text_source"], "ocr");
    lib.assert_clean();
}

#[test]
fn a_missing_language_is_a_clear_error() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    lib.run([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new("--no-wait"),
        scan.as_os_str(),
    ]);
    let out = lib.run(["ocr", "--lang", "pol+klingon"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("klingon") && err.contains("not installed"),
        "{err}"
    );
    // The page is still waiting, not marked failed.
    assert_eq!(lib.json(["list", "--json"], 0)[0]["pages_awaiting_ocr"], 1);
}
