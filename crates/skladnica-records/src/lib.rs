//! The records domain of a Polish gmina office, as the law defines it (`../shared/DOMAIN.md`).
//!
//! Pure rules, no storage: the JRWA file plan and its CSV format ([`jrwa`]), archival categories
//! ([`category`]), case signs (znak sprawy, [`sign`]), when a closed case may be destroyed,
//! reviewed or transferred ([`retention`]), and calendar dates with the partial dates that
//! letters carry ([`date`]), the incoming register's items ([`rpw`]), and document metadata as
//! the NES elements, written in the archives' XML schemas ([`nes`]). `skladnica-core` stores
//! what these describe.

/// `TryFrom<String>` through `FromStr` and `From<T> for String` through `Display`, so that
/// serde reads and writes a type as its text (`#[serde(try_from = "String", into = "String")]`).
macro_rules! text_serde {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = crate::Error;
            fn try_from(s: String) -> crate::Result<$t> {
                s.parse()
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.to_string()
            }
        }
    };
}

pub mod category;
pub mod date;
pub mod error;
pub mod extract;
pub mod ids;
pub mod jrwa;
pub mod nes;
pub mod party;
pub mod retention;
pub mod rpw;
pub mod sign;
pub mod suggest;

pub use category::Category;
pub use date::{Date, PartialDate};
pub use error::{Error, Result};
pub use jrwa::{Jrwa, JrwaClass};
pub use nes::NesDocument;
pub use party::{Access, Address, Party};
pub use rpw::{IncomingItem, RpwNumber};
pub use sign::CaseSign;

/// Lower case without Polish diacritics, for matching words people type.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}
