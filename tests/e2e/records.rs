//! The records registers through the binary: the shipped gmina JRWA, an office's own list loaded
//! as a new version (the real lists in `../shared/reference/jrwa/`), units, cases numbered from
//! the spis spraw, closing, retention lists, and the clear refusal of every malformed input with
//! nothing half-saved.

use serde_json::Value;
use skladnica_tests::shared;

use crate::harness::Lib;

fn versions(lib: &Lib) -> Vec<Value> {
    lib.json(["jrwa", "versions", "--json"], 0)["versions"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_new_library_has_the_gmina_jrwa_to_browse_and_search() {
    let lib = Lib::new();
    assert!(lib.run(["init"]).status.success());
    let v = versions(&lib);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["source"], "builtin:gmina-2011");
    assert_eq!(v[0]["in_force_from"], "2011-01-01");

    let show = lib.json(["jrwa", "show", "--json", "6730"], 0);
    assert_eq!(
        show["class"]["heading"],
        "Ustalanie warunków zabudowy i zagospodarowania terenu"
    );
    assert_eq!(show["class"]["category"], "A");
    let path: Vec<&str> = show["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(path, ["6", "67", "673"]);

    // Words in other inflections than the heading's, and without Polish letters.
    let hits = lib.json(
        [
            "jrwa",
            "search",
            "--json",
            "zaswiadczenia",
            "o",
            "zatrudnieniu",
        ],
        0,
    );
    assert_eq!(hits[0]["class"]["symbol"], "224", "{hits:#}");
    let hits = lib.json(["jrwa", "search", "--json", "541"], 0);
    let symbols: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["class"]["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(symbols, ["541", "5410", "5411"]);

    let listed = lib.json(["jrwa", "list", "--json", "--depth", "1"], 0);
    assert_eq!(listed["classes"].as_array().unwrap().len(), 9);
    let text = String::from_utf8(lib.run(["jrwa", "list", "--prefix", "001"]).stdout).unwrap();
    assert!(
        text.contains(
            "0012   A     Posiedzenia komisji, zespołów i innych organów kolegialnych rady gminy"
        ),
        "{text}"
    );
}

#[test]
fn cases_are_numbered_per_unit_class_and_year_and_keep_their_jrwa() {
    let lib = Lib::new();
    lib.add_unit("OR", "2015", "Referat Organizacyjny");
    lib.add_unit("GKM", "2015", "Referat Gospodarki Komunalnej");
    lib.add_unit("GKM-A", "2015", "Stanowisko ds. ulic");

    let first = lib.open_case("OR", "0012", "Posiedzenia komisji rewizyjnej", "2024-02-01");
    assert_eq!(first["sign"], "OR.0012.1.2024");
    assert_eq!(first["category"], "A");
    // Another class, another unit, a sub-unit: each spis spraw counts on its own; numbering
    // restarts with the year.
    for (unit, class, title, opened, sign) in [
        (
            "OR",
            "0012",
            "Posiedzenia komisji budżetu",
            "2024-03-01",
            "OR.0012.2.2024",
        ),
        (
            "OR",
            "0050",
            "Zarządzenia wójta",
            "2024-03-02",
            "OR.0050.1.2024",
        ),
        (
            "GKM",
            "6730",
            "Warunki zabudowy, dz. 12/3",
            "2024-04-10",
            "GKM.6730.1.2024",
        ),
        (
            "GKM-A",
            "6730",
            "Warunki zabudowy, dz. 15",
            "2024-04-11",
            "GKM-A.6730.1.2024",
        ),
        (
            "OR",
            "0012",
            "Posiedzenia komisji 2025",
            "2025-01-07",
            "OR.0012.1.2025",
        ),
    ] {
        assert_eq!(lib.open_case(unit, class, title, opened)["sign"], sign);
    }
    // A number from a paper register is taken as given, and the next one follows it.
    let from_paper = lib.json(
        [
            "case",
            "new",
            "--json",
            "--unit",
            "OR",
            "--jrwa",
            "0012",
            "--title",
            "Z papierowego spisu",
            "--opened",
            "2024-06-01",
            "--number",
            "7",
        ],
        0,
    );
    assert_eq!(from_paper["sign"], "OR.0012.7.2024");
    assert_eq!(
        lib.open_case("OR", "0012", "Kolejna", "2024-06-02")["sign"],
        "OR.0012.8.2024"
    );

    // An office list in force from 2025-06-01: earlier cases stay under the gmina list.
    let own = lib.file(
        "wykaz.csv",
        "symbol;hasło klasyfikacyjne;kategoria archiwalna;uwagi\n\
         0;ZARZĄDZANIE;;\n00;Organy gminy;;\n000;Rada gminy;;\n\
         0002;Sesje rady gminy;A;\n0012;Posiedzenia komisji rady;BE10;zmienione\n"
            .as_bytes(),
    );
    let report = lib.json(
        [
            "jrwa".as_ref(),
            "import".as_ref(),
            "--json".as_ref(),
            "--from".as_ref(),
            "2025-06-01".as_ref(),
            "--name".as_ref(),
            "Wykaz własny 2025".as_ref(),
            own.as_os_str(),
        ],
        0,
    );
    assert_eq!(report["version"]["class_count"], 5);
    assert!(
        report["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("class 0012 has no parent class 001")),
        "{report:#}"
    );
    let new_version = report["version"]["id"].as_i64().unwrap();
    let later = lib.open_case("OR", "0012", "Komisja po zmianie wykazu", "2025-06-02");
    assert_eq!(later["sign"], "OR.0012.2.2025");
    assert_eq!(later["jrwa_version"], new_version);
    assert_eq!(later["category"], "BE10");
    let earlier = lib.json(["case", "show", "--json", "OR.0012.1.2025"], 0);
    assert_eq!(earlier["jrwa_version"], 1);
    assert_eq!(earlier["category"], "A");
    assert_eq!(
        earlier["jrwa_heading"],
        "Posiedzenia komisji, zespołów i innych organów kolegialnych rady gminy"
    );
    // The new list has no 0050: a case opened under it now is refused with the reason.
    let err = lib.fails([
        "case",
        "new",
        "--unit",
        "OR",
        "--jrwa",
        "0050",
        "--title",
        "Zarządzenie",
        "--opened",
        "2025-07-01",
    ]);
    assert!(
        err.contains("JRWA class 0050 is not in \"Wykaz własny 2025\""),
        "{err}"
    );

    let listed = lib.json(
        [
            "case", "list", "--json", "--unit", "OR", "--jrwa", "0012", "--year", "2024",
        ],
        0,
    );
    let signs: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sign"].as_str().unwrap())
        .collect();
    assert_eq!(
        signs,
        [
            "OR.0012.1.2024",
            "OR.0012.2.2024",
            "OR.0012.7.2024",
            "OR.0012.8.2024"
        ]
    );
}

#[test]
fn closed_cases_come_due_for_destruction_review_or_transfer() {
    let lib = Lib::new();
    lib.add_unit("OR", "2011", "Referat Organizacyjny");
    // B3 (2340), BE5 (0030), A (0012), Bc does not occur in the gmina list.
    lib.open_case("OR", "2340", "Listy obecności 2019", "2019-01-02");
    lib.open_case("OR", "0030", "Wybory do młodzieżowej rady", "2019-05-01");
    lib.open_case("OR", "0012", "Posiedzenia komisji", "2019-02-01");
    lib.open_case("OR", "2340", "Listy obecności 2020", "2020-01-02");
    for (sign, on) in [
        ("OR.2340.1.2019", "2019-12-31"),
        ("OR.0030.1.2019", "2019-06-30"),
        ("OR.0012.1.2019", "2019-12-20"),
    ] {
        let closed = lib.json(["case", "close", "--json", "--on", on, sign], 0);
        assert_eq!(closed["closed_on"], on);
    }
    // B3 closed in 2019: from 1 January 2023. BE5 closed in 2019: from 1 January 2025.
    let due = lib.json(["retention", "--json", "--on", "2022-12-31"], 0);
    assert!(due["items"].as_array().unwrap().is_empty(), "{due:#}");
    let due = lib.json(["retention", "--json", "--on", "2023-01-01"], 0);
    let items = due["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{due:#}");
    assert_eq!(items[0]["sign"], "OR.2340.1.2019");
    assert_eq!(
        items[0]["due"],
        serde_json::json!({"action": "destroy", "from": "2023-01-01"})
    );
    let due = lib.json(["retention", "--json", "--on", "2025-01-01"], 0);
    let actions: Vec<(&str, &str)> = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["sign"].as_str().unwrap(),
                i["due"]["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [("OR.2340.1.2019", "destroy"), ("OR.0030.1.2019", "review")]
    );
    let review = lib.json(
        [
            "retention",
            "--json",
            "--on",
            "2045-01-01",
            "--action",
            "review",
        ],
        0,
    );
    assert_eq!(review["items"].as_array().unwrap().len(), 1);
    // A category the JRWA's source text lost, filled in by hand, is flagged for checking.
    lib.open_case("OR", "0014", "Uchwały komisji", "2019-03-01");
    lib.json(
        [
            "case",
            "close",
            "--json",
            "--on",
            "2019-12-20",
            "OR.0014.1.2019",
        ],
        0,
    );
    let transfer = lib.json(
        [
            "retention",
            "--json",
            "--on",
            "2045-01-01",
            "--action",
            "transfer",
        ],
        0,
    );
    let flags: Vec<(&str, bool)> = transfer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["sign"].as_str().unwrap(),
                i["category_to_verify"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [("OR.0012.1.2019", false), ("OR.0014.1.2019", true)]);
    assert_eq!(transfer["items"][0]["due"]["from"], "2045-01-01");
    let shown = lib.json(["case", "show", "--json", "OR.0014.1.2019"], 0);
    assert_eq!(shown["category_source"], "uzupelnienie");
    let shown = lib.json(["case", "show", "--json", "OR.0012.1.2019"], 0);
    assert_eq!(shown["category_source"], "ocr");
    assert_eq!(
        shown["due"],
        serde_json::json!({"action": "transfer", "from": "2045-01-01"})
    );
}

#[test]
fn malformed_records_input_is_refused_with_a_reason_and_nothing_saved() {
    let lib = Lib::new();
    lib.add_unit("OR", "2020", "Referat Organizacyjny");
    lib.open_case("OR", "0012", "Posiedzenia komisji", "2024-02-01");

    // Case signs in an unknown format.
    for (sign, reason) in [
        ("OR/0012/1/2024", "separated by dots"),
        ("OR.0012.1.24", "four digits (2024, not 24)"),
        (
            "OR.0012-1.2024",
            "hyphen only joins a unit and its sub-unit",
        ),
        ("OR.0012.2024", "at least four"),
    ] {
        let err = lib.fails(["case", "show", sign]);
        assert!(err.contains(reason), "{sign}: {err}");
    }
    let err = lib.fails(["case", "show", "OR.0012.9.2024"]);
    assert!(err.contains("no case OR.0012.9.2024"), "{err}");

    // A case number that exists already, a class with sub-classes, an unknown unit or class, a
    // unit outside its years, no title, an impossible date.
    for (unit, jrwa, title, opened, number, reason) in [
        (
            "OR",
            "0012",
            "x",
            "2024-03-01",
            "1",
            "case OR.0012.1.2024 already exists (\"Posiedzenia komisji\", opened 2024-02-01); the next free number is 2",
        ),
        (
            "OR",
            "001",
            "x",
            "2024-03-01",
            "",
            "has sub-classes (0010, 0011, 0012, 0013, 0014, 0015)",
        ),
        (
            "OR",
            "9999",
            "x",
            "2024-03-01",
            "",
            "JRWA class 9999 is not in",
        ),
        ("XYZ", "0012", "x", "2024-03-01", "", "no unit XYZ"),
        (
            "OR",
            "0012",
            "x",
            "2019-03-01",
            "",
            "unit OR does not exist in 2019 (it exists from 2020)",
        ),
        ("OR", "0012", "  ", "2024-03-01", "", "needs a title"),
        ("OR", "0012", "x", "2023-02-29", "", "February has 28 days"),
    ] {
        let mut args = vec![
            "case", "new", "--unit", unit, "--jrwa", jrwa, "--title", title, "--opened", opened,
        ];
        if !number.is_empty() {
            args.extend(["--number", number]);
        }
        let err = lib.fails(&args);
        assert!(err.contains(reason), "{args:?}: {err}");
    }
    let err = lib.fails(["case", "close", "--on", "2024-01-15", "OR.0012.1.2024"]);
    assert!(err.contains("before it opened (2024-02-01)"), "{err}");
    let err = lib.fails(["case", "close", "--on", "2999-01-01", "OR.0012.1.2024"]);
    assert!(err.contains("a day still to come"), "{err}");
    // Unit codes.
    let err = lib.fails(["unit", "add", "--from", "2024", "OR", "Inny"]);
    assert!(
        err.contains("already used by \"Referat Organizacyjny\""),
        "{err}"
    );
    let err = lib.fails(["unit", "add", "--from", "2024", "A.B", "Zły"]);
    assert!(err.contains("only letters and digits"), "{err}");
    let err = lib.fails(["unit", "add", "--from", "2024", "ZZ-A", "Pod"]);
    assert!(
        err.contains("sub-unit of ZZ, which does not exist in 2024"),
        "{err}"
    );

    // JRWA files: the city list repeats four symbols; each is named with its lines.
    let city = shared().join("reference/jrwa/soltys/symbol.csv");
    let err = lib.fails(["jrwa".as_ref(), "import".as_ref(), city.as_os_str()]);
    for symbol in ["0050", "064", "0704", "404"] {
        assert!(
            err.contains(&format!("symbol {symbol} repeats line")),
            "{symbol}: {err}"
        );
    }
    assert!(err.contains("symbol.csv: not loaded"), "{err}");
    for (name, text, reason) in [
        (
            "kolumny.csv",
            "numer;opis\n1;x\n",
            "no column for the symbol",
        ),
        (
            "kategoria.csv",
            "symbol;haslo;kategoria\n1;Kadry;\n10;Akta;Z9\n",
            "line 3: class 10: archival category \"Z9\" is unknown",
        ),
        (
            "cykl.csv",
            "symbol;haslo;kategoria;nadrzedny\n1;A;;2\n2;B;A;1\n",
            "is its own ancestor",
        ),
        (
            "pola.csv",
            "symbol;haslo;kategoria\n1;Kadry;A;nadmiar\n",
            "line 2: 4 fields, but the header has 3",
        ),
        ("pusty.csv", "", "the file is empty"),
    ] {
        let path = lib.file(name, text.as_bytes());
        let err = lib.fails(["jrwa".as_ref(), "import".as_ref(), path.as_os_str()]);
        assert!(err.contains(reason), "{name}: {err}");
    }
    // The ministry's list has one class without a heading.
    let ministry = shared().join("reference/jrwa/jrwa_mkidn_2025_parsed.csv");
    let err = lib.fails(["jrwa".as_ref(), "import".as_ref(), ministry.as_os_str()]);
    assert!(err.contains("line 41: class 0155 has no heading"), "{err}");
    // Nothing was saved by any of them.
    assert_eq!(versions(&lib).len(), 1);
    // A list loaded twice for the same day is refused the second time.
    let ok = lib.file(
        "ok.csv",
        b"symbol;haslo;kategoria\n1;Kadry;\n10;Akta osobowe;BE50\n",
    );
    lib.json(
        [
            "jrwa".as_ref(),
            "import".as_ref(),
            "--json".as_ref(),
            "--from".as_ref(),
            "2026-01-01".as_ref(),
            ok.as_os_str(),
        ],
        0,
    );
    let err = lib.fails([
        "jrwa".as_ref(),
        "import".as_ref(),
        "--from".as_ref(),
        "2026-01-01".as_ref(),
        ok.as_os_str(),
    ]);
    assert!(err.contains("already loaded as JRWA version 2"), "{err}");
    assert_eq!(versions(&lib).len(), 2);
}

fn import_letter(lib: &Lib, name: &str, text: &str) -> i64 {
    let pdf = skladnica_tests::pdf_from_text(text, Some(name), None);
    let path = lib.file(&format!("{name}.pdf"), &pdf);
    crate::harness::only_id(&lib.import(&[&path], 0))
}

fn this_year() -> String {
    // The register numbers by the year of registration, which is now.
    let out = std::process::Command::new("date")
        .env("TZ", "Europe/Warsaw")
        .arg("+%Y")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn incoming_items_are_registered_numbered_described_and_filed() {
    let lib = Lib::new();
    let year = this_year();
    let doc = import_letter(
        &lib,
        "skan-wniosku",
        "Iwanowice, 3 marca 2026 r. Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach.",
    );
    lib.add_unit("FN", "2020", "Referat Finansowy");
    let case = lib.open_case("FN", "3140", "Zaświadczenia podatkowe", "2026-03-02");
    let registered = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--surname",
            "Kowalska",
            "--first-names",
            "Anna Maria",
            "--town",
            "Iwanowice",
            "--postal-code",
            "32-095",
            "--street",
            "Słoneczna",
            "--building",
            "5",
            "--received",
            "2026-03-05",
            "--letter-date",
            "2026-03-03",
            "--title",
            "Wniosek o zaświadczenie o niezaleganiu",
            "--kind",
            "wniosek",
            "--delivery",
            "poczta",
            "--attachments",
            "1",
            "--document",
            &doc.to_string(),
            "--case",
            case["sign"].as_str().unwrap(),
        ],
        0,
    );
    assert_eq!(registered["number"], format!("RPW.1.{year}"));
    assert_eq!(registered["sender"]["surname"], "Kowalska");
    assert_eq!(registered["sender"]["addresses"][0]["country"], "PL");
    assert_eq!(registered["case_sign"], case["sign"]);
    // The next item gets the next number; an institution as sender, an undated letter.
    let second = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--sender",
            "Regionalna Izba Obrachunkowa w Krakowie",
            "--town",
            "Kraków",
            "--received",
            "2026-03-06",
            "--undated",
            "--title",
            "Uchwała w sprawie opinii o projekcie budżetu",
            "--sender-sign",
            "WK-0022/14/2026",
        ],
        0,
    );
    assert_eq!(second["number"], format!("RPW.2.{year}"));
    assert_eq!(second["undated"], true);
    assert!(second["case_sign"].is_null());
    let listed = lib.json(["rpw", "list", "--json", "--year", &year], 0);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // `RPW/1/<year>` as EZD writes it finds the same item.
    let shown = lib.json(["rpw", "show", "--json", &format!("RPW/1/{year}")], 0);
    assert_eq!(shown["title"], "Wniosek o zaświadczenie o niezaleganiu");

    // The scan now carries the register's metadata, and the case's sign and class.
    let meta = lib.json(["meta", "show", "--json", &doc.to_string()], 0);
    let value = |key: &str| {
        crate::harness::meta(&meta, key).map(|(v, source)| (v.to_string(), source.to_string()))
    };
    assert_eq!(value("rpw"), Some((format!("RPW.1.{year}"), "rpw".into())));
    assert_eq!(
        value("nadawca"),
        Some(("Anna Maria Kowalska".into(), "rpw".into()))
    );
    assert_eq!(value("data"), Some(("2026-03-03".into(), "rpw".into())));
    assert_eq!(
        value("znak_sprawy"),
        Some((case["sign"].as_str().unwrap().into(), "case".into()))
    );
    assert_eq!(meta["title"], "Wniosek o zaświadczenie o niezaleganiu");
    // … and is found by its JRWA class, its kind and its year.
    assert_eq!(lib.hit_ids("jrwa:314"), [doc]);
    assert_eq!(
        lib.hit_ids(&format!("znak:{}", case["sign"].as_str().unwrap())),
        [doc]
    );
    assert_eq!(lib.hit_ids(&format!("znak:RPW.1.{year}")), [doc]);
    assert_eq!(lib.hit_ids("nadawca:kowalska"), [doc]);
    // The sender is a facet, and its value, as a filter, finds the document.
    let found = lib.search("zaświadczenie");
    assert_eq!(found["facets"]["sender"][0]["value"], "Anna Maria Kowalska");
    assert_eq!(found["facets"]["sender"][0]["count"], 1);
    assert_eq!(lib.hit_ids("nadawca:\"Anna Maria Kowalska\""), [doc]);
    assert_eq!(lib.hit_ids("rodzaj:wniosek rok:2026"), [doc]);
    let case_now = lib.json(
        ["case", "show", "--json", case["sign"].as_str().unwrap()],
        0,
    );
    assert_eq!(case_now["documents"][0]["id"], doc);

    // A second document filed in the case comes after the first; a document in one case cannot
    // join another.
    let other = import_letter(
        &lib,
        "odpowiedz",
        "Zaświadczenie o niezaleganiu w podatkach wydane dnia 10 marca 2026 r.",
    );
    // Registered first, filed in its case later: the register learns the case.
    let third = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--sender",
            "Urząd Skarbowy w Krakowie",
            "--town",
            "Kraków",
            "--received",
            "2026-03-11",
            "--letter-date",
            "2026-03-10",
            "--title",
            "Zaświadczenie",
            "--document",
            &other.to_string(),
        ],
        0,
    );
    assert!(third["case_sign"].is_null());
    let filed = lib.json(
        [
            "case",
            "add",
            "--json",
            case["sign"].as_str().unwrap(),
            &other.to_string(),
        ],
        0,
    );
    let ids: Vec<i64> = filed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [doc, other]);
    let third = lib.json(
        ["rpw", "show", "--json", third["number"].as_str().unwrap()],
        0,
    );
    assert_eq!(third["case_sign"], case["sign"]);
    let case2 = lib.open_case("FN", "3141", "Opłaty", "2026-03-02");
    let err = lib.fails([
        "case",
        "add",
        case2["sign"].as_str().unwrap(),
        &other.to_string(),
    ]);
    assert!(
        err.contains(&format!(
            "document {other} is filed in case {} already",
            case["sign"].as_str().unwrap()
        )),
        "{err}"
    );
}

