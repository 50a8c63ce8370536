//! The `documents`, `files`, `pages` and `metadata` tables: inserting an imported document in one
//! transaction, and reading documents back for display and for indexing.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Error, Result};

/// Between the texts of two pages in a document's body: a form feed on a line of its own (the
/// SQL in `for_each_index_source_where` writes the same as `char(10) || char(12) || char(10)`).
pub const PAGE_SEPARATOR: &str = "\n\u{c}\n";

/// Where a page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// Text drawn from a born-digital PDF's content.
    BornDigital,
    /// Text recognised by OCR.
    Ocr,
    /// An image page whose text OCR has not produced yet.
    AwaitingOcr,
}

impl TextSource {
    /// The value stored in `pages.text_source`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextSource::BornDigital => "born_digital",
            TextSource::Ocr => "ocr",
            TextSource::AwaitingOcr => "awaiting_ocr",
        }
    }

    fn parse(s: &str) -> TextSource {
        match s {
            "born_digital" => TextSource::BornDigital,
            "ocr" => TextSource::Ocr,
            _ => TextSource::AwaitingOcr,
        }
    }
}

/// A page to insert.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// Its text (empty while awaiting OCR).
    pub text: String,
    /// Where the text came from.
    pub source: TextSource,
    /// Pixel size for image pages.
    pub size_px: Option<(u32, u32)>,
}

/// A document to insert, with its original file and pages.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// The title.
    pub title: String,
    /// The document's own date (ISO 8601), when known.
    pub doc_date: Option<String>,
    /// SHA-256 of the original.
    pub sha256: String,
    /// The original's file name.
    pub original_name: String,
    /// The path it was imported from.
    pub original_path: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Its size in bytes.
    pub size: u64,
    /// Its pages, in order.
    pub pages: Vec<NewPage>,
    /// Metadata key/value pairs found on import.
    pub metadata: Vec<(String, String)>,
    /// What the extractors read from the text, when the text is complete (not awaiting OCR).
    pub found: Option<Vec<crate::records::extraction::PageFound>>,
}

/// Inserts a document with its file, pages and metadata; returns its id.
pub fn insert(
    conn: &Connection,
    doc: &NewDocument,
    batch_id: Option<i64>,
    rev: i64,
    now: &str,
) -> Result<i64> {
    let ctx = |e| Error::sqlite(format!("storing {}", doc.original_path), e);
    conn.prepare_cached(
        "INSERT INTO documents (title, doc_date, created_at, updated_at, batch_id, rev)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(params![doc.title, doc.doc_date, now, batch_id, rev]))
    .map_err(ctx)?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO files (document_id, sha256, original_name, original_path, media_type, size,
                            page_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            doc.sha256,
            doc.original_name,
            doc.original_path,
            doc.media_type,
            doc.size as i64,
            doc.pages.len() as i64
        ])
    })
    .map_err(ctx)?;
    let file_id = conn.last_insert_rowid();
    let mut page_stmt = conn
        .prepare_cached(
            "INSERT INTO pages (document_id, file_id, number, text, text_source, width_px,
                                height_px)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(ctx)?;
    for (i, page) in doc.pages.iter().enumerate() {
        page_stmt
            .execute(params![
                id,
                file_id,
                i as i64 + 1,
                page.text,
                page.source.as_str(),
                page.size_px.map(|s| s.0),
                page.size_px.map(|s| s.1)
            ])
            .map_err(ctx)?;
    }
    let mut meta_stmt = conn
        .prepare_cached(
            "INSERT OR REPLACE INTO metadata (document_id, key, value) VALUES (?1, ?2, ?3)",
        )
        .map_err(ctx)?;
    for (k, v) in &doc.metadata {
        meta_stmt.execute(params![id, k, v]).map_err(ctx)?;
    }
    if let Some(found) = &doc.found {
        let texts: Vec<&str> = doc.pages.iter().map(|p| p.text.as_str()).collect();
        crate::records::extraction::store(conn, id, found, &texts)?;
    }
    Ok(id)
}

/// The document that holds the file with this hash.
pub fn find_by_sha(conn: &Connection, sha256: &str) -> Result<Option<i64>> {
    conn.prepare_cached("SELECT document_id FROM files WHERE sha256 = ?1")
        .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
        .map_err(|e| Error::sqlite("looking up a file hash", e))
}

