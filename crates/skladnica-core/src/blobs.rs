//! The content-addressed blob store: originals kept byte for byte, named by their SHA-256.
//!
//! A blob lives at `blobs/<first two hex digits>/<sha256>`. It is written to `blobs/tmp/` first,
//! fsync'd, then renamed into place, and never modified afterwards. Because a blob is renamed
//! into place just before the database transaction that refers to it commits, the store keeps a
//! journal (`blobs/pending`) of the blobs placed but not yet committed; opening the library for
//! writing removes those the database does not know (a crash between the two steps), and empties
//! `blobs/tmp/`.
//!
//! In an encrypted library (see `crypt`) every blob is sealed on disk; its name stays the
//! SHA-256 of the original, and reading gives the original back.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A SHA-256 digest as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` as lower-case hex digits.
pub(crate) fn hex_of(bytes: &[u8]) -> String {
    hex(bytes)
}

/// The bytes of an even number of hex digits; `None` for anything else.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// True for a well-formed blob name.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A blob written to the temporary folder and fsync'd, not yet in place.
#[derive(Debug)]
pub struct StagedBlob {
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    tmp: PathBuf,
}

impl Drop for StagedBlob {
    fn drop(&mut self) {
        // Placed blobs were renamed away; anything still here was abandoned.
        let _ = fs::remove_file(&self.tmp);
    }
}

