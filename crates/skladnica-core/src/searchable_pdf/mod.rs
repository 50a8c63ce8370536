//! The searchable PDF of a scanned document: the original page images, untouched, with an
//! invisible text layer placed from the OCR word boxes, so that text can be selected and searched
//! in any PDF viewer.
//!
//! Scans that arrived as image files (JPEG, PNG, TIFF) become a new PDF aiming at PDF/A-2b: PDF
//! 1.7, XMP metadata with the PDF/A identification, an sRGB output intent, an embedded
//! (glyphless) font, a document ID, no compression of what was compressed before. Scans that
//! arrived as PDFs keep their own structure and gain the text layer on each page OCR read;
//! born-digital PDFs are already searchable and come back as they are. The output is
//! deterministic: the same document gives the same bytes.

mod font;
mod icc;
mod images;

use std::fmt::Write as _;
use std::io::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};
use rusqlite::params;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::library::Library;

/// A built searchable PDF.
#[derive(Debug, Clone)]
pub struct SearchablePdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Its pages.
    pub pages: usize,
    /// Pages that received a text layer.
    pub text_layer_pages: usize,
    /// Pages OCR could not read (they have no text layer).
    pub unread_pages: usize,
    /// True when the file is built to PDF/A-2b (scans from image files).
    pub pdfa: bool,
    /// True when the original is returned as it is (a born-digital PDF).
    pub unchanged: bool,
}

/// A page's OCR words in the coordinates of the image OCR read.
struct OcrLayer {
    /// Clockwise degrees the image was turned before reading.
    rotation: u32,
    /// Clockwise degrees it was turned about its centre to straighten it, before that.
    skew: f64,
    /// Size of the turned image.
    width: f64,
    height: f64,
    /// The words, line by line.
    lines: Vec<Vec<OcrWord>>,
}

