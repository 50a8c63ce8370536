//! The EZD commands: `sync config` (where the office's EZD is; the API key read from standard
//! input), `sync queue` (register entries to send), `sync run` (send what is due, once or until
//! interrupted) and `sync status` (the outbox: each item's state, step, error and the EZD's
//! numbers). See `skladnica_core::sync`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Subcommand;
use skladnica_core::sync::EzdSettings;
use skladnica_records::RpwNumber;

use crate::print_json;

/// Sending incoming letters to the office's EZD RP.
#[derive(Subcommand)]
pub enum SyncCommand {
    /// Set up the EZD connection. The API key is read from standard input (never an argument)
    /// and kept in the system's keyring (else a file of its own), never in the library. For an EZD without the API, --drop-folder instead: each
    /// run writes the letters due as one paczka into that folder (on the share the EZD takes
    /// packages from).
    Config {
        /// The Integrator API's address (https://…).
        #[arg(long, required_unless_present = "drop_folder")]
        api_url: Option<String>,
        /// The SSO's address (its /connect/token gives tokens).
        #[arg(long, required_unless_present = "drop_folder")]
        sso_url: Option<String>,
        /// The entity (podmiot) id.
        #[arg(long, required_unless_present = "drop_folder")]
        pid: Option<String>,
        /// The API key's id.
        #[arg(long, required_unless_present = "drop_folder")]
        aki: Option<String>,
        /// The technical user's position id (SID).
        #[arg(long, required_unless_present = "drop_folder")]
        sid: Option<String>,
        /// A CA certificate (PEM) to trust besides the system's, e.g. a county's own CA.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        /// Seconds one call may take.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// An EZD without the API: the folder its packages are dropped into.
        #[arg(long, conflicts_with_all = ["api_url", "sso_url", "pid", "aki", "sid", "ca_file"])]
        drop_folder: Option<PathBuf>,
    },
    /// Queue register entries (RPW.12.2026 or RPW/12/2026) for the EZD; a rejected one is
    /// queued again.
    Queue {
        /// The entries' numbers.
        #[arg(required = true)]
        numbers: Vec<String>,
    },
    /// Send what is due, one upload at a time; with --once a single pass, else until
    /// interrupted (looking again every 30 s, sooner when an item's back-off ends).
    Run {
        /// One pass, then stop.
        #[arg(long)]
        once: bool,
        /// Print each item's outcome as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// The outbox: each item's state, step, last error and what the EZD gave back.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `sync` command on the library at `root`.
pub fn sync(root: &Path, command: SyncCommand) -> Result<ExitCode> {
    match command {
        SyncCommand::Config {
            drop_folder: Some(dir),
            ..
        } => {
            crate::operator::open_or_create(root)?.configure_ezd_drop_folder(&dir)?;
            println!("letters go as packages to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        SyncCommand::Config {
            api_url,
            sso_url,
            pid,
            aki,
            sid,
            ca_file,
            timeout,
            drop_folder: None,
        } => {
            let mut key = String::new();
            if std::io::stdin().is_terminal() {
                key = rpassword::prompt_password("EZD API key: ")
                    .context("the API key cannot be asked; give it on standard input")?;
            } else {
                std::io::stdin()
                    .read_to_string(&mut key)
                    .context("reading the API key from standard input")?;
            }
            let settings = EzdSettings {
                api_url: api_url.unwrap_or_default(),
                sso_url: sso_url.unwrap_or_default(),
                pid: pid.unwrap_or_default(),
                aki: aki.unwrap_or_default(),
                sid: sid.unwrap_or_default(),
                ca_file: ca_file.map(|p| p.to_string_lossy().into_owned()),
                timeout_seconds: timeout,
            };
            let kept =
                crate::operator::open_or_create(root)?.configure_ezd(&settings, key.trim())?;
            println!(
                "EZD connection set up: {}; the API key is kept {}",
                settings.api_url,
                match kept {
                    skladnica_core::sync::secret::Kept::Keyring => "in the system's keyring",
                    skladnica_core::sync::secret::Kept::File =>
                        "in a file of its own in your configuration folder (no keyring answered)",
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        SyncCommand::Queue { numbers } => {
            let numbers = numbers
                .iter()
                .map(|n| n.parse::<RpwNumber>())
                .collect::<std::result::Result<Vec<_>, _>>()?;
            for (n, queued) in crate::operator::open(root)?.queue_for_ezd(&numbers)? {
                println!(
                    "{n}: {}",
                    if queued {
                        "queued"
                    } else {
                        "already in the outbox"
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        SyncCommand::Run { once, json } => {
            let mut lib = crate::operator::open(root)?;
            loop {
                let report = lib.send_to_ezd(&mut |item| {
                    if json {
                        let _ = print_json(item);
                    } else {
                        println!(
                            "{}: {}{}{}",
                            item.local_number,
                            item.state,
                            item.rpw_number
                                .as_ref()
                                .map(|n| format!(", EZD {n}"))
                                .or(item.package.as_ref().map(|p| format!(", in {p}")))
                                .unwrap_or_default(),
                            item.error
                                .as_ref()
                                .map(|e| format!(" ({e})"))
                                .unwrap_or_default()
                        );
                    }
                })?;
                if let Some(why) = &report.stopped {
                    eprintln!("stopped: {why}; {} items wait", report.waiting);
                }
                if once {
                    return Ok(if report.stopped.is_some() || report.rejected > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    });
                }
                let next = lib
                    .ezd_outbox()?
                    .iter()
                    .filter(|i| i.state == "queued" || i.state == "sending")
                    .map(|i| i.next_attempt_at)
                    .min();
                let now = skladnica_core::db::now_secs();
                let wait = next.map_or(30, |t| (t - now).clamp(1, 30));
                std::thread::sleep(Duration::from_secs(wait as u64));
            }
        }
        SyncCommand::Status { json } => {
            let items = crate::operator::open(root)?.ezd_outbox()?;
            if json {
                print_json(&items)?;
                return Ok(ExitCode::SUCCESS);
            }
            if items.is_empty() {
                println!("the outbox is empty");
            }
            for i in &items {
                let mut line = format!("{}  {}", i.local_number, i.state);
                if i.state == "queued" || i.state == "sending" {
                    line.push_str(&format!(" — next: {}", i.step_name));
                    if i.check_first {
                        line.push_str(" (needs reconciliation: the EZD is read back first)");
                    }
                }
                if let Some(n) = &i.rpw_number {
                    line.push_str(&format!("  EZD {n}"));
                }
                if let Some(c) = &i.case_sign {
                    line.push_str(&format!("  case {c}"));
                }
                if let Some(p) = &i.package {
                    line.push_str(&format!("  package {p}"));
                }
                if let Some(e) = &i.error {
                    line.push_str(&format!("  — {e}"));
                }
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
