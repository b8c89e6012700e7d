//! What readers see of a node or relationship: borrowed views over the
//! graph (labels or type from the topology, properties from the
//! [`PropertyStore`](super::columns::PropertyStore)), and the owned,
//! detached data a removal hands back.

use serde::{Deserialize, Serialize};

use super::{EdgeId, Graph, KeyId, LabelId, NodeId, Properties, TypeId, get_property};
use crate::value::Value;

/// A node of a graph, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    pub(super) graph: &'a Graph,
    pub(super) id: NodeId,
    pub(super) labels: &'a [LabelId],
}

impl<'a> NodeRef<'a> {
    /// The node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// The node's labels in the order they were added.
    pub fn labels(&self) -> &'a [LabelId] {
        self.labels
    }
    /// Whether the node has `label`.
    pub fn has_label(&self, label: LabelId) -> bool {
        self.labels.contains(&label)
    }
    /// The node's properties, sorted by key id (built from the columns).
    pub fn properties(&self) -> Properties {
        self.graph.store.node_properties(self.id)
    }
    /// The value of property `key`.
    pub fn property(&self, key: KeyId) -> Option<Value> {
        self.graph.store.node_property(self.id, key)
    }
}

/// A relationship of a graph, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct RelRef<'a> {
    pub(super) graph: &'a Graph,
    pub(super) id: EdgeId,
    pub(super) rel_type: TypeId,
}

impl RelRef<'_> {
    /// The relationship's id.
    pub fn id(&self) -> EdgeId {
        self.id
    }
    /// The relationship's type.
    pub fn rel_type(&self) -> TypeId {
        self.rel_type
    }
    /// The relationship's properties, sorted by key id (built from the columns).
    pub fn properties(&self) -> Properties {
        self.graph.store.relationship_properties(self.id)
    }
    /// The value of property `key`.
    pub fn property(&self, key: KeyId) -> Option<Value> {
        self.graph.store.relationship_property(self.id, key)
    }
}

/// A node taken out of a graph (what [`Graph::remove_node`] returns and
/// [`Graph::from_parts`] takes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeData {
    pub(super) labels: Vec<LabelId>,
    pub(super) properties: Properties,
}

impl NodeData {
    /// The node's labels in the order they were added.
    pub fn labels(&self) -> &[LabelId] {
        &self.labels
    }
    /// Whether the node has `label`.
    pub fn has_label(&self, label: LabelId) -> bool {
        self.labels.contains(&label)
    }
    /// The node's properties, sorted by key id.
    pub fn properties(&self) -> &Properties {
        &self.properties
    }
    /// The value of property `key`.
    pub fn property(&self, key: KeyId) -> Option<&Value> {
        get_property(&self.properties, key)
    }
}

/// A relationship taken out of a graph (what [`Graph::remove_relationship`]
/// returns and [`Graph::from_parts`] takes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeData {
    pub(super) rel_type: TypeId,
    pub(super) properties: Properties,
}

impl EdgeData {
    /// The relationship's type.
    pub fn rel_type(&self) -> TypeId {
        self.rel_type
    }
    /// The relationship's properties, sorted by key id.
    pub fn properties(&self) -> &Properties {
        &self.properties
    }
    /// The value of property `key`.
    pub fn property(&self, key: KeyId) -> Option<&Value> {
        get_property(&self.properties, key)
    }
}
