//! Checking scanned images (JPEG, PNG, multi-page TIFF) without decoding their pixels.
//!
//! Import only needs each page's size and an assurance that the file is whole; decoding is the
//! OCR stage's job. So the structure is walked instead: JPEG markers up to the end-of-image,
//! PNG chunks with their CRCs up to `IEND`, TIFF directories with the extent of their strips or
//! tiles. Pixel counts are checked against the limit before anything is allocated for them.

use std::io::Cursor;

use crate::error::Rejection;
use crate::ingest::Limits;
use crate::ingest::detect::FileKind;

/// Width and height of each page of an image file.
pub fn pages(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<Vec<(u32, u32)>, Rejection> {
    let pages = match kind {
        FileKind::Jpeg => {
            let info = jpeg(bytes)?;
            vec![(info.width, info.height)]
        }
        FileKind::Png => {
            let info = png(bytes)?;
            vec![(info.width, info.height)]
        }
        FileKind::Tiff => tiff(bytes, limits)?,
        FileKind::Pdf => unreachable!("PDFs are read by the pdf module"),
    };
    for &(w, h) in &pages {
        check_pixels(w, h, limits)?;
    }
    Ok(pages)
}

/// Refuses a page over the pixel limits, before anything is allocated for it.
pub(crate) fn check_pixels(w: u32, h: u32, limits: &Limits) -> Result<(), Rejection> {
    let pixels = w as u64 * h as u64;
    if pixels > limits.max_pixels || w > limits.max_side || h > limits.max_side {
        return Err(Rejection::ImageTooLarge {
            width: w as u64,
            height: h as u64,
            limit: limits.max_pixels,
            side_limit: limits.max_side as u64,
        });
    }
    if w == 0 || h == 0 {
        return Err(Rejection::Damaged(format!("the image is {w}×{h} pixels")));
    }
    Ok(())
}

fn damaged(what: &str) -> Rejection {
    Rejection::Damaged(what.to_string())
}

/// What a JPEG's headers say.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JpegInfo {
    pub width: u32,
    pub height: u32,
    /// Colour components (1 grey, 3 YCbCr/RGB, 4 CMYK).
    pub components: u8,
    /// Pixels per inch from the JFIF header, when it gives them.
    pub dpi: Option<u32>,
    /// An Adobe APP14 marker is present (Adobe CMYK JPEGs store inverted values).
    pub adobe: bool,
}

/// Walks JPEG markers: the frame header gives the size; the scan must reach an EOI marker.
pub(crate) fn jpeg(b: &[u8]) -> Result<JpegInfo, Rejection> {
    let mut i = 2;
    let mut size = None;
    let mut info = JpegInfo::default();
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Err(damaged("a JPEG marker is missing"));
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD9 {
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if len < 2 || i + 2 + len > b.len() {
            return Err(damaged("the JPEG ends inside a header segment"));
        }
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            // Length (2), precision (1), height (2), width (2), components (1).
            if len < 8 {
                return Err(damaged("the JPEG frame header is too short"));
            }
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            size = Some((w, h));
            info.components = b[i + 9];
        }
        let seg = &b[i + 4..i + 2 + len];
        if marker == 0xE0 && seg.len() >= 12 && seg.starts_with(b"JFIF\0") {
            // Units (1 = per inch, 2 = per cm), then the horizontal density.
            let density = u16::from_be_bytes([seg[8], seg[9]]) as u32;
            info.dpi = match seg[7] {
                1 if density > 1 => Some(density),
                2 if density > 1 => Some((density as f64 * 2.54).round() as u32),
                _ => None,
            };
        }
        if marker == 0xEE && seg.starts_with(b"Adobe") {
            info.adobe = true;
        }
        if marker == 0xDA {
            // Entropy-coded data follows; the image must end with an EOI marker.
            let tail = &b[b.len().saturating_sub(1 << 16)..];
            if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
                return Err(damaged("the JPEG is truncated (no end-of-image marker)"));
            }
            let (width, height) = size.ok_or_else(|| damaged("the JPEG has no frame header"))?;
            return Ok(JpegInfo {
                width,
                height,
                ..info
            });
        }
        i += 2 + len;
    }
    Err(damaged("the JPEG is truncated before its image data"))
}

/// A PNG's size and its chunks (kind and data), in order.
pub(crate) struct PngInfo<'a> {
    pub width: u32,
    pub height: u32,
    pub chunks: Vec<([u8; 4], &'a [u8])>,
}

