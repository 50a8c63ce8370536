//! Bad input: each bad file gets one clear error line naming it and the reason, nothing of it
//! is left in the library, the rest of the batch is imported, and the exit status is 1.

use std::path::PathBuf;

use skladnica_tests::hostile::png_with_size;
use skladnica_tests::{
    pdf_from_text, pdf_with_content_bomb, pdf_with_form_loop, pdf_with_page_tree_loop,
    pdf_with_xref_loop,
};

use crate::harness::Lib;

/// An encrypted PDF made by qpdf (a real tool), with a user password.
fn encrypted_pdf(lib: &Lib) -> Option<PathBuf> {
    let plain = lib.file(
        "jawny.pdf",
        &pdf_from_text("Tajne dane osobowe", None, None),
    );
    let out = lib.input().join("zaszyfrowany.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "haslo", "wlasciciel", "256", "--"])
        .arg(&plain)
        .arg(&out)
        .status()
        .ok()?;
    std::fs::remove_file(&plain).unwrap();
    status.success().then_some(out)
}

#[test]
fn every_bad_file_fails_alone_with_its_reason() {
    let lib = Lib::new();
    let good = pdf_from_text("Wniosek o dowód osobisty", None, None);
    let mut truncated = pdf_from_text("Umowa najmu lokalu użytkowego", None, None);
    truncated.truncate(truncated.len() / 2);
    let png = png_with_size(8, 8);
    let jpeg = {
        let img = image::GrayImage::from_pixel(64, 64, image::Luma([90u8]));
        let mut b = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Jpeg)
            .unwrap();
        b
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("pusty.pdf", vec![], "empty"),
        ("obciety.pdf", truncated, "damaged"),
        (
            "smieci.pdf",
            b"%PDF-1.7\n\x00\x01garbage garbage".to_vec(),
            "damaged",
        ),
        (
            "notatka.docx",
            b"PK\x03\x04 not a document we import".to_vec(),
            "unknown_type",
        ),
        ("kłamie.pdf", png.clone(), "extension_mismatch"),
        (
            "bomba.png",
            png_with_size(200_000, 200_000),
            "image_too_large",
        ),
        ("pasek.png", png_with_size(1, 100_000), "image_too_large"),
        ("obciete.jpg", jpeg[..jpeg.len() / 2].to_vec(), "damaged"),
        ("petla.pdf", pdf_with_page_tree_loop(), "reference_loop"),
        ("forma.pdf", pdf_with_form_loop(), "reference_loop"),
        (
            "bomba.pdf",
            pdf_with_content_bomb(100),
            "decompression_bomb",
        ),
    ];
    let mut paths = Vec::new();
    for (name, bytes, _) in &cases {
        paths.push(lib.file(name, bytes));
    }
    let ok = lib.file("dobry.pdf", &good);
    let ok_img = lib.file("dobry.jpg", &jpeg);
    paths.push(ok.clone());
    paths.push(ok_img.clone());
    let encrypted = encrypted_pdf(&lib);
    if let Some(e) = &encrypted {
        paths.push(e.clone());
    }
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    let out = {
        let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "--json".into()];
        args.extend(refs.iter().map(|p| p.as_os_str().to_owned()));
        lib.run(args)
    };
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failed = report["failed"].as_array().unwrap();
    for (name, _, code) in &cases {
        let f = failed
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported failed: {report:#}"));
        assert_eq!(f["code"], *code, "{name}: {f}");
        // One error line on stderr naming the file.
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        assert!(lines[0].starts_with("failed "), "{}", lines[0]);
    }
    let strip = failed
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("pasek.png"))
        .unwrap();
    let why = strip["error"].as_str().unwrap();
    assert!(
        why.contains("1×100000 pixels") && why.contains("60000 pixels a side"),
        "{why}"
    );
    if encrypted.is_some() {
        let f = failed
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with("zaszyfrowany.pdf"))
            .expect("the encrypted PDF is refused");
        assert_eq!(f["code"], "encrypted");
        assert!(f["error"].as_str().unwrap().contains("password"));
    } else {
        eprintln!("qpdf is not installed: the encrypted-PDF case was not run");
    }
    let imported = report["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 2, "{report:#}");
    // Nothing of the failures is in the library: only two documents, two blobs.
    assert_eq!(lib.json(["list", "--json"], 0).as_array().unwrap().len(), 2);
    let blobs: usize = std::fs::read_dir(lib.root().join("blobs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().len() == 2)
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum();
    assert_eq!(blobs, 2);
    assert_eq!(
        std::fs::read_dir(lib.root().join("blobs/tmp"))
            .unwrap()
            .count(),
        0
    );
    lib.assert_clean();
}

#[test]
fn a_cross_reference_loop_does_not_hang_the_import() {
    let lib = Lib::new();
    let path = lib.file("odsylacze.pdf", &pdf_with_xref_loop());
    let out = lib.run([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new("--json"),
        path.as_os_str(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Readers may recover the document from the first section or refuse it; either way the
    // import ends with a clear outcome and a clean library.
    let imported = report["imported"].as_array().unwrap().len();
    let failed = report["failed"].as_array().unwrap().len();
    assert_eq!(imported + failed, 1, "{report:#}");
    lib.assert_clean();
}

#[test]
fn a_missing_path_and_an_unreadable_file_are_reported() {
    let lib = Lib::new();
    let good = lib.file("ok.pdf", &pdf_from_text("Postanowienie", None, None));
    let missing = lib.input().join("nie-ma.pdf");
    let report = lib.import(&[&good, &missing], 1);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["code"], "unreadable");
    assert!(failed[0]["path"].as_str().unwrap().ends_with("nie-ma.pdf"));
    assert_eq!(report["imported"].as_array().unwrap().len(), 1);

    // A file without read permission (root reads anything, so only check when it matters).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = lib.file("zamkniety.pdf", &pdf_from_text("Zamknięty", None, None));
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_err() {
            let report = lib.import(&[&locked], 1);
            assert_eq!(report["failed"][0]["code"], "unreadable");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_imported_with_a_warning() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let lib = Lib::new();
    // "umowa_ł.pdf" with ł in Windows-1250 (0xB3): not UTF-8.
    let name = OsStr::from_bytes(b"umowa_\xb3.pdf");
    let path = lib.input().join(name);
    std::fs::write(&path, pdf_from_text("Umowa zlecenia", None, None)).unwrap();
    let report = lib.import(&[&path], 0);
    assert_eq!(report["imported"].as_array().unwrap().len(), 1);
    let warning = report["warnings"][0]["message"].as_str().unwrap();
    assert!(warning.contains("UTF-8"), "{warning}");
    let id = report["imported"][0]["id"].as_i64().unwrap();
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    assert_eq!(doc["files"][0]["original_name"], "umowa_\u{FFFD}.pdf");
}

/// A library folder its user may not write to (a colleague's, a read-only share): every writing
/// command says so, naming the folder, and leaves the library as it was. As root (CI), the
/// binary is run as `nobody` through util-linux's `setpriv`, since root may write anywhere.
#[test]
fn a_library_folder_that_cannot_be_written_is_said_so() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Lib::new();
    let letter = lib.file(
        "pismo.pdf",
        &pdf_from_text("Wniosek o wycinkę drzewa", None, None),
    );
    assert!(lib.command().arg("init").status().unwrap().success());
    let open = |p: &std::path::Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let root_user = crate::harness::running_as_root();
    open(lib.dir.path(), 0o755);
    open(&lib.input(), 0o755);
    open(&letter, 0o644);
    if !root_user {
        open(&lib.root(), 0o555);
    }
    let run = |args: &[&str]| {
        let mut c = crate::harness::unprivileged();
        c.arg("--library").arg(lib.root()).args(args);
        c.env_remove("SKLADNICA_LIBRARY");
        c.output().unwrap()
    };
    for args in [
        &["import", letter.to_str().unwrap()][..],
        &[
            "unit",
            "add",
            "OR",
            "Referat Organizacyjny",
            "--from",
            "2020",
        ][..],
    ] {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "{}: the library folder cannot be written",
                lib.root().display()
            )),
            "{err}"
        );
        assert_eq!(
            err.matches("denied").count(),
            0,
            "the OS error is not repeated: {err}"
        );
    }
    if !root_user {
        open(&lib.root(), 0o755);
    }
    let listed = lib.json(["list", "--json"], 0);
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");
}

#[test]
fn a_jrwa_csv_of_a_million_columns_is_refused_at_once_naming_its_line() {
    let lib = Lib::new();
    let mut csv = String::from("symbol;haslo;kategoria\n");
    csv.push_str(&vec!["x"; 1_000_000].join(";"));
    csv.push('\n');
    let file = lib.file("szeroki.csv", csv.as_bytes());
    let started = std::time::Instant::now();
    let err = lib.fails([
        "jrwa",
        "import",
        "--from",
        "2026-01-01",
        file.to_str().unwrap(),
    ]);
    assert!(
        err.contains("line 2: 1000000 fields, but the header has 3"),
        "{err}"
    );
    // Bounded: refused within seconds (a debug build here takes well under one).
    assert!(started.elapsed().as_secs() < 30);
    assert_eq!(
        lib.json(["jrwa", "versions", "--json"], 0)["versions"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing was loaded"
    );
}
