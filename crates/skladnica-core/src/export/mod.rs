//! Export of a paczka archiwalna to a carrier (a USB disk, a network share): the selected cases'
//! documents in `dokumenty/` (each original, and for scans the archive PDF with its OCR text
//! layer), one Metadane 1.7 `ndap:dokument` XML per file in `metadane/` at the same relative
//! path plus `.xml`, one XML per case in `sprawy/`, the spis zdawczo-odbiorczy (CSV and a
//! printable page), a SHA-256 manifest in `sha256sum` format, and the printable confirmation
//! stating the manifest's checksum, the number of files and the size.
//!
//! Writing is safe on removable media: free space is checked first; everything goes into a
//! hidden folder on the target, each file synced, then the folder is verified against its
//! manifest and renamed into place, so a package under its real name is always complete. A
//! document that cannot be exported (metadata the schema requires is missing, its archive PDF
//! cannot be built) is named with the reason and left out; the rest of the package is written.

pub mod backup;
pub mod encrypted;
pub mod merge;
pub mod names;
pub mod targets;
pub mod verify;

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use skladnica_records::nes::escape;
use skladnica_records::{Category, Date};

use crate::db::cases::{Case, CaseFilter};
use crate::error::{Error, Result};
use crate::library::Library;
use names::{safe_part, with_suffix};

/// The manifest's file name.
pub const MANIFEST: &str = "sumy-kontrolne.sha256";
/// The printable confirmation's file name.
pub const CONFIRMATION: &str = "potwierdzenie.html";
/// The folder of documents a package holds outside any case (a whole-library export).
pub const NO_CASE: &str = "bez-sprawy";
/// Kept free on the target beyond what the package needs.
const SPARE_BYTES: u64 = 16 << 20;
/// The folder name of a package before its date.
const PACKAGE_PREFIX: &str = "paczka";
/// The largest file FAT32 holds.
const FAT32_MAX: u64 = (4 << 30) - 1;

/// What goes into a package.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// These cases (by sign).
    pub cases: Vec<String>,
    /// Cases of JRWA classes starting with this symbol.
    pub jrwa_prefix: Option<String>,
    /// Cases of this archival category (`A`, `B5`, `BE10`…; `B` means every B*n*).
    pub category: Option<String>,
    /// Cases closed before this day.
    pub closed_before: Option<Date>,
    /// Every case and also the documents in none.
    pub all: bool,
    /// Only the documents changed since the last export to the same target (and their cases).
    pub since_last: bool,
    /// These documents alone (each under its case's folder, or among those in none): a batch
    /// of letters for an EZD's drop folder.
    pub documents: Vec<i64>,
}

/// A document left out of a package, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ExportFailure {
    /// The document.
    pub document: i64,
    /// Its case, if any.
    pub case: Option<String>,
    /// Why.
    pub reason: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    /// The package's folder; none when an incremental export found nothing changed.
    pub package: Option<PathBuf>,
    /// The export to the same target an incremental one continues from.
    pub since: Option<ExportRecord>,
    /// Cases in it.
    pub cases: usize,
    /// Documents in it.
    pub documents: usize,
    /// Files in it (the manifest and confirmation included).
    pub files: usize,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of the manifest: the package's checksum, as the confirmation states it.
    pub checksum: String,
    /// Documents left out, each with the reason.
    pub failed: Vec<ExportFailure>,
}

/// A package written onto its carrier, to be entered in the export log.
#[derive(Debug)]
pub struct WrittenExport {
    /// What it holds.
    pub report: ExportReport,
    record: Option<ExportRecord>,
    target_id: Option<i64>,
}

/// One package in the export log.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRecord {
    /// The target folder (canonical path).
    pub target: String,
    /// The package's folder name in it.
    pub package: String,
    /// When it was finished (UTC).
    pub finished_at: String,
    /// The library revision it is complete up to.
    pub library_rev: i64,
    /// It held only what had changed since the export before.
    pub incremental: bool,
    /// Cases, documents, files and bytes in it.
    pub cases: i64,
    /// Documents in it.
    pub documents: i64,
    /// Files in it.
    pub files: i64,
    /// Its size.
    pub bytes: i64,
    /// SHA-256 of its manifest.
    pub checksum: String,
}

/// One file of the package as written: its path inside the package, SHA-256 and size.
#[derive(Debug, Clone)]
struct Written {
    path: String,
    sha256: String,
    size: u64,
    /// Read back from the carrier and found to hash to `sha256`.
    read_back: bool,
}

/// A case (or the documents of none) and its documents as they go into the package.
struct Group {
    case: Option<Case>,
    folder: String,
    documents: Vec<i64>,
}

/// One row of the spis zdawczo-odbiorczy.
struct ListRow {
    sign: String,
    heading: String,
    title: String,
    opened_on: String,
    closed_on: String,
    documents: usize,
}

fn category_matches(category: &Category, wanted: &str) -> bool {
    let wanted = wanted.trim();
    let have = category.to_string();
    have.eq_ignore_ascii_case(wanted)
        || (wanted.eq_ignore_ascii_case("B") && matches!(category, Category::B(_)))
}

impl Library {
    /// The cases a selection takes, in sign order; every selected sign must exist.
    fn selected_cases(&self, selection: &Selection) -> Result<Vec<Case>> {
        let mut cases = self.cases(&CaseFilter::default())?;
        let wanted: HashSet<&str> = selection.cases.iter().map(|s| s.trim()).collect();
        for sign in &wanted {
            if !cases.iter().any(|c| c.sign == *sign) {
                return Err(Error::NotFound(format!(
                    "there is no case {sign} to export"
                )));
            }
        }
        cases.retain(|c| {
            (wanted.is_empty() || wanted.contains(c.sign.as_str()))
                && selection
                    .jrwa_prefix
                    .as_deref()
                    .is_none_or(|p| c.jrwa_symbol.starts_with(p.trim()))
                && selection
                    .category
                    .as_deref()
                    .is_none_or(|k| category_matches(&c.category, k))
                && selection
                    .closed_before
                    .is_none_or(|d| c.closed_on.is_some_and(|closed| closed < d))
        });
        cases.sort_by(|a, b| a.sign.cmp(&b.sign));
        Ok(cases)
    }

