//! The OCR queue: pages awaiting OCR are the queue (`pages.text_source = 'awaiting_ocr'` with no
//! `ocr_error`), so it survives a restart by construction. Workers — one Tesseract engine each,
//! one per core — read page images and recognise them; the calling thread writes each page's
//! text, words and confidence in its own transaction, gives the document a new revision and
//! indexes it, so that what is done stays done if the process is killed.

mod page_image;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rusqlite::params;
use serde::Serialize;

use crate::db::documents;
use crate::db::state;
use crate::error::{Error, Result};
use crate::ingest::Limits;
use crate::library::Library;

pub use page_image::PageImage;
pub(crate) use page_image::{PageSource, PdfInput, luma, pdf_page_of, pdftoppm, unpack_bits};
pub use skladnica_ocr::{installed_languages, limit_openmp_threads};

/// The languages used when the library has no setting.
pub const DEFAULT_LANGUAGES: &str = "pol+eng";

/// How to run OCR.
#[derive(Debug, Clone, Default)]
pub struct OcrOptions {
    /// Languages (`pol+eng`); `None` uses the library's setting.
    pub languages: Option<String>,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Limits on page images.
    pub limits: Limits,
}

/// What happened to one page.
#[derive(Debug, Clone, Serialize)]
pub struct OcrPage {
    /// The document.
    pub document_id: i64,
    /// The page number.
    pub page: i64,
    /// Mean word confidence (0–100), when read.
    pub confidence: Option<f32>,
    /// Why it could not be read.
    pub error: Option<String>,
}

/// The outcome of an OCR run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcrReport {
    /// Pages read.
    pub done: Vec<OcrPage>,
    /// Pages that could not be read (they keep their error until redone).
    pub failed: Vec<OcrPage>,
    /// True when cancelled before the queue was empty.
    pub cancelled: bool,
}

struct Job {
    page_id: i64,
    document_id: i64,
    number: i64,
    index_in_file: usize,
    sha256: String,
    media_type: String,
}

enum Outcome {
    Read(Job, skladnica_ocr::PageText),
    Failed(Job, String),
}

/// The OCR languages of the library.
pub fn languages(lib: &Library) -> Result<String> {
    Ok(crate::db::settings::get(lib.conn(), "ocr_languages")?
        .unwrap_or_else(|| DEFAULT_LANGUAGES.to_string()))
}

/// Sets the OCR languages of the library (checked against what Tesseract has).
pub fn set_languages(lib: &Library, langs: &str) -> Result<()> {
    check_languages(langs)?;
    lib.require(crate::operators::Permission::Settings)?;
    crate::db::settings::set(lib.conn(), "ocr_languages", langs)
}

fn check_languages(langs: &str) -> Result<()> {
    skladnica_ocr::check_languages(langs).map_err(|e| Error::Ocr(e.to_string()))
}

