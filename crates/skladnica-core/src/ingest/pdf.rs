//! Reading a PDF: structure checks with lopdf, per-page text with pdf-extract, title and date
//! from the document information dictionary.
//!
//! pdf-extract follows `/Parent` links and form XObjects recursively without loop guards, and
//! panics on some malformed input. So before it runs, the page tree, every page's parent chain
//! and the graph of form XObjects are walked here with visited sets: a loop is a clear
//! [`Rejection::ReferenceLoop`] instead of a stack overflow. Panics inside it become
//! [`Rejection::Damaged`] in the caller.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::db::documents::{NewPage, TextSource};
use crate::error::Rejection;
use crate::ingest::Limits;

/// A page with fewer letters and digits than this is treated as an image page awaiting OCR.
const MIN_TEXT_CHARS: usize = 3;
/// Deeper page trees or form nesting than this are refused.
const MAX_DEPTH: usize = 64;

/// What a PDF yields.
#[derive(Debug)]
pub struct PdfContent {
    /// One entry per page.
    pub pages: Vec<NewPage>,
    /// `/Title` from the information dictionary.
    pub title: Option<String>,
    /// `/CreationDate` as `YYYY-MM-DD`.
    pub created: Option<String>,
    /// Other information entries worth keeping (author, producer…).
    pub metadata: Vec<(String, String)>,
}

/// Reads a PDF from memory.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<PdfContent, Rejection> {
    let mut doc = Document::load_mem(bytes).map_err(load_error)?;
    if doc.is_encrypted() {
        // Many PDFs are encrypted only to restrict printing or copying, with an empty user
        // password; those open. Anything else needs the password.
        doc.decrypt("").map_err(|_| Rejection::Encrypted)?;
    }
    let pages = page_ids(&doc, limits)?;
    empty_images(&mut doc);
    for (i, &page) in pages.iter().enumerate() {
        let number = i + 1;
        check_parent_chain(&doc, page)
            .map_err(|e| Rejection::ReferenceLoop(format!("page {number}: {e}")))?;
        for id in doc.get_page_contents(page) {
            if let Ok(Object::Stream(stream)) = doc.get_object(id) {
                bounded_content(stream, limits.max_stream_bytes)
                    .map_err(|what| bomb(number, &what, limits))?;
            }
        }
        check_forms(&doc, page, limits.max_stream_bytes).map_err(|e| match e {
            FormError::Loop(e) => Rejection::ReferenceLoop(format!("page {number}: {e}")),
            FormError::Bomb(what) => bomb(number, &what, limits),
        })?;
    }
    let mut out = Vec::with_capacity(pages.len());
    for number in 1..=pages.len() as u32 {
        let mut text = String::new();
        {
            let mut dev = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut dev, number)
                .map_err(|e| Rejection::Damaged(format!("page {number}: {e}")))?;
        }
        let text = tidy(&text);
        let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
        out.push(if letters >= MIN_TEXT_CHARS {
            NewPage {
                text,
                source: TextSource::BornDigital,
                size_px: None,
            }
        } else {
            NewPage {
                text: String::new(),
                source: TextSource::AwaitingOcr,
                size_px: None,
            }
        });
    }
    let (title, created, metadata) = info(&doc);
    Ok(PdfContent {
        pages: out,
        title,
        created,
        metadata,
    })
}

/// Empties every image XObject of the copy pdf-extract reads: it runs `Do` on any XObject as if
/// it were a form (parsing an image's bytes as drawing commands, which a crafted "image" can
/// turn into endless recursion), and images carry no text. The file itself is untouched.
fn empty_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"Image")
        {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(Vec::new());
        }
    }
}

fn bomb(page: usize, what: &str, limits: &Limits) -> Rejection {
    Rejection::DecompressionBomb {
        what: format!("page {page}: {what}"),
        limit: limits.max_stream_bytes,
    }
}

/// A stream's content, decompressed when Flate-compressed, refusing to expand past `cap`.
/// Damaged compressed data is returned raw, for the text extractor to judge.
fn bounded_content(stream: &lopdf::Stream, cap: u64) -> Result<Vec<u8>, String> {
    let flate = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"FlateDecode",
        Ok(Object::Array(a)) => a
            .first()
            .and_then(|o| o.as_name().ok())
            .is_some_and(|n| n == b"FlateDecode"),
        _ => false,
    };
    if !flate {
        return Ok(stream.content.clone());
    }
    use std::io::Read;
    let mut out = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(&stream.content[..]).take(cap + 1);
    match decoder.read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > cap => Err("a compressed content stream".to_string()),
        Ok(_) => Ok(out),
        Err(_) => Ok(stream.content.clone()),
    }
}

