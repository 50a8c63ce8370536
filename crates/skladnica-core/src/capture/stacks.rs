//! Scanned stacks that arrive as files: a network scanner's "scan to folder" puts a whole feeder
//! load in one multi-page TIFF or PDF. With separation on, such a file is split like a stack from
//! a scanner (separator sheets, blank pages) into one file per document before import — TIFF
//! pages into new lossless TIFFs, PDF pages into PDFs of the same pages (nothing re-encoded); a
//! file with nothing to split is imported as it is, untouched.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tiff::decoder::{Decoder, DecodingResult};

use super::Stack;
use super::separate::Separation;
use crate::ingest::detect::{FileKind, sniff};

/// How one stack file was split.
#[derive(Debug, Clone, Serialize)]
pub struct StackSplit {
    /// The stack file.
    pub source: String,
    /// Pages in it.
    pub pages: usize,
    /// Separator sheets found (and left out).
    pub separators: usize,
    /// Blank pages left out.
    pub blank_pages: usize,
    /// The documents made, with their page counts.
    pub parts: Vec<(PathBuf, usize)>,
}

/// Splits `path` into documents in `work` (a folder of its own). `Ok(None)`: nothing to split
/// (not a multi-page TIFF, or one document with no page left out).
pub fn split_file(
    path: &Path,
    sep: &Separation,
    work: &Path,
) -> Result<Option<StackSplit>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    match sniff(&bytes) {
        Some(FileKind::Tiff) => {}
        Some(FileKind::Pdf) => return split_pdf(path, bytes, sep, work),
        _ => return Ok(None),
    }
    let err = |e: tiff::TiffError| format!("TIFF: {e}");
    let mut dec = Decoder::new(Cursor::new(&bytes)).map_err(err)?;
    if !dec.more_images() {
        return Ok(None);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stos".into());
    let mut stack = Stack::new(work.to_path_buf(), stem, sep).map_err(|e| e.to_string())?;
    loop {
        let page =
            decode_page(&mut dec).map_err(|e| format!("page {}: {e}", stack.pages_seen + 1))?;
        stack.push(&page).map_err(|e| e.to_string())?;
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(err)?;
    }
    let (pages, separators, blank) = (stack.pages_seen, stack.separators, stack.blank);
    let parts = stack.finish().map_err(|e| e.to_string())?;
    if parts.len() == 1 && separators == 0 && blank == 0 {
        for (p, _) in &parts {
            let _ = std::fs::remove_file(p);
        }
        return Ok(None);
    }
    Ok(Some(StackSplit {
        source: crate::ingest::display_path(path),
        pages,
        separators,
        blank_pages: blank,
        parts,
    }))
}

/// The current TIFF page as 8-bit grey or RGB samples.
fn decode_page(dec: &mut Decoder<Cursor<&Vec<u8>>>) -> Result<skladnica_scan::Page, String> {
    use tiff::ColorType as C;
    use tiff::tags::Tag;
    let (width, height) = dec.dimensions().map_err(|e| e.to_string())?;
    let n = width as usize * height as usize;
    // Decoded whole: within the decoding cap.
    let cap = crate::ingest::Limits::default().max_decode_pixels;
    if n as u64 > cap {
        return Err(format!(
            "{width}×{height} pixels, more than is decoded at once ({} megapixels)",
            cap / 1_000_000
        ));
    }
    let dpi = match dec.find_tag(Tag::XResolution).ok().flatten() {
        Some(tiff::decoder::ifd::Value::Rational(a, b)) if b > 0 && a / b >= 50 => a / b,
        _ => 300,
    };
    let colour = dec.colortype().map_err(|e| e.to_string())?;
    let samples = match dec.read_image().map_err(|e| e.to_string())? {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
        _ => return Err("sample format not supported".into()),
    };
    let (pixels, channels, bilevel) = match colour {
        C::Gray(8) | C::Gray(16) => (samples, 1, false),
        C::Gray(1) => (crate::ocr::unpack_bits(&samples, width, height), 1, true),
        C::RGB(8) | C::RGB(16) => (samples, 3, false),
        C::RGBA(8) => (
            samples
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
            3,
            false,
        ),
        other => return Err(format!("colour type {other:?} not supported")),
    };
    if pixels.len() < n * channels {
        return Err("the page data is incomplete".into());
    }
    Ok(skladnica_scan::Page {
        width,
        height,
        dpi,
        pixels,
        channels: channels as u8,
        bilevel,
    })
}

/// A PDF stack: pages classified from their images, documents written as PDFs of their pages.
fn split_pdf(
    path: &Path,
    bytes: Vec<u8>,
    sep: &Separation,
    work: &Path,
) -> Result<Option<StackSplit>, String> {
    use super::separate::{BlankPages, PageRole, classify};
    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| format!("PDF: {e}"))?;
    let n = doc.get_pages().len() as u32;
    if n < 2 {
        return Ok(None);
    }
    let limits = crate::ingest::Limits::default();
    let (mut groups, mut current) = (Vec::<Vec<u32>>::new(), Vec::new());
    let (mut separators, mut blank) = (0, 0);
    for page in 1..=n {
        // A page whose image cannot be had is kept as a page: nothing is lost to separation.
        let role = page_grey(&doc, page, &limits, path)
            .map(|(grey, w, h)| classify(&grey, w, h, (w as f64 / 8.27).round() as u32, sep))
            .unwrap_or(PageRole::Content);
        let close = match role {
            PageRole::Separator(_) => {
                separators += 1;
                true
            }
            PageRole::Blank => {
                blank += 1;
                sep.blank == BlankPages::Split
            }
            PageRole::Content => {
                current.push(page);
                false
            }
        };
        if close && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    if groups.len() == 1 && separators == 0 && blank == 0 {
        return Ok(None);
    }
    std::fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stos".into());
    let mut parts = Vec::new();
    for (k, group) in groups.iter().enumerate() {
        let mut part = doc.clone();
        let others: Vec<u32> = (1..=n).filter(|p| !group.contains(p)).collect();
        part.delete_pages(&others);
        part.prune_objects();
        let out = work.join(format!("{stem} nr {}.pdf", k + 1));
        part.save(&out)
            .map_err(|e| format!("{}: {e}", out.display()))?;
        parts.push((out, group.len()));
    }
    Ok(Some(StackSplit {
        source: crate::ingest::display_path(path),
        pages: n as usize,
        separators,
        blank_pages: blank,
        parts,
    }))
}

/// Page `page` (1-based) of a PDF as grey pixels, for classifying it.
fn page_grey(
    doc: &lopdf::Document,
    page: u32,
    limits: &crate::ingest::Limits,
    path: &Path,
) -> Option<(Vec<u8>, u32, u32)> {
    use crate::ocr::PageSource;
    match crate::ocr::pdf_page_of(
        doc,
        page as usize - 1,
        limits,
        crate::ocr::PdfInput::File(path),
    )
    .ok()?
    {
        PageSource::Encoded(encoded, _) => {
            let img = image::load_from_memory(&encoded).ok()?.to_luma8();
            let (w, h) = img.dimensions();
            Some((img.into_raw(), w, h))
        }
        PageSource::Grey(img) => Some((img.pixels, img.width, img.height)),
        // Pages too large to decode whole are not separator sheets.
        PageSource::JpegReduced(..) => None,
    }
}
