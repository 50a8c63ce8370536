//! Case signs (znak sprawy), as the instrukcja kancelaryjna writes them: the unit's code, the
//! JRWA end class, the case's number from the spis spraw and the four-digit year the case began,
//! separated by dots, then optional parts (a sub-folder number, the handler's initials). A hyphen
//! only joins a unit and its sub-unit: `OR.0012.3.2026`, `ABC-A.123.77.3.2011.JW`.
//!
//! Numbers between the case number and the year (the `.3` of the instrukcja's example) are kept
//! as sub-numbers, so every sign that parses is written back exactly as it was.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A parsed, valid case sign.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseSign {
    /// The unit code, with sub-units joined by hyphens (`ABC-A`).
    pub unit: String,
    /// The JRWA symbol of the end class.
    pub jrwa: String,
    /// The case's number in the spis spraw.
    pub number: u32,
    /// Further numbers between the case number and the year.
    pub sub_numbers: Vec<u32>,
    /// The year the case began.
    pub year: i32,
    /// Parts after the year: sub-folder numbers, the handler's initials.
    pub extra: Vec<String>,
}

impl CaseSign {
    /// The sign of case `number` of `year` in `unit` under JRWA class `jrwa`, checked.
    pub fn new(unit: &str, jrwa: &str, number: u32, year: i32) -> Result<CaseSign> {
        let sign = CaseSign {
            unit: unit.to_string(),
            jrwa: jrwa.to_string(),
            number,
            sub_numbers: Vec::new(),
            year,
            extra: Vec::new(),
        };
        // Validate by the one set of rules: the written form must parse back to itself.
        let text = sign.to_string();
        let parsed: CaseSign = text.parse()?;
        debug_assert_eq!(parsed, sign);
        Ok(parsed)
    }
}

impl fmt::Display for CaseSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.unit, self.jrwa, self.number)?;
        for n in &self.sub_numbers {
            write!(f, ".{n}")?;
        }
        write!(f, ".{:04}", self.year)?;
        for e in &self.extra {
            write!(f, ".{e}")?;
        }
        Ok(())
    }
}

/// Whether `code` is a valid unit code: letters and digits starting with a letter, sub-units
/// joined by single hyphens (`OR`, `GKM`, `USC`, `ABC-A`, `OŚ`).
pub fn check_unit_code(code: &str) -> std::result::Result<(), String> {
    if code.is_empty() {
        return Err("the unit code is empty".into());
    }
    for (i, part) in code.split('-').enumerate() {
        if part.is_empty() {
            return Err(format!(
                "unit code \"{code}\": a hyphen only joins a unit and its sub-unit (\"ABC-A\")"
            ));
        }
        if !part.chars().all(|c| c.is_alphanumeric()) {
            return Err(format!(
                "unit code \"{code}\" may hold only letters and digits (and a hyphen before a sub-unit)"
            ));
        }
        if i == 0 && !part.chars().next().is_some_and(char::is_alphabetic) {
            return Err(format!("unit code \"{code}\" must begin with a letter"));
        }
    }
    if code.chars().any(char::is_lowercase) {
        return Err(format!(
            "unit code \"{code}\" is written in capitals (\"{}\")",
            code.to_uppercase()
        ));
    }
    Ok(())
}

impl FromStr for CaseSign {
    type Err = Error;

