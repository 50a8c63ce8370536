//! The office's registers in the library: the JRWA in versions ([`jrwa`]), organisational units
//! and cases with their spis spraw ([`cases`]), and what is due for closed cases
//! ([`retention`]). The rules come from `skladnica-records`; this module stores and checks.

pub mod cases;
pub mod jrwa;
pub mod retention;

pub use cases::{CaseDetails, NewCaseRequest};
pub use jrwa::{JrwaHit, JrwaImport, install_builtin_jrwa};
pub use retention::RetentionItem;
