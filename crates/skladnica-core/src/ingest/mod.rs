//! Import: files and folders into the library.
//!
//! The flow for each file: read, recognise by content, hash, skip if already in the library,
//! extract (PDF text per page; image page sizes), stage the original in the blob store — all on
//! a pool of worker threads sized to the cores. One writer (the calling thread) takes the
//! prepared documents from a small bounded channel, and in one SQLite transaction per group
//! places their blobs and inserts their rows; only then are they reported imported and added to
//! the search index, which commits every few seconds and at the end.
//!
//! A file that fails is reported with its path and reason and leaves nothing behind; the rest
//! of the batch goes on. Limits are in [`Limits`].

pub mod detect;
pub(crate) mod image;
pub(crate) mod pdf;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{RecvTimeoutError, bounded};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::blobs::{StagedBlob, sha256_hex};
use crate::db::documents::{self, IndexSource, NewDocument, NewPage, TextSource};
use crate::db::{self, batches, state};
use crate::error::{Error, Rejection, Result};
use crate::library::Library;
use crate::search::index::{self, Fields};
use detect::FileKind;
use tantivy::TantivyDocument;

/// Limits on what one file may be. Larger input is refused with a clear reason.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file, in bytes (default 512 MiB).
    pub max_file_bytes: u64,
    /// Most pages in one file (default 5,000).
    pub max_pages: u64,
    /// Most pixels in one image page stored (default 1,000 megapixels: an A0 colour scan at
    /// 600 dpi is 558). Import never decodes pixels, so this only keeps out absurd headers.
    pub max_pixels: u64,
    /// Longest image side in pixels (default 60,000).
    pub max_side: u32,
    /// Most pixels decoded at once, for OCR and conversions (default 80 megapixels: A3 at
    /// 600 dpi is 70; Leptonica holds colour at 4 bytes a pixel and Tesseract makes grey and
    /// binary copies, so this is about 600 MB per OCR worker at most). Larger JPEG pages are
    /// decoded at a half, quarter or eighth of their size; other larger pages are stored but not
    /// read.
    pub max_decode_pixels: u64,
    /// Most bytes one compressed PDF stream (page content, form) may expand to (default
    /// 64 MiB; real pages need well under 1 MiB).
    pub max_stream_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 << 20,
            max_pages: 5_000,
            max_pixels: 1_000_000_000,
            max_side: 60_000,
            max_decode_pixels: 80_000_000,
            max_stream_bytes: 64 << 20,
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Limits per file.
    pub limits: Limits,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Documents per SQLite transaction at most.
    pub group_size: usize,
    /// How often the search index commits during a long import.
    pub index_commit_interval: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            limits: Limits::default(),
            workers: 0,
            group_size: 128,
            index_commit_interval: Duration::from_secs(10),
        }
    }
}

/// A document that was imported, or that was already there.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedItem {
    /// The document's id.
    pub id: i64,
    /// The file it came from.
    pub path: String,
}

/// A file that was not imported.
#[derive(Debug, Clone, Serialize)]
pub struct FailedItem {
    /// The file.
    pub path: String,
    /// Why, in words.
    pub error: String,
    /// Why, as a stable code.
    pub code: &'static str,
}

/// Something worth knowing about a file that was imported all the same.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// The file.
    pub path: String,
    /// What to know.
    pub message: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// New documents.
    pub imported: Vec<ImportedItem>,
    /// Files already in the library, with the document that holds them.
    pub duplicates: Vec<ImportedItem>,
    /// Files that were refused.
    pub failed: Vec<FailedItem>,
    /// Warnings about imported files.
    pub warnings: Vec<Warning>,
    /// True when the import was cancelled before the end.
    pub cancelled: bool,
}

