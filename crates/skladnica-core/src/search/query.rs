//! The query language that clerks type, parsed into clauses.
//!
//! ```text
//! umowa dzierżawy            every word must match (in any inflected form)
//! "umowa o dzieło"           a phrase (also in other inflected forms)
//! -aneks  -"aneks nr 2"      exclude a word or a phrase
//! tytul:umowa  tytuł:"…"     only in the title (also title:)
//! rok:2024  rok:2020..2024   year of the document's date (also year:)
//! data:2024-03  data:2024-01-01..2024-06-30  data:..2023-12-31   date or range (also date:)
//! rodzaj:decyzja  format:pdf  jrwa:0012     exact facets (also kind:)
//! znak:GKM.6730.15.2014      a sign or number the document carries (case sign, RPW number,
//!                            sender's sign, a reference read from it; also sygn:)
//! nadawca:kowalska           who sent, wrote or receives it, any form (also tworca:, od:)
//! ```
//!
//! A word that the analyzer splits (`OR.0012.3.2026`) is searched as a phrase.

use crate::error::{Error, Result};

/// Where a word or phrase must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title or text.
    Anywhere,
    /// Title only.
    Title,
    /// Sender, author or addressee.
    Party,
}

/// An inclusive range of dates as YYYYMMDD numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day, inclusive.
    pub from: Option<u64>,
    /// Last day, inclusive.
    pub to: Option<u64>,
}

/// A filter on a facet field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Year range, inclusive.
    Year(Option<u64>, Option<u64>),
    /// Date range.
    Date(DateRange),
    /// Kind of document.
    Kind(String),
    /// Format of the original.
    Format(String),
    /// JRWA symbol (or a prefix of it: `jrwa:00`).
    Jrwa(String),
    /// A sign or number the document carries, lower case.
    Sign(String),
}

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Text to find: one word, or several as a phrase.
    Text {
        /// The words as typed.
        text: String,
        /// True for a quoted phrase.
        phrase: bool,
        /// Where.
        scope: Scope,
    },
    /// A facet filter.
    Filter(Filter),
}

/// A clause with its sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The clause.
    pub clause: Clause,
    /// True when documents matching it are excluded.
    pub negated: bool,
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Vec<Part>> {
    let mut parts = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        }
        // A field prefix: letters then ':' then a value.
        let mut field = None;
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_alphabetic() {
            j += 1;
        }
        if j > start && j < chars.len() && chars[j] == ':' && j + 1 < chars.len() {
            let name: String = chars[start..j].iter().collect();
            if let Some(f) = field_name(&name) {
                field = Some(f);
                i = j + 1;
            }
        }
        let (value, quoted) = if chars[i] == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            let v: String = chars[i + 1..end].iter().collect();
            i = (end + 1).min(chars.len());
            (v, true)
        } else {
            let end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |p| i + p);
            let v: String = chars[i..end].iter().collect();
            i = end;
            (v, false)
        };
        if value.trim().is_empty() {
            continue;
        }
        let clause = match field {
            None | Some(Field::Title) | Some(Field::Party) => Clause::Text {
                text: value,
                phrase: quoted,
                scope: match field {
                    Some(Field::Title) => Scope::Title,
                    Some(Field::Party) => Scope::Party,
                    _ => Scope::Anywhere,
                },
            },
            Some(Field::Sign) => Clause::Filter(Filter::Sign(value.to_lowercase())),
            Some(Field::Year) => {
                let (a, b) = range(&value, |s| {
                    s.parse::<u64>().ok().filter(|y| (1000..=9999).contains(y))
                })
                .ok_or_else(|| {
                    Error::Query(format!(
                        "\"{value}\" is not a year or a range of years (2024, 2020..2024)"
                    ))
                })?;
                Clause::Filter(Filter::Year(a, b))
            }
            Some(Field::Date) => {
                let (from, to) = date_range(&value).ok_or_else(|| {
                    Error::Query(format!(
                        "\"{value}\" is not a date or a range of dates (2024-03-15, 2024-03, \
                         2024-01-01..2024-06-30)"
                    ))
                })?;
                Clause::Filter(Filter::Date(DateRange { from, to }))
            }
            Some(Field::Kind) => Clause::Filter(Filter::Kind(value.to_lowercase())),
            Some(Field::Format) => Clause::Filter(Filter::Format(value.to_lowercase())),
            Some(Field::Jrwa) => Clause::Filter(Filter::Jrwa(value)),
        };
        parts.push(Part { clause, negated });
    }
    Ok(parts)
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Party,
    Sign,
    Year,
    Date,
    Kind,
    Format,
    Jrwa,
}

