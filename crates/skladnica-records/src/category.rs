//! Archival categories (kategorie archiwalne): A for archival material kept for ever, B*n* for
//! records destroyed *n* years after their case closed, BE*n* for records reviewed by the state
//! archive after *n* years, Bc for short-lived records, and B\* where another law sets the period.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// An archival category mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Category {
    /// Materiały archiwalne: kept for ever, transferred to the state archive.
    A,
    /// Destroyed `n` full years after 1 January of the year after the case closed.
    B(u16),
    /// Reviewed by the state archive after `n` years; may become A.
    BE(u16),
    /// Short-lived records, destroyed once they are no longer of use.
    Bc,
    /// B with the period set by another law (the JRWA marks it B\*).
    BStar,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Category::A => f.write_str("A"),
            Category::B(n) => write!(f, "B{n}"),
            Category::BE(n) => write!(f, "BE{n}"),
            Category::Bc => f.write_str("Bc"),
            Category::BStar => f.write_str("B*"),
        }
    }
}

impl FromStr for Category {
    type Err = Error;

    /// Parses a mark as JRWAs write it: `A`, `B5`, `B-5`, `BE10`, `BE-10`, `Bc`, `B*`
    /// (surrounding spaces ignored; letters in either case).
    fn from_str(s: &str) -> Result<Category> {
        let bad = || Error::Category {
            value: s.to_string(),
        };
        let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let upper = t.to_uppercase();
        match upper.as_str() {
            "A" => return Ok(Category::A),
            "BC" => return Ok(Category::Bc),
            "B*" => return Ok(Category::BStar),
            _ => {}
        }
        let (rest, review) = if let Some(r) = upper.strip_prefix("BE") {
            (r, true)
        } else if let Some(r) = upper.strip_prefix('B') {
            (r, false)
        } else {
            return Err(bad());
        };
        let digits = rest.strip_prefix('-').unwrap_or(rest);
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u16 = digits.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        Ok(if review {
            Category::BE(n)
        } else {
            Category::B(n)
        })
    }
}

text_serde!(Category);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_marks_jrwas_use() {
        for (text, want) in [
            ("A", Category::A),
            ("B5", Category::B(5)),
            ("B-10", Category::B(10)),
            ("BE5", Category::BE(5)),
            ("BE-50", Category::BE(50)),
            ("be10", Category::BE(10)),
            ("Bc", Category::Bc),
            (" B* ", Category::BStar),
        ] {
            assert_eq!(text.parse::<Category>().unwrap(), want, "{text}");
        }
        assert_eq!(Category::BE(10).to_string(), "BE10");
    }

    #[test]
    fn rejects_what_is_not_a_category() {
        for text in [
            "", "C", "B", "BE", "B0", "BS", "BIO", "B-", "A5", "B5x", "B1000",
        ] {
            let e = text.parse::<Category>().unwrap_err();
            assert!(e.to_string().contains("unknown"), "{text}: {e}");
        }
    }
}
