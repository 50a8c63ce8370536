//! Export of a paczka archiwalna (`skladnica export`) and its verification (`skladnica
//! verify`): the layout, every metadata file valid against Metadane 1.7 with xmllint, the
//! manifest checked by `sha256sum -c`, the spis zdawczo-odbiorczy and the confirmation; a flipped
//! bit, a missing, extra or linked file and a manifest naming a path outside the package are each
//! reported; bad targets and selections are refused with nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::{Lib, only_id};

const SCAN: &str =
    "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif";

/// A library with a closed case holding two letters and a scan read by OCR; returns the case
/// sign.
pub(crate) fn library_with_a_case(lib: &Lib) -> String {
    library_with_a_case_of(lib, 0)
}

/// The same with `more` letters in the case besides.
fn library_with_a_case_of(lib: &Lib, more: usize) -> String {
    let mut ids = Vec::new();
    for (name, text) in [
        (
            "wniosek",
            "Iwanowice, 3 marca 2026 r. Wniosek o wydanie zezwolenia na wycinkę drzewa.",
        ),
        (
            "decyzja",
            "Iwanowice, 20 marca 2026 r. Decyzja w sprawie zezwolenia na wycinkę drzewa.",
        ),
    ] {
        let pdf = skladnica_tests::pdf_from_text(text, Some(name), None);
        ids.push(only_id(
            &lib.import(&[&lib.file(&format!("{name}.pdf"), &pdf)], 0),
        ));
    }
    ids.push(only_id(
        &lib.import(&[&skladnica_tests::corpus().join(SCAN)], 0),
    ));
    let paths: Vec<PathBuf> = (0..more)
        .map(|i| {
            let text = format!(
                "Iwanowice, {} marca 2026 r. Pismo nr {i} w sprawie wycinki drzewa.",
                1 + i % 28
            );
            let pdf = skladnica_tests::pdf_from_text(&text, Some(&format!("pismo {i}")), None);
            lib.file(&format!("pismo-{i:03}.pdf"), &pdf)
        })
        .collect();
    if more > 0 {
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let report = lib.import(&refs, 0);
        for d in report["imported"].as_array().unwrap() {
            ids.push(d["id"].as_i64().unwrap());
        }
    }
    assert!(
        lib.run([
            "office",
            "set",
            "--town",
            "Iwanowice",
            "Urząd",
            "Gminy",
            "Iwanowice"
        ])
        .status
        .success()
    );
    lib.add_unit("OŚ", "2020", "Referat Ochrony Środowiska");
    let case = lib.open_case("OŚ", "6131", "Wycinka drzewa, dz. 12/3", "2026-03-04");
    let sign = case["sign"].as_str().unwrap().to_string();
    let mut add = vec!["case".to_string(), "add".into(), sign.clone()];
    add.extend(ids.iter().map(|i| i.to_string()));
    assert!(lib.run(&add).status.success());
    assert!(
        lib.run(["case", "close", &sign, "--on", "2026-04-01"])
            .status
            .success()
    );
    sign
}

fn export(lib: &Lib, target: &Path, args: &[&str], code: i32) -> Value {
    let mut all = vec!["export", "--json", "--to", target.to_str().unwrap()];
    all.extend_from_slice(args);
    lib.json(all, code)
}

