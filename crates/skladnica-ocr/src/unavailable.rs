//! The engine on Windows, where this project does not build libtesseract (there is no Windows
//! Tesseract to link against on the Debian machines that build and test it). Everything
//! compiles and the rest of Składnica works; asking for OCR says what is missing. A Windows
//! build links the UB Mannheim Tesseract 5 through `tesseract-plumbing` like the Linux one.

use crate::{Cleanup, GreyImage, OcrError, PageText};

const UNAVAILABLE: &str = "OCR is not part of this Windows build (Tesseract is not linked); \
                           scanned pages stay awaiting OCR";

/// No languages: OCR is not available in this build.
pub fn installed_languages() -> Vec<String> {
    Vec::new()
}

/// The engine's place in a build without Tesseract: it never starts.
pub struct Engine {
    languages: String,
}

impl Engine {
    /// Always fails: this build has no Tesseract.
    pub fn new(languages: &str) -> Result<Engine, OcrError> {
        let _ = Engine {
            languages: languages.to_string(),
        };
        Err(OcrError::Init(format!("{languages}: {UNAVAILABLE}")))
    }

    /// As on Linux.
    pub fn with_cleanup(self, _cleanup: Cleanup) -> Engine {
        self
    }

    /// The languages it was asked for.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Never reached (no engine starts).
    pub fn recognize_encoded(
        &mut self,
        _bytes: &[u8],
        _tiff_page: Option<usize>,
    ) -> Result<PageText, OcrError> {
        Err(OcrError::Init(UNAVAILABLE.into()))
    }

    /// Never reached (no engine starts).
    pub fn recognize_jpeg_reduced(
        &mut self,
        _bytes: &[u8],
        _reduction: u32,
    ) -> Result<PageText, OcrError> {
        Err(OcrError::Init(UNAVAILABLE.into()))
    }

    /// Never reached (no engine starts).
    pub fn recognize(&mut self, _image: &GreyImage) -> Result<PageText, OcrError> {
        Err(OcrError::Init(UNAVAILABLE.into()))
    }
}
