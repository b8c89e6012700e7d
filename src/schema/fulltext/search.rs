//! Running a parsed [`Query`] against an [`Inverted`] index, scoring with
//! BM25 as Lucene does (k1 = 1.2, b = 0.75, per-field statistics).
//!
//! * term in field f: `idf · tf / (tf + k1 · (1 − b + b · dl / avgdl))`,
//!   `idf = ln(1 + (N − n + 0.5) / (n + 0.5))`, with N the documents that
//!   have f, n those with the term in f, dl the document's length in f
//!   and avgdl the average of dl over the N documents;
//! * phrase: the same with tf = the phrase's occurrences and idf the sum
//!   of its terms' idfs;
//! * prefix and wildcard terms: a constant 1 per field that matches;
//! * `*:*`: every indexed element, 1;
//! * fuzzy terms: each term within the edits, scored as a term, weighted
//!   by `1 − edits / length`;
//! * an unqualified clause looks in every field and adds the fields'
//!   scores; a boolean query adds its matching clauses' scores; a boost
//!   multiplies.

use std::collections::HashMap;

use super::analyze;
use super::index::{DocId, Field, Inverted};
use super::query::{Matcher, Occur, Query};

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Scores by document.
type Scores = HashMap<DocId, f64>;

/// The documents matching `query` in `index` (whose fields are named
/// `fields`), best first; equal scores in ascending id order.
pub fn search(index: &Inverted, fields: &[String], query: &Query) -> Vec<(DocId, f64)> {
    let run = Run { index, fields };
    let mut hits: Vec<(DocId, f64)> = run
        .eval(query)
        .map(|s| s.into_iter().collect())
        .unwrap_or_default();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    hits
}

/// The BM25 inverse document frequency.
pub fn idf(doc_count: usize, doc_freq: usize) -> f64 {
    let (n, df) = (doc_count as f64, doc_freq as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The BM25 score of `freq` occurrences in a field of length `length`.
pub fn bm25(idf: f64, freq: f64, length: f64, average_length: f64) -> f64 {
    let norm = if average_length > 0.0 {
        K1 * (1.0 - B + B * length / average_length)
    } else {
        K1
    };
    idf * freq / (freq + norm)
}

struct Run<'a> {
    index: &'a Inverted,
    fields: &'a [String],
}

impl Run<'_> {
    /// The fields a clause looks in.
    fn fields_of(&self, query: &Query) -> Vec<&Field> {
        match &query.field {
            None => (0..self.fields.len())
                .filter_map(|i| self.index.field(i))
                .collect(),
            Some(name) => self
                .fields
                .iter()
                .position(|f| f == name)
                .and_then(|i| self.index.field(i))
                .into_iter()
                .collect(),
        }
    }

    /// `None` when the clause analyzes to nothing (Lucene drops it).
    fn eval(&self, query: &Query) -> Option<Scores> {
        let mut scores = match &query.matcher {
            Matcher::Bool(clauses) => self.boolean(clauses)?,
            Matcher::All => self.index.docs().map(|d| (d, 1.0)).collect(),
            Matcher::Term(text) => {
                let terms = analyze::terms(text);
                if terms.is_empty() {
                    return None;
                }
                let mut out = Scores::new();
                for field in self.fields_of(query) {
                    for term in &terms {
                        add_term(&mut out, field, term, 1.0);
                    }
                }
                out
            }
            Matcher::Phrase(text) => {
                let terms = analyze::terms(text);
                if terms.is_empty() {
                    return None;
                }
                let mut out = Scores::new();
                for field in self.fields_of(query) {
                    if terms.len() == 1 {
                        add_term(&mut out, field, &terms[0], 1.0);
                    } else {
                        add_phrase(&mut out, field, &terms);
                    }
                }
                out
            }
            Matcher::Prefix(prefix) => {
                let prefix = analyze::normalize(prefix);
                self.constant(query, |field| {
                    field
                        .with_prefix(&prefix)
                        .flat_map(|(_, postings)| postings.keys().copied())
                        .collect()
                })
            }
            Matcher::Wildcard(pattern) => {
                let pattern: Vec<char> = analyze::normalize(pattern).chars().collect();
                self.constant(query, |field| {
                    field
                        .terms()
                        .filter(|(t, _)| glob(&pattern, &t.chars().collect::<Vec<_>>()))
                        .flat_map(|(_, postings)| postings.keys().copied())
                        .collect()
                })
            }
            Matcher::Fuzzy(word, edits) => {
                let word = analyze::normalize(word);
                let mut out = Scores::new();
                for field in self.fields_of(query) {
                    for (term, _) in field.terms() {
                        let distance = strsim::levenshtein(&word, term);
                        if distance <= usize::from(*edits) {
                            let shorter = word.chars().count().min(term.chars().count()).max(1);
                            let weight = 1.0 - distance as f64 / shorter as f64;
                            add_term(&mut out, field, term, weight.max(0.0));
                        }
                    }
                }
                out
            }
        };
        if query.boost != 1.0 {
            for s in scores.values_mut() {
                *s *= query.boost;
            }
        }
        Some(scores)
    }

    /// Score 1 for each field where `matching` finds the document.
    fn constant(&self, query: &Query, matching: impl Fn(&Field) -> Vec<DocId>) -> Scores {
        let mut out = Scores::new();
        for field in self.fields_of(query) {
            let mut matched = matching(field);
            matched.sort_unstable();
            matched.dedup();
            for doc in matched {
                *out.entry(doc).or_default() += 1.0;
            }
        }
        out
    }

    fn boolean(&self, clauses: &[(Occur, Query)]) -> Option<Scores> {
        let mut must = Vec::new();
        let mut should = Vec::new();
        let mut not = Vec::new();
        for (occur, clause) in clauses {
            let Some(scores) = self.eval(clause) else {
                continue;
            };
            match occur {
                Occur::Must => must.push(scores),
                Occur::Should => should.push(scores),
                Occur::MustNot => not.push(scores),
            }
        }
        if must.is_empty() && should.is_empty() {
            // Only exclusions match nothing; nothing at all is dropped.
            return (!not.is_empty()).then(Scores::new);
        }
        let mut candidates: Vec<DocId> = match must.first() {
            Some(first) => first
                .keys()
                .filter(|d| must.iter().all(|m| m.contains_key(d)))
                .copied()
                .collect(),
            None => should.iter().flat_map(|s| s.keys().copied()).collect(),
        };
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Scores::new();
        for doc in candidates {
            if not.iter().any(|n| n.contains_key(&doc)) {
                continue;
            }
            let score: f64 = must.iter().chain(&should).filter_map(|s| s.get(&doc)).sum();
            out.insert(doc, score);
        }
        Some(out)
    }
}

