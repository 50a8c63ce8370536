//! Sending incoming letters to the EZD: the real `skladnica` binary against the EZD simulator,
//! which checks every request against the official contract. Letters registered offline reach
//! it once each with the EZD's numbers brought back; unknown outcomes are read back, not sent
//! again; refusals wait for the clerk; a run killed mid-call resumes; runs killed at random
//! moments and random faults lose and duplicate nothing.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use skladnica_ezd_sim::{Fault, SimConfig, Simulator, official_contract};

use crate::export::register_letter;
use crate::harness::{Lib, only_id};

fn simulator() -> Simulator {
    Simulator::start(&official_contract(), SimConfig::default()).expect("the simulator starts")
}

/// Sets up the connection to `url` with the simulator's credentials (the key on stdin).
fn configure(lib: &Lib, sim: &Simulator, url: &str, timeout: u64) {
    let c = sim.config();
    let mut child = lib
        .command()
        .args(["sync", "config", "--api-url", url, "--sso-url", url])
        .args(["--pid", &c.pid, "--aki", &c.aki, "--sid", &c.sid])
        .args(["--timeout", &timeout.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", c.api_key).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Opens a case of the organisational unit in class 0012; returns its sign.
fn committee_case(lib: &Lib) -> String {
    lib.add_unit("OR", "2020", "Referat Organizacyjny");
    lib.open_case("OR", "0012", "Posiedzenia komisji rewizyjnej", "2026-03-02")["sign"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Imports letter `i` and registers it with its scan in case `sign`; returns its number.
fn letter_in_case(lib: &Lib, i: usize, sign: &str) -> String {
    let pdf = skladnica_tests::pdf_from_text(
        &format!("Iwanowice, 2 marca 2026 r. Wniosek nr {i} komisji rewizyjnej."),
        Some(&format!("komisja {i}")),
        None,
    );
    let id = only_id(&lib.import(&[&lib.file(&format!("komisja-{i}.pdf"), &pdf)], 0));
    lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--surname",
            "Nowak",
            "--first-names",
            "Jan Maria",
            "--town",
            "Iwanowice",
            "--postal-code",
            "32-095",
            "--received",
            "2026-03-03",
            "--letter-date",
            "2026-03",
            "--title",
            &format!("Wniosek komisji nr {i}"),
            "--delivery",
            "osobiście",
            "--document",
            &id.to_string(),
            "--case",
            sign,
        ],
        0,
    )["number"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Imports a letter of its own and registers it with its scan; returns its local number.
fn letter(lib: &Lib, i: usize) -> String {
    let pdf = skladnica_tests::pdf_from_text(
        &format!(
            "Iwanowice, {} marca 2026 r. Wniosek nr {i} o wydanie zaświadczenia.",
            1 + i % 28
        ),
        Some(&format!("wniosek {i}")),
        None,
    );
    let id = only_id(&lib.import(&[&lib.file(&format!("wniosek-{i}.pdf"), &pdf)], 0));
    register_letter(
        lib,
        &format!("Wniosek nr {i} o wydanie zaświadczenia"),
        Some(id),
    )
}

fn status(lib: &Lib) -> Vec<Value> {
    lib.json(["sync", "status", "--json"], 0)
        .as_array()
        .unwrap()
        .clone()
}

fn run_once(lib: &Lib) -> std::process::Output {
    lib.run(["sync", "run", "--once"])
}

/// Every item delivered, each scan held once by the EZD and registered once there.
fn assert_all_delivered_once(lib: &Lib, sim: &Simulator, count: usize) {
    let items = status(lib);
    assert_eq!(items.len(), count);
    let st = sim.state();
    for item in &items {
        assert_eq!(item["state"], "delivered", "{item}");
        let name = item["upload_name"].as_str().unwrap();
        let flows: Vec<_> = st.flows.iter().filter(|f| f.title == name).collect();
        assert_eq!(flows.len(), 1, "{name}: {} flows", flows.len());
        let doc = &st.documents[flows[0].documents[0]];
        let (number, _) = doc.rpw.as_ref().expect("registered in the EZD");
        assert_eq!(item["rpw_number"], number.as_str(), "{item}");
        assert_eq!(
            st.documents_with(&doc.sha256).len(),
            1,
            "{name} uploaded twice"
        );
    }
    let registered = st.documents.iter().filter(|d| d.rpw.is_some()).count();
    assert_eq!(registered, count);
    // Each entry's metadata set, naming its sender; each sender in the contact base once.
    for item in &items {
        let number = item["rpw_number"].as_str().unwrap();
        let meta = st
            .rpw_meta
            .get(number)
            .unwrap_or_else(|| panic!("{number}: no metadata"));
        assert_eq!(meta.senders.len(), 1, "{number}: {meta:?}");
        assert_eq!(item["sender_address"], meta.senders[0].0.as_str(), "{item}");
        assert!(
            meta.remarks
                .as_deref()
                .unwrap_or_default()
                .contains(item["local_number"].as_str().unwrap()),
            "{meta:?}"
        );
    }
    let mut names: Vec<String> = st
        .contacts
        .iter()
        .map(|c| format!("{}{}{}", c.name, c.first_name, c.surname))
        .collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "a sender added twice: {names:?}");
    // Each case opened once, every letter of it in it.
    let mut signs: Vec<&str> = st.cases.iter().map(|c| c.sign.as_str()).collect();
    signs.sort();
    signs.dedup();
    assert_eq!(signs.len(), st.cases.len(), "a case opened twice");
    for item in items.iter().filter(|i| !i["case_id"].is_null()) {
        let case = st
            .cases
            .iter()
            .find(|c| item["case_id"] == c.id.as_str())
            .unwrap_or_else(|| panic!("{item}: no such case on the EZD"));
        assert_eq!(item["case_sign"], case.sign.as_str());
        assert!(
            case.flows
                .contains(&item["flow_id"].as_str().unwrap().to_string())
        );
    }
    assert!(st.violations.is_empty(), "{:?}", st.violations);
}

#[test]
fn letters_registered_offline_reach_the_ezd_once_with_its_numbers_brought_back() {
    let sim = simulator();
    let lib = Lib::new();
    // Registered before any connection was set up: not queued.
    let first = letter(&lib, 1);
    let second = letter(&lib, 2);
    let paper = register_letter(&lib, "Pismo bez skanu", None);
    let out = lib.run(["sync", "queue", &first]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sync config"));

    configure(&lib, &sim, &sim.url(), 10);
    // The key is kept outside the library.
    let key = &sim.config().api_key;
    for entry in crate::harness::files_under(&lib.root()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "{} holds the key",
            entry.display()
        );
    }
    let out = lib.run(["sync", "queue", &first, &second]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = lib.run(["sync", "queue", &paper]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&paper) && err.contains("no scan"), "{err}");
    // Registered with a connection set up: queued in the same transaction.
    let pdf =
        skladnica_tests::pdf_from_text("Iwanowice, 9 marca 2026 r. Skarga.", Some("skarga"), None);
    let id = only_id(&lib.import(&[&lib.file("skarga.pdf", &pdf)], 0));
    let third = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--sender",
            "Stowarzyszenie Przyjaciół Iwanowic",
            "--town",
            "Iwanowice",
            "--received",
            "2026-03-09",
            "--undated",
            "--title",
            "Skarga na hałas",
            "--delivery",
            "kurier",
            "--kind",
            "skarga",
            "--sender-id",
            "123-456-32-18",
            "--document",
            &id.to_string(),
        ],
        0,
    );
    assert_eq!(third["queued_for_ezd"], true, "{third}");
    // A sender's identifier is checked as it is registered.
    let wrong = lib.fails([
        "rpw",
        "register",
        "--sender",
        "Firma",
        "--town",
        "Iwanowice",
        "--undated",
        "--title",
        "Pismo",
        "--sender-id",
        "1234563219",
    ]);
    assert!(wrong.contains("not a valid PESEL, NIP or REGON"), "{wrong}");
    assert_eq!(status(&lib).len(), 3);
    assert!(status(&lib).iter().all(|i| i["state"] == "queued"));

    let out = run_once(&lib);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_all_delivered_once(&lib, &sim, 3);
    {
        // The third letter's metadata as the EZD's dictionaries say it; its sender added with
        // its NIP; the two letters of the same sender name one contact.
        let st = sim.state();
        let number = status(&lib)[2]["rpw_number"].as_str().unwrap().to_string();
        let meta = &st.rpw_meta[&number];
        let word = |list: &[(String, String)], id: &str| {
            list.iter()
                .find(|(i, _)| i == id)
                .map(|(_, w)| w.clone())
                .unwrap()
        };
        assert_eq!(word(&st.dictionaries.delivery, &meta.delivery), "Kurier");
        assert_eq!(word(&st.dictionaries.kind, &meta.kind), "Skarga");
        assert_eq!(word(&st.dictionaries.doc_type, &meta.doc_type), "Tekst");
        assert_eq!(word(&st.dictionaries.access, &meta.access), "Niepubliczny");
        assert_eq!(
            word(&st.dictionaries.sender_kinds, &meta.senders[0].1),
            "Instytucja"
        );
        assert_eq!(meta.received_on, "2026-03-09");
        assert_eq!(st.contacts.len(), 2, "{:?}", st.contacts);
        let firm = st
            .contacts
            .iter()
            .find(|c| c.name.starts_with("Stowarzyszenie"))
            .unwrap();
        assert_eq!(firm.ids.get("NIP").map(String::as_str), Some("1234563218"));
        // Undelivered or unknown values: the EZD's "other".
        let first_meta = &st.rpw_meta[status(&lib)[0]["rpw_number"].as_str().unwrap()];
        assert_eq!(
            word(&st.dictionaries.delivery, &first_meta.delivery),
            "Inny"
        );
    }
    let text = String::from_utf8_lossy(&lib.run(["sync", "status"]).stdout).into_owned();
    assert!(
        text.contains(&format!("{first}  delivered  EZD RPW/")),
        "{text}"
    );

    // Nothing more to send: a second run writes nothing.
    let writes = |sim: &Simulator| {
        sim.state()
            .requests
            .iter()
            .filter(|r| r.starts_with("POST"))
            .count()
    };
    let before = writes(&sim);
    assert!(run_once(&lib).status.success());
    assert_eq!(writes(&sim), before);
}

/// Letter `i` meets `fault` on `operation`: it stops, refused with words containing `why`
/// (marked for a read-back when `check_first`); queued again it is delivered, once. `i` letters
/// are then in the EZD.
fn refused_then_sent_again(
    lib: &Lib,
    sim: &Simulator,
    i: usize,
    operation: &str,
    fault: Fault,
    why: &str,
    check_first: bool,
) {
    let number = letter(lib, i);
    sim.inject(Some(operation), fault);
    assert_eq!(run_once(lib).status.code(), Some(1));
    let item = status(lib)
        .into_iter()
        .find(|it| it["local_number"] == number.as_str())
        .unwrap();
    assert_eq!(item["state"], "rejected", "{item}");
    assert!(item["error"].as_str().unwrap().contains(why), "{item}");
    assert_eq!(item["check_first"], check_first, "{item}");
    assert!(lib.run(["sync", "queue", &number]).status.success());
    assert!(run_once(lib).status.success());
    assert_all_delivered_once(lib, sim, i);
}

#[test]
fn an_unknown_outcome_is_read_back_and_a_refusal_waits_for_the_clerk() {
    let sim = simulator();
    let lib = Lib::new();
    configure(&lib, &sim, &sim.url(), 10);
    let first = letter(&lib, 1);
    // The upload is carried out but its answer lost; the registration fails after writing.
    sim.inject(Some("V2PostObiegiCommand"), Fault::DropAfterCommit);
    sim.inject(
        Some("V2PostDokumentPismoCommand"),
        Fault::StatusAfterCommit(500),
    );
    let out = run_once(&lib);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_all_delivered_once(&lib, &sim, 1);
    assert!(
        sim.state()
            .requests
            .iter()
            .any(|r| r.starts_with("GET /ezdrp/integrator/v2/obiegi?")
                || r.starts_with("GET /ezdrp/integrator/v2/obiegi →")),
        "the flow was looked for: {:?}",
        sim.state().requests
    );

    // A refusal: the item stops with the EZD's reason until queued again.
    refused_then_sent_again(
        &lib,
        &sim,
        2,
        "V2PostObiegiCommand",
        Fault::Status(400),
        "refused it (400)",
        false,
    );
    let _ = first;
    // An answer outside the contract after the registration was made: not delivered; queued
    // again, the EZD is read back and nothing is sent twice.
    refused_then_sent_again(
        &lib,
        &sim,
        3,
        "V2PostDokumentPismoCommand",
        Fault::OutsideContract,
        "not what the contract says",
        true,
    );
    // A redirect to another host is never followed.
    refused_then_sent_again(
        &lib,
        &sim,
        4,
        "V2PostObiegiCommand",
        Fault::Redirect,
        "203.0.113.9",
        true,
    );

    // An EZD that cannot be reached: the run stops, the item waits with its reason.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = Lib::new();
    configure(&offline, &sim, &format!("http://127.0.0.1:{port}"), 5);
    let fifth = letter(&offline, 5);
    let out = run_once(&offline);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be reached"));
    let item = &status(&offline)[0];
    assert_eq!(item["local_number"], fifth.as_str());
    assert_eq!(item["state"], "queued");
    assert!(item["next_attempt_at"].as_i64().unwrap() > 0, "{item}");
}

#[test]
fn a_run_killed_while_the_ezd_is_writing_resumes_without_sending_twice() {
    let sim = simulator();
    let lib = Lib::new();
    configure(&lib, &sim, &sim.url(), 30);
    letter(&lib, 1);
    // The upload is taken and then the answer hangs; the program is killed meanwhile.
    sim.inject(
        Some("V2PostObiegiCommand"),
        Fault::Hang(Duration::from_secs(3)),
    );
    let mut child = lib
        .command()
        .args(["sync", "run", "--once"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while sim.state().flows.is_empty() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sim.state().flows.len(), 1, "the upload reached the EZD");
    child.kill().unwrap();
    child.wait().unwrap();
    let item = &status(&lib)[0];
    assert_eq!(item["check_first"], true, "{item}");
    let out = run_once(&lib);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_all_delivered_once(&lib, &sim, 1);
}

/// The crash harness for sending (`tests/src/crash.rs` has the others): runs killed at random
/// moments, the library checked after each, then one run delivers everything, once each.
#[test]
fn sync_runs_killed_at_random_moments_lose_and_duplicate_nothing() {
    let sim = simulator();
    let lib = Lib::new();
    configure(&lib, &sim, &sim.url(), 30);
    let letters = 10;
    for i in 1..=letters {
        letter(&lib, i);
    }
    let mut rng = skladnica_tests::Rng::replayable("sync crash");
    let mut killed = 0;
    for trial in 0..8 {
        let delay = Duration::from_millis(5 + rng.below(120));
        let mut c = lib.command();
        c.args(["sync", "run", "--once"]);
        let (was_killed, _) = skladnica_tests::crash::Harness::kill_after(&mut c, delay);
        killed += usize::from(was_killed);
        let check = lib.json(["check", "--json"], 0);
        assert_eq!(check["clean"], true, "trial {trial} ({delay:?}): {check:#}");
    }
    eprintln!("{killed} of 8 sync runs killed mid-way");
    assert!(killed >= 1, "no run was killed while it sent");
    let out = run_once(&lib);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_all_delivered_once(&lib, &sim, letters);
}

#[test]
fn what_the_ezd_cannot_take_stops_the_letter_with_the_reason_and_cases_are_opened_once() {
    let sim = simulator();
    let lib = Lib::new();
    configure(&lib, &sim, &sim.url(), 10);
    // This EZD's dictionary knows no courier.
    sim.state()
        .dictionaries
        .delivery
        .retain(|(_, w)| w != "Kurier");
    let sign = committee_case(&lib);
    let first = letter_in_case(&lib, 1, &sign);
    let second = letter_in_case(&lib, 2, &sign);
    let pdf = skladnica_tests::pdf_from_text("Iwanowice, 4 marca 2026 r. Oferta.", None, None);
    let id = only_id(&lib.import(&[&lib.file("oferta.pdf", &pdf)], 0));
    let courier = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--sender",
            "Hurtownia Papieru sp. z o.o.",
            "--town",
            "Kraków",
            "--received",
            "2026-03-04",
            "--undated",
            "--title",
            "Oferta papieru",
            "--delivery",
            "kurier",
            "--document",
            &id.to_string(),
        ],
        0,
    )["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(run_once(&lib).status.code(), Some(1));
    let items = status(&lib);
    let of = |n: &str| {
        items
            .iter()
            .find(|i| i["local_number"] == n)
            .unwrap()
            .clone()
    };
    let refused = of(&courier);
    assert_eq!(refused["state"], "rejected", "{refused}");
    let why = refused["error"].as_str().unwrap();
    assert!(
        why.contains("sposób dostarczenia has no value for \"kurier\"")
            && why.contains("Poczta tradycyjna"),
        "{why}"
    );
    // Registered in the EZD's RPW already: it waits at the metadata, not sent again.
    assert_eq!(refused["step"], 5, "{refused}");
    // Both letters of the case went into one case the EZD opened, whose sign is brought back.
    let (a, b) = (of(&first), of(&second));
    assert_eq!(a["state"], "delivered", "{a}");
    assert_eq!(a["case_sign"], b["case_sign"]);
    assert_eq!(a["case_sign"], "UG.0012.1.2026", "{a}");
    {
        let st = sim.state();
        assert_eq!(st.cases.len(), 1);
        assert_eq!(st.cases[0].flows.len(), 2);
        assert_eq!(st.cases[0].title, "Posiedzenia komisji rewizyjnej");
        // The partial date on the letter went into the remarks, the person with both names.
        let meta = &st.rpw_meta[a["rpw_number"].as_str().unwrap()];
        assert_eq!(meta.letter_date, None);
        assert!(
            meta.remarks
                .as_deref()
                .unwrap()
                .contains("data na piśmie: 2026-03")
        );
        let people: Vec<_> = st.contacts.iter().filter(|c| c.kind == 3).collect();
        assert_eq!(people.len(), 1, "the same person added once: {people:?}");
        assert_eq!(people[0].first_name, "Jan");
    }
    let text = String::from_utf8_lossy(&lib.run(["sync", "status"]).stdout).into_owned();
    assert!(text.contains("case UG.0012.1.2026"), "{text}");

    // The EZD's administrator adds the value; queued again, the letter goes on from where it
    // stood.
    sim.state()
        .dictionaries
        .delivery
        .push(("EZDRP.Metadane.SposobDostarczenia3".into(), "Kurier".into()));
    assert!(lib.run(["sync", "queue", &courier]).status.success());
    assert!(run_once(&lib).status.success());
    assert_all_delivered_once(&lib, &sim, 3);

    // A case in a class the EZD's JRWA lacks is not opened in a guessed one.
    sim.state().jrwa.retain(|c| c.symbol != "6131");
    lib.add_unit("OŚ", "2020", "Referat Ochrony Środowiska");
    let tree = lib.open_case("OŚ", "6131", "Wycinka drzewa, dz. 12/3", "2026-03-04")["sign"]
        .as_str()
        .unwrap()
        .to_string();
    let felled = letter_in_case(&lib, 3, &tree);
    assert_eq!(run_once(&lib).status.code(), Some(1));
    let item = status(&lib)
        .into_iter()
        .find(|i| i["local_number"] == felled.as_str())
        .unwrap();
    let why = item["error"].as_str().unwrap();
    assert!(
        why.contains("has no class 6131") && why.contains(&tree),
        "{why}"
    );
    assert_eq!(sim.state().cases.len(), 1);

    // A field of the EZD's own that it requires stops the letter for a person on the EZD; what
    // they fill in there is kept when the letter goes on.
    sim.state()
        .rpw_fields
        .push(("pole-teczka".into(), "Numer teczki".into(), true));
    let kept = letter(&lib, 4);
    assert_eq!(run_once(&lib).status.code(), Some(1));
    let item = status(&lib)
        .into_iter()
        .find(|i| i["local_number"] == kept.as_str())
        .unwrap();
    let why = item["error"].as_str().unwrap();
    assert!(why.contains("requires its own field Numer teczki"), "{why}");
    let number = item["rpw_number"].as_str().unwrap().to_string();
    sim.state()
        .rpw_meta
        .entry(number.clone())
        .or_default()
        .own
        .insert("pole-teczka".into(), "T-7".into());
    assert!(lib.run(["sync", "queue", &kept]).status.success());
    let _ = run_once(&lib);
    let delivered = status(&lib)
        .into_iter()
        .find(|i| i["local_number"] == kept.as_str())
        .unwrap();
    assert_eq!(delivered["state"], "delivered", "{delivered}");
    let st = sim.state();
    assert_eq!(st.rpw_meta[&number].own["pole-teczka"], "T-7");
    assert_eq!(st.rpw_meta[&number].times_set, 1);
    drop(st);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn random_faults_lose_and_duplicate_nothing() {
    let sim = simulator();
    let lib = Lib::new();
    configure(&lib, &sim, &sim.url(), 2);
    let count = 12;
    // Four of them in one case, which the EZD opens once.
    let sign = committee_case(&lib);
    for i in 0..count {
        if i % 3 == 0 {
            letter_in_case(&lib, i, &sign);
        } else {
            letter(&lib, i);
        }
    }
    // A fixed seed: the same schedule on every run, different faults for every call.
    let mut rng = skladnica_tests::Rng(0x5eed_2026);
    let mut next = || rng.next_u64();
    let operations = [
        "V2PostObiegiCommand",
        "V2GetObiegiQuery",
        "V2GetDokumentyObieguQuery",
        "V2PostDokumentPismoCommand",
        "V2PostWyszukajAdresataQuery",
        "V2PostDodajAdresataQuery",
        "V2GetRejestrPrzesylekWplywajacychMetadaneQuery",
        "V2PutRejestrPrzesylekWplywajacychMetadaneCommand",
        "V2GetObiegQuery",
        "V2PostObiegiSprawyCommand",
        "V2PostObiegiSprawyDowiazCommand",
        "token",
    ];
    let mut runs = 0;
    while status(&lib).iter().any(|i| i["state"] != "delivered") {
        runs += 1;
        assert!(runs < 60, "not delivered after 60 runs: {:?}", status(&lib));
        sim.clear_faults();
        if runs == 1 {
            // At least one upload and one registration whose answers are lost.
            sim.inject(Some("V2PostObiegiCommand"), Fault::DropAfterCommit);
            sim.inject(
                Some("V2PostDokumentPismoCommand"),
                Fault::StatusAfterCommit(502),
            );
            sim.inject(Some("V2PostDodajAdresataQuery"), Fault::DropAfterCommit);
            sim.inject(Some("V2PostObiegiSprawyCommand"), Fault::DropAfterCommit);
        }
        for _ in 0..4 {
            let op = operations[(next() % operations.len() as u64) as usize];
            let fault = match next() % 8 {
                0 => Fault::DropBeforeCommit,
                1 => Fault::DropAfterCommit,
                2 => Fault::StatusAfterCommit(500),
                3 => Fault::Status(503),
                4 => Fault::Status(429),
                5 => Fault::ExpiredToken,
                6 => Fault::Hang(Duration::from_secs(3)),
                _ => Fault::Slow(Duration::from_millis(50)),
            };
            sim.inject(Some(op), fault);
        }
        let _ = run_once(&lib);
        // Items waiting for a back-off are made due again at once.
        let db = rusqlite::Connection::open(lib.root().join("skladnica.sqlite")).unwrap();
        db.execute("UPDATE ezd_outbox SET next_attempt_at = 0", [])
            .unwrap();
        // A rejected item (a 400 is never injected) would be a bug.
        assert!(
            status(&lib).iter().all(|i| i["state"] != "rejected"),
            "{:?}",
            status(&lib)
        );
    }
    assert_all_delivered_once(&lib, &sim, count);
    assert_eq!(sim.state().cases.len(), 1);
    assert_eq!(sim.state().cases[0].flows.len(), 4);
    // The faults did strike: runs were cut short and outcomes read back.
    let lookups = sim
        .state()
        .requests
        .iter()
        .filter(|r| r.starts_with("GET /ezdrp/integrator/v2/obiegi →"))
        .count();
    let met = sim.state().faults_met;
    eprintln!(
        "{count} letters delivered in {runs} runs through {met} faults; {lookups} flows looked up"
    );
    assert!(
        runs > 2 && met > runs && lookups > 0,
        "{runs} runs, {met} faults, {lookups} look-ups"
    );
}

#[test]
fn for_an_ezd_without_the_api_the_letters_go_to_its_drop_folder_as_a_verified_package() {
    let lib = Lib::new();
    let drop = lib.dir.path().join("zrzut");
    // A folder that is not there is refused by name.
    let out = lib.run(["sync", "config", "--drop-folder", drop.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zrzut"));
    std::fs::create_dir(&drop).unwrap();
    assert!(
        lib.run(["sync", "config", "--drop-folder", drop.to_str().unwrap()])
            .status
            .success()
    );
    let first = letter(&lib, 1);
    let second = letter(&lib, 2);
    let out = run_once(&lib);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items = status(&lib);
    assert_eq!(items.len(), 2);
    let package = items[0]["package"].as_str().unwrap().to_string();
    for (item, number) in items.iter().zip([&first, &second]) {
        assert_eq!(item["local_number"], number.as_str());
        assert_eq!(item["state"], "delivered", "{item}");
        assert_eq!(item["package"], package.as_str());
    }
    // The package is the export's: both scans with their metadata, checked by verify.
    let dir = drop.join(&package);
    let files = crate::harness::files_under(&dir.join("dokumenty"));
    assert_eq!(files.len(), 2, "{files:?}");
    let out = lib.run(["verify", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Nothing more is due: no second package.
    assert!(run_once(&lib).status.success());
    assert_eq!(std::fs::read_dir(&drop).unwrap().count(), 1);
}

#[test]
fn the_key_is_kept_in_the_systems_keyring_when_one_answers() {
    // A D-Bus session of its own with GNOME Keyring unlocked in it: a real Secret Service.
    let sim = simulator();
    let lib = Lib::new();
    let number = letter(&lib, 1);
    let home = lib.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let c = sim.config();
    let bin = crate::harness::binary();
    let script = format!(
        "set -e\n\
         eval $(printf haslo-testowe | gnome-keyring-daemon --unlock --components=secrets)\n\
         printf '%s' '{key}' | '{bin}' --library '{lib}' sync config --api-url {url} \
           --sso-url {url} --pid {pid} --aki {aki} --sid {sid}\n\
         '{bin}' --library '{lib}' sync queue {number}\n\
         '{bin}' --library '{lib}' sync run --once\n",
        key = c.api_key,
        bin = bin.display(),
        lib = lib.root().display(),
        url = sim.url(),
        pid = c.pid,
        aki = c.aki,
        sid = c.sid,
    );
    let config = lib.dir.path().join("config");
    let out = std::process::Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env("HOME", &home)
        .env("SKLADNICA_CONFIG_DIR", &config)
        .env_remove("SKLADNICA_NO_KEYRING")
        .output()
        .expect("dbus-run-session runs (Debian package dbus-daemon)");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("kept in the system's keyring"), "{said}");
    assert!(said.contains(&format!("{number}: delivered")), "{said}");
    // No key file: the keyring holds it.
    assert!(
        !config.exists() || crate::harness::files_under(&config).is_empty(),
        "{:?}",
        crate::harness::files_under(&config)
    );
    assert_all_delivered_once(&lib, &sim, 1);
}
