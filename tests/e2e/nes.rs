//! Metadata XML validated against the archives' schemas: the NES model written as Metadane 1.7
//! and NES 2.0 for documents with and without their optional parts, Polish characters included
//! (the model alone), and a library document's metadata as `skladnica meta xml` writes it.

use skladnica_records::nes::{DateKind, Format, Grouping, Identifier, NesDate, Qualification};
use skladnica_records::{Access, Address, Category, NesDocument, Party};
use skladnica_tests::xsd::validate;

fn office() -> Party {
    Party::Institution {
        name: "Urząd Gminy Iwanowice".into(),
        addresses: vec![Address {
            postal_code: Some("32-095".into()),
            town: "Iwanowice Włościańskie".into(),
            building: Some("17".into()),
            country: "PL".into(),
            ..Address::default()
        }],
    }
}

fn minimal() -> NesDocument {
    NesDocument {
        identifiers: vec![Identifier {
            kind: "SystemID".into(),
            value: "skladnica.7".into(),
            issuer: None,
        }],
        title: "Skan".into(),
        dates: vec![NesDate {
            kind: DateKind::Acquired,
            when: "2026-03-05".parse().unwrap(),
        }],
        format: Format {
            media_type: "image/tiff".into(),
            size: None,
            incomplete: false,
        },
        access: Access::NonPublic,
        dc_type: "Text".into(),
        kind: None,
        groupings: vec![Grouping {
            kind: "rejestr przesyłek wpływających".into(),
            code: "RPW.2026".into(),
            description: "Rejestr przesyłek wpływających 2026".into(),
        }],
        authors: vec![],
        sender: None,
        recipients: vec![],
        qualification: None,
        languages: vec![],
        description: None,
    }
}

fn full() -> NesDocument {
    let sender = Party::Person {
        surname: "Żółkiewska-Łęcka".into(),
        first_names: vec!["Anna".into(), "Małgorzata".into()],
        addresses: vec![Address {
            postal_code: Some("32-095".into()),
            town: "Iwanowice".into(),
            street: Some("ul. Źródlana".into()),
            building: Some("5".into()),
            flat: Some("3".into()),
            country: "PL".into(),
            ..Address::default()
        }],
    };
    NesDocument {
        identifiers: vec![
            Identifier {
                kind: "SystemID".into(),
                value: "skladnica.8".into(),
                issuer: None,
            },
            Identifier {
                kind: "znak sprawy".into(),
                value: "GKM.6730.15.2026".into(),
                issuer: Some(office()),
            },
            Identifier {
                kind: "numer".into(),
                value: "RPW.12.2026".into(),
                issuer: Some(office()),
            },
            Identifier {
                kind: "znak pisma".into(),
                value: "ZK/1/2026".into(),
                issuer: Some(sender.clone()),
            },
        ],
        title: "Wniosek o ustalenie warunków zabudowy dla działki nr 12/3 – „Zielona Dolina” & co"
            .into(),
        dates: vec![
            NesDate {
                kind: DateKind::OnLetter,
                when: "2026-03".parse().unwrap(),
            },
            NesDate {
                kind: DateKind::Sent,
                when: "2026-03-03".parse().unwrap(),
            },
            NesDate {
                kind: DateKind::Received,
                when: "2026-03-05".parse().unwrap(),
            },
            NesDate {
                kind: DateKind::Registered,
                when: "2026-03-05".parse().unwrap(),
            },
        ],
        format: Format {
            media_type: "application/pdf".into(),
            size: Some(1_234_567),
            incomplete: true,
        },
        access: Access::Excluded,
        dc_type: "Text".into(),
        kind: Some("podanie/wniosek".into()),
        groupings: vec![Grouping {
            kind: "znak sprawy".into(),
            code: "GKM.6730.15.2026".into(),
            description: "Warunki zabudowy, dz. 12/3, obręb Żerniki".into(),
        }],
        authors: vec![("podpisał".into(), sender.clone())],
        sender: Some(sender.clone()),
        recipients: vec![
            (office(), false),
            (
                Party::Institution {
                    name: "Starostwo Powiatowe w Krakowie".into(),
                    addresses: vec![],
                },
                true,
            ),
        ],
        qualification: Some(Qualification {
            category: Category::A,
            when: "2026-03-05".parse().unwrap(),
            by: office(),
        }),
        languages: vec!["pol".into()],
        description: Some("Wniosek z załącznikami: mapa, wypis z rejestru gruntów.".into()),
    }
}

#[test]
fn both_schemas_accept_documents_with_and_without_optional_parts() {
    let dir = tempfile::tempdir().unwrap();
    let mut variants = vec![("minimal", minimal()), ("full", full())];
    // A person with no address, an undated institution, a B-category qualification.
    let mut other = full();
    other.sender = Some(Party::Person {
        surname: "Nowak".into(),
        first_names: vec![],
        addresses: vec![],
    });
    other.authors.clear();
    other.dates = vec![NesDate {
        kind: DateKind::Received,
        when: "2025".parse().unwrap(),
    }];
    other.qualification.as_mut().unwrap().category = Category::BE(10);
    other.access = Access::Public;
    other.kind = None;
    other.dc_type = "StillImage".into();
    variants.push(("other", other));
    for (name, doc) in variants {
        assert!(doc.problems().is_empty(), "{name}: {:?}", doc.problems());
        for (schema, xml) in [
            ("Metadane-1.7.xsd", doc.to_ndap17()),
            ("nes_20.xsd", doc.to_nes20()),
        ] {
            validate(dir.path(), schema, &format!("{name}-{schema}.xml"), &xml)
                .unwrap_or_else(|e| panic!("{name} against {schema}: {e}\n{xml}"));
        }
    }
}