/// Adds the BM25 scores of `term` in `field`, times `weight`.
fn add_term(out: &mut Scores, field: &Field, term: &str, weight: f64) {
    let Some(postings) = field.postings(term) else {
        return;
    };
    let idf = idf(field.doc_count(), postings.len());
    let average = field.average_length();
    for (doc, positions) in postings {
        let length = f64::from(field.length(*doc));
        *out.entry(*doc).or_default() +=
            weight * bm25(idf, positions.len() as f64, length, average);
    }
}

/// Adds the BM25 scores of the phrase `terms` (adjacent, in order) in `field`.
fn add_phrase(out: &mut Scores, field: &Field, terms: &[String]) {
    let Some(lists) = terms
        .iter()
        .map(|t| field.postings(t))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let idf: f64 = lists.iter().map(|p| idf(field.doc_count(), p.len())).sum();
    let average = field.average_length();
    let Some((first, rest)) = lists.split_first() else {
        return;
    };
    for (doc, starts) in *first {
        let Some(others) = rest.iter().map(|p| p.get(doc)).collect::<Option<Vec<_>>>() else {
            continue;
        };
        let freq = starts
            .iter()
            .filter(|&&start| {
                others.iter().enumerate().all(|(i, positions)| {
                    start
                        .checked_add(i as u32 + 1)
                        .is_some_and(|p| positions.binary_search(&p).is_ok())
                })
            })
            .count();
        if freq > 0 {
            let length = f64::from(field.length(*doc));
            *out.entry(*doc).or_default() += bm25(idf, freq as f64, length, average);
        }
    }
}

/// Whether `text` matches `pattern` (`*` any run, `?` one character).
fn glob(pattern: &[char], text: &[char]) -> bool {
    // Iterative matching with one backtrack point: linear in practice.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
