//! Polish OCR for Składnica: Tesseract 5 through libtesseract.
//!
//! One [`Engine`] per worker thread, each single-threaded (Tesseract's own OpenMP threads thrash
//! on two cores: the `skladnica` binary sets `OMP_THREAD_LIMIT=1` before any engine starts, and
//! the work is spread over pages instead). An engine takes an 8-bit grey image and returns the
//! page's text, its words with boxes and confidences (from Tesseract's TSV output) and the mean
//! confidence. The engine itself is in `tesseract.rs`; on Windows, where this project does not
//! link libtesseract, `unavailable.rs` stands in and says so.

#[cfg(not(windows))]
#[path = "tesseract.rs"]
mod engine;
#[cfg(windows)]
#[path = "unavailable.rs"]
mod engine;

/// What went wrong with OCR.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// A language's trained data is not installed.
    #[error(
        "the OCR language \"{language}\" is not installed (installed: {}); install the Debian \
         package tesseract-ocr-{language}",
        installed.join(", ")
    )]
    MissingLanguage {
        /// The language asked for.
        language: String,
        /// What Tesseract has.
        installed: Vec<String>,
    },
    /// Tesseract could not start.
    #[error("Tesseract could not start with languages \"{0}\"")]
    Init(String),
    /// The image could not be given to Tesseract.
    #[error("the page image cannot be read by Tesseract: {0}")]
    Image(String),
    /// Recognition failed.
    #[error("Tesseract failed to recognise the page")]
    Recognize,
}

/// An 8-bit grey page image.
#[derive(Debug, Clone, Copy)]
pub struct GreyImage<'a> {
    /// Pixels, row by row, one byte each.
    pub pixels: &'a [u8],
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution, when the file says.
    pub dpi: Option<u32>,
}

/// One recognised word.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Its text.
    pub text: String,
    /// Tesseract's confidence, 0–100.
    pub confidence: f32,
    /// Left edge in pixels.
    pub left: u32,
    /// Top edge in pixels.
    pub top: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The OCR result of one page.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// Degrees the page was turned clockwise before reading, after orientation detection
    /// (0, 90, 180 or 270); word boxes are in the turned image.
    pub rotation: u32,
    /// Width of the image the word boxes refer to (the turned image), in pixels.
    pub image_width: u32,
    /// Height of that image, in pixels.
    pub image_height: u32,
    /// Degrees the page was turned clockwise about its centre to straighten it (deskew, before
    /// any quarter turn); word boxes are in the straightened (and turned) image.
    pub skew: f32,
    /// The text, lines separated by newlines and paragraphs by blank lines.
    pub text: String,
    /// The words with their boxes.
    pub words: Vec<Word>,
    /// The mean word confidence, 0–100.
    pub mean_confidence: f32,
}

pub use engine::{Engine, installed_languages};

/// Call first thing in `main` of a program that runs OCR. Tesseract's OpenMP threads thrash on few cores (a page takes 14 s instead of 2 on two cores);
/// OCR runs one engine per core instead. OpenMP reads `OMP_THREAD_LIMIT` when its library is
/// loaded, before `main`, so the program starts itself again with the variable set. (`exec`
/// replaces the process: there is no parent left behind, signals and exit codes stay as they
/// are.)
pub fn limit_openmp_threads() {
    #[cfg(unix)]
    if std::env::var_os("OMP_THREAD_LIMIT").is_none()
        && let Ok(exe) = std::env::current_exe()
    {
        use std::os::unix::process::CommandExt;
        let err = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("OMP_THREAD_LIMIT", "1")
            .exec();
        // Only reached when the restart failed: go on, slower.
        eprintln!("warning: could not limit OCR threads ({err}); OCR will be slow");
    }
}

/// Checks that every language of `languages` (`pol+eng`) is installed.
pub fn check_languages(languages: &str) -> Result<(), OcrError> {
    let installed = installed_languages();
    for lang in languages.split('+') {
        if lang.is_empty() || !installed.iter().any(|i| i == lang) {
            return Err(OcrError::MissingLanguage {
                language: lang.to_string(),
                installed,
            });
        }
    }
    Ok(())
}

