//! The hostile-input corpus (`tests/data/hostile/`, written by `skladnica-hostile-corpus`):
//! imported in one batch, every file gets its answer (a rejection naming it and the reason, or
//! an import that ignores the hostile part), the process neither crashes nor hangs (it is
//! killed after two minutes), its memory stays under a bound, and the library is left clean. A
//! package holding a link out of it is refused, the link never followed; metadata XML with
//! entity expansion (billion laughs) or an external entity is refused quickly, reading nothing
//! outside the package.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::Lib;

/// What no file of the corpus may make the import exceed: these catch a hang or a bomb, they
/// are not speed targets (BENCHMARKS.md has those).
const DEADLINE: Duration = Duration::from_secs(120);
const MEMORY_KIB: u64 = 1_500 * 1024;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/hostile")
}

#[test]
fn the_committed_corpus_is_what_the_generator_writes() {
    for h in skladnica_tests::hostile::corpus() {
        let path = corpus_dir().join(h.name);
        let on_disk = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run skladnica-hostile-corpus)", path.display()));
        if let Some(bytes) = h.bytes {
            assert!(on_disk == bytes, "{} differs from its generator", h.name);
        }
    }
}

#[test]
fn every_hostile_file_gets_a_clear_answer_in_bounded_time_and_memory() {
    let lib = Lib::new();
    let corpus = skladnica_tests::hostile::corpus();
    let out_path = lib.dir.path().join("report.json");
    let err_path = lib.dir.path().join("stderr.txt");
    let mut child = lib
        .command()
        .args(["import", "--json"])
        .args(corpus.iter().map(|h| corpus_dir().join(h.name)))
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kib) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("the import of the hostile corpus hung (killed after {DEADLINE:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "crashed or wrong exit: {status:?}\n{stderr}"
    );
    assert!(peak < MEMORY_KIB, "peak memory {peak} KiB\n{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    let failed = report["failed"].as_array().unwrap();
    let imported = report["imported"].as_array().unwrap();
    for h in &corpus {
        let named = |v: &&serde_json::Value| v["path"].as_str().unwrap().ends_with(h.name);
        if h.expect == "imported" {
            assert!(imported.iter().any(|v| named(&v)), "{}: {report:#}", h.name);
            continue;
        }
        let f = failed
            .iter()
            .find(named)
            .unwrap_or_else(|| panic!("{} ({}) not refused: {report:#}", h.name, h.what));
        assert_eq!(f["code"], h.expect, "{} ({}): {f}", h.name, h.what);
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(h.name)).collect();
        assert_eq!(
            lines.len(),
            1,
            "{}: one error line naming it: {stderr}",
            h.name
        );
    }
    assert_eq!(failed.len() + imported.len(), corpus.len(), "{report:#}");
    // The JavaScript was never run: its document is there with its text, nothing else happened.
    assert_eq!(lib.hit_ids("rozprawy").len(), 1);
    lib.assert_clean();
    eprintln!(
        "hostile corpus: {} files in {:.1} s, peak {} MiB",
        corpus.len(),
        started.elapsed().as_secs_f64(),
        peak / 1024
    );
}

#[test]
fn a_package_holding_a_link_out_of_it_is_refused_and_the_link_never_followed() {
    let lib = Lib::new();
    let package = package(&lib);
    let file = crate::harness::files_under(&package.join("dokumenty"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a document in the package");
    // The document swapped for a link to a secret outside the package.
    let secret = lib.dir.path().join("tajne.txt");
    std::fs::write(&secret, "hasło do systemu kadrowego").unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&secret, &file).unwrap();
    let out = lib.run(["verify", package.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("is a link"), "{said}");
    assert!(!said.contains("kadrowego"), "{said}");
}

/// A package of two documents exported from a fresh library.
fn package(lib: &Lib) -> PathBuf {
    for (name, text) in [
        ("a.pdf", "Pismo w sprawie drogi gminnej."),
        ("b.pdf", "Wniosek o wycinkę drzewa."),
    ] {
        let pdf = lib.file(name, &skladnica_tests::pdf_from_text(text, None, None));
        lib.import(&[&pdf], 0);
    }
    let carrier = lib.dir.path().join("nosnik");
    std::fs::create_dir_all(&carrier).unwrap();
    let done = lib.json(
        [
            "export",
            "--all",
            "--json",
            "--to",
            carrier.to_str().unwrap(),
        ],
        0,
    );
    let named = PathBuf::from(done["package"].as_str().unwrap());
    if named.is_dir() {
        named
    } else {
        carrier.join(named)
    }
}

#[test]
fn metadata_with_entity_expansion_or_an_external_entity_is_refused_and_reads_nothing_outside() {
    let lib = Lib::new();
    let package = package(&lib);
    let mut xml: Vec<PathBuf> = crate::harness::files_under(&package.join("metadane"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    xml.sort();
    assert!(xml.len() >= 2, "{xml:?}");
    // Billion laughs: ten levels of ten references.
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE d [\n<!ENTITY l0 \"ha\">\n");
    for i in 1..=10 {
        let refs = format!("&l{};", i - 1).repeat(10);
        laughs.push_str(&format!("<!ENTITY l{i} \"{refs}\">\n"));
    }
    laughs.push_str("]>\n<dokument>&l10;</dokument>\n");
    std::fs::write(&xml[0], laughs).unwrap();
    // An external entity naming a secret outside the package.
    let secret = lib.dir.path().join("tajne.txt");
    std::fs::write(&secret, "sekret-kadrowy-XXE").unwrap();
    std::fs::write(
        &xml[1],
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM \"file://{}\">]>\n<dokument>&x;</dokument>\n",
            secret.display()
        ),
    )
    .unwrap();
    let schemas = tempfile::tempdir().unwrap();
    let xsd = skladnica_tests::xsd::schema(schemas.path(), "Metadane-1.7.xsd");
    let started = Instant::now();
    let out = lib
        .command()
        .env(
            "XML_CATALOG_FILES",
            skladnica_tests::xsd::catalog(schemas.path()),
        )
        .args(["verify", "--json", "--schema", xsd.to_str().unwrap()])
        .arg(&package)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < DEADLINE,
        "verify took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("sekret-kadrowy"), "{said}");
    assert!(!said.contains("hahahaha"), "{said}");
    for file in &xml[..2] {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(said.contains(&name), "{name} not named: {said}");
    }
}
