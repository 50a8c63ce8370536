//! The search index of an encrypted library: a tantivy `Directory` over the index folder that
//! seals every file as it is written (see `crypt`) and opens it as it is read.
//!
//! tantivy reads its files in small random slices, so a file is decrypted whole when it is
//! first opened and kept in memory while any reader still holds it (segments are shared between
//! successive searchers, so a reload after a commit decrypts only the new segments). The price
//! is memory the size of the index instead of memory-mapped pages; `BENCHMARKS.md` has the
//! figures. Locks are the folder's own (empty files; nothing to hide).

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes,
    TerminatingWrite, WatchCallback, WatchHandle, WritePtr,
};

use crate::crypt::{Cipher, SealWriter};

/// A tantivy directory whose files are sealed on disk.
#[derive(Clone)]
pub struct SealedDirectory {
    inner: MmapDirectory,
    cipher: Cipher,
    open: Arc<Mutex<HashMap<PathBuf, Weak<OwnedBytes>>>>,
}

impl std::fmt::Debug for SealedDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedDirectory({:?})", self.inner)
    }
}

impl SealedDirectory {
    /// The sealed index in `dir` (which must exist).
    pub fn open(dir: &Path, cipher: Cipher) -> tantivy::Result<SealedDirectory> {
        Ok(SealedDirectory {
            inner: MmapDirectory::open(dir)?,
            cipher,
            open: Arc::default(),
        })
    }

    fn decrypt(&self, path: &Path, sealed: &[u8]) -> io::Result<Vec<u8>> {
        self.cipher
            .open(sealed, &path.display())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }

    fn forget(&self, path: &Path) {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }
}

/// What tantivy writes, sealed chunk by chunk into the folder's file.
struct SealedFile(SealWriter<WritePtr>);

impl Write for SealedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        // A chunk is sealed only when full; flushing what is sealed is all there is to do.
        self.0.inner_mut().flush()
    }
}

impl TerminatingWrite for SealedFile {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.0.finish()?;
        self.0.inner_mut().terminate_ref(token)
    }
}

impl Directory for SealedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = open.get(path).and_then(Weak::upgrade) {
            return Ok(bytes);
        }
        let sealed = self
            .inner
            .open_read(path)?
            .read_bytes()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        let plain = self
            .decrypt(path, &sealed)
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        let bytes = Arc::new(OwnedBytes::new(plain));
        open.retain(|_, w| w.strong_count() > 0);
        open.insert(path.to_path_buf(), Arc::downgrade(&bytes));
        Ok(bytes)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.forget(path);
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.forget(path);
        let inner = self.inner.open_write(path)?;
        let sealed = self
            .cipher
            .writer(inner)
            .map_err(|e| OpenWriteError::wrap_io_error(e, path.to_path_buf()))?;
        Ok(BufWriter::new(Box::new(SealedFile(sealed))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let sealed = self.inner.atomic_read(path)?;
        self.decrypt(path, &sealed)
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, &self.cipher.seal(data))
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}
