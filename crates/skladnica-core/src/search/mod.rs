//! Full-text search: the query language ([`query`]) turned into tantivy queries over the Polish
//! fields, ranked by BM25 with a title boost, with highlighted snippets and facet counts.
//!
//! Each word matches its exact form, any form of its lemmas, and its form without diacritics,
//! with boosts that rank those in that order. If a query finds nothing, it is run again with
//! fuzzy matching of each word (edit distance 1, or 2 for long words), for OCR-damaged text.

pub mod facets;
pub mod index;
pub mod query;
pub mod sealed_dir;

use std::collections::HashMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use skladnica_polish::{Mode, PolishTokenizer, fold_diacritics, has_diacritics};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::{DocAddress, DocId, Score, SegmentReader, Term};

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
/// Most lemma combinations enumerated for one phrase.
const MAX_PHRASE_VARIANTS: usize = 16;
/// How many of the best hits are re-ranked by exact forms.
const RERANK_WINDOW: usize = 50;
/// The most a hit's score grows for containing the query's words exactly as typed.
const EXACT_FORM_BONUS: f32 = 0.5;
/// Most spellings with Polish letters tried for a word typed without them.
const MAX_RESTORED: usize = 8;
/// Lemma combinations of a phrase also searched as plain phrases (for highlighting).
const MAX_NAMED_VARIANTS: usize = 4;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 180;

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first (BM25, then the exact forms typed).
    #[default]
    Relevance,
    /// By the document's own date, newest first; undated ones last.
    Newest,
    /// By the document's own date, oldest first; undated ones last.
    Oldest,
}

impl std::str::FromStr for SortOrder {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<SortOrder, String> {
        match fold_diacritics(&s.trim().to_lowercase()).as_str() {
            "relevance" | "trafnosc" => Ok(SortOrder::Relevance),
            "newest" | "najnowsze" => Ok(SortOrder::Newest),
            "oldest" | "najstarsze" => Ok(SortOrder::Oldest),
            _ => Err(format!(
                "sort order \"{s}\" is none of relevance, newest, oldest"
            )),
        }
    }
}

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
    /// The order of the hits.
    pub sort: SortOrder,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 20,
            offset: 0,
            snippets: true,
            facets: true,
            sort: SortOrder::Relevance,
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
    /// A passage with the matches in `<b>…</b>` (HTML-escaped otherwise), personal numbers
    /// masked.
    pub snippet: String,
}

