//! The JRWA in the library: the shipped gmina list, lists an office loads from CSV, each kept as
//! a version with the day it comes into force, and search by symbol or by heading words in any
//! inflection.

use std::collections::HashSet;

use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use skladnica_polish::{analyze, fold_diacritics};
use skladnica_records::suggest::Suggester;
use skladnica_records::{Date, Jrwa, JrwaClass, jrwa::GMINA_2011_CSV};

use crate::blobs::sha256_hex;
use crate::db::{self, jrwa::JrwaVersion};
use crate::error::{Error, Result};
use crate::library::Library;

/// The name of the shipped list.
pub const BUILTIN_NAME: &str = "JRWA gminy (zał. 2 do Dz.U. 2011 nr 14 poz. 67)";
/// The source tag of the shipped list.
pub const BUILTIN_SOURCE: &str = "builtin:gmina-2011";

/// Stores the shipped gmina JRWA of 2011, in force from 1 January 2011. Part of migration 5.
pub fn install_builtin_jrwa(conn: &Connection) -> Result<i64> {
    let jrwa = Jrwa::gmina_2011();
    db::jrwa::insert_version(
        conn,
        BUILTIN_NAME,
        BUILTIN_SOURCE,
        &sha256_hex(GMINA_2011_CSV.as_bytes()),
        Date::january_first(2011),
        &jrwa,
    )
}

/// What loading a JRWA file did.
#[derive(Debug, Clone, Serialize)]
pub struct JrwaImport {
    /// The new version.
    pub version: JrwaVersion,
    /// Gaps accepted, each naming its line.
    pub warnings: Vec<String>,
    /// Columns not used.
    pub ignored_columns: Vec<String>,
    /// The encoding the file was read in.
    pub encoding: String,
}

/// A class found by [`Library::search_jrwa`].
#[derive(Debug, Clone, Serialize)]
pub struct JrwaHit {
    /// The class.
    pub class: JrwaClass,
    /// How many of the query's words its heading holds.
    pub matched_words: usize,
}

impl Library {
    /// Every JRWA version, oldest first.
    pub fn jrwa_versions(&self) -> Result<Vec<JrwaVersion>> {
        db::jrwa::versions(self.conn())
    }

    /// A JRWA version and its classes: `version`, or the one in force on `on` (today when
    /// `None`).
    pub fn jrwa(&self, version: Option<i64>, on: Option<Date>) -> Result<(JrwaVersion, Jrwa)> {
        let found = match version {
            Some(id) => db::jrwa::version(self.conn(), id)?
                .ok_or_else(|| Error::NotFound(format!("no JRWA version {id}")))?,
            None => {
                let on = on.unwrap_or_else(Date::today);
                db::jrwa::in_force(self.conn(), on)?
                    .ok_or_else(|| Error::NotFound(format!("no JRWA is in force on {on}")))?
            }
        };
        let jrwa = db::jrwa::load(self.conn(), found.id)?;
        Ok((found, jrwa))
    }

    /// Loads a JRWA from CSV bytes as a new version in force from `from`; `file_name` names the
    /// file in messages and in the version's source. Nothing is stored unless the whole file is
    /// valid.
    pub fn import_jrwa(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        name: Option<&str>,
        from: Date,
    ) -> Result<JrwaImport> {
        self.require_writable()?;
        self.require(crate::operators::Permission::Settings)?;
        let loaded = Jrwa::from_csv(bytes, file_name)?;
        let sha = sha256_hex(bytes);
        let ctx = |e| Error::sqlite("saving a JRWA", e);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(ctx)?;
        if let Some(same) = db::jrwa::versions(&tx)?
            .into_iter()
            .find(|v| v.sha256 == sha && v.in_force_from == from)
        {
            return Err(Error::Conflict(format!(
                "{file_name}: this list is already loaded as JRWA version {} (\"{}\", in force \
                 from {})",
                same.id, same.name, same.in_force_from
            )));
        }
        let id = db::jrwa::insert_version(
            &tx,
            name.unwrap_or(file_name),
            &format!("csv:{file_name}"),
            &sha,
            from,
            &loaded.jrwa,
        )?;
        let version = db::jrwa::version(&tx, id)?.expect("just inserted");
        tx.commit().map_err(ctx)?;
        Ok(JrwaImport {
            version,
            warnings: loaded.warnings,
            ignored_columns: loaded.ignored_columns,
            encoding: loaded.encoding.to_string(),
        })
    }

