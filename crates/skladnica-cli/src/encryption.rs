//! Encryption at rest on the command line: `encrypt` and `passphrase` (an administrator's),
//! `unlock` with the recovery passphrase on another computer, `lock` to take the key off this one; and, for every
//! command, an encrypted library whose key is not in the keyring asks for the passphrase on a
//! terminal. See `skladnica_core::crypt`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use skladnica_core::crypt::{self, Kept};
use skladnica_core::encrypt::EncryptionState;
use skladnica_core::{Error, Library};

use crate::print_json;

/// The recovery passphrase: from the environment variable `var`, or asked on the terminal
/// without echo (twice for a new one).
fn passphrase_from(var: &str, new: bool) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| {
            anyhow::anyhow!("the recovery passphrase cannot be asked ({e}); set {var} to give it")
        })
    };
    if !new {
        return ask("Recovery passphrase (hasło odzyskiwania) of the library: ");
    }
    eprintln!(
        "The recovery passphrase opens the library where this computer's keyring does not hold \
         its key (another computer, a reinstalled system). Keep it apart from the laptop: \
         without it and without the keyring, nothing in the library can be read."
    );
    let first = ask("New recovery passphrase (at least 12 characters): ")?;
    if ask("The same passphrase again: ")? != first {
        bail!("the two passphrases differ; nothing was changed");
    }
    Ok(first)
}

/// The recovery passphrase that opens or encrypts a library: `SKLADNICA_LIBRARY_PASSPHRASE`, or
/// asked.
fn passphrase(new: bool) -> Result<String> {
    passphrase_from("SKLADNICA_LIBRARY_PASSPHRASE", new)
}

/// Opens a library with `open`; when it is locked and a terminal is there, asks for the recovery
/// passphrase, unlocks it and opens it again.
pub fn open_unlocking(
    root: &Path,
    open: impl Fn(&Path) -> skladnica_core::Result<Library>,
) -> Result<Library> {
    match open(root) {
        Err(Error::Locked(_)) if std::io::stdin().is_terminal() => {
            report_kept(crypt::unlock(root, &passphrase(false)?)?);
            Ok(open(root)?)
        }
        other => Ok(other?),
    }
}

fn report_kept(kept: Kept) {
    match kept {
        Kept::Keyring => eprintln!("the library's key is kept in this computer's keyring"),
        Kept::Session => eprintln!(
            "no keyring answered: the library's key was used for this command only, and the \
             recovery passphrase will be asked again"
        ),
    }
}

/// `skladnica encrypt`.
pub fn encrypt(root: &Path, json: bool) -> Result<ExitCode> {
    let mut lib = crate::operator::open(root)?;
    // Finishing an interrupted run needs no passphrase; one already encrypted is refused by
    // the core.
    let pass = if lib.encryption() == EncryptionState::Off {
        passphrase(true)?
    } else {
        String::new()
    };
    let started = std::time::Instant::now();
    let report = lib.encrypt(&pass, &mut |step, done, total| {
        if !json && total > 0 && (done == total || done % 500 == 0) {
            eprintln!("{step}: {done}/{total}");
        }
    })?;
    if json {
        print_json(&serde_json::json!({
            "blobs_sealed": report.blobs_sealed,
            "documents_indexed": report.documents_indexed,
            "key": match report.kept { Kept::Keyring => "keyring", Kept::Session => "session" },
        }))?;
    } else {
        println!(
            "encrypted {}: {} originals sealed, {} documents indexed, in {:.1} s",
            root.display(),
            report.blobs_sealed,
            report.documents_indexed,
            started.elapsed().as_secs_f64()
        );
        report_kept(report.kept);
    }
    Ok(ExitCode::SUCCESS)
}

/// `skladnica unlock`.
pub fn unlock(root: &Path) -> Result<ExitCode> {
    if !crypt::is_encrypted(root) {
        bail!("{}: the library is not encrypted", root.display());
    }
    report_kept(crypt::unlock(root, &passphrase(false)?)?);
    Ok(ExitCode::SUCCESS)
}

/// `skladnica passphrase`: a new recovery passphrase (`SKLADNICA_NEW_LIBRARY_PASSPHRASE`, else
/// asked twice).
pub fn change(root: &Path) -> Result<ExitCode> {
    let mut lib = crate::operator::open(root)?;
    if lib.encryption() == EncryptionState::Off {
        bail!("{}: the library is not encrypted", root.display());
    }
    lib.change_recovery_passphrase(&passphrase_from("SKLADNICA_NEW_LIBRARY_PASSPHRASE", true)?)?;
    println!(
        "{}: the new recovery passphrase opens the library; the old one no longer does",
        root.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `skladnica lock`.
pub fn lock(root: &Path) -> Result<ExitCode> {
    if crypt::forget(root)? {
        println!(
            "the key of {} is no longer on this computer; `skladnica unlock` opens it again with \
             the recovery passphrase",
            root.display()
        );
    } else {
        println!(
            "this computer's keyring did not hold the key of {}",
            root.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
