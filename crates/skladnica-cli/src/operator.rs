//! Operators on the command line: `--operator NAME` (or `SKLADNICA_OPERATOR`) signs every
//! command in to the library it opens, the password taken from `SKLADNICA_OPERATOR_PASSWORD` or
//! asked on the terminal; the `operator` commands list and manage the profiles. See
//! `skladnica_core::operators`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::{Result, bail};
use clap::Subcommand;
use skladnica_core::Library;
use skladnica_core::operators::Role;

use crate::{print_json, stdout};

/// The operator named on the command line, for every library this process opens.
static OPERATOR: OnceLock<Option<String>> = OnceLock::new();

/// Remembers the operator named on the command line.
pub fn set(name: Option<String>) {
    let _ = OPERATOR.set(name.filter(|n| !n.trim().is_empty()));
}

/// Opens the library at `root`, signing the operator in.
pub fn open(root: &Path) -> Result<Library> {
    sign_in(crate::encryption::open_unlocking(root, Library::open)?)
}

/// Opens (creating on first use) the library at `root`, signing the operator in.
pub fn open_or_create(root: &Path) -> Result<Library> {
    sign_in(crate::encryption::open_unlocking(
        root,
        Library::open_or_create,
    )?)
}

fn sign_in(mut lib: Library) -> Result<Library> {
    let Some(Some(name)) = OPERATOR.get() else {
        return Ok(lib);
    };
    let needs_password = lib
        .operators()?
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(name.trim()) || o.name == name.trim())
        .is_some_and(|o| o.has_password);
    let password = if needs_password {
        Some(match std::env::var("SKLADNICA_OPERATOR_PASSWORD") {
            Ok(p) => p,
            Err(_) => rpassword::prompt_password(format!("Password (hasło) of {name}: ")).map_err(
                |e| {
                    anyhow::anyhow!(
                        "{name}'s password cannot be asked ({e}); set \
                         SKLADNICA_OPERATOR_PASSWORD to give it"
                    )
                },
            )?,
        })
    } else {
        None
    };
    lib.sign_in(name, password.as_deref())?;
    Ok(lib)
}

/// A new password: `SKLADNICA_NEW_PASSWORD`, or asked twice on the terminal.
fn new_password(name: &str) -> Result<String> {
    if let Ok(p) = std::env::var("SKLADNICA_NEW_PASSWORD") {
        return Ok(p);
    }
    let ask = |prompt: String| {
        rpassword::prompt_password(prompt).map_err(|e| {
            anyhow::anyhow!(
                "the password cannot be asked ({e}); set SKLADNICA_NEW_PASSWORD to give it"
            )
        })
    };
    let first = ask(format!("New password (hasło) for {name}: "))?;
    if ask("The same password again: ".into())? != first {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

fn role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.to_string())
}

/// The operator profiles of this workstation's library.
#[derive(Subcommand)]
pub enum OperatorCommand {
    /// The profiles, active ones first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a profile (the first must be an administrator; later ones an administrator adds).
    Add {
        /// The name shown and logged.
        name: String,
        /// clerk, archivist or administrator (referent, archiwista).
        #[arg(long, value_parser = role)]
        role: Role,
        /// Ask for a password (or take SKLADNICA_NEW_PASSWORD); without, signing in asks none.
        #[arg(long)]
        password: bool,
    },
    /// Set a profile's password (its owner or an administrator), or remove it.
    Password {
        /// The profile.
        name: String,
        /// Remove the password instead.
        #[arg(long)]
        remove: bool,
    },
    /// Change a profile's role (an administrator).
    Role {
        /// The profile.
        name: String,
        /// The new role.
        #[arg(value_parser = role)]
        role: Role,
    },
    /// Retire a profile: it can no longer sign in; the audit log keeps naming it.
    Retire {
        /// The profile.
        name: String,
    },
}

pub fn operator(root: &Path, command: OperatorCommand) -> Result<ExitCode> {
    match command {
        OperatorCommand::List { json } => {
            let lib = open(root)?;
            let all = lib.operators()?;
            if json {
                print_json(&all)?;
            } else {
                let mut out = stdout();
                if all.is_empty() {
                    writeln!(
                        out,
                        "no operator profiles: everything is logged as the system's user"
                    )?;
                }
                for o in &all {
                    writeln!(
                        out,
                        "{:<30} {:<14} {:<12} {}",
                        o.name,
                        o.role.as_str(),
                        if o.has_password {
                            "password"
                        } else {
                            "no password"
                        },
                        o.retired_at
                            .as_deref()
                            .map(|d| format!("retired {d}"))
                            .unwrap_or_default()
                    )?;
                }
            }
        }
        OperatorCommand::Add {
            name,
            role,
            password,
        } => {
            let mut lib = open_or_create(root)?;
            let password = password.then(|| new_password(&name)).transpose()?;
            let o = lib.add_operator(&name, role, password.as_deref())?;
            println!("added {} ({})", o.name, o.role.as_str());
        }
        OperatorCommand::Password { name, remove } => {
            let mut lib = open(root)?;
            let password = (!remove).then(|| new_password(&name)).transpose()?;
            lib.set_operator_password(&name, password.as_deref())?;
            println!(
                "{name}: password {}",
                if remove { "removed" } else { "set" }
            );
        }
        OperatorCommand::Role { name, role } => {
            open(root)?.set_operator_role(&name, role)?;
            println!("{name} is now {}", role.as_str());
        }
        OperatorCommand::Retire { name } => {
            open(root)?.retire_operator(&name)?;
            println!("{name} retired");
        }
    }
    Ok(ExitCode::SUCCESS)
}
