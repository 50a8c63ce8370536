//! The hot folder: files that appear in a folder are imported once they are complete, then moved
//! out of the way — imported ones (and ones already in the library) to `zaimportowane/<date>/`,
//! refused ones to `odrzucone/` with a `<name>.powod.txt` beside each saying why. A file is taken
//! as complete when its size and modification time have not changed for the settle time and it
//! can be opened; a file still being written is left for a later pass.
//!
//! Polling, not file-system events: it works the same on a USB disk, a network share (where
//! change notification is unreliable) and after a restart. A restart never imports twice: files
//! are moved out once imported, and a file imported but not yet moved when the process stopped
//! is recognised by its hash and moved as a duplicate.
//!
//! With separation on ([`WatchState::separation`]), a stack file from a scanner's scan-to-folder
//! is split into documents first (see [`crate::capture::stacks`]); it counts as imported when
//! every document made from it is in the library.
//!
//! A library remembers its hot folder ([`hot_folder`], [`set_hot_folder`]): where it is, whether
//! it is watched, and whether stacks are split, so that the desktop app watches it again at start.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::{self, ImportEvent, ImportOptions, ImportReport};
use crate::library::Library;

/// Where imported files go, inside the watched folder.
pub const DONE_DIR: &str = "zaimportowane";
/// Where refused files go, inside the watched folder.
pub const FAILED_DIR: &str = "odrzucone";

/// How long a file must stay unchanged to count as complete, by default.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(3);

/// The library's hot folder, as it is set.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HotFolder {
    /// The folder (absolute).
    pub path: String,
    /// Whether it is watched.
    pub enabled: bool,
    /// Split stack files at separator sheets before import.
    pub split_stacks: bool,
}

const HOT_FOLDER_KEY: &str = "hot_folder";

/// The library's hot folder, if one was ever set.
pub fn hot_folder(lib: &Library) -> Result<Option<HotFolder>> {
    match crate::db::settings::get(lib.conn(), HOT_FOLDER_KEY)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| {
            Error::Invalid(format!(
                "the library's hot folder setting is unreadable: {e}"
            ))
        }),
    }
}

/// Sets the library's hot folder (a new folder only by an administrator, where there are
/// operator profiles). Its path must be an existing folder, given whole, and must
/// neither lie inside the library nor hold it (the library's own files would be imported).
pub fn set_hot_folder(lib: &Library, folder: &HotFolder) -> Result<()> {
    lib.require_writable()?;
    // Switching it on and off is everyday work; choosing the folder is a setting.
    if hot_folder(lib)?.is_none_or(|h| h.path != folder.path.trim()) {
        lib.require(crate::operators::Permission::Settings)?;
    }
    let path = Path::new(folder.path.trim());
    let bad = |why: &str| {
        Err(Error::Invalid(format!(
            "hot folder {}: {why}",
            path.display()
        )))
    };
    if path.as_os_str().is_empty() {
        return Err(Error::Invalid("hot folder: no folder was given".into()));
    }
    if !path.is_absolute() {
        return bad("give the whole path (from / or a drive letter)");
    }
    if !path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the hot folder is not there (a disk or share not connected?)",
            ),
        ));
    }
    let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(p, e));
    let (dir, root) = (canon(path)?, canon(lib.root())?);
    if dir.starts_with(&root) {
        return bad("it is inside the library folder; choose a folder outside it");
    }
    if root.starts_with(&dir) {
        return bad("it holds the library folder; choose a folder that does not");
    }
    let stored = HotFolder {
        path: path.display().to_string(),
        ..folder.clone()
    };
    let json = serde_json::to_string(&stored)
        .map_err(|e| Error::Invalid(format!("hot folder setting: {e}")))?;
    crate::db::settings::set(lib.conn(), HOT_FOLDER_KEY, &json)
}

/// What the watcher remembers between passes: the size and time each file had when first seen
/// unchanged.
#[derive(Debug, Default)]
pub struct WatchState {
    seen: HashMap<PathBuf, (u64, Option<SystemTime>, Instant)>,
    /// Split stack files at separator sheets (and blank pages) before import.
    pub separation: Option<crate::capture::separate::Separation>,
}

/// What one pass did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    /// The import of the complete files.
    pub import: ImportReport,
    /// Files moved to the done folder.
    pub moved_done: usize,
    /// Files moved to the refused folder.
    pub moved_failed: usize,
    /// Files still being written (or changed since the last pass), left for later.
    pub waiting: usize,
    /// Stack files split into documents.
    pub stacks: Vec<crate::capture::stacks::StackSplit>,
}

