//! The EZD benchmark and soak test (`scripts/bench-ezd.sh`):
//!
//! - **Soak**: N randomised fault schedules (default 1,000). Each queues a batch of new letters
//!   (1–4), injects a random schedule of faults into the simulator (dropped connections before
//!   and after the write, 5xx before and after, 429, expired tokens, answers that never come,
//!   slow answers) into every operation a letter goes through (upload, registration, the
//!   sender's look-up and addition, the RPW metadata, the case opened or joined), runs the outbox
//!   until the batch is delivered, and checks that the simulator holds every scan exactly once,
//!   registered once, under the number the outbox shows, with its metadata naming its sender;
//!   every sender in the contact base once; every local case opened once on the EZD, with its
//!   letters in it. Lost and duplicated documents (and senders, and cases) are counted (the
//!   target is 0 of each).
//! - **Throughput**: a batch of 200 letters of several pages (the corpus's administrative
//!   texts, tens of kB each) sent on loopback without faults, against the raw
//!   upload of the same files through the client (`POST /obiegi` alone): the client's and the
//!   outbox's overhead.
//!
//! Usage: `skladnica-ezd-bench [--schedules N] [--batch N] [--out FILE]`. Runs in-process on the
//! core library; the simulator checks every request against the official contract.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use skladnica_core::Library;
use skladnica_core::records::cases::NewCaseRequest;
use skladnica_core::records::rpw::{IncomingForm, RegisterRequest};
use skladnica_core::sync::EzdSettings;
use skladnica_ezd_sim::{Fault, SimConfig, Simulator, official_contract};
use skladnica_tests::{Rng, admin_texts, machine, paginate, pdf, pdf_from_text};

