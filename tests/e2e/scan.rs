//! Scanning through SANE with its real virtual devices: `test` (sources, modes, an ADF that
//! empties after 10 sheets, patterns) and `pnm` (a "scanner" whose glass holds an image file,
//! here a real Polish scan), and `net` through a real `saned` that is killed in the middle of a
//! batch. Separator sheets and blank pages split a scanned stack.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::harness::{Lib, meta};

const SCAN: &str =
    "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif";

fn scan(lib: &Lib, args: &[&str], code: i32) -> serde_json::Value {
    let mut all = vec!["scan", "--json"];
    all.extend_from_slice(args);
    lib.json(all, code)
}

#[test]
fn the_test_scanners_are_listed_with_what_they_offer() {
    let lib = Lib::new();
    let devices = lib.json(["scanners", "--json"], 0);
    let test0 = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "test:0")
        .unwrap_or_else(|| panic!("no test:0 in {devices:#}"));
    let sources: Vec<&str> = test0["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"Automatic Document Feeder"),
        "{sources:?}"
    );
    assert!(sources.contains(&"Flatbed"), "{sources:?}");
    assert_eq!(test0["modes"], serde_json::json!(["Gray", "Color"]));
    assert_eq!(test0["max_width_mm"], 200.0);
    let profiles = lib.json(["profiles", "--json"], 0);
    let names: Vec<&str> = profiles
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"dokumenty") && names.contains(&"dwustronne"),
        "{names:?}"
    );
}

#[test]
fn an_adf_stack_becomes_one_document_of_its_pages() {
    let lib = Lib::new();
    let report = scan(
        &lib,
        &[
            "--device",
            "test:0",
            "--source",
            "adf",
            "--option",
            "test-picture=Grid",
            "--no-wait",
        ],
        0,
    );
    // The test feeder holds 10 sheets.
    assert_eq!(report["pages_scanned"], 10, "{report:#}");
    assert_eq!(report["applied"]["feeder"], true, "{report:#}");
    assert_eq!(report["applied"]["resolution"], 300, "{report:#}");
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "{report:#}");
    assert_eq!(docs[0]["pages"], 10);
    let id = docs[0]["id"].as_i64().unwrap().to_string();
    let doc = lib.json(["show", "--json", &id], 0);
    let pages = doc["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 10);
    // A4 clamped to the test device's 200 mm area, at 300 dpi.
    assert_eq!(pages[0]["width_px"], 2362, "{:#}", pages[0]);
    assert_eq!(pages[0]["text_source"], "awaiting_ocr");
    let value = |key| meta(&doc, key).map(|(value, _)| value);
    assert_eq!(value("scanner"), Some("test:0"), "{doc:#}");
    assert_eq!(value("scan_profile"), Some("dokumenty"), "{doc:#}");
    // The batch folder is gone once everything is in the library.
    assert!(!lib.root().join("skany").exists());
    lib.assert_clean();
}

#[test]
fn blank_pages_are_dropped_and_a_flatbed_gives_one_page() {
    let lib = Lib::new();
    // Ten white sheets, blank pages dropped: nothing to keep.
    let report = scan(
        &lib,
        &[
            "--device",
            "test:0",
            "--source",
            "adf",
            "--option",
            "test-picture=Solid white",
            "--blank",
            "drop",
            "--no-wait",
        ],
        0,
    );
    assert_eq!(report["pages_scanned"], 10, "{report:#}");
    assert_eq!(report["blank_pages"], 10, "{report:#}");
    assert!(report["documents"].as_array().unwrap().is_empty());
    // The glass: one page, in colour, saved as a new profile of the library.
    let report = scan(
        &lib,
        &[
            "--device",
            "test:1",
            "--source",
            "flatbed",
            "--colour",
            "color",
            "--resolution",
            "150",
            "--option",
            "test-picture=Color pattern",
            "--save-profile",
            "kolorowy-podglad",
            "--no-wait",
        ],
        0,
    );
    assert_eq!(report["pages_scanned"], 1, "{report:#}");
    assert_eq!(report["applied"]["mode"], "Color");
    assert_eq!(report["documents"][0]["pages"], 1);
    let profiles = lib.json(["profiles", "--json"], 0);
    let saved = profiles
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "kolorowy-podglad")
        .unwrap_or_else(|| panic!("{profiles:#}"));
    assert_eq!(saved["resolution"], 150);
    assert_eq!(saved["colour"], "color");
}

