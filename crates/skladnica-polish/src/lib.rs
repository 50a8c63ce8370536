//! Polish text analysis for tantivy.
//!
//! tantivy's stemmers have no Polish. This crate reads the Morfologik PoliMorf dictionary (a
//! CFSA2 automaton of 3.5 million word forms with their lemmas, BSD-2) that ships in
//! `assets/morfologik/`, and registers tokenizers that index each word by its lemmas, its exact
//! form, and its form without diacritics. See `ARCHITECTURE.md` for why lemmas and not a stemmer.

mod analyzer;
mod fold;
mod fsa;
mod morfologik;
mod stopwords;

pub use analyzer::{MAX_TOKEN_BYTES, Mode, PolishTokenizer, words};
pub use fold::{fold_diacritics, has_diacritics};
pub use fsa::FsaError;
pub use morfologik::Morfologik;
pub use stopwords::is_stopword;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

/// Name of the lemma analyzer in a tantivy schema.
pub const LEMMA: &str = "pl_lemma";
/// Name of the exact-form analyzer.
pub const EXACT: &str = "pl_exact";
/// Name of the diacritic-folding analyzer.
pub const FOLD: &str = "pl_fold";

/// Registers the three Polish analyzers under [`LEMMA`], [`EXACT`] and [`FOLD`].
pub fn register(manager: &TokenizerManager) {
    for (name, mode) in [
        (LEMMA, Mode::Lemma),
        (EXACT, Mode::Exact),
        (FOLD, Mode::Fold),
    ] {
        manager.register(name, TextAnalyzer::from(PolishTokenizer::new(mode)));
    }
}
