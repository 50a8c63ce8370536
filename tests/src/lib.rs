//! Test support shared by the end-to-end tests and the benchmark: a generator of born-digital
//! Polish PDFs (Helvetica with a `/Differences` encoding that names the Polish glyphs, as many
//! office programs write them), hostile PDFs for the bad-input tests, paths to the shared
//! corpus and the built binary, and schema validation of metadata XML (`xsd`).

pub mod crash;
pub mod fuzz;
pub mod hostile;
pub mod hunspell;
pub mod textpool;
pub mod xsd;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// Glyph names for the characters outside ASCII that the generator can draw, with the byte
/// each is given in the font's encoding.
const EXTRA_GLYPHS: &[(char, &str)] = &[
    ('ą', "aogonek"),
    ('ć', "cacute"),
    ('ę', "eogonek"),
    ('ł', "lslash"),
    ('ń', "nacute"),
    ('ó', "oacute"),
    ('ś', "sacute"),
    ('ź', "zacute"),
    ('ż', "zdotaccent"),
    ('Ą', "Aogonek"),
    ('Ć', "Cacute"),
    ('Ę', "Eogonek"),
    ('Ł', "Lslash"),
    ('Ń', "Nacute"),
    ('Ó', "Oacute"),
    ('Ś', "Sacute"),
    ('Ź', "Zacute"),
    ('Ż', "Zdotaccent"),
    ('§', "section"),
    ('„', "quotedblbase"),
    ('”', "quotedblright"),
    ('–', "endash"),
    ('—', "emdash"),
    ('°', "degree"),
    ('…', "ellipsis"),
    ('é', "eacute"),
    ('ü', "udieresis"),
    ('ö', "odieresis"),
    ('ä', "adieresis"),
];

const FIRST_EXTRA: u8 = 0xA1;
const FONT_SIZE: f32 = 10.5;
const LEADING: f32 = 13.5;
const LINES_PER_PAGE: usize = 52;
const CHARS_PER_LINE: usize = 95;

fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if (' '..='~').contains(&c) {
                c as u8
            } else if let Some(i) = EXTRA_GLYPHS.iter().position(|(g, _)| *g == c) {
                FIRST_EXTRA + i as u8
            } else if c.is_whitespace() {
                b' '
            } else {
                b'?'
            }
        })
        .collect()
}

