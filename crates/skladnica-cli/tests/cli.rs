//! The command line itself: help, usage errors and the library-less errors. (The end-to-end
//! behaviour on real files is tested in the workspace's `tests/` crate; having this integration
//! test here also makes `cargo test` build the `skladnica` binary those tests drive.)

use std::process::Command;

fn skladnica() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skladnica"))
}

#[test]
fn help_lists_the_commands() {
    let out = skladnica().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "init", "import", "search", "show", "list", "reindex", "check",
    ] {
        assert!(text.contains(cmd), "{cmd} missing from:\n{text}");
    }
}

#[test]
fn import_without_paths_is_a_usage_error() {
    let out = skladnica().arg("import").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn opening_a_missing_library_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = skladnica()
        .args(["--library"])
        .arg(dir.path().join("nic"))
        .args(["search", "umowa"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("skladnica init"), "{err}");
}
