//! Scanners for Składnica through SANE (`libsane`): the devices there are and what they offer
//! (sources, colour modes, resolutions, scan area), setting a scan up from plain settings
//! (resolution, colour, flatbed or feeder, duplex, page size) whatever the backend calls its
//! options, and scanning a batch page by page — an ADF stack until the feeder is empty.
//!
//! SANE is not thread-safe: a [`Session`] holds a process-wide lock from `sane_init` to
//! `sane_exit`. A page is handed over as soon as it is read, so that a scanner failing in the
//! middle of a batch loses nothing already scanned. The only `unsafe` code of the crate is here
//! and in `sys` (the C declarations).

mod sys;

use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

/// What went wrong with a scanner.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ScanError {
    /// SANE itself could not start.
    #[error("SANE (the scanner library) could not start: {0}")]
    Init(String),
    /// No scanner at all.
    #[error(
        "no scanner found: check that it is switched on and connected (`scanimage -L` lists what SANE sees)"
    )]
    NoScanners,
    /// No scanner of that name.
    #[error("no scanner named \"{name}\" (found: {})", found.join(", "))]
    NoDevice {
        /// The name asked for.
        name: String,
        /// The devices there are.
        found: Vec<String>,
    },
    /// The scanner reported an error.
    #[error("scanner {device}: {what}: {status}")]
    Device {
        /// The device.
        device: String,
        /// What was being done.
        what: String,
        /// SANE's words for the status.
        status: String,
    },
    /// The scanner cannot do what the settings ask.
    #[error("scanner {device} cannot {what} (it offers: {offers})")]
    Unsupported {
        /// The device.
        device: String,
        /// What was asked.
        what: String,
        /// What it has instead.
        offers: String,
    },
    /// A page would not fit the memory cap.
    #[error(
        "scanner {device}: a page of {width}×{height} pixels ({mib} MiB) is over the limit of \
         {limit_mib} MiB per page; choose a lower resolution or a smaller page size"
    )]
    PageTooLarge {
        /// The device.
        device: String,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Its size in MiB.
        mib: u64,
        /// The cap in MiB.
        limit_mib: u64,
    },
    /// Scanning was cancelled.
    #[error("scanning was cancelled")]
    Cancelled,
}

type Result<T> = std::result::Result<T, ScanError>;

static SANE: Mutex<()> = Mutex::new(());

/// An open SANE session (`sane_init` … `sane_exit`), holding the process-wide lock.
pub struct Session {
    _lock: MutexGuard<'static, ()>,
}

impl Session {
    /// Starts SANE. Blocks while another session is open.
    pub fn new() -> Result<Session> {
        let lock = SANE.lock().unwrap_or_else(|p| p.into_inner());
        let mut version = 0;
        #[allow(unsafe_code)]
        // SAFETY: the lock makes this the only SANE session; `version` outlives the call.
        let status = unsafe { sys::sane_init(&mut version, None) };
        if status != sys::STATUS_GOOD {
            return Err(ScanError::Init(status_text(status)));
        }
        Ok(Session { _lock: lock })
    }

