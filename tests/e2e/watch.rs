//! The hot folder: complete files are imported and moved out, refused ones are set aside with
//! their reason, a file still being written waits, and a restart never imports twice.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use skladnica_tests::pdf_from_text;

use crate::harness::Lib;

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// One `watch --once` over `hot`, taking files at once.
fn watch_once(lib: &Lib, hot: &std::path::Path) -> std::process::Output {
    lib.command()
        .args(["watch", "--once", "--settle", "0", "--no-wait"])
        .arg(hot)
        .output()
        .unwrap()
}

#[test]
fn complete_files_are_imported_and_moved_refused_ones_kept_with_the_reason() {
    let lib = Lib::new();
    let hot = lib.input().join("skrzynka");
    std::fs::create_dir_all(hot.join("pilne")).unwrap();
    std::fs::write(
        hot.join("a.pdf"),
        pdf_from_text("Wniosek o dodatek mieszkaniowy", None, None),
    )
    .unwrap();
    std::fs::write(
        hot.join("pilne/b.pdf"),
        pdf_from_text("Skarga na decyzję", None, None),
    )
    .unwrap();
    std::fs::write(hot.join("zepsuty.pdf"), b"%PDF-1.7 half a file").unwrap();
    let out = watch_once(&lib, &hot);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = files_under(&hot);
    let today = &lib.json(["list", "--json"], 0)[0]["created_at"]
        .as_str()
        .unwrap()[..10]
        .to_string();
    assert_eq!(
        left,
        vec![
            "odrzucone/zepsuty.pdf".to_string(),
            "odrzucone/zepsuty.pdf.powod.txt".to_string(),
            format!("zaimportowane/{today}/a.pdf"),
            format!("zaimportowane/{today}/pilne/b.pdf"),
        ]
    );
    let reason = std::fs::read_to_string(hot.join("odrzucone/zepsuty.pdf.powod.txt")).unwrap();
    assert!(reason.contains("damaged"), "{reason}");
    assert_eq!(lib.hit_ids("dodatku mieszkaniowego").len(), 1);

    // The same file dropped in again (or left behind by a crash before the move) is not
    // imported twice.
    std::fs::write(
        hot.join("a.pdf"),
        pdf_from_text("Wniosek o dodatek mieszkaniowy", None, None),
    )
    .unwrap();
    let out = watch_once(&lib, &hot);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lib.json(["list", "--json"], 0).as_array().unwrap().len(), 2);
    assert!(files_under(&hot).contains(&format!("zaimportowane/{today}/a (1).pdf")));
    lib.assert_clean();
}

#[test]
fn a_file_still_being_written_waits_until_it_is_complete() {
    let lib = Lib::new();
    let hot = lib.input().join("skaner");
    std::fs::create_dir_all(&hot).unwrap();
    // Create the library first, so the watcher starts at once.
    lib.run(["init"]);
    let mut watcher = lib
        .command()
        .args(["watch", "--settle", "2", "--interval", "1", "--no-wait"])
        .arg(&hot)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A scanner writing a PDF slowly: half of it is not a valid file.
    let bytes = pdf_from_text(&"Protokół kontroli sanepidu. ".repeat(200), None, None);
    let path = hot.join("skan.pdf");
    let mut f = std::fs::File::create(&path).unwrap();
    for chunk in bytes.chunks(bytes.len() / 8 + 1) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(400));
    }
    drop(f);
    let mut imported = false;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        if !path.exists() {
            imported = true;
            break;
        }
    }
    let _ = watcher.kill();
    let _ = watcher.wait();
    assert!(imported, "the file was not taken: {:?}", files_under(&hot));
    let left = files_under(&hot);
    assert!(
        left.iter().all(|f| f.starts_with("zaimportowane/")),
        "{left:?}"
    );
    assert_eq!(lib.hit_ids("sanepid").len(), 1);
}
