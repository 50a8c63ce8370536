//! The image of one page for OCR: the original JPEG, PNG or TIFF page as it is encoded (Leptonica
//! decodes it, palette and bilevel scans included), or, for a PDF page that is one scanned
//! image, that image as it is stored — JPEG data as it is, CCITT G3/G4 data wrapped in a TIFF
//! header, Flate-coded samples as 8-bit grey pixels. Any other PDF page (several images, vector
//! drawings, JBIG2 or JPEG 2000 images) is rendered by poppler's `pdftoppm`, at the resolution
//! of its largest image when it has one. Pixel limits are checked before anything is decoded.

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
    /// A JPEG too large to decode whole, to be decoded at 1/n of its size (2, 4 or 8).
    JpegReduced(Vec<u8>, u32),
}

/// How a page of `w`×`h` pixels is decoded within the memory cap: whole (1), or a JPEG at a half,
/// quarter or eighth of its size; `None` when even that is too large.
fn reduction(w: u32, h: u32, limits: &Limits) -> Option<u32> {
    [1u32, 2, 4, 8]
        .into_iter()
        .find(|r| (w.div_ceil(*r) as u64) * (h.div_ceil(*r) as u64) <= limits.max_decode_pixels)
}

fn over_cap(w: u32, h: u32, limits: &Limits) -> String {
    format!(
        "the page is {w}×{h} pixels, more than OCR decodes at once ({} megapixels); the original \
         is stored — scan it again at a lower resolution to have it read",
        limits.max_decode_pixels / 1_000_000
    )
}

/// A JPEG page, reduced when it is over the decoding cap.
fn jpeg_source(bytes: Vec<u8>, w: u32, h: u32, limits: &Limits) -> Result<PageSource, String> {
    match reduction(w, h, limits) {
        Some(1) => Ok(PageSource::Encoded(bytes, None)),
        Some(r) => Ok(PageSource::JpegReduced(bytes, r)),
        None => Err(over_cap(w, h, limits)),
    }
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
            if media_type == "image/jpeg" {
                return jpeg_source(bytes, w, h, limits);
            }
            if reduction(w, h, limits) != Some(1) {
                return Err(over_cap(w, h, limits));
            }
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
            // Bilevel pages take a bit a pixel: eight times as many fit.
            let bilevel = matches!(dec.colortype(), Ok(tiff::ColorType::Gray(1)));
            let cap = Limits {
                max_decode_pixels: limits.max_decode_pixels * if bilevel { 8 } else { 1 },
                ..limits.clone()
            };
            if reduction(w, h, &cap) != Some(1) {
                return Err(over_cap(w, h, limits));
            }
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
        // Bilevel, rows padded to whole bytes; 0 is black unless the file says otherwise.
        ColorType::Gray(1) => Ok(unpack_bits(data, w, h)),
        ColorType::RGB(8) if data.len() >= n * 3 => Ok(luma(data, 3, n)),
        ColorType::RGBA(8) if data.len() >= n * 4 => Ok(luma(data, 4, n)),
        other => Err(format!("TIFF colour type {other:?} not supported")),
    }
}

/// 1-bit rows (padded to whole bytes, a set bit white) as 8-bit grey: 255 or 0.
pub(crate) fn unpack_bits(data: &[u8], w: u32, h: u32) -> Vec<u8> {
    let row = (w as usize).div_ceil(8);
    let mut out = Vec::with_capacity(w as usize * h as usize);
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
    out
}

/// `/Width` and `/Height` of an image XObject (0 when missing or absurd).
fn image_size(stream: &lopdf::Stream) -> (u32, u32) {
    let dim = |key: &[u8]| {
        let v = stream.dict.get(key).and_then(Object::as_i64).unwrap_or(0);
        u32::try_from(v).unwrap_or(0)
    };
    (dim(b"Width"), dim(b"Height"))
}

/// A page of a PDF: its one image as stored when it is a scan, else rendered.
fn pdf_page(bytes: &[u8], index: usize, limits: &Limits) -> Result<PageSource, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("PDF: {e}"))?;
    pdf_page_of(&doc, index, limits, PdfInput::Bytes(bytes))
}

