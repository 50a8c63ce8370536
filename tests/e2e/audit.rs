//! The audit log: every action on a record appended with its operator and time, a document's
//! history read back in order, the hash chain verified, and every kind of tampering (an entry
//! edited, removed from the middle, cut off the end, a record changed behind the program's back)
//! refused or found.

use serde_json::Value;

use crate::export::register_letter;
use crate::harness::{Lib, only_id};

fn actions(entries: &Value) -> Vec<String> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_action_on_a_record_is_logged_and_tampering_is_found() {
    let lib = Lib::new();
    let pdf = skladnica_tests::pdf_from_text(
        "Iwanowice, 3 marca 2026 r. Wniosek o wydanie zezwolenia na wycinkę drzewa.",
        Some("wniosek"),
        None,
    );
    let id = only_id(&lib.import(&[&lib.file("wniosek.pdf", &pdf)], 0));
    assert!(
        lib.run(["meta", "set", &id.to_string(), "tytul=Wniosek o wycinkę"])
            .status
            .success()
    );
    lib.add_unit("OŚ", "2020", "Referat Ochrony Środowiska");
    let sign = lib.open_case("OŚ", "6131", "Wycinka drzewa, dz. 12/3", "2026-03-04")["sign"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        lib.run(["case", "add", &sign, &id.to_string()])
            .status
            .success()
    );
    let number = register_letter(&lib, "Wniosek o wycinkę", Some(id));

    // The document's history, in order, each entry naming the operator.
    let history = lib.json(["audit", "log", "--json", "--document", &id.to_string()], 0);
    let got = actions(&history);
    let at = |a: &str| {
        got.iter()
            .position(|x| x == a)
            .unwrap_or_else(|| panic!("{a}: {got:?}"))
    };
    let details =
        |e: &Value| -> Value { serde_json::from_str(e["details"].as_str().unwrap()).unwrap() };
    let title = history
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["action"] == "metadata.set" && details(e)["key"] == "tytul")
        .unwrap_or_else(|| panic!("no title change: {history:#}"));
    assert!(at("document.added") < title, "{got:?}");
    assert!(title < at("case.filed"), "{got:?}");
    assert!(at("case.filed") < at("rpw.registered"), "{got:?}");
    let set = &history[title];
    assert_eq!(details(set)["new"], "Wniosek o wycinkę");
    let user = std::env::var("USER").unwrap_or_else(|_| "?".into());
    assert_eq!(set["operator"], format!("system:{user}").as_str());
    let case = lib.json(
        [
            "audit",
            "log",
            "--json",
            "--record",
            &format!("case {sign}"),
        ],
        0,
    );
    assert_eq!(actions(&case), ["case.opened"]);
    let rpw = lib.json(["audit", "log", "--json", "--record", &number], 0);
    assert_eq!(actions(&rpw), ["rpw.registered"]);

    // Intact: the head is printed, to be kept elsewhere.
    let out = lib.run(["audit", "verify"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let head = text.rsplit("head ").next().unwrap().trim().to_string();
    assert!(head.contains(':'), "{text}");
    // An export's printed confirmation and a backup's bag-info carry the head as it was.
    let target = tempfile::tempdir().unwrap();
    let to = target.path().to_str().unwrap();
    let report = lib.json(["export", "--json", "--to", to, "--case", &sign], 0);
    let package = std::path::PathBuf::from(report["package"].as_str().unwrap());
    let confirmation = std::fs::read_to_string(package.join("potwierdzenie.html")).unwrap();
    assert!(confirmation.contains(&head), "{confirmation}");
    let all = actions(&lib.json(["audit", "log", "--json"], 0));
    assert_eq!(all.last().map(String::as_str), Some("export"), "{all:?}");
    let report = lib.json(["export", "--json", "--backup", "--to", to], 0);
    let bag = std::path::PathBuf::from(report["bag"].as_str().unwrap());
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains("Skladnica-Audit-Head: "), "{info}");

    let db = rusqlite::Connection::open(lib.root().join("skladnica.sqlite")).unwrap();
    // Through SQL the log cannot be changed, and a value cannot be set by a connection that
    // does not log it.
    let refused = db
        .execute("UPDATE audit_log SET operator = 'ktoś' WHERE seq = 2", [])
        .unwrap_err()
        .to_string();
    assert!(refused.contains("append-only"), "{refused}");
    assert!(
        db.execute("DELETE FROM audit_log WHERE seq = 2", [])
            .is_err()
    );
    let refused = db
        .execute(
            "INSERT INTO metadata (document_id, key, value, source) VALUES (?1, 'uwagi', 'x', 'clerk')",
            [id],
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("skladnica_"), "{refused}");

    // With the guards dropped: an edited entry is named.
    db.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    db.execute("UPDATE audit_log SET operator = 'ktoś' WHERE seq = 2", [])
        .unwrap();
    let out = lib.run(["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("entry 2 "), "{said}");
    // `check` (which the app and the crash tests run) says so too.
    let check = lib.json(["check", "--json"], 1);
    assert_eq!(check["clean"], false);
    assert!(
        check["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "audit"),
        "{check:#}"
    );
    let original: String = "system:".to_string() + &user;
    db.execute(
        "UPDATE audit_log SET operator = ?1 WHERE seq = 2",
        [&original],
    )
    .unwrap();
    assert!(lib.run(["audit", "verify"]).status.success());
    // One removed from the middle: the next one is named.
    let count: i64 = db
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(count >= 5, "{count} entries");
    db.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let said = String::from_utf8_lossy(&lib.run(["audit", "verify"]).stdout).into_owned();
    assert!(said.contains("entry 4 "), "{said}");

    // Cut off the end: found against the head kept from before.
    let other = Lib::new();
    let pdf = skladnica_tests::pdf_from_text("Pismo.", Some("pismo"), None);
    let doc = only_id(&other.import(&[&other.file("pismo.pdf", &pdf)], 0));
    assert!(
        other
            .run(["meta", "set", &doc.to_string(), "tytul=Pismo ogólne"])
            .status
            .success()
    );
    let v = other.json(["audit", "verify", "--json"], 0);
    let (seq, hash) = (
        v["head"][0].as_i64().unwrap(),
        v["head"][1].as_str().unwrap().to_string(),
    );
    let head = format!("{seq}:{hash}");
    assert!(
        other
            .run(["audit", "verify", "--head", &head])
            .status
            .success()
    );
    let db = rusqlite::Connection::open(other.root().join("skladnica.sqlite")).unwrap();
    db.execute_batch("DROP TRIGGER audit_no_delete;").unwrap();
    db.execute("DELETE FROM audit_log WHERE seq = ?1", [seq])
        .unwrap();
    assert!(
        other.run(["audit", "verify"]).status.success(),
        "a cut end leaves a chain"
    );
    let out = other.run(["audit", "verify", "--head", &head]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cut off its end"));
    assert!(
        other
            .fails(["audit", "verify", "--head", "12"])
            .contains("SEQ:HASH")
    );
}