fn load_error(e: lopdf::Error) -> Rejection {
    match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Rejection::Encrypted,
        other => Rejection::Damaged(other.to_string()),
    }
}

/// The page objects in document order, walking `/Kids` with a visited set.
fn page_ids(doc: &Document, limits: &Limits) -> Result<Vec<ObjectId>, Rejection> {
    let catalog = doc
        .catalog()
        .map_err(|e| Rejection::Damaged(format!("no document catalog: {e}")))?;
    let root = catalog
        .get(b"Pages")
        .and_then(Object::as_reference)
        .map_err(|_| Rejection::Damaged("the catalog has no page tree".into()))?;
    let mut seen = HashSet::new();
    let mut pages = Vec::new();
    walk_pages(doc, root, &mut seen, &mut pages, 0, limits)?;
    if pages.is_empty() {
        return Err(Rejection::Damaged("the PDF has no pages".into()));
    }
    Ok(pages)
}

fn walk_pages(
    doc: &Document,
    node: ObjectId,
    seen: &mut HashSet<ObjectId>,
    pages: &mut Vec<ObjectId>,
    depth: usize,
    limits: &Limits,
) -> Result<(), Rejection> {
    if !seen.insert(node) {
        return Err(Rejection::ReferenceLoop(format!(
            "page tree node {} {} is reached twice",
            node.0, node.1
        )));
    }
    if depth > MAX_DEPTH {
        return Err(Rejection::ReferenceLoop(
            "the page tree is nested too deeply".into(),
        ));
    }
    let dict = doc
        .get_dictionary(node)
        .map_err(|e| Rejection::Damaged(format!("page tree node {} {}: {e}", node.0, node.1)))?;
    let is_pages = dict
        .get(b"Type")
        .and_then(Object::as_name)
        .is_ok_and(|t| t == b"Pages")
        || dict.has(b"Kids");
    if !is_pages {
        pages.push(node);
        if pages.len() as u64 > limits.max_pages {
            return Err(Rejection::TooManyPages {
                pages: pages.len() as u64,
                limit: limits.max_pages,
            });
        }
        return Ok(());
    }
    let kids = dict
        .get(b"Kids")
        .and_then(Object::as_array)
        .map_err(|_| Rejection::Damaged("a page tree node has no /Kids".into()))?;
    for kid in kids {
        let Ok(id) = kid.as_reference() else {
            return Err(Rejection::Damaged(
                "a page tree entry is not a reference".into(),
            ));
        };
        walk_pages(doc, id, seen, pages, depth + 1, limits)?;
    }
    Ok(())
}

fn check_parent_chain(doc: &Document, page: ObjectId) -> Result<(), String> {
    let mut seen = HashSet::new();
    let mut current = page;
    loop {
        if !seen.insert(current) || seen.len() > MAX_DEPTH {
            return Err("its /Parent chain loops".into());
        }
        let Ok(dict) = doc.get_dictionary(current) else {
            return Ok(());
        };
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => current = parent,
            Err(_) => return Ok(()),
        }
    }
}

/// Why a page's forms were refused.
enum FormError {
    Loop(String),
    Bomb(String),
}

/// Walks the form XObjects a page can draw, refusing cycles among forms that draw forms and
/// forms whose content expands past `cap`.
fn check_forms(doc: &Document, page: ObjectId, cap: u64) -> Result<(), FormError> {
    let Ok(page_dict) = doc.get_dictionary(page) else {
        return Ok(());
    };
    let resources = inherited_resources(doc, page_dict);
    let mut path = Vec::new();
    let mut done = HashSet::new();
    if let Some(res) = resources {
        visit_forms(doc, res, res, &mut path, &mut done, cap)?;
    }
    Ok(())
}

fn inherited_resources<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    inherited(doc, dict, b"Resources")?.as_dict().ok()
}