    /// The scanners SANE sees, each opened to read what it offers.
    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let mut out = Vec::new();
        for (name, vendor, model, kind) in self.device_names()? {
            let mut info = DeviceInfo {
                name: name.clone(),
                vendor,
                model,
                kind,
                sources: vec![],
                modes: vec![],
                resolutions: vec![],
                max_width_mm: None,
                max_height_mm: None,
                error: None,
            };
            match self.open(&name) {
                Ok(scanner) => scanner.describe(&mut info),
                Err(e) => info.error = Some(e.to_string()),
            }
            out.push(info);
        }
        Ok(out)
    }

    fn device_names(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut list: *mut *const sys::SANE_Device = std::ptr::null_mut();
        #[allow(unsafe_code)]
        // SAFETY: SANE fills `list` with a NULL-terminated array it owns, valid until the next
        // sane_get_devices or sane_exit; we copy the strings out before either.
        unsafe {
            let status = sys::sane_get_devices(&mut list, 0);
            if status != sys::STATUS_GOOD {
                return Err(ScanError::Init(status_text(status)));
            }
            let mut out = Vec::new();
            let mut p = list;
            while !p.is_null() && !(*p).is_null() {
                let d = &**p;
                out.push((text(d.name), text(d.vendor), text(d.model), text(d.kind)));
                p = p.add(1);
            }
            Ok(out)
        }
    }

    /// Opens a scanner by its SANE name (`test:0`, `genesys:libusb:001:004`); an empty name
    /// takes the first scanner there is.
    pub fn open(&self, name: &str) -> Result<Scanner<'_>> {
        let name = if name.is_empty() {
            let names = self.device_names()?;
            names.into_iter().next().ok_or(ScanError::NoScanners)?.0
        } else {
            name.to_string()
        };
        let c_name = CString::new(name.as_str()).map_err(|_| ScanError::NoDevice {
            name: name.clone(),
            found: vec![],
        })?;
        let mut handle: sys::SANE_Handle = std::ptr::null_mut();
        #[allow(unsafe_code)]
        // SAFETY: a valid C string and an out-pointer for the handle.
        let status = unsafe { sys::sane_open(c_name.as_ptr(), &mut handle) };
        if status != sys::STATUS_GOOD || handle.is_null() {
            let found: Vec<String> = self
                .device_names()
                .map(|d| d.into_iter().map(|d| d.0).collect())
                .unwrap_or_default();
            if !found.contains(&name) {
                return Err(ScanError::NoDevice { name, found });
            }
            return Err(ScanError::Device {
                device: name,
                what: "opening it".into(),
                status: status_text(status),
            });
        }
        let mut scanner = Scanner {
            handle,
            name,
            options: vec![],
            _session: std::marker::PhantomData,
        };
        scanner.load_options()?;
        Ok(scanner)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        #[allow(unsafe_code)]
        // SAFETY: every Scanner borrows the session, so all handles are closed by now.
        unsafe {
            sys::sane_exit()
        };
    }
}

#[allow(unsafe_code)]
fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: SANE strings are NUL-terminated and alive while we copy them.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn status_text(status: sys::SANE_Status) -> String {
    #[allow(unsafe_code)]
    // SAFETY: sane_strstatus returns a static string for any value.
    text(unsafe { sys::sane_strstatus(status) })
}

/// A scanner and what it offers, for the app to show.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceInfo {
    /// SANE's name for it, to pass back to `scan`.
    pub name: String,
    /// Its maker.
    pub vendor: String,
    /// Its model.
    pub model: String,
    /// SANE's description of its kind (`flatbed scanner`, `virtual device`).
    pub kind: String,
    /// Its paper sources (`Flatbed`, `ADF`, `ADF Duplex`), as it calls them.
    pub sources: Vec<String>,
    /// Its colour modes, as it calls them.
    pub modes: Vec<String>,
    /// Resolutions in dpi: the list it accepts, or the lowest and highest of its range.
    pub resolutions: Vec<u32>,
    /// The widest scan area, in millimetres.
    pub max_width_mm: Option<f64>,
    /// The tallest scan area, in millimetres.
    pub max_height_mm: Option<f64>,
    /// Why it could not be opened, when it could not.
    pub error: Option<String>,
}

/// Colour of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// Full colour.
    Color,
    /// 8-bit grey.
    Gray,
    /// Black and white (1 bit).
    Lineart,
}

/// Where the paper comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The glass: one page per scan.
    Flatbed,
    /// The document feeder, front sides.
    Adf,
    /// The document feeder, both sides.
    AdfDuplex,
}

/// What a scan should be, in the scanner's own terms or not.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Settings {
    /// Dots per inch (the nearest the scanner has is taken).
    pub resolution: u32,
    /// Colour mode.
    pub colour: Colour,
    /// Paper source.
    pub source: Source,
    /// Page size in millimetres (width, height); `None` scans the whole area.
    pub page_mm: Option<(f64, f64)>,
    /// Backend options to set as they are (`name=value`), after the others.
    #[serde(default)]
    pub extra: Vec<(String, String)>,
}

/// What the scanner was actually set to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    /// The resolution, in dpi.
    pub resolution: u32,
    /// The mode, as the scanner calls it.
    pub mode: Option<String>,
    /// The source, as the scanner calls it.
    pub source: Option<String>,
    /// True when pages come from a feeder (a batch until it is empty).
    pub feeder: bool,
}

