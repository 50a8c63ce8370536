//! Encryption at rest: a library on a laptop that may be lost or stolen keeps its database, its
//! originals and its search index encrypted on disk.
//!
//! One random 256-bit library key protects everything. Two keys are derived from it: SQLCipher's
//! raw key for the database (AES-256, HMAC-SHA512 per page) and an XChaCha20-Poly1305 key for
//! files (originals in `blobs/`, every file of the tantivy index). The library key lives in the
//! operating system's keyring (the Secret Service on Linux, the Credential Manager on Windows),
//! so that a clerk never types it; `encryption.json` in the library holds only its id, a check
//! value and the key sealed with the recovery passphrase (argon2id, 64 MiB), which opens the
//! library on another computer or after the keyring is lost. The passphrase is never stored.
//!
//! A sealed file is `MAGIC`, a random 16-byte nonce prefix, then the plaintext in chunks of
//! 64 KiB, each sealed on its own (the STREAM construction): chunk `i` uses the nonce
//! `prefix ‖ i`, with the top bit of `i` set on the last chunk, so a chunk cannot be moved,
//! dropped or duplicated and the file cannot be cut short without the check failing. Files are
//! told from plaintext ones by `MAGIC`, which lets an interrupted conversion (`encrypt`) resume.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The first bytes of every sealed file.
pub const MAGIC: &[u8; 8] = b"SKLDENC1";
const PREFIX: usize = 16;
const HEADER: usize = MAGIC.len() + PREFIX;
/// Plaintext bytes per chunk.
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const SEALED_CHUNK: usize = CHUNK + TAG;
const LAST: u64 = 1 << 63;

/// The file in a library that says it is encrypted.
pub const KEY_FILE: &str = "encryption.json";
/// The shortest recovery passphrase taken.
pub const MIN_PASSPHRASE: usize = 12;

/// The keys of one encrypted library.
#[derive(Clone)]
pub struct Cipher {
    files: Arc<XChaCha20Poly1305>,
    db_key: Arc<String>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

impl Cipher {
    fn from_master(master: &[u8; 32]) -> Cipher {
        let files = derive(master, "files");
        let db = derive(master, "sqlcipher");
        Cipher {
            files: Arc::new(XChaCha20Poly1305::new((&files).into())),
            db_key: Arc::new(format!("x'{}'", crate::blobs::hex_of(&db))),
        }
    }

    /// SQLCipher's raw key, as `PRAGMA key` takes it (`x'…'`).
    pub(crate) fn db_key(&self) -> &str {
        &self.db_key
    }

    /// `plain` sealed whole.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + plain.len() + plain.len() / CHUNK * TAG + TAG);
        let mut w = self.writer(&mut out).expect("writing to memory");
        w.write_all(plain).expect("writing to memory");
        w.finish().expect("writing to memory");
        out
    }

    /// The plaintext of a sealed file held whole; `what` names it in the error.
    pub fn open(&self, sealed: &[u8], what: &dyn std::fmt::Display) -> Result<Vec<u8>> {
        let bad = |why: &str| Error::Invalid(format!("{what}: {why}"));
        let body = sealed
            .strip_prefix(MAGIC.as_slice())
            .filter(|b| b.len() >= PREFIX + TAG)
            .ok_or_else(|| bad("not an encrypted file of this library, or cut short"))?;
        let (prefix, mut rest) = body.split_at(PREFIX);
        let mut out = Vec::with_capacity(rest.len());
        let mut i = 0u64;
        loop {
            let last = rest.len() <= SEALED_CHUNK;
            let (chunk, tail) = rest.split_at(if last { rest.len() } else { SEALED_CHUNK });
            let plain = self.open_chunk(prefix, i, last, chunk).ok_or_else(|| {
                bad("it does not decrypt: damaged, or sealed with another library's key")
            })?;
            out.extend_from_slice(&plain);
            if last {
                return Ok(out);
            }
            rest = tail;
            i += 1;
        }
    }

