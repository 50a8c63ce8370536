//! The audit commands: `audit log` (who did what to which record, and when) and `audit verify`
//! (the hash chain checked from the first entry, against a head kept elsewhere when given). See
//! `skladnica_core::audit`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;

use crate::print_json;

/// The audit log.
#[derive(Subcommand)]
pub enum AuditCommand {
    /// The entries, oldest first: all, a document's history, or one record's.
    Log {
        /// A document's history (its entries, and its registration).
        #[arg(long, conflicts_with = "record")]
        document: Option<i64>,
        /// One record's entries: `case OR.0012.1.2026`, `RPW.3.2026`, …
        #[arg(long)]
        record: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check the hash chain: any entry edited, removed or moved is named (exit 1). `--head
    /// SEQ:HASH` (as an earlier `audit verify` printed it, or an export recorded it) also finds
    /// entries cut off the end.
    Verify {
        /// A head kept elsewhere, `SEQ:HASH`.
        #[arg(long)]
        head: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn audit(root: &Path, command: AuditCommand) -> Result<ExitCode> {
    let lib = crate::operator::open(root)?;
    match command {
        AuditCommand::Log {
            document,
            record,
            json,
        } => {
            let entries = match document {
                Some(id) => lib.document_history(id)?,
                None => lib.audit_log(record.as_deref())?,
            };
            if json {
                print_json(&entries)?;
            } else {
                for e in &entries {
                    println!(
                        "{:>6}  {}  {}  {}  {}  {}",
                        e.seq, e.at, e.operator, e.action, e.record, e.details
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify { head, json } => {
            let head = match head.as_deref() {
                None => None,
                Some(h) => match h.split_once(':') {
                    Some((seq, hash)) if seq.parse::<i64>().is_ok() && hash.len() == 64 => {
                        Some((seq.parse::<i64>()?, hash.to_string()))
                    }
                    _ => {
                        bail!("--head {h:?}: expected SEQ:HASH (a number, a colon, 64 hex digits)")
                    }
                },
            };
            let v = lib.verify_audit(head.as_ref().map(|(s, h)| (*s, h.as_str())))?;
            if json {
                print_json(&v)?;
            } else {
                for p in &v.problems {
                    println!("{p}");
                }
                match &v.head {
                    Some((seq, hash)) if v.problems.is_empty() => println!(
                        "the audit log's {} entries are intact; head {seq}:{hash}",
                        v.entries
                    ),
                    Some(_) => println!("{} problems in {} entries", v.problems.len(), v.entries),
                    None => println!("the audit log is empty"),
                }
            }
            Ok(if v.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
