//! A client of the EZD RP Integrator API v2 (`../shared/reference/ezd/ezdrp-v2.json`): the
//! `api_credentials` token from the SSO and its renewal before it expires, the `Authorization`
//! and `SID` headers on every call, multipart uploads, `application/problem+json` errors and
//! paged lists, over rustls with the system's roots and an optional CA file (a county's own CA).
//!
//! Every failure says what the caller may do next ([`Error`]): a request that never reached the
//! EZD may be sent again; one whose outcome is unknown (a timeout, a dropped connection, a 5xx
//! after a write) must be reconciled by reading back first; a rejection waits for a person.
//! The API key never appears in an error, a log line or a `Debug` print.

mod cases;
mod rpw;
mod time;

pub use cases::{Case, JrwaClass, JrwaSchema, NewCase};
pub use rpw::{
    Addressee, Choice, Contact, Dictionary, OwnField, PostalAddress, RpwMetadata, RpwUpdate,
    SENDER_KINDS,
};

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The API's base path.
pub const BASE: &str = "/ezdrp/integrator/v2";

/// The largest answer read (lists are paged at 25, so real answers are far smaller).
const MAX_ANSWER: u64 = 8 << 20;

/// Where and as whom to connect.
#[derive(Clone)]
pub struct Config {
    /// The API's address, e.g. `https://ezd.powiat.example.pl` (paths start with [`BASE`]).
    pub api_url: String,
    /// The SSO's address (its `/connect/token` gives tokens).
    pub sso_url: String,
    /// The entity (podmiot) id.
    pub pid: String,
    /// The API key's id.
    pub aki: String,
    /// The technical user's position id (stanowisko), sent as `SID`.
    pub sid: String,
    /// The API key (secret).
    pub api_key: String,
    /// A CA certificate file (PEM) trusted besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// How long one call may take.
    pub timeout: Duration,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_url", &self.api_url)
            .field("sso_url", &self.sso_url)
            .field("pid", &self.pid)
            .field("aki", &self.aki)
            .field("sid", &self.sid)
            .field("api_key", &"(hidden)")
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Why a call failed, and so what may be done next.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Nothing reached the EZD (no connection, refused, the name not found): send again later.
    #[error("the EZD cannot be reached: {0}")]
    Unreachable(String),
    /// The request may have been carried out, but no answer says so: read back before sending
    /// again.
    #[error("no answer from the EZD, the outcome is unknown: {0}")]
    Uncertain(String),
    /// The EZD is busy or failing (429, or a 5xx to a call that changes nothing): try later.
    #[error("the EZD is unavailable ({status}): {message}")]
    Unavailable {
        /// HTTP status.
        status: u16,
        /// The EZD's words.
        message: String,
    },
    /// The EZD refused the request (4xx), with its reason: this waits for a person.
    #[error("the EZD refused it ({status}): {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The EZD's words (`title`, `detail`, invalid parameters).
        message: String,
    },
    /// The SSO refused the credentials (entity, key id, key) or the token was refused twice.
    #[error("the EZD's sign-in refused the credentials: {0}")]
    Credentials(String),
    /// An answer outside the contract (not JSON, a missing field, too large, a redirect).
    #[error("the EZD's answer is not what the contract says: {0}")]
    BadAnswer(String),
    /// The set-up is wrong (an address, the CA file).
    #[error("EZD connection settings: {0}")]
    Config(String),
}

/// The result of a call.
pub type Result<T> = std::result::Result<T, Error>;

/// A document of a flow, as `GET /obiegi/{id}/dokumenty` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowDocument {
    /// `idDokumentPrzestrzeni`: the id other calls take.
    pub id: String,
    /// `idDokument`.
    pub document: String,
    /// The file's name.
    pub name: String,
    /// Its RPW number, once registered.
    pub rpw_number: Option<String>,
}

/// A flow as `GET /obiegi` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSummary {
    /// `idObieg`.
    pub id: String,
    /// The document's title (the first file's name).
    pub title: String,
}

