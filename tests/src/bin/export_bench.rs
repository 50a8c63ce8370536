//! The export benchmark: writing a paczka archiwalna (`skladnica export --all`) side by side
//! with `cp -r` of the same files to the same disk followed by `sync`, and verifying it
//! (`skladnica verify`) side by side with `sha256sum -c` of its manifest. The library holds
//! born-digital letters of several pages each, from the corpus's administrative texts.
//!
//! The disk under test is shared with other machines' work (a virtual disk), so each figure is
//! taken in several rounds, the export and the copy alternating, and the median is reported with
//! the range.
//!
//! Usage: `skladnica-export-bench [--docs N] [--rounds N] [--reuse] [--bin PATH] [--work DIR]
//! [--out FILE]` (`scripts/bench-export.sh`); `--reuse` keeps a library of the same size made
//! by an earlier run instead of importing it again.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use skladnica_tests::{admin_texts, machine, paginate, pdf, run_measured};

struct Args {
    docs: usize,
    rounds: usize,
    reuse: bool,
    bin: PathBuf,
    work: PathBuf,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        docs: 2000,
        rounds: 5,
        reuse: false,
        bin: PathBuf::from("target/release/skladnica"),
        work: std::env::temp_dir().join("skladnica-export-bench"),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--reuse" {
            a.reuse = true;
            continue;
        }
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = v.parse().expect("--docs N"),
            "--rounds" => a.rounds = v.parse::<usize>().expect("--rounds N").max(1),
            "--bin" => a.bin = PathBuf::from(v),
            "--work" => a.work = PathBuf::from(v),
            "--out" => a.out = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn run(cmd: &mut Command, what: &str) -> Duration {
    let (took, _) = run_measured(cmd);
    eprintln!("{what}: {:.2} s", took.as_secs_f64());
    took
}

fn size_of(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            let (b, f) = size_of(&p);
            bytes += b;
            files += f;
        } else {
            bytes += e.metadata().unwrap().len();
            files += 1;
        }
    }
    (bytes, files)
}