/// Wraps text into lines of at most [`CHARS_PER_LINE`] characters.
pub fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > CHARS_PER_LINE
            {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Splits text into pages of wrapped lines.
pub fn paginate(text: &str) -> Vec<Vec<String>> {
    let lines = wrap(text);
    let mut pages: Vec<Vec<String>> = lines.chunks(LINES_PER_PAGE).map(|c| c.to_vec()).collect();
    if pages.is_empty() {
        pages.push(vec![]);
    }
    pages
}

/// A born-digital PDF with one page per entry of `pages` (each a list of lines), and an
/// optional `/Title` and `/CreationDate` (`YYYYMMDD`).
pub fn pdf(pages: &[Vec<String>], title: Option<&str>, date: Option<&str>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut differences = vec![Object::Integer(FIRST_EXTRA as i64)];
    differences.extend(
        EXTRA_GLYPHS
            .iter()
            .map(|(_, name)| Object::Name(name.as_bytes().to_vec())),
    );
    let encoding = doc.add_object(dictionary! {
        "Type" => "Encoding",
        "BaseEncoding" => "WinAnsiEncoding",
        "Differences" => differences,
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => encoding,
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
    });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
            Operation::new("TL", vec![LEADING.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for line in lines {
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(encode(line), lopdf::StringFormat::Literal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let mut stream = Stream::new(dictionary! {}, content.encode().expect("content encodes"));
        let _ = stream.compress();
        let content_id = doc.add_object(stream);
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let mut info = dictionary! { "Producer" => Object::string_literal("skladnica-tests") };
    if let Some(t) = title {
        // UTF-16BE with a byte-order mark, as office programs write non-Latin-1 titles.
        let mut bytes = vec![0xFE, 0xFF];
        for u in t.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        info.set(
            "Title",
            Object::String(bytes, lopdf::StringFormat::Hexadecimal),
        );
    }
    if let Some(d) = date {
        info.set(
            "CreationDate",
            Object::string_literal(format!("D:{d}120000")),
        );
    }
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", info_id);
    finish(doc, pages_id, kids)
}

/// A PDF of `text`, paginated.
pub fn pdf_from_text(text: &str, title: Option<&str>, date: Option<&str>) -> Vec<u8> {
    pdf(&paginate(text), title, date)
}

/// Finishes a document: the page tree `pages_id` with `kids`, a catalog, saved to bytes.
fn finish(mut doc: Document, pages_id: lopdf::ObjectId, kids: Vec<Object>) -> Vec<u8> {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF saves");
    out
}

/// A PDF whose page tree contains itself.
pub fn pdf_with_page_tree_loop() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    finish(doc, pages_id, vec![page.into(), pages_id.into()])
}

/// A PDF whose page draws a form XObject that draws itself.
pub fn pdf_with_form_loop() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let form_id = doc.new_object_id();
    let form_resources = dictionary! { "XObject" => dictionary! { "X1" => form_id } };
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Resources" => form_resources,
        },
        b"q /X1 Do Q".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let content = doc.add_object(Stream::new(dictionary! {}, b"q /X1 Do Q".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form_id } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    finish(doc, pages_id, vec![page.into()])
}

/// The catalog's id of a generated PDF.
pub fn root_of(doc: &Document) -> lopdf::ObjectId {
    doc.trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .expect("a root")
}

/// A PDF whose cross-reference chain points back at itself (`/Prev` of the last section is that
/// same section).
pub fn pdf_with_xref_loop() -> Vec<u8> {
    let mut bytes = pdf_from_text("Pętla w tablicy odsyłaczy", None, None);
    let doc = Document::load_mem(&bytes).expect("the generated PDF loads");
    let root = root_of(&doc);
    let size = doc.max_id + 1;
    let at = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size {size} /Root {} {} R /Prev {at} >>\n\
             startxref\n{at}\n%%EOF\n",
            root.0, root.1
        )
        .as_bytes(),
    );
    bytes
}

/// A PDF whose page content is a small Flate stream that expands to `mib` MiB (a decompression
/// bomb).
pub fn pdf_with_content_bomb(mib: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! {}, vec![b' '; mib << 20]);
    stream.compress().expect("compresses");
    let content = doc.add_object(stream);
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    finish(doc, pages_id, vec![page.into()])
}

/// Runs a command to its end; returns the wall time and its peak resident memory in KiB.
pub fn run_measured(cmd: &mut Command) -> (Duration, u64) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path)
            && let Some(line) = s.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb);
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    (elapsed, peak)
}

/// The machine, for benchmark reports: CPU model, cores, memory.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb >> 20);
    format!("{cpu}, {cores} cores, {mem} GiB")
}

/// The shared folder beside the project (`../shared`), from this crate's manifest.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .canonicalize()
        .expect("../shared beside the project")
}

/// The corpus folder.
pub fn corpus() -> PathBuf {
    shared().join("corpus")
}

/// Administrative texts of the corpus: the two acts (pdftotext output).
pub fn admin_texts() -> Vec<(String, String)> {
    let dir = corpus().join("admin_texts/isap_pdftotext");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/admin_texts")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for p in entries {
        let text = std::fs::read_to_string(&p).expect("UTF-8 text");
        out.push((p.file_stem().unwrap().to_string_lossy().into_owned(), text));
    }
    out
}

/// A grey JPEG as an image XObject, its data as it is.
fn grey_jpeg(doc: &mut Document, jpeg: &[u8], w: u32, h: u32) -> lopdf::ObjectId {
    doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64,
            "Height" => h as i64, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    ))
}

