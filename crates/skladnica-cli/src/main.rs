//! The `skladnica` command: batch import, search and maintenance of a Składnica library, for
//! archivists, scripts and CI. Everything it does is in `skladnica-core`; this file parses the
//! command line and `print.rs` draws the results.

mod audit;
mod encryption;
mod operator;
mod print;
mod records;
mod sync;
mod targets;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skladnica_core::ingest::{ImportEvent, ImportOptions};
use skladnica_core::search::{SearchOptions, SortOrder};
use skladnica_core::{Error, Library, capture, ocr};

/// Składnica: a searchable archive of an office's paper records, on one PC.
#[derive(Parser)]
#[command(name = "skladnica", version, about, max_term_width = 100)]
struct Cli {
    /// The library folder (default: the OS data folder, e.g. ~/.local/share/skladnica/library).
    #[arg(long, global = true, env = "SKLADNICA_LIBRARY", value_name = "DIR")]
    library: Option<PathBuf>,
    /// The operator profile to act as, on a library that has profiles (`skladnica operator`);
    /// its password is taken from SKLADNICA_OPERATOR_PASSWORD or asked.
    #[arg(long, global = true, env = "SKLADNICA_OPERATOR", value_name = "NAME")]
    operator: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Splitting stack files into documents, for `import` and `watch`.
#[derive(clap::Args)]
struct SeparateArgs {
    /// Split scanned stacks (multi-page TIFFs or PDFs, e.g. from a scanner's scan-to-folder)
    /// into documents at separator sheets (`skladnica separator`); JSON adds `stacks`.
    #[arg(long)]
    separate: bool,
    /// With --separate, blank pages: keep, drop, or split (blank sheets separate documents).
    #[arg(long, value_parser = ["keep", "drop", "split"], requires = "separate")]
    blank: Option<String>,
    /// With --separate, the separator sheets' text (default SKLADNICA-ROZDZIELACZ).
    #[arg(long, value_name = "TEXT", requires = "separate")]
    separator_text: Option<String>,
}

impl SeparateArgs {
    /// The separation asked for, if any.
    fn get(self) -> Option<capture::separate::Separation> {
        self.separate.then(|| capture::separate::Separation {
            codes: true,
            code_text: self
                .separator_text
                .unwrap_or_else(|| capture::separate::DEFAULT_CODE_TEXT.to_string()),
            blank: blank_pages(self.blank.as_deref()),
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Create a library (or confirm the one that is there).
    Init,
    /// Import files and folders (recursively): PDF, JPEG, PNG, TIFF.
    Import {
        /// Print one JSON object with `imported`, `duplicates` and `failed`.
        #[arg(long)]
        json: bool,
        /// Worker threads (default: one per core).
        #[arg(long, default_value_t = 0)]
        workers: usize,
        /// Return without waiting for OCR of scanned pages (`skladnica ocr` does it later).
        #[arg(long)]
        no_wait: bool,
        #[command(flatten)]
        separation: SeparateArgs,
        /// Files and folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Search the library (words in any inflected form, "phrases", -exclusions, rok:2024,
    /// data:2024-01..2024-06, tytul:…, rodzaj:…, format:pdf, jrwa:…).
    Search {
        /// Print JSON: `{total, hits: [{id, title, score, snippet}], facets, fuzzy}`.
        #[arg(long)]
        json: bool,
        /// How many hits to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Hits to skip, for paging.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// The order: relevance (best match first), newest or oldest (by the document's date,
        /// undated last).
        #[arg(long, default_value = "relevance")]
        sort: SortOrder,
        /// The query (several arguments are joined with spaces; put an exclusion that starts
        /// the query after `--`, or quote the whole query).
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Show one document with its files, pages, metadata and what was read from its text.
    Show {
        /// Print JSON (with `extracted`: every value read from the text, its confidence, page
        /// and source).
        #[arg(long)]
        json: bool,
        /// Hide personal data (PESEL, identity card numbers) but their last two characters (the
        /// default; kept for scripts that ask for it).
        #[arg(long, conflicts_with = "reveal_personal")]
        mask_personal: bool,
        /// Show personal data (PESEL, identity card numbers) in full; the audit log records it.
        #[arg(long)]
        reveal_personal: bool,
        /// The document id.
        id: i64,
    },
    /// Write a document's searchable PDF: the original scans untouched, with an invisible text
    /// layer from OCR (PDF/A-2b for scans imported as image files).
    Pdf {
        /// Print JSON: `{path, pages, text_layer_pages, unread_pages, pdfa, unchanged}`.
        #[arg(long)]
        json: bool,
        /// Where to write it (default: skladnica-<ID>.pdf in the current folder).
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The document id.
        id: i64,
    },
    /// List the documents, newest first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read the pages awaiting OCR (Tesseract, Polish); resumes where it stopped.
    Ocr {
        /// Print JSON: `{done, failed, cancelled}`.
        #[arg(long)]
        json: bool,
        /// Read this document's scanned pages again first (e.g. after --lang).
        #[arg(long, value_name = "ID")]
        redo: Option<i64>,
        /// Languages for this run, e.g. pol+eng (default: the library's setting, pol+eng).
        #[arg(long, value_name = "LANGS")]
        lang: Option<String>,
        /// Make --lang the library's setting for later runs too.
        #[arg(long, requires = "lang")]
        save: bool,
    },
    /// Watch a folder (a hot folder): import files that appear once they are complete, then move
    /// them to zaimportowane/<date>/ or, refused, to odrzucone/ with the reason beside them.
    Watch {
        /// The folder to watch.
        dir: PathBuf,
        /// Process what is there and exit once nothing is left waiting.
        #[arg(long)]
        once: bool,
        /// Seconds between looks at the folder.
        #[arg(long, default_value_t = 2)]
        interval: u64,
        /// Seconds a file must stay unchanged before it counts as complete.
        #[arg(long, default_value_t = 3)]
        settle: u64,
        /// Do not run OCR after each import.
        #[arg(long)]
        no_wait: bool,
        #[command(flatten)]
        separation: SeparateArgs,
    },
    /// List the scanners SANE sees, with their sources, modes and resolutions.
    Scanners {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the scan profiles (built in and the library's own).
    Profiles {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Scan paper into the library: the feeder until it is empty (one batch, split into
    /// documents at separator sheets), or one page from the glass. Pages are read by OCR after.
    Scan {
        /// Print JSON: `{device, applied, pages_scanned, separators, blank_pages, documents,
        /// import, scanner_error, kept_in}`.
        #[arg(long)]
        json: bool,
        /// The scanner, as `skladnica scanners` names it (default: the first one).
        #[arg(long, default_value = "")]
        device: String,
        /// The profile (`skladnica profiles`).
        #[arg(long, default_value = "dokumenty")]
        profile: String,
        /// Resolution in dpi (the nearest the scanner has is taken).
        #[arg(long)]
        resolution: Option<u32>,
        /// Colour: color, gray or lineart.
        #[arg(long, value_parser = ["color", "gray", "lineart"])]
        colour: Option<String>,
        /// Paper source: auto (the feeder when there is one), flatbed, adf or adf-duplex.
        #[arg(long, value_parser = ["auto", "flatbed", "adf", "adf-duplex"])]
        source: Option<String>,
        /// Page size: a3, a4, a5, b5, letter, legal, WIDTHxHEIGHT in mm, or full.
        #[arg(long)]
        page: Option<String>,
        /// Blank pages: keep, drop (e.g. duplex backs) or split (blank sheets separate documents).
        #[arg(long, value_parser = ["keep", "drop", "split"])]
        blank: Option<String>,
        /// Do not split at separator sheets (QR code or barcode with the separator text).
        #[arg(long)]
        no_separators: bool,
        /// The separator sheets' text (default SKLADNICA-ROZDZIELACZ).
        #[arg(long, value_name = "TEXT")]
        separator_text: Option<String>,
        /// A scanner option as SANE names it, set as it is (repeatable).
        #[arg(long = "option", value_name = "NAME=VALUE")]
        options: Vec<String>,
        /// Save these settings as a profile of this library.
        #[arg(long, value_name = "NAME")]
        save_profile: Option<String>,
        /// Do not run OCR after scanning.
        #[arg(long)]
        no_wait: bool,
    },
    /// Write a separator sheet to print (PNG, A4): put it between documents in the feeder.
    Separator {
        /// The PNG file to write.
        out: PathBuf,
        /// The text of its codes (default SKLADNICA-ROZDZIELACZ).
        #[arg(long)]
        text: Option<String>,
    },
    /// The file plan (JRWA): list, show, search, import an office's own, versions.
    #[command(subcommand)]
    Jrwa(records::JrwaCommand),
    /// Organisational units (komórki) and the years they exist in.
    #[command(subcommand)]
    Unit(records::UnitCommand),
    /// Cases (sprawy): open one with the next number of its spis spraw, list, show, close.
    #[command(subcommand)]
    Case(records::CaseCommand),
    /// The incoming register (RPW): register an item, list, show.
    #[command(subcommand)]
    Rpw(records::RpwCommand),
    /// Export targets (a share, a USB disk) exported to on a schedule: add, remove, list.
    #[command(subcommand)]
    Target(targets::TargetCommand),
    /// Sending incoming letters to the office's EZD RP: config, queue, run, status.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// The audit log: who did what to which record (log), and its hash chain checked (verify).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Operator profiles: who works at this workstation, in which role (clerk, archivist,
    /// administrator), with an optional password.
    #[command(subcommand)]
    Operator(operator::OperatorCommand),
    /// Remove a document from the library, for a reason the audit log keeps. A document in a
    /// case or registered in the RPW is never removed (its case goes through brakowanie).
    Remove {
        /// Why it goes (a scan imported twice, somebody else's page…).
        #[arg(long)]
        reason: String,
        /// The document's id.
        id: i64,
    },
    /// Carry out brakowanie (an archivist): destroy closed cases that `retention` shows due
    /// for destruction, under the state archive's approval. All of them or none.
    Brakowanie {
        /// The state archive's approval: its letter's sign.
        #[arg(long)]
        approval: String,
        /// The day of destruction (default: today).
        #[arg(long, value_parser = |s: &str| s.parse::<skladnica_records::Date>().map_err(|e| e.to_string()))]
        on: Option<skladnica_records::Date>,
        /// Print JSON: `{approval, on, cases: [{sign, title, category, documents}]}`.
        #[arg(long)]
        json: bool,
        /// The cases' signs.
        #[arg(required = true)]
        signs: Vec<String>,
    },
    /// A document's metadata: show, set or confirm values as the clerk's; write it as XML.
    #[command(subcommand)]
    Meta(records::MetaCommand),
    /// The office the library belongs to (its name and address go into metadata).
    #[command(subcommand)]
    Office(records::OfficeCommand),
    /// Closed cases due for destruction (B), expert review (BE) or transfer to the state
    /// archive (A) on a day.
    Retention {
        /// Print JSON: `{on, items: [{sign, title, jrwa_symbol, category, closed_on, due}]}`.
        #[arg(long)]
        json: bool,
        /// The day (default: today).
        #[arg(long, value_parser = |s: &str| s.parse::<skladnica_records::Date>().map_err(|e| e.to_string()))]
        on: Option<skladnica_records::Date>,
        /// Only this action.
        #[arg(long, value_parser = ["destroy", "review", "transfer"])]
        action: Option<String>,
    },
    /// Read documents' text again with the metadata extractors (dates, signs, identifiers,
    /// issuer, kind…); the clerk's values stay.
    Extract {
        /// Print JSON: `{documents}`.
        #[arg(long)]
        json: bool,
        /// Every document, not only those not read yet.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Document ids (default: those not read yet).
        ids: Vec<i64>,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Encrypt the library at rest (an administrator's setting): the database (SQLCipher), the
    /// originals and the search index. The key goes to this computer's keyring; a recovery
    /// passphrase (SKLADNICA_LIBRARY_PASSPHRASE, else asked) opens the library where the keyring
    /// does not hold it. Run again after an interruption to finish.
    Encrypt {
        /// Print JSON: `{blobs_sealed, documents_indexed, key}`.
        #[arg(long)]
        json: bool,
    },
    /// Open an encrypted library on this computer with its recovery passphrase
    /// (SKLADNICA_LIBRARY_PASSPHRASE, else asked); its key is then kept in the keyring.
    Unlock,
    /// Take an encrypted library's key off this computer's keyring: the recovery passphrase is
    /// needed again to open it here.
    Lock,
    /// Give an encrypted library a new recovery passphrase (an administrator's setting;
    /// SKLADNICA_NEW_LIBRARY_PASSPHRASE, else asked twice); the old one no longer opens it.
    Passphrase,
    /// Verify every original against its hash and the index against the database.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Fix what can be derived again (the index, orphan blobs).
        #[arg(long)]
        repair: bool,
    },
    /// Write a paczka archiwalna into a new folder in DIR (a USB disk, a network share): the
    /// documents (originals, and archive PDFs of scans), one NDAP metadata XML per file, one XML
    /// per case, the spis zdawczo-odbiorczy, a SHA-256 manifest and the confirmation to print.
    Export {
        /// Print JSON: `{package, cases, documents, files, bytes, checksum, failed}`.
        #[arg(long)]
        json: bool,
        /// The folder the package goes into.
        #[arg(long, value_name = "DIR", required_unless_present_any = ["target", "due"])]
        to: Option<PathBuf>,
        /// Export to this registered target now (what changed since its last export).
        #[arg(long, value_name = "NAME", conflicts_with_all = ["to", "due", "cases", "jrwa", "category", "closed_before", "all", "since_last", "backup"])]
        target: Option<String>,
        /// Export to every registered target whose time has come and that is connected (for
        /// a scheduled task).
        #[arg(long, conflicts_with_all = ["to", "cases", "jrwa", "category", "closed_before", "all", "since_last", "backup"])]
        due: bool,
        /// A case to export, by its sign (several allowed).
        #[arg(long = "case", value_name = "SIGN")]
        cases: Vec<String>,
        /// Cases of JRWA classes starting with this symbol.
        #[arg(long)]
        jrwa: Option<String>,
        /// Cases of this archival category (A, B5, BE10…; B for every B<n>).
        #[arg(long)]
        category: Option<String>,
        /// Cases closed before this day.
        #[arg(long, value_parser = |s: &str| s.parse::<skladnica_records::Date>().map_err(|e| e.to_string()))]
        closed_before: Option<skladnica_records::Date>,
        /// Every case, and the documents in none.
        #[arg(long)]
        all: bool,
        /// Only what changed since the last export to the same folder.
        #[arg(long)]
        since_last: bool,
        /// A full backup instead: the whole library (database and originals) as a BagIt bag,
        /// for `skladnica restore`.
        #[arg(long, conflicts_with_all = ["cases", "jrwa", "category", "closed_before", "all", "since_last"])]
        backup: bool,
        /// Encrypt the backup with a passphrase (age, scrypt), for a carrier that may be lost:
        /// one file `kopia-<date>.tar.age`. The passphrase is taken from SKLADNICA_PASSPHRASE or
        /// asked twice on the terminal, and never stored.
        #[arg(long, requires = "backup")]
        encrypt: bool,
    },
    /// Restore a full backup (a bag written by `export --backup`, or its encrypted file) as a new
    /// library at --library, which must not exist or be empty; or, with --merge, into the
    /// library there. The bag is verified first.
    Restore {
        /// Print JSON: `{library, documents, files}`; with --merge, what was added, what the
        /// library already held and what was not merged.
        #[arg(long)]
        json: bool,
        /// Merge the backup into the existing library: documents it already holds (the same
        /// original) are kept as they are, cases are matched by their sign, an incoming-register
        /// number the library gave to another letter is reported and not merged.
        #[arg(long)]
        merge: bool,
        /// The backup's folder.
        bag: PathBuf,
    },
    /// The export log: every package written (or those written to --to DIR), newest first.
    Exports {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only packages written to this folder.
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Verify a package on a carrier: checksums, nothing missing or extra, every file with its
    /// metadata, the confirmation's checksum; with --schema also each metadata file against an
    /// XSD (needs xmllint). A backup bag is checked as BagIt says; an encrypted backup is
    /// decrypted as it is read (the passphrase as for `export --encrypt`).
    Verify {
        /// Print JSON: `{files_checked, bytes, schema_checked, problems: [{path, reason}]}`.
        #[arg(long)]
        json: bool,
        /// The archive's metadata schema (Metadane-1.7.xsd) to validate against.
        #[arg(long)]
        schema: Option<PathBuf>,
        /// The package's or backup's folder, or an encrypted backup's file.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    skladnica_core::ocr::limit_openmp_threads();
    quiet_worker_panics();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`skladnica list | head`): nothing more to say.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // The chain, each cause once: the library's errors already name their cause.
            let mut said = e.to_string();
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !said.contains(&cause) {
                    said = format!("{said}: {cause}");
                }
            }
            eprintln!("error: {said}");
            ExitCode::from(1)
        }
    }
}

/// Panics inside import workers are caught and reported as a damaged file; their default
/// message on stderr would only be noise.
fn quiet_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some("skladnica-import") {
            default(info);
        }
    }));
}

/// An encrypted backup's passphrase: `SKLADNICA_PASSPHRASE`, or asked on the terminal without
/// echo (twice for a new backup, so that a typo does not lock it).
fn passphrase(new: bool) -> Result<String> {
    if let Ok(p) = std::env::var("SKLADNICA_PASSPHRASE") {
        return Ok(p);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| {
            anyhow::anyhow!(
                "the passphrase cannot be asked ({e}); set SKLADNICA_PASSPHRASE to give it"
            )
        })
    };
    let first = ask("Passphrase (hasło) of the backup: ")?;
    if new && ask("The same passphrase again: ")? != first {
        anyhow::bail!("the two passphrases differ; nothing was written");
    }
    Ok(first)
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

fn stdout() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

fn library_root(cli_path: Option<PathBuf>) -> Result<PathBuf> {
    match cli_path {
        Some(p) => Ok(p),
        None => Library::default_root()
            .context("no home folder to put the default library in; pass --library DIR"),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = library_root(cli.library)?;
    operator::set(cli.operator);
    match cli.command {
        Command::Init => {
            let lib = crate::operator::open_or_create(&root)?;
            println!("library ready at {}", lib.root().display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            json,
            workers,
            no_wait,
            separation,
            paths,
        } => import(&root, json, workers, no_wait, separation.get(), &paths),
        Command::Ocr {
            json,
            redo,
            lang,
            save,
        } => {
            let mut lib = crate::operator::open(&root)?;
            if let Some(id) = redo {
                let n = ocr::redo(&mut lib, id)?;
                if !json {
                    eprintln!("document {id}: {n} pages queued for OCR");
                }
            }
            if save && let Some(l) = &lang {
                ocr::set_languages(&lib, l)?;
            }
            let report = run_ocr(&mut lib, lang, json)?;
            if json {
                print_json(&report)?;
            }
            Ok(if report.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Search {
            json,
            limit,
            offset,
            sort,
            query,
        } => {
            let lib = crate::operator::open(&root)?;
            let query = query.join(" ");
            let opts = SearchOptions {
                limit,
                offset,
                sort,
                ..SearchOptions::default()
            };
            let results = lib.search(&query, &opts)?;
            if json {
                print_json(&results)?;
            } else {
                print::search(
                    &mut stdout(),
                    &query,
                    &results,
                    std::io::stdout().is_terminal(),
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show {
            json,
            mask_personal: _,
            reveal_personal,
            id,
        } => {
            let lib = crate::operator::open(&root)?;
            let doc = if reveal_personal {
                lib.reveal_personal(id)?
            } else {
                let mut doc = lib.document(id)?;
                doc.mask_personal();
                doc
            };
            if json {
                print_json(&doc)?;
            } else {
                print::document(&mut stdout(), &doc)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Scanners { json } => {
            let devices = capture::devices()?;
            if json {
                print_json(&devices)?;
            } else {
                print::scanners(&mut stdout(), &devices)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Profiles { json } => {
            let lib = crate::operator::open_or_create(&root)?;
            let profiles = capture::profiles(&lib)?;
            if json {
                print_json(&profiles)?;
            } else {
                print::profiles(&mut stdout(), &profiles)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Separator { out, text } => {
            let text = text.unwrap_or_else(|| capture::separate::DEFAULT_CODE_TEXT.to_string());
            capture::write_separator_sheet(&text, &out)?;
            println!(
                "{}: a separator sheet with \"{text}\"; print it at full page size",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Scan {
            json,
            device,
            profile,
            resolution,
            colour,
            source,
            page,
            blank,
            no_separators,
            separator_text,
            options,
            save_profile,
            no_wait,
        } => {
            let mut lib = crate::operator::open_or_create(&root)?;
            if !lib.is_writable() {
                return Err(Error::Busy(root.clone()).into());
            }
            let mut p = capture::profile(&lib, &profile)?;
            if let Some(r) = resolution {
                p.resolution = r;
            }
            if let Some(c) = colour {
                p.colour = match c.as_str() {
                    "color" => capture::Colour::Color,
                    "lineart" => capture::Colour::Lineart,
                    _ => capture::Colour::Gray,
                };
            }
            if let Some(s) = source {
                p.source = match s.as_str() {
                    "flatbed" => Some(capture::Source::Flatbed),
                    "adf" => Some(capture::Source::Adf),
                    "adf-duplex" => Some(capture::Source::AdfDuplex),
                    _ => None,
                };
            }
            if let Some(size) = page {
                p.page_mm = if size == "full" {
                    None
                } else {
                    Some(capture::page_size(&size).with_context(|| {
                        format!("unknown page size \"{size}\" (a3, a4, a5, b5, letter, legal, WxH in mm, full)")
                    })?)
                };
            }
            if blank.is_some() {
                p.separation.blank = blank_pages(blank.as_deref());
            }
            if no_separators {
                p.separation.codes = false;
            }
            if let Some(t) = separator_text {
                p.separation.code_text = t;
            }
            for o in options {
                let (k, v) = o
                    .split_once('=')
                    .with_context(|| format!("--option {o}: write it as NAME=VALUE"))?;
                p.options.push((k.trim().to_string(), v.trim().to_string()));
            }
            if let Some(name) = save_profile {
                p.name = name;
                capture::save_profile(&lib, &p)?;
                if !json {
                    eprintln!("profile \"{}\" saved", p.name);
                }
            }
            let cancel = AtomicBool::new(false);
            let report = capture::scan(
                &mut lib,
                &device,
                &p,
                &ImportOptions::default(),
                &mut |event| {
                    if !json {
                        print::scan_event(&mut std::io::stderr(), event);
                    }
                },
                &cancel,
            )?;
            let mut ocr_failed = false;
            if !no_wait && !report.import.imported.is_empty() {
                ocr_failed = !run_ocr(&mut lib, None, json)?.failed.is_empty();
            }
            if json {
                print_json(&report)?;
            } else {
                print::scan_report(&mut stdout(), &report)?;
            }
            let ok =
                report.scanner_error.is_none() && report.import.failed.is_empty() && !ocr_failed;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Pdf { json, out, id } => {
            let lib = crate::operator::open(&root)?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("skladnica-{id}.pdf")));
            let pdf = skladnica_core::searchable_pdf::write(&lib, id, &out)?;
            if json {
                print_json(&serde_json::json!({
                    "path": out,
                    "pages": pdf.pages,
                    "text_layer_pages": pdf.text_layer_pages,
                    "unread_pages": pdf.unread_pages,
                    "pdfa": pdf.pdfa,
                    "unchanged": pdf.unchanged,
                }))?;
            } else {
                print::searchable_pdf(&mut stdout(), &out, &pdf)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { json } => {
            let lib = crate::operator::open(&root)?;
            let docs = lib.list()?;
            if json {
                print_json(&docs)?;
            } else {
                print::list(&mut stdout(), &docs)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Watch {
            dir,
            once,
            interval,
            settle,
            no_wait,
            separation,
        } => watch(
            &root,
            &dir,
            once,
            interval,
            settle,
            no_wait,
            separation.get(),
        ),
        Command::Jrwa(command) => records::jrwa(&root, command),
        Command::Unit(command) => records::unit(&root, command),
        Command::Case(command) => records::case(&root, command),
        Command::Rpw(command) => records::rpw(&root, command),
        Command::Target(command) => targets::target(&root, command),
        Command::Sync(command) => sync::sync(&root, command),
        Command::Audit(command) => audit::audit(&root, command),
        Command::Operator(command) => operator::operator(&root, command),
        Command::Remove { reason, id } => {
            operator::open(&root)?.remove_document(id, &reason)?;
            println!("document {id} removed");
            Ok(ExitCode::SUCCESS)
        }
        Command::Brakowanie {
            approval,
            on,
            json,
            signs,
        } => {
            let on = on.unwrap_or_else(skladnica_records::Date::today);
            let done = operator::open(&root)?.destroy_cases(&signs, &approval, on)?;
            if json {
                print_json(&done)?;
            } else {
                for c in &done.cases {
                    println!(
                        "destroyed {} ({}, {} documents): {}",
                        c.sign, c.category, c.documents, c.title
                    );
                }
                println!("approval {}, on {}", done.approval, done.on);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Meta(command) => records::meta(&root, command),
        Command::Office(command) => records::office(&root, command),
        Command::Retention { json, on, action } => records::retention(&root, json, on, action),
        Command::Extract { json, all, ids } => {
            let mut lib = crate::operator::open(&root)?;
            let n = if all {
                let ids: Vec<i64> = lib.list()?.iter().map(|d| d.id).collect();
                lib.extract_documents(&ids)?
            } else if ids.is_empty() {
                lib.extract_pending()?
            } else {
                for &id in &ids {
                    lib.document(id)?;
                }
                lib.extract_documents(&ids)?
            };
            if json {
                print_json(&serde_json::json!({ "documents": n }))?;
            } else {
                println!("read {n} documents");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Encrypt { json } => encryption::encrypt(&root, json),
        Command::Unlock => encryption::unlock(&root),
        Command::Lock => encryption::lock(&root),
        Command::Passphrase => encryption::change(&root),
        Command::Reindex => {
            let mut lib = crate::operator::open(&root)?;
            let started = std::time::Instant::now();
            let n = lib.reindex(&mut |_| {})?;
            println!(
                "reindexed {n} documents in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            json,
            to,
            cases,
            jrwa,
            category,
            closed_before,
            all,
            since_last,
            backup,
            encrypt,
            target,
            due,
        } => {
            if target.is_some() || due {
                return targets::export_targets(&root, target, json);
            }
            let to = to.expect("clap requires --to without --target or --due");
            let lib = crate::operator::open(&root)?;
            if backup {
                let report = if encrypt {
                    lib.backup_encrypted(&to, &passphrase(true)?)?
                } else {
                    lib.backup(&to)?
                };
                if json {
                    print_json(&report)?;
                } else {
                    println!(
                        "{}: {} documents, {} files, {:.2} MB",
                        report.bag.display(),
                        report.documents,
                        report.files,
                        report.bytes as f64 / 1_000_000.0
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let selection = skladnica_core::export::Selection {
                cases,
                jrwa_prefix: jrwa,
                category,
                closed_before,
                all,
                since_last,
                documents: Vec::new(),
            };
            let report = lib.export_package(&to, &selection)?;
            if json {
                print_json(&report)?;
            } else {
                for f in &report.failed {
                    eprintln!("not exported: document {}: {}", f.document, f.reason);
                }
                let Some(package) = &report.package else {
                    let since = report
                        .since
                        .as_ref()
                        .expect("only an incremental export is empty");
                    println!(
                        "nothing changed since {} ({}); no package written",
                        since.package, since.finished_at
                    );
                    return Ok(ExitCode::SUCCESS);
                };
                println!(
                    "{}: {} cases, {} documents, {} files, {:.2} MB\nSHA-256 of {}: {}",
                    package.display(),
                    report.cases,
                    report.documents,
                    report.files,
                    report.bytes as f64 / 1_000_000.0,
                    skladnica_core::export::MANIFEST,
                    report.checksum
                );
            }
            Ok(if report.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Restore {
            json,
            bag,
            merge: true,
        } => {
            let mut lib = crate::operator::open(&root)?;
            let report = if skladnica_core::export::encrypted::is_encrypted(&bag) {
                skladnica_core::export::encrypted::merge_encrypted(
                    &bag,
                    &passphrase(false)?,
                    &mut lib,
                )?
            } else {
                skladnica_core::export::merge::merge(&bag, &mut lib)?
            };
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "{}: merged {} documents ({} originals), {} already here; cases: {} added, \
                     {} joined; RPW entries added: {}; JRWA versions added: {}; units added: {}",
                    report.library.display(),
                    report.documents_added,
                    report.files,
                    report.documents_present,
                    report.cases_added,
                    report.cases_joined,
                    report.rpw_added,
                    report.jrwa_versions_added,
                    report.units_added
                );
                for n in &report.not_merged {
                    println!("not merged: {n}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { json, bag, .. } => {
            let report = if skladnica_core::export::encrypted::is_encrypted(&bag) {
                skladnica_core::export::encrypted::restore_encrypted(
                    &bag,
                    &passphrase(false)?,
                    &root,
                )?
            } else {
                skladnica_core::export::backup::restore(&bag, &root)?
            };
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "{}: restored {} documents ({} originals)",
                    report.library.display(),
                    report.documents,
                    report.files
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Exports { json, to } => {
            let log = crate::operator::open(&root)?.exports(to.as_deref())?;
            if json {
                print_json(&log)?;
            } else {
                for e in &log {
                    println!(
                        "{}  {}/{}  {} documents, {:.2} MB{}",
                        e.finished_at,
                        e.target,
                        e.package,
                        e.documents,
                        e.bytes as f64 / 1_000_000.0,
                        if e.incremental { " (changes only)" } else { "" }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { json, schema, dir } => {
            let report = if skladnica_core::export::encrypted::is_encrypted(&dir) {
                skladnica_core::export::encrypted::verify_encrypted(&dir, &passphrase(false)?)?
            } else {
                skladnica_core::export::verify::verify(&dir, schema.as_deref())?
            };
            if json {
                print_json(&report)?;
            } else {
                for p in &report.problems {
                    println!("{}: {}", p.path, p.reason);
                }
                println!(
                    "{}: {} files checked ({:.2} MB){}, {}",
                    dir.display(),
                    report.files_checked,
                    report.bytes as f64 / 1_000_000.0,
                    if schema.is_some() {
                        format!(", {} metadata files validated", report.schema_checked)
                    } else {
                        String::new()
                    },
                    match report.problems.len() {
                        0 => "sound".to_string(),
                        n => format!("{n} problems"),
                    }
                );
            }
            Ok(if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Check { json, repair } => {
            let mut lib = crate::operator::open(&root)?;
            let report = lib.check(repair)?;
            if json {
                print_json(&report)?;
            } else {
                print::check(&mut stdout(), &report)?;
            }
            Ok(if report.clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn watch(
    root: &std::path::Path,
    dir: &std::path::Path,
    once: bool,
    interval: u64,
    settle: u64,
    no_wait: bool,
    separation: Option<capture::separate::Separation>,
) -> Result<ExitCode> {
    let mut lib = crate::operator::open_or_create(root)?;
    if !lib.is_writable() {
        return Err(Error::Busy(root.to_path_buf()).into());
    }
    eprintln!(
        "watching {} (imported files go to {}/, refused ones to {}/)",
        dir.display(),
        skladnica_core::watch::DONE_DIR,
        skladnica_core::watch::FAILED_DIR
    );
    let mut state = skladnica_core::watch::WatchState::default();
    state.separation = separation;
    let cancel = AtomicBool::new(false);
    let settle = std::time::Duration::from_secs(settle);
    let pause = std::time::Duration::from_secs(interval)
        .min(settle.max(std::time::Duration::from_millis(200)));
    let mut any_failed = false;
    loop {
        let mut progress = print::ImportProgress::new(false, false);
        let pass = skladnica_core::watch::pass(
            &mut lib,
            dir,
            &mut state,
            settle,
            &ImportOptions::default(),
            &mut |event: &ImportEvent| progress.event(event),
            &cancel,
        )?;
        any_failed |= !pass.import.failed.is_empty();
        if !pass.import.imported.is_empty() && !no_wait {
            let ocr = run_ocr(&mut lib, None, false)?;
            any_failed |= !ocr.failed.is_empty();
        }
        if once && pass.waiting == 0 {
            break;
        }
        std::thread::sleep(if once {
            pause
        } else {
            std::time::Duration::from_secs(interval)
        });
    }
    Ok(if any_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs the OCR queue with a line per page (or a bar on a terminal).
fn run_ocr(lib: &mut Library, lang: Option<String>, json: bool) -> Result<ocr::OcrReport> {
    let pending = ocr::pending(lib)?;
    if pending == 0 {
        return Ok(ocr::OcrReport::default());
    }
    let tty = std::io::stderr().is_terminal() && !json;
    let bar = tty.then(|| {
        let bar = indicatif::ProgressBar::new(pending as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "OCR {spinner} [{elapsed_precise}] {bar:40} {pos}/{len} pages ({per_sec}) {msg}",
            )
            .expect("a valid template"),
        );
        bar
    });
    let opts = ocr::OcrOptions {
        languages: lang,
        ..Default::default()
    };
    let cancel = AtomicBool::new(false);
    let report = ocr::run(
        lib,
        &opts,
        &mut |page, _total| {
            let line = match &page.error {
                None => format!(
                    "ocr {} page {} (confidence {:.0})",
                    page.document_id,
                    page.page,
                    page.confidence.unwrap_or(0.0)
                ),
                Some(e) => format!("ocr failed {} page {}: {e}", page.document_id, page.page),
            };
            match &bar {
                Some(bar) => {
                    if page.error.is_some() {
                        bar.println(line);
                    }
                    bar.inc(1);
                }
                None if page.error.is_some() => {
                    let _ = writeln!(std::io::stderr(), "{line}");
                }
                None if !json => {
                    let _ = writeln!(std::io::stdout(), "{line}");
                }
                None => {}
            }
        },
        &cancel,
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if !json {
        eprintln!(
            "{} pages read by OCR, {} could not be read",
            report.done.len(),
            report.failed.len()
        );
    }
    Ok(report)
}

fn blank_pages(arg: Option<&str>) -> capture::separate::BlankPages {
    match arg {
        Some("drop") => capture::separate::BlankPages::Drop,
        Some("split") => capture::separate::BlankPages::Split,
        _ => capture::separate::BlankPages::Keep,
    }
}

fn import(
    root: &std::path::Path,
    json: bool,
    workers: usize,
    no_wait: bool,
    separation: Option<capture::separate::Separation>,
    paths: &[PathBuf],
) -> Result<ExitCode> {
    let mut lib = crate::operator::open_or_create(root)?;
    if !lib.is_writable() {
        return Err(Error::Busy(root.to_path_buf()).into());
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = ImportOptions {
        workers,
        ..ImportOptions::default()
    };
    let tty = std::io::stderr().is_terminal() && !json;
    let mut progress = print::ImportProgress::new(tty, json);
    let mut stacks = Vec::new();
    let report = match &separation {
        None => lib.import(
            paths,
            &opts,
            &mut |event: &ImportEvent| progress.event(event),
            &cancel,
        )?,
        Some(sep) => {
            let r = capture::import_separated(
                &mut lib,
                paths,
                sep,
                &opts,
                &mut |event: &ImportEvent| progress.event(event),
                &cancel,
            )?;
            stacks = r.stacks;
            r.import
        }
    };
    progress.finish(&report);
    if !json {
        for s in &stacks {
            eprintln!(
                "{}: {} pages split into {} documents ({} separator sheets, {} blank pages left out)",
                s.source,
                s.pages,
                s.parts.len(),
                s.separators,
                s.blank_pages
            );
        }
    }
    let mut ocr_failed = false;
    if !no_wait && !report.cancelled {
        // Scanned pages are read now, so that what was imported can be found at once.
        let ocr = run_ocr(&mut lib, None, json)?;
        ocr_failed = !ocr.failed.is_empty();
    }
    if json {
        if separation.is_some() {
            print_json(&capture::SeparatedImport {
                import: report.clone(),
                stacks,
            })?;
        } else {
            print_json(&report)?;
        }
    }
    Ok(
        if report.failed.is_empty() && !ocr_failed && !cancel.load(Ordering::Relaxed) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}
