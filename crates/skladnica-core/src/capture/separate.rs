//! Batch separation: which pages of a scanned stack start a new document. A separator sheet
//! carries a QR code or barcode (Code 128, Code 39) with a fixed text, read with `rxing`; it
//! starts a new document and is not kept. Blank pages (the empty backs of duplex scans, or sheets
//! of blank paper used as separators) are found by their ink: after averaging 4×4 blocks (which
//! erases dust and scanner noise) and leaving out the margins (shadows, punched holes), a page
//! with almost no dark pixels is blank.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// The text a separator sheet's code carries unless a profile says otherwise.
pub const DEFAULT_CODE_TEXT: &str = "SKLADNICA-ROZDZIELACZ";

/// What to do with blank pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlankPages {
    /// Keep them as pages.
    Keep,
    /// Leave them out (the blank backs of duplex scans).
    Drop,
    /// Leave them out and start a new document after each (blank sheets as separators).
    Split,
}

/// How a scanned stack is split into documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Separation {
    /// Split at pages carrying a code with `code_text`.
    pub codes: bool,
    /// The separator code's text.
    pub code_text: String,
    /// Blank pages.
    pub blank: BlankPages,
}

impl Default for Separation {
    fn default() -> Self {
        Separation {
            codes: true,
            code_text: DEFAULT_CODE_TEXT.to_string(),
            blank: BlankPages::Keep,
        }
    }
}

/// What a page is to the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRole {
    /// A page of a document.
    Content,
    /// A separator sheet (what was read on it).
    Separator(String),
    /// A blank page.
    Blank,
}

/// Classifies one page (8-bit grey, `w`×`h`, scanned at `dpi`).
pub fn classify(grey: &[u8], w: u32, h: u32, dpi: u32, sep: &Separation) -> PageRole {
    if sep.blank != BlankPages::Keep && is_blank(grey, w, h) {
        return PageRole::Blank;
    }
    if sep.codes
        && let Some(code) = separator_code(grey, w, h, dpi, &sep.code_text)
    {
        return PageRole::Separator(code);
    }
    PageRole::Content
}

/// The share of dark pixels (in 1/100,000) under which a page counts as blank.
const BLANK_INK_PER_100K: u64 = 30;

/// True when the page has (almost) no ink.
pub fn is_blank(grey: &[u8], w: u32, h: u32) -> bool {
    let (w, h) = (w as usize, h as usize);
    if grey.len() < w * h || w < 16 || h < 16 {
        return false;
    }
    // 4×4 block means, margins of 6 % left out.
    let (bw, bh) = (w / 4, h / 4);
    let (mx, my) = (bw * 6 / 100, bh * 6 / 100);
    let mut blocks = Vec::with_capacity(bw * bh);
    for by in my..bh - my {
        for bx in mx..bw - mx {
            let mut sum = 0u32;
            for y in 0..4 {
                let row = &grey[(by * 4 + y) * w + bx * 4..][..4];
                sum += row.iter().map(|&v| v as u32).sum::<u32>();
            }
            blocks.push((sum / 16) as u8);
        }
    }
    if blocks.is_empty() {
        return false;
    }
    // The paper's brightness: the 90th percentile (most of a page is paper).
    let mut histogram = [0usize; 256];
    for &b in &blocks {
        histogram[b as usize] += 1;
    }
    let mut seen = 0;
    let mut paper = 255u8;
    for (v, &n) in histogram.iter().enumerate().rev() {
        seen += n;
        if seen * 10 >= blocks.len() {
            paper = v as u8;
            break;
        }
    }
    let ink_below = paper.saturating_sub(70);
    let ink: usize = histogram[..ink_below as usize].iter().sum();
    (ink as u64) * 100_000 < BLANK_INK_PER_100K * blocks.len() as u64
}

