//! Writes the TypeScript bindings of the app's commands, events and types to
//! `ui/src/bindings.ts` (CI regenerates them and checks that nothing changed).

fn main() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    if let Err(e) = skladnica_app::export_bindings(&out) {
        eprintln!("skladnica-bindings: {}: {e}", out.display());
        std::process::exit(1);
    }
    println!("wrote {}", out.display());
}
