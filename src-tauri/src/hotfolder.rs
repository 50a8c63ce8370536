//! The hot folder, watched from the app: the library remembers the folder (and whether it is
//! on); a thread looks at it every few seconds, imports the files that are complete (moving them
//! to `zaimportowane/` or `odrzucone/` with the reason, see `skladnica_core::watch`), then reads
//! them (OCR, metadata) as a job. Its state reaches the windows as `HotFolderChanged`.
//!
//! A folder that disappears (an unplugged USB disk, a share gone) is reported and watched again
//! when it comes back; nothing is lost, since files leave the folder only once imported.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use skladnica_core::ingest::{ImportEvent, ImportOptions};
use skladnica_core::watch::{self, HotFolder, WatchState};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::background::Background;
use crate::error::{AppError, CmdResult};
use crate::events::{Changes, JobsChanged};
use crate::jobs::{Job, JobEvent};
use crate::state::{AppState, refresh};

/// How often the folder is looked at.
const POLL: Duration = Duration::from_secs(2);

/// Refused files remembered for the view.
const RECENT: usize = 20;

/// A file the hot folder refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Refusal {
    /// The file.
    pub path: String,
    /// Why, as a code the UI translates.
    pub code: String,
    /// Why, in full.
    pub error: String,
}

/// What the hot folder is doing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type, Event)]
pub struct HotFolderChanged {
    /// The library's hot folder, if one is set.
    pub folder: Option<HotFolder>,
    /// It is being watched now (set, on, and the library writable).
    pub watching: bool,
    /// Files imported since the app started.
    pub imported: u32,
    /// Files refused since the app started (moved to `odrzucone/`).
    pub refused: u32,
    /// Files still being written, left for a later look.
    pub waiting: u32,
    /// Why the folder cannot be watched now (missing, read-only library).
    pub error: Option<AppError>,
    /// The latest refused files, newest last.
    pub recent: Vec<Refusal>,
}

/// The watcher thread and the hot folder's state.
pub type Watcher = Background<HotFolderChanged>;

/// Starts the watcher thread: it looks at the folder every 2 s, or at once when woken (the
/// setting changed, another library was opened).
pub fn start(app: AppHandle) -> Watcher {
    let mut watching: Option<(HotFolder, WatchState)> = None;
    Background::start("skladnica-hot-folder", app, POLL, move |app| {
        let state = app.state::<AppState>();
        let watcher = app.state::<Watcher>();
        let folder = state.read(|lib| Ok(watch::hot_folder(lib)?)).ok().flatten();
        let Some(folder) = folder.filter(|f| f.enabled) else {
            watching = None;
            watcher.update(app, |s| {
                s.watching = false;
                s.error = None;
                s.waiting = 0;
            });
            return;
        };
        // A new folder (or split setting) starts afresh.
        if watching.as_ref().map(|(f, _)| f) != Some(&folder) {
            let mut ws = WatchState::default();
            ws.separation = folder.split_stacks.then(Default::default);
            watching = Some((folder.clone(), ws));
        }
        let (_, ws) = watching.as_mut().expect("just set");
        match look(app, &state, &watcher, &folder, ws) {
            Ok(()) => watcher.update(app, |s| {
                s.watching = true;
                s.error = None;
            }),
            Err(e) => watcher.update(app, |s| {
                s.watching = false;
                s.error = Some(e);
            }),
        };
    })
}

/// One look at the folder: imports what is complete, then reads it.
fn look(
    app: &AppHandle,
    state: &AppState,
    watcher: &Watcher,
    folder: &HotFolder,
    ws: &mut WatchState,
) -> CmdResult<()> {
    let (writer, reader) = state.job_handles()?;
    let changes = app.state::<Changes>();
    let flags = state.watcher.clone();
    let job = Job {
        id: 0,
        flags: &flags,
        writer: &writer,
        reader: &reader,
        state,
        changes: &changes,
        events: &|_| {},
    };
    let mut refusals = Vec::new();
    let mut ids = Vec::new();
    let pass = {
        let mut lib = job.writer();
        // A save asks the pass to stop between files; the rest waits for the next look.
        flags.interrupt.store(false, Ordering::SeqCst);
        watch::pass(
            &mut lib,
            std::path::Path::new(&folder.path),
            ws,
            watch::DEFAULT_SETTLE,
            &ImportOptions::default(),
            &mut |e| match e {
                ImportEvent::Imported(item) => ids.push(item.id),
                ImportEvent::Failed(item) => refusals.push(Refusal {
                    path: item.path.clone(),
                    code: item.code.to_string(),
                    error: item.error.clone(),
                }),
                _ => {}
            },
            &flags.interrupt,
        )?
    };
    let imported = pass.import.imported.len() as u32;
    watcher.update(app, |s| {
        s.imported += imported;
        s.refused += pass.moved_failed as u32;
        s.waiting = pass.waiting as u32;
        s.recent.extend(refusals);
        let over = s.recent.len().saturating_sub(RECENT);
        s.recent.drain(..over);
    });
    if imported == 0 {
        return Ok(());
    }
    refresh(&reader);
    changes.documents(ids);
    // Reading the new pages is a job like any import: the status bar shows it, a save pauses it.
    let (id, job_flags) = state.start_job();
    let _ = JobsChanged {
        running: state.jobs_running() as u32,
    }
    .emit(app);
    let reading = Job {
        id,
        flags: &job_flags,
        ..job
    };
    let end = reading.read_and_finish(imported, 0, 0);
    state.end_job(id);
    let _ = JobsChanged {
        running: state.jobs_running() as u32,
    }
    .emit(app);
    match end {
        Ok(JobEvent::Failed { error }) | Err(error) => Err(error),
        Ok(_) => Ok(()),
    }
}

/// The hot folder's setting and what it is doing.
#[tauri::command]
#[specta::specta]
pub async fn hot_folder(watcher: State<'_, Watcher>) -> CmdResult<HotFolderChanged> {
    Ok(watcher.status())
}

/// Sets the library's hot folder (checked: an existing folder outside the library) and looks at
/// it at once.
#[tauri::command]
#[specta::specta]
pub async fn set_hot_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    watcher: State<'_, Watcher>,
    folder: HotFolder,
) -> CmdResult<HotFolderChanged> {
    state.write(|lib| Ok(watch::set_hot_folder(lib, &folder)?))?;
    let saved = state.read(|lib| Ok(watch::hot_folder(lib)?))?;
    watcher.update(&app, |s| s.folder = saved);
    watcher.wake();
    Ok(watcher.status())
}

/// Fills the status's setting from the open library (at start, and when another is opened).
pub fn load_setting(app: &AppHandle) {
    let state = app.state::<AppState>();
    let watcher = app.state::<Watcher>();
    let saved = state.read(|lib| Ok(watch::hot_folder(lib)?)).ok().flatten();
    watcher.update(app, |s| s.folder = saved);
    watcher.wake();
}