/// One scanned page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution in dpi.
    pub dpi: u32,
    /// Samples row by row: one byte per pixel (grey; line-art as 0 and 255) or three (RGB).
    pub pixels: Vec<u8>,
    /// Bytes per pixel: 1 or 3.
    pub channels: u8,
    /// True for a black-and-white scan.
    pub bilevel: bool,
}

/// How a batch ended.
#[derive(Debug)]
pub struct BatchEnd {
    /// Pages scanned and handed over.
    pub pages: usize,
    /// The error that stopped it early, if any (pages before it were handed over).
    pub error: Option<ScanError>,
}

#[derive(Debug, Clone)]
enum Constraint {
    None,
    Range { min: i32, max: i32 },
    Words(Vec<i32>),
    Strings(Vec<String>),
}

#[derive(Debug, Clone)]
struct Opt {
    index: i32,
    name: String,
    kind: i32,
    unit: i32,
    size: i32,
    cap: i32,
    constraint: Constraint,
}

impl Opt {
    fn active(&self) -> bool {
        self.cap & sys::CAP_INACTIVE == 0
    }
    fn settable(&self) -> bool {
        self.cap & sys::CAP_SOFT_SELECT != 0
    }
    fn strings(&self) -> Vec<String> {
        match &self.constraint {
            Constraint::Strings(s) => s.clone(),
            _ => vec![],
        }
    }
    /// A number as the option holds it (Fixed is 16.16).
    fn to_word(&self, v: f64) -> i32 {
        if self.kind == sys::TYPE_FIXED {
            (v * 65536.0).round() as i32
        } else {
            v.round() as i32
        }
    }
    fn value_of(&self, w: i32) -> f64 {
        if self.kind == sys::TYPE_FIXED {
            w as f64 / 65536.0
        } else {
            w as f64
        }
    }
}

/// The largest page accepted, in bytes of samples (an A4 colour page at 600 dpi is ~100 MiB).
pub const MAX_PAGE_BYTES: u64 = 512 << 20;

/// How long a page may go without data before the scanner counts as gone.
const NO_DATA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// The port of SANE's network daemon (`saned`), as the `net` backend uses it.
const SANE_NET_PORT: u16 = 6566;

/// The host of a `net` backend device name: `net:HOST:backend:device` (`net:[::1]:…` for IPv6).
fn net_host(device: &str) -> Option<String> {
    let rest = device.strip_prefix("net:")?;
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h.to_string());
    }
    rest.split_once(':').map(|(h, _)| h.to_string())
}

/// An open scanner.
pub struct Scanner<'s> {
    handle: sys::SANE_Handle,
    name: String,
    options: Vec<Opt>,
    _session: std::marker::PhantomData<&'s Session>,
}

impl Drop for Scanner<'_> {
    fn drop(&mut self) {
        #[allow(unsafe_code)]
        // SAFETY: the handle came from sane_open and is closed once, here.
        unsafe {
            sys::sane_cancel(self.handle);
            sys::sane_close(self.handle);
        }
    }
}