/// An entry in the EZD's incoming register.
#[derive(Debug, Clone, PartialEq)]
pub struct RpwEntry {
    /// `idPismo`.
    pub letter: String,
    /// `numerRpw`, e.g. `RPW/12/2026`.
    pub number: String,
}

/// A client; holds its token between calls.
pub struct Client {
    config: Config,
    agent: ureq::Agent,
    host: String,
    token: Option<(String, Instant)>,
    /// Dictionaries read so far (`GET /slowniki/{klucz}`), asked for once a client.
    dictionaries: std::collections::HashMap<String, Vec<Choice>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish()
    }
}

/// What a call sends.
enum Body<'a> {
    None,
    Json(Value),
    File { name: &'a str, bytes: &'a [u8] },
}

impl Client {
    /// A client for `config`; checks the addresses and reads the CA file.
    pub fn new(config: Config) -> Result<Client> {
        let host = host_of(&config.api_url)?;
        host_of(&config.sso_url)?;
        let mut roots = Vec::new();
        let native = rustls_native_certs::load_native_certs();
        for c in native.certs {
            roots.push(ureq::tls::Certificate::from_der(c.as_ref()).to_owned());
        }
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| Error::Config(format!("the CA file {}: {e}", path.display())))?;
            let before = roots.len();
            for item in ureq::tls::parse_pem(&pem) {
                if let Ok(ureq::tls::PemItem::Certificate(c)) = item {
                    roots.push(c.to_owned());
                }
            }
            if roots.len() == before {
                return Err(Error::Config(format!(
                    "the CA file {} holds no PEM certificate",
                    path.display()
                )));
            }
        }
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(config.timeout))
            .tls_config(tls)
            .build()
            .into();
        Ok(Client {
            config,
            agent,
            host,
            token: None,
            dictionaries: Default::default(),
        })
    }

    /// The token to send, asked for when there is none or it expires within a minute.
    fn token(&mut self) -> Result<String> {
        if let Some((t, until)) = &self.token
            && *until > Instant::now() + Duration::from_secs(60)
        {
            return Ok(t.clone());
        }
        let rt = time::now_iso();
        let b64 = base64::engine::general_purpose::STANDARD;
        let client_id = format!("api_{}", b64.encode(Sha256::digest(self.host.as_bytes())));
        let akh = b64.encode(Sha256::digest(
            format!("{rt}{}", self.config.api_key).as_bytes(),
        ));
        let form = [
            ("grant_type", "api_credentials"),
            ("client_id", client_id.as_str()),
            ("scope", "api.ezdrp.gov.pl"),
            ("pid", self.config.pid.as_str()),
            ("aki", self.config.aki.as_str()),
            ("rt", rt.as_str()),
            ("akh", akh.as_str()),
        ];
        let url = format!(
            "{}/connect/token",
            self.config.sso_url.trim_end_matches('/')
        );
        let answer = self
            .agent
            .post(&url)
            .send_form(form)
            .map_err(|e| transport(e, false))?;
        let (status, body) = read(answer)?;
        if status == 400 || status == 401 || status == 403 {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let why = v["error_description"]
                .as_str()
                .or(v["error"].as_str())
                .unwrap_or("refused");
            return Err(Error::Credentials(why.to_string()));
        }
        let v = ok_json(status, &body, false)?;
        let token = text(&v, "access_token")?;
        let expires = v["expires_in"]
            .as_u64()
            .ok_or_else(|| Error::BadAnswer("the token answer has no expires_in".into()))?;
        self.token = Some((token.clone(), Instant::now() + Duration::from_secs(expires)));
        Ok(token)
    }

    /// One call: the token (renewed once after a 401), the headers, the body; the answer's
    /// status and bytes.
    fn call(
        &mut self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: &Body<'_>,
    ) -> Result<(u16, Vec<u8>)> {
        let writes = method != "GET";
        for attempt in 0..2 {
            let token = self.token()?;
            let url = format!("{}{BASE}{path}", self.config.api_url.trim_end_matches('/'));
            let auth = format!("Bearer {token}");
            let sent = match (method, body) {
                ("GET", _) => {
                    let mut r = self
                        .agent
                        .get(&url)
                        .header("Authorization", &auth)
                        .header("SID", &self.config.sid);
                    for (k, v) in query {
                        r = r.query(*k, v);
                    }
                    r.call()
                }
                (_, b) => {
                    let r = match method {
                        "PUT" => self.agent.put(&url),
                        _ => self.agent.post(&url),
                    }
                    .header("Authorization", &auth)
                    .header("SID", &self.config.sid);
                    match b {
                        Body::Json(v) => r
                            .header("Content-Type", "application/json")
                            .send(v.to_string().as_bytes()),
                        Body::File { name, bytes } => {
                            let (content_type, data) = multipart_file(name, bytes);
                            r.header("Content-Type", &content_type).send(&data[..])
                        }
                        Body::None => r.send_empty(),
                    }
                }
            };
            let (status, bytes) = read(sent.map_err(|e| transport(e, writes))?)?;
            if status == 401 && attempt == 0 {
                self.token = None;
                continue;
            }
            if status == 401 {
                return Err(Error::Credentials(
                    "the EZD refused a fresh token (401)".into(),
                ));
            }
            return Ok((status, bytes));
        }
        unreachable!("the loop returns")
    }

    /// A call whose answer is JSON; a failure status becomes its [`Error`].
    fn json(
        &mut self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Body<'_>,
    ) -> Result<Value> {
        let (status, bytes) = self.call(method, path, query, &body)?;
        ok_json(status, &bytes, method != "GET")
    }

    /// Every item of a paged list (`lista`, 25 a page), page `n` asked for by `ask(self, n)`.
    fn pages(
        &mut self,
        what: &str,
        mut ask: impl FnMut(&mut Self, u32) -> Result<Value>,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for page in 0..10_000 {
            let v = ask(self, page)?;
            let items = v["lista"]
                .as_array()
                .ok_or_else(|| Error::BadAnswer(format!("{what}: no lista in the answer")))?;
            out.extend(items.iter().cloned());
            let more = v["pageInfo"]["isNextPageExists"].as_bool().unwrap_or(false);
            if !more || items.is_empty() {
                break;
            }
        }
        Ok(out)
    }

    /// Every item of a paged `GET` list.
    fn all_pages(&mut self, path: &str, query: &[(&str, String)]) -> Result<Vec<Value>> {
        self.pages(path, |c, page| {
            let mut q = query.to_vec();
            q.push(("page", page.to_string()));
            q.push(("pageSize", "25".into()));
            c.json("GET", path, &q, Body::None)
        })
    }

    /// `POST /obiegi`: a new document flow from one file; returns its `idObieg`.
    pub fn upload_flow(&mut self, name: &str, bytes: &[u8]) -> Result<String> {
        let v = self.json("POST", "/obiegi", &[], Body::File { name, bytes })?;
        v["listaIdObieg"]
            .as_array()
            .and_then(|l| l.first())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::BadAnswer("POST /obiegi: no listaIdObieg".into()))
    }

    /// `POST /obiegi/{id}/dokumenty`: one more file into a flow; returns its
    /// `idDokumentPrzestrzeni`.
    pub fn add_flow_document(&mut self, flow: &str, name: &str, bytes: &[u8]) -> Result<String> {
        let path = format!("/obiegi/{}/dokumenty", segment(flow));
        let v = self.json("POST", &path, &[], Body::File { name, bytes })?;
        let first = v["lista"]
            .as_array()
            .and_then(|l| l.first())
            .ok_or_else(|| Error::BadAnswer(format!("POST {path}: no lista")))?;
        text(first, "idDokumentPrzestrzeni")
    }

    /// `GET /obiegi/{id}/dokumenty`, every page.
    pub fn flow_documents(&mut self, flow: &str) -> Result<Vec<FlowDocument>> {
        let path = format!("/obiegi/{}/dokumenty", segment(flow));
        self.all_pages(&path, &[])?
            .iter()
            .map(|d| {
                Ok(FlowDocument {
                    id: text(d, "idDokumentPrzestrzeni")?,
                    document: text(d, "idDokument")?,
                    name: text(d, "nazwa")?,
                    rpw_number: d["numerRpw"].as_str().map(str::to_string),
                })
            })
            .collect()
    }

    /// `GET /obiegi?searchValue=…`: the flows at this position whose title contains `search`,
    /// every page.
    pub fn find_flows(&mut self, search: &str) -> Result<Vec<FlowSummary>> {
        self.all_pages("/obiegi", &[("searchValue", search.to_string())])?
            .iter()
            .map(|f| {
                Ok(FlowSummary {
                    id: text(f, "idObieg")?,
                    title: text(f, "tytulDokumentu")?,
                })
            })
            .collect()
    }

    /// `POST /dokumenty/{id}/rpw`: registers the document in the EZD's incoming register.
    pub fn register_rpw(&mut self, document: &str) -> Result<RpwEntry> {
        let path = format!("/dokumenty/{}/rpw", segment(document));
        let v = self.json("POST", &path, &[], Body::Json(json!({})))?;
        Ok(RpwEntry {
            letter: text(&v, "idPismo")?,
            number: text(&v, "numerRpw")?,
        })
    }
}

