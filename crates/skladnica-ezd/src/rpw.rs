//! A registered letter's metadata on the EZD: the RPW entry's dictionaries and values
//! (`GET`/`PUT /rpw/{numer}/{rok}/metadane`), the sender kinds (`GET /slowniki/{klucz}`), and
//! the contact base the sender is found in or added to (`POST /adresaci/_search`,
//! `POST /adresaci`, `GET /adresaci/{id}`).

use serde_json::{Map, Value, json};

use crate::{Body, Client, Error, Result, segment, text};

/// The dictionary of sender kinds (`V2AdresatDto.rodzaj`).
pub const SENDER_KINDS: &str = "EZDRP.RPW.RodzajNadawcy";

/// One value a dictionary offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The id the EZD takes.
    pub id: String,
    /// Its words, as the EZD shows them.
    pub text: String,
}

/// A dictionary field of an RPW entry: its value now and the values allowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dictionary {
    /// The id set now (may be empty).
    pub current: String,
    /// What may be set.
    pub choices: Vec<Choice>,
}

/// An RPW entry's metadata as the EZD holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RpwMetadata {
    /// Sposób dostarczenia.
    pub delivery: Dictionary,
    /// Rodzaj dokumentu.
    pub kind: Dictionary,
    /// Typ dokumentu.
    pub doc_type: Dictionary,
    /// Dostęp.
    pub access: Dictionary,
    /// The senders' address versions set now.
    pub senders: Vec<String>,
    /// The day of arrival set now (`YYYY-MM-DD…`).
    pub received_on: String,
    /// The sender's sign set now.
    pub sender_sign: Option<String>,
    /// The instance's own fields (`metadaneNiesystemowe`) that are in use.
    pub own_fields: Vec<OwnField>,
}

/// A field the EZD instance added to RPW entries (`metadaneNiesystemowe`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnField {
    /// `idKonfiguracja`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its value now.
    pub value: String,
    /// It must be filled in.
    pub required: bool,
}

/// The values to set on an RPW entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RpwUpdate {
    /// Data wpływu, `YYYY-MM-DD`.
    pub received_on: String,
    /// Data nadania.
    pub sent_on: Option<String>,
    /// Data na piśmie.
    pub letter_date: Option<String>,
    /// Uwagi.
    pub remarks: Option<String>,
    /// Znak na piśmie.
    pub sender_sign: Option<String>,
    /// The ids of the four dictionary values.
    pub delivery: String,
    /// Rodzaj dokumentu.
    pub kind: String,
    /// Typ dokumentu.
    pub doc_type: String,
    /// Dostęp.
    pub access: String,
    /// The senders: an address version and a sender kind each.
    pub senders: Vec<(String, String)>,
    /// The instance's own fields, (`idKonfiguracja`, value), kept as they are.
    pub own_fields: Vec<(String, String)>,
}

/// Who is looked for or added in the contact base.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    /// A natural person (typ 3) rather than an institution (typ 1).
    pub person: bool,
    /// An institution's name.
    pub name: Option<String>,
    /// A person's first name.
    pub first_name: Option<String>,
    /// A person's second name.
    pub second_name: Option<String>,
    /// A person's surname.
    pub surname: Option<String>,
    /// PESEL.
    pub pesel: Option<String>,
    /// NIP.
    pub nip: Option<String>,
    /// REGON.
    pub regon: Option<String>,
    /// Miejscowość.
    pub town: String,
    /// Kod pocztowy.
    pub postal_code: Option<String>,
    /// Ulica.
    pub street: Option<String>,
    /// Numer domu.
    pub building: Option<String>,
    /// Numer lokalu.
    pub flat: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: String,
}

/// A contact as the EZD gives it: its id and its postal addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    /// `idAdresat`.
    pub id: String,
    /// Its name as the EZD writes it.
    pub name: String,
    /// Its addresses.
    pub addresses: Vec<PostalAddress>,
}

/// One postal address of a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalAddress {
    /// `idAdresWersja`: what the RPW's senders take.
    pub version: String,
    /// The town's name.
    pub town: String,
    /// The postal code.
    pub postal_code: String,
}

