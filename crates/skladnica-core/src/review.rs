//! The review queue: documents that came in (imported, scanned) and that no clerk has yet looked
//! over and marked reviewed. The app shows it as its inbox (Skrzynka), with each document's OCR
//! state and how sure the extractors were.

use rusqlite::params;
use serde::Serialize;

use crate::db;
use crate::error::{Error, Result};
use crate::library::Library;

/// A document awaiting review.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its kind, when known.
    pub kind: Option<String>,
    /// Its own date.
    pub doc_date: Option<String>,
    /// When it entered the library.
    pub created_at: String,
    /// The media type of its first file.
    pub media_type: String,
    /// Its pages.
    pub pages: i64,
    /// Pages still awaiting OCR.
    pub pages_awaiting_ocr: i64,
    /// Pages OCR could not read.
    pub pages_failed: i64,
    /// Mean OCR confidence of its read pages (0–100).
    pub ocr_confidence: Option<f64>,
    /// Values the extractors read from it.
    pub suggestions: i64,
    /// The lowest confidence among them (0–1).
    pub min_confidence: Option<f64>,
}

/// The inbox: how many documents await review and the newest `limit` of them.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    /// Documents awaiting review.
    pub total: i64,
    /// The newest of them.
    pub items: Vec<InboxItem>,
}

impl Library {
    /// Documents awaiting review, newest first.
    pub fn inbox(&self, limit: usize) -> Result<Inbox> {
        let ctx = |e| Error::sqlite("reading the inbox", e);
        let total = self
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM documents WHERE reviewed_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(ctx)?;
        let mut s = self
            .conn()
            .prepare_cached(
                "SELECT d.id, d.title, d.kind, d.doc_date, d.created_at,
                        COALESCE((SELECT media_type FROM files f WHERE f.document_id = d.id
                                  ORDER BY f.id LIMIT 1), ''),
                        (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id),
                        (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id
                                                      AND p.text_source = 'awaiting_ocr'
                                                      AND p.ocr_error IS NULL),
                        (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id
                                                      AND p.ocr_error IS NOT NULL),
                        (SELECT AVG(ocr_confidence) FROM pages p WHERE p.document_id = d.id
                                                      AND p.text_source = 'ocr'),
                        (SELECT COUNT(*) FROM extracted_values e WHERE e.document_id = d.id),
                        (SELECT MIN(confidence) FROM extracted_values e WHERE e.document_id = d.id)
                 FROM documents d WHERE d.reviewed_at IS NULL ORDER BY d.id DESC LIMIT ?1",
            )
            .map_err(ctx)?;
        let items = s
            .query_map([limit as i64], |r| {
                Ok(InboxItem {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    kind: r.get(2)?,
                    doc_date: r.get(3)?,
                    created_at: r.get(4)?,
                    media_type: r.get(5)?,
                    pages: r.get(6)?,
                    pages_awaiting_ocr: r.get(7)?,
                    pages_failed: r.get(8)?,
                    ocr_confidence: r.get(9)?,
                    suggestions: r.get(10)?,
                    min_confidence: r.get(11)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(ctx)?;
        Ok(Inbox { total, items })
    }

    /// Marks documents reviewed (they leave the inbox), or with `reviewed` false, puts them back.
    /// Every id must exist; otherwise nothing changes.
    pub fn set_reviewed(&mut self, ids: &[i64], reviewed: bool) -> Result<()> {
        self.require_writable()?;
        let ctx = |e| Error::sqlite("marking documents reviewed", e);
        let tx = self.conn_mut().transaction().map_err(ctx)?;
        let now = db::now();
        for &id in ids {
            let n = tx
                .execute(
                    "UPDATE documents SET reviewed_at = ?2 WHERE id = ?1",
                    params![id, reviewed.then_some(now.as_str())],
                )
                .map_err(ctx)?;
            if n == 0 {
                return Err(Error::NoDocument(id));
            }
        }
        tx.commit().map_err(ctx)
    }

    /// Whether document `id` has been reviewed.
    pub fn is_reviewed(&self, id: i64) -> Result<bool> {
        self.conn()
            .query_row(
                "SELECT reviewed_at IS NOT NULL FROM documents WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NoDocument(id),
                e => Error::sqlite(format!("reading document {id}"), e),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_holds_unreviewed_documents_until_marked() {
        let (_dir, mut lib, id) = crate::test_support::library_with_scan(40, 60);
        let inbox = lib.inbox(10).unwrap();
        assert_eq!(inbox.total, 1);
        assert_eq!(inbox.items[0].id, id);
        assert_eq!(inbox.items[0].pages, 1);
        assert_eq!(inbox.items[0].pages_awaiting_ocr, 1);
        assert!(!lib.is_reviewed(id).unwrap());
        lib.set_reviewed(&[id], true).unwrap();
        assert_eq!(lib.inbox(10).unwrap().total, 0);
        assert!(lib.is_reviewed(id).unwrap());
        lib.set_reviewed(&[id], false).unwrap();
        assert_eq!(lib.inbox(10).unwrap().total, 1);
        assert!(matches!(
            lib.set_reviewed(&[id, 999], true),
            Err(Error::NoDocument(999))
        ));
        assert_eq!(
            lib.inbox(10).unwrap().total,
            1,
            "nothing changes when one id is wrong"
        );
    }
}
