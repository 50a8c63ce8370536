//! What the simulated EZD holds (flows, their documents, the incoming register, tokens) and
//! the operations that change or read it, answering as the contract says.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::SimConfig;
use crate::contract::{Contract, Matched};
use crate::http::{Request, multipart};
use crate::registry::{Case, Class, Contact, Dictionaries, RpwMeta};

/// A document flow (obieg) started by an upload.
#[derive(Debug, Clone)]
pub struct Flow {
    /// `idObieg`.
    pub id: String,
    /// `idZadanie`.
    pub task: String,
    /// The title: the first file's name.
    pub title: String,
    /// Indices into [`State::documents`].
    pub documents: Vec<usize>,
}

/// A document in a flow.
#[derive(Debug, Clone)]
pub struct Document {
    /// `idDokumentPrzestrzeni`.
    pub id: String,
    /// `idDokument`.
    pub document: String,
    /// `idDokumentWersja`.
    pub version: String,
    /// `idPrzestrzenRobocza`.
    pub workspace: String,
    /// The flow it is in.
    pub flow: String,
    /// The file's name.
    pub name: String,
    /// The file's SHA-256, hex.
    pub sha256: String,
    /// The file's size.
    pub size: usize,
    /// Its RPW number (`RPW/n/year`) and letter id, once registered.
    pub rpw: Option<(String, String)>,
}

/// An answer to send.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Its content type.
    pub content_type: &'static str,
    /// Its body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: Vec<u8>) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            body,
        }
    }

    pub(crate) fn value(status: u16, v: Value) -> Answer {
        Answer::json(status, v.to_string().into_bytes())
    }

    pub(crate) fn problem(status: u16, instance: &str, title: &str) -> Answer {
        Answer {
            status,
            content_type: "application/problem+json",
            body: problem(status, instance, title),
        }
    }
}

/// An `application/problem+json` body.
pub fn problem(status: u16, instance: &str, title: &str) -> Vec<u8> {
    json!({
        "type": format!("https://ezdrp.gov.pl/problemy/{status}"),
        "status": status,
        "instance": instance,
        "title": title,
        "errorId": null,
    })
    .to_string()
    .into_bytes()
}

/// Everything the simulated EZD holds.
#[derive(Debug, Default)]
pub struct State {
    /// Flows, in the order they were made.
    pub flows: Vec<Flow>,
    /// Documents, in the order they were uploaded.
    pub documents: Vec<Document>,
    /// The incoming register's last number per year.
    pub rpw_last: HashMap<i32, u32>,
    /// Tokens given and when each expires.
    pub tokens: HashMap<String, Instant>,
    /// Every request answered: "METHOD path → status".
    pub requests: Vec<String>,
    /// Requests or answers that broke the contract.
    pub violations: Vec<String>,
    /// Faults that struck.
    pub faults_met: usize,
    /// The dictionaries RPW metadata draws on.
    pub dictionaries: Dictionaries,
    /// RPW entries' metadata, by RPW number.
    pub rpw_meta: HashMap<String, RpwMeta>,
    /// The contact base.
    pub contacts: Vec<Contact>,
    /// The JRWA's end classes.
    pub jrwa: Vec<Class>,
    /// Cases.
    pub cases: Vec<Case>,
    /// The instance's own RPW fields: (`idKonfiguracja`, name, required).
    pub rpw_fields: Vec<(String, String, bool)>,
    next_id: u64,
}

impl State {
    /// An empty EZD with the gmina JRWA ([`crate::registry::default_jrwa`]).
    pub fn new() -> State {
        State {
            jrwa: crate::registry::default_jrwa(),
            ..State::default()
        }
    }

    pub(crate) fn next_id(&mut self) -> String {
        self.next_id += 1;
        format!("0000e2d0-0000-4000-8000-{:012x}", self.next_id)
    }

    /// True when `token` was given and has not expired.
    pub fn token_valid(&self, token: &str) -> bool {
        self.tokens.get(token).is_some_and(|t| *t > Instant::now())
    }

    /// Documents whose file hashes to `sha256`.
    pub fn documents_with(&self, sha256: &str) -> Vec<&Document> {
        self.documents
            .iter()
            .filter(|d| d.sha256 == sha256)
            .collect()
    }

