//! Loads real JRWAs from `../shared/reference/jrwa/`: a city's list of about 2011 (wide layout,
//! B-5 marks, two category columns, four repeated symbols) and the Ministry of Culture's list of
//! 2025 (flat layout, gaps in its hierarchy).

use std::path::PathBuf;

use skladnica_records::{Category, Error, Jrwa};

fn reference(name: &str) -> (Vec<u8>, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/jrwa")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (bytes, name.to_string())
}

#[test]
fn the_city_list_is_refused_for_its_repeated_symbols_naming_each() {
    let (bytes, name) = reference("soltys/symbol.csv");
    let Err(Error::Jrwa { problems, .. }) = Jrwa::from_csv(&bytes, &name) else {
        panic!("the list repeats symbols and must be refused");
    };
    for symbol in ["0050", "064", "0704", "404"] {
        assert!(
            problems
                .iter()
                .any(|p| p.contains(&format!("symbol {symbol} repeats line"))),
            "{symbol}: {problems:#?}"
        );
    }
    assert!(
        problems.iter().all(|p| p.contains("repeats")),
        "{problems:#?}"
    );
}

#[test]
fn the_city_list_loads_once_its_repeats_are_removed() {
    let (bytes, name) = reference("soltys/symbol.csv");
    let text = String::from_utf8(bytes).unwrap();
    let mut seen = std::collections::HashSet::new();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            let symbol = fields[..5]
                .iter()
                .rev()
                .find(|f| !f.is_empty())
                .copied()
                .unwrap_or("");
            seen.insert(symbol.to_string())
        })
        .collect();
    let loaded = Jrwa::from_csv(kept.join("\n").as_bytes(), &name).unwrap();
    assert_eq!(loaded.jrwa.len(), kept.len() - 1);
    let class = loaded.jrwa.get("0020").unwrap();
    assert_eq!(class.heading, "Wybory do Sejmu i Senatu RP");
    assert_eq!(
        (class.category, class.category_other),
        (Some(Category::B(5)), Some(Category::Bc))
    );
    assert!(
        loaded.ignored_columns.is_empty(),
        "{:?}",
        loaded.ignored_columns
    );
    // Typos in the columns that only repeat the symbol's beginning are reported, not fatal.
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("\"4319\" in column IV does not continue \"432\"")),
        "{:#?}",
        loaded.warnings
    );
}

#[test]
fn the_ministry_list_is_refused_for_its_class_without_a_heading() {
    let (bytes, name) = reference("jrwa_mkidn_2025_parsed.csv");
    let Err(Error::Jrwa { problems, .. }) = Jrwa::from_csv(&bytes, &name) else {
        panic!("class 0155 has no heading and must be refused");
    };
    assert_eq!(problems, ["line 41: class 0155 has no heading"]);
}

#[test]
fn the_ministry_list_loads_with_its_gaps_reported() {
    let (bytes, name) = reference("jrwa_mkidn_2025_parsed.csv");
    let text = String::from_utf8(bytes).unwrap();
    let fixed: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("0155,4,,"))
        .collect();
    let loaded = Jrwa::from_csv(fixed.join("\n").as_bytes(), &name).unwrap();
    assert_eq!(loaded.jrwa.len(), 646);
    assert_eq!(loaded.ignored_columns, ["plik_zrodlowy"]);
    let class = loaded.jrwa.get("000").unwrap();
    assert_eq!(class.heading, "Narady kierownictwa Ministerstwa");
    assert_eq!(class.category, Some(Category::A));
    assert!(
        loaded
            .jrwa
            .classes()
            .iter()
            .any(|c| c.category == Some(Category::BStar))
    );
    // Classes whose parent the parse lost are placed under the nearest ancestor and reported.
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("no parent class")),
        "{:#?}",
        loaded.warnings
    );
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("has no archival category"))
    );
}
