//! The fuzzing targets' kept corpora (`fuzz/corpus/<target>/`) and the inputs runs found
//! crashes with (`fuzz/regressions/<target>/`, each named after what it found) replayed
//! through the same bodies as `scripts/fuzz.sh` runs under libFuzzer: none may panic.

use std::path::PathBuf;

#[test]
fn every_kept_fuzzing_input_is_handled_without_a_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for (name, body) in skladnica_tests::fuzz::TARGETS {
        let mut inputs = Vec::new();
        for kind in ["corpus", "regressions"] {
            if let Ok(dir) = std::fs::read_dir(root.join(kind).join(name)) {
                inputs.extend(dir.flatten().map(|e| e.path()).filter(|p| p.is_file()));
            }
        }
        assert!(
            inputs.iter().any(|p| p.starts_with(root.join("corpus"))),
            "fuzz/corpus/{name} holds no seed"
        );
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{name}: {} panicked", input.display());
            replayed += 1;
        }
    }
    eprintln!("fuzzing inputs replayed: {replayed}");
}
