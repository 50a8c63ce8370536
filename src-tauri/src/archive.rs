//! The Archiwum view's commands: a paczka archiwalna of chosen cases onto a USB disk or a share,
//! a full backup, verifying either on its carrier, and the export log. Each calls the core's
//! `export` module. A package is written through a read-only handle of the library (see
//! `schedule::write_then_record`), so saving and searching go on meanwhile.

use serde::{Deserialize, Serialize};
use skladnica_core::export::{self, ExportReport, Selection};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::error::{AppError, CmdResult};
use crate::state::AppState;

/// What to put in a package, as the wizard asks it.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ExportRequest {
    /// The folder the package goes into.
    pub target: String,
    /// Cases by sign.
    pub cases: Vec<String>,
    /// Cases of JRWA classes starting with this symbol.
    pub jrwa_prefix: Option<String>,
    /// Cases of this category (`A`, `B5`, `B` for every B*n*…).
    pub category: Option<String>,
    /// Cases closed before this day (`YYYY-MM-DD`).
    pub closed_before: Option<String>,
    /// Every case and the documents in none.
    pub all: bool,
    /// Only what changed since the last export to this folder.
    pub since_last: bool,
}

/// How an export is going.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportProgress {
    /// The job, for cancelling.
    pub job: u32,
    /// Documents begun.
    pub done: u32,
    /// Documents in all.
    pub total: u32,
}

/// A document left out of a package.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportFailureView {
    /// The document.
    pub document: i64,
    /// Its case.
    pub case_sign: Option<String>,
    /// Why.
    pub reason: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportView {
    /// The package's folder; none when nothing had changed since the last export there.
    pub package: Option<String>,
    /// The package the incremental export continued from.
    pub since_package: Option<String>,
    /// Cases in it.
    pub cases: u32,
    /// Documents in it.
    pub documents: u32,
    /// Files in it.
    pub files: u32,
    /// Its size in bytes.
    pub bytes: f64,
    /// SHA-256 of its manifest (the confirmation states it).
    pub checksum: String,
    /// Documents left out.
    pub failed: Vec<ExportFailureView>,
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BackupView {
    /// The bag's folder.
    pub bag: String,
    /// Documents backed up.
    pub documents: u32,
    /// Payload files.
    pub files: u32,
    /// Payload size.
    pub bytes: f64,
}

/// One problem verify found.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProblemView {
    /// The file, inside the package.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// What verifying found.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct VerifyView {
    /// A backup bag (else a paczka archiwalna).
    pub backup: bool,
    /// Files whose checksum was computed.
    pub files_checked: u32,
    /// Their size.
    pub bytes: f64,
    /// Metadata files validated against the schema.
    pub schema_checked: u32,
    /// Everything wrong; empty when sound.
    pub problems: Vec<ProblemView>,
}

/// One package in the export log.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportLogView {
    /// The target folder.
    pub target: String,
    /// The package's folder name.
    pub package: String,
    /// When (UTC).
    pub finished_at: String,
    /// Changes only.
    pub incremental: bool,
    /// Documents in it.
    pub documents: u32,
    /// Its size.
    pub bytes: f64,
}

/// A folder or file path typed in a form; an empty one is refused naming `what`.
pub(crate) fn path(text: &str, what: &str) -> CmdResult<std::path::PathBuf> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::new("invalid", format!("give the {what}")));
    }
    Ok(std::path::PathBuf::from(t))
}

/// Writes a paczka archiwalna of the chosen cases into a new folder in the target, on a thread
/// of its own, telling its progress through `on_progress`; `cancel_job` with the job's id
/// stops it (nothing is left on the target).
#[tauri::command]
#[specta::specta]
pub async fn export_package(
    app: AppHandle,
    request: ExportRequest,
    on_progress: Channel<ExportProgress>,
) -> CmdResult<ExportView> {
    let target = path(&request.target, "folder to export to")?;
    let closed_before = crate::commands::day(request.closed_before, "closed before")?;
    let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let selection = Selection {
        cases: request.cases,
        jrwa_prefix: blank(request.jrwa_prefix),
        category: blank(request.category),
        closed_before,
        all: request.all,
        since_last: request.since_last,
        documents: Vec::new(),
    };
    let r = tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let (root, _) = state.current()?;
        // A read-only library cannot record the export: say so before writing anything.
        state.job_handles()?;
        crate::schedule::write_then_record(
            &app,
            &state,
            &root,
            &target.display().to_string(),
            |lib, stop, job| {
                let tell = |done: usize, total: usize| {
                    let _ = on_progress.send(ExportProgress {
                        job,
                        done: done as u32,
                        total: total as u32,
                    });
                };
                lib.write_export(&target, &selection, None, &tell, stop)
            },
            |lib, written| written.and_then(|w| lib.record_export(w)),
        )
    })
    .await
    .map_err(|e| AppError::new("unknown", e.to_string()))??;
    Ok(ExportView::from(r))
}