impl Client {
    /// `GET /rpw/{numer}/{rok}/metadane` for the entry numbered `rpw_number` (`RPW/12/2026`).
    pub fn rpw_metadata(&mut self, rpw_number: &str) -> Result<RpwMetadata> {
        let path = rpw_path(rpw_number)?;
        let v = self.json("GET", &path, &[], Body::None)?;
        let system = &v["metadane"]["metadaneSystemowe"];
        let dictionary = |field: &str| -> Result<Dictionary> {
            let d = &system[field];
            let choices = d["listaDostepnychWartosci"]
                .as_array()
                .ok_or_else(|| Error::BadAnswer(format!("GET {path}: {field} lists no values")))?
                .iter()
                .map(|c| {
                    Ok(Choice {
                        id: text(c, "id")?,
                        text: text(c, "wartoscText")?,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(Dictionary {
                current: d["wartosc"].as_str().unwrap_or_default().to_string(),
                choices,
            })
        };
        Ok(RpwMetadata {
            delivery: dictionary("sposobDostarczenia")?,
            kind: dictionary("rodzajDokumentu")?,
            doc_type: dictionary("typDokumentu")?,
            access: dictionary("dostep")?,
            senders: v["nadawcy"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n["idAdresWersja"].as_str().map(str::to_string))
                .collect(),
            received_on: system["dataWplywu"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            sender_sign: system["znakNaPismie"].as_str().map(str::to_string),
            own_fields: v["metadane"]["metadaneNiesystemowe"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["czyAktywne"].as_bool().unwrap_or(true))
                .map(|f| {
                    Ok(OwnField {
                        id: text(f, "idKonfiguracja")?,
                        name: text(f, "nazwa")?,
                        value: f["wartosc"].as_str().unwrap_or_default().to_string(),
                        required: f["czyWymagane"].as_bool().unwrap_or(false),
                    })
                })
                .collect::<Result<_>>()?,
        })
    }

    /// `PUT /rpw/{numer}/{rok}/metadane`. Setting the same values again changes nothing, so
    /// this may be repeated after an unknown outcome.
    pub fn set_rpw_metadata(&mut self, rpw_number: &str, u: &RpwUpdate) -> Result<()> {
        let path = rpw_path(rpw_number)?;
        let body = json!({
            "metadaneSystemowe": {
                "dataWplywu": u.received_on,
                "dataNadania": u.sent_on,
                "dataNaPismie": u.letter_date,
                "uwagi": u.remarks,
                "znakNaPismie": u.sender_sign,
                "sposobDostarczenia": u.delivery,
                "rodzajDokumentu": u.kind,
                "typDokumentu": u.doc_type,
                "dostep": u.access,
                // The contract's own words for this field: `true` requires at least one
                // sender in `adresaci`, `false` leaves `adresaci` empty.
                "czyAnonimowy": !u.senders.is_empty(),
            },
            "metadaneNiesystemowe": u.own_fields.iter().map(|(id, value)| json!({
                "id": id,
                "wartosc": value,
            })).collect::<Vec<_>>(),
            "adresaci": u.senders.iter().map(|(address, kind)| json!({
                "idAdresWersja": address,
                "rodzaj": kind,
            })).collect::<Vec<_>>(),
        });
        self.json("PUT", &path, &[], Body::Json(body))?;
        Ok(())
    }

    /// `GET /slowniki/{klucz}`: a dictionary's values (for the sender kinds,
    /// [`SENDER_KINDS`]); read once by each client (a run of the outbox).
    pub fn dictionary(&mut self, key: &str) -> Result<Vec<Choice>> {
        if let Some(known) = self.dictionaries.get(key) {
            return Ok(known.clone());
        }
        let path = format!("/slowniki/{}", segment(key));
        let v = self.json("GET", &path, &[], Body::None)?;
        let choices: Vec<Choice> = v["lista"]
            .as_array()
            .ok_or_else(|| Error::BadAnswer(format!("GET {path}: no lista")))?
            .iter()
            .map(|c| {
                Ok(Choice {
                    id: text(c, "idSlownikWykaz")?,
                    text: text(c, "nazwa")?,
                })
            })
            .collect::<Result<_>>()?;
        self.dictionaries.insert(key.to_string(), choices.clone());
        Ok(choices)
    }

    /// `POST /adresaci/_search`: the contacts matching `c`, every page. With an identifier
    /// (PESEL, NIP, REGON) the search is by it alone; otherwise by the name and the town.
    pub fn find_contacts(&mut self, c: &Contact) -> Result<Vec<Addressee>> {
        let mut query = Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                query.insert(k.into(), Value::String(v.clone()));
            }
        };
        let identified = c.pesel.is_some() || c.nip.is_some() || c.regon.is_some();
        if identified {
            put("pesel", &c.pesel);
            put("nip", &c.nip);
            put("regon", &c.regon);
        } else {
            put("nazwaPodmiotu", &c.name);
            put("imie", &c.first_name);
            put("nazwisko", &c.surname);
            put("miejscowosc", &Some(c.town.clone()));
            put("kodPocztowy", &c.postal_code);
        }
        query.insert("typAdresata".into(), json!(if c.person { 3 } else { 1 }));
        self.pages("POST /adresaci/_search", |client, page| {
            let mut q = query.clone();
            q.insert("page".into(), json!(page));
            q.insert("pageSize".into(), json!(25));
            client.json(
                "POST",
                "/adresaci/_search",
                &[],
                Body::Json(Value::Object(q)),
            )
        })?
        .iter()
        .map(addressee)
        .collect()
    }

    /// `POST /adresaci`: adds `c` to the contact base with its postal address; returns its
    /// `idAdresat`. Not idempotent: after an unknown outcome, [`Client::find_contacts`] first.
    pub fn add_contact(&mut self, c: &Contact) -> Result<String> {
        let mut body = Map::new();
        let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        if c.person {
            body.insert("imie".into(), opt(&c.first_name));
            body.insert("drugieImie".into(), opt(&c.second_name));
            body.insert("nazwisko".into(), opt(&c.surname));
        } else {
            body.insert("nazwaPodmiotu".into(), opt(&c.name));
        }
        let mut metadata = Vec::new();
        for (key, value) in [("PESEL", &c.pesel), ("NIP", &c.nip), ("REGON", &c.regon)] {
            if let Some(v) = value {
                metadata.push(json!({"nazwa": key, "klucz": key, "wartosc": v}));
            }
        }
        body.insert("typAdresata".into(), json!(if c.person { 3 } else { 1 }));
        body.insert(
            "listaAdresow".into(),
            json!([{
                "idKraj": c.country,
                "kodPocztowy": c.postal_code,
                "miejscowoscNazwa": c.town,
                "ulicaNazwa": c.street,
                "numerDomu": c.building,
                "numerLokalu": c.flat,
                "typAdresu": 0,
            }]),
        );
        for empty in [
            "listaAdresowEmail",
            "listaAdresowEPUAP",
            "listaAdresowEDoreczenia",
            "listaPodadresaci",
        ] {
            body.insert(empty.into(), json!([]));
        }
        body.insert("metadaneAdresata".into(), Value::Array(metadata));
        body.insert("czyZbiorczy".into(), json!(false));
        body.insert("typKomunikacjiEpuap".into(), json!(2));
        let v = self.json("POST", "/adresaci", &[], Body::Json(Value::Object(body)))?;
        text(&v, "idAdresat")
    }

    /// `GET /adresaci/{id}`: a contact with its postal addresses.
    pub fn contact(&mut self, id: &str) -> Result<Addressee> {
        let path = format!("/adresaci/{}", segment(id));
        let v = self.json("GET", &path, &[], Body::None)?;
        addressee(&v)
    }
}

/// `/rpw/{numer}/{rok}/metadane` for `RPW/12/2026` (the number and year are its last two
/// parts).
fn rpw_path(rpw_number: &str) -> Result<String> {
    let mut parts = rpw_number.rsplit('/');
    let (Some(year), Some(number)) = (parts.next(), parts.next()) else {
        return Err(Error::BadAnswer(format!(
            "{rpw_number:?} is not an RPW number (…/number/year)"
        )));
    };
    if year.is_empty() || number.is_empty() {
        return Err(Error::BadAnswer(format!(
            "{rpw_number:?} is not an RPW number (…/number/year)"
        )));
    }
    Ok(format!(
        "/rpw/{}/{}/metadane",
        segment(number),
        segment(year)
    ))
}

/// A contact from a search hit or a read (`nazwaPodmiotu` or the person's names; the
/// addresses' town as a name or `{nazwa}`).
fn addressee(a: &Value) -> Result<Addressee> {
    let name_of = |v: &Value, inner: &str| -> String {
        v.as_str()
            .map(str::to_string)
            .or_else(|| v[inner].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let person = [
        name_of(&a["imie"], "imie"),
        name_of(&a["nazwisko"], "nazwisko"),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    let institution = a["nazwaPodmiotu"].as_str().unwrap_or_default();
    let addresses = a["listaAdresow"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|x| !x["czyUsuniety"].as_bool().unwrap_or(false))
        .map(|x| {
            Ok(PostalAddress {
                version: text(x, "idAdresWersja")?,
                town: name_of(&x["miejscowosc"], "nazwa"),
                postal_code: x["kodPocztowy"].as_str().unwrap_or_default().to_string(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(Addressee {
        id: text(a, "idAdresat")?,
        name: if institution.is_empty() {
            person
        } else {
            institution.to_string()
        },
        addresses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpw_numbers_become_paths() {
        assert_eq!(rpw_path("RPW/12/2026").unwrap(), "/rpw/12/2026/metadane");
        assert_eq!(rpw_path("UG/RPW/7/2025").unwrap(), "/rpw/7/2025/metadane");
        assert!(rpw_path("12").is_err());
    }
}
