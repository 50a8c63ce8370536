//! The records domain of a Polish gmina office, as the law defines it (`../shared/DOMAIN.md`).
//!
//! Pure rules, no storage: the JRWA file plan and its CSV format ([`jrwa`]), archival categories
//! ([`category`]), case signs (znak sprawy, [`sign`]), when a closed case may be destroyed,
//! reviewed or transferred ([`retention`]), and calendar dates with the partial dates that
//! letters carry ([`date`]). `skladnica-core` stores what these describe.

pub mod category;
pub mod date;
pub mod error;
pub mod jrwa;
pub mod retention;
pub mod sign;

pub use category::Category;
pub use date::{Date, PartialDate};
pub use error::{Error, Result};
pub use jrwa::{Jrwa, JrwaClass};
pub use sign::CaseSign;
