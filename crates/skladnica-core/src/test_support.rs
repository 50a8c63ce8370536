//! Helpers for the core's unit tests.

use crate::Library;

/// A new library holding one document: a `w`×`h` colour PNG (a scanned page awaiting OCR).
/// Returns the folder (kept alive), the library and the document's id.
pub fn library_with_scan(w: u32, h: u32) -> (tempfile::TempDir, Library, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::init(&dir.path().join("lib")).unwrap();
    let id = import_scan(&mut lib, &dir.path().join("skan.png"), w, h, 0);
    (dir, lib, id)
}

/// Imports a `w`×`h` colour PNG written to `file` (`shade` tells scans apart); its document's id.
pub fn import_scan(lib: &mut Library, file: &std::path::Path, w: u32, h: u32, shade: u8) -> i64 {
    image::RgbImage::from_fn(w, h, |x, _| {
        image::Rgb([(x % 256) as u8, 40, shade.wrapping_add(90)])
    })
    .save(file)
    .unwrap();
    let report = lib
        .import(
            &[file.to_path_buf()],
            &Default::default(),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    report.imported[0].id
}