/// Pages waiting for OCR.
pub fn pending(lib: &Library) -> Result<usize> {
    lib.conn()
        .query_row(
            "SELECT COUNT(*) FROM pages WHERE text_source = 'awaiting_ocr' AND ocr_error IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n as usize)
        .map_err(|e| Error::sqlite("counting pages awaiting OCR", e))
}

/// Puts a document's scanned pages back in the queue (to read them again, e.g. in another
/// language). Born-digital pages are left as they are. Returns the pages queued.
pub fn redo(lib: &mut Library, document_id: i64) -> Result<usize> {
    lib.require_writable()?;
    documents::get(lib.conn(), document_id)?.ok_or(Error::NoDocument(document_id))?;
    lib.conn()
        .execute(
            "UPDATE pages SET text_source = 'awaiting_ocr', ocr_error = NULL
             WHERE document_id = ?1 AND text_source IN ('ocr', 'awaiting_ocr')",
            [document_id],
        )
        .map_err(|e| Error::sqlite("queueing pages for OCR", e))
}

/// Runs the queue until it is empty (or `cancel` is set). `on_page` is told of each page.
pub fn run(
    lib: &mut Library,
    opts: &OcrOptions,
    on_page: &mut dyn FnMut(&OcrPage, usize),
    cancel: &AtomicBool,
) -> Result<OcrReport> {
    lib.require_writable()?;
    // A page read while nobody is signed in could not be saved (nor its failure noted).
    lib.require_signed_in()?;
    let langs = match &opts.languages {
        Some(l) => l.clone(),
        None => languages(lib)?,
    };
    check_languages(&langs)?;
    let jobs = queue(lib)?;
    let total = jobs.len();
    let mut report = OcrReport::default();
    if jobs.is_empty() {
        return Ok(report);
    }
    let workers = if opts.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.workers
    }
    .min(total);
    let (job_tx, job_rx) = crossbeam_channel::bounded::<Job>(workers);
    let (out_tx, out_rx) = crossbeam_channel::bounded::<Outcome>(workers);
    let blobs = lib.blobs().clone();
    let limits = opts.limits.clone();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let (job_rx, out_tx, blobs, limits, langs) =
                (job_rx.clone(), out_tx.clone(), &blobs, &limits, &langs);
            std::thread::Builder::new()
                .name("skladnica-ocr".into())
                .spawn_scoped(scope, move || {
                    let mut engine = match skladnica_ocr::Engine::new(langs) {
                        Ok(e) => e,
                        Err(e) => {
                            for job in job_rx {
                                let _ = out_tx.send(Outcome::Failed(job, e.to_string()));
                            }
                            return;
                        }
                    };
                    for job in job_rx {
                        let outcome = read_page(&mut engine, blobs, &job, limits);
                        let msg = match outcome {
                            Ok(text) => Outcome::Read(job, text),
                            Err(e) => Outcome::Failed(job, e),
                        };
                        if out_tx.send(msg).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| Error::io("OCR worker thread", e))?;
        }
        drop(out_tx);
        drop(job_rx);
        let feeder = scope.spawn(move || {
            for job in jobs {
                if cancel.load(Ordering::Relaxed) || job_tx.send(job).is_err() {
                    break;
                }
            }
        });
        let mut writer = lib.index().writer(1, 32 << 20)?;
        let mut last_commit = Instant::now();
        let mut dirty = false;
        for outcome in out_rx {
            let page = write_outcome(lib, outcome, &langs, &writer)?;
            dirty = true;
            on_page(&page, total);
            if page.error.is_some() {
                report.failed.push(page);
            } else {
                report.done.push(page);
            }
            if last_commit.elapsed() > Duration::from_secs(5) {
                let rev = state::last_rev(lib.conn())?;
                lib.index().commit(&mut writer, rev)?;
                state::set_indexed_rev(lib.conn(), rev)?;
                last_commit = Instant::now();
                dirty = false;
            }
        }
        let _ = feeder.join();
        if dirty {
            let rev = state::last_rev(lib.conn())?;
            lib.index().commit(&mut writer, rev)?;
            state::set_indexed_rev(lib.conn(), rev)?;
        }
        Ok(())
    })?;
    report.cancelled = cancel.load(Ordering::Relaxed);
    // Documents whose last page was just read: the extractors read their whole text.
    lib.extract_pending()?;
    Ok(report)
}

fn queue(lib: &Library) -> Result<Vec<Job>> {
    let ctx = |e| Error::sqlite("reading the OCR queue", e);
    let mut s = lib
        .conn()
        .prepare(
            "SELECT p.id, p.document_id, p.number, f.sha256, f.media_type,
                    p.number - 1 - (SELECT COUNT(*) FROM pages q
                                    WHERE q.document_id = p.document_id AND q.file_id != p.file_id
                                      AND q.number < p.number)
             FROM pages p JOIN files f ON f.id = p.file_id
             WHERE p.text_source = 'awaiting_ocr' AND p.ocr_error IS NULL
             ORDER BY p.document_id, p.number",
        )
        .map_err(ctx)?;
    s.query_map([], |r| {
        Ok(Job {
            page_id: r.get(0)?,
            document_id: r.get(1)?,
            number: r.get(2)?,
            sha256: r.get(3)?,
            media_type: r.get(4)?,
            index_in_file: r.get::<_, i64>(5)?.max(0) as usize,
        })
    })
    .and_then(|rows| rows.collect())
    .map_err(ctx)
}

