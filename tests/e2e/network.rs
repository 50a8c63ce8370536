//! The program makes no network connection of its own: every `connect` it and its children
//! (Tesseract, qpdf, …) make while importing a born-digital letter and a scan, recognising it,
//! searching, backing up, scanning from SANE's test device and sending to the EZD is
//! traced (`strace -f -e trace=connect`); the only Internet-family address reached is the
//! configured EZD's (the simulator on 127.0.0.1).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use skladnica_ezd_sim::{SimConfig, Simulator, official_contract};

use crate::harness::Lib;

/// Runs `args` under strace, feeding `stdin`; returns the traced `connect` lines.
fn traced(lib: &Lib, log: &Path, args: &[&str], stdin: &str) -> Vec<String> {
    let plain = lib.command();
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-e", "trace=connect", "-o"])
        .arg(log)
        .arg(plain.get_program())
        .args(plain.get_args())
        .args(args);
    for (k, v) in plain.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace runs (scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .filter(|l| l.contains("connect("))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_program_connects_to_nothing_but_the_configured_ezd() {
    let sim = Simulator::start(&official_contract(), SimConfig::default()).unwrap();
    let port = sim.url().rsplit(':').next().unwrap().to_string();
    let lib = Lib::new();
    let log = lib.dir.path().join("connect.log");
    let pdf = skladnica_tests::pdf_from_text(
        "Iwanowice, 3 marca 2026 r. Wniosek o wydanie zaświadczenia.",
        Some("wniosek"),
        None,
    );
    let letter = lib.file("wniosek.pdf", &pdf);
    let scan = skladnica_tests::corpus().join(
        "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif",
    );
    let c = sim.config();
    let url = sim.url();
    let out = tempfile::tempdir().unwrap();
    let to = out.path().to_str().unwrap();
    let runs: Vec<(Vec<&str>, String)> = vec![
        (
            vec![
                "import",
                "--json",
                letter.to_str().unwrap(),
                scan.to_str().unwrap(),
            ],
            String::new(),
        ),
        (vec!["search", "--json", "wniosek"], String::new()),
        (
            vec!["scan", "--json", "--device", "test:0", "--no-wait"],
            String::new(),
        ),
        (
            vec![
                "sync",
                "config",
                "--api-url",
                &url,
                "--sso-url",
                &url,
                "--pid",
                &c.pid,
                "--aki",
                &c.aki,
                "--sid",
                &c.sid,
            ],
            format!("{}\n", c.api_key),
        ),
        (
            vec![
                "rpw",
                "register",
                "--json",
                "--sender",
                "Starostwo Powiatowe",
                "--town",
                "Kraków",
                "--undated",
                "--title",
                "Wniosek",
                "--document",
                "1",
            ],
            String::new(),
        ),
        (vec!["sync", "run", "--once"], String::new()),
        (
            vec!["export", "--json", "--backup", "--to", to],
            String::new(),
        ),
    ];
    let mut reached = Vec::new();
    for (args, stdin) in &runs {
        for line in traced(&lib, &log, args, stdin) {
            if line.contains("AF_INET") {
                let allowed =
                    line.contains("127.0.0.1") && line.contains(&format!("htons({port})"));
                assert!(allowed, "{args:?} connected elsewhere: {line}");
                reached.push(args[0..2].join(" "));
            }
        }
    }
    // The trace does see connections: the EZD's were traced.
    assert!(reached.iter().any(|r| r == "sync run"), "{reached:?}");
    assert_eq!(sim.state().documents.len(), 1);
}