/// The separator code on the page, if there is one with `text`.
fn separator_code(grey: &[u8], w: u32, h: u32, dpi: u32, text: &str) -> Option<String> {
    // Codes on a separator sheet are large: read them at about 150 dpi (4× fewer pixels).
    let factor = (dpi / 150).clamp(1, 4) as usize;
    let (sw, sh) = (w as usize / factor, h as usize / factor);
    if sw == 0 || sh == 0 {
        return None;
    }
    let mut small = Vec::with_capacity(sw * sh);
    for y in 0..sh {
        for x in 0..sw {
            let mut sum = 0u32;
            for dy in 0..factor {
                let row = (y * factor + dy) * w as usize + x * factor;
                sum += grey[row..row + factor]
                    .iter()
                    .map(|&v| v as u32)
                    .sum::<u32>();
            }
            small.push((sum / (factor * factor) as u32) as u8);
        }
    }
    let mut hints = rxing::DecodeHints {
        PossibleFormats: Some(HashSet::from([
            rxing::BarcodeFormat::QR_CODE,
            rxing::BarcodeFormat::CODE_128,
            rxing::BarcodeFormat::CODE_39,
        ])),
        TryHarder: Some(true),
        ..Default::default()
    };
    let found =
        rxing::helpers::detect_multiple_in_luma_with_hints(small, sw as u32, sh as u32, &mut hints)
            .ok()?;
    found
        .iter()
        .map(|r| r.getText().trim().to_string())
        .find(|t| t.eq_ignore_ascii_case(text.trim()))
}

/// A separator sheet to print: an A4 page image (grey, 150 dpi) with the code's QR code and,
/// under it, the same text as a Code 128 barcode. Returns (pixels, width, height).
pub fn separator_sheet(text: &str) -> Result<(Vec<u8>, u32, u32), String> {
    use rxing::Writer;
    let (w, h) = (1240u32, 1754u32); // A4 at 150 dpi
    let mut page = vec![255u8; (w * h) as usize];
    let mut draw = |m: &rxing::common::BitMatrix, left: u32, top: u32, sx: u32, sy: u32| {
        for y in 0..m.getHeight() * sy {
            for x in 0..m.getWidth() * sx {
                let (px, py) = (left + x, top + y);
                if m.get(x / sx, y / sy) && px < w && py < h {
                    page[(py * w + px) as usize] = 0;
                }
            }
        }
    };
    let writer = rxing::MultiFormatWriter;
    let qr = writer
        .encode(text, &rxing::BarcodeFormat::QR_CODE, 0, 0)
        .map_err(|e| e.to_string())?;
    let scale = (600 / qr.getWidth().max(1)).max(4);
    draw(
        &qr,
        w.saturating_sub(qr.getWidth() * scale) / 2,
        250,
        scale,
        scale,
    );
    let bar = writer
        .encode(text, &rxing::BarcodeFormat::CODE_128, 0, 0)
        .map_err(|e| e.to_string())?;
    let sx = (1000 / bar.getWidth().max(1)).max(2);
    let sy = (180 / bar.getHeight().max(1)).max(1);
    draw(
        &bar,
        w.saturating_sub(bar.getWidth() * sx) / 2,
        1100,
        sx,
        sy,
    );
    Ok((page, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_and_specked_pages_are_blank_and_a_few_words_are_not() {
        let (w, h) = (1240u32, 1754u32);
        let white = vec![250u8; (w * h) as usize];
        assert!(is_blank(&white, w, h));
        // Dust: 200 isolated dark pixels.
        let mut specks = white.clone();
        for i in 0..200u32 {
            let (x, y) = ((i * 7919) % w, (i * 104_729) % h);
            specks[(y * w + x) as usize] = 0;
        }
        assert!(is_blank(&specks, w, h));
        // A shadow along the edge (inside the margin) does not count.
        let mut shadow = white.clone();
        for y in 0..h {
            for x in 0..30 {
                shadow[(y * w + x) as usize] = 40;
            }
        }
        assert!(is_blank(&shadow, w, h));
        // One short handwritten-size word: a 200×30 block of strokes.
        let mut word = white.clone();
        for y in 600..630 {
            for x in 500..700 {
                if (x / 3) % 2 == 0 {
                    word[(y * w + x) as usize] = 20;
                }
            }
        }
        assert!(!is_blank(&word, w, h));
    }

    #[test]
    fn a_separator_sheet_is_read_and_another_code_is_not_a_separator() {
        let sep = Separation::default();
        let (page, w, h) = separator_sheet(DEFAULT_CODE_TEXT).unwrap();
        assert_eq!(
            classify(&page, w, h, 150, &sep),
            PageRole::Separator(DEFAULT_CODE_TEXT.to_string())
        );
        let (other, w, h) = separator_sheet("FAKTURA 12/2026").unwrap();
        assert_eq!(classify(&other, w, h, 150, &sep), PageRole::Content);
    }
}
