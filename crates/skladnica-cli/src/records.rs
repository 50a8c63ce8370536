//! The records commands: `jrwa`, `unit`, `case` and `retention`. The rules and the registers are
//! in `skladnica-core` (`records`); this file parses arguments and prints.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use skladnica_core::db::cases::{Case, CaseFilter};
use skladnica_records::{Date, JrwaClass};

use crate::{print_json, stdout};

fn date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// The file plan (JRWA).
#[derive(Subcommand)]
pub enum JrwaCommand {
    /// Print the JRWA in force (or another version) as a tree.
    List {
        /// Print JSON: `{version, classes: [...]}`.
        #[arg(long)]
        json: bool,
        /// A version id from `skladnica jrwa versions` (default: the one in force).
        #[arg(long)]
        version: Option<i64>,
        /// The version in force on this day (YYYY-MM-DD).
        #[arg(long, value_parser = date, conflicts_with = "version")]
        on: Option<Date>,
        /// Only the classes under this symbol.
        #[arg(long, default_value = "")]
        prefix: String,
        /// Only classes down to this level (1–4).
        #[arg(long)]
        depth: Option<usize>,
    },
    /// Show one class with the classes above and below it.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// A version id (default: the one in force).
        #[arg(long)]
        version: Option<i64>,
        /// The symbol.
        symbol: String,
    },
    /// Find classes by symbol prefix or by words of the heading (any inflection).
    Search {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// A version id (default: the one in force).
        #[arg(long)]
        version: Option<i64>,
        /// How many classes to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Digits (a symbol prefix) or words.
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Load the office's own JRWA from a CSV file (format: docs/jrwa-csv.md) as a new version.
    Import {
        /// Print JSON: `{version, warnings, ignored_columns, encoding}`.
        #[arg(long)]
        json: bool,
        /// A name for the version (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// The day it comes into force (default: today); cases opened before keep their JRWA.
        #[arg(long, value_parser = date)]
        from: Option<Date>,
        /// The CSV file.
        file: PathBuf,
    },
    /// Suggest the end classes a document belongs to (learnt from documents filed earlier, and
    /// from the classes' headings).
    Suggest {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// How many classes.
        #[arg(long, default_value_t = 3)]
        limit: usize,
        /// The document id.
        id: i64,
    },
    /// List the JRWA versions and which is in force.
    Versions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Organisational units (komórki organizacyjne).
#[derive(Subcommand)]
pub enum UnitCommand {
    /// Add a unit: its code in case signs (OR, GKM; ABC-A for sub-unit A of ABC) and its name.
    Add {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The first year it exists (default: this year).
        #[arg(long)]
        from: Option<i32>,
        /// The last year it exists (default: open-ended).
        #[arg(long)]
        to: Option<i32>,
        /// The code.
        code: String,
        /// The name (several words allowed).
        #[arg(required = true)]
        name: Vec<String>,
    },
    /// List the units.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only units that exist in this year.
        #[arg(long)]
        year: Option<i32>,
    },
}

/// Cases (sprawy) and the spis spraw.
#[derive(Subcommand)]
pub enum CaseCommand {
    /// Open a case: it gets the next number of its unit's spis spraw for the class and year.
    New {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The unit's code.
        #[arg(long)]
        unit: String,
        /// The JRWA end class.
        #[arg(long)]
        jrwa: String,
        /// What the case is about.
        #[arg(long)]
        title: String,
        /// The day it opens (default: today); its year is the case's year.
        #[arg(long, value_parser = date)]
        opened: Option<Date>,
        /// The number from a paper spis spraw (default: the next free one).
        #[arg(long)]
        number: Option<u32>,
        /// Who handles it.
        #[arg(long)]
        handler: Option<String>,
    },
    /// List cases in spis spraw order.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only this unit.
        #[arg(long)]
        unit: Option<String>,
        /// Only classes starting with this symbol.
        #[arg(long)]
        jrwa: Option<String>,
        /// Only this year.
        #[arg(long)]
        year: Option<i32>,
        /// Only open cases.
        #[arg(long, conflicts_with = "closed")]
        open: bool,
        /// Only closed cases.
        #[arg(long)]
        closed: bool,
    },
    /// Show a case with its class, documents and retention.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The case sign (znak sprawy).
        sign: String,
    },
    /// File documents in a case, after those it has.
    Add {
        /// Print JSON (the case as `case show` gives it).
        #[arg(long)]
        json: bool,
        /// The case sign.
        sign: String,
        /// Document ids.
        #[arg(required = true)]
        documents: Vec<i64>,
    },
    /// Close a case.
    Close {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The day it closes (default: today).
        #[arg(long, value_parser = date)]
        on: Option<Date>,
        /// The case sign.
        sign: String,
    },
}

