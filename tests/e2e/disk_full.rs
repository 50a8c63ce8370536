//! A disk that fills up: the library on a small tmpfs and an export's carrier on another, each
//! mounted in a mount namespace of the test's own (`unshare -rm`, so no root is needed where
//! user namespaces are allowed). An import that runs out of space names each file it could not
//! store and why, leaves the library clean, and finishes once space is freed; an export to a
//! full carrier says so, leaves nothing a user could take for a package, and succeeds once the
//! carrier has room.

use std::process::Command;

use serde_json::Value;

use crate::harness::{Lib, binary};

fn namespaces_work() -> bool {
    Command::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=1m tmpfs /tmp && true",
        ])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_full_disk_during_import_or_export_is_said_and_the_work_resumes_once_there_is_room() {
    assert!(
        namespaces_work(),
        "this test needs `unshare -rm` (user and mount namespaces) to mount a small tmpfs"
    );
    let lib = Lib::new();
    let input = lib.input().join("stos");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..40 {
        let text = format!(
            "Pismo {i} w sprawie działki {i}/7. {}",
            "Treść pisma o zagospodarowaniu przestrzennym gminy. ".repeat(400)
        );
        std::fs::write(
            input.join(format!("{i:03}.pdf")),
            skladnica_tests::pdf_from_text(&text, None, None),
        )
        .unwrap();
    }
    let input_bytes: u64 = std::fs::read_dir(&input)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    let out = lib.dir.path().join("out");
    let disk = lib.dir.path().join("dysk");
    let carrier = lib.dir.path().join("nosnik");
    for d in [&out, &disk, &carrier] {
        std::fs::create_dir_all(d).unwrap();
    }
    // The library's disk holds a third of the input; the carrier a few hundred kilobytes.
    let small = (input_bytes / 3 / 1024).max(1024);
    let script = format!(
        r#"set -u
bin="$1"; disk="$2"; carrier="$3"; input="$4"; out="$5"
run() {{ name=$1; shift; "$bin" --library "$disk/lib" "$@" > "$out/$name.json" 2> "$out/$name.err"; echo $? > "$out/$name.rc"; }}
mount -t tmpfs -o size={small}k tmpfs "$disk"
run init init
run import1 import --json "$input"
run list1 list --json
run check1 check --json
mount -o remount,size=256m "$disk"
run import2 import --json "$input"
run check2 check --json
mount -t tmpfs -o size=256k tmpfs "$carrier"
run export1 export --all --json --to "$carrier"
ls -A "$carrier" > "$out/carrier1.txt"
run check3 check --json
mount -o remount,size=256m "$carrier"
run export2 export --all --json --to "$carrier"
ls -A "$carrier" > "$out/carrier2.txt"
for p in "$carrier"/paczka-*; do run verify verify --json "$p"; done
"#
    );
    let status = Command::new("unshare")
        .args(["-rm", "bash", "-c", &script, "disk-full"])
        .arg(binary())
        .args([&disk, &carrier, &input, &out])
        .env("SKLADNICA_CONFIG_DIR", lib.dir.path().join("config"))
        .env("SKLADNICA_NO_KEYRING", "1")
        .env_remove("SKLADNICA_LIBRARY")
        .status()
        .unwrap();
    assert!(status.success());
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    let json = |name: &str| -> Value {
        serde_json::from_str(&read(&format!("{name}.json")))
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", read(&format!("{name}.err"))))
    };
    let rc = |name: &str| read(&format!("{name}.rc")).trim().to_string();

    // The import that ran out of space says so and stops; what it stored is whole.
    assert_eq!(rc("import1"), "1", "{}", read("import1.err"));
    let said = read("import1.err");
    assert!(
        said.contains("No space left") || said.contains("full"),
        "{said}"
    );
    let stored = json("list1").as_array().unwrap().len();
    assert!(
        stored < 40,
        "{stored} of 40 stored on a disk for a third of them"
    );
    assert_eq!(json("check1")["clean"], true, "{}", read("check1.json"));
    // Room again: the rest comes in, nothing twice.
    assert_eq!(rc("import2"), "0", "{}", read("import2.err"));
    let second = json("import2");
    assert_eq!(second["imported"].as_array().unwrap().len(), 40 - stored);
    assert_eq!(second["duplicates"].as_array().unwrap().len(), stored);
    assert_eq!(json("check2")["clean"], true, "{}", read("check2.json"));

    // The export to a full carrier: said so (before writing, from the free space), nothing
    // that looks like a package left.
    assert_eq!(rc("export1"), "1");
    let said = read("export1.err");
    assert!(
        said.contains("not enough free space") || said.contains("No space left"),
        "{said}"
    );
    assert!(
        read("carrier1.txt").lines().all(|n| n.starts_with('.')),
        "the full carrier holds {}",
        read("carrier1.txt")
    );
    assert_eq!(json("check3")["clean"], true);
    assert_eq!(rc("export2"), "0", "{}", read("export2.err"));
    assert_eq!(
        read("carrier2.txt")
            .lines()
            .filter(|n| n.starts_with("paczka-"))
            .count(),
        1,
        "{}",
        read("carrier2.txt")
    );
    assert_eq!(rc("verify"), "0", "{}", read("verify.json"));
}
