//! Scheduled exports, run by the app while it is open. A thread looks at the library's export
//! targets every half minute (and at once when a target is added or the library changes): it
//! notes when each removable disk was plugged in, runs the incremental export of every target
//! whose time has come (see `skladnica_core::export::targets::is_due`), and tells the windows
//! each target's state as `TargetsChanged` (connected, last export, due, overdue, failing).
//!
//! An export, scheduled or asked for, writes its package through a read-only handle of the
//! library of its own, so the clerks go on saving and searching; only the entry in the export
//! log takes the writer, for a moment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use skladnica_core::Library;
use skladnica_core::export::targets::{self, NewTarget, Place, Target, TargetContents};
use skladnica_core::export::{ExportReport, WrittenExport};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::archive::{ExportProgress, ExportView};
use crate::background::{Background, poll_from_env};
use crate::error::{AppError, CmdResult};
use crate::events::JobsChanged;
use crate::state::AppState;

/// An export target as the Archiwum view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TargetView {
    /// Its name.
    pub name: String,
    /// A removable disk (else a folder at a fixed path).
    pub disk: bool,
    /// The folder's path, or the disk's label.
    pub place: String,
    /// On a disk, the folder on it packages go into.
    pub folder: Option<String>,
    /// Exported to at least every so many days.
    pub every_days: u32,
    /// Also when its disk is plugged in.
    pub on_connect: bool,
    /// Only cases of this category.
    pub category: Option<String>,
    /// Only cases of JRWA classes starting with this.
    pub jrwa_prefix: Option<String>,
    /// Where its packages go now; none when it is not connected.
    pub location: Option<String>,
    /// The last successful export (UTC).
    pub last_success_at: Option<String>,
    /// Its newest package's folder name.
    pub last_package: Option<String>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// An export is due now.
    pub due: bool,
    /// No successful export for longer than its period.
    pub overdue: bool,
}

/// The export targets' state, sent whenever it changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type, Event)]
pub struct TargetsChanged {
    /// Every target, by name.
    pub targets: Vec<TargetView>,
    /// The target being exported to now.
    pub running: Option<String>,
}

/// A target to register, as the Archiwum view asks it.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct TargetRequest {
    /// Its name.
    pub name: String,
    /// The folder, or the folder the disk is mounted at now.
    pub path: String,
    /// `path` is a removable disk.
    pub disk: bool,
    /// On a disk, the folder on it for packages (default `Skladnica`).
    pub folder: Option<String>,
    /// Every so many days.
    pub every_days: u32,
    /// Also when the disk is plugged in.
    pub on_connect: bool,
    /// Only cases of this category.
    pub category: Option<String>,
    /// Only cases of JRWA classes starting with this.
    pub jrwa_prefix: Option<String>,
}

/// The scheduler: the targets' state on a background thread, and when each disk was plugged in.
pub struct Scheduler {
    background: Background<TargetsChanged>,
    seen: Mutex<Seen>,
}

/// When each target's disk was first seen plugged in, for the library it belongs to.
#[derive(Default)]
struct Seen {
    library: Option<PathBuf>,
    connected: HashMap<i64, i64>,
}

impl Scheduler {
    /// Starts the scheduler thread: it looks at the targets every half minute
    /// (`SKLADNICA_SCHEDULE_SECONDS` sets another, for tests) and exports to those due.
    pub fn start(app: AppHandle) -> Scheduler {
        Scheduler {
            background: Background::start(
                "skladnica-schedule",
                app,
                poll_from_env("SKLADNICA_SCHEDULE_SECONDS", 30),
                tick,
            ),
            seen: Mutex::new(Seen::default()),
        }
    }

    /// Looks at the targets now.
    pub fn wake(&self) {
        self.background.wake();
    }

    fn status(&self) -> TargetsChanged {
        self.background.status()
    }

    fn update(&self, app: &AppHandle, f: impl FnOnce(&mut TargetsChanged)) {
        self.background.update(app, f);
    }
}

/// One look: the targets' state, then an export to each one due.
fn tick(app: &AppHandle) {
    let state = app.state::<AppState>();
    let due = look(app);
    let Ok((root, false)) = state.current() else {
        return;
    };
    if state.signed_out() {
        return;
    }
    for target in due {
        // A failure is recorded on the target and shown with it.
        let _ = export_to(app, &state, &root, &target, &|_, _| {});
        look(app);
    }
}

/// Refreshes the targets' state (telling the windows when it changed), noting disks plugged
/// in or pulled out; returns the targets an export is due to.
fn look(app: &AppHandle) -> Vec<Target> {
    let state = app.state::<AppState>();
    let scheduler = app.state::<Scheduler>();
    let Ok((root, _)) = state.current() else {
        scheduler.update(app, |s| *s = TargetsChanged::default());
        return Vec::new();
    };
    let now = targets::now_secs();
    let mut seen = scheduler.seen.lock().unwrap_or_else(|e| e.into_inner());
    if seen.library.as_ref() != Some(&root) {
        *seen = Seen {
            library: Some(root),
            connected: HashMap::new(),
        };
    }
    // A disk is plugged in since it was first seen reachable, until it is not.
    let statuses = state.read(|lib| {
        Ok(
            lib.target_statuses(now, &mut |t, reachable| match reachable {
                true => Some(*seen.connected.entry(t.id).or_insert(now)),
                false => {
                    seen.connected.remove(&t.id);
                    None
                }
            })?,
        )
    });
    drop(seen);
    let Ok(statuses) = statuses else {
        return Vec::new();
    };
    let due = statuses
        .iter()
        .filter(|s| s.due)
        .map(|s| s.target.clone())
        .collect();
    let views = statuses.into_iter().map(view).collect();
    scheduler.update(app, |s| s.targets = views);
    due
}