impl Scanner<'_> {
    /// Its SANE name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn device_error(&self, what: &str, status: sys::SANE_Status) -> ScanError {
        ScanError::Device {
            device: self.name.clone(),
            what: what.into(),
            status: status_text(status),
        }
    }

    fn load_options(&mut self) -> Result<()> {
        let mut count: i32 = 0;
        #[allow(unsafe_code)]
        // SAFETY: option 0 is the option count, an Int; `count` is a valid Word to write. Its
        // descriptor is asked for first: that is what makes the net backend fetch the new
        // descriptors after a reload.
        let status = unsafe {
            sys::sane_get_option_descriptor(self.handle, 0);
            sys::sane_control_option(
                self.handle,
                0,
                sys::ACTION_GET_VALUE,
                (&mut count as *mut i32).cast::<c_void>(),
                std::ptr::null_mut(),
            )
        };
        if status != sys::STATUS_GOOD {
            return Err(self.device_error("reading its options", status));
        }
        let mut options = Vec::new();
        for index in 1..count.clamp(1, 10_000) {
            #[allow(unsafe_code)]
            // SAFETY: the descriptor (or NULL) is owned by the backend and valid until the
            // handle is closed or options are reloaded; everything is copied out here. The
            // constraint union is read by the member its type names; lists are terminated as
            // the SANE standard says (a length first for word lists, NULL for string lists).
            unsafe {
                let d = sys::sane_get_option_descriptor(self.handle, index);
                if d.is_null() {
                    continue;
                }
                let d = &*d;
                let constraint = match d.constraint_type {
                    sys::CONSTRAINT_RANGE if !d.constraint.range.is_null() => {
                        let r = &*d.constraint.range;
                        Constraint::Range {
                            min: r.min,
                            max: r.max,
                        }
                    }
                    sys::CONSTRAINT_WORD_LIST if !d.constraint.word_list.is_null() => {
                        let n = (*d.constraint.word_list).clamp(0, 10_000) as usize;
                        let words = std::slice::from_raw_parts(d.constraint.word_list.add(1), n);
                        Constraint::Words(words.to_vec())
                    }
                    sys::CONSTRAINT_STRING_LIST if !d.constraint.string_list.is_null() => {
                        let mut v = Vec::new();
                        let mut p = d.constraint.string_list;
                        while !(*p).is_null() && v.len() < 1000 {
                            v.push(text(*p));
                            p = p.add(1);
                        }
                        Constraint::Strings(v)
                    }
                    _ => Constraint::None,
                };
                options.push(Opt {
                    index,
                    name: text(d.name),
                    kind: d.kind,
                    unit: d.unit,
                    size: d.size,
                    cap: d.cap,
                    constraint,
                });
            }
        }
        self.options = options;
        Ok(())
    }

    fn find(&self, name: &str) -> Option<&Opt> {
        self.options.iter().find(|o| o.name == name && o.active())
    }

    fn describe(&self, info: &mut DeviceInfo) {
        if let Some(o) = self.find("source") {
            info.sources = o.strings();
        }
        if let Some(o) = self.find("mode") {
            info.modes = o.strings();
        }
        if let Some(o) = self.find("resolution") {
            info.resolutions = match &o.constraint {
                Constraint::Words(w) => w.iter().map(|&w| o.value_of(w) as u32).collect(),
                Constraint::Range { min, max } => {
                    vec![o.value_of(*min) as u32, o.value_of(*max) as u32]
                }
                _ => vec![],
            };
        }
        let extent = |name: &str| match self.find(name).map(|o| (o, &o.constraint)) {
            Some((o, Constraint::Range { max, .. })) if o.unit == sys::UNIT_MM => {
                Some(o.value_of(*max))
            }
            _ => None,
        };
        info.max_width_mm = extent("br-x");
        info.max_height_mm = extent("br-y");
    }

    /// Sets an option to a word (Int, Fixed or Bool), reloading the options when the backend
    /// says they changed.
    fn set_word(&mut self, name: &str, value: f64) -> Result<()> {
        let opt = self.settable(name)?;
        let mut word: i32 = if opt.kind == sys::TYPE_BOOL {
            (value != 0.0) as i32
        } else {
            opt.to_word(value)
        };
        self.control(&opt, (&mut word as *mut i32).cast::<c_void>(), 4)
    }

    fn set_string(&mut self, name: &str, value: &str) -> Result<()> {
        let opt = self.settable(name)?;
        if opt.kind != sys::TYPE_STRING {
            let v: f64 = match value {
                "yes" | "true" => 1.0,
                "no" | "false" => 0.0,
                v => v.parse().map_err(|_| ScanError::Unsupported {
                    device: self.name.clone(),
                    what: format!("set {name} to \"{value}\""),
                    offers: "a number".into(),
                })?,
            };
            return self.set_word(name, v);
        }
        // The backend may read up to the option's size: give it a buffer of that size.
        let mut buf = vec![0u8; (opt.size.max(0) as usize).max(value.len() + 1)];
        buf[..value.len()].copy_from_slice(value.as_bytes());
        self.control(&opt, buf.as_mut_ptr().cast::<c_void>(), buf.len())
    }

    fn settable(&self, name: &str) -> Result<Opt> {
        match self.find(name) {
            Some(o) if o.settable() => Ok(o.clone()),
            _ => Err(ScanError::Unsupported {
                device: self.name.clone(),
                what: format!("set the option \"{name}\""),
                offers: self
                    .options
                    .iter()
                    .filter(|o| o.active() && o.settable() && !o.name.is_empty())
                    .map(|o| o.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn control(&mut self, opt: &Opt, value: *mut c_void, len: usize) -> Result<()> {
        debug_assert!(len >= 4.min(opt.size.max(0) as usize));
        let mut info = 0;
        #[allow(unsafe_code)]
        // SAFETY: `value` points to a buffer at least as large as the option's size (a Word for
        // Bool/Int/Fixed, `size` bytes for strings), alive for the call.
        let status = unsafe {
            sys::sane_control_option(
                self.handle,
                opt.index,
                sys::ACTION_SET_VALUE,
                value,
                &mut info,
            )
        };
        if status != sys::STATUS_GOOD {
            return Err(self.device_error(&format!("setting {}", opt.name), status));
        }
        if info & sys::INFO_RELOAD_OPTIONS != 0 {
            self.load_options()?;
        }
        Ok(())
    }

    fn get_word(&self, name: &str) -> Option<f64> {
        let opt = self.find(name)?;
        if !matches!(opt.kind, sys::TYPE_INT | sys::TYPE_FIXED) {
            return None;
        }
        let mut buf = vec![0i32; (opt.size.max(4) as usize).div_ceil(4)];
        #[allow(unsafe_code)]
        // SAFETY: the buffer holds at least the option's size in bytes.
        let status = unsafe {
            sys::sane_control_option(
                self.handle,
                opt.index,
                sys::ACTION_GET_VALUE,
                buf.as_mut_ptr().cast::<c_void>(),
                std::ptr::null_mut(),
            )
        };
        (status == sys::STATUS_GOOD).then(|| opt.value_of(buf[0]))
    }

    /// Sets the scanner up. Options it lacks are skipped where a default does no harm (page
    /// size on a scanner without geometry) and refused where the scan would be wrong (a feeder
    /// on a flatbed-only scanner, a colour mode it does not have).
    pub fn configure(&mut self, s: &Settings) -> Result<Applied> {
        let mut applied = Applied::default();
        // Mode first: changing it reloads other options (depth, resolution lists).
        if let Some(modes) = self.find("mode").map(Opt::strings) {
            let wanted: &[&str] = match s.colour {
                Colour::Color => &["color", "colour", "24bit color", "rgb"],
                Colour::Gray => &["gray", "grey", "grayscale", "greyscale", "8bit gray"],
                Colour::Lineart => &[
                    "lineart",
                    "binary",
                    "black & white",
                    "monochrome",
                    "halftone",
                ],
            };
            let pick = modes
                .iter()
                .find(|m| wanted.contains(&m.to_lowercase().as_str()))
                .or_else(|| {
                    // Scanners without a line-art mode give 1-bit grey instead.
                    (s.colour == Colour::Lineart)
                        .then(|| modes.iter().find(|m| m.to_lowercase().starts_with("gray")))
                        .flatten()
                })
                .cloned()
                .ok_or_else(|| ScanError::Unsupported {
                    device: self.name.clone(),
                    what: format!("scan in {:?}", s.colour).to_lowercase(),
                    offers: modes.join(", "),
                })?;
            self.set_string("mode", &pick)?;
            applied.mode = Some(pick);
        }
        if let Some(depth) = self.find("depth").cloned() {
            let want = if s.colour == Colour::Lineart {
                1.0
            } else {
                8.0
            };
            let ok = match &depth.constraint {
                Constraint::Words(w) => w.contains(&(want as i32)),
                _ => true,
            };
            if ok && depth.settable() {
                self.set_word("depth", want)?;
            }
        }
        // Source: the feeder (simplex or duplex) or the glass.
        let sources = self.find("source").map(Opt::strings).unwrap_or_default();
        let is_feeder = |x: &str| {
            let x = x.to_lowercase();
            x.contains("adf") || x.contains("feeder") || x.contains("automatic")
        };
        let is_duplex = |x: &str| x.to_lowercase().contains("duplex");
        let pick = match s.source {
            Source::Flatbed => sources
                .iter()
                .find(|x| x.to_lowercase().contains("flatbed") || !is_feeder(x)),
            Source::Adf => sources.iter().find(|x| is_feeder(x) && !is_duplex(x)),
            Source::AdfDuplex => sources.iter().find(|x| is_duplex(x)),
        }
        .cloned();
        match (pick, s.source, sources.is_empty()) {
            (Some(p), _, _) => {
                self.set_string("source", &p)?;
                applied.feeder = is_feeder(&p);
                applied.source = Some(p);
            }
            // A scanner without a source option has only the glass.
            (None, Source::Flatbed, true) => {}
            (None, wanted, _) => {
                return Err(ScanError::Unsupported {
                    device: self.name.clone(),
                    what: format!(
                        "scan from the {}",
                        match wanted {
                            Source::Flatbed => "flatbed",
                            Source::Adf => "document feeder",
                            Source::AdfDuplex => "document feeder on both sides (duplex)",
                        }
                    ),
                    offers: if sources.is_empty() {
                        "the flatbed only".into()
                    } else {
                        sources.join(", ")
                    },
                });
            }
        }
        if let Some(opt) = self.find("resolution").cloned() {
            let want = s.resolution as f64;
            let value = match &opt.constraint {
                Constraint::Words(w) => w
                    .iter()
                    .map(|&x| opt.value_of(x))
                    .min_by(|a, b| (a - want).abs().total_cmp(&(b - want).abs()))
                    .unwrap_or(want),
                Constraint::Range { min, max } => {
                    want.clamp(opt.value_of(*min), opt.value_of(*max))
                }
                _ => want,
            };
            self.set_word("resolution", value)?;
            applied.resolution = self.get_word("resolution").unwrap_or(value).round() as u32;
        } else {
            applied.resolution = s.resolution;
        }
        if let Some((w, h)) = s.page_mm {
            for (name, v) in [("tl-x", 0.0), ("tl-y", 0.0), ("br-x", w), ("br-y", h)] {
                let Some(opt) = self.find(name).cloned() else {
                    continue;
                };
                let v = match opt.constraint {
                    Constraint::Range { min, max } => v.clamp(opt.value_of(min), opt.value_of(max)),
                    _ => v,
                };
                if opt.settable() {
                    self.set_word(name, v)?;
                }
            }
        }
        for (name, value) in &s.extra {
            self.set_string(name, value)?;
        }
        Ok(applied)
    }

    /// Scans: one page from the glass, or every page in the feeder until it is empty. Each page
    /// goes to `on_page` as soon as it is read; `on_page` returning `false` stops the batch.
    pub fn scan(
        &mut self,
        feeder: bool,
        on_page: &mut dyn FnMut(Page) -> bool,
        cancel: &AtomicBool,
    ) -> BatchEnd {
        let mut pages = 0;
        let dpi = self.get_word("resolution").unwrap_or(300.0).round() as u32;
        let error = loop {
            match self.read_page(dpi, cancel) {
                Ok(Some(page)) => {
                    pages += 1;
                    if !on_page(page) || !feeder {
                        break None;
                    }
                }
                // The feeder is empty: the normal end of a batch, unless it was empty at once.
                Ok(None) if pages > 0 => break None,
                Ok(None) => {
                    break Some(ScanError::Device {
                        device: self.name.clone(),
                        what: "starting the scan".into(),
                        status: "the document feeder is empty".into(),
                    });
                }
                Err(e) => break Some(e),
            }
        };
        #[allow(unsafe_code)]
        // SAFETY: ends the batch on a live handle (a no-op when nothing is pending).
        unsafe {
            sys::sane_cancel(self.handle)
        };
        BatchEnd { pages, error }
    }

    /// For a scanner reached through SANE's `net` backend: fails when its server no longer
    /// accepts connections. The `net` backend of sane-backends 1.1.1 (Debian 12) reads an
    /// uninitialised reply and crashes (SIGSEGV in `sane_net_start`) when `sane_start` is called
    /// after its server went away, so that call must not be made then; a probe of the server's
    /// port before each sheet keeps the pages already scanned and ends the batch with an error.
    fn check_network_scanner(&self) -> Result<()> {
        let Some(host) = net_host(&self.name) else {
            return Ok(());
        };
        let reachable = std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), SANE_NET_PORT))
            .ok()
            .into_iter()
            .flatten()
            .any(|addr| {
                std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(3))
                    .is_ok()
            });
        if reachable {
            Ok(())
        } else {
            Err(ScanError::Device {
                device: self.name.clone(),
                what: "starting the next page".into(),
                status: format!("the scanner's server {host} no longer answers"),
            })
        }
    }

    /// One page (all its frames); `None` when the feeder has no more paper.
    fn read_page(&mut self, dpi: u32, cancel: &AtomicBool) -> Result<Option<Page>> {
        let mut channels: [Option<Vec<u8>>; 3] = [None, None, None];
        let mut single: Option<(Vec<u8>, sys::SANE_Parameters)> = None;
        let mut params;
        loop {
            self.check_network_scanner()?;
            #[allow(unsafe_code)]
            // SAFETY: a live handle.
            let status = unsafe { sys::sane_start(self.handle) };
            match status {
                sys::STATUS_GOOD => {}
                sys::STATUS_NO_DOCS if single.is_none() && channels.iter().all(Option::is_none) => {
                    return Ok(None);
                }
                s => return Err(self.device_error("starting the scan", s)),
            }
            params = sys::SANE_Parameters::default();
            #[allow(unsafe_code)]
            // SAFETY: `params` is a valid out-structure.
            let status = unsafe { sys::sane_get_parameters(self.handle, &mut params) };
            if status != sys::STATUS_GOOD {
                return Err(self.device_error("reading the scan parameters", status));
            }
            let data = self.read_frame(&params, cancel)?;
            match params.format {
                sys::FRAME_RED | sys::FRAME_GREEN | sys::FRAME_BLUE => {
                    channels[(params.format - sys::FRAME_RED) as usize] = Some(data);
                }
                sys::FRAME_GRAY | sys::FRAME_RGB => single = Some((data, params)),
                other => {
                    return Err(ScanError::Unsupported {
                        device: self.name.clone(),
                        what: format!("deliver frames of SANE format {other}"),
                        offers: "—".into(),
                    });
                }
            }
            if params.last_frame != 0 {
                break;
            }
        }
        let page = match single {
            Some((data, p)) => to_page(&data, &p, dpi),
            None => {
                let [Some(r), Some(g), Some(b)] = channels else {
                    return Err(self.device_error("reading a colour page", sys::STATUS_EOF));
                };
                let mut p = params;
                p.format = sys::FRAME_RGB;
                let interleaved: Vec<u8> = r
                    .iter()
                    .zip(&g)
                    .zip(&b)
                    .flat_map(|((r, g), b)| [*r, *g, *b])
                    .collect();
                p.bytes_per_line *= 3;
                to_page(&interleaved, &p, dpi)
            }
        };
        page.map(Some).ok_or_else(|| ScanError::Device {
            device: self.name.clone(),
            what: "reading a page".into(),
            status: format!(
                "the page data is incomplete ({} bits per sample, {} bytes per line)",
                params.depth, params.bytes_per_line
            ),
        })
    }

    fn read_frame(&mut self, p: &sys::SANE_Parameters, cancel: &AtomicBool) -> Result<Vec<u8>> {
        let bpl = p.bytes_per_line.max(0) as u64;
        let expected = if p.lines > 0 { bpl * p.lines as u64 } else { 0 };
        if expected > MAX_PAGE_BYTES {
            return Err(ScanError::PageTooLarge {
                device: self.name.clone(),
                width: p.pixels_per_line.max(0) as u32,
                height: p.lines.max(0) as u32,
                mib: expected.div_ceil(1 << 20),
                limit_mib: MAX_PAGE_BYTES >> 20,
            });
        }
        let mut data = Vec::with_capacity(expected as usize);
        let mut buf = vec![0u8; 256 * 1024];
        let mut last_data = std::time::Instant::now();
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(ScanError::Cancelled);
            }
            let mut n: i32 = 0;
            #[allow(unsafe_code)]
            // SAFETY: `buf` has `buf.len()` writable bytes; `n` receives how many were written.
            let status =
                unsafe { sys::sane_read(self.handle, buf.as_mut_ptr(), buf.len() as i32, &mut n) };
            match status {
                // A blocking read should not come back empty; a backend that lost its device
                // (the net backend when the server goes away) may do so for ever.
                sys::STATUS_GOOD if n <= 0 => {
                    if last_data.elapsed() > NO_DATA_TIMEOUT {
                        return Err(ScanError::Device {
                            device: self.name.clone(),
                            what: "reading a page".into(),
                            status: format!(
                                "no data for {} s: the scanner stopped responding",
                                NO_DATA_TIMEOUT.as_secs()
                            ),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                sys::STATUS_GOOD => {
                    last_data = std::time::Instant::now();
                    data.extend_from_slice(&buf[..(n as usize).min(buf.len())]);
                    if data.len() as u64 > MAX_PAGE_BYTES {
                        return Err(ScanError::PageTooLarge {
                            device: self.name.clone(),
                            width: p.pixels_per_line.max(0) as u32,
                            height: (data.len() as u64 / bpl.max(1)) as u32,
                            mib: data.len() as u64 >> 20,
                            limit_mib: MAX_PAGE_BYTES >> 20,
                        });
                    }
                }
                sys::STATUS_EOF => return Ok(data),
                sys::STATUS_CANCELLED => return Err(ScanError::Cancelled),
                s => return Err(self.device_error("reading a page", s)),
            }
        }
    }
}

/// Converts a frame to 8-bit samples: 1-bit (1 is black) to 0/255 grey, 16-bit (host order) to
/// its high byte; padding at the end of lines is dropped.
fn to_page(data: &[u8], p: &sys::SANE_Parameters, dpi: u32) -> Option<Page> {
    let width = u32::try_from(p.pixels_per_line).ok().filter(|w| *w > 0)?;
    let bpl = usize::try_from(p.bytes_per_line).ok().filter(|b| *b > 0)?;
    let lines = if p.lines > 0 {
        p.lines as usize
    } else {
        data.len() / bpl
    };
    if lines == 0 || data.len() < bpl * lines {
        return None;
    }
    let channels: usize = if p.format == sys::FRAME_RGB { 3 } else { 1 };
    let w = width as usize;
    let mut pixels = Vec::with_capacity(w * lines * channels);
    for row in data.chunks_exact(bpl).take(lines) {
        match p.depth {
            1 => {
                for x in 0..w * channels {
                    let bit = row.get(x / 8)? & (0x80 >> (x % 8));
                    pixels.push(if bit != 0 { 0 } else { 255 });
                }
            }
            8 => pixels.extend_from_slice(row.get(..w * channels)?),
            16 => {
                let samples = row.get(..w * channels * 2)?;
                pixels.extend(samples.chunks_exact(2).map(|s| {
                    let v = u16::from_ne_bytes([s[0], s[1]]);
                    (v >> 8) as u8
                }));
            }
            _ => return None,
        }
    }
    Some(Page {
        width,
        height: lines as u32,
        dpi,
        pixels,
        channels: channels as u8,
        bilevel: p.depth == 1,
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn network_scanner_hosts() {
        assert_eq!(
            super::net_host("net:localhost:test:0").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            super::net_host("net:192.168.1.5:epson2:libusb:001:004").as_deref(),
            Some("192.168.1.5")
        );
        assert_eq!(super::net_host("net:[::1]:test:0").as_deref(), Some("::1"));
        assert_eq!(super::net_host("test:0"), None);
    }
    use super::*;

    fn params(format: i32, depth: i32, ppl: i32, bpl: i32, lines: i32) -> sys::SANE_Parameters {
        sys::SANE_Parameters {
            format,
            last_frame: 1,
            bytes_per_line: bpl,
            pixels_per_line: ppl,
            lines,
            depth,
        }
    }

    #[test]
    fn frames_become_8_bit_pages() {
        // 1-bit: 1 is black; the line is padded to a byte.
        let p = to_page(&[0b1010_0000, 0b0100_0000], &params(0, 1, 3, 1, 2), 300).unwrap();
        assert_eq!(p.pixels, vec![0, 255, 0, 255, 0, 255]);
        assert!(p.bilevel);
        // RGB with two bytes of padding per line.
        let p = to_page(&[1, 2, 3, 0, 0, 4, 5, 6, 0, 0], &params(1, 8, 1, 5, 2), 300).unwrap();
        assert_eq!((p.pixels, p.channels), (vec![1, 2, 3, 4, 5, 6], 3));
        // Short data is refused, not padded.
        assert!(to_page(&[1, 2, 3], &params(0, 8, 2, 2, 2), 300).is_none());
        // A hand scanner (lines unknown) gives as many lines as came.
        let p = to_page(&[9; 6], &params(0, 8, 2, 2, -1), 300).unwrap();
        assert_eq!(p.height, 3);
    }
}
