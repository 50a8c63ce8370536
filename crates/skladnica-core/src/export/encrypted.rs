//! Encrypted backups, for a carrier that may be lost (personal data under RODO): the backup
//! bag of `backup` as a tar archive (its files under `kopia-<date>/`) encrypted with age's
//! passphrase recipient (scrypt), written as `kopia-<date>.tar.age`. Any age implementation
//! opens it (`age -d kopia-….tar.age | tar x` gives the bag, which BagIt tools check). The
//! passphrase is used and forgotten: it is never written anywhere.
//!
//! Nothing unencrypted reaches the carrier: the archive is streamed straight into the
//! encryption, in a hidden file renamed once it is complete, synced and read back whole.
//! Verifying decrypts as it goes and checks the bag inside like a folder (every checksum,
//! nothing missing or extra, no link or name leaving the bag); restoring decrypts into a
//! hidden folder beside the new library, restores from it and removes it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::backup::{
    BackupReport, BagSink, RestoreReport, check_bag, parent_made, refuse_non_empty, restore,
};
use super::names::is_inside;
use super::verify::{Problem, VerifyReport};
use super::{sync_dir, unfinished};
use crate::error::{Error, Result};
use crate::library::Library;

/// The ending of an encrypted backup's file name.
pub const EXTENSION: &str = "tar.age";
/// The shortest passphrase taken.
pub const MIN_PASSPHRASE: usize = 10;
/// The first bytes of every age file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";
/// Tag files are read whole when decrypting; none is larger than this.
const TAG_LIMIT: u64 = 64 << 20;

/// True when `path` is a file that starts as an age file does.
pub fn is_encrypted(path: &Path) -> bool {
    let mut head = [0u8; 21];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == AGE_MAGIC
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(Error::Invalid(format!(
            "the passphrase must have at least {MIN_PASSPHRASE} characters; a lost carrier is \
             only as safe as its passphrase"
        )));
    }
    Ok(())
}

/// Hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

type Encrypting = age::stream::StreamWriter<BufWriter<File>>;

/// A bag written into a tar archive that is encrypted as it is written.
struct TarSink {
    tar: tar::Builder<Encrypting>,
    top: String,
    path: PathBuf,
}

impl TarSink {
    fn append(&mut self, relative: &str, size: u64, data: impl Read) -> Result<(String, u64)> {
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mtime(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        );
        let mut hashing = Hashing {
            inner: data,
            hasher: Sha256::new(),
            size: 0,
        };
        let name = format!("{}/{relative}", self.top);
        self.tar
            .append_data(&mut header, &name, &mut hashing)
            .map_err(|e| Error::io(&self.path, e))?;
        if hashing.size != size {
            return Err(Error::Invalid(format!(
                "{relative} changed while it was backed up ({size} bytes, then {})",
                hashing.size
            )));
        }
        Ok((format!("{:x}", hashing.hasher.finalize()), size))
    }
}

impl BagSink for TarSink {
    fn add_file(&mut self, relative: &str, source: &Path) -> Result<(String, u64)> {
        let file = File::open(source).map_err(|e| Error::io(source, e))?;
        let size = file.metadata().map_err(|e| Error::io(source, e))?.len();
        self.append(relative, size, BufReader::with_capacity(1 << 20, file))
    }

    fn add_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<(String, u64)> {
        self.append(relative, bytes.len() as u64, bytes)
    }

    fn add_reader(
        &mut self,
        relative: &str,
        size: u64,
        data: &mut dyn Read,
        _source: &Path,
    ) -> Result<(String, u64)> {
        self.append(relative, size, data)
    }
}

