//! The scanners SANE sees and the library's scan profiles, for the Skanowanie view. The scan
//! itself is a job ([`crate::jobs::scan`]).

use serde::Serialize;
use skladnica_core::capture;
use tauri::State;

use crate::error::{AppError, CmdResult};
use crate::state::AppState;

/// A scanner, as the scanner list shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ScannerView {
    /// SANE's name for it, to pass back to `scan`.
    pub name: String,
    /// Maker and model.
    pub label: String,
    /// Its kind (`flatbed scanner`, `virtual device`).
    pub kind: String,
    /// Its paper sources, as it calls them.
    pub sources: Vec<String>,
    /// Its colour modes, as it calls them.
    pub modes: Vec<String>,
    /// Why it could not be opened, when it could not.
    pub error: Option<String>,
}

/// A scan profile, as the profile list shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProfileView {
    /// Its name, to pass back to `scan`.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Dots per inch.
    pub resolution: u32,
    /// `color`, `gray` or `lineart`.
    pub colour: String,
    /// `adf`, `adf-duplex`, `flatbed`, or none (the feeder when there is one).
    pub source: Option<String>,
}

/// The scanners connected now. Looking can take a few seconds (network scanners answer
/// slowly), so it runs on a worker thread.
#[tauri::command]
#[specta::specta]
pub async fn scanners() -> CmdResult<Vec<ScannerView>> {
    let devices = tauri::async_runtime::spawn_blocking(capture::devices)
        .await
        .map_err(|e| AppError::new("scan", format!("looking for scanners stopped: {e}")))??;
    Ok(devices
        .into_iter()
        .map(|d| ScannerView {
            label: format!("{} {}", d.vendor, d.model).trim().to_string(),
            name: d.name,
            kind: d.kind,
            sources: d.sources,
            modes: d.modes,
            error: d.error,
        })
        .collect())
}

/// The scan profiles: the built-in ones and the library's own.
#[tauri::command]
#[specta::specta]
pub async fn scan_profiles(state: State<'_, AppState>) -> CmdResult<Vec<ProfileView>> {
    let profiles = state.read(|lib| Ok(capture::profiles(lib)?))?;
    Ok(profiles
        .into_iter()
        .map(|p| ProfileView {
            name: p.name,
            description: p.description,
            resolution: p.resolution,
            colour: lower_name(&p.colour),
            source: p.source.map(|s| lower_name(&s)),
        })
        .collect())
}

/// A value's serialised name (`"gray"` for `Colour::Gray`).
fn lower_name(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
