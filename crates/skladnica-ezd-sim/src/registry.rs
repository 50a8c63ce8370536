//! The simulated EZD's records beyond flows: the RPW entries' metadata and the dictionaries
//! they draw on, the contact base, the JRWA and the cases opened from flows. Each request is
//! checked as the EZD's rules say (a dictionary value it offers, a sender that exists, a title
//! of two words, a category the class allows) and refused with `invalid-params` otherwise.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::contract::Contract;
use crate::http::Request;
use crate::schema;
use crate::state::{Answer, State};

/// A dictionary: (id, words) pairs.
pub type Dictionary = Vec<(String, String)>;

/// The dictionaries an RPW entry's metadata draws on, and the sender kinds.
#[derive(Debug, Clone)]
pub struct Dictionaries {
    /// Sposób dostarczenia.
    pub delivery: Dictionary,
    /// Rodzaj dokumentu.
    pub kind: Dictionary,
    /// Typ dokumentu.
    pub doc_type: Dictionary,
    /// Dostęp.
    pub access: Dictionary,
    /// `EZDRP.RPW.RodzajNadawcy`.
    pub sender_kinds: Dictionary,
}

fn dictionary(prefix: &str, words: &[(u32, &str)]) -> Dictionary {
    words
        .iter()
        .map(|(n, w)| (format!("{prefix}{n}"), w.to_string()))
        .collect()
}

impl Default for Dictionaries {
    fn default() -> Self {
        Dictionaries {
            delivery: dictionary(
                "EZDRP.Metadane.SposobDostarczenia",
                &[
                    (1, "Poczta tradycyjna"),
                    (2, "Osobiście"),
                    (3, "Kurier"),
                    (4, "Faks"),
                    (5, "Poczta elektroniczna"),
                    (6, "ePUAP"),
                    (7, "e-Doręczenia"),
                    (10, "Inny"),
                ],
            ),
            kind: dictionary(
                "EZDRP.Metadane.Rodzaj.Dokumentu.",
                &[
                    (1, "Wniosek"),
                    (2, "Skarga"),
                    (3, "Faktura"),
                    (4, "Pismo"),
                    (5, "Decyzja"),
                    (6, "Zawiadomienie"),
                    (7, "Odwołanie"),
                    (8, "Zarządzenie"),
                    (9, "Uchwała"),
                    (10, "Postanowienie"),
                    (11, "Protokół"),
                    (12, "Umowa"),
                    (13, "Zaświadczenie"),
                    (14, "Informacja"),
                    (15, "Zapytanie"),
                    (16, "Oferta"),
                    (17, "Sprawozdanie"),
                    (18, "Inny"),
                ],
            ),
            doc_type: dictionary(
                "EZDRP.Metadane.RPW.Typ.",
                &[
                    (1, "Tekst"),
                    (2, "Obraz"),
                    (3, "Dźwięk"),
                    (4, "Zbiór danych"),
                    (8, "Inny"),
                ],
            ),
            access: dictionary(
                "EZDRP.Metadane.RPW.Dostep",
                &[(1, "Publiczny"), (2, "Niepubliczny"), (3, "Wyłączony")],
            ),
            sender_kinds: dictionary(
                "EZDRP.RPW.RodzajNadawcy.",
                &[(1, "Osoba fizyczna"), (2, "Instytucja"), (3, "Firma")],
            ),
        }
    }
}

/// An RPW entry's metadata as set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RpwMeta {
    /// Data wpływu.
    pub received_on: String,
    /// Data nadania.
    pub sent_on: Option<String>,
    /// Data na piśmie.
    pub letter_date: Option<String>,
    /// Uwagi.
    pub remarks: Option<String>,
    /// Znak na piśmie.
    pub sender_sign: Option<String>,
    /// The four dictionary ids.
    pub delivery: String,
    /// Rodzaj dokumentu.
    pub kind: String,
    /// Typ dokumentu.
    pub doc_type: String,
    /// Dostęp.
    pub access: String,
    /// The senders: (address version, kind).
    pub senders: Vec<(String, String)>,
    /// The instance's own fields' values, by `idKonfiguracja`.
    pub own: HashMap<String, String>,
    /// Times it was set.
    pub times_set: usize,
}

