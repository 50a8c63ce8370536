//! The crash harness beyond import: the `skladnica` command killed (SIGKILL) at random moments
//! while it imports a large file (a kill inside the write of its blob, where an interrupted
//! `fsync` would bite), reads pages by OCR, writes a paczka archiwalna, restores a backup, or
//! encrypts a library in place.
//! After every kill the library must pass `check` (blob hashes, SQLite's integrity check, the
//! index against the database, the audit chain), what was reported done must be there, nothing
//! half-written may be left where a user would take it for whole, and the work must resume.
//! The test suite runs a few trials of each (`crash_ops`); `skladnica-crash-bench` runs hundreds
//! and writes the counts into BENCHMARKS.md.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{Rng, pdf_from_text};

/// The recovery passphrase of the libraries the harness encrypts.
const RECOVERY: &str = "passphrase of the crash harness";

/// Where the harness works: the `skladnica` binary and a scratch folder.
pub struct Harness {
    /// The binary.
    pub bin: PathBuf,
    /// Libraries, inputs and carriers go here.
    pub work: PathBuf,
}

/// What the trials of one operation found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The operation.
    pub op: &'static str,
    /// Trials run.
    pub trials: usize,
    /// Trials in which the process was killed before it ended.
    pub killed: usize,
    /// What went wrong, one line a failure (empty: none).
    pub failures: Vec<String>,
}

impl Outcome {
    fn new(op: &'static str) -> Outcome {
        Outcome {
            op,
            ..Outcome::default()
        }
    }

    /// Ends the trials early, for `why`.
    fn failed(mut self, why: String) -> Outcome {
        self.failures.push(why);
        self
    }
}