    fn from_str(s: &str) -> Result<CaseSign> {
        let fail = |reason: String| Error::Sign {
            sign: s.to_string(),
            reason,
        };
        if s.trim().is_empty() {
            return Err(fail("it is empty".into()));
        }
        if s.trim() != s || s.chars().any(char::is_whitespace) {
            return Err(fail("it must not contain spaces".into()));
        }
        if let Some(c) = s
            .chars()
            .find(|c| !c.is_alphanumeric() && *c != '.' && *c != '-')
        {
            return Err(fail(format!(
                "'{c}' is not allowed: the parts are separated by dots (OR.0012.3.2026)"
            )));
        }
        let parts: Vec<&str> = s.split('.').collect();
        if let Some(i) = parts.iter().position(|p| p.is_empty()) {
            return Err(fail(if i == parts.len() - 1 {
                "it ends with a dot".into()
            } else {
                "it has an empty part (two dots, or a leading dot)".into()
            }));
        }
        if let Some(p) = parts[1..].iter().find(|p| p.contains('-')) {
            return Err(fail(format!(
                "\"{p}\": a hyphen only joins a unit and its sub-unit, the other parts are \
                 separated by dots"
            )));
        }
        if parts.len() < 4 {
            return Err(fail(format!(
                "it has {} parts; a sign has at least four: unit, JRWA symbol, case number, \
                 year (OR.0012.3.2026)",
                parts.len()
            )));
        }
        check_unit_code(parts[0]).map_err(fail)?;
        let jrwa = parts[1];
        if !jrwa.bytes().all(|b| b.is_ascii_digit()) || jrwa.len() > 4 {
            return Err(fail(format!(
                "\"{jrwa}\" is not a JRWA symbol (one to four digits) in the second part"
            )));
        }
        // The year: the first four-digit number after the case number.
        let is_number = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        let year_at = parts
            .iter()
            .enumerate()
            .skip(3)
            .find(|(_, p)| p.len() == 4 && is_number(p))
            .map(|(i, _)| i);
        let Some(year_at) = year_at else {
            let two_digit = parts[3..].iter().find(|p| p.len() == 2 && is_number(p));
            return Err(fail(match two_digit {
                Some(y) => format!("the year must have four digits (20{y}, not {y})"),
                None => "no four-digit year after the case number".into(),
            }));
        };
        let mut numbers = Vec::new();
        for p in &parts[2..year_at] {
            if !is_number(p) || p.len() > 7 {
                return Err(fail(format!(
                    "\"{p}\" is not a case number; the case number from the spis spraw comes \
                     after the JRWA symbol, then the year"
                )));
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(fail(format!("the case number \"{p}\" has a leading zero")));
            }
            let n: u32 = p
                .parse()
                .map_err(|_| fail(format!("\"{p}\" is not a number")))?;
            if n == 0 {
                return Err(fail("case numbers start at 1".into()));
            }
            numbers.push(n);
        }
        let year: i32 = parts[year_at].parse().unwrap_or(0);
        if !(1900..=2199).contains(&year) {
            return Err(fail(format!("{year} is not a plausible year")));
        }
        let extra: Vec<String> = parts[year_at + 1..].iter().map(|p| p.to_string()).collect();
        Ok(CaseSign {
            unit: parts[0].to_string(),
            jrwa: jrwa.to_string(),
            number: numbers[0],
            sub_numbers: numbers[1..].to_vec(),
            year,
            extra,
        })
    }
}

text_serde!(CaseSign);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_back_the_instrukcja_examples() {
        for text in [
            "OR.0012.3.2026",
            "ABC-A.123.77.3.2011.JW",
            "GKM.6730.15.2024",
            "USC.5351.1.2025.AK",
            "OŚ.6131.204.2023.2.MN",
            "GRO.271.2.2014",
        ] {
            let sign: CaseSign = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(sign.to_string(), text);
        }
        let s: CaseSign = "ABC-A.123.77.3.2011.JW".parse().unwrap();
        assert_eq!(
            (s.unit.as_str(), s.jrwa.as_str(), s.number),
            ("ABC-A", "123", 77)
        );
        assert_eq!(
            (s.sub_numbers.clone(), s.year, s.extra.clone()),
            (vec![3], 2011, vec!["JW".to_string()])
        );
        let s: CaseSign = "OR.0012.3.2026".parse().unwrap();
        assert_eq!((s.number, s.year), (3, 2026));
    }

    #[test]
    fn new_builds_and_checks() {
        assert_eq!(
            CaseSign::new("OR", "0012", 3, 2026).unwrap().to_string(),
            "OR.0012.3.2026"
        );
        assert!(CaseSign::new("or", "0012", 3, 2026).is_err());
        assert!(CaseSign::new("OR", "00123", 3, 2026).is_err());
        assert!(CaseSign::new("OR", "0012", 0, 2026).is_err());
    }

    #[test]
    fn rejects_malformed_signs_with_a_reason() {
        for (text, reason) in [
            ("", "empty"),
            ("OR 0012.3.2026", "spaces"),
            ("OR/0012/3/2026", "separated by dots"),
            ("OR.0012.3", "at least four"),
            ("OR.0012.3.26", "four digits (2026, not 26)"),
            ("OR.0012-3.2026", "hyphen only joins"),
            ("-OR.0012.3.2026", "hyphen only joins"),
            ("OR-.0012.3.2026", "hyphen only joins"),
            ("OR.12a.3.2026", "not a JRWA symbol"),
            ("OR.00123.3.2026", "not a JRWA symbol"),
            ("OR.0012.X.2026", "not a case number"),
            ("OR.0012.0.2026", "start at 1"),
            ("OR.0012.03.2026", "leading zero"),
            ("OR..3.2026", "empty part"),
            ("OR.0012.3.2026.", "ends with a dot"),
            ("0R.0012.3.2026", "begin with a letter"),
            ("or.0012.3.2026", "capitals"),
            ("OR.0012.3.1234", "plausible"),
        ] {
            let e = text.parse::<CaseSign>().unwrap_err().to_string();
            assert!(e.contains(reason), "{text:?}: {e}");
        }
    }
}