impl Library {
    /// Writes a full backup of the library, encrypted with `passphrase`, as a new file
    /// `kopia-<date>.tar.age` in `target` (see the module documentation).
    pub fn backup_encrypted(&self, target: &Path, passphrase: &str) -> Result<BackupReport> {
        check_passphrase(passphrase)?;
        let shas = self.plan_backup(target)?;
        let base = format!("kopia-{}", skladnica_records::Date::today());
        let mut top = base.clone();
        let mut n = 2;
        while target.join(format!("{top}.{EXTENSION}")).exists() {
            top = format!("{base}-{n}");
            n += 1;
        }
        let name = format!("{top}.{EXTENSION}");
        let partial = unfinished(target, &name);
        let written = self.write_encrypted(&partial, &top, passphrase, &shas);
        let (files, bytes) = match written {
            Ok(w) => w,
            Err(e) => {
                let _ = fs::remove_file(&partial);
                return Err(e);
            }
        };
        // Read back what is on the carrier before giving the backup its name.
        let check = verify_encrypted(&partial, passphrase);
        let check = match check {
            Ok(report) if report.problems.is_empty() => Ok(()),
            Ok(report) => Err(Error::Invalid(format!(
                "{}: the backup read back from the target differs from what was written ({}: \
                 {}); the carrier may be failing",
                target.display(),
                report.problems[0].path,
                report.problems[0].reason
            ))),
            Err(e) => Err(e),
        };
        if let Err(e) = check {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
        let file = target.join(&name);
        fs::rename(&partial, &file).map_err(|e| Error::io(&file, e))?;
        sync_dir(target);
        self.backup_report(file, files, bytes)
    }

    fn write_encrypted(
        &self,
        path: &Path,
        top: &str,
        passphrase: &str,
        shas: &[(String, i64)],
    ) -> Result<(usize, u64)> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let encryptor =
            age::Encryptor::with_user_passphrase(SecretString::from(passphrase.to_owned()));
        let stream = encryptor
            .wrap_output(BufWriter::with_capacity(1 << 20, file))
            .map_err(|e| Error::io(path, e))?;
        let mut sink = TarSink {
            tar: tar::Builder::new(stream),
            top: top.to_string(),
            path: path.to_path_buf(),
        };
        let counts = self.write_bag(&mut sink, shas)?;
        let stream = sink.tar.into_inner().map_err(|e| Error::io(path, e))?;
        let buffered = stream.finish().map_err(|e| Error::io(path, e))?;
        let file = buffered
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(path, e))?;
        Ok(counts)
    }
}

/// Opens an encrypted backup for reading with `passphrase`.
fn decrypt(path: &Path, passphrase: &str) -> Result<impl Read + use<>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let decryptor =
        age::Decryptor::new_buffered(BufReader::with_capacity(1 << 20, file)).map_err(|e| {
            Error::Invalid(format!(
                "{}: not an encrypted Składnica backup (age says: {e})",
                path.display()
            ))
        })?;
    if !decryptor.is_scrypt() {
        return Err(Error::Invalid(format!(
            "{}: encrypted for a key, not with a passphrase; Składnica backups use a passphrase",
            path.display()
        )));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    // A backup written on a faster PC took it longer; allow up to about 16 s of work here.
    identity.set_max_work_factor(22);
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed
            | age::DecryptError::NoMatchingKeys
            | age::DecryptError::KeyDecryptionFailed
            | age::DecryptError::InvalidMac => Error::Invalid(format!(
                "{}: the passphrase is wrong (or the file's header is damaged)",
                path.display()
            )),
            other => Error::Invalid(format!("{}: cannot be decrypted: {other}", path.display())),
        })
}

