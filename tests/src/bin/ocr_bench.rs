//! The OCR benchmark: character error rate on the real scans with ground truth, and pages per
//! second on a batch of real scans, Składnica (release `skladnica import`, one Tesseract engine
//! per core) side by side with one sequential `tesseract -l pol` over the same pages and, when
//! given, OCRmyPDF at its best (`OMP_THREAD_LIMIT=1`, `--jobs 1`, two documents at a time, no
//! PDF/A conversion or optimisation).
//!
//! Usage: `skladnica-ocr-bench [--bin PATH] [--work DIR] [--out FILE] [--ocrmypdf PATH]`
//! (`scripts/bench-ocr.sh`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use skladnica_tests::{cer, corpus, machine, normalise, run_measured};

/// OCRmyPDF's time, pages per second and text per page.
type OcrmypdfRun = (std::time::Duration, f64, Vec<String>);

fn main() {
    let mut bin = PathBuf::from("target/release/skladnica");
    let mut work = std::env::temp_dir().join("skladnica-ocr-bench");
    let mut out_file = None;
    let mut ocrmypdf: Option<PathBuf> = None;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().expect("a value");
        match k.as_str() {
            "--bin" => bin = PathBuf::from(v),
            "--work" => work = PathBuf::from(v),
            "--out" => out_file = Some(PathBuf::from(v)),
            "--ocrmypdf" => ocrmypdf = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    // The batch: the 9 scans with ground truth and the 149 pages of official documents.
    let scans = corpus().join("ocr_scans/tesseract-polish-2008");
    let admin = corpus().join("scans_admin/poleval2025-doclayout");
    let mut pages: Vec<PathBuf> = Vec::new();
    for dir in [scans.clone(), admin.join("dev"), admin.join("test_a")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tif" || e == "jpg"))
            .collect();
        files.sort();
        pages.extend(files);
    }
    let batch = work.join("batch");
    std::fs::create_dir_all(&batch).unwrap();
    for (i, p) in pages.iter().enumerate() {
        let ext = p.extension().unwrap().to_string_lossy();
        std::fs::copy(p, batch.join(format!("{i:04}.{ext}"))).unwrap();
    }
    eprintln!("{} pages", pages.len());

    // Składnica.
    let lib = work.join("lib");
    let (ours_time, ours_peak) = run_measured(
        Command::new(&bin)
            .arg("--library")
            .arg(&lib)
            .args(["import", "--json"])
            .arg(&batch),
    );
    let ours_rate = pages.len() as f64 / ours_time.as_secs_f64();
    eprintln!(
        "skladnica: {ours_time:.1?}, {ours_rate:.2} pages/s, peak {} MB",
        ours_peak >> 10
    );

    // One sequential Tesseract.
    let started = Instant::now();
    let mut tess_text: Vec<String> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let ext = page.extension().unwrap().to_string_lossy().into_owned();
        let out = Command::new("tesseract")
            .arg(batch.join(format!("{i:04}.{ext}")))
            .args(["stdout", "-l", "pol"])
            .env("OMP_THREAD_LIMIT", "1")
            .stderr(Stdio::null())
            .output()
            .expect("tesseract runs");
        tess_text.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let tess_time = started.elapsed();
    let tess_rate = pages.len() as f64 / tess_time.as_secs_f64();
    eprintln!("tesseract: {tess_time:.1?}, {tess_rate:.2} pages/s");

    // OCRmyPDF, two documents at a time.
    let omp_version = ocrmypdf.as_ref().map(|exe| {
        Command::new(exe)
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    });
    let omp = ocrmypdf.map(|exe| {
        let out_dir = work.join("ocrmypdf");
        std::fs::create_dir_all(&out_dir).unwrap();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let started = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(page) = pages.get(i) else { break };
                        let ext = page.extension().unwrap().to_string_lossy().into_owned();
                        let status = Command::new(&exe)
                            .args(["--jobs", "1", "-l", "pol", "--output-type", "pdf"])
                            .args(["--optimize", "0", "--image-dpi", "300", "--sidecar"])
                            .arg(out_dir.join(format!("{i:04}.txt")))
                            .arg(batch.join(format!("{i:04}.{ext}")))
                            .arg(out_dir.join(format!("{i:04}.pdf")))
                            .env("OMP_THREAD_LIMIT", "1")
                            .stdout(Stdio::null())
                            .stderr(Stdio::null())
                            .status()
                            .expect("ocrmypdf runs");
                        if !status.success() {
                            eprintln!("ocrmypdf failed on page {i}");
                        }
                    }
                });
            }
        });
        let time = started.elapsed();
        let rate = pages.len() as f64 / time.as_secs_f64();
        eprintln!("ocrmypdf: {time:.1?}, {rate:.2} pages/s");
        let texts: Vec<String> = (0..pages.len())
            .map(|i| {
                std::fs::read_to_string(out_dir.join(format!("{i:04}.txt"))).unwrap_or_default()
            })
            .collect();
        (time, rate, texts)
    });

    // Character error rates on the scans with ground truth.
    let list = json(&bin, &lib, &["list", "--json"]);
    let mut ours_by_name: std::collections::HashMap<String, String> = Default::default();
    for d in list.as_array().unwrap() {
        let id = d["id"].as_i64().unwrap().to_string();
        let doc = json(&bin, &lib, &["show", "--json", &id]);
        let name = doc["files"][0]["original_name"]
            .as_str()
            .unwrap()
            .to_string();
        let text: Vec<&str> = doc["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap_or(""))
            .collect();
        ours_by_name.insert(name, text.join("\n"));
    }
    let mut rows = String::new();
    let (mut ours_sum, mut tess_sum, mut omp_sum, mut n300) = (0.0, 0.0, 0.0, 0);
    for (i, p) in pages.iter().enumerate() {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let Some(part) = name
            .strip_prefix("sample_pl-part")
            .and_then(|r| r.split('-').next())
        else {
            continue;
        };
        let truth =
            std::fs::read_to_string(scans.join(format!("sample_pl-part{part}.txt"))).unwrap();
        let truth = normalise(
            truth
                .lines()
                .skip(1)
                .collect::<Vec<_>>()
                .join("\n")
                .as_str(),
        );
        let batch_name = format!("{i:04}.{}", p.extension().unwrap().to_string_lossy());
        let ours = cer(&normalise(&ours_by_name[&batch_name]), &truth);
        let tess = cer(&normalise(&tess_text[i]), &truth);
        let omp_cer = omp.as_ref().map(|o| cer(&normalise(&o.2[i]), &truth));
        if name.contains("300dpi") {
            ours_sum += ours;
            tess_sum += tess;
            omp_sum += omp_cer.unwrap_or(0.0);
            n300 += 1;
        }
        let _ = writeln!(
            rows,
            "| {name} | {:.2} % | {:.2} % | {} |",
            ours * 100.0,
            tess * 100.0,
            omp_cer.map_or("—".into(), |c| format!("{:.2} %", c * 100.0))
        );
    }
    let mut report = String::new();
    let date = skladnica_core::db::now();
    let _ = writeln!(report, "\n## OCR, {} — {}\n", &date[..10], machine());
    let _ = writeln!(
        report,
        "Command: `scripts/bench-ocr.sh`. Batch: {} real page images (the 9 scans of \
         `corpus/ocr_scans`, the 149 pages of `corpus/scans_admin`), Tesseract {} with Debian's \
         `pol` data, `OMP_THREAD_LIMIT=1` for both.\n",
        pages.len(),
        tesseract_version()
    );
    let omp_cell =
        |f: &dyn Fn(&OcrmypdfRun) -> String| omp.as_ref().map_or("not run".to_string(), f);
    let _ = writeln!(
        report,
        "| measure | Składnica | one sequential `tesseract -l pol` | OCRmyPDF {} (2 at a time) | target |\n| --- | --- | --- | --- | --- |",
        omp_version.unwrap_or_default()
    );
    let _ = writeln!(
        report,
        "| speed | {ours_rate:.2} pages/s ({:.0} s) | {tess_rate:.2} pages/s ({:.0} s) | {} | ≥ 1.8× Tesseract: {:.2}×; ≥ 1.8× OCRmyPDF: {} |",
        ours_time.as_secs_f64(),
        tess_time.as_secs_f64(),
        omp_cell(&|o| format!("{:.2} pages/s ({:.0} s)", o.1, o.0.as_secs_f64())),
        ours_rate / tess_rate,
        omp_cell(&|o| format!("{:.2}×", ours_rate / o.1)),
    );
    let _ = writeln!(
        report,
        "| peak memory (whole import, 2 workers) | {} MB | | | |",
        ours_peak >> 10
    );
    let _ = writeln!(
        report,
        "| mean CER, the six 300 dpi scans | {:.2} % | {:.2} % | {} | ≤ 1.0 % |",
        ours_sum / n300.max(1) as f64 * 100.0,
        tess_sum / n300.max(1) as f64 * 100.0,
        omp_cell(&|_| format!("{:.2} %", omp_sum / n300.max(1) as f64 * 100.0))
    );
    let _ = writeln!(
        report,
        "\nCharacter error rate per scan (white space normalised):\n\n| scan | Składnica | Tesseract | OCRmyPDF |\n| --- | --- | --- | --- |\n{rows}"
    );
    print!("{report}");
    if let Some(out) = out_file {
        let mut s = std::fs::read_to_string(&out).unwrap_or_default();
        s.push_str(&report);
        std::fs::write(out, s).unwrap();
    }
}

fn json(bin: &Path, lib: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(bin)
        .arg("--library")
        .arg(lib)
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn tesseract_version() -> String {
    Command::new("tesseract")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(|l| l.trim_start_matches("tesseract ").to_string())
        })
        .unwrap_or_else(|| "?".into())
}