/// Image clean-up before recognition. Each step is measured by the OCR benchmark
/// (`BENCHMARKS.md`); [`Cleanup::default`] holds the ones that lower the error rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cleanup {
    /// Find the skew of the text lines (Leptonica) and straighten the page.
    pub deskew: bool,
    /// Even out the paper's background (shadows, yellowed paper) before thresholding.
    pub normalize_background: bool,
    /// Sauvola's adaptive thresholding instead of Tesseract's global Otsu.
    pub sauvola: bool,
    /// Paint out dark regions touching the image edge (scanner lid, the table under a photo,
    /// shadows of the sheet's edge).
    pub remove_border: bool,
}

/// Deskew only straightens pages at least this far askew: below it, turning a straight scan
/// by a fraction of a degree costs more in interpolation than it gains (measured).
pub const DESKEW_MIN_DEGREES: f32 = 1.0;

impl Default for Cleanup {
    /// Measured on the ground-truth scans (`BENCHMARKS.md`, OCR clean-up): deskew (from 1°)
    /// takes a 5° page from 2.3 % to 0.3 % CER and leaves straight pages alone; background
    /// normalisation and Sauvola thresholding made scans worse and border removal did not
    /// help (Tesseract copes with a dark frame), so they stay off.
    fn default() -> Self {
        Cleanup {
            deskew: true,
            ..Cleanup::NONE
        }
    }
}

impl Cleanup {
    /// No clean-up: the image as scanned.
    pub const NONE: Cleanup = Cleanup {
        deskew: false,
        normalize_background: false,
        sauvola: false,
        remove_border: false,
    };
}

/// Reads Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height,
/// confidence, text): the words, and the text rebuilt with a newline per line and a blank line
/// between paragraphs.
pub fn parse_tsv(tsv: &str) -> (String, Vec<Word>) {
    let mut words = Vec::new();
    let mut text = String::new();
    let mut last_line: Option<(u32, u32, u32)> = None;
    let mut last_par: Option<(u32, u32)> = None;
    for row in tsv.lines() {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<i64>().unwrap_or(0).max(0) as u32;
        let word = f[11].trim();
        if word.is_empty() {
            continue;
        }
        let par = (n(2), n(3));
        let line = (n(2), n(3), n(4));
        if !text.is_empty() {
            if last_par != Some(par) {
                text.push_str("\n\n");
            } else if last_line != Some(line) {
                text.push('\n');
            } else {
                text.push(' ');
            }
        }
        text.push_str(word);
        last_par = Some(par);
        last_line = Some(line);
        words.push(Word {
            text: word.to_string(),
            confidence: f[10].trim().parse().unwrap_or(0.0),
            left: n(6),
            top: n(7),
            width: n(8),
            height: n(9),
        });
    }
    (text, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_becomes_lines_paragraphs_and_words() {
        let tsv = "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t95.5\tZarządzenie\n\
                   5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t91\tnr\n\
                   5\t1\t1\t1\t2\t1\t10\t70\t30\t40\t88\t12\n\
                   4\t1\t1\t2\t1\t0\t0\t0\t0\t0\t-1\t\n\
                   5\t1\t1\t2\t1\t1\t10\t120\t30\t40\t90\tWójta\n";
        let (text, words) = parse_tsv(tsv);
        assert_eq!(text, "Zarządzenie nr\n12\n\nWójta");
        assert_eq!(words.len(), 4);
        assert_eq!(words[0].confidence, 95.5);
        assert_eq!((words[3].left, words[3].top), (10, 120));
    }

    #[test]
    fn polish_is_installed_and_a_missing_language_is_an_error() {
        let langs = installed_languages();
        assert!(langs.contains(&"pol".to_string()), "{langs:?}");
        let err = Engine::new("pol+xyz").err().expect("xyz is not a language");
        assert!(err.to_string().contains("xyz"), "{err}");
    }

    #[test]
    fn a_blank_page_has_no_words() {
        let pixels = vec![255u8; 400 * 200];
        let mut engine = Engine::new("pol").unwrap();
        let page = engine
            .recognize(&GreyImage {
                pixels: &pixels,
                width: 400,
                height: 200,
                dpi: Some(300),
            })
            .unwrap();
        assert!(page.words.is_empty(), "{:?}", page.words);
    }
}
