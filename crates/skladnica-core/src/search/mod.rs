//! Full-text search: the query language ([`query`]) turned into tantivy queries over the Polish
//! fields, ranked by BM25 with a title boost, with highlighted snippets and facet counts.
//!
//! Each word matches its exact form, any form of its lemmas, and its form without diacritics,
//! with boosts that rank those in that order. If a query finds nothing, it is run again with
//! fuzzy matching of each word (edit distance 1, or 2 for long words), for OCR-damaged text.

pub mod facets;
pub mod index;
pub mod query;

use std::collections::HashMap;
use std::ops::Bound;

use serde::Serialize;
use skladnica_polish::{Mode, PolishTokenizer, has_diacritics};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::{DocAddress, TantivyDocument, Term};

use crate::db::documents;
use crate::error::{Error, Result};
use crate::library::Library;
use facets::{FacetCollector, Facets};
use index::Fields;
use query::{Clause, Filter, Part, Scope};

/// Boosts: exact forms over other inflections over forms without diacritics; title over text.
const BOOST_EXACT: f32 = 1.0;
const BOOST_LEMMA: f32 = 0.8;
const BOOST_FOLD: f32 = 0.3;
const BOOST_FUZZY: f32 = 0.2;
const BOOST_TITLE: f32 = 2.5;
/// Most lemma combinations tried for one phrase.
const MAX_PHRASE_VARIANTS: usize = 16;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 180;

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip (for paging).
    pub offset: usize,
    /// Whether to compute snippets.
    pub snippets: bool,
    /// Whether to count facets.
    pub facets: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 20,
            offset: 0,
            snippets: true,
            facets: true,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Document id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// BM25 score.
    pub score: f32,
    /// A passage with the matches in `<b>…</b>` (HTML-escaped otherwise).
    pub snippet: String,
}

/// The results of a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many documents match.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// Counts by year, kind, format and JRWA symbol over all matches.
    pub facets: Facets,
    /// True when nothing matched exactly and these are fuzzy matches.
    pub fuzzy: bool,
}

