//! People and institutions as the metadata standards describe them (NES `podmiot`): a person by
//! surname and first names, an institution by name, each with postal addresses; and the access a
//! document is open to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A postal address. The instrukcja requires the town (miejscowość) and the country.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Kod pocztowy, e.g. `30-001`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Poczta, where it differs from the town.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_office: Option<String>,
    /// Miejscowość.
    pub town: String,
    /// Ulica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Numer budynku.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    /// Numer lokalu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<String>,
    /// The country as an ISO 3166 alpha-2 code (`PL`).
    pub country: String,
}

/// A person or an institution (NES `podmiot`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Party {
    /// A natural person.
    Person {
        /// Nazwisko.
        surname: String,
        /// Imiona, in order.
        first_names: Vec<String>,
        /// Addresses.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        addresses: Vec<Address>,
    },
    /// An institution, company or office.
    Institution {
        /// Nazwa.
        name: String,
        /// Addresses.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        addresses: Vec<Address>,
    },
}

impl Party {
    /// The name as people write it: "Jan Maria Kowalski", "Urząd Gminy Iwanowice".
    pub fn display_name(&self) -> String {
        match self {
            Party::Person {
                surname,
                first_names,
                ..
            } => {
                let mut parts: Vec<&str> = first_names.iter().map(String::as_str).collect();
                parts.push(surname);
                parts.join(" ")
            }
            Party::Institution { name, .. } => name.clone(),
        }
    }

    /// The addresses.
    pub fn addresses(&self) -> &[Address] {
        match self {
            Party::Person { addresses, .. } | Party::Institution { addresses, .. } => addresses,
        }
    }
}

/// Who may see a document (NES 2.0 `dostepnosc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Publiczny: anyone.
    Public,
    /// Niepubliczny: the office; what letters from citizens usually are.
    #[default]
    NonPublic,
    /// Wyłączony: excluded from access (classified, protected by law).
    Excluded,
}

impl Access {
    /// The NES 2.0 word.
    pub fn nes20(self) -> &'static str {
        match self {
            Access::Public => "publiczny",
            Access::NonPublic => "niepubliczny",
            Access::Excluded => "wyłączony",
        }
    }

    /// The NDAP 1.7 word: what of the document may be shown (everything, metadata only,
    /// nothing).
    pub fn ndap17(self) -> &'static str {
        match self {
            Access::Public => "wszystko",
            Access::NonPublic => "metadane",
            Access::Excluded => "niedostepne",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.nes20())
    }
}

impl FromStr for Access {
    type Err = String;
    fn from_str(s: &str) -> Result<Access, String> {
        match crate::fold(s.trim()).as_str() {
            "publiczny" | "public" => Ok(Access::Public),
            "niepubliczny" | "non_public" | "nonpublic" => Ok(Access::NonPublic),
            "wylaczony" | "excluded" => Ok(Access::Excluded),
            _ => Err(format!(
                "access \"{s}\" is none of publiczny, niepubliczny, wyłączony"
            )),
        }
    }
}

/// Countries by their Polish names, for the addresses clerks type; anything else is given as its
/// ISO 3166 alpha-2 code.
const COUNTRIES: &[(&str, &str)] = &[
    ("polska", "PL"),
    ("niemcy", "DE"),
    ("czechy", "CZ"),
    ("slowacja", "SK"),
    ("ukraina", "UA"),
    ("litwa", "LT"),
    ("bialorus", "BY"),
    ("rosja", "RU"),
    ("austria", "AT"),
    ("francja", "FR"),
    ("wielka brytania", "GB"),
    ("holandia", "NL"),
    ("niderlandy", "NL"),
    ("belgia", "BE"),
    ("wlochy", "IT"),
    ("hiszpania", "ES"),
    ("szwecja", "SE"),
    ("norwegia", "NO"),
    ("dania", "DK"),
    ("irlandia", "IE"),
    ("stany zjednoczone", "US"),
    ("usa", "US"),
    ("kanada", "CA"),
];

/// The ISO 3166 alpha-2 code of a country given by code (`pl`, `PL`) or Polish name (`Polska`).
pub fn country_code(input: &str) -> Result<String, String> {
    let t = input.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(t.to_ascii_uppercase());
    }
    let key = crate::fold(t);
    COUNTRIES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, code)| code.to_string())
        .ok_or_else(|| {
            format!("country \"{t}\" is not known; give its two-letter ISO code (e.g. DE)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_code_or_polish_name() {
        assert_eq!(country_code("Polska").unwrap(), "PL");
        assert_eq!(country_code(" pl ").unwrap(), "PL");
        assert_eq!(country_code("Białoruś").unwrap(), "BY");
        assert!(
            country_code("Atlantyda")
                .unwrap_err()
                .contains("two-letter")
        );
    }

    #[test]
    fn access_words() {
        assert_eq!("wyłączony".parse::<Access>().unwrap(), Access::Excluded);
        assert_eq!("Publiczny".parse::<Access>().unwrap().ndap17(), "wszystko");
        assert!("tajny".parse::<Access>().is_err());
    }

    #[test]
    fn display_names() {
        let p = Party::Person {
            surname: "Kowalski".into(),
            first_names: vec!["Jan".into(), "Maria".into()],
            addresses: vec![],
        };
        assert_eq!(p.display_name(), "Jan Maria Kowalski");
    }
}
