//! Importing good files: text per page with Polish letters, image pages awaiting OCR, dedupe,
//! folders, and the JSON contract of `import`, `show` and `list`.

use skladnica_tests::{admin_texts, pdf, pdf_from_text};

use crate::harness::{Lib, only_id};

#[test]
fn a_born_digital_pdf_keeps_polish_letters_per_page() {
    let lib = Lib::new();
    let pages = vec![
        vec!["Zarządzenie nr 12/2024 Wójta Gminy Łęczyca".to_string()],
        vec!["w sprawie zaświadczeń o źródłach dochodów, § 3 ust. 2".to_string()],
    ];
    let path = lib.file(
        "zarz.pdf",
        &pdf(&pages, Some("Zarządzenie nr 12"), Some("20240315")),
    );
    let report = lib.import(&[&path], 0);
    assert_eq!(report["failed"].as_array().unwrap().len(), 0);
    let id = only_id(&report);
    assert_eq!(report["imported"][0]["path"], path.display().to_string());

    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    assert_eq!(doc["title"], "Zarządzenie nr 12");
    assert_eq!(doc["doc_date"], "2024-03-15");
    let shown_pages = doc["pages"].as_array().unwrap();
    assert_eq!(shown_pages.len(), 2);
    assert_eq!(shown_pages[0]["number"], 1);
    assert_eq!(shown_pages[0]["text_source"], "born_digital");
    let p1 = shown_pages[0]["text"].as_str().unwrap();
    let p2 = shown_pages[1]["text"].as_str().unwrap();
    assert!(
        p1.contains("Zarządzenie nr 12/2024 Wójta Gminy Łęczyca"),
        "{p1}"
    );
    assert!(p2.contains("zaświadczeń o źródłach dochodów, § 3"), "{p2}");
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files[0]["media_type"], "application/pdf");
    assert_eq!(files[0]["page_count"], 2);
    assert_eq!(files[0]["sha256"].as_str().unwrap().len(), 64);
    lib.assert_clean();
}

#[test]
fn the_original_is_kept_byte_for_byte() {
    let lib = Lib::new();
    let bytes = pdf_from_text("Umowa dzierżawy gruntu rolnego", None, None);
    let path = lib.file("umowa.pdf", &bytes);
    let id = only_id(&lib.import(&[&path], 0));
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let sha = doc["files"][0]["sha256"].as_str().unwrap().to_string();
    let blob = lib.root().join("blobs").join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(blob).unwrap(), bytes);
}

#[test]
fn importing_the_same_file_again_reports_the_existing_document() {
    let lib = Lib::new();
    let bytes = pdf_from_text("Decyzja o warunkach zabudowy", None, None);
    let a = lib.file("a.pdf", &bytes);
    let b = lib.file("kopia/b.pdf", &bytes);
    let id = only_id(&lib.import(&[&a], 0));
    let again = lib.import(&[&a, &b], 0);
    assert_eq!(again["imported"].as_array().unwrap().len(), 0);
    let dups = again["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 2);
    assert!(dups.iter().all(|d| d["id"] == id));
    let list = lib.json(["list", "--json"], 0);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn folders_are_imported_recursively_and_images_await_ocr() {
    let lib = Lib::new();
    let input = lib.input();
    lib.file(
        "a/1.pdf",
        &pdf_from_text("Wniosek o wydanie zaświadczenia", None, None),
    );
    lib.file(
        "a/b/2.pdf",
        &pdf_from_text("Protokół z sesji Rady Gminy", None, None),
    );
    let img = image::GrayImage::from_pixel(200, 300, image::Luma([250u8]));
    img.save(input.join("a/b/skan.png")).unwrap();
    img.save(input.join("a/skan.jpg")).unwrap();
    // A two-page TIFF, as ADF scanners write them.
    let tiff_path = input.join("a/b/c/stos.tiff");
    std::fs::create_dir_all(tiff_path.parent().unwrap()).unwrap();
    {
        let f = std::fs::File::create(&tiff_path).unwrap();
        let mut enc = tiff::encoder::TiffEncoder::new(f).unwrap();
        for _ in 0..2 {
            enc.write_image::<tiff::encoder::colortype::Gray8>(120, 160, &vec![200u8; 120 * 160])
                .unwrap();
        }
    }
    lib.file("a/.ukryty.pdf", b"hidden files are skipped");
    let report = lib.import_with(&["--no-wait"], &[&input], 0);
    assert_eq!(
        report["imported"].as_array().unwrap().len(),
        5,
        "{report:#}"
    );
    let list = lib.json(["list", "--json"], 0);
    let tiff = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["media_type"] == "image/tiff")
        .expect("the TIFF is listed");
    assert_eq!(tiff["pages"], 2);
    assert_eq!(tiff["pages_awaiting_ocr"], 2);
    let id = tiff["id"].as_i64().unwrap();
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    assert_eq!(doc["pages"][1]["text_source"], "awaiting_ocr");
    assert_eq!(doc["pages"][1]["width_px"], 120);
    assert_eq!(doc["title"], "stos");
    lib.assert_clean();
}

#[test]
fn a_long_real_act_is_imported_and_found() {
    let lib = Lib::new();
    let (name, text) = admin_texts()
        .into_iter()
        .next()
        .expect("an act in the corpus");
    let path = lib.file(&format!("{name}.pdf"), &pdf_from_text(&text, None, None));
    let id = only_id(&lib.import(&[&path], 0));
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    assert!(doc["pages"].as_array().unwrap().len() > 20);
    assert!(lib.hit_ids("Rzeczpospolita").contains(&id));
}

#[test]
fn the_default_library_comes_from_the_environment() {
    let lib = Lib::new();
    let path = lib.file("x.pdf", &pdf_from_text("Uchwała budżetowa", None, None));
    let out = std::process::Command::new(crate::harness::binary())
        .env("SKLADNICA_LIBRARY", lib.root())
        .args(["import", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(lib.root().join("skladnica.sqlite").exists());
}

#[test]
fn real_scans_and_image_only_pdfs_are_stored_awaiting_ocr() {
    let lib = Lib::new();
    let corpus = skladnica_tests::corpus();
    let pdfs = corpus.join("scans_admin/poleval2025-doclayout/image_pdfs");
    let tiff = corpus.join(
        "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif",
    );
    let report = lib.import_with(&["--no-wait"], &[&pdfs, &tiff], 0);
    let imported = report["imported"].as_array().unwrap();
    let pdf_count = std::fs::read_dir(&pdfs).unwrap().count();
    assert_eq!(imported.len(), pdf_count + 1, "{report:#}");
    for item in imported {
        let id = item["id"].as_i64().unwrap().to_string();
        let doc = lib.json(["show", "--json", &id], 0);
        let pages = doc["pages"].as_array().unwrap();
        assert!(!pages.is_empty());
        for p in pages {
            assert_eq!(p["text_source"], "awaiting_ocr", "{}: {p}", item["path"]);
        }
        if doc["files"][0]["media_type"] == "image/tiff" {
            // A 300 dpi A4 scan.
            assert!(pages[0]["width_px"].as_i64().unwrap() > 2000);
        }
    }
    lib.assert_clean();
}