    /// Classes of a JRWA version (the one in force today when `None`) matching `query`: digits
    /// are a symbol prefix; words match headings in any inflection, with or without Polish
    /// letters, the last word also as the beginning of a word. End classes first.
    pub fn search_jrwa(
        &self,
        version: Option<i64>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<JrwaHit>> {
        let (_, jrwa) = self.jrwa(version, None)?;
        Ok(search(&jrwa, query, limit))
    }
}

/// A class suggested for a document.
#[derive(Debug, Clone, Serialize)]
pub struct JrwaSuggestion {
    /// The class.
    pub symbol: String,
    /// Its heading.
    pub heading: String,
    /// Its archival category.
    pub category: Option<skladnica_records::Category>,
    /// Cosine similarity with the class's profile.
    pub score: f32,
    /// Documents filed under it that the suggestion learnt from.
    pub examples: u32,
}

/// The words the JRWA suggester compares: lemmas of the words of `text` (stopwords, numbers and
/// words under three letters left out).
pub fn suggestion_words(text: &str) -> Vec<String> {
    analyze(text)
        .lemma
        .into_iter()
        .map(|t| t.text)
        .filter(|t| t.chars().count() >= 3 && !t.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// A suggester over the end classes of `jrwa`, from their headings and those of the classes
/// above them (an end class's heading alone is often a few words: "Dokumentacja zamówień
/// publicznych" under "Zamówienia publiczne").
pub fn suggester(jrwa: &Jrwa) -> Suggester {
    Suggester::from_headings(jrwa.classes().iter().filter(|c| c.is_end).map(|c| {
        let mut text = c.heading.clone();
        for a in jrwa.ancestors(&c.symbol).iter().skip(1) {
            text.push('\n');
            text.push_str(&a.heading);
        }
        (c.symbol.clone(), suggestion_words(&text))
    }))
}

/// How much of a document's text the suggester reads: its head says what it is about.
const SUGGESTION_TEXT: usize = 3000;

/// The text the suggester reads of a document: its title, subject and the start of its text.
pub fn suggestion_text(title: &str, subject: Option<&str>, body: &str) -> String {
    let end = body.floor_char_boundary(SUGGESTION_TEXT.min(body.len()));
    format!("{title}\n{}\n{}", subject.unwrap_or(""), &body[..end])
}

impl Library {
    /// The `k` JRWA end classes document `id` most likely belongs to, in the JRWA in force:
    /// learnt from the classes the clerk gave other documents (directly, or by filing them in
    /// cases), and from the classes' headings.
    pub fn suggest_jrwa(&self, id: i64, k: usize) -> Result<Vec<JrwaSuggestion>> {
        let doc = self.document(id)?;
        let (_, jrwa) = self.jrwa(None, None)?;
        let mut s = suggester(&jrwa);
        let ctx = |e| Error::sqlite("reading filed documents", e);
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT m.document_id, m.value, d.title,
                        (SELECT value FROM metadata w WHERE w.document_id = d.id AND w.key = 'w_sprawie')
                 FROM metadata m JOIN documents d ON d.id = m.document_id
                 WHERE m.key = 'jrwa' AND m.source IN ('clerk', 'case') AND m.document_id != ?1",
            )
            .map_err(ctx)?;
        let filed: Vec<(i64, String, String, Option<String>)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(|rows| rows.collect())
            .map_err(ctx)?;
        for (other, symbol, title, subject) in filed {
            let body = crate::db::documents::head_text(self.conn(), other, SUGGESTION_TEXT)?;
            s.learn(
                &symbol,
                &suggestion_words(&suggestion_text(&title, subject.as_deref(), &body)),
            );
        }
        let subject = doc
            .metadata
            .iter()
            .find(|m| m.key == "w_sprawie")
            .map(|m| m.value.as_str());
        let body: Vec<&str> = doc.pages.iter().map(|p| p.text.as_str()).collect();
        let words = suggestion_words(&suggestion_text(&doc.title, subject, &body.join("\n")));
        Ok(s.suggest(&words, k)
            .into_iter()
            .map(|x| {
                let class = jrwa.get(&x.symbol);
                JrwaSuggestion {
                    heading: class.map(|c| c.heading.clone()).unwrap_or_default(),
                    category: class.and_then(|c| c.category),
                    symbol: x.symbol,
                    score: x.score,
                    examples: x.examples,
                }
            })
            .collect())
    }
}

/// The words of a text as sets of forms to compare: lemmas and the word itself, each also
/// without Polish letters.
fn word_forms(text: &str) -> Vec<(String, HashSet<String>)> {
    let analysis = analyze(text);
    let mut out: Vec<(String, HashSet<String>)> = Vec::new();
    for token in &analysis.exact {
        let mut forms = HashSet::new();
        forms.insert(token.text.clone());
        forms.insert(fold_diacritics(&token.text));
        for lemma in analysis
            .lemma
            .iter()
            .filter(|l| l.position == token.position)
        {
            forms.insert(lemma.text.clone());
            forms.insert(fold_diacritics(&lemma.text));
        }
        out.push((token.text.clone(), forms));
    }
    out
}

/// See [`Library::search_jrwa`].
pub fn search(jrwa: &Jrwa, query: &str, limit: usize) -> Vec<JrwaHit> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    if query.bytes().all(|b| b.is_ascii_digit()) {
        return jrwa
            .with_prefix(query)
            .take(limit)
            .map(|c| JrwaHit {
                class: c.clone(),
                matched_words: 0,
            })
            .collect();
    }
    let wanted = word_forms(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    let last = wanted.len() - 1;
    let mut hits: Vec<(JrwaHit, usize)> = Vec::new();
    for class in jrwa.classes() {
        let heading = word_forms(&class.heading);
        let all_forms: HashSet<&String> = heading.iter().flat_map(|(_, f)| f.iter()).collect();
        let matched = wanted
            .iter()
            .enumerate()
            .filter(|(i, (word, forms))| {
                forms.iter().any(|f| all_forms.contains(f))
                    || (*i == last && word.chars().count() >= 3 && {
                        let folded = fold_diacritics(word);
                        heading.iter().any(|(w, _)| {
                            w.starts_with(word.as_str()) || fold_diacritics(w).starts_with(&folded)
                        })
                    })
            })
            .count();
        if matched == wanted.len() {
            hits.push((
                JrwaHit {
                    class: class.clone(),
                    matched_words: matched,
                },
                heading.len(),
            ));
        }
    }
    // End classes (where cases go) first, then shorter headings (closer matches), then symbol.
    hits.sort_by(|(a, alen), (b, blen)| {
        b.class
            .is_end
            .cmp(&a.class.is_end)
            .then(alen.cmp(blen))
            .then(a.class.symbol.cmp(&b.class.symbol))
    });
    hits.into_iter().take(limit).map(|(h, _)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(hits: &[JrwaHit]) -> Vec<&str> {
        hits.iter().map(|h| h.class.symbol.as_str()).collect()
    }

    #[test]
    fn finds_classes_by_inflected_words_and_prefixes() {
        let jrwa = Jrwa::gmina_2011();
        // "warunek zabudowa" in other forms than the heading's "warunków zabudowy".
        let hits = search(&jrwa, "warunki zabudowie", 5);
        assert_eq!(symbols(&hits)[0], "6730", "{:?}", symbols(&hits));
        // Without Polish letters.
        let hits = search(&jrwa, "ewidencja ludnosci", 5);
        assert!(symbols(&hits).contains(&"5341"), "{:?}", symbols(&hits));
        // The last word as typed so far.
        let hits = search(&jrwa, "dowodów osobist", 5);
        assert_eq!(symbols(&hits)[0], "5344", "{:?}", symbols(&hits));
        // A symbol prefix.
        let hits = search(&jrwa, "673", 10);
        assert_eq!(symbols(&hits), ["673", "6730", "6731", "6732", "6733"]);
        assert!(search(&jrwa, "qwertyuiop", 5).is_empty());
        assert!(search(&jrwa, "  ", 5).is_empty());
    }
}
