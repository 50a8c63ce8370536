//! The full backup of a library as a BagIt bag (RFC 8493), and restoring one into a new
//! library. The payload is everything a library is: `data/skladnica.sqlite` (a consistent copy
//! made by SQLite's `VACUUM INTO`: documents, metadata, registers, cases, JRWA versions, the
//! export log, settings) and `data/blobs/` (every original, by its SHA-256). The search index is
//! derived and is rebuilt on restore. Standard BagIt tools can check the bag; `verify` does too.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde::Serialize;

use super::verify::{VerifyReport, check_listed, hash_file, parse_manifest, recorder, walk};
use super::{
    copy_blob, copy_stream, ensure_space, make_parent, new_folder_name, put, sync_dir, sync_tree,
    unfinished,
};
use crate::error::{Error, Result};
use crate::library::Library;

/// What a backup wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    /// The bag's folder.
    pub bag: std::path::PathBuf,
    /// Documents in the library.
    pub documents: i64,
    /// Payload files (the database and the originals).
    pub files: usize,
    /// Payload size in bytes.
    pub bytes: u64,
}

/// What a restore made.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    /// The new library's folder.
    pub library: std::path::PathBuf,
    /// Documents in it.
    pub documents: usize,
    /// Originals restored.
    pub files: usize,
}

pub(super) const DB: &str = "skladnica.sqlite";

/// Where a bag's files go: a folder on the carrier, or an encrypted archive (see `encrypted`).
pub(super) trait BagSink {
    /// Adds the file at `source` as `relative`; returns its SHA-256 and size.
    fn add_file(&mut self, relative: &str, source: &Path) -> Result<(String, u64)>;
    /// Adds `bytes` as `relative`; returns their SHA-256 and size.
    fn add_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<(String, u64)>;
    /// Adds what `data` gives (`size` bytes, read from `source`) as `relative`; returns its
    /// SHA-256 and size.
    fn add_reader(
        &mut self,
        relative: &str,
        size: u64,
        data: &mut dyn std::io::Read,
        source: &Path,
    ) -> Result<(String, u64)>;
    /// Where a file `relative` can be made in place, if the sink is a folder (so that the
    /// database is copied once, straight into the bag).
    fn place_of(&mut self, _relative: &str) -> Result<Option<std::path::PathBuf>> {
        Ok(None)
    }
}

/// A bag written as a folder.
struct FolderSink<'a>(&'a Path);

impl BagSink for FolderSink<'_> {
    fn add_file(&mut self, relative: &str, source: &Path) -> Result<(String, u64)> {
        let w = copy_blob(source, self.0, relative, None)?;
        Ok((w.sha256, w.size))
    }

    fn add_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<(String, u64)> {
        let w = put(self.0, relative, bytes)?;
        Ok((w.sha256, w.size))
    }

    fn add_reader(
        &mut self,
        relative: &str,
        _size: u64,
        data: &mut dyn std::io::Read,
        source: &Path,
    ) -> Result<(String, u64)> {
        make_parent(self.0, &self.0.join(relative))?;
        let w = copy_stream(data, source, self.0, relative)?;
        Ok((w.sha256, w.size))
    }

    fn place_of(&mut self, relative: &str) -> Result<Option<std::path::PathBuf>> {
        let path = self.0.join(relative);
        make_parent(self.0, &path)?;
        Ok(Some(path))
    }
}

impl Library {
    /// Writes a full backup of the library as a BagIt bag in a new folder in `target`.
    pub fn backup(&self, target: &Path) -> Result<BackupReport> {
        let shas = self.plan_backup(target)?;
        let name = new_folder_name(target, "kopia");
        let partial = unfinished(target, &name);
        if partial.exists() {
            fs::remove_dir_all(&partial).map_err(|e| Error::io(&partial, e))?;
        }
        let written = fs::create_dir_all(&partial)
            .map_err(|e| Error::io(&partial, e))
            .and_then(|()| self.write_bag(&mut FolderSink(&partial), &shas))
            .and_then(|w| sync_tree(&partial).map(|()| w));
        let (files, bytes) = match written {
            Ok(w) => w,
            Err(e) => {
                let _ = fs::remove_dir_all(&partial);
                return Err(e);
            }
        };
        let bag = target.join(&name);
        fs::rename(&partial, &bag).map_err(|e| Error::io(&bag, e))?;
        sync_dir(target);
        self.backup_report(bag, files, bytes)
    }