impl Harness {
    /// A command on the library at `lib`, with secrets kept in the scratch folder.
    pub fn cmd(&self, lib: &Path) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--library").arg(lib);
        c.env_remove("SKLADNICA_LIBRARY");
        c.env_remove("SKLADNICA_OPERATOR");
        c.env("SKLADNICA_CONFIG_DIR", self.work.join("config"));
        c.env("SKLADNICA_NO_KEYRING", "1");
        // Opens the libraries `encrypt` encrypts (no keyring here); unused by the others.
        c.env("SKLADNICA_LIBRARY_PASSPHRASE", RECOVERY);
        c
    }

    /// Runs `args` on `lib` to its end: what it printed, or why it failed.
    fn run(&self, lib: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
        let out = self
            .cmd(lib)
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "{args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(out.stdout)
    }

    /// Runs a command to its end; its JSON output, or why it failed.
    pub fn json(&self, lib: &Path, args: &[&str]) -> Result<Value, String> {
        serde_json::from_slice(&self.run(lib, args)?)
            .map_err(|e| format!("{args:?}: not JSON: {e}"))
    }

    /// `check --json` is clean, or the problems.
    fn clean(&self, lib: &Path) -> Result<(), String> {
        let report = self.json(lib, &["check", "--json"])?;
        if report["clean"] == true {
            Ok(())
        } else {
            Err(format!("check: {}", report["problems"]))
        }
    }

    fn document_count(&self, lib: &Path) -> Result<usize, String> {
        Ok(self
            .json(lib, &["list", "--json"])?
            .as_array()
            .map_or(0, Vec::len))
    }

    /// Runs `cmd` and kills it after `delay` unless it ended first: whether it was killed,
    /// and what it printed.
    pub fn kill_after(cmd: &mut Command, delay: Duration) -> (bool, String) {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let started = Instant::now();
        let mut ended = false;
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                ended = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if !ended {
            ended = child.try_wait().unwrap().is_some();
        }
        let _ = child.kill();
        let _ = child.wait();
        (!ended, reader.join().unwrap())
    }

    /// Runs `args` on `lib` to its end: how long it took, or why it failed.
    fn timed(&self, lib: &Path, args: &[&str]) -> Result<Duration, String> {
        let started = Instant::now();
        self.run(lib, args)?;
        Ok(started.elapsed())
    }

    /// One trial: `args` on `lib` killed after `delay` unless it ended first, counted in `o`;
    /// what it printed.
    fn trial(&self, o: &mut Outcome, lib: &Path, args: &[&str], delay: Duration) -> String {
        let (killed, out) = Self::kill_after(self.cmd(lib).args(args), delay);
        o.trials += 1;
        o.killed += usize::from(killed);
        out
    }

    /// A random moment within 90 % of `full`.
    fn moment(rng: &mut Rng, full: Duration) -> Duration {
        Duration::from_micros(200 + rng.below(full.as_micros() as u64 * 9 / 10 + 1))
    }

    /// Imports of one large file (an uncompressed 16-megapixel TIFF), killed while its blob
    /// is written: no partial blob, no document without its file, a reported one present.
    pub fn import_large(&self, trials: usize, rng: &mut Rng) -> Outcome {
        let mut o = Outcome::new("import of a large file (kill inside the blob's write)");
        let lib = self.work.join("lib-large");
        let input = self.work.join("large");
        std::fs::create_dir_all(&input).unwrap();
        let (w, h) = (4000u32, 4000u32);
        let mut pixels = vec![0u8; (w * h) as usize];
        for p in pixels.iter_mut() {
            *p = rng.next_u64() as u8;
        }
        let write = |n: usize, pixels: &mut Vec<u8>| -> PathBuf {
            // A different file each trial (so that none is a duplicate of the last).
            pixels[..8].copy_from_slice(&(n as u64).to_le_bytes());
            let path = input.join(format!("skan-{n:04}.tif"));
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            tiff::encoder::TiffEncoder::new(&mut out)
                .unwrap()
                .write_image::<tiff::encoder::colortype::Gray8>(w, h, pixels)
                .unwrap();
            path
        };
        let first = write(9999, &mut pixels);
        let full = match self.timed(&lib, &["import", "--no-wait", first.to_str().unwrap()]) {
            Ok(d) => d,
            Err(e) => return o.failed(format!("the timing import failed: {e}")),
        };
        let mut reported = Vec::new();
        for n in 0..trials {
            let file = write(n, &mut pixels);
            let delay = Self::moment(rng, full);
            let out = self.trial(
                &mut o,
                &lib,
                &["import", "--no-wait", file.to_str().unwrap()],
                delay,
            );
            reported.extend(out.lines().filter_map(|l| {
                l.strip_prefix("imported ")?
                    .split(' ')
                    .next()?
                    .parse::<i64>()
                    .ok()
            }));
            let at = format!("trial {n} (killed after {delay:?})");
            if let Err(e) = self.clean(&lib) {
                o.failures.push(format!("{at}: {e}"));
            }
            for id in &reported {
                if self
                    .json(&lib, &["show", "--json", &id.to_string()])
                    .is_err()
                {
                    o.failures
                        .push(format!("{at}: document {id}, reported imported, is gone"));
                }
            }
            std::fs::remove_file(&file).unwrap();
        }
        o
    }

    /// OCR runs killed at random: the pages read stay read, the queue resumes, and a last run
    /// reads everything with no page lost or failed.
    pub fn ocr(&self, scans: &[PathBuf], trials: usize, rng: &mut Rng) -> Outcome {
        let mut o = Outcome::new("OCR");
        let lib = self.work.join("lib-ocr");
        let mut args = vec!["import".to_string(), "--json".into(), "--no-wait".into()];
        args.extend(scans.iter().map(|p| p.display().to_string()));
        let imported = match self.json(&lib, &args.iter().map(String::as_str).collect::<Vec<_>>()) {
            Ok(r) => r["imported"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|i| i["id"].as_i64())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            Err(e) => return o.failed(format!("importing the scans failed: {e}")),
        };
        if let Err(e) = self.timed(&lib, &["ocr"]) {
            return o.failed(format!("the first OCR run failed: {e}"));
        }
        // One document read again is one trial's work (`ocr --redo` queues it, then reads).
        let full = match self.timed(&lib, &["ocr", "--redo", &imported[0].to_string()]) {
            Ok(d) => d,
            Err(e) => return o.failed(format!("the timing OCR run failed: {e}")),
        };
        for n in 0..trials {
            let id = imported[rng.below(imported.len() as u64) as usize];
            let delay = Self::moment(rng, full);
            self.trial(&mut o, &lib, &["ocr", "--redo", &id.to_string()], delay);
            if let Err(e) = self.clean(&lib) {
                o.failures.push(format!(
                    "trial {n} (document {id}, killed after {delay:?}): {e}"
                ));
            }
        }
        match self.json(&lib, &["ocr", "--json"]) {
            Ok(r) if r["failed"].as_array().is_none_or(Vec::is_empty) => {}
            Ok(r) => o.failures.push(format!(
                "the last OCR run left failed pages: {}",
                r["failed"]
            )),
            Err(e) => o.failures.push(format!("the last OCR run: {e}")),
        }
        if let Ok(docs) = self.json(&lib, &["list", "--json"]) {
            for d in docs.as_array().into_iter().flatten() {
                if d["pages_awaiting_ocr"].as_u64().unwrap_or(0) > 0 {
                    o.failures.push(format!(
                        "document {} still awaits OCR after the last run",
                        d["id"]
                    ));
                }
            }
        }
        if let Err(e) = self.clean(&lib) {
            o.failures.push(format!("after the last run: {e}"));
        }
        o
    }

    /// A library of `n` born-digital documents, for the export and restore trials.
    pub fn library_of(&self, name: &str, n: usize) -> Result<PathBuf, String> {
        let lib = self.work.join(name);
        let input = self.work.join(format!("{name}-input"));
        std::fs::create_dir_all(&input).unwrap();
        for i in 0..n {
            let text = format!(
                "Pismo {i} w sprawie działki {i}/3. {}",
                "Treść pisma o sprawach gminy. ".repeat(200)
            );
            std::fs::write(
                input.join(format!("{i:04}.pdf")),
                pdf_from_text(&text, None, None),
            )
            .unwrap();
        }
        self.json(
            &lib,
            &["import", "--json", input.to_str().expect("a UTF-8 path")],
        )?;
        Ok(lib)
    }

    /// Exports killed at random: the library stays clean, and every package a user can see
    /// on the carrier verifies (a half-written one stays hidden and is cleared by the next).
    pub fn export(&self, lib: &Path, trials: usize, rng: &mut Rng) -> Outcome {
        let mut o = Outcome::new("export of a paczka archiwalna");
        let carrier = self.work.join("carrier");
        std::fs::create_dir_all(&carrier).unwrap();
        let export = [
            "export",
            "--all",
            "--to",
            carrier.to_str().expect("a UTF-8 path"),
        ];
        // Timed twice: the second run, with the files in the page cache, is what later runs
        // take.
        let mut full = Duration::ZERO;
        for _ in 0..2 {
            full = match self.timed(lib, &export) {
                Ok(d) => d,
                Err(e) => return o.failed(format!("the timing export failed: {e}")),
            };
        }
        for n in 0..trials {
            let delay = Self::moment(rng, full);
            self.trial(&mut o, lib, &export, delay);
            let at = format!("trial {n} (killed after {delay:?})");
            if let Err(e) = self.clean(lib) {
                o.failures.push(format!("{at}: {e}"));
            }
            for entry in std::fs::read_dir(&carrier).unwrap().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !entry.path().is_dir() {
                    continue;
                }
                let path = entry.path();
                match self.json(lib, &["verify", "--json", path.to_str().unwrap()]) {
                    // Checked: out of the way of the next trials.
                    Ok(_) => std::fs::remove_dir_all(&path).unwrap(),
                    Err(e) => o
                        .failures
                        .push(format!("{at}: the package {name} on the carrier: {e}")),
                }
            }
        }
        if let Err(e) = self.timed(lib, &export) {
            o.failures.push(format!("the export after the kills: {e}"));
        }
        o
    }

    /// Restores of a backup killed at random: the new library is either not there or whole
    /// (the restore builds it aside), and a restore after the kill completes.
    pub fn restore(&self, lib: &Path, trials: usize, rng: &mut Rng) -> Outcome {
        let mut o = Outcome::new("restore of a backup");
        let carrier = self.work.join("backup");
        std::fs::create_dir_all(&carrier).unwrap();
        let bag = match self.json(
            lib,
            &[
                "export",
                "--backup",
                "--json",
                "--to",
                carrier.to_str().unwrap(),
            ],
        ) {
            Ok(r) => match r["bag"].as_str() {
                Some(p) => PathBuf::from(p),
                None => return o.failed(format!("the backup named no bag: {r}")),
            },
            Err(e) => return o.failed(format!("the backup failed: {e}")),
        };
        let bag = if bag.is_absolute() {
            bag
        } else {
            carrier.join(bag)
        };
        let documents = self.document_count(lib).unwrap_or(0);
        let restore = ["restore", bag.to_str().expect("a UTF-8 path")];
        let full = match self.timed(&self.work.join("restored-timing"), &restore) {
            Ok(d) => d,
            Err(e) => return o.failed(format!("the timing restore failed: {e}")),
        };
        for n in 0..trials {
            let target = self.work.join(format!("restored-{n}"));
            let delay = Self::moment(rng, full);
            self.trial(&mut o, &target, &restore, delay);
            let at = format!("trial {n} (killed after {delay:?})");
            if !target.join("skladnica.sqlite").exists()
                && let Err(e) = self.timed(&target, &restore)
            {
                o.failures
                    .push(format!("{at}: the restore after the kill: {e}"));
                continue;
            }
            if let Err(e) = self.clean(&target) {
                o.failures.push(format!("{at}: the restored library: {e}"));
            }
            match self.document_count(&target) {
                Ok(k) if k == documents => {}
                Ok(k) => o.failures.push(format!(
                    "{at}: the restored library has {k} documents, not {documents}"
                )),
                Err(e) => o.failures.push(format!("{at}: {e}")),
            }
            let _ = std::fs::remove_dir_all(&target);
        }
        o
    }

    /// In-place encryptions of `lib` (a copy each trial) killed at random: the library stays
    /// clean and whole after the kill, and `encrypt` run again finishes the work, leaving no
    /// original and no database in the clear.
    pub fn encrypt(&self, lib: &Path, trials: usize, rng: &mut Rng) -> Outcome {
        let mut o = Outcome::new("encryption of a library in place");
        let documents = self.document_count(lib).unwrap_or(0);
        let copy = |to: &Path| -> Result<(), String> {
            let _ = std::fs::remove_dir_all(to);
            let out = Command::new("cp")
                .arg("-a")
                .arg(lib)
                .arg(to)
                .output()
                .map_err(|e| e.to_string())?;
            out.status
                .success()
                .then_some(())
                .ok_or_else(|| String::from_utf8_lossy(&out.stderr).into_owned())
        };
        let timing = self.work.join("encrypted-timing");
        let full = match copy(&timing).and_then(|()| self.timed(&timing, &["encrypt"])) {
            Ok(d) => d,
            Err(e) => return o.failed(format!("the timing encryption failed: {e}")),
        };
        for n in 0..trials {
            let target = self.work.join(format!("encrypted-{n}"));
            if let Err(e) = copy(&target) {
                return o.failed(format!("copying the library: {e}"));
            }
            let delay = Self::moment(rng, full);
            self.trial(&mut o, &target, &["encrypt"], delay);
            let at = format!("trial {n} (killed after {delay:?})");
            let whole = |when: &str, o: &mut Outcome| {
                if let Err(e) = self.clean(&target) {
                    o.failures.push(format!("{at}, {when}: {e}"));
                }
                match self.document_count(&target) {
                    Ok(k) if k == documents => {}
                    Ok(k) => o
                        .failures
                        .push(format!("{at}, {when}: {k} documents, not {documents}")),
                    Err(e) => o.failures.push(format!("{at}, {when}: {e}")),
                }
            };
            whole("after the kill", &mut o);
            // Finished by running it again (unless the killed run had finished).
            if let Err(e) = self.timed(&target, &["encrypt"])
                && !e.contains("encrypted already")
            {
                o.failures
                    .push(format!("{at}: the encryption after the kill: {e}"));
            }
            whole("finished", &mut o);
            if let Some(clear) = clear_files(&target) {
                o.failures
                    .push(format!("{at}: left in the clear after finishing: {clear}"));
            }
            let _ = std::fs::remove_dir_all(&target);
        }
        o
    }
}

/// A file of an encrypted library at `lib` still in the clear (the database, an original, an
/// index file), if there is one.
fn clear_files(lib: &Path) -> Option<String> {
    let sealed = |p: &Path| {
        let mut head = [0u8; 8];
        std::fs::File::open(p)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok_and(|()| &head == skladnica_core::crypt::MAGIC)
    };
    let mut head = [0u8; 16];
    if std::fs::File::open(lib.join("skladnica.sqlite"))
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0")
    {
        return Some("skladnica.sqlite".into());
    }
    let mut stack = vec![lib.join("blobs"), lib.join("index")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if name != "tmp" {
                    stack.push(p);
                }
            } else {
                // Originals are named by their hash; the index's own files (not its locks or
                // its version stamp) have an extension.
                let must_be_sealed = if dir.starts_with(lib.join("blobs")) {
                    name.len() == 64
                } else {
                    name.contains('.') && !name.starts_with('.')
                };
                if must_be_sealed && !sealed(&p) {
                    return Some(p.display().to_string());
                }
            }
        }
    }
    None
}
