//! Extraction in the library: the extractors of `skladnica-records` run over a document's pages
//! when its text is complete (at import for born-digital files, after OCR for scans); every
//! value is kept with its page and source text (`extracted_values`), and the sure ones fill the
//! document's metadata (source `extracted`): its date, kind, author, place and subject. A value
//! the clerk set, or a register wrote, is never replaced.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use skladnica_records::extract::{self, Field, Found};

use crate::db::documents;
use crate::error::{Error, Result};
use crate::library::Library;

/// What joins pages for the extractors (a form feed on a line of its own).
pub const PAGE_BREAK: &str = "\n\u{c}\n";

/// An extracted value on its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageFound {
    /// The page, from 1.
    pub page: u32,
    /// The value; `start` and `end` are byte offsets in that page's text.
    #[serde(flatten)]
    pub found: Found,
}

/// The extractors over a document's pages; offsets are mapped back to each page.
pub fn extract_pages(pages: &[&str]) -> Vec<PageFound> {
    let text = pages.join(PAGE_BREAK);
    let mut starts = Vec::with_capacity(pages.len());
    let mut at = 0;
    for p in pages {
        starts.push(at);
        at += p.len() + PAGE_BREAK.len();
    }
    extract::extract(&text)
        .into_iter()
        .filter_map(|mut f| {
            let i = starts.iter().rposition(|&s| s <= f.start)?;
            let page_start = starts[i];
            let page_end = page_start + pages[i].len();
            f.start -= page_start;
            f.end = f.end.min(page_end) - page_start;
            Some(PageFound {
                page: i as u32 + 1,
                found: f,
            })
        })
        .collect()
}

/// Confidence from which a value fills the document's metadata by itself.
const SURE: [(Field, f32, &str); 6] = [
    (Field::Title, 0.8, "tytul"),
    (Field::DocumentDate, 0.8, "data"),
    (Field::Kind, 0.75, "rodzaj"),
    (Field::Issuer, 0.7, "tworca"),
    (Field::Place, 0.8, "miejsce"),
    (Field::Subject, 0.8, "w_sprawie"),
];

/// The metadata values the extraction would fill: (key, value), at most one per key.
pub fn sure_values(found: &[PageFound]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (field, threshold, key) in SURE {
        if let Some(f) = found
            .iter()
            .filter(|f| f.found.field == field && f.found.confidence >= threshold)
            .max_by(|a, b| a.found.confidence.total_cmp(&b.found.confidence))
        {
            out.push((key, f.found.value.clone()));
        }
    }
    out
}

/// Sources an extraction may replace: nothing the clerk or a register said.
fn replaceable(source: Option<&str>) -> bool {
    matches!(source, None | Some("import") | Some("extracted"))
}