/// A document as `show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its kind, once known.
    pub kind: Option<String>,
    /// Its own date.
    pub doc_date: Option<String>,
    /// When it entered the library.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// Its files.
    pub files: Vec<FileRecord>,
    /// Its pages.
    pub pages: Vec<PageRecord>,
    /// Its metadata.
    pub metadata: Vec<MetadataRecord>,
    /// What the extractors read from its text, each value with its confidence and source.
    pub extracted: Vec<crate::records::extraction::ExtractedRecord>,
}

impl Document {
    /// Hides personal data (PESEL, identity card numbers) in the extracted values and in the
    /// pages' text, keeping the last two characters: for showing and exporting where the
    /// reader has no need of them.
    pub fn mask_personal(&mut self) {
        use skladnica_records::extract::mask;
        let personal: Vec<(u32, usize, usize, String)> = self
            .extracted
            .iter()
            .filter(|e| e.personal)
            .map(|e| (e.page, e.start, e.end, e.value.clone()))
            .collect();
        for e in self.extracted.iter_mut().filter(|e| e.personal) {
            e.value = mask(&e.value, 2);
            e.source_text = mask(&e.source_text, 2);
        }
        for (page, start, end, _) in &personal {
            if let Some(p) = self.pages.iter_mut().find(|p| p.number == *page as i64)
                && let Some(span) = p.text.get(*start..*end)
            {
                let masked = mask(span, 2);
                p.text.replace_range(*start..*end, &masked);
            }
        }
        // A metadata value that holds a personal number (a clerk's note) is masked as well.
        for m in &mut self.metadata {
            let compact: String = m
                .value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect();
            if personal
                .iter()
                .any(|(_, _, _, v)| compact.contains(v.as_str()))
            {
                m.value = mask(&m.value, 2);
            }
        }
    }
}

/// One stored file.
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    /// Its id.
    pub id: i64,
    /// SHA-256 of its content (its blob name).
    pub sha256: String,
    /// `original`.
    pub role: String,
    /// The name it had.
    pub original_name: String,
    /// Where it was imported from.
    pub original_path: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its page count.
    pub page_count: i64,
}

/// One page.
#[derive(Debug, Clone, Serialize)]
pub struct PageRecord {
    /// 1-based page number.
    pub number: i64,
    /// Its text.
    pub text: String,
    /// Where the text came from.
    pub text_source: TextSource,
    /// OCR mean confidence, 0–100.
    pub ocr_confidence: Option<f64>,
    /// Clockwise degrees OCR turned the page before reading it.
    pub ocr_rotation: Option<i64>,
    /// Clockwise degrees OCR turned the page to straighten it (deskew), when it did.
    pub ocr_skew: Option<f64>,
    /// Why OCR could not read the page.
    pub ocr_error: Option<String>,
    /// Width in pixels, for image pages.
    pub width_px: Option<i64>,
    /// Height in pixels, for image pages.
    pub height_px: Option<i64>,
}

/// One metadata entry.
#[derive(Debug, Clone, Serialize)]
pub struct MetadataRecord {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Who set it (`import`, …).
    pub source: String,
}

/// Reads one document with everything that belongs to it.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Document>> {
    get_with(conn, id, true)
}

/// A document as [`get`] reads it, but without its pages and what the extractors read (for
/// describing a document: its head, files and metadata).
pub fn get_described(conn: &Connection, id: i64) -> Result<Option<Document>> {
    get_with(conn, id, false)
}