/// A contact in the contact base.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    /// `idAdresat`.
    pub id: String,
    /// 3 a person, 1 an institution.
    pub kind: i64,
    /// `nazwaPodmiotu`.
    pub name: String,
    /// `imie`.
    pub first_name: String,
    /// `nazwisko`.
    pub surname: String,
    /// PESEL, NIP, REGON as given in its metadata.
    pub ids: HashMap<String, String>,
    /// Its addresses: (`idAdresWersja`, town, postal code, country).
    pub addresses: Vec<(String, String, String, String)>,
}

/// A class of the simulated EZD's JRWA.
#[derive(Debug, Clone)]
pub struct Class {
    /// `idWykaz`.
    pub id: String,
    /// Its symbol.
    pub symbol: String,
    /// Its name.
    pub name: String,
    /// Its archival category.
    pub category: String,
}

/// A case on the simulated EZD.
#[derive(Debug, Clone)]
pub struct Case {
    /// `idSprawa`.
    pub id: String,
    /// Its sign.
    pub sign: String,
    /// The class's symbol.
    pub symbol: String,
    /// Its title.
    pub title: String,
    /// Its year and number.
    pub year: i64,
    /// Its number in its class and year.
    pub number: i64,
    /// Its archival category.
    pub category: String,
    /// The flows in it.
    pub flows: Vec<String>,
}

/// The office's JRWA as the EZD would hold it: the end classes (those with a category) of the
/// gmina JRWA the product ships, `assets/jrwa/gmina-2011.csv`.
pub fn default_jrwa() -> Vec<Class> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/jrwa/gmina-2011.csv"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(';').collect();
            let (symbol, name, category) = (f.first()?, f.get(1)?, f.get(2)?);
            (!category.is_empty()).then(|| Class {
                id: format!("0000a7a0-0000-4000-8000-{:0>12}", symbol),
                symbol: symbol.to_string(),
                name: name.to_string(),
                category: category.to_string(),
            })
        })
        .collect()
}

/// The id of the simulated EZD's one JRWA schema.
pub const SCHEMA: &str = "0000a7a0-0000-4000-8000-5c4e3a000001";

fn invalid(req: &Request, params: Vec<(String, String)>) -> Answer {
    let body = json!({
        "type": "https://ezdrp.gov.pl/problemy/400",
        "status": 400,
        "instance": req.path,
        "title": "Błędne dane",
        "errorId": null,
        "invalid-params": params.iter().map(|(n, r)| json!({"name": n, "reason": r})).collect::<Vec<_>>(),
    });
    let mut a = Answer::json(400, body.to_string().into_bytes());
    a.content_type = "application/problem+json";
    a
}

fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

impl State {
    fn rpw_key(&self, number: &str, year: &str) -> Option<String> {
        let key = format!("RPW/{number}/{year}");
        self.documents
            .iter()
            .any(|d| d.rpw.as_ref().is_some_and(|(n, _)| *n == key))
            .then_some(key)
    }

