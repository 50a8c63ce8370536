//! `skladnica-ezd-sim`: runs the EZD RP simulator until interrupted, for trying the client by
//! hand (`skladnica sync config --api-url <printed URL> …`).
//!
//! Usage: `skladnica-ezd-sim [CONTRACT]` (default: `../shared/reference/ezd/ezdrp-v2.json` beside
//! the project).

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
    println!(
        "EZD RP simulator at {} (SSO at the same address)",
        sim.url()
    );
    println!(
        "entity {} · API key id {} · key {} · SID {}",
        config.pid, config.aki, config.api_key, config.sid
    );
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
