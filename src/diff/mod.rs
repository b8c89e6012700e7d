//! Graph diff: what changed between two graphs, matching entities by
//! label and name rather than by internal id.
//!
//! * A node's key is its sorted labels and its `name`
//!   (`Company|Shaanxi Heavy Truck`); a node without a `name` is keyed by
//!   its labels and all its properties.
//! * A relationship's key is (start key, type, end key). Parallel
//!   relationships with the same key are paired by equal properties first,
//!   then by the most properties in common.
//! * Paired elements whose properties differ are *changed*, property by
//!   property; the rest are *added* (only in B) or *removed* (only in A).
//!   A label change changes the key, so it shows as a removal and an addition.
//!
//! [`GraphDiff::report`] prints a readable report, [`GraphDiff::to_json`]
//! a JSON document, and [`GraphDiff::script`] a kgq script that turns A
//! into B.

mod json;
mod matching;
mod report;
mod script;

use std::collections::BTreeMap;

pub use json::value_json;

use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::Value;

/// Properties by name, sorted.
pub type PropertyMap = BTreeMap<String, Value>;

/// One node as the diff sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeEntry {
    /// Its key: sorted labels, then its name (or its properties).
    pub key: String,
    /// Its labels, sorted.
    pub labels: Vec<String>,
    /// Its properties.
    pub properties: PropertyMap,
}

impl NodeEntry {
    /// Its `name`, if it is a string.
    pub fn name(&self) -> Option<&str> {
        self.properties.get("name").and_then(Value::as_str)
    }
}

/// One relationship as the diff sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RelEntry {
    /// Its start node.
    pub start: NodeEntry,
    /// Its type.
    pub rel_type: String,
    /// Its end node.
    pub end: NodeEntry,
    /// Its properties.
    pub properties: PropertyMap,
}

impl RelEntry {
    /// The key parallel relationships share: (start key, type, end key).
    pub fn key(&self) -> (String, String, String) {
        (
            self.start.key.clone(),
            self.rel_type.clone(),
            self.end.key.clone(),
        )
    }
}

/// One property that differs: its value before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyChange {
    /// The property.
    pub key: String,
    /// In A.
    pub before: Option<Value>,
    /// In B.
    pub after: Option<Value>,
}

/// A paired element whose properties differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed<T> {
    /// The element in A.
    pub before: T,
    /// The element in B.
    pub after: T,
    /// The differing properties, by name.
    pub changes: Vec<PropertyChange>,
}

/// What changed from graph A to graph B.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphDiff {
    /// Nodes only in B.
    pub added_nodes: Vec<NodeEntry>,
    /// Nodes only in A.
    pub removed_nodes: Vec<NodeEntry>,
    /// Nodes in both whose properties differ.
    pub changed_nodes: Vec<Changed<NodeEntry>>,
    /// Relationships only in B.
    pub added_relationships: Vec<RelEntry>,
    /// Relationships only in A.
    pub removed_relationships: Vec<RelEntry>,
    /// Relationships in both whose properties differ.
    pub changed_relationships: Vec<Changed<RelEntry>>,
}

impl GraphDiff {
    /// Whether A and B hold the same nodes and relationships.
    pub fn is_empty(&self) -> bool {
        self.added_nodes.is_empty()
            && self.removed_nodes.is_empty()
            && self.changed_nodes.is_empty()
            && self.added_relationships.is_empty()
            && self.removed_relationships.is_empty()
            && self.changed_relationships.is_empty()
    }
}

/// The properties of a node or relationship by name.
fn property_map(graph: &Graph, props: &crate::graph::Properties) -> PropertyMap {
    graph
        .sorted_properties(props)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Node `id` of `graph` as the diff sees it.
pub fn node_entry(graph: &Graph, id: NodeId) -> Option<NodeEntry> {
    let data = graph.node(id)?;
    let mut labels: Vec<String> = data
        .labels()
        .iter()
        .map(|l| graph.label_name(*l).to_string())
        .collect();
    labels.sort();
    let properties = property_map(graph, &data.properties());
    let key = match properties.get("name") {
        Some(Value::String(name)) => format!("{}|{name}", labels.join(":")),
        _ => format!(
            "{}|{}",
            labels.join(":"),
            Value::Map(properties.clone()).literal(None)
        ),
    };
    Some(NodeEntry {
        key,
        labels,
        properties,
    })
}

/// Relationship `id` of `graph` as the diff sees it.
pub fn rel_entry(graph: &Graph, id: EdgeId) -> Option<RelEntry> {
    let (a, b) = graph.endpoints(id)?;
    let data = graph.relationship(id)?;
    Some(RelEntry {
        start: node_entry(graph, a)?,
        rel_type: graph.type_name(data.rel_type()).to_string(),
        end: node_entry(graph, b)?,
        properties: property_map(graph, &data.properties()),
    })
}

/// The property-by-property differences from `a` to `b`.
pub fn property_changes(a: &PropertyMap, b: &PropertyMap) -> Vec<PropertyChange> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k), b.get(k));
            let same = match (x, y) {
                (Some(x), Some(y)) => same_value(x, y),
                (None, None) => true,
                _ => false,
            };
            (!same).then(|| PropertyChange {
                key: k.clone(),
                before: x.cloned(),
                after: y.cloned(),
            })
        })
        .collect()
}

/// Whether two property values are the same (NaN equals NaN here, and a
/// list equals a list of the same elements).
pub fn same_value(a: &Value, b: &Value) -> bool {
    a.literal(None).to_string() == b.literal(None).to_string()
        && std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Compares graph `a` (before) with graph `b` (after).
pub fn diff(a: &Graph, b: &Graph) -> GraphDiff {
    let nodes_a: Vec<NodeEntry> = a.nodes().filter_map(|n| node_entry(a, n)).collect();
    let nodes_b: Vec<NodeEntry> = b.nodes().filter_map(|n| node_entry(b, n)).collect();
    let rels_a: Vec<RelEntry> = a.relationships().filter_map(|r| rel_entry(a, r)).collect();
    let rels_b: Vec<RelEntry> = b.relationships().filter_map(|r| rel_entry(b, r)).collect();
    let nodes = matching::pair(nodes_a, nodes_b, |n| n.key.clone(), |n| &n.properties);
    let rels = matching::pair(rels_a, rels_b, RelEntry::key, |r| &r.properties);
    let mut out = GraphDiff {
        added_nodes: nodes.added,
        removed_nodes: nodes.removed,
        changed_nodes: nodes.changed,
        added_relationships: rels.added,
        removed_relationships: rels.removed,
        changed_relationships: rels.changed,
    };
    out.added_nodes.sort_by(|x, y| x.key.cmp(&y.key));
    out.removed_nodes.sort_by(|x, y| x.key.cmp(&y.key));
    out.changed_nodes
        .sort_by(|x, y| x.after.key.cmp(&y.after.key));
    let rel_order = |x: &RelEntry, y: &RelEntry| x.key().cmp(&y.key());
    out.added_relationships.sort_by(rel_order);
    out.removed_relationships.sort_by(rel_order);
    out.changed_relationships
        .sort_by(|x, y| rel_order(&x.after, &y.after));
    out
}

#[cfg(test)]
mod tests;
