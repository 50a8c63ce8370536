//! Operator profiles (migration 14): the people who work at one workstation, each with a role
//! and an optional password, one of whom signs in at start. The role limits what they may do
//! ([`Permission`]): only an administrator changes the settings, the EZD connection and the
//! profiles; only an archivist carries out brakowanie. Everything the audit log records names
//! the operator signed in.
//!
//! A library without profiles is one person's: everything is allowed and the log names the
//! system's user. Once the first profile (an administrator) is added, nothing changes until
//! somebody signs in. A password is kept only as an argon2id hash; a profile is retired, never
//! deleted, because the log names it.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::library::Library;

/// What an operator is at this office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Registers, describes and files the office's letters (referent, kancelaria).
    Clerk,
    /// Keeps the archive: exports, verifies, carries out brakowanie.
    Archivist,
    /// Looks after the workstation: settings, the EZD connection, profiles.
    Administrator,
}

impl Role {
    /// The name stored and typed: `clerk`, `archivist`, `administrator`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Archivist => "archivist",
            Role::Administrator => "administrator",
        }
    }

    /// The role named `s` (English or Polish: referent, archiwista, administrator).
    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_lowercase().as_str() {
            "clerk" | "referent" | "urzędnik" | "urzednik" => Ok(Role::Clerk),
            "archivist" | "archiwista" => Ok(Role::Archivist),
            "administrator" | "admin" => Ok(Role::Administrator),
            other => Err(Error::Invalid(format!(
                "unknown role '{other}': the roles are clerk, archivist and administrator"
            ))),
        }
    }

    /// Whether this role may do `p`.
    pub fn may(self, p: Permission) -> bool {
        match p {
            Permission::Settings => self == Role::Administrator,
            Permission::Brakowanie => self == Role::Archivist,
        }
    }
}

/// What only some roles may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Change the settings: units, the JRWA, export carriers, the EZD connection, profiles.
    Settings,
    /// Carry out brakowanie: destroy the cases of an approved retention list.
    Brakowanie,
}

impl Permission {
    fn what(self) -> &'static str {
        match self {
            Permission::Settings => "change the settings (only an administrator may)",
            Permission::Brakowanie => "carry out brakowanie (only an archivist may)",
        }
    }
}

/// One profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Operator {
    /// The name shown and logged.
    pub name: String,
    /// The role.
    pub role: Role,
    /// Whether signing in asks for a password.
    pub has_password: bool,
    /// When the profile was added (UTC).
    pub created_at: String,
    /// When it was retired, if it was.
    pub retired_at: Option<String>,
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 8;

fn ctx(what: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| Error::sqlite(what, e)
}

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::Invalid(format!(
            "a password needs at least {MIN_PASSWORD} characters"
        )));
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| Error::Invalid(format!("no random numbers for a password's salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::Invalid(format!("a password's salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Invalid(format!("hashing a password: {e}")))
}

fn password_matches(stored: &str, given: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(given.as_bytes(), &h)
            .is_ok()
    })
}

fn valid_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(Error::Invalid(format!(
            "'{name}' cannot be an operator's name: it needs 1 to 80 printable characters"
        )));
    }
    Ok(name)
}

fn read(r: &rusqlite::Row) -> rusqlite::Result<(Operator, Option<String>)> {
    let role: String = r.get(1)?;
    let password: Option<String> = r.get(2)?;
    Ok((
        Operator {
            name: r.get(0)?,
            role: Role::parse(&role).unwrap_or(Role::Clerk),
            has_password: password.is_some(),
            created_at: r.get(3)?,
            retired_at: r.get(4)?,
        },
        password,
    ))
}

const COLUMNS: &str = "name, role, password, created_at, retired_at";

/// Whether the library at `conn` has a profile that is not retired.
pub(crate) fn has_profiles(conn: &rusqlite::Connection) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM operators WHERE retired_at IS NULL)",
        [],
        |r| r.get(0),
    )
    .map_err(ctx("reading the operator profiles"))
}

