//! The error type of the core library: every variant says which item it concerns.
//!
//! Library-level failures ([`Error`]) stop an operation. Failures of one input file during an
//! import are [`Rejection`]s: reported with the file's path, while the rest of the batch goes on.

use std::fmt;
use std::path::{Path, PathBuf};

/// A result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file-system operation failed on `path`.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// SQLite failed while doing `context`.
    #[error("database error while {context}: {source}")]
    Sqlite {
        /// What was being done.
        context: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer Składnica.
    #[error(
        "{path}: the library database has schema version {found}, newer than this program \
         supports ({supported}); install a newer Składnica to open it"
    )]
    NewerDatabase {
        /// The database file.
        path: PathBuf,
        /// Its `user_version`.
        found: u32,
        /// The newest this code knows.
        supported: u32,
    },
    /// The database file is damaged or not a database.
    #[error(
        "{path}: the library database is damaged or is not a Składnica database ({detail}); \
         restore it from a backup"
    )]
    CorruptDatabase {
        /// The database file.
        path: PathBuf,
        /// SQLite's words.
        detail: String,
    },
    /// No library at the path (and it was not to be created).
    #[error("{0}: no Składnica library here; create one with `skladnica init`")]
    NoLibrary(PathBuf),
    /// The library is encrypted and its key is neither in this computer's keyring nor given.
    #[error(
        "{0}: the library is encrypted and its key is not in this computer's keyring; unlock it \
         with the recovery passphrase (`skladnica unlock`, or SKLADNICA_LIBRARY_PASSPHRASE)"
    )]
    Locked(PathBuf),
    /// The full-text index failed.
    #[error("search index error while {context}: {source}")]
    Index {
        /// What was being done.
        context: String,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
    /// A search query could not be understood.
    #[error("invalid query: {0}")]
    Query(String),
    /// No document with this id.
    #[error("no document with id {0}")]
    NoDocument(i64),
    /// OCR cannot run (a missing language, Tesseract failing to start).
    #[error("{0}")]
    Ocr(String),
    /// The library's folder cannot be written: no permission, or read-only media.
    #[error(
        "{0}: the library folder cannot be written (no permission to write there, or a read-only \
         disk); choose a folder you may write to, or ask for write access"
    )]
    NotWritable(PathBuf),
    /// Another program is writing to the library.
    #[error(
        "{0}: another Składnica program is importing into or repairing this library; try again \
         when it has finished"
    )]
    Busy(PathBuf),
    /// Scanning failed (no scanner, an option it lacks, a device error before any page).
    #[error("{0}")]
    Scan(String),
    /// A document's searchable PDF cannot be made.
    #[error("document {document}: no searchable PDF: {reason}")]
    SearchablePdf {
        /// The document.
        document: i64,
        /// Why.
        reason: String,
    },
    /// The operation was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// A records value (case sign, JRWA file, category, date) breaks the law's rules.
    #[error(transparent)]
    Records(#[from] skladnica_records::Error),
    /// A case, unit or JRWA class that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// What would be created exists already (a case number, a unit code in those years).
    #[error("{0}")]
    Conflict(String),
    /// A request the records rules do not allow (a case under a class with sub-classes, closing
    /// before opening).
    #[error("{0}")]
    Invalid(String),
    /// The operator signed in may not do this (or nobody is signed in to a library with
    /// operator profiles).
    #[error("{0}")]
    Forbidden(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// A SQLite error while doing `context`.
    pub fn sqlite(context: impl Into<String>, source: rusqlite::Error) -> Self {
        // The audit triggers refuse a change nobody signed in for: said as such, not as a
        // database failure.
        if source.to_string().contains(crate::audit::NO_OPERATOR) {
            return Error::Forbidden(format!("{}: {}", context.into(), crate::audit::NO_OPERATOR));
        }
        Error::Sqlite {
            context: context.into(),
            source,
        }
    }

    /// A tantivy error while doing `context`.
    pub fn index(context: impl Into<String>, source: tantivy::TantivyError) -> Self {
        Error::Index {
            context: context.into(),
            source,
        }
    }

    /// A stable machine-readable code, for scripts and the UI's translations.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Sqlite { .. } => "database",
            Error::NewerDatabase { .. } => "newer_database",
            Error::CorruptDatabase { .. } => "corrupt_database",
            Error::NoLibrary(_) => "no_library",
            Error::Locked(_) => "locked",
            Error::NotWritable(_) => "not_writable",
            Error::Index { .. } => "index",
            Error::Query(_) => "query",
            Error::NoDocument(_) => "no_document",
            Error::Busy(_) => "busy",
            Error::Ocr(_) => "ocr",
            Error::SearchablePdf { .. } => "searchable_pdf",
            Error::Scan(_) => "scan",
            Error::Cancelled => "cancelled",
            Error::Records(e) => match e {
                skladnica_records::Error::Sign { .. } => "invalid_sign",
                skladnica_records::Error::Rpw { .. } => "invalid_rpw_number",
                skladnica_records::Error::Category { .. } => "invalid_category",
                skladnica_records::Error::Date { .. } => "invalid_date",
                skladnica_records::Error::Jrwa { .. } => "invalid_jrwa",
            },
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::Invalid(_) => "invalid",
            Error::Forbidden(_) => "forbidden",
        }
    }
}

