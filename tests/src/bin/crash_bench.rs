//! The long crash harness: `skladnica-crash-bench [TRIALS] [OPERATION…]` kills the `skladnica`
//! command at random moments TRIALS times (default 100) in each operation of
//! `skladnica_tests::crash` — a large file's import, OCR, an export, a restore, an in-place
//! encryption (or only those named: import, ocr, export, restore, encrypt) —, checks the library
//! after each kill, and appends the trials, kills and failures to BENCHMARKS.md. Exit 1 if any
//! trial failed.
//! Build the binary first (`cargo build -p skladnica-cli`); `SKLADNICA_BIN` names another.

use std::io::Write;
use std::path::PathBuf;

use skladnica_tests::Rng;
use skladnica_tests::crash::Harness;

/// The operations, by the names the command line takes.
const OPERATIONS: &[&str] = &["import", "ocr", "export", "restore", "encrypt"];

fn main() {
    let mut args = std::env::args().skip(1);
    let trials: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let chosen: Vec<String> = args.collect();
    if let Some(bad) = chosen.iter().find(|c| !OPERATIONS.contains(&c.as_str())) {
        eprintln!("crash bench: no operation {bad}; choose from {OPERATIONS:?}");
        std::process::exit(2);
    }
    let runs = |op: &str| chosen.is_empty() || chosen.iter().any(|c| c == op);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = std::env::var("SKLADNICA_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let target = std::env::var("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|_| root.join("target"));
            target.join("debug/skladnica")
        });
    let work = tempfile::tempdir().unwrap();
    let h = Harness {
        bin,
        work: work.path().to_path_buf(),
    };
    eprintln!("crash bench: {trials} trials an operation");
    let mut rng = Rng::replayable("crash bench");
    let seed = rng.0;
    let mut outcomes = Vec::new();
    if runs("import") {
        outcomes.push(h.import_large(trials, &mut rng));
    }
    if runs("ocr") {
        let scans: Vec<PathBuf> =
            std::fs::read_dir(skladnica_tests::corpus().join("ocr_scans/tesseract-polish-2008"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tif"))
                .take(3)
                .collect();
        outcomes.push(h.ocr(&scans, trials, &mut rng));
    }
    if runs("export") || runs("restore") || runs("encrypt") {
        let lib = h.library_of("lib-docs", 200).expect("a library to export");
        if runs("export") {
            outcomes.push(h.export(&lib, trials, &mut rng));
        }
        if runs("restore") {
            outcomes.push(h.restore(&lib, trials, &mut rng));
        }
        if runs("encrypt") {
            outcomes.push(h.encrypt(&lib, trials, &mut rng));
        }
    }
    for o in &outcomes {
        eprintln!("{o:?}");
    }
    let ops: String = chosen.iter().map(|c| format!(" {c}")).collect();

    let mut text = format!(
        "\n## Crash harness — {} ({})\n\n`cargo build -p skladnica-cli && cargo run -p \
         skladnica-tests --bin skladnica-crash-bench {trials}{ops}`: the command killed with SIGKILL \
         at a random moment in each trial, then `check` (blob hashes, SQLite integrity, index \
         against database, audit chain), what was reported done, what the carrier shows and a \
         resumed run checked. Seed {seed}.\n\n| operation | trials | killed mid-way | failures |\n\
         | --- | --- | --- | --- |\n",
        skladnica_core::db::now().get(..10).unwrap_or_default(),
        skladnica_tests::machine()
    );
    let mut failed = 0;
    for o in &outcomes {
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            o.op,
            o.trials,
            o.killed,
            o.failures.len()
        ));
        failed += o.failures.len();
        for f in o.failures.iter().take(20) {
            eprintln!("FAILED {}: {f}", o.op);
        }
    }
    print!("{text}");
    std::fs::OpenOptions::new()
        .append(true)
        .open(root.join("BENCHMARKS.md"))
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .expect("BENCHMARKS.md");
    std::process::exit(i32::from(failed > 0));
}