/// A word and its box in pixels, from the top left.
struct OcrWord {
    text: String,
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

struct PageRow {
    file_id: i64,
    text_source: String,
    layer: Option<OcrLayer>,
    error: Option<String>,
}

fn fail(document: i64, reason: impl Into<String>) -> Error {
    Error::SearchablePdf {
        document,
        reason: reason.into(),
    }
}

/// Builds the searchable PDF of document `id`.
pub fn build(lib: &Library, id: i64) -> Result<SearchablePdf> {
    let doc = crate::db::documents::get(lib.conn(), id)?.ok_or(Error::NoDocument(id))?;
    let rows = page_rows(lib, id)?;
    let waiting = rows
        .iter()
        .filter(|r| r.text_source == "awaiting_ocr" && r.error.is_none());
    let waiting = waiting.count();
    if waiting > 0 {
        return Err(fail(
            id,
            format!("{waiting} page(s) still await OCR; run `skladnica ocr` first"),
        ));
    }
    let [file] = doc.files.as_slice() else {
        return Err(fail(
            id,
            "documents made of several files are not supported yet",
        ));
    };
    let bytes = lib
        .blobs()
        .read(&file.sha256)
        .map_err(|e| fail(id, format!("the original cannot be read: {e}")))?;
    let unread = rows.iter().filter(|r| r.error.is_some()).count();
    let mut out = if file.media_type == "application/pdf" {
        over_pdf(id, &bytes, &rows)?
    } else {
        let images = images::pages(&file.media_type, &bytes).map_err(|e| fail(id, e))?;
        if images.len() != rows.len() || rows.iter().any(|r| r.file_id != file.id) {
            return Err(fail(
                id,
                format!(
                    "the file has {} page images for {} pages",
                    images.len(),
                    rows.len()
                ),
            ));
        }
        from_images(&doc, &file.sha256, images, &rows)?
    };
    out.unread_pages = unread;
    Ok(out)
}

fn page_rows(lib: &Library, id: i64) -> Result<Vec<PageRow>> {
    let ctx = |e| Error::sqlite(format!("reading the pages of document {id}"), e);
    let mut s = lib
        .conn()
        .prepare(
            "SELECT file_id, text_source, ocr_words, ocr_rotation, ocr_image_width,
                    ocr_image_height, ocr_error, text, ocr_skew
             FROM pages WHERE document_id = ?1 ORDER BY number",
        )
        .map_err(ctx)?;
    let rows = s
        .query_map(params![id], |r| {
            let words: Option<String> = r.get(2)?;
            let size: (Option<i64>, Option<i64>) = (r.get(4)?, r.get(5)?);
            let layer = match (words, size) {
                (Some(w), (Some(width), Some(height))) => Some(OcrLayer {
                    rotation: r.get::<_, Option<i64>>(3)?.unwrap_or(0).rem_euclid(360) as u32,
                    skew: r.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
                    width: width as f64,
                    height: height as f64,
                    lines: lines(parse_words(&w), &r.get::<_, String>(7)?),
                }),
                _ => None,
            };
            Ok(PageRow {
                file_id: r.get(0)?,
                text_source: r.get(1)?,
                layer,
                error: r.get(6)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(ctx)?;
    Ok(rows)
}

/// The stored word list: `[[text, confidence, left, top, width, height], …]`.
fn parse_words(json: &str) -> Vec<OcrWord> {
    let Ok(serde_json::Value::Array(words)) = serde_json::from_str(json) else {
        return vec![];
    };
    words
        .iter()
        .filter_map(|w| {
            let a = w.as_array()?;
            let n = |i: usize| a.get(i).and_then(serde_json::Value::as_f64);
            let text = a.first()?.as_str()?.trim();
            (!text.is_empty()).then(|| {
                Some(OcrWord {
                    text: text.to_string(),
                    left: n(2)?,
                    top: n(3)?,
                    width: n(4)?,
                    height: n(5)?,
                })
            })?
        })
        .collect()
}

/// Groups the words into the lines of the page text (the same words, in the same order, a line
/// per text line); when the two disagree, each word is its own line.
fn lines(words: Vec<OcrWord>, text: &str) -> Vec<Vec<OcrWord>> {
    let counts: Vec<usize> = text
        .lines()
        .map(|l| l.split_whitespace().count())
        .filter(|&n| n > 0)
        .collect();
    if counts.iter().sum::<usize>() != words.len() {
        return words.into_iter().map(|w| vec![w]).collect();
    }
    let mut words = words.into_iter();
    counts
        .into_iter()
        .map(|n| words.by_ref().take(n).collect())
        .collect()
}

/// The objects every text layer shares: the Type0 font over the glyphless TrueType.
fn add_font(doc: &mut Document) -> ObjectId {
    let program = font::program();
    let len = program.len() as i64;
    let mut file = Stream::new(dictionary! { "Length1" => len }, program);
    file.compress().expect("compressing in memory");
    let file = doc.add_object(file);
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => font::NAME,
        "Flags" => 5,
        "FontBBox" => vec![0.into(), 0.into(), (font::ADVANCE as i64).into(), 1000.into()],
        "ItalicAngle" => 0,
        "Ascent" => 1000,
        "Descent" => 0,
        "CapHeight" => 1000,
        "StemV" => 80,
        "FontFile2" => file,
    });
    // Every character code (a UTF-16 unit) draws glyph 1.
    let map: Vec<u8> = std::iter::repeat_n([0u8, 1], 1 << 16).flatten().collect();
    let mut map = Stream::new(dictionary! {}, map);
    map.compress().expect("compressing in memory");
    let map = doc.add_object(map);
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => font::NAME,
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "DW" => font::ADVANCE as i64,
        "CIDToGIDMap" => map,
    });
    let mut to_unicode = Stream::new(dictionary! {}, to_unicode_cmap().into_bytes());
    to_unicode.compress().expect("compressing in memory");
    let to_unicode = doc.add_object(to_unicode);
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => font::NAME,
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![cid_font.into()],
        "ToUnicode" => to_unicode,
    })
}

