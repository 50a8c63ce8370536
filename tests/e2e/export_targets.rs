//! Export targets (`skladnica target add|list|remove`, `skladnica export --target|--due`): a
//! share's folder and a removable disk recognised by the id written on it wherever it is
//! mounted (the mount places are given by `SKLADNICA_MEDIA_ROOTS`); the first export is due at
//! once, the next only when something changed or the period passed; a disk mounted at another
//! path continues its incremental exports; an overdue target is flagged; a target that cannot
//! be reached is named and the others carry on.

use std::path::Path;
use std::process::Output;

use crate::export::library_with_a_case;
use crate::harness::{Lib, json_of as json};

fn with_media(lib: &Lib, media: &Path, args: &[&str]) -> Output {
    lib.command()
        .env("SKLADNICA_MEDIA_ROOTS", media)
        .args(args)
        .output()
        .expect("binary runs")
}

fn packages(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("paczka-"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn targets_are_exported_to_when_due_and_a_disk_is_recognised_wherever_it_is_mounted() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let share = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    let disk = media.path().join("urzednik").join("ARCHIWUM");
    std::fs::create_dir_all(&disk).unwrap();
    let m = media.path();
    let category = lib.json(["case", "show", "--json", &sign], 0)["category"]
        .as_str()
        .unwrap()
        .to_string();

    let added = with_media(
        &lib,
        m,
        &[
            "target",
            "add",
            "Starostwo",
            share.path().to_str().unwrap(),
            "--every-days",
            "7",
        ],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let added = with_media(
        &lib,
        m,
        &[
            "target",
            "add",
            "Dysk archiwum",
            disk.to_str().unwrap(),
            "--disk",
            "--on-connect",
            "--category",
            &category,
        ],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let id = std::fs::read_to_string(disk.join(".skladnica-nosnik")).unwrap();
    assert!(
        id.lines().next().unwrap().len() >= 16,
        "an id is written on the disk: {id}"
    );

    // Both are due (never exported to); the disk takes the case's category, the share
    // everything.
    let listed = json(&with_media(&lib, m, &["target", "list", "--json"]), 0);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|t| t["due"] == true && t["overdue"] == false),
        "{listed:?}"
    );
    assert_eq!(listed[0]["target"]["name"], "Dysk archiwum");
    assert_eq!(
        listed[0]["location"].as_str().unwrap(),
        disk.join("Skladnica").to_str().unwrap()
    );

    let ran = json(&with_media(&lib, m, &["export", "--due", "--json"]), 0);
    let ran = ran.as_array().unwrap();
    assert_eq!(ran.len(), 2, "{ran:?}");
    assert!(ran.iter().all(|o| o["error"].is_null()), "{ran:?}");
    assert_eq!(packages(share.path()).len(), 1);
    let share_docs = ran.iter().find(|o| o["target"] == "Starostwo").unwrap()["documents"].clone();
    assert_eq!(share_docs, 3, "the share takes the whole library: {ran:?}");

    // Nothing is due now: each was exported to within its period.
    let again = json(&with_media(&lib, m, &["export", "--due", "--json"]), 0);
    assert_eq!(again.as_array().unwrap().len(), 0, "{again}");

    // A change, then the disk is unplugged and plugged in at another path: the export asked
    // for continues from its last package there, holding only the change.
    let case = lib.json(["case", "show", "--json", &sign], 0);
    let changed = case["documents"][0]["id"].as_i64().unwrap();
    assert!(
        lib.run(["meta", "set", &changed.to_string(), "opis=Poprawiony opis"])
            .status
            .success()
    );
    let moved = media.path().join("urzednik").join("ARCHIWUM1");
    std::fs::rename(&disk, &moved).unwrap();
    let out = with_media(&lib, m, &["export", "--target", "Dysk archiwum", "--json"]);
    let out = json(&out, 0);
    assert_eq!(out[0]["documents"], 1, "only the change: {out}");
    let on_disk = packages(&moved.join("Skladnica"));
    assert_eq!(on_disk.len(), 2, "{on_disk:?}");
    let share_run = json(
        &with_media(&lib, m, &["export", "--target", "Starostwo", "--json"]),
        0,
    );
    assert_eq!(share_run[0]["documents"], 1, "{share_run}");

    // Unplugged: not due, and asking for it names the disk.
    std::fs::remove_dir_all(&moved).unwrap();
    let out = with_media(&lib, m, &["export", "--target", "Dysk archiwum", "--json"]);
    let out = json(&out, 1);
    let error = out[0]["error"].as_str().unwrap();
    assert!(
        error.contains("Dysk archiwum")
            && error.contains("ARCHIWUM")
            && error.contains("not plugged in"),
        "{error}"
    );
    let listed = json(&with_media(&lib, m, &["target", "list", "--json"]), 0);
    let disk_status = &listed[0];
    assert!(disk_status["location"].is_null());
    assert_eq!(disk_status["due"], false);
    assert!(
        disk_status["target"]["last_error"]
            .as_str()
            .unwrap()
            .contains("not plugged in")
    );
    assert!(
        disk_status["target"]["last_success_at"].is_string(),
        "the last success is kept"
    );

    // Forgotten: the export log keeps its packages.
    assert!(
        with_media(&lib, m, &["target", "remove", "Dysk archiwum"])
            .status
            .success()
    );
    let listed = json(&with_media(&lib, m, &["target", "list", "--json"]), 0);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let log = lib.json(["exports", "--json"], 0);
    assert!(log.as_array().unwrap().len() >= 3, "{log}");
}

#[test]
fn an_overdue_target_is_flagged_and_bad_targets_are_refused() {
    let lib = Lib::new();
    library_with_a_case(&lib);
    let share = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    let m = media.path();
    let path = share.path().to_str().unwrap();
    assert!(
        with_media(
            &lib,
            m,
            &["target", "add", "Kopia", path, "--every-days", "1"]
        )
        .status
        .success()
    );
    // Registered two days ago and never exported to: overdue, and `target list` says so
    // (exit 1, for a scheduled check).
    let db = rusqlite::Connection::open(lib.root().join("skladnica.sqlite")).unwrap();
    db.execute(
        "UPDATE export_targets SET created_at = '2020-01-01T00:00:00Z' WHERE name = 'Kopia'",
        [],
    )
    .unwrap();
    let out = with_media(&lib, m, &["target", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Kopia") && text.contains("OVERDUE"), "{text}");
    assert!(with_media(&lib, m, &["export", "--due"]).status.success());
    let listed = json(&with_media(&lib, m, &["target", "list", "--json"]), 0);
    assert_eq!(listed[0]["overdue"], false, "{listed}");

    let refused = |args: &[&str], words: &[&str]| {
        let out = with_media(&lib, m, args);
        assert!(!out.status.success(), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        for w in words {
            assert!(err.contains(w), "{args:?}: {err}");
        }
    };
    refused(
        &["target", "add", "Kopia", path],
        &["a target called Kopia already"],
    );
    refused(
        &["target", "add", "Inna", "/nie/ma/takiego"],
        &["/nie/ma/takiego", "not a folder"],
    );
    refused(
        &["target", "add", "Inna", path, "--every-days", "0"],
        &["1 to 366 days"],
    );
    refused(
        &["target", "remove", "Nieznany"],
        &["no target called Nieznany"],
    );
    refused(
        &["export", "--target", "Nieznany"],
        &["no target called Nieznany"],
    );
    let listed = json(&with_media(&lib, m, &["target", "list", "--json"]), 0);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
