//! OCR through the binary: real scans are read by Tesseract on import, their words are found by
//! search in other inflected forms, the queue resumes and redoes, and a missing language is a
//! clear error.

use crate::harness::Lib;

const SCAN: &str =
    "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif";

/// Pages awaiting OCR in the whole library.
fn awaiting(lib: &Lib) -> i64 {
    lib.json(["list", "--json"], 0)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pages_awaiting_ocr"].as_i64().unwrap())
        .sum()
}

#[test]
fn a_real_scan_is_read_and_found_by_its_words() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let report = lib.import(&[&scan], 0);
    let id = crate::harness::only_id(&report);
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let page = &doc["pages"][0];
    assert_eq!(page["text_source"], "ocr", "{page}");
    assert!(page["ocr_confidence"].as_f64().unwrap() > 70.0, "{page}");
    let text = page["text"].as_str().unwrap();
    for word in ["pszenicy", "kukurydzy", "Aralskiego", "pustyni"] {
        assert!(text.contains(word), "{word} not in the OCR text:\n{text}");
    }
    // Found in other forms than the scan has: "pustynia" (the scan: "pustyni"), "pole" ("pola").
    for query in ["pustynia", "morze aralskie", "bawełna"] {
        assert_eq!(lib.hit_ids(query), vec![id], "{query}");
    }
    lib.assert_clean();
}

#[test]
fn no_wait_leaves_the_queue_and_ocr_works_it_off() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let out = lib.run([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new("--no-wait"),
        scan.as_os_str(),
    ]);
    assert!(out.status.success());
    let list = lib.json(["list", "--json"], 0);
    assert_eq!(list[0]["pages_awaiting_ocr"], 1);
    assert!(lib.hit_ids("kukurydza").is_empty());
    let report = lib.json(["ocr", "--json"], 0);
    assert_eq!(report["done"].as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(lib.json(["list", "--json"], 0)[0]["pages_awaiting_ocr"], 0);
    assert_eq!(lib.hit_ids("kukurydza").len(), 1);
    // Nothing left: a second run reads nothing.
    let again = lib.json(["ocr", "--json"], 0);
    assert!(again["done"].as_array().unwrap().is_empty());
    // Redo in English only: read again, other text.
    let id = list[0]["id"].as_i64().unwrap().to_string();
    let redo = lib.json(["ocr", "--json", "--redo", &id, "--lang", "eng"], 0);
    assert_eq!(redo["done"].as_array().unwrap().len(), 1);
    let doc = lib.json(["show", "--json", &id], 0);
    assert_eq!(doc["pages"][0]["text_source"], "ocr");
    lib.assert_clean();
}

#[test]
fn a_missing_language_is_a_clear_error() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    lib.run([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new("--no-wait"),
        scan.as_os_str(),
    ]);
    let out = lib.run(["ocr", "--lang", "pol+klingon"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("klingon") && err.contains("not installed"),
        "{err}"
    );
    // The page is still waiting, not marked failed.
    assert_eq!(lib.json(["list", "--json"], 0)[0]["pages_awaiting_ocr"], 1);
}