fn main() {
    let a = args();
    let bin = std::fs::canonicalize(&a.bin).expect("the skladnica binary (build it in release)");
    let lib = a.work.join("library");
    let skladnica = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("--library").arg(&lib).args(args);
        c
    };
    let marker = a.work.join(format!("library-{}-letters", a.docs));
    if !(a.reuse && marker.exists()) {
        make_library(&a, &skladnica);
        std::fs::write(&marker, "").unwrap();
    }

    let sync = || assert!(Command::new("sync").status().unwrap().success());
    let (mut exports, mut copies, mut verifies, mut sums) = (vec![], vec![], vec![], vec![]);
    let (mut bytes, mut files) = (0, 0);
    // Each round writes into folders of its own, and nothing is deleted until the end: creating
    // files just after deleting thousands makes ext4 search its recently freed inodes, which
    // once took half of a round's time and is no part of writing to a carrier.
    let rounds = a.work.join("rounds");
    let _ = std::fs::remove_dir_all(&rounds);
    let mut earlier: Option<PathBuf> = None;
    for round in 0..a.rounds {
        let out1 = rounds.join(format!("{round}-eksport"));
        let out2 = rounds.join(format!("{round}-kopia"));
        std::fs::create_dir_all(&out1).unwrap();
        std::fs::create_dir_all(&out2).unwrap();
        sync();
        let export = || {
            let took = run(
                &mut skladnica(&["export", "--all", "--to", out1.to_str().unwrap()]),
                "export",
            );
            let package = std::fs::read_dir(&out1)
                .unwrap()
                .flatten()
                .next()
                .expect("a package")
                .path();
            (took, package)
        };
        let copy = |package: &Path| {
            run(
                Command::new("sh").arg("-c").arg(format!(
                    "cp -r '{}' '{}' && sync",
                    package.display(),
                    out2.join("kopia").display()
                )),
                "cp -r + sync",
            )
        };
        // The copy needs a package to copy: even rounds export first, odd ones copy the
        // previous round's package first.
        let package = match &earlier {
            Some(previous) if round % 2 == 1 => {
                copies.push(copy(previous));
                sync();
                let (took, package) = export();
                exports.push(took);
                package
            }
            _ => {
                let (took, package) = export();
                exports.push(took);
                sync();
                copies.push(copy(&package));
                package
            }
        };
        (bytes, files) = size_of(&package);
        verifies.push(run(
            &mut skladnica(&["verify", package.to_str().unwrap()]),
            "verify",
        ));
        sums.push(run(
            Command::new("sh").arg("-c").arg(format!(
                "cd '{}' && sha256sum --check --quiet sumy-kontrolne.sha256",
                package.display()
            )),
            "sha256sum -c",
        ));
        earlier = Some(package);
    }
    let _ = std::fs::remove_dir_all(&rounds);
    let export = median(&mut exports);
    let copy = median(&mut copies);
    let verify = median(&mut verifies);
    let sha = median(&mut sums);
    let span = |v: &[Duration]| {
        format!(
            "{:.2}–{:.2} s",
            v[0].as_secs_f64(),
            v[v.len() - 1].as_secs_f64()
        )
    };
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64();
    let mut r = String::new();
    let _ = writeln!(r, "\n## Export — {} ({})\n", today(), machine());
    let _ = writeln!(
        r,
        "`scripts/bench-export.sh` (`tests/src/bin/export_bench.rs`): a paczka archiwalna of {} \
         born-digital letters ({files} files, {mb:.1} MB with their metadata) written by \
         `skladnica export --all` to a folder on the same disk as the library, against `cp -r` \
         of the same package to the same disk and `sync`; then `skladnica verify` against \
         `sha256sum -c` of its manifest. Warm page cache. Median of {} rounds (the export and \
         the copy taking turns to go first), with the range.\n",
        a.docs, a.rounds
    );
    let _ = writeln!(
        r,
        "| figure | median | range | throughput | ratio |\n| --- | --- | --- | --- | --- |"
    );
    let _ = writeln!(
        r,
        "| export (written on up to 4 threads, each file read back, one `syncfs`, rename) | {:.2} s | {} | {:.1} MB/s | {:.0} % of cp |",
        export.as_secs_f64(),
        span(&exports),
        rate(export),
        100.0 * copy.as_secs_f64() / export.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| `cp -r` + `sync` | {:.2} s | {} | {:.1} MB/s | |",
        copy.as_secs_f64(),
        span(&copies),
        rate(copy)
    );
    let _ = writeln!(
        r,
        "| verify (checksums, presence, metadata pairs) | {:.2} s | {} | {:.1} MB/s | {:.0} % of sha256sum |",
        verify.as_secs_f64(),
        span(&verifies),
        rate(verify),
        100.0 * sha.as_secs_f64() / verify.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| `sha256sum -c` | {:.2} s | {} | {:.1} MB/s | |",
        sha.as_secs_f64(),
        span(&sums),
        rate(sha)
    );
    print!("{r}");
    if let Some(out) = a.out {
        let mut text = std::fs::read_to_string(&out).unwrap_or_default();
        text.push_str(&r);
        std::fs::write(out, text).unwrap();
    }
}

/// A library of `a.docs` born-digital letters of several pages each, and an office set up.
fn make_library(a: &Args, skladnica: &dyn Fn(&[&str]) -> Command) {
    let _ = std::fs::remove_dir_all(&a.work);
    let input = a.work.join("input");
    std::fs::create_dir_all(&input).unwrap();
    // Letters of several pages: the corpus's texts, several joined per document.
    let texts = admin_texts();
    for i in 0..a.docs {
        let mut body = String::new();
        for k in 0..6 {
            body.push_str(&texts[(i * 7 + k) % texts.len()].1);
            body.push_str("\n\n");
        }
        let title = format!("Pismo {i}");
        std::fs::write(
            input.join(format!("pismo-{i:05}.pdf")),
            pdf(&paginate(&body), Some(&title), None),
        )
        .unwrap();
    }
    run(
        skladnica(&["import", input.to_str().unwrap()]).arg("--no-wait"),
        "import",
    );
    assert!(
        skladnica(&[
            "office",
            "set",
            "--town",
            "Iwanowice",
            "Urząd",
            "Gminy",
            "Iwanowice"
        ])
        .status()
        .unwrap()
        .success()
    );
}

/// The middle of `v`, which is sorted on the way.
fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn today() -> String {
    let out = Command::new("date").arg("+%Y-%m-%d").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
