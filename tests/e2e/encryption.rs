//! Encryption at rest through the binary: an existing library encrypted in place keeps nothing
//! readable on disk (database, originals, index), works as before with its key, refuses without
//! it, and opens with the recovery passphrase; the key in a real Secret Service.

use std::path::PathBuf;
use std::process::Output;

use serde_json::{Value, json};
use skladnica_tests::pdf_from_text;

use crate::harness::{Lib, files_under, json_of, only_id};

const PASSPHRASE: &str = "zielona łąka nad Odrą 2026";
const NAME: &str = "Brzęczyszczykiewicz";

/// Runs the binary with `passphrase` given as the recovery passphrase (no keyring in these
/// tests).
fn with_passphrase(lib: &Lib, passphrase: &str, args: &[&str]) -> Output {
    lib.command()
        .env("SKLADNICA_LIBRARY_PASSPHRASE", passphrase)
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the binary with the library's recovery passphrase given.
fn with_key<const N: usize>(lib: &Lib, args: [&str; N]) -> Output {
    with_passphrase(lib, PASSPHRASE, &args)
}

/// Every file of the library holding `needle`.
fn showing(lib: &Lib, needle: &[u8]) -> Vec<PathBuf> {
    files_under(&lib.root())
        .into_iter()
        .filter(|p| {
            std::fs::read(p)
                .unwrap_or_default()
                .windows(needle.len())
                .any(|w| w == needle)
        })
        .collect()
}

#[test]
fn an_encrypted_library_shows_nothing_on_disk_and_works_as_before_with_its_key() {
    let lib = Lib::new();
    let text = format!(
        "Wnioskodawca Grzegorz {NAME} wnosi o wydanie decyzji o warunkach zabudowy dla działki \
         nr 12/3 w obrębie Zębowice."
    );
    let letter_bytes = pdf_from_text(&text, Some("Wniosek o warunki zabudowy"), Some("20240105"));
    let letter = lib.file("wniosek.pdf", &letter_bytes);
    let first = only_id(&lib.import(&[&letter], 0));
    assert!(!showing(&lib, NAME.as_bytes()).is_empty());

    // Encrypted in place (with operator profiles only an administrator may: see the core tests).
    let out = with_key(&lib, ["encrypt", "--json"]);
    let report = json_of(&out, 0);
    assert_eq!(report["blobs_sealed"], 1, "{report}");
    assert_eq!(report["documents_indexed"], 1, "{report}");
    // No keyring in this test: the passphrase is needed each time.
    assert_eq!(report["key"], "session", "{report}");
    let again = with_key(&lib, ["encrypt"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("encrypted already"));

    // A scan imported afterwards: its page rendered for OCR, never written in the clear.
    // A page of two images: OCR renders it with pdftoppm, fed through a pipe.
    let scan = lib.file("skan.pdf", &crate::ocr::two_image_scan());
    let out = with_key(&lib, ["import", "--json", scan.to_str().unwrap()]);
    let second = only_id(&json_of(&out, 0));
    let shown = json_of(&with_key(&lib, ["show", "--json", &second.to_string()]), 0);
    let page = shown["pages"][0]["text"].as_str().unwrap().to_string();
    assert!(page.contains("kukurydzy"), "{page}");

    // On disk: neither name nor OCR word nor any file's clear form.
    for needle in [
        NAME.as_bytes(),
        "Brz".as_bytes(),
        b"kukurydzy",
        b"%PDF",
        b"SQLite format 3",
        &letter_bytes[letter_bytes.len() / 2..letter_bytes.len() / 2 + 64],
    ] {
        let found = showing(&lib, needle);
        assert!(
            found.is_empty(),
            "{:?} readable in {found:?}",
            String::from_utf8_lossy(needle)
        );
    }
    assert!(lib.root().join("encryption.json").is_file());

    // With the key: search (inflected), show, check and the archival package as before.
    let hits = |q: &str| -> Vec<i64> {
        let v = json_of(&with_key(&lib, ["search", "--json", q]), 0);
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(hits("decyzja zabudowa"), vec![first]);
    assert_eq!(hits("kukurydza"), vec![second]);
    let check = with_key(&lib, ["check", "--json"]);
    let report: Value = json_of(&check, 0);
    assert_eq!(
        report["problems"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    let to = tempfile::tempdir().unwrap();
    let out = with_key(
        &lib,
        [
            "export",
            "--json",
            "--all",
            "--to",
            to.path().to_str().unwrap(),
        ],
    );
    json_of(&out, 0);
    let exported: Vec<PathBuf> = files_under(to.path())
        .into_iter()
        .filter(|p| std::fs::read(p).is_ok_and(|b| b == letter_bytes))
        .collect();
    assert_eq!(
        exported.len(),
        1,
        "the original, as imported, in the package"
    );

    // A backup carries the library in the clear (the carrier has its own passphrase when it
    // may be lost) and restores as an ordinary library.
    let backups = tempfile::tempdir().unwrap();
    let out = with_key(
        &lib,
        [
            "export",
            "--json",
            "--backup",
            "--to",
            backups.path().to_str().unwrap(),
        ],
    );
    let bag = PathBuf::from(json_of(&out, 0)["bag"].as_str().unwrap());
    let restored = Lib::new();
    let out = restored.run(["restore", bag.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(restored.hit_ids("kukurydza"), vec![second]);

    // A backup of another (clear) library merges into the encrypted one, sealed as it comes.
    let other = Lib::new();
    let notice_bytes = pdf_from_text(
        "Obwieszczenie o wyłożeniu projektu planu miejscowego do publicznego wglądu.",
        None,
        None,
    );
    let notice = other.file("obwieszczenie.pdf", &notice_bytes);
    other.import(&[&notice], 0);
    let out = other.run([
        "export",
        "--json",
        "--backup",
        "--to",
        backups.path().to_str().unwrap(),
    ]);
    let other_bag = PathBuf::from(json_of(&out, 0)["bag"].as_str().unwrap());
    let out = with_key(
        &lib,
        ["restore", "--merge", "--json", other_bag.to_str().unwrap()],
    );
    json_of(&out, 0);
    assert_eq!(hits("obwieszczenie").len(), 1);
    assert!(showing(&lib, b"Obwieszczenie").is_empty());
    assert!(showing(&lib, &notice_bytes[..64]).is_empty());

    // Without the key, nothing opens; with a wrong passphrase neither.
    let locked = lib.run(["search", "--json", "zabudowa"]);
    assert!(!locked.status.success());
    let said = String::from_utf8_lossy(&locked.stderr);
    assert!(
        said.contains("encrypted") && said.contains("recovery passphrase"),
        "{said}"
    );
    let wrong = with_passphrase(&lib, "czerwona łąka nad Wisłą", &["search", "zabudowa"]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("not this library's"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );

    // A new recovery passphrase (an administrator's, logged): the old one no longer opens it.
    const NEW: &str = "niebieskie niebo nad Tatrami";
    let out = lib
        .command()
        .env("SKLADNICA_LIBRARY_PASSPHRASE", PASSPHRASE)
        .env("SKLADNICA_NEW_LIBRARY_PASSPHRASE", NEW)
        .arg("passphrase")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let old = with_key(&lib, ["search", "zabudowa"]);
    assert!(String::from_utf8_lossy(&old.stderr).contains("not this library's"));
    let with_new = |args: &[&str]| with_passphrase(&lib, NEW, args);
    let log = json_of(&with_new(&["audit", "log", "--json"]), 0);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"library.encrypted") && actions.contains(&"library.passphrase_changed"),
        "{actions:?}"
    );
    assert_eq!(
        json_of(&with_new(&["audit", "verify", "--json"]), 0)["problems"],
        json!([])
    );
}

#[test]
fn the_key_lives_in_the_systems_keyring_and_the_passphrase_brings_it_back() {
    // A D-Bus session of its own with GNOME Keyring unlocked in it: a real Secret Service.
    let lib = Lib::new();
    let letter = lib.file(
        "pismo.pdf",
        &pdf_from_text(&format!("Pan {NAME} prosi o zaświadczenie."), None, None),
    );
    lib.import(&[&letter], 0);
    let home = lib.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let bin = crate::harness::binary();
    let script = format!(
        "set -e\n\
         eval $(printf haslo-testowe | gnome-keyring-daemon --unlock --components=secrets)\n\
         S='{bin}'; L='{lib}'\n\
         SKLADNICA_LIBRARY_PASSPHRASE='{PASSPHRASE}' \"$S\" --library \"$L\" encrypt\n\
         echo '-- from the keyring'\n\
         \"$S\" --library \"$L\" search zaświadczenia\n\
         \"$S\" --library \"$L\" lock\n\
         if \"$S\" --library \"$L\" search zaświadczenia 2>/dev/null; then exit 7; fi\n\
         echo '-- locked'\n\
         SKLADNICA_LIBRARY_PASSPHRASE='{PASSPHRASE}' \"$S\" --library \"$L\" unlock\n\
         \"$S\" --library \"$L\" search zaświadczenia\n",
        bin = bin.display(),
        lib = lib.root().display(),
    );
    let out = lib
        .command()
        .get_envs()
        .fold(
            &mut std::process::Command::new("dbus-run-session"),
            |c, (k, v)| match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            },
        )
        .args(["--", "sh", "-c", &script])
        .env("HOME", &home)
        .env_remove("SKLADNICA_NO_KEYRING")
        .output()
        .expect("dbus-run-session runs (Debian package dbus-daemon)");
    let said = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}{err}");
    assert!(err.contains("kept in this computer's keyring"), "{err}");
    let (keyring, rest) = said.split_once("-- from the keyring").unwrap();
    assert!(keyring.contains("encrypted"), "{keyring}");
    let (found, unlocked) = rest.split_once("-- locked").unwrap();
    assert!(found.contains("1 document match"), "{found}");
    assert!(found.contains("no longer on this computer"), "{found}");
    assert!(unlocked.contains("1 document match"), "{unlocked}");
}
