//! The extraction benchmark: per-field precision and recall of the metadata extractors on the
//! real official documents of `../shared/corpus/scans_admin/poleval2025-doclayout/` (dev and
//! test_a), against the labels in `tests/labels/extraction.json`. The pages are read by the real
//! OCR (`skladnica import` into a scratch library); a document is the pages sharing a file-name
//! prefix, their texts joined in page order.
//!
//! Usage: `skladnica-extract-bench [--bin PATH] [--work DIR] [--out FILE] [--reuse]`
//! (`scripts/bench-extract.sh`); `--reuse` takes the page texts a previous run left in the work
//! folder instead of reading the pages again (for working on the extractors).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use skladnica_core::records::jrwa::{suggester, suggestion_text, suggestion_words};
use skladnica_records::extract::{Field, Found, extract};
use skladnica_tests::{corpus, machine};

/// Precision/recall counts.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn add_sets(&mut self, predicted: &BTreeSet<String>, truth: &BTreeSet<String>) {
        self.tp += predicted.intersection(truth).count();
        self.fp += predicted.difference(truth).count();
        self.fn_ += truth.difference(predicted).count();
    }
    fn add_one(&mut self, predicted: Option<&str>, truth: Option<&str>) {
        let norm = |s: &str| s.to_lowercase();
        match (predicted, truth) {
            (Some(p), Some(t)) if norm(p) == norm(t) => self.tp += 1,
            (Some(_), Some(_)) => {
                self.fp += 1;
                self.fn_ += 1;
            }
            (Some(_), None) => self.fp += 1,
            (None, Some(_)) => self.fn_ += 1,
            (None, None) => {}
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn run(cmd: &mut Command) -> Value {
    let out = cmd.output().expect("skladnica runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The OCR text of every page, by file name, read by `skladnica import` into `library`.
fn page_texts(bin: &Path, library: &Path, pages: &[PathBuf]) -> BTreeMap<String, String> {
    let mut import = Command::new(bin);
    import
        .arg("--library")
        .arg(library)
        .args(["import", "--json"]);
    import.args(pages);
    let report = run(&mut import);
    let mut texts = BTreeMap::new();
    for item in report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["duplicates"].as_array().unwrap())
    {
        let id = item["id"].as_i64().unwrap().to_string();
        let doc = run(Command::new(bin)
            .arg("--library")
            .arg(library)
            .args(["show", "--json", &id]));
        let name = Path::new(item["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text: Vec<&str> = doc["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        texts.insert(name, text.join("\n"));
    }
    texts
}

fn main() {
    let mut bin = PathBuf::from("target/release/skladnica");
    let mut work = std::env::temp_dir().join("skladnica-extract-bench");
    let mut out_file = None;
    let mut reuse = false;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--reuse" {
            reuse = true;
            continue;
        }
        let v = it.next().expect("a value");
        match k.as_str() {
            "--bin" => bin = PathBuf::from(v),
            "--work" => work = PathBuf::from(v),
            "--out" => out_file = Some(PathBuf::from(v)),
            other => panic!("unknown option {other}"),
        }
    }
    let labels: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("labels/extraction.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let admin = corpus().join("scans_admin/poleval2025-doclayout");
    let mut pages = Vec::new();
    for split in ["dev", "test_a"] {
        for e in std::fs::read_dir(admin.join(split)).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "jpg") {
                pages.push(e.path());
            }
        }
    }
    pages.sort();
    let saved = work.join("texts.json");
    let texts: BTreeMap<String, String> = if reuse && saved.exists() {
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap()
    } else {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        eprintln!("reading {} pages with OCR…", pages.len());
        let texts = page_texts(&bin, &work.join("library"), &pages);
        std::fs::write(&saved, serde_json::to_string(&texts).unwrap()).unwrap();
        texts
    };

    let mut date = Counts::default();
    let mut date_sure = Counts::default();
    let mut refs = Counts::default();
    let mut ids = Counts::default();
    let mut issuer = Counts::default();
    let mut place = Counts::default();
    let (mut kinds_right, mut kinds_total) = (0, 0);
    let mut misses = String::new();
    // For the JRWA suggestions: each document's words and its class.
    let mut filed: Vec<(String, Vec<String>)> = Vec::new();
    let docs = labels["documents"].as_array().unwrap();
    for doc in docs {
        let prefix = doc["prefix"].as_str().unwrap();
        // The document's pages: `<prefix>_<n>.jpg`, in page order.
        let mut own: Vec<(&String, &String)> = texts
            .iter()
            .filter(|(name, _)| {
                name.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('_'))
                    .and_then(|r| r.strip_suffix(".jpg"))
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            })
            .collect();
        own.sort_by_key(|(name, _)| name.to_string());
        assert!(!own.is_empty(), "no pages for {prefix}");
        let text: Vec<&str> = own.iter().map(|(_, t)| t.as_str()).collect();
        let text = text.join("\n\u{c}\n");
        let found = extract(&text);
        let first = |f: Field| found.iter().find(|x| x.field == f);
        let values = |fields: &[Field]| -> BTreeSet<String> {
            found
                .iter()
                .filter(|x| fields.contains(&x.field))
                .map(|x| x.value.clone())
                .collect()
        };
        let truth_str = |k: &str| doc[k].as_str().map(str::to_string);

        let got_date = first(Field::DocumentDate);
        date.add_one(
            got_date.map(|f| f.value.as_str()),
            truth_str("date").as_deref(),
        );
        date_sure.add_one(
            got_date
                .filter(|f| f.confidence >= 0.8)
                .map(|f| f.value.as_str()),
            truth_str("date").as_deref(),
        );
        let truth_refs: BTreeSet<String> = doc["refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        let got_refs = values(&[Field::Reference]);
        refs.add_sets(&got_refs, &truth_refs);
        let truth_ids: BTreeSet<String> = doc["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}:{}",
                    i["type"].as_str().unwrap(),
                    i["value"].as_str().unwrap()
                )
            })
            .collect();
        let got_ids: BTreeSet<String> = found
            .iter()
            .filter(|f| {
                matches!(
                    f.field,
                    Field::Pesel
                        | Field::Nip
                        | Field::Regon
                        | Field::Krs
                        | Field::LandRegister
                        | Field::IdCard
                )
            })
            .map(|f| format!("{}:{}", f.field.name(), f.value))
            .collect();
        ids.add_sets(&got_ids, &truth_ids);
        issuer.add_one(
            first(Field::Issuer).map(|f| f.value.as_str()),
            truth_str("issuer").as_deref(),
        );
        place.add_one(
            first(Field::Place).map(|f| f.value.as_str()),
            truth_str("place").as_deref(),
        );
        let kind = first(Field::Kind)
            .map(|f| f.value.clone())
            .unwrap_or_default();
        kinds_total += 1;
        if Some(kind.as_str()) == doc["kind"].as_str() {
            kinds_right += 1;
        }
        let show = |f: Option<&Found>| f.map(|f| f.value.clone()).unwrap_or_else(|| "–".into());
        let subject = first(Field::Subject).map(|f| f.value.clone());
        filed.push((
            doc["jrwa"].as_str().unwrap().to_string(),
            suggestion_words(&suggestion_text("", subject.as_deref(), &text)),
        ));
        let got_issuer = first(Field::Issuer).map(|f| f.value.clone());
        let got_place = first(Field::Place).map(|f| f.value.clone());
        if got_issuer != truth_str("issuer") || got_place != truth_str("place") {
            let _ = writeln!(
                misses,
                "- {prefix}: issuer {:?} (label {:?}), place {:?} (label {:?})",
                got_issuer,
                truth_str("issuer"),
                got_place,
                truth_str("place")
            );
        }
        if got_date.map(|f| f.value.clone()) != truth_str("date")
            || got_refs != truth_refs
            || Some(kind.as_str()) != doc["kind"].as_str()
        {
            let _ = writeln!(
                misses,
                "- {prefix}: date {} (label {}), kind {kind} (label {}), refs extra {:?} missing {:?}",
                show(got_date),
                truth_str("date").unwrap_or_else(|| "–".into()),
                doc["kind"].as_str().unwrap(),
                got_refs.difference(&truth_refs).collect::<Vec<_>>(),
                truth_refs.difference(&got_refs).collect::<Vec<_>>(),
            );
        }
    }
    eprintln!("{misses}");

    // JRWA suggestions, leave-one-out: each document against the JRWA's headings alone, and
    // against the headings plus every other document filed under its class.
    let gmina = skladnica_records::Jrwa::gmina_2011();
    let (mut headings_top1, mut headings_top3, mut learnt_top1, mut learnt_top3) = (0, 0, 0, 0);
    for (i, (class, words)) in filed.iter().enumerate() {
        let headings = suggester(&gmina);
        let mut learnt = suggester(&gmina);
        for (j, (other_class, other_words)) in filed.iter().enumerate() {
            if i != j {
                learnt.learn(other_class, other_words);
            }
        }
        for (s, top1, top3) in [
            (&headings, &mut headings_top1, &mut headings_top3),
            (&learnt, &mut learnt_top1, &mut learnt_top3),
        ] {
            let top: Vec<String> = s.suggest(words, 3).into_iter().map(|x| x.symbol).collect();
            if top.first() == Some(class) {
                *top1 += 1;
            }
            if top.contains(class) {
                *top3 += 1;
            }
        }
    }
    let classes: BTreeSet<&str> = filed.iter().map(|(c, _)| c.as_str()).collect();

    let mut md = String::new();
    let today = String::from_utf8(
        Command::new("date")
            .arg("+%Y-%m-%d")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let _ = writeln!(
        md,
        "\n## Metadata extraction — {} ({})\n",
        today.trim(),
        machine()
    );
    let _ = writeln!(
        md,
        "`scripts/bench-extract.sh`: {} real official documents ({} pages of `scans_admin/poleval2025-doclayout`, dev and test_a) read by OCR, against the labels in `tests/labels/extraction.json`.\n",
        docs.len(),
        pages.len()
    );
    let _ = writeln!(
        md,
        "The rules were written while reading these same documents and the labels were made from them: there is no held-out set yet, so the figures show what the rules reach on the documents they were made for, not on unseen ones. Only two identifiers occur (a NIP and a REGON); the identifier rules' precision rests more on their checksums and the unit tests than on this count.\n"
    );
    let _ = writeln!(
        md,
        "| field | precision | recall | counts (tp/fp/fn) | target |"
    );
    let _ = writeln!(md, "| --- | --- | --- | --- | --- |");
    for (name, c, target) in [
        ("document date", date, "≥ 95 % precision, ≥ 90 % recall"),
        ("document date, confidence ≥ 0.8", date_sure, ""),
        (
            "case signs and reference numbers",
            refs,
            "≥ 95 % precision, ≥ 90 % recall",
        ),
        (
            "identifiers (PESEL, NIP, REGON, KRS, KW, ID card)",
            ids,
            "100 % precision",
        ),
        ("issuer", issuer, ""),
        ("place", place, ""),
    ] {
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {}/{}/{} | {target} |",
            pct(c.precision()),
            pct(c.recall()),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    let _ = writeln!(
        md,
        "| document kind (accuracy) | {} | | {kinds_right}/{kinds_total} | ≥ 85 % |",
        pct(ratio(kinds_right, kinds_total))
    );
    let n = filed.len();
    let _ = writeln!(
        md,
        "\nJRWA suggestions (top 3 end classes of the gmina JRWA), leave-one-out over the same {n} documents, each labelled with the class a gmina clerk would file it under ({} classes, most with one document):\n",
        classes.len()
    );
    let _ = writeln!(md, "| suggester | top-1 | top-3 |");
    let _ = writeln!(md, "| --- | --- | --- |");
    let _ = writeln!(
        md,
        "| JRWA headings only (nothing learnt yet) | {} ({headings_top1}/{n}) | {} ({headings_top3}/{n}) |",
        pct(ratio(headings_top1, n)),
        pct(ratio(headings_top3, n))
    );
    let _ = writeln!(
        md,
        "| headings + the other {} documents as filed | {} ({learnt_top1}/{n}) | {} ({learnt_top3}/{n}) |",
        n - 1,
        pct(ratio(learnt_top1, n)),
        pct(ratio(learnt_top3, n))
    );
    print!("{md}");
    if let Some(out) = out_file {
        let mut text = std::fs::read_to_string(&out).unwrap_or_default();
        text.push_str(&md);
        std::fs::write(&out, text).unwrap();
    }
}