    /// The export log, newest first: every package written, or those written to `target`.
    pub fn exports(&self, target: Option<&Path>) -> Result<Vec<ExportRecord>> {
        let key = target.map(target_key).transpose()?;
        self.export_log("?1 IS NULL OR target = ?1", key)
    }

    /// The packages written for the registered target `id`, newest first.
    pub fn exports_of_target(&self, id: i64) -> Result<Vec<ExportRecord>> {
        self.export_log("target_id = ?1", Some(id))
    }

    fn export_log(
        &self,
        condition: &str,
        value: impl rusqlite::ToSql,
    ) -> Result<Vec<ExportRecord>> {
        let ctx = |e| Error::sqlite("reading the export log", e);
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT target, package, finished_at, library_rev, incremental, cases, documents,
                        files, bytes, checksum
                 FROM exports WHERE {condition} ORDER BY id DESC"
            ))
            .map_err(ctx)?;
        let rows = stmt
            .query_map([value], |r| {
                Ok(ExportRecord {
                    target: r.get(0)?,
                    package: r.get(1)?,
                    finished_at: r.get(2)?,
                    library_rev: r.get(3)?,
                    incremental: r.get(4)?,
                    cases: r.get(5)?,
                    documents: r.get(6)?,
                    files: r.get(7)?,
                    bytes: r.get(8)?,
                    checksum: r.get(9)?,
                })
            })
            .map_err(ctx)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(ctx)
    }

    fn log_export(&self, record: &ExportRecord, target_id: Option<i64>) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO exports (target, package, finished_at, library_rev, incremental, cases,
                                      documents, files, bytes, checksum, target_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    record.target,
                    record.package,
                    record.finished_at,
                    record.library_rev,
                    record.incremental,
                    record.cases,
                    record.documents,
                    record.files,
                    record.bytes,
                    record.checksum,
                    target_id
                ],
            )
            .map(|_| ())
            .map_err(|e| Error::sqlite("recording the export", e))
    }

    /// About what document `id` takes in a package: its originals, as much again for the
    /// archive PDF of a scan, and its metadata.
    fn export_size(&self, id: i64) -> Result<u64> {
        self.conn()
            .query_row(
                "SELECT COALESCE(SUM(size * CASE WHEN media_type LIKE 'image/%' THEN 2 ELSE 1 END
                                     + 65536), 0)
                 FROM files WHERE document_id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| Error::sqlite(format!("sizing document {id}"), e))
    }

    /// Why a document of `ids` cannot go onto a FAT32 disk (a file of 4 GiB or more), if one
    /// cannot.
    fn too_large_for_fat(&self, ids: &[i64]) -> Result<Option<String>> {
        for &id in ids {
            let doc = crate::db::documents::get_described(self.conn(), id)?
                .ok_or(Error::NoDocument(id))?;
            if let Some(f) = doc.files.iter().find(|f| f.size as u64 > FAT32_MAX) {
                return Ok(Some(fat_refusal(id, &f.original_name, f.size as u64)));
            }
        }
        Ok(None)
    }

    fn document_rev(&self, id: i64) -> Result<i64> {
        self.conn()
            .query_row("SELECT rev FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(|e| Error::sqlite(format!("reading document {id}"), e))
    }

    /// Writes a paczka archiwalna of `selection` into a new folder in `target` and returns what
    /// it holds; the export log records it. Nothing is written when nothing is selected, the
    /// target is missing or not a folder, or it lacks the space.
    pub fn export_package(&self, target: &Path, selection: &Selection) -> Result<ExportReport> {
        self.export_package_with(target, selection, &|_, _| {}, &|| false)
    }

    /// [`Library::export_package`], telling `progress(documents begun, documents in all)` as it
    /// goes and stopping (with [`Error::Cancelled`], the unfinished package removed) once
    /// `cancelled()` says so.
    pub fn export_package_with(
        &self,
        target: &Path,
        selection: &Selection,
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<ExportReport> {
        self.require_writable()?;
        let written = self.write_export(target, selection, None, progress, cancelled)?;
        self.record_export(written)
    }

    /// Writes the package onto the carrier without recording it, so that it can run on a
    /// read-only handle of the library (the app's clerks keep working meanwhile); hand the
    /// result to [`Library::record_export`]. `target_id` is the registered target the package
    /// is written for (its incremental exports continue from its own last package wherever its
    /// disk is mounted).
    pub fn write_export(
        &self,
        target: &Path,
        selection: &Selection,
        target_id: Option<i64>,
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<WrittenExport> {
        if !target.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: the export target is not a folder (is the disk or share connected?)",
                target.display()
            )));
        }
        let key = target_key(target)?;
        // Documents changed after this revision are left for the next incremental export.
        let library_rev = crate::db::state::last_rev(self.conn())?;
        let since = match (selection.since_last, target_id) {
            (true, Some(id)) => self.exports_of_target(id)?.into_iter().next(),
            (true, None) => self.exports(Some(target))?.into_iter().next(),
            (false, _) => None,
        };
        let nothing_chosen = selection.cases.is_empty()
            && selection.jrwa_prefix.is_none()
            && selection.category.is_none()
            && selection.closed_before.is_none()
            && selection.documents.is_empty()
            && !selection.all;
        if nothing_chosen {
            return Err(Error::Invalid(
                "choose what to export: cases, a JRWA class, a category, a closing date, or \
                 everything"
                    .into(),
            ));
        }
        let mut groups = Vec::new();
        let mut in_cases = HashSet::new();
        for case in self.selected_cases(selection)? {
            let documents: Vec<i64> = crate::db::cases::case_documents(self.conn(), case.id)?
                .into_iter()
                .map(|(id, _, _)| id)
                .collect();
            in_cases.extend(documents.iter().copied());
            let documents = self.changed_since(documents, since.as_ref())?;
            if since.is_some() && documents.is_empty() {
                continue;
            }
            groups.push(Group {
                folder: safe_part(&case.sign),
                case: Some(case),
                documents,
            });
        }
        if !selection.documents.is_empty() {
            // Each chosen document under the first case it is in.
            let mut by_case: Vec<(Option<String>, Vec<i64>)> = Vec::new();
            for &id in &selection.documents {
                if !crate::db::documents::exists(self.conn(), id)? {
                    return Err(Error::NoDocument(id));
                }
                let sign = crate::db::cases::cases_of_document(self.conn(), id)?
                    .into_iter()
                    .next();
                match by_case.iter_mut().find(|(s, _)| *s == sign) {
                    Some((_, ids)) => ids.push(id),
                    None => by_case.push((sign, vec![id])),
                }
            }
            for (sign, documents) in by_case {
                let case = match &sign {
                    Some(sign) => crate::db::cases::case_by_sign(self.conn(), sign)?,
                    None => None,
                };
                groups.push(Group {
                    folder: sign.as_deref().map_or(NO_CASE.into(), safe_part),
                    case,
                    documents,
                });
            }
        }
        if selection.all {
            let rest: Vec<i64> = self
                .list()?
                .into_iter()
                .map(|d| d.id)
                .filter(|id| !in_cases.contains(id))
                .collect();
            let rest = self.changed_since(rest, since.as_ref())?;
            if !rest.is_empty() {
                groups.push(Group {
                    case: None,
                    folder: NO_CASE.into(),
                    documents: rest,
                });
            }
        }
        if groups.is_empty() && since.is_some() {
            return Ok(WrittenExport {
                record: None,
                target_id,
                report: ExportReport {
                    package: None,
                    since,
                    cases: 0,
                    documents: 0,
                    files: 0,
                    bytes: 0,
                    checksum: String::new(),
                    failed: Vec::new(),
                },
            });
        }
        if groups.is_empty() {
            return Err(Error::NotFound(
                "no case matches what was chosen; nothing was exported".into(),
            ));
        }

        // Free space first: the originals, about as much again for archive PDFs of scans, and
        // the metadata.
        let mut needed = SPARE_BYTES;
        for g in &groups {
            for &id in &g.documents {
                needed += self.export_size(id)?;
            }
        }
        if on_fat(target) {
            let ids: Vec<i64> = groups
                .iter()
                .flat_map(|g| g.documents.iter().copied())
                .collect();
            if let Some(why) = self.too_large_for_fat(&ids)? {
                return Err(Error::Invalid(format!("{}: {why}", target.display())));
            }
        }
        ensure_space(target, needed, "the package")?;

        let name = new_folder_name(target, PACKAGE_PREFIX);
        // A package interrupted today (a pulled disk, a killed program) is carried on: what is
        // already on the carrier and right is kept, the rest written; older leftovers go.
        let partial = unfinished(target, &name);
        remove_leftovers(target, &partial)?;
        // Not `create_dir_all`: a target that vanished since it was looked at is not made anew.
        if !partial.is_dir() {
            fs::create_dir(&partial).map_err(|e| Error::io(&partial, e))?;
        }
        let result = self
            .write_package(&partial, &groups, progress, cancelled)
            .and_then(|w| {
                let keep: HashSet<String> = w.0.iter().map(|f| f.path.clone()).collect();
                prune(&partial, &keep)?;
                Ok(w)
            });
        let (mut written, rows, failed, documents) = match result {
            Ok(w) => w,
            Err(e) => {
                let _ = fs::remove_dir_all(&partial);
                return Err(e);
            }
        };
        let mut finish = || -> Result<(String, u64, usize)> {
            let list = transfer_list_csv(&rows);
            written.push(put(
                &partial,
                "spis-zdawczo-odbiorczy.csv",
                list.as_bytes(),
            )?);
            let office = self.office()?.map(|o| o.display_name());
            let page = transfer_list_html(&name, office.as_deref(), &rows);
            written.push(put(
                &partial,
                "spis-zdawczo-odbiorczy.html",
                page.as_bytes(),
            )?);
            let manifest = manifest(&written);
            let checksum = crate::blobs::sha256_hex(manifest.as_bytes());
            put(&partial, MANIFEST, manifest.as_bytes())?;
            let bytes = written.iter().map(|w| w.size).sum::<u64>() + manifest.len() as u64;
            let files = written.len() + 2;
            let head = self.audit_head()?;
            let confirmation = confirmation_html(
                &name,
                office.as_deref(),
                &checksum,
                files,
                bytes,
                head.as_ref(),
            );
            let bytes = bytes + confirmation.len() as u64;
            put(&partial, CONFIRMATION, confirmation.as_bytes())?;
            sync_tree(&partial)?;
            // Read back what is on the carrier before giving the package its name.
            // Each document's files were read back as they were written; the rest now.
            let confirmed: std::collections::HashMap<&str, (&str, u64)> = written
                .iter()
                .filter(|w| w.read_back)
                .map(|w| (w.path.as_str(), (w.sha256.as_str(), w.size)))
                .collect();
            let check = verify::verify_package_with(&partial, None, &mut |p| {
                match confirmed.get(p) {
                    // Still there at that size: it was read back right after it was written.
                    Some(&(sha, size))
                        if fs::metadata(partial.join(p)).is_ok_and(|m| m.len() == size) =>
                    {
                        Ok((sha.to_string(), size))
                    }
                    _ => verify::hash_file(&partial.join(p)),
                }
            })?;
            if let Some(p) = check.problems.first() {
                return Err(Error::Invalid(format!(
                    "{}: the package read back from the target differs from what was written \
                     ({}: {}); the carrier may be failing",
                    target.display(),
                    p.path,
                    p.reason
                )));
            }
            Ok((checksum, bytes, files))
        };
        let (checksum, bytes, files) = match finish() {
            Ok(done) => done,
            Err(e) => {
                let _ = fs::remove_dir_all(&partial);
                return Err(e);
            }
        };
        sync_dir(&partial);
        let package = target.join(&name);
        fs::rename(&partial, &package).map_err(|e| Error::io(&package, e))?;
        sync_dir(target);
        let cases = groups.iter().filter(|g| g.case.is_some()).count();
        let record = ExportRecord {
            target: key,
            package: name,
            finished_at: crate::db::now(),
            library_rev,
            incremental: since.is_some(),
            cases: cases as i64,
            documents: documents as i64,
            files: files as i64,
            bytes: bytes as i64,
            checksum: checksum.clone(),
        };
        Ok(WrittenExport {
            record: Some(record),
            target_id,
            report: ExportReport {
                package: Some(package),
                since,
                cases,
                documents,
                files,
                bytes,
                checksum,
                failed,
            },
        })
    }

    /// Enters a package [`Library::write_export`] wrote in the export log (nothing for an
    /// incremental export that found nothing changed) and returns what it holds.
    pub fn record_export(&self, written: WrittenExport) -> Result<ExportReport> {
        self.require_writable()?;
        if let Some(record) = &written.record {
            self.log_export(record, written.target_id)?;
        }
        Ok(written.report)
    }

    /// Writes the documents, their metadata and the cases' descriptions into `dir`. The
    /// documents are written by as many threads as the PC has cores (up to four), each with a
    /// read-only handle of the library of its own; the package's order and names do not depend
    /// on which thread wrote what.
    #[allow(clippy::type_complexity)]
    fn write_package(
        &self,
        dir: &Path,
        groups: &[Group],
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<(Vec<Written>, Vec<ListRow>, Vec<ExportFailure>, usize)> {
        // Every document with its group and its place in it.
        let tasks: Vec<(usize, usize, i64)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .documents
                    .iter()
                    .enumerate()
                    .map(move |(n, &id)| (g, n, id))
            })
            .collect();
        let total = tasks.len();
        progress(0, total);
        let outcomes = self.write_documents(dir, groups, &tasks, progress, cancelled)?;

        let mut written = Vec::new();
        let mut rows = Vec::new();
        let mut failed = Vec::new();
        let mut exported = 0;
        let mut outcomes = outcomes.into_iter();
        for group in groups {
            let mut entries = Vec::new();
            for &id in &group.documents {
                match outcomes.next().expect("one outcome per document") {
                    Ok(files) => {
                        exported += 1;
                        entries.push((id, files.iter().map(|w| w.path.clone()).collect()));
                        written.extend(files);
                    }
                    Err(e) => failed.push(ExportFailure {
                        document: id,
                        case: group.case.as_ref().map(|c| c.sign.clone()),
                        reason: e.to_string(),
                    }),
                }
            }
            if let Some(case) = &group.case {
                let details = self.case_details(&case.sign)?;
                let xml = case_xml(&details, &entries, |id| {
                    self.document(id).map(|d| d.title).unwrap_or_default()
                });
                let path = format!("sprawy/{}.xml", group.folder);
                written.push(put(dir, &path, xml.as_bytes())?);
                rows.push(ListRow {
                    sign: case.sign.clone(),
                    heading: details.jrwa_heading.clone(),
                    title: case.title.clone(),
                    opened_on: case.opened_on.to_string(),
                    closed_on: case.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                    documents: entries.len(),
                });
            }
        }
        Ok((written, rows, failed, exported))
    }

    /// Writes each task's document (see [`Library::write_package`]); returns each one's files
    /// or why it was left out, in the tasks' order. The carrier failing (full, pulled out,
    /// read-only) ends it all with that error; so does `cancelled()`.
    fn write_documents(
        &self,
        dir: &Path,
        groups: &[Group],
        tasks: &[(usize, usize, i64)],
        progress: &dyn Fn(usize, usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Vec<Result<Vec<Written>>>> {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let total = tasks.len();
        let helpers = match total {
            0..16 => 0,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) - 1,
        };
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let carrier_failed: Mutex<Option<Error>> = Mutex::new(None);
        let outcomes: Vec<Mutex<Option<Result<Vec<Written>>>>> =
            tasks.iter().map(|_| Mutex::new(None)).collect();
        // Takes tasks until none is left or the export stops; `tell` runs after each.
        let work = |lib: &Library, tell: &dyn Fn()| {
            while !stop.load(Ordering::SeqCst) {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&(g, n, id)) = tasks.get(k) else {
                    break;
                };
                let group = &groups[g];
                let prefix = match &group.case {
                    Some(_) => format!("{:02}", n + 1),
                    None => format!("{id}"),
                };
                let outcome = lib.write_document(dir, &group.folder, &prefix, id);
                if let Err(Error::Io { path, .. }) = &outcome
                    && path.starts_with(dir)
                {
                    stop.store(true, Ordering::SeqCst);
                    let mut first = carrier_failed.lock().unwrap_or_else(|e| e.into_inner());
                    if first.is_none() {
                        *first = outcome.err();
                    }
                    break;
                }
                *outcomes[k].lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                done.fetch_add(1, Ordering::SeqCst);
                tell();
            }
        };
        let root = self.root().to_path_buf();
        std::thread::scope(|scope| {
            for _ in 0..helpers {
                scope.spawn(|| {
                    // Without a handle of its own, this thread leaves the work to the others.
                    if let Ok(lib) = Library::open(&root) {
                        work(&lib, &|| {});
                    }
                });
            }
            work(self, &|| {
                progress(done.load(Ordering::SeqCst), total);
                if cancelled() {
                    stop.store(true, Ordering::SeqCst);
                }
            });
        });
        if let Some(e) = carrier_failed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
        {
            return Err(e);
        }
        if cancelled() {
            return Err(Error::Cancelled);
        }
        progress(total, total);
        outcomes
            .into_iter()
            .map(|o| {
                o.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .ok_or(Error::Cancelled)
            })
            .collect()
    }

    /// Writes one document's files and their metadata; nothing of it stays when a part fails.
    fn write_document(
        &self,
        dir: &Path,
        folder: &str,
        prefix: &str,
        id: i64,
    ) -> Result<Vec<Written>> {
        let doc =
            crate::db::documents::get_described(self.conn(), id)?.ok_or(Error::NoDocument(id))?;
        let nes = self.nes_metadata_of(&doc)?;
        let problems = nes.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "document {id}: its metadata lacks what the archive requires: {}",
                problems.join("; ")
            )));
        }
        let mut out = Vec::new();
        let undo = |out: &Vec<Written>| {
            for w in out {
                let _ = fs::remove_file(dir.join(&w.path));
            }
        };
        let mut step = || -> Result<()> {
            for f in &doc.files {
                let name = format!("{prefix}-{}", safe_part(&f.original_name));
                let path = format!("dokumenty/{folder}/{}", safe_part(&name));
                let w = copy_original(self.blobs(), &f.sha256, dir, &path)?;
                out.extend(with_metadata(dir, w, &nes, &f.media_type)?);
            }
            // Scans also go as the archive PDF with their OCR text.
            let scanned = crate::db::documents::has_scanned_pages(self.conn(), id)?;
            if scanned && let Some(f) = doc.files.first() {
                let pdf = crate::searchable_pdf::build(self, id)?;
                if !pdf.unchanged {
                    let name = with_suffix(
                        &format!("{prefix}-{}", f.original_name),
                        "-archiwalny",
                        "pdf",
                    );
                    let path = format!("dokumenty/{folder}/{name}");
                    let w = put(dir, &path, &pdf.bytes)?;
                    out.extend(with_metadata(dir, w, &nes, "application/pdf")?);
                }
            }
            Ok(())
        };
        match step() {
            Ok(()) => Ok(out),
            Err(e) => {
                undo(&out);
                Err(e)
            }
        }
    }
}

