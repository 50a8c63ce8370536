//! Restoring a full backup into a library that already holds documents, when the user asks for
//! it (`skladnica restore BAG --merge`): after a PC was replaced and the office started anew
//! before the old backup was found, say.
//!
//! The bag is verified whole first. Its database is copied aside (and brought to this version's
//! schema), attached to the library's, and merged in one transaction: documents whose original
//! the library already holds are kept as the library has them; the others come with their
//! files, pages, OCR, metadata and extracted values, under new ids. Cases are matched by their
//! sign, title and opening day, JRWA versions by their source's checksum and the day they came
//! into force, units by their code. A case sign or an incoming-register number the library has
//! already given to another case or letter is not merged (signs and numbers are on paper and
//! cannot change), and the report says which. The
//! originals are placed through the blob store's journal, so a crash or a failed commit leaves
//! none behind; the search index catches up afterwards.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params_from_iter};
use serde::Serialize;

use super::backup::{parent_made, sound_backup};
use crate::db::{self, documents, state};
use crate::error::{Error, Result};
use crate::library::Library;

/// What a merge brought into the library.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeReport {
    /// The library merged into.
    pub library: PathBuf,
    /// Documents added.
    pub documents_added: usize,
    /// Documents of the backup the library already held (the same original): kept as they are.
    pub documents_present: usize,
    /// Originals added.
    pub files: usize,
    /// Cases added.
    pub cases_added: usize,
    /// Cases of the backup the library already had (the same sign), joined.
    pub cases_joined: usize,
    /// Incoming-register entries added.
    pub rpw_added: usize,
    /// JRWA versions added.
    pub jrwa_versions_added: usize,
    /// Organisational units added.
    pub units_added: usize,
    /// What was not merged, and why.
    pub not_merged: Vec<String>,
}

const ATTACHED: &str = "kopia";

/// Merges the backup at `bag` (a verified bag folder) into `lib`; see the module documentation.
pub fn merge(bag: &Path, lib: &mut Library) -> Result<MergeReport> {
    lib.require_writable()?;
    sound_backup(bag)?;
    // The backup's database, copied aside so that bringing it to this version's schema writes
    // nothing into the bag.
    let parent = parent_made(lib.root())?.to_path_buf();
    let scratch = tempfile::Builder::new()
        .prefix(".scalanie-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let copy = scratch.path().join("kopia.sqlite");
    let from = bag.join("data").join(super::backup::DB);
    fs::copy(&from, &copy).map_err(|e| Error::io(&copy, e))?;
    drop(db::open(&copy, false, Default::default(), None)?);

    // An encrypted library's connection would take the clear copy for one under its own key.
    let key = if lib.db_cipher().is_some() {
        " KEY ''"
    } else {
        ""
    };
    lib.conn()
        .execute(
            &format!("ATTACH DATABASE ?1 AS {ATTACHED}{key}"),
            [copy.to_string_lossy()],
        )
        .map_err(|e| Error::sqlite("opening the backup's database", e))?;
    let merged = merge_attached(bag, lib);
    let _ = lib
        .conn()
        .execute(&format!("DETACH DATABASE {ATTACHED}"), []);
    let mut report = merged?;
    report.library = lib.root().to_path_buf();
    lib.catch_up_index()?;
    Ok(report)
}

/// The merge itself, with the backup's database attached.
fn merge_attached(bag: &Path, lib: &mut Library) -> Result<MergeReport> {
    let blobs = lib.blobs().clone();
    let root = lib.root().to_path_buf();
    let mut journal = blobs.journal();
    let mut placed: Vec<String> = Vec::new();
    let mut report = MergeReport::default();
    let tx = lib
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| Error::sqlite("starting the merge", e))?;
    let done = (|| -> Result<()> {
        let versions = merge_jrwa(&tx, &mut report)?;
        merge_units(&tx, &mut report)?;
        let cases = merge_cases(&tx, &versions, &mut report)?;
        let documents = {
            let mut place = |sha: &str| -> Result<()> {
                let relative = blobs
                    .path(sha)
                    .strip_prefix(&root)
                    .map(Path::to_path_buf)
                    .map_err(|_| Error::Invalid("the blob store is outside its library".into()))?;
                let source = bag.join("data").join(relative);
                let bytes = fs::read(&source).map_err(|e| Error::io(&source, e))?;
                if crate::blobs::sha256_hex(&bytes) != sha {
                    return Err(Error::Invalid(format!(
                        "{}: not the original its name says",
                        source.display()
                    )));
                }
                if !blobs.contains(sha) {
                    blobs.place(blobs.stage(&bytes, sha)?, &mut journal)?;
                    placed.push(sha.to_string());
                }
                Ok(())
            };
            merge_documents(&tx, &mut place, &mut report)?
        };
        merge_case_documents(&tx, &cases, &documents)?;
        merge_rpw(&tx, &cases, &documents, &mut report)
    })();
    let committed = done.and_then(|()| {
        tx.commit()
            .map_err(|e| Error::sqlite("committing the merge", e))
    });
    if let Err(e) = committed {
        // Nothing of it is in the database: take its originals back out.
        for sha in &placed {
            let _ = blobs.remove(sha);
        }
        let _ = journal.clear();
        return Err(e);
    }
    blobs.sync_dirs(&placed);
    journal.clear()?;
    Ok(report)
}

