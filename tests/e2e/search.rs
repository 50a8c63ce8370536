//! Search through the binary: Polish inflection, diacritics, ranking, the query language,
//! snippets and facets.

use std::sync::OnceLock;

use serde_json::Value;
use skladnica_tests::pdf_from_text;

use crate::harness::Lib;

struct Fixture {
    lib: Lib,
    ids: Vec<(&'static str, i64)>,
}

/// One library shared by the tests of this module (built once).
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let lib = Lib::shared("search-fixture");
        let docs: &[(&str, &str, Option<&str>, &str)] = &[
            (
                "dzierzawa",
                "Umowa dzierżawy gruntu",
                Some("20230510"),
                "Strony zawierają umowę dzierżawy działki nr 12/3. Przedmiotem umowy jest grunt \
                 rolny. Do umowy dołączono mapę.",
            ),
            (
                "najem",
                "Umowa najmu lokalu",
                Some("20240102"),
                "Wynajmujący oddaje lokal w najem. Zgodnie z umową czynsz płatny jest do 10 dnia \
                 miesiąca.",
            ),
            (
                "wniosek",
                "Pismo mieszkańca",
                Some("20240620"),
                "Zwracam się z wnioskiem o wydanie zaświadczenia o niezaleganiu w podatkach.",
            ),
            (
                "zarzadzenie",
                "Zarządzenie Wójta",
                Some("20241105"),
                "W zarządzeniu określono zasady obiegu dokumentów. Zarządzenia wchodzą w życie \
                 z dniem podpisania.",
            ),
            (
                "ocr",
                "Skan starego pisma",
                Some("19990301"),
                "Zarzqdzenie w sprawie inwentaryzacji skladnikow majatku gminy.",
            ),
            (
                "bez_ogonkow",
                "Notatka",
                None,
                "Wydano zaswiadczenie o zameldowaniu.",
            ),
            (
                "tytul",
                "Dzierżawa nieruchomości gminnych",
                Some("20220101"),
                "Informacja o zasadach wydzierżawiania.",
            ),
        ];
        let mut ids = Vec::new();
        for (name, title, date, body) in docs {
            let path = lib.file(
                &format!("{name}.pdf"),
                &pdf_from_text(body, Some(title), *date),
            );
            let report = lib.import(&[&path], 0);
            ids.push((*name, report["imported"][0]["id"].as_i64().unwrap()));
        }
        Fixture { lib, ids }
    })
}

fn id(name: &str) -> i64 {
    fixture().ids.iter().find(|(n, _)| *n == name).unwrap().1
}

fn hits(query: &str) -> Vec<i64> {
    fixture().lib.hit_ids(query)
}

fn search(query: &str) -> Value {
    fixture().lib.search(query)
}

#[test]
fn a_query_in_one_form_finds_the_others() {
    for q in ["umowa", "umowy", "umowie", "umową", "UMOWA"] {
        let found = hits(q);
        assert!(found.contains(&id("dzierzawa")), "{q}: {found:?}");
        assert!(found.contains(&id("najem")), "{q}: {found:?}");
    }
    for q in ["wniosek", "wniosku", "wnioskiem"] {
        assert!(hits(q).contains(&id("wniosek")), "{q}");
    }
    for q in ["zarządzenie", "zarządzenia", "zarządzeniu"] {
        assert!(hits(q).contains(&id("zarzadzenie")), "{q}");
    }
}

#[test]
fn exact_forms_rank_first() {
    // "umową" occurs only in the lease; the other document has other forms.
    assert_eq!(hits("umową")[0], id("najem"));
}

#[test]
fn diacritics_may_be_left_out_and_rank_below_exact_forms() {
    let found = hits("zaswiadczenie");
    assert!(found.contains(&id("wniosek")), "{found:?}");
    assert!(found.contains(&id("bez_ogonkow")), "{found:?}");
    assert_eq!(found[0], id("bez_ogonkow"));
    let found = hits("zaświadczenie");
    assert_eq!(found[0], id("wniosek"), "{found:?}");
    // Another inflected form, typed without Polish letters, still finds the document.
    assert!(hits("zaswiadczeniu").contains(&id("wniosek")));
    assert_eq!(hits("\"wydanie zaswiadczenia\""), vec![id("wniosek")]);
}

