//! The fuzzing targets' bodies: each takes arbitrary bytes to one of the parsers that meets
//! outside input, and must end without a panic or a hang whatever they are. `fuzz/` runs them
//! under libFuzzer (cargo-fuzz, `scripts/fuzz.sh`); the test suite replays their kept corpora
//! (`fuzz/corpus/<target>/`) and every input a run found a crash with
//! (`fuzz/regressions/<target>/`) through the same functions.

use std::str::FromStr;

use skladnica_core::ingest::{Limits, inspect};
use skladnica_records::{CaseSign, Category, Date, Jrwa, PartialDate, RpwNumber, extract, ids};

/// A target's body.
pub type Body = fn(&[u8]);

/// Every target: its name (the folder of its corpus) and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("pdf", pdf),
    ("image", image),
    ("extract", extract_text),
    ("signs", signs),
    ("jrwa_csv", jrwa_csv),
    ("ezd_answer", ezd_answer),
    ("package", package),
];

/// Keeps the input about to run in the file `SKLADNICA_FUZZ_LAST` names, when set: a crash
/// that kills the process before libFuzzer can save it (a stack overflow) leaves its input there.
fn keep_last(data: &[u8]) {
    if let Some(path) = std::env::var_os("SKLADNICA_FUZZ_LAST") {
        let _ = std::fs::write(path, data);
    }
}

/// The PDF reader: structure checks, then the text of each page.
pub fn pdf(data: &[u8]) {
    keep_last(data);
    if data.starts_with(b"%PDF") {
        let _ = inspect(data, &Limits::default());
    } else {
        let mut bytes = b"%PDF-".to_vec();
        bytes.extend_from_slice(data);
        let _ = inspect(&bytes, &Limits::default());
    }
}

/// The image path: whatever kind the bytes sniff as (JPEG, PNG, TIFF), its pages' sizes.
pub fn image(data: &[u8]) {
    keep_last(data);
    let _ = inspect(data, &Limits::default());
}

/// The metadata extractors over text: dates, signs, identifiers, issuer, kind.
pub fn extract_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = extract::extract(&text);
}

/// The parsers of what clerks type and documents carry: case signs, RPW numbers, dates,
/// categories, identifiers with check digits.
pub fn signs(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let _ = CaseSign::from_str(&s);
    let _ = RpwNumber::from_str(&s);
    let _ = Date::from_str(&s);
    let _ = PartialDate::from_str(&s);
    let _ = Category::from_str(&s);
    let _ = ids::pesel(&s);
    let _ = (
        ids::nip(&s),
        ids::regon(&s),
        ids::krs(&s),
        ids::kw(&s),
        ids::id_card(&s),
    );
}

/// The JRWA CSV loader.
pub fn jrwa_csv(data: &[u8]) {
    let _ = Jrwa::from_csv(data, "fuzz.csv");
}

/// The EZD client's reading of an answer: a status from the first byte, the body after it.
pub fn ezd_answer(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let status = [200u16, 201, 204, 400, 404, 409, 429, 500, 503][first as usize % 9];
    let _ = skladnica_ezd::read_answer(status, body, first & 1 == 1);
}

/// The package and backup reader (`verify`): a folder made from the input, its parts split at
/// NUL bytes, each part one file of a paczka archiwalna (the first byte even: manifest,
/// confirmation, a metadata file, a document, a case file) or of a backup bag (odd: declaration,
/// bag-info, the manifests, the database, an original). What the files say is the input's (names
/// leaving the folder, repeated, malformed lines); the files themselves are made only inside a
/// scratch folder.
pub fn package(data: &[u8]) {
    const PACKAGE: &[&str] = &[
        "sumy-kontrolne.sha256",
        "potwierdzenie.html",
        "metadane/dokumenty/bez-sprawy/pismo.pdf.xml",
        "dokumenty/bez-sprawy/pismo.pdf",
        "sprawy/OR.0012.1.2026.xml",
    ];
    const BAG: &[&str] = &[
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "data/skladnica.sqlite",
        "data/blobs/aa/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ];
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    keep_last(data);
    let scratch = std::path::Path::new("/dev/shm");
    let dir = if scratch.is_dir() {
        tempfile::tempdir_in(scratch)
    } else {
        tempfile::tempdir()
    }
    .expect("a scratch folder");
    let names = if first & 1 == 0 { PACKAGE } else { BAG };
    for (name, part) in names.iter().zip(rest.split(|&b| b == 0)) {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(&path, part).expect("a file");
    }
    let _ = skladnica_core::export::verify::verify(dir.path(), None);
}