/// The columns of a table of the library's schema (the backup's was brought to the same).
fn columns(tx: &Transaction, table: &str) -> Result<Vec<String>> {
    // Asked once per row copied: the statements are kept prepared.
    let mut s = tx
        .prepare_cached(&format!("PRAGMA main.table_info({table})"))
        .map_err(|e| Error::sqlite("reading the schema", e))?;
    let names = s
        .query_map([], |r| r.get::<_, String>(1))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| Error::sqlite("reading the schema", e))?;
    Ok(names)
}

/// Copies the backup's rows of `table` matching `filter` (SQL over the backup's columns, with
/// `?` for `args`) into the library: every column as it is, except `id` (given anew) and those
/// in `set`. Returns the new row's id (of the last one, when several).
fn copy_rows(
    tx: &Transaction,
    table: &str,
    filter: &str,
    args: &[i64],
    set: &[(&str, Option<i64>)],
) -> Result<i64> {
    let mut cols = Vec::new();
    let mut exprs = Vec::new();
    let mut values: Vec<Option<i64>> = Vec::new();
    for c in columns(tx, table)? {
        if c == "id" {
            continue;
        }
        match set.iter().find(|(name, _)| *name == c) {
            Some((_, v)) => {
                exprs.push("?".to_string());
                values.push(*v);
            }
            None => exprs.push(format!("\"{c}\"")),
        }
        cols.push(format!("\"{c}\""));
    }
    values.extend(args.iter().map(|&a| Some(a)));
    let sql = format!(
        "INSERT INTO main.{table} ({}) SELECT {} FROM {ATTACHED}.{table} WHERE {filter}",
        cols.join(", "),
        exprs.join(", ")
    );
    tx.prepare_cached(&sql)
        .and_then(|mut s| s.execute(params_from_iter(values)))
        .map_err(|e| Error::sqlite(format!("merging the backup's {table}"), e))?;
    Ok(tx.last_insert_rowid())
}

/// Rows of a query over the backup's database.
fn rows<T>(
    tx: &Transaction,
    sql: &str,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut s = tx
        .prepare(sql)
        .map_err(|e| Error::sqlite("reading the backup", e))?;
    s.query_map([], map)
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| Error::sqlite("reading the backup", e))
}

/// One value of a query over the library, if there is a row.
fn one(tx: &Transaction, sql: &str, args: impl rusqlite::Params) -> Result<Option<i64>> {
    tx.query_row(sql, args, |r| r.get(0))
        .optional()
        .map_err(|e| Error::sqlite("reading the library", e))
}