/// Walks PNG chunks, checking each CRC, up to `IEND`.
pub(crate) fn png(b: &[u8]) -> Result<PngInfo<'_>, Rejection> {
    let mut i = 8;
    let mut size = None;
    let mut chunks = Vec::new();
    loop {
        if i + 12 > b.len() {
            return Err(damaged("the PNG is truncated (no IEND chunk)"));
        }
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let kind = &b[i + 4..i + 8];
        if len > b.len() || i + 12 + len > b.len() {
            return Err(damaged("the PNG is truncated inside a chunk"));
        }
        let data = &b[i + 8..i + 8 + len];
        let crc = u32::from_be_bytes(b[i + 8 + len..i + 12 + len].try_into().expect("4 bytes"));
        if crc32(&b[i + 4..i + 8 + len]) != crc {
            return Err(damaged(&format!(
                "the PNG chunk {} is corrupt (CRC mismatch)",
                String::from_utf8_lossy(kind)
            )));
        }
        if kind == b"IHDR" && len >= 8 {
            let w = u32::from_be_bytes(data[0..4].try_into().expect("4 bytes"));
            let h = u32::from_be_bytes(data[4..8].try_into().expect("4 bytes"));
            size = Some((w, h));
        }
        if kind == b"IEND" {
            let (width, height) = size.ok_or_else(|| damaged("the PNG has no IHDR chunk"))?;
            return Ok(PngInfo {
                width,
                height,
                chunks,
            });
        }
        chunks.push((kind.try_into().expect("4 bytes"), data));
        i += 12 + len;
    }
}

fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (n, slot) in t.iter_mut().enumerate() {
            let mut c = n as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut c = 0xFFFF_FFFFu32;
    for &byte in data {
        c = table[((c ^ byte as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// Reads every TIFF directory: size, and the strips or tiles must lie inside the file.
fn tiff(b: &[u8], limits: &Limits) -> Result<Vec<(u32, u32)>, Rejection> {
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;
    let err = |e: tiff::TiffError| damaged(&format!("TIFF: {e}"));
    let mut dec = Decoder::new(Cursor::new(b)).map_err(err)?;
    let mut pages = Vec::new();
    loop {
        let (w, h) = dec.dimensions().map_err(err)?;
        check_pixels(w, h, limits)?;
        let (offsets, counts) = match dec.get_tag_u64_vec(Tag::StripOffsets) {
            Ok(o) => (o, dec.get_tag_u64_vec(Tag::StripByteCounts).map_err(err)?),
            Err(_) => (
                dec.get_tag_u64_vec(Tag::TileOffsets).map_err(err)?,
                dec.get_tag_u64_vec(Tag::TileByteCounts).map_err(err)?,
            ),
        };
        if offsets.len() != counts.len() {
            return Err(damaged("TIFF strip offsets and sizes do not match"));
        }
        for (o, c) in offsets.iter().zip(&counts) {
            if o.saturating_add(*c) > b.len() as u64 {
                return Err(damaged(&format!(
                    "the TIFF is truncated (page {} extends past the end of the file)",
                    pages.len() + 1
                )));
            }
        }
        pages.push((w, h));
        if pages.len() as u64 > limits.max_pages {
            return Err(Rejection::TooManyPages {
                pages: pages.len() as u64,
                limit: limits.max_pages,
            });
        }
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(err)?;
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
        let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x ^ y) & 0xFF) as u8]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    /// Found by fuzzing (`fuzz/regressions/image/`): a frame header of seven bytes made the
    /// walker read the component count past the end of the file.
    #[test]
    fn a_jpeg_frame_header_of_seven_bytes_is_damaged_not_read_past_its_end() {
        let bytes = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x07, 0x00, 0x00, 0x11, 0xFF, 0xFF,
        ];
        let Err(err) = jpeg(&bytes) else {
            panic!("a frame header of seven bytes was accepted");
        };
        assert!(matches!(err, Rejection::Damaged(_)), "{err:?}");
    }

    #[test]
    fn reads_sizes_and_refuses_truncation() {
        let limits = Limits::default();
        for (format, kind) in [
            (image::ImageFormat::Jpeg, FileKind::Jpeg),
            (image::ImageFormat::Png, FileKind::Png),
            (image::ImageFormat::Tiff, FileKind::Tiff),
        ] {
            let bytes = encode(format, 320, 200);
            assert_eq!(
                pages(kind, &bytes, &limits).unwrap(),
                vec![(320, 200)],
                "{kind:?}"
            );
            let cut = &bytes[..bytes.len() * 2 / 3];
            let err = pages(kind, cut, &limits).unwrap_err();
            assert_eq!(err.code(), "damaged", "{kind:?}: {err}");
        }
    }

    #[test]
    fn refuses_absurd_dimensions_before_decoding() {
        // A PNG header claiming 100000 × 100000 pixels.
        let mut bytes = encode(image::ImageFormat::Png, 4, 4);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = pages(FileKind::Png, &bytes, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), "image_too_large", "{err}");
    }
}
