//! Calendar dates: full dates ([`Date`]) and the partial ones letters carry ([`PartialDate`]:
//! "marzec 2024", "2019"), and today's date in Poland.
//!
//! Dates are proleptic Gregorian, counted as days since 1970-01-01 with Howard Hinnant's
//! algorithms; nothing here needs time zones beyond Poland's own (CET/CEST).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (years 1000–9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month as u32
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.day as u32
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(self.year as i64, self.month as u32, self.day as u32)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let (y, m, d) = civil_from_days(days);
        Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        }
    }

    /// 1 January of `year`.
    pub fn january_first(year: i32) -> Date {
        Date {
            year,
            month: 1,
            day: 1,
        }
    }

    /// Today's date in Poland (CET, CEST in summer), from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::in_poland_at(secs)
    }

    /// The date in Poland at `secs` seconds since the Unix epoch: UTC+1, and UTC+2 from 01:00 UTC
    /// on the last Sunday of March to 01:00 UTC on the last Sunday of October (EU summer time).
    pub fn in_poland_at(secs: i64) -> Date {
        let utc_day = Date::from_days(secs.div_euclid(86_400));
        let year = utc_day.year;
        let start = last_sunday(year, 3).days() * 86_400 + 3600;
        let end = last_sunday(year, 10).days() * 86_400 + 3600;
        let offset = if (start..end).contains(&secs) {
            7200
        } else {
            3600
        };
        Date::from_days((secs + offset).div_euclid(86_400))
    }
}

fn last_sunday(year: i32, month: u32) -> Date {
    let last = Date::new(year, month, days_in_month(year, month)).expect("a real date");
    // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
    let weekday = (last.days() + 3).rem_euclid(7);
    Date::from_days(last.days() - (weekday - 6).rem_euclid(7))
}

/// Whether `year` is a leap year.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses `YYYY-MM-DD` (ISO 8601) or `DD.MM.YYYY` (the Polish way).
    fn from_str(s: &str) -> Result<Date> {
        let bad = |reason: &str| Error::Date {
            value: s.to_string(),
            reason: reason.to_string(),
        };
        let t = s.trim();
        let (y, m, d) = if let Some((y, rest)) = t.split_once('-') {
            let (m, d) = rest
                .split_once('-')
                .ok_or_else(|| bad("expected YYYY-MM-DD"))?;
            (y, m, d)
        } else if let Some((d, rest)) = t.split_once('.') {
            let (m, y) = rest
                .split_once('.')
                .ok_or_else(|| bad("expected DD.MM.YYYY"))?;
            (y, m, d)
        } else {
            return Err(bad("expected YYYY-MM-DD or DD.MM.YYYY"));
        };
        let num = |part: &str, what: &str| -> Result<u32> {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("the {what} is not a number")));
            }
            part.parse()
                .map_err(|_| bad(&format!("the {what} is not a number")))
        };
        let (year, month, day) = (num(y, "year")?, num(m, "month")?, num(d, "day")?);
        if y.len() != 4 {
            return Err(bad("the year must have four digits"));
        }
        if !(1..=12).contains(&month) {
            return Err(bad(&format!("there is no month {month}")));
        }
        Date::new(year as i32, month, day).ok_or_else(|| {
            bad(&format!(
                "{}.{:02}.{} does not exist ({} has {} days)",
                day,
                month,
                year,
                MONTH_NAMES[month as usize - 1],
                days_in_month(year as i32, month)
            ))
        })
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

text_serde!(Date);

/// A date that may lack its day or its month: the instrukcja allows partial dates for the date
/// written on a letter (data na piśmie). Written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A year only.
    pub fn year(year: i32) -> Option<PartialDate> {
        (1000..=9999).contains(&year).then_some(PartialDate {
            year,
            month: None,
            day: None,
        })
    }

    /// A year and month.
    pub fn year_month(year: i32, month: u32) -> Option<PartialDate> {
        Date::new(year, month, 1).map(|_| PartialDate {
            year,
            month: Some(month as u8),
            day: None,
        })
    }

    /// The full date, when the day is known.
    pub fn full(self) -> Option<Date> {
        Date::new(self.year, self.month? as u32, self.day? as u32)
    }
}

