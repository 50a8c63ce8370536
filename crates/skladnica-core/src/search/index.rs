//! The tantivy index: its schema, opening (and rebuilding when it is missing, damaged or of an
//! older layout), turning a document into index fields, and commits that carry the library
//! revision they contain.
//!
//! The index is derived data. SQLite is the record; `index_state.indexed_rev` there, and the
//! commit payload here, say up to which revision the index is complete.

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::db::documents::IndexSource;
use crate::error::{Error, Result};

/// Bump when the schema or the analyzers change: an index of another version is rebuilt.
const INDEX_VERSION: &str = "skladnica-index-7";
const VERSION_FILE: &str = "SKLADNICA_INDEX_VERSION";

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id (indexed for deletes, fast for hits and checks).
    pub id: Field,
    /// Document revision (fast), for `check`.
    pub rev: Field,
    /// Title by lemmas (and without diacritics).
    pub title: Field,
    /// Title, exact forms.
    pub title_exact: Field,
    /// Text by lemmas (and without diacritics).
    pub body: Field,
    /// Year of the document's date.
    pub year: Field,
    /// The document's date as the number YYYYMMDD.
    pub date: Field,
    /// Kind of document.
    pub kind: Field,
    /// Format of the original (pdf, jpeg…).
    pub format: Field,
    /// JRWA symbol.
    pub jrwa: Field,
    /// Signs and numbers the document carries (case sign, RPW number, sender's sign, reference
    /// numbers read from it), lower case, each whole.
    pub sign: Field,
    /// Who sent, wrote or receives it (by lemmas).
    pub party: Field,
    /// Its sender (or author), whole, for the facet.
    pub sender: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        rev: b.add_u64_field("rev", FAST),
        title: b.add_text_field("title", text(skladnica_polish::LEMMA)),
        title_exact: b.add_text_field("title_exact", text(skladnica_polish::EXACT)),
        body: b.add_text_field("body", text(skladnica_polish::LEMMA)),
        year: b.add_u64_field("year", INDEXED | FAST),
        date: b.add_u64_field("date", INDEXED | FAST),
        kind: b.add_text_field("kind", STRING | FAST),
        format: b.add_text_field("format", STRING | FAST),
        jrwa: b.add_text_field("jrwa", STRING | FAST),
        sign: b.add_text_field("sign", STRING),
        party: b.add_text_field("party", text(skladnica_polish::LEMMA)),
        sender: b.add_text_field("sender", STRING | FAST),
    };
    (b.build(), fields)
}