    /// The originals a backup to `target` takes (SHA-256, size), once the target is found to be
    /// a folder with the room for them and the database.
    pub(super) fn plan_backup(&self, target: &Path) -> Result<Vec<(String, i64)>> {
        if !target.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: the backup target is not a folder (is the disk or share connected?)",
                target.display()
            )));
        }
        let shas: Vec<(String, i64)> = {
            let ctx = |e| Error::sqlite("listing the originals to back up", e);
            let mut s = self
                .conn()
                .prepare("SELECT sha256, MAX(size) FROM files GROUP BY sha256 ORDER BY sha256")
                .map_err(ctx)?;
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(ctx)?
                .collect::<rusqlite::Result<_>>()
                .map_err(ctx)?
        };
        let db_size = fs::metadata(self.root().join(DB))
            .map(|m| m.len())
            .unwrap_or(0);
        let needed = shas.iter().map(|(_, n)| *n as u64).sum::<u64>() + db_size + (16 << 20);
        ensure_space(target, needed, "the backup")?;
        Ok(shas)
    }

    pub(super) fn backup_report(
        &self,
        bag: std::path::PathBuf,
        files: usize,
        bytes: u64,
    ) -> Result<BackupReport> {
        Ok(BackupReport {
            bag,
            documents: self
                .conn()
                .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
                .map_err(|e| Error::sqlite("counting documents", e))?,
            files,
            bytes,
        })
    }

    /// Writes the bag's files into `sink`: the declaration, a consistent copy of the database
    /// (made by `VACUUM INTO` beside the library; in the clear from an encrypted one), every original (checked against its name),
    /// then `bag-info.txt` and the manifests. Returns the payload's files and size.
    pub(super) fn write_bag(
        &self,
        sink: &mut dyn BagSink,
        shas: &[(String, i64)],
    ) -> Result<(usize, u64)> {
        let mut tags = Vec::new();
        let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
        tags.push((
            "bagit.txt",
            sink.add_bytes("bagit.txt", declaration.as_bytes())?,
        ));
        let db_rel = format!("data/{DB}");
        let vacuum_into = |copy: &Path| self.copy_database_to(copy);
        let (db_sha, db_size) = match sink.place_of(&db_rel)? {
            Some(copy) => {
                vacuum_into(&copy)?;
                hash_file(&copy).map_err(|e| Error::io(&copy, e))?
            }
            // Copied beside the library first, then streamed into the sink.
            None => {
                let scratch = tempfile::Builder::new()
                    .prefix(".kopia-bazy-")
                    .tempdir_in(self.root())
                    .map_err(|e| Error::io(self.root(), e))?;
                let copy = scratch.path().join(DB);
                vacuum_into(&copy)?;
                sink.add_file(&db_rel, &copy)?
            }
        };
        let mut manifest = vec![(db_rel, db_sha, db_size)];
        for (sha, stored_size) in shas {
            let rel = format!("data/blobs/{}/{sha}", &sha[..2]);
            let path = self.blobs().path(sha);
            let (actual, size) = if self.blobs().is_encrypted() {
                let size = u64::try_from(*stored_size).unwrap_or(0);
                sink.add_reader(&rel, size, &mut self.blobs().reader(sha)?, &path)?
            } else {
                sink.add_file(&rel, &path)?
            };
            if &actual != sha {
                return Err(Error::Invalid(format!(
                    "original {sha} in the library is damaged (it reads as {actual}); run \
                     `skladnica check` before backing up"
                )));
            }
            manifest.push((rel, actual, size));
        }
        let bytes: u64 = manifest.iter().map(|(_, _, n)| n).sum();
        let files = manifest.len();
        let lines: String = manifest
            .iter()
            .map(|(p, h, _)| format!("{h}  {p}\n"))
            .collect();
        let office = self.office()?.map(|o| o.display_name());
        let head = self
            .audit_head()?
            .map(|(seq, hash)| format!("Skladnica-Audit-Head: {seq}:{hash}\n"))
            .unwrap_or_default();
        let info = format!(
            "Source-Organization: {}\nBagging-Date: {}\nPayload-Oxum: {bytes}.{files}\n\
             External-Description: Składnica library backup (database and originals); restore \
             with `skladnica restore`\n{head}",
            office.as_deref().unwrap_or("(office not described)"),
            skladnica_records::Date::today()
        );
        for (name, text) in [("bag-info.txt", info), ("manifest-sha256.txt", lines)] {
            tags.push((name, sink.add_bytes(name, text.as_bytes())?));
        }
        let tag_manifest: String = tags
            .iter()
            .map(|(name, (sha, _))| format!("{sha}  {name}\n"))
            .collect();
        sink.add_bytes("tagmanifest-sha256.txt", tag_manifest.as_bytes())?;
        Ok((files, bytes))
    }
}