impl From<ExportReport> for ExportView {
    fn from(r: ExportReport) -> Self {
        ExportView {
            package: r.package.map(|p| p.display().to_string()),
            since_package: r.since.map(|s| s.package),
            cases: r.cases as u32,
            documents: r.documents as u32,
            files: r.files as u32,
            bytes: r.bytes as f64,
            checksum: r.checksum,
            failed: r
                .failed
                .into_iter()
                .map(|f| ExportFailureView {
                    document: f.document,
                    case_sign: f.case,
                    reason: f.reason,
                })
                .collect(),
        }
    }
}

/// Writes a full backup of the library (a BagIt bag) into a new folder in the target; with a
/// passphrase, as one encrypted file (`kopia-<date>.tar.age`). The passphrase is not kept.
#[tauri::command]
#[specta::specta]
pub async fn backup_library(
    app: AppHandle,
    target: String,
    passphrase: Option<String>,
) -> CmdResult<BackupView> {
    let target = path(&target, "folder to back up to")?;
    // On a read-only handle of its own, so that searching goes on meanwhile.
    let r = tauri::async_runtime::spawn_blocking(move || -> CmdResult<_> {
        let (root, _) = app.state::<AppState>().current()?;
        let lib = skladnica_core::Library::open(&root)?;
        Ok(match &passphrase {
            Some(p) => lib.backup_encrypted(&target, p)?,
            None => lib.backup(&target)?,
        })
    })
    .await
    .map_err(|e| AppError::new("unknown", e.to_string()))??;
    Ok(BackupView {
        bag: r.bag.display().to_string(),
        documents: r.documents as u32,
        files: r.files as u32,
        bytes: r.bytes as f64,
    })
}

/// Verifies a package or a backup on its carrier; `schema` is an XSD to validate metadata with;
/// an encrypted backup needs its `passphrase`.
#[tauri::command]
#[specta::specta]
pub async fn verify_package(
    dir: String,
    schema: Option<String>,
    passphrase: Option<String>,
) -> CmdResult<VerifyView> {
    let dir = path(&dir, "folder to verify")?;
    let schema = schema
        .filter(|s| !s.trim().is_empty())
        .map(|s| std::path::PathBuf::from(s.trim()));
    let encrypted = export::encrypted::is_encrypted(&dir);
    let backup = encrypted || export::backup::is_bag(&dir);
    if encrypted && passphrase.is_none() {
        return Err(AppError::new(
            "passphrase_needed",
            format!(
                "{}: an encrypted backup: give its passphrase",
                dir.display()
            ),
        ));
    }
    let r = tauri::async_runtime::spawn_blocking(move || match passphrase {
        Some(p) if encrypted => export::encrypted::verify_encrypted(&dir, &p),
        _ => export::verify::verify(&dir, schema.as_deref()),
    })
    .await
    .map_err(|e| AppError::new("unknown", e.to_string()))??;
    Ok(VerifyView {
        backup,
        files_checked: r.files_checked as u32,
        bytes: r.bytes as f64,
        schema_checked: r.schema_checked as u32,
        problems: r
            .problems
            .into_iter()
            .map(|p| ProblemView {
                path: p.path,
                reason: p.reason,
            })
            .collect(),
    })
}

/// The export log, newest first.
#[tauri::command]
#[specta::specta]
pub async fn exports(state: State<'_, AppState>) -> CmdResult<Vec<ExportLogView>> {
    state.read(|lib| {
        Ok(lib
            .exports(None)?
            .into_iter()
            .map(|e| ExportLogView {
                target: e.target,
                package: e.package,
                finished_at: e.finished_at,
                incremental: e.incremental,
                documents: e.documents as u32,
                bytes: e.bytes as f64,
            })
            .collect())
    })
}
