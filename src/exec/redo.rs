//! Redo records: the logical changes of a committed statement, by name
//! and id, so they can be written to a journal and replayed on a graph in
//! the same state to give the same result (the same ids included).

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::snapshot::value_codec::{serde_props, serde_value};
use crate::value::Value;

/// One change to a graph. (New variants go last: journals store the
/// variant's position.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// A node was created and got id `id`.
    CreateNode {
        /// The id it got.
        id: u32,
        /// Its labels.
        labels: Vec<String>,
        /// Its properties.
        #[serde(with = "serde_props")]
        properties: Vec<(String, Value)>,
    },
    /// A relationship was created and got id `id`.
    CreateRelationship {
        /// The id it got.
        id: u32,
        /// Start node.
        from: u32,
        /// End node.
        to: u32,
        /// Type name.
        rel_type: String,
        /// Its properties.
        #[serde(with = "serde_props")]
        properties: Vec<(String, Value)>,
    },
    /// A node (without relationships) was deleted.
    DeleteNode {
        /// Its id.
        id: u32,
    },
    /// A relationship was deleted.
    DeleteRelationship {
        /// Its id.
        id: u32,
    },
    /// A node property was set (null removes it).
    SetNodeProperty {
        /// The node.
        id: u32,
        /// Key name.
        key: String,
        /// The new value.
        #[serde(with = "serde_value")]
        value: Value,
    },
    /// A relationship property was set (null removes it).
    SetRelationshipProperty {
        /// The relationship.
        id: u32,
        /// Key name.
        key: String,
        /// The new value.
        #[serde(with = "serde_value")]
        value: Value,
    },
    /// A label was added to a node.
    AddLabel {
        /// The node.
        id: u32,
        /// Label name.
        label: String,
    },
    /// A label was removed from a node.
    RemoveLabel {
        /// The node.
        id: u32,
        /// Label name.
        label: String,
    },
    /// A schema command changed the declared indexes or constraints.
    Schema(crate::schema::SchemaChange),
}

fn mismatch(what: String) -> Error {
    Error::new(
        ErrorClass::FormatError,
        "JournalMismatch",
        format!("the journal does not match the snapshot: {what}"),
    )
}

fn node(graph: &Graph, id: u32) -> Result<NodeId> {
    let n = NodeId(id);
    graph
        .node(n)
        .map(|_| n)
        .ok_or_else(|| mismatch(format!("node {id} does not exist")))
}

fn rel(graph: &Graph, id: u32) -> Result<EdgeId> {
    let r = EdgeId(id);
    graph
        .relationship(r)
        .map(|_| r)
        .ok_or_else(|| mismatch(format!("relationship {id} does not exist")))
}

impl Change {
    /// Applies the change to `graph`, checking that ids come out as
    /// recorded.
    pub fn apply(self, graph: &mut Graph) -> Result<()> {
        match self {
            Change::CreateNode {
                id,
                labels,
                properties,
            } => {
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                let got = graph.add_node_with(&labels, properties);
                if got.0 != id {
                    return Err(mismatch(format!("node {id} was created as {}", got.0)));
                }
            }
            Change::CreateRelationship {
                id,
                from,
                to,
                rel_type,
                properties,
            } => {
                let (from, to) = (node(graph, from)?, node(graph, to)?);
                let got = graph.add_relationship_with(from, to, &rel_type, properties)?;
                if got.0 != id {
                    return Err(mismatch(format!(
                        "relationship {id} was created as {}",
                        got.0
                    )));
                }
            }
            Change::DeleteNode { id } => {
                let n = node(graph, id)?;
                if graph.remove_node(n).is_err() {
                    return Err(mismatch(format!("node {id} still has relationships")));
                }
            }
            Change::DeleteRelationship { id } => {
                let r = rel(graph, id)?;
                graph.remove_relationship(r);
            }
            Change::SetNodeProperty { id, key, value } => {
                let n = node(graph, id)?;
                let k = graph.intern_key(&key);
                graph.set_node_property(n, k, value);
            }
            Change::SetRelationshipProperty { id, key, value } => {
                let r = rel(graph, id)?;
                let k = graph.intern_key(&key);
                graph.set_relationship_property(r, k, value);
            }
            Change::AddLabel { id, label } => {
                let n = node(graph, id)?;
                let l = graph.intern_label(&label);
                graph.add_label(n, l);
            }
            Change::RemoveLabel { id, label } => {
                let n = node(graph, id)?;
                if let Some(l) = graph.label_id(&label) {
                    graph.remove_label(n, l);
                }
            }
            Change::Schema(change) => crate::schema::command::apply(graph, &change)?,
        }
        Ok(())
    }
}