impl From<Date> for PartialDate {
    fn from(d: Date) -> PartialDate {
        PartialDate {
            year: d.year,
            month: Some(d.month),
            day: Some(d.day),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = Error;

    /// Parses `YYYY`, `YYYY-MM`, `MM.YYYY` or a full date.
    fn from_str(s: &str) -> Result<PartialDate> {
        let t = s.trim();
        let bad = |reason: &str| Error::Date {
            value: s.to_string(),
            reason: reason.to_string(),
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = t.split(['-', '.']).collect();
        match parts.as_slice() {
            [y] if digits(y) && y.len() == 4 => {
                PartialDate::year(y.parse().unwrap_or(0)).ok_or_else(|| bad("no such year"))
            }
            [a, b] if digits(a) && digits(b) => {
                let (y, m) = if a.len() == 4 { (a, b) } else { (b, a) };
                if y.len() != 4 {
                    return Err(bad("the year must have four digits"));
                }
                PartialDate::year_month(y.parse().unwrap_or(0), m.parse().unwrap_or(0))
                    .ok_or_else(|| bad("there is no such month"))
            }
            _ => t.parse::<Date>().map(PartialDate::from),
        }
    }
}

text_serde!(PartialDate);

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc_timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Converts a proleptic Gregorian date to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 10_957, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn parses_iso_and_polish_dates() {
        assert_eq!(
            "2026-03-13".parse::<Date>().unwrap().to_string(),
            "2026-03-13"
        );
        assert_eq!(
            "13.03.2026".parse::<Date>().unwrap().to_string(),
            "2026-03-13"
        );
        assert_eq!(
            "29.02.2024".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn impossible_dates_say_why() {
        let e = "2023-02-29".parse::<Date>().unwrap_err().to_string();
        assert!(e.contains("February has 28 days"), "{e}");
        let e = "2023-13-01".parse::<Date>().unwrap_err().to_string();
        assert!(e.contains("no month 13"), "{e}");
        let e = "1.1.26".parse::<Date>().unwrap_err().to_string();
        assert!(e.contains("four digits"), "{e}");
        assert!("".parse::<Date>().is_err());
        assert!("2023/01/01".parse::<Date>().is_err());
    }

    #[test]
    fn partial_dates() {
        assert_eq!("2019".parse::<PartialDate>().unwrap().to_string(), "2019");
        assert_eq!(
            "03.2024".parse::<PartialDate>().unwrap().to_string(),
            "2024-03"
        );
        assert_eq!(
            "2024-03".parse::<PartialDate>().unwrap().to_string(),
            "2024-03"
        );
        let full = "2024-03-13".parse::<PartialDate>().unwrap();
        assert_eq!(full.full().unwrap().to_string(), "2024-03-13");
        assert!("2024-13".parse::<PartialDate>().is_err());
        assert!("24".parse::<PartialDate>().is_err());
    }

    #[test]
    fn polish_local_date_follows_summer_time() {
        // 2026-03-29 is the last Sunday of March: CEST from 01:00 UTC.
        let before = Date::new(2026, 3, 28).unwrap().days() * 86_400 + 22 * 3600 + 59 * 60;
        assert_eq!(Date::in_poland_at(before).to_string(), "2026-03-28"); // 23:59 CET
        let winter_evening = Date::new(2026, 1, 10).unwrap().days() * 86_400 + 23 * 3600 + 30 * 60;
        assert_eq!(Date::in_poland_at(winter_evening).to_string(), "2026-01-11"); // 00:30 CET
        let summer_evening = Date::new(2026, 7, 10).unwrap().days() * 86_400 + 22 * 3600 + 30 * 60;
        assert_eq!(Date::in_poland_at(summer_evening).to_string(), "2026-07-11"); // 00:30 CEST
        let summer_before = Date::new(2026, 7, 10).unwrap().days() * 86_400 + 21 * 3600 + 30 * 60;
        assert_eq!(Date::in_poland_at(summer_before).to_string(), "2026-07-10"); // 23:30 CEST
        assert_eq!(last_sunday(2026, 10).to_string(), "2026-10-25");
    }
}