/// True when `dir` holds a BagIt bag.
pub fn is_bag(dir: &Path) -> bool {
    dir.join("bagit.txt").is_file()
}

/// Verifies a bag: the declaration, every payload file against `manifest-sha256.txt`, nothing
/// in `data/` that the manifest does not name, the tag manifest, and `Payload-Oxum`.
pub fn verify_bag(dir: &Path) -> Result<VerifyReport> {
    let declaration = fs::read_to_string(dir.join("bagit.txt")).map_err(|e| {
        Error::Invalid(format!(
            "{}: not a BagIt bag: bagit.txt cannot be read ({e})",
            dir.display()
        ))
    })?;
    let mut problems = Vec::new();
    let mut say = recorder(&mut problems);
    let mut present = BTreeSet::new();
    walk(dir, "", &mut present, &mut say)?;
    let (files_checked, bytes) = check_bag(
        &declaration,
        &|name| fs::read_to_string(dir.join(name)).ok(),
        &present,
        &mut |p| hash_file(&dir.join(p)),
        &mut say,
    );
    drop(say);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(VerifyReport {
        files_checked,
        bytes,
        schema_checked: 0,
        problems,
    })
}

/// The checks of a bag, wherever its files are: `present` are its files (relative paths),
/// `text(name)` reads a tag file, `hash(path)` a file's SHA-256 and size. Returns the files
/// hashed and their size.
pub(super) fn check_bag(
    declaration: &str,
    text: &dyn Fn(&str) -> Option<String>,
    present: &BTreeSet<String>,
    hash: &mut dyn FnMut(&str) -> std::io::Result<(String, u64)>,
    say: &mut impl FnMut(&str, String),
) -> (usize, u64) {
    if !declaration.contains("BagIt-Version:") {
        say("bagit.txt", "does not declare a BagIt version".into());
    }
    let manifest = |name: &str, say: &mut dyn FnMut(&str, String)| match text(name) {
        Some(text) => parse_manifest(&text, name, &mut |p: &str, r: String| say(p, r)),
        None => {
            say(name, "missing".into());
            BTreeMap::new()
        }
    };
    let payload = manifest("manifest-sha256.txt", say);
    let tags = manifest("tagmanifest-sha256.txt", say);
    let (tag_files, tag_bytes) = check_listed(hash, &tags, present, say);
    let (payload_files, payload_bytes) = check_listed(hash, &payload, present, say);
    for path in present.iter().filter(|p| p.starts_with("data/")) {
        if !payload.contains_key(path) {
            say(path, "not listed in the manifest".into());
        }
    }
    let info = text("bag-info.txt").unwrap_or_default();
    if let Some(oxum) = info.lines().find_map(|l| l.strip_prefix("Payload-Oxum:")) {
        let expected = format!("{payload_bytes}.{}", payload.len());
        if oxum.trim() != expected {
            say(
                "bag-info.txt",
                format!(
                    "Payload-Oxum says {}, the payload is {expected}",
                    oxum.trim()
                ),
            );
        }
    }
    (tag_files + payload_files, tag_bytes + payload_bytes)
}