/// Stores `found` for document `id` (replacing what an earlier extraction found), fills the
/// metadata it is sure of where nothing better is set, and marks the document extracted. Call
/// inside a transaction. Returns whether the document's metadata changed.
pub fn store(conn: &Connection, id: i64, found: &[PageFound], pages: &[&str]) -> Result<bool> {
    let ctx = |e| Error::sqlite(format!("storing what was read from document {id}"), e);
    conn.execute("DELETE FROM extracted_values WHERE document_id = ?1", [id])
        .map_err(ctx)?;
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO extracted_values (document_id, field, value, confidence, page, start, end,
                 source_text, note, personal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .map_err(ctx)?;
    for f in found {
        let text = pages
            .get(f.page as usize - 1)
            .and_then(|p| p.get(f.found.start..f.found.end))
            .unwrap_or("");
        insert
            .execute(params![
                id,
                f.found.field.name(),
                f.found.value,
                f.found.confidence as f64,
                f.page,
                f.found.start as i64,
                f.found.end as i64,
                text,
                f.found.note,
                f.found.field.is_personal()
            ])
            .map_err(ctx)?;
    }
    let mut changed = false;
    for (key, value) in sure_values(found) {
        let current: Option<(String, String)> = conn
            .query_row(
                "SELECT value, source FROM metadata WHERE document_id = ?1 AND key = ?2",
                params![id, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(ctx)?;
        if !replaceable(current.as_ref().map(|(_, s)| s.as_str())) {
            continue;
        }
        if current.as_ref().map(|(v, _)| v.as_str()) == Some(value.as_str()) {
            continue;
        }
        documents::set_metadata(conn, id, key, &value, "extracted")?;
        // The heading replaces a title that is only the file's name.
        if key == "tytul" && title_is_file_name(conn, id)? {
            documents::set_head(conn, id, Some(&value), None, None)?;
        }
        changed = true;
    }
    conn.execute("UPDATE documents SET extracted = 1 WHERE id = ?1", [id])
        .map_err(ctx)?;
    Ok(changed)
}

/// Whether document `id`'s title is its file's name without the extension (what import gives a
/// scan it knows nothing better of).
fn title_is_file_name(conn: &Connection, id: i64) -> Result<bool> {
    conn.query_row(
        "SELECT d.title, f.original_name FROM documents d JOIN files f ON f.document_id = d.id
         WHERE d.id = ?1 ORDER BY f.id LIMIT 1",
        [id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )
    .optional()
    .map(|row| {
        row.is_some_and(|(title, name)| {
            let stem = std::path::Path::new(&name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or(name);
            title == stem
        })
    })
    .map_err(|e| Error::sqlite(format!("reading document {id}"), e))
}

/// A stored extracted value, as `show` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractedRecord {
    /// The field.
    pub field: String,
    /// The value (masked for personal data when asked).
    pub value: String,
    /// How sure the rule is.
    pub confidence: f64,
    /// The page it is on.
    pub page: u32,
    /// Byte offsets in the page's text.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// The text it came from.
    pub source_text: String,
    /// The rule.
    pub note: String,
    /// Whether it is personal data (PESEL, ID card).
    pub personal: bool,
}

/// What the extractors found in document `id`, by field and position.
pub fn stored(conn: &Connection, id: i64) -> Result<Vec<ExtractedRecord>> {
    let ctx = |e| Error::sqlite(format!("reading what was read from document {id}"), e);
    let mut s = conn
        .prepare(
            "SELECT field, value, confidence, page, start, end, source_text, note, personal
             FROM extracted_values WHERE document_id = ?1 ORDER BY id",
        )
        .map_err(ctx)?;
    s.query_map([id], |r| {
        Ok(ExtractedRecord {
            field: r.get(0)?,
            value: r.get(1)?,
            confidence: r.get(2)?,
            page: r.get(3)?,
            start: r.get::<_, i64>(4)? as usize,
            end: r.get::<_, i64>(5)? as usize,
            source_text: r.get(6)?,
            note: r.get(7)?,
            personal: r.get(8)?,
        })
    })
    .and_then(|rows| rows.collect())
    .map_err(ctx)
}

impl Library {
    /// Reads the documents whose text is complete and not yet read by the extractors (after OCR,
    /// or from before extraction existed); returns how many. Documents are read in parallel and
    /// stored in batches; the index takes their new metadata.
    pub fn extract_pending(&mut self) -> Result<usize> {
        self.require_writable()?;
        let ids: Vec<i64> = {
            let mut s = self
                .conn()
                .prepare(
                    "SELECT d.id FROM documents d WHERE d.extracted = 0 AND NOT EXISTS
                       (SELECT 1 FROM pages p WHERE p.document_id = d.id
                          AND p.text_source = 'awaiting_ocr' AND p.ocr_error IS NULL)
                     ORDER BY d.id",
                )
                .map_err(|e| Error::sqlite("finding documents to read", e))?;
            s.query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>())
                .map_err(|e| Error::sqlite("finding documents to read", e))?
        };
        self.extract_documents(&ids)
    }

    /// Reads documents `ids` again with the extractors (their earlier findings are replaced;
    /// the clerk's metadata stays).
    pub fn extract_documents(&mut self, ids: &[i64]) -> Result<usize> {
        self.require_writable()?;
        if ids.is_empty() {
            return Ok(0);
        }
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for chunk in ids.chunks(256) {
            let mut texts: Vec<(i64, Vec<String>)> = Vec::with_capacity(chunk.len());
            for &id in chunk {
                let mut s = self
                    .conn()
                    .prepare_cached("SELECT text FROM pages WHERE document_id = ?1 ORDER BY number")
                    .map_err(|e| Error::sqlite("reading page texts", e))?;
                let pages = s
                    .query_map([id], |r| r.get(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
                    .map_err(|e| Error::sqlite("reading page texts", e))?;
                texts.push((id, pages));
            }
            let next = std::sync::atomic::AtomicUsize::new(0);
            // Each worker returns (index in `texts`, what it found).
            let results: Vec<(usize, Vec<PageFound>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut out = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                let Some((_, pages)) = texts.get(i) else {
                                    break;
                                };
                                let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
                                out.push((i, extract_pages(&refs)));
                            }
                            out
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().expect("an extraction worker"))
                    .collect()
            });
            let ctx = |e| Error::sqlite("storing what was read", e);
            let tx = self
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(ctx)?;
            for (i, found) in &results {
                let (id, pages) = &texts[*i];
                let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
                if store(&tx, *id, found, &refs)? {
                    documents::mark_changed(&tx, *id)?;
                }
            }
            tx.commit().map_err(ctx)?;
        }
        self.catch_up_index()?;
        Ok(ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_mapped_to_their_pages() {
        let pages = [
            "Strona pierwsza.",
            "UCHWAŁA NR VII/88/2019\nRADY GMINY MOGILANY\nz dnia 11 kwietnia 2019 r.",
        ];
        let found = extract_pages(&pages);
        let date = found
            .iter()
            .find(|f| f.found.field == Field::DocumentDate)
            .unwrap();
        assert_eq!(date.page, 2);
        assert_eq!(
            &pages[1][date.found.start..date.found.end],
            "11 kwietnia 2019 r."
        );
        let sure = sure_values(&found);
        assert!(
            sure.contains(&("data", "2019-04-11".to_string())),
            "{sure:?}"
        );
        assert!(
            sure.contains(&("rodzaj", "uchwała".to_string())),
            "{sure:?}"
        );
        assert!(
            sure.contains(&("tworca", "Rada Gminy Mogilany".to_string())),
            "{sure:?}"
        );
    }
}
