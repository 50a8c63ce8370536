//! Export targets: the carriers an office exports to again and again (a USB disk kept in the
//! archive's cupboard, a folder on the county's share), each with its schedule. A target is a
//! folder given by its path, or a removable disk recognised wherever it is mounted: by the id
//! Składnica writes on it when it is registered (`.skladnica-nosnik` at its top), or else by its
//! volume label. Each target remembers its last successful export (an incremental one that found
//! nothing changed counts: the carrier is up to date) and its last error; a target is due when
//! its period has passed or, if so set, when its disk has been plugged in since; it is overdue
//! when its period has passed with no successful export, which the app and `skladnica targets`
//! warn about. The app runs the due exports itself while it is open; `skladnica export --due`
//! does the same from a scheduled task.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ExportRecord, ExportReport, Selection, WrittenExport};
pub use crate::db::now_secs;
use crate::db::parse_timestamp;
use crate::error::{Error, Result};
use crate::library::Library;

/// The file at the top of a registered disk that holds its id.
pub const DISK_MARK: &str = ".skladnica-nosnik";
/// The folder on a disk packages go into unless another is given.
pub const DEFAULT_DISK_FOLDER: &str = "Skladnica";
/// After a failed scheduled export, how long before it is tried again (unless the disk is
/// plugged in again).
const RETRY_SECS: i64 = 30 * 60;
/// The longest period a schedule takes.
const MAX_DAYS: u32 = 366;

/// What a target's exports hold: the whole library, or the cases of a category or a JRWA
/// class. Each export holds only what changed since the last one to the same target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetContents {
    /// Cases of this archival category (`A`, `B5`, `B` for every B*n*).
    pub category: Option<String>,
    /// Cases of JRWA classes starting with this symbol.
    pub jrwa_prefix: Option<String>,
}

impl TargetContents {
    /// The export selection: the whole library when neither is set.
    pub fn selection(&self) -> Selection {
        let blank = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();
        let category = blank(&self.category);
        let jrwa_prefix = blank(&self.jrwa_prefix);
        Selection {
            all: category.is_none() && jrwa_prefix.is_none(),
            category,
            jrwa_prefix,
            since_last: true,
            ..Selection::default()
        }
    }

    /// In words, for lists.
    pub fn describe(&self) -> String {
        let s = self.selection();
        match (s.category, s.jrwa_prefix) {
            (None, None) => "the whole library".into(),
            (Some(c), None) => format!("category {c} cases"),
            (None, Some(j)) => format!("JRWA {j} cases"),
            (Some(c), Some(j)) => format!("category {c} cases of JRWA {j}"),
        }
    }
}

/// Where a target is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// A folder that is always at the same path (a network share, a second disk).
    Folder {
        /// The folder.
        path: String,
    },
    /// A removable disk, wherever it is mounted.
    Disk {
        /// The id written on it.
        id: String,
        /// Its volume label (the name it is mounted under), as it was registered.
        label: String,
        /// The folder on it packages go into.
        folder: String,
    },
}

/// A target as registered.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Its number.
    pub id: i64,
    /// Its name, as the office calls it ("Dysk archiwum zakładowego").
    pub name: String,
    /// Where it is.
    pub place: Place,
    /// Exported to at least every so many days; longer is overdue.
    pub every_days: u32,
    /// Also exported to whenever its disk is plugged in.
    pub on_connect: bool,
    /// What its exports hold.
    pub contents: TargetContents,
    /// When it was registered (UTC).
    pub created_at: String,
    /// The last export that succeeded, even if nothing had changed (UTC).
    pub last_success_at: Option<String>,
    /// The last export tried (UTC).
    pub last_attempt_at: Option<String>,
    /// Why the last export tried failed, if it did.
    pub last_error: Option<String>,
}

/// A target to register.
#[derive(Debug, Clone)]
pub struct NewTarget {
    /// Its name.
    pub name: String,
    /// A folder at a fixed path, or (with `disk`) the folder a removable disk is mounted at now.
    pub path: PathBuf,
    /// `path` is a removable disk's mount point: it is recognised by the id written on it.
    pub disk: bool,
    /// On a disk, the folder on it packages go into ([`DEFAULT_DISK_FOLDER`] when empty).
    pub folder: String,
    /// The period, in days (1 to 366).
    pub every_days: u32,
    /// Also when its disk is plugged in (disks only).
    pub on_connect: bool,
    /// What its exports hold.
    pub contents: TargetContents,
}

