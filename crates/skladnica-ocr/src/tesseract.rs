//! The engine over libtesseract (not built for Windows here: see `unavailable`).

use std::ffi::{CStr, CString};

use tesseract_plumbing::TessBaseApi;

use crate::{
    Cleanup, DESKEW_MIN_DEGREES, GreyImage, OcrError, PageText, check_languages, parse_tsv,
};

/// The languages Tesseract has trained data for, as Tesseract itself lists them.
pub fn installed_languages() -> Vec<String> {
    let mut out = Vec::new();
    // The C API has no safe wrapper for this in tesseract-plumbing.
    #[allow(unsafe_code)]
    // SAFETY: the handle is created, used and deleted here only; the returned array is
    // NULL-terminated, read before it is freed with the matching delete function.
    unsafe {
        use tesseract_plumbing::tesseract_sys as sys;
        let api = sys::TessBaseAPICreate();
        if api.is_null() {
            return out;
        }
        // Initialising with the OSD data (or nothing) is enough to know the data path.
        let osd = CString::new("osd").expect("no NUL");
        if sys::TessBaseAPIInit3(api, std::ptr::null(), osd.as_ptr()) == 0 {
            let list = sys::TessBaseAPIGetAvailableLanguagesAsVector(api);
            if !list.is_null() {
                let mut p = list;
                while !(*p).is_null() {
                    out.push(CStr::from_ptr(*p).to_string_lossy().into_owned());
                    p = p.add(1);
                }
                sys::TessDeleteTextArray(list);
            }
        }
        sys::TessBaseAPIDelete(api);
    }
    out.retain(|l| l != "osd" && l != "equ");
    out.sort();
    out
}

/// How an encoded page image is decoded.
enum Decode {
    /// By its file type (the page of a TIFF when given).
    File(Option<usize>),
    /// A JPEG at 1/n of its size.
    JpegReduced(u32),
    /// A PGM of grey pixels at this resolution.
    Grey(u32),
}

/// A Tesseract engine for one thread.
pub struct Engine {
    api: TessBaseApi,
    languages: String,
    osd: Option<Osd>,
    cleanup: Cleanup,
}

/// A second Tesseract instance with the orientation-and-script data, for page orientation.
struct Osd(*mut tesseract_plumbing::tesseract_sys::TessBaseAPI);

// SAFETY: the handle is owned by one `Engine`, which is used by one thread at a time.
#[allow(unsafe_code)]
unsafe impl Send for Osd {}

impl Osd {
    fn new() -> Option<Osd> {
        use tesseract_plumbing::tesseract_sys as sys;
        let lang = CString::new("osd").expect("no NUL");
        #[allow(unsafe_code)]
        // SAFETY: a handle we create and, on failure, delete; kept only when initialised.
        unsafe {
            let api = sys::TessBaseAPICreate();
            if api.is_null() {
                return None;
            }
            if sys::TessBaseAPIInit3(api, std::ptr::null(), lang.as_ptr()) != 0 {
                sys::TessBaseAPIDelete(api);
                return None;
            }
            Some(Osd(api))
        }
    }

    /// The clockwise rotation of the page as scanned (0, 90, 180, 270), when Tesseract is sure
    /// enough; pages with too little text give `None`.
    fn detect(&mut self, pix: *mut tesseract_plumbing::leptonica_sys::Pix) -> Option<u32> {
        use tesseract_plumbing::tesseract_sys as sys;
        let mut degrees: std::os::raw::c_int = 0;
        let mut confidence: f32 = 0.0;
        let mut script: *const std::os::raw::c_char = std::ptr::null();
        let mut script_confidence: f32 = 0.0;
        #[allow(unsafe_code)]
        // SAFETY: the handle is initialised; `pix` is alive for the call; the out-pointers are
        // locals; the script name points into Tesseract's tables and is not freed.
        let ok = unsafe {
            sys::TessBaseAPISetImage2(self.0, pix.cast());
            sys::TessBaseAPIDetectOrientationScript(
                self.0,
                &mut degrees,
                &mut confidence,
                &mut script,
                &mut script_confidence,
            )
        };
        (ok != 0 && confidence >= MIN_ORIENTATION_CONFIDENCE && degrees % 90 == 0)
            .then_some(degrees.rem_euclid(360) as u32)
    }
}