/// Page `index` (0-based) of an already loaded PDF (`input` is the same PDF, for rendering).
pub(crate) fn pdf_page_of(
    doc: &Document,
    index: usize,
    limits: &Limits,
    input: PdfInput<'_>,
) -> Result<PageSource, String> {
    let pages = doc.get_pages();
    let page = *pages
        .get(&(index as u32 + 1))
        .ok_or_else(|| format!("the PDF has no page {}", index + 1))?;
    let images = page_images(doc, page);
    if let [stream] = images.as_slice() {
        let (w, h) = image_size(stream);
        check(w, h, limits)?;
        match stored_image(stream, w, h)? {
            Some(PageSource::Encoded(jpeg, None)) if is_dct(stream) => {
                return jpeg_source(jpeg, w, h, limits);
            }
            // CCITT is bilevel: a bit a pixel.
            Some(source @ PageSource::Encoded(..))
                if (w as u64 * h as u64) <= limits.max_decode_pixels * 8 =>
            {
                return Ok(source);
            }
            Some(source @ PageSource::Grey(_)) if reduction(w, h, limits) == Some(1) => {
                return Ok(source);
            }
            // Too large to decode whole, or coded in a way not read here: rendered.
            _ => {}
        }
    }
    // Several images, none, or one coded in a way read here: render the page. At the largest
    // image's own resolution when there is one (so a bilevel scan keeps its pixel grid).
    let (pw, ph) = page_size_inches(doc, page);
    let dpi = images
        .iter()
        .map(|s| image_size(s).0 as f64 / pw.max(0.1))
        .fold(0.0, f64::max);
    let dpi = if dpi > 0.0 {
        dpi.clamp(150.0, 600.0)
    } else {
        300.0
    };
    // Keep within the pixel limits.
    let max_dpi = ((limits.max_decode_pixels as f64 / (pw * ph).max(0.01)).sqrt())
        .min(limits.max_side as f64 / pw.max(ph).max(0.1));
    let dpi = dpi.min(max_dpi).max(30.0).round() as u32;
    render(input, index, dpi).map(|png| PageSource::Encoded(png, None))
}

/// The image XObjects a page draws (its own resources, then inherited ones).
fn page_images(doc: &Document, page: lopdf::ObjectId) -> Vec<&lopdf::Stream> {
    let mut out: Vec<&lopdf::Stream> = Vec::new();
    let Ok((resources, ids)) = doc.get_page_resources(page) else {
        return out;
    };
    let mut dicts: Vec<&lopdf::Dictionary> = resources.into_iter().collect();
    dicts.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    for res in dicts {
        let Some(xobjects) = crate::ingest::pdf::xobjects(doc, res) else {
            continue;
        };
        for (_, v) in xobjects.iter() {
            let Ok(id) = v.as_reference() else { continue };
            let Ok(Object::Stream(s)) = doc.get_object(id) else {
                continue;
            };
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
                && !out.iter().any(|o| std::ptr::eq(*o, s))
            {
                out.push(s);
            }
        }
    }
    out
}

/// Width and height of a page in inches (its crop box, else media box; turned by /Rotate).
fn page_size_inches(doc: &Document, page: lopdf::ObjectId) -> (f64, f64) {
    use crate::ingest::pdf::{inherited, page_box};
    let (w, h) = match page_box(doc, page, &[b"CropBox", b"MediaBox"]) {
        Some([x0, y0, x1, y1]) => ((x1 - x0) / 72.0, (y1 - y0) / 72.0),
        None => (8.27, 11.69),
    };
    let rotate = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| inherited(doc, d, b"Rotate"))
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0);
    if rotate.rem_euclid(180) == 90 {
        (h, w)
    } else {
        (w, h)
    }
}