impl Library {
    /// Every profile, active ones first, by name.
    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut s = self
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS} FROM operators ORDER BY retired_at IS NOT NULL, name"
            ))
            .map_err(ctx("reading the operator profiles"))?;
        let rows = s
            .query_map([], |r| read(r).map(|(o, _)| o))
            .map_err(ctx("reading the operator profiles"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(ctx("reading the operator profiles"))
    }

    fn operator_row(&self, name: &str) -> Result<(Operator, Option<String>)> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM operators WHERE name = ?1 COLLATE NOCASE"),
                [name.trim()],
                read,
            )
            .optional()
            .map_err(ctx("reading the operator profiles"))?
            .ok_or_else(|| Error::NotFound(format!("there is no operator named '{}'", name.trim())))
    }

    /// Whether this library has operator profiles (and so needs somebody signed in).
    pub fn has_operators(&self) -> Result<bool> {
        has_profiles(self.conn())
    }

    /// The operator signed in, if any.
    pub fn session(&self) -> Option<&Operator> {
        self.session.as_ref()
    }

    /// Refuses when the library has profiles and nobody is signed in (every change would be).
    pub fn require_signed_in(&self) -> Result<()> {
        match self.actor() {
            Actor::SignInRequired => Err(Error::Forbidden(crate::audit::NO_OPERATOR.into())),
            _ => Ok(()),
        }
    }

    /// Refuses `p` unless the operator signed in may do it (or the library has no profiles).
    pub fn require(&self, p: Permission) -> Result<()> {
        if !self.has_operators()? {
            return Ok(());
        }
        match &self.session {
            None => Err(Error::Forbidden(format!(
                "{}: sign in as an operator who may {}",
                crate::audit::NO_OPERATOR,
                p.what()
            ))),
            Some(o) if o.role.may(p) => Ok(()),
            Some(o) => Err(Error::Forbidden(format!(
                "{} ({}) may not {}",
                o.name,
                o.role.as_str(),
                p.what()
            ))),
        }
    }

    /// Adds a profile. The first one must be an administrator (and anybody may add it); later
    /// ones only an administrator may add.
    pub fn add_operator(
        &mut self,
        name: &str,
        role: Role,
        password: Option<&str>,
    ) -> Result<Operator> {
        self.require_writable()?;
        let name = valid_name(name)?;
        let first = !self.has_operators()?;
        if first && role != Role::Administrator {
            return Err(Error::Invalid(format!(
                "the first operator profile must be an administrator's, so that someone can \
                 manage the others; '{name}' would be a {}",
                role.as_str()
            )));
        }
        if !first {
            self.require(Permission::Settings)?;
        }
        if self.operator_row(name).is_ok() {
            return Err(Error::Conflict(format!(
                "an operator named '{name}' exists already"
            )));
        }
        let hash = password.map(hash_password).transpose()?;
        self.conn()
            .execute(
                "INSERT INTO operators (name, role, password, created_at)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                params![name, role.as_str(), hash],
            )
            .map_err(ctx("adding an operator profile"))?;
        if first && self.session.is_none() {
            // Whoever set the profiles up goes on as the administrator they made.
            self.enter(self.operator_row(name)?.0);
        } else if first {
            self.set_actor(Actor::SignInRequired);
        }
        Ok(self.operator_row(name)?.0)
    }

    /// Sets or removes `name`'s password: the operator themselves or an administrator.
    pub fn set_operator_password(&mut self, name: &str, password: Option<&str>) -> Result<()> {
        self.require_writable()?;
        let (op, _) = self.operator_row(name)?;
        if self.session.as_ref().is_none_or(|s| s.name != op.name) {
            self.require(Permission::Settings)?;
        }
        let hash = password.map(hash_password).transpose()?;
        self.conn()
            .execute(
                "UPDATE operators SET password = ?2 WHERE name = ?1",
                params![op.name, hash],
            )
            .map_err(ctx("changing a password"))?;
        Ok(())
    }

    /// Changes `name`'s role (administrators only; the last administrator stays one).
    pub fn set_operator_role(&mut self, name: &str, role: Role) -> Result<()> {
        self.require_writable()?;
        self.require(Permission::Settings)?;
        let (op, _) = self.operator_row(name)?;
        if op.role == Role::Administrator && role != Role::Administrator {
            self.keep_an_administrator(&op.name)?;
        }
        self.conn()
            .execute(
                "UPDATE operators SET role = ?2 WHERE name = ?1",
                params![op.name, role.as_str()],
            )
            .map_err(ctx("changing a role"))?;
        if let Some(s) = self.session.as_mut().filter(|s| s.name == op.name) {
            s.role = role;
        }
        Ok(())
    }

    /// Retires `name`'s profile: it can no longer sign in; the log keeps naming it.
    pub fn retire_operator(&mut self, name: &str) -> Result<()> {
        self.require_writable()?;
        self.require(Permission::Settings)?;
        let (op, _) = self.operator_row(name)?;
        if op.retired_at.is_some() {
            return Ok(());
        }
        if op.role == Role::Administrator {
            self.keep_an_administrator(&op.name)?;
        }
        self.conn()
            .execute(
                "UPDATE operators SET retired_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE name = ?1",
                [&op.name],
            )
            .map_err(ctx("retiring an operator profile"))?;
        Ok(())
    }

    fn keep_an_administrator(&self, leaving: &str) -> Result<()> {
        let others: i64 = self
            .conn()
            .query_row(
                "SELECT count(*) FROM operators WHERE role = 'administrator'
                 AND retired_at IS NULL AND name <> ?1",
                [leaving],
                |r| r.get(0),
            )
            .map_err(ctx("reading the operator profiles"))?;
        if others == 0 {
            return Err(Error::Invalid(format!(
                "{leaving} is the last administrator; make someone else one first"
            )));
        }
        Ok(())
    }

    /// Signs `name` in, checking the password when the profile has one. Both a sign-in and a
    /// refused one are logged (on a library this process may write).
    pub fn sign_in(&mut self, name: &str, password: Option<&str>) -> Result<Operator> {
        let (op, stored) = self.operator_row(name)?;
        if op.retired_at.is_some() {
            return Err(Error::Forbidden(format!(
                "{}'s profile was retired; it cannot sign in",
                op.name
            )));
        }
        let ok = match &stored {
            None => true,
            Some(hash) => password.is_some_and(|p| password_matches(hash, p)),
        };
        let record = format!("operator {}", op.name);
        if !ok {
            if self.is_writable() {
                let before = self.actor();
                self.set_actor(Actor::Operator(op.name.clone()));
                let logged = self.log_action("operator.refused", &record, &serde_json::json!({}));
                self.set_actor(before);
                logged?;
            }
            return Err(Error::Forbidden(match password {
                None => format!("{} needs a password to sign in", op.name),
                Some(_) => format!("wrong password for {}", op.name),
            }));
        }
        self.enter(op.clone());
        if self.is_writable() {
            self.log_action("operator.signed_in", &record, &serde_json::json!({}))?;
        }
        Ok(op)
    }

    /// Takes on a sign-in another handle on the same library has checked (the app's second,
    /// read-only handle), without asking or logging again.
    pub fn share_session(&mut self, from: &Library) {
        match &from.session {
            Some(op) => self.enter(op.clone()),
            None => {
                self.session = None;
                self.set_actor(from.actor());
            }
        }
    }

    /// Signs the operator out: on a library with profiles, nothing changes until the next one
    /// signs in.
    pub fn sign_out(&mut self) -> Result<()> {
        if let Some(op) = self.session.clone()
            && self.is_writable()
        {
            self.log_action(
                "operator.signed_out",
                &format!("operator {}", op.name),
                &serde_json::json!({}),
            )?;
        }
        self.session = None;
        let actor = if self.has_operators()? {
            Actor::SignInRequired
        } else {
            Actor::System
        };
        self.set_actor(actor);
        Ok(())
    }

    fn enter(&mut self, op: Operator) {
        self.set_actor(Actor::Operator(op.name.clone()));
        self.session = Some(op);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::init(dir.path()).unwrap();
        (dir, lib)
    }

    #[test]
    fn roles_limit_settings_and_brakowanie() {
        assert!(Role::Administrator.may(Permission::Settings));
        assert!(!Role::Clerk.may(Permission::Settings));
        assert!(!Role::Archivist.may(Permission::Settings));
        assert!(Role::Archivist.may(Permission::Brakowanie));
        assert!(!Role::Administrator.may(Permission::Brakowanie));
        assert!(!Role::Clerk.may(Permission::Brakowanie));
        assert_eq!(Role::parse("Archiwista").unwrap(), Role::Archivist);
        assert!(
            Role::parse("boss")
                .unwrap_err()
                .to_string()
                .contains("boss")
        );
    }

    #[test]
    fn profiles_passwords_and_the_log() {
        let (dir, mut lib) = library();
        // Without profiles everything is allowed.
        lib.require(Permission::Settings).unwrap();
        let err = lib.add_operator("Anna", Role::Clerk, None).unwrap_err();
        assert!(
            err.to_string().contains("must be an administrator"),
            "{err}"
        );
        lib.add_operator("Jan Kowalski", Role::Administrator, Some("tajne-hasło"))
            .unwrap();
        assert_eq!(lib.session().unwrap().name, "Jan Kowalski");
        lib.add_operator("Anna Nowak", Role::Clerk, None).unwrap();
        let err = lib
            .add_operator("anna nowak", Role::Clerk, None)
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert!(
            lib.add_operator("Ewa", Role::Archivist, Some("krótkie"))
                .is_err()
        );
        let stored: String = lib
            .conn()
            .query_row(
                "SELECT password FROM operators WHERE name = 'Jan Kowalski'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(stored.starts_with("$argon2id$") && !stored.contains("tajne"));
        drop(lib);

        // A new process: nothing changes until somebody signs in.
        let mut lib = Library::open(dir.path()).unwrap();
        let err = lib
            .add_unit("OR", "Referat Organizacyjny", 2020, None)
            .unwrap_err();
        assert_eq!(err.code(), "forbidden", "{err}");
        assert!(
            err.to_string().contains("no operator is signed in"),
            "{err}"
        );
        let err = lib.sign_in("Jan Kowalski", Some("zgadnięte")).unwrap_err();
        assert_eq!(err.to_string(), "wrong password for Jan Kowalski");
        let err = lib.sign_in("Jan Kowalski", None).unwrap_err();
        assert!(err.to_string().contains("needs a password"), "{err}");
        lib.sign_in("anna nowak", None).unwrap();
        let err = lib
            .add_unit("OR", "Referat Organizacyjny", 2020, None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Anna Nowak (clerk) may not change the settings (only an administrator may)"
        );
        lib.sign_in("Jan Kowalski", Some("tajne-hasło")).unwrap();
        lib.add_unit("OR", "Referat Organizacyjny", 2020, None)
            .unwrap();
        let err = lib.retire_operator("Jan Kowalski").unwrap_err();
        assert!(err.to_string().contains("last administrator"), "{err}");
        lib.retire_operator("Anna Nowak").unwrap();
        let err = lib.sign_in("Anna Nowak", None).unwrap_err();
        assert!(err.to_string().contains("retired"), "{err}");
        assert!(
            lib.conn()
                .execute("DELETE FROM operators WHERE name = 'Anna Nowak'", [])
                .is_err()
        );

        let log = lib.audit_log(None).unwrap();
        let said: Vec<(&str, &str, &str)> = log
            .iter()
            .filter(|e| e.record.starts_with("operator") || e.record.starts_with("unit"))
            .map(|e| (e.operator.as_str(), e.action.as_str(), e.record.as_str()))
            .collect();
        assert!(said.contains(&("Jan Kowalski", "operator.added", "operator Anna Nowak")));
        assert!(said.contains(&("Jan Kowalski", "operator.refused", "operator Jan Kowalski")));
        assert!(said.contains(&("Anna Nowak", "operator.signed_in", "operator Anna Nowak")));
        assert!(said.contains(&("Jan Kowalski", "operator.retired", "operator Anna Nowak")));
        assert!(!log.iter().any(|e| e.details.contains("argon2")));
        assert!(lib.verify_audit(None).unwrap().problems.is_empty());
    }
}