/// The folder a new library at `root` goes in (the current one for a bare name), made when
/// missing.
pub(super) fn parent_made(root: &Path) -> Result<&Path> {
    let parent = root
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    Ok(parent)
}

/// Refuses a library folder that holds anything: a backup is restored into a new library
/// unless a merge is asked for (see [`super::merge`]).
pub(super) fn refuse_non_empty(root: &Path) -> Result<()> {
    if root.exists() {
        let empty = fs::read_dir(root)
            .map_err(|e| Error::io(root, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::Conflict(format!(
                "{}: the folder is not empty; a backup is restored into a new, empty library \
                 folder (to merge it into this library, ask for it with --merge)",
                root.display()
            )));
        }
    }
    Ok(())
}

/// Refuses a bag that fails its verification (naming the first problems) or holds no
/// library database; nothing is restored from it.
pub(super) fn sound_backup(bag: &Path) -> Result<()> {
    let report = verify_bag(bag)?;
    if !report.problems.is_empty() {
        let list: Vec<String> = report
            .problems
            .iter()
            .take(10)
            .map(|p| format!("{}: {}", p.path, p.reason))
            .collect();
        return Err(Error::Invalid(format!(
            "{}: the backup is damaged, nothing restored ({} problems):\n  - {}",
            bag.display(),
            report.problems.len(),
            list.join("\n  - ")
        )));
    }
    if !bag.join("data").join(DB).is_file() {
        return Err(Error::Invalid(format!(
            "{}: not a Składnica backup: it holds no data/{DB}",
            bag.display()
        )));
    }
    Ok(())
}

/// Restores the bag at `bag` as a new library at `root`, which must not exist or be an empty
/// folder. The bag is verified whole first; nothing is written when it fails. The library is
/// built beside `root` and renamed into place once complete, its search index rebuilt.
pub fn restore(bag: &Path, root: &Path) -> Result<RestoreReport> {
    sound_backup(bag)?;
    refuse_non_empty(root)?;
    let parent = parent_made(root)?;
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "biblioteka".into());
    let partial = parent.join(format!(".{name}.odtwarzana"));
    if partial.exists() {
        fs::remove_dir_all(&partial).map_err(|e| Error::io(&partial, e))?;
    }
    let build = || -> Result<(usize, usize)> {
        fs::create_dir(&partial).map_err(|e| Error::io(&partial, e))?;
        let data = bag.join("data");
        let mut files = 0;
        let mut present = BTreeSet::new();
        walk(&data, "", &mut present, &mut |_: &str, _: String| {})?;
        for rel in &present {
            let w = copy_blob(&data.join(rel), &partial, rel, None)?;
            if rel.starts_with("blobs/") {
                files += 1;
                if !rel.ends_with(&w.sha256) {
                    return Err(Error::Invalid(format!(
                        "{}: data/{rel} is not the original its name says",
                        bag.display()
                    )));
                }
            }
        }
        sync_tree(&partial)?;
        let lib = Library::open(&partial)?;
        let documents = lib.list()?.len();
        drop(lib);
        Ok((documents, files))
    };
    let (documents, files) = match build() {
        Ok(done) => done,
        Err(e) => {
            let _ = fs::remove_dir_all(&partial);
            return Err(e);
        }
    };
    if root.exists() {
        fs::remove_dir(root).map_err(|e| Error::io(root, e))?;
    }
    fs::rename(&partial, root).map_err(|e| Error::io(root, e))?;
    sync_dir(parent);
    Ok(RestoreReport {
        library: root.to_path_buf(),
        documents,
        files,
    })
}