/// A target, whether it is reachable now, and whether an export to it is due or overdue.
#[derive(Debug, Clone, Serialize)]
pub struct TargetStatus {
    /// The target.
    pub target: Target,
    /// The folder its packages go into now; none when its disk is not plugged in or its
    /// folder is not there.
    pub location: Option<PathBuf>,
    /// Its newest package.
    pub last_package: Option<ExportRecord>,
    /// An export should run now (it is reachable and its time has come).
    pub due: bool,
    /// No successful export for longer than its period.
    pub overdue: bool,
}

/// Whether a scheduled export should run at `now` (seconds since the epoch): never while the
/// target cannot be reached; when it was never exported to; when its period has passed since
/// the last success; when it is a disk set to export on plug-in and was plugged in (`connected
/// _since`) after the last success. A failure waits half an hour before the next try, unless the
/// disk is plugged in again after it.
pub fn is_due(target: &Target, now: i64, reachable: bool, connected_since: Option<i64>) -> bool {
    if !reachable {
        return false;
    }
    let at = |t: &Option<String>| t.as_deref().and_then(parse_timestamp);
    let success = at(&target.last_success_at);
    if let Some(attempt) = at(&target.last_attempt_at)
        && target.last_error.is_some()
        && now - attempt < RETRY_SECS
        && connected_since.is_none_or(|c| c <= attempt)
    {
        return false;
    }
    let Some(success) = success else { return true };
    if now - success >= target.every_days as i64 * 86_400 {
        return true;
    }
    target.on_connect && connected_since.is_some_and(|c| c > success)
}

/// Whether `target` has gone longer than its period without a successful export (counted from
/// its registration when it never had one).
pub fn is_overdue(target: &Target, now: i64) -> bool {
    let since = target
        .last_success_at
        .as_deref()
        .or(Some(target.created_at.as_str()))
        .and_then(parse_timestamp);
    since.is_some_and(|s| now - s > target.every_days as i64 * 86_400)
}

/// Where `target`'s packages go now: its folder, when it exists; for a disk, the folder on it
/// wherever it is mounted (created when missing), or none when it is not plugged in. Disks are
/// looked for under [`media_roots`].
pub fn locate(target: &Target) -> Option<PathBuf> {
    locate_under(target, &media_roots())
}

/// [`locate`], looking for disks under `roots`.
pub fn locate_under(target: &Target, roots: &[PathBuf]) -> Option<PathBuf> {
    match &target.place {
        Place::Folder { path } => Some(PathBuf::from(path)).filter(|p| p.is_dir()),
        Place::Disk { id, label, folder } => {
            // Each mount point's id, read once.
            let mounts: Vec<(PathBuf, Option<String>)> = mount_points(roots)
                .into_iter()
                .map(|m| {
                    let found = disk_id_at(&m);
                    (m, found)
                })
                .collect();
            let by_id = mounts
                .iter()
                .find(|(_, found)| found.as_deref() == Some(id.as_str()));
            let by_label = || {
                mounts.iter().find(|(m, found)| {
                    found.is_none() && m.file_name().is_some_and(|n| n.to_string_lossy() == *label)
                })
            };
            let (root, _) = by_id.or_else(by_label)?;
            let dir = root.join(folder);
            if !dir.is_dir() {
                fs::create_dir_all(&dir).ok()?;
            }
            Some(dir)
        }
    }
}

