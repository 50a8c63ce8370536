//! Scanned stacks that arrive as files: a network scanner's "scan to folder" puts a whole feeder
//! load in one multi-page TIFF. With separation on, such a file is split like a stack from a
//! scanner (separator sheets, blank pages) into one file per document before import; a file
//! with nothing to split is imported as it is, untouched.

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
    if sniff(&bytes) != Some(FileKind::Tiff) {
        return Ok(None);
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
