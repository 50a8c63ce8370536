//! Long work off the window's thread: importing files and folders, or scanning a stack of paper,
//! then reading their scanned pages (OCR) and their metadata (extraction). A job reports through a Tauri channel as it goes,
//! can be cancelled, and takes the library's writer in short turns (a few files, or OCR until a
//! clerk's save asks it to pause), so the window never waits on it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use skladnica_core::Library;
use skladnica_core::capture::{self, Profile, ScanEvent, separate::PageRole};
use skladnica_core::ingest::{ImportEvent, ImportOptions};
use skladnica_core::ocr::OcrOptions;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::error::{AppError, CmdResult};
use crate::events::{Changes, JobsChanged};
use crate::state::{AppState, JobFlags, refresh};

/// Files imported per turn with the writer.
const FILES_PER_TURN: usize = 8;

/// The longest side of a scanned page's live thumbnail, in pixels.
const THUMBNAIL_SIDE: u32 = 240;

/// What a job reports.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobEvent {
    /// The inputs were listed.
    Started {
        /// The job, for cancelling.
        job: u32,
        /// Files found.
        files: u32,
    },
    /// One file's outcome.
    File {
        /// The file.
        path: String,
        /// `imported`, `duplicate` or `failed`.
        outcome: String,
        /// The document it became (or is already).
        document_id: Option<i64>,
        /// Why it failed.
        error: Option<String>,
        /// Why, as a code the UI translates.
        code: Option<String>,
    },
    /// The scanner is set up and paper goes through.
    ScanReady {
        /// The job, for cancelling.
        job: u32,
        /// The scanner.
        device: String,
        /// Dots per inch.
        resolution: u32,
        /// Colour mode, as the scanner calls it.
        mode: Option<String>,
        /// Paper source, as the scanner calls it.
        source: Option<String>,
    },
    /// A page came out of the scanner.
    ScanPage {
        /// Its number in the stack, from 1.
        number: u32,
        /// `content`, `blank` (left out) or `separator` (a separator sheet, left out).
        role: String,
        /// A small JPEG of it as a `data:` URL.
        thumbnail: Option<String>,
    },
    /// The scanner stopped; the documents made of the stack are imported next.
    Scanned {
        /// Pages scanned.
        pages: u32,
        /// Documents the stack was split into.
        documents: u32,
        /// Separator sheets left out.
        separators: u32,
        /// Blank pages left out.
        blank_pages: u32,
        /// Why the scanner stopped early (unplugged, jammed); every page before it is kept.
        scanner_error: Option<String>,
    },
    /// OCR progress.
    Ocr {
        /// Pages read so far.
        done: u32,
        /// Pages in the queue.
        total: u32,
        /// Pages that could not be read.
        failed: u32,
    },
    /// The metadata extractors run.
    Extracting,
    /// The job ended.
    Finished {
        /// New documents.
        imported: u32,
        /// Files already in the library.
        duplicates: u32,
        /// Files refused.
        failed: u32,
        /// Pages OCR read.
        ocr_pages: u32,
        /// Pages OCR could not read.
        ocr_failed: u32,
        /// It was cancelled.
        cancelled: bool,
    },
    /// The job stopped on an error that concerns the whole library.
    Failed {
        /// What went wrong.
        error: AppError,
    },
}

/// Imports files and folders (recursively), then reads their scanned pages and metadata.
/// Returns the job's id at once; progress comes through `on_event`.
#[tauri::command]
#[specta::specta]
pub async fn import(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    on_event: Channel<JobEvent>,
) -> CmdResult<u32> {
    if paths.is_empty() {
        return Err(AppError::new(
            "invalid",
            "nothing to import: no files were given",
        ));
    }
    let inputs: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    spawn(app, &state, "skladnica-import", on_event, move |job| {
        job.run(&inputs)
    })
}

/// Scans a stack from `device` (empty: the first scanner) with the scan profile `profile`,
/// showing each page as it comes; the stack is split into documents, imported, then read
/// (OCR, metadata). Returns the job's id at once; progress comes through `on_event`.
#[tauri::command]
#[specta::specta]
pub async fn scan(
    app: AppHandle,
    state: State<'_, AppState>,
    device: String,
    profile: String,
    on_event: Channel<JobEvent>,
) -> CmdResult<u32> {
    let profile = state.read(|lib| Ok(skladnica_core::capture::profile(lib, &profile)?))?;
    spawn(app, &state, "skladnica-scan", on_event, move |job| {
        job.scan(&device, &profile)
    })
}