#[test]
fn what_the_clerk_sets_stays_the_clerks() {
    let lib = Lib::new();
    let doc = import_letter(
        &lib,
        "pismo",
        "Decyzja w sprawie ustalenia warunków zabudowy.",
    );
    let id = doc.to_string();
    lib.json(
        [
            "meta",
            "set",
            "--json",
            &id,
            "tytul=Decyzja o warunkach zabudowy",
            "rodzaj=decyzja",
            "data=2024-05",
        ],
        0,
    );
    // The register writes title and date too, but the clerk's values stay.
    let year = this_year();
    let registered = lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--sender",
            "Jan Nowak Projekty",
            "--town",
            "Kraków",
            "--received",
            "2024-06-01",
            "--letter-date",
            "2024-05-28",
            "--title",
            "Inny tytuł",
            "--document",
            &id,
        ],
        0,
    );
    assert_eq!(registered["number"], format!("RPW.1.{year}"));
    let kept: Vec<&str> = registered["kept_clerk_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(kept, ["tytul", "data"]);
    let meta = lib.json(["meta", "show", "--json", &id], 0);
    assert_eq!(meta["title"], "Decyzja o warunkach zabudowy");
    assert_eq!(lib.hit_ids("rok:2024 rodzaj:decyzja"), [doc]);
    // Confirming a value the register wrote makes it the clerk's.
    let confirmed = lib.json(["meta", "confirm", "--json", &id, "nadawca"], 0);
    let (_, source) = crate::harness::meta(&confirmed, "nadawca").unwrap();
    assert_eq!(source, "clerk");
    // Bad values are refused together, naming each, and nothing changes.
    let err = lib.fails([
        "meta",
        "set",
        &id,
        "data=2024-02-30",
        "jezyk=pl",
        "dostep=tajny",
        "kolor=niebieski",
        "tytul=Nowy",
    ]);
    for reason in [
        "data: date \"2024-02-30\"",
        "jezyk: \"pl\" is not an ISO 639-2 code",
        "dostep: access \"tajny\"",
        "kolor: not a metadata key",
    ] {
        assert!(err.contains(reason), "{reason}: {err}");
    }
    assert_eq!(
        lib.json(["meta", "show", "--json", &id], 0)["title"],
        "Decyzja o warunkach zabudowy"
    );
    let err = lib.fails(["meta", "set", "9999", "tytul=x"]);
    assert!(err.contains("no document with id 9999"), "{err}");
}

