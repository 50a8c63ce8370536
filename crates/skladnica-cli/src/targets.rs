//! The export target commands: `target add|remove|list` (the carriers exported to on a
//! schedule, see `skladnica_core::export::targets`) and the scheduled side of `export`:
//! `export --target NAME` (now) and `export --due` (every target whose time has come, for a
//! scheduled task on a PC where the app is not open).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;
use skladnica_core::export::targets::{self, NewTarget, Place, TargetContents, TargetStatus};

use crate::print_json;

/// Export targets: carriers exported to again and again, on a schedule.
#[derive(Subcommand)]
pub enum TargetCommand {
    /// Register a target: a folder at a fixed path (a share), or with --disk a removable disk
    /// (recognised by an id written on it wherever it is mounted).
    Add {
        /// Its name ("Dysk archiwum").
        name: String,
        /// The folder; with --disk, the folder the disk is mounted at now.
        path: PathBuf,
        /// PATH is a removable disk's mount point.
        #[arg(long)]
        disk: bool,
        /// On a disk, the folder packages go into.
        #[arg(long, default_value = targets::DEFAULT_DISK_FOLDER, requires = "disk")]
        folder: String,
        /// Export at least every N days (7: weekly); longer is overdue.
        #[arg(long, default_value_t = 7)]
        every_days: u32,
        /// Also export whenever the disk is plugged in (while the app is open).
        #[arg(long, requires = "disk")]
        on_connect: bool,
        /// Only cases of this archival category (A, B5, B for every B<n>).
        #[arg(long)]
        category: Option<String>,
        /// Only cases of JRWA classes starting with this symbol.
        #[arg(long)]
        jrwa: Option<String>,
    },
    /// Forget a target (its packages and the export log stay).
    Remove {
        /// Its name.
        name: String,
    },
    /// Every target: where it is now, its last export, and whether one is due or overdue.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `target` command on the library at `root`.
pub fn target(root: &Path, command: TargetCommand) -> Result<ExitCode> {
    let lib = crate::operator::open(root)?;
    match command {
        TargetCommand::Add {
            name,
            path,
            disk,
            folder,
            every_days,
            on_connect,
            category,
            jrwa,
        } => {
            let t = lib.add_target(&NewTarget {
                name,
                path,
                disk,
                folder,
                every_days,
                on_connect,
                contents: TargetContents {
                    category,
                    jrwa_prefix: jrwa,
                },
            })?;
            println!("target {}: {}", t.name, place(&t.place));
        }
        TargetCommand::Remove { name } => {
            lib.remove_target(&name)?;
            println!("target {name} removed");
        }
        TargetCommand::List { json } => {
            let statuses = lib.target_statuses(targets::now_secs(), &mut |_, _| None)?;
            if json {
                print_json(&statuses)?;
            } else {
                for s in &statuses {
                    print_status(s);
                }
            }
            if statuses.iter().any(|s| s.overdue) {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn place(place: &Place) -> String {
    match place {
        Place::Folder { path } => path.clone(),
        Place::Disk { label, folder, id } => format!("disk {label} (id {id}), folder {folder}"),
    }
}

fn print_status(s: &TargetStatus) {
    let t = &s.target;
    let when = match (&t.last_success_at, &s.last_package) {
        (None, _) => "never exported to".to_string(),
        (Some(at), Some(p)) => format!("last export {at} (package {})", p.package),
        (Some(at), None) => format!("last export {at}"),
    };
    let mut flags = Vec::new();
    if s.overdue {
        flags.push(format!("OVERDUE: more than {} days", t.every_days));
    }
    if s.due {
        flags.push("due now".into());
    }
    if s.location.is_none() {
        flags.push("not connected".into());
    }
    if let Some(e) = &t.last_error {
        flags.push(format!("last try failed: {e}"));
    }
    println!(
        "{}  {}; {} every {} days{}; {when}{}",
        t.name,
        place(&t.place),
        t.contents.describe(),
        t.every_days,
        if t.on_connect { " and on plug-in" } else { "" },
        if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join("; "))
        }
    );
}

/// One target's outcome in `export --due`.
#[derive(Serialize)]
struct DueOutcome {
    target: String,
    package: Option<PathBuf>,
    documents: usize,
    error: Option<String>,
}

/// `export --target NAME` (one target, now) or `export --due` (every reachable target whose
/// time has come). Fails (exit 1) when any export did.
pub fn export_targets(root: &Path, name: Option<String>, json: bool) -> Result<ExitCode> {
    let lib = crate::operator::open(root)?;
    let names: Vec<String> = match name {
        Some(n) => vec![lib.target(&n)?.name],
        None => lib
            .target_statuses(targets::now_secs(), &mut |_, _| None)?
            .into_iter()
            .filter(|s| s.due)
            .map(|s| s.target.name)
            .collect(),
    };
    let mut outcomes = Vec::new();
    for name in names {
        let outcome = match lib.export_to_target(&name, &|_, _| {}, &|| false) {
            Ok(r) => DueOutcome {
                target: name,
                documents: r.documents,
                package: r.package,
                error: None,
            },
            Err(e) => DueOutcome {
                target: name,
                package: None,
                documents: 0,
                error: Some(e.to_string()),
            },
        };
        outcomes.push(outcome);
    }
    if json {
        print_json(&outcomes)?;
    } else if outcomes.is_empty() {
        println!("no export is due");
    } else {
        for o in &outcomes {
            match (&o.error, &o.package) {
                (Some(e), _) => eprintln!("{}: export failed: {e}", o.target),
                (None, Some(p)) => {
                    println!("{}: {} ({} documents)", o.target, p.display(), o.documents)
                }
                (None, None) => println!("{}: nothing changed since the last export", o.target),
            }
        }
    }
    Ok(if outcomes.iter().any(|o| o.error.is_some()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
