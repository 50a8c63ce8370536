//! The hostile-input corpus (`tests/data/hostile/`): files crafted to break parsers, each with
//! what importing it must give. `skladnica-hostile-corpus` writes the files from here; the e2e
//! test `hostile` imports the committed ones and checks each answer, the time and the memory.

use lopdf::{Document, Object, Stream, dictionary};

use crate::{
    pdf_from_text, pdf_with_content_bomb, pdf_with_form_loop, pdf_with_page_tree_loop,
    pdf_with_xref_loop, root_of,
};

/// One file of the corpus.
pub struct Hostile {
    /// Its name in `tests/data/hostile/`.
    pub name: &'static str,
    /// What it is.
    pub what: &'static str,
    /// The import's answer: a rejection code, or `imported` (the file is harmless once its
    /// hostile part is ignored).
    pub expect: &'static str,
    /// Its bytes (`None`: made by a tool, see `make`).
    pub bytes: Option<Vec<u8>>,
}

/// A PNG whose header claims `w` × `h` pixels (the chunk's CRC fixed up).
pub fn png_with_size(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(4, 4, image::Luma([0u8]));
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    c ^ 0xFFFF_FFFF
}

fn small_jpeg() -> Vec<u8> {
    let img = image::GrayImage::from_pixel(16, 16, image::Luma([90u8]));
    let mut b = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Jpeg)
        .unwrap();
    b
}

