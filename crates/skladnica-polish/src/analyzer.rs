//! The Polish tokenizer for tantivy, in two modes that feed two index fields.
//!
//! - [`Mode::Exact`]: the lower-cased form as written; it ranks exact forms first and is what
//!   fuzzy matching of OCR errors works on.
//! - [`Mode::Lemma`]: every word becomes its Morfologik lemmas (all of them, at one position), so
//!   that `umowy`, `umowie` and `umową` all index as `umowa`. Words the dictionary does not know
//!   (rare derivations, names, OCR-damaged words) index as themselves and as the Stempel
//!   stemmer's guess at their lemma (`wyostrzeniami` → `wyostrzyć`); numbers and codes as
//!   themselves.
//!
//! Diacritics are handled at query time, not in the index (which keeps it small): a word typed
//! without Polish letters is also searched as the spellings the dictionary knows with them
//! ([`crate::Morfologik::restore_diacritics`]), and a word typed with them also as its folded
//! form, for documents written without.
//!
//! Both split on anything that is not a letter or digit, lower-case, and drop Polish stopwords
//! while keeping their positions (so phrases still line up). [`analyze`] does both in one pass,
//! for indexing pre-tokenized text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::morfologik::Morfologik;
use crate::stempel::Stempel;
use crate::stopwords::is_stopword;

/// Words longer than this (in bytes) are not indexed: they are noise (base64, hashes, OCR junk).
pub const MAX_TOKEN_BYTES: usize = 80;
/// Unknown words shorter than this are not given to the stemmer (abbreviations, initials).
const MIN_STEMMED_CHARS: usize = 4;
/// A thread's lemma cache is emptied when it grows past this many words.
const CACHE_LIMIT: usize = 400_000;

/// FxHash (as in rustc): a fast hash for short keys; the cache is not exposed to attackers'
/// choice of keys beyond the words of imported documents, and is bounded.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Cache = HashMap<Box<str>, Arc<[String]>, BuildHasherDefault<FxHasher>>;

thread_local! {
    /// Lemmas of the words this thread has seen. Per thread, so that tantivy's indexing threads
    /// never wait for each other; they live as long as the index writer, so it stays warm.
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// What the tokenizer emits for each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Lemmas (or the word itself when unknown).
    Lemma,
    /// The lower-cased word as written.
    Exact,
}

/// The tokens of one text for both fields, from one pass over it.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Lower-cased forms as written.
    pub exact: Vec<Token>,
    /// Lemmas, several at one position.
    pub lemma: Vec<Token>,
}

/// A tantivy tokenizer for Polish text; see the module documentation.
#[derive(Clone)]
pub struct PolishTokenizer {
    mode: Mode,
    analysis: Analysis,
}

impl PolishTokenizer {
    /// A tokenizer in the given mode over the embedded PoliMorf dictionary.
    pub fn new(mode: Mode) -> Self {
        PolishTokenizer {
            mode,
            analysis: Analysis::default(),
        }
    }
}

/// The lower-cased lemmas of a word (the word itself when it is unknown), cached.
pub fn lemmas(lower: &str) -> Arc<[String]> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(found) = cache.get(lower) {
            return found.clone();
        }
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let made: Arc<[String]> = lemmatize(Morfologik::polish(), lower).into();
        cache.insert(lower.into(), made.clone());
        made
    })
}

/// Analyses `text` for both fields in one pass: word splitting, lower-casing and stopwords
/// once, then the exact form for one field and lemmas plus folded variants for the other.
pub fn analyze(text: &str) -> Analysis {
    let mut out = Analysis::default();
    analyze_into(text, &mut out, true, true);
    out
}

fn analyze_into(text: &str, out: &mut Analysis, want_exact: bool, want_lemma: bool) {
    out.exact.clear();
    out.lemma.clear();
    let mut lower = String::new();
    for (position, (from, to)) in words(text).enumerate() {
        let original = &text[from..to];
        if original.len() > MAX_TOKEN_BYTES {
            continue;
        }
        lower.clear();
        lower.extend(original.chars().flat_map(char::to_lowercase));
        if is_stopword(&lower) {
            continue;
        }
        let token = |text: String| Token {
            offset_from: from,
            offset_to: to,
            position,
            text,
            position_length: 1,
        };
        if want_exact {
            out.exact.push(token(lower.clone()));
        }
        if want_lemma {
            let start = out.lemma.len();
            let mut push = |term: String| {
                if !out.lemma[start..].iter().any(|t| t.text == term) {
                    out.lemma.push(token(term));
                }
            };
            for lemma in lemmas(&lower).iter() {
                push(lemma.clone());
            }
        }
    }
}

/// The lemmas of a word: its lower-case form in the dictionary, else the form as capitalised
/// (proper names are stored capitalised: `Warszawie` → `Warszawa`), else the word itself.
fn lemmatize(dict: &Morfologik, lower: &str) -> Vec<String> {
    // Numbers, codes and signs are not in the dictionary.
    if lower.bytes().any(|b| b.is_ascii_digit()) {
        return vec![lower.to_string()];
    }
    let mut found = Vec::new();
    dict.lemmas_into(lower, &mut found);
    if found.is_empty() {
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            let capitalised: String = first.to_uppercase().chain(chars).collect();
            dict.lemmas_into(&capitalised, &mut found);
        }
    }
    if found.is_empty() {
        // Not in the dictionary: the word as written, and Stempel's guess at its lemma.
        let mut out = vec![lower.to_string()];
        if lower.chars().count() >= MIN_STEMMED_CHARS
            && lower.chars().all(char::is_alphabetic)
            && let Some(stem) = Stempel::polish().stem(lower)
        {
            let stem = stem.to_lowercase();
            if stem != lower && stem.chars().count() >= 2 {
                out.push(stem);
            }
        }
        return out;
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
        let exact = self.mode == Mode::Exact;
        analyze_into(text, &mut self.analysis, exact, !exact);
        let tokens = if exact {
            &mut self.analysis.exact
        } else {
            &mut self.analysis.lemma
        };
        PolishTokenStream {
            tokens,
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
        assert_eq!(lemma_terms("Kowalskiemuxyz")[0], "kowalskiemuxyz");
        // Unknown words also get the stemmer's guess at their lemma.
        let t = lemma_terms("wyostrzeniami");
        assert_eq!(t, ["wyostrzeniami", "wyostrzyć"]);
    }

    #[test]
    fn lemma_mode_keeps_diacritics() {
        let t: Vec<String> = terms(Mode::Lemma, "zaświadczenia")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert!(t.contains(&"zaświadczenie".to_string()), "{t:?}");
        assert!(!t.iter().any(|t| t.contains("zaswiadcz")), "{t:?}");
        assert_eq!(terms(Mode::Exact, "zaświadczenia")[0].1, "zaświadczenia");
    }

    #[test]
    fn one_pass_analysis_matches_the_tokenizers() {
        let text = "Wniosek o wydanie zaświadczeń, § 3 ust. 2 — Łódź 2024";
        let a = analyze(text);
        let exact: Vec<String> = terms(Mode::Exact, text).into_iter().map(|t| t.1).collect();
        let lemma: Vec<String> = terms(Mode::Lemma, text).into_iter().map(|t| t.1).collect();
        assert_eq!(
            a.exact.iter().map(|t| t.text.clone()).collect::<Vec<_>>(),
            exact
        );
        assert_eq!(
            a.lemma.iter().map(|t| t.text.clone()).collect::<Vec<_>>(),
            lemma
        );
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