#[test]
fn all_words_must_match_and_exclusions_exclude() {
    assert_eq!(hits("umowa czynsz"), vec![id("najem")]);
    let found = hits("umowa -najmu");
    assert!(found.contains(&id("dzierzawa")) && !found.contains(&id("najem")));
    let found = hits("umowa -\"najem lokalu\"");
    assert!(!found.contains(&id("najem")));
}

#[test]
fn phrases_match_adjacent_words_in_any_form() {
    assert_eq!(hits("\"umowa dzierżawy\""), vec![id("dzierzawa")]);
    assert_eq!(hits("\"umowy dzierżawa\""), vec![id("dzierzawa")]);
    assert!(hits("\"dzierżawy umowa\"").is_empty());
}

#[test]
fn the_title_weighs_more_than_the_text() {
    let found = hits("dzierżawa");
    assert_eq!(found[0], id("tytul"), "{found:?}");
    assert_eq!(hits("tytul:dzierżawa"), {
        let mut v = vec![id("tytul"), id("dzierzawa")];
        v.sort_by_key(|i| found.iter().position(|f| f == i));
        v
    });
    assert_eq!(hits("tytuł:najmu"), vec![id("najem")]);
}

#[test]
fn filters_by_year_date_and_format() {
    assert_eq!(hits("umowa rok:2024"), vec![id("najem")]);
    assert_eq!(hits("umowa rok:2020..2023"), vec![id("dzierzawa")]);
    let mut in_2024 = hits("data:2024-01..2024-12");
    in_2024.sort();
    let mut expected = vec![id("najem"), id("wniosek"), id("zarzadzenie")];
    expected.sort();
    assert_eq!(in_2024, expected);
    assert_eq!(hits("data:..1999-12-31"), vec![id("ocr")]);
    assert_eq!(hits("umowa format:pdf").len(), 2);
    assert!(hits("umowa format:tiff").is_empty());
    let bad = fixture().lib.run(["search", "rok:dwa tysiące"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a year"));
}

#[test]
fn ocr_damaged_words_are_found_by_the_fuzzy_fallback() {
    let r = search("inwentaryzacja składników");
    assert_eq!(r["fuzzy"], false);
    assert_eq!(r["hits"][0]["id"], id("ocr"), "{r:#}");
    let r = search("zarządzenie inwentaryzacji");
    assert_eq!(r["fuzzy"], true, "{r:#}");
    assert_eq!(r["hits"][0]["id"], id("ocr"));
}

#[test]
fn hits_have_highlighted_snippets_and_facets() {
    let r = search("umowa");
    assert_eq!(r["total"], 2);
    for hit in r["hits"].as_array().unwrap() {
        let s = hit["snippet"].as_str().unwrap();
        assert!(s.contains("<b>"), "{s}");
        assert!(hit["score"].as_f64().unwrap() > 0.0);
        assert!(!hit["title"].as_str().unwrap().is_empty());
    }
    let years = r["facets"]["year"].as_array().unwrap();
    assert_eq!(years.len(), 2);
    assert_eq!(r["facets"]["format"][0]["value"], "pdf");
    assert_eq!(r["facets"]["format"][0]["count"], 2);
}

#[test]
fn hits_sort_by_date_either_way_with_undated_last() {
    let lib = &fixture().lib;
    let ids = |sort: &str, q: &str| -> Vec<i64> {
        let r = lib.json(["search", "--json", "--sort", sort, q], 0);
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids("newest", "umowa"), vec![id("najem"), id("dzierzawa")]);
    assert_eq!(ids("oldest", "umowa"), vec![id("dzierzawa"), id("najem")]);
    // Undated documents come last in both orders.
    assert_eq!(
        ids("newest", "zaświadczenie"),
        vec![id("wniosek"), id("bez_ogonkow")]
    );
    assert_eq!(
        ids("najstarsze", "zaświadczenie"),
        vec![id("wniosek"), id("bez_ogonkow")]
    );
    let out = lib.run(["search", "--sort", "alfabetycznie", "umowa"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("none of relevance, newest, oldest"));
}

#[test]
fn stopword_only_queries_say_why_they_find_nothing() {
    let out = fixture().lib.run(["search", "i w oraz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("common words"));
}

#[test]
fn plain_output_shows_hits_for_people() {
    let out = fixture().lib.run(["search", "zarządzenie"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Zarządzenie Wójta"), "{text}");
    assert!(text.contains("«"), "{text}");
}
