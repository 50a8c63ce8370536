//! An EZD RP simulator for tests: serves the part of the Integrator API v2 contract that
//! Składnica uses, on 127.0.0.1 at a random port, keeps what it receives, checks every request
//! against the official contract (`ezdrp-v2.json`) and every answer it gives too, and injects
//! faults on command: a connection dropped before or after the write is committed, an answer
//! that never comes (a timeout), 500/502/503, 429, 401 (an expired token), slow answers.
//!
//! The SSO's token endpoint (`POST /connect/token`, grant type `api_credentials`, outside the
//! contract) is served too, and checks the key's hash as DOMAIN.md describes it.
//!
//! A request the contract does not allow is answered 400 with the reasons and recorded in
//! [`Simulator::violations`]; a test that sees any has failed.

pub mod contract;
pub mod http;
pub mod registry;
pub mod schema;
mod state;

use std::collections::VecDeque;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use state::{Answer, Document, Flow, State};

/// The official contract beside the project: `../shared/reference/ezd/ezdrp-v2.json`.
pub fn official_contract() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/ezd/ezdrp-v2.json")
}

/// How the simulated EZD is set up.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The API key the SSO accepts (its hash, with the time, proves it).
    pub api_key: String,
    /// The entity (podmiot) id.
    pub pid: String,
    /// The API key's id.
    pub aki: String,
    /// The technical user's position id, expected in every call's `SID` header.
    pub sid: String,
    /// How long a token lives.
    pub token_lifetime: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            api_key: "klucz-testowy-0123456789".into(),
            pid: "podmiot-1".into(),
            aki: "klucz-1".into(),
            sid: "stanowisko-7".into(),
            token_lifetime: Duration::from_secs(3600),
        }
    }
}

/// A fault injected into the next matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// The connection is closed before anything is done (the request is not committed).
    DropBeforeCommit,
    /// The write is committed, then the connection is closed without an answer.
    DropAfterCommit,
    /// Answered with this status (500, 502, 503, 429) before anything is done.
    Status(u16),
    /// The write is committed, then answered with this status (a 5xx after the write).
    StatusAfterCommit(u16),
    /// The token is treated as expired: 401.
    ExpiredToken,
    /// Answered normally after this delay.
    Slow(Duration),
    /// The write is committed, then no answer for this long (the client times out), then the
    /// connection is closed.
    Hang(Duration),
    /// Answered 200/201 with a body that is not JSON.
    InvalidJson,
    /// Answered with a JSON body outside the contract.
    OutsideContract,
    /// Answered with a body of this many bytes.
    HugeBody(usize),
    /// Answered with a redirect to another host.
    Redirect,
}

/// A running simulator; stops when dropped.
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

struct Shared {
    contract: contract::Contract,
    config: SimConfig,
    state: Mutex<State>,
    faults: Mutex<VecDeque<(Option<String>, Fault)>>,
    stop: AtomicBool,
}

impl Simulator {
    /// Starts a simulator of the contract at `contract` on 127.0.0.1 at a free port.
    pub fn start(contract: &Path, config: SimConfig) -> Result<Simulator, String> {
        let contract = contract::Contract::load(contract)?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Shared {
            contract,
            config,
            state: Mutex::new(State::new()),
            faults: Mutex::new(VecDeque::new()),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let s = s.clone();
                std::thread::spawn(move || serve(&s, stream));
            }
        });
        Ok(Simulator { addr, shared })
    }

    /// The API's base URL, e.g. `http://127.0.0.1:40123` (paths start `/ezdrp/integrator/v2`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The set-up it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Queues a fault for the next request of operation `operation` (an operationId such as
    /// `V2PostObiegiCommand`, or `token` for the SSO), or of any operation when `None`.
    pub fn inject(&self, operation: Option<&str>, fault: Fault) {
        lock(&self.shared.faults).push_back((operation.map(str::to_string), fault));
    }

    /// Forgets the faults queued and not yet met.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Faults queued and not yet met.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.faults).len()
    }

    /// What the simulated EZD holds.
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// Makes every token given so far expired: the next call gets 401.
    pub fn expire_tokens(&self) {
        state::expire_tokens(&mut self.state());
    }

    /// Requests or answers that broke the contract.
    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves one connection: one request, one answer (or a fault).
