//! Verifying a paczka archiwalna as it lies on a carrier: every file named in the manifest is
//! there with its SHA-256; nothing is there that the manifest does not name; no name leaves the
//! package and no entry is a link; each content file has its metadata XML and each metadata XML
//! its file; each metadata XML is an `ndap:dokument`; the confirmation states the manifest's
//! checksum. With a schema given (the archive's XSD) and `xmllint` installed, each metadata file
//! is also validated against it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;
use std::process::Command;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::names::is_inside;
use super::{CONFIRMATION, MANIFEST};
use crate::error::{Error, Result};

/// One thing wrong with a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned, inside the package.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// What verifying found.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Files whose checksum was computed.
    pub files_checked: usize,
    /// Their total size.
    pub bytes: u64,
    /// Metadata files validated against the given schema (0 when none was given).
    pub schema_checked: usize,
    /// Everything wrong, by path; empty for a sound package.
    pub problems: Vec<Problem>,
}

/// Verifies what is in `dir`: a full backup (a BagIt bag) or a paczka archiwalna.
pub fn verify(dir: &Path, schema: Option<&Path>) -> Result<VerifyReport> {
    if super::backup::is_bag(dir) {
        super::backup::verify_bag(dir)
    } else {
        verify_package(dir, schema)
    }
}

/// Verifies the package in `dir`; `schema` is an XSD each metadata file is validated against
/// (with `xmllint`). Errors only when `dir` is no package at all; every flaw found in one is a
/// [`Problem`].
pub fn verify_package(dir: &Path, schema: Option<&Path>) -> Result<VerifyReport> {
    verify_package_with(dir, schema, &mut |p| hash_file(&dir.join(p)))
}

/// [`verify_package`], with `hash(path)` giving each listed file's SHA-256 and size (an export
/// has read back and hashed each file as it wrote it).
pub(super) fn verify_package_with(
    dir: &Path,
    schema: Option<&Path>,
    hash: &mut dyn FnMut(&str) -> std::io::Result<(String, u64)>,
) -> Result<VerifyReport> {
    let manifest_path = dir.join(MANIFEST);
    let manifest = fs::read_to_string(&manifest_path).map_err(|e| {
        Error::Invalid(format!(
            "{}: not a package: its manifest {MANIFEST} cannot be read ({e})",
            dir.display()
        ))
    })?;
    let mut problems = Vec::new();
    let mut say = recorder(&mut problems);

    let listed = parse_manifest(&manifest, MANIFEST, &mut say);

    // What is really there (links are not followed, and are themselves a problem).
    let mut present = BTreeSet::new();
    walk(dir, "", &mut present, &mut say)?;
    for own in [MANIFEST, CONFIRMATION] {
        present.remove(own);
    }

    let (files_checked, bytes) = check_listed(hash, &listed, &present, &mut say);
    for path in present.difference(&listed.keys().cloned().collect()) {
        say(path, "not listed in the manifest".into());
    }

    // Content files and metadata pair up.
    let content: BTreeSet<&str> = present
        .iter()
        .filter_map(|p| p.strip_prefix("dokumenty/"))
        .collect();
    let described: BTreeSet<&str> = present
        .iter()
        .filter_map(|p| p.strip_prefix("metadane/dokumenty/")?.strip_suffix(".xml"))
        .collect();
    for file in content.difference(&described) {
        say(
            &format!("dokumenty/{file}"),
            "has no metadata file in metadane/".into(),
        );
    }
    for file in described.difference(&content) {
        say(
            &format!("metadane/dokumenty/{file}.xml"),
            "describes a file that is not in dokumenty/".into(),
        );
    }
    let metadata: Vec<String> = present
        .iter()
        .filter(|p| p.starts_with("metadane/"))
        .cloned()
        .collect();
    for path in &metadata {
        match fs::read_to_string(dir.join(path)) {
            Ok(xml)
                if xml.contains("<ndap:dokument")
                    && xml.trim_end().ends_with("</ndap:dokument>") => {}
            Ok(_) => say(path, "is not an ndap:dokument metadata file".into()),
            Err(e) => say(path, format!("cannot be read as text: {e}")),
        }
    }

    // The confirmation states the manifest's checksum.
    let stated = fs::read_to_string(dir.join(CONFIRMATION)).unwrap_or_default();
    let checksum = crate::blobs::sha256_hex(manifest.as_bytes());
    if stated.is_empty() {
        say(CONFIRMATION, "missing".into());
    } else if !stated.contains(&checksum) {
        say(
            CONFIRMATION,
            format!("does not state the manifest's checksum {checksum}"),
        );
    }

    let mut schema_checked = 0;
    if let Some(xsd) = schema {
        schema_checked = validate(dir, xsd, &metadata, &mut say)?;
    }
    drop(say);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(VerifyReport {
        files_checked,
        bytes,
        schema_checked,
        problems,
    })
}