    /// A writer sealing what is written into `inner`; [`SealWriter::finish`] must end it.
    pub fn writer<W: Write>(&self, mut inner: W) -> io::Result<SealWriter<W>> {
        let mut prefix = [0u8; PREFIX];
        getrandom::getrandom(&mut prefix).map_err(io::Error::other)?;
        inner.write_all(MAGIC)?;
        inner.write_all(&prefix)?;
        Ok(SealWriter {
            cipher: self.clone(),
            inner,
            prefix,
            index: 0,
            buf: Vec::with_capacity(CHUNK),
            finished: false,
        })
    }

    /// A reader giving the plaintext of the sealed stream `inner`.
    pub fn reader<R: Read>(&self, mut inner: R) -> io::Result<OpenReader<R>> {
        let mut header = [0u8; HEADER];
        inner.read_exact(&mut header).map_err(|_| not_sealed())?;
        if &header[..MAGIC.len()] != MAGIC {
            return Err(not_sealed());
        }
        let mut prefix = [0u8; PREFIX];
        prefix.copy_from_slice(&header[MAGIC.len()..]);
        Ok(OpenReader {
            cipher: self.clone(),
            inner,
            prefix,
            index: 0,
            plain: Vec::new(),
            pos: 0,
            peeked: None,
            done: false,
        })
    }

    fn nonce(prefix: &[u8; PREFIX], index: u64, last: bool) -> XNonce {
        let mut n = [0u8; 24];
        n[..PREFIX].copy_from_slice(prefix);
        n[PREFIX..].copy_from_slice(&(index | if last { LAST } else { 0 }).to_be_bytes());
        n.into()
    }

    fn seal_chunk(&self, prefix: &[u8; PREFIX], index: u64, last: bool, plain: &[u8]) -> Vec<u8> {
        self.files
            .encrypt(&Self::nonce(prefix, index, last), plain)
            .expect("XChaCha20-Poly1305 seals any chunk of 64 KiB")
    }

    fn open_chunk(&self, prefix: &[u8], index: u64, last: bool, sealed: &[u8]) -> Option<Vec<u8>> {
        let prefix: &[u8; PREFIX] = prefix.try_into().ok()?;
        self.files
            .decrypt(
                &Self::nonce(prefix, index, last),
                Payload {
                    msg: sealed,
                    aad: b"",
                },
            )
            .ok()
    }
}

fn not_sealed() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "not an encrypted file of this library, or cut short",
    )
}

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the encrypted file does not decrypt: damaged, cut short, or sealed with another key",
    )
}