/// Character codes are UTF-16 units: the ToUnicode map is the identity, in 256 ranges (a range
/// may not cross a change of the first byte).
fn to_unicode_cmap() -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let ranges: Vec<u32> = (0..256).filter(|hi| !(0xD8..0xE0).contains(hi)).collect();
    for block in ranges.chunks(100) {
        let _ = writeln!(s, "{} beginbfrange", block.len());
        for hi in block {
            let _ = writeln!(s, "<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>");
        }
        s.push_str("endbfrange\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// The name of the text layer's font in page resources.
const FONT_KEY: &str = "SkladnicaOCR";

/// The least gap between two words of a line, as a fraction of the font size.
const WORD_GAP: f64 = 0.25;

/// The content stream of a text layer. `to_page` maps the turned image's pixels (origin at the
/// bottom left, y up) to the page's user space.
fn text_layer(layer: &OcrLayer, to_page: [f64; 6]) -> Vec<u8> {
    let mut s = String::new();
    let m = to_page.map(num);
    let _ = writeln!(
        s,
        "q {} {} {} {} {} {} cm",
        m[0], m[1], m[2], m[3], m[4], m[5]
    );
    let _ = writeln!(s, "BT 3 Tr /{FONT_KEY} 1 Tf");
    for line in &layer.lines {
        // One size and baseline per line, from the line's box: viewers then see one line of
        // text, and select it as one.
        let top = line.iter().map(|w| w.top).fold(f64::INFINITY, f64::min);
        let bottom = line.iter().map(|w| w.top + w.height).fold(0.0, f64::max);
        let size = bottom - top;
        if size <= 0.0 || !size.is_finite() {
            continue;
        }
        let baseline = layer.height - bottom;
        for (i, w) in line.iter().enumerate() {
            if w.width <= 0.0 {
                continue;
            }
            // Text extractors (poppler's among them) see a space only where the gap to the next
            // word is a good part of the font size: where OCR's boxes nearly touch, the word is
            // drawn a little narrower than its box so that the two stay two words.
            let width = match line.get(i + 1) {
                Some(next) => w.width.min(next.left - w.left - WORD_GAP * size),
                None => w.width,
            }
            .max(w.width / 2.0);
            let chars = w.text.chars().count().max(1) as f64;
            let scale = 100.0 * width / (chars * font::ADVANCE as f64 / 1000.0 * size);
            let mut hex = String::new();
            let mut units = |c: char| {
                let c = if (c as u32) > 0xFFFF { '\u{FFFD}' } else { c };
                let _ = write!(hex, "{:04X}", c as u32);
            };
            w.text.chars().for_each(&mut units);
            if i + 1 < line.len() {
                units(' ');
            }
            let _ = writeln!(
                s,
                "{} Tz {} 0 0 {} {} {} Tm <{hex}> Tj",
                num(scale),
                num(size),
                num(size),
                num(w.left),
                num(baseline)
            );
        }
    }
    s.push_str("ET Q\n");
    s.into_bytes()
}

/// A number as PDF writes it: at most three decimals, no exponent.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Maps the turned image's pixel space (y up) onto an unturned image drawn over the rectangle
/// `[x0, y0, x0 + w, y0 + h]` of the page: the inverse of the quarter turns OCR made, then of
/// the deskew (the straightened image turned back counter-clockwise about its centre).
fn placement(layer: &OcrLayer, x0: f64, y0: f64, w: f64, h: f64) -> [f64; 6] {
    // Size of the original (unturned) image.
    let (ow, oh) = match layer.rotation {
        90 | 270 => (layer.height, layer.width),
        _ => (layer.width, layer.height),
    };
    let (sx, sy) = (w / ow, h / oh);
    // (p, q) in the turned image → (a, b) in the straightened original, both y up.
    let turn = match layer.rotation {
        90 => [0.0, 1.0, -1.0, 0.0, ow, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, ow, oh],
        270 => [0.0, -1.0, 1.0, 0.0, 0.0, oh],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    // Undo the deskew: a counter-clockwise turn (y up) by the skew about the image centre.
    let (sin, cos) = layer.skew.to_radians().sin_cos();
    let (cx, cy) = (ow / 2.0, oh / 2.0);
    let unskew = [
        cos,
        sin,
        -sin,
        cos,
        cx - cx * cos + cy * sin,
        cy - cx * sin - cy * cos,
    ];
    let scale = [sx, 0.0, 0.0, sy, x0, y0];
    concat(concat(turn, unskew), scale)
}

/// The matrix that applies `a`, then `b` (PDF's row-vector convention).
fn concat(a: [f64; 6], b: [f64; 6]) -> [f64; 6] {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// A PDF/A-2b file from the page images of image files.
fn from_images(
    record: &crate::db::documents::Document,
    sha256: &str,
    images: Vec<images::PdfImage>,
    rows: &[PageRow],
) -> Result<SearchablePdf> {
    let mut doc = Document::with_version("1.7");
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();
    let font = add_font(&mut doc);
    let mut kids = Vec::new();
    let mut with_text = 0;
    for (image, row) in images.into_iter().zip(rows) {
        // Without a believable resolution, assume the page is A4 along its longer side.
        let dpi = image
            .dpi
            .map(f64::from)
            .unwrap_or_else(|| image.width.max(image.height) as f64 / (297.0 / 25.4));
        let (w, h) = (
            image.width as f64 * 72.0 / dpi,
            image.height as f64 * 72.0 / dpi,
        );
        let xobject = doc.add_object(image.xobject);
        let mut content = format!("q {} 0 0 {} 0 0 cm /Im0 Do Q\n", num(w), num(h)).into_bytes();
        let mut resources = dictionary! { "XObject" => dictionary! { "Im0" => xobject } };
        let mut rotate = 0;
        if let Some(layer) = row.layer.as_ref().filter(|l| !l.lines.is_empty()) {
            content.extend(text_layer(layer, placement(layer, 0.0, 0.0, w, h)));
            resources.set("Font", dictionary! { FONT_KEY => font });
            rotate = layer.rotation as i64;
            with_text += 1;
        }
        let content = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), (w as f32).into(), (h as f32).into()],
            "Rotate" => rotate,
            "Resources" => resources,
            "Contents" => content,
        })));
    }
    let pages = kids.len();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages as i64,
        }),
    );
    // Dates: the document's entry into the library, so the same document gives the same file.
    let created = &record.created_at;
    let xmp = xmp(&record.title, created);
    let metadata = doc.add_object(
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.into_bytes(),
        )
        .with_compression(false),
    );
    let mut profile = Stream::new(dictionary! { "N" => 3 }, icc::srgb());
    profile.compress().expect("compressing in memory");
    let profile = doc.add_object(profile);
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Metadata" => metadata,
        "Lang" => Object::string_literal("pl"),
        "OutputIntents" => vec![Object::Dictionary(dictionary! {
            "Type" => "OutputIntent",
            "S" => "GTS_PDFA1",
            "OutputConditionIdentifier" => Object::string_literal(icc::DESCRIPTION),
            "Info" => Object::string_literal(icc::DESCRIPTION),
            "DestOutputProfile" => profile,
        })],
    });
    let info = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(&record.title),
        "Producer" => Object::string_literal(PRODUCER),
        "Creator" => Object::string_literal(PRODUCER),
        "CreationDate" => Object::string_literal(pdf_date(created)),
        "ModDate" => Object::string_literal(pdf_date(created)),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let id_bytes = Sha256::digest(format!("{sha256}/{}", record.id).as_bytes())[..16].to_vec();
    doc.trailer.set(
        "ID",
        vec![
            Object::String(id_bytes.clone(), StringFormat::Hexadecimal),
            Object::String(id_bytes, StringFormat::Hexadecimal),
        ],
    );
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| fail(record.id, format!("writing the PDF: {e}")))?;
    Ok(SearchablePdf {
        bytes,
        pages,
        text_layer_pages: with_text,
        unread_pages: 0,
        pdfa: true,
        unchanged: false,
    })
}

