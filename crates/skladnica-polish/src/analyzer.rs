//! The Polish tokenizer for tantivy, in three modes that feed three index fields.
//!
//! - [`Mode::Lemma`]: every word becomes its Morfologik lemmas (all of them, at one position), so
//!   that `umowy`, `umowie` and `umową` all index as `umowa`. Words the dictionary does not know
//!   (names, codes, OCR-damaged words) index as themselves.
//! - [`Mode::Exact`]: the lower-cased form as written; used to rank exact forms first and for
//!   fuzzy matching of OCR errors.
//! - [`Mode::Fold`]: the form and its lemmas without diacritics, so that `zaswiadczenie` finds
//!   `zaświadczenie` (ranked below exact forms by the query's boosts).
//!
//! All modes split on anything that is not a letter or digit, lower-case, and drop Polish
//! stopwords while keeping their positions (so phrases still line up).

use std::collections::HashMap;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::fold::fold_diacritics;
use crate::morfologik::Morfologik;
use crate::stopwords::is_stopword;

/// Words longer than this (in bytes) are not indexed: they are noise (base64, hashes, OCR junk).
pub const MAX_TOKEN_BYTES: usize = 80;
/// The per-tokenizer lemma cache is emptied when it grows past this many words.
const CACHE_LIMIT: usize = 200_000;

/// What the tokenizer emits for each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Lemmas (or the word itself when unknown).
    Lemma,
    /// The lower-cased word as written.
    Exact,
    /// The word and its lemmas, lower-cased and without diacritics.
    Fold,
}

/// A tantivy tokenizer for Polish text; see the module documentation.
pub struct PolishTokenizer {
    mode: Mode,
    dict: &'static Morfologik,
    cache: HashMap<String, Box<[String]>>,
    tokens: Vec<Token>,
}

impl Clone for PolishTokenizer {
    fn clone(&self) -> Self {
        // A clone starts with an empty cache: tantivy clones analyzers per indexing thread.
        PolishTokenizer::new(self.mode)
    }
}

impl PolishTokenizer {
    /// A tokenizer in the given mode over the embedded PoliMorf dictionary.
    pub fn new(mode: Mode) -> Self {
        PolishTokenizer {
            mode,
            dict: Morfologik::polish(),
            cache: HashMap::new(),
            tokens: Vec::new(),
        }
    }

    /// The lower-cased lemmas of a word (the lower-cased word itself when it is unknown).
    pub fn lemmas(&mut self, lower: &str, original: &str) -> &[String] {
        if !self.cache.contains_key(lower) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let found = lemmatize(self.dict, lower, original);
            self.cache
                .insert(lower.to_string(), found.into_boxed_slice());
        }
        &self.cache[lower]
    }

    fn analyze(&mut self, text: &str) {
        self.tokens.clear();
        let mut position = 0usize;
        let mut lower = String::new();
        for (from, to) in words(text) {
            let original = &text[from..to];
            if original.len() > MAX_TOKEN_BYTES {
                position += 1;
                continue;
            }
            lower.clear();
            lower.extend(original.chars().flat_map(char::to_lowercase));
            if is_stopword(&lower) {
                position += 1;
                continue;
            }
            let mode = self.mode;
            let start = self.tokens.len();
            let push = |tokens: &mut Vec<Token>, term: String| {
                if !tokens[start..].iter().any(|t| t.text == term) {
                    tokens.push(Token {
                        offset_from: from,
                        offset_to: to,
                        position,
                        text: term,
                        position_length: 1,
                    });
                }
            };
            match mode {
                Mode::Exact => push(&mut self.tokens, lower.clone()),
                Mode::Lemma => {
                    let lemmas = self.lemmas(&lower, original).to_vec();
                    for lemma in lemmas {
                        push(&mut self.tokens, lemma);
                    }
                }
                Mode::Fold => {
                    push(&mut self.tokens, fold_diacritics(&lower));
                    let lemmas = self.lemmas(&lower, original).to_vec();
                    for lemma in lemmas {
                        push(&mut self.tokens, fold_diacritics(&lemma));
                    }
                }
            }
            position += 1;
        }
    }
}