/// A page attribute as PDF inheritance says: the page's own, else its nearest ancestor's (a
/// reference is followed).
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    mut dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    for _ in 0..MAX_DEPTH {
        if let Ok(value) = dict.get(key) {
            return doc.dereference(value).ok().map(|(_, o)| o);
        }
        let parent = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The first of the boxes `keys` (e.g. `CropBox`, then `MediaBox`) a page has, inherited or
/// its own, as `[x0, y0, x1, y1]` with x0 < x1 and y0 < y1.
pub(crate) fn page_box(doc: &Document, page: ObjectId, keys: &[&[u8]]) -> Option<[f64; 4]> {
    let dict = doc.get_dictionary(page).ok()?;
    keys.iter().find_map(|key| {
        let values: Vec<f64> = inherited(doc, dict, key)?
            .as_array()
            .ok()?
            .iter()
            .filter_map(|v| doc.dereference(v).ok()?.1.as_float().ok().map(f64::from))
            .collect();
        match values.as_slice() {
            [a, b, c, d] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
            _ => None,
        }
    })
}

fn visit_forms(
    doc: &Document,
    resources: &Dictionary,
    inherited: &Dictionary,
    path: &mut Vec<ObjectId>,
    done: &mut HashSet<ObjectId>,
    cap: u64,
) -> Result<(), FormError> {
    if path.len() > MAX_DEPTH {
        return Err(FormError::Loop(
            "form XObjects are nested too deeply".into(),
        ));
    }
    let Some(xobjects) = xobjects(doc, resources) else {
        return Ok(());
    };
    for (_, value) in xobjects.iter() {
        let Ok(id) = value.as_reference() else {
            continue;
        };
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        // Any XObject, whatever its /Subtype says: pdf-extract draws each like a form (images
        // were emptied first).
        if done.contains(&id) {
            continue;
        }
        if path.contains(&id) {
            return Err(FormError::Loop(format!(
                "form XObject {} {} draws itself",
                id.0, id.1
            )));
        }
        // Only forms whose content invokes other XObjects can recurse.
        let content = bounded_content(stream, cap)
            .map_err(|_| FormError::Bomb(format!("form XObject {} {}", id.0, id.1)))?;
        if !invokes_xobject(&content) {
            done.insert(id);
            continue;
        }
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        path.push(id);
        // A form without resources of its own uses its caller's (as pdf-extract does).
        let res = own.unwrap_or(inherited);
        visit_forms(doc, res, res, path, done, cap)?;
        path.pop();
        done.insert(id);
    }
    Ok(())
}

/// The `/XObject` dictionary of a resource dictionary, references followed.
pub(crate) fn xobjects<'a>(doc: &'a Document, resources: &'a Dictionary) -> Option<&'a Dictionary> {
    resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
}

/// True when a content stream contains the `Do` operator.
fn invokes_xobject(content: &[u8]) -> bool {
    content.windows(2).enumerate().any(|(i, w)| {
        w == b"Do"
            && (i == 0 || content[i - 1].is_ascii_whitespace() || content[i - 1] == b'/')
            && content
                .get(i + 2)
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Normalises extracted text: no trailing spaces, at most one blank line in a row.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank > 0 {
                out.push('\n');
            }
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

fn info(doc: &Document) -> (Option<String>, Option<String>, Vec<(String, String)>) {
    let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return (None, None, vec![]);
    };
    let text = |key: &[u8]| -> Option<String> {
        match info.get(key).ok().and_then(|o| doc.dereference(o).ok())?.1 {
            Object::String(bytes, _) => {
                let s = decode_pdf_string(bytes);
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_string())
            }
            _ => None,
        }
    };
    let title = text(b"Title");
    let created = text(b"CreationDate").and_then(|d| pdf_date(&d));
    let mut metadata = Vec::new();
    for (key, name) in [
        (&b"Author"[..], "pdf_author"),
        (b"Subject", "pdf_subject"),
        (b"Creator", "pdf_creator"),
        (b"Producer", "pdf_producer"),
    ] {
        if let Some(v) = text(key) {
            metadata.push((name.to_string(), v));
        }
    }
    if let Some(t) = &title {
        metadata.push(("pdf_title".into(), t.clone()));
    }
    (title, created, metadata)
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 with a byte-order mark, else PDFDocEncoding
/// (taken as Latin-1, which it matches for letters).
pub fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// `D:20240131120000+01'00'` → `2024-01-31`, when the date is plausible.
pub fn pdf_date(s: &str) -> Option<String> {
    let digits: String = s
        .trim_start_matches("D:")
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let y: u32 = digits[0..4].parse().ok()?;
    let m: u32 = digits[4..6].parse().ok()?;
    let d: u32 = digits[6..8].parse().ok()?;
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pdf_dates() {
        assert_eq!(
            pdf_date("D:20240131120000+01'00'").as_deref(),
            Some("2024-01-31")
        );
        assert_eq!(pdf_date("D:2024"), None);
        assert_eq!(pdf_date("D:20241399"), None);
    }

    #[test]
    fn decodes_text_strings() {
        assert_eq!(decode_pdf_string(b"\xfe\xff\x00U\x01\x42"), "Uł");
        assert_eq!(decode_pdf_string(b"Umowa"), "Umowa");
    }

    #[test]
    fn finds_the_do_operator() {
        assert!(invokes_xobject(b"q /X1 Do Q"));
        assert!(!invokes_xobject(b"BT (Dom) Tj ET"));
        assert!(!invokes_xobject(b"/Done"));
    }

    #[test]
    fn tidies_text() {
        assert_eq!(tidy("  a  \n\n\n\nb\n"), "  a\n\nb");
    }
}
