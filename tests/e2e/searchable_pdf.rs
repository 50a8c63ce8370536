//! The searchable PDF (`skladnica pdf`): real scans come out as PDFs whose invisible text layer,
//! read back by poppler's `pdftotext`, is the OCR text; the page images are the originals' bytes;
//! `qpdf --check` finds the structure sound; born-digital PDFs come back as they are; a document
//! still waiting for OCR gets a clear refusal and no file.

use std::path::Path;
use std::process::Command;

use crate::harness::{Lib, only_id};

const SCAN: &str =
    "ocr_scans/tesseract-polish-2008/sample_pl-part2-times-scanner_HP_DeskJet_F4180_300dpi.tif";

/// The words of the text layer, in content order.
fn text_layer_words(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The words of the OCR text of document `id`.
fn ocr_words(lib: &Lib, id: i64) -> Vec<String> {
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    doc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn assert_qpdf_clean(pdf: &Path) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("No syntax or stream encoding errors"),
        "qpdf --check {}:\n{text}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many of `expected` appear in `got` in the same order (longest common subsequence).
fn common_words(expected: &[String], got: &[String]) -> usize {
    let mut row = vec![0usize; got.len() + 1];
    for e in expected {
        let mut diag = 0;
        for (j, g) in got.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if e == g { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[got.len()]
}

#[test]
fn a_tiff_scan_becomes_a_pdf_a_whose_text_layer_is_the_ocr_text() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let id = only_id(&lib.import(&[&scan], 0));
    let out = lib.input().join("skan.pdf");
    let report = lib.write_pdf(id, &out);
    assert_eq!(report["pages"], 1, "{report}");
    assert_eq!(report["text_layer_pages"], 1, "{report}");
    assert_eq!(report["pdfa"], true, "{report}");
    assert_qpdf_clean(&out);
    let words = ocr_words(&lib, id);
    assert!(words.len() > 400, "{words:?}");
    assert_eq!(text_layer_words(&out), words);

    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let text = String::from_utf8_lossy(&bytes);
    for needle in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "/GTS_PDFA1",
        "/FontFile2",
        "/ToUnicode",
        "/ID",
    ] {
        assert!(text.contains(needle), "{needle} missing from the PDF");
    }
    assert!(!text.contains("/Encrypt"));
    // The same document gives the same file.
    let again = lib.input().join("skan2.pdf");
    lib.write_pdf(id, &again);
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
}

#[test]
fn a_jpeg_scan_read_upside_down_keeps_its_bytes_and_turns_upright() {
    let lib = Lib::new();
    let scan = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let img = image::load_from_memory(&scan).unwrap().to_luma8();
    let upside_down = image::imageops::rotate180(&img);
    let jpeg = lib.input().join("do_gory_nogami.jpg");
    upside_down.save(&jpeg).unwrap();
    let id = only_id(&lib.import(&[&jpeg], 0));
    let out = lib.input().join("skan.pdf");
    lib.write_pdf(id, &out);
    assert_qpdf_clean(&out);
    let bytes = std::fs::read(&out).unwrap();
    // The JPEG is inside as it was: no re-compression.
    let original = std::fs::read(&jpeg).unwrap();
    assert!(
        bytes
            .windows(original.len())
            .any(|w| w == original.as_slice()),
        "the JPEG's bytes are not in the PDF unchanged"
    );
    // Shown upright, and its text is the OCR text of the upright reading.
    assert!(String::from_utf8_lossy(&bytes).contains("/Rotate 180"));
    let words = text_layer_words(&out);
    assert_eq!(words, ocr_words(&lib, id));
    assert!(
        words.iter().any(|w| w.starts_with("kukurydzy")),
        "{words:?}"
    );
}

#[test]
fn an_image_only_pdf_gains_a_text_layer() {
    let lib = Lib::new();
    let pdf = skladnica_tests::corpus()
        .join("scans_admin/poleval2025-doclayout/image_pdfs/Zarzadzenie_KB.pdf");
    assert!(
        text_layer_words(&pdf).is_empty(),
        "the original has no text"
    );
    let id = only_id(&lib.import(&[&pdf], 0));
    let out = lib.input().join("zarzadzenie.pdf");
    let report = lib.write_pdf(id, &out);
    assert_eq!(report["pdfa"], false, "{report}");
    assert!(
        report["text_layer_pages"].as_i64().unwrap() >= 1,
        "{report}"
    );
    assert_qpdf_clean(&out);
    let expected = ocr_words(&lib, id);
    let got = text_layer_words(&out);
    let common = common_words(&expected, &got);
    assert!(
        common * 100 >= expected.len() * 98,
        "{common} of {} OCR words in the text layer:\n{got:?}",
        expected.len()
    );
}

#[test]
fn a_born_digital_pdf_comes_back_as_it_is() {
    let lib = Lib::new();
    let bytes = skladnica_tests::pdf_from_text("Decyzja o warunkach zabudowy.", None, None);
    let path = lib.file("decyzja.pdf", &bytes);
    let id = only_id(&lib.import(&[&path], 0));
    let out = lib.input().join("kopia.pdf");
    let report = lib.write_pdf(id, &out);
    assert_eq!(report["unchanged"], true, "{report}");
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
}

#[test]
fn a_document_awaiting_ocr_or_missing_gets_a_clear_refusal_and_no_file() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let id = only_id(&lib.import_with(&["--no-wait"], &[&scan], 0));
    let out = lib.input().join("nie.pdf");
    for (doc, expected) in [
        (
            id,
            format!("document {id}: no searchable PDF: 1 page(s) still await OCR"),
        ),
        (999, "no document with id 999".to_string()),
    ] {
        let run = lib.run([
            "pdf".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
            doc.to_string().as_ref(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success());
        assert!(stderr.contains(&expected), "{stderr}");
        assert!(!out.exists());
        let leftovers: Vec<_> = std::fs::read_dir(lib.input())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// The first image of `pdf` as poppler decodes it, in RGB.
fn first_image(pdf: &Path) -> image::RgbImage {
    let prefix = pdf.with_extension("");
    let out = Command::new("pdfimages")
        .args(["-png", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdfimages (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = format!("{}-000.png", prefix.display());
    image::open(name).unwrap().to_rgb8()
}

#[test]
fn png_scans_grey_and_palette_keep_their_pixels() {
    let lib = Lib::new();
    let scan = std::fs::read(skladnica_tests::corpus().join(SCAN)).unwrap();
    let grey = image::load_from_memory(&scan).unwrap().to_luma8();
    let grey = image::imageops::crop_imm(&grey, 0, 0, 1200, 900).to_image();
    let grey_path = lib.input().join("szary.png");
    grey.save(&grey_path).unwrap();
    // A palette PNG of four colours, written by hand through the png encoder of `image`.
    let palette_path = lib.input().join("paleta.png");
    let colours = [[255u8, 255, 255], [0, 0, 0], [200, 30, 30], [30, 30, 200]];
    let (pw, ph) = (640u32, 480u32);
    {
        let file = std::fs::File::create(&palette_path).unwrap();
        let mut enc = png::Encoder::new(file, pw, ph);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(colours.concat());
        let mut w = enc.write_header().unwrap();
        let data: Vec<u8> = (0..pw * ph)
            .map(|i| (((i % pw) / 40 + (i / pw) / 40) % 4) as u8)
            .collect();
        w.write_image_data(&data).unwrap();
    }
    for (path, expected) in [
        (&grey_path, image::DynamicImage::ImageLuma8(grey).to_rgb8()),
        (&palette_path, image::open(&palette_path).unwrap().to_rgb8()),
    ] {
        let id = only_id(&lib.import(&[path.as_path()], 0));
        let out = path.with_extension("pdf");
        lib.write_pdf(id, &out);
        assert_qpdf_clean(&out);
        let got = first_image(&out);
        assert_eq!(got.dimensions(), expected.dimensions());
        assert!(
            got == expected,
            "{}: the PDF's image has other pixels than the original",
            path.display()
        );
    }
}

/// The centre of the first word's box in a document's OCR words, in pixels.
fn first_word_centre(lib: &Lib, id: i64) -> (f64, f64) {
    // `show` has no word boxes: read them from the database.
    let db = rusqlite::Connection::open(lib.root().join("skladnica.sqlite")).unwrap();
    let words: String = db
        .query_row(
            "SELECT ocr_words FROM pages WHERE document_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let words: serde_json::Value = serde_json::from_str(&words).unwrap();
    let w = &words[0];
    let f = |i: usize| w[i].as_f64().unwrap();
    (f(2) + f(4) / 2.0, f(3) + f(5) / 2.0)
}

#[test]
fn a_page_fed_askew_is_straightened_and_its_text_layer_lies_on_the_words() {
    let lib = Lib::new();
    let scan = skladnica_tests::corpus().join(SCAN);
    let straight = image::load_from_memory(&std::fs::read(&scan).unwrap())
        .unwrap()
        .to_luma8();
    let askew = skladnica_tests::rotate_grey(&straight, 3.0);
    let askew_path = lib.input().join("krzywo.png");
    askew.save(&askew_path).unwrap();
    let report = lib.import(&[&scan, &askew_path], 0);
    let id_of = |name: &str| {
        report["imported"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(name))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (straight_id, askew_id) = (id_of(".tif"), id_of("krzywo.png"));
    let page = &lib.json(["show", "--json", &askew_id.to_string()], 0)["pages"][0];
    let skew = page["ocr_skew"].as_f64().unwrap_or(0.0);
    assert!(
        (skew.abs() - 3.0).abs() < 0.5,
        "deskew angle {skew}: {page}"
    );
    assert!(page["text"].as_str().unwrap().contains("kukurydzy"));
    // Where the first word is on the askew page: its place on the straight page, turned 3°.
    let (x, y) = first_word_centre(&lib, straight_id);
    let (cx, cy) = (
        straight.width() as f64 / 2.0,
        straight.height() as f64 / 2.0,
    );
    let (sin, cos) = 3f64.to_radians().sin_cos();
    let expected = (
        cos * (x - cx) - sin * (y - cy) + cx,
        sin * (x - cx) + cos * (y - cy) + cy,
    );
    // Where the PDF's text layer puts it (pdftotext's box, in points from the top left).
    let out = lib.input().join("krzywo.pdf");
    lib.write_pdf(askew_id, &out);
    let bbox = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let bbox = String::from_utf8_lossy(&bbox.stdout);
    let line = bbox.lines().find(|l| l.contains("<word")).unwrap();
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let dpi = askew.height() as f64 / (297.0 / 25.4);
    let got = (
        (attr("xMin") + attr("xMax")) / 2.0 * dpi / 72.0,
        (attr("yMin") + attr("yMax")) / 2.0 * dpi / 72.0,
    );
    let off = ((got.0 - expected.0).powi(2) + (got.1 - expected.1).powi(2)).sqrt();
    assert!(
        off < 25.0,
        "the first word's text is {off:.0} px from the word ({got:?} vs {expected:?})"
    );
}
