//! Writes the hostile-input corpus into `tests/data/hostile/` (or the folder given): every file
//! of `skladnica_tests::hostile::corpus()`, the encrypted PDF made by qpdf, and `README.md`
//! listing what each is and what importing it must give.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/hostile"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut readme = String::from(
        "# Hostile input\n\nFiles crafted to break parsers, written by `cargo run -p skladnica-tests --bin \
         skladnica-hostile-corpus` (from `tests/src/hostile.rs`). The e2e test `hostile` imports \
         them all and checks that each gets the answer below, the process neither crashes nor \
         hangs, and its memory stays bounded.\n\n| file | what it is | import gives |\n| --- | --- | --- |\n",
    );
    for h in skladnica_tests::hostile::corpus() {
        let path = dir.join(h.name);
        match &h.bytes {
            Some(b) => std::fs::write(&path, b).unwrap(),
            None => {
                let plain = dir.join("plain.tmp.pdf");
                std::fs::write(
                    &plain,
                    skladnica_tests::pdf_from_text("Tajne dane osobowe", None, None),
                )
                .unwrap();
                let ok = std::process::Command::new("qpdf")
                    .args(["--encrypt", "haslo", "wlasciciel", "256", "--"])
                    .arg(&plain)
                    .arg(&path)
                    .status()
                    .is_ok_and(|s| s.success());
                std::fs::remove_file(&plain).unwrap();
                assert!(ok, "qpdf could not make {}", h.name);
            }
        }
        writeln!(readme, "| `{}` | {} | `{}` |", h.name, h.what, h.expect).unwrap();
    }
    std::fs::write(dir.join("README.md"), readme).unwrap();
    println!("wrote the hostile corpus to {}", dir.display());
}
