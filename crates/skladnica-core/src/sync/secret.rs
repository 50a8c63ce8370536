//! Where the EZD API key is kept, never in the library (so no backup, export or package
//! carries it): in the operating system's keyring — the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Credential Manager on Windows — and, only where no keyring answers
//! (a PC without a desktop session, say), in a file of its own in the user's configuration
//! folder (`SKLADNICA_CONFIG_DIR`, else the OS's), readable by the user alone.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::EzdSettings;
use crate::error::{Error, Result};

/// The name a key is kept under: the API, entity and key id it belongs to.
fn account(s: &EzdSettings) -> String {
    let id = Sha256::digest(format!("{}\n{}\n{}", s.api_url, s.pid, s.aki).as_bytes());
    format!("ezd-klucz-{id:x}")[..26].to_string()
}

/// Where the key was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// In the operating system's keyring.
    Keyring,
    /// In the fallback file.
    File,
}

/// Keeps `key` for the connection `s` (replacing an earlier one): in the keyring when one
/// answers (and then no file is left), else in the file.
pub fn store(s: &EzdSettings, key: &str) -> Result<Kept> {
    let key = key.trim();
    if keyring::store(&account(s), key) {
        let _ = fs::remove_file(path(s)?);
        return Ok(Kept::Keyring);
    }
    store_file(s, key)?;
    Ok(Kept::File)
}

/// The key kept for the connection `s`.
pub fn load(s: &EzdSettings) -> Result<String> {
    if let Some(k) = keyring::load(&account(s)) {
        return Ok(k);
    }
    let path = path(s)?;
    match fs::read_to_string(&path) {
        Ok(k) if !k.trim().is_empty() => Ok(k.trim().to_string()),
        Ok(_) => Err(Error::Invalid(format!(
            "the EZD API key file {} is empty; set the key again (skladnica sync config)",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Invalid(
            "the EZD API key is not on this computer; set it again (skladnica sync config)".into(),
        )),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// The folder the fallback files are in.
fn folder() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("SKLADNICA_CONFIG_DIR") {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("pl", "Skladnica", "Skladnica")
        .map(|d| d.config_dir().to_path_buf())
        .ok_or_else(|| Error::Invalid("no configuration folder for this user".into()))
}

/// The fallback file of one connection.
fn path(s: &EzdSettings) -> Result<PathBuf> {
    Ok(folder()?.join(account(s)))
}

fn store_file(s: &EzdSettings, key: &str) -> Result<()> {
    let path = path(s)?;
    let dir = path.parent().expect("a key file has a folder");
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = path.with_extension("nowy");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(key.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// The operating system's keyring, where there is one; `false`/`None` when it does not answer.
#[cfg(any(target_os = "linux", windows))]
mod keyring {
    const SERVICE: &str = "Składnica EZD RP";

    /// True when the keyring took the key.
    pub fn store(account: &str, key: &str) -> bool {
        // `SKLADNICA_NO_KEYRING` keeps the keyring out (tests of the file fallback).
        std::env::var_os("SKLADNICA_NO_KEYRING").is_none()
            && ::keyring::Entry::new(SERVICE, account).is_ok_and(|e| e.set_password(key).is_ok())
    }

    /// The key, when the keyring holds it.
    pub fn load(account: &str) -> Option<String> {
        if std::env::var_os("SKLADNICA_NO_KEYRING").is_some() {
            return None;
        }
        ::keyring::Entry::new(SERVICE, account)
            .ok()?
            .get_password()
            .ok()
            .filter(|k| !k.is_empty())
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod keyring {
    pub fn store(_account: &str, _key: &str) -> bool {
        false
    }

    pub fn load(_account: &str) -> Option<String> {
        None
    }
}