/// The results of a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many documents match.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// Counts by year, kind, format, JRWA symbol and sender over all matches.
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
    // The best RERANK_WINDOW by BM25 (or the page asked for, if further down) are re-ranked
    // with the exact forms the query was typed in; see `rerank`.
    let window = (opts.offset + opts.limit).max(RERANK_WINDOW);
    let run = |q: &dyn Query| -> Result<Collected> {
        let facets = FacetCollector::new(opts.facets);
        let failed = |e| Error::index("searching", e);
        if opts.sort == SortOrder::Relevance {
            let top = TopDocs::with_limit(window).order_by_score();
            return searcher.search(q, &(top, Count, facets)).map_err(failed);
        }
        let top = TopDocs::with_limit(window).tweak_score(by_date(opts.sort));
        let (top, total, facets) = searcher.search(q, &(top, Count, facets)).map_err(failed)?;
        let top = top.into_iter().map(|((_, score), a)| (score, a)).collect();
        Ok((top, total, facets))
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
    let mut ranked = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let ids = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("id")
            .map_err(|e| Error::index("reading a hit", e))?;
        if let Some(id) = ids.first(addr.doc_id) {
            ranked.push((score, id as i64));
        }
    }
    if opts.sort == SortOrder::Relevance {
        // Equal scores (a query of filters only, identical texts) come in id order, whatever
        // the index's segment layout.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let forms = exact_forms(&parts);
    let mut bodies: HashMap<i64, String> = HashMap::new();
    if !forms.is_empty() && ranked.len() > 1 && opts.sort == SortOrder::Relevance {
        for (_, id) in &ranked {
            bodies.insert(*id, documents::body_text(lib.conn(), *id)?);
        }
        rerank(&mut ranked, &forms, &bodies);
    }
    let generators = if opts.snippets && builder.has_words {
        let mut g = Vec::new();
        if let Ok(mut gen_) = SnippetGenerator::create(&searcher, used.as_ref(), fields.body) {
            gen_.set_max_num_chars(SNIPPET_CHARS);
            g.push(gen_);
        }
        g
    } else {
        Vec::new()
    };
    let mut hits = Vec::with_capacity(opts.limit);
    for (score, id) in ranked.into_iter().skip(opts.offset).take(opts.limit) {
        let title = title_of(lib, id)?;
        let snippet = if opts.snippets {
            let body = match bodies.remove(&id) {
                Some(b) => b,
                None => documents::body_text(lib.conn(), id)?,
            };
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

/// The sort key of a hit by date (`order` newest or oldest first, undated last), ties by score.
fn by_date(
    order: SortOrder,
) -> impl Fn(&SegmentReader) -> Box<dyn Fn(DocId, Score) -> (u64, Score)> + Send + Sync + 'static {
    let newest = order == SortOrder::Newest;
    move |segment: &SegmentReader| {
        let dates = segment.fast_fields().u64("date").ok();
        Box::new(move |doc, score| {
            let key = match dates.as_ref().and_then(|c| c.first(doc)) {
                Some(d) if newest => d,
                // Larger keys come first: the oldest date has the largest key; undated, none.
                Some(d) => u64::MAX - d,
                None => 0,
            };
            (key, score)
        })
    }
}

/// The words of the query's positive single-word clauses, lower-cased, as typed.
fn exact_forms(parts: &[Part]) -> Vec<String> {
    let mut out = Vec::new();
    for p in parts {
        if let Clause::Text { text, .. } = &p.clause
            && !p.negated
        {
            let lower = text.to_lowercase();
            let words: Vec<&str> = skladnica_polish::words(&lower)
                .map(|(a, b)| &lower[a..b])
                .collect();
            if words.len() == 1 && !skladnica_polish::is_stopword(words[0]) {
                out.push(words[0].to_string());
            }
        }
    }
    out
}

/// Re-ranks hits: a document that contains a word in exactly the form typed gets up to
/// [`EXACT_FORM_BONUS`] more score, in proportion to how many of the query's words it has so.
/// (The index matches by lemma; exact forms are checked here, on the few best hits, instead of
/// in a second full-text field that would nearly double indexing time.)
fn rerank(ranked: &mut [(f32, i64)], forms: &[String], bodies: &HashMap<i64, String>) {
    for (score, id) in ranked.iter_mut() {
        let Some(body) = bodies.get(id) else { continue };
        let lower = body.to_lowercase();
        let found = forms.iter().filter(|f| contains_word(&lower, f)).count();
        *score *= 1.0 + EXACT_FORM_BONUS * found as f32 / forms.len() as f32;
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
}

/// True when `word` occurs in `text` as a whole word.
fn contains_word(text: &str, word: &str) -> bool {
    let mut start = 0;
    while let Some(i) = text[start..].find(word) {
        let at = start + i;
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        start = end;
    }
    false
}

fn title_of(lib: &Library, id: i64) -> Result<String> {
    lib.conn()
        .prepare_cached("SELECT title FROM documents WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)))
        .map_err(|e| Error::sqlite(format!("reading the title of document {id}"), e))
}

/// The first generator that highlights something; else the start of the text. Personal numbers
/// (PESEL, identity cards) are masked: a search finds the documents that hold one, and a clerk
/// reveals it in the document, where that is logged.
fn snippet(generators: &[SnippetGenerator], body: &str) -> String {
    let body = &*skladnica_records::extract::mask_personal_in(body);
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
    exact: PolishTokenizer,
    has_words: bool,
}

impl Builder {
    fn new(f: Fields) -> Self {
        Builder {
            f,
            exact: PolishTokenizer::new(Mode::Exact),
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
        _phrase: bool,
        scope: Scope,
        fuzzy: bool,
    ) -> Option<Box<dyn Query>> {
        let exact = Self::analyze(&mut self.exact, text);
        if exact.is_empty() {
            return None;
        }
        let f = self.f;
        // (exact-form field if there is one, lemma field, boost)
        let targets: Vec<(Option<Field>, Field, f32)> = match scope {
            Scope::Anywhere => vec![
                (None, f.body, 1.0),
                (Some(f.title_exact), f.title, BOOST_TITLE),
            ],
            Scope::Title => vec![(Some(f.title_exact), f.title, BOOST_TITLE)],
            Scope::Party => vec![(None, f.party, 1.0)],
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let boosted = |q: Box<dyn Query>, b: f32| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(q, b)))
        };
        if exact.len() == 1 {
            // One word: its exact form, its lemmas, and the spellings with or without Polish
            // letters, each weighed.
            let word = &exact[0].1[0];
            let (lemmas, other) = self.word_terms(word);
            for &(fe, fl, boost) in &targets {
                if let Some(fe) = fe {
                    should.push(boosted(term_query(fe, word), BOOST_EXACT * boost));
                }
                for t in &lemmas {
                    should.push(boosted(term_query(fl, t), BOOST_LEMMA * boost));
                }
                for t in &other {
                    should.push(boosted(term_query(fl, t), BOOST_FOLD * boost));
                }
                if fuzzy && let Some(d) = fuzzy_distance(word) {
                    // Words the dictionary does not know (OCR damage) are indexed as written.
                    let q = FuzzyTermQuery::new(Term::from_field_text(fl, word), d, true);
                    should.push(boosted(Box::new(q), BOOST_FUZZY * boost));
                }
            }
            return Some(Box::new(BooleanQuery::new(should)));
        }
        // Several positions: a phrase (quoted, or a word the analyzer split), exact forms first,
        // then any combination of lemmas or forms without diacritics.
        let lemma: Positions = exact
            .iter()
            .map(|(p, terms)| {
                let (mut all, other) = self.word_terms(&terms[0]);
                all.extend(other);
                (*p, all)
            })
            .collect();
        let base = lemma.first().map_or(0, |p| p.0);
        let alternatives: Vec<(usize, String)> = lemma
            .iter()
            .map(|(p, terms)| {
                let alts: Vec<String> = terms.iter().map(|t| regex_escape(t)).collect();
                (p - base, format!("({})", alts.join("|")))
            })
            .collect();
        for &(fe, fl, boost) in &targets {
            if let Some(fe) = fe {
                should.push(boosted(phrase_query(fe, &exact), BOOST_EXACT * boost));
            }
            // Every combination of lemmas and folded forms, position by position.
            let any = RegexPhraseQuery::new_with_offset(fl, alternatives.clone());
            should.push(boosted(Box::new(any), BOOST_LEMMA * boost));
            // The first few combinations as plain phrases too: they name their terms, which is
            // what snippets highlight.
            for variant in variants(&lemma).into_iter().take(MAX_NAMED_VARIANTS) {
                should.push(boosted(phrase_query(fl, &variant), BOOST_FOLD * boost));
            }
        }
        Some(Box::new(BooleanQuery::new(should)))
    }

    /// The lemma-field terms of one (lower-cased) word: its lemmas, and the other terms that
    /// stand for it at a lower weight — typed without Polish letters, the lemmas of the
    /// spellings with them; typed with them, its form without (for documents written so).
    fn word_terms(&self, word: &str) -> (Vec<String>, Vec<String>) {
        let lemmas: Vec<String> = skladnica_polish::lemmas(word).to_vec();
        let mut other: Vec<String> = Vec::new();
        let add = |t: String, other: &mut Vec<String>| {
            if !lemmas.contains(&t) && !other.contains(&t) && t != word {
                other.push(t);
            }
        };
        if has_diacritics(word) {
            add(fold_diacritics(word), &mut other);
        } else {
            let dict = skladnica_polish::Morfologik::polish();
            for spelling in dict.restore_diacritics(word, MAX_RESTORED) {
                for lemma in skladnica_polish::lemmas(&spelling).iter() {
                    add(lemma.clone(), &mut other);
                }
            }
        }
        (lemmas, other)
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
            Filter::Sign(sign) => term_query_raw(f.sign, sign),
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
