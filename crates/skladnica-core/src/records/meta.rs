//! The metadata a clerk confirms or corrects on a document. Such values are stored with the
//! source `clerk` and nothing later (an extraction, a register) replaces them; keys the search
//! filters by (title, kind, date, JRWA class) are kept in step with the document's columns.

use rusqlite::TransactionBehavior;
use skladnica_records::{Access, PartialDate};

use crate::db::documents;
use crate::error::{Error, Result};
use crate::library::Library;

/// The keys a clerk may set, with what each holds.
pub const KEYS: &[(&str, &str)] = &[
    ("tytul", "the title"),
    ("rodzaj", "the kind (decyzja, wniosek, pismo, …)"),
    (
        "data",
        "the document's own date (data na piśmie): YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    ("nadawca", "the sender"),
    ("odbiorca", "the addressee"),
    ("tworca", "the author or signatory"),
    ("opis", "a description"),
    ("znak_u_nadawcy", "the sender's sign"),
    ("dostep", "access: publiczny, niepubliczny or wyłączony"),
    ("jezyk", "the language, ISO 639-2 (pol, eng, deu)"),
    ("jrwa", "the JRWA class (a symbol of the JRWA in force)"),
];

impl Library {
    /// Sets (or, with an empty value, clears) metadata of document `id` as the clerk's. All
    /// values are checked first; any bad one rejects the lot.
    pub fn set_clerk_metadata(&mut self, id: i64, values: &[(String, String)]) -> Result<()> {
        self.require_writable()?;
        if !documents::exists(self.conn(), id)? {
            return Err(Error::NoDocument(id));
        }
        let mut problems = Vec::new();
        let mut checked: Vec<(String, String)> = Vec::new();
        for (key, value) in values {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            match self.check_value(key, &value) {
                Ok(v) => checked.push((key.clone(), v)),
                Err(reason) => problems.push(format!("{key}: {reason}")),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "document {id}: nothing changed:\n  - {}",
                problems.join("\n  - ")
            )));
        }
        let ctx = |e| Error::sqlite(format!("saving metadata of document {id}"), e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        for (key, value) in &checked {
            if value.is_empty() {
                documents::remove_metadata(&tx, id, key)?;
                continue;
            }
            documents::set_metadata(&tx, id, key, value, documents::CLERK)?;
            if key == "tytul" {
                documents::set_head(&tx, id, Some(value), None, None)?;
            }
        }
        documents::mark_changed(&tx, id)?;
        tx.commit().map_err(ctx)?;
        self.catch_up_index()?;
        Ok(())
    }

    /// Marks the current values of `keys` of document `id` (from an extraction or an import) as
    /// confirmed by the clerk.
    pub fn confirm_metadata(&mut self, id: i64, keys: &[String]) -> Result<()> {
        let doc = self.document(id)?;
        let mut values = Vec::new();
        for key in keys {
            let found =
                doc.metadata.iter().find(|m| &m.key == key).ok_or_else(|| {
                    Error::NotFound(format!("document {id} has no {key} to confirm"))
                })?;
            values.push((key.clone(), found.value.clone()));
        }
        self.set_clerk_metadata(id, &values)
    }

    fn check_value(&self, key: &str, value: &str) -> std::result::Result<String, String> {
        if !KEYS.iter().any(|(k, _)| *k == key) {
            let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "not a metadata key; known keys: {}",
                known.join(", ")
            ));
        }
        if value.is_empty() {
            return Ok(String::new());
        }
        match key {
            "data" => value
                .parse::<PartialDate>()
                .map(|d| d.to_string())
                .map_err(|e| e.to_string()),
            "dostep" => value.parse::<Access>().map(|a| a.to_string()),
            "jezyk" => {
                if value.len() == 3 && value.chars().all(|c| c.is_ascii_lowercase()) {
                    Ok(value.to_string())
                } else {
                    Err(format!(
                        "\"{value}\" is not an ISO 639-2 code (three small letters: pol)"
                    ))
                }
            }
            "jrwa" => {
                let (version, jrwa) = self.jrwa(None, None).map_err(|e| e.to_string())?;
                match jrwa.get(value) {
                    Some(c) if c.is_end => Ok(value.to_string()),
                    Some(c) => Err(format!(
                        "class {value} \"{}\" has sub-classes; documents go under an end class",
                        c.heading
                    )),
                    None => Err(format!("class {value} is not in \"{}\"", version.name)),
                }
            }
            _ => Ok(value.to_string()),
        }
    }
}
