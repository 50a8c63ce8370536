//! Polish text analysis for tantivy.
//!
//! tantivy's stemmers have no Polish. This crate reads the Morfologik PoliMorf dictionary (a
//! CFSA2 automaton of 3.5 million word forms with their lemmas, BSD-2) that ships in
//! `assets/morfologik/`, and registers tokenizers that index each word by its exact form and by
//! its lemmas; it also puts Polish letters back into words typed without them. See `ARCHITECTURE.md` for why
//! lemmas and not a stemmer.

mod analyzer;
mod fold;
mod fsa;
mod morfologik;
mod stempel;
mod stopwords;

pub use analyzer::{Analysis, MAX_TOKEN_BYTES, Mode, PolishTokenizer, analyze, lemmas, words};
pub use fold::{fold_diacritics, has_diacritics};
pub use fsa::FsaError;
pub use morfologik::Morfologik;
pub use stempel::{Stempel, TableError};
pub use stopwords::is_stopword;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

/// Name of the lemma analyzer in a tantivy schema.
pub const LEMMA: &str = "pl_lemma";
/// Name of the exact-form analyzer.
pub const EXACT: &str = "pl_exact";
/// Registers the Polish analyzers under [`LEMMA`] and [`EXACT`].
pub fn register(manager: &TokenizerManager) {
    for (name, mode) in [(LEMMA, Mode::Lemma), (EXACT, Mode::Exact)] {
        manager.register(name, TextAnalyzer::from(PolishTokenizer::new(mode)));
    }
}