pub fn jrwa(root: &Path, command: JrwaCommand) -> Result<ExitCode> {
    match command {
        JrwaCommand::List {
            json,
            version,
            on,
            prefix,
            depth,
        } => {
            let lib = crate::operator::open(root)?;
            let (version, jrwa) = lib.jrwa(version, on)?;
            let classes: Vec<&JrwaClass> = jrwa
                .with_prefix(&prefix)
                .filter(|c| depth.is_none_or(|d| c.level() <= d))
                .collect();
            if json {
                print_json(&serde_json::json!({ "version": version, "classes": classes }))?;
            } else {
                let mut out = stdout();
                writeln!(
                    out,
                    "{} (version {}, in force from {})",
                    version.name, version.id, version.in_force_from
                )?;
                for c in classes {
                    class_line(&mut out, c, c.level().saturating_sub(1) * 2)?;
                }
            }
        }
        JrwaCommand::Show {
            json,
            version,
            symbol,
        } => {
            let lib = crate::operator::open(root)?;
            let (version, jrwa) = lib.jrwa(version, None)?;
            let class = jrwa.get(&symbol).with_context(|| {
                format!(
                    "JRWA class {symbol} is not in \"{}\" (version {})",
                    version.name, version.id
                )
            })?;
            let ancestors = jrwa.ancestors(&symbol);
            let children: Vec<&JrwaClass> = jrwa.children(Some(&symbol)).collect();
            if json {
                print_json(&serde_json::json!({
                    "version": version, "class": class, "ancestors": ancestors, "children": children,
                }))?;
            } else {
                let mut out = stdout();
                for (i, a) in ancestors.iter().enumerate() {
                    class_line(&mut out, a, i * 2)?;
                }
                class_line(&mut out, class, ancestors.len() * 2)?;
                if !class.notes.is_empty() {
                    writeln!(
                        out,
                        "{:w$}  uwagi: {}",
                        "",
                        class.notes,
                        w = ancestors.len() * 2
                    )?;
                }
                if let Some(source) = &class.category_source {
                    writeln!(
                        out,
                        "{:w$}  źródło kategorii: {source}",
                        "",
                        w = ancestors.len() * 2
                    )?;
                }
                for c in children {
                    class_line(&mut out, c, (ancestors.len() + 1) * 2)?;
                }
            }
        }
        JrwaCommand::Search {
            json,
            version,
            limit,
            query,
        } => {
            let lib = crate::operator::open(root)?;
            let hits = lib.search_jrwa(version, &query.join(" "), limit)?;
            if json {
                print_json(&hits)?;
            } else {
                let mut out = stdout();
                if hits.is_empty() {
                    writeln!(out, "no class matches")?;
                }
                for h in &hits {
                    class_line(&mut out, &h.class, 0)?;
                }
            }
        }
        JrwaCommand::Import {
            json,
            name,
            from,
            file,
        } => {
            let mut lib = crate::operator::open_or_create(root)?;
            let bytes = std::fs::read(&file).with_context(|| format!("{}", file.display()))?;
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string());
            let report = lib.import_jrwa(
                &bytes,
                &file_name,
                name.as_deref(),
                from.unwrap_or_else(Date::today),
            )?;
            if json {
                print_json(&report)?;
            } else {
                let mut out = stdout();
                let v = &report.version;
                writeln!(
                    out,
                    "loaded \"{}\" as JRWA version {}: {} classes, in force from {} ({})",
                    v.name, v.id, v.class_count, v.in_force_from, report.encoding
                )?;
                if !report.ignored_columns.is_empty() {
                    writeln!(
                        out,
                        "columns not used: {}",
                        report.ignored_columns.join(", ")
                    )?;
                }
                for w in &report.warnings {
                    writeln!(out, "warning: {w}")?;
                }
            }
        }
        JrwaCommand::Suggest { json, limit, id } => {
            let lib = crate::operator::open(root)?;
            let suggestions = lib.suggest_jrwa(id, limit)?;
            if json {
                print_json(&suggestions)?;
            } else {
                let mut out = stdout();
                if suggestions.is_empty() {
                    writeln!(
                        out,
                        "no class to suggest: the document's text says too little"
                    )?;
                }
                for s in &suggestions {
                    let category = s.category.map(|c| c.to_string()).unwrap_or_default();
                    writeln!(
                        out,
                        "{:<6} {:<5} {:.2}  {}{}",
                        s.symbol,
                        category,
                        s.score,
                        s.heading,
                        if s.examples > 0 {
                            format!("  ({} filed)", s.examples)
                        } else {
                            String::new()
                        }
                    )?;
                }
            }
        }
        JrwaCommand::Versions { json } => {
            let lib = crate::operator::open(root)?;
            let versions = lib.jrwa_versions()?;
            let current = lib.jrwa(None, None).ok().map(|(v, _)| v.id);
            if json {
                print_json(&serde_json::json!({ "versions": versions, "in_force": current }))?;
            } else {
                let mut out = stdout();
                for v in &versions {
                    let mark = if Some(v.id) == current { "*" } else { " " };
                    writeln!(
                        out,
                        "{mark} {:>3}  from {}  {:>5} classes  {}  ({})",
                        v.id, v.in_force_from, v.class_count, v.name, v.source
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn class_line(out: &mut dyn Write, c: &JrwaClass, indent: usize) -> std::io::Result<()> {
    let category = match (c.category, c.category_other) {
        (Some(a), Some(b)) => format!("{a}/{b}"),
        (Some(a), None) => a.to_string(),
        (None, _) => String::new(),
    };
    writeln!(
        out,
        "{:indent$}{:<6} {:<5} {}",
        "", c.symbol, category, c.heading
    )
}

pub fn unit(root: &Path, command: UnitCommand) -> Result<ExitCode> {
    match command {
        UnitCommand::Add {
            json,
            from,
            to,
            code,
            name,
        } => {
            let mut lib = crate::operator::open_or_create(root)?;
            let unit = lib.add_unit(
                &code,
                &name.join(" "),
                from.unwrap_or_else(|| Date::today().year()),
                to,
            )?;
            if json {
                print_json(&unit)?;
            } else {
                println!("unit {} \"{}\" added", unit.code, unit.name);
            }
        }
        UnitCommand::List { json, year } => {
            let lib = crate::operator::open(root)?;
            let units: Vec<_> = lib
                .units()?
                .into_iter()
                .filter(|u| year.is_none_or(|y| u.exists_in(y)))
                .collect();
            if json {
                print_json(&units)?;
            } else {
                let mut out = stdout();
                for u in &units {
                    let to = u.year_to.map(|t| t.to_string()).unwrap_or_default();
                    writeln!(out, "{:<10} {}–{:<4}  {}", u.code, u.year_from, to, u.name)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn case(root: &Path, command: CaseCommand) -> Result<ExitCode> {
    match command {
        CaseCommand::New {
            json,
            unit,
            jrwa,
            title,
            opened,
            number,
            handler,
        } => {
            let mut lib = crate::operator::open_or_create(root)?;
            let case = lib.open_case(&skladnica_core::records::NewCaseRequest {
                unit,
                jrwa_symbol: jrwa,
                title,
                opened_on: opened,
                number,
                handler,
            })?;
            if json {
                print_json(&case)?;
            } else {
                println!("{}  {}", case.sign, case.title);
            }
        }
        CaseCommand::List {
            json,
            unit,
            jrwa,
            year,
            open,
            closed,
        } => {
            let lib = crate::operator::open(root)?;
            let cases = lib.cases(&CaseFilter {
                unit,
                jrwa_prefix: jrwa,
                year,
                open: if open {
                    Some(true)
                } else if closed {
                    Some(false)
                } else {
                    None
                },
            })?;
            if json {
                print_json(&cases)?;
            } else {
                let mut out = stdout();
                for c in &cases {
                    case_line(&mut out, c)?;
                }
            }
        }
        CaseCommand::Show { json, sign } => {
            let lib = crate::operator::open(root)?;
            let d = lib.case_details(&sign)?;
            if json {
                print_json(&d)?;
            } else {
                let mut out = stdout();
                let c = &d.case;
                writeln!(out, "{}  {}", c.sign, c.title)?;
                writeln!(
                    out,
                    "  unit:      {}{}",
                    c.unit,
                    d.unit_name
                        .as_ref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                )?;
                writeln!(
                    out,
                    "  JRWA:      {} {} [{}] ({})",
                    c.jrwa_symbol, d.jrwa_heading, c.category, d.jrwa_name
                )?;
                writeln!(out, "  opened:    {}", c.opened_on)?;
                if let Some(closed) = c.closed_on {
                    writeln!(out, "  closed:    {closed}")?;
                }
                if let Some(h) = &c.handler {
                    writeln!(out, "  handler:   {h}")?;
                }
                if d.category_source.as_deref() == Some("uzupelnienie") {
                    writeln!(
                        out,
                        "  note:      the category was filled in where the JRWA's source text lost it; verify it against the act"
                    )?;
                }
                if let Some(due) = d.due {
                    match due.from() {
                        Some(from) => writeln!(out, "  retention: {} from {from}", due.action())?,
                        None => {
                            writeln!(out, "  retention: B*, the period comes from another law")?
                        }
                    }
                }
                writeln!(out, "  documents: {}", d.documents.len())?;
                for (i, doc) in d.documents.iter().enumerate() {
                    writeln!(out, "    {:>3}. #{} {}", i + 1, doc.id, doc.title)?;
                }
            }
        }
        CaseCommand::Add {
            json,
            sign,
            documents,
        } => {
            let mut lib = crate::operator::open_or_create(root)?;
            let d = lib.add_to_case(&sign, &documents)?;
            if json {
                print_json(&d)?;
            } else {
                println!("{}: {} documents", d.case.sign, d.documents.len());
            }
        }
        CaseCommand::Close { json, on, sign } => {
            let mut lib = crate::operator::open_or_create(root)?;
            let case = lib.close_case(&sign, on)?;
            if json {
                print_json(&case)?;
            } else {
                println!(
                    "{} closed on {}",
                    case.sign,
                    case.closed_on.map(|d| d.to_string()).unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn case_line(out: &mut dyn Write, c: &Case) -> std::io::Result<()> {
    let state = match c.closed_on {
        Some(d) => format!("closed {d}"),
        None => "open".to_string(),
    };
    writeln!(
        out,
        "{:<24} {:<5} {:<18} {}",
        c.sign,
        c.category.to_string(),
        state,
        c.title
    )
}

pub fn retention(
    root: &Path,
    json: bool,
    on: Option<Date>,
    action: Option<String>,
) -> Result<ExitCode> {
    let lib = crate::operator::open(root)?;
    let on = on.unwrap_or_else(Date::today);
    let items: Vec<_> = lib
        .retention_due(on)?
        .into_iter()
        .filter(|i| action.as_deref().is_none_or(|a| i.due.action() == a))
        .collect();
    if json {
        print_json(&serde_json::json!({ "on": on, "items": items }))?;
    } else {
        let mut out = stdout();
        if items.is_empty() {
            writeln!(out, "nothing due on {on}")?;
        }
        for i in &items {
            let from = i
                .due
                .from()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "(set the period)".into());
            writeln!(
                out,
                "{:<10} {:<12} {:<24} {:<5} closed {}  {}{}",
                i.due.action(),
                from,
                i.sign,
                i.category.to_string(),
                i.closed_on,
                i.title,
                if i.category_to_verify {
                    "  [category to verify against the act]"
                } else {
                    ""
                }
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The incoming register (RPW).
#[derive(Subcommand)]
pub enum RpwCommand {
    /// Register an incoming item with the next number of the year. Everything missing is
    /// reported at once and nothing is saved.
    Register(Box<RegisterArgs>),
    /// List the register.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only this year.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Show one item.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Its number: RPW.12.2026 (or RPW/12/2026).
        number: String,
    },
}

/// A postal address on the command line.
#[derive(clap::Args)]
pub struct AddressArgs {
    /// The town (miejscowość).
    #[arg(long)]
    town: Option<String>,
    /// The postal code.
    #[arg(long)]
    postal_code: Option<String>,
    /// The street.
    #[arg(long)]
    street: Option<String>,
    /// The building number.
    #[arg(long)]
    building: Option<String>,
    /// The flat number.
    #[arg(long)]
    flat: Option<String>,
    /// The country: a two-letter code or its Polish name.
    #[arg(long, default_value = "PL")]
    country: String,
}

impl AddressArgs {
    /// The address; problems with the country are noted (the town is checked where it is
    /// required).
    fn address(&self, problems: &mut Vec<String>) -> skladnica_records::Address {
        let country = skladnica_records::party::country_code(&self.country).unwrap_or_else(|e| {
            problems.push(e);
            self.country.clone()
        });
        skladnica_records::Address {
            postal_code: self.postal_code.clone(),
            post_office: None,
            town: self
                .town
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .to_string(),
            street: self.street.clone(),
            building: self.building.clone(),
            flat: self.flat.clone(),
            country,
        }
    }
}

/// What `rpw register` takes: the instrukcja's minimal metadata of an incoming item.
#[derive(clap::Args)]
pub struct RegisterArgs {
    /// Print JSON: the entry with `number`, and `kept_clerk_values`.
    #[arg(long)]
    json: bool,
    /// The sending institution's name (or give --surname and --first-names for a person).
    #[arg(long, conflicts_with_all = ["surname", "first_names"])]
    sender: Option<String>,
    /// The sending person's surname.
    #[arg(long)]
    surname: Option<String>,
    /// The sending person's first names.
    #[arg(long)]
    first_names: Option<String>,
    /// The sender's address.
    #[command(flatten)]
    address: AddressArgs,
    /// Data wpływu: the day it arrived (default: today).
    #[arg(long, value_parser = date)]
    received: Option<Date>,
    /// Data na piśmie: the date on the letter; a year or a month will do (2026, 2026-03).
    #[arg(long)]
    letter_date: Option<String>,
    /// The letter bears no date.
    #[arg(long, conflicts_with = "letter_date")]
    undated: bool,
    /// Data nadania: the day it was sent (postmark).
    #[arg(long, value_parser = date)]
    sent: Option<Date>,
    /// The title.
    #[arg(long)]
    title: Option<String>,
    /// Access: publiczny, niepubliczny (default) or wyłączony.
    #[arg(long, default_value = "niepubliczny")]
    access: String,
    /// The DCMI type.
    #[arg(long = "type", default_value = "Text")]
    dc_type: String,
    /// The kind: wniosek, skarga, faktura, …
    #[arg(long)]
    kind: Option<String>,
    /// How it arrived: poczta, osobiście, kurier, faks, e-mail, ePUAP, e-Doręczenia, inny.
    #[arg(long)]
    delivery: Option<String>,
    /// Znak u nadawcy: the sender's sign, when the letter bears one.
    #[arg(long)]
    sender_sign: Option<String>,
    /// The sender's PESEL, NIP or REGON, when the letter gives it.
    #[arg(long)]
    sender_id: Option<String>,
    /// Liczba załączników.
    #[arg(long)]
    attachments: Option<u32>,
    /// Uwagi.
    #[arg(long)]
    remarks: Option<String>,
    /// The digital image: full (pełne, default) or partial (niepełne).
    #[arg(long, default_value = "full")]
    image: String,
    /// The library document holding the scan.
    #[arg(long)]
    document: Option<i64>,
    /// The case it belongs to (with --document).
    #[arg(long)]
    case: Option<String>,
}

impl RegisterArgs {
    /// The item, or every problem with the arguments at once.
    fn item(&self) -> std::result::Result<skladnica_records::IncomingItem, Vec<String>> {
        let a = &self.address;
        skladnica_core::records::IncomingForm {
            institution: self.sender.clone(),
            surname: self.surname.clone(),
            first_names: self.first_names.clone(),
            town: a.town.clone(),
            postal_code: a.postal_code.clone(),
            street: a.street.clone(),
            building: a.building.clone(),
            flat: a.flat.clone(),
            country: Some(a.country.clone()),
            received_on: self.received.map(|d| d.to_string()),
            letter_date: self.letter_date.clone(),
            undated: self.undated,
            sent_on: self.sent.map(|d| d.to_string()),
            title: self.title.clone(),
            access: Some(self.access.clone()),
            dc_type: Some(self.dc_type.clone()),
            kind: self.kind.clone(),
            delivery: self.delivery.clone(),
            sender_sign: self.sender_sign.clone(),
            sender_id: self.sender_id.clone(),
            attachments: self.attachments,
            remarks: self.remarks.clone(),
            image: Some(self.image.clone()),
        }
        .item()
    }
}

pub fn rpw(root: &Path, command: RpwCommand) -> Result<ExitCode> {
    match command {
        RpwCommand::Register(args) => {
            let item = match args.item() {
                Ok(item) => item,
                Err(problems) => {
                    anyhow::bail!(
                        "incoming item not registered:\n  - {}",
                        problems.join("\n  - ")
                    )
                }
            };
            let mut lib = crate::operator::open_or_create(root)?;
            let done = lib.register_incoming(&skladnica_core::records::RegisterRequest {
                item,
                document: args.document,
                case: args.case.clone(),
            })?;
            if args.json {
                print_json(&done)?;
            } else {
                println!("{}  {}", done.record.number, done.record.item.title);
                for key in &done.kept_clerk_values {
                    println!(
                        "kept the clerk's {key} of document {}",
                        args.document.unwrap_or(0)
                    );
                }
            }
        }
        RpwCommand::List { json, year } => {
            let lib = crate::operator::open(root)?;
            let items = lib.rpw_items(year)?;
            if json {
                print_json(&items)?;
            } else {
                let mut out = stdout();
                for r in &items {
                    writeln!(
                        out,
                        "{:<14} {}  {:<30} {}",
                        r.number.to_string(),
                        r.item.received_on,
                        r.item.sender.display_name(),
                        r.item.title
                    )?;
                }
            }
        }
        RpwCommand::Show { json, number } => {
            let lib = crate::operator::open(root)?;
            let r = lib.rpw_item(&number)?;
            if json {
                print_json(&r)?;
            } else {
                let mut out = stdout();
                let i = &r.item;
                writeln!(out, "{}  {}", r.number, i.title)?;
                writeln!(out, "  nadawca:        {}", i.sender.display_name())?;
                if let Some(a) = i.sender.addresses().first() {
                    let street = [a.street.as_deref(), a.building.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    writeln!(
                        out,
                        "  adres:          {}{} {} {}",
                        if street.is_empty() {
                            String::new()
                        } else {
                            format!("{street}, ")
                        },
                        a.postal_code.as_deref().unwrap_or(""),
                        a.town,
                        a.country
                    )?;
                }
                let letter = match (i.letter_date, i.undated) {
                    (Some(d), _) => d.to_string(),
                    (None, true) => "bez daty".into(),
                    (None, false) => String::new(),
                };
                writeln!(out, "  data na piśmie: {letter}")?;
                writeln!(out, "  data wpływu:    {}", i.received_on)?;
                writeln!(out, "  zarejestrowano: {}", r.registered_at)?;
                if let Some(s) = &i.sender_sign {
                    writeln!(out, "  znak u nadawcy: {s}")?;
                }
                if let Some(d) = r.document_id {
                    writeln!(out, "  dokument:       #{d}")?;
                }
                if let Some(c) = &r.case_sign {
                    writeln!(out, "  sprawa:         {c}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A document's metadata.
#[derive(Subcommand)]
pub enum MetaCommand {
    /// Show a document's metadata with where each value came from.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The document id.
        id: i64,
    },
    /// Set (KEY=VALUE) or clear (KEY=) metadata as the clerk's: never replaced by extraction.
    Set {
        /// Print JSON (the metadata after).
        #[arg(long)]
        json: bool,
        /// The document id.
        id: i64,
        /// KEY=VALUE pairs; keys: tytul, rodzaj, data, nadawca, odbiorca, tworca, opis,
        /// znak_u_nadawcy, dostep, jezyk, jrwa.
        #[arg(required = true)]
        values: Vec<String>,
    },
    /// Write the document's metadata as XML: Metadane 1.7 (ndap:dokument, for the state
    /// archives) or NES 2.0 (eADM).
    Xml {
        /// The schema.
        #[arg(long, value_parser = ["ndap17", "nes20"], default_value = "ndap17")]
        schema: String,
        /// Write to this file (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The document id.
        id: i64,
    },
    /// Confirm values as they are (marks them as the clerk's).
    Confirm {
        /// Print JSON (the metadata after).
        #[arg(long)]
        json: bool,
        /// The document id.
        id: i64,
        /// Keys to confirm.
        #[arg(required = true)]
        keys: Vec<String>,
    },
}

pub fn meta(root: &Path, command: MetaCommand) -> Result<ExitCode> {
    let (json, id) = match &command {
        MetaCommand::Show { json, id }
        | MetaCommand::Set { json, id, .. }
        | MetaCommand::Confirm { json, id, .. } => (*json, *id),
        MetaCommand::Xml { schema, out, id } => {
            let xml = crate::operator::open(root)?.metadata_xml(*id, schema)?;
            match out {
                Some(path) => {
                    std::fs::write(path, xml).with_context(|| format!("{}", path.display()))?
                }
                None => stdout().write_all(xml.as_bytes())?,
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    match command {
        MetaCommand::Show { .. } | MetaCommand::Xml { .. } => {}
        MetaCommand::Set { values, .. } => {
            let mut pairs = Vec::new();
            for v in &values {
                let (k, val) = v
                    .split_once('=')
                    .with_context(|| format!("\"{v}\" is not KEY=VALUE"))?;
                pairs.push((k.trim().to_string(), val.to_string()));
            }
            crate::operator::open_or_create(root)?.set_clerk_metadata(id, &pairs)?;
        }
        MetaCommand::Confirm { keys, .. } => {
            crate::operator::open_or_create(root)?.confirm_metadata(id, &keys)?;
        }
    }
    let lib = crate::operator::open(root)?;
    let doc = lib.document(id)?;
    if json {
        print_json(
            &serde_json::json!({ "id": doc.id, "title": doc.title, "metadata": doc.metadata }),
        )?;
    } else {
        let mut out = stdout();
        writeln!(out, "#{} {}", doc.id, doc.title)?;
        for m in &doc.metadata {
            writeln!(out, "  {:<16} {:<40} ({})", m.key, m.value, m.source)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The office the library belongs to: its name and address go into the metadata it issues.
#[derive(Subcommand)]
pub enum OfficeCommand {
    /// Show the office.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Describe the office.
    Set {
        /// The office's address.
        #[command(flatten)]
        address: AddressArgs,
        /// The office's name (several words allowed): Urząd Gminy Iwanowice.
        #[arg(required = true)]
        name: Vec<String>,
    },
}

pub fn office(root: &Path, command: OfficeCommand) -> Result<ExitCode> {
    match command {
        OfficeCommand::Show { json } => {
            let office = crate::operator::open(root)?.office()?;
            if json {
                print_json(&office)?;
            } else {
                match office {
                    Some(o) => println!("{}", o.display_name()),
                    None => println!("no office described; use `skladnica office set`"),
                }
            }
        }
        OfficeCommand::Set { address, name } => {
            let mut problems = Vec::new();
            let address = address.address(&mut problems);
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join("; "));
            }
            let office = skladnica_records::Party::Institution {
                name: name.join(" "),
                addresses: vec![address],
            };
            crate::operator::open_or_create(root)?.set_office(&office)?;
            println!("office: {}", office.display_name());
        }
    }
    Ok(ExitCode::SUCCESS)
}
