//! Operators and removal: profiles with roles and argon2 passwords, nothing changed on a
//! library with profiles until somebody signs in, each role limited to its work and named in
//! the audit log; a document removed only with a reason and never out of a case; cases
//! destroyed only through brakowanie, all of a list or none.

use serde_json::Value;

use crate::harness::{Lib, only_id};

/// Runs with `--operator name` (and its password, if given).
fn as_op(lib: &Lib, name: &str, password: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = lib.command();
    c.arg("--operator").arg(name);
    match password {
        Some(p) => c.env("SKLADNICA_OPERATOR_PASSWORD", p),
        None => c.env_remove("SKLADNICA_OPERATOR_PASSWORD"),
    };
    c.args(args).output().unwrap()
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: std::process::Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn pdf(lib: &Lib, name: &str, text: &str) -> std::path::PathBuf {
    lib.file(name, &skladnica_tests::pdf_from_text(text, None, None))
}

#[test]
fn operators_sign_in_and_each_role_does_only_its_work() {
    let lib = Lib::new();
    // Without profiles anybody does anything, logged as the system's user.
    lib.add_unit("OR", "2011", "Referat Organizacyjny");
    let err = lib.fails(["operator", "add", "Anna Nowak", "--role", "clerk"]);
    assert!(
        err.contains("first operator profile must be an administrator"),
        "{err}"
    );
    let mut add = lib.command();
    add.env("SKLADNICA_NEW_PASSWORD", "Tajne-hasło-1");
    ok(add
        .args([
            "operator",
            "add",
            "Jan Kowalski",
            "--role",
            "administrator",
            "--password",
        ])
        .output()
        .unwrap());
    // From now on nothing changes until somebody signs in.
    let err = lib.fails(["operator", "add", "Anna Nowak", "--role", "clerk"]);
    assert!(err.contains("no operator is signed in"), "{err}");
    let file = pdf(
        &lib,
        "pismo.pdf",
        "Wniosek o wydanie zaświadczenia o niezaleganiu.",
    );
    let err = lib.fails(["import", "--json", file.to_str().unwrap()]);
    assert!(err.contains("no operator is signed in"), "{err}");
    let err = refused(as_op(
        &lib,
        "Jan Kowalski",
        Some("zgadnięte"),
        &["operator", "list"],
    ));
    assert!(err.contains("wrong password for Jan Kowalski"), "{err}");
    let err = refused(as_op(&lib, "Nikt", None, &["operator", "list"]));
    assert!(err.contains("no operator named 'Nikt'"), "{err}");

    let admin = |args: &[&str]| as_op(&lib, "Jan Kowalski", Some("Tajne-hasło-1"), args);
    ok(admin(&[
        "operator",
        "add",
        "Anna Nowak",
        "--role",
        "referent",
    ]));
    ok(admin(&[
        "operator",
        "add",
        "Ewa Lis",
        "--role",
        "archiwista",
    ]));
    let err = refused(admin(&["operator", "add", "anna nowak", "--role", "clerk"]));
    assert!(err.contains("exists already"), "{err}");
    let list: Value = serde_json::from_str(&ok(admin(&["operator", "list", "--json"]))).unwrap();
    let names: Vec<(&str, &str, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap(),
                o["role"].as_str().unwrap(),
                o["has_password"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Anna Nowak", "clerk", false),
            ("Ewa Lis", "archivist", false),
            ("Jan Kowalski", "administrator", true)
        ]
    );
    assert!(!list.to_string().contains("argon2"));

    // The clerk does the everyday work, named in the log; settings and brakowanie are refused.
    let clerk = |args: &[&str]| as_op(&lib, "Anna Nowak", None, args);
    let out = ok(clerk(&["import", "--json", file.to_str().unwrap()]));
    let id = only_id(&serde_json::from_str(&out).unwrap());
    let err = refused(clerk(&[
        "unit",
        "add",
        "--from",
        "2020",
        "OŚ",
        "Ochrona Środowiska",
    ]));
    assert!(
        err.contains("Anna Nowak (clerk) may not change the settings (only an administrator may)"),
        "{err}"
    );
    let err = refused(clerk(&[
        "brakowanie",
        "--approval",
        "ZN.6343.1.2026",
        "OR.2340.1.2019",
    ]));
    assert!(err.contains("only an archivist may"), "{err}");
    let err = refused(admin(&[
        "brakowanie",
        "--approval",
        "ZN.6343.1.2026",
        "OR.2340.1.2019",
    ]));
    assert!(
        err.contains("Jan Kowalski (administrator) may not carry out brakowanie"),
        "{err}"
    );
    // The archivist passes the role check; the case is then looked for.
    let err = refused(as_op(
        &lib,
        "Ewa Lis",
        None,
        &[
            "brakowanie",
            "--approval",
            "ZN.6343.1.2026",
            "OR.2340.1.2019",
        ],
    ));
    assert!(err.contains("no case OR.2340.1.2019"), "{err}");
    ok(admin(&[
        "unit",
        "add",
        "--from",
        "2020",
        "OŚ",
        "Ochrona Środowiska",
    ]));
    // An administrator retires the clerk, who can then no longer sign in.
    ok(admin(&["operator", "retire", "Anna Nowak"]));
    let err = refused(clerk(&["operator", "list"]));
    assert!(err.contains("retired"), "{err}");
    let err = refused(admin(&["operator", "retire", "Jan Kowalski"]));
    assert!(err.contains("last administrator"), "{err}");

    let log = lib.json(["audit", "log", "--json"], 0);
    let entries: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["operator"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["record"].as_str().unwrap(),
            )
        })
        .collect();
    let doc = format!("document {id}");
    for wanted in [
        ("Anna Nowak", "document.added", doc.as_str()),
        ("Anna Nowak", "operator.signed_in", "operator Anna Nowak"),
        ("Jan Kowalski", "operator.refused", "operator Jan Kowalski"),
        ("Jan Kowalski", "operator.added", "operator Ewa Lis"),
        ("Jan Kowalski", "operator.retired", "operator Anna Nowak"),
    ] {
        assert!(entries.contains(&wanted), "{wanted:?} not in {entries:#?}");
    }
    // Every change after the first profile names an operator, none the system's user.
    let first = entries
        .iter()
        .position(|e| e.1 == "operator.added")
        .unwrap();
    assert!(
        entries[first + 1..]
            .iter()
            .all(|e| !e.0.starts_with("system:")),
        "{entries:#?}"
    );
    ok(admin(&["audit", "verify"]));
}