fn view(s: targets::TargetStatus) -> TargetView {
    let t = s.target;
    let (disk, place, folder) = match t.place {
        Place::Folder { path } => (false, path, None),
        Place::Disk { label, folder, .. } => (true, label, Some(folder)),
    };
    TargetView {
        name: t.name,
        disk,
        place,
        folder,
        every_days: t.every_days,
        on_connect: t.on_connect,
        category: t.contents.category,
        jrwa_prefix: t.contents.jrwa_prefix,
        location: s.location.map(|p| p.display().to_string()),
        last_success_at: t.last_success_at,
        last_package: s.last_package.map(|p| p.package),
        last_error: t.last_error,
        due: s.due,
        overdue: s.overdue,
    }
}

/// Writes the package on a read-only handle of its own as a job (the status bar shows it,
/// `cancel_job` stops it), then records it with the writer. One export runs at a time (two
/// into one folder would share its unfinished package): another is refused, naming the one
/// running, which `label` names for the windows meanwhile.
pub fn write_then_record(
    app: &AppHandle,
    state: &AppState,
    root: &Path,
    label: &str,
    write: impl FnOnce(&Library, &dyn Fn() -> bool, u32) -> skladnica_core::Result<WrittenExport>,
    record: impl FnOnce(
        &Library,
        skladnica_core::Result<WrittenExport>,
    ) -> skladnica_core::Result<ExportReport>,
) -> CmdResult<ExportReport> {
    let scheduler = app.state::<Scheduler>();
    {
        let mut status = scheduler.background.lock();
        if let Some(other) = &status.running {
            return Err(AppError::new(
                "busy",
                format!("an export to {other} is running; try again when it has finished"),
            ));
        }
        status.running = Some(label.to_string());
        let _ = status.clone().emit(app);
    }
    let (id, flags) = state.start_job();
    let tell_jobs = || {
        let _ = JobsChanged {
            running: state.jobs_running() as u32,
        }
        .emit(app);
    };
    tell_jobs();
    let stop = || flags.cancelled.load(Ordering::SeqCst);
    let written = Library::open(root)
        .map_err(AppError::from)
        .map(|lib| write(&lib, &stop, id));
    state.end_job(id);
    tell_jobs();
    let r = written.and_then(|w| state.write(|lib| Ok(record(lib, w)?)));
    scheduler.update(app, |s| s.running = None);
    r
}

/// Exports to `target` now, telling progress as `(job, done, total)`.
fn export_to(
    app: &AppHandle,
    state: &AppState,
    root: &Path,
    target: &Target,
    progress: &dyn Fn(u32, (usize, usize)),
) -> CmdResult<ExportReport> {
    write_then_record(
        app,
        state,
        root,
        &target.name,
        |lib, stop, job| {
            let tell = |done, total| progress(job, (done, total));
            lib.write_target_export(target, &tell, stop)
        },
        |lib, written| lib.record_target_export(target, written),
    )
}

/// The export targets and their state.
#[tauri::command]
#[specta::specta]
pub async fn export_targets(app: AppHandle) -> CmdResult<TargetsChanged> {
    look(&app);
    Ok(app.state::<Scheduler>().status())
}

/// Registers an export target; its first export runs at once when it is connected. Returns
/// the targets' state.
#[tauri::command]
#[specta::specta]
pub async fn add_export_target(
    app: AppHandle,
    state: State<'_, AppState>,
    scheduler: State<'_, Scheduler>,
    request: TargetRequest,
) -> CmdResult<TargetsChanged> {
    let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let new = NewTarget {
        name: request.name,
        path: PathBuf::from(request.path.trim()),
        disk: request.disk,
        folder: request.folder.unwrap_or_default(),
        every_days: request.every_days,
        on_connect: request.on_connect,
        contents: TargetContents {
            category: blank(request.category),
            jrwa_prefix: blank(request.jrwa_prefix),
        },
    };
    state.write(|lib| Ok(lib.add_target(&new).map(|_| ())?))?;
    look(&app);
    scheduler.wake();
    Ok(scheduler.status())
}

/// Forgets an export target (its packages and the export log stay); returns the targets'
/// state.
#[tauri::command]
#[specta::specta]
pub async fn remove_export_target(
    app: AppHandle,
    state: State<'_, AppState>,
    scheduler: State<'_, Scheduler>,
    name: String,
) -> CmdResult<TargetsChanged> {
    state.write(|lib| Ok(lib.remove_target(&name)?))?;
    look(&app);
    Ok(scheduler.status())
}

/// Exports to a target now (what changed since its last export), telling progress through
/// `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn export_to_target(
    app: AppHandle,
    name: String,
    on_progress: Channel<ExportProgress>,
) -> CmdResult<ExportView> {
    let r = tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let (root, _) = state.current()?;
        state.job_handles()?;
        let target = state.read(|lib| Ok(lib.target(&name)?))?;
        let tell = |job, (done, total): (usize, usize)| {
            let _ = on_progress.send(ExportProgress {
                job,
                done: done as u32,
                total: total as u32,
            });
        };
        let r = export_to(&app, &state, &root, &target, &tell);
        look(&app);
        r
    })
    .await
    .map_err(|e| AppError::new("unknown", e.to_string()))??;
    Ok(ExportView::from(r))
}