const PRODUCER: &str = concat!("Skladnica ", env!("CARGO_PKG_VERSION"));

/// `2026-11-23T02:56:10Z` → `D:20261123025610Z`.
fn pdf_date(iso: &str) -> String {
    let digits: String = iso.chars().filter(char::is_ascii_digit).take(14).collect();
    format!("D:{digits}Z")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP packet: PDF/A-2b identification and the same facts as the Info dictionary.
fn xmp(title: &str, created: &str) -> String {
    let title = xml_escape(title);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
  <rdf:Description rdf:about=\"\"\n\
    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n\
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n\
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
   <pdfaid:part>2</pdfaid:part>\n\
   <pdfaid:conformance>B</pdfaid:conformance>\n\
   <dc:format>application/pdf</dc:format>\n\
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
   <xmp:CreateDate>{created}</xmp:CreateDate>\n\
   <xmp:ModifyDate>{created}</xmp:ModifyDate>\n\
   <xmp:MetadataDate>{created}</xmp:MetadataDate>\n\
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>\n\
   <pdf:Producer>{PRODUCER}</pdf:Producer>\n\
  </rdf:Description>\n\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>"
    )
}

/// The original PDF with a text layer on each page OCR read.
fn over_pdf(id: i64, bytes: &[u8], rows: &[PageRow]) -> Result<SearchablePdf> {
    let unchanged = |pages| SearchablePdf {
        bytes: bytes.to_vec(),
        pages,
        text_layer_pages: 0,
        unread_pages: 0,
        pdfa: false,
        unchanged: true,
    };
    if !rows.iter().any(|r| r.layer.is_some()) {
        return Ok(unchanged(rows.len()));
    }
    let mut doc = Document::load_mem(bytes).map_err(|e| fail(id, format!("PDF: {e}")))?;
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if page_ids.len() != rows.len() {
        return Err(fail(
            id,
            format!(
                "the PDF has {} pages, the library {}",
                page_ids.len(),
                rows.len()
            ),
        ));
    }
    let font = add_font(&mut doc);
    let mut with_text = 0;
    for (&page, row) in page_ids.iter().zip(rows) {
        let Some(layer) = row.layer.as_ref().filter(|l| !l.lines.is_empty()) else {
            continue;
        };
        let [x0, y0, x1, y1] = crate::ingest::pdf::page_box(&doc, page, &[b"MediaBox"])
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let layer_stream = text_layer(layer, placement(layer, x0, y0, x1 - x0, y1 - y0));
        let open = doc.add_object(Stream::new(dictionary! {}, b"q\n".to_vec()));
        let close = doc.add_object(Stream::new(
            dictionary! {},
            [b"Q\n".as_slice(), &layer_stream].concat(),
        ));
        let mut resources = doc
            .get_dictionary(page)
            .ok()
            .and_then(|d| crate::ingest::pdf::inherited(&doc, d, b"Resources"))
            .and_then(|o| o.as_dict().ok().cloned())
            .unwrap_or_default();
        let mut fonts = match resources.get(b"Font") {
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        fonts.set(FONT_KEY, font);
        resources.set("Font", fonts);
        let contents: Vec<Object> = std::iter::once(open.into())
            .chain(doc.get_page_contents(page).into_iter().map(Object::from))
            .chain(std::iter::once(close.into()))
            .collect();
        let dict = doc
            .get_dictionary_mut(page)
            .map_err(|e| fail(id, format!("PDF page: {e}")))?;
        dict.set("Resources", resources);
        dict.set("Contents", contents);
        with_text += 1;
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| fail(id, format!("writing the PDF: {e}")))?;
    Ok(SearchablePdf {
        bytes: out,
        pages: rows.len(),
        text_layer_pages: with_text,
        unread_pages: 0,
        pdfa: false,
        unchanged: false,
    })
}

/// Writes the searchable PDF of document `id` to `path` (through a temporary file beside it,
/// so that a failure leaves nothing half-written).
pub fn write(lib: &Library, id: i64, path: &std::path::Path) -> Result<SearchablePdf> {
    let pdf = build(lib, id)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    tmp.1
        .write_all(&pdf.bytes)
        .and_then(|_| tmp.1.sync_all())
        .map_err(|e| Error::io(&tmp.0, e))?;
    std::fs::rename(&tmp.0, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp.0);
        Error::io(path, e)
    })?;
    Ok(pdf)
}