fn verify(lib: &Lib, package: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["verify", "--json"];
    args.extend_from_slice(extra);
    args.push(package.to_str().unwrap());
    let out = lib.run(&args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), report)
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.push(e.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn reasons(report: &Value) -> String {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["path"].as_str().unwrap(),
                p["reason"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_case_goes_to_a_carrier_as_a_valid_verifiable_package() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let target = tempfile::tempdir().unwrap();
    let report = export(&lib, target.path(), &["--case", &sign], 0);
    assert_eq!(report["cases"], 1);
    assert_eq!(report["documents"], 3);
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");
    let package = PathBuf::from(report["package"].as_str().unwrap());
    // Only the package is on the target: the hidden working folder is gone.
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 1);

    let listed = files(&package);
    let folder = format!("dokumenty/{sign}/");
    let content: Vec<&String> = listed.iter().filter(|f| f.starts_with(&folder)).collect();
    // Two letters and a scan, and the scan's archive PDF.
    assert_eq!(content.len(), 4, "{listed:#?}");
    assert!(
        content.iter().any(|f| f.ends_with("-archiwalny.pdf")),
        "{listed:#?}"
    );
    for f in &content {
        assert!(
            listed.contains(&format!("metadane/{f}.xml")),
            "{f} has no metadata"
        );
    }
    for own in [
        format!("sprawy/{sign}.xml"),
        "spis-zdawczo-odbiorczy.csv".into(),
        "spis-zdawczo-odbiorczy.html".into(),
        "sumy-kontrolne.sha256".into(),
        "potwierdzenie.html".into(),
    ] {
        assert!(listed.contains(&own), "{own} missing: {listed:#?}");
    }
    assert_eq!(report["files"], listed.len());

    // Any tool can check the checksums.
    let out = Command::new("sha256sum")
        .args(["--check", "--strict", "--quiet", "sumy-kontrolne.sha256"])
        .current_dir(&package)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The confirmation states the manifest's checksum, the files and the size.
    let confirmation = std::fs::read_to_string(package.join("potwierdzenie.html")).unwrap();
    let checksum = report["checksum"].as_str().unwrap();
    assert!(confirmation.contains(checksum));
    assert!(confirmation.contains("SHA-256"));
    assert!(confirmation.contains(&format!("<td>{}</td>", listed.len())));
    // The spis: one row for the case with its heading, dates and documents.
    let spis = std::fs::read_to_string(package.join("spis-zdawczo-odbiorczy.csv")).unwrap();
    let row = spis.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("1;{sign};")), "{row}");
    assert!(row.ends_with(";2026-03-04;2026-04-01;3"), "{row}");
    let case_xml = std::fs::read_to_string(package.join(format!("sprawy/{sign}.xml"))).unwrap();
    assert!(
        case_xml.contains("<symbolJrwa>6131</symbolJrwa>"),
        "{case_xml}"
    );
    assert_eq!(case_xml.matches("<plik ").count(), 4);

    // Every metadata file is valid against the archive's schema (xmllint, offline).
    let schemas = tempfile::tempdir().unwrap();
    let xsd = skladnica_tests::xsd::schema(schemas.path(), "Metadane-1.7.xsd");
    let catalog = skladnica_tests::xsd::catalog(schemas.path());
    let mut c = lib.command();
    c.env("XML_CATALOG_FILES", &catalog);
    c.args([
        "verify",
        "--json",
        "--schema",
        xsd.to_str().unwrap(),
        package.to_str().unwrap(),
    ]);
    let out = c.output().unwrap();
    let sound: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", reasons(&sound));
    assert_eq!(sound["schema_checked"], 4);
    assert_eq!(sound["files_checked"], listed.len() - 2);

    // Each kind of damage is reported.
    let scan_pdf = content
        .iter()
        .find(|f| f.ends_with("-archiwalny.pdf"))
        .unwrap();
    let mut bytes = std::fs::read(package.join(scan_pdf)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(package.join(scan_pdf), &bytes).unwrap();
    let letter = content
        .iter()
        .find(|f| f.ends_with(".pdf") && !f.contains("archiwalny"))
        .unwrap();
    std::fs::remove_file(package.join(format!("metadane/{letter}.xml"))).unwrap();
    std::fs::write(package.join("dokumenty/dopisany.txt"), "obcy plik").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", package.join("dokumenty/link")).unwrap();
    let (code, broken) = verify(&lib, &package, &[]);
    assert_eq!(code, 1);
    let said = reasons(&broken);
    for expected in [
        format!("{scan_pdf}: checksum differs"),
        format!("metadane/{letter}.xml: listed in the manifest but missing"),
        format!("{letter}: has no metadata file"),
        "dokumenty/dopisany.txt: not listed in the manifest".into(),
        "dokumenty/dopisany.txt: has no metadata file".into(),
        "dokumenty/link: is a link".into(),
    ] {
        assert!(said.contains(&expected), "{expected} not in:\n{said}");
    }
}