/// A written content file and its `ndap:dokument` XML beside it in `metadane/`: the document's
/// metadata with this file's format and size; both read back from the carrier.
fn with_metadata(
    dir: &Path,
    file: Written,
    nes: &skladnica_records::nes::NesDocument,
    media_type: &str,
) -> Result<[Written; 2]> {
    let mut meta = nes.clone();
    meta.format.media_type = media_type.to_string();
    meta.format.size = Some(file.size);
    let xml = put(
        dir,
        &format!("metadane/{}.xml", file.path),
        meta.to_ndap17().as_bytes(),
    )?;
    // Read back at once, while the other threads write: the package's check then needs no
    // second reading of them.
    Ok([read_back(dir, file)?, read_back(dir, xml)?])
}

impl Library {
    /// `ids` less those unchanged since `since` (all of them when there is no earlier export).
    fn changed_since(&self, ids: Vec<i64>, since: Option<&ExportRecord>) -> Result<Vec<i64>> {
        let Some(since) = since else { return Ok(ids) };
        let mut changed = Vec::with_capacity(ids.len());
        for id in ids {
            if self.document_rev(id)? > since.library_rev {
                changed.push(id);
            }
        }
        Ok(changed)
    }
}

/// True when `dir` is on a FAT file system (FAT12/16/32: `vfat` on Linux), whose files stop
/// short of 4 GiB. (exFAT and NTFS have no such limit.) On Linux the file system's magic
/// number says so; on Windows the volume's file system name.
fn on_fat(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        const MSDOS_SUPER_MAGIC: u64 = 0x4d44;
        rustix::fs::statfs(dir).is_ok_and(|s| s.f_type as u64 == MSDOS_SUPER_MAGIC)
    }
    #[cfg(windows)]
    {
        windows_volume::file_system(dir).is_some_and(|name| name.starts_with("FAT"))
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        let _ = dir;
        false
    }
}

