//! Reindex, check and repair; the index catching up after it fell behind.

use skladnica_tests::pdf_from_text;

use crate::harness::Lib;

fn library_with_docs(n: usize) -> Lib {
    let lib = Lib::new();
    for i in 0..n {
        lib.file(
            &format!("d{i}.pdf"),
            &pdf_from_text(
                &format!("Decyzja numer {i} w sprawie podatku rolnego"),
                None,
                None,
            ),
        );
    }
    let report = lib.import(&[&lib.input()], 0);
    assert_eq!(report["imported"].as_array().unwrap().len(), n);
    lib
}

#[test]
fn reindex_rebuilds_the_same_results() {
    let lib = library_with_docs(5);
    let before = lib.hit_ids("decyzji");
    assert_eq!(before.len(), 5);
    let out = lib.run(["reindex"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("reindexed 5 documents"));
    let mut after = lib.hit_ids("decyzji");
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(before, after);
    lib.assert_clean();
}

#[test]
fn a_deleted_index_is_rebuilt_on_open() {
    let lib = library_with_docs(3);
    std::fs::remove_dir_all(lib.root().join("index")).unwrap();
    assert_eq!(lib.hit_ids("podatek").len(), 3);
    lib.assert_clean();
}

#[test]
fn an_index_that_fell_behind_catches_up_on_open() {
    let lib = library_with_docs(2);
    // Pretend the index never committed the second document: rewind the record of what it holds
    // and delete the document from the index behind the library's back.
    let db = rusqlite_open(&lib);
    db.execute("UPDATE index_state SET indexed_rev = 1", [])
        .unwrap();
    drop(db);
    {
        let mut library = skladnica_core::Library::open(&lib.root()).unwrap();
        // Opening caught up already; check agrees.
        let report = library.check(false).unwrap();
        assert!(report.clean, "{report:#?}");
    }
    assert_eq!(lib.hit_ids("rolnego").len(), 2);
}

#[test]
fn check_finds_damage_and_repair_fixes_what_is_derivable() {
    let lib = library_with_docs(2);
    let list = lib.json(["list", "--json"], 0);
    let id = list[0]["id"].as_i64().unwrap();
    let doc = lib.json(["show", "--json", &id.to_string()], 0);
    let sha = doc["files"][0]["sha256"].as_str().unwrap().to_string();
    // An orphan blob, and a document the index lost behind the library's back (its commit
    // still claims to be complete, so opening does not notice).
    let orphan = "ab".repeat(32);
    std::fs::create_dir_all(lib.root().join("blobs/ab")).unwrap();
    std::fs::write(lib.root().join("blobs/ab").join(&orphan), b"x").unwrap();
    {
        let library = skladnica_core::Library::open(&lib.root()).unwrap();
        let index = library.index();
        let mut writer = index.writer(1, 32 << 20).unwrap();
        index.delete(&writer, id);
        let rev = skladnica_core::db::state::last_rev(library.conn()).unwrap();
        index.commit(&mut writer, rev).unwrap();
    }
    let report = lib.json(["check", "--json"], 1);
    let codes: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"blob_orphan"), "{report:#}");
    assert!(codes.contains(&"index_missing"), "{report:#}");
    let repaired = lib.json(["check", "--json", "--repair"], 0);
    assert_eq!(repaired["clean"], true, "{repaired:#}");
    lib.assert_clean();

    // A damaged original cannot be derived: reported, not "repaired".
    let blob = lib.root().join("blobs").join(&sha[..2]).join(&sha);
    assert!(std::fs::metadata(&blob).unwrap().permissions().readonly());
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&blob, perms).unwrap();
    std::fs::write(&blob, b"changed on disk").unwrap();
    let report = lib.json(["check", "--json", "--repair"], 1);
    let p = &report["problems"][0];
    assert_eq!(p["code"], "blob_corrupt");
    assert_eq!(p["repairable"], false);
    let out = lib.run(["check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("restore from a backup"));
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let lib = library_with_docs(1);
    let db = rusqlite_open(&lib);
    db.pragma_update(None, "user_version", 999).unwrap();
    drop(db);
    let out = lib.run(["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer"), "{err}");
}

fn rusqlite_open(lib: &Lib) -> skladnica_core::db::Connection {
    skladnica_core::db::Connection::open(lib.root().join("skladnica.sqlite")).unwrap()
}
