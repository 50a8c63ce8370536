//! The error every command returns: a stable `code` the UI translates (Polish by default) and
//! the core's own `message`, which names the item (file, document, case) and the reason.

use serde::{Deserialize, Serialize};

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct AppError {
    /// Machine-readable: `busy`, `read_only`, `no_document`, `invalid`, `io`, … (the UI's
    /// translation files hold a sentence for each).
    pub code: String,
    /// What exactly went wrong, naming the item.
    pub message: String,
}

impl AppError {
    /// An error with its code and message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl From<skladnica_core::Error> for AppError {
    fn from(e: skladnica_core::Error) -> Self {
        let code = match &e {
            // A read-only library (another program holds it) is told apart from one that is busy
            // for a moment, so the UI can say which.
            skladnica_core::Error::Busy(_) => "read_only",
            other => other.code(),
        };
        AppError::new(code, e.to_string())
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// A command's result.
pub type CmdResult<T> = Result<T, AppError>;
