//! A glyphless TrueType font for the invisible text layer.
//!
//! The text layer is drawn in rendering mode 3 (neither filled nor stroked), so its font needs no
//! shapes; but PDF/A wants every font embedded and every glyph it uses defined, and viewers are
//! happier with a real font program. This builds the smallest TrueType that is whole: two empty
//! glyphs (`.notdef` and one for every character), each half an em wide, and the tables a PDF
//! consumer reads (`head`, `hhea`, `maxp`, `hmtx`, `loca`, `glyf`, `cmap`, `name`, `post`).

/// The advance width of every glyph, in thousandths of an em.
pub const ADVANCE: u16 = 500;

/// The font's PostScript name.
pub const NAME: &str = "SkladnicaGlyphless";

/// The TrueType font program.
pub fn program() -> Vec<u8> {
    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"cmap", cmap()),
        (*b"glyf", Vec::new()),
        (*b"head", head()),
        (*b"hhea", hhea()),
        (
            *b"hmtx",
            [ADVANCE, 0, ADVANCE, 0]
                .iter()
                .flat_map(|v| v.to_be_bytes())
                .collect(),
        ),
        // Short offsets (offset / 2): both glyphs are empty.
        (*b"loca", vec![0; 6]),
        (*b"maxp", maxp()),
        (*b"name", name()),
        (*b"post", post()),
    ];
    tables.sort_by_key(|(tag, _)| *tag);
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2 n)
    let search_range = 16u16 << entry_selector;
    let mut out = Vec::new();
    out.extend(0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend(v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = 0;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = offset;
        }
        out.extend(tag);
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    // head.checkSumAdjustment makes the whole font sum to 0xB1B0AFBA.
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn be(values: &[u16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_be_bytes()).collect()
}

fn head() -> Vec<u8> {
    let mut t = Vec::with_capacity(54);
    t.extend(0x0001_0000u32.to_be_bytes()); // version
    t.extend(0x0001_0000u32.to_be_bytes()); // fontRevision
    t.extend(0u32.to_be_bytes()); // checkSumAdjustment, set last
    t.extend(0x5F0F_3CF5u32.to_be_bytes()); // magic
    t.extend(be(&[0x000B, 1000])); // flags (baseline and left bearing at 0, integer scaling), unitsPerEm
    t.extend([0u8; 16]); // created, modified
    t.extend(be(&[0, 0, ADVANCE, 1000])); // xMin, yMin, xMax, yMax
    t.extend(be(&[0, 8, 2, 0, 0])); // macStyle, lowestRecPPEM, fontDirectionHint, indexToLocFormat, glyphDataFormat
    t
}

fn hhea() -> Vec<u8> {
    let mut t = 0x0001_0000u32.to_be_bytes().to_vec();
    // ascender, descender, lineGap, advanceWidthMax, minLSB, minRSB, xMaxExtent, caretSlopeRise,
    // caretSlopeRun, caretOffset, four reserved, metricDataFormat, numberOfHMetrics.
    t.extend(be(&[
        1000, 0, 0, ADVANCE, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2,
    ]));
    t
}

fn maxp() -> Vec<u8> {
    let mut t = 0x0001_0000u32.to_be_bytes().to_vec();
    // numGlyphs, then the limits of an outline-free font (maxZones is 2 by convention).
    t.extend(be(&[2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]));
    t
}

fn cmap() -> Vec<u8> {
    // One Windows Unicode subtable (format 4) holding only the required final segment: the PDF
    // maps characters to glyphs itself (CIDToGIDMap), so the font's own map is never consulted.
    let mut t = be(&[0, 1, 3, 1]);
    t.extend(12u32.to_be_bytes());
    t.extend(be(&[4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0]));
    t
}

fn name() -> Vec<u8> {
    let text: Vec<u8> = NAME.encode_utf16().flat_map(|c| c.to_be_bytes()).collect();
    let len = text.len() as u16;
    // Family (1), full name (4) and PostScript name (6), all the same string, Windows Unicode.
    let ids = [1u16, 4, 6];
    let mut t = be(&[0, ids.len() as u16, 6 + 12 * ids.len() as u16]);
    for id in ids {
        t.extend(be(&[3, 1, 0x0409, id, len, 0]));
    }
    t.extend(text);
    t
}

fn post() -> Vec<u8> {
    let mut t = 0x0003_0000u32.to_be_bytes().to_vec(); // format 3: no glyph names
    t.extend(0u32.to_be_bytes()); // italicAngle
    t.extend(be(&[(-100i16) as u16, 50])); // underline position and thickness
    t.extend(1u32.to_be_bytes()); // isFixedPitch
    t.extend([0u8; 16]);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_is_whole() {
        let font = program();
        assert_eq!(checksum(&font), 0xB1B0_AFBA);
        let n = u16::from_be_bytes([font[4], font[5]]) as usize;
        assert_eq!(n, 9);
        let mut tags = Vec::new();
        for i in 0..n {
            let rec = &font[12 + 16 * i..28 + 16 * i];
            let offset = u32::from_be_bytes(rec[8..12].try_into().unwrap()) as usize;
            let len = u32::from_be_bytes(rec[12..16].try_into().unwrap()) as usize;
            assert!(offset.is_multiple_of(4));
            assert!(offset + len <= font.len());
            tags.push(rec[..4].to_vec());
        }
        let mut sorted = tags.clone();
        sorted.sort();
        assert_eq!(tags, sorted, "table records must be sorted by tag");
        assert_eq!(head().len(), 54);
        assert_eq!(hhea().len(), 36);
        assert_eq!(maxp().len(), 32);
        assert_eq!(post().len(), 32);
    }
}
