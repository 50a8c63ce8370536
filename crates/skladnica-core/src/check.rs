//! `check`: verifies that the library is whole — every blob against its hash, the database's
//! own integrity, the audit log's hash chain, and the search index against the database — and
//! with `repair` fixes what can be derived again (the index, orphan blobs). Originals that are missing or damaged cannot be
//! derived: they are reported, to be restored from a backup.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::blobs::BlobState;
use crate::db::documents;
use crate::db::state;
use crate::error::{Error, Result};
use crate::library::Library;

/// One difference found.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// A stable code: `blob_missing`, `blob_corrupt`, `blob_orphan`, `index_missing`,
    /// `index_stale`, `index_extra`, `index_duplicate`, `database`.
    pub code: &'static str,
    /// The item concerned (a document id, a blob hash).
    pub item: String,
    /// What is wrong, in words.
    pub detail: String,
    /// Whether it can be repaired from what the library holds.
    pub repairable: bool,
    /// Whether this run repaired it.
    pub repaired: bool,
}

/// What `check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Documents in the database.
    pub documents: usize,
    /// Blobs verified.
    pub blobs_verified: usize,
    /// Documents in the index.
    pub indexed: usize,
    /// Differences found.
    pub problems: Vec<Problem>,
    /// True when nothing is wrong (or everything found was repaired).
    pub clean: bool,
}

/// Checks the library; with `repair`, fixes what is derivable.
pub fn run(lib: &mut Library, repair: bool) -> Result<CheckReport> {
    if repair {
        lib.require_writable()?;
    }
    let mut problems = Vec::new();
    let integrity: String = lib
        .conn()
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| Error::sqlite("checking database integrity", e))?;
    if integrity != "ok" {
        problems.push(Problem {
            code: "database",
            item: lib.db_path().display().to_string(),
            detail: format!("SQLite integrity check: {integrity}"),
            repairable: false,
            repaired: false,
        });
    }

    // The audit log's hash chain.
    for detail in lib.verify_audit(None)?.problems {
        problems.push(Problem {
            code: "audit",
            item: "audit_log".into(),
            detail,
            repairable: false,
            repaired: false,
        });
    }

    // Blobs.
    let files = documents::all_file_hashes(lib.conn())?;
    let referenced: HashSet<&str> = files.iter().map(|(_, s)| s.as_str()).collect();
    for (doc, sha) in &files {
        match lib.blobs().verify(sha)? {
            BlobState::Intact => {}
            BlobState::Missing => problems.push(Problem {
                code: "blob_missing",
                item: sha.clone(),
                detail: format!("the original of document {doc} is missing from the blob store"),
                repairable: false,
                repaired: false,
            }),
            BlobState::Corrupt { actual } => problems.push(Problem {
                code: "blob_corrupt",
                item: sha.clone(),
                detail: format!(
                    "the original of document {doc} has changed on disk (its content now hashes \
                     to {actual})"
                ),
                repairable: false,
                repaired: false,
            }),
        }
    }
    for sha in lib.blobs().list()? {
        if !referenced.contains(sha.as_str()) {
            let repaired = repair && lib.blobs().remove(&sha).is_ok();
            problems.push(Problem {
                code: "blob_orphan",
                item: sha,
                detail: "a blob that no document refers to".into(),
                repairable: true,
                repaired,
            });
        }
    }

    // Index against database.
    let revs = documents::all_revisions(lib.conn())?;
    let in_index = indexed_documents(lib)?;
    let mut to_reindex = Vec::new();
    let mut to_delete = Vec::new();
    for (id, rev) in &revs {
        match in_index.get(id) {
            None => {
                problems.push(index_problem(
                    "index_missing",
                    *id,
                    "not in the search index",
                ));
                to_reindex.push(*id);
            }
            Some(revs) if revs.len() > 1 => {
                problems.push(index_problem(
                    "index_duplicate",
                    *id,
                    "in the search index more than once",
                ));
                to_reindex.push(*id);
            }
            Some(revs) if revs[0] != *rev => {
                problems.push(index_problem(
                    "index_stale",
                    *id,
                    "the search index holds an older version",
                ));
                to_reindex.push(*id);
            }
            Some(_) => {}
        }
    }
    let known: HashSet<i64> = revs.iter().map(|(id, _)| *id).collect();
    for id in in_index.keys() {
        if !known.contains(id) {
            problems.push(index_problem(
                "index_extra",
                *id,
                "in the search index but not in the library",
            ));
            to_delete.push(*id);
        }
    }
    if repair && (!to_reindex.is_empty() || !to_delete.is_empty()) {
        let mut writer = lib.index().writer(1, 64 << 20)?;
        let wanted: HashSet<i64> = to_reindex.iter().copied().collect();
        for id in &to_delete {
            lib.index().delete(&writer, *id);
        }
        lib.index().put_parallel(&writer, 2, |feed| {
            documents::for_each_index_source(lib.conn(), 0, |src| {
                if wanted.contains(&src.id) {
                    feed(src)?;
                }
                Ok(())
            })
        })?;
        let last = state::last_rev(lib.conn())?;
        lib.index().commit(&mut writer, last)?;
        state::set_indexed_rev(lib.conn(), last)?;
        writer
            .wait_merging_threads()
            .map_err(|e| Error::index("finishing index merges", e))?;
        for p in problems.iter_mut().filter(|p| p.code.starts_with("index_")) {
            p.repaired = true;
        }
    }
    let clean = problems.iter().all(|p| p.repaired);
    Ok(CheckReport {
        documents: revs.len(),
        blobs_verified: files.len(),
        indexed: in_index.len(),
        problems,
        clean,
    })
}

fn index_problem(code: &'static str, id: i64, detail: &str) -> Problem {
    Problem {
        code,
        item: format!("document {id}"),
        detail: detail.to_string(),
        repairable: true,
        repaired: false,
    }
}

/// Every live document in the index: id → the revisions indexed for it.
fn indexed_documents(lib: &Library) -> Result<HashMap<i64, Vec<i64>>> {
    lib.index().reload()?;
    let searcher = lib.index().reader().searcher();
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let ids = ff
            .u64("id")
            .map_err(|e| Error::index("reading document ids from the index", e))?;
        let revs = ff
            .u64("rev")
            .map_err(|e| Error::index("reading revisions from the index", e))?;
        for doc in segment.doc_ids_alive() {
            if let Some(id) = ids.first(doc) {
                let rev = revs.first(doc).unwrap_or(0);
                out.entry(id as i64).or_default().push(rev as i64);
            }
        }
    }
    Ok(out)
}
