//! The crash harness beyond import, in its bounded form (a few trials of each operation; the
//! long run is `skladnica-crash-bench`, its figures in BENCHMARKS.md): a large file's import
//! killed inside its blob's write, OCR, an export, a restore and an in-place encryption killed at
//! random moments, the library checked after each kill and the work resumed.

use skladnica_tests::Rng;
use skladnica_tests::crash::{Harness, Outcome};

use crate::harness::binary;

fn harness(dir: &tempfile::TempDir) -> (Harness, Rng) {
    (
        Harness {
            bin: binary(),
            work: dir.path().to_path_buf(),
        },
        Rng::replayable("crash"),
    )
}

fn assert_sound(o: &Outcome, trials: usize) {
    eprintln!("{}: {} trials, {} killed mid-way", o.op, o.trials, o.killed);
    assert!(
        o.failures.is_empty(),
        "{}:\n{}",
        o.op,
        o.failures.join("\n")
    );
    assert_eq!(o.trials, trials, "{}", o.op);
}

#[test]
fn a_large_import_an_export_a_restore_and_an_encryption_killed_at_random_leave_sound_libraries() {
    let dir = tempfile::tempdir().unwrap();
    let (h, mut rng) = harness(&dir);
    let large = h.import_large(4, &mut rng);
    assert_sound(&large, 4);
    let lib = h.library_of("docs", 40).unwrap();
    let export = h.export(&lib, 4, &mut rng);
    assert_sound(&export, 4);
    let restore = h.restore(&lib, 3, &mut rng);
    assert_sound(&restore, 3);
    let encrypt = h.encrypt(&lib, 3, &mut rng);
    assert_sound(&encrypt, 3);
    let killed = large.killed + export.killed + restore.killed + encrypt.killed;
    assert!(
        killed >= 6,
        "only {killed} of 14 kills landed while the work ran"
    );
}

#[test]
fn ocr_killed_at_random_resumes_and_reads_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let (h, mut rng) = harness(&dir);
    let scans: Vec<_> = [
        "sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif",
        "sample_pl-part3-helvetica-scanner_Brother_DCP-135C_300dpi.tif",
    ]
    .iter()
    .map(|n| {
        skladnica_tests::corpus()
            .join("ocr_scans/tesseract-polish-2008")
            .join(n)
    })
    .collect();
    let ocr = h.ocr(&scans, 3, &mut rng);
    assert_sound(&ocr, 3);
}
