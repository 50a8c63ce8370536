//! When a closed case's records may leave the office: destroyed (B*n*, with the state archive's
//! consent), reviewed by the state archive (BE*n*), or transferred to it (A, after 25 years).
//!
//! Periods are counted in full years from 1 January of the year after the case closed: a B5
//! case closed on 10 May 2020 may be destroyed from 1 January 2026.

use serde::Serialize;

use crate::category::Category;
use crate::date::Date;

/// How many years archival material (A) stays in the office's archive before its transfer to
/// the state archive.
pub const A_TRANSFER_YEARS: i32 = 25;

/// What becomes due for a closed case, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "from", rename_all = "snake_case")]
pub enum Due {
    /// B*n*: may be destroyed (brakowanie), with the archive's consent, from this date.
    Destroy(Date),
    /// BE*n*: the state archive reviews it (ekspertyza) from this date.
    Review(Date),
    /// A: transferred to the state archive from this date.
    Transfer(Date),
    /// Bc: may be destroyed once no longer of use, from the day the case closed.
    DestroyWhenUnused(Date),
    /// B\*: the period comes from another law; the office must set it.
    PeriodFromOtherLaw,
}

impl Due {
    /// The date from which the action is due, if the category fixes one.
    pub fn from(self) -> Option<Date> {
        match self {
            Due::Destroy(d) | Due::Review(d) | Due::Transfer(d) | Due::DestroyWhenUnused(d) => {
                Some(d)
            }
            Due::PeriodFromOtherLaw => None,
        }
    }

    /// The action's name in the registers' vocabulary.
    pub fn action(self) -> &'static str {
        match self {
            Due::Destroy(_) | Due::DestroyWhenUnused(_) => "destroy",
            Due::Review(_) => "review",
            Due::Transfer(_) => "transfer",
            Due::PeriodFromOtherLaw => "set period",
        }
    }
}

/// What is due for records of `category` whose case closed on `closed`.
pub fn due(category: Category, closed: Date) -> Due {
    let after = |years: i32| Date::january_first(closed.year() + 1 + years);
    match category {
        Category::A => Due::Transfer(after(A_TRANSFER_YEARS)),
        Category::B(n) => Due::Destroy(after(n as i32)),
        Category::BE(n) => Due::Review(after(n as i32)),
        Category::Bc => Due::DestroyWhenUnused(closed),
        Category::BStar => Due::PeriodFromOtherLaw,
    }
}

/// Whether the action for `category` is due on `today` for a case closed on `closed`.
pub fn is_due(category: Category, closed: Date, today: Date) -> bool {
    due(category, closed)
        .from()
        .is_some_and(|from| from <= today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn counts_full_years_from_the_next_first_of_january() {
        assert_eq!(
            due(Category::B(5), d("2020-05-10")),
            Due::Destroy(d("2026-01-01"))
        );
        assert_eq!(
            due(Category::B(5), d("2020-12-31")),
            Due::Destroy(d("2026-01-01"))
        );
        assert_eq!(
            due(Category::B(5), d("2021-01-01")),
            Due::Destroy(d("2027-01-01"))
        );
        assert_eq!(
            due(Category::BE(10), d("2015-03-01")),
            Due::Review(d("2026-01-01"))
        );
        assert_eq!(
            due(Category::A, d("2000-06-30")),
            Due::Transfer(d("2026-01-01"))
        );
        assert_eq!(
            due(Category::Bc, d("2024-02-02")),
            Due::DestroyWhenUnused(d("2024-02-02"))
        );
        assert_eq!(
            due(Category::BStar, d("2024-02-02")),
            Due::PeriodFromOtherLaw
        );
    }

    #[test]
    fn due_on_the_day_not_before() {
        assert!(!is_due(Category::B(5), d("2020-05-10"), d("2025-12-31")));
        assert!(is_due(Category::B(5), d("2020-05-10"), d("2026-01-01")));
        assert!(!is_due(Category::BStar, d("1990-01-01"), d("2026-01-01")));
    }
}