/// One pass over `dir`: imports the files that are complete and moves them out.
pub fn pass(
    lib: &mut Library,
    dir: &Path,
    state: &mut WatchState,
    settle: Duration,
    opts: &ImportOptions,
    on_event: &mut dyn FnMut(&ImportEvent),
    cancel: &AtomicBool,
) -> Result<PassReport> {
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the folder to watch is not there",
            ),
        ));
    }
    let (files, _) = ingest::collect_files(&[dir.to_path_buf()]);
    let mut ready = Vec::new();
    let mut report = PassReport::default();
    let now = Instant::now();
    let mut present = Vec::new();
    for file in files {
        if file
            .strip_prefix(dir)
            .ok()
            .and_then(|r| r.components().next())
            .is_some_and(|c| c.as_os_str() == DONE_DIR || c.as_os_str() == FAILED_DIR)
        {
            continue;
        }
        present.push(file.clone());
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        let key = (meta.len(), meta.modified().ok());
        match state.seen.get(&file) {
            Some((len, modified, since))
                if (*len, *modified) == key && now.duration_since(*since) >= settle =>
            {
                // Unchanged for the settle time; it must also open (Windows writers lock files).
                if std::fs::File::open(&file).is_ok() {
                    ready.push(file);
                } else {
                    report.waiting += 1;
                }
            }
            Some((len, modified, _)) if (*len, *modified) == key => report.waiting += 1,
            _ => {
                state.seen.insert(file, (key.0, key.1, now));
                report.waiting += 1;
            }
        }
    }
    state.seen.retain(|p, _| present.contains(p));
    if ready.is_empty() {
        return Ok(report);
    }
    // Nobody signed in: the files wait where they are (rather than being refused one by one).
    lib.require_signed_in()?;
    match &state.separation {
        Some(sep) => {
            let r = crate::capture::import_separated(lib, &ready, sep, opts, on_event, cancel)?;
            report.import = r.import;
            report.stacks = r.stacks;
        }
        None => report.import = ingest::run(lib, &ready, opts, on_event, cancel)?,
    }
    let today = crate::db::now()[..10].to_string();
    let shown = |p: &Path| ingest::display_path(p);
    let done: Vec<&str> = report
        .import
        .imported
        .iter()
        .chain(&report.import.duplicates)
        .map(|i| i.path.as_str())
        .collect();
    let failure = |path: &str| {
        report
            .import
            .failed
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.error.clone())
    };
    for src in &ready {
        let path = shown(src);
        // Done, refused (why), or neither (a cancelled import): left for the next pass.
        let outcome = match report.stacks.iter().find(|st| st.source == path) {
            Some(stack) => {
                let parts: Vec<String> = stack.parts.iter().map(|(p, _)| shown(p)).collect();
                let why: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !done.contains(&p.as_str()))
                    .map(|(i, p)| {
                        let reason = failure(p).unwrap_or_else(|| "not imported".into());
                        format!("document {} of the stack: {reason}", i + 1)
                    })
                    .collect();
                Some(if why.is_empty() {
                    Ok(())
                } else {
                    Err(why.join("; "))
                })
            }
            None if done.contains(&path.as_str()) => Some(Ok(())),
            None => failure(&path).map(Err),
        };
        match outcome {
            Some(Ok(())) => {
                move_into(src, dir, &dir.join(DONE_DIR).join(&today), None)?;
                report.moved_done += 1;
            }
            Some(Err(why)) => {
                move_into(src, dir, &dir.join(FAILED_DIR), Some(&why))?;
                report.moved_failed += 1;
            }
            None => continue,
        }
        state.seen.remove(src);
    }
    Ok(report)
}

/// Moves `src` (under `root`) into `target`, keeping its sub-folder and never overwriting; with
/// a reason, writes it beside the file.
fn move_into(src: &Path, root: &Path, target: &Path, reason: Option<&str>) -> Result<()> {
    let relative = src.strip_prefix(root).unwrap_or(src);
    let mut dest = target.join(relative);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut n = 1;
    while dest.exists() {
        let stem = relative
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = relative
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        dest.set_file_name(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    std::fs::rename(src, &dest).map_err(|e| Error::io(src, e))?;
    if let Some(reason) = reason {
        let mut note = dest.clone().into_os_string();
        note.push(".powod.txt");
        std::fs::write(&note, format!("{reason}\n")).map_err(|e| Error::io(&note, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hot_folder_is_remembered_and_a_bad_one_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::init(&dir.path().join("lib")).unwrap();
        assert_eq!(hot_folder(&lib).unwrap(), None);
        let inbox = dir.path().join("skaner");
        std::fs::create_dir(&inbox).unwrap();
        let set = |path: &Path| HotFolder {
            path: path.display().to_string(),
            enabled: true,
            split_stacks: true,
        };
        set_hot_folder(&lib, &set(&inbox)).unwrap();
        assert_eq!(hot_folder(&lib).unwrap(), Some(set(&inbox)));

        let refused = |path: &Path, wanted: &str| {
            let err = set_hot_folder(&lib, &set(path)).unwrap_err().to_string();
            assert!(err.contains(wanted), "{err}");
        };
        refused(&dir.path().join("brak"), "not there");
        refused(Path::new("skaner"), "whole path");
        refused(&dir.path().join("lib").join("pliki"), "not there");
        std::fs::create_dir_all(dir.path().join("lib").join("wejscie")).unwrap();
        refused(
            &dir.path().join("lib").join("wejscie"),
            "inside the library",
        );
        refused(dir.path(), "holds the library");
        // What was refused changed nothing.
        assert_eq!(hot_folder(&lib).unwrap(), Some(set(&inbox)));
    }
}