#[test]
fn a_bad_device_or_option_is_a_clear_error() {
    let lib = Lib::new();
    let out = lib.run(["scan", "--device", "test:7"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("no scanner named \"test:7\"") && stderr.contains("test:0"),
        "{stderr}"
    );
    // The pnm device has only a glass.
    let out = lib.run(["scan", "--device", "pnm:0", "--source", "adf"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot scan from the document feeder"),
        "{stderr}"
    );
    let out = lib.run(["scan", "--device", "test:0", "--option", "no-such-option=1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot set the option \"no-such-option\""),
        "{stderr}"
    );
    assert!(
        !lib.root().join("skany").exists()
            || std::fs::read_dir(lib.root().join("skany")).unwrap().count() == 0
    );
}

/// Writes the grey corpus scan as a PGM file (what the `pnm` backend scans).
fn scan_as_pgm(path: &Path) {
    let bytes = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let img = image::load_from_memory(&bytes).unwrap().to_luma8();
    let mut pgm = format!("P5\n{} {}\n255\n", img.width(), img.height()).into_bytes();
    pgm.extend_from_slice(img.as_raw());
    std::fs::write(path, pgm).unwrap();
}

#[test]
fn a_page_scanned_from_the_pnm_device_is_read_and_found() {
    let lib = Lib::new();
    let pgm = lib.input().join("strona.pgm");
    scan_as_pgm(&pgm);
    let file = format!("filename={}", pgm.display());
    let report = scan(&lib, &["--device", "pnm:0", "--option", &file], 0);
    let id = report["documents"][0]["id"].as_i64().unwrap();
    assert_eq!(lib.hit_ids("kukurydza"), vec![id]);
    assert_eq!(lib.hit_ids("pustynia"), vec![id]);
    lib.assert_clean();
}

#[test]
fn a_network_scanner_that_disappears_mid_batch_keeps_the_pages_already_scanned() {
    let lib = Lib::new();
    // A real saned serving the test device, on the standard SANE port of this machine.
    let server = lib.sane_config(&["test"]);
    std::fs::write(server.join("saned.conf"), "localhost\n127.0.0.1\n").unwrap();
    // In a process group of its own, so that it and the child serving the connection can be
    // taken away together without touching any other saned on the machine.
    let mut saned = Command::new("saned")
        .process_group(0)
        .args(["-l", "-e", "-b", "127.0.0.1", "-d", "0"])
        .env("SANE_CONFIG_DIR", &server)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("saned (sane-utils) runs");
    // Wait until it listens.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", 6566)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let client = lib.sane_config(&["net"]);
    std::fs::write(client.join("net.conf"), "localhost\n").unwrap();
    let scanning = lib
        .command()
        .env("SANE_CONFIG_DIR", &client)
        .args([
            "scan",
            "--json",
            "--no-wait",
            "--device",
            "net:localhost:test:0",
            "--source",
            "adf",
            "--option",
            "test-picture=Grid",
            "--option",
            "read-delay=yes",
            "--option",
            "read-delay-duration=50000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Let a few sheets through, then take the server away.
    std::thread::sleep(Duration::from_secs(4));
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", saned.id())])
        .status();
    let _ = saned.wait();
    let out = scanning.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}; stderr: {}; stdout: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scanned = report["pages_scanned"].as_u64().unwrap();
    assert!((1..10).contains(&scanned), "{report:#}");
    let error = report["scanner_error"].as_str().unwrap();
    assert!(error.contains("net:localhost:test:0"), "{error}");
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "{report:#}");
    // Every page that was scanned whole is in the library.
    let id = docs[0]["id"].as_i64().unwrap().to_string();
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(
        doc["pages"].as_array().unwrap().len() as u64,
        docs[0]["pages"].as_u64().unwrap()
    );
    assert!(docs[0]["pages"].as_u64().unwrap() >= scanned - 1);
    lib.assert_clean();
}

/// A scanned stack as a scanner's scan-to-folder writes it: a multi-page TIFF in `dir` of the
/// pages A, separator sheet, B, a blank duplex back, B again, separator sheet, C.
fn stack_file(lib: &Lib, dir: &Path) -> std::path::PathBuf {
    // The separator sheet, as a user prints it.
    let sheet = lib.input().join("rozdzielacz.png");
    let out = lib.run(["separator".as_ref(), sheet.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheet = image::open(&sheet).unwrap().to_luma8();
    // Three parts of a real scan: the first, middle and last thirds.
    let bytes = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let scan = image::load_from_memory(&bytes).unwrap().to_luma8();
    let third = scan.height() / 3;
    let part =
        |i: u32| image::imageops::crop_imm(&scan, 0, i * third, scan.width(), third).to_image();
    let blank = image::GrayImage::from_fn(2480, 3508, |x, y| {
        image::Luma([if (x * 31 + y * 17) % 9973 == 0 {
            90
        } else {
            245
        }])
    });
    // A, separator, B, blank (a duplex back), B again (its top half), separator, C.
    let pages = [
        part(0),
        sheet.clone(),
        part(1),
        blank,
        part(1),
        sheet,
        part(2),
    ];
    let stack = dir.join("stos.tif");
    {
        let file = std::io::BufWriter::new(std::fs::File::create(&stack).unwrap());
        let mut enc = tiff::encoder::TiffEncoder::new(file).unwrap();
        for p in &pages {
            enc.write_image::<tiff::encoder::colortype::Gray8>(p.width(), p.height(), p.as_raw())
                .unwrap();
        }
    }
    stack
}

#[test]
fn a_stack_with_separator_sheets_and_blank_pages_splits_into_the_right_documents() {
    let lib = Lib::new();
    let stack = stack_file(&lib, &lib.input());
    let stack_arg = stack.as_os_str();
    let report = lib.json(
        [
            "import".as_ref(),
            "--json".as_ref(),
            "--separate".as_ref(),
            "--blank".as_ref(),
            "drop".as_ref(),
            stack_arg,
        ],
        0,
    );
    let split = &report["stacks"][0];
    assert_eq!(split["pages"], 7, "{report:#}");
    assert_eq!(split["separators"], 2, "{report:#}");
    assert_eq!(split["blank_pages"], 1, "{report:#}");
    // The documents in stack order.
    let ids: Vec<i64> = split["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| {
            let path = part[0].as_str().unwrap();
            report["imported"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["path"] == path)
                .unwrap_or_else(|| panic!("{path} not imported: {report:#}"))["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 3, "{report:#}");
    let pages_of = |id: i64| {
        lib.json(["show", "--json", &id.to_string()], 0)["pages"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        ids.iter().map(|&id| pages_of(id)).collect::<Vec<_>>(),
        vec![1, 2, 1]
    );
    // Each part's words are found in its own document.
    assert_eq!(lib.hit_ids("kukurydzy"), vec![ids[0]]);
    assert_eq!(lib.hit_ids("bezrobocia"), vec![ids[2]]);
    assert_eq!(lib.hit_ids("pielęgnacja"), vec![ids[1]]);
    assert!(!lib.root().join("skany").exists());
    lib.assert_clean();
}

#[test]
fn a_hot_folder_splits_stack_files_and_moves_them_once_every_part_is_in() {
    let lib = Lib::new();
    let hot = lib.input().join("skaner");
    std::fs::create_dir_all(&hot).unwrap();
    stack_file(&lib, &hot);
    let out = lib.run([
        "watch".as_ref(),
        "--once".as_ref(),
        "--settle".as_ref(),
        "0".as_ref(),
        "--no-wait".as_ref(),
        "--separate".as_ref(),
        "--blank".as_ref(),
        "drop".as_ref(),
        hot.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = lib.json(["list", "--json"], 0);
    let pages: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pages"].as_i64().unwrap())
        .collect();
    assert_eq!(pages.len(), 3, "{list:#}");
    assert_eq!(pages.iter().sum::<i64>(), 4, "{list:#}");
    assert!(!hot.join("stos.tif").exists());
    let done: Vec<_> = std::fs::read_dir(hot.join("zaimportowane"))
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(done, vec!["stos.tif".to_string()]);
    lib.assert_clean();
}

#[test]
fn a_pdf_stack_is_split_into_pdfs_of_its_pages_as_they_are() {
    let lib = Lib::new();
    let sheet = lib.input().join("rozdzielacz.png");
    assert!(
        lib.run(["separator".as_ref(), sheet.as_os_str()])
            .status
            .success()
    );
    let bytes = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let scan = image::load_from_memory(&bytes).unwrap().to_luma8();
    let jpeg = |img: &image::GrayImage| {
        let mut out = std::io::Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(img)
            .unwrap();
        (out.into_inner(), img.width(), img.height())
    };
    let half = scan.height() / 2;
    let a = jpeg(&image::imageops::crop_imm(&scan, 0, 0, scan.width(), half).to_image());
    let b = jpeg(&image::imageops::crop_imm(&scan, 0, half, scan.width(), half).to_image());
    let sep = jpeg(&image::open(&sheet).unwrap().to_luma8());
    let stack = lib.file(
        "stos.pdf",
        &skladnica_tests::pdf_of_jpeg_pages(&[a.clone(), sep, b.clone()]),
    );
    let report = lib.json(
        [
            "import".as_ref(),
            "--json".as_ref(),
            "--separate".as_ref(),
            stack.as_os_str(),
        ],
        0,
    );
    assert_eq!(report["stacks"][0]["separators"], 1, "{report:#}");
    let imported = report["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 2, "{report:#}");
    // Each part is a PDF holding its page's JPEG as it was.
    for item in imported {
        let id = item["id"].as_i64().unwrap().to_string();
        let doc = lib.json(["show", "--json", &id], 0);
        assert_eq!(doc["files"][0]["media_type"], "application/pdf");
        assert_eq!(doc["pages"].as_array().unwrap().len(), 1);
        let blob = lib
            .root()
            .join("blobs")
            .join(&doc["files"][0]["sha256"].as_str().unwrap()[..2])
            .join(doc["files"][0]["sha256"].as_str().unwrap());
        let stored = std::fs::read(blob).unwrap();
        let holds = |j: &[u8]| stored.windows(j.len()).any(|w| w == j);
        assert!(
            holds(&a.0) || holds(&b.0),
            "document {id} does not hold a page's JPEG as it was"
        );
    }
    assert_eq!(lib.hit_ids("kukurydzy").len(), 1);
    assert_eq!(lib.hit_ids("bezrobocia").len(), 1);
    assert_ne!(lib.hit_ids("kukurydzy"), lib.hit_ids("bezrobocia"));
}