/// A JPEG whose frame header claims 65 000 × 65 000 pixels over 16 × 16 of data.
fn jpeg_lying_header() -> Vec<u8> {
    let mut b = small_jpeg();
    let sof = b
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    // FF C0, length (2), precision (1), height (2), width (2).
    b[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    b
}

/// A TIFF of `n` pages of one white pixel each.
fn tiff_of_pages(n: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
    for _ in 0..n {
        enc.write_image::<tiff::encoder::colortype::Gray8>(1, 1, &[255])
            .unwrap();
    }
    out.into_inner()
}

/// A PDF whose `startxref` points past the end of the file.
fn pdf_broken_xref() -> Vec<u8> {
    let bytes = pdf_from_text("Tablica odsyłaczy wskazuje donikąd.", None, None);
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("a startxref");
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(b"startxref\n99999999\n%%EOF\n");
    out
}

/// A PDF holding an array nested 100 000 deep, added as an incremental update and referred to
/// from the catalog (a parser that recurses overflows its stack).
fn pdf_deep_nesting() -> Vec<u8> {
    let mut bytes = pdf_from_text("Głęboko zagnieżdżona tablica.", None, None);
    let doc = Document::load_mem(&bytes).expect("the generated PDF loads");
    let root = root_of(&doc);
    let prev = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .map(|at| {
            let tail = String::from_utf8_lossy(&bytes[at + 9..]).into_owned();
            tail.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .expect("a startxref");
    let id = doc.max_id + 1;
    let depth = 100_000;
    let obj_at = bytes.len();
    bytes.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
    bytes.extend(std::iter::repeat_n(b'[', depth));
    bytes.extend(std::iter::repeat_n(b']', depth));
    bytes.extend_from_slice(b"\nendobj\n");
    let xref_at = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n{id} 1\n{obj_at:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {prev} /Deep {id} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            id + 1,
            root.0,
            root.1
        )
        .as_bytes(),
    );
    bytes
}

/// A PDF of `text` whose catalog gains the entries `amend` returns (after adding the objects
/// they refer to), saved anew.
fn with_catalog(
    text: &str,
    amend: impl FnOnce(&mut Document) -> Vec<(&'static str, Object)>,
) -> Vec<u8> {
    let mut doc =
        Document::load_mem(&pdf_from_text(text, None, None)).expect("the generated PDF loads");
    let entries = amend(&mut doc);
    let root = root_of(&doc);
    if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(root) {
        for (key, value) in entries {
            catalog.set(key, value);
        }
    }
    saved(&mut doc)
}

fn saved(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF that asks the reader to run JavaScript when opened (and to launch a program).
fn pdf_with_javascript() -> Vec<u8> {
    with_catalog(
        "Zawiadomienie o terminie rozprawy administracyjnej.",
        |doc| {
            let js = doc.add_object(dictionary! {
                "S" => "JavaScript",
                "JS" => Object::string_literal("app.alert('x'); this.submitForm('http://example.invalid/');"),
            });
            let launch = doc.add_object(dictionary! {
                "S" => "Launch",
                "F" => Object::string_literal("cmd.exe"),
            });
            vec![
                ("OpenAction", js.into()),
                ("AA", dictionary! { "WC" => launch }.into()),
            ]
        },
    )
}

/// A PDF with an object stream that claims a billion objects.
fn pdf_huge_object_stream() -> Vec<u8> {
    with_catalog("Strumień obiektów bez końca.", |doc| {
        let stream = Stream::new(
            dictionary! { "Type" => "ObjStm", "N" => 1_000_000_000i64, "First" => 4 },
            b"1 0 ".to_vec(),
        );
        vec![("Extra", doc.add_object(stream).into())]
    })
}

/// A form XObject that draws itself, its `/Subtype` taken away (what fuzzing found: a check
/// that looked only at forms let the text extractor recurse until its stack overflowed).
fn pdf_form_loop_without_subtype() -> Vec<u8> {
    let mut doc = Document::load_mem(&pdf_with_form_loop()).expect("the generated PDF loads");
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            stream.dict.remove(b"Subtype");
        }
    }
    saved(&mut doc)
}

/// The corpus.
pub fn corpus() -> Vec<Hostile> {
    let mut truncated_png =
        image::GrayImage::from_fn(300, 300, |x, y| image::Luma([(x ^ y) as u8]));
    truncated_png.put_pixel(0, 0, image::Luma([1]));
    let mut png = Vec::new();
    truncated_png
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(png.len() / 2);
    let h = |name, what, expect, bytes| Hostile {
        name,
        what,
        expect,
        bytes: Some(bytes),
    };
    vec![
        h(
            "pdf-page-tree-loop.pdf",
            "a page tree that contains itself",
            "reference_loop",
            pdf_with_page_tree_loop(),
        ),
        h(
            "pdf-form-loop.pdf",
            "a form XObject that draws itself",
            "reference_loop",
            pdf_with_form_loop(),
        ),
        h(
            "pdf-form-loop-without-subtype.pdf",
            "an XObject without /Subtype that draws itself",
            "reference_loop",
            pdf_form_loop_without_subtype(),
        ),
        h(
            "pdf-xref-loop.pdf",
            "a cross-reference chain whose /Prev is itself",
            "damaged",
            pdf_with_xref_loop(),
        ),
        h(
            "pdf-content-bomb.pdf",
            "100 KiB of Flate that expands to 100 MiB of content",
            "decompression_bomb",
            pdf_with_content_bomb(100),
        ),
        h(
            "pdf-broken-xref.pdf",
            "startxref pointing past the end of the file",
            "damaged",
            pdf_broken_xref(),
        ),
        h(
            "pdf-deep-nesting.pdf",
            "an array nested 100 000 deep",
            "imported",
            pdf_deep_nesting(),
        ),
        h(
            "pdf-javascript.pdf",
            "JavaScript on opening and a program launch on closing (never run)",
            "imported",
            pdf_with_javascript(),
        ),
        h(
            "pdf-huge-object-stream.pdf",
            "an object stream claiming a billion objects",
            "imported",
            pdf_huge_object_stream(),
        ),
        Hostile {
            name: "pdf-encrypted.pdf",
            what: "AES-256 with a user password (made by qpdf)",
            expect: "encrypted",
            bytes: None,
        },
        h(
            "png-absurd-size.png",
            "a PNG header claiming 200 000 × 200 000 pixels",
            "image_too_large",
            png_with_size(200_000, 200_000),
        ),
        h(
            "png-strip.png",
            "a PNG of 1 × 100 000 pixels",
            "image_too_large",
            png_with_size(1, 100_000),
        ),
        h(
            "png-truncated.png",
            "a PNG cut off in the middle of its data",
            "damaged",
            png,
        ),
        h(
            "jpeg-lying-header.jpg",
            "a JPEG header claiming 65 000 × 65 000 pixels over 16 × 16 of data",
            "image_too_large",
            jpeg_lying_header(),
        ),
        h(
            "tiff-5001-pages.tif",
            "a TIFF of 5 001 pages (the limit is 5 000)",
            "too_many_pages",
            tiff_of_pages(5_001),
        ),
        h("empty.pdf", "an empty file", "empty", Vec::new()),
        h(
            "png-named-pdf.pdf",
            "a PNG named .pdf",
            "extension_mismatch",
            png_with_size(8, 8),
        ),
    ]
}
