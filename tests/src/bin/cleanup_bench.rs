//! The clean-up benchmark: what each image clean-up step of `skladnica-ocr` does to the
//! character error rate on the real scans with ground truth — as scanned, and turned by a few
//! degrees (a sheet fed askew) — so that only steps that help are on by default.
//!
//! Usage: `skladnica-cleanup-bench [--out FILE]` (`scripts/bench-ocr.sh` runs it too). Run with
//! `OMP_THREAD_LIMIT=1`.

use std::fmt::Write as _;

use skladnica_ocr::{Cleanup, Engine, GreyImage};
use skladnica_tests::{cer, corpus, machine, normalise, rotate_grey as rotate};

fn main() {
    let mut out_file = None;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--out" => out_file = it.next(),
            other => panic!("unknown option {other}"),
        }
    }
    let scans = corpus().join("ocr_scans/tesseract-polish-2008");
    let mut files: Vec<_> = std::fs::read_dir(&scans)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tif"))
        .collect();
    files.sort();
    let variants: [(&str, Cleanup); 6] = [
        ("none", Cleanup::NONE),
        (
            "deskew (from 1°)",
            Cleanup {
                deskew: true,
                ..Cleanup::NONE
            },
        ),
        (
            "background",
            Cleanup {
                normalize_background: true,
                ..Cleanup::NONE
            },
        ),
        (
            "sauvola",
            Cleanup {
                sauvola: true,
                ..Cleanup::NONE
            },
        ),
        (
            "border",
            Cleanup {
                remove_border: true,
                ..Cleanup::NONE
            },
        ),
        (
            "all four",
            Cleanup {
                deskew: true,
                normalize_background: true,
                sauvola: true,
                remove_border: true,
            },
        ),
    ];
    let mut engines: Vec<Engine> = variants
        .iter()
        .map(|(_, c)| {
            Engine::new("pol+eng")
                .expect("Tesseract starts")
                .with_cleanup(*c)
        })
        .collect();
    // (group, variant) → (sum of CER, count)
    let groups = [
        "300 dpi scans in a dark frame",
        "300 dpi scans",
        "camera photos",
        "300 dpi scans turned 2°",
        "300 dpi scans turned 5°",
    ];
    let mut sums = vec![vec![(0.0f64, 0usize); variants.len()]; groups.len()];
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let part = name
            .strip_prefix("sample_pl-part")
            .and_then(|r| r.split('-').next())
            .unwrap();
        let truth =
            std::fs::read_to_string(scans.join(format!("sample_pl-part{part}.txt"))).unwrap();
        let truth = normalise(&truth.lines().skip(1).collect::<Vec<_>>().join("\n"));
        // As scanned: the file itself (Leptonica reads palette TIFFs too). Turned: scans the
        // image crate can decode, turned and given as grey pixels.
        let scanner = name.contains("300dpi");
        let bytes = std::fs::read(file).unwrap();
        let mut cases: Vec<(usize, Option<image::GrayImage>)> =
            vec![(1 + usize::from(!scanner), None)];
        if scanner && let Ok(img) = image::load_from_memory(&bytes) {
            let img = img.to_luma8();
            cases.push((3, Some(rotate(&img, 2.0))));
            cases.push((4, Some(rotate(&img, 5.0))));
            // The sheet on a dark lid: a 120-pixel frame, its edge a little ragged.
            let (w, h) = img.dimensions();
            let framed = image::GrayImage::from_fn(w + 240, h + 240, |x, y| {
                let wobble = ((x / 37 + y / 41) % 7) as i64;
                let inside = |v: u32, n: u32| {
                    (v as i64) >= 120 + wobble && (v as i64) < (n as i64) + 120 - wobble
                };
                if inside(x, w) && inside(y, h) {
                    *img.get_pixel((x - 120).min(w - 1), (y - 120).min(h - 1))
                } else {
                    image::Luma([35])
                }
            });
            cases.push((0, Some(framed)));
        }
        for (group, page) in cases {
            for (v, engine) in engines.iter_mut().enumerate() {
                let result = match &page {
                    None => engine.recognize_encoded(&bytes, None),
                    Some(page) => engine.recognize(&GreyImage {
                        pixels: page.as_raw(),
                        width: page.width(),
                        height: page.height(),
                        dpi: Some(300),
                    }),
                };
                let text = result.map(|p| p.text).unwrap_or_default();
                let e = cer(&normalise(&text), &truth);
                sums[group][v].0 += e;
                sums[group][v].1 += 1;
                eprintln!(
                    "{name} [{}] {}: {:.2} %",
                    groups[group],
                    variants[v].0,
                    e * 100.0
                );
            }
        }
    }
    let mut report = String::new();
    let date = skladnica_core::db::now();
    let _ = writeln!(
        report,
        "\n## OCR clean-up, {} — {}\n",
        &date[..10],
        machine()
    );
    let _ = writeln!(
        report,
        "Command: `scripts/bench-ocr.sh` (`skladnica-cleanup-bench`). Mean character error rate \
         of Składnica's OCR (Tesseract `pol+eng`) on the scans with ground truth in \
         `corpus/ocr_scans`, and on the 300 dpi ones in a dark frame (a sheet on a dark scanner \
         lid) and turned by 2° and 5° (bilinear), with each clean-up step alone and all \
         together.\n"
    );
    let _ = writeln!(
        report,
        "| pages | {} |\n| --- |{}",
        variants.iter().map(|v| v.0).collect::<Vec<_>>().join(" | "),
        " --- |".repeat(variants.len())
    );
    for (g, name) in groups.iter().enumerate() {
        let cells: Vec<String> = sums[g]
            .iter()
            .map(|(s, n)| format!("{:.2} %", s / (*n).max(1) as f64 * 100.0))
            .collect();
        let _ = writeln!(
            report,
            "| {name} ({}) | {} |",
            sums[g][0].1,
            cells.join(" | ")
        );
    }
    print!("{report}");
    if let Some(out) = out_file {
        let mut s = std::fs::read_to_string(&out).unwrap_or_default();
        s.push_str(&report);
        std::fs::write(out, s).unwrap();
    }
}
