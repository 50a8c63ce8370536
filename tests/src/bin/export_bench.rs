//! The export benchmark: writing a paczka archiwalna (`skladnica export --all`) side by side
//! with `cp -r` of the same files to the same disk followed by `sync`, and verifying it
//! (`skladnica verify`) side by side with `sha256sum -c` of its manifest. The library holds
//! born-digital letters of several pages each, from the corpus's administrative texts.
//!
//! Usage: `skladnica-export-bench [--docs N] [--bin PATH] [--work DIR] [--out FILE]`
//! (`scripts/bench-export.sh`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use skladnica_tests::{admin_texts, machine, paginate, pdf, run_measured};

struct Args {
    docs: usize,
    bin: PathBuf,
    work: PathBuf,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        docs: 2000,
        bin: PathBuf::from("target/release/skladnica"),
        work: std::env::temp_dir().join("skladnica-export-bench"),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = v.parse().expect("--docs N"),
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
    let _ = std::fs::remove_dir_all(&a.work);
    let input = a.work.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let lib = a.work.join("library");
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
    let skladnica = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("--library").arg(&lib).args(args);
        c
    };
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

    let out1 = a.work.join("nosnik-1");
    let out2 = a.work.join("nosnik-2");
    std::fs::create_dir_all(&out1).unwrap();
    std::fs::create_dir_all(&out2).unwrap();
    let sync = || assert!(Command::new("sync").status().unwrap().success());
    sync();
    let export = run(
        &mut skladnica(&["export", "--all", "--to", out1.to_str().unwrap()]),
        "export",
    );
    let package = std::fs::read_dir(&out1)
        .unwrap()
        .flatten()
        .next()
        .expect("a package")
        .path();
    let (bytes, files) = size_of(&package);
    sync();
    let copy = run(
        Command::new("sh").arg("-c").arg(format!(
            "cp -r '{}' '{}' && sync",
            package.display(),
            out2.join("kopia").display()
        )),
        "cp -r + sync",
    );
    let verify = run(
        &mut skladnica(&["verify", package.to_str().unwrap()]),
        "verify",
    );
    let sha = run(
        Command::new("sh").arg("-c").arg(format!(
            "cd '{}' && sha256sum --check --quiet sumy-kontrolne.sha256",
            package.display()
        )),
        "sha256sum -c",
    );

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
         `sha256sum -c` of its manifest. Warm page cache.\n",
        a.docs
    );
    let _ = writeln!(
        r,
        "| figure | time | throughput | ratio |\n| --- | --- | --- | --- |"
    );
    let _ = writeln!(
        r,
        "| export (written on up to 4 threads, each file read back, one `syncfs`, rename) | {:.2} s | {:.1} MB/s | {:.0} % of cp |",
        export.as_secs_f64(),
        rate(export),
        100.0 * copy.as_secs_f64() / export.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| `cp -r` + `sync` | {:.2} s | {:.1} MB/s | |",
        copy.as_secs_f64(),
        rate(copy)
    );
    let _ = writeln!(
        r,
        "| verify (checksums, presence, metadata pairs) | {:.2} s | {:.1} MB/s | {:.0} % of sha256sum |",
        verify.as_secs_f64(),
        rate(verify),
        100.0 * sha.as_secs_f64() / verify.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| `sha256sum -c` | {:.2} s | {:.1} MB/s | |",
        sha.as_secs_f64(),
        rate(sha)
    );
    print!("{r}");
    if let Some(out) = a.out {
        let mut text = std::fs::read_to_string(&out).unwrap_or_default();
        text.push_str(&r);
        std::fs::write(out, text).unwrap();
    }
}

fn today() -> String {
    let out = Command::new("date").arg("+%Y-%m-%d").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