/// The Windows volume a folder is on, asked through the Win32 API (no safe wrapper of it is
/// among the dependencies).
#[cfg(windows)]
#[allow(unsafe_code)]
mod windows_volume {
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use windows_sys::Win32::Storage::FileSystem::{GetVolumeInformationW, GetVolumePathNameW};

    /// The name of the file system `dir` is on ("NTFS", "exFAT", "FAT32", "FAT"), if Windows
    /// says.
    pub(super) fn file_system(dir: &Path) -> Option<String> {
        let wide: Vec<u16> = dir.as_os_str().encode_wide().chain(Some(0)).collect();
        let mut root = [0u16; 1024];
        // SAFETY: `wide` ends in NUL; `root` is writable for the length given.
        let found =
            unsafe { GetVolumePathNameW(wide.as_ptr(), root.as_mut_ptr(), root.len() as u32) };
        if found == 0 {
            return None;
        }
        let mut name = [0u16; 64];
        // SAFETY: `root` was filled with a NUL-terminated path above; the outputs not wanted
        // are null, which the API allows; `name` is writable for the length given.
        let ok = unsafe {
            GetVolumeInformationW(
                root.as_ptr(),
                null_mut(),
                0,
                null_mut(),
                null_mut(),
                null_mut(),
                name.as_mut_ptr(),
                name.len() as u32,
            )
        };
        if ok == 0 {
            return None;
        }
        let len = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        Some(String::from_utf16_lossy(&name[..len]))
    }
}