/// The host of an `http(s)://host[:port]/…` address.
fn host_of(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::Config(format!("{url:?} is not an http(s) address")))?;
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host.is_empty() {
        return Err(Error::Config(format!("{url:?} names no host")));
    }
    Ok(host.to_string())
}

/// A path segment with what a URL does not carry escaped.
fn segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A multipart body with one file in the field `file`.
fn multipart_file(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("skladnica-{:x}", Sha256::digest(bytes))[..40].to_string();
    let safe: String = name
        .chars()
        .map(|c| {
            if c == '"' || c == '\r' || c == '\n' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut data = Vec::with_capacity(bytes.len() + 256);
    data.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    data.extend_from_slice(bytes);
    data.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), data)
}

/// A transport failure as an [`Error`]: not sent at all, or (for a write) of unknown outcome.
fn transport(e: ureq::Error, writes: bool) -> Error {
    let unknown = |m: String| {
        if writes {
            Error::Uncertain(m)
        } else {
            Error::Unavailable {
                status: 0,
                message: m,
            }
        }
    };
    match e {
        ureq::Error::HostNotFound => Error::Unreachable("the host name is not known".into()),
        ureq::Error::ConnectionFailed => Error::Unreachable("the connection failed".into()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Error::Unreachable("the connection was refused".into())
        }
        // A certificate refused during the handshake: nothing was sent.
        ureq::Error::Io(io) if io.to_string().contains("certificate") => {
            Error::Unreachable(format!("TLS: {io}"))
        }
        ureq::Error::Timeout(t) => match t {
            ureq::Timeout::Resolve | ureq::Timeout::Connect => {
                Error::Unreachable(format!("no connection in time ({t})"))
            }
            _ => unknown(format!("no answer in time ({t})")),
        },
        ureq::Error::Tls(m) => Error::Unreachable(format!("TLS: {m}")),
        ureq::Error::Rustls(e) => Error::Unreachable(format!("TLS: {e}")),
        ureq::Error::BodyExceedsLimit(n) => {
            Error::BadAnswer(format!("an answer larger than {n} bytes"))
        }
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            Error::BadAnswer("the EZD redirected the call elsewhere; not followed".into())
        }
        other => unknown(other.to_string()),
    }
}

