//! `skladnica-ezd-sim`: runs the EZD RP simulator until killed, for the app's end-to-end test
//! and for trying the client by hand (`skladnica sync config --api-url <url> …`). Prints one
//! JSON line with its address and credentials on standard output, then every contract violation
//! it sees on standard error as `contract violation: …`.
//!
//! Usage: `skladnica-ezd-sim [CONTRACT]` (default: `../shared/reference/ezd/ezdrp-v2.json` beside
//! the project).

use std::io::Write;
use std::path::PathBuf;

use skladnica_ezd_sim::official_contract;

fn main() {
    let contract = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(official_contract);
    let config = skladnica_ezd_sim::SimConfig::default();
    let sim = match skladnica_ezd_sim::Simulator::start(&contract, config.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skladnica-ezd-sim: {e}");
            std::process::exit(2);
        }
    };
    let started = serde_json::json!({
        "url": sim.url(),
        "pid": config.pid,
        "aki": config.aki,
        "sid": config.sid,
        "key": config.api_key,
    });
    println!("{started}");
    let _ = std::io::stdout().flush();
    let mut told = 0;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let st = sim.state();
        for v in &st.violations[told..] {
            eprintln!("contract violation: {v}");
        }
        told = st.violations.len();
    }
}
