//! The one error type of this crate: what was wrong with which value, in words a clerk can act on.

use thiserror::Error;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A value that breaks a rule of the records domain.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A case sign (znak sprawy) that is not in the instrukcja's format.
    #[error("case sign \"{sign}\": {reason}")]
    Sign {
        /// The sign as given.
        sign: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An RPW number that is not written as one.
    #[error("RPW number \"{value}\": {reason}")]
    Rpw {
        /// The number as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An archival category mark that is none of A, Bn, BEn, Bc, B*.
    #[error(
        "archival category \"{value}\" is unknown (expected A, Bn, BEn, Bc or B*, e.g. B5, BE10)"
    )]
    Category {
        /// The mark as given.
        value: String,
    },
    /// A date that does not exist or is not written as a date.
    #[error("date \"{value}\": {reason}")]
    Date {
        /// The date as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A JRWA file that cannot be loaded; every problem found is listed.
    #[error("{}", jrwa_problems(.file, .problems))]
    Jrwa {
        /// The file or source name.
        file: String,
        /// The problems, each naming its line.
        problems: Vec<String>,
    },
}

fn jrwa_problems(source: &str, problems: &[String]) -> String {
    const SHOWN: usize = 20;
    let noun = if problems.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    let mut out = format!("{source}: not loaded, {} {noun}:", problems.len());
    for p in problems.iter().take(SHOWN) {
        out.push_str("\n  ");
        out.push_str(p);
    }
    if problems.len() > SHOWN {
        out.push_str(&format!("\n  … and {} more", problems.len() - SHOWN));
    }
    out
}
