//! Sending to the EZD RP while the app is open. A thread looks at the outbox every half minute
//! (`SKLADNICA_SYNC_SECONDS` sets another, for tests), and at once when asked ("send now") or
//! when the connection is set up: when an EZD connection is set up and items are due, it sends
//! them (see `skladnica_core::sync`) on a read-only handle of the library of its own, taking the
//! writer only for the moment each step's outcome is written, so clerks go on working. The
//! windows hear the outbox's state as `OutboxChanged`.

use serde::{Deserialize, Serialize};
use skladnica_core::Library;
use skladnica_core::db::outbox::{self, OutboxItem};
use skladnica_core::sync::EzdSettings;
use skladnica_records::RpwNumber;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::background::{Background, poll_from_env};
use crate::error::{AppError, CmdResult};
use crate::state::AppState;

/// The outbox as the windows show it, sent whenever it changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type, Event)]
pub struct OutboxChanged {
    /// The connection's settings, when one is set up (the key is never among them).
    pub settings: Option<EzdSettings>,
    /// For an EZD without the API: the folder packages are dropped into.
    pub drop_folder: Option<String>,
    /// Every item, oldest first.
    pub items: Vec<OutboxItem>,
    /// Sending now.
    pub sending: bool,
    /// Why the last run stopped early (the EZD unreachable, failing, credentials refused).
    pub stopped: Option<String>,
}

/// The sending thread (`SKLADNICA_SYNC_SECONDS` sets how often it looks, for tests).
pub type EzdSender = Background<OutboxChanged>;

/// Starts the sending thread.
pub fn start(app: AppHandle) -> EzdSender {
    Background::start(
        "skladnica-ezd",
        app,
        poll_from_env("SKLADNICA_SYNC_SECONDS", 30),
        |app| {
            let due = refresh(app).is_ok_and(|s| {
                (s.settings.is_some() || s.drop_folder.is_some())
                    && s.items
                        .iter()
                        .any(|i| i.state == "queued" || i.state == "sending")
            });
            if due {
                send(app);
            }
        },
    )
}

/// Reads the outbox and the settings anew, telling the windows when they changed.
fn refresh(app: &AppHandle) -> CmdResult<OutboxChanged> {
    let state = app.state::<AppState>();
    let sender = app.state::<EzdSender>();
    let read = state.read(|lib| {
        let settings = lib.ezd_settings()?;
        let drop = lib
            .ezd_drop_folder()?
            .map(|d| d.to_string_lossy().into_owned());
        let items = lib.ezd_outbox()?;
        Ok((settings, drop, items))
    });
    match read {
        Ok((settings, drop, items)) => Ok(sender.update(app, |s| {
            s.settings = settings;
            s.drop_folder = drop;
            s.items = items;
        })),
        Err(e) => {
            sender.update(app, |s| *s = OutboxChanged::default());
            Err(e)
        }
    }
}

/// One run over what is due: read through a handle of its own, each step's outcome written
/// with the writer.
fn send(app: &AppHandle) {
    let state = app.state::<AppState>();
    let sender = app.state::<EzdSender>();
    let Ok((root, false)) = state.current() else {
        return;
    };
    if state.signed_out() {
        return;
    }
    sender.update(app, |s| s.sending = true);
    let result = Library::open(&root)
        .map_err(AppError::from)
        .and_then(|lib| {
            let save = |id: i64, p: &outbox::Progress| {
                state
                    .write(|w| Ok(outbox::record(w.conn(), id, p)?))
                    .map_err(|e| skladnica_core::Error::Invalid(e.message))
            };
            Ok(lib.send_due_with(&save, &mut |_| {
                let _ = refresh(app);
            })?)
        });
    let stopped = match result {
        Ok(report) => report.stopped,
        Err(e) => Some(e.message),
    };
    sender.update(app, |s| {
        s.sending = false;
        s.stopped = stopped;
    });
    let _ = refresh(app);
}

/// The outbox and the connection's settings.
#[tauri::command]
#[specta::specta]
pub async fn ezd_outbox(app: AppHandle) -> CmdResult<OutboxChanged> {
    refresh(&app)
}

/// Sets up the EZD connection (the key is kept outside the library, never shown again), then
/// looks at the outbox at once.
#[tauri::command]
#[specta::specta]
pub async fn configure_ezd(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: EzdSettings,
    key: String,
) -> CmdResult<OutboxChanged> {
    let s = EzdSettings {
        api_url: settings.api_url.trim().to_string(),
        sso_url: settings.sso_url.trim().to_string(),
        pid: settings.pid.trim().to_string(),
        aki: settings.aki.trim().to_string(),
        sid: settings.sid.trim().to_string(),
        ca_file: settings.ca_file.filter(|c| !c.trim().is_empty()),
        timeout_seconds: settings.timeout_seconds.clamp(5, 600),
    };
    state.write(|lib| Ok(lib.configure_ezd(&s, key.trim()).map(|_| ())?))?;
    app.state::<EzdSender>().wake();
    refresh(&app)
}

/// For an EZD without the API: letters go as packages into `folder` (replacing an API
/// connection).
#[tauri::command]
#[specta::specta]
pub async fn set_ezd_drop_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: String,
) -> CmdResult<OutboxChanged> {
    let folder = crate::archive::path(&folder, "drop folder")?;
    state.write(|lib| Ok(lib.configure_ezd_drop_folder(&folder)?))?;
    app.state::<EzdSender>().wake();
    refresh(&app)
}

/// Sends what is due now (on the sending thread; the outbox's events tell how it goes).
#[tauri::command]
#[specta::specta]
pub async fn send_to_ezd_now(app: AppHandle) -> CmdResult<()> {
    let s = refresh(&app)?;
    if s.settings.is_none() && s.drop_folder.is_none() {
        return Err(AppError::new(
            "ezd_not_configured",
            "no EZD connection is set up; set it up in the settings",
        ));
    }
    app.state::<EzdSender>().wake();
    Ok(())
}

/// Queues a register entry again (after a refusal), then sends.
#[tauri::command]
#[specta::specta]
pub async fn queue_for_ezd(
    app: AppHandle,
    state: State<'_, AppState>,
    number: String,
) -> CmdResult<OutboxChanged> {
    let n: RpwNumber = number
        .parse()
        .map_err(|e: skladnica_records::Error| AppError::new("invalid", e.to_string()))?;
    state.write(|lib| Ok(lib.queue_for_ezd(&[n])?))?;
    app.state::<EzdSender>().wake();
    refresh(&app)
}