fn field_name(name: &str) -> Option<Field> {
    match name.to_lowercase().as_str() {
        "tytul" | "tytuł" | "title" => Some(Field::Title),
        "rok" | "year" => Some(Field::Year),
        "data" | "date" => Some(Field::Date),
        "rodzaj" | "kind" => Some(Field::Kind),
        "format" => Some(Field::Format),
        "jrwa" => Some(Field::Jrwa),
        "znak" | "sygn" | "sign" => Some(Field::Sign),
        "nadawca" | "tworca" | "twórca" | "od" | "sender" => Some(Field::Party),
        _ => None,
    }
}

/// `a`, `a..b`, `..b`, `a..` with a parser for the ends.
fn range<T: Copy>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Option<(Option<T>, Option<T>)> {
    if let Some((a, b)) = s.split_once("..") {
        let a = if a.is_empty() { None } else { Some(parse(a)?) };
        let b = if b.is_empty() { None } else { Some(parse(b)?) };
        (a.is_some() || b.is_some()).then_some((a, b))
    } else {
        let v = parse(s)?;
        Some((Some(v), Some(v)))
    }
}

/// Dates of a value: a day, a month or a year, or a range of them.
fn date_range(s: &str) -> Option<(Option<u64>, Option<u64>)> {
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let from = if a.is_empty() {
        None
    } else {
        Some(date_bounds(a)?.0)
    };
    let to = if b.is_empty() {
        None
    } else {
        Some(date_bounds(b)?.1)
    };
    (from.is_some() || to.is_some()).then_some((from, to))
}

/// First and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also `DD.MM.YYYY`).
fn date_bounds(s: &str) -> Option<(u64, u64)> {
    let parts: Vec<&str> = if s.contains('.') {
        let mut p: Vec<&str> = s.split('.').collect();
        p.reverse();
        p
    } else {
        s.split('-').collect()
    };
    let num = |p: &str| p.parse::<u64>().ok();
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)?;
            Some((y * 10_000 + 101, y * 10_000 + 1231))
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)?, num(m)?);
            (1..=12)
                .contains(&m)
                .then_some((y * 10_000 + m * 100 + 1, y * 10_000 + m * 100 + 31))
        }
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (num(y)?, num(m)?, num(d)?);
            ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some({
                let v = y * 10_000 + m * 100 + d;
                (v, v)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, phrase: bool, scope: Scope, negated: bool) -> Part {
        Part {
            clause: Clause::Text {
                text: t.into(),
                phrase,
                scope,
            },
            negated,
        }
    }

    #[test]
    fn words_phrases_exclusions_and_fields() {
        let q = parse(r#"umowa "o dzieło" -aneks tytuł:"decyzja nr 5" -rok:2020..2022"#).unwrap();
        assert_eq!(
            q,
            vec![
                text("umowa", false, Scope::Anywhere, false),
                text("o dzieło", true, Scope::Anywhere, false),
                text("aneks", false, Scope::Anywhere, true),
                text("decyzja nr 5", true, Scope::Title, false),
                Part {
                    clause: Clause::Filter(Filter::Year(Some(2020), Some(2022))),
                    negated: true
                },
            ]
        );
    }

    #[test]
    fn dates_and_their_ranges() {
        let q = parse("data:2024-03 data:..2023-12-31 data:15.01.2024").unwrap();
        let dates: Vec<_> = q
            .into_iter()
            .map(|p| match p.clause {
                Clause::Filter(Filter::Date(r)) => (r.from, r.to),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            dates,
            vec![
                (Some(20240301), Some(20240331)),
                (None, Some(20231231)),
                (Some(20240115), Some(20240115))
            ]
        );
    }

    #[test]
    fn bad_filters_get_clear_errors() {
        let e = parse("rok:dwa").unwrap_err().to_string();
        assert!(e.contains("dwa") && e.contains("year"), "{e}");
        assert!(parse("data:2024-13").is_err());
    }

    #[test]
    fn unknown_prefixes_and_lone_signs_are_text() {
        let q = parse("godz:10 - x").unwrap();
        assert_eq!(q[0], text("godz:10", false, Scope::Anywhere, false));
        assert_eq!(q[1], text("-", false, Scope::Anywhere, false));
        assert_eq!(parse("   ").unwrap(), vec![]);
        // An unterminated quote runs to the end.
        assert_eq!(
            parse("\"umowa naj").unwrap(),
            vec![text("umowa naj", true, Scope::Anywhere, false)]
        );
    }
}