/// The status and body of an answer (at most [`MAX_ANSWER`] bytes); a redirect is refused.
fn read(mut answer: ureq::http::Response<ureq::Body>) -> Result<(u16, Vec<u8>)> {
    let status = answer.status().as_u16();
    if (300..400).contains(&status) {
        let to = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("?")
            .to_string();
        return Err(Error::BadAnswer(format!(
            "the EZD redirected the call to {to}; not followed"
        )));
    }
    let body = answer
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(n) => {
                Error::BadAnswer(format!("an answer larger than {n} bytes"))
            }
            other => Error::Uncertain(format!("the answer was cut off: {other}")),
        })?;
    Ok((status, body))
}

/// How the client reads an answer of `status` with `body` (for fuzzing: any body must end in
/// a value or an error naming the reason).
pub fn read_answer(status: u16, body: &[u8], writes: bool) -> Result<Value> {
    ok_json(status, body, writes)
}

/// A 2xx answer's JSON, or the error its status says.
fn ok_json(status: u16, body: &[u8], writes: bool) -> Result<Value> {
    if (200..300).contains(&status) {
        if body.is_empty() {
            return Ok(Value::Null);
        }
        return serde_json::from_slice(body)
            .map_err(|e| Error::BadAnswer(format!("not JSON ({e})")));
    }
    let message = problem_text(body);
    Err(match status {
        429 => Error::Unavailable { status, message },
        500.. if writes => Error::Uncertain(format!("{status}: {message}")),
        500.. => Error::Unavailable { status, message },
        _ => Error::Rejected { status, message },
    })
}

