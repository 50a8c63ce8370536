//! Operator profiles in the app: the sign-in screen a library with profiles opens on, signing
//! out, and the administrator's list of profiles in the settings. The roles' limits are the
//! core's (`skladnica_core::operators`), so the app and the `skladnica` command agree.

use serde::Serialize;
use skladnica_core::Library;
use skladnica_core::operators::{Operator, Role};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Who may sign in and who has.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct OperatorsView {
    /// Every profile, active ones first.
    pub profiles: Vec<Operator>,
    /// The operator signed in.
    pub signed_in: Option<Operator>,
    /// The library has profiles and nobody is signed in: the app shows only the sign-in.
    pub sign_in_required: bool,
}

fn view(lib: &Library) -> CmdResult<OperatorsView> {
    let profiles = lib.operators()?;
    let signed_in = lib.session().cloned();
    let active = profiles.iter().any(|o| o.retired_at.is_none());
    Ok(OperatorsView {
        sign_in_required: active && signed_in.is_none(),
        profiles,
        signed_in,
    })
}

/// The profiles and who is signed in. Read through the reader (which shares the writer's
/// sign-in), so that asking — the windows ask whenever the library changes — never pauses a
/// running import.
#[tauri::command]
#[specta::specta]
pub async fn operators(state: State<'_, AppState>) -> CmdResult<OperatorsView> {
    state.read(view)
}

/// Signs `name` in (with the password when the profile has one); both outcomes are logged.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    state: State<'_, AppState>,
    name: String,
    password: Option<String>,
) -> CmdResult<OperatorsView> {
    state.sign(|lib| {
        lib.sign_in(&name, password.as_deref())?;
        view(lib)
    })
}

/// Signs the operator out; on a library with profiles the app returns to the sign-in.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> CmdResult<OperatorsView> {
    state.sign(|lib| {
        lib.sign_out()?;
        view(lib)
    })
}

/// Adds a profile (the first an administrator's, who is then signed in; later ones by an
/// administrator).
#[tauri::command]
#[specta::specta]
pub async fn add_operator(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    password: Option<String>,
) -> CmdResult<OperatorsView> {
    state.sign(|lib| {
        lib.add_operator(&name, role, password.as_deref().filter(|p| !p.is_empty()))?;
        view(lib)
    })
}

/// Retires a profile (an administrator): it can no longer sign in; the log keeps naming it.
#[tauri::command]
#[specta::specta]
pub async fn retire_operator(state: State<'_, AppState>, name: String) -> CmdResult<OperatorsView> {
    state.sign(|lib| {
        lib.retire_operator(&name)?;
        view(lib)
    })
}