/// The lemmas of a word: its lower-case form in the dictionary, else the form as capitalised
/// (proper names are stored capitalised: `Warszawie` → `Warszawa`), else the word itself.
fn lemmatize(dict: &Morfologik, lower: &str, original: &str) -> Vec<String> {
    let mut found = Vec::new();
    dict.lemmas_into(lower, &mut found);
    if found.is_empty() {
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            let capitalised: String = first.to_uppercase().chain(chars).collect();
            dict.lemmas_into(&capitalised, &mut found);
        }
        if found.is_empty() && original != lower {
            dict.lemmas_into(original, &mut found);
        }
    }
    if found.is_empty() {
        return vec![lower.to_string()];
    }
    let mut out: Vec<String> = Vec::with_capacity(found.len());
    for lemma in found {
        let lemma = lemma.to_lowercase();
        if !out.contains(&lemma) {
            out.push(lemma);
        }
    }
    out
}

/// Byte ranges of the words of `text`: maximal runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (from, _) = iter.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut to = text.len();
        while let Some(&(i, c)) = iter.peek() {
            if c.is_alphanumeric() {
                iter.next();
            } else {
                to = i;
                break;
            }
        }
        Some((from, to))
    })
}

impl Tokenizer for PolishTokenizer {
    type TokenStream<'a> = PolishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PolishTokenStream<'a> {
        self.analyze(text);
        PolishTokenStream {
            tokens: &mut self.tokens,
            index: None,
        }
    }
}

/// The tokens of one text, produced up front by [`PolishTokenizer`].
pub struct PolishTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    index: Option<usize>,
}

impl TokenStream for PolishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.index.map_or(0, |i| i + 1);
        self.index = Some(next);
        next < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index.unwrap_or(0)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index.unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mode: Mode, text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = PolishTokenizer::new(mode);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.position, t.text.clone()));
        }
        out
    }

    fn lemma_terms(text: &str) -> Vec<String> {
        terms(Mode::Lemma, text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn inflected_forms_share_a_lemma() {
        for form in ["umowa", "umowy", "umowie", "umową", "Umowę", "UMOWĄ"] {
            assert!(lemma_terms(form).contains(&"umowa".to_string()), "{form}");
        }
        for form in ["wniosek", "wniosku", "wnioskiem", "wnioski"] {
            assert!(lemma_terms(form).contains(&"wniosek".to_string()), "{form}");
        }
        for form in ["zarządzenie", "zarządzenia", "zarządzeniu"] {
            assert!(
                lemma_terms(form).contains(&"zarządzenie".to_string()),
                "{form}"
            );
        }
    }

    #[test]
    fn stopwords_are_dropped_but_keep_positions() {
        let t = terms(Mode::Exact, "umowa o dzieło");
        assert_eq!(t, [(0, "umowa".to_string()), (2, "dzieło".to_string())]);
    }

    #[test]
    fn unknown_words_and_numbers_index_as_themselves() {
        assert_eq!(lemma_terms("OR.0012.3.2026"), ["or", "0012", "3", "2026"]);
        assert_eq!(lemma_terms("Kowalskiemuxyz"), ["kowalskiemuxyz"]);
    }

    #[test]
    fn fold_mode_drops_diacritics_of_forms_and_lemmas() {
        let t: Vec<String> = terms(Mode::Fold, "zaświadczenia")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert!(t.contains(&"zaswiadczenia".to_string()));
        assert!(t.contains(&"zaswiadczenie".to_string()));
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Łódź, ul. Piotrkowska";
        let mut tokenizer = PolishTokenizer::new(Mode::Exact);
        let mut stream = tokenizer.token_stream(text);
        assert!(stream.advance());
        let t = stream.token();
        assert_eq!(&text[t.offset_from..t.offset_to], "Łódź");
    }
}