/// The PDF poppler's `pdftoppm` renders: a file, or bytes given on its standard input (an
/// original of an encrypted library, which never lands on disk in the clear).
#[derive(Clone, Copy)]
pub(crate) enum PdfInput<'a> {
    /// A PDF file.
    File(&'a std::path::Path),
    /// A PDF in memory.
    Bytes(&'a [u8]),
}

/// Runs `pdftoppm` with `args` on `input` (`why` it runs, for the error when it cannot); the
/// image it printed, or why there is none.
pub(crate) fn pdftoppm(args: &[&str], input: PdfInput<'_>, why: &str) -> Result<Vec<u8>, String> {
    use std::process::{Command, Stdio};
    let mut cmd = Command::new("pdftoppm");
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = match input {
        PdfInput::File(path) => {
            cmd.arg(path).stdin(Stdio::null());
            cmd.output()
        }
        PdfInput::Bytes(bytes) => {
            cmd.arg("-").stdin(Stdio::piped());
            cmd.spawn().and_then(|mut child| {
                let mut stdin = child.stdin.take().expect("stdin is piped");
                // Written from another thread: pdftoppm may print before it has read everything.
                std::thread::scope(|s| {
                    s.spawn(move || {
                        // pdftoppm stops reading a PDF it cannot use; it says why on stderr.
                        let _ = std::io::Write::write_all(&mut stdin, bytes);
                    });
                    child.wait_with_output()
                })
            })
        }
    }
    .map_err(|e| format!("pdftoppm (Debian package poppler-utils) cannot run {why}: {e}"))?;
    if !out.status.success() || out.stdout.is_empty() {
        return Err(format!(
            "the page cannot be rendered: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// Renders page `index` of the PDF `input` to a grey PNG with poppler's `pdftoppm`.
fn render(input: PdfInput<'_>, index: usize, dpi: u32) -> Result<Vec<u8>, String> {
    let n = (index + 1).to_string();
    let dpi = dpi.to_string();
    pdftoppm(
        &[
            "-f",
            &n,
            "-l",
            &n,
            "-r",
            &dpi,
            "-gray",
            "-png",
            "-singlefile",
        ],
        input,
        "to render the page for OCR",
    )
}

/// The stream's filters, in order (a single name or an array of them).
fn filters(stream: &lopdf::Stream) -> Vec<Vec<u8>> {
    match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => vec![],
    }
}

fn is_dct(stream: &lopdf::Stream) -> bool {
    filters(stream) == [b"DCTDecode".to_vec()]
}

/// A page's one image as stored, when it is coded in a way read here; `None` to render.
fn stored_image(stream: &lopdf::Stream, w: u32, h: u32) -> Result<Option<PageSource>, String> {
    let filters = filters(stream);
    let filters: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
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
    match filters.as_slice() {
        [b"DCTDecode"] => Ok(Some(PageSource::Encoded(stream.content.clone(), None))),
        [b"CCITTFaxDecode"] => {
            let parms = match stream.dict.get(b"DecodeParms") {
                Ok(Object::Dictionary(d)) => Some(d),
                Ok(Object::Array(a)) => a.first().and_then(|o| o.as_dict().ok()),
                _ => None,
            };
            let get = |k: &[u8]| parms.and_then(|p| p.get(k).ok());
            let k = get(b"K").and_then(|o| o.as_i64().ok()).unwrap_or(0);
            let black_is_1 = get(b"BlackIs1")
                .and_then(|o| o.as_bool().ok())
                .unwrap_or(false);
            let aligned = get(b"EncodedByteAlign")
                .and_then(|o| o.as_bool().ok())
                .unwrap_or(false);
            let inverted = matches!(stream.dict.get(b"Decode"), Ok(Object::Array(a))
                if a.first().and_then(|o| o.as_float().ok()) == Some(1.0));
            if aligned {
                return Ok(None);
            }
            Ok(Some(PageSource::Encoded(
                ccitt_tiff(&stream.content, w, h, k, black_is_1 != inverted),
                None,
            )))
        }
        [] | [b"FlateDecode"] => {
            let colour = match (cs.as_slice(), bpc) {
                (b"DeviceGray", 8) => tiff::ColorType::Gray(8),
                (b"DeviceGray", 1) => tiff::ColorType::Gray(1),
                (b"DeviceRGB", 8) => tiff::ColorType::RGB(8),
                // Indexed, ICC-based, CMYK…: the renderer knows them.
                _ => return Ok(None),
            };
            if stream.dict.get(b"DecodeParms").is_ok() {
                // Predictors: leave them to the renderer.
                return Ok(None);
            }
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
            Ok(Some(PageSource::Grey(PageImage {
                pixels: to_grey(&raw, w, h, colour)?,
                width: w,
                height: h,
                dpi: None,
            })))
        }
        // JBIG2, JPEG 2000, chains of filters: rendered.
        _ => Ok(None),
    }
}

/// CCITT fax data as a one-strip TIFF Leptonica reads: Group 4 (`k` < 0), or Group 3 one- or
/// two-dimensional. With `black_is_1` the decoded 1 bits are black in the PDF's sense.
fn ccitt_tiff(data: &[u8], w: u32, h: u32, k: i64, black_is_1: bool) -> Vec<u8> {
    let compression: u32 = if k < 0 { 4 } else { 3 };
    // PDF's default (BlackIs1 false) is the fax convention, TIFF's WhiteIsZero.
    let photometric: u32 = if black_is_1 { 1 } else { 0 };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, w),
        (257, 4, h),
        (258, 3, 1),
        (259, 3, compression),
        (262, 3, photometric),
        (273, 4, 0), // strip offset, set below
        (277, 3, 1),
        (278, 4, h),
        (279, 4, data.len() as u32),
    ];
    if compression == 3 && k > 0 {
        entries.push((292, 4, 1)); // T4Options: two-dimensional coding
    }
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_at = 8 + ifd_len as u32;
    let mut out = Vec::with_capacity(data_at as usize + data.len());
    out.extend(b"II*\0");
    out.extend(8u32.to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_at } else { value };
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        if kind == 3 {
            out.extend((value as u16).to_le_bytes());
            out.extend([0, 0]);
        } else {
            out.extend(value.to_le_bytes());
        }
    }
    out.extend(0u32.to_le_bytes());
    out.extend(data);
    out
}