struct Args {
    schedules: usize,
    batch: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        schedules: 1000,
        batch: 200,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--schedules" => a.schedules = v.parse().expect("--schedules N"),
            "--batch" => a.batch = v.parse().expect("--batch N"),
            "--out" => a.out = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// A library set up to send to `sim`, in `dir`.
fn library(dir: &Path, sim: &Simulator) -> Library {
    let mut lib = Library::init(&dir.join("library")).expect("a library");
    let c = sim.config();
    lib.configure_ezd(
        &EzdSettings {
            api_url: sim.url(),
            sso_url: sim.url(),
            pid: c.pid.clone(),
            aki: c.aki.clone(),
            sid: c.sid.clone(),
            ca_file: None,
            timeout_seconds: 1,
        },
        &c.api_key,
    )
    .expect("the connection is set up");
    lib
}

/// The senders letters come from: institutions (some with a NIP) and people (some with a PESEL).
const SENDERS: [(&str, &str, Option<&str>); 5] = [
    ("Stowarzyszenie Przyjaciół Iwanowic", "", Some("1234563218")),
    ("Starostwo Powiatowe w Krakowie", "", None),
    ("", "Nowak Jan", None),
    ("", "Kowalska Anna Maria", Some("02070803628")),
    ("Gminna Spółdzielnia", "", None),
];

/// Imports `n` new letters and registers each with its scan (which queues it), letter `i` from
/// sender `i % 5`, every third in `case` when given; returns their local numbers. Letters are
/// a line each, or with `long` one of the corpus's administrative texts of several pages.
fn letters(
    lib: &mut Library,
    dir: &Path,
    first: usize,
    n: usize,
    long: bool,
    case: Option<&str>,
) -> Vec<String> {
    let input = dir.join(format!("wejscie-{first}"));
    std::fs::create_dir_all(&input).unwrap();
    let texts = if long { admin_texts() } else { Vec::new() };
    for i in first..first + n {
        let head = format!("Iwanowice, 5 marca 2026 r. Wniosek nr {i} o wydanie zaświadczenia.");
        let pdf = if long {
            let body = format!("{head}\n\n{}", texts[i % texts.len()].1);
            pdf(&paginate(&body), Some(&format!("wniosek {i}")), None)
        } else {
            pdf_from_text(&head, Some(&format!("wniosek {i}")), None)
        };
        std::fs::write(input.join(format!("{i:06}.pdf")), pdf).unwrap();
    }
    let report = lib
        .import(
            std::slice::from_ref(&input),
            &Default::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .expect("imported");
    assert_eq!(report.imported.len(), n, "{:?}", report.failed);
    let mut numbers = Vec::new();
    for (k, d) in report.imported.iter().enumerate() {
        let i = first + k;
        let (institution, person, id) = SENDERS[i % SENDERS.len()];
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let (surname, first_names) = match person.split_once(' ') {
            Some((s, f)) => (some(s), some(f)),
            None => (None, None),
        };
        let form = IncomingForm {
            institution: some(institution),
            surname,
            first_names,
            sender_id: id.map(str::to_string),
            town: Some("Iwanowice".into()),
            received_on: Some("2026-03-05".into()),
            undated: true,
            title: Some(format!("Wniosek {}", d.id)),
            delivery: Some(["poczta", "osobiście", "e-mail", "ePUAP"][i % 4].into()),
            kind: Some(["wniosek", "skarga", "pismo"][i % 3].into()),
            ..Default::default()
        };
        let item = form.item().expect("a valid form");
        let done = lib
            .register_incoming(&RegisterRequest {
                item,
                document: Some(d.id),
                case: case.filter(|_| i.is_multiple_of(3)).map(str::to_string),
            })
            .expect("registered");
        assert!(done.queued_for_ezd);
        numbers.push(done.record.number.to_string());
    }
    numbers
}

fn random_fault(rng: &mut Rng) -> Fault {
    match rng.below(16) {
        0..=2 => Fault::DropBeforeCommit,
        3..=5 => Fault::DropAfterCommit,
        6..=7 => Fault::StatusAfterCommit(500),
        8 => Fault::StatusAfterCommit(502),
        9..=10 => Fault::Status(503),
        11 => Fault::Status(429),
        12 => Fault::ExpiredToken,
        13 => Fault::Hang(Duration::from_millis(1200)),
        _ => Fault::Slow(Duration::from_millis(20)),
    }
}

/// Lost and duplicated letters of `numbers` in the simulator, checked against the outbox (a
/// letter whose metadata does not name its sender, or whose case is not the one its local case
/// was opened as, counts as lost).
fn audit(lib: &Library, sim: &Simulator, numbers: &[String]) -> (usize, usize, usize) {
    let items: HashMap<String, _> = lib
        .ezd_outbox()
        .unwrap()
        .into_iter()
        .map(|i| (i.local_number.clone(), i))
        .collect();
    let st = sim.state();
    let (mut lost, mut duplicated, mut undelivered) = (0, 0, 0);
    for n in numbers {
        let item = &items[n];
        if item.state != "delivered" {
            undelivered += 1;
        }
        let flows: Vec<_> = st
            .flows
            .iter()
            .filter(|f| f.title == item.upload_name)
            .collect();
        match flows.len() {
            0 => lost += 1,
            1 => {
                let doc = &st.documents[flows[0].documents[0]];
                let same_scan = st.documents_with(&doc.sha256).len();
                let registered = doc.rpw.as_ref().map(|(number, _)| number.clone());
                if same_scan > 1 {
                    duplicated += 1;
                }
                let meta = registered.as_ref().and_then(|n| st.rpw_meta.get(n));
                let named = meta.is_some_and(|m| {
                    m.senders.len() == 1
                        && Some(&m.senders[0].0) == item.sender_address.as_ref()
                        && !m.delivery.is_empty()
                });
                let in_case = item.case_id.as_ref().is_none_or(|c| {
                    st.cases
                        .iter()
                        .any(|k| &k.id == c && k.flows.contains(&flows[0].id))
                });
                if registered.is_none() || registered != item.rpw_number || !named || !in_case {
                    lost += 1;
                }
            }
            _ => duplicated += 1,
        }
    }
    (lost, duplicated, undelivered)
}

fn main() {
    // The key file goes into a folder of this run's, never the user's: the program runs itself
    // again with SKLADNICA_CONFIG_DIR set (changing a running program's environment is unsafe).
    if std::env::var_os("SKLADNICA_CONFIG_DIR").is_none() {
        let config = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(std::env::args().skip(1))
            .env("SKLADNICA_CONFIG_DIR", config.path())
            .status()
            .unwrap();
        drop(config);
        std::process::exit(status.code().unwrap_or(1));
    }
    let a = args();
    let work = tempfile::tempdir().unwrap();

    // Soak.
    let sim = Simulator::start(&official_contract(), SimConfig::default()).unwrap();
    let mut lib = library(work.path(), &sim);
    let mut rng = Rng(0x5eed_2026_1123);
    let operations = [
        "V2PostObiegiCommand",
        "V2GetObiegiQuery",
        "V2GetDokumentyObieguQuery",
        "V2PostDokumentPismoCommand",
        "V2PostWyszukajAdresataQuery",
        "V2PostDodajAdresataQuery",
        "V2GetPobierzAdresataQuery",
        "V2GetRejestrPrzesylekWplywajacychMetadaneQuery",
        "V2PutRejestrPrzesylekWplywajacychMetadaneCommand",
        "V2GetObiegQuery",
        "V2PostObiegiSprawyCommand",
        "V2PostObiegiSprawyDowiazCommand",
        "V2PostSprawyWyszukajQuery",
        "token",
    ];
    lib.add_unit("OR", "Referat Organizacyjny", 2020, None)
        .expect("a unit");
    let (mut lost, mut duplicated, mut undelivered, mut faults, mut runs, mut letters_sent) =
        (0, 0, 0, 0, 0, 0);
    let started = Instant::now();
    let mut next_letter = 0;
    let mut case: Option<String> = None;
    for schedule in 0..a.schedules {
        let n = 1 + rng.below(4) as usize;
        // A new local case every ten schedules: its first letter opens it on the EZD, the
        // others join it.
        if schedule % 10 == 0 {
            case = Some(
                lib.open_case(&NewCaseRequest {
                    unit: "OR".into(),
                    jrwa_symbol: "0012".into(),
                    title: format!("Posiedzenia komisji rewizyjnej {schedule}"),
                    opened_on: Some("2026-03-02".parse().unwrap()),
                    number: None,
                    handler: None,
                })
                .expect("a case")
                .sign,
            );
        }
        let numbers = letters(
            &mut lib,
            work.path(),
            next_letter,
            n,
            false,
            case.as_deref(),
        );
        next_letter += n;
        letters_sent += n;
        sim.clear_faults();
        for _ in 0..1 + rng.below(6) {
            let op = operations[rng.below(operations.len() as u64) as usize];
            sim.inject(Some(op), random_fault(&mut rng));
        }
        let mut tries = 0;
        loop {
            runs += 1;
            tries += 1;
            let _ = lib.send_to_ezd(&mut |_| {});
            let waiting = lib
                .ezd_outbox()
                .unwrap()
                .iter()
                .any(|i| i.state != "delivered");
            if !waiting || tries > 40 {
                break;
            }
            // The back-off is the app's to wait out; here every item is due again at once.
            lib.conn()
                .execute("UPDATE ezd_outbox SET next_attempt_at = 0", [])
                .unwrap();
        }
        faults = sim.state().faults_met;
        let (l, d, u) = audit(&lib, &sim, &numbers);
        lost += l;
        duplicated += d;
        undelivered += u;
        if (schedule + 1) % 100 == 0 {
            eprintln!(
                "{} schedules, {letters_sent} letters, {faults} faults met: {lost} lost, {duplicated} duplicated",
                schedule + 1
            );
        }
    }
    let soak_time = started.elapsed();
    let violations = sim.violations().len();
    // Each sender in the EZD's contact base once; each local case opened there once.
    let (contacts, extra_contacts, ezd_cases, extra_cases) = {
        let st = sim.state();
        let mut names: Vec<String> = st
            .contacts
            .iter()
            .map(|c| format!("{}|{}|{}", c.name, c.first_name, c.surname))
            .collect();
        names.sort();
        let all = names.len();
        names.dedup();
        let local_cases = a.schedules.div_ceil(10);
        (
            all,
            all - names.len(),
            st.cases.len(),
            st.cases.len().saturating_sub(local_cases),
        )
    };
    drop(lib);
    drop(sim);

    // Throughput: a batch on loopback, no faults, against the raw upload of the same files.
    let dir = work.path().join("przepustowosc");
    std::fs::create_dir_all(&dir).unwrap();
    let sim = Simulator::start(&official_contract(), SimConfig::default()).unwrap();
    let mut lib = library(&dir, &sim);
    letters(&mut lib, &dir, 0, a.batch, true, None);
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("wejscie-0"))
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let t = Instant::now();
    let report = lib.send_to_ezd(&mut |_| {}).unwrap();
    let sync_time = t.elapsed();
    assert_eq!(report.delivered, a.batch, "{report:?}");
    let c = sim.config();
    let mut client = skladnica_ezd::Client::new(skladnica_ezd::Config {
        api_url: sim.url(),
        sso_url: sim.url(),
        pid: c.pid.clone(),
        aki: c.aki.clone(),
        sid: c.sid.clone(),
        api_key: c.api_key.clone(),
        ca_file: None,
        timeout: Duration::from_secs(10),
    })
    .unwrap();
    client.find_flows("rozgrzewka").unwrap();
    let t = Instant::now();
    for (name, data) in &files {
        client.upload_flow(&format!("surowy-{name}"), data).unwrap();
    }
    let raw_time = t.elapsed();
    let violations = violations + sim.violations().len();

    let mut r = String::new();
    let _ = writeln!(r, "\n## EZD sending — {} ({})\n", today(), machine());
    let _ = writeln!(
        r,
        "`scripts/bench-ezd.sh` (`tests/src/bin/ezd_bench.rs`): the core's outbox against \
         `skladnica-ezd-sim` on loopback, every request checked against `ezdrp-v2.json` \
         ({violations} outside the contract).\n"
    );
    let _ = writeln!(
        r,
        "Soak: {} randomised fault schedules over batches of 1–4 letters ({letters_sent} \
         letters), 1–6 faults each (dropped before or after the write, 500/502 after it, \
         503, 429, an expired token, an answer hanging past the 1 s timeout, slow), {faults} \
         faults met in {runs} runs of the outbox, {:.0} s.\n",
        a.schedules,
        soak_time.as_secs_f64()
    );
    let _ = writeln!(r, "| figure | value |\n| --- | --- |");
    let _ = writeln!(r, "| letters lost | {lost} |");
    let _ = writeln!(r, "| letters duplicated | {duplicated} |");
    let _ = writeln!(r, "| letters not delivered after 40 runs | {undelivered} |");
    let _ = writeln!(
        r,
        "| senders added to the EZD's contact base twice | {extra_contacts} (of {contacts}) |"
    );
    let _ = writeln!(
        r,
        "| cases opened on the EZD twice | {extra_cases} (of {ezd_cases}) |"
    );
    let _ = writeln!(
        r,
        "| batch of {} letters ({:.1} kB each): upload, document id, RPW registration, sender, RPW metadata, each step recorded | {:.2} s ({:.0} letters/s) |",
        a.batch,
        bytes as f64 / a.batch as f64 / 1000.0,
        sync_time.as_secs_f64(),
        a.batch as f64 / sync_time.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| raw upload of the same files (`POST /obiegi` alone, one client) | {:.2} s |",
        raw_time.as_secs_f64()
    );
    let _ = writeln!(
        r,
        "| the outbox over the raw upload | {:.1}× (six calls a letter instead of one: upload, document list, registration, contact search, metadata read, metadata write (the sender kinds once a run); and the writes) |",
        sync_time.as_secs_f64() / raw_time.as_secs_f64()
    );
    print!("{r}");
    if let Some(out) = a.out {
        let mut text = std::fs::read_to_string(&out).unwrap_or_default();
        text.push_str(&r);
        std::fs::write(out, text).unwrap();
    }
    if lost + duplicated + undelivered + violations + extra_contacts + extra_cases > 0 {
        std::process::exit(1);
    }
}

fn today() -> String {
    let out = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