/// Starts a job thread running `work`, which ends with the job's last event.
fn spawn(
    app: AppHandle,
    state: &AppState,
    name: &str,
    on_event: Channel<JobEvent>,
    work: impl FnOnce(&Job) -> CmdResult<JobEvent> + Send + 'static,
) -> CmdResult<u32> {
    let (writer, reader) = state.job_handles()?;
    let (id, flags) = state.start_job();
    let _ = JobsChanged {
        running: state.jobs_running() as u32,
    }
    .emit(&app);
    let started = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let changes = app.state::<Changes>();
            let job = Job {
                id,
                flags: &flags,
                writer: &writer,
                reader: &reader,
                state: &state,
                changes: &changes,
                // A closed window drops the channel; the job still finishes its work.
                events: &|e| {
                    let _ = on_event.send(e);
                },
            };
            let end = work(&job).unwrap_or_else(|error| JobEvent::Failed { error });
            let _ = on_event.send(end);
            state.end_job(id);
            changes.all();
            let _ = JobsChanged {
                running: state.jobs_running() as u32,
            }
            .emit(&app);
        });
    if let Err(e) = started {
        state.end_job(id);
        return Err(AppError::new("io", format!("cannot start {name}: {e}")));
    }
    Ok(id)
}

/// A job's thread: what it works on and where it reports.
pub struct Job<'a> {
    /// Its id (for cancelling).
    pub id: u32,
    /// Its cancel and pause flags.
    pub flags: &'a JobFlags,
    /// The library's writer, taken in turns.
    pub writer: &'a Mutex<Library>,
    /// The library's reader, refreshed after writes.
    pub reader: &'a Mutex<Library>,
    /// The app's state (whether a save waits for the writer).
    pub state: &'a AppState,
    /// Where changed documents are reported.
    pub changes: &'a Changes,
    /// Where its progress goes.
    pub events: &'a (dyn Fn(JobEvent) + Sync),
}