/// What is said before anything is written when a file cannot go onto FAT32.
fn fat_refusal(document: i64, name: &str, size: u64) -> String {
    format!(
        "the disk is formatted FAT32, whose files cannot reach 4 GiB, and document {document}'s \
         file {name} is {:.1} GiB; use a disk formatted exFAT or NTFS",
        size as f64 / (1u64 << 30) as f64
    )
}

/// The export log's name for a target: its canonical path.
fn target_key(target: &Path) -> Result<String> {
    fs::canonicalize(target)
        .map(|p| p.to_string_lossy().into_owned())
        .map_err(|e| Error::io(target, e))
}

/// `<prefix>-<date>`, or with `-2`, `-3`… when the target holds one of that name already.
fn new_folder_name(target: &Path, prefix: &str) -> String {
    let base = format!("{prefix}-{}", Date::today());
    let mut name = base.clone();
    let mut n = 2;
    while target.join(&name).exists() {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The hidden folder on `target` a package or backup called `name` is written in until done.
fn unfinished(target: &Path, name: &str) -> PathBuf {
    target.join(format!(".{name}.czesciowa"))
}

/// Refuses, before anything is written, a target with less than `needed` bytes free.
fn ensure_space(target: &Path, needed: u64, what: &str) -> Result<()> {
    let free = fs4::available_space(target).map_err(|e| Error::io(target, e))?;
    if free < needed {
        return Err(Error::Invalid(format!(
            "{}: not enough free space for {what}: about {} MB needed, {} MB free",
            target.display(),
            needed.div_ceil(1 << 20),
            free >> 20
        )));
    }
    Ok(())
}

/// Removes the hidden folders of packages left unfinished on `target` on another day (keeping
/// `current`, which an export of today carries on).
fn remove_leftovers(target: &Path, current: &Path) -> Result<()> {
    for entry in fs::read_dir(target)
        .map_err(|e| Error::io(target, e))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(&format!(".{PACKAGE_PREFIX}-")) && name.ends_with(".czesciowa");
        if ours && entry.path() != current {
            fs::remove_dir_all(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Deletes what an interrupted run left in `dir` that this package does not hold.
fn prune(dir: &Path, keep: &HashSet<String>) -> Result<()> {
    let mut present = std::collections::BTreeSet::new();
    verify::walk(dir, "", &mut present, &mut |_: &str, _: String| {})?;
    for path in present.iter().filter(|p| !keep.contains(*p)) {
        let full = dir.join(path);
        fs::remove_file(&full).map_err(|e| Error::io(&full, e))?;
    }
    remove_empty_folders(dir);
    Ok(())
}

/// Removes the folders under `dir` left empty (by documents that could not go); true when `dir`
/// itself is empty.
fn remove_empty_folders(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    let mut empty = true;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !(is_dir && remove_empty_folders(&path) && fs::remove_dir(&path).is_ok()) {
            empty = false;
        }
    }
    empty
}

/// True when `path` already holds exactly `size` bytes hashing to `sha256` (written by an
/// interrupted run and complete).
fn already_there(path: &Path, size: u64, sha256: &str) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == size)
        && verify::hash_file(path).is_ok_and(|(h, _)| h == sha256)
}

/// Writes `bytes` at `relative` inside `dir`, synced, and returns its entry; a file already there
/// with the same content is kept.
fn put(dir: &Path, relative: &str, bytes: &[u8]) -> Result<Written> {
    let path = dir.join(relative);
    let sha256 = crate::blobs::sha256_hex(bytes);
    if already_there(&path, bytes.len() as u64, &sha256) {
        return Ok(Written {
            path: relative.to_string(),
            sha256,
            size: bytes.len() as u64,
            read_back: true,
        });
    }
    make_parent(dir, &path)?;
    let mut f = File::create(&path).map_err(|e| Error::io(&path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&path, e))?;
    Ok(Written {
        path: relative.to_string(),
        sha256,
        size: bytes.len() as u64,
        read_back: false,
    })
}

/// `w` read back from `dir`: its file must hash to what was written, else the carrier is
/// failing (an error on the file, which ends the export).
fn read_back(dir: &Path, mut w: Written) -> Result<Written> {
    if w.read_back {
        return Ok(w);
    }
    let path = dir.join(&w.path);
    let (sha, size) = verify::hash_file(&path).map_err(|e| Error::io(&path, e))?;
    if sha != w.sha256 || size != w.size {
        return Err(Error::io(
            &path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "read back from the target it differs from what was written; the carrier may be \
                 failing",
            ),
        ));
    }
    w.read_back = true;
    Ok(w)
}

/// Makes the folders of `path` inside `dir`, which must still be there: a carrier pulled out
/// or a share gone is reported, never made again at its path on the local disk.
fn make_parent(dir: &Path, path: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the folder being written disappeared (was the disk pulled out or the share \
                 disconnected?)",
            ),
        ));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    Ok(())
}

