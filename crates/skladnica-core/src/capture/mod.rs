//! Capture from a scanner: scan profiles (built in, and the library's own), and a scan that
//! turns a stack of paper into documents. Pages are written to disk as they arrive — each
//! document a multi-page TIFF (Deflate, lossless, with its resolution) in the library's
//! `skany/` folder — so a scanner that stops in the middle of a batch loses nothing already
//! scanned. Separator sheets and blank pages split the stack ([`separate`]); the documents are
//! then imported like any file (their pages await OCR) and the batch folder is removed.

pub mod separate;
pub mod stacks;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use tiff::encoder::{Rational, TiffEncoder, colortype};
use tiff::tags::ResolutionUnit;

pub use skladnica_scan::{Applied, Colour, DeviceInfo, Source};

use crate::error::{Error, Result};
use crate::ingest::{ImportEvent, ImportOptions, ImportReport};
use crate::library::Library;
use separate::{BlankPages, PageRole, Separation};

/// A scan profile: how to scan and how to split what was scanned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Its name (`dokumenty`, `dwustronne`, …).
    pub name: String,
    /// What it is for, in a few words.
    #[serde(default)]
    pub description: String,
    /// Dots per inch.
    pub resolution: u32,
    /// Colour mode.
    pub colour: Colour,
    /// Paper source; `None` takes the feeder when the scanner has one, else the glass.
    pub source: Option<Source>,
    /// Page size in millimetres; `None` scans the scanner's whole area.
    pub page_mm: Option<(f64, f64)>,
    /// How the stack is split into documents.
    #[serde(default)]
    pub separation: Separation,
    /// Backend options set as they are (`name`, `value`).
    #[serde(default)]
    pub options: Vec<(String, String)>,
}

/// A4 in millimetres.
pub const A4: (f64, f64) = (210.0, 297.0);

/// Named page sizes (millimetres).
pub fn page_size(name: &str) -> Option<(f64, f64)> {
    let name = name.to_lowercase();
    let named = match name.as_str() {
        "a3" => Some((297.0, 420.0)),
        "a4" => Some(A4),
        "a5" => Some((148.0, 210.0)),
        "b5" => Some((176.0, 250.0)),
        "letter" => Some((215.9, 279.4)),
        "legal" => Some((215.9, 355.6)),
        _ => None,
    };
    named.or_else(|| {
        let (w, h) = name.split_once('x')?;
        let (w, h) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
        (w > 0.0 && h > 0.0 && w < 2000.0 && h < 2000.0).then_some((w, h))
    })
}

/// The profiles every library has.
pub fn builtin_profiles() -> Vec<Profile> {
    let base = |name: &str, description: &str, resolution, colour| Profile {
        name: name.into(),
        description: description.into(),
        resolution,
        colour,
        source: None,
        page_mm: Some(A4),
        separation: Separation::default(),
        options: vec![],
    };
    vec![
        base(
            "dokumenty",
            "pisma urzędowe: 300 dpi, odcienie szarości, A4",
            300,
            Colour::Gray,
        ),
        Profile {
            source: Some(Source::AdfDuplex),
            separation: Separation {
                blank: BlankPages::Drop,
                ..Separation::default()
            },
            ..base(
                "dwustronne",
                "podajnik, obie strony, puste strony pomijane",
                300,
                Colour::Gray,
            )
        },
        base(
            "kolor",
            "pieczęcie i podpisy w kolorze: 300 dpi, A4",
            300,
            Colour::Color,
        ),
        Profile {
            page_mm: None,
            ..base(
                "archiwalne",
                "digitalizacja zasobu: 400 dpi, kolor, cały obszar skanera",
                400,
                Colour::Color,
            )
        },
        base(
            "czarno-biale",
            "czysty druk, najmniejsze pliki: 300 dpi, czerń i biel",
            300,
            Colour::Lineart,
        ),
    ]
}

/// The built-in profiles and the library's own (which replace built-ins of the same name).
pub fn profiles(lib: &Library) -> Result<Vec<Profile>> {
    let mut out = builtin_profiles();
    for p in saved_profiles(lib)? {
        match out.iter_mut().find(|b| b.name == p.name) {
            Some(slot) => *slot = p,
            None => out.push(p),
        }
    }
    Ok(out)
}

