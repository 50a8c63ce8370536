//! The office's registers in the library: the JRWA in versions ([`jrwa`]), organisational
//! units and cases with their spis spraw and documents ([`cases`]), the incoming register
//! ([`rpw`]), what is due for closed cases ([`retention`]), the metadata clerks confirm
//! ([`meta`]), what the extractors read from each document's text ([`extraction`]) and each
//! document's metadata as NES for the archives ([`nes`]). The rules come
//! from `skladnica-records`; this module stores and checks.

pub mod cases;
pub mod extraction;
pub mod jrwa;
pub mod meta;
pub mod nes;
pub mod retention;
pub mod rpw;

pub use cases::{CaseDetails, NewCaseRequest};
pub use jrwa::{JrwaHit, JrwaImport, JrwaSuggestion, install_builtin_jrwa};
pub use retention::RetentionItem;
pub use rpw::{IncomingForm, RegisterRequest, Registered};