/// Runs a query against the library.
pub fn search(lib: &Library, input: &str, opts: &SearchOptions) -> Result<SearchResults> {
    let parts = query::parse(input)?;
    let fields = lib.index().fields;
    let mut builder = Builder::new(fields);
    let exact = builder.build(&parts, false)?;
    let searcher = lib.index().reader().searcher();
    let run = |q: &dyn Query| -> Result<Collected> {
        let top = TopDocs::with_limit(opts.limit.max(1))
            .and_offset(opts.offset)
            .order_by_score();
        let collectors = (top, Count, FacetCollector::new(opts.facets));
        searcher
            .search(q, &collectors)
            .map_err(|e| Error::index("searching", e))
    };
    let (mut top, mut total, mut facets) = run(exact.as_ref())?;
    let mut used = exact;
    let mut fuzzy = false;
    if total == 0 && builder.has_words {
        let fuzzy_query = builder.build(&parts, true)?;
        (top, total, facets) = run(fuzzy_query.as_ref())?;
        used = fuzzy_query;
        fuzzy = true;
    }
    let generators = if opts.snippets && builder.has_words {
        let mut g = Vec::new();
        for field in [fields.body, fields.body_exact, fields.body_fold] {
            if let Ok(mut gen_) = SnippetGenerator::create(&searcher, used.as_ref(), field) {
                gen_.set_max_num_chars(SNIPPET_CHARS);
                g.push(gen_);
            }
        }
        g
    } else {
        Vec::new()
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top.into_iter().take(opts.limit) {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(|e| Error::index("reading a hit", e))?;
        let Some(id) = doc.get_first(fields.id).and_then(|v| v.as_u64()) else {
            continue;
        };
        let id = id as i64;
        let (title, body) = if opts.snippets {
            let title = title_of(lib, id)?;
            (title, documents::body_text(lib.conn(), id)?)
        } else {
            (title_of(lib, id)?, String::new())
        };
        let snippet = if opts.snippets {
            snippet(&generators, &body)
        } else {
            String::new()
        };
        hits.push(SearchHit {
            id,
            title,
            score,
            snippet,
        });
    }
    Ok(SearchResults {
        total,
        hits,
        facets,
        fuzzy,
    })
}

fn title_of(lib: &Library, id: i64) -> Result<String> {
    lib.conn()
        .prepare_cached("SELECT title FROM documents WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)))
        .map_err(|e| Error::sqlite(format!("reading the title of document {id}"), e))
}

/// The first generator that highlights something; else the start of the text.
fn snippet(generators: &[SnippetGenerator], body: &str) -> String {
    for g in generators {
        let s = g.snippet(body);
        if !s.highlighted().is_empty() {
            return s.to_html();
        }
    }
    let start: String = body.chars().take(SNIPPET_CHARS).collect();
    html_escape(start.trim())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Top hits, the total and the facets of one run of a query.
type Collected = (Vec<(f32, DocAddress)>, usize, Facets);

/// Tokens of one text, grouped by position.
type Positions = Vec<(usize, Vec<String>)>;

struct Builder {
    f: Fields,
    lemma: PolishTokenizer,
    exact: PolishTokenizer,
    fold: PolishTokenizer,
    has_words: bool,
}

impl Builder {
    fn new(f: Fields) -> Self {
        Builder {
            f,
            lemma: PolishTokenizer::new(Mode::Lemma),
            exact: PolishTokenizer::new(Mode::Exact),
            fold: PolishTokenizer::new(Mode::Fold),
            has_words: false,
        }
    }

    fn build(&mut self, parts: &[Part], fuzzy: bool) -> Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut positive = false;
        let mut only_stopwords = false;
        for part in parts {
            let q = match &part.clause {
                Clause::Text {
                    text,
                    phrase,
                    scope,
                } => match self.text(text, *phrase, *scope, fuzzy) {
                    Some(q) => {
                        self.has_words = true;
                        q
                    }
                    None => {
                        only_stopwords = true;
                        continue;
                    }
                },
                Clause::Filter(filter) => self.filter(filter)?,
            };
            if part.negated {
                clauses.push((Occur::MustNot, q));
            } else {
                positive = true;
                clauses.push((Occur::Must, q));
            }
        }
        if !positive {
            if only_stopwords && clauses.is_empty() {
                return Err(Error::Query(
                    "the query has only common words (like \"i\", \"w\", \"oraz\"), which are not \
                     indexed; add a more specific word"
                        .into(),
                ));
            }
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn analyze(tokenizer: &mut PolishTokenizer, text: &str) -> Positions {
        let mut out: Positions = Vec::new();
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            match out.last_mut() {
                Some((p, terms)) if *p == t.position => terms.push(t.text.clone()),
                _ => out.push((t.position, vec![t.text.clone()])),
            }
        }
        out
    }

    /// One word or phrase as a query; `None` when it has only stopwords.
    fn text(
        &mut self,
        text: &str,
        phrase: bool,
        scope: Scope,
        fuzzy: bool,
    ) -> Option<Box<dyn Query>> {
        let exact = Self::analyze(&mut self.exact, text);
        if exact.is_empty() {
            return None;
        }
        let lemma = Self::analyze(&mut self.lemma, text);
        let fold = Self::analyze(&mut self.fold, text);
        let f = self.f;
        let targets: Vec<(Field, Field, Field, f32)> = match scope {
            Scope::Anywhere => vec![
                (f.body_exact, f.body, f.body_fold, 1.0),
                (f.title_exact, f.title, f.title_fold, BOOST_TITLE),
            ],
            Scope::Title => vec![(f.title_exact, f.title, f.title_fold, BOOST_TITLE)],
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let boosted = |q: Box<dyn Query>, b: f32| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(q, b)))
        };
        if exact.len() == 1 {
            for &(fe, fl, ff, boost) in &targets {
                for t in &exact[0].1 {
                    should.push(boosted(term_query(fe, t), BOOST_EXACT * boost));
                    if fuzzy && let Some(d) = fuzzy_distance(t) {
                        let q = FuzzyTermQuery::new(Term::from_field_text(fe, t), d, true);
                        should.push(boosted(Box::new(q), BOOST_FUZZY * boost));
                    }
                }
                for (_, terms) in &lemma {
                    for t in terms {
                        should.push(boosted(term_query(fl, t), BOOST_LEMMA * boost));
                    }
                }
                for (_, terms) in &fold {
                    for t in terms {
                        should.push(boosted(term_query(ff, t), BOOST_FOLD * boost));
                        if fuzzy && let Some(d) = fuzzy_distance(t) {
                            let q = FuzzyTermQuery::new(Term::from_field_text(ff, t), d, true);
                            should.push(boosted(Box::new(q), BOOST_FUZZY * 0.5 * boost));
                        }
                    }
                }
            }
            return Some(Box::new(BooleanQuery::new(should)));
        }
        // Several positions: a phrase (quoted, or a word the analyzer split).
        let _ = phrase;
        for &(fe, fl, ff, boost) in &targets {
            should.push(boosted(phrase_query(fe, &exact), BOOST_EXACT * boost));
            for variant in variants(&lemma) {
                should.push(boosted(phrase_query(fl, &variant), BOOST_LEMMA * boost));
            }
            // Typed without Polish letters: accept the words near enough, in any order.
            if !has_diacritics(text) {
                let all: Vec<(Occur, Box<dyn Query>)> = fold
                    .iter()
                    .map(|(_, terms)| {
                        let alts: Vec<(Occur, Box<dyn Query>)> = terms
                            .iter()
                            .map(|t| (Occur::Should, term_query(ff, t)))
                            .collect();
                        (
                            Occur::Must,
                            Box::new(BooleanQuery::new(alts)) as Box<dyn Query>,
                        )
                    })
                    .collect();
                should.push(boosted(
                    Box::new(BooleanQuery::new(all)),
                    BOOST_FOLD * boost,
                ));
            }
        }
        Some(Box::new(BooleanQuery::new(should)))
    }

    fn filter(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = self.f;
        let u64_range = |field: Field, a: Option<u64>, b: Option<u64>| -> Box<dyn Query> {
            let bound = |v: Option<u64>| match v {
                Some(v) => Bound::Included(Term::from_field_u64(field, v)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(a), bound(b)))
        };
        Ok(match filter {
            Filter::Year(a, b) => u64_range(f.year, *a, *b),
            Filter::Date(r) => u64_range(f.date, r.from, r.to),
            Filter::Kind(k) => term_query_raw(f.kind, k),
            Filter::Format(k) => {
                let k = match k.as_str() {
                    "jpg" => "jpeg",
                    "tif" => "tiff",
                    other => other,
                };
                term_query_raw(f.format, k)
            }
            Filter::Jrwa(symbol) => {
                let pattern = format!("{}.*", regex_escape(symbol));
                Box::new(
                    RegexQuery::from_pattern(&pattern, f.jrwa)
                        .map_err(|e| Error::Query(format!("jrwa:{symbol}: {e}")))?,
                )
            }
        })
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn term_query_raw(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn phrase_query(field: Field, positions: &Positions) -> Box<dyn Query> {
    let base = positions.first().map_or(0, |p| p.0);
    let terms: Vec<(usize, Term)> = positions
        .iter()
        .map(|(p, t)| (p - base, Term::from_field_text(field, &t[0])))
        .collect();
    if terms.len() == 1 {
        return term_query(field, &positions[0].1[0]);
    }
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// Each combination of one lemma per position (at most [`MAX_PHRASE_VARIANTS`]).
fn variants(positions: &Positions) -> Vec<Positions> {
    let mut out: Vec<Positions> = vec![Vec::new()];
    for (p, terms) in positions {
        let mut next = Vec::new();
        for v in &out {
            for t in terms {
                if next.len() >= MAX_PHRASE_VARIANTS {
                    break;
                }
                let mut v = v.clone();
                v.push((*p, vec![t.clone()]));
                next.push(v);
            }
        }
        out = next;
    }
    out
}

/// Edit distance for fuzzy matching: none for short words, 1 for most, 2 for long ones.
fn fuzzy_distance(word: &str) -> Option<u8> {
    match word.chars().count() {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Counts of values, for tests and reports.
pub fn counts_map(values: &[facets::FacetValue]) -> HashMap<String, u64> {
    values.iter().map(|v| (v.value.clone(), v.count)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_variants_are_bounded() {
        let positions: Positions = (0..6)
            .map(|p| (p, vec!["a".to_string(), "b".to_string()]))
            .collect();
        let v = variants(&positions);
        assert!(v.len() <= MAX_PHRASE_VARIANTS && !v.is_empty());
        assert!(v.iter().all(|v| v.len() == 6));
    }

    #[test]
    fn fuzzy_distance_grows_with_length() {
        assert_eq!(fuzzy_distance("akt"), None);
        assert_eq!(fuzzy_distance("umowa"), Some(1));
        assert_eq!(fuzzy_distance("zarządzenie"), Some(2));
    }
}