/// What an import reports as it goes.
#[derive(Debug, Clone)]
pub enum ImportEvent<'a> {
    /// The inputs were listed: this many files to look at.
    Found(usize),
    /// A file became a new document.
    Imported(&'a ImportedItem),
    /// A file was already in the library.
    Duplicate(&'a ImportedItem),
    /// A file was refused.
    Failed(&'a FailedItem),
}

/// The longest a document waits in the writer before its transaction commits.
const GROUP_MAX_AGE: Duration = Duration::from_millis(250);

/// What a worker hands the writer.
enum Prepared {
    Ready {
        path: String,
        doc: Box<NewDocument>,
        /// The index fields, built by the worker (the writer adds id and revision; tantivy's
        /// indexing threads analyse the text).
        index_doc: Box<TantivyDocument>,
        blob: StagedBlob,
        warnings: Vec<String>,
    },
    Duplicate {
        path: String,
        id: i64,
    },
    Failed {
        path: String,
        why: Rejection,
    },
}

/// Lists the files under `inputs`: files as given, folders recursively (in name order, without
/// hidden files and OS thumbnails). Inputs that cannot be listed are returned as failures.
pub fn collect_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<FailedItem>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, &mut files, &mut failed),
            Ok(_) => files.push(input.clone()),
            Err(e) => failed.push(fail(input, &Rejection::Unreadable(e.to_string()))),
        }
    }
    (files, failed)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, failed: &mut Vec<FailedItem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            failed.push(fail(dir, &Rejection::Unreadable(e.to_string())));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with('.')
            || name_str.eq_ignore_ascii_case("thumbs.db")
            || name_str.eq_ignore_ascii_case("desktop.ini")
        {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            // Symlinked folders are not followed (they can loop); symlinked files are.
            Ok(t) if t.is_dir() => walk(&path, files, failed),
            Ok(t) if t.is_symlink() => {
                if path.is_file() {
                    files.push(path);
                }
            }
            Ok(_) => files.push(path),
            Err(e) => failed.push(fail(&path, &Rejection::Unreadable(e.to_string()))),
        }
    }
}

fn fail(path: &Path, why: &Rejection) -> FailedItem {
    FailedItem {
        path: display_path(path),
        error: why.to_string(),
        code: why.code(),
    }
}

/// A path as shown to people: lossy where it is not UTF-8.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs an import into `lib`. See the module documentation for the flow.
pub fn run(
    lib: &mut Library,
    inputs: &[PathBuf],
    opts: &ImportOptions,
    on_event: &mut dyn FnMut(&ImportEvent),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    lib.require_writable()?;
    // Refused at once, not file by file, on a library with profiles nobody signed in to.
    lib.require_signed_in()?;
    let (files, listing_failures) = collect_files(inputs);
    let mut report = ImportReport::default();
    on_event(&ImportEvent::Found(files.len() + listing_failures.len()));
    for f in listing_failures {
        on_event(&ImportEvent::Failed(&f));
        report.failed.push(f);
    }
    let now = db::now();
    let batch = batches::start(lib.conn(), &now)?;
    let workers = if opts.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.workers
    };
    let next = AtomicUsize::new(0);
    let fields = lib.index().fields;
    let db_path = lib.db_path();
    let blobs = lib.blobs().clone();
    let cipher = lib.db_cipher().cloned();
    let (tx, rx) = bounded::<Prepared>(workers * 2);
    let result = std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers.min(files.len().max(1)) {
            let tx = tx.clone();
            let (files, next, blobs, db_path, cipher) = (&files, &next, &blobs, &db_path, &cipher);
            std::thread::Builder::new()
                .name("skladnica-import".into())
                .stack_size(64 << 20)
                .spawn_scoped(scope, move || {
                    let conn = crate::db::open_read_only(db_path, cipher.as_ref()).ok();
                    loop {
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let prepared = prepare(path, conn.as_ref(), blobs, &opts.limits, fields);
                        if tx.send(prepared).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| Error::io("worker thread", e))?;
        }
        drop(tx);
        // The receiver lives in this scope: when the writer stops on an error (a disk full), it
        // goes, and workers waiting on the full channel end instead of waiting for ever.
        let rx = rx;
        write_all(lib, &rx, batch, opts, &mut report, on_event)
    });
    report.cancelled = cancel.load(Ordering::Relaxed);
    result?;
    batches::finish(
        lib.conn(),
        batch,
        &db::now(),
        report.imported.len(),
        report.duplicates.len(),
        report.failed.len(),
    )?;
    // Documents from before extraction existed are read now (once).
    lib.extract_pending()?;
    Ok(report)
}