impl Drop for Osd {
    fn drop(&mut self) {
        #[allow(unsafe_code)]
        // SAFETY: the handle was created by `Osd::new` and is deleted once.
        unsafe {
            tesseract_plumbing::tesseract_sys::TessBaseAPIDelete(self.0);
        }
    }
}

/// Orientation confidence below which a page is read as it is.
const MIN_ORIENTATION_CONFIDENCE: f32 = 2.0;
/// A reading at least this confident (mean word confidence) is taken to be upright; below it
/// the orientation is checked (most pages never pay for orientation detection).
const UPRIGHT_CONFIDENCE: f32 = 70.0;

impl Engine {
    /// Starts Tesseract with `languages` (`pol+eng`). A language that is not installed is a
    /// clear error.
    pub fn new(languages: &str) -> Result<Engine, OcrError> {
        check_languages(languages)?;
        let mut api = TessBaseApi::create();
        let lang = CString::new(languages).map_err(|_| OcrError::Init(languages.into()))?;
        api.init_2(None, Some(&lang))
            .map_err(|_| OcrError::Init(languages.into()))?;
        Ok(Engine {
            api,
            languages: languages.to_string(),
            osd: Osd::new(),
            cleanup: Cleanup::NONE,
        }
        .with_cleanup(Cleanup::default()))
    }

    /// Sets the clean-up steps.
    pub fn with_cleanup(mut self, cleanup: Cleanup) -> Engine {
        let method = CString::new(if cleanup.sauvola { "2" } else { "0" }).expect("no NUL");
        let name = CString::new("thresholding_method").expect("no NUL");
        // Tesseract 5 knows the variable; an older one would keep its own thresholding.
        let _ = self.api.set_variable(&name, &method);
        self.cleanup = cleanup;
        self
    }

    /// The languages this engine reads.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Recognises a page from an encoded image file (JPEG, PNG, TIFF — `tiff_page` picks the
    /// page of a multi-page TIFF, from 0), decoded by Leptonica: palette, bilevel CCITT and other
    /// scanner encodings included. The file's resolution is used when it has one.
    pub fn recognize_encoded(
        &mut self,
        bytes: &[u8],
        tiff_page: Option<usize>,
    ) -> Result<PageText, OcrError> {
        self.recognize_decoded(bytes, Decode::File(tiff_page))
    }

    /// Recognises a JPEG decoded at 1/`reduction` of its size (2, 4 or 8: the JPEG decoder
    /// skips the detail, so a huge scan never takes its full size in memory). Word boxes are in
    /// the reduced image.
    pub fn recognize_jpeg_reduced(
        &mut self,
        bytes: &[u8],
        reduction: u32,
    ) -> Result<PageText, OcrError> {
        self.recognize_decoded(bytes, Decode::JpegReduced(reduction))
    }

