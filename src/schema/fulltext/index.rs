//! The inverted index of one full-text index: per indexed property (a
//! field), each term's postings (document → positions) and each
//! document's length, kept in memory and changed one document at a time.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use super::analyze;
use crate::value::Value;

/// Positions between two elements of a string list, so that a phrase
/// never spans two elements.
const LIST_GAP: u32 = 100;

/// A document: the node or relationship id.
pub type DocId = u32;

/// The postings of one field.
#[derive(Debug, Clone, Default)]
pub struct Field {
    /// term → document → positions (ascending). Terms are shared with
    /// [`Inverted`]'s per-document lists.
    terms: BTreeMap<Arc<str>, BTreeMap<DocId, Vec<u32>>>,
    /// The number of terms of each document that has the field.
    lengths: HashMap<DocId, u32>,
    /// The sum of `lengths`.
    total_length: u64,
}

impl Field {
    /// How many documents have the field.
    pub fn doc_count(&self) -> usize {
        self.lengths.len()
    }

    /// The average length of the field over the documents that have it.
    pub fn average_length(&self) -> f64 {
        if self.lengths.is_empty() {
            0.0
        } else {
            self.total_length as f64 / self.lengths.len() as f64
        }
    }

    /// The field's length in document `doc`.
    pub fn length(&self, doc: DocId) -> u32 {
        self.lengths.get(&doc).copied().unwrap_or(0)
    }

    /// The postings of `term`.
    pub fn postings(&self, term: &str) -> Option<&BTreeMap<DocId, Vec<u32>>> {
        self.terms.get(term)
    }

    /// Every term with its postings, in order.
    pub fn terms(&self) -> impl Iterator<Item = (&str, &BTreeMap<DocId, Vec<u32>>)> {
        self.terms.iter().map(|(t, p)| (&**t, p))
    }

    /// The terms starting with `prefix`, with their postings.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a BTreeMap<DocId, Vec<u32>>)> + 'a {
        self.terms
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(move |(t, _)| t.starts_with(prefix))
            .map(|(t, p)| (&**t, p))
    }

    /// Adds `doc`'s tokens; returns its distinct terms (shared keys).
    fn add(&mut self, doc: DocId, tokens: &[(u32, String)]) -> Vec<Arc<str>> {
        let mut by_term: HashMap<&str, Vec<u32>> = HashMap::new();
        for (position, term) in tokens {
            by_term.entry(term.as_str()).or_default().push(*position);
        }
        let mut distinct = Vec::with_capacity(by_term.len());
        for (term, positions) in by_term {
            let key = match self.terms.get_key_value(term) {
                Some((key, _)) => Arc::clone(key),
                None => Arc::from(term),
            };
            self.terms
                .entry(Arc::clone(&key))
                .or_default()
                .insert(doc, positions);
            distinct.push(key);
        }
        let length = tokens.len() as u32;
        self.lengths.insert(doc, length);
        self.total_length += u64::from(length);
        distinct
    }

    fn remove(&mut self, doc: DocId, terms: &[Arc<str>]) {
        for term in terms {
            if let Some(postings) = self.terms.get_mut(&**term) {
                postings.remove(&doc);
                if postings.is_empty() {
                    self.terms.remove(&**term);
                }
            }
        }
        if let Some(length) = self.lengths.remove(&doc) {
            self.total_length -= u64::from(length);
        }
    }
}

/// The fields of one full-text index and what each document put in them.
#[derive(Debug, Clone, Default)]
pub struct Inverted {
    fields: Vec<Field>,
    /// For each indexed document, per field, its distinct terms.
    docs: HashMap<DocId, Vec<Vec<Arc<str>>>>,
}

impl Inverted {
    /// An empty index of `fields` fields.
    pub fn new(fields: usize) -> Self {
        Inverted {
            fields: vec![Field::default(); fields],
            docs: HashMap::new(),
        }
    }

    /// The field at `i` (in the order of the index's properties).
    pub fn field(&self, i: usize) -> Option<&Field> {
        self.fields.get(i)
    }

    /// How many documents are indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every indexed document.
    pub fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.docs.keys().copied()
    }

    /// Forgets document `doc`.
    pub fn remove(&mut self, doc: DocId) {
        let Some(terms) = self.docs.remove(&doc) else {
            return;
        };
        for (field, terms) in self.fields.iter_mut().zip(&terms) {
            field.remove(doc, terms);
        }
    }

    /// Indexes document `doc` with one value (or none) per field,
    /// replacing what it had. Only strings and string-list elements are
    /// indexed; a document with no terms at all is left out.
    pub fn put(&mut self, doc: DocId, values: &[Option<&Value>]) {
        self.remove(doc);
        let tokens: Vec<Vec<(u32, String)>> = values.iter().map(|v| tokens_of(*v)).collect();
        if tokens.iter().all(Vec::is_empty) {
            return;
        }
        let mut distinct = Vec::with_capacity(tokens.len());
        for (field, tokens) in self.fields.iter_mut().zip(&tokens) {
            distinct.push(if tokens.is_empty() {
                Vec::new()
            } else {
                field.add(doc, tokens)
            });
        }
        self.docs.insert(doc, distinct);
    }
}

/// The positioned terms of a property value: a string's terms, or the
/// terms of each string in a list (a gap between elements); nothing for
/// other values.
fn tokens_of(value: Option<&Value>) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut push_text = |text: &str, start: u32| -> u32 {
        let mut next = start;
        for term in analyze::terms(text) {
            out.push((next, term));
            next = next.saturating_add(1);
        }
        next
    };
    if let Some(text) = value.and_then(Value::as_str) {
        push_text(text, 0);
    } else if let Some(Value::List(items)) = value {
        let mut next = 0;
        for item in items {
            if let Some(text) = item.as_str() {
                next = push_text(text, next).saturating_add(LIST_GAP);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_replace_and_remove_keep_statistics() {
        let mut index = Inverted::new(2);
        let a = Value::from("Heavy truck, heavy load");
        let b = Value::from("Truck");
        index.put(1, &[Some(&a), None]);
        index.put(2, &[Some(&b), Some(&b)]);
        let f = index.field(0).unwrap();
        assert_eq!(f.doc_count(), 2);
        assert_eq!(f.average_length(), 2.5);
        assert_eq!(f.postings("heavy").unwrap()[&1], [0, 2]);
        assert_eq!(index.field(1).unwrap().doc_count(), 1);
        index.put(1, &[Some(&b), None]);
        assert!(index.field(0).unwrap().postings("heavy").is_none());
        index.remove(2);
        let f = index.field(0).unwrap();
        assert_eq!((f.doc_count(), f.average_length()), (1, 1.0));
        assert_eq!(index.field(1).unwrap().doc_count(), 0);
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn lists_index_each_string_and_numbers_nothing() {
        let list = Value::List(
            vec![
                Value::from("late for work"),
                Value::Int(3),
                Value::from("difficult"),
            ]
            .into(),
        );
        let tokens = tokens_of(Some(&list));
        assert_eq!(tokens.len(), 4);
        assert_eq!(tokens[3], (103, "difficult".to_string()));
        assert!(tokens_of(Some(&Value::Int(3))).is_empty());
        let mut index = Inverted::new(1);
        index.put(7, &[Some(&Value::Int(3))]);
        assert!(index.is_empty());
    }
}