/// A one-page PDF (A4) drawing JPEG images stacked from the top, each the page's width: a page
/// that is not one single image, so OCR must render it. `strips` are (JPEG bytes, width, height).
pub fn pdf_of_stacked_jpegs(strips: &[(Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let (page_w, page_h) = (595.0f32, 842.0f32);
    let scale = page_w / strips.first().map_or(1, |s| s.1) as f32;
    let mut xobjects = lopdf::Dictionary::new();
    let mut ops = Vec::new();
    let mut top = page_h;
    for (i, (jpeg, w, h)) in strips.iter().enumerate() {
        let id = grey_jpeg(&mut doc, jpeg, *w, *h);
        let name = format!("Im{i}");
        xobjects.set(name.as_bytes(), id);
        let (dw, dh) = (*w as f32 * scale, *h as f32 * scale);
        top -= dh;
        ops.push(Operation::new("q", vec![]));
        ops.push(Operation::new(
            "cm",
            vec![
                dw.into(),
                0.into(),
                0.into(),
                dh.into(),
                0.into(),
                top.into(),
            ],
        ));
        ops.push(Operation::new("Do", vec![Object::Name(name.into_bytes())]));
        ops.push(Operation::new("Q", vec![]));
    }
    let content = doc.add_object(Stream::new(
        dictionary! {},
        Content { operations: ops }
            .encode()
            .expect("content encodes"),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), page_w.into(), page_h.into()],
        "Resources" => dictionary! { "XObject" => xobjects },
        "Contents" => content,
    });
    finish(doc, pages_id, vec![page.into()])
}

/// An uncompressed 1-bit TIFF (WhiteIsZero: a set bit is black) of `black` pixels, for tools
/// such as `tiffcp -c g4` to compress.
pub fn bilevel_tiff(black: &[bool], width: u32, height: u32, dpi: u32) -> Vec<u8> {
    let row = (width as usize).div_ceil(8);
    let mut data = vec![0u8; row * height as usize];
    for y in 0..height as usize {
        for x in 0..width as usize {
            if black[y * width as usize + x] {
                data[y * row + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    // Header, the pixel data, the resolution rational, then the directory.
    let mut out = b"II*\0".to_vec();
    let res_at = 8 + data.len() as u32;
    let ifd_at = res_at + 8;
    out.extend(ifd_at.to_le_bytes());
    out.extend(&data);
    out.extend(dpi.to_le_bytes());
    out.extend(1u32.to_le_bytes());
    let entries: [(u16, u16, u32); 11] = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, 1),
        (259, 3, 1),
        (262, 3, 0),
        (273, 4, 8),
        (277, 3, 1),
        (278, 4, height),
        (279, 4, data.len() as u32),
        (282, 5, res_at),
        (296, 3, 2),
    ];
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
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
    out
}

/// The text with white space runs made single spaces, as characters.
pub fn normalise(s: &str) -> Vec<char> {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

/// Levenshtein distance over characters, divided by the length of the truth.
pub fn cer(ocr: &[char], truth: &[char]) -> f64 {
    let mut prev: Vec<usize> = (0..=truth.len()).collect();
    let mut cur = vec![0; truth.len() + 1];
    for (i, a) in ocr.iter().enumerate() {
        cur[0] = i + 1;
        for (j, b) in truth.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(a != b))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[truth.len()] as f64 / truth.len().max(1) as f64
}

/// Turns a grey image clockwise by `degrees` about its centre (bilinear, white outside): a
/// sheet fed askew.
pub fn rotate_grey(img: &image::GrayImage, degrees: f64) -> image::GrayImage {
    let (w, h) = img.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    image::GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f64 - cx, y as f64 - cy);
        let (sx, sy) = (cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy);
        if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f64 || sy >= (h - 1) as f64 {
            return image::Luma([255]);
        }
        let (x0, y0) = (sx.floor() as u32, sy.floor() as u32);
        let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
        let p = |x, y| img.get_pixel(x, y).0[0] as f64;
        let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
        let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
        image::Luma([(top * (1.0 - fy) + bottom * fy).round() as u8])
    })
}

/// A PDF with one A4 page per JPEG, each image filling its page: a scanner's scan-to-PDF.
/// `pages` are (JPEG bytes, width, height), grey.
pub fn pdf_of_jpeg_pages(pages: &[(Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (jpeg, w, h) in pages {
        let image = grey_jpeg(&mut doc, jpeg, *w, *h);
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
        ));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
            "Contents" => content,
        })));
    }
    finish(doc, pages_id, kids)
}

/// A small xorshift generator for random schedules that a seed replays.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A generator seeded from `CRASH_SEED` when set (to replay a failure), else from the
    /// clock; the seed is printed for `what`.
    pub fn replayable(what: &str) -> Rng {
        let seed = std::env::var("CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("{what} seed: {seed} (set CRASH_SEED to replay)");
        Rng(seed)
    }
}