#[test]
fn removal_needs_a_reason_and_cases_go_only_through_brakowanie() {
    let lib = Lib::new();
    lib.add_unit("OR", "2011", "Referat Organizacyjny");
    let filed = only_id(&lib.import(
        &[&pdf(
            &lib,
            "lista.pdf",
            "Lista obecności pracowników za styczeń 2019.",
        )],
        0,
    ));
    let stray = only_id(&lib.import(
        &[&pdf(
            &lib,
            "obcy.pdf",
            "Zawiadomienie o przebudowie wodociągu.",
        )],
        0,
    ));
    let kept = only_id(&lib.import(
        &[&pdf(
            &lib,
            "komisja.pdf",
            "Protokół posiedzenia komisji rewizyjnej.",
        )],
        0,
    ));
    // B3 (2340) and A (0012), both closed in 2019.
    lib.open_case("OR", "2340", "Listy obecności 2019", "2019-01-02");
    lib.open_case("OR", "0012", "Posiedzenia komisji", "2019-02-01");
    for (sign, id) in [("OR.2340.1.2019", filed), ("OR.0012.1.2019", kept)] {
        ok(lib.run(["case", "add", sign, &id.to_string()]));
        ok(lib.run(["case", "close", "--on", "2019-12-31", sign]));
    }

    // A removal needs a reason and never takes a record out of a case.
    let err = lib.fails(["remove", "--reason", " ", &stray.to_string()]);
    assert!(err.contains("needs a reason"), "{err}");
    let err = lib.fails(["remove", "--reason", "zdublowany skan", &filed.to_string()]);
    assert!(
        err.contains(&format!("document {filed} is in case OR.2340.1.2019")),
        "{err}"
    );
    let err = lib.fails(["remove", "--reason", "zdublowany skan", "999"]);
    assert!(err.contains("999"), "{err}");
    ok(lib.run([
        "remove",
        "--reason",
        "pismo innego urzędu",
        &stray.to_string(),
    ]));
    assert!(lib.hit_ids("wodociąg").is_empty());
    lib.fails(["show", &stray.to_string()]);
    let history = lib.json(
        ["audit", "log", "--json", "--document", &stray.to_string()],
        0,
    );
    let removed = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "document.removed")
        .unwrap_or_else(|| panic!("{history:#}"));
    assert!(
        removed["details"]
            .as_str()
            .unwrap()
            .contains("pismo innego urzędu")
    );
    lib.assert_clean();

    // Brakowanie: only cases due for destruction, all of the list or none.
    let err = lib.fails([
        "brakowanie",
        "--approval",
        "ZN.6343.5.2023",
        "--on",
        "2022-12-31",
        "OR.2340.1.2019",
    ]);
    assert!(
        err.contains("is not due for destruction on 2022-12-31"),
        "{err}"
    );
    let err = lib.fails([
        "brakowanie",
        "--approval",
        "ZN.6343.5.2023",
        "--on",
        "2023-01-02",
        "OR.2340.1.2019",
        "OR.0012.1.2019",
    ]);
    assert!(err.contains("nothing was destroyed"), "{err}");
    assert!(
        err.contains("case OR.0012.1.2019 is of category A"),
        "{err}"
    );
    assert_eq!(lib.hit_ids("obecności"), [filed]);
    let err = lib.fails(["brakowanie", "--approval", " ", "OR.2340.1.2019"]);
    assert!(err.contains("approval"), "{err}");
    let done = lib.json(
        [
            "brakowanie",
            "--json",
            "--approval",
            "ZN.6343.5.2023",
            "--on",
            "2023-01-02",
            "OR.2340.1.2019",
        ],
        0,
    );
    assert_eq!(done["cases"][0]["sign"], "OR.2340.1.2019");
    assert_eq!(done["cases"][0]["documents"], 1);
    assert!(lib.hit_ids("obecności").is_empty());
    assert_eq!(lib.hit_ids("komisji"), [kept]);
    lib.fails(["show", &filed.to_string()]);
    // The case stays in the register, marked destroyed, and leaves the retention list.
    let case = lib.json(["case", "show", "--json", "OR.2340.1.2019"], 0);
    assert_eq!(case["destroyed_on"], "2023-01-02", "{case:#}");
    let due = lib.json(["retention", "--json", "--on", "2023-01-02"], 0);
    assert!(due["items"].as_array().unwrap().is_empty(), "{due:#}");
    let err = lib.fails([
        "brakowanie",
        "--approval",
        "ZN.6343.5.2023",
        "--on",
        "2023-01-02",
        "OR.2340.1.2019",
    ]);
    assert!(err.contains("was destroyed already on 2023-01-02"), "{err}");
    let log = lib.json(
        ["audit", "log", "--json", "--record", "case OR.2340.1.2019"],
        0,
    );
    let destroyed = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "case.destroyed")
        .unwrap_or_else(|| panic!("{log:#}"));
    assert!(
        destroyed["details"]
            .as_str()
            .unwrap()
            .contains("ZN.6343.5.2023")
    );
    lib.assert_clean();
}