    /// Answers a request that keeps to the contract.
    pub fn handle(&mut self, c: &Contract, m: &Matched, req: &Request) -> Answer {
        let p = |name: &str| m.params.get(name).cloned().unwrap_or_default();
        match m.operation.as_str() {
            "V2PostObiegiCommand" => self.upload(req, None),
            "V2PostObiegiDokumentCommand" => self.upload(req, Some(p("idObieg"))),
            "V2GetObiegiQuery" => self.flows(req),
            "V2GetDokumentyObieguQuery" => self.flow_documents(req, &p("idObieg")),
            "V2PostDokumentPismoCommand" => self.register(req, &p("idDokumentPrzestrzeni")),
            "V2GetRejestrPrzesylekWplywajacychMetadaneQuery" => {
                self.rpw_metadata(c, req, &p("numer"), &p("rok"))
            }
            "V2PutRejestrPrzesylekWplywajacychMetadaneCommand" => {
                self.set_rpw_metadata(req, &p("numer"), &p("rok"))
            }
            "V2GetWykazySlownikaQuery" => self.dictionary(req, &p("kluczSlownika")),
            "V2PostWyszukajAdresataQuery" => self.find_contacts(c, req),
            "V2PostDodajAdresataQuery" => self.add_contact(req),
            "V2GetPobierzAdresataQuery" => self.contact(c, req, &p("idAdresat")),
            "V2GetSchematyQuery" => self.jrwa_schemas(),
            "V2GetWykazySchematuQuery" => self.jrwa_classes(req, &p("idSchemat")),
            "V2GetObiegQuery" => self.flow(c, req, &p("idObieg")),
            "V2PostObiegiSprawyCommand" => self.open_case(c, req, &p("idObieg")),
            "V2PostObiegiSprawyDowiazCommand" => self.join_case(req, &p("idObieg"), &p("idSprawa")),
            "V2PostSprawyWyszukajQuery" => self.find_cases(c, req),
            other => Answer::problem(
                500,
                &req.path,
                &format!("the simulator does not serve {other} yet"),
            ),
        }
    }

    fn upload(&mut self, req: &Request, flow: Option<String>) -> Answer {
        let content_type = req.header("content-type").unwrap_or_default();
        let parts = match multipart(content_type, &req.body) {
            Ok(p) => p,
            Err(e) => return Answer::problem(400, &req.path, &e),
        };
        let Some(file) = parts.iter().find(|p| p.name == "file") else {
            return Answer::problem(400, &req.path, "no file");
        };
        let name = file.filename.clone().unwrap_or_else(|| "plik".into());
        let flow_index = match &flow {
            Some(id) => match self.flows.iter().position(|f| &f.id == id) {
                Some(i) => Some(i),
                None => return Answer::problem(404, &req.path, "no such flow"),
            },
            None => None,
        };
        let flow_index = match flow_index {
            Some(i) => i,
            None => {
                let (id, task) = (self.next_id(), self.next_id());
                self.flows.push(Flow {
                    id,
                    task,
                    title: name.clone(),
                    documents: Vec::new(),
                });
                self.flows.len() - 1
            }
        };
        let doc = Document {
            id: self.next_id(),
            document: self.next_id(),
            version: self.next_id(),
            workspace: self.next_id(),
            flow: self.flows[flow_index].id.clone(),
            name,
            sha256: format!("{:x}", Sha256::digest(&file.data)),
            size: file.data.len(),
            rpw: None,
        };
        let dto = json!({
            "idDokument": doc.document,
            "idDokumentPrzestrzeni": doc.id,
            "idDokumentWersja": doc.version,
            "idPrzestrzenRobocza": doc.workspace,
        });
        self.documents.push(doc);
        let i = self.documents.len() - 1;
        self.flows[flow_index].documents.push(i);
        match flow {
            None => Answer::value(201, json!({"listaIdObieg": [self.flows[flow_index].id]})),
            Some(_) => Answer::value(201, json!({"lista": [dto]})),
        }
    }

    fn flows(&mut self, req: &Request) -> Answer {
        let search = req.query.get("searchValue").cloned().unwrap_or_default();
        let found: Vec<Value> = self
            .flows
            .iter()
            .filter(|f| f.title.contains(&search))
            .map(|f| {
                let rpw = f
                    .documents
                    .first()
                    .and_then(|&d| self.documents[d].rpw.as_ref())
                    .map(|(n, _)| n.clone());
                json!({
                    "idZadanie": f.task,
                    "idObieg": f.id,
                    "dataOtrzymania": "2026-11-23T10:00:00",
                    "numerRpw": rpw,
                    "statusOpis": "Nowe",
                    "status": 1,
                    "typZadania": 1,
                    "tytulDokumentu": f.title,
                })
            })
            .collect();
        page(req, found)
    }