fn serve(s: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let req = match http::read_request(&stream) {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(e) => {
            let _ = http::write_response(&stream, 400, "text/plain", &[], e.to_string().as_bytes());
            return;
        }
    };
    if req.method == "POST" && req.path == "/connect/token" {
        let fault = take_fault(s, "token");
        if before_commit(&stream, &req, &fault) {
            return;
        }
        let answer = state::token(&mut lock(&s.state), &s.config, &req);
        return finish(s, &stream, None, &req, fault, answer);
    }
    let matched = match s.contract.operation(&req.method, &req.path) {
        Ok(m) => m,
        Err(e) => {
            lock(&s.state).violations.push(e.clone());
            let body = state::problem(400, &req.path, &e);
            let _ = http::write_response(&stream, 404, "application/problem+json", &[], &body);
            return;
        }
    };
    let problems = s.contract.check_request(&matched, &req);
    if !problems.is_empty() {
        let text = format!("{} {}: {}", req.method, req.path, problems.join("; "));
        lock(&s.state).violations.push(text.clone());
        let body = state::problem(400, &req.path, &text);
        let _ = http::write_response(&stream, 400, "application/problem+json", &[], &body);
        return;
    }
    let fault = take_fault(s, &matched.operation);
    if before_commit(&stream, &req, &fault) {
        return;
    }
    let answer = {
        let mut st = lock(&s.state);
        let token_ok = req
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .is_some_and(|t| st.token_valid(t));
        if !token_ok {
            drop(st);
            let _ =
                http::write_response(&stream, 401, "text/plain", &[], b"invalid or expired token");
            return;
        }
        if req.header("sid") != Some(s.config.sid.as_str()) {
            st.requests
                .push(format!("{} {} → 400 (wrong SID)", req.method, req.path));
            let body = state::problem(400, &req.path, "unknown position (SID)");
            drop(st);
            let _ = http::write_response(&stream, 400, "application/problem+json", &[], &body);
            return;
        }
        st.handle(&s.contract, &matched, &req)
    };
    finish(s, &stream, Some(&matched), &req, fault, answer);
}

/// Applies a fault that strikes before anything is done; true when it ended the exchange.
fn before_commit(stream: &TcpStream, req: &http::Request, fault: &Option<Fault>) -> bool {
    match fault {
        Some(Fault::DropBeforeCommit) => true,
        Some(Fault::Status(code)) => {
            let body = state::problem(*code, &req.path, "the simulated EZD is failing");
            let _ = http::write_response(stream, *code, "application/problem+json", &[], &body);
            true
        }
        Some(Fault::ExpiredToken) => {
            let _ = http::write_response(stream, 401, "text/plain", &[], b"token expired");
            true
        }
        Some(Fault::Slow(d)) => {
            std::thread::sleep(*d);
            false
        }
        _ => false,
    }
}

fn take_fault(s: &Shared, operation: &str) -> Option<Fault> {
    let mut faults = lock(&s.faults);
    let i = faults
        .iter()
        .position(|(op, _)| op.as_deref().is_none_or(|o| o == operation))?;
    let fault = faults.remove(i).map(|(_, f)| f);
    drop(faults);
    lock(&s.state).faults_met += 1;
    fault
}

/// Sends `answer` (already committed) unless a fault says otherwise; checks it against the
/// contract first.
fn finish(
    s: &Shared,
    stream: &TcpStream,
    matched: Option<&contract::Matched>,
    req: &http::Request,
    fault: Option<Fault>,
    answer: Answer,
) {
    let mut answer = answer;
    // A body a fault made is outside the contract on purpose.
    let mut check = true;
    match fault {
        Some(Fault::DropAfterCommit) => return,
        Some(Fault::Hang(d)) => {
            std::thread::sleep(d);
            return;
        }
        Some(Fault::StatusAfterCommit(code)) => {
            answer = Answer::json(
                code,
                state::problem(code, &req.path, "the simulated EZD failed after writing"),
            );
            answer.content_type = "application/problem+json";
        }
        Some(Fault::InvalidJson) => {
            answer.body = b"{\"lista\": [".to_vec();
            check = false;
        }
        Some(Fault::OutsideContract) => {
            answer.body = b"{\"nieznane\": true}".to_vec();
            check = false;
        }
        Some(Fault::HugeBody(n)) => {
            let mut b = b"{\"x\": \"".to_vec();
            b.resize(n, b'a');
            answer.body = b;
            check = false;
        }
        Some(Fault::Redirect) => {
            let _ = http::write_response(
                stream,
                302,
                "text/plain",
                &[("Location", "http://203.0.113.9/przejete".into())],
                b"",
            );
            return;
        }
        _ => {}
    }
    if let Some(m) = matched
        && check
    {
        let problems = s
            .contract
            .check_response(m, &req.method, answer.status, &answer.body);
        if !problems.is_empty() {
            lock(&s.state).violations.push(format!(
                "answer to {} {}: {}",
                req.method,
                req.path,
                problems.join("; ")
            ));
        }
    }
    lock(&s.state)
        .requests
        .push(format!("{} {} → {}", req.method, req.path, answer.status));
    let _ = http::write_response(
        stream,
        answer.status,
        answer.content_type,
        &[],
        &answer.body,
    );
}
