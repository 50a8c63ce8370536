//! Where the EZD API key is kept, never in the library (so no backup, export or package
//! carries it): in the operating system's keyring — the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Credential Manager on Windows — and, only where no keyring answers
//! (a PC without a desktop session, say), in a file of its own in the user's configuration
//! folder (`SKLADNICA_CONFIG_DIR`, else the OS's), readable by the user alone and sealed
//! (ChaCha20-Poly1305) with a key derived from this machine's id, the user's name and a random
//! salt: a copy of the file taken to another computer or account (a backup of the home folder,
//! say) does not open. It does not stand against someone who can run programs as this user on
//! this computer; that is what the keyring is for.

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
    if crate::keystore::store(crate::keystore::EZD, &account(s), key) {
        let _ = fs::remove_file(path(s)?);
        return Ok(Kept::Keyring);
    }
    store_file(s, key)?;
    Ok(Kept::File)
}

/// The key kept for the connection `s`.
pub fn load(s: &EzdSettings) -> Result<String> {
    if let Some(k) = crate::keystore::load(crate::keystore::EZD, &account(s)) {
        return Ok(k);
    }
    let path = path(s)?;
    match fs::read(&path) {
        Ok(bytes) if bytes.starts_with(MAGIC) => open(&bytes).ok_or_else(|| {
            Error::Invalid(format!(
                "the EZD API key file {} was sealed on another computer or for another user, or \
                 is damaged; set the key again (skladnica sync config)",
                path.display()
            ))
        }),
        // A file an earlier version wrote in the clear: sealed now.
        Ok(bytes) if !String::from_utf8_lossy(&bytes).trim().is_empty() => {
            let key = String::from_utf8_lossy(&bytes).trim().to_string();
            store_file(s, &key)?;
            Ok(key)
        }
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
    let sealed = seal(key)?;
    let mut f = options.open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(&sealed)
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// The sealed file's first bytes.
const MAGIC: &[u8] = b"SKLADNICA-KEY-1\n";

/// What binds the file to this computer and user: the machine's id (`/etc/machine-id` on Linux,
/// the computer's name elsewhere) and the user's name.
fn binding() -> String {
    let machine = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|p| fs::read_to_string(p).ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    format!("{}\n{user}", machine.trim())
}

fn cipher(salt: &[u8]) -> chacha20poly1305::ChaCha20Poly1305 {
    use chacha20poly1305::KeyInit;
    let key = Sha256::new()
        .chain_update(b"skladnica ezd key file\n")
        .chain_update(binding().as_bytes())
        .chain_update(salt)
        .finalize();
    chacha20poly1305::ChaCha20Poly1305::new(&key)
}

/// `MAGIC`, a random salt (16 bytes) and nonce (12), and the key sealed.
fn seal(key: &str) -> Result<Vec<u8>> {
    use chacha20poly1305::aead::Aead;
    let mut random = [0u8; 28];
    getrandom::getrandom(&mut random)
        .map_err(|e| Error::Invalid(format!("no random numbers from the system: {e}")))?;
    let (salt, nonce) = random.split_at(16);
    let sealed = cipher(salt)
        .encrypt(chacha20poly1305::Nonce::from_slice(nonce), key.as_bytes())
        .map_err(|_| Error::Invalid("the EZD API key could not be sealed".into()))?;
    Ok([MAGIC, &random, &sealed].concat())
}

/// The key in a sealed file, `None` when it does not open here.
fn open(bytes: &[u8]) -> Option<String> {
    use chacha20poly1305::aead::Aead;
    let rest = bytes.strip_prefix(MAGIC)?;
    if rest.len() < 28 {
        return None;
    }
    let (salt, rest) = rest.split_at(16);
    let (nonce, sealed) = rest.split_at(12);
    let plain = cipher(salt)
        .decrypt(chacha20poly1305::Nonce::from_slice(nonce), sealed)
        .ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sealed_key_opens_here_and_nowhere_else() {
        let sealed = seal("klucz-tajny-123").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"tajny-"));
        assert_eq!(open(&sealed).as_deref(), Some("klucz-tajny-123"));
        // Another salt (as another machine's or user's binding would): it does not open.
        let mut other = sealed.clone();
        other[MAGIC.len()] ^= 1;
        assert_eq!(open(&other), None);
        let mut damaged = sealed;
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(open(&damaged), None);
    }
}
