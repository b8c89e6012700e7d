//! The names of the open graph that completion offers: labels,
//! relationship types, property keys and the string values of properties
//! (entity names), gathered once each time the graph changes.

use std::collections::BTreeSet;

use kgq::{Graph, Value};

/// The most string values kept for completion (a huge graph does not make
/// the shell slow or big).
const MAX_VALUES: usize = 200_000;
/// Longer strings are not offered as completions.
const MAX_VALUE_CHARS: usize = 200;

/// A string property value and where it was seen.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityValue {
    /// The labels of the node that has it (empty for a relationship).
    pub labels: Vec<String>,
    /// The property key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// A node's name with the normal forms ([`kgq::resolve::normalize`]) of
/// its name and aliases, for completing a name from any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityName {
    /// The labels of the node.
    pub labels: Vec<String>,
    /// Its `name`.
    pub name: String,
    /// The normal forms of its name and of each alias.
    pub forms: Vec<String>,
}

/// What completion knows about the graph and the session.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Labels that some node has, sorted.
    pub labels: Vec<String>,
    /// Relationship types, sorted.
    pub types: Vec<String>,
    /// Property keys, sorted.
    pub keys: Vec<String>,
    /// String property values, sorted and without duplicates.
    pub values: Vec<EntityValue>,
    /// The session's parameter names.
    pub params: Vec<String>,
    /// Entity names reachable through their aliases, from the alias index.
    pub entities: Vec<EntityName>,
}

impl Catalog {
    /// Gathers the names of `graph`.
    pub fn of(graph: &Graph) -> Catalog {
        let mut labels: Vec<String> = graph
            .all_labels()
            .filter(|(id, _)| graph.label_count(*id) > 0)
            .map(|(_, name)| name.to_string())
            .collect();
        labels.sort();
        let mut types: Vec<String> = graph.all_types().map(|(_, n)| n.to_string()).collect();
        types.sort();
        let mut keys: Vec<String> = graph.all_keys().map(|(_, n)| n.to_string()).collect();
        keys.sort();
        let mut values = BTreeSet::new();
        'nodes: for id in graph.nodes() {
            let Some(node) = graph.node(id) else { continue };
            let node_labels: Vec<String> = node
                .labels()
                .iter()
                .map(|l| graph.label_name(*l).to_string())
                .collect();
            let props = node.properties();
            for (key, value) in graph.sorted_properties(&props) {
                if values.len() >= MAX_VALUES {
                    break 'nodes;
                }
                if let Value::String(s) = value {
                    if s.chars().count() <= MAX_VALUE_CHARS {
                        values.insert(EntityValue {
                            labels: node_labels.clone(),
                            key: key.to_string(),
                            value: s.to_string(),
                        });
                    }
                }
            }
        }
        Catalog {
            labels,
            types,
            keys,
            values: values.into_iter().collect(),
            params: Vec::new(),
            entities: entity_names(graph),
        }
    }
}

/// Every named node with the normal forms of its name and aliases, taken
/// from the graph's alias index (the one `resolve()` and `:find` use).
fn entity_names(graph: &Graph) -> Vec<EntityName> {
    let index = graph.alias_index();
    let mut by_node: std::collections::BTreeMap<kgq::NodeId, EntityName> = Default::default();
    for form in index.forms().iter().take(MAX_VALUES) {
        let Some(Value::String(name)) = graph.node_property(form.node, kgq::resolve::NAME) else {
            continue;
        };
        let entry = by_node.entry(form.node).or_insert_with(|| EntityName {
            labels: graph
                .node_labels(form.node)
                .into_iter()
                .map(str::to_string)
                .collect(),
            name: name.to_string(),
            forms: Vec::new(),
        });
        entry.forms.push(form.normal.clone());
    }
    by_node.into_values().collect()
}