#[test]
fn palette_scans_and_later_pages_of_a_multi_page_tiff_are_read() {
    let lib = Lib::new();
    // The Brother scanner writes palette TIFFs.
    let palette = skladnica_tests::corpus().join(
        "ocr_scans/tesseract-polish-2008/sample_pl-part3-times-scanner_Brother_DCP-135C_300dpi.tif",
    );
    // A two-page stack: a blank sheet, then a real scan (grey, LZW).
    let scan = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let mut dec = tiff::decoder::Decoder::new(std::io::Cursor::new(scan)).unwrap();
    let (w, h) = dec.dimensions().unwrap();
    let tiff::decoder::DecodingResult::U8(pixels) = dec.read_image().unwrap() else {
        panic!("an 8-bit scan");
    };
    let stack = lib.input().join("stos.tif");
    {
        let f = std::fs::File::create(&stack).unwrap();
        let mut enc = tiff::encoder::TiffEncoder::new(f).unwrap();
        enc.write_image::<tiff::encoder::colortype::Gray8>(w, h, &vec![255u8; (w * h) as usize])
            .unwrap();
        enc.write_image::<tiff::encoder::colortype::Gray8>(w, h, &pixels)
            .unwrap();
    }
    let report = lib.import(&[&palette, &stack], 0);
    assert_eq!(
        report["imported"].as_array().unwrap().len(),
        2,
        "{report:#}"
    );
    let stack_id = report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("stos.tif"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let doc = lib.json(["show", "--json", &stack_id.to_string()], 0);
    assert!(doc["pages"][0]["text"].as_str().unwrap().trim().is_empty());
    assert!(
        doc["pages"][1]["text"]
            .as_str()
            .unwrap()
            .contains("kukurydzy")
    );
    // The palette scan's text is searchable too (its ground truth starts with these words).
    let truth = std::fs::read_to_string(
        skladnica_tests::corpus().join("ocr_scans/tesseract-polish-2008/sample_pl-part3.txt"),
    )
    .unwrap();
    let word = truth
        .split_whitespace()
        .find(|w| w.chars().count() >= 8 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_lowercase();
    assert!(!lib.hit_ids(&word).is_empty(), "{word}");
}

#[test]
fn an_ocr_run_killed_midway_resumes_where_it_stopped() {
    let lib = Lib::new();
    let dir = skladnica_tests::corpus().join("scans_admin/poleval2025-doclayout/test_a");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    pages.truncate(6);
    let refs: Vec<&std::path::Path> = pages.iter().map(|p| p.as_path()).collect();
    lib.import_with(&["--no-wait"], &refs, 0);
    let mut child = lib
        .command()
        .arg("ocr")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it after the first page is reported done.
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("ocr "), "{first}");
    let waiting = awaiting(&lib);
    assert!(waiting < 6, "nothing was kept");
    lib.assert_clean();
    // The next run reads only what is left.
    let report = lib.json(["ocr", "--json"], 0);
    assert_eq!(report["done"].as_array().unwrap().len() as i64, waiting);
    let left = awaiting(&lib);
    assert_eq!(left, 0);
    lib.assert_clean();
}

#[test]
fn a_page_scanned_upside_down_is_turned_before_reading() {
    let lib = Lib::new();
    let scan = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let mut dec = tiff::decoder::Decoder::new(std::io::Cursor::new(scan)).unwrap();
    let (w, h) = dec.dimensions().unwrap();
    let tiff::decoder::DecodingResult::U8(pixels) = dec.read_image().unwrap() else {
        panic!("an 8-bit scan");
    };
    let img = image::GrayImage::from_raw(w, h, pixels).unwrap();
    let upside_down = image::imageops::rotate180(&img);
    let path = lib.input().join("do_gory_nogami.png");
    upside_down.save(&path).unwrap();
    let id = crate::harness::only_id(&lib.import(&[&path], 0));
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let page = &doc["pages"][0];
    assert_eq!(page["ocr_rotation"], 180, "{page}");
    assert!(
        page["text"].as_str().unwrap().contains("kukurydzy"),
        "{page}"
    );
}

/// The corpus scan as 8-bit grey.
fn scan_pixels() -> image::GrayImage {
    let bytes = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    image::load_from_memory(&bytes).unwrap().to_luma8()
}

/// The corpus scan as a PDF page of two images, its top and bottom halves: a page OCR must
/// render whole.
pub(crate) fn two_image_scan() -> Vec<u8> {
    let scan = scan_pixels();
    let half = scan.height() / 2;
    let strips: Vec<(Vec<u8>, u32, u32)> = [0, half]
        .iter()
        .map(|&top| {
            let part = image::imageops::crop_imm(&scan, 0, top, scan.width(), half).to_image();
            let mut jpeg = std::io::Cursor::new(Vec::new());
            part.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
            (jpeg.into_inner(), part.width(), part.height())
        })
        .collect();
    skladnica_tests::pdf_of_stacked_jpegs(&strips)
}

#[test]
fn a_pdf_page_of_several_images_is_rendered_and_read() {
    let lib = Lib::new();
    let path = lib.file("dwa_obrazy.pdf", &two_image_scan());
    let id = crate::harness::only_id(&lib.import(&[&path], 0));
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let text = doc["pages"][0]["text"].as_str().unwrap();
    // Words from both images: the page was rendered whole.
    for word in ["kukurydzy", "bezrobocia"] {
        assert!(text.contains(word), "{word} not in:\n{text}");
    }
}

#[test]
fn ccitt_g4_scans_in_a_tiff_and_in_a_pdf_are_read_as_they_are() {
    let lib = Lib::new();
    let scan = scan_pixels();
    let black: Vec<bool> = scan.as_raw().iter().map(|&v| v < 128).collect();
    let plain = lib.file(
        "bw.tif",
        &skladnica_tests::bilevel_tiff(&black, scan.width(), scan.height(), 300),
    );
    let g4 = lib.input().join("g4.tif");
    let g4_pdf = lib.input().join("g4.pdf");
    for (tool, args) in [
        (
            "tiffcp",
            vec![
                // One strip: the G4 data can then go into a PDF as it is.
                std::ffi::OsStr::new("-r"),
                "100000".as_ref(),
                "-c".as_ref(),
                "g4".as_ref(),
                plain.as_os_str(),
                g4.as_os_str(),
            ],
        ),
        (
            "tiff2pdf",
            vec!["-o".as_ref(), g4_pdf.as_os_str(), g4.as_os_str()],
        ),
    ] {
        let out = std::process::Command::new(tool)
            .args(&args)
            .output()
            .expect("libtiff-tools");
        assert!(
            out.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_file(&plain).unwrap();
    assert!(String::from_utf8_lossy(&std::fs::read(&g4_pdf).unwrap()).contains("CCITTFaxDecode"));
    let report = lib.import(&[&g4, &g4_pdf], 0);
    let ids: Vec<i64> = report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{report:#}");
    for id in &ids {
        let doc = lib.json(["show", "--json", &id.to_string()], 0);
        let page = &doc["pages"][0];
        assert!(
            page["text"].as_str().unwrap().contains("kukurydzy"),
            "{}: {page}",
            doc["files"][0]["media_type"]
        );
    }
    // The searchable PDFs of both carry the G4 data as it is.
    for id in &ids {
        let out = lib.input().join(format!("g4-ocr-{id}.pdf"));
        lib.write_pdf(*id, &out);
        let list = std::process::Command::new("pdfimages")
            .arg("-list")
            .arg(&out)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        assert!(list.contains("ccitt"), "document {id}:\n{list}");
    }
    let mut found = lib.hit_ids("kukurydza");
    found.sort();
    assert_eq!(found, {
        let mut i = ids.clone();
        i.sort();
        i
    });
}

#[test]
fn an_a0_colour_scan_at_600_dpi_is_read_within_the_memory_cap() {
    let lib = Lib::new();
    // A0 (841 × 1189 mm) at 600 dpi in colour: 19866 × 28087 pixels, 1.7 GB of samples. The
    // corpus scan is pasted at twice its size (600 dpi) into the top-left corner.
    let (w, h) = (19_866u32, 28_087u32);
    let t0 = std::time::Instant::now();
    let text = image::imageops::resize(
        &scan_pixels(),
        2 * 2549,
        2 * 3506,
        image::imageops::FilterType::Triangle,
    );
    let mut a0 = image::RgbImage::from_pixel(w, h, image::Rgb([250, 248, 240]));
    for (x, y, p) in text.enumerate_pixels() {
        let v = p.0[0];
        a0.put_pixel(x + 300, y + 300, image::Rgb([v, v, v.saturating_add(10)]));
    }
    let path = lib.input().join("mapa_a0.jpg");
    {
        let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        image::codecs::jpeg::JpegEncoder::new_with_quality(file, 80)
            .encode_image(&a0)
            .unwrap();
    }
    drop(a0);
    eprintln!("A0 made in {:?}", t0.elapsed());
    let mut cmd = lib.command();
    cmd.args(["import".as_ref(), "--json".as_ref(), path.as_os_str()]);
    let (took, peak_kib) = skladnica_tests::run_measured(&mut cmd);
    eprintln!("imported in {took:?}, peak {} MiB", peak_kib / 1024);
    // Decoded whole it would take 1.7 GB (2.2 GB in Leptonica's 32-bit pixels); a quarter-size
    // decode stays far below.
    assert!(peak_kib < 1_000_000, "peak memory {} MiB", peak_kib / 1024);
    let list = lib.json(["list", "--json"], 0);
    let id = list[0]["id"].as_i64().unwrap();
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let page = &doc["pages"][0];
    assert_eq!(page["text_source"], "ocr", "{page}");
    let text = page["text"].as_str().unwrap();
    assert!(text.contains("kukurydzy"), "{text}");
    // Its searchable PDF carries the JPEG as it is, the text layer scaled to the full page.
    let out = lib.input().join("mapa.pdf");
    lib.write_pdf(id, &out);
    assert!(std::fs::metadata(&out).unwrap().len() > std::fs::metadata(&path).unwrap().len());
}
