//! The app's own settings file (`config.json` in the OS config folder): which library it opens.
//! The library to open is, in order: `--library DIR` on the command line, `SKLADNICA_LIBRARY`,
//! the one chosen last in the settings, the default one in the OS data folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Config {
    library: Option<PathBuf>,
}

/// Where the settings file lives.
pub fn config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("pl", "Skladnica", "Skladnica")
        .map(|d| d.config_dir().join("config.json"))
}

/// The library to open at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Its folder.
    pub root: PathBuf,
    /// Whether to create it when missing: yes for the default and for one named on the command
    /// line or in the environment; no for the one remembered from last time (a missing folder
    /// then is an unplugged disk, and a new empty library in its place would hide that).
    pub create: bool,
}

/// The library to open at start.
pub fn library_to_open(args: &[String], config_file: Option<&Path>) -> Option<Choice> {
    let named = |root: PathBuf| Choice { root, create: true };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--library" {
            return it.next().map(PathBuf::from).map(named);
        }
        if let Some(v) = a.strip_prefix("--library=") {
            return Some(named(PathBuf::from(v)));
        }
    }
    if let Some(v) = std::env::var_os("SKLADNICA_LIBRARY").filter(|v| !v.is_empty()) {
        return Some(named(PathBuf::from(v)));
    }
    config_file
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|b| serde_json::from_slice::<Config>(&b).ok())
        .and_then(|c| c.library)
        .map(|root| Choice {
            root,
            create: false,
        })
        .or_else(|| skladnica_core::Library::default_root().map(named))
}

/// Remembers `library` as the one to open next time (best effort: a failure only means the
/// default opens next time).
pub fn remember_library(config_file: Option<&Path>, library: &Path) {
    let Some(file) = config_file else { return };
    let config = Config {
        library: Some(library.to_path_buf()),
    };
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_vec_pretty(&config) {
        let tmp = file.with_extension("json.tmp");
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_then_the_remembered_library() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cfg").join("config.json");
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let root = |v: &[&str]| library_to_open(&args(v), Some(&file)).map(|c| c.root);
        assert_eq!(
            root(&["app", "--library", "/x/lib"]),
            Some(PathBuf::from("/x/lib"))
        );
        assert_eq!(root(&["app", "--library=/y"]), Some(PathBuf::from("/y")));
        if std::env::var_os("SKLADNICA_LIBRARY").is_none() {
            remember_library(Some(&file), Path::new("/z/chosen"));
            assert_eq!(
                library_to_open(&args(&["app"]), Some(&file)),
                Some(Choice {
                    root: PathBuf::from("/z/chosen"),
                    create: false
                })
            );
        }
    }
}