fn get_with(conn: &Connection, id: i64, pages: bool) -> Result<Option<Document>> {
    let ctx = |e| Error::sqlite(format!("reading document {id}"), e);
    let head = conn
        .query_row(
            "SELECT id, title, kind, doc_date, created_at, updated_at FROM documents WHERE id = ?1",
            [id],
            |r| {
                Ok(Document {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    kind: r.get(2)?,
                    doc_date: r.get(3)?,
                    created_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    files: vec![],
                    pages: vec![],
                    metadata: vec![],
                    extracted: vec![],
                })
            },
        )
        .optional()
        .map_err(ctx)?;
    let Some(mut doc) = head else { return Ok(None) };
    let mut s = conn
        .prepare_cached(
            "SELECT id, sha256, role, original_name, original_path, media_type, size, page_count
             FROM files WHERE document_id = ?1 ORDER BY id",
        )
        .map_err(ctx)?;
    doc.files = s
        .query_map([id], |r| {
            Ok(FileRecord {
                id: r.get(0)?,
                sha256: r.get(1)?,
                role: r.get(2)?,
                original_name: r.get(3)?,
                original_path: r.get(4)?,
                media_type: r.get(5)?,
                size: r.get(6)?,
                page_count: r.get(7)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(ctx)?;
    let mut s = conn
        .prepare_cached(
            "SELECT number, text, text_source, ocr_confidence, width_px, height_px,
                    ocr_rotation, ocr_error, ocr_skew
             FROM pages WHERE document_id = ?1 AND ?2 ORDER BY number",
        )
        .map_err(ctx)?;
    doc.pages = s
        .query_map(rusqlite::params![id, pages], |r| {
            Ok(PageRecord {
                number: r.get(0)?,
                text: r.get(1)?,
                text_source: TextSource::parse(&r.get::<_, String>(2)?),
                ocr_confidence: r.get(3)?,
                width_px: r.get(4)?,
                height_px: r.get(5)?,
                ocr_rotation: r.get(6)?,
                ocr_skew: r.get(8)?,
                ocr_error: r.get(7)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(ctx)?;
    let mut s = conn
        .prepare_cached(
            "SELECT key, value, source FROM metadata WHERE document_id = ?1 ORDER BY key",
        )
        .map_err(ctx)?;
    doc.metadata = s
        .query_map([id], |r| {
            Ok(MetadataRecord {
                key: r.get(0)?,
                value: r.get(1)?,
                source: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(ctx)?;
    if pages {
        doc.extracted = crate::records::extraction::stored(conn, id)?;
    }
    Ok(Some(doc))
}

/// True when document `id` has a page that is not born-digital (a scan, read by OCR or not).
pub fn has_scanned_pages(conn: &Connection, id: i64) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pages WHERE document_id = ?1
                                             AND text_source != 'born_digital')",
        [id],
        |r| r.get(0),
    )
    .map_err(|e| Error::sqlite(format!("reading the pages of document {id}"), e))
}

/// A line of `list`.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its own date.
    pub doc_date: Option<String>,
    /// When it entered the library.
    pub created_at: String,
    /// Its media type.
    pub media_type: String,
    /// Its page count.
    pub pages: i64,
    /// Pages still awaiting OCR.
    pub pages_awaiting_ocr: i64,
}

/// All documents, newest first.
pub fn list(conn: &Connection) -> Result<Vec<DocumentSummary>> {
    let mut s = conn
        .prepare(
            "SELECT d.id, d.title, d.doc_date, d.created_at,
                    COALESCE((SELECT media_type FROM files f WHERE f.document_id = d.id
                              ORDER BY f.id LIMIT 1), ''),
                    (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id),
                    (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id
                                                  AND p.text_source = 'awaiting_ocr')
             FROM documents d ORDER BY d.id DESC",
        )
        .map_err(|e| Error::sqlite("listing documents", e))?;
    s.query_map([], |r| {
        Ok(DocumentSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            doc_date: r.get(2)?,
            created_at: r.get(3)?,
            media_type: r.get(4)?,
            pages: r.get(5)?,
            pages_awaiting_ocr: r.get(6)?,
        })
    })
    .and_then(|rows| rows.collect())
    .map_err(|e| Error::sqlite("listing documents", e))
}

/// What the search index holds for a document.
#[derive(Debug, Clone, Default)]
pub struct IndexSource {
    /// Its id.
    pub id: i64,
    /// Its revision.
    pub rev: i64,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: Option<String>,
    /// Its own date.
    pub doc_date: Option<String>,
    /// Media type of the original.
    pub media_type: String,
    /// JRWA symbol, once filed.
    pub jrwa: Option<String>,
    /// The text of all pages, in order.
    pub body: String,
    /// Signs and numbers it carries (case sign, RPW number, references read from it).
    pub signs: Vec<String>,
    /// Who sent, wrote or receives it.
    pub parties: String,
    /// Its sender, or for the office's own documents its author.
    pub sender: Option<String>,
}

/// What the index holds for one document.
pub fn index_source(conn: &Connection, id: i64) -> Result<Option<IndexSource>> {
    let mut found = None;
    for_each_index_source_where(conn, "d.id = ?1", id, |src| {
        found = Some(src);
        Ok(())
    })?;
    Ok(found)
}

/// Calls `f` for every document whose revision is above `after_rev`, in id order.
pub fn for_each_index_source(
    conn: &Connection,
    after_rev: i64,
    f: impl FnMut(IndexSource) -> Result<()>,
) -> Result<()> {
    for_each_index_source_where(conn, "d.rev > ?1", after_rev, f)
}

fn for_each_index_source_where(
    conn: &Connection,
    condition: &str,
    value: i64,
    mut f: impl FnMut(IndexSource) -> Result<()>,
) -> Result<()> {
    let ctx = |e| Error::sqlite("reading documents for the index", e);
    let mut s = conn
        .prepare(&format!(
            "SELECT d.id, d.rev, d.title, d.kind, d.doc_date,
                    COALESCE((SELECT media_type FROM files f WHERE f.document_id = d.id
                              ORDER BY f.id LIMIT 1), ''),
                    (SELECT value FROM metadata m WHERE m.document_id = d.id AND m.key = 'jrwa'),
                    COALESCE((SELECT group_concat(text, char(10) || char(12) || char(10))
                              FROM (SELECT text FROM pages p WHERE p.document_id = d.id
                                    ORDER BY p.number)), ''),
                    COALESCE((SELECT group_concat(v, char(10)) FROM
                                (SELECT value AS v FROM metadata m WHERE m.document_id = d.id
                                   AND m.key IN ('znak_sprawy', 'rpw', 'znak_u_nadawcy')
                                 UNION
                                 SELECT value FROM extracted_values e WHERE e.document_id = d.id
                                   AND e.field IN ('reference', 'rpw_number'))), ''),
                    COALESCE((SELECT group_concat(value, char(10)) FROM metadata m
                              WHERE m.document_id = d.id
                                AND m.key IN ('nadawca', 'tworca', 'odbiorca')), ''),
                    COALESCE((SELECT value FROM metadata m WHERE m.document_id = d.id
                                AND m.key = 'nadawca'),
                             (SELECT value FROM metadata m WHERE m.document_id = d.id
                                AND m.key = 'tworca'))
             FROM documents d WHERE {condition} ORDER BY d.id"
        ))
        .map_err(ctx)?;
    let mut rows = s.query([value]).map_err(ctx)?;
    while let Some(r) = rows.next().map_err(ctx)? {
        f(IndexSource {
            id: r.get(0).map_err(ctx)?,
            rev: r.get(1).map_err(ctx)?,
            title: r.get(2).map_err(ctx)?,
            kind: r.get(3).map_err(ctx)?,
            doc_date: r.get(4).map_err(ctx)?,
            media_type: r.get(5).map_err(ctx)?,
            jrwa: r.get(6).map_err(ctx)?,
            body: r.get(7).map_err(ctx)?,
            signs: r
                .get::<_, String>(8)
                .map_err(ctx)?
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            parties: r.get(9).map_err(ctx)?,
            sender: r
                .get::<_, Option<String>>(10)
                .map_err(ctx)?
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        })?;
    }
    Ok(())
}

/// The start of a document's text (pages joined as [`body_text`] joins them), reading pages only
/// until at least `bytes` are there.
pub fn head_text(conn: &Connection, id: i64, bytes: usize) -> Result<String> {
    let ctx = |e| Error::sqlite("reading page text", e);
    let mut s = conn
        .prepare_cached("SELECT text FROM pages WHERE document_id = ?1 ORDER BY number")
        .map_err(ctx)?;
    let mut rows = s.query([id]).map_err(ctx)?;
    let mut out = String::new();
    while out.len() < bytes {
        let Some(row) = rows.next().map_err(ctx)? else {
            break;
        };
        if !out.is_empty() {
            out.push_str(PAGE_SEPARATOR);
        }
        out.push_str(&row.get::<_, String>(0).map_err(ctx)?);
    }
    Ok(out)
}

/// The text of a document's pages joined, for snippets.
pub fn body_text(conn: &Connection, id: i64) -> Result<String> {
    let mut s = conn
        .prepare_cached("SELECT text FROM pages WHERE document_id = ?1 ORDER BY number")
        .map_err(|e| Error::sqlite("reading page text", e))?;
    let texts: Vec<String> = s
        .query_map([id], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| Error::sqlite("reading page text", e))?;
    Ok(texts.join(PAGE_SEPARATOR))
}

/// Ids and revisions of every document.
pub fn all_revisions(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut s = conn
        .prepare("SELECT id, rev FROM documents ORDER BY id")
        .map_err(|e| Error::sqlite("listing revisions", e))?;
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| Error::sqlite("listing revisions", e))
}

/// Every file hash the library refers to.
pub fn all_file_hashes(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut s = conn
        .prepare("SELECT document_id, sha256 FROM files ORDER BY sha256")
        .map_err(|e| Error::sqlite("listing files", e))?;
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| Error::sqlite("listing files", e))
}

/// Gives a document a new revision, so that the index picks it up again.
pub fn touch(conn: &Connection, id: i64, rev: i64) -> Result<()> {
    conn.execute(
        "UPDATE documents SET rev = ?2 WHERE id = ?1",
        params![id, rev],
    )
    .map_err(|e| Error::sqlite(format!("marking document {id} for reindexing"), e))?;
    Ok(())
}

/// Who set a metadata value. A value the clerk set or confirmed is never replaced by another
/// source; everything else gives way to the clerk.
pub const CLERK: &str = "clerk";

/// Sets metadata `key` of document `id` to `value` on behalf of `source`, keeping the columns
/// search reads in step (`rodzaj` is the kind, `data` the document's date). Returns false, and
/// changes nothing, when the clerk set the key and `source` is not the clerk.
pub fn set_metadata(
    conn: &Connection,
    id: i64,
    key: &str,
    value: &str,
    source: &str,
) -> Result<bool> {
    let ctx = |e| Error::sqlite(format!("saving {key} of document {id}"), e);
    let current: Option<String> = conn
        .query_row(
            "SELECT source FROM metadata WHERE document_id = ?1 AND key = ?2",
            params![id, key],
            |r| r.get(0),
        )
        .optional()
        .map_err(ctx)?;
    if current.as_deref() == Some(CLERK) && source != CLERK {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO metadata (document_id, key, value, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(document_id, key) DO UPDATE SET value = excluded.value, source = excluded.source",
        params![id, key, value, source],
    )
    .map_err(ctx)?;
    match key {
        "rodzaj" => set_head(conn, id, None, Some(value), None)?,
        "data" => set_head(conn, id, None, None, Some(value))?,
        _ => {}
    }
    Ok(true)
}

/// Removes metadata `key` of document `id`.
pub fn remove_metadata(conn: &Connection, id: i64, key: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM metadata WHERE document_id = ?1 AND key = ?2",
        params![id, key],
    )
    .map_err(|e| Error::sqlite(format!("removing {key} of document {id}"), e))?;
    Ok(())
}

/// Sets the title, kind or date columns of document `id` (the ones facets and the title field
/// read); `None` leaves a column as it is.
pub fn set_head(
    conn: &Connection,
    id: i64,
    title: Option<&str>,
    kind: Option<&str>,
    doc_date: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE documents SET title = COALESCE(?2, title), kind = COALESCE(?3, kind),
             doc_date = COALESCE(?4, doc_date) WHERE id = ?1",
        params![id, title, kind, doc_date],
    )
    .map_err(|e| Error::sqlite(format!("updating document {id}"), e))?;
    Ok(())
}

/// Records that document `id` changed: a new revision (so the index takes it again) and
/// `updated_at`. Call inside the transaction that changed it.
pub fn mark_changed(conn: &Connection, id: i64) -> Result<()> {
    let rev = crate::db::state::take_rev(conn)?;
    conn.execute(
        "UPDATE documents SET rev = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, rev, crate::db::now()],
    )
    .map_err(|e| Error::sqlite(format!("marking document {id} changed"), e))?;
    Ok(())
}

/// Whether document `id` exists.
pub fn exists(conn: &Connection, id: i64) -> Result<bool> {
    conn.query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map(|r| r.is_some())
        .map_err(|e| Error::sqlite(format!("reading document {id}"), e))
}
