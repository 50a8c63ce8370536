//! The operating system's keyring, where secrets that must not travel with the library are kept:
//! the EZD API key and the key of an encrypted library. The Secret Service on Linux (GNOME
//! Keyring, KWallet), the Credential Manager on Windows; elsewhere, or where none answers (a PC
//! without a desktop session), every call says so and the caller falls back.
//!
//! `SKLADNICA_NO_KEYRING` keeps the keyring out (tests of the fallbacks); unit tests never touch
//! the machine's keyring.

/// The service the EZD API key is kept under.
pub const EZD: &str = "Składnica EZD RP";
/// The service the keys of encrypted libraries are kept under.
pub const LIBRARY: &str = "Składnica biblioteka";

fn off() -> bool {
    cfg!(test) || std::env::var_os("SKLADNICA_NO_KEYRING").is_some()
}

/// True when the keyring took `secret`.
pub fn store(service: &str, account: &str, secret: &str) -> bool {
    !off() && imp::store(service, account, secret)
}

/// The secret, when the keyring holds one.
pub fn load(service: &str, account: &str) -> Option<String> {
    if off() {
        return None;
    }
    imp::load(service, account).filter(|k| !k.is_empty())
}

/// Removes the secret; true when the keyring held it.
pub fn remove(service: &str, account: &str) -> bool {
    !off() && imp::remove(service, account)
}

#[cfg(any(target_os = "linux", windows))]
mod imp {
    pub fn store(service: &str, account: &str, secret: &str) -> bool {
        keyring::Entry::new(service, account).is_ok_and(|e| e.set_password(secret).is_ok())
    }

    pub fn load(service: &str, account: &str) -> Option<String> {
        keyring::Entry::new(service, account)
            .ok()?
            .get_password()
            .ok()
    }

    pub fn remove(service: &str, account: &str) -> bool {
        keyring::Entry::new(service, account).is_ok_and(|e| e.delete_credential().is_ok())
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod imp {
    pub fn store(_service: &str, _account: &str, _secret: &str) -> bool {
        false
    }

    pub fn load(_service: &str, _account: &str) -> Option<String> {
        None
    }

    pub fn remove(_service: &str, _account: &str) -> bool {
        false
    }
}
