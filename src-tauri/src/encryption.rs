//! Encryption at rest in the app: the administrator's "Szyfrowanie" settings (encrypt the open
//! library, finish an interrupted run, a new recovery passphrase) and the unlock screen an encrypted library opens on where
//! this computer's keyring does not hold its key. The scheme is the core's
//! (`skladnica_core::crypt`), so the app and the `skladnica` command agree.

use serde::Serialize;
use skladnica_core::crypt::{self, Kept};
use tauri::State;

use crate::commands::{LibraryInfo, opened};
use crate::error::{AppError, CmdResult};
use crate::events::Changes;
use crate::state::AppState;

/// What encrypting did.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EncryptionDone {
    /// Originals sealed.
    pub originals: u32,
    /// Documents in the rebuilt, sealed index.
    pub documents: u32,
    /// The key is in this computer's keyring (else the recovery passphrase is asked at the next
    /// start).
    pub in_keyring: bool,
}

/// Encrypts the open library: database, originals and search index (an administrator's
/// setting). `passphrase` is the recovery passphrase (at least 12 characters), needed where
/// the keyring does not hold the key; it is not stored.
#[tauri::command]
#[specta::specta]
pub async fn encrypt_library(
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    passphrase: String,
) -> CmdResult<EncryptionDone> {
    let done = state.encrypt(&passphrase)?;
    changes.all();
    Ok(EncryptionDone {
        originals: done.blobs_sealed as u32,
        documents: done.documents_indexed as u32,
        in_keyring: done.kept == Kept::Keyring,
    })
}

/// Gives the open, encrypted library a new recovery passphrase (an administrator's setting); the
/// old one no longer opens it.
#[tauri::command]
#[specta::specta]
pub async fn change_recovery_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
) -> CmdResult<()> {
    state.write(|lib| Ok(lib.change_recovery_passphrase(&passphrase)?))
}

/// Opens the encrypted library that could not be opened (its key not in this computer's
/// keyring) with its recovery passphrase; the key is then kept in the keyring.
#[tauri::command]
#[specta::specta]
pub async fn unlock_library(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    passphrase: String,
) -> CmdResult<LibraryInfo> {
    let root = state.wanted().ok_or_else(|| {
        AppError::new(
            "no_library",
            "no library was asked for; choose one in the settings",
        )
    })?;
    crypt::unlock(&root, &passphrase)?;
    state.open_library(&root, false)?;
    opened(&app, &state, &changes, &root)
}
