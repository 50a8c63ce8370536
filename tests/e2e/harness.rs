//! Running the binary against a temporary library, and reading its JSON.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `skladnica` binary built beside this test (or `$SKLADNICA_BIN`).
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("SKLADNICA_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let bin = dir.join(format!("skladnica{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace` (which builds it) or set SKLADNICA_BIN",
        bin.display()
    );
    bin
}

/// A run's stdout as JSON, asserting its exit code.
pub fn json_of(out: &Output, code: i32) -> Value {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A temporary library and a folder for input files.
pub struct Lib {
    pub dir: tempfile::TempDir,
}

impl Lib {
    pub fn new() -> Lib {
        Lib {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A library the tests of a module share for the whole run (held by a static, so never
    /// dropped): in the build's scratch folder (`target/tmp`), the one an earlier run left there
    /// removed first, so that nothing piles up in the system's temporary folder.
    pub fn shared(name: &str) -> Lib {
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let prefix = format!("{name}-");
        for e in std::fs::read_dir(&scratch).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        Lib {
            dir: tempfile::Builder::new()
                .prefix(&prefix)
                .tempdir_in(&scratch)
                .expect("a folder in target/tmp"),
        }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("library")
    }

    pub fn input(&self) -> PathBuf {
        let p = self.dir.path().join("input");
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// Writes an input file and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.input().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(binary());
        c.arg("--library").arg(self.root());
        c.env_remove("SKLADNICA_LIBRARY");
        c.env("SANE_CONFIG_DIR", self.sane_config(&["test", "pnm"]));
        // Secrets (the EZD key) stay in the test's folder, never in a keyring of the machine's
        // (one test brings a keyring of its own).
        c.env("SKLADNICA_CONFIG_DIR", self.dir.path().join("config"));
        c.env("SKLADNICA_NO_KEYRING", "1");
        c
    }

    /// A SANE configuration folder of the test's own enabling `backends` (SANE's `test` and
    /// `pnm` virtual devices by default), so that no real scanner is touched.
    pub fn sane_config(&self, backends: &[&str]) -> PathBuf {
        let dir = self.dir.path().join(format!("sane-{}", backends.join("-")));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("dll.conf"), backends.join("\n") + "\n").unwrap();
        dir
    }

    /// Runs the binary with `args`.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command().args(args).output().expect("binary runs")
    }

    /// Runs and parses stdout as JSON, asserting the exit code.
    pub fn json<I, S>(&self, args: I, code: i32) -> Value
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        json_of(&self.run(args), code)
    }

    /// Imports paths with `--json` (OCR included), expecting `code`.
    pub fn import(&self, paths: &[&Path], code: i32) -> Value {
        self.import_with(&[], paths, code)
    }

    /// Imports with `--json` and extra options (e.g. `--no-wait`), expecting `code`.
    pub fn import_with(&self, options: &[&str], paths: &[&Path], code: i32) -> Value {
        let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "--json".into()];
        args.extend(options.iter().map(std::ffi::OsString::from));
        args.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
        self.json(args, code)
    }

    /// Writes document `id`'s searchable PDF to `out` (`pdf --json`), returning the report.
    pub fn write_pdf(&self, id: i64, out: &Path) -> Value {
        let id = id.to_string();
        self.json(
            [
                "pdf".as_ref(),
                "--json".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
                std::ffi::OsStr::new(&id),
            ],
            0,
        )
    }

    /// Searches with `--json`.
    pub fn search(&self, query: &str) -> Value {
        self.json(["search", "--json", "--limit", "50", query], 0)
    }

    /// Ids of the documents a query finds.
    pub fn hit_ids(&self, query: &str) -> Vec<i64> {
        self.search(query)["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    }

    /// Adds organisational unit `code` named `name`, existing from `from`.
    pub fn add_unit(&self, code: &str, from: &str, name: &str) {
        self.json(["unit", "add", "--json", "--from", from, code, name], 0);
    }

    /// Opens a case (`case new --json`) and returns it.
    pub fn open_case(&self, unit: &str, jrwa: &str, title: &str, opened: &str) -> Value {
        self.json(
            [
                "case", "new", "--json", "--unit", unit, "--jrwa", jrwa, "--title", title,
                "--opened", opened,
            ],
            0,
        )
    }

    /// Runs a command that must fail (exit code 1, or 2 for arguments clap refuses); returns
    /// its error message.
    pub fn fails<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "expected a failure; stdout: {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// `check --json`, asserting it is clean.
    pub fn assert_clean(&self) {
        let report = self.json(["check", "--json"], 0);
        assert_eq!(report["clean"], true, "{report:#}");
    }
}

/// The id of the single imported document in an import report.
pub fn only_id(report: &Value) -> i64 {
    let imported = report["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 1, "{report:#}");
    imported[0]["id"].as_i64().unwrap()
}

/// A document's metadata entry `key` in `show --json` / `meta show --json`: (value, source).
pub fn meta<'a>(doc: &'a Value, key: &str) -> Option<(&'a str, &'a str)> {
    doc["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .map(|m| (m["value"].as_str().unwrap(), m["source"].as_str().unwrap()))
}

/// Whether the tests run as root (whose writes no permission stops).
pub fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The binary as a user whom permissions stop: `nobody`, through util-linux's `setpriv`, when
/// the tests run as root; else the user running them.
pub fn unprivileged() -> Command {
    if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(binary());
        c
    } else {
        Command::new(binary())
    }
}

/// Every file below `dir` (folders walked, not listed).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
