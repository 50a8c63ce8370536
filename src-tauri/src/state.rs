//! The open library and the jobs running on it.
//!
//! The app opens a library twice: a *writer* that holds the library's lock (so a second window or
//! program sees it busy) and a *reader* for everything that only looks (inbox, search, document
//! views), so searching stays instant while an import runs. Long jobs (import, OCR) take the
//! writer in short turns: when a clerk saves something while a job runs, the job is asked to
//! pause at its next step, the save goes through, and the job carries on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use skladnica_core::Library;

use crate::error::{AppError, CmdResult};

/// How long a clerk's save waits for a running job to pause before saying the library is busy.
const WRITE_WAIT: Duration = Duration::from_secs(20);

/// A library shared between the commands and a job thread.
pub type Shared = Arc<Mutex<Library>>;

/// One open library.
pub struct Open {
    /// Its folder.
    pub root: PathBuf,
    writer: Shared,
    reader: Shared,
    /// True when another program holds the library's lock: the app can only look.
    pub read_only: bool,
}

/// A running job's flags.
pub struct JobFlags {
    /// The user asked to stop.
    pub cancelled: AtomicBool,
    /// Stop the current step (set on cancel, and when a save waits for the writer).
    pub interrupt: AtomicBool,
}

/// Everything the commands share.
pub struct AppState {
    open: Mutex<Option<Open>>,
    jobs: Mutex<HashMap<u32, Arc<JobFlags>>>,
    next_job: AtomicU32,
    /// Set while a save waits for the writer; jobs pause at their next step.
    pub writer_wanted: AtomicBool,
    /// Where the app's own settings (the library chosen) are kept.
    pub config_file: Option<PathBuf>,
    /// The hot-folder watcher's flags: a save pauses it like a job.
    pub watcher: Arc<JobFlags>,
    /// The library has operator profiles and nobody is signed in: the background work (hot
    /// folder, scheduled exports, EZD sending) waits.
    signed_out: AtomicBool,
    /// The library last asked for (which may not have opened: an encrypted one whose key is
    /// not on this computer waits for its recovery passphrase).
    wanted: Mutex<Option<PathBuf>>,
}

fn poisoned<T>(e: std::sync::PoisonError<T>) -> T {
    e.into_inner()
}

impl AppState {
    /// No library open yet.
    pub fn new(config_file: Option<PathBuf>) -> Self {
        AppState {
            open: Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
            next_job: AtomicU32::new(1),
            writer_wanted: AtomicBool::new(false),
            config_file,
            watcher: Arc::new(JobFlags {
                cancelled: AtomicBool::new(false),
                interrupt: AtomicBool::new(false),
            }),
            signed_out: AtomicBool::new(false),
            wanted: Mutex::new(None),
        }
    }

    /// The library last asked for, open or not.
    pub fn wanted(&self) -> Option<PathBuf> {
        self.wanted.lock().unwrap_or_else(poisoned).clone()
    }

    /// True while the library has operator profiles and nobody is signed in.
    pub fn signed_out(&self) -> bool {
        self.signed_out.load(Ordering::SeqCst)
    }

    /// Opens the library at `root`, replacing the one open; with `create`, a missing library is
    /// created (but never a missing parent folder: that is an unplugged disk or a typing
    /// mistake). Fails if a job is running.
    pub fn open_library(&self, root: &Path, create: bool) -> CmdResult<()> {
        *self.wanted.lock().unwrap_or_else(poisoned) = Some(root.to_path_buf());
        let parent_missing = root.parent().is_some_and(|p| !p.is_dir());
        if parent_missing || (!create && !root.join("skladnica.sqlite").exists()) {
            return Err(AppError::new(
                "library_missing",
                format!(
                    "{}: the library folder is not there (a USB disk or network share not \
                     connected?)",
                    root.display()
                ),
            ));
        }
        if !self.jobs.lock().unwrap_or_else(poisoned).is_empty() {
            return Err(AppError::new(
                "job_running",
                "finish or cancel the running import before changing the library",
            ));
        }
        let mut slot = self.open.lock().unwrap_or_else(poisoned);
        // Release the old one (and its lock) first, so reopening the same folder works.
        *slot = None;
        let writer = Library::open_or_create(root)?;
        let reader = Library::open(root)?;
        *slot = Some(self.opened(root.to_path_buf(), writer, reader));
        Ok(())
    }