fn saved_profiles(lib: &Library) -> Result<Vec<Profile>> {
    let json = crate::db::settings::get(lib.conn(), "scan_profiles")?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Saves a profile in the library (replacing one of the same name).
pub fn save_profile(lib: &Library, profile: &Profile) -> Result<()> {
    lib.require_writable()?;
    let mut saved = saved_profiles(lib)?;
    saved.retain(|p| p.name != profile.name);
    saved.push(profile.clone());
    let json = serde_json::to_string(&saved).expect("profiles serialise");
    crate::db::settings::set(lib.conn(), "scan_profiles", &json)
}

/// The profile called `name`.
pub fn profile(lib: &Library, name: &str) -> Result<Profile> {
    let all = profiles(lib)?;
    all.iter().find(|p| p.name == name).cloned().ok_or_else(|| {
        Error::Scan(format!(
            "no scan profile \"{name}\" (there are: {})",
            all.iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The scanners SANE sees, with what each offers.
pub fn devices() -> Result<Vec<DeviceInfo>> {
    let session = skladnica_scan::Session::new().map_err(scan_error)?;
    session.devices().map_err(scan_error)
}

fn scan_error(e: skladnica_scan::ScanError) -> Error {
    Error::Scan(e.to_string())
}

/// What a scan reports as it goes.
#[derive(Debug, Clone)]
pub enum ScanEvent<'a> {
    /// The scanner is set up.
    Ready(&'a Applied),
    /// A page was scanned: its 1-based number in the batch, what it turned out to be, and the
    /// page itself (for a live thumbnail, [`thumbnail`]).
    Page(usize, &'a PageRole, &'a skladnica_scan::Page),
}

/// A scanned page as a small JPEG (longest side `max_side` pixels), for showing the stack as it
/// comes out of the scanner.
pub fn thumbnail(page: &skladnica_scan::Page, max_side: u32) -> Result<Vec<u8>> {
    let bad = |why: String| Error::Scan(format!("thumbnail of a scanned page: {why}"));
    let img = if page.channels == 3 {
        image::RgbImage::from_raw(page.width, page.height, page.pixels.clone())
            .map(image::DynamicImage::ImageRgb8)
    } else {
        image::GrayImage::from_raw(page.width, page.height, page.pixels.clone())
            .map(image::DynamicImage::ImageLuma8)
    }
    .ok_or_else(|| {
        bad(format!(
            "{}×{} pixels do not fit its data",
            page.width, page.height
        ))
    })?;
    let side = max_side.clamp(16, 1024);
    let small = img.thumbnail(side, side).to_rgb8();
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(small)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .map_err(|e| bad(e.to_string()))?;
    Ok(jpeg)
}

/// One document made from the stack.
#[derive(Debug, Clone, Serialize)]
pub struct ScannedDocument {
    /// Its pages.
    pub pages: usize,
    /// The library document, once imported.
    pub id: Option<i64>,
}

/// The outcome of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// The scanner.
    pub device: String,
    /// What it was set to.
    pub applied: Applied,
    /// Pages that came out of the scanner.
    pub pages_scanned: usize,
    /// Separator sheets found (and left out).
    pub separators: usize,
    /// Blank pages left out.
    pub blank_pages: usize,
    /// The documents, in order.
    pub documents: Vec<ScannedDocument>,
    /// Their import.
    pub import: ImportReport,
    /// Why the scanner stopped early, if it did; the pages before were kept.
    pub scanner_error: Option<String>,
    /// Where the scanned files stay when they could not all be imported.
    pub kept_in: Option<PathBuf>,
}

/// A multi-page TIFF being written, one page at a time.
struct DocumentFile {
    path: PathBuf,
    encoder: TiffEncoder<BufWriter<File>>,
    pages: usize,
}

impl DocumentFile {
    fn create(path: PathBuf) -> Result<DocumentFile> {
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let encoder = TiffEncoder::new(BufWriter::new(file))
            .map_err(|e| Error::Scan(format!("{}: {e}", path.display())))?
            .with_compression(tiff::encoder::Compression::Deflate(
                tiff::encoder::DeflateLevel::Balanced,
            ));
        Ok(DocumentFile {
            path,
            encoder,
            pages: 0,
        })
    }

    fn add(&mut self, page: &skladnica_scan::Page) -> Result<()> {
        let err = |e: tiff::TiffError| Error::Scan(format!("{}: {e}", self.path.display()));
        let resolution = Rational {
            n: page.dpi.max(1),
            d: 1,
        };
        if page.channels == 3 {
            let mut img = self
                .encoder
                .new_image::<colortype::RGB8>(page.width, page.height)
                .map_err(err)?;
            img.resolution(ResolutionUnit::Inch, resolution);
            img.write_data(&page.pixels).map_err(err)?;
        } else {
            let mut img = self
                .encoder
                .new_image::<colortype::Gray8>(page.width, page.height)
                .map_err(err)?;
            img.resolution(ResolutionUnit::Inch, resolution);
            img.write_data(&page.pixels).map_err(err)?;
        }
        self.pages += 1;
        Ok(())
    }

    fn finish(self) -> Result<(PathBuf, usize)> {
        let DocumentFile {
            path,
            encoder,
            pages,
        } = self;
        drop(encoder);
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        Ok((path, pages))
    }
}

/// A time stamp for batch folders and file names.
fn batch_stamp() -> String {
    crate::db::now().replace([':', 'T'], "-").replace('Z', "")
}

/// A stack of pages being split into documents, each written as it grows.
struct Stack<'a> {
    dir: PathBuf,
    prefix: String,
    separation: &'a Separation,
    current: Option<DocumentFile>,
    finished: Vec<(PathBuf, usize)>,
    pages_seen: usize,
    separators: usize,
    blank: usize,
}

impl<'a> Stack<'a> {
    fn new(dir: PathBuf, prefix: String, separation: &'a Separation) -> Result<Stack<'a>> {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Stack {
            dir,
            prefix,
            separation,
            current: None,
            finished: vec![],
            pages_seen: 0,
            separators: 0,
            blank: 0,
        })
    }

    /// Takes the next page: a separator sheet or (with `split`) a blank page ends the current
    /// document; other pages are written to it.
    fn push(&mut self, page: &skladnica_scan::Page) -> Result<PageRole> {
        self.pages_seen += 1;
        let grey: std::borrow::Cow<[u8]> = if page.channels == 3 {
            crate::ocr::luma(&page.pixels, 3, page.pixels.len() / 3).into()
        } else {
            (&page.pixels[..]).into()
        };
        let role = separate::classify(&grey, page.width, page.height, page.dpi, self.separation);
        let close = match role {
            PageRole::Separator(_) => {
                self.separators += 1;
                true
            }
            PageRole::Blank => {
                self.blank += 1;
                self.separation.blank == BlankPages::Split
            }
            PageRole::Content => {
                if self.current.is_none() {
                    let n = self.finished.len() + 1;
                    let path = self.dir.join(format!("{} nr {n}.tiff", self.prefix));
                    self.current = Some(DocumentFile::create(path)?);
                }
                self.current.as_mut().expect("just made").add(page)?;
                false
            }
        };
        if close && let Some(doc) = self.current.take() {
            self.finished.push(doc.finish()?);
        }
        Ok(role)
    }

    /// Ends the stack: the documents written, with their page counts.
    fn finish(mut self) -> Result<Vec<(PathBuf, usize)>> {
        if let Some(doc) = self.current.take() {
            self.finished.push(doc.finish()?);
        }
        Ok(self.finished)
    }
}

/// A stack scanned and split into document files, not yet in the library.
#[derive(Debug)]
pub struct Captured {
    /// The scanner.
    pub device: String,
    /// What it was set to.
    pub applied: Applied,
    /// The profile used.
    pub profile: String,
    /// The colour the profile asked for.
    pub colour: Colour,
    /// The batch folder holding the document files.
    pub dir: PathBuf,
    /// The document files, in order, with their page counts.
    pub documents: Vec<(PathBuf, usize)>,
    /// Pages that came out of the scanner.
    pub pages_scanned: usize,
    /// Separator sheets found (and left out).
    pub separators: usize,
    /// Blank pages left out.
    pub blank_pages: usize,
    /// Why the scanner stopped early, if it did; the pages before were kept.
    pub scanner_error: Option<String>,
}

/// Scans a stack from `device` (empty: the first scanner) with `profile` into a batch folder
/// under the library at `root`, split into document files as pages arrive. It does not touch
/// the library's database, so it needs no lock while the paper goes through;
/// [`import_captured`] then brings the documents in.
pub fn capture(
    root: &Path,
    device: &str,
    profile: &Profile,
    on_event: &mut dyn FnMut(&ScanEvent),
    cancel: &AtomicBool,
) -> Result<Captured> {
    let session = skladnica_scan::Session::new().map_err(scan_error)?;
    let mut scanner = session.open(device).map_err(scan_error)?;
    let mut settings = skladnica_scan::Settings {
        resolution: profile.resolution,
        colour: profile.colour,
        source: profile.source.unwrap_or(Source::Adf),
        page_mm: profile.page_mm,
        extra: profile.options.clone(),
    };
    let applied = match scanner.configure(&settings) {
        // No feeder: "any source" falls back to the glass.
        Err(skladnica_scan::ScanError::Unsupported { .. }) if profile.source.is_none() => {
            settings.source = Source::Flatbed;
            scanner.configure(&settings)
        }
        other => other,
    }
    .map_err(scan_error)?;
    let device_name = scanner.name().to_string();
    on_event(&ScanEvent::Ready(&applied));

    let stamp = batch_stamp();
    let dir = root.join("skany").join(&stamp);
    let mut stack = Stack::new(dir.clone(), format!("Skan {stamp}"), &profile.separation)?;
    let mut write_error: Option<Error> = None;
    let end = scanner.scan(
        applied.feeder,
        &mut |page| match stack.push(&page) {
            Ok(role) => {
                on_event(&ScanEvent::Page(stack.pages_seen, &role, &page));
                true
            }
            Err(e) => {
                write_error = Some(e);
                false
            }
        },
        cancel,
    );
    drop(scanner);
    drop(session);
    let (scanned, separators, blank) = (stack.pages_seen, stack.separators, stack.blank);
    let documents = stack.finish()?;
    if let Some(e) = write_error {
        return Err(e);
    }
    Ok(Captured {
        device: device_name,
        applied,
        profile: profile.name.clone(),
        colour: profile.colour,
        dir,
        documents,
        pages_scanned: scanned,
        separators,
        blank_pages: blank,
        scanner_error: end.error.map(|e| e.to_string()),
    })
}

/// Imports the documents of a [`capture`]d stack (their pages await OCR), records where they
/// came from, and removes the batch folder once every document is in.
pub fn import_captured(
    lib: &mut Library,
    captured: Captured,
    import: &ImportOptions,
    on_event: &mut dyn FnMut(&ImportEvent),
    cancel: &AtomicBool,
) -> Result<ScanReport> {
    let Captured {
        device,
        applied,
        profile,
        colour,
        dir,
        documents: finished,
        pages_scanned,
        separators,
        blank_pages,
        scanner_error,
    } = captured;
    let paths: Vec<PathBuf> = finished.iter().map(|(p, _)| p.clone()).collect();
    let report = if paths.is_empty() {
        ImportReport::default()
    } else {
        crate::ingest::run(lib, &paths, import, on_event, cancel)?
    };
    let documents = finished
        .iter()
        .map(|(path, pages)| {
            let shown = crate::ingest::display_path(path);
            let id = report
                .imported
                .iter()
                .chain(&report.duplicates)
                .find(|i| i.path == shown)
                .map(|i| i.id);
            ScannedDocument { pages: *pages, id }
        })
        .collect::<Vec<_>>();
    let facts = [
        ("scanner", device.clone()),
        ("scan_profile", profile),
        ("scan_resolution", applied.resolution.to_string()),
        (
            "scan_mode",
            applied
                .mode
                .clone()
                .unwrap_or_else(|| format!("{colour:?}")),
        ),
    ];
    for item in &report.imported {
        put_facts(lib, item.id, &facts)?;
    }
    let all_in = documents.iter().all(|d| d.id.is_some());
    let kept_in = if all_in {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir(lib.root().join("skany"));
        None
    } else {
        Some(dir)
    };
    Ok(ScanReport {
        device,
        applied,
        pages_scanned,
        separators,
        blank_pages,
        documents,
        import: report,
        scanner_error,
        kept_in,
    })
}

/// Scans a stack from `device` (empty: the first scanner) with `profile`, splits it into
/// documents and imports them ([`capture`], then [`import_captured`]). Their pages await OCR.
pub fn scan(
    lib: &mut Library,
    device: &str,
    profile: &Profile,
    import: &ImportOptions,
    on_event: &mut dyn FnMut(&ScanEvent),
    cancel: &AtomicBool,
) -> Result<ScanReport> {
    lib.require_writable()?;
    let captured = capture(lib.root(), device, profile, on_event, cancel)?;
    import_captured(lib, captured, import, &mut |_| {}, cancel)
}

/// Records where a scanned document came from (metadata with source `scan`).
fn put_facts(lib: &Library, id: i64, facts: &[(&str, String)]) -> Result<()> {
    for (key, value) in facts {
        lib.conn()
            .execute(
                "INSERT OR REPLACE INTO metadata (document_id, key, value, source)
                 VALUES (?1, ?2, ?3, 'scan')",
                params![id, key, value],
            )
            .map_err(|e| Error::sqlite("storing scan facts", e))?;
    }
    Ok(())
}

/// The outcome of an import with stack separation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeparatedImport {
    /// The import (of the parts, where files were split).
    #[serde(flatten)]
    pub import: ImportReport,
    /// The files that were split, and how.
    pub stacks: Vec<stacks::StackSplit>,
}

/// Imports files and folders like [`crate::ingest::run`], but first splits scanned stacks
/// (multi-page TIFFs) at separator sheets and blank pages, as `sep` says.
pub fn import_separated(
    lib: &mut Library,
    inputs: &[PathBuf],
    sep: &Separation,
    opts: &ImportOptions,
    on_event: &mut dyn FnMut(&ImportEvent),
    cancel: &AtomicBool,
) -> Result<SeparatedImport> {
    lib.require_writable()?;
    let (files, listing_failures) = crate::ingest::collect_files(inputs);
    let work = lib
        .root()
        .join("skany")
        .join(format!("{}-stosy", batch_stamp()));
    let mut list = Vec::new();
    let mut splits = Vec::new();
    let mut warnings = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match stacks::split_file(file, sep, &work.join(i.to_string())) {
            Ok(Some(split)) => {
                list.extend(split.parts.iter().map(|(p, _)| p.clone()));
                splits.push(split);
            }
            Ok(None) => list.push(file.clone()),
            Err(e) => {
                warnings.push(crate::ingest::Warning {
                    path: crate::ingest::display_path(file),
                    message: format!("not split into documents: {e}"),
                });
                list.push(file.clone());
            }
        }
    }
    let mut import = crate::ingest::run(lib, &list, opts, on_event, cancel)?;
    for f in listing_failures {
        on_event(&ImportEvent::Failed(&f));
        import.failed.push(f);
    }
    import.warnings.extend(warnings);
    let mut all_in = true;
    for split in &splits {
        let n = split.parts.len();
        for (k, (part, _)) in split.parts.iter().enumerate() {
            let shown = crate::ingest::display_path(part);
            let Some(item) = import
                .imported
                .iter()
                .chain(&import.duplicates)
                .find(|i| i.path == shown)
            else {
                all_in = false;
                continue;
            };
            let facts = [
                ("stack_source", split.source.clone()),
                ("stack_part", format!("{} z {n}", k + 1)),
            ];
            put_facts(lib, item.id, &facts)?;
        }
    }
    if all_in {
        let _ = std::fs::remove_dir_all(&work);
        let _ = std::fs::remove_dir(lib.root().join("skany"));
    }
    Ok(SeparatedImport {
        import,
        stacks: splits,
    })
}

/// Writes a printable separator sheet (a one-page PNG at 150 dpi) carrying `text`.
pub fn write_separator_sheet(text: &str, path: &Path) -> Result<()> {
    let (pixels, w, h) = separate::separator_sheet(text).map_err(Error::Scan)?;
    let img = image::GrayImage::from_raw(w, h, pixels).expect("sizes match");
    img.save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(width: u32, height: u32, channels: u8, len: usize) -> skladnica_scan::Page {
        skladnica_scan::Page {
            width,
            height,
            dpi: 300,
            pixels: vec![200; len],
            channels,
            bilevel: false,
        }
    }

    #[test]
    fn a_thumbnail_keeps_the_page_shape_within_the_size_asked() {
        for channels in [1u8, 3] {
            let p = page(1000, 2000, channels, 1000 * 2000 * channels as usize);
            let jpeg = thumbnail(&p, 64).unwrap();
            let img = image::load_from_memory(&jpeg).unwrap();
            assert_eq!((img.width(), img.height()), (32, 64));
        }
    }

    #[test]
    fn a_page_whose_data_does_not_fit_its_size_is_refused() {
        let err = thumbnail(&page(100, 100, 1, 50), 64).unwrap_err();
        assert!(err.to_string().contains("100×100"), "{err}");
    }
}
