//! Page images for viewers: one page of a document as a JPEG no larger than asked, turned
//! upright the way OCR read it, and the OCR words of that page with their boxes as fractions of
//! the image, so a viewer can highlight a search hit on the page.
//!
//! Image files (JPEG, PNG, TIFF pages) are decoded here and scaled down; PDF pages are rendered by
//! poppler's `pdftoppm`. Pixel limits are checked before anything is decoded.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::blobs::BlobStore;
use crate::error::{Error, Result};
use crate::ingest::Limits;
use crate::library::Library;
use crate::ocr::{PdfInput, pdftoppm};

/// A page ready to show.
#[derive(Debug, Clone)]
pub struct PagePreview {
    /// JPEG data.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// One OCR word on a page, its box in fractions (0–1) of the upright page.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordBox {
    /// The word as read.
    pub text: String,
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// Where a page's image is: found with the library open, rendered without it
/// ([`render`]), so a slow page does not hold up other readers.
#[derive(Debug, Clone)]
pub struct PageLocation {
    id: i64,
    page: i64,
    sha256: String,
    media_type: String,
    index_in_file: usize,
    rotation: u32,
}

/// Finds page `page` (1-based) of document `id`.
pub fn locate(lib: &Library, id: i64, page: i64) -> Result<PageLocation> {
    let ctx = |e| Error::sqlite(format!("reading page {page} of document {id}"), e);
    let row = lib
        .conn()
        .query_row(
            "SELECT f.sha256, f.media_type,
                    (SELECT COUNT(*) FROM pages q WHERE q.file_id = p.file_id AND q.number < p.number),
                    COALESCE(p.ocr_rotation, 0)
             FROM pages p JOIN files f ON f.id = p.file_id
             WHERE p.document_id = ?1 AND p.number = ?2",
            [id, page],
            |r| {
                Ok(PageLocation {
                    id,
                    page,
                    sha256: r.get(0)?,
                    media_type: r.get(1)?,
                    index_in_file: r.get::<_, i64>(2)? as usize,
                    rotation: r.get::<_, i64>(3)?.rem_euclid(360) as u32,
                })
            },
        )
        .optional()
        .map_err(ctx)?;
    match row {
        Some(r) => Ok(r),
        None if crate::db::documents::exists(lib.conn(), id)? => {
            Err(Error::NotFound(format!("document {id} has no page {page}")))
        }
        None => Err(Error::NoDocument(id)),
    }
}

/// Page `page` (1-based) of document `id` as a JPEG whose longer side is at most `max_side`
/// pixels, turned upright as OCR read it.
pub fn page_preview(lib: &Library, id: i64, page: i64, max_side: u32) -> Result<PagePreview> {
    render(lib.blobs(), &locate(lib, id, page)?, max_side)
}

/// Renders a located page: a JPEG whose longer side is at most `max_side` pixels.
pub fn render(blobs: &BlobStore, src: &PageLocation, max_side: u32) -> Result<PagePreview> {
    let max_side = max_side.clamp(64, 4096);
    let path = blobs.path(&src.sha256);
    let what = || format!("page {} of document {}", src.page, src.id);
    let img = match src.media_type.as_str() {
        // An encrypted original goes to pdftoppm through a pipe, never as a clear file.
        "application/pdf" if blobs.is_encrypted() => {
            let bytes = blobs.read(&src.sha256)?;
            render_pdf(PdfInput::Bytes(&bytes), src.index_in_file, max_side)
                .map_err(|e| Error::Invalid(format!("{}: {e}", what())))?
        }
        "application/pdf" => render_pdf(PdfInput::File(&path), src.index_in_file, max_side)
            .map_err(|e| Error::Invalid(format!("{}: {e}", what())))?,
        _ => {
            let bytes = blobs.read(&src.sha256)?;
            decode_image(
                &bytes,
                &src.media_type,
                src.index_in_file,
                &Limits::default(),
            )
            .map_err(|e| Error::Invalid(format!("{}: {e}", what())))?
        }
    };
    let img = if img.width().max(img.height()) > max_side {
        img.thumbnail(max_side, max_side)
    } else {
        img
    };
    let img = match src.rotation {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => img,
    };
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let mut jpeg = Vec::new();
    rgb.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .map_err(|e| Error::Invalid(format!("{}: encoding the preview: {e}", what())))?;
    Ok(PagePreview {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

fn decode_image(
    bytes: &[u8],
    media_type: &str,
    index: usize,
    limits: &Limits,
) -> std::result::Result<DynamicImage, String> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if media_type == "image/tiff" && index > 0 {
        return tiff_page(bytes, index, limits);
    }
    let (w, h) = reader.into_dimensions().map_err(|e| e.to_string())?;
    crate::ingest::image::check_pixels(w, h, limits).map_err(|r| r.to_string())?;
    if (w as u64) * (h as u64) > limits.max_decode_pixels {
        return Err(format!(
            "the page is {w}×{h} pixels, more than can be shown ({} megapixels at most)",
            limits.max_decode_pixels / 1_000_000
        ));
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.no_limits();
    reader.decode().map_err(|e| e.to_string())
}

/// Page `index` of a multi-page TIFF.
fn tiff_page(
    bytes: &[u8],
    index: usize,
    limits: &Limits,
) -> std::result::Result<DynamicImage, String> {
    use tiff::decoder::{Decoder, DecodingResult};
    let mut dec = Decoder::new(Cursor::new(bytes)).map_err(|e| format!("TIFF: {e}"))?;
    for _ in 0..index {
        dec.next_image().map_err(|e| format!("TIFF: {e}"))?;
    }
    let (w, h) = dec.dimensions().map_err(|e| format!("TIFF: {e}"))?;
    if (w as u64) * (h as u64) > limits.max_decode_pixels {
        return Err(format!(
            "the page is {w}×{h} pixels, more than can be shown"
        ));
    }
    let colour = dec.colortype().map_err(|e| format!("TIFF: {e}"))?;
    let data = match dec.read_image().map_err(|e| format!("TIFF: {e}"))? {
        DecodingResult::U8(d) => d,
        _ => return Err("TIFF: only 8-bit and bilevel pages can be shown".into()),
    };
    let grey = match colour {
        tiff::ColorType::Gray(8) => data,
        tiff::ColorType::Gray(1) => {
            let row = (w as usize).div_ceil(8);
            (0..h as usize)
                .flat_map(|y| {
                    let data = &data;
                    (0..w as usize).map(move |x| {
                        if data[y * row + x / 8] & (0x80 >> (x % 8)) != 0 {
                            255
                        } else {
                            0
                        }
                    })
                })
                .collect()
        }
        tiff::ColorType::RGB(8) => crate::ocr::luma(&data, 3, (w * h) as usize),
        tiff::ColorType::RGBA(8) => crate::ocr::luma(&data, 4, (w * h) as usize),
        other => return Err(format!("TIFF: pages of type {other:?} cannot be shown")),
    };
    image::GrayImage::from_raw(w, h, grey)
        .map(DynamicImage::ImageLuma8)
        .ok_or_else(|| "TIFF: the page's data is shorter than its size".into())
}

/// Renders page `index` of the PDF `input` with `pdftoppm`, its longer side `max_side` pixels.
fn render_pdf(
    input: PdfInput<'_>,
    index: usize,
    max_side: u32,
) -> std::result::Result<DynamicImage, String> {
    let n = (index + 1).to_string();
    let side = max_side.to_string();
    let jpeg = pdftoppm(
        &[
            "-f",
            &n,
            "-l",
            &n,
            "-scale-to",
            &side,
            "-jpeg",
            "-singlefile",
        ],
        input,
        "to show the page",
    )?;
    image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg).map_err(|e| e.to_string())
}

/// The OCR words of page `page` of document `id` with their boxes (none for pages with a text
/// layer of their own or not yet read).
pub fn page_words(lib: &Library, id: i64, page: i64) -> Result<Vec<WordBox>> {
    let ctx = |e| {
        Error::sqlite(
            format!("reading the words of page {page} of document {id}"),
            e,
        )
    };
    let row: Option<(Option<String>, Option<i64>, Option<i64>)> = lib
        .conn()
        .query_row(
            "SELECT ocr_words, ocr_image_width, ocr_image_height FROM pages
             WHERE document_id = ?1 AND number = ?2",
            [id, page],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(ctx)?;
    let Some((Some(json), Some(w), Some(h))) = row else {
        return Ok(vec![]);
    };
    if w <= 0 || h <= 0 {
        return Ok(vec![]);
    }
    let (w, h) = (w as f64, h as f64);
    let Ok(serde_json::Value::Array(words)) = serde_json::from_str::<serde_json::Value>(&json)
    else {
        return Ok(vec![]);
    };
    Ok(words
        .iter()
        .filter_map(|v| {
            let a = v.as_array()?;
            let n = |i: usize| a.get(i).and_then(serde_json::Value::as_f64);
            let text = a.first()?.as_str()?.trim();
            if text.is_empty() {
                return None;
            }
            Some(WordBox {
                text: text.to_string(),
                left: (n(2)? / w) as f32,
                top: (n(3)? / h) as f32,
                width: (n(4)? / w) as f32,
                height: (n(5)? / h) as f32,
            })
        })
        .collect())
}

/// The OCR words of a page that match any word of `query` in some inflected form (the way the
/// search matches them), for highlighting a hit on the page image.
pub fn matching_words(lib: &Library, id: i64, page: i64, query: &str) -> Result<Vec<WordBox>> {
    let wanted: std::collections::HashSet<String> = query
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains(':'))
        .flat_map(|w| word_keys(w.trim_matches('"')))
        .collect();
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    Ok(page_words(lib, id, page)?
        .into_iter()
        .filter(|b| word_keys(&b.text).iter().any(|k| wanted.contains(k)))
        .collect())
}

/// The lemmas of the words of `text`, lower case and without Polish letters.
fn word_keys(text: &str) -> Vec<String> {
    skladnica_polish::words(text)
        .flat_map(|(from, to)| {
            let lower = text[from..to].to_lowercase();
            let mut keys: Vec<String> = skladnica_polish::lemmas(&lower)
                .iter()
                .map(|l| skladnica_polish::fold_diacritics(l))
                .collect();
            keys.push(skladnica_polish::fold_diacritics(&lower));
            keys
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::library_with_scan;

    #[test]
    fn a_page_is_shown_no_larger_than_asked() {
        let (_dir, lib, id) = library_with_scan(1200, 1700);
        let p = page_preview(&lib, id, 1, 400).unwrap();
        assert_eq!((p.width, p.height), (282, 400));
        assert_eq!(&p.jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
        // A page smaller than asked keeps its size.
        let p = page_preview(&lib, id, 1, 4000).unwrap();
        assert_eq!((p.width, p.height), (1200, 1700));
    }

    #[test]
    fn a_missing_page_or_document_is_named() {
        let (_dir, lib, id) = library_with_scan(50, 70);
        match page_preview(&lib, id, 2, 400) {
            Err(Error::NotFound(m)) => assert_eq!(m, format!("document {id} has no page 2")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            page_preview(&lib, 999, 1, 400),
            Err(Error::NoDocument(999))
        ));
        // A page not read by OCR has no word boxes.
        assert!(page_words(&lib, id, 1).unwrap().is_empty());
        assert!(matching_words(&lib, id, 1, "umowa").unwrap().is_empty());
    }

    #[test]
    fn inflected_forms_share_keys() {
        let keys = word_keys("umowy");
        assert!(word_keys("umową").iter().any(|k| keys.contains(k)));
        assert!(word_keys("UMOWA").iter().any(|k| keys.contains(k)));
        assert!(!word_keys("aneks").iter().any(|k| keys.contains(k)));
    }
}