impl Job<'_> {
    fn send(&self, e: JobEvent) {
        (self.events)(e);
    }

    /// The user asked to stop.
    pub fn cancelled(&self) -> bool {
        self.flags.cancelled.load(Ordering::SeqCst)
    }

    /// Waits while a clerk's save has the writer.
    fn let_others_write(&self) {
        while self.state.writer_wanted.load(Ordering::SeqCst) && !self.cancelled() {
            std::thread::sleep(Duration::from_millis(20));
        }
        if !self.cancelled() {
            self.flags.interrupt.store(false, Ordering::SeqCst);
        }
    }

    /// The writer, once no save waits for it.
    pub fn writer(&self) -> std::sync::MutexGuard<'_, Library> {
        self.let_others_write();
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn run(&self, inputs: &[PathBuf]) -> CmdResult<JobEvent> {
        let (files, listing_failed) = skladnica_core::ingest::collect_files(inputs);
        self.send(JobEvent::Started {
            job: self.id,
            files: (files.len() + listing_failed.len()) as u32,
        });
        let (mut imported, mut duplicates, mut failed) = (0u32, 0u32, 0u32);
        for f in &listing_failed {
            failed += 1;
            self.send(file_failed(&f.path, &f.error, f.code));
        }
        let opts = ImportOptions::default();
        let never = std::sync::atomic::AtomicBool::new(false);
        for chunk in files.chunks(FILES_PER_TURN) {
            if self.cancelled() {
                break;
            }
            let mut lib = self.writer();
            let mut ids = Vec::new();
            let report = lib.import(
                chunk,
                &opts,
                &mut |e| {
                    if let ImportEvent::Imported(item) = e {
                        ids.push(item.id);
                    }
                    self.file_event(e);
                },
                &never,
            )?;
            drop(lib);
            imported += report.imported.len() as u32;
            duplicates += report.duplicates.len() as u32;
            failed += report.failed.len() as u32;
            refresh(self.reader);
            self.changes.documents(ids);
        }
        self.read_and_finish(imported, duplicates, failed)
    }

    /// Scans a stack (the writer is taken only to import what was scanned), then reads it.
    fn scan(&self, device: &str, profile: &Profile) -> CmdResult<JobEvent> {
        let root = {
            let lib = self.writer();
            lib.require_writable()?;
            lib.root().to_path_buf()
        };
        let captured = capture::capture(
            &root,
            device,
            profile,
            &mut |event| match event {
                ScanEvent::Ready(applied) => self.send(JobEvent::ScanReady {
                    job: self.id,
                    device: device.to_string(),
                    resolution: applied.resolution,
                    mode: applied.mode.clone(),
                    source: applied.source.clone(),
                }),
                ScanEvent::Page(number, role, page) => self.send(JobEvent::ScanPage {
                    number: *number as u32,
                    role: match role {
                        PageRole::Content => "content",
                        PageRole::Blank => "blank",
                        PageRole::Separator(_) => "separator",
                    }
                    .into(),
                    // A page the thumbnail cannot be made of is still kept; it shows no image.
                    thumbnail: capture::thumbnail(page, THUMBNAIL_SIDE)
                        .ok()
                        .map(|jpeg| format!("data:image/jpeg;base64,{}", BASE64.encode(jpeg))),
                }),
            },
            // Cancelling stops the paper; what was scanned is still imported.
            &self.flags.cancelled,
        )?;
        self.send(JobEvent::Scanned {
            pages: captured.pages_scanned as u32,
            documents: captured.documents.len() as u32,
            separators: captured.separators as u32,
            blank_pages: captured.blank_pages as u32,
            scanner_error: captured.scanner_error.clone(),
        });
        let never = std::sync::atomic::AtomicBool::new(false);
        let mut lib = self.writer();
        let report = capture::import_captured(
            &mut lib,
            captured,
            &ImportOptions::default(),
            &mut |e| self.file_event(e),
            &never,
        )?;
        drop(lib);
        refresh(self.reader);
        self.changes.documents(
            report
                .import
                .imported
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
        );
        self.read_and_finish(
            report.import.imported.len() as u32,
            report.import.duplicates.len() as u32,
            report.import.failed.len() as u32,
        )
    }

    /// Reports one file of an import.
    pub fn file_event(&self, e: &ImportEvent) {
        match e {
            ImportEvent::Imported(item) => self.send(JobEvent::File {
                path: item.path.clone(),
                outcome: "imported".into(),
                document_id: Some(item.id),
                error: None,
                code: None,
            }),
            ImportEvent::Duplicate(item) => self.send(JobEvent::File {
                path: item.path.clone(),
                outcome: "duplicate".into(),
                document_id: Some(item.id),
                error: None,
                code: None,
            }),
            ImportEvent::Failed(item) => self.send(file_failed(&item.path, &item.error, item.code)),
            ImportEvent::Found(_) => {}
        }
    }

    /// OCR and metadata extraction of what was brought in, then the job's last event.
    pub fn read_and_finish(
        &self,
        imported: u32,
        duplicates: u32,
        failed: u32,
    ) -> CmdResult<JobEvent> {
        let (ocr_pages, ocr_failed) = self.ocr()?;
        if !self.cancelled() {
            self.send(JobEvent::Extracting);
            let mut lib = self.writer();
            lib.extract_pending()?;
            drop(lib);
            refresh(self.reader);
        }
        Ok(JobEvent::Finished {
            imported,
            duplicates,
            failed,
            ocr_pages,
            ocr_failed,
            cancelled: self.cancelled(),
        })
    }

    /// Reads every page awaiting OCR, pausing whenever a save waits for the writer.
    fn ocr(&self) -> CmdResult<(u32, u32)> {
        let total =
            skladnica_core::ocr::pending(&self.reader.lock().unwrap_or_else(|e| e.into_inner()))?
                as u32;
        let (mut done, mut failed) = (0u32, 0u32);
        if total == 0 {
            return Ok((0, 0));
        }
        self.send(JobEvent::Ocr {
            done,
            total,
            failed,
        });
        let mut last_refresh = Instant::now();
        while !self.cancelled() {
            let mut lib = self.writer();
            let report = skladnica_core::ocr::run(
                &mut lib,
                &OcrOptions::default(),
                &mut |page, _| {
                    if page.error.is_some() {
                        failed += 1;
                    } else {
                        done += 1;
                    }
                    self.send(JobEvent::Ocr {
                        done,
                        total,
                        failed,
                    });
                    self.changes.documents([page.document_id]);
                    if last_refresh.elapsed() > Duration::from_secs(2) {
                        refresh(self.reader);
                        last_refresh = Instant::now();
                    }
                },
                &self.flags.interrupt,
            )?;
            drop(lib);
            refresh(self.reader);
            if !report.cancelled {
                break;
            }
        }
        Ok((done, failed))
    }
}

fn file_failed(path: &str, error: &str, code: &str) -> JobEvent {
    JobEvent::File {
        path: path.to_string(),
        outcome: "failed".into(),
        document_id: None,
        error: Some(error.to_string()),
        code: Some(code.to_string()),
    }
}
