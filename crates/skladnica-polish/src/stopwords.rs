//! Polish stopwords: the Carrot2 list that Lucene's analysis-stempel ships (BSD, see
//! `assets/stopwords/`), less the abbreviations that clerks search for (`ul`, `dr`, `zł`…).

use std::collections::HashSet;
use std::sync::OnceLock;

static LIST: &str = include_str!("../../../assets/stopwords/lucene_stempel_stopwords_pl.txt");

/// Abbreviations in the list that carry meaning in office records and stay searchable.
const KEPT: &[&str] = &[
    "vol", "mgr", "godz", "zł", "www", "pl", "ul", "tel", "hab", "prof", "inż", "dr",
];

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.starts_with('#') && !w.contains('.'))
            .filter(|w| !KEPT.contains(w))
            .collect()
    })
}

/// True when `lower` (a lower-cased word) is a stopword.
pub fn is_stopword(lower: &str) -> bool {
    set().contains(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_function_words_are_stopwords() {
        for w in ["i", "w", "oraz", "się", "że", "jest"] {
            assert!(is_stopword(w), "{w}");
        }
        for w in ["umowa", "ul", "dr", "gmina"] {
            assert!(!is_stopword(w), "{w}");
        }
    }
}