/// The blob folder of a library.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
    cipher: Option<crate::crypt::Cipher>,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl BlobStore {
    /// The store at `root` (usually `<library>/blobs`), creating its folders; with `cipher`,
    /// blobs are sealed with it.
    pub fn open(root: PathBuf, cipher: Option<crate::crypt::Cipher>) -> Result<Self> {
        fs::create_dir_all(root.join("tmp")).map_err(|e| Error::io(&root, e))?;
        Ok(BlobStore { root, cipher })
    }

    /// Where the blob with this hash lives (sealed, in an encrypted library: read it with
    /// [`BlobStore::read`] or [`BlobStore::reader`]).
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// True when blobs are sealed as they are stored.
    pub fn is_encrypted(&self) -> bool {
        self.cipher.is_some()
    }

    /// The blob's content (the original, in an encrypted library too).
    pub fn read(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        if !crate::crypt::is_sealed(&bytes) {
            return Ok(bytes);
        }
        self.cipher_for(&path)?.open(&bytes, &path.display())
    }

    /// A reader of the blob's content, decrypting as it goes in an encrypted library.
    pub fn reader(&self, sha256: &str) -> Result<Box<dyn Read + Send>> {
        let path = self.path(sha256);
        let f = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut f = std::io::BufReader::with_capacity(1 << 17, f);
        // Told by its first bytes, read once for both.
        let head = std::io::BufRead::fill_buf(&mut f).map_err(|e| Error::io(&path, e))?;
        if !crate::crypt::is_sealed(head) {
            return Ok(Box::new(f));
        }
        let r = self
            .cipher_for(&path)?
            .reader(f)
            .map_err(|e| Error::io(&path, e))?;
        Ok(Box::new(r))
    }

    fn cipher_for(&self, path: &Path) -> Result<&crate::crypt::Cipher> {
        self.cipher.as_ref().ok_or_else(|| {
            Error::Invalid(format!(
                "{}: the original is encrypted, and the library was opened without its key",
                path.display()
            ))
        })
    }

    /// Seals a blob that is still stored in the clear (a library being encrypted); true when it
    /// was. The sealed copy is synced before it replaces the original.
    pub(crate) fn seal_in_place(&self, sha256: &str) -> Result<bool> {
        if self.cipher.is_none() {
            return Ok(false);
        }
        let path = self.path(sha256);
        if crate::crypt::file_is_sealed(&path).map_err(|e| Error::io(&path, e))? {
            return Ok(false);
        }
        let plain = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        if sha256_hex(&plain) != sha256 {
            return Err(Error::Invalid(format!(
                "{}: the original does not match its hash; run `skladnica check` before \
                 encrypting",
                path.display()
            )));
        }
        let staged = self.stage(&plain, sha256)?;
        fs::rename(&staged.tmp, &path).map_err(|e| Error::io(&path, e))?;
        make_read_only(&path);
        Ok(true)
    }

    /// True when the blob is in place.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).is_file()
    }

    /// Writes `bytes` to a temporary file and fsyncs it. `sha256` must be their hash.
    pub fn stage(&self, bytes: &[u8], sha256: &str) -> Result<StagedBlob> {
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp =
            self.root
                .join("tmp")
                .join(format!("{}-{}-{n}", std::process::id(), &sha256[..16]));
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            match &self.cipher {
                Some(c) => f.write_all(&c.seal(bytes))?,
                None => f.write_all(bytes)?,
            }
            f.sync_all()
        };
        let staged = StagedBlob {
            sha256: sha256.to_string(),
            size: bytes.len() as u64,
            tmp: tmp.clone(),
        };
        write().map_err(|e| Error::io(&tmp, e))?;
        Ok(staged)
    }

    /// Moves a staged blob into place, recording it in the pending journal first. If the blob is
    /// already there (same content), the staged copy is dropped.
    pub fn place(&self, staged: StagedBlob, journal: &mut PendingJournal) -> Result<()> {
        let dest = self.path(&staged.sha256);
        if dest.is_file() {
            return Ok(());
        }
        journal.record(&staged.sha256)?;
        let dir = dest.parent().expect("blob paths have a parent");
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        fs::rename(&staged.tmp, &dest).map_err(|e| Error::io(&dest, e))?;
        make_read_only(&dest);
        Ok(())
    }

    /// Reads a blob and checks it against its name (a sealed blob that does not decrypt is
    /// corrupt).
    pub fn verify(&self, sha256: &str) -> Result<BlobState> {
        let path = self.path(sha256);
        let mut f = match self.reader(sha256) {
            Ok(f) => f,
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Ok(BlobState::Missing);
            }
            Err(e) => return Err(e),
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match f.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    return Ok(BlobState::Corrupt {
                        actual: "(does not decrypt)".into(),
                    });
                }
                Err(e) => return Err(Error::io(&path, e)),
            };
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let actual = hex(&hasher.finalize());
        Ok(if actual == sha256 {
            BlobState::Intact
        } else {
            BlobState::Corrupt { actual }
        })
    }

    /// Every blob name in the store (two-level walk; skips `tmp/` and stray files).
    pub fn list(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let rd = fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        for entry in rd.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.len() != 2 || !entry.path().is_dir() {
                continue;
            }
            let sub = entry.path();
            for blob in fs::read_dir(&sub)
                .map_err(|e| Error::io(&sub, e))?
                .flatten()
            {
                let b = blob.file_name().to_string_lossy().into_owned();
                if is_sha256_hex(&b) && b.starts_with(name.as_ref()) {
                    out.push(b);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Removes a blob (only for blobs no document refers to).
    pub fn remove(&self, sha256: &str) -> Result<()> {
        let path = self.path(sha256);
        // Read-only files cannot be removed on Windows.
        if let Ok(meta) = fs::metadata(&path) {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = fs::set_permissions(&path, perms);
        }
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Empties `tmp/` (only under the library's writer lock).
    pub fn sweep_tmp(&self) -> Result<usize> {
        let tmp = self.root.join("tmp");
        let mut n = 0;
        for entry in fs::read_dir(&tmp)
            .map_err(|e| Error::io(&tmp, e))?
            .flatten()
        {
            if fs::remove_file(entry.path()).is_ok() {
                n += 1;
            }
        }
        Ok(n)
    }

    /// The pending journal of this store.
    pub fn journal(&self) -> PendingJournal {
        PendingJournal {
            path: self.root.join("pending"),
            file: None,
        }
    }

    /// fsyncs the folders that received blobs, so that their renames survive a power cut.
    pub fn sync_dirs(&self, shas: &[String]) {
        let mut dirs: Vec<&str> = shas.iter().map(|s| &s[..2]).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs {
            if let Ok(f) = File::open(self.root.join(d)) {
                let _ = f.sync_all();
            }
        }
    }
}

/// Originals are never modified: makes that the file system's rule too (best effort).
fn make_read_only(path: &Path) {
    if let Ok(meta) = fs::metadata(path) {
        let mut perms = meta.permissions();
        perms.set_readonly(true);
        let _ = fs::set_permissions(path, perms);
    }
}

/// What [`BlobStore::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobState {
    /// The content matches the name.
    Intact,
    /// No such file.
    Missing,
    /// The content hashes to something else.
    Corrupt {
        /// The hash of what is there.
        actual: String,
    },
}

/// The journal of blobs placed ahead of the database commit that refers to them.
pub struct PendingJournal {
    path: PathBuf,
    file: Option<File>,
}

impl PendingJournal {
    /// Notes that `sha256` is about to be placed; durable before the rename.
    pub fn record(&mut self, sha256: &str) -> Result<()> {
        if self.file.is_none() {
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| Error::io(&self.path, e))?;
            self.file = Some(f);
        }
        let f = self.file.as_mut().expect("opened above");
        writeln!(f, "{sha256}")
            .and_then(|_| f.sync_data())
            .map_err(|e| Error::io(&self.path, e))
    }

    /// After the database committed: nothing is pending any more.
    pub fn clear(&mut self) -> Result<()> {
        self.file = None;
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }

    /// The hashes left in the journal by an interrupted import.
    pub fn leftovers(path: &Path) -> Vec<String> {
        fs::read_to_string(path)
            .map(|s| {
                s.lines()
                    .map(str::trim)
                    .filter(|l| is_sha256_hex(l))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_place_verify() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path().join("blobs"), None).unwrap();
        let bytes = b"zazolc gesla jazn";
        let sha = sha256_hex(bytes);
        let staged = store.stage(bytes, &sha).unwrap();
        let mut journal = store.journal();
        store.place(staged, &mut journal).unwrap();
        assert_eq!(PendingJournal::leftovers(journal.path()), vec![sha.clone()]);
        journal.clear().unwrap();
        assert_eq!(store.verify(&sha).unwrap(), BlobState::Intact);
        assert_eq!(store.list().unwrap(), vec![sha.clone()]);
        assert!(
            std::fs::metadata(store.path(&sha))
                .unwrap()
                .permissions()
                .readonly()
        );
        let mut perms = std::fs::metadata(store.path(&sha)).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(store.path(&sha), perms).unwrap();
        std::fs::write(store.path(&sha), b"tampered").unwrap();
        assert!(matches!(
            store.verify(&sha).unwrap(),
            BlobState::Corrupt { .. }
        ));
        assert_eq!(store.verify(&sha256_hex(b"x")).unwrap(), BlobState::Missing);
        assert_eq!(store.sweep_tmp().unwrap(), 0);
    }

    #[test]
    fn abandoned_stages_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path().join("blobs"), None).unwrap();
        let staged = store.stage(b"abc", &sha256_hex(b"abc")).unwrap();
        drop(staged);
        assert_eq!(
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .count(),
            0
        );
    }
}
