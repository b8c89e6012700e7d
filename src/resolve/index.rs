//! The alias index: every node's `name` and `aliases` in normal form,
//! label-agnostic, built on first use and dropped by the graph whenever a
//! node changes.

use std::collections::HashMap;

use super::normalize::{compact, normalize};
use crate::graph::{Graph, NodeId};
use crate::value::Value;

/// The property holding an entity's main name.
pub const NAME: &str = "name";
/// The property holding an entity's other names (a list of strings, or one string).
pub const ALIASES: &str = "aliases";

/// One name of one node.
#[derive(Debug, Clone)]
pub struct Form {
    /// The node.
    pub node: NodeId,
    /// The name as written.
    pub text: String,
    /// Whether it is the node's `name` (rather than an alias).
    pub is_name: bool,
    /// Its normal form ([`normalize`]).
    pub normal: String,
    /// Its normal form without spaces ([`compact`]).
    pub compact: String,
}

/// Every name and alias of a graph's nodes, in normal form.
#[derive(Debug, Clone, Default)]
pub struct AliasIndex {
    forms: Vec<Form>,
    by_compact: HashMap<String, Vec<usize>>,
}

impl AliasIndex {
    /// Indexes the names and aliases of every node of `graph`.
    pub fn build(graph: &Graph) -> AliasIndex {
        let mut index = AliasIndex::default();
        let (Some(name_key), aliases_key) = (graph.key_id(NAME), graph.key_id(ALIASES)) else {
            return index;
        };
        for node in graph.nodes() {
            let Some(data) = graph.node(node) else {
                continue;
            };
            if let Some(Value::String(s)) = data.property(name_key) {
                index.add(node, &s, true);
            }
            match aliases_key.and_then(|k| data.property(k)) {
                Some(Value::List(items)) => {
                    for item in items {
                        if let Value::String(s) = item {
                            index.add(node, &s, false);
                        }
                    }
                }
                Some(Value::String(s)) => index.add(node, &s, false),
                _ => {}
            }
        }
        index
    }

    fn add(&mut self, node: NodeId, text: &str, is_name: bool) {
        let form = Form {
            node,
            text: text.to_string(),
            is_name,
            normal: normalize(text),
            compact: compact(text),
        };
        if form.compact.is_empty() {
            return;
        }
        self.by_compact
            .entry(form.compact.clone())
            .or_default()
            .push(self.forms.len());
        self.forms.push(form);
    }

    /// Every indexed form.
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// The forms whose compact normal form equals `key`.
    pub fn exact(&self, key: &str) -> impl Iterator<Item = &Form> {
        self.by_compact
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|i| self.forms.get(*i))
    }
}