/// Copies a stored original to `relative` inside `dir`. With `expected` (the original's SHA-256,
/// which the package's read-back checks) it is copied by the OS as it is and a complete copy
/// already there is kept; without, it is hashed as it goes.
fn copy_blob(from: &Path, dir: &Path, relative: &str, expected: Option<&str>) -> Result<Written> {
    let path = dir.join(relative);
    if let Some(sha) = expected {
        let size = fs::metadata(from).map_err(|e| Error::io(from, e))?.len();
        if already_there(&path, size, sha) {
            return Ok(Written {
                path: relative.to_string(),
                sha256: sha.to_string(),
                size,
                read_back: true,
            });
        }
    }
    make_parent(dir, &path)?;
    if let Some(sha) = expected {
        let size = fs::copy(from, &path).map_err(|e| Error::io(&path, e))?;
        return Ok(Written {
            path: relative.to_string(),
            sha256: sha.to_string(),
            size,
            read_back: false,
        });
    }
    let src = File::open(from).map_err(|e| Error::io(from, e))?;
    copy_stream(src, from, dir, relative)
}

/// Copies a stored original to `relative` inside `dir`: by the OS as it is stored, or, in an
/// encrypted library, decrypted as it goes and checked against its hash.
fn copy_original(
    blobs: &crate::blobs::BlobStore,
    sha: &str,
    dir: &Path,
    relative: &str,
) -> Result<Written> {
    if !blobs.is_encrypted() {
        return copy_blob(&blobs.path(sha), dir, relative, Some(sha));
    }
    let path = dir.join(relative);
    if let Ok(meta) = fs::metadata(&path)
        && already_there(&path, meta.len(), sha)
    {
        return Ok(Written {
            path: relative.to_string(),
            sha256: sha.to_string(),
            size: meta.len(),
            read_back: true,
        });
    }
    make_parent(dir, &path)?;
    let w = copy_stream(blobs.reader(sha)?, &blobs.path(sha), dir, relative)?;
    if w.sha256 != sha {
        let _ = fs::remove_file(&path);
        return Err(Error::Invalid(format!(
            "original {sha} in the library is damaged (it reads as {}); run `skladnica check`",
            w.sha256
        )));
    }
    Ok(w)
}