    fn recognize_decoded(&mut self, bytes: &[u8], how: Decode) -> Result<PageText, OcrError> {
        use tesseract_plumbing::leptonica_plumbing::Pix;
        use tesseract_plumbing::leptonica_plumbing::memory::RefCountedExclusive;
        use tesseract_plumbing::leptonica_sys;
        let reduction = match how {
            Decode::JpegReduced(r) => r.max(1) as i32,
            Decode::File(_) | Decode::Grey(_) => 1,
        };
        let raw_pix = |ptr: *mut leptonica_sys::Pix, what: String| {
            if ptr.is_null() {
                return Err(OcrError::Image(what));
            }
            #[allow(unsafe_code)]
            // SAFETY: a non-NULL Pix just returned by Leptonica, owned by us from here; the
            // wrapper destroys it when dropped.
            Ok(unsafe { RefCountedExclusive::new(Pix::new_from_pointer(ptr)) })
        };
        let pix = match how {
            Decode::File(Some(n)) if n > 0 => {
                #[allow(unsafe_code)]
                // SAFETY: Leptonica reads `len` bytes from the slice and returns a new Pix (or
                // NULL).
                let ptr =
                    unsafe { leptonica_sys::pixReadMemTiff(bytes.as_ptr(), bytes.len(), n as i32) };
                raw_pix(ptr, format!("TIFF page {} cannot be read", n + 1))?
            }
            Decode::File(_) => Pix::read_mem(bytes)
                .map_err(|_| OcrError::Image("the image cannot be decoded".into()))?,
            Decode::Grey(dpi) => {
                let pix = Pix::read_mem(bytes)
                    .map_err(|_| OcrError::Image("the page image cannot be read".into()))?;
                let dpi = dpi.clamp(70, 2400) as i32;
                #[allow(unsafe_code)]
                // SAFETY: a live Pix we own; only its resolution fields are written.
                unsafe {
                    leptonica_sys::pixSetResolution(
                        *AsRef::<*mut leptonica_sys::Pix>::as_ref(&*pix),
                        dpi,
                        dpi,
                    );
                }
                pix
            }
            Decode::JpegReduced(r) => {
                #[allow(unsafe_code)]
                // SAFETY: as above; no warning count is asked for (NULL is allowed).
                let ptr = unsafe {
                    leptonica_sys::pixReadMemJpeg(
                        bytes.as_ptr(),
                        bytes.len(),
                        0,
                        r as i32,
                        std::ptr::null_mut(),
                        0,
                    )
                };
                raw_pix(ptr, "the JPEG cannot be decoded".into())?
            }
        };
        let (pix, skew) = self.clean(pix);
        let (w, h) = (pix.get_width(), pix.get_height());
        if w <= 0 || h <= 0 {
            return Err(OcrError::Image(format!("{w}×{h} pixels")));
        }
        // The resolution of the pixels Tesseract gets (a reduced JPEG has fewer per inch).
        let xres = match AsRef::<leptonica_sys::Pix>::as_ref(&*pix).xres {
            x if x < 70 => 300 / reduction,
            x => x / reduction,
        }
        .max(70);
        self.api.set_image_2(&pix);
        self.api.set_source_resolution(xres);
        let mut page = self.read_result(w as u32, h as u32)?;
        page.skew = skew;
        if page.mean_confidence >= UPRIGHT_CONFIDENCE {
            return Ok(page);
        }
        // Poor confidence: the page may be sideways or upside down. Ask the orientation data
        // and, if it says so, read the page turned upright; keep the better reading.
        let raw: *mut leptonica_sys::Pix = *AsRef::<*mut leptonica_sys::Pix>::as_ref(&*pix);
        let Some(rotation) = self
            .osd
            .as_mut()
            .and_then(|o| o.detect(raw))
            .filter(|r| *r != 0)
        else {
            return Ok(page);
        };
        // Leptonica turns clockwise by quarter turns; undo the detected rotation.
        let quads = ((360 - rotation) / 90) as i32 % 4;
        #[allow(unsafe_code)]
        // SAFETY: `raw` is alive; the result is a new Pix we own (or NULL).
        let turned = unsafe {
            let ptr = leptonica_sys::pixRotateOrth(raw, quads);
            if ptr.is_null() {
                return Ok(page);
            }
            RefCountedExclusive::new(Pix::new_from_pointer(ptr))
        };
        drop(pix);
        self.api.set_image_2(&turned);
        self.api.set_source_resolution(xres);
        let (tw, th) = (turned.get_width() as u32, turned.get_height() as u32);
        let mut upright = self.read_result(tw, th)?;
        if upright.mean_confidence > page.mean_confidence {
            upright.rotation = rotation;
            upright.skew = skew;
            Ok(upright)
        } else {
            Ok(page)
        }
    }

    /// Recognises one page.
    pub fn recognize(&mut self, image: &GreyImage) -> Result<PageText, OcrError> {
        let (w, h) = (image.width as i32, image.height as i32);
        if image.pixels.len() < image.width as usize * image.height as usize || w <= 0 || h <= 0 {
            return Err(OcrError::Image(format!(
                "{} bytes for {}×{} pixels",
                image.pixels.len(),
                image.width,
                image.height
            )));
        }
        // Through Leptonica like every other page (as a PGM in memory), so that clean-up and
        // orientation detection apply to it too.
        let mut pgm = format!("P5\n{} {}\n255\n", image.width, image.height).into_bytes();
        pgm.extend_from_slice(&image.pixels[..image.width as usize * image.height as usize]);
        self.recognize_decoded(&pgm, Decode::Grey(image.dpi.unwrap_or(300)))
    }