    fn flow_documents(&mut self, req: &Request, flow: &str) -> Answer {
        let Some(f) = self.flows.iter().find(|f| f.id == flow) else {
            return Answer::problem(404, &req.path, "no such flow");
        };
        let docs: Vec<Value> = f
            .documents
            .iter()
            .map(|&i| {
                let d = &self.documents[i];
                let ext = d.name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
                json!({
                    "idDokumentPrzestrzeni": d.id,
                    "idDokument": d.document,
                    "idDokumentWersja": d.version,
                    "nazwa": d.name,
                    "numerRpw": d.rpw.as_ref().map(|(n, _)| n.clone()),
                    "dataUtworzenia": "2026-11-23T10:00:00",
                    "idPrzestrzenRobocza": d.workspace,
                    "liczbaZalacznikow": 0,
                    "czyMetadane": false,
                    "czyWSkladzieChronologicznym": false,
                    "etykieta": "",
                    "czyWystawionoZadanie": false,
                    "czyWystawionoZadanieUdostepnienia": false,
                    "czyWystawionoZadanieUdostepnieniaDoRealizacji": false,
                    "czyDokumentWplywu": d.rpw.is_some(),
                    "czyTylkoDoOdczytu": false,
                    "czyZaakceptowanyWklad": false,
                    "rozszerzenie": ext,
                    "czyTylkoDoOdczytuDlaNowoTworzonychZadan": false,
                    "idStanowiskoAutor": "stanowisko-7",
                    "idStanowiskoWlasciciel": "stanowisko-7",
                    "dokumentWirtualny": false,
                    "czyIstniejeNowszaWersjaDokumentu": false,
                    "doPoprawy": false,
                    "zalaczniki": [],
                })
            })
            .collect();
        page(req, docs)
    }

    fn register(&mut self, req: &Request, id: &str) -> Answer {
        let Some(i) = self.documents.iter().position(|d| d.id == id) else {
            return Answer::problem(404, &req.path, "no such document");
        };
        if self.documents[i].rpw.is_some() {
            return Answer::problem(
                400,
                &req.path,
                "the document is registered in the RPW already",
            );
        }
        let year = 2026;
        let n = self.rpw_last.entry(year).or_default();
        *n += 1;
        let number = format!("RPW/{n}/{year}");
        let letter = self.next_id();
        self.documents[i].rpw = Some((number.clone(), letter.clone()));
        Answer::value(201, json!({"idPismo": letter, "numerRpw": number}))
    }
}

/// A page of `items` as the contract's list answers give it (`page`, `pageSize` ≤ 25 in the
/// query).
fn page(req: &Request, items: Vec<Value>) -> Answer {
    let number: usize = req
        .query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let size: usize = req
        .query
        .get("pageSize")
        .and_then(|p| p.parse().ok())
        .unwrap_or(10)
        .clamp(1, 25);
    page_of(items, number, size)
}

/// Page `number` of `items`, `size` a page, with its `pageInfo`.
pub(crate) fn page_of(items: Vec<Value>, number: usize, size: usize) -> Answer {
    let start = (number * size).min(items.len());
    let end = (start + size).min(items.len());
    let pages = items.len().div_ceil(size);
    Answer::value(
        200,
        json!({
            "lista": items[start..end],
            "pageInfo": {
                "indexStart": start,
                "indexEnd": end,
                "pageNumber": number,
                "pageSize": size,
                "pagesCount": pages,
                "isNextPageExists": end < items.len(),
            }
        }),
    )
}

/// The SSO's token endpoint: `grant_type=api_credentials` with the key's hash over the time.
pub fn token(st: &mut State, config: &SimConfig, req: &Request) -> Answer {
    let form: HashMap<String, String> = String::from_utf8_lossy(&req.body)
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                crate::contract::percent_decode(k, true),
                crate::contract::percent_decode(v, true),
            )
        })
        .collect();
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let refuse = |why: &str| {
        Answer::value(
            400,
            json!({"error": "invalid_client", "error_description": why}),
        )
    };
    if field("grant_type") != "api_credentials" {
        return refuse("grant_type must be api_credentials");
    }
    if !field("client_id").starts_with("api_") || field("scope") != "api.ezdrp.gov.pl" {
        return refuse("client_id or scope");
    }
    if field("pid") != config.pid || field("aki") != config.aki {
        return refuse("unknown entity or API key id");
    }
    let rt = field("rt");
    let expected = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(format!("{rt}{}", config.api_key).as_bytes()));
    if rt.is_empty() || field("akh") != expected {
        return refuse("the API key's hash does not match");
    }
    let token = format!("token-{}", st.tokens.len() + 1);
    st.tokens
        .insert(token.clone(), Instant::now() + config.token_lifetime);
    Answer::value(
        200,
        json!({
            "access_token": token,
            "expires_in": config.token_lifetime.as_secs(),
            "token_type": "Bearer",
            "scope": "api.ezdrp.gov.pl",
        }),
    )
}

/// Marks every token as expired (the next call gets 401).
pub fn expire_tokens(st: &mut State) {
    for t in st.tokens.values_mut() {
        *t = Instant::now() - Duration::from_secs(1);
    }
}
