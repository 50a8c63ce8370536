//! Where the EZD API key is kept: a file of its own in the user's configuration folder
//! (`SKLADNICA_CONFIG_DIR`, else the OS's: `~/.config/skladnica` on Linux, `%APPDATA%` on
//! Windows), readable by the user alone, never in the library, so that no backup, export or
//! package carries it. (The operating system's keyring is the next step; see README.)

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::EzdSettings;
use crate::error::{Error, Result};

/// The folder the key files are in.
fn folder() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("SKLADNICA_CONFIG_DIR") {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("pl", "Skladnica", "Skladnica")
        .map(|d| d.config_dir().to_path_buf())
        .ok_or_else(|| Error::Invalid("no configuration folder for this user".into()))
}

/// The key file of one connection (the API, entity and key id it belongs to).
fn path(s: &EzdSettings) -> Result<PathBuf> {
    let id = Sha256::digest(format!("{}\n{}\n{}", s.api_url, s.pid, s.aki).as_bytes());
    Ok(folder()?.join(&format!("ezd-klucz-{id:x}")[..26]))
}

/// Keeps `key` for the connection `s` (replacing an earlier one).
pub fn store(s: &EzdSettings, key: &str) -> Result<()> {
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
    f.write_all(key.trim().as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// The key kept for the connection `s`.
pub fn load(s: &EzdSettings) -> Result<String> {
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