/// The words of an `application/problem+json` body (title, detail, invalid parameters).
fn problem_text(body: &[u8]) -> String {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        let s = String::from_utf8_lossy(body);
        return s.chars().take(300).collect::<String>().trim().to_string();
    };
    let mut parts: Vec<String> = ["title", "detail", "message"]
        .iter()
        .filter_map(|k| v[k].as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for p in v["invalid-params"].as_array().into_iter().flatten() {
        parts.push(format!(
            "{}: {}",
            p["name"].as_str().unwrap_or("?"),
            p["reason"].as_str().unwrap_or("?")
        ));
    }
    if parts.is_empty() {
        "no reason given".into()
    } else {
        parts.join("; ")
    }
}

/// A required text field of an answer.
fn text(v: &Value, field: &str) -> Result<String> {
    v[field]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::BadAnswer(format!("the field {field} is missing or not text")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_segments() {
        assert_eq!(
            host_of("https://ezd.gmina.pl:8443/x").unwrap(),
            "ezd.gmina.pl"
        );
        assert_eq!(host_of("http://127.0.0.1:4000").unwrap(), "127.0.0.1");
        assert!(matches!(host_of("ftp://x"), Err(Error::Config(_))));
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }

    #[test]
    fn problems_are_read_into_words_and_statuses_into_what_to_do() {
        let body = br#"{"type":"t","status":400,"instance":"/x","title":"Niepoprawne dane","invalid-params":[{"name":"tytul","reason":"za krotki"}]}"#;
        assert_eq!(
            ok_json(400, body, true),
            Err(Error::Rejected {
                status: 400,
                message: "Niepoprawne dane; tytul: za krotki".into()
            })
        );
        assert!(matches!(ok_json(503, b"", true), Err(Error::Uncertain(_))));
        assert!(matches!(
            ok_json(503, b"", false),
            Err(Error::Unavailable { .. })
        ));
        assert!(matches!(
            ok_json(429, b"", true),
            Err(Error::Unavailable { .. })
        ));
        assert!(matches!(
            ok_json(200, b"{", false),
            Err(Error::BadAnswer(_))
        ));
    }

    #[test]
    fn the_key_is_never_printed() {
        let c = Config {
            api_url: "https://ezd.example".into(),
            sso_url: "https://sso.example".into(),
            pid: "p".into(),
            aki: "a".into(),
            sid: "s".into(),
            api_key: "tajny-klucz-123".into(),
            ca_file: None,
            timeout: Duration::from_secs(5),
        };
        assert!(!format!("{c:?}").contains("tajny"));
        let client = Client::new(c).unwrap();
        assert!(!format!("{client:?}").contains("tajny"));
    }
}