fn read_page(
    engine: &mut skladnica_ocr::Engine,
    blobs: &crate::blobs::BlobStore,
    job: &Job,
    limits: &Limits,
) -> std::result::Result<skladnica_ocr::PageText, String> {
    let bytes = blobs
        .read(&job.sha256)
        .map_err(|e| format!("the original cannot be read: {e}"))?;
    let source = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        page_image::load(bytes, &job.media_type, job.index_in_file, limits)
    }))
    .unwrap_or_else(|_| Err("the page image is damaged".into()))?;
    match source {
        page_image::PageSource::Encoded(bytes, page) => engine.recognize_encoded(&bytes, page),
        page_image::PageSource::JpegReduced(bytes, r) => engine.recognize_jpeg_reduced(&bytes, r),
        page_image::PageSource::Grey(image) => engine.recognize(&skladnica_ocr::GreyImage {
            pixels: &image.pixels,
            width: image.width,
            height: image.height,
            dpi: image.dpi,
        }),
    }
    .map_err(|e| e.to_string())
}

fn write_outcome(
    lib: &mut Library,
    outcome: Outcome,
    langs: &str,
    writer: &tantivy::IndexWriter,
) -> Result<OcrPage> {
    let now = crate::db::now();
    let conn = lib.conn_mut();
    let tx = conn
        .transaction()
        .map_err(|e| Error::sqlite("starting an OCR transaction", e))?;
    let ctx = |e| Error::sqlite("storing OCR text", e);
    let (page, document_id) = match outcome {
        Outcome::Read(job, text) => {
            let words: Vec<serde_json::Value> = text
                .words
                .iter()
                .map(|w| {
                    serde_json::json!([w.text, w.confidence, w.left, w.top, w.width, w.height])
                })
                .collect();
            tx.execute(
                "UPDATE pages SET text = ?2, text_source = 'ocr', ocr_confidence = ?3,
                                  ocr_words = ?4, ocr_languages = ?5, ocr_error = NULL,
                                  ocr_rotation = ?6, ocr_image_width = ?7, ocr_image_height = ?8,
                                  ocr_skew = ?9
                 WHERE id = ?1",
                params![
                    job.page_id,
                    text.text,
                    text.mean_confidence as f64,
                    serde_json::Value::Array(words).to_string(),
                    langs,
                    text.rotation,
                    text.image_width,
                    text.image_height,
                    text.skew as f64
                ],
            )
            .map_err(ctx)?;
            // The document's text changed: the extractors read it again once it is complete.
            tx.execute(
                "UPDATE documents SET extracted = 0 WHERE id = ?1",
                [job.document_id],
            )
            .map_err(ctx)?;
            (
                OcrPage {
                    document_id: job.document_id,
                    page: job.number,
                    confidence: Some(text.mean_confidence),
                    error: None,
                },
                job.document_id,
            )
        }
        Outcome::Failed(job, error) => {
            tx.execute(
                "UPDATE pages SET ocr_error = ?2 WHERE id = ?1",
                params![job.page_id, error],
            )
            .map_err(ctx)?;
            (
                OcrPage {
                    document_id: job.document_id,
                    page: job.number,
                    confidence: None,
                    error: Some(error),
                },
                job.document_id,
            )
        }
    };
    let rev = state::take_rev(&tx)?;
    documents::touch(&tx, document_id, rev)?;
    tx.execute(
        "UPDATE documents SET updated_at = ?2 WHERE id = ?1",
        params![document_id, now],
    )
    .map_err(ctx)?;
    tx.commit().map_err(ctx)?;
    if let Some(src) = documents::index_source(lib.conn(), document_id)? {
        lib.index().put(writer, &src)?;
    }
    Ok(page)
}