/// True when `head` (a file's first bytes) is a sealed file's.
pub fn is_sealed(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// True when the file at `path` is sealed.
pub fn file_is_sealed(path: &Path) -> io::Result<bool> {
    let mut head = [0u8; MAGIC.len()];
    let mut f = fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(is_sealed(&head[..n]))
}

/// Seals what is written, a chunk at a time.
pub struct SealWriter<W: Write> {
    cipher: Cipher,
    inner: W,
    prefix: [u8; PREFIX],
    index: u64,
    buf: Vec<u8>,
    finished: bool,
}

impl<W: Write> SealWriter<W> {
    /// Seals the last chunk; the file is incomplete (and will not open) without it.
    pub fn finish(&mut self) -> io::Result<()> {
        if !self.finished {
            let sealed = self
                .cipher
                .seal_chunk(&self.prefix, self.index, true, &self.buf);
            self.inner.write_all(&sealed)?;
            self.buf.clear();
            self.finished = true;
        }
        self.inner.flush()
    }

    /// The stream written to.
    pub fn inner_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        if self.finished {
            return Err(io::Error::other("written after the last chunk"));
        }
        let n = data.len();
        while !data.is_empty() {
            // A full chunk is sealed only once more follows: the last one may be full too.
            if self.buf.len() == CHUNK {
                let sealed = self
                    .cipher
                    .seal_chunk(&self.prefix, self.index, false, &self.buf);
                self.inner.write_all(&sealed)?;
                self.index += 1;
                self.buf.clear();
            }
            let take = (CHUNK - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Gives the plaintext of a sealed stream, checking each chunk before handing it out.
pub struct OpenReader<R: Read> {
    cipher: Cipher,
    inner: R,
    prefix: [u8; PREFIX],
    index: u64,
    plain: Vec<u8>,
    pos: usize,
    peeked: Option<u8>,
    done: bool,
}

impl<R: Read> OpenReader<R> {
    fn next_chunk(&mut self) -> io::Result<()> {
        let mut sealed = Vec::with_capacity(SEALED_CHUNK);
        if let Some(b) = self.peeked.take() {
            sealed.push(b);
        }
        (&mut self.inner)
            .take((SEALED_CHUNK - sealed.len()) as u64)
            .read_to_end(&mut sealed)?;
        // The chunk is the last when nothing follows it.
        let mut one = [0u8; 1];
        let last = loop {
            match self.inner.read(&mut one) {
                Ok(0) => break true,
                Ok(_) => {
                    self.peeked = Some(one[0]);
                    break false;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if !last && sealed.len() < SEALED_CHUNK {
            return Err(damaged());
        }
        self.plain = self
            .cipher
            .open_chunk(&self.prefix, self.index, last, &sealed)
            .ok_or_else(damaged)?;
        self.pos = 0;
        self.index += 1;
        self.done = last;
        Ok(())
    }
}

impl<R: Read> Read for OpenReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = (self.plain.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"skladnica library key\0")
        .chain_update(label.as_bytes())
        .chain_update([0u8])
        .chain_update(master)
        .finalize()
        .into()
}

/// `encryption.json`: what a library says of its key (never the key itself).
#[derive(Debug, Serialize, Deserialize)]
struct KeyFile {
    format: u32,
    /// Names the key in the keyring.
    key_id: String,
    /// Tells the right key from a wrong one before anything is decrypted.
    check: String,
    recovery: Recovery,
}

/// The library key sealed with the recovery passphrase.
#[derive(Debug, Serialize, Deserialize)]
struct Recovery {
    kdf: String,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    sealed: String,
}

fn check_of(master: &[u8; 32]) -> String {
    crate::blobs::hex_of(&derive(master, "check")[..16])
}

fn read_key_file(root: &Path) -> Result<Option<KeyFile>> {
    let path = root.join(KEY_FILE);
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice::<KeyFile>(&bytes)
            .ok()
            .filter(|k| k.format == 1 && crate::blobs::unhex(&k.key_id).is_some())
            .map(Some)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: damaged; without it the library cannot be decrypted (restore the file \
                     from a backup of the library folder)",
                    path.display()
                ))
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// True when the library at `root` is encrypted (wholly, or part-way through `encrypt`).
pub fn is_encrypted(root: &Path) -> bool {
    root.join(KEY_FILE).is_file()
}

/// Keys unlocked with a passphrase in this process where no keyring took them.
static SESSION: Mutex<Option<HashMap<String, [u8; 32]>>> = Mutex::new(None);

fn session_key(key_id: &str) -> Option<[u8; 32]> {
    SESSION
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()?
        .get(key_id)
        .copied()
}

fn remember(key_id: &str, master: [u8; 32]) {
    SESSION
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(key_id.to_string(), master);
}

fn account(key_id: &str) -> String {
    format!("biblioteka-{key_id}")
}

/// The cipher of the library at `root`: `None` when it is not encrypted, `Error::Locked` when
/// its key is neither in the keyring nor in this process, nor opened by the passphrase in
/// `SKLADNICA_LIBRARY_PASSPHRASE`.
pub(crate) fn cipher_for(root: &Path) -> Result<Option<Cipher>> {
    let Some(kf) = read_key_file(root)? else {
        return Ok(None);
    };
    let fits = |m: &[u8; 32]| check_of(m) == kf.check;
    if let Some(m) = session_key(&kf.key_id).filter(fits) {
        return Ok(Some(Cipher::from_master(&m)));
    }
    if let Some(m) = crate::keystore::load(crate::keystore::LIBRARY, &account(&kf.key_id))
        .and_then(|hex| crate::blobs::unhex(&hex))
        .and_then(|v| <[u8; 32]>::try_from(v).ok())
        .filter(fits)
    {
        remember(&kf.key_id, m);
        return Ok(Some(Cipher::from_master(&m)));
    }
    if let Ok(p) = std::env::var("SKLADNICA_LIBRARY_PASSPHRASE") {
        unlock(root, &p)?;
        return cipher_for(root);
    }
    Err(Error::Locked(root.to_path_buf()))
}

/// Where an unlocked key was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// In the operating system's keyring: the library opens by itself from now on.
    Keyring,
    /// Only in this process (no keyring answered): the passphrase is asked again next time.
    Session,
}

/// Opens the library key of `root` with its recovery passphrase and keeps it.
pub fn unlock(root: &Path, passphrase: &str) -> Result<Kept> {
    let kf = read_key_file(root)?.ok_or_else(|| {
        Error::Invalid(format!("{}: the library is not encrypted", root.display()))
    })?;
    let wrong = || {
        Error::Forbidden(format!(
            "{}: the recovery passphrase is not this library's",
            root.display()
        ))
    };
    let r = &kf.recovery;
    let (salt, nonce, sealed) = (
        crate::blobs::unhex(&r.salt).ok_or_else(wrong)?,
        crate::blobs::unhex(&r.nonce).ok_or_else(wrong)?,
        crate::blobs::unhex(&r.sealed).ok_or_else(wrong)?,
    );
    let kek = passphrase_key(passphrase, &salt, r.m_cost, r.t_cost, r.p_cost)?;
    let nonce: [u8; 24] = nonce.try_into().map_err(|_| wrong())?;
    let master: [u8; 32] = XChaCha20Poly1305::new((&kek).into())
        .decrypt(&nonce.into(), sealed.as_slice())
        .ok()
        .and_then(|v| v.try_into().ok())
        .filter(|m| check_of(m) == kf.check)
        .ok_or_else(wrong)?;
    Ok(keep(&kf.key_id, master))
}

fn keep(key_id: &str, master: [u8; 32]) -> Kept {
    remember(key_id, master);
    let hex = crate::blobs::hex_of(&master);
    if crate::keystore::store(crate::keystore::LIBRARY, &account(key_id), &hex) {
        Kept::Keyring
    } else {
        Kept::Session
    }
}

/// Where this computer keeps the key of the encrypted library at `root`: in the keyring, or only
/// in this process.
pub(crate) fn kept(root: &Path) -> Result<Kept> {
    let kf = read_key_file(root)?.ok_or_else(|| {
        Error::Invalid(format!("{}: the library is not encrypted", root.display()))
    })?;
    Ok(
        match crate::keystore::load(crate::keystore::LIBRARY, &account(&kf.key_id)) {
            Some(_) => Kept::Keyring,
            None => Kept::Session,
        },
    )
}

/// Removes the library's key from this computer's keyring (and this process): the library asks
/// for its recovery passphrase next time. True when the keyring held it.
pub fn forget(root: &Path) -> Result<bool> {
    let kf = read_key_file(root)?.ok_or_else(|| {
        Error::Invalid(format!("{}: the library is not encrypted", root.display()))
    })?;
    if let Some(s) = SESSION.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        s.remove(&kf.key_id);
    }
    Ok(crate::keystore::remove(
        crate::keystore::LIBRARY,
        &account(&kf.key_id),
    ))
}

/// Argon2id cost of the recovery passphrase: 64 MiB, 3 passes.
const M_COST: u32 = 64 * 1024;
const T_COST: u32 = 3;

fn passphrase_key(passphrase: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32]> {
    let params = argon2::Params::new(m, t, p, Some(32))
        .map_err(|e| Error::Invalid(format!("encryption.json: argon2 parameters: {e}")))?;
    let mut out = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| Error::Invalid(format!("the recovery passphrase cannot be used: {e}")))?;
    Ok(out)
}

/// Makes a new library key for `root`, writes `encryption.json` (the key sealed with
/// `passphrase`) and keeps the key in the keyring. Refused when the library has a key already.
pub(crate) fn create(root: &Path, passphrase: &str) -> Result<(Cipher, Kept)> {
    if cfg!(windows) {
        return Err(Error::Invalid(
            "encryption at rest is not part of the Windows build; use BitLocker".into(),
        ));
    }
    check_passphrase(passphrase)?;
    if read_key_file(root)?.is_some() {
        return Err(Error::Conflict(format!(
            "{}: the library is encrypted already",
            root.display()
        )));
    }
    let mut random = [0u8; 32 + 8];
    getrandom::getrandom(&mut random)
        .map_err(|e| Error::Invalid(format!("no random numbers from the system: {e}")))?;
    let master: [u8; 32] = random[..32].try_into().expect("32 bytes");
    let key_id = crate::blobs::hex_of(&random[32..]);
    let kf = KeyFile {
        format: 1,
        key_id: key_id.clone(),
        check: check_of(&master),
        recovery: recovery(&master, passphrase)?,
    };
    write_key_file(root, &kf)?;
    let kept = keep(&key_id, master);
    Ok((Cipher::from_master(&master), kept))
}

/// Seals the key of the library at `root` with a new recovery passphrase; the old one no longer
/// opens it. The library must have been opened in this process (its key is here).
pub(crate) fn change_passphrase(root: &Path, passphrase: &str) -> Result<()> {
    check_passphrase(passphrase)?;
    let kf = read_key_file(root)?.ok_or_else(|| {
        Error::Invalid(format!("{}: the library is not encrypted", root.display()))
    })?;
    let master = session_key(&kf.key_id)
        .filter(|m| check_of(m) == kf.check)
        .ok_or_else(|| Error::Locked(root.to_path_buf()))?;
    let kf = KeyFile {
        recovery: recovery(&master, passphrase)?,
        ..kf
    };
    write_key_file(root, &kf)
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(Error::Invalid(format!(
            "the recovery passphrase must have at least {MIN_PASSPHRASE} characters"
        )));
    }
    Ok(())
}

/// `master` sealed under a key argon2id makes of `passphrase` and a new salt.
fn recovery(master: &[u8; 32], passphrase: &str) -> Result<Recovery> {
    let mut random = [0u8; 16 + 24];
    getrandom::getrandom(&mut random)
        .map_err(|e| Error::Invalid(format!("no random numbers from the system: {e}")))?;
    let (salt, nonce) = random.split_at(16);
    let nonce: [u8; 24] = nonce.try_into().expect("24 bytes");
    let kek = passphrase_key(passphrase, salt, M_COST, T_COST, 1)?;
    let sealed = XChaCha20Poly1305::new((&kek).into())
        .encrypt(&nonce.into(), master.as_slice())
        .map_err(|_| Error::Invalid("the library key could not be sealed".into()))?;
    Ok(Recovery {
        kdf: "argon2id".into(),
        m_cost: M_COST,
        t_cost: T_COST,
        p_cost: 1,
        salt: crate::blobs::hex_of(salt),
        nonce: crate::blobs::hex_of(&nonce),
        sealed: crate::blobs::hex_of(&sealed),
    })
}

fn write_key_file(root: &Path, kf: &KeyFile) -> Result<()> {
    let json = serde_json::to_vec_pretty(kf).expect("a key file serialises");
    write_durably(&root.join(KEY_FILE), &json)
}

/// Writes `bytes` to `path` through a temporary file, synced, then renamed into place.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.nowy", path.display()));
    let write = || -> io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            // Best effort: folders cannot be opened for syncing on Windows.
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> Cipher {
        Cipher::from_master(&[7u8; 32])
    }

    #[test]
    fn sealed_files_round_trip_at_every_size_around_a_chunk() {
        let c = cipher();
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17] {
            let plain: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
            let sealed = c.seal(&plain);
            assert!(is_sealed(&sealed));
            assert_eq!(c.open(&sealed, &"t").unwrap(), plain, "{n} bytes, whole");
            let mut streamed = Vec::new();
            c.reader(sealed.as_slice())
                .unwrap()
                .read_to_end(&mut streamed)
                .unwrap();
            assert_eq!(streamed, plain, "{n} bytes, streamed");
            // Written in odd pieces, it opens the same.
            let mut out = Vec::new();
            let mut w = c.writer(&mut out).unwrap();
            for piece in plain.chunks(1000) {
                w.write_all(piece).unwrap();
            }
            w.finish().unwrap();
            assert_eq!(c.open(&out, &"t").unwrap(), plain);
        }
    }

    #[test]
    fn nothing_of_the_plaintext_shows_and_every_tampering_is_caught() {
        let c = cipher();
        let plain = "Jan Kowalski, PESEL 44051401359, zamieszkały w Gminie Zębowice. "
            .repeat(3000)
            .into_bytes();
        let sealed = c.seal(&plain);
        assert!(!sealed.windows(8).any(|w| w == b"Kowalski"));
        // A flipped bit, a cut, a dropped chunk, a chunk swapped, another key: all refused.
        let mut flipped = sealed.clone();
        flipped[HEADER + 100] ^= 1;
        let cut = &sealed[..sealed.len() - 1];
        let at_chunk = &sealed[..HEADER + SEALED_CHUNK];
        let mut swapped = sealed.clone();
        let (a, b) = (HEADER, HEADER + SEALED_CHUNK);
        let first: Vec<u8> = swapped[a..b].to_vec();
        let second: Vec<u8> = swapped[b..b + SEALED_CHUNK].to_vec();
        swapped[a..b].copy_from_slice(&second);
        swapped[b..b + SEALED_CHUNK].copy_from_slice(&first);
        for bad in [&flipped[..], cut, at_chunk, &swapped[..]] {
            assert!(c.open(bad, &"t").is_err());
            let mut sink = Vec::new();
            assert!(c.reader(bad).unwrap().read_to_end(&mut sink).is_err());
        }
        let other = Cipher::from_master(&[8u8; 32]);
        assert!(other.open(&sealed, &"t").is_err());
        assert!(c.open(b"%PDF-1.7 plain", &"t").is_err());
        // The same plaintext seals differently each time.
        assert_ne!(c.seal(b"abc"), c.seal(b"abc"));
    }

    #[test]
    fn the_recovery_passphrase_opens_the_key_and_a_wrong_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(!is_encrypted(root));
        assert!(matches!(
            create(root, "za krótkie"),
            Err(Error::Invalid(m)) if m.contains("12")
        ));
        let (c, _) = create(root, "zielona łąka nad Odrą").unwrap();
        assert!(is_encrypted(root));
        let text = fs::read_to_string(root.join(KEY_FILE)).unwrap();
        assert!(text.contains("argon2id") && !text.contains(&c.db_key()[2..66]));
        assert!(matches!(
            create(root, "zielona łąka nad Odrą"),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            unlock(root, "czerwona łąka nad Odrą"),
            Err(Error::Forbidden(_))
        ));
        unlock(root, "zielona łąka nad Odrą").unwrap();
        let again = cipher_for(root).unwrap().unwrap();
        assert_eq!(again.db_key(), c.db_key());
        assert_eq!(again.open(&c.seal(b"x"), &"t").unwrap(), b"x");

        // A new passphrase: the old one no longer opens the key, the new one opens the same key.
        assert!(matches!(
            change_passphrase(root, "krótkie"),
            Err(Error::Invalid(_))
        ));
        change_passphrase(root, "niebieskie niebo nad Tatrami").unwrap();
        assert!(matches!(
            unlock(root, "zielona łąka nad Odrą"),
            Err(Error::Forbidden(_))
        ));
        unlock(root, "niebieskie niebo nad Tatrami").unwrap();
        assert_eq!(cipher_for(root).unwrap().unwrap().db_key(), c.db_key());
    }
}
