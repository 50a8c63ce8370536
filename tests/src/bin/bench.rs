//! The Składnica benchmark: builds a library of born-digital Polish PDFs from the real texts in
//! `../shared/corpus`, and measures import speed and peak memory (through the release
//! `skladnica` binary), reindex time, search latency with snippets and facets, the same texts in
//! SQLite FTS5 and in plain tantivy, and search quality on inflected-form queries.
//!
//! Usage: `skladnica-bench [--docs N] [--quality-docs N] [--work DIR] [--bin PATH] [--out FILE]`
//! (see `scripts/bench.sh`, which builds in release mode and appends to BENCHMARKS.md).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use skladnica_core::Library;
use skladnica_core::search::SearchOptions;
use skladnica_tests::hunspell::Hunspell;
use skladnica_tests::textpool::{Rng, generate, latency, latency_queries, paragraphs, take_text};
use skladnica_tests::{machine, paginate, pdf, run_measured, shared};

struct Args {
    docs: usize,
    quality_docs: usize,
    work: PathBuf,
    bin: PathBuf,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        docs: 100_000,
        quality_docs: 3_000,
        work: std::env::temp_dir().join("skladnica-bench"),
        bin: PathBuf::from("target/release/skladnica"),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = v.parse().expect("--docs N"),
            "--quality-docs" => a.quality_docs = v.parse().expect("--quality-docs N"),
            "--work" => a.work = PathBuf::from(v),
            "--bin" => a.bin = PathBuf::from(v),
            "--out" => a.out = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn main() {
    let a = args();
    let mut report = String::new();
    let _ = std::fs::remove_dir_all(&a.work);
    std::fs::create_dir_all(&a.work).unwrap();
    let pool = paragraphs();
    eprintln!("text pool: {} paragraphs", pool.len());

    // 1. Documents.
    let docs_dir = a.work.join("docs");
    let started = Instant::now();
    let (pages, bytes) = generate(&pool, a.docs, &docs_dir);
    eprintln!(
        "generated {} PDFs ({pages} pages, {} MB) in {:.0?}",
        a.docs,
        bytes >> 20,
        started.elapsed()
    );

    // 2. Import through the release binary, with peak memory.
    let lib_dir = a.work.join("lib");
    let (import_time, import_peak) = run_measured(
        Command::new(&a.bin)
            .arg("--library")
            .arg(&lib_dir)
            .args(["import", "--json"])
            .arg(&docs_dir),
    );
    let rate = a.docs as f64 / import_time.as_secs_f64();
    eprintln!(
        "import: {import_time:.1?}, {rate:.0} docs/s, peak {} MB",
        import_peak >> 10
    );

    // 3. Reindex.
    let (reindex_time, reindex_peak) = run_measured(
        Command::new(&a.bin)
            .arg("--library")
            .arg(&lib_dir)
            .arg("reindex"),
    );
    eprintln!(
        "reindex: {reindex_time:.1?}, peak {} MB",
        reindex_peak >> 10
    );

    // 4. Search latency.
    let lib = Library::open(&lib_dir).expect("library opens");
    let queries = latency_queries(&pool);
    let ours = latency(&queries, |q| {
        let r = lib.search(
            q,
            &SearchOptions {
                limit: 10,
                ..SearchOptions::default()
            },
        );
        r.map(|r| r.total).unwrap_or(0)
    });
    eprintln!(
        "search: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        ours.0, ours.1, ours.2
    );

    // 5. FTS5 on the same texts.
    let fts_path = a.work.join("fts.sqlite");
    let fts_build = build_fts(&lib_dir.join("skladnica.sqlite"), &fts_path);
    let fts = rusqlite::Connection::open(&fts_path).unwrap();
    let fts_lat = latency(&queries, |q| fts_search(&fts, q, 10).len());
    eprintln!(
        "fts5: build {fts_build:.1?}, p50 {:.2} p95 {:.2} p99 {:.2}",
        fts_lat.0, fts_lat.1, fts_lat.2
    );

    // 6. Plain tantivy (default tokenizer) on the same texts.
    let plain = plain_tantivy(
        &lib_dir.join("skladnica.sqlite"),
        &a.work.join("plain-index"),
    );
    eprintln!("plain tantivy: {plain:.1?}");
    drop(lib);

    // 7. Search quality, and the morphology on its own (Morfologik against Stempel).
    let quality = quality(&pool, a.quality_docs, &a.work.join("quality"));
    let morph = morphology();

    let machine = machine();
    let date = skladnica_core::db::now();
    let _ = writeln!(report, "\n## {} — {}\n", &date[..10], machine);
    let _ = writeln!(
        report,
        "Command: `scripts/bench.sh --docs {} --quality-docs {}`. Corpus: {} born-digital PDFs \
         ({pages} pages, {} MB) generated from the real Polish texts of `../shared/corpus` \
         (two acts, PolEval 2021 book pages, topic texts); 1–20 pages each (60 % one page), \
         ~1.2 kB of text a page.\n",
        a.docs,
        a.quality_docs,
        a.docs,
        bytes >> 20
    );
    let _ = writeln!(report, "| measure | result | target |\n| --- | --- | --- |");
    let _ = writeln!(
        report,
        "| import (release binary, 2 workers) | {rate:.0} documents/s ({:.1} s) | ≥ 300/s |",
        import_time.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "| peak memory while importing | {} MB | < 300 MB |",
        import_peak >> 10
    );
    let _ = writeln!(
        report,
        "| reindex of {} documents | {:.1} s (peak {} MB) | < 20 s |",
        a.docs,
        reindex_time.as_secs_f64(),
        reindex_peak >> 10
    );
    let _ = writeln!(
        report,
        "| plain tantivy, default tokenizer, same texts | {:.1} s | (anchor) |",
        plain.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "| search, {} queries × 5, top 10 with snippets and facets | p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms | p95 < 10 ms |",
        queries.len(),
        ours.0,
        ours.1,
        ours.2
    );
    let _ = writeln!(
        report,
        "| SQLite FTS5 (unicode61, remove_diacritics) build | {:.1} s | (anchor) |",
        fts_build.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "| SQLite FTS5 search, top 10 with snippet() | p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms | (anchor) |",
        fts_lat.0, fts_lat.1, fts_lat.2
    );
    let _ = writeln!(
        report,
        "| recall@10, {} inflected-form queries | Składnica {:.1} %, FTS5 {:.1} % | ≥ 95 % |",
        quality.queries,
        quality.ours * 100.0,
        quality.fts * 100.0
    );
    let _ = writeln!(report, "\n{}", quality.notes);
    let _ = writeln!(report, "\n{morph}");
    print!("{report}");
    if let Some(out) = &a.out {
        let mut existing = std::fs::read_to_string(out).unwrap_or_else(|_| {
            "# Benchmarks\n\nFigures from `scripts/bench.sh` (the program `tests/src/bin/bench.rs`), \
             newest last. Benchmarks are programs, not timed tests.\n"
                .to_string()
        });
        existing.push_str(&report);
        std::fs::write(out, existing).unwrap();
    }
}

fn build_fts(library_db: &Path, fts_path: &Path) -> Duration {
    let _ = std::fs::remove_file(fts_path);
    let conn = rusqlite::Connection::open(fts_path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
    )
    .unwrap();
    conn.execute("ATTACH ?1 AS lib", [library_db.to_string_lossy()])
        .unwrap();
    let started = Instant::now();
    conn.execute_batch(
        "BEGIN;
         INSERT INTO docs (rowid, title, body)
           SELECT d.id, d.title, (SELECT group_concat(text, char(10)) FROM lib.pages p WHERE p.document_id = d.id)
           FROM lib.documents d;
         COMMIT;",
    )
    .unwrap();
    started.elapsed()
}

/// FTS5 search with the same words (all required; quoted phrases kept; filters dropped).
fn fts_search(conn: &rusqlite::Connection, query: &str, limit: usize) -> Vec<i64> {
    let mut terms = Vec::new();
    let mut in_quote = String::new();
    let mut quoting = false;
    for token in query.split_whitespace() {
        if token.contains(':') || token.starts_with('-') {
            continue;
        }
        if quoting || token.starts_with('"') {
            quoting = true;
            in_quote.push_str(token.trim_matches('"'));
            in_quote.push(' ');
            if token.ends_with('"') && token.len() > 1 {
                terms.push(format!("\"{}\"", in_quote.trim()));
                in_quote.clear();
                quoting = false;
            }
            continue;
        }
        let w: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if !w.is_empty() {
            terms.push(format!("\"{w}\""));
        }
    }
    if terms.is_empty() {
        return vec![];
    }
    let q = terms.join(" AND ");
    let mut stmt = conn
        .prepare_cached(
            "SELECT rowid, snippet(docs, 1, '<b>', '</b>', '…', 24) FROM docs
             WHERE docs MATCH ?1 ORDER BY bm25(docs, 2.5, 1.0) LIMIT ?2",
        )
        .unwrap();
    stmt.query_map(rusqlite::params![q, limit as i64], |r| {
        let _: String = r.get(1)?;
        r.get(0)
    })
    .map(|rows| rows.filter_map(Result::ok).collect())
    .unwrap_or_default()
}

/// Indexes the library's texts with tantivy's default tokenizer (2 threads).
fn plain_tantivy(library_db: &Path, dir: &Path) -> Duration {
    use tantivy::schema::{Schema, TEXT};
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut b = Schema::builder();
    let title = b.add_text_field("title", TEXT);
    let body = b.add_text_field("body", TEXT);
    let index = tantivy::Index::create_in_dir(dir, b.build()).unwrap();
    let conn = rusqlite::Connection::open(library_db).unwrap();
    let started = Instant::now();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(2, 256 << 20).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT d.title, (SELECT group_concat(text, char(10)) FROM pages p WHERE p.document_id = d.id)
             FROM documents d",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let t: String = r.get(0).unwrap();
        let text: String = r.get(1).unwrap_or_default();
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(title, &t);
        doc.add_text(body, &text);
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    started.elapsed()
}

struct Quality {
    queries: usize,
    ours: f64,
    fts: f64,
    notes: String,
}

fn words_of(text: &str) -> Vec<String> {
    skladnica_polish::words(text)
        .map(|(a, b)| text[a..b].to_lowercase())
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect()
}

/// Recall@10 on queries in one inflected form for documents that contain another.
///
/// Forms come from Hunspell's pl_PL paradigms (a source independent of the Morfologik data the
/// product uses). A query picks a word that is rare in the corpus (its whole paradigm occurs in
/// at most 3 documents), and asks for another form of it that its document does not contain.
fn quality(pool: &[String], n: usize, dir: &Path) -> Quality {
    let _ = std::fs::remove_dir_all(dir);
    let input = dir.join("docs");
    std::fs::create_dir_all(&input).unwrap();
    let per_doc = (pool.len() / n.max(1)).max(1);
    let mut texts = Vec::new();
    for j in 0..n {
        let text = take_text(pool, j * per_doc, 1500);
        std::fs::write(
            input.join(format!("{j:05}.pdf")),
            pdf(&paginate(&text), None, None),
        )
        .unwrap();
        texts.push(text);
    }
    let mut lib = Library::open_or_create(&dir.join("lib")).unwrap();
    let report = lib
        .import(
            std::slice::from_ref(&input),
            &Default::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    let mut id_of: HashMap<usize, i64> = HashMap::new();
    for item in &report.imported {
        let j: usize = Path::new(&item.path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .parse()
            .unwrap();
        id_of.insert(j, item.id);
    }
    let doc_words: Vec<HashSet<String>> = texts
        .iter()
        .map(|t| words_of(t).into_iter().collect())
        .collect();
    let mut df: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, ws) in doc_words.iter().enumerate() {
        for w in ws {
            df.entry(w.as_str()).or_default().push(j);
        }
    }
    let (hun, entries) = Hunspell::load(&shared().join("reference/nlp/hunspell_pl"));
    let mut rng = Rng::new(2024);
    let mut cases: Vec<(String, usize, String, String)> = Vec::new();
    let mut seen_stems = HashSet::new();
    for (stem, flags) in &entries {
        if stem.chars().count() < 4 {
            continue;
        }
        let Some(forms) = hun.common_forms(stem, flags) else {
            continue;
        };
        if forms.len() < 2 {
            continue;
        }
        let mut docs: HashSet<usize> = HashSet::new();
        let mut present = Vec::new();
        for f in &forms {
            if let Some(d) = df.get(f.as_str()) {
                docs.extend(d.iter().copied());
                present.push(f.clone());
            }
        }
        if present.is_empty() || docs.len() > 3 || !seen_stems.insert(stem.clone()) {
            continue;
        }
        let f1 = &present[rng.below(present.len() as u64) as usize];
        let target = *df[f1.as_str()].first().unwrap();
        let others: Vec<&String> = forms
            .iter()
            .filter(|f| *f != f1 && !doc_words[target].contains(*f) && f.chars().count() >= 4)
            .filter(|f| !skladnica_polish::is_stopword(f))
            .collect();
        if others.is_empty() || f1.chars().count() < 5 {
            continue;
        }
        let f2 = others[rng.below(others.len() as u64) as usize].clone();
        // An anchor: another word of the document that no other document has (exact form).
        let anchors: Vec<&String> = doc_words[target]
            .iter()
            .filter(|w| df[w.as_str()].len() == 1 && w.chars().count() >= 6 && !forms.contains(w))
            .collect();
        let Some(anchor) = anchors.iter().min().map(|a| (*a).clone()) else {
            continue;
        };
        cases.push((f2, target, f1.clone(), anchor));
    }
    // A deterministic sample of 300.
    let mut picked = Vec::new();
    while picked.len() < 300 && !cases.is_empty() {
        let i = rng.below(cases.len() as u64) as usize;
        picked.push(cases.swap_remove(i));
    }
    let fts_path = dir.join("fts.sqlite");
    build_fts(&dir.join("lib/skladnica.sqlite"), &fts_path);
    let fts = rusqlite::Connection::open(&fts_path).unwrap();
    let mut ours = 0;
    let mut single = 0;
    let mut fts_hits = 0;
    let mut misses = Vec::new();
    let opts = SearchOptions {
        limit: 10,
        snippets: false,
        facets: false,
        offset: 0,
        ..SearchOptions::default()
    };
    let found = |q: &str, id: i64| {
        lib.search(q, &opts)
            .map(|r| r.hits.iter().any(|h| h.id == id))
            .unwrap_or(false)
    };
    for (form, target, f1, anchor) in &picked {
        let id = id_of[target];
        let query = format!("{form} {anchor}");
        if found(&query, id) {
            ours += 1;
        } else {
            misses.push(format!("{form} (document has {f1})"));
        }
        if found(form, id) {
            single += 1;
        }
        if fts_search(&fts, &query, 10).contains(&id) {
            fts_hits += 1;
        }
    }
    let total = picked.len().max(1);
    let notes = format!(
        "Quality set: {} queries over {} one-page documents. Each takes a word of a document \
         whose Hunspell paradigm occurs in at most 3 documents, asks for another form of it that \
         the document lacks, plus one word (exact form) found in that document only, so that \
         only the inflection decides. The same forms alone (no anchor word) find their \
         document in the top 10 in {:.1} % of cases: the rest lose to other documents with \
         other forms of the same lemma, which are hits too. Misses ({}): {}.",
        picked.len(),
        n,
        single as f64 * 100.0 / picked.len().max(1) as f64,
        misses.len(),
        misses
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    Quality {
        queries: picked.len(),
        ours: ours as f64 / total as f64,
        fts: fts_hits as f64 / total as f64,
        notes,
    }
}

/// How often two forms of one Hunspell paradigm get a common index term (linked), and two
/// words of different paradigms do (merged), for Morfologik lemmas alone, the Stempel stemmer
/// alone (PoliMorf table), and both as the product uses them (Stempel for words Morfologik does
/// not know).
fn morphology() -> String {
    let (hun, entries) = Hunspell::load(&shared().join("reference/nlp/hunspell_pl"));
    let mut rng = Rng::new(7);
    let mut paradigms: Vec<Vec<String>> = Vec::new();
    while paradigms.len() < 3000 {
        let (stem, flags) = &entries[rng.below(entries.len() as u64) as usize];
        let Some(forms) = hun.common_forms(stem, flags) else {
            continue;
        };
        if forms.len() >= 2 {
            paradigms.push(forms);
        }
    }
    let mut same = Vec::new();
    let mut different = Vec::new();
    for (i, forms) in paradigms.iter().enumerate() {
        let a = rng.below(forms.len() as u64) as usize;
        let mut b = rng.below(forms.len() as u64) as usize;
        if a == b {
            b = (b + 1) % forms.len();
        }
        same.push((forms[a].clone(), forms[b].clone()));
        let other =
            &paradigms[(i + 1 + rng.below(paradigms.len() as u64 - 1) as usize) % paradigms.len()];
        if other[0] != forms[0] {
            different.push((
                forms[a].clone(),
                other[rng.below(other.len() as u64) as usize].clone(),
            ));
        }
    }
    let dict = skladnica_polish::Morfologik::polish();
    let stempel = skladnica_polish::Stempel::polish();
    let morf = |w: &str| -> Vec<String> {
        let l = dict.lemmas(w);
        if l.is_empty() { vec![w.to_string()] } else { l }
    };
    let stem = |w: &str| vec![stempel.stem(w).unwrap_or_else(|| w.to_string())];
    let product = |w: &str| -> Vec<String> { skladnica_polish::lemmas(w).to_vec() };
    let rate = |pairs: &[(String, String)], f: &dyn Fn(&str) -> Vec<String>| -> f64 {
        let hits = pairs
            .iter()
            .filter(|(a, b)| {
                let (x, y) = (f(a), f(b));
                x.iter().any(|t| y.contains(t))
            })
            .count();
        hits as f64 * 100.0 / pairs.len().max(1) as f64
    };
    let mut out = format!(
        "Morphology alone, on {} pairs of forms of one Hunspell paradigm (linked: they share an \
         index term) and {} pairs of words of different paradigms (merged: they share one when \
         they should not):\n\n| analysis | linked | merged |\n| --- | --- | --- |\n",
        same.len(),
        different.len()
    );
    for (name, f) in [
        (
            "Morfologik lemmas alone",
            &morf as &dyn Fn(&str) -> Vec<String>,
        ),
        ("Stempel alone (PoliMorf table)", &stem),
        (
            "Morfologik, Stempel for unknown words (the product)",
            &product,
        ),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {:.1} % | {:.1} % |",
            rate(&same, f),
            rate(&different, f)
        );
    }
    out
}