fn tempfile_in(dir: &std::path::Path) -> Result<(std::path::PathBuf, std::fs::File)> {
    for n in 0..100u32 {
        let p = dir.join(format!(".skladnica-{}-{n}.pdf.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(dir, e)),
        }
    }
    Err(Error::io(
        dir,
        std::io::Error::other("no temporary file name is free"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.12345), "0.123");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(612.5), "612.5");
    }

    #[test]
    fn turned_pages_map_back_onto_the_original() {
        // A 100×200 original read turned by 90°: the turned image is 200×100.
        let layer = OcrLayer {
            rotation: 90,
            skew: 0.0,
            width: 200.0,
            height: 100.0,
            lines: vec![],
        };
        let m = placement(&layer, 0.0, 0.0, 100.0, 200.0);
        let at = |p: f64, q: f64| (m[0] * p + m[2] * q + m[4], m[1] * p + m[3] * q + m[5]);
        // The turned image's bottom-left corner is the original's bottom-right.
        assert_eq!(at(0.0, 0.0), (100.0, 0.0));
        // Its top-right corner is the original's top-left.
        assert_eq!(at(200.0, 100.0), (0.0, 200.0));
        let layer = OcrLayer {
            rotation: 180,
            ..layer
        };
        let m = placement(&layer, 10.0, 20.0, 100.0, 200.0);
        assert_eq!((m[4], m[5]), (110.0, 220.0));
    }

    #[test]
    fn the_cmap_skips_surrogates_and_has_blocks_of_at_most_100() {
        let c = to_unicode_cmap();
        assert!(!c.contains("<D800>"));
        assert!(c.contains("<0100> <01FF> <0100>"));
        assert_eq!(c.matches("beginbfrange").count(), 3);
    }
}