#[test]
fn an_incomplete_record_is_refused_naming_what_is_missing() {
    let mut d = minimal();
    d.identifiers.clear();
    d.title = " ".into();
    d.groupings.clear();
    d.languages.push("pl".into());
    let p = d.problems().join("\n");
    for want in [
        "no identifier",
        "no title",
        "no grouping",
        "\"pl\" is not an ISO 639-2",
    ] {
        assert!(p.contains(want), "{want}: {p}");
    }
}

#[test]
fn the_validation_can_fail() {
    // The schemas are really applied: a document without its required grouping is refused.
    let dir = tempfile::tempdir().unwrap();
    let mut doc = minimal();
    doc.groupings.clear();
    for (schema, xml) in [
        ("Metadane-1.7.xsd", doc.to_ndap17()),
        ("nes_20.xsd", doc.to_nes20()),
    ] {
        let err = validate(dir.path(), schema, &format!("bad-{schema}.xml"), &xml).unwrap_err();
        assert!(
            err.contains("grupowanie") || err.contains("Missing child element"),
            "{schema}: {err}"
        );
    }
    // An unknown country code is refused by Metadane 1.7's own list.
    let mut doc = full();
    if let Some(Party::Person { addresses, .. }) = doc.sender.as_mut() {
        addresses[0].country = "XX".into();
    }
    doc.authors.clear();
    let err = validate(
        dir.path(),
        "Metadane-1.7.xsd",
        "country.xml",
        &doc.to_ndap17(),
    )
    .unwrap_err();
    assert!(err.contains("kraj"), "{err}");
}

#[test]
fn a_registered_document_in_a_case_gets_valid_metadata_xml() {
    let lib = crate::harness::Lib::new();
    let pdf = skladnica_tests::pdf_from_text(
        "Kraków, 3 marca 2026 r. Wniosek o wydanie decyzji o warunkach zabudowy dla działki 12/3.",
        Some("wniosek"),
        None,
    );
    let path = lib.file("wniosek.pdf", &pdf);
    let id = crate::harness::only_id(&lib.import(&[&path], 0)).to_string();
    lib.add_unit("GKM", "2020", "Referat Gospodarki Komunalnej");
    let case = lib.open_case("GKM", "6730", "Warunki zabudowy, dz. 12/3", "2026-03-05");
    let sign = case["sign"].as_str().unwrap();
    // Without the office described, the metadata has no qualification (who gave the category).
    lib.json(
        [
            "rpw",
            "register",
            "--json",
            "--surname",
            "Żółkiewska",
            "--first-names",
            "Anna",
            "--town",
            "Kraków",
            "--street",
            "Długa",
            "--building",
            "7",
            "--received",
            "2026-03-05",
            "--letter-date",
            "2026-03-03",
            "--sent",
            "2026-03-04",
            "--title",
            "Wniosek o warunki zabudowy „Zielona Dolina”",
            "--kind",
            "podanie/wniosek",
            "--sender-sign",
            "ZK/1/2026",
            "--image",
            "partial",
            "--document",
            &id,
            "--case",
            sign,
        ],
        0,
    );
    let dir = tempfile::tempdir().unwrap();
    for round in ["without office", "with office"] {
        if round == "with office" {
            assert!(
                lib.run([
                    "office",
                    "set",
                    "--town",
                    "Iwanowice",
                    "--postal-code",
                    "32-095",
                    "Urząd",
                    "Gminy",
                    "Iwanowice"
                ])
                .status
                .success()
            );
        }
        for (schema, file) in [("ndap17", "Metadane-1.7.xsd"), ("nes20", "nes_20.xsd")] {
            let out = lib.run(["meta", "xml", "--schema", schema, &id]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let xml = String::from_utf8(out.stdout).unwrap();
            validate(dir.path(), file, &format!("{schema}.xml"), &xml)
                .unwrap_or_else(|e| panic!("{round}, {schema}: {e}\n{xml}"));
            assert!(xml.contains(sign), "{xml}");
            assert!(xml.contains("Żółkiewska"), "{xml}");
            assert_eq!(
                xml.contains("<ndap:kwalifikacja>"),
                round == "with office",
                "{round}: {xml}"
            );
            if schema == "nes20" {
                assert!(xml.contains("<ndap:typDaty>data na piśmie</ndap:typDaty>\n    <ndap:czas>2026-03-03</ndap:czas>"), "{xml}");
                assert!(
                    xml.contains("<ndap:niekompletnosc>tak</ndap:niekompletnosc>"),
                    "{xml}"
                );
                assert!(
                    xml.contains("<ndap:wartoscId>ZK/1/2026</ndap:wartoscId>"),
                    "{xml}"
                );
            }
        }
    }
    let err = lib.fails(["meta", "xml", "424242"]);
    assert!(err.contains("no document with id 424242"), "{err}");
}