/// Writes what `src` (read from `from`) gives to `relative` inside `dir`, hashing it.
fn copy_stream(mut src: impl Read, from: &Path, dir: &Path, relative: &str) -> Result<Written> {
    let path = dir.join(relative);
    let mut dst = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = src.read(&mut buf).map_err(|e| Error::io(from, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n]).map_err(|e| Error::io(&path, e))?;
        size += n as u64;
    }
    Ok(Written {
        path: relative.to_string(),
        sha256: format!("{:x}", hasher.finalize()),
        size,
        read_back: false,
    })
}

/// Gets everything written under `dir` onto the disk before it is reported done: on Linux one
/// `syncfs` of the file system `dir` is on; elsewhere each file and folder in turn.
fn sync_tree(dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let d = File::open(dir).map_err(|e| Error::io(dir, e))?;
        rustix::fs::syncfs(&d).map_err(|e| Error::io(dir, e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut files = std::collections::BTreeSet::new();
        verify::walk(dir, "", &mut files, &mut |_: &str, _: String| {})?;
        for f in &files {
            let path = dir.join(f);
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(&path, e))?;
        }
        sync_dir(dir);
        Ok(())
    }
}

/// Syncs a folder's entries (new names) to the disk, where the platform allows it.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The manifest: `<sha256>  <path>` per line, as `sha256sum` writes and checks it.
fn manifest(written: &[Written]) -> String {
    let mut lines: Vec<String> = written
        .iter()
        .map(|w| format!("{}  {}\n", w.sha256, w.path))
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.concat()
}

fn case_xml(
    details: &crate::records::CaseDetails,
    entries: &[(i64, Vec<String>)],
    title_of: impl Fn(i64) -> String,
) -> String {
    let c = &details.case;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sprawa>\n");
    let mut leaf = |name: &str, value: &str| {
        x.push_str(&format!("  <{name}>{}</{name}>\n", escape(value)));
    };
    leaf("znak", &c.sign);
    leaf("tytul", &c.title);
    leaf("komorka", &c.unit);
    if let Some(unit) = &details.unit_name {
        leaf("nazwaKomorki", unit);
    }
    leaf("symbolJrwa", &c.jrwa_symbol);
    leaf("hasloKlasyfikacyjne", &details.jrwa_heading);
    leaf("wykaz", &details.jrwa_name);
    leaf("kategoriaArchiwalna", &c.category.to_string());
    leaf("dataWszczecia", &c.opened_on.to_string());
    if let Some(closed) = c.closed_on {
        leaf("dataZakonczenia", &closed.to_string());
    }
    if let Some(h) = &c.handler {
        leaf("prowadzacy", h);
    }
    x.push_str("  <dokumenty>\n");
    for (n, (id, files)) in entries.iter().enumerate() {
        x.push_str(&format!(
            "    <dokument lp=\"{}\" id=\"skladnica.{id}\">\n      <tytul>{}</tytul>\n",
            n + 1,
            escape(&title_of(*id))
        ));
        for f in files.iter().filter(|f| f.starts_with("dokumenty/")) {
            x.push_str(&format!(
                "      <plik metadane=\"{}\">{}</plik>\n",
                escape(&format!("metadane/{f}.xml")),
                escape(f)
            ));
        }
        x.push_str("    </dokument>\n");
    }
    x.push_str("  </dokumenty>\n</sprawa>\n");
    x
}

/// A CSV field, quoted when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The spis zdawczo-odbiorczy as CSV: `;`-separated, UTF-8 with a BOM (as spreadsheets in
/// Polish offices open it).
fn transfer_list_csv(rows: &[ListRow]) -> String {
    let mut out = String::from(
        "\u{feff}lp.;znak sprawy;hasło klasyfikacyjne;tytuł;data wszczęcia;data zakończenia;\
         liczba dokumentów\r\n",
    );
    for (n, r) in rows.iter().enumerate() {
        let fields = [
            (n + 1).to_string(),
            r.sign.clone(),
            r.heading.clone(),
            r.title.clone(),
            r.opened_on.clone(),
            r.closed_on.clone(),
            r.documents.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    out
}

const PAGE_STYLE: &str = "body{font-family:sans-serif;margin:2cm;color:#000}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:4px 6px;\
text-align:left;vertical-align:top}h1{font-size:1.3em}.sig{margin-top:3cm}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{PAGE_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The spis zdawczo-odbiorczy as a printable page.
fn transfer_list_html(name: &str, office: Option<&str>, rows: &[ListRow]) -> String {
    let mut body = String::new();
    if let Some(o) = office {
        body.push_str(&format!("<p>{}</p>\n", escape(o)));
    }
    body.push_str(&format!(
        "<h1>Spis zdawczo-odbiorczy akt</h1>\n<p>Paczka: {}</p>\n<table>\n<thead><tr><th>Lp.</th>\
         <th>Znak sprawy</th><th>Hasło klasyfikacyjne</th><th>Tytuł</th><th>Data wszczęcia</th>\
         <th>Data zakończenia</th><th>Liczba dokumentów</th></tr></thead>\n<tbody>\n",
        escape(name)
    ));
    for (n, r) in rows.iter().enumerate() {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            n + 1,
            escape(&r.sign),
            escape(&r.heading),
            escape(&r.title),
            escape(&r.opened_on),
            escape(&r.closed_on),
            r.documents
        ));
    }
    body.push_str(
        "</tbody>\n</table>\n<p class=\"sig\">Przekazujący: ..............................\
         &nbsp;&nbsp;&nbsp; Przejmujący: ..............................</p>\n",
    );
    page("Spis zdawczo-odbiorczy", &body)
}

