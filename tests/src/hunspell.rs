//! Word paradigms from the Hunspell pl_PL dictionary (`../shared/reference/nlp/hunspell_pl`):
//! each stem with its suffix rules applied. The search-quality benchmark uses them to pick
//! query forms from a source independent of the Morfologik dictionary the product uses.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
enum Cond {
    Char(char),
    Class(bool, Vec<char>),
    Any,
}

#[derive(Debug, Clone)]
struct Rule {
    strip: String,
    add: String,
    cond: Vec<Cond>,
}

/// The suffix rules of an affix file.
pub struct Hunspell {
    rules: HashMap<char, Vec<Rule>>,
}

fn latin2(path: &Path) -> String {
    let out = Command::new("iconv")
        .args(["-f", "ISO-8859-2", "-t", "UTF-8"])
        .arg(path)
        .output()
        .expect("iconv runs");
    String::from_utf8(out.stdout).expect("iconv gives UTF-8")
}

fn parse_cond(s: &str) -> Vec<Cond> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => out.push(Cond::Any),
            '[' => {
                let mut j = i + 1;
                let neg = chars.get(j) == Some(&'^');
                if neg {
                    j += 1;
                }
                let mut set = Vec::new();
                while j < chars.len() && chars[j] != ']' {
                    set.push(chars[j]);
                    j += 1;
                }
                out.push(Cond::Class(neg, set));
                i = j;
            }
            c => out.push(Cond::Char(c)),
        }
        i += 1;
    }
    out
}

impl Rule {
    fn applies(&self, word: &[char]) -> bool {
        if self.cond.len() > word.len() {
            return false;
        }
        let tail = &word[word.len() - self.cond.len()..];
        self.cond.iter().zip(tail).all(|(c, w)| match c {
            Cond::Any => true,
            Cond::Char(x) => x == w,
            Cond::Class(neg, set) => set.contains(w) != *neg,
        })
    }
}

impl Hunspell {
    /// Reads `pl_PL.aff`; returns the rules and the `.dic` entries (stem, flags).
    pub fn load(dir: &Path) -> (Hunspell, Vec<(String, Vec<char>)>) {
        let aff = latin2(&dir.join("pl_PL.aff"));
        let mut rules: HashMap<char, Vec<Rule>> = HashMap::new();
        for line in aff.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() >= 5 && f[0] == "SFX" {
                let flag = f[1].chars().next().unwrap();
                let strip = if f[2] == "0" { "" } else { f[2] };
                let add = f[3].split('/').next().unwrap();
                let add = if add == "0" { "" } else { add };
                rules.entry(flag).or_default().push(Rule {
                    strip: strip.to_string(),
                    add: add.to_string(),
                    cond: parse_cond(f[4]),
                });
            }
        }
        let dic = latin2(&dir.join("pl_PL.dic"));
        let entries = dic
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (stem, flags) = l.split_once('/').unwrap_or((l, ""));
                let stem = stem.trim();
                (!stem.is_empty()).then(|| (stem.to_string(), flags.trim().chars().collect()))
            })
            .collect();
        (Hunspell { rules }, entries)
    }

    /// The lower-cased forms of a common word's paradigm (`None` for proper names, which the
    /// dictionary capitalises).
    pub fn common_forms(&self, stem: &str, flags: &[char]) -> Option<Vec<String>> {
        if stem.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        Some(
            self.forms(stem, flags)
                .into_iter()
                .map(|f| f.to_lowercase())
                .collect(),
        )
    }

    /// The stem and every form its flags' suffix rules make.
    pub fn forms(&self, stem: &str, flags: &[char]) -> Vec<String> {
        let chars: Vec<char> = stem.chars().collect();
        let mut out = vec![stem.to_string()];
        for flag in flags {
            for rule in self.rules.get(flag).into_iter().flatten() {
                if rule.applies(&chars) && stem.ends_with(&rule.strip) {
                    let base = &stem[..stem.len() - rule.strip.len()];
                    let form = format!("{base}{}", rule.add);
                    if !out.contains(&form) {
                        out.push(form);
                    }
                }
            }
        }
        out
    }
}