    /// `GET /rpw/{numer}/{rok}/metadane`.
    pub(crate) fn rpw_metadata(&mut self, c: &Contract, req: &Request, n: &str, y: &str) -> Answer {
        let Some(key) = self.rpw_key(n, y) else {
            return Answer::problem(404, &req.path, "no such RPW entry");
        };
        let meta = self.rpw_meta.get(&key).cloned().unwrap_or_default();
        let d = &self.dictionaries;
        let dict = |value: &str, list: &Dictionary| {
            json!({
                "wartosc": value,
                "listaDostepnychWartosci": list.iter().map(|(id, t)| json!({"id": id, "wartoscText": t})).collect::<Vec<_>>(),
            })
        };
        let document = self
            .documents
            .iter()
            .find(|d| d.rpw.as_ref().is_some_and(|(k, _)| *k == key));
        let letter = document
            .and_then(|d| d.rpw.as_ref().map(|(_, l)| l.clone()))
            .unwrap_or_default();
        let senders: Vec<Value> = meta
            .senders
            .iter()
            .filter_map(|(version, _)| {
                let contact = self
                    .contacts
                    .iter()
                    .find(|c| c.addresses.iter().any(|a| &a.0 == version))?;
                Some(json!({
                    "idAdresat": contact.id,
                    "idAdresWersja": version,
                    "nazwaPodmiotu": (contact.kind == 1).then(|| contact.name.clone()),
                    "imie": (contact.kind == 3).then(|| contact.first_name.clone()),
                    "nazwisko": (contact.kind == 3).then(|| contact.surname.clone()),
                    "typAdresata": contact.kind,
                }))
            })
            .collect();
        let mut v = c.example("V2GetRejestrPrzesylekWplywajacychMetadaneResponse");
        schema::overlay(
            &mut v,
            json!({
                "numerRPW": key,
                "idPismo": letter,
                "idPrzestrzenRobocza": document.map(|d| d.workspace.clone()).unwrap_or_default(),
                "dataRejestracji": "2026-11-23T10:00:00",
                "czyUzupelnioneMetadane": meta.times_set > 0,
                "czyAnonimowe": meta.senders.is_empty(),
                "status": 1,
                "rodzajWplywu": 1,
                "typOdwzorowania": 0,
                "nadawcy": senders,
                "metadane": {
                    "metadaneSystemowe": {
                        "dataWplywu": if meta.received_on.is_empty() { "2026-11-23".to_string() } else { meta.received_on.clone() },
                        "dataNadania": meta.sent_on,
                        "dataNaPismie": meta.letter_date,
                        "uwagi": meta.remarks,
                        "znakNaPismie": meta.sender_sign,
                        "sposobDostarczenia": dict(&meta.delivery, &d.delivery),
                        "rodzajDokumentu": dict(&meta.kind, &d.kind),
                        "typDokumentu": dict(&meta.doc_type, &d.doc_type),
                        "dostep": dict(&meta.access, &d.access),
                    },
                    "metadaneNiesystemowe": self.rpw_fields.iter().map(|(id, name, required)| {
                        let mut f = c.example("V2KonfiguracjaMetadanaNiesystemowaDto");
                        schema::overlay(&mut f, json!({
                            "idKonfiguracja": id,
                            "nazwa": name,
                            "wartosc": meta.own.get(id).cloned().unwrap_or_default(),
                            "czyWymagane": required,
                            "czyAktywne": true,
                            "typPolaKlucz": "Tekst",
                        }));
                        f
                    }).collect::<Vec<_>>(),
                },
            }),
        );
        Answer::value(200, v)
    }