/// Each file of the bag inside an encrypted backup: its path within the bag, and what `visit`
/// makes of its contents. A link, anything but a file or folder, a name leaving the bag or a
/// second top folder is a problem; so is damage in the encrypted data, which ends the reading.
fn each_entry(
    path: &Path,
    passphrase: &str,
    say: &mut dyn FnMut(&str, String),
    visit: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>,
) -> Result<Option<String>> {
    let mut archive = tar::Archive::new(decrypt(path, passphrase)?);
    let damaged = |e: io::Error| {
        Error::Invalid(format!(
            "{}: the encrypted data is damaged or cut short ({e}); nothing in it can be trusted",
            path.display()
        ))
    };
    let mut top: Option<String> = None;
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let name = entry
            .path()
            .map_err(damaged)?
            .to_string_lossy()
            .into_owned();
        let name = name.trim_end_matches('/').to_string();
        let (first, rest) = name.split_once('/').unwrap_or((name.as_str(), ""));
        if !is_inside(&name) || first.is_empty() {
            say(&name, "the name leaves the backup".into());
            continue;
        }
        match &top {
            None => top = Some(first.to_string()),
            Some(t) if t != first => {
                say(&name, format!("outside the bag's folder {t}"));
                continue;
            }
            Some(_) => {}
        }
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            say(
                rest,
                "is a link; a backup holds only files and folders".into(),
            );
            continue;
        }
        if !kind.is_file() {
            say(rest, "is not a regular file".into());
            continue;
        }
        visit(rest, &mut entry).map_err(damaged)?;
    }
    Ok(top)
}

/// Verifies an encrypted backup with `passphrase`: it decrypts, and the bag inside is whole.
pub fn verify_encrypted(path: &Path, passphrase: &str) -> Result<VerifyReport> {
    let mut problems = Vec::new();
    let mut hashes: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut tags: BTreeMap<String, String> = BTreeMap::new();
    let mut say = super::verify::recorder(&mut problems);
    let mut buf = vec![0u8; 1 << 20];
    each_entry(path, passphrase, &mut say, &mut |rel, data| {
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let is_tag = !rel.contains('/');
        let mut text = Vec::new();
        loop {
            let n = data.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            if is_tag && size < TAG_LIMIT {
                text.extend_from_slice(&buf[..n]);
            }
            size += n as u64;
        }
        if is_tag {
            tags.insert(rel.to_string(), String::from_utf8_lossy(&text).into_owned());
        }
        hashes.insert(rel.to_string(), (format!("{:x}", hasher.finalize()), size));
        Ok(())
    })?;
    let Some(declaration) = tags.get("bagit.txt").cloned() else {
        return Err(Error::Invalid(format!(
            "{}: decrypted, but it holds no BagIt bag (no bagit.txt)",
            path.display()
        )));
    };
    let present: BTreeSet<String> = hashes.keys().cloned().collect();
    let (files_checked, bytes) = check_bag(
        &declaration,
        &|name| tags.get(name).cloned(),
        &present,
        &mut |p| {
            hashes
                .get(p)
                .cloned()
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not in the archive"))
        },
        &mut say,
    );
    drop(say);
    problems.sort_by(|a: &Problem, b: &Problem| a.path.cmp(&b.path));
    Ok(VerifyReport {
        files_checked,
        bytes,
        schema_checked: 0,
        problems,
    })
}

/// Restores an encrypted backup with `passphrase` as a new library at `root` (empty or not
/// there): decrypted into a hidden folder beside it, restored from there as a bag (which is
/// verified whole first), and removed; nothing is left when any step fails.
pub fn restore_encrypted(path: &Path, passphrase: &str, root: &Path) -> Result<RestoreReport> {
    refuse_non_empty(root)?;
    let parent = parent_made(root)?;
    decrypted(path, passphrase, parent, |bag| restore(bag, root))
}

/// Merges an encrypted backup into `lib` (see [`super::merge`]), decrypted the same way beside
/// the library.
pub fn merge_encrypted(
    path: &Path,
    passphrase: &str,
    lib: &mut crate::library::Library,
) -> Result<super::merge::MergeReport> {
    lib.require_writable()?;
    let parent = parent_made(lib.root())?.to_path_buf();
    decrypted(path, passphrase, &parent, |bag| {
        super::merge::merge(bag, lib)
    })
}

