//! JRWA suggestions: the end classes a new document most likely belongs to, learnt from the
//! classes clerks gave earlier documents, and from the JRWA's own headings before anything is
//! learnt (and for classes nothing was filed under yet).
//!
//! Each end class has a profile: its heading's words, plus the average of the documents filed
//! under it. A document is compared with every profile by cosine similarity of TF-IDF weights
//! (IDF over the profiles). Words come in already normalised (lemmas), so the caller chooses the
//! language analysis.

use std::collections::HashMap;

use serde::Serialize;

/// How much a class's heading weighs against the documents learnt for it.
const HEADING_WEIGHT: f32 = 1.0;

#[derive(Debug, Clone, Default)]
struct Profile {
    symbol: String,
    heading: HashMap<String, f32>,
    learnt: HashMap<String, f32>,
    examples: u32,
}

/// A suggested class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The JRWA symbol.
    pub symbol: String,
    /// Cosine similarity with the class's profile, 0–1.
    pub score: f32,
    /// How many filed documents the class's profile has learnt from.
    pub examples: u32,
}

/// The suggester; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Suggester {
    profiles: Vec<Profile>,
    index: HashMap<String, usize>,
}

/// Term frequencies, each damped (1 + ln tf) and the vector scaled to unit length.
fn unit_tf(tokens: &[String]) -> HashMap<String, f32> {
    let mut tf: HashMap<String, f32> = HashMap::new();
    for t in tokens {
        *tf.entry(t.clone()).or_default() += 1.0;
    }
    for v in tf.values_mut() {
        *v = 1.0 + v.ln();
    }
    let norm = tf.values().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for v in tf.values_mut() {
            *v /= norm;
        }
    }
    tf
}

impl Suggester {
    /// A suggester that knows the end classes and their headings' words.
    pub fn from_headings(classes: impl IntoIterator<Item = (String, Vec<String>)>) -> Suggester {
        let mut s = Suggester::default();
        for (symbol, words) in classes {
            s.index.insert(symbol.clone(), s.profiles.len());
            s.profiles.push(Profile {
                symbol,
                heading: unit_tf(&words),
                ..Profile::default()
            });
        }
        s
    }

    /// Learns that a document with these words was filed under `symbol` (ignored for a symbol
    /// the suggester does not know).
    pub fn learn(&mut self, symbol: &str, words: &[String]) {
        let Some(&i) = self.index.get(symbol) else {
            return;
        };
        let p = &mut self.profiles[i];
        let n = p.examples as f32;
        let doc = unit_tf(words);
        // The running average of the documents' vectors.
        for v in p.learnt.values_mut() {
            *v *= n / (n + 1.0);
        }
        for (t, w) in doc {
            *p.learnt.entry(t).or_default() += w / (n + 1.0);
        }
        p.examples += 1;
    }

    /// The `k` classes most like a document with these words, best first.
    pub fn suggest(&self, words: &[String], k: usize) -> Vec<Suggestion> {
        if words.is_empty() || self.profiles.is_empty() {
            return Vec::new();
        }
        // Document frequency of each word over the profiles.
        let mut df: HashMap<&str, f32> = HashMap::new();
        for p in &self.profiles {
            let mut seen: Vec<&str> = p.heading.keys().map(String::as_str).collect();
            seen.extend(p.learnt.keys().map(String::as_str));
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1.0;
            }
        }
        let n = self.profiles.len() as f32;
        let idf = |t: &str| df.get(t).map_or(0.0, |d| (n / d).ln() + 1.0);
        let query: HashMap<String, f32> = unit_tf(words)
            .into_iter()
            .map(|(t, w)| {
                let i = idf(&t);
                (t, w * i)
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        let qnorm = query.values().map(|v| v * v).sum::<f32>().sqrt();
        if qnorm == 0.0 {
            return Vec::new();
        }
        let mut scored: Vec<Suggestion> = self
            .profiles
            .iter()
            .filter_map(|p| {
                let weight = |t: &str| {
                    let h = p.heading.get(t).copied().unwrap_or(0.0) * HEADING_WEIGHT;
                    let l = p.learnt.get(t).copied().unwrap_or(0.0);
                    (h + l) * idf(t)
                };
                let mut dot = 0.0;
                for (t, q) in &query {
                    dot += q * weight(t);
                }
                if dot <= 0.0 {
                    return None;
                }
                let mut terms: Vec<&str> = p.heading.keys().map(String::as_str).collect();
                terms.extend(p.learnt.keys().map(String::as_str));
                terms.sort_unstable();
                terms.dedup();
                let pnorm = terms.iter().map(|t| weight(t).powi(2)).sum::<f32>().sqrt();
                Some(Suggestion {
                    symbol: p.symbol.clone(),
                    score: dot / (qnorm * pnorm),
                    examples: p.examples,
                })
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.symbol.cmp(&b.symbol)));
        scored.truncate(k);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn headings_first_then_what_was_learnt() {
        let mut s = Suggester::from_headings([
            ("3021".to_string(), words("budżet gmina zmiana")),
            (
                "271".to_string(),
                words("dokumentacja zamówienie publiczny"),
            ),
            ("824".to_string(), words("obsługa dodatek mieszkaniowy")),
        ]);
        let top = s.suggest(&words("zmiana budżet gmina rok dochód"), 3);
        assert_eq!(top[0].symbol, "3021");
        // Nothing in the headings speaks of "oferta"; once learnt, it does.
        assert!(
            s.suggest(&words("oferta odrzucenie wykonawca"), 3)
                .is_empty()
        );
        s.learn(
            "271",
            &words("zawiadomienie odrzucenie oferta wykonawca przetarg"),
        );
        s.learn("271", &words("wybór oferta wykonawca cena"));
        let top = s.suggest(&words("oferta odrzucenie wykonawca"), 3);
        assert_eq!(top[0].symbol, "271");
        assert_eq!(top[0].examples, 2);
        s.learn("9999", &words("nic"));
    }
}
