//! What encryption at rest costs: the same born-digital Polish PDFs imported into a plain and an
//! encrypted library through the release `skladnica` binary (time and peak memory), search
//! latency in each (top 10 with snippets and facets), the time to open each library and answer a
//! first query (the encrypted index is decrypted into memory then), the size on disk, and the
//! time `skladnica encrypt` takes to convert the plain library in place.
//!
//! Usage: `skladnica-encryption-bench [--docs N] [--work DIR] [--bin PATH] [--out FILE]` (see
//! `scripts/bench-encryption.sh`, which builds in release mode and appends to BENCHMARKS.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use skladnica_core::Library;
use skladnica_core::search::SearchOptions;
use skladnica_tests::textpool::{generate, latency, latency_queries, paragraphs};
use skladnica_tests::{machine, run_measured};

const PASSPHRASE: &str = "benchmark recovery passphrase";

struct Args {
    docs: usize,
    work: PathBuf,
    bin: PathBuf,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        docs: 5000,
        work: std::env::temp_dir().join("skladnica-encryption-bench"),
        bin: PathBuf::from("target/release/skladnica"),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = v.parse().expect("--docs N"),
            "--work" => a.work = PathBuf::from(v),
            "--bin" => a.bin = PathBuf::from(v),
            "--out" => a.out = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// The binary on `lib`, with the recovery passphrase (no keyring is touched).
fn skladnica(a: &Args, lib: &Path) -> Command {
    let mut c = Command::new(&a.bin);
    c.arg("--library")
        .arg(lib)
        .env("SKLADNICA_NO_KEYRING", "1")
        .env("SKLADNICA_LIBRARY_PASSPHRASE", PASSPHRASE);
    c
}

fn must(c: &mut Command) {
    let out = c.output().expect("skladnica runs");
    assert!(
        out.status.success(),
        "{:?}: {}",
        c,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        size_of(&p)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

struct Figures {
    import_s: f64,
    import_peak_mb: u64,
    open_first_ms: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    disk_mb: u64,
    index_mb: u64,
}

fn measure(a: &Args, lib: &Path, docs: &Path, encrypted: bool, queries: &[String]) -> Figures {
    if encrypted {
        must(skladnica(a, lib).arg("init"));
        must(skladnica(a, lib).arg("encrypt"));
    }
    let (t, peak) = run_measured(skladnica(a, lib).args(["import", "--json"]).arg(docs));
    if encrypted {
        skladnica_core::crypt::unlock(lib, PASSPHRASE).expect("the passphrase opens it");
    }
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    // Opened three times (the first may find the files out of the page cache): the median.
    let mut opens: Vec<f64> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let l = Library::open(lib).expect("library opens");
            l.search("decyzja", &options).expect("a first search");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    opens.sort_by(f64::total_cmp);
    let open_first_ms = opens[1];
    let l = Library::open(lib).expect("library opens");
    let (p50, p95, p99) = latency(queries, |q| {
        l.search(q, &options).map(|r| r.total).unwrap_or(0)
    });
    Figures {
        import_s: t.as_secs_f64(),
        import_peak_mb: peak >> 10,
        open_first_ms,
        p50,
        p95,
        p99,
        disk_mb: size_of(lib) >> 20,
        index_mb: size_of(&lib.join("index")) >> 20,
    }
}

fn main() {
    let a = args();
    let _ = std::fs::remove_dir_all(&a.work);
    std::fs::create_dir_all(&a.work).unwrap();
    let pool = paragraphs();
    let docs = a.work.join("docs");
    let (pages, bytes) = generate(&pool, a.docs, &docs);
    eprintln!(
        "generated {} PDFs ({pages} pages, {} MB)",
        a.docs,
        bytes >> 20
    );
    let queries = latency_queries(&pool);

    let plain = measure(&a, &a.work.join("plain"), &docs, false, &queries);
    eprintln!(
        "plain: import {:.1} s, p95 {:.2} ms",
        plain.import_s, plain.p95
    );
    let sealed = measure(&a, &a.work.join("encrypted"), &docs, true, &queries);
    eprintln!(
        "encrypted: import {:.1} s, p95 {:.2} ms",
        sealed.import_s, sealed.p95
    );

    // Converting the plain library in place.
    let (convert, convert_peak) = run_measured(skladnica(&a, &a.work.join("plain")).arg("encrypt"));
    eprintln!("encrypt in place: {:.1} s", convert.as_secs_f64());

    let mut report = String::new();
    let date = skladnica_core::db::now();
    let _ = writeln!(
        report,
        "\n## {} — {} — encryption at rest\n",
        &date[..10],
        machine()
    );
    let _ = writeln!(
        report,
        "Command: `scripts/bench-encryption.sh --docs {}`. The same {} born-digital PDFs ({pages} \
         pages, {} MB, real Polish texts of `../shared/corpus`) imported into a plain library and \
         an encrypted one (SQLCipher database, sealed originals and index) by the release binary; \
         search in-process over {} queries × 5.\n",
        a.docs,
        a.docs,
        bytes >> 20,
        queries.len()
    );
    let _ = writeln!(
        report,
        "| measure | plain | encrypted | cost |\n| --- | --- | --- | --- |"
    );
    let pct = |x: f64, y: f64| format!("{:+.0} %", (y / x - 1.0) * 100.0);
    let _ = writeln!(
        report,
        "| import | {:.1} s ({:.0} docs/s) | {:.1} s ({:.0} docs/s) | {} |",
        plain.import_s,
        a.docs as f64 / plain.import_s,
        sealed.import_s,
        a.docs as f64 / sealed.import_s,
        pct(plain.import_s, sealed.import_s)
    );
    let _ = writeln!(
        report,
        "| peak memory while importing | {} MB | {} MB | {:+} MB |",
        plain.import_peak_mb,
        sealed.import_peak_mb,
        sealed.import_peak_mb as i64 - plain.import_peak_mb as i64
    );
    let _ = writeln!(
        report,
        "| open the library and answer a first query (median of 3) | {:.0} ms | {:.0} ms | {} |",
        plain.open_first_ms,
        sealed.open_first_ms,
        pct(plain.open_first_ms, sealed.open_first_ms)
    );
    let _ = writeln!(
        report,
        "| search p50 / p95 / p99 | {:.2} / {:.2} / {:.2} ms | {:.2} / {:.2} / {:.2} ms | p95 {} |",
        plain.p50,
        plain.p95,
        plain.p99,
        sealed.p50,
        sealed.p95,
        sealed.p99,
        pct(plain.p95, sealed.p95)
    );
    let _ = writeln!(
        report,
        "| library on disk (index) | {} MB ({} MB) | {} MB ({} MB) | {} |",
        plain.disk_mb,
        plain.index_mb,
        sealed.disk_mb,
        sealed.index_mb,
        pct(plain.disk_mb.max(1) as f64, sealed.disk_mb.max(1) as f64)
    );
    let _ = writeln!(
        report,
        "| `skladnica encrypt` of the plain library in place | — | {:.1} s, peak {} MB | |",
        convert.as_secs_f64(),
        convert_peak >> 10
    );
    let _ = writeln!(
        report,
        "\nThe encrypted index is decrypted whole into memory when a searcher opens it (tantivy \
         reads small random slices), so its memory cost is about the index's size on disk: {} MB \
         here.",
        sealed.index_mb
    );
    print!("{report}");
    if let Some(out) = &a.out {
        let mut existing = std::fs::read_to_string(out).unwrap_or_default();
        existing.push_str(&report);
        std::fs::write(out, existing).unwrap();
    }
}
