//! Crash safety: an import killed (SIGKILL) at random moments. After each kill the library
//! reopens, `check` is clean (blobs, SQLite, the index, the audit log's hash chain), and every
//! document the killed import reported as imported is there and searchable.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use skladnica_tests::pdf_from_text;

use crate::harness::Lib;

// The xorshift generator is seeded from the clock (printed, so a failure can be replayed).
use skladnica_tests::Rng;

const ROUNDS: usize = 6;
const PER_ROUND: usize = 300;

fn write_round(lib: &Lib, round: usize) -> std::path::PathBuf {
    let words = [
        "umowa",
        "decyzja",
        "wniosek",
        "zarządzenie",
        "uchwała",
        "protokół",
    ];
    let dir = lib.input().join(format!("stos{round}"));
    for i in 0..PER_ROUND {
        let body = format!(
            "Dokument {round}-{i}. {} w sprawie działki {i}/{round}. {}",
            words[i % words.len()],
            "Treść pisma dotyczy spraw gminy i jej mieszkańców. ".repeat(60)
        );
        lib.file(
            &format!("stos{round}/{i:04}.pdf"),
            &pdf_from_text(&body, None, None),
        );
    }
    dir
}

#[test]
fn killing_an_import_leaves_a_clean_library() {
    let lib = Lib::new();
    let mut rng = Rng::replayable("crash test");
    let mut reported: Vec<i64> = Vec::new();
    let mut interrupted = 0;
    let mut dirs = Vec::new();
    // Time one whole import on this machine, so that kills land inside one.
    let warmup = write_round(&lib, 99);
    let started = Instant::now();
    let report = lib.import(&[&warmup], 0);
    let full = started.elapsed();
    dirs.push(warmup);
    eprintln!("a whole import of {PER_ROUND} files takes {full:?}");
    for item in report["imported"].as_array().unwrap() {
        reported.push(item["id"].as_i64().unwrap());
    }
    for round in 0..ROUNDS {
        // Fresh files each round, so that every kill lands in the middle of real work.
        let dir = write_round(&lib, round);
        dirs.push(dir.clone());
        let mut child = lib
            .command()
            .arg("import")
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut ids = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("imported ") {
                    ids.push(rest.split(' ').next().unwrap().parse::<i64>().unwrap());
                }
            }
            ids
        });
        let delay =
            Duration::from_millis(5 + rng.next_u64() % (full.as_millis() as u64 * 4 / 5 + 1));
        let started = Instant::now();
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        let ids = reader.join().unwrap();
        eprintln!(
            "round {round}: killed after {delay:?}, {} of {PER_ROUND} reported imported{}",
            ids.len(),
            if finished { " (it had finished)" } else { "" }
        );
        if !finished {
            interrupted += 1;
        }
        reported.extend(ids);

        let check = lib.json(["check", "--json"], 0);
        assert_eq!(check["clean"], true, "round {round}: {check:#}");
        for id in &reported {
            let out = lib.run(["show", "--json", &id.to_string()]);
            assert!(out.status.success(), "round {round}: document {id} is gone");
        }
    }
    assert!(
        interrupted >= ROUNDS / 2,
        "only {interrupted} rounds were killed while the import ran"
    );
    // Finish the imports; everything is there exactly once.
    let refs: Vec<&std::path::Path> = dirs.iter().map(|d| d.as_path()).collect();
    let report = lib.import(&refs, 0);
    let total = report["imported"].as_array().unwrap().len()
        + report["duplicates"].as_array().unwrap().len();
    assert_eq!(total, (ROUNDS + 1) * PER_ROUND);
    assert_eq!(
        lib.json(["list", "--json"], 0).as_array().unwrap().len(),
        (ROUNDS + 1) * PER_ROUND
    );
    assert_eq!(lib.search("umowa")["total"], (ROUNDS + 1) * PER_ROUND / 6);
    lib.assert_clean();
}
