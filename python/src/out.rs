//! Results detached from the graph: nodes, relationships and paths resolved
//! to their labels, types and properties while the graph is locked, so that
//! converting them to Python objects needs no lock.

use std::sync::Arc;

use kgq::{EdgeId, Graph, NodeId, Value};

/// A node as it was when the statement finished.
#[derive(Debug)]
pub struct NodeOut {
    /// The node's id.
    pub id: u64,
    /// Its labels, in the graph's order.
    pub labels: Vec<String>,
    /// Its properties, by name.
    pub properties: Vec<(String, Value)>,
}

/// A relationship as it was when the statement finished.
#[derive(Debug)]
pub struct RelOut {
    /// The relationship's id.
    pub id: u64,
    /// Its type.
    pub rel_type: String,
    /// The id of its start node.
    pub start: u64,
    /// The id of its end node.
    pub end: u64,
    /// Its properties, by name.
    pub properties: Vec<(String, Value)>,
}

/// A value whose nodes, relationships and paths are resolved.
#[derive(Debug)]
pub enum Out {
    /// A value that holds no graph entity.
    Plain(Value),
    /// A list holding at least one entity somewhere.
    List(Vec<Out>),
    /// A map holding at least one entity somewhere.
    Map(Vec<(String, Out)>),
    /// A node.
    Node(Arc<NodeOut>),
    /// A relationship.
    Rel(Arc<RelOut>),
    /// A path: its nodes and relationships in order.
    Path(Vec<Arc<NodeOut>>, Vec<Arc<RelOut>>),
}

/// Whether `v` holds a node, relationship or path somewhere.
pub fn has_entity(v: &Value) -> bool {
    match v {
        Value::Node(_) | Value::Relationship(_) | Value::Path(_) => true,
        Value::List(items) => items.iter().any(has_entity),
        Value::Map(map) => map.values().any(has_entity),
        _ => false,
    }
}

/// Resolves `id` in `graph` (a deleted node has no labels or properties).
pub fn node(graph: &Graph, id: NodeId) -> NodeOut {
    NodeOut {
        id: id.index() as u64,
        labels: graph
            .node_labels(id)
            .into_iter()
            .map(str::to_string)
            .collect(),
        properties: graph
            .node_properties(id)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// Resolves `id` in `graph`.
pub fn rel(graph: &Graph, id: EdgeId) -> RelOut {
    let (start, end) = graph.endpoints(id).map_or((u64::MAX, u64::MAX), |(a, b)| {
        (a.index() as u64, b.index() as u64)
    });
    RelOut {
        id: id.index() as u64,
        rel_type: graph.relationship_type(id).unwrap_or_default().to_string(),
        start,
        end,
        properties: graph
            .relationship_properties(id)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// Resolves every entity inside `v`.
pub fn resolve(graph: &Graph, v: Value) -> Out {
    if !has_entity(&v) {
        return Out::Plain(v);
    }
    match v {
        Value::Node(id) => Out::Node(Arc::new(node(graph, id))),
        Value::Relationship(id) => Out::Rel(Arc::new(rel(graph, id))),
        Value::Path(p) => Out::Path(
            p.nodes.iter().map(|n| Arc::new(node(graph, *n))).collect(),
            p.relationships
                .iter()
                .map(|r| Arc::new(rel(graph, *r)))
                .collect(),
        ),
        Value::List(items) => Out::List(items.into_iter().map(|v| resolve(graph, v)).collect()),
        Value::Map(map) => Out::Map(
            map.into_iter()
                .map(|(k, v)| (k, resolve(graph, v)))
                .collect(),
        ),
        other => Out::Plain(other),
    }
}
