//! The client against the EZD simulator, which checks every request against the official
//! contract: the token and its renewal, an upload, the register, paging, and each kind of
//! failure classified as what to do next.

use std::time::Duration;

use skladnica_ezd::{Client, Config, Error};
use skladnica_ezd_sim::{Fault, SimConfig, Simulator, official_contract};

fn start() -> Simulator {
    Simulator::start(&official_contract(), SimConfig::default()).expect("the simulator starts")
}

fn config(sim: &Simulator) -> Config {
    let c = sim.config();
    Config {
        api_url: sim.url(),
        sso_url: sim.url(),
        pid: c.pid.clone(),
        aki: c.aki.clone(),
        sid: c.sid.clone(),
        api_key: c.api_key.clone(),
        ca_file: None,
        timeout: Duration::from_secs(5),
    }
}

fn client(sim: &Simulator) -> Client {
    Client::new(config(sim)).unwrap()
}

#[test]
fn a_letter_is_uploaded_registered_and_read_back_within_the_contract() {
    let sim = start();
    let mut c = client(&sim);
    let flow = c
        .upload_flow("RPW.1.2026-pismo.pdf", b"%PDF-1.7 pismo")
        .unwrap();
    let extra = c
        .add_flow_document(&flow, "zalacznik.pdf", b"%PDF-1.7 zal")
        .unwrap();
    let docs = c.flow_documents(&flow).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].id, extra);
    assert_eq!(docs[0].rpw_number, None);
    let entry = c.register_rpw(&docs[0].id).unwrap();
    assert_eq!(entry.number, "RPW/1/2026");
    assert_eq!(
        c.flow_documents(&flow).unwrap()[0].rpw_number.as_deref(),
        Some("RPW/1/2026")
    );
    let found = c.find_flows("RPW.1.2026-").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, flow);
    assert!(c.find_flows("RPW.2.2026-").unwrap().is_empty());
    // Registering again is refused by the EZD, with its reason.
    match c.register_rpw(&docs[0].id) {
        Err(Error::Rejected {
            status: 400,
            message,
        }) => {
            assert!(message.contains("registered"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    assert_eq!(sim.state().tokens.len(), 1, "one token for all the calls");
}

#[test]
fn lists_longer_than_a_page_are_read_whole() {
    let sim = start();
    let mut c = client(&sim);
    let flow = c.upload_flow("duzy.pdf", b"0").unwrap();
    for i in 0..30 {
        c.add_flow_document(&flow, &format!("z{i}.pdf"), format!("{i}").as_bytes())
            .unwrap();
    }
    assert_eq!(c.flow_documents(&flow).unwrap().len(), 31);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn an_expired_token_is_renewed_once_and_a_wrong_key_is_named_without_the_key() {
    let sim = start();
    let mut c = client(&sim);
    c.upload_flow("a.pdf", b"a").unwrap();
    sim.expire_tokens();
    c.upload_flow("b.pdf", b"b").unwrap();
    assert_eq!(sim.state().tokens.len(), 2);
    sim.inject(Some("V2PostObiegiCommand"), Fault::ExpiredToken);
    c.upload_flow("c.pdf", b"c").unwrap();
    assert_eq!(sim.state().flows.len(), 3);

    let mut wrong = config(&sim);
    wrong.api_key = "nie-ten-klucz-9876".into();
    let e = Client::new(wrong)
        .unwrap()
        .upload_flow("d.pdf", b"d")
        .unwrap_err();
    assert!(matches!(e, Error::Credentials(_)), "{e:?}");
    assert!(e.to_string().contains("hash"), "{e}");
    assert!(!e.to_string().contains("nie-ten-klucz"), "{e}");
    assert_eq!(sim.state().flows.len(), 3);
}

#[test]
fn each_failure_says_what_may_be_done_next() {
    let sim = start();
    let mut c = client(&sim);
    // The write was carried out but no answer came: uncertain.
    sim.inject(Some("V2PostObiegiCommand"), Fault::DropAfterCommit);
    assert!(matches!(
        c.upload_flow("a.pdf", b"a"),
        Err(Error::Uncertain(_))
    ));
    assert_eq!(sim.state().flows.len(), 1);
    sim.inject(Some("V2PostObiegiCommand"), Fault::StatusAfterCommit(500));
    assert!(matches!(
        c.upload_flow("b.pdf", b"b"),
        Err(Error::Uncertain(_))
    ));
    assert_eq!(sim.state().flows.len(), 2);
    // Dropped before anything was done: just as uncertain to the client.
    sim.inject(Some("V2PostObiegiCommand"), Fault::DropBeforeCommit);
    assert!(matches!(
        c.upload_flow("c.pdf", b"c"),
        Err(Error::Uncertain(_))
    ));
    assert_eq!(sim.state().flows.len(), 2);
    // A read that fails is only unavailable; 429 on a write too.
    sim.inject(Some("V2GetObiegiQuery"), Fault::Status(503));
    assert!(matches!(
        c.find_flows("a"),
        Err(Error::Unavailable { status: 503, .. })
    ));
    sim.inject(Some("V2PostObiegiCommand"), Fault::Status(429));
    assert!(matches!(
        c.upload_flow("d.pdf", b"d"),
        Err(Error::Unavailable { status: 429, .. })
    ));
    // Answers outside the contract.
    sim.inject(Some("V2GetObiegiQuery"), Fault::InvalidJson);
    assert!(matches!(c.find_flows("a"), Err(Error::BadAnswer(_))));
    sim.inject(Some("V2GetObiegiQuery"), Fault::OutsideContract);
    assert!(matches!(c.find_flows("a"), Err(Error::BadAnswer(_))));
    sim.inject(Some("V2GetObiegiQuery"), Fault::HugeBody(9 << 20));
    assert!(matches!(c.find_flows("a"), Err(Error::BadAnswer(_))));
    sim.inject(Some("V2PostObiegiCommand"), Fault::Redirect);
    match c.upload_flow("e.pdf", b"e") {
        Err(Error::BadAnswer(m)) => assert!(m.contains("203.0.113.9"), "{m}"),
        other => panic!("{other:?}"),
    }
    // An answer slower than the timeout, after the write: uncertain.
    let mut slow = config(&sim);
    slow.timeout = Duration::from_millis(500);
    let mut impatient = Client::new(slow).unwrap();
    impatient.find_flows("x").unwrap();
    sim.inject(
        Some("V2PostObiegiCommand"),
        Fault::Hang(Duration::from_secs(2)),
    );
    assert!(matches!(
        impatient.upload_flow("f.pdf", b"f"),
        Err(Error::Uncertain(_))
    ));
    sim.inject(
        Some("V2GetObiegiQuery"),
        Fault::Slow(Duration::from_millis(100)),
    );
    impatient.find_flows("x").unwrap();
    assert_eq!(sim.pending_faults(), 0);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());

    // Nothing listening: unreachable.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut gone = config(&sim);
    gone.api_url = format!("http://127.0.0.1:{port}");
    gone.sso_url = gone.api_url.clone();
    let e = Client::new(gone)
        .unwrap()
        .upload_flow("g.pdf", b"g")
        .unwrap_err();
    assert!(matches!(e, Error::Unreachable(_)), "{e:?}");
}

#[test]
fn a_request_outside_the_contract_is_caught_by_the_simulator() {
    use std::io::{Read, Write};
    let sim = start();
    let mut s = std::net::TcpStream::connect(sim.url().trim_start_matches("http://")).unwrap();
    let body = br#"{"niepotrzebne": 1}"#;
    write!(
        s,
        "POST /ezdrp/integrator/v2/dokumenty/abc/rpw HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let v = sim.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("SID"), "{v:?}");
    assert!(v[0].contains("body.niepotrzebne"), "{v:?}");
}

#[test]
fn a_sender_is_found_or_added_and_the_rpw_metadata_set_within_the_contract() {
    use skladnica_ezd::{Contact, RpwUpdate, SENDER_KINDS};
    let sim = start();
    let mut c = client(&sim);
    let flow = c.upload_flow("pismo.pdf", b"%PDF-1.7 pismo").unwrap();
    let doc = c.flow_documents(&flow).unwrap()[0].id.clone();
    let entry = c.register_rpw(&doc).unwrap();
    let person = Contact {
        person: true,
        first_name: Some("Anna".into()),
        second_name: Some("Maria".into()),
        surname: Some("Kowalska".into()),
        pesel: Some("02070803628".into()),
        town: "Iwanowice".into(),
        postal_code: Some("32-095".into()),
        country: "PL".into(),
        ..Contact::default()
    };
    assert!(c.find_contacts(&person).unwrap().is_empty());
    let id = c.add_contact(&person).unwrap();
    let found = c.find_contacts(&person).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    assert_eq!(found[0].name, "Anna Kowalska");
    let read = c.contact(&id).unwrap();
    assert_eq!(read.addresses.len(), 1);
    assert_eq!(read.addresses[0].town, "Iwanowice");
    assert_eq!(read.addresses, found[0].addresses);
    // By name and town without the PESEL, the same contact; another town, none.
    let by_name = Contact {
        pesel: None,
        ..person.clone()
    };
    assert_eq!(c.find_contacts(&by_name).unwrap()[0].id, id);
    let elsewhere = Contact {
        town: "Kraków".into(),
        ..by_name
    };
    assert!(c.find_contacts(&elsewhere).unwrap().is_empty());

    let meta = c.rpw_metadata(&entry.number).unwrap();
    assert!(meta.senders.is_empty());
    assert!(meta.delivery.choices.iter().any(|x| x.text == "Osobiście"));
    let kinds = c.dictionary(SENDER_KINDS).unwrap();
    let pick = |list: &[skladnica_ezd::Choice], text: &str| {
        list.iter().find(|x| x.text == text).unwrap().id.clone()
    };
    let update = RpwUpdate {
        received_on: "2026-03-05".into(),
        sent_on: Some("2026-03-03".into()),
        letter_date: Some("2026-03-02".into()),
        remarks: Some("numer tymczasowy RPW.1.2026".into()),
        sender_sign: Some("AK/1/2026".into()),
        delivery: pick(&meta.delivery.choices, "Osobiście"),
        kind: pick(&meta.kind.choices, "Wniosek"),
        doc_type: pick(&meta.doc_type.choices, "Tekst"),
        access: pick(&meta.access.choices, "Niepubliczny"),
        senders: vec![(
            read.addresses[0].version.clone(),
            pick(&kinds, "Osoba fizyczna"),
        )],
        own_fields: Vec::new(),
    };
    c.set_rpw_metadata(&entry.number, &update).unwrap();
    // Setting it again changes nothing.
    c.set_rpw_metadata(&entry.number, &update).unwrap();
    let back = c.rpw_metadata(&entry.number).unwrap();
    assert_eq!(back.delivery.current, update.delivery);
    assert_eq!(back.senders, vec![read.addresses[0].version.clone()]);
    assert_eq!(back.received_on, "2026-03-05");
    assert_eq!(back.sender_sign.as_deref(), Some("AK/1/2026"));
    // A value the dictionary lacks is refused with the EZD's reason.
    let wrong = RpwUpdate {
        delivery: "EZDRP.Metadane.SposobDostarczenia99".into(),
        ..update
    };
    match c.set_rpw_metadata(&entry.number, &wrong) {
        Err(Error::Rejected {
            status: 400,
            message,
        }) => {
            assert!(message.contains("sposobDostarczenia"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // An answer outside the contract is not taken for one.
    sim.inject(
        Some("V2GetRejestrPrzesylekWplywajacychMetadaneQuery"),
        Fault::OutsideContract,
    );
    assert!(matches!(
        c.rpw_metadata(&entry.number),
        Err(Error::BadAnswer(_))
    ));
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn a_case_is_opened_from_a_flow_joined_and_found_by_its_sign() {
    use skladnica_ezd::NewCase;
    let sim = start();
    let mut c = client(&sim);
    let schemas = c.jrwa_schemas().unwrap();
    assert!(schemas.iter().any(|s| s.main));
    let classes = c.jrwa_classes(&schemas[0].id).unwrap();
    let class = classes.iter().find(|k| k.symbol == "6131").unwrap();
    assert_eq!(class.categories, vec!["B5".to_string()]);
    let first = c.upload_flow("wniosek.pdf", b"%PDF-1.7 wniosek").unwrap();
    let second = c.upload_flow("decyzja.pdf", b"%PDF-1.7 decyzja").unwrap();
    assert_eq!(c.flow_case_sign(&first).unwrap(), None);
    let new = NewCase {
        class: class.id.clone(),
        category: "B5".into(),
        number: 0,
        year: 2026,
        title: "Wycinka drzewa, dz. 12/3".into(),
    };
    let case = c.open_case_from_flow(&first, &new).unwrap();
    assert_eq!(case.sign, "UG.6131.1.2026");
    assert_eq!(
        c.flow_case_sign(&first).unwrap().as_deref(),
        Some("UG.6131.1.2026")
    );
    c.join_case(&second, &case.id).unwrap();
    assert_eq!(c.find_cases(&case.sign).unwrap(), vec![case.clone()]);
    assert!(c.find_cases("UG.6131.2.2026").unwrap().is_empty());
    // The EZD's rules: a one-word title, a category the class does not allow.
    let third = c.upload_flow("trzeci.pdf", b"%PDF-1.7 3").unwrap();
    for (bad, field) in [
        (
            NewCase {
                title: "Wycinka".into(),
                ..new.clone()
            },
            "tytul",
        ),
        (
            NewCase {
                category: "A".into(),
                ..new.clone()
            },
            "kategoriaArchiwalna",
        ),
    ] {
        match c.open_case_from_flow(&third, &bad) {
            Err(Error::Rejected {
                status: 400,
                message,
            }) => {
                assert!(message.contains(field), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}
