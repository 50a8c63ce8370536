//! Word form → lemma lookup in the Morfologik PoliMorf dictionary (`assets/morfologik/pl.dict`).
//!
//! Each entry of the automaton is `form + '+' + encoded lemma + '+' + tags`. The lemma is encoded
//! against the form as `{P}{K}{suffix}`: drop `P - 'A'` bytes from the start of the form and
//! `K - 'A'` bytes from its end, then append `suffix` (a code of 255 drops the whole form). This is
//! what `fsa.dict.uses-prefixes=true` in `pl.info` selects.

use std::sync::OnceLock;

use crate::fsa::{Cfsa2, FsaError};

/// The dictionary shipped with the product (BSD-2, see `assets/morfologik/`).
static PL_DICT: &[u8] = include_bytes!("../../../assets/morfologik/pl.dict");

const SEPARATOR: u8 = b'+';
const REMOVE_EVERYTHING: u8 = 255;
/// No Polish form has anywhere near this many analyses; a guard against damage.
const MAX_ANALYSES: usize = 256;

/// A Morfologik dictionary: looks up the lemmas of a word form.
#[derive(Clone)]
pub struct Morfologik {
    fsa: Cfsa2<'static>,
}

impl Morfologik {
    /// Reads a dictionary from bytes (the `.dict` file).
    pub fn from_bytes(data: &'static [u8]) -> Result<Self, FsaError> {
        Ok(Morfologik {
            fsa: Cfsa2::new(data)?,
        })
    }

    /// The embedded PoliMorf dictionary, loaded once.
    pub fn polish() -> &'static Morfologik {
        static DICT: OnceLock<Morfologik> = OnceLock::new();
        DICT.get_or_init(|| {
            Morfologik::from_bytes(PL_DICT)
                .expect("the embedded pl.dict is a valid CFSA2 automaton")
        })
    }

    /// Appends the distinct lemmas of `form` (exactly as spelled; the dictionary is case
    /// sensitive) to `out`. Returns how many were appended.
    pub fn lemmas_into(&self, form: &str, out: &mut Vec<String>) -> usize {
        let before = out.len();
        let mut key = Vec::with_capacity(form.len() + 1);
        key.extend_from_slice(form.as_bytes());
        key.push(SEPARATOR);
        let Some((Some(node), _)) = self.fsa.walk(&key) else {
            return 0;
        };
        let source = form.as_bytes();
        self.fsa.for_each_suffix(node, MAX_ANALYSES, |entry| {
            let Some(lemma) = decode(source, entry) else {
                return;
            };
            if !out[before..].iter().any(|l| l == &lemma) {
                out.push(lemma);
            }
        });
        out.len() - before
    }

    /// The distinct lemmas of `form`, in dictionary order.
    pub fn lemmas(&self, form: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.lemmas_into(form, &mut out);
        out
    }
}

/// Decodes `{P}{K}{suffix}+tags` against the source form.
fn decode(source: &[u8], entry: &[u8]) -> Option<String> {
    if entry.len() < 2 {
        return None;
    }
    let end = entry[2..]
        .iter()
        .position(|&b| b == SEPARATOR)
        .map_or(entry.len(), |p| p + 2);
    let trim = |code: u8| -> usize {
        let n = code.wrapping_sub(b'A');
        if n == REMOVE_EVERYTHING {
            source.len()
        } else {
            n as usize
        }
    };
    let (prefix, suffix) = (trim(entry[0]), trim(entry[1]));
    let mut lemma = Vec::with_capacity(source.len() + 8);
    if prefix + suffix <= source.len() {
        lemma.extend_from_slice(&source[prefix..source.len() - suffix]);
    } else if prefix < source.len() {
        lemma.extend_from_slice(&source[prefix..]);
    }
    lemma.extend_from_slice(&entry[2..end]);
    String::from_utf8(lemma).ok().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(form: &str) -> Vec<String> {
        Morfologik::polish().lemmas(form)
    }

    #[test]
    fn decodes_nouns_with_mobile_vowels_and_alternations() {
        assert!(lemmas("umowy").contains(&"umowa".to_string()));
        assert!(lemmas("umową").contains(&"umowa".to_string()));
        assert!(lemmas("umowie").contains(&"umowa".to_string()));
        assert!(lemmas("wniosku").contains(&"wniosek".to_string()));
        assert!(lemmas("wnioskiem").contains(&"wniosek".to_string()));
        assert!(lemmas("rachunku").contains(&"rachunek".to_string()));
        assert!(lemmas("zarządzenia").contains(&"zarządzenie".to_string()));
    }

    #[test]
    fn decodes_prefix_changes_and_suppletion() {
        // Superlatives carry a "naj" prefix that the lemma drops.
        assert!(lemmas("najlepszy").contains(&"dobry".to_string()));
        assert!(lemmas("ludzie").contains(&"człowiek".to_string()));
    }

    #[test]
    fn unknown_words_have_no_lemma() {
        assert!(lemmas("qwxzptk").is_empty());
        assert!(lemmas("").is_empty());
    }

    #[test]
    fn proper_names_are_capitalised_in_the_dictionary() {
        assert!(lemmas("Warszawie").contains(&"Warszawa".to_string()));
    }
}