/// The confirmation that goes with a carrier: the checksum, its algorithm, the number of files
/// and the size in MB (Dz.U. 2018 poz. 180 §11); and the audit log's head when the package was
/// written, kept with the signed paper so that `audit verify --head` can later find entries cut
/// off the log's end.
fn confirmation_html(
    name: &str,
    office: Option<&str>,
    checksum: &str,
    files: usize,
    bytes: u64,
    audit_head: Option<&(i64, String)>,
) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    let mut body = String::new();
    if let Some(o) = office {
        body.push_str(&format!("<p>{}</p>\n", escape(o)));
    }
    body.push_str(&format!(
        "<h1>Potwierdzenie zapisu dokumentów na informatycznym nośniku danych</h1>\n\
         <table>\n<tr><th>Paczka</th><td>{}</td></tr>\n\
         <tr><th>Data zapisu</th><td>{}</td></tr>\n\
         <tr><th>Algorytm funkcji skrótu</th><td>SHA-256</td></tr>\n\
         <tr><th>Suma kontrolna pliku {MANIFEST}</th><td><code>{checksum}</code></td></tr>\n\
         <tr><th>Liczba plików</th><td>{files}</td></tr>\n\
         <tr><th>Rozmiar</th><td>{} MB ({bytes} bajtów)</td></tr>\n{}</table>\n\
         <p>Plik {MANIFEST} zawiera sumę kontrolną SHA-256 każdego pliku paczki; można je \
         sprawdzić poleceniem <code>sha256sum -c {MANIFEST}</code> albo \
         <code>skladnica verify</code>.</p>\n\
         <p class=\"sig\">Podpis: ..............................</p>\n",
        escape(name),
        Date::today(),
        format!("{mb:.2}").replace('.', ","),
        audit_head
            .map(|(seq, hash)| format!(
                "<tr><th>Dziennik zdarzeń (stan przy zapisie)</th><td><code>{seq}:{hash}</code></td></tr>\n"
            ))
            .unwrap_or_default(),
    ));
    page("Potwierdzenie zapisu na nośniku", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transfer_list_opens_in_a_polish_spreadsheet() {
        let rows = [ListRow {
            sign: "OR.0050.1.2026".into(),
            heading: "Zbiór zarządzeń; ogłoszeń".into(),
            title: "Zarządzenia \"kadrowe\"".into(),
            opened_on: "2026-01-02".into(),
            closed_on: "2026-11-20".into(),
            documents: 3,
        }];
        let csv = transfer_list_csv(&rows);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains(
            "1;OR.0050.1.2026;\"Zbiór zarządzeń; ogłoszeń\";\"Zarządzenia \"\"kadrowe\"\"\";\
             2026-01-02;2026-11-20;3\r\n"
        ));
    }

    #[test]
    fn a_cancelled_export_leaves_nothing_and_a_scan_awaiting_ocr_is_left_out_by_name() {
        let (dir, lib, id) = crate::test_support::library_with_scan(60, 80);
        let target = dir.path().join("nosnik");
        fs::create_dir(&target).unwrap();
        let everything = Selection {
            all: true,
            ..Selection::default()
        };
        let seen = std::cell::RefCell::new(Vec::new());
        let stopped = lib.export_package_with(
            &target,
            &everything,
            &|done, total| seen.borrow_mut().push((done, total)),
            &|| true,
        );
        assert!(matches!(stopped, Err(Error::Cancelled)), "{stopped:?}");
        assert_eq!(seen.borrow().first(), Some(&(0, 1)));
        assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
        assert!(lib.exports(None).unwrap().is_empty());

        let report = lib.export_package(&target, &everything).unwrap();
        assert_eq!(report.documents, 0);
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].document, id);
        assert!(
            report.failed[0].reason.contains("await OCR"),
            "{:?}",
            report.failed
        );
        let package = report.package.unwrap();
        assert!(!package.join("dokumenty").exists());
        assert!(
            verify::verify_package(&package, None)
                .unwrap()
                .problems
                .is_empty()
        );
    }

    #[test]
    fn fat32_limits_are_said_before_writing() {
        let (dir, _lib, _) = crate::test_support::library_with_scan(10, 10);
        // An ordinary folder here is no FAT disk.
        assert!(!on_fat(dir.path()));
        let why = fat_refusal(7, "skan-A0.tiff", 5 << 30);
        assert!(
            why.contains("document 7's file skan-A0.tiff is 5.0 GiB"),
            "{why}"
        );
        assert!(why.contains("exFAT or NTFS"));
    }

    #[test]
    fn categories_select_as_archivists_say_them() {
        assert!(category_matches(&Category::A, "a"));
        assert!(category_matches(&"B5".parse().unwrap(), "B"));
        assert!(category_matches(&"BE10".parse().unwrap(), "be10"));
        assert!(!category_matches(&"BE10".parse().unwrap(), "B"));
        assert!(!category_matches(&Category::A, "B"));
    }
}
