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
        // Only the encoded lemma is needed, not the tags after the next separator.
        self.fsa
            .for_each_until(node, SEPARATOR, MAX_ANALYSES, |encoded| {
                let Some(lemma) = decode(source, encoded) else {
                    return;
                };
                if !out[before..].iter().any(|l| l == &lemma) {
                    out.push(lemma);
                }
            });
        out.len() - before
    }

    /// Spellings of `word` with Polish letters put back that the dictionary knows
    /// (`zaswiadczenie` → `zaświadczenie`; `zolw` → `żółw`), at most `limit`. The word as given is
    /// not among them. Each letter that has a Polish counterpart (a c e l n o s z) is tried both
    /// ways while walking the automaton, so only existing prefixes are followed.
    pub fn restore_diacritics(&self, word: &str, limit: usize) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let mut out = Vec::new();
        let mut buf = String::with_capacity(word.len() + 8);
        self.restore(self.fsa.root_node(), &chars, &mut buf, &mut out, limit);
        out.retain(|w| w != word);
        out
    }

    fn restore(
        &self,
        node: usize,
        rest: &[char],
        buf: &mut String,
        out: &mut Vec<String>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        let Some((&c, tail)) = rest.split_first() else {
            if self.fsa.find_arc(node, SEPARATOR).is_some() {
                out.push(buf.clone());
            }
            return;
        };
        for alt in std::iter::once(c).chain(polish_variants(c).iter().copied()) {
            let mut utf8 = [0u8; 4];
            let bytes = alt.encode_utf8(&mut utf8).as_bytes();
            let mut current = Some(node);
            for &b in bytes {
                current = current
                    .and_then(|n| self.fsa.find_arc(n, b))
                    .and_then(|arc| self.fsa.target(arc));
            }
            if let Some(next) = current {
                buf.push(alt);
                self.restore(next, tail, buf, out, limit);
                buf.pop();
            }
        }
    }

    /// The distinct lemmas of `form`, in dictionary order.
    pub fn lemmas(&self, form: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.lemmas_into(form, &mut out);
        out
    }
}

/// The Polish letters a Latin letter may stand for when typed without diacritics.
fn polish_variants(c: char) -> &'static [char] {
    match c {
        'a' => &['ą'],
        'c' => &['ć'],
        'e' => &['ę'],
        'l' => &['ł'],
        'n' => &['ń'],
        'o' => &['ó'],
        's' => &['ś'],
        'z' => &['ż', 'ź'],
        'A' => &['Ą'],
        'C' => &['Ć'],
        'E' => &['Ę'],
        'L' => &['Ł'],
        'N' => &['Ń'],
        'O' => &['Ó'],
        'S' => &['Ś'],
        'Z' => &['Ż', 'Ź'],
        _ => &[],
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
    fn restores_polish_letters() {
        let dict = Morfologik::polish();
        assert_eq!(
            dict.restore_diacritics("zaswiadczenie", 8),
            ["zaświadczenie"]
        );
        assert!(
            dict.restore_diacritics("zolw", 8)
                .contains(&"żółw".to_string())
        );
        assert!(
            dict.restore_diacritics("Lodz", 8)
                .contains(&"Łódź".to_string())
        );
        // A word that is already right may have other spellings too (the instrumental).
        assert_eq!(dict.restore_diacritics("umowa", 8), ["umową"]);
        assert!(dict.restore_diacritics("qqq", 8).is_empty());
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