#[test]
fn an_incomplete_incoming_item_is_refused_naming_all_that_is_missing() {
    let lib = Lib::new();
    assert!(lib.run(["init"]).status.success());
    let err = lib.fails([
        "rpw",
        "register",
        "--received",
        "2026-03-05",
        "--country",
        "Atlantyda",
    ]);
    for reason in [
        "the sender is missing",
        "country \"Atlantyda\" is not known",
        "the sender's town (miejscowość) is missing",
        "data na piśmie",
        "the title (tytuł) is missing",
    ] {
        assert!(err.contains(reason), "{reason}: {err}");
    }
    let err = lib.fails([
        "rpw",
        "register",
        "--surname",
        "Nowak",
        "--town",
        "Kraków",
        "--received",
        "2026-03-05",
        "--letter-date",
        "2026-03-09",
        "--title",
        "Pismo",
        "--document",
        "77",
    ]);
    assert!(
        err.contains("the sender's first name (imię) is missing"),
        "{err}"
    );
    assert!(
        err.contains(
            "the date on the letter (2026-03-09) is after the day it arrived (2026-03-05)"
        ),
        "{err}"
    );
    assert!(err.contains("there is no document 77"), "{err}");
    let err = lib.fails([
        "rpw",
        "register",
        "--sender",
        "X",
        "--town",
        "Y",
        "--received",
        "2999-01-01",
        "--undated",
        "--title",
        "T",
    ]);
    assert!(err.contains("still to come"), "{err}");
    let err = lib.fails(["rpw", "show", "RPW.12.26"]);
    assert!(err.contains("four digits"), "{err}");
    assert!(
        lib.json(["rpw", "list", "--json"], 0)
            .as_array()
            .unwrap()
            .is_empty()
    );
}
