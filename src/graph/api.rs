//! Convenience methods for using a [`Graph`] from Rust without the query
//! language: walking nodes and relationships by name, and building a graph
//! in code.
//!
//! ```
//! use kgq::graph::Direction;
//! use kgq::{Graph, Value};
//!
//! let mut g = Graph::new();
//! let truckmaker = g.add_node_with(&["Company"], [("name", Value::from("Sinotruk"))]);
//! let truck = g.add_node_with(&["Product"], [("name", "HOWO")]);
//! g.add_relationship_with(truckmaker, truck, "MAKES", [("since", 1956)]).unwrap();
//!
//! assert_eq!(g.node_labels(truckmaker), vec!["Company"]);
//! assert_eq!(g.node_property(truck, "name"), Some(Value::from("HOWO")));
//! let made: Vec<_> = g.neighbors(truckmaker, Direction::Outgoing).collect();
//! assert_eq!(made, vec![truck]);
//! ```

use super::{Direction, EdgeId, Graph, NodeId, Properties};
use crate::error::{Error, ErrorClass, Result};
use crate::value::Value;

impl Graph {
    /// The label names of node `id` in the node's order (empty if it does
    /// not exist).
    pub fn node_labels(&self, id: NodeId) -> Vec<&str> {
        self.node(id)
            .map(|d| d.labels().iter().map(|l| self.label_name(*l)).collect())
            .unwrap_or_default()
    }

    /// Whether node `id` has the label called `label`.
    pub fn node_has_label(&self, id: NodeId, label: &str) -> bool {
        match (self.node(id), self.label_id(label)) {
            (Some(d), Some(l)) => d.has_label(l),
            _ => false,
        }
    }

    /// The value of node `id`'s property `name`.
    pub fn node_property(&self, id: NodeId, name: &str) -> Option<Value> {
        self.node_value(id, self.key_id(name)?)
    }

    /// Node `id`'s properties as (name, value) pairs sorted by name.
    pub fn node_properties(&self, id: NodeId) -> Vec<(&str, Value)> {
        self.properties_by_name(self.property_store().node_properties(id))
    }

    /// The type name of relationship `id`.
    pub fn relationship_type(&self, id: EdgeId) -> Option<&str> {
        self.relationship(id).map(|r| self.type_name(r.rel_type()))
    }

    /// The value of relationship `id`'s property `name`.
    pub fn relationship_property(&self, id: EdgeId, name: &str) -> Option<Value> {
        self.relationship_value(id, self.key_id(name)?)
    }

    /// Relationship `id`'s properties as (name, value) pairs sorted by name.
    pub fn relationship_properties(&self, id: EdgeId) -> Vec<(&str, Value)> {
        self.properties_by_name(self.property_store().relationship_properties(id))
    }

    /// `props` as (name, value) pairs sorted by name.
    pub fn properties_by_name(&self, props: Properties) -> Vec<(&str, Value)> {
        let mut out: Vec<_> = props
            .into_iter()
            .map(|(k, v)| (self.key_name(k), v))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The nodes at the other end of `id`'s relationships in `direction`
    /// (once per relationship, so a node may repeat).
    pub fn neighbors(&self, id: NodeId, direction: Direction) -> impl Iterator<Item = NodeId> + '_ {
        self.relationships_of(id, direction)
            .map(|(_, other, _)| other)
    }

    /// The nodes carrying the label called `label`, in id order.
    pub fn nodes_labeled<'a>(&'a self, label: &str) -> impl Iterator<Item = NodeId> + 'a {
        self.label_id(label)
            .into_iter()
            .flat_map(move |l| self.nodes_with_label(l))
    }

    /// The relationships of type `rel_type`, in id order.
    pub fn relationships_typed<'a>(&'a self, rel_type: &str) -> impl Iterator<Item = EdgeId> + 'a {
        let wanted = self.type_id(rel_type);
        self.relationships().filter(move |r| {
            wanted.is_some() && self.relationship(*r).map(|d| d.rel_type()) == wanted
        })
    }

    /// Adds a node with labels and properties given by name; null
    /// properties are dropped.
    pub fn add_node_with<K, V>(
        &mut self,
        labels: &[&str],
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> NodeId
    where
        K: AsRef<str>,
        V: Into<Value>,
    {
        let labels = labels.iter().map(|l| self.intern_label(l)).collect();
        let properties = self.named_properties(properties);
        self.add_node(labels, properties)
    }

    /// Adds a relationship of type `rel_type` from `from` to `to`; an error
    /// if either node does not exist.
    pub fn add_relationship_with<K, V>(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel_type: &str,
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Result<EdgeId>
    where
        K: AsRef<str>,
        V: Into<Value>,
    {
        let t = self.intern_type(rel_type);
        let properties = self.named_properties(properties);
        self.add_relationship(from, to, t, properties)
            .ok_or_else(|| {
                Error::new(
                    ErrorClass::EntityNotFound,
                    "MissingNode",
                    format!(
                        "cannot connect node {} to node {}: a node does not exist",
                        from.0, to.0
                    ),
                )
            })
    }

    /// Sets (or, with null, removes) node `id`'s property `name`; returns
    /// the old value.
    pub fn set_node_property_named(
        &mut self,
        id: NodeId,
        name: &str,
        value: impl Into<Value>,
    ) -> Option<Value> {
        let key = self.intern_key(name);
        self.set_node_property(id, key, value.into())
    }

    /// The graph's content as text, one line per node and relationship
    /// (ids, labels in name order, type, properties by name), sorted: two
    /// graphs have the same dump exactly when they hold the same data
    /// under the same ids. Interned names nothing uses do not show.
    pub fn content_dump(&self) -> String {
        let props = |mut p: Vec<(&str, Value)>| {
            p.sort_by(|a, b| a.0.cmp(b.0));
            p.iter()
                .map(|(k, v)| format!("{k}={v:?}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut lines: Vec<String> = self
            .nodes()
            .map(|n| {
                let mut labels = self.node_labels(n);
                labels.sort_unstable();
                format!("node {n:?} {labels:?} {}", props(self.node_properties(n)))
            })
            .collect();
        lines.extend(self.relationships().map(|r| {
            format!(
                "rel {r:?} {:?} {:?} {}",
                self.endpoints(r),
                self.relationship_type(r),
                props(self.relationship_properties(r))
            )
        }));
        lines.sort_unstable();
        lines.join("\n")
    }

    fn named_properties<K: AsRef<str>, V: Into<Value>>(
        &mut self,
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> super::Properties {
        properties
            .into_iter()
            .map(|(k, v)| (self.intern_key(k.as_ref()), v.into()))
            .collect()
    }
}
