//! The Składnica core: a library of documents on one PC.
//!
//! A [`Library`] is a folder holding the SQLite system of record, a content-addressed blob store
//! of originals and a tantivy full-text index with Polish analysis. This crate imports files into
//! it ([`ingest`]), searches it ([`search`]), keeps its records registers (JRWA, cases:
//! [`records`]) and checks it ([`check`]). It knows nothing of
//! windows or terminals: progress comes back through callbacks, cancellation goes in as a flag.

pub mod audit;
pub mod blobs;
pub mod capture;
pub mod check;
pub mod crypt;
pub mod db;
pub mod encrypt;
pub mod error;
pub mod export;
pub mod ingest;
pub mod keystore;
pub mod library;
pub mod ocr;
pub mod operators;
pub mod preview;
pub mod records;
pub mod removal;
pub mod review;
pub mod search;
pub mod searchable_pdf;
pub mod sync;
pub mod watch;

#[cfg(test)]
pub(crate) mod test_support;

pub use error::{Error, Rejection, Result};
pub use library::{Library, Recovery};

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

impl Library {
    /// Imports files and folders; see [`ingest`].
    pub fn import(
        &mut self,
        inputs: &[PathBuf],
        opts: &ingest::ImportOptions,
        on_event: &mut dyn FnMut(&ingest::ImportEvent),
        cancel: &AtomicBool,
    ) -> Result<ingest::ImportReport> {
        ingest::run(self, inputs, opts, on_event, cancel)
    }

    /// Searches; see [`search`].
    pub fn search(
        &self,
        query: &str,
        opts: &search::SearchOptions,
    ) -> Result<search::SearchResults> {
        search::search(self, query, opts)
    }

    /// Checks (and with `repair` fixes) the library; see [`check`].
    pub fn check(&mut self, repair: bool) -> Result<check::CheckReport> {
        check::run(self, repair)
    }
}