/// The id written on the disk mounted at `root`, if one is.
fn disk_id_at(root: &Path) -> Option<String> {
    let text = fs::read_to_string(root.join(DISK_MARK)).ok()?;
    let id = text.lines().next()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// Where removable disks are mounted: the folders listed in `SKLADNICA_MEDIA_ROOTS`
/// (separated like `PATH`), else the usual places (`/media`, `/run/media`, `/mnt`; on Windows
/// the drive letters' roots).
pub fn media_roots() -> Vec<PathBuf> {
    match std::env::var_os("SKLADNICA_MEDIA_ROOTS") {
        Some(list) => std::env::split_paths(&list).collect(),
        None => default_media_roots(),
    }
}

/// The folders a disk may be mounted at: those in `roots` and in their folders (a disk is
/// mounted at `<root>/<label>` or `<root>/<user>/<label>`; on Windows a root is the disk).
fn mount_points(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let dirs = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|it| {
                it.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default()
    };
    for root in roots {
        if disk_id_at(root).is_some() {
            found.push(root.clone());
        }
        for child in dirs(root) {
            found.extend(dirs(&child));
            found.push(child);
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(windows)]
fn default_media_roots() -> Vec<PathBuf> {
    (b'D'..=b'Z')
        .map(|l| PathBuf::from(format!("{}:\\", l as char)))
        .filter(|p| p.is_dir())
        .collect()
}

#[cfg(not(windows))]
fn default_media_roots() -> Vec<PathBuf> {
    vec![
        PathBuf::from("/media"),
        PathBuf::from("/run/media"),
        PathBuf::from("/mnt"),
    ]
}

/// A new id for a disk: unique enough to tell an office's disks apart.
fn new_disk_id(mount: &Path) -> String {
    let mut h = Sha256::new();
    h.update(mount.to_string_lossy().as_bytes());
    h.update(std::process::id().to_le_bytes());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.update(nanos.to_le_bytes());
    h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bad(what: impl Into<String>) -> Error {
    Error::Invalid(what.into())
}

impl Library {
    /// Registers an export target. A disk gets its id written at its top (an id already there
    /// is kept, so one disk can serve several libraries); its label is the name it is mounted
    /// under. The name must be new; the folder must exist.
    pub fn add_target(&self, new: &NewTarget) -> Result<Target> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        let name = new.name.trim();
        if name.is_empty() {
            return Err(bad("give the target a name"));
        }
        if !(1..=MAX_DAYS).contains(&new.every_days) {
            return Err(bad(format!(
                "target {name}: the period must be 1 to {MAX_DAYS} days, not {}",
                new.every_days
            )));
        }
        if new.on_connect && !new.disk {
            return Err(bad(format!(
                "target {name}: only a removable disk can be exported to when it is plugged in"
            )));
        }
        if self.targets()?.iter().any(|t| t.name == name) {
            return Err(bad(format!("there is a target called {name} already")));
        }
        if !new.path.is_dir() {
            return Err(bad(format!(
                "{}: not a folder (is the disk or share connected?)",
                new.path.display()
            )));
        }
        let path = fs::canonicalize(&new.path).map_err(|e| Error::io(&new.path, e))?;
        let place = if new.disk {
            let folder = match new.folder.trim() {
                "" => DEFAULT_DISK_FOLDER.to_string(),
                f => super::names::safe_part(f),
            };
            let label = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| bad(format!("{}: not a disk's folder", path.display())))?;
            let id = match disk_id_at(&path) {
                Some(id) => id,
                None => {
                    let id = new_disk_id(&path);
                    let mark = path.join(DISK_MARK);
                    let text = format!(
                        "{id}\nThis disk receives archival packages from Składnica; keep this \
                         file so that it is recognised.\n"
                    );
                    fs::write(&mark, text).map_err(|e| Error::io(&mark, e))?;
                    id
                }
            };
            Place::Disk { id, label, folder }
        } else {
            Place::Folder {
                path: path.to_string_lossy().into_owned(),
            }
        };
        let (path_col, disk_id, label, folder) = match &place {
            Place::Folder { path } => (Some(path.clone()), None, None, None),
            Place::Disk { id, label, folder } => (
                None,
                Some(id.clone()),
                Some(label.clone()),
                Some(folder.clone()),
            ),
        };
        let contents =
            serde_json::to_string(&new.contents).map_err(|e| bad(format!("target {name}: {e}")))?;
        self.conn()
            .execute(
                "INSERT INTO export_targets (name, path, disk_id, disk_label, disk_folder,
                                             every_days, on_connect, contents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    name,
                    path_col,
                    disk_id,
                    label,
                    folder,
                    new.every_days,
                    new.on_connect,
                    contents,
                    crate::db::now()
                ],
            )
            .map_err(|e| Error::sqlite(format!("registering target {name}"), e))?;
        self.target(name)
    }

    /// Forgets a target (its packages and the export log stay).
    pub fn remove_target(&self, name: &str) -> Result<()> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        let n = self
            .conn()
            .execute("DELETE FROM export_targets WHERE name = ?1", [name.trim()])
            .map_err(|e| Error::sqlite(format!("removing target {name}"), e))?;
        if n == 0 {
            return Err(Error::NotFound(format!("there is no target called {name}")));
        }
        Ok(())
    }

    /// The registered targets, by name.
    pub fn targets(&self) -> Result<Vec<Target>> {
        let ctx = |e| Error::sqlite("reading the export targets", e);
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT id, name, path, disk_id, disk_label, disk_folder, every_days, on_connect,
                        contents, created_at, last_success_at, last_attempt_at, last_error
                 FROM export_targets ORDER BY name",
            )
            .map_err(ctx)?;
        let rows = stmt
            .query_map([], |r| {
                let path: Option<String> = r.get(2)?;
                let place = match path {
                    Some(path) => Place::Folder { path },
                    None => Place::Disk {
                        id: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                        label: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        folder: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    },
                };
                let contents: String = r.get(8)?;
                Ok(Target {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    place,
                    every_days: r.get(6)?,
                    on_connect: r.get(7)?,
                    contents: serde_json::from_str(&contents).unwrap_or_default(),
                    created_at: r.get(9)?,
                    last_success_at: r.get(10)?,
                    last_attempt_at: r.get(11)?,
                    last_error: r.get(12)?,
                })
            })
            .map_err(ctx)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(ctx)
    }

    /// The target called `name`.
    pub fn target(&self, name: &str) -> Result<Target> {
        self.targets()?
            .into_iter()
            .find(|t| t.name == name.trim())
            .ok_or_else(|| Error::NotFound(format!("there is no target called {name}")))
    }

    /// Every target with where it is now, its newest package, and whether it is due or
    /// overdue at `now`. `connected_since(target, reachable)` is told whether each target can
    /// be reached now and says since when its disk has been plugged in, if whoever asks (the
    /// app, which watches) knows.
    pub fn target_statuses(
        &self,
        now: i64,
        connected_since: &mut dyn FnMut(&Target, bool) -> Option<i64>,
    ) -> Result<Vec<TargetStatus>> {
        let mut out = Vec::new();
        for target in self.targets()? {
            let location = locate(&target);
            let last_package = self.exports_of_target(target.id)?.into_iter().next();
            let since = connected_since(&target, location.is_some());
            let due = is_due(&target, now, location.is_some(), since);
            let overdue = is_overdue(&target, now);
            out.push(TargetStatus {
                target,
                location,
                last_package,
                due,
                overdue,
            });
        }
        Ok(out)
    }

    /// Exports to the target called `name` now (only what changed since its last export),
    /// recording the outcome on it: a success, even with nothing changed, or the error.
    pub fn export_to_target(
        &self,
        name: &str,
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<ExportReport> {
        self.require_writable()?;
        let target = self.target(name)?;
        let written = self.write_target_export(&target, progress, cancelled);
        self.record_target_export(&target, written)
    }

    /// Writes `target`'s next package without recording it (see [`Library::write_export`]);
    /// it fails when the target cannot be reached.
    pub fn write_target_export(
        &self,
        target: &Target,
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<WrittenExport> {
        let Some(dir) = locate(target) else {
            return Err(bad(match &target.place {
                Place::Folder { path } => format!(
                    "target {}: {path} is not reachable (is the share connected?)",
                    target.name
                ),
                Place::Disk { label, .. } => {
                    format!("target {}: the disk {label} is not plugged in", target.name)
                }
            }));
        };
        self.write_export(
            &dir,
            &target.contents.selection(),
            Some(target.id),
            progress,
            cancelled,
        )
    }

    /// Records the outcome of [`Library::write_target_export`] on `target` (and a package in
    /// the export log) and returns it; a cancelled export is not an outcome.
    pub fn record_target_export(
        &self,
        target: &Target,
        written: Result<WrittenExport>,
    ) -> Result<ExportReport> {
        self.require_writable()?;
        let result = written.and_then(|w| self.record_export(w));
        let now = crate::db::now();
        let (success, error) = match &result {
            Ok(_) => (Some(now.clone()), None),
            Err(Error::Cancelled) => return result,
            Err(e) => (None, Some(e.to_string())),
        };
        self.conn()
            .execute(
                "UPDATE export_targets
                 SET last_attempt_at = ?2, last_error = ?3,
                     last_success_at = COALESCE(?4, last_success_at)
                 WHERE id = ?1",
                rusqlite::params![target.id, now, error, success],
            )
            .map_err(|e| Error::sqlite(format!("recording the export to {}", target.name), e))?;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::format_timestamp;

    /// A timestamp `days` days before `now`.
    fn days_before(now: i64, days: i64) -> String {
        format_timestamp(now - days * 86_400)
    }

    fn target(every_days: u32, on_connect: bool) -> Target {
        Target {
            id: 1,
            name: "Dysk".into(),
            place: Place::Folder { path: "/x".into() },
            every_days,
            on_connect,
            contents: TargetContents::default(),
            created_at: "2026-01-01T00:00:00Z".into(),
            last_success_at: None,
            last_attempt_at: None,
            last_error: None,
        }
    }

    const NOW: i64 = 1_790_000_000;

    #[test]
    fn a_target_never_exported_to_is_due_when_reachable() {
        let t = target(7, false);
        assert!(is_due(&t, NOW, true, None));
        assert!(!is_due(&t, NOW, false, None));
    }

    #[test]
    fn the_period_decides_then_plugging_in() {
        let mut t = target(7, false);
        t.last_success_at = Some(days_before(NOW, 3));
        assert!(!is_due(&t, NOW, true, None));
        assert!(
            !is_due(&t, NOW, true, Some(NOW - 60)),
            "not set to run on plug-in"
        );
        t.on_connect = true;
        assert!(
            is_due(&t, NOW, true, Some(NOW - 60)),
            "plugged in after the export"
        );
        assert!(
            !is_due(&t, NOW, true, Some(NOW - 4 * 86_400)),
            "plugged in before the export: it is up to date"
        );
        t.last_success_at = Some(days_before(NOW, 7));
        assert!(is_due(&t, NOW, true, None));
    }

    #[test]
    fn a_failure_waits_before_the_next_try_unless_the_disk_comes_back() {
        let mut t = target(7, true);
        t.last_attempt_at = Some(format_timestamp(NOW - 60));
        t.last_error = Some("the disk is full".into());
        assert!(!is_due(&t, NOW, true, None));
        assert!(!is_due(&t, NOW, true, Some(NOW - 3600)));
        assert!(is_due(&t, NOW, true, Some(NOW - 10)), "plugged in again");
        assert!(is_due(&t, NOW + RETRY_SECS, true, None));
    }

    #[test]
    fn overdue_counts_from_the_last_success_or_the_registration() {
        let mut t = target(7, false);
        t.created_at = days_before(NOW, 2);
        assert!(!is_overdue(&t, NOW));
        t.created_at = days_before(NOW, 8);
        assert!(is_overdue(&t, NOW));
        t.last_success_at = Some(days_before(NOW, 6));
        assert!(!is_overdue(&t, NOW));
        t.last_success_at = Some(days_before(NOW, 8));
        assert!(is_overdue(&t, NOW));
    }

    #[test]
    fn contents_choose_the_whole_library_unless_narrowed() {
        let all = TargetContents::default().selection();
        assert!(all.all && all.since_last);
        let a = TargetContents {
            category: Some("A".into()),
            jrwa_prefix: Some(" ".into()),
        };
        let s = a.selection();
        assert!(!s.all && s.since_last);
        assert_eq!(s.category.as_deref(), Some("A"));
        assert_eq!(s.jrwa_prefix, None);
        assert_eq!(a.describe(), "category A cases");
    }

    #[test]
    fn a_disk_is_found_by_its_id_wherever_it_is_mounted_then_by_its_label() {
        let media = tempfile::tempdir().unwrap();
        let user = media.path().join("urzednik");
        fs::create_dir_all(user.join("ARCHIWUM")).unwrap();
        fs::write(user.join("ARCHIWUM").join(DISK_MARK), "abc123\n").unwrap();
        fs::create_dir_all(user.join("KOPIA")).unwrap();
        let roots = [media.path().to_path_buf()];
        let found = {
            let mut t = target(7, true);
            t.place = Place::Disk {
                id: "abc123".into(),
                label: "STARY".into(),
                folder: "Skladnica".into(),
            };
            let by_id = locate_under(&t, &roots);
            t.place = Place::Disk {
                id: "zzz".into(),
                label: "KOPIA".into(),
                folder: "Skladnica".into(),
            };
            let by_label = locate_under(&t, &roots);
            t.place = Place::Disk {
                id: "zzz".into(),
                label: "ARCHIWUM".into(),
                folder: "Skladnica".into(),
            };
            let other_disk = locate_under(&t, &roots);
            (by_id, by_label, other_disk)
        };
        assert_eq!(found.0, Some(user.join("ARCHIWUM").join("Skladnica")));
        assert!(found.0.unwrap().is_dir(), "the folder on the disk is made");
        assert_eq!(found.1, Some(user.join("KOPIA").join("Skladnica")));
        assert_eq!(
            found.2, None,
            "a disk with another id is not taken for its label"
        );
    }
}