/// Why one input file was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The file could not be read.
    Unreadable(String),
    /// The file is empty.
    Empty,
    /// The file is larger than the import limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The content is of no type Składnica imports.
    UnknownType,
    /// The name's extension says one type and the content is another.
    ExtensionMismatch {
        /// The extension as written.
        extension: String,
        /// What the content is.
        content: &'static str,
    },
    /// The PDF is encrypted and needs a password to open.
    Encrypted,
    /// The file is damaged or truncated.
    Damaged(String),
    /// The image is larger than the pixel limit (a decompression bomb, or a mistake).
    ImageTooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
        /// The limit in pixels.
        limit: u64,
        /// The limit per side.
        side_limit: u64,
    },
    /// More pages than the limit.
    TooManyPages {
        /// Pages in the file.
        pages: u64,
        /// The limit.
        limit: u64,
    },
    /// A compressed stream expands beyond the limit (a decompression bomb).
    DecompressionBomb {
        /// What expands.
        what: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The PDF's object graph loops back on itself.
    ReferenceLoop(String),
    /// Storing the document failed (disk full, …).
    Storage(String),
}

impl Rejection {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Unreadable(_) => "unreadable",
            Rejection::Empty => "empty",
            Rejection::TooLarge { .. } => "too_large",
            Rejection::UnknownType => "unknown_type",
            Rejection::ExtensionMismatch { .. } => "extension_mismatch",
            Rejection::Encrypted => "encrypted",
            Rejection::Damaged(_) => "damaged",
            Rejection::ImageTooLarge { .. } => "image_too_large",
            Rejection::TooManyPages { .. } => "too_many_pages",
            Rejection::DecompressionBomb { .. } => "decompression_bomb",
            Rejection::ReferenceLoop(_) => "reference_loop",
            Rejection::Storage(_) => "storage",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unreadable(e) => write!(f, "cannot be read: {e}"),
            Rejection::Empty => write!(f, "the file is empty (0 bytes)"),
            Rejection::TooLarge { size, limit } => write!(
                f,
                "the file is {} MiB, over the import limit of {} MiB",
                size >> 20,
                limit >> 20
            ),
            Rejection::UnknownType => write!(
                f,
                "unknown file type: only PDF, JPEG, PNG and TIFF files can be imported"
            ),
            Rejection::ExtensionMismatch { extension, content } => write!(
                f,
                "the name ends in .{extension} but the content is {content}; rename the file if \
                 that is what it is"
            ),
            Rejection::Encrypted => write!(
                f,
                "the PDF is encrypted with a password; remove the password and import it again"
            ),
            Rejection::Damaged(e) => write!(f, "the file is damaged or truncated: {e}"),
            Rejection::ImageTooLarge {
                width,
                height,
                limit,
                side_limit,
            } => write!(
                f,
                "the image is {width}×{height} pixels; a page may have at most {} megapixels \
                 and {side_limit} pixels a side",
                limit / 1_000_000
            ),
            Rejection::TooManyPages { pages, limit } => {
                write!(f, "the file has {pages} pages, over the limit of {limit}")
            }
            Rejection::DecompressionBomb { what, limit } => write!(
                f,
                "{what} expands to more than {} MiB (a decompression bomb)",
                limit >> 20
            ),
            Rejection::ReferenceLoop(e) => {
                write!(f, "the PDF's structure refers back to itself ({e})")
            }
            Rejection::Storage(e) => write!(f, "could not be stored: {e}"),
        }
    }
}