/// The entries of a manifest in `sha256sum` format (`<sha256>  <path>`, or `*` before the path
/// for binary mode) by path; malformed lines, names leaving the folder and repeated names are
/// problems.
pub(super) fn parse_manifest(
    text: &str,
    name: &str,
    say: &mut impl FnMut(&str, String),
) -> BTreeMap<String, String> {
    let mut listed = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = line.split_once(' ').and_then(|(sum, rest)| {
            let path = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*'))?;
            let ok = sum.len() == 64 && sum.chars().all(|c| c.is_ascii_hexdigit());
            ok.then(|| (sum.to_ascii_lowercase(), path.to_string()))
        });
        let Some((sum, path)) = parsed else {
            say(name, format!("line {}: not \"<sha256>  <file>\"", n + 1));
            continue;
        };
        if !is_inside(&path) {
            say(
                &path,
                format!("{name} line {}: the name leaves the package", n + 1),
            );
            continue;
        }
        if listed.insert(path.clone(), sum).is_some() {
            say(&path, format!("{name} line {}: listed twice", n + 1));
        }
    }
    listed
}

/// Hashes (with `hash`) every listed file that is present and compares; returns the files
/// hashed and their size.
pub(super) fn check_listed(
    hash: &mut dyn FnMut(&str) -> std::io::Result<(String, u64)>,
    listed: &BTreeMap<String, String>,
    present: &BTreeSet<String>,
    say: &mut impl FnMut(&str, String),
) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for (path, sum) in listed {
        if !present.contains(path) {
            say(path, "listed in the manifest but missing".into());
            continue;
        }
        match hash(path) {
            Ok((actual, size)) => {
                files += 1;
                bytes += size;
                if &actual != sum {
                    say(
                        path,
                        format!(
                            "checksum differs from the manifest's: the file is {actual}, the \
                             manifest says {sum}"
                        ),
                    );
                }
            }
            Err(e) => say(path, format!("cannot be read: {e}")),
        }
    }
    (files, bytes)
}

/// A `say(path, reason)` that records each problem in `problems`.
pub(super) fn recorder(problems: &mut Vec<Problem>) -> impl FnMut(&str, String) + '_ {
    |path: &str, reason: String| {
        problems.push(Problem {
            path: path.to_string(),
            reason,
        })
    }
}

/// Collects the package's files as `/`-separated relative paths; a link or anything but a file
/// or folder is a problem.
pub(super) fn walk(
    dir: &Path,
    prefix: &str,
    out: &mut BTreeSet<String>,
    say: &mut impl FnMut(&str, String),
) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        if kind.is_symlink() {
            say(
                &relative,
                "is a link; a package holds only files and folders".into(),
            );
        } else if kind.is_dir() {
            walk(&entry.path(), &relative, out, say)?;
        } else if kind.is_file() {
            out.insert(relative);
        } else {
            say(&relative, "is not a regular file".into());
        }
    }
    Ok(())
}

pub(super) fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    thread_local! {
        // One buffer per thread, not a new one zeroed for every file.
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; 256 << 10]);
    }
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut size = 0;
    BUF.with_borrow_mut(|buf| -> std::io::Result<()> {
        loop {
            let n = f.read(buf)?;
            if n == 0 {
                return Ok(());
            }
            hasher.update(&buf[..n]);
            size += n as u64;
        }
    })?;
    Ok((format!("{:x}", hasher.finalize()), size))
}

/// Validates the metadata files against `xsd` with `xmllint`, a few hundred at a time; each
/// file it reports is a problem. Returns how many were validated.
fn validate(
    dir: &Path,
    xsd: &Path,
    files: &[String],
    say: &mut impl FnMut(&str, String),
) -> Result<usize> {
    if !xsd.is_file() {
        return Err(Error::Invalid(format!(
            "{}: no such schema file",
            xsd.display()
        )));
    }
    for chunk in files.chunks(200) {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(xsd)
            .args(chunk)
            .current_dir(dir)
            .output()
            .map_err(|e| {
                Error::Invalid(format!(
                    "validating against {} needs xmllint (Debian: libxml2-utils): {e}",
                    xsd.display()
                ))
            })?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        for file in chunk {
            let failed = stderr
                .lines()
                .filter(|l| {
                    l.starts_with(&format!("{file}:")) || l == &format!("{file} fails to validate")
                })
                .filter(|l| !l.ends_with("validates"))
                .map(|l| {
                    l.strip_prefix(&format!("{file}:"))
                        .unwrap_or(l)
                        .trim()
                        .to_string()
                })
                .collect::<Vec<_>>();
            if !failed.is_empty() {
                say(
                    file,
                    format!("not valid against {}: {}", xsd.display(), failed.join("; ")),
                );
            }
        }
    }
    Ok(files.len())
}
