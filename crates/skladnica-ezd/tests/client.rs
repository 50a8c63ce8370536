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