/// Decrypts the backup at `path` into a hidden folder in `beside`, gives it to `then` as a bag,
/// and removes it.
fn decrypted<T>(
    path: &Path,
    passphrase: &str,
    beside: &Path,
    then: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let scratch = tempfile::Builder::new()
        .prefix(".odszyfrowana-kopia-")
        .tempdir_in(beside)
        .map_err(|e| Error::io(beside, e))?;
    let mut problems: Vec<(String, String)> = Vec::new();
    let dir = scratch.path();
    let top = each_entry(
        path,
        passphrase,
        &mut |p, r| problems.push((p.to_string(), r)),
        &mut |rel, data| {
            let out = dir.join(rel);
            if let Some(p) = out.parent() {
                fs::create_dir_all(p)?;
            }
            let mut f = File::create(&out)?;
            io::copy(data, &mut f)?;
            f.flush()
        },
    )?;
    if let Some((p, r)) = problems.first() {
        return Err(Error::Invalid(format!(
            "{}: the backup is damaged, nothing restored ({p}: {r})",
            path.display()
        )));
    }
    if top.is_none() {
        return Err(Error::Invalid(format!(
            "{}: decrypted, but it holds no files",
            path.display()
        )));
    }
    then(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_passphrase_is_refused() {
        let e = check_passphrase("krotkie").unwrap_err().to_string();
        assert!(e.contains("at least 10 characters"), "{e}");
        assert!(check_passphrase("długie hasło urzędu").is_ok());
    }

    /// An encrypted archive holding a bag's declaration, a name climbing out of the bag and a
    /// link.
    fn hostile_backup(path: &Path, passphrase: &str) {
        let file = File::create(path).unwrap();
        let age = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.to_owned()))
            .wrap_output(file)
            .unwrap();
        let mut tar = tar::Builder::new(age);
        let mut add = |name: &[u8], kind: tar::EntryType, data: &[u8]| {
            let mut h = tar::Header::new_gnu();
            h.as_old_mut().name[..name.len()].copy_from_slice(name);
            h.set_entry_type(kind);
            if kind == tar::EntryType::Symlink {
                h.set_link_name("/etc/passwd").unwrap();
            }
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            tar.append(&h, data).unwrap();
        };
        add(
            b"kopia-x/bagit.txt",
            tar::EntryType::Regular,
            b"BagIt-Version: 1.0\n",
        );
        add(
            b"kopia-x/../../zly.txt",
            tar::EntryType::Regular,
            b"poza kopia",
        );
        add(b"kopia-x/data/link", tar::EntryType::Symlink, b"");
        tar.into_inner().unwrap().finish().unwrap();
    }

    #[test]
    fn a_name_leaving_the_bag_or_a_link_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a").join("b");
        fs::create_dir_all(&deep).unwrap();
        let file = deep.join("kopia-x.tar.age");
        let pass = "długie hasło urzędu";
        hostile_backup(&file, pass);
        assert!(is_encrypted(&file));
        let report = verify_encrypted(&file, pass).unwrap();
        let said: Vec<String> = report
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.reason))
            .collect();
        assert!(
            said.iter()
                .any(|p| p.contains("zly.txt: the name leaves the backup")),
            "{said:?}"
        );
        assert!(
            said.iter().any(|p| p.contains("data/link: is a link")),
            "{said:?}"
        );
        let root = deep.join("biblioteka");
        let e = restore_encrypted(&file, pass, &root)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the backup is damaged, nothing restored"), "{e}");
        assert!(!root.exists());
        for d in [dir.path(), &dir.path().join("a"), &deep] {
            assert!(!d.join("zly.txt").exists(), "written outside: {d:?}");
            let hidden = fs::read_dir(d)
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
                .count();
            assert_eq!(hidden, 0, "a decrypted leftover in {d:?}");
        }
        let wrong = verify_encrypted(&file, "inne długie hasło")
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("the passphrase is wrong"), "{wrong}");
    }

    #[test]
    fn only_age_files_are_taken_for_encrypted_backups() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.txt");
        fs::write(&plain, "age-encryption.org is a site").unwrap();
        assert!(!is_encrypted(&plain));
        assert!(!is_encrypted(dir.path()));
        let e = decrypt(&plain, "długie hasło urzędu")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("not an encrypted Składnica backup"), "{e}");
    }
}