/// The open index with its reader.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Its fields.
    pub fields: Fields,
    dir: PathBuf,
    /// True when the index was created empty on this open (first use, or rebuilt).
    pub fresh: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it, or recreating it empty when it is of another
    /// version or cannot be opened (the caller then refills it from SQLite). With `cipher` (an
    /// encrypted library) its files are sealed (see `sealed_dir`).
    pub fn open(dir: &Path, cipher: Option<&crate::crypt::Cipher>) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let version_ok = fs::read_to_string(dir.join(VERSION_FILE))
            .map(|v| v.trim() == INDEX_VERSION)
            .unwrap_or(false);
        let existing = if version_ok {
            match cipher {
                Some(c) => {
                    super::sealed_dir::SealedDirectory::open(dir, c.clone()).and_then(Index::open)
                }
                None => Index::open_in_dir(dir),
            }
            .ok()
            .filter(|i| i.schema() == schema)
        } else {
            None
        };
        let (index, fresh) = match existing {
            Some(index) => (index, false),
            None => (Self::create(dir, schema, cipher)?, true),
        };
        skladnica_polish::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::index("opening the index reader", e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
            fresh,
        })
    }

    fn create(dir: &Path, schema: Schema, cipher: Option<&crate::crypt::Cipher>) -> Result<Index> {
        if dir.exists() {
            fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let index = match cipher {
            Some(c) => super::sealed_dir::SealedDirectory::open(dir, c.clone())
                .and_then(|d| Index::create(d, schema, tantivy::IndexSettings::default())),
            None => Index::create_in_dir(dir, schema),
        }
        .map_err(|e| Error::index("creating the index", e))?;
        fs::write(dir.join(VERSION_FILE), INDEX_VERSION)
            .map_err(|e| Error::io(dir.join(VERSION_FILE), e))?;
        Ok(index)
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The reader (call [`SearchIndex::reload`] after commits).
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// Makes the latest commit visible to searches.
    pub fn reload(&self) -> Result<()> {
        self.reader
            .reload()
            .map_err(|e| Error::index("reloading the index", e))
    }

    /// The folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A writer with `threads` indexing threads and `budget` bytes of memory in all.
    pub fn writer(&self, threads: usize, budget: usize) -> Result<IndexWriter> {
        self.index
            .writer_with_num_threads(threads.max(1), budget.max((threads.max(1) * 16) << 20))
            .map_err(|e| Error::index("opening the index writer (is another import running?)", e))
    }

    /// The revision recorded in the last commit (0 for none).
    pub fn committed_rev(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// Replaces a document in the writer (delete by id, then add).
    pub fn put(&self, writer: &IndexWriter, src: &IndexSource) -> Result<()> {
        let doc = document(self.fields, src);
        self.put_document(writer, doc, src.id, src.rev)
    }

    /// Adds a document analysed beforehand with [`document`] under its id and revision,
    /// replacing any earlier version.
    pub fn put_document(
        &self,
        writer: &IndexWriter,
        mut doc: TantivyDocument,
        id: i64,
        rev: i64,
    ) -> Result<()> {
        doc.add_u64(self.fields.id, id as u64);
        doc.add_u64(self.fields.rev, rev as u64);
        writer.delete_term(Term::from_field_u64(self.fields.id, id as u64));
        writer
            .add_document(doc)
            .map_err(|e| Error::index(format!("indexing document {id}"), e))?;
        Ok(())
    }

    /// Indexes what `produce` feeds, analysing on `threads` threads at once. Returns the count.
    pub fn put_parallel(
        &self,
        writer: &IndexWriter,
        threads: usize,
        produce: impl FnOnce(&mut dyn FnMut(IndexSource) -> Result<()>) -> Result<()>,
    ) -> Result<usize> {
        let (tx, rx) = crossbeam_channel::bounded::<IndexSource>(256);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.max(1))
                .map(|_| {
                    let rx = rx.clone();
                    scope.spawn(move || -> Result<usize> {
                        let mut n = 0;
                        for src in rx {
                            self.put(writer, &src)?;
                            n += 1;
                        }
                        Ok(n)
                    })
                })
                .collect();
            drop(rx);
            let fed = produce(&mut |src| {
                tx.send(src).map_err(|_| {
                    Error::index(
                        "indexing",
                        tantivy::TantivyError::SystemError("an indexing thread stopped".into()),
                    )
                })
            });
            drop(tx);
            let mut total = 0;
            for w in workers {
                total += w.join().expect("indexing threads do not panic")?;
            }
            fed.map(|_| total)
        })
    }

    /// Removes a document from the writer.
    pub fn delete(&self, writer: &IndexWriter, id: i64) {
        writer.delete_term(Term::from_field_u64(self.fields.id, id as u64));
    }

    /// Commits the writer, recording `rev` as the revision the index now contains.
    pub fn commit(&self, writer: &mut IndexWriter, rev: i64) -> Result<()> {
        let mut prepared = writer
            .prepare_commit()
            .map_err(|e| Error::index("preparing an index commit", e))?;
        prepared.set_payload(&rev.to_string());
        prepared
            .commit()
            .map_err(|e| Error::index("committing the index", e))?;
        self.reload()
    }
}

/// The index fields of a document, without its id and revision. (The text is analysed by
/// tantivy's indexing threads with the registered Polish tokenizers. Pre-tokenized text would
/// save the second word split, but tantivy round-trips it through JSON, which costs more.)
pub fn document(f: Fields, src: &IndexSource) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for field in [f.title_exact, f.title] {
        doc.add_text(field, &src.title);
    }
    doc.add_text(f.body, &src.body);
    if let Some((y, m, d)) = src.doc_date.as_deref().and_then(parse_date) {
        doc.add_u64(f.year, y as u64);
        doc.add_u64(f.date, (y * 10_000 + m * 100 + d) as u64);
    }
    if let Some(kind) = &src.kind {
        doc.add_text(f.kind, kind);
    }
    doc.add_text(f.format, format_name(&src.media_type));
    if let Some(jrwa) = &src.jrwa {
        doc.add_text(f.jrwa, jrwa);
    }
    for sign in &src.signs {
        doc.add_text(f.sign, sign.to_lowercase());
    }
    if !src.parties.is_empty() {
        doc.add_text(f.party, &src.parties);
    }
    if let Some(sender) = &src.sender {
        doc.add_text(f.sender, sender);
    }
    doc
}

/// The short format name used in facets and the `format:` filter.
pub fn format_name(media_type: &str) -> &str {
    match media_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpeg",
        "image/png" => "png",
        "image/tiff" => "tiff",
        other => other,
    }
}

/// `YYYY-MM-DD` (or a longer ISO timestamp, or a partial date) → (year, month, day).
pub fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let s = match s.as_bytes().get(10) {
        Some(b'T') => &s[..10],
        _ => s,
    };
    // Partial dates (a letter's "2026" or "2026-03") count for their year and month; the
    // missing parts are 0, so a range filter on whole days still orders them first.
    let date: skladnica_records::PartialDate = s.parse().ok()?;
    let text = date.to_string();
    let y = text[0..4].parse().ok()?;
    let m = text.get(5..7).map_or(Some(0), |m| m.parse().ok())?;
    let d = text.get(8..10).map_or(Some(0), |d| d.parse().ok())?;
    Some((y, m, d))
}
