//! Helpers for the core's unit tests.

use crate::Library;

/// A new library holding one document: a `w`×`h` colour PNG (a scanned page awaiting OCR).
/// Returns the folder (kept alive), the library and the document's id.
pub fn library_with_scan(w: u32, h: u32) -> (tempfile::TempDir, Library, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::init(&dir.path().join("lib")).unwrap();
    let file = dir.path().join("skan.png");
    image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 40, 90]))
        .save(&file)
        .unwrap();
    let report = lib
        .import(
            &[file],
            &Default::default(),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    let id = report.imported[0].id;
    (dir, lib, id)
}
