//! Cases on the EZD: its JRWA (`GET /jrwa/schematy`, `…/{id}/wykazy`), a flow's case
//! (`GET /obiegi/{id}`), a case opened from a flow (`POST /obiegi/{id}/sprawy`), a flow joined
//! to a case (`POST /obiegi/{id}/sprawy/{idSprawa}`), and cases found by their sign
//! (`POST /sprawy/_search`).

use serde_json::{Value, json};

use crate::{Body, Client, Error, Result, segment, text};

/// A JRWA schema of the EZD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JrwaSchema {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The schema in use (`czyGlowny`).
    pub main: bool,
}

/// A class of an EZD JRWA schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JrwaClass {
    /// `idWykaz`.
    pub id: String,
    /// Its symbol, e.g. `6220`.
    pub symbol: String,
    /// Its name.
    pub name: String,
    /// The archival categories it allows.
    pub categories: Vec<String>,
}

/// A case to open from a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// The class's `idWykaz`.
    pub class: String,
    /// Its archival category, one the class allows.
    pub category: String,
    /// Its number in the class and year; 0 lets the EZD take the next free one.
    pub number: u32,
    /// The year it began.
    pub year: i32,
    /// Its title (two or more words of three or more letters).
    pub title: String,
}

/// A case on the EZD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// `idSprawa`.
    pub id: String,
    /// Its sign (znak).
    pub sign: String,
}

impl Client {
    /// `GET /jrwa/schematy`.
    pub fn jrwa_schemas(&mut self) -> Result<Vec<JrwaSchema>> {
        let v = self.json("GET", "/jrwa/schematy", &[], Body::None)?;
        list(&v, "GET /jrwa/schematy")?
            .iter()
            .map(|s| {
                Ok(JrwaSchema {
                    id: text(s, "id")?,
                    name: text(s, "nazwa")?,
                    main: s["czyGlowny"].as_bool().unwrap_or(false),
                })
            })
            .collect()
    }

    /// `GET /jrwa/schematy/{id}/wykazy`: a schema's classes.
    pub fn jrwa_classes(&mut self, schema: &str) -> Result<Vec<JrwaClass>> {
        let path = format!("/jrwa/schematy/{}/wykazy", segment(schema));
        let v = self.json("GET", &path, &[], Body::None)?;
        list(&v, &path)?
            .iter()
            .map(|c| {
                Ok(JrwaClass {
                    id: text(c, "id")?,
                    symbol: text(c, "symbol")?,
                    name: text(c, "nazwa")?,
                    categories: c["kategorieArchiwalne"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect(),
                })
            })
            .collect()
    }

    /// `GET /obiegi/{id}`: the sign of the case the flow is in, if any (`numerSprawy`).
    pub fn flow_case_sign(&mut self, flow: &str) -> Result<Option<String>> {
        let path = format!("/obiegi/{}", segment(flow));
        let v = self.json("GET", &path, &[], Body::None)?;
        if v["idObieg"].as_str().is_none() {
            return Err(Error::BadAnswer(format!("GET {path}: no idObieg")));
        }
        Ok(v["numerSprawy"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string))
    }

    /// `POST /obiegi/{id}/sprawy`: opens a case from the flow. Not idempotent: after an
    /// unknown outcome, [`Client::flow_case_sign`] first.
    pub fn open_case_from_flow(&mut self, flow: &str, c: &NewCase) -> Result<Case> {
        let path = format!("/obiegi/{}/sprawy", segment(flow));
        let body = json!({
            "idWykaz": c.class,
            "idPodteczka": null,
            "tytul": c.title,
            "kategoriaArchiwalna": c.category,
            "numer": c.number,
            "rokZalozenia": c.year,
        });
        let v = self.json("POST", &path, &[], Body::Json(body))?;
        Ok(Case {
            id: text(&v, "idSprawa")?,
            sign: text(&v, "znak")?,
        })
    }

    /// `POST /obiegi/{id}/sprawy/{idSprawa}`: joins the flow to a case.
    pub fn join_case(&mut self, flow: &str, case: &str) -> Result<()> {
        let path = format!("/obiegi/{}/sprawy/{}", segment(flow), segment(case));
        self.json("POST", &path, &[], Body::Json(json!({})))?;
        Ok(())
    }

    /// `POST /sprawy/_search`: the cases with this sign (any status).
    pub fn find_cases(&mut self, sign: &str) -> Result<Vec<Case>> {
        self.pages("POST /sprawy/_search", |client, page| {
            let body = json!({
                "znakSprawy": sign,
                "status": 0,
                "pageInfo": {"pageNumber": page, "pageSize": 25},
            });
            client.json("POST", "/sprawy/_search", &[], Body::Json(body))
        })?
        .iter()
        .filter(|c| c["znak"].as_str() == Some(sign))
        .map(|c| {
            Ok(Case {
                id: text(c, "idSprawa")?,
                sign: sign.to_string(),
            })
        })
        .collect()
    }
}

fn list<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>> {
    v["lista"]
        .as_array()
        .ok_or_else(|| Error::BadAnswer(format!("{what}: no lista")))
}