    /// The clean-up steps that are switched on; returns the image and the degrees it was turned
    /// clockwise to straighten it (Leptonica's deskew angle).
    fn clean(
        &self,
        pix: tesseract_plumbing::leptonica_plumbing::memory::RefCountedExclusive<
            tesseract_plumbing::leptonica_plumbing::Pix,
        >,
    ) -> (
        tesseract_plumbing::leptonica_plumbing::memory::RefCountedExclusive<
            tesseract_plumbing::leptonica_plumbing::Pix,
        >,
        f32,
    ) {
        use tesseract_plumbing::leptonica_plumbing::Pix;
        use tesseract_plumbing::leptonica_plumbing::memory::RefCountedExclusive;
        use tesseract_plumbing::leptonica_sys;
        let mut pix = pix;
        let mut skew = 0.0f32;
        let raw = |p: &RefCountedExclusive<Pix>| -> *mut leptonica_sys::Pix {
            *AsRef::<*mut leptonica_sys::Pix>::as_ref(&**p)
        };
        if self.cleanup.normalize_background {
            let depth = AsRef::<leptonica_sys::Pix>::as_ref(&*pix).d;
            if depth == 8 || depth == 32 {
                #[allow(unsafe_code)]
                // SAFETY: a live Pix in, a new Pix (or NULL) out that we own.
                let out = unsafe {
                    leptonica_sys::pixBackgroundNormSimple(
                        raw(&pix),
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                    )
                };
                if !out.is_null() {
                    #[allow(unsafe_code)]
                    // SAFETY: non-NULL and ours.
                    let new = unsafe { RefCountedExclusive::new(Pix::new_from_pointer(out)) };
                    pix = new;
                }
            }
        }
        if self.cleanup.remove_border {
            #[allow(unsafe_code)]
            // SAFETY: each call takes live Pixes and returns a new one (or NULL) that is wrapped
            // at once so it is destroyed when dropped; `grey` is ours alone when painted.
            unsafe {
                let own = |p: *mut leptonica_sys::Pix| {
                    (!p.is_null()).then(|| RefCountedExclusive::new(Pix::new_from_pointer(p)))
                };
                let grey = own(leptonica_sys::pixConvertTo8(raw(&pix), 0));
                let bin = grey
                    .as_ref()
                    .and_then(|g| own(leptonica_sys::pixThresholdToBinary(raw(g), 128)));
                let inner = bin
                    .as_ref()
                    .and_then(|b| own(leptonica_sys::pixRemoveBorderConnComps(raw(b), 8)));
                if let (Some(grey), Some(bin), Some(inner)) = (grey, bin, inner) {
                    let border = own(leptonica_sys::pixXor(
                        std::ptr::null_mut(),
                        raw(&bin),
                        raw(&inner),
                    ));
                    if let Some(border) = border
                        && leptonica_sys::pixSetMasked(raw(&grey), raw(&border), 255) == 0
                    {
                        pix = grey;
                    }
                }
            }
        }
        if self.cleanup.deskew {
            let (mut angle, mut conf) = (0.0f32, 0.0f32);
            #[allow(unsafe_code)]
            // SAFETY: a live Pix in; out-parameters are valid; a new Pix (or NULL) out.
            let out =
                unsafe { leptonica_sys::pixFindSkewAndDeskew(raw(&pix), 0, &mut angle, &mut conf) };
            if !out.is_null() {
                #[allow(unsafe_code)]
                // SAFETY: non-NULL and ours (a copy when no skew was found).
                let new = unsafe { RefCountedExclusive::new(Pix::new_from_pointer(out)) };
                if angle.abs() >= DESKEW_MIN_DEGREES {
                    pix = new;
                    skew = angle;
                }
            }
        }
        (pix, skew)
    }

    fn read_result(&mut self, image_width: u32, image_height: u32) -> Result<PageText, OcrError> {
        self.api.recognize().map_err(|_| OcrError::Recognize)?;
        let tsv = self.api.get_tsv_text(0).map_err(|_| OcrError::Recognize)?;
        let tsv = tsv.as_ref().to_string_lossy().into_owned();
        let mean_confidence = self.api.mean_text_conf() as f32;
        let (text, words) = parse_tsv(&tsv);
        Ok(PageText {
            rotation: 0,
            skew: 0.0,
            image_width,
            image_height,
            text,
            words,
            mean_confidence,
        })
    }
}