    /// `PUT /rpw/{numer}/{rok}/metadane`: checks every value as the EZD would.
    pub(crate) fn set_rpw_metadata(&mut self, req: &Request, n: &str, y: &str) -> Answer {
        let Some(key) = self.rpw_key(n, y) else {
            return Answer::problem(404, &req.path, "no such RPW entry");
        };
        let b = body(req);
        let s = &b["metadaneSystemowe"];
        let mut wrong = Vec::new();
        let d = &self.dictionaries;
        for (field, list) in [
            ("sposobDostarczenia", &d.delivery),
            ("rodzajDokumentu", &d.kind),
            ("typDokumentu", &d.doc_type),
            ("dostep", &d.access),
        ] {
            let v = s[field].as_str().unwrap_or_default();
            if !list.iter().any(|(id, _)| id == v) {
                wrong.push((
                    format!("metadaneSystemowe.{field}"),
                    format!("{v:?} nie jest wartością słownika"),
                ));
            }
        }
        let senders: Vec<(String, String)> = b["adresaci"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                (
                    a["idAdresWersja"].as_str().unwrap_or_default().to_string(),
                    a["rodzaj"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        // The contract's words: `czyAnonimowy: true` requires a sender, `false` none.
        let flag = s["czyAnonimowy"].as_bool().unwrap_or(false);
        if flag == senders.is_empty() {
            wrong.push((
                "metadaneSystemowe.czyAnonimowy".into(),
                "true wymaga nadawcy w adresaci, false pustej listy adresaci".into(),
            ));
        }
        for (version, kind) in &senders {
            if !self
                .contacts
                .iter()
                .any(|c| c.addresses.iter().any(|a| &a.0 == version))
            {
                wrong.push((
                    "adresaci.idAdresWersja".into(),
                    format!("{version}: brak adresu"),
                ));
            }
            if !d.sender_kinds.iter().any(|(id, _)| id == kind) {
                wrong.push((
                    "adresaci.rodzaj".into(),
                    format!("{kind:?}: brak w słowniku"),
                ));
            }
        }
        let own: HashMap<String, String> = b["metadaneNiesystemowe"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["id"].as_str().unwrap_or_default().to_string(),
                    f["wartosc"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        for (id, name, required) in &self.rpw_fields {
            if *required && own.get(id).is_none_or(|v| v.trim().is_empty()) {
                wrong.push((
                    "metadaneNiesystemowe".into(),
                    format!("{name}: pole wymagane"),
                ));
            }
        }
        for id in own.keys() {
            if !self.rpw_fields.iter().any(|(f, _, _)| f == id) {
                wrong.push(("metadaneNiesystemowe.id".into(), format!("{id}: brak pola")));
            }
        }
        for field in ["dataWplywu", "dataNadania", "dataNaPismie"] {
            if let Some(v) = s[field].as_str()
                && (v.len() != 10 || v.as_bytes()[4] != b'-')
            {
                wrong.push((
                    format!("metadaneSystemowe.{field}"),
                    "data RRRR-MM-DD".into(),
                ));
            }
        }
        if !wrong.is_empty() {
            return invalid(req, wrong);
        }
        let times_set = self.rpw_meta.get(&key).map_or(0, |m| m.times_set) + 1;
        self.rpw_meta.insert(
            key,
            RpwMeta {
                received_on: opt(&s["dataWplywu"]).unwrap_or_default(),
                sent_on: opt(&s["dataNadania"]),
                letter_date: opt(&s["dataNaPismie"]),
                remarks: opt(&s["uwagi"]),
                sender_sign: opt(&s["znakNaPismie"]),
                delivery: opt(&s["sposobDostarczenia"]).unwrap_or_default(),
                kind: opt(&s["rodzajDokumentu"]).unwrap_or_default(),
                doc_type: opt(&s["typDokumentu"]).unwrap_or_default(),
                access: opt(&s["dostep"]).unwrap_or_default(),
                senders,
                own,
                times_set,
            },
        );
        Answer {
            status: 204,
            content_type: "application/json",
            body: Vec::new(),
        }
    }

    /// `GET /slowniki/{klucz}`.
    pub(crate) fn dictionary(&mut self, req: &Request, key: &str) -> Answer {
        if key != "EZDRP.RPW.RodzajNadawcy" {
            return Answer::problem(404, &req.path, "no such dictionary");
        }
        let list: Vec<Value> = self
            .dictionaries
            .sender_kinds
            .iter()
            .map(|(id, name)| json!({"idSlownikWykaz": id, "nazwa": name, "klucz": id}))
            .collect();
        Answer::value(200, json!({"lista": list}))
    }

    fn contact_json(&self, c: &Contract, contact: &Contact, dto: &str, address_dto: &str) -> Value {
        let mut v = c.example(dto);
        let addresses: Vec<Value> = contact
            .addresses
            .iter()
            .map(|(version, town, code, country)| {
                let mut a = c.example(address_dto);
                schema::overlay(
                    &mut a,
                    json!({
                        "idAdresat": contact.id,
                        "idAdresWersja": version,
                        "idAdresWersjaAktualna": version,
                        "miejscowosc": {"nazwa": town},
                        "kodPocztowy": code,
                        "kraj": {"id": country},
                        "czyAdresSpozaTerytu": true,
                    }),
                );
                a
            })
            .collect();
        let names = if dto == "V2AdresatWyszukajDto" {
            json!({"imie": contact.first_name, "nazwisko": contact.surname})
        } else {
            json!({
                "imie": {"id": format!("imie-{}", contact.id), "imie": contact.first_name},
                "nazwisko": {"id": format!("nazwisko-{}", contact.id), "nazwisko": contact.surname},
            })
        };
        schema::overlay(&mut v, names);
        schema::overlay(
            &mut v,
            json!({
                "idAdresat": contact.id,
                "nazwaPodmiotu": contact.name,
                "typAdresata": contact.kind,
                "listaAdresow": addresses,
                "metadane": contact.ids.iter().map(|(k, v)| json!({"nazwa": k, "wartosc": v})).collect::<Vec<_>>(),
            }),
        );
        if dto == "V2AdresatWyszukajDto" {
            let full = if contact.kind == 1 {
                contact.name.clone()
            } else {
                format!("{} {}", contact.first_name, contact.surname)
            };
            schema::overlay(&mut v, json!({"pelnaNazwa": full}));
        } else {
            // The full read gives metadata with keys.
            schema::overlay(
                &mut v,
                json!({"metadane": contact.ids.iter().map(|(k, val)| {
                    let mut m = c.example("V2AdresatMetadanaDto");
                    schema::overlay(&mut m, json!({"nazwa": k, "wartosc": val}));
                    m
                }).collect::<Vec<_>>()}),
            );
        }
        v
    }

    /// `POST /adresaci/_search`: by PESEL, NIP or REGON when given, else by name and town.
    pub(crate) fn find_contacts(&mut self, c: &Contract, req: &Request) -> Answer {
        let q = body(req);
        let field = |k: &str| q[k].as_str().map(|s| s.to_lowercase());
        let found: Vec<Value> = self
            .contacts
            .iter()
            .filter(|contact| {
                let kind_ok = q["typAdresata"].as_i64().is_none_or(|k| k == contact.kind);
                let id_ok = ["pesel", "nip", "regon"].iter().all(|k| {
                    field(k).is_none_or(|v| contact.ids.get(&k.to_uppercase()) == Some(&v))
                });
                let text_ok =
                    |k: &str, have: &str| field(k).is_none_or(|v| have.to_lowercase() == v);
                let town_ok = field("miejscowosc")
                    .is_none_or(|t| contact.addresses.iter().any(|a| a.1.to_lowercase() == t));
                let code_ok = field("kodPocztowy")
                    .is_none_or(|t| contact.addresses.iter().any(|a| a.2.to_lowercase() == t));
                kind_ok
                    && id_ok
                    && text_ok("nazwaPodmiotu", &contact.name)
                    && text_ok("imie", &contact.first_name)
                    && text_ok("nazwisko", &contact.surname)
                    && town_ok
                    && code_ok
            })
            .map(|contact| {
                self.contact_json(
                    c,
                    contact,
                    "V2AdresatWyszukajDto",
                    "V2AdresatAdresWyszukajDto",
                )
            })
            .collect();
        let number = q["page"].as_u64().unwrap_or(0) as usize;
        let size = q["pageSize"].as_u64().unwrap_or(10).clamp(1, 25) as usize;
        crate::state::page_of(found, number, size)
    }

    /// `POST /adresaci`.
    pub(crate) fn add_contact(&mut self, req: &Request) -> Answer {
        let b = body(req);
        let kind = b["typAdresata"].as_i64().unwrap_or(0);
        let text = |k: &str| b[k].as_str().unwrap_or_default().trim().to_string();
        let mut wrong = Vec::new();
        if kind == 1 && text("nazwaPodmiotu").is_empty() {
            wrong.push(("nazwaPodmiotu".into(), "wymagane dla podmiotu".into()));
        }
        if kind == 3 && text("nazwisko").is_empty() {
            wrong.push(("nazwisko".into(), "wymagane dla osoby".into()));
        }
        let addresses = b["listaAdresow"].as_array().cloned().unwrap_or_default();
        if addresses.is_empty() {
            wrong.push(("listaAdresow".into(), "podaj adres".into()));
        }
        if !wrong.is_empty() {
            return invalid(req, wrong);
        }
        let id = self.next_id();
        let mut contact = Contact {
            id: id.clone(),
            kind,
            name: text("nazwaPodmiotu"),
            first_name: text("imie"),
            surname: text("nazwisko"),
            ..Default::default()
        };
        for m in b["metadaneAdresata"].as_array().into_iter().flatten() {
            if let (Some(k), Some(v)) = (m["klucz"].as_str(), m["wartosc"].as_str()) {
                contact.ids.insert(k.to_uppercase(), v.to_lowercase());
            }
        }
        for a in addresses {
            let version = self.next_id();
            contact.addresses.push((
                version,
                a["miejscowoscNazwa"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                a["kodPocztowy"].as_str().unwrap_or_default().to_string(),
                a["idKraj"].as_str().unwrap_or_default().to_string(),
            ));
        }
        self.contacts.push(contact);
        Answer::value(201, json!({"idAdresat": id}))
    }

    /// `GET /adresaci/{id}`.
    pub(crate) fn contact(&mut self, c: &Contract, req: &Request, id: &str) -> Answer {
        match self.contacts.iter().find(|x| x.id == id) {
            Some(contact) => Answer::value(
                200,
                self.contact_json(
                    c,
                    contact,
                    "V2GetPobierzAdresataResponse",
                    "V2AdresatAdresDto",
                ),
            ),
            None => Answer::problem(404, &req.path, "no such contact"),
        }
    }

    /// `GET /jrwa/schematy`.
    pub(crate) fn jrwa_schemas(&mut self) -> Answer {
        Answer::value(
            200,
            json!({"lista": [{
                "id": SCHEMA,
                "nazwa": "JRWA gminy",
                "czyGlowny": true,
                "dataUtworzenia": "2026-01-01T00:00:00",
            }]}),
        )
    }

    /// `GET /jrwa/schematy/{id}/wykazy`.
    pub(crate) fn jrwa_classes(&mut self, req: &Request, schema_id: &str) -> Answer {
        if schema_id != SCHEMA {
            return Answer::problem(404, &req.path, "no such schema");
        }
        let list: Vec<Value> = self
            .jrwa
            .iter()
            .map(|k| {
                json!({
                    "id": k.id,
                    "symbol": k.symbol,
                    "nazwa": k.name,
                    "czyNAS": false,
                    "czyZUdostepnienia": false,
                    "kategorieArchiwalne": [k.category],
                })
            })
            .collect();
        Answer::value(200, json!({"lista": list}))
    }

    /// `GET /obiegi/{id}`.
    pub(crate) fn flow(&mut self, c: &Contract, req: &Request, id: &str) -> Answer {
        let Some(f) = self.flows.iter().find(|f| f.id == id) else {
            return Answer::problem(404, &req.path, "no such flow");
        };
        let case = self.cases.iter().find(|k| k.flows.contains(&f.id));
        let mut v = c.example("V2GetObiegResponse");
        schema::overlay(
            &mut v,
            json!({
                "idObieg": f.id,
                "idZadanie": f.task,
                "dataOtrzymania": "2026-11-23T10:00:00",
                "dataUtworzenia": "2026-11-23T10:00:00",
                "statusOpis": "Nowe",
                "status": 1,
                "typZadania": 1,
                "typZadaniaOpis": "Dokument",
                "tytulDokumentu": f.title,
                "numerSprawy": case.map(|k| k.sign.clone()),
                "tytulSprawy": case.map(|k| k.title.clone()),
            }),
        );
        Answer::value(200, v)
    }

    /// Why the flow cannot go into a case: it does not exist, or it is in one already.
    fn flow_free_for_a_case(&self, req: &Request, flow: &str) -> Option<Answer> {
        if !self.flows.iter().any(|f| f.id == flow) {
            return Some(Answer::problem(404, &req.path, "no such flow"));
        }
        if self.cases.iter().any(|k| k.flows.iter().any(|f| f == flow)) {
            return Some(invalid(
                req,
                vec![("idObieg".into(), "obieg jest już w sprawie".into())],
            ));
        }
        None
    }

    /// `POST /obiegi/{id}/sprawy`: opens a case from the flow, with the EZD's rules.
    pub(crate) fn open_case(&mut self, c: &Contract, req: &Request, flow: &str) -> Answer {
        if let Some(refused) = self.flow_free_for_a_case(req, flow) {
            return refused;
        }
        let b = body(req);
        let mut wrong = Vec::new();
        let class = self
            .jrwa
            .iter()
            .find(|k| Some(k.id.as_str()) == b["idWykaz"].as_str())
            .cloned();
        let category = b["kategoriaArchiwalna"].as_str().unwrap_or_default();
        match &class {
            None => wrong.push(("idWykaz".into(), "brak wykazu".into())),
            Some(k) if k.category != category => wrong.push((
                "kategoriaArchiwalna".into(),
                format!(
                    "{category:?}: wykaz {} ma kategorię {}",
                    k.symbol, k.category
                ),
            )),
            _ => {}
        }
        let title = b["tytul"].as_str().unwrap_or_default();
        if title
            .split_whitespace()
            .filter(|w| w.chars().count() >= 3)
            .count()
            < 2
        {
            wrong.push((
                "tytul".into(),
                "co najmniej dwa wyrazy po co najmniej trzy znaki".into(),
            ));
        }
        let year = b["rokZalozenia"].as_i64().unwrap_or(0);
        if !(2000..=2100).contains(&year) {
            wrong.push(("rokZalozenia".into(), "rocznik niedopuszczalny".into()));
        }
        let Some(class) = class.filter(|_| wrong.is_empty()) else {
            return invalid(req, wrong);
        };
        let asked = b["numer"].as_i64().unwrap_or(0);
        let taken = |n: i64| {
            self.cases
                .iter()
                .any(|k| k.symbol == class.symbol && k.year == year && k.number == n)
        };
        let number = if asked == 0 {
            (1..).find(|n| !taken(*n)).unwrap_or(1)
        } else if taken(asked) {
            return invalid(req, vec![("numer".into(), "numer zajęty".into())]);
        } else {
            asked
        };
        let case = Case {
            id: self.next_id(),
            sign: format!("UG.{}.{number}.{year}", class.symbol),
            symbol: class.symbol.clone(),
            title: title.to_string(),
            year,
            number,
            category: category.to_string(),
            flows: vec![flow.to_string()],
        };
        let mut v = c.example("V2PostObiegiSprawyResponse");
        schema::overlay(
            &mut v,
            json!({
                "idSprawa": case.id,
                "znak": case.sign,
                "tytul": case.title,
                "idJRWASchematWykaz": class.id,
                "kategoriaArchiwalna": case.category,
                "rokZalozenia": year,
                "numer": number,
                "terminZalatwienia": "2026-12-23T00:00:00",
                "typProwadzenia": "2",
            }),
        );
        self.cases.push(case);
        Answer::value(201, v)
    }

    /// `POST /obiegi/{id}/sprawy/{idSprawa}`.
    pub(crate) fn join_case(&mut self, req: &Request, flow: &str, case: &str) -> Answer {
        if let Some(refused) = self.flow_free_for_a_case(req, flow) {
            return refused;
        }
        let Some(k) = self.cases.iter_mut().find(|k| k.id == case) else {
            return Answer::problem(404, &req.path, "no such case");
        };
        k.flows.push(flow.to_string());
        Answer {
            status: 204,
            content_type: "application/json",
            body: Vec::new(),
        }
    }

    /// `POST /sprawy/_search` (by sign).
    pub(crate) fn find_cases(&mut self, c: &Contract, req: &Request) -> Answer {
        let q = body(req);
        let sign = q["znakSprawy"].as_str();
        let found: Vec<Value> = self
            .cases
            .iter()
            .filter(|k| sign.is_none_or(|s| s == k.sign))
            .map(|k| {
                let mut v = c.example("V2PostSprawyWyszukajDto");
                schema::overlay(
                    &mut v,
                    json!({
                        "idSprawa": k.id,
                        "znak": k.sign,
                        "tytul": k.title,
                        "status": "W toku",
                        "statusEnum": 1,
                        "rokZalozenia": k.year,
                        "numer": k.number,
                        "terminZalatwienia": "2026-12-23T00:00:00",
                    }),
                );
                v
            })
            .collect();
        let number = q["pageInfo"]["pageNumber"].as_u64().unwrap_or(0) as usize;
        let size = q["pageInfo"]["pageSize"]
            .as_u64()
            .unwrap_or(10)
            .clamp(1, 25) as usize;
        crate::state::page_of(found, number, size)
    }
}