#[test]
fn a_manifest_naming_paths_outside_the_package_is_refused() {
    let lib = Lib::new();
    let package = tempfile::tempdir().unwrap();
    std::fs::write(
        package.path().join("sumy-kontrolne.sha256"),
        format!("{}  ../../etc/passwd\nnot a line\n", "0".repeat(64)),
    )
    .unwrap();
    let (code, report) = verify(&lib, package.path(), &[]);
    assert_eq!(code, 1);
    let said = reasons(&report);
    assert!(
        said.contains(
            "../../etc/passwd: sumy-kontrolne.sha256 line 1: the name leaves the package"
        ),
        "{said}"
    );
    assert!(said.contains("line 2: not \"<sha256>  <file>\""), "{said}");
    assert!(said.contains("potwierdzenie.html: missing"), "{said}");
    // A folder with no manifest is no package.
    let empty = tempfile::tempdir().unwrap();
    let out = lib.run(["verify", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a package"));
}

#[test]
fn bad_targets_and_selections_are_refused_with_nothing_written() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let target = tempfile::tempdir().unwrap();
    let refuse = |args: &[&str], to: &Path, says: &str| {
        let mut all = vec!["export", "--to", to.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = lib.run(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refuse(
        &["--case", &sign],
        &target.path().join("nie-ma"),
        "is not a folder",
    );
    refuse(&[], target.path(), "choose what to export");
    refuse(
        &["--case", "XX.1.1.2026"],
        target.path(),
        "there is no case XX.1.1.2026",
    );
    refuse(&["--category", "BE5"], target.path(), "no case matches");
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
    // A second export to the same target gets its own folder.
    let first = export(&lib, target.path(), &["--all"], 0);
    let second = export(&lib, target.path(), &["--category", "B"], 0);
    assert_ne!(first["package"], second["package"]);
    assert_eq!(second["cases"], 1);
}

#[test]
fn an_incremental_export_holds_exactly_what_changed_since_the_last_one_to_that_target() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let loose =
        skladnica_tests::pdf_from_text("Notatka służbowa bez sprawy.", Some("notatka"), None);
    let loose = only_id(&lib.import(&[&lib.file("notatka.pdf", &loose)], 0));
    let target = tempfile::tempdir().unwrap();
    let first = export(&lib, target.path(), &["--all", "--since-last"], 0);
    assert_eq!(first["documents"], 4, "{first}");
    assert!(first["since"].is_null());

    // One document of the case changes; the loose note does not.
    let case = lib.json(["case", "show", "--json", &sign], 0);
    let changed = case["documents"][1]["id"].as_i64().unwrap();
    assert!(
        lib.run([
            "meta",
            "set",
            &changed.to_string(),
            "opis=Uzupełniono o mapę"
        ])
        .status
        .success()
    );
    let second = export(&lib, target.path(), &["--all", "--since-last"], 0);
    assert_eq!(second["documents"], 1, "{second}");
    assert_eq!(second["cases"], 1);
    assert_eq!(
        second["since"]["package"],
        first["package"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
    );
    let package = PathBuf::from(second["package"].as_str().unwrap());
    let metadata: Vec<String> = files(&package)
        .into_iter()
        .filter(|f| f.starts_with("metadane/"))
        .collect();
    assert_eq!(metadata.len(), 1, "{metadata:?}");
    let xml = std::fs::read_to_string(package.join(&metadata[0])).unwrap();
    assert!(xml.contains("Uzupełniono o mapę"), "{xml}");
    assert!(
        !files(&package)
            .iter()
            .any(|f| f.contains(&format!("/{loose}-")))
    );

    // Nothing changed since: nothing is written, and that is no failure.
    let third = export(&lib, target.path(), &["--all", "--since-last"], 0);
    assert!(third["package"].is_null(), "{third}");
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 2);
    // Another target starts from nothing.
    let other = tempfile::tempdir().unwrap();
    assert_eq!(
        export(&lib, other.path(), &["--all", "--since-last"], 0)["documents"],
        4
    );
    let log = lib.json(
        ["exports", "--json", "--to", target.path().to_str().unwrap()],
        0,
    );
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["incremental"], true);
    assert_eq!(log[1]["incremental"], false);
}

#[test]
fn a_full_backup_is_a_bag_that_restores_the_same_library() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let target = tempfile::tempdir().unwrap();
    let report = lib.json(
        [
            "export",
            "--json",
            "--backup",
            "--to",
            target.path().to_str().unwrap(),
        ],
        0,
    );
    let bag = PathBuf::from(report["bag"].as_str().unwrap());
    assert_eq!(report["documents"], 3);
    // Standard tools read the bag: its manifests are in `sha256sum` format.
    for manifest in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let out = Command::new("sha256sum")
            .args(["--check", "--strict", "--quiet", manifest])
            .current_dir(&bag)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{manifest}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(
        info.contains("Source-Organization: Urząd Gminy Iwanowice"),
        "{info}"
    );
    let (code, sound) = verify(&lib, &bag, &[]);
    assert_eq!(code, 0, "{}", reasons(&sound));

    // Restored into a new library: the same documents, case and search results.
    let restored = Lib::new();
    let out = restored.run(["restore", bag.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_library(&restored, &lib, &sign);
    let check = restored.run(["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Not into a library that has something in it.
    let out = restored.run(["restore", bag.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    // A damaged bag is refused whole, with nothing written.
    let blob = walk(&bag.join("data/blobs"))[0].clone();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[0] ^= 0x80;
    std::fs::write(&blob, bytes).unwrap();
    let fresh = Lib::new();
    let out = fresh.run(["restore", bag.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the backup is damaged, nothing restored"),
        "{err}"
    );
    assert!(err.contains("checksum differs"), "{err}");
    assert!(!fresh.root().exists());
    let (code, _) = verify(&lib, &bag, &[]);
    assert_eq!(code, 1);
}

/// `restored` holds what `lib` does: the same documents, the case `sign`, the same search results.
fn assert_same_library(restored: &Lib, lib: &Lib, sign: &str) {
    assert_eq!(
        restored.json(["list", "--json"], 0),
        lib.json(["list", "--json"], 0)
    );
    assert_eq!(
        restored.json(["case", "show", "--json", sign], 0),
        lib.json(["case", "show", "--json", sign], 0)
    );
    for q in ["wycinkę", "drzewa", "rok:2026"] {
        assert_eq!(restored.hit_ids(q), lib.hit_ids(q), "{q}");
    }
}

fn with_passphrase(lib: &Lib, passphrase: &str, args: &[&str]) -> std::process::Output {
    lib.command()
        .env("SKLADNICA_PASSPHRASE", passphrase)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_encrypted_backup_shows_nothing_without_its_passphrase_and_restores_with_it() {
    let lib = Lib::new();
    let sign = library_with_a_case(&lib);
    let target = tempfile::tempdir().unwrap();
    let to = target.path().to_str().unwrap();
    const PASS: &str = "Zima w Iwanowicach 2026!";

    // Too short a passphrase: refused, nothing written.
    let out = with_passphrase(
        &lib,
        "krótkie",
        &["export", "--backup", "--encrypt", "--to", to],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);

    let out = with_passphrase(
        &lib,
        PASS,
        &["export", "--json", "--backup", "--encrypt", "--to", to],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"], 3);
    let file = PathBuf::from(report["bag"].as_str().unwrap());
    assert!(file.to_str().unwrap().ends_with(".tar.age"), "{file:?}");
    // The carrier holds that one file and nothing readable: an age file for a passphrase.
    let names: Vec<_> = std::fs::read_dir(target.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    for plain in [
        &b"SQLite format 3"[..],
        b"BagIt-Version",
        b"Iwanowice",
        b"%PDF",
    ] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "{}",
            String::from_utf8_lossy(plain)
        );
    }

    // The reference age tool opens it (it asks for the passphrase on a terminal, which
    // `script` gives it) and the bag inside checks with `sha256sum`.
    let open = tempfile::tempdir().unwrap();
    let tar = open.path().join("kopia.tar");
    let mut age = Command::new("script")
        .args([
            "-qec",
            &format!("age -d -o {} {}", tar.display(), file.display()),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    std::thread::sleep(std::time::Duration::from_millis(500));
    {
        use std::io::Write;
        let mut stdin = age.stdin.take().unwrap();
        writeln!(stdin, "{PASS}").unwrap();
    }
    let done = age.wait_with_output().unwrap();
    assert!(
        done.status.success() && tar.is_file(),
        "age: {}",
        String::from_utf8_lossy(&done.stdout)
    );
    assert!(
        Command::new("tar")
            .arg("xf")
            .arg(&tar)
            .current_dir(open.path())
            .status()
            .unwrap()
            .success()
    );
    let bag = open.path().join(
        file.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".tar.age"),
    );
    for manifest in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let ok = Command::new("sha256sum")
            .args(["--check", "--strict", "--quiet", manifest])
            .current_dir(&bag)
            .status()
            .unwrap();
        assert!(ok.success(), "{manifest} in {bag:?}");
    }

    let out = with_passphrase(&lib, PASS, &["verify", "--json", file.to_str().unwrap()]);
    let sound: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        out.status.success(),
        "{}{}",
        reasons(&sound),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(sound["files_checked"].as_u64().unwrap() >= 6, "{sound}");
    let out = with_passphrase(
        &lib,
        "to nie jest to hasło",
        &["verify", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the passphrase is wrong"));

    // The wrong passphrase restores nothing; the right one the same library.
    let restored = Lib::new();
    let out = with_passphrase(
        &restored,
        "to nie jest to hasło",
        &["restore", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!restored.root().exists());
    let out = with_passphrase(&restored, PASS, &["restore", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_library(&restored, &lib, &sign);
    let leftovers: Vec<_> = std::fs::read_dir(restored.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the decrypted copy is removed: {leftovers:?}"
    );
    // Merged into the library it came from: everything is there already, nothing changes, and
    // the decrypted copy is gone again.
    let out = with_passphrase(
        &restored,
        PASS,
        &["restore", "--merge", "--json", file.to_str().unwrap()],
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(merged["documents_present"], 3, "{merged}");
    assert_eq!(merged["documents_added"], 0, "{merged}");
    assert_eq!(merged["cases_joined"], 1, "{merged}");
    assert_same_library(&restored, &lib, &sign);
    assert!(
        std::fs::read_dir(restored.dir.path())
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().starts_with('.')),
        "the decrypted copy is removed after a merge"
    );

    // A damaged byte anywhere is found; nothing is restored from it.
    let mut bytes = bytes;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    let out = with_passphrase(&lib, PASS, &["verify", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = Lib::new();
    let out = with_passphrase(&fresh, PASS, &["restore", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!fresh.root().exists());
    let leftovers = std::fs::read_dir(fresh.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn an_export_killed_midway_is_carried_on_and_ends_identical_to_one_not_interrupted() {
    let lib = Lib::new();
    // Many letters in the case, so that the export is caught midway.
    let sign = library_with_a_case_of(&lib, 160);

    let whole = tempfile::tempdir().unwrap();
    let expected = PathBuf::from(
        export(&lib, whole.path(), &["--case", &sign], 0)["package"]
            .as_str()
            .unwrap()
            .to_string(),
    );

    let target = tempfile::tempdir().unwrap();
    let mut child = lib
        .command()
        .args([
            "export",
            "--to",
            target.path().to_str().unwrap(),
            "--case",
            &sign,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let hidden = loop {
        let partial = std::fs::read_dir(target.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .ends_with(".czesciowa")
            });
        let written = partial
            .as_ref()
            .and_then(|p| std::fs::read_dir(p.join("dokumenty").join(&sign)).ok())
            .map_or(0, |d| d.count());
        if written >= 6 {
            child.kill().unwrap();
            break partial.unwrap();
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the export ended before it could be interrupted"
        );
        assert!(started.elapsed().as_secs() < 120);
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.wait().unwrap();
    // Killed: no package under its name, the hidden one half-full.
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 1);
    assert!(files(&hidden).len() < files(&expected).len());
    // A stray file from elsewhere in the hidden folder does not survive.
    std::fs::write(hidden.join("dokumenty").join("obcy.txt"), "x").unwrap();

    let resumed = export(&lib, target.path(), &["--case", &sign], 0);
    let package = PathBuf::from(resumed["package"].as_str().unwrap());
    assert_eq!(
        std::fs::read_dir(target.path()).unwrap().count(),
        1,
        "the hidden folder is gone"
    );
    assert_eq!(files(&package), files(&expected));
    // The confirmation also states the audit log's head as it was when each was written, which
    // the first export moved on; the rest is the same.
    let without_head = |b: Vec<u8>| -> Vec<u8> {
        String::from_utf8(b)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("Dziennik zdarzeń"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    };
    for f in files(&expected) {
        let (mut got, mut want) = (
            std::fs::read(package.join(&f)).unwrap(),
            std::fs::read(expected.join(&f)).unwrap(),
        );
        if f == "potwierdzenie.html" {
            (got, want) = (without_head(got), without_head(want));
        }
        assert!(got == want, "{f} differs from the uninterrupted export's");
    }
    assert_eq!(resumed["checksum"], export_checksum(&expected));
}

fn export_checksum(package: &Path) -> Value {
    let manifest = std::fs::read(package.join("sumy-kontrolne.sha256")).unwrap();
    Value::String(skladnica_core::blobs::sha256_hex(&manifest))
}

/// A carrier the user may not write to (a write-protected disk, a share mounted read-only): the
/// export says which folder and why, and writes nothing.
#[test]
fn a_target_that_cannot_be_written_is_named_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Lib::new();
    library_with_a_case(&lib);
    let target = tempfile::tempdir().unwrap();
    let mode =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    // The library is the unprivileged user's; the carrier is not theirs to write.
    mode(lib.dir.path(), 0o755);
    mode(target.path(), 0o555);
    if crate::harness::running_as_root() {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(lib.root())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let out = crate::harness::unprivileged()
        .arg("--library")
        .arg(lib.root())
        .args(["export", "--all", "--to", target.path().to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&target.path().display().to_string()), "{err}");
    assert!(err.contains("Permission denied"), "{err}");
    mode(target.path(), 0o755);
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
}

/// Starts an export of case `sign` to `target` and calls `strike(partial)` once `after` files
/// are in its hidden folder; returns the export's exit code and stderr.
fn export_struck_midway(
    lib: &Lib,
    target: &Path,
    sign: &str,
    after: usize,
    strike: impl FnOnce(&Path),
) -> (i32, String) {
    let child = lib
        .command()
        .args(["export", "--to", target.to_str().unwrap(), "--case", sign])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let mut child = child;
    let mut strike = Some(strike);
    loop {
        let partial = std::fs::read_dir(target).ok().and_then(|d| {
            d.flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(".czesciowa"))
        });
        let written = partial
            .as_ref()
            .and_then(|p| std::fs::read_dir(p.join("dokumenty").join(sign)).ok())
            .map_or(0, |d| d.count());
        if let Some(partial) = partial.filter(|_| written >= after) {
            (strike.take().unwrap())(&partial);
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the export ended before it could be struck"
        );
        assert!(started.elapsed().as_secs() < 120);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_carrier_that_fills_up_or_vanishes_midway_is_named_and_holds_no_package() {
    let lib = Lib::new();
    let sign = library_with_a_case_of(&lib, 120);
    let before = lib.json(["exports", "--json"], 0);

    // A share that disappears: named, and its folder is not made again on the local disk.
    let gone = tempfile::tempdir().unwrap();
    let share = gone.path().join("udzial");
    std::fs::create_dir(&share).unwrap();
    let (code, err) = export_struck_midway(&lib, &share, &sign, 6, |_| {
        std::fs::rename(&share, gone.path().join("gdzie-indziej")).unwrap();
    });
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&share.display().to_string()), "{err}");
    assert!(
        err.contains("disappeared") || err.contains("No such file"),
        "{err}"
    );
    assert!(!share.exists(), "the vanished folder was made again: {err}");

    // A disk that fills up (a small RAM disk, filled by another program midway): the error
    // says so, and what was written is removed. Mounting needs root, as in CI.
    if crate::harness::running_as_root() {
        let disk = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=40m", "tmpfs"])
            .arg(disk.path())
            .status()
            .unwrap();
        assert!(mounted.success(), "mount tmpfs");
        // As soon as the export has begun writing (it is well past its free-space check).
        let (code, err) = export_struck_midway(&lib, disk.path(), &sign, 0, |_| {
            // Another program takes every byte left.
            let mut f = std::fs::File::create(disk.path().join("film.mp4")).unwrap();
            let block = vec![7u8; 4 << 20];
            use std::io::Write;
            while f.write_all(&block).is_ok() {}
            while f.write_all(&block[..4096]).is_ok() {}
        });
        let left: Vec<String> = files(disk.path());
        let _ = Command::new("umount").arg(disk.path()).status();
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("No space left on device"), "{err}");
        assert!(err.contains(&disk.path().display().to_string()), "{err}");
        assert_eq!(left, vec!["film.mp4".to_string()], "{err}");
    }

    // Nothing was recorded; a good carrier then gets the whole package.
    assert_eq!(lib.json(["exports", "--json"], 0), before);
    let good = tempfile::tempdir().unwrap();
    let report = export(&lib, good.path(), &["--case", &sign], 0);
    let (code, sound) = verify(&lib, Path::new(report["package"].as_str().unwrap()), &[]);
    assert_eq!(code, 0, "{}", reasons(&sound));
}

/// Registers a letter from an institution in the incoming register; returns its number.
pub(crate) fn register_letter(lib: &Lib, title: &str, document: Option<i64>) -> String {
    let mut args = vec![
        "rpw".to_string(),
        "register".into(),
        "--json".into(),
        "--sender".into(),
        "Regionalny Dyrektor Ochrony Środowiska w Krakowie".into(),
        "--town".into(),
        "Kraków".into(),
        "--received".into(),
        "2026-03-06".into(),
        "--undated".into(),
        "--title".into(),
        title.into(),
    ];
    if let Some(d) = document {
        args.extend(["--document".into(), d.to_string()]);
    }
    lib.json(&args, 0)["number"].as_str().unwrap().to_string()
}

/// Titles of the documents a query finds, sorted.
fn hit_titles(lib: &Lib, query: &str) -> Vec<String> {
    let mut titles: Vec<String> = lib.search(query)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn a_backup_is_merged_into_a_library_in_use_only_when_asked_and_what_clashes_is_named() {
    // The old PC's library: a case of three documents, an incoming letter registered, and a
    // second case opened.
    let old = Lib::new();
    let sign = library_with_a_case(&old);
    let ids: Vec<i64> = old
        .json(["list", "--json"], 0)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let number = register_letter(&old, "Opinia w sprawie wycinki drzewa", Some(ids[0]));
    let second = old.open_case("OŚ", "6131", "Wycinka topoli, dz. 5/1", "2026-03-10");
    let second = second["sign"].as_str().unwrap().to_string();
    let target = tempfile::tempdir().unwrap();
    let report = old.json(
        [
            "export",
            "--json",
            "--backup",
            "--to",
            target.path().to_str().unwrap(),
        ],
        0,
    );
    let bag = report["bag"].as_str().unwrap().to_string();

    // The new PC's library, started before the backup was found: one of the same letters, the
    // same case opened again, a letter of its own registered first, and another case under the
    // second case's sign.
    let new = Lib::new();
    let letter = skladnica_tests::pdf_from_text(
        "Iwanowice, 3 marca 2026 r. Wniosek o wydanie zezwolenia na wycinkę drzewa.",
        Some("wniosek"),
        None,
    );
    only_id(&new.import(&[&new.file("wniosek.pdf", &letter)], 0));
    let road = skladnica_tests::pdf_from_text(
        "Iwanowice, 2 kwietnia 2026 r. Wniosek o remont drogi gminnej.",
        Some("remont"),
        None,
    );
    let road = only_id(&new.import(&[&new.file("remont.pdf", &road)], 0));
    new.add_unit("OŚ", "2020", "Referat Ochrony Środowiska");
    assert_eq!(
        new.open_case("OŚ", "6131", "Wycinka drzewa, dz. 12/3", "2026-03-04")["sign"],
        sign.as_str()
    );
    assert_eq!(
        register_letter(&new, "Wniosek o remont drogi", Some(road)),
        number
    );
    assert_eq!(
        new.open_case("OŚ", "6131", "Wycinka lipy, dz. 8", "2026-03-11")["sign"],
        second.as_str()
    );
    let before = new.json(["list", "--json"], 0);

    // Not without asking.
    let out = new.run(["restore", &bag]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--merge"));
    assert_eq!(new.json(["list", "--json"], 0), before);

    // Asked: the two documents it lacked come with their case; the clashes are named.
    let merged = new.json(["restore", "--json", "--merge", &bag], 0);
    assert_eq!(merged["documents_added"], 2, "{merged}");
    assert_eq!(merged["documents_present"], 1, "{merged}");
    assert_eq!(merged["cases_joined"], 1, "{merged}");
    assert_eq!(merged["cases_added"], 0, "{merged}");
    assert_eq!(merged["rpw_added"], 0, "{merged}");
    let not_merged: Vec<String> = merged["not_merged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert_eq!(not_merged.len(), 2, "{not_merged:?}");
    assert!(
        not_merged
            .iter()
            .any(|n| n.contains(&second) && n.contains("Wycinka lipy")),
        "{not_merged:?}"
    );
    assert!(
        not_merged
            .iter()
            .any(|n| n.contains(&number.replace('/', ".")) || n.contains(&number)),
        "{not_merged:?}"
    );
    let case = new.json(["case", "show", "--json", &sign], 0);
    assert_eq!(case["documents"].as_array().unwrap().len(), 3, "{case}");
    assert_eq!(new.json(["list", "--json"], 0).as_array().unwrap().len(), 4);
    // Found by search like in the old library, the scan's OCR text included.
    for q in ["wycinkę", "drzewa"] {
        assert_eq!(hit_titles(&new, q), hit_titles(&old, q), "{q}");
    }
    let check = new.run(["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Merging again adds nothing.
    let again = new.json(["restore", "--json", "--merge", &bag], 0);
    assert_eq!(again["documents_added"], 0, "{again}");
    assert_eq!(again["documents_present"], 3, "{again}");
    assert_eq!(new.json(["list", "--json"], 0).as_array().unwrap().len(), 4);

    // A damaged backup is refused whole; the library is as it was.
    let before = new.json(["list", "--json"], 0);
    let blob = walk(&Path::new(&bag).join("data/blobs"))[0].clone();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[0] ^= 0x80;
    std::fs::write(&blob, bytes).unwrap();
    let out = new.run(["restore", "--merge", &bag]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the backup is damaged, nothing restored")
    );
    assert_eq!(new.json(["list", "--json"], 0), before);
}
