//! Entity resolution: finding nodes by any of their names.
//!
//! Names are compared in a normal form ([`normalize`]): transliterated to
//! Latin, case-folded, accents and punctuation dropped, legal-form words
//! left out, so `'shacman'`, `'Shaanxi Heavy Truck Co., Ltd.'` and
//! `'Шакман'` reach the same node. The index ([`AliasIndex`]) covers every
//! node's `name` and each element of its `aliases`, whatever its labels.
//!
//! Scores: 1.0 when the normal forms are equal (spaces aside); otherwise
//! the larger of the Jaro-Winkler similarity and the trigram (Sørensen-Dice)
//! similarity of the normal forms, times 0.95 so that a fuzzy match never
//! ties an exact one.

mod index;
mod normalize;

use std::collections::HashMap;

pub use index::{ALIASES, AliasIndex, Form, NAME};
pub use normalize::{compact, normalize, words};

use crate::graph::{Graph, NodeId};

/// The least score [`resolve`] accepts for a fuzzy match.
pub const RESOLVE_THRESHOLD: f64 = 0.85;
/// The least score [`find`] lists.
pub const FIND_THRESHOLD: f64 = 0.7;

/// A node that may be the entity a text names.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The node.
    pub node: NodeId,
    /// 1.0 for an exact match of the normal forms, less for a fuzzy one.
    pub score: f64,
    /// The name or alias that matched best, as written in the graph.
    pub matched: String,
    /// Whether `matched` is the node's `name` rather than an alias.
    pub is_name: bool,
}

/// How similar the normal forms `a` and `b` are, in [0, 1).
fn fuzzy(a: &str, b: &str) -> f64 {
    let jw = strsim::jaro_winkler(a, b);
    let dice = strsim::sorensen_dice(a, b);
    0.95 * jw.max(dice)
}

/// The nodes whose names or aliases resemble `text`, best first (ties by
/// name), with a score of at least `min_score`, at most `limit` of them.
pub fn find(graph: &Graph, text: &str, min_score: f64, limit: usize) -> Vec<Candidate> {
    let index = graph.alias_index();
    let key = compact(text);
    let normal = normalize(text);
    if key.is_empty() {
        return Vec::new();
    }
    let mut best: HashMap<NodeId, Candidate> = HashMap::new();
    let mut offer = |form: &Form, score: f64| {
        let better = best
            .get(&form.node)
            .is_none_or(|c| score > c.score || (score == c.score && form.is_name && !c.is_name));
        if better {
            best.insert(
                form.node,
                Candidate {
                    node: form.node,
                    score,
                    matched: form.text.clone(),
                    is_name: form.is_name,
                },
            );
        }
    };
    for form in index.exact(&key) {
        offer(form, 1.0);
    }
    for form in index.forms() {
        if form.compact != key {
            let score = fuzzy(&normal, &form.normal);
            if score >= min_score {
                offer(form, score);
            }
        }
    }
    let mut out: Vec<Candidate> = best.into_values().collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.matched.cmp(&b.matched))
            .then_with(|| a.node.cmp(&b.node))
    });
    out.truncate(limit);
    out
}

/// The node(s) `text` names: every node with a name or alias equal to it
/// in normal form; when there is none, the best fuzzy match(es) scoring at
/// least [`RESOLVE_THRESHOLD`]; else nothing. Best first.
pub fn resolve(graph: &Graph, text: &str) -> Vec<NodeId> {
    let found = find(graph, text, RESOLVE_THRESHOLD, usize::MAX);
    let Some(top) = found.first().map(|c| c.score) else {
        return Vec::new();
    };
    found
        .into_iter()
        .take_while(|c| c.score == top)
        .map(|c| c.node)
        .collect()
}

/// Whether node `node` has a name or alias equal to `text` in normal form
/// (what `MERGE … ON ALIAS` matches on).
pub fn names_match(graph: &Graph, node: NodeId, text: &str) -> bool {
    let key = compact(text);
    !key.is_empty() && graph.alias_index().exact(&key).any(|f| f.node == node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_names() {
        let graph = crate::bundled::graph().unwrap();
        let name = |n: NodeId| graph.node_property(n, "name");
        let shacman = resolve(&graph, "shacman");
        assert_eq!(shacman.len(), 1);
        assert_eq!(resolve(&graph, "Shaanxi Heavy Truck Co., Ltd."), shacman);
        assert_eq!(resolve(&graph, "Шакман"), shacman);
        assert_eq!(
            name(shacman[0]),
            Some(crate::Value::from("Shaanxi Heavy Truck"))
        );
        assert!(resolve(&graph, "zzzz qqqq").is_empty());
        let found = find(&graph, "Rosstandard", FIND_THRESHOLD, 3);
        assert_eq!(found[0].matched, "Rosstandart");
        assert!(found[0].score < 1.0);
    }
}
