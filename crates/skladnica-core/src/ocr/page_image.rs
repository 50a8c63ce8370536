//! The image of one page for OCR: the original JPEG, PNG or TIFF page as it is encoded (Leptonica
//! decodes it, palette and bilevel scans included), or the largest image of an image-only PDF
//! page — JPEG data as it is, Flate-coded samples as 8-bit grey pixels. Pixel limits are checked
//! from the headers before anything is decoded.

use std::io::Cursor;

use lopdf::{Document, Object};

use crate::ingest::Limits;

/// A decoded page image.
pub struct PageImage {
    /// Grey pixels, row by row.
    pub pixels: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution, when the file says.
    pub dpi: Option<u32>,
}

fn check(w: u32, h: u32, limits: &Limits) -> Result<(), String> {
    crate::ingest::image::check_pixels(w, h, limits).map_err(|r| r.to_string())
}

/// A page image ready for the OCR engine.
pub enum PageSource {
    /// An encoded image file (and the page of a multi-page TIFF).
    Encoded(Vec<u8>, Option<usize>),
    /// Decoded grey pixels.
    Grey(PageImage),
}

/// The `index`-th (0-based) page image of a file of `media_type`.
pub fn load(
    bytes: Vec<u8>,
    media_type: &str,
    index: usize,
    limits: &Limits,
) -> Result<PageSource, String> {
    match media_type {
        "image/jpeg" | "image/png" => {
            let (w, h) = image::ImageReader::new(Cursor::new(&bytes))
                .with_guessed_format()
                .map_err(|e| e.to_string())?
                .into_dimensions()
                .map_err(|e| e.to_string())?;
            check(w, h, limits)?;
            Ok(PageSource::Encoded(bytes, None))
        }
        "image/tiff" => {
            let mut dec = tiff::decoder::Decoder::new(Cursor::new(&bytes))
                .map_err(|e| format!("TIFF: {e}"))?;
            for _ in 0..index {
                dec.next_image().map_err(|e| format!("TIFF: {e}"))?;
            }
            let (w, h) = dec.dimensions().map_err(|e| format!("TIFF: {e}"))?;
            check(w, h, limits)?;
            drop(dec);
            Ok(PageSource::Encoded(bytes, Some(index)))
        }
        "application/pdf" => pdf_page(&bytes, index, limits),
        other => Err(format!("no page images in {other} files")),
    }
}

/// Grey values of `n` colour pixels of `channels` bytes each (ITU-R 601 weights).
pub(crate) fn luma(data: &[u8], channels: usize, n: usize) -> Vec<u8> {
    data.chunks_exact(channels)
        .take(n)
        .map(|p| ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8)
        .collect()
}

fn to_grey(data: &[u8], w: u32, h: u32, colour: tiff::ColorType) -> Result<Vec<u8>, String> {
    use tiff::ColorType;
    let n = w as usize * h as usize;
    match colour {
        ColorType::Gray(8) if data.len() >= n => Ok(data[..n].to_vec()),
        ColorType::Gray(1) => {
            // Bilevel, rows padded to whole bytes; 0 is black unless the file says otherwise.
            let row = (w as usize).div_ceil(8);
            let mut out = Vec::with_capacity(n);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let byte = data.get(y * row + x / 8).copied().unwrap_or(0);
                    out.push(if byte & (0x80 >> (x % 8)) != 0 {
                        255
                    } else {
                        0
                    });
                }
            }
            Ok(out)
        }
        ColorType::RGB(8) if data.len() >= n * 3 => Ok(luma(data, 3, n)),
        ColorType::RGBA(8) if data.len() >= n * 4 => Ok(luma(data, 4, n)),
        other => Err(format!("TIFF colour type {other:?} not supported")),
    }
}

/// `/Width` and `/Height` of an image XObject (0 when missing or absurd).
fn image_size(stream: &lopdf::Stream) -> (u32, u32) {
    let dim = |key: &[u8]| {
        let v = stream.dict.get(key).and_then(Object::as_i64).unwrap_or(0);
        u32::try_from(v).unwrap_or(0)
    };
    (dim(b"Width"), dim(b"Height"))
}

/// The largest image of PDF page `index`.
fn pdf_page(bytes: &[u8], index: usize, limits: &Limits) -> Result<PageSource, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("PDF: {e}"))?;
    let pages = doc.get_pages();
    let page = *pages
        .get(&(index as u32 + 1))
        .ok_or_else(|| format!("the PDF has no page {}", index + 1))?;
    let mut best: Option<(u64, &lopdf::Stream)> = None;
    let (resources, ids) = doc.get_page_resources(page).map_err(|e| e.to_string())?;
    let mut dicts: Vec<&lopdf::Dictionary> = resources.into_iter().collect();
    dicts.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    for res in dicts {
        let Some(xobjects) = crate::ingest::pdf::xobjects(&doc, res) else {
            continue;
        };
        for (_, v) in xobjects.iter() {
            let Ok(id) = v.as_reference() else { continue };
            let Ok(Object::Stream(s)) = doc.get_object(id) else {
                continue;
            };
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
                continue;
            }
            let (w, h) = image_size(s);
            let area = w as u64 * h as u64;
            if best.is_none_or(|(best_area, _)| area > best_area) {
                best = Some((area, s));
            }
        }
    }
    let (_, stream) = best.ok_or("the page has no image to read")?;
    let (w, h) = image_size(stream);
    check(w, h, limits)?;
    let filters: Vec<Vec<u8>> = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => vec![],
    };
    match filters
        .iter()
        .map(Vec::as_slice)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [b"DCTDecode"] => Ok(PageSource::Encoded(stream.content.clone(), None)),
        [] | [b"FlateDecode"] => {
            let raw = if filters.is_empty() {
                stream.content.clone()
            } else {
                use std::io::Read;
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&stream.content[..])
                    .take(w as u64 * h as u64 * 3 + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("the page image's data is damaged: {e}"))?;
                out
            };
            let bpc = stream
                .dict
                .get(b"BitsPerComponent")
                .and_then(Object::as_i64)
                .unwrap_or(8);
            let cs = stream
                .dict
                .get(b"ColorSpace")
                .and_then(Object::as_name)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            let colour = match (cs.as_slice(), bpc) {
                (b"DeviceGray", 8) => tiff::ColorType::Gray(8),
                (b"DeviceGray", 1) => tiff::ColorType::Gray(1),
                (b"DeviceRGB", 8) => tiff::ColorType::RGB(8),
                _ => {
                    return Err(format!(
                        "page images in colour space {} at {bpc} bits are not read yet",
                        String::from_utf8_lossy(&cs)
                    ));
                }
            };
            Ok(PageSource::Grey(PageImage {
                pixels: to_grey(&raw, w, h, colour)?,
                width: w,
                height: h,
                dpi: None,
            }))
        }
        other => Err(format!(
            "page images coded with {} are not read yet",
            other
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