    /// The library open with these handles; whether somebody must sign in first is noted.
    fn opened(&self, root: PathBuf, writer: Library, reader: Library) -> Open {
        self.signed_out
            .store(writer.require_signed_in().is_err(), Ordering::SeqCst);
        Open {
            root,
            read_only: !writer.is_writable(),
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(reader)),
        }
    }

    /// Encrypts the open library (see `Library::encrypt`). No connection may stay on the database
    /// file that the encrypted one replaces, so the library is closed first (the reader too,
    /// once the background work has let go of it), encrypted through the writer alone, and
    /// opened again with the same operator signed in.
    pub fn encrypt(&self, passphrase: &str) -> CmdResult<skladnica_core::encrypt::EncryptReport> {
        if !self.jobs.lock().unwrap_or_else(poisoned).is_empty() {
            return Err(AppError::new(
                "job_running",
                "finish or cancel the running import before encrypting the library",
            ));
        }
        let mut slot = self.open.lock().unwrap_or_else(poisoned);
        let open = slot.take().ok_or_else(no_library)?;
        if open.read_only {
            let root = open.root.clone();
            *slot = Some(open);
            return Err(read_only_error(&root));
        }
        // The hot folder, the scheduler and the EZD sender take handles only for a pass.
        self.watcher.interrupt.store(true, Ordering::SeqCst);
        let started = Instant::now();
        while Arc::strong_count(&open.writer) > 1 || Arc::strong_count(&open.reader) > 1 {
            if started.elapsed() > WRITE_WAIT {
                *slot = Some(open);
                return Err(AppError::new(
                    "busy",
                    "the background work did not let go of the library in time; try again",
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let Open {
            root,
            writer,
            reader,
            ..
        } = open;
        drop(reader);
        let mut lib = Arc::into_inner(writer)
            .expect("the only handle")
            .into_inner()
            .unwrap_or_else(poisoned);
        let done = lib.encrypt(passphrase, &mut |_, _, _| {});
        // Opened again: the reader first (read-only while `lib` holds the lock), to carry the
        // operator over.
        let mut reader = Library::open(&root)?;
        reader.share_session(&lib);
        drop(lib);
        let mut writer = Library::open(&root)?;
        writer.share_session(&reader);
        *slot = Some(self.opened(root, writer, reader));
        Ok(done?)
    }

    /// The open library's folder and whether it is read-only.
    pub fn current(&self) -> CmdResult<(PathBuf, bool)> {
        let slot = self.open.lock().unwrap_or_else(poisoned);
        let open = slot.as_ref().ok_or_else(no_library)?;
        Ok((open.root.clone(), open.read_only))
    }

    fn handles(&self) -> CmdResult<(Shared, Shared, bool)> {
        let slot = self.open.lock().unwrap_or_else(poisoned);
        let open = slot.as_ref().ok_or_else(no_library)?;
        Ok((open.writer.clone(), open.reader.clone(), open.read_only))
    }

    /// Runs `f` on the reader.
    pub fn read<T>(&self, f: impl FnOnce(&Library) -> CmdResult<T>) -> CmdResult<T> {
        let (_, reader, _) = self.handles()?;
        let lib = reader.lock().unwrap_or_else(poisoned);
        f(&lib)
    }

    /// Runs `f` on the writer, asking a running job to pause if it holds it; then lets the
    /// reader see the change.
    pub fn write<T>(&self, f: impl FnOnce(&mut Library) -> CmdResult<T>) -> CmdResult<T> {
        let (writer, reader, read_only) = self.handles()?;
        if read_only {
            return Err(read_only_error(&self.current()?.0));
        }
        let mut lib = self.lock_writer(&writer)?;
        let out = f(&mut lib);
        drop(lib);
        refresh(&reader);
        out
    }

    /// Runs `f` on the writer to change who is signed in (works on a read-only library too: a
    /// sign-in there is checked but not logged), then lets the reader act for the same operator.
    pub fn sign<T>(&self, f: impl FnOnce(&mut Library) -> CmdResult<T>) -> CmdResult<T> {
        let (writer, reader, _) = self.handles()?;
        let mut lib = self.lock_writer(&writer)?;
        let out = f(&mut lib);
        reader.lock().unwrap_or_else(poisoned).share_session(&lib);
        self.signed_out
            .store(lib.require_signed_in().is_err(), Ordering::SeqCst);
        out
    }

    fn lock_writer<'a>(&self, writer: &'a Mutex<Library>) -> CmdResult<MutexGuard<'a, Library>> {
        if let Ok(lib) = writer.try_lock() {
            return Ok(lib);
        }
        self.writer_wanted.store(true, Ordering::SeqCst);
        for flags in self.jobs.lock().unwrap_or_else(poisoned).values() {
            flags.interrupt.store(true, Ordering::SeqCst);
        }
        self.watcher.interrupt.store(true, Ordering::SeqCst);
        let started = Instant::now();
        let got = loop {
            if let Ok(lib) = writer.try_lock() {
                break Some(lib);
            }
            if started.elapsed() > WRITE_WAIT {
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.writer_wanted.store(false, Ordering::SeqCst);
        got.ok_or_else(|| {
            AppError::new(
                "busy",
                "a long step of the running job did not pause in time; try again in a moment",
            )
        })
    }

    /// The writer and reader for a job thread.
    pub fn job_handles(&self) -> CmdResult<(Shared, Shared)> {
        let (writer, reader, read_only) = self.handles()?;
        if read_only {
            return Err(read_only_error(&self.current()?.0));
        }
        Ok((writer, reader))
    }

    /// Registers a job; returns its id and flags.
    pub fn start_job(&self) -> (u32, Arc<JobFlags>) {
        let id = self.next_job.fetch_add(1, Ordering::SeqCst);
        let flags = Arc::new(JobFlags {
            cancelled: AtomicBool::new(false),
            interrupt: AtomicBool::new(false),
        });
        self.jobs
            .lock()
            .unwrap_or_else(poisoned)
            .insert(id, flags.clone());
        (id, flags)
    }

    /// Forgets a finished job.
    pub fn end_job(&self, id: u32) {
        self.jobs.lock().unwrap_or_else(poisoned).remove(&id);
    }

    /// Asks job `id` to stop; false when no such job runs.
    pub fn cancel_job(&self, id: u32) -> bool {
        match self.jobs.lock().unwrap_or_else(poisoned).get(&id) {
            Some(flags) => {
                flags.cancelled.store(true, Ordering::SeqCst);
                flags.interrupt.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Running jobs.
    pub fn jobs_running(&self) -> usize {
        self.jobs.lock().unwrap_or_else(poisoned).len()
    }
}

/// Reloads the reader's view of the search index after a write.
pub fn refresh(reader: &Mutex<Library>) {
    let lib = reader.lock().unwrap_or_else(poisoned);
    // A failed reload leaves the previous view, which is still consistent.
    let _ = lib.index().reload();
}

fn no_library() -> AppError {
    AppError::new("no_library", "no library is open")
}

fn read_only_error(root: &Path) -> AppError {
    AppError::new(
        "read_only",
        format!(
            "{}: another Składnica window or program has this library open; it can only be \
             viewed here until that one is closed",
            root.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_window_on_the_same_library_can_only_look() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("library");
        let first = AppState::new(None);
        first.open_library(&root, true).unwrap();
        assert!(!first.current().unwrap().1);
        let second = AppState::new(None);
        second.open_library(&root, true).unwrap();
        assert!(second.current().unwrap().1, "the second is read-only");
        let e = second
            .write(|lib| Ok(lib.add_unit("OR", "Referat Organizacyjny", 2020, None)?))
            .unwrap_err();
        assert_eq!(e.code, "read_only");
        assert!(e.message.contains(&root.display().to_string()), "{e}");
        // Looking works, and what the first writes the second sees.
        first
            .write(|lib| Ok(lib.add_unit("OR", "Referat Organizacyjny", 2020, None)?))
            .unwrap();
        let units = second.read(|lib| Ok(lib.units()?)).unwrap();
        assert_eq!(units.len(), 1);
        // Once the first is gone the library can be opened for writing again.
        drop(first);
        second.open_library(&root, true).unwrap();
        assert!(!second.current().unwrap().1);
    }

    #[test]
    fn a_missing_library_folder_is_not_made_up() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(None);
        // The disk with the library is not plugged in: its parent folder is missing.
        let e = state
            .open_library(&dir.path().join("pendrive/archiwum"), true)
            .unwrap_err();
        assert_eq!(e.code, "library_missing");
        // The library remembered from last time is gone: it is not recreated empty.
        let e = state
            .open_library(&dir.path().join("archiwum"), false)
            .unwrap_err();
        assert_eq!(e.code, "library_missing");
        assert!(!dir.path().join("archiwum").exists());
        assert_eq!(state.current().unwrap_err().code, "no_library");
    }

    #[test]
    fn a_save_pauses_a_running_job() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(AppState::new(None));
        state.open_library(&dir.path().join("lib"), true).unwrap();
        let (writer, _) = state.job_handles().unwrap();
        let (_, flags) = state.start_job();
        // A job holds the writer until it is asked to pause.
        let job = {
            let (writer, flags) = (writer.clone(), flags.clone());
            std::thread::spawn(move || {
                let guard = writer.lock().unwrap();
                while !flags.interrupt.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                drop(guard);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        let unit = state
            .write(|lib| Ok(lib.add_unit("GKM", "Referat Gospodarki Komunalnej", 2020, None)?))
            .unwrap();
        assert_eq!(unit.code, "GKM");
        job.join().unwrap();
        assert!(
            !flags.cancelled.load(Ordering::SeqCst),
            "a pause is not a cancel"
        );
    }
}