/// The writer: groups prepared documents into transactions, then indexes them.
fn write_all(
    lib: &mut Library,
    rx: &crossbeam_channel::Receiver<Prepared>,
    batch: i64,
    opts: &ImportOptions,
    report: &mut ImportReport,
    on_event: &mut dyn FnMut(&ImportEvent),
) -> Result<()> {
    let mut writer = lib.index().writer(1, 96 << 20)?;
    let mut last_commit = Instant::now();
    let mut dirty_rev: Option<i64> = None;
    let mut group: Vec<Prepared> = Vec::with_capacity(opts.group_size);
    let mut group_started = Instant::now();
    let mut open = true;
    while open || !group.is_empty() {
        if open {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(p) => {
                    if group.is_empty() {
                        group_started = Instant::now();
                    }
                    group.push(p);
                    // A group closes when full or old enough that progress shows in time.
                    if group.len() < opts.group_size && group_started.elapsed() < GROUP_MAX_AGE {
                        continue;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        if group.is_empty() {
            continue;
        }
        let written = write_group(lib, std::mem::take(&mut group), batch, report, on_event)?;
        for (doc, id, rev) in written {
            lib.index().put_document(&writer, doc, id, rev)?;
            dirty_rev = Some(dirty_rev.unwrap_or(0).max(rev));
        }
        if let Some(rev) = dirty_rev
            && last_commit.elapsed() >= opts.index_commit_interval
        {
            lib.index().commit(&mut writer, rev)?;
            state::set_indexed_rev(lib.conn(), rev)?;
            dirty_rev = None;
            last_commit = Instant::now();
        }
    }
    if let Some(rev) = dirty_rev {
        lib.index().commit(&mut writer, rev)?;
        state::set_indexed_rev(lib.conn(), rev)?;
    }
    writer
        .wait_merging_threads()
        .map_err(|e| Error::index("finishing index merges", e))?;
    Ok(())
}

/// One SQLite transaction for a group of prepared documents. Returns what to index, with the
/// id and revision each document got.
fn write_group(
    lib: &mut Library,
    group: Vec<Prepared>,
    batch: i64,
    report: &mut ImportReport,
    on_event: &mut dyn FnMut(&ImportEvent),
) -> Result<Vec<(TantivyDocument, i64, i64)>> {
    let now = db::now();
    let blobs = lib.blobs().clone();
    let mut journal = blobs.journal();
    let mut placed: Vec<String> = Vec::new();
    let mut done: Vec<(ImportedItem, Vec<String>)> = Vec::new();
    let mut sources = Vec::new();
    let mut dups = Vec::new();
    let mut fails = Vec::new();
    let conn = lib.conn_mut();
    let mut tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| Error::sqlite("starting an import transaction", e))?;
    for p in group {
        match p {
            Prepared::Failed { path, why } => fails.push(FailedItem {
                error: why.to_string(),
                code: why.code(),
                path,
            }),
            Prepared::Duplicate { path, id } => dups.push(ImportedItem { id, path }),
            Prepared::Ready {
                path,
                doc,
                index_doc,
                blob,
                warnings,
            } => {
                if let Some(id) = documents::find_by_sha(&tx, &doc.sha256)? {
                    dups.push(ImportedItem { id, path });
                    continue;
                }
                let sha = blob.sha256.clone();
                let stored = (|| -> Result<(i64, i64)> {
                    let sp = tx
                        .savepoint()
                        .map_err(|e| Error::sqlite("opening a savepoint", e))?;
                    let rev = state::take_rev(&sp)?;
                    let id = documents::insert(&sp, &doc, Some(batch), rev, &now)?;
                    blobs.place(blob, &mut journal)?;
                    sp.commit()
                        .map_err(|e| Error::sqlite("closing a savepoint", e))?;
                    Ok((id, rev))
                })();
                match stored {
                    Ok((id, rev)) => {
                        placed.push(sha);
                        done.push((
                            ImportedItem {
                                id,
                                path: path.clone(),
                            },
                            warnings,
                        ));
                        sources.push((*index_doc, id, rev));
                    }
                    Err(e) => fails.push(FailedItem {
                        path,
                        error: Rejection::Storage(e.to_string()).to_string(),
                        code: "storage",
                    }),
                }
            }
        }
    }
    if let Err(e) = tx.commit() {
        // Nothing of this group is in the database: take its blobs back out.
        for sha in &placed {
            let _ = blobs.remove(sha);
        }
        let _ = journal.clear();
        return Err(Error::sqlite("committing imported documents", e));
    }
    blobs.sync_dirs(&placed);
    journal.clear()?;
    for f in fails {
        on_event(&ImportEvent::Failed(&f));
        report.failed.push(f);
    }
    for d in dups {
        on_event(&ImportEvent::Duplicate(&d));
        report.duplicates.push(d);
    }
    for (item, warnings) in done {
        on_event(&ImportEvent::Imported(&item));
        for message in warnings {
            report.warnings.push(Warning {
                path: item.path.clone(),
                message,
            });
        }
        report.imported.push(item);
    }
    Ok(sources)
}

/// The text of pages as one body, pages separated by a form feed line.
pub fn join_pages(pages: &[NewPage]) -> String {
    let mut body = String::new();
    for (i, p) in pages.iter().enumerate() {
        if i > 0 {
            body.push_str(documents::PAGE_SEPARATOR);
        }
        body.push_str(&p.text);
    }
    body
}

/// A worker's work on one file.
fn prepare(
    path: &Path,
    conn: Option<&Connection>,
    blobs: &crate::blobs::BlobStore,
    limits: &Limits,
    fields: Fields,
) -> Prepared {
    let shown = display_path(path);
    match prepare_inner(path, conn, blobs, limits, fields) {
        Ok(p) => p,
        Err(why) => Prepared::Failed { path: shown, why },
    }
}

fn prepare_inner(
    path: &Path,
    conn: Option<&Connection>,
    blobs: &crate::blobs::BlobStore,
    limits: &Limits,
    fields: Fields,
) -> Result<Prepared, Rejection> {
    let shown = display_path(path);
    let meta = std::fs::metadata(path).map_err(|e| Rejection::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(Rejection::Unreadable("not a regular file".into()));
    }
    if meta.len() == 0 {
        return Err(Rejection::Empty);
    }
    if meta.len() > limits.max_file_bytes {
        return Err(Rejection::TooLarge {
            size: meta.len(),
            limit: limits.max_file_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Rejection::Unreadable(e.to_string()))?;
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    let kind = detect::classify(path, &bytes)?;
    let sha = sha256_hex(&bytes);
    if let Some(conn) = conn
        && let Ok(Some(id)) = documents::find_by_sha(conn, &sha)
    {
        return Ok(Prepared::Duplicate { path: shown, id });
    }
    let extracted = extract_guarded(kind, &bytes, limits)?;
    let blob = blobs
        .stage(&bytes, &sha)
        .map_err(|e| Rejection::Storage(e.to_string()))?;
    let mut warnings = Vec::new();
    let file_name = path.file_name().unwrap_or(path.as_os_str());
    let original_name = file_name.to_string_lossy().into_owned();
    if file_name.to_str().is_none() {
        warnings.push(format!(
            "the file name is not valid UTF-8; it is kept as \"{original_name}\""
        ));
    }
    let stem = Path::new(&original_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| original_name.clone());
    let title = choose_title(extracted.title.as_deref(), &extracted.pages, &stem);
    let original_path = std::path::absolute(path)
        .map(|p| display_path(&p))
        .unwrap_or_else(|_| shown.clone());
    // A text that is complete (nothing awaits OCR) is read by the extractors now, in this
    // worker; their sure values go into the index with the document.
    let found = extracted
        .pages
        .iter()
        .all(|p| p.source != TextSource::AwaitingOcr)
        .then(|| {
            let texts: Vec<&str> = extracted.pages.iter().map(|p| p.text.as_str()).collect();
            crate::records::extraction::extract_pages(&texts)
        });
    let sure = found
        .as_deref()
        .map(crate::records::extraction::sure_values)
        .unwrap_or_default();
    let sure_of = |key: &str| sure.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
    // A title that is only the file's name gives way to the document's heading.
    let title = match sure_of("tytul") {
        Some(heading) if title == stem => heading,
        _ => title,
    };
    let index_doc = index::document(
        fields,
        &IndexSource {
            title: title.clone(),
            doc_date: sure_of("data").or_else(|| extracted.date.clone()),
            kind: sure_of("rodzaj"),
            media_type: kind.media_type().to_string(),
            body: join_pages(&extracted.pages),
            signs: found
                .iter()
                .flatten()
                .filter(|f| {
                    matches!(
                        f.found.field,
                        skladnica_records::extract::Field::Reference
                            | skladnica_records::extract::Field::RpwNumber
                    )
                })
                .map(|f| f.found.value.clone())
                .collect(),
            parties: sure_of("tworca").unwrap_or_default(),
            ..IndexSource::default()
        },
    );
    Ok(Prepared::Ready {
        path: shown,
        index_doc: Box::new(index_doc),
        doc: Box::new(NewDocument {
            title,
            doc_date: extracted.date,
            sha256: sha,
            original_name,
            original_path,
            media_type: kind.media_type(),
            size: bytes.len() as u64,
            pages: extracted.pages,
            metadata: extracted.metadata,
            found,
        }),
        blob,
        warnings,
    })
}

struct Extracted {
    pages: Vec<NewPage>,
    title: Option<String>,
    date: Option<String>,
    metadata: Vec<(String, String)>,
}

/// Reads a file's bytes as an import does (its kind from its content, then its structure and
/// text), without storing anything; returns its page count. For fuzzing and hostile-input
/// checks: any input must end in pages or a [`Rejection`], never a panic or a hang.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<usize, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    let kind = detect::sniff(bytes).ok_or(Rejection::UnknownType)?;
    extract_guarded(kind, bytes, limits).map(|e| e.pages.len())
}

/// [`extract`], with a panic in a parser (pdf-extract's on a missing object, say) turned into
/// the file's rejection as damaged.
fn extract_guarded(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<Extracted, Rejection> {
    catch_unwind(AssertUnwindSafe(|| extract(kind, bytes, limits))).unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unexpected structure");
        Err(Rejection::Damaged(format!("could not be parsed: {msg}")))
    })
}

fn extract(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<Extracted, Rejection> {
    match kind {
        FileKind::Pdf => {
            let c = pdf::read(bytes, limits)?;
            Ok(Extracted {
                pages: c.pages,
                title: c.title,
                date: c.created,
                metadata: c.metadata,
            })
        }
        _ => {
            let sizes = image::pages(kind, bytes, limits)?;
            Ok(Extracted {
                pages: sizes
                    .into_iter()
                    .map(|s| NewPage {
                        text: String::new(),
                        source: TextSource::AwaitingOcr,
                        size_px: Some(s),
                    })
                    .collect(),
                title: None,
                date: None,
                metadata: vec![],
            })
        }
    }
}

/// The title: the PDF's own when it says something, else the first line of text that reads
/// like words, else the file name without its extension.
fn choose_title(pdf_title: Option<&str>, pages: &[NewPage], stem: &str) -> String {
    if let Some(t) = pdf_title {
        let t = t.strip_prefix("Microsoft Word - ").unwrap_or(t).trim();
        let generic = ["untitled", "bez tytułu", "document", "dokument"];
        if t.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !generic.contains(&t.to_lowercase().as_str())
        {
            return clip(t, 200);
        }
    }
    for page in pages {
        for line in page.text.lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                return clip(&line, 200);
            }
        }
    }
    stem.to_string()
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> NewPage {
        NewPage {
            text: text.into(),
            source: TextSource::BornDigital,
            size_px: None,
        }
    }

    /// Found by fuzzing (`fuzz/regressions/pdf/`): pdf-extract panics on a reference to an
    /// object the file lacks; the file is refused as damaged, the process goes on.
    #[test]
    fn a_pdf_that_makes_pdf_extract_panic_on_a_missing_object_is_damaged() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fuzz/regressions/pdf/pdf-extract-panics-on-a-missing-object-reference"
        ))
        .unwrap();
        let bytes = if bytes.starts_with(b"%PDF") {
            bytes
        } else {
            [b"%PDF-".as_slice(), &bytes].concat()
        };
        let err = inspect(&bytes, &Limits::default()).unwrap_err();
        assert!(matches!(err, Rejection::Damaged(_)), "{err:?}");
    }

    /// Found by fuzzing (`fuzz/regressions/pdf/`): a form XObject whose `/Subtype` key was
    /// mangled drew itself; the loop check skipped it as "not a form" while pdf-extract
    /// recursed into it until the import process's stack overflowed (the whole import
    /// aborted). Now every XObject is checked and the file is refused as a loop.
    #[test]
    fn an_xobject_without_subtype_that_draws_itself_is_a_loop_not_a_stack_overflow() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fuzz/regressions/pdf/pdf-extract-recursed-until-the-stack-overflowed-through-an-xobject-without-subtype"
        ))
        .unwrap();
        let err = inspect(&bytes, &Limits::default()).unwrap_err();
        assert!(matches!(err, Rejection::ReferenceLoop(_)), "{err:?}");
    }

    #[test]
    fn titles_prefer_meaningful_sources() {
        assert_eq!(
            choose_title(Some("Microsoft Word - Uchwała nr 12"), &[], "x"),
            "Uchwała nr 12"
        );
        assert_eq!(
            choose_title(
                Some("Untitled"),
                &[page("\n  12 \nZARZĄDZENIE  NR 5\n")],
                "x"
            ),
            "ZARZĄDZENIE NR 5"
        );
        assert_eq!(choose_title(None, &[page("")], "skan_001"), "skan_001");
    }
}