/// JRWA versions: the backup's id → the library's.
fn merge_jrwa(tx: &Transaction, report: &mut MergeReport) -> Result<HashMap<i64, i64>> {
    let mut map = HashMap::new();
    let versions = rows(
        tx,
        &format!("SELECT id, sha256, in_force_from FROM {ATTACHED}.jrwa_versions ORDER BY id"),
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    for (id, sha, from) in versions {
        let ours = one(
            tx,
            "SELECT id FROM main.jrwa_versions WHERE sha256 = ?1 AND in_force_from = ?2",
            (&sha, &from),
        )?;
        let ours = match ours {
            Some(v) => v,
            None => {
                let v = copy_rows(tx, "jrwa_versions", "id = ?", &[id], &[])?;
                copy_rows(
                    tx,
                    "jrwa_classes",
                    "version_id = ?",
                    &[id],
                    &[("version_id", Some(v))],
                )?;
                report.jrwa_versions_added += 1;
                v
            }
        };
        map.insert(id, ours);
    }
    Ok(map)
}

/// Units: those whose code the library does not know are added; a code it knows keeps the
/// library's definition.
fn merge_units(tx: &Transaction, report: &mut MergeReport) -> Result<()> {
    let units = rows(
        tx,
        &format!("SELECT id, code FROM {ATTACHED}.units ORDER BY id"),
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )?;
    for (id, code) in units {
        if one(tx, "SELECT id FROM main.units WHERE code = ?1", [&code])?.is_none() {
            copy_rows(tx, "units", "id = ?", &[id], &[])?;
            report.units_added += 1;
        }
    }
    Ok(())
}

/// Cases: the backup's id → the library's. A case with the same sign, title and opening day is
/// the same case; a sign the library gave to another case (its numbering started anew, say) is
/// reported, and that case is not merged: its documents come without it.
fn merge_cases(
    tx: &Transaction,
    versions: &HashMap<i64, i64>,
    report: &mut MergeReport,
) -> Result<HashMap<i64, i64>> {
    let mut map = HashMap::new();
    let cases = rows(
        tx,
        &format!(
            "SELECT id, sign, jrwa_version, title, opened_on FROM {ATTACHED}.cases ORDER BY id"
        ),
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    for (id, sign, version, title, opened_on) in cases {
        let ours = tx
            .query_row(
                "SELECT id, title, opened_on FROM main.cases WHERE sign = ?1",
                [&sign],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| Error::sqlite("reading the case register", e))?;
        match ours {
            Some((c, t, o)) if t == title && o == opened_on => {
                report.cases_joined += 1;
                map.insert(id, c);
            }
            Some((_, t, o)) => report.not_merged.push(format!(
                "case {sign} „{title}” opened {opened_on}: this library has another case under \
                 that sign („{t}”, opened {o}); the case was not merged and its documents were \
                 added outside any case"
            )),
            None => {
                report.cases_added += 1;
                let c = copy_rows(
                    tx,
                    "cases",
                    "id = ?",
                    &[id],
                    &[("jrwa_version", versions.get(&version).copied())],
                )?;
                map.insert(id, c);
            }
        }
    }
    Ok(map)
}

/// Documents: the backup's id → the library's (the one it already held, or the one added).
fn merge_documents(
    tx: &Transaction,
    place: &mut dyn FnMut(&str) -> Result<()>,
    report: &mut MergeReport,
) -> Result<HashMap<i64, i64>> {
    let mut map = HashMap::new();
    let docs = rows(
        tx,
        &format!("SELECT id FROM {ATTACHED}.documents ORDER BY id"),
        |r| r.get::<_, i64>(0),
    )?;
    let now = db::now();
    for id in docs {
        let files = rows(
            tx,
            &format!(
                "SELECT id, sha256 FROM {ATTACHED}.files WHERE document_id = {id} ORDER BY id"
            ),
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )?;
        let mut held = None;
        for (_, sha) in &files {
            if let Some(d) = documents::find_by_sha(tx, sha)? {
                held = Some(d);
            }
        }
        if let Some(d) = held {
            report.documents_present += 1;
            map.insert(id, d);
            continue;
        }
        let rev = state::take_rev(tx)?;
        let ours = copy_rows(
            tx,
            "documents",
            "id = ?",
            &[id],
            &[("rev", Some(rev)), ("batch_id", None)],
        )?;
        tx.execute(
            "UPDATE main.documents SET updated_at = ?1 WHERE id = ?2",
            (&now, ours),
        )
        .map_err(|e| Error::sqlite("merging a document", e))?;
        for (file, sha) in &files {
            place(sha)?;
            let f = copy_rows(
                tx,
                "files",
                "id = ?",
                &[*file],
                &[("document_id", Some(ours))],
            )?;
            copy_rows(
                tx,
                "pages",
                "file_id = ?",
                &[*file],
                &[("document_id", Some(ours)), ("file_id", Some(f))],
            )?;
            report.files += 1;
        }
        for table in ["metadata", "extracted_values"] {
            copy_rows(
                tx,
                table,
                "document_id = ?",
                &[id],
                &[("document_id", Some(ours))],
            )?;
        }
        report.documents_added += 1;
        map.insert(id, ours);
    }
    Ok(map)
}

/// The backup's documents go into their cases, after what each case already holds in the
/// library.
fn merge_case_documents(
    tx: &Transaction,
    cases: &HashMap<i64, i64>,
    documents: &HashMap<i64, i64>,
) -> Result<()> {
    let links = rows(
        tx,
        &format!(
            "SELECT case_id, document_id, added_at FROM {ATTACHED}.case_documents \
             ORDER BY case_id, position"
        ),
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    for (case, doc, added_at) in links {
        let (Some(&case), Some(&doc)) = (cases.get(&case), documents.get(&doc)) else {
            continue;
        };
        tx.execute(
            "INSERT OR IGNORE INTO main.case_documents (case_id, document_id, position, added_at)
             SELECT ?1, ?2, COALESCE(MAX(position), 0) + 1, ?3
             FROM main.case_documents WHERE case_id = ?1",
            (case, doc, &added_at),
        )
        .map_err(|e| Error::sqlite("merging a case's documents", e))?;
    }
    Ok(())
}

/// Incoming-register entries: added under their number unless the library gave it to another
/// letter.
fn merge_rpw(
    tx: &Transaction,
    cases: &HashMap<i64, i64>,
    documents: &HashMap<i64, i64>,
    report: &mut MergeReport,
) -> Result<()> {
    let items = rows(
        tx,
        &format!(
            "SELECT id, year, number, title, item, document_id, case_id FROM {ATTACHED}.rpw_items \
             ORDER BY year, number"
        ),
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        },
    )?;
    for (id, year, number, title, item, doc, case) in items {
        let doc = doc.and_then(|d| documents.get(&d).copied());
        let taken = tx
            .query_row(
                "SELECT item, document_id FROM main.rpw_items WHERE year = ?1 AND number = ?2",
                (year, number),
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)),
            )
            .optional()
            .map_err(|e| Error::sqlite("reading the incoming register", e))?;
        match taken {
            Some((ours, our_doc)) if ours == item || (doc.is_some() && our_doc == doc) => {}
            Some(_) => report.not_merged.push(format!(
                "RPW.{number}.{year} ({title}): this library's register gives that number to \
                 another letter; the letter's document was merged without its register entry"
            )),
            None => {
                copy_rows(
                    tx,
                    "rpw_items",
                    "id = ?",
                    &[id],
                    &[
                        ("document_id", doc),
                        ("case_id", case.and_then(|c| cases.get(&c).copied())),
                    ],
                )?;
                report.rpw_added += 1;
            }
        }
    }
    Ok(())
}
