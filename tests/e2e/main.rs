//! End-to-end tests: the real `skladnica` binary on real files, in temporary libraries.
//!
//! Modules:
//! - `extraction`: metadata read from the text at import and after OCR, the clerk's values
//!   kept, personal data masked.
//! - `import`: born-digital PDFs, images, multi-page TIFF, dedupe, the JSON contract.
//! - `fuzz_corpora`: the cargo-fuzz targets' kept corpora and crash inputs replayed.
//! - `hostile`: the committed hostile-input corpus, each file's answer, bounded time and memory.
//! - `bad_input`: every kind of bad file named in the import contract, one clear error each.
//! - `search`: Polish inflection, diacritics, phrases, exclusions, filters, facets, fuzzy.
//! - `maintenance`: reindex, check and repair, index catch-up after a crash between commits.
//! - `nes`: metadata XML valid against Metadane 1.7 and NES 2.0 (xmllint), from the model
//!   and from `skladnica meta xml`.
//! - `ocr`: real scans read by Tesseract, the queue, redo, languages.
//! - `scan`: SANE's test, pnm and net devices: ADF batches, profiles, a scanner lost mid-batch.
//! - `records`: the JRWA (shipped, imported, versions), units, cases and the spis spraw,
//!   retention lists, and every malformed input they can get.
//! - `searchable_pdf`: scans as PDFs with an invisible OCR text layer, read back by pdftotext.
//! - `watch`: the hot folder.
//! - `operators`: profiles, roles and passwords, the sign-in every change needs; removal with a
//!   reason and brakowanie of due cases only.
//! - `crash_ops`: a large file's import, OCR, an export and a restore killed at random (a few
//!   trials each; `skladnica-crash-bench` runs hundreds).
//! - `disk_full`: the library's disk and an export's carrier filling up (tmpfs in a mount
//!   namespace): each failure named, nothing corrupt, the work finished once there is room.
//! - `crash`: an import killed at random moments leaves a clean library.
//! - `sync`: letters sent to the EZD simulator (the official contract checked on every call)
//!   through faults: nothing lost, nothing sent twice.

mod audit;
mod bad_input;
mod crash;
mod crash_ops;
mod disk_full;
mod encryption;
mod export;
mod export_targets;
mod extraction;
mod fuzz_corpora;
mod harness;
mod hostile;
mod import;
mod maintenance;
mod nes;
mod network;
mod ocr;
mod operators;
mod records;
mod scan;
mod search;
mod searchable_pdf;
mod sync;
mod watch;
