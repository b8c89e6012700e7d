//! The payload of a snapshot: plain data, encoded with bincode 2 (standard
//! configuration) through serde. Converting to and from a [`Graph`] lives
//! here; derived indexes are rebuilt by the graph, never stored.

use serde::{Deserialize, Serialize};

use super::header::format_error;
use super::value_codec::{Token, from_tokens, to_tokens};
use crate::error::Result;
use crate::graph::{EdgeId, Graph, KeyId, LabelId, NodeId, Properties, TypeId};

/// A stored property: key id (into `keys`) and the value's tokens.
pub type PropRecord = (u32, Vec<Token>);

/// Facts about the snapshot itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The kgq version that wrote the file, e.g. `0.1.0`.
    pub kgq_version: String,
    /// When the file was written, in seconds since the Unix epoch.
    pub created_unix: i64,
    /// The store generation: bumped by each checkpoint, matched against
    /// the journal so a journal already folded in is never replayed.
    pub generation: u64,
}

/// A node as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRecord {
    /// The node's id.
    pub id: u32,
    /// Label ids (into `labels`), in the node's order.
    pub labels: Vec<u32>,
    /// Properties.
    pub properties: Vec<PropRecord>,
}

/// A relationship as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelRecord {
    /// The relationship's id.
    pub id: u32,
    /// Start node id.
    pub from: u32,
    /// End node id.
    pub to: u32,
    /// Type id (into `types`).
    pub rel_type: u32,
    /// Properties.
    pub properties: Vec<PropRecord>,
}

/// The payload of format version 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayloadV2 {
    /// Facts about the file.
    pub meta: Meta,
    /// Label names; a label id is an index into this list.
    pub labels: Vec<String>,
    /// Relationship type names.
    pub types: Vec<String>,
    /// Property key names.
    pub keys: Vec<String>,
    /// Nodes in id order.
    pub nodes: Vec<NodeRecord>,
    /// Ids of deleted node slots, ascending.
    pub node_holes: Vec<u32>,
    /// Relationships in id order.
    pub relationships: Vec<RelRecord>,
    /// Ids of deleted relationship slots, ascending.
    pub relationship_holes: Vec<u32>,
}

/// A node of format version 1 (its id is its position).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeV1 {
    /// Label ids.
    pub labels: Vec<u32>,
    /// Properties.
    pub properties: Vec<PropRecord>,
}

/// A relationship of format version 1 (its id is its position).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelV1 {
    /// Start node id.
    pub from: u32,
    /// End node id.
    pub to: u32,
    /// Type id.
    pub rel_type: u32,
    /// Properties.
    pub properties: Vec<PropRecord>,
}

/// The payload of format version 1: dense ids, no holes, no generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayloadV1 {
    /// The kgq version that wrote the file.
    pub kgq_version: String,
    /// Seconds since the Unix epoch.
    pub created_unix: i64,
    /// Label names.
    pub labels: Vec<String>,
    /// Relationship type names.
    pub types: Vec<String>,
    /// Property key names.
    pub keys: Vec<String>,
    /// Nodes; the id of a node is its index.
    pub nodes: Vec<NodeV1>,
    /// Relationships; the id is the index.
    pub relationships: Vec<RelV1>,
}

impl From<PayloadV1> for PayloadV2 {
    fn from(v1: PayloadV1) -> Self {
        PayloadV2 {
            meta: Meta {
                kgq_version: v1.kgq_version,
                created_unix: v1.created_unix,
                generation: 0,
            },
            labels: v1.labels,
            types: v1.types,
            keys: v1.keys,
            nodes: v1
                .nodes
                .into_iter()
                .enumerate()
                .map(|(i, n)| NodeRecord {
                    id: i as u32,
                    labels: n.labels,
                    properties: n.properties,
                })
                .collect(),
            node_holes: Vec::new(),
            relationships: v1
                .relationships
                .into_iter()
                .enumerate()
                .map(|(i, r)| RelRecord {
                    id: i as u32,
                    from: r.from,
                    to: r.to,
                    rel_type: r.rel_type,
                    properties: r.properties,
                })
                .collect(),
            relationship_holes: Vec::new(),
        }
    }
}

fn props_out(props: &Properties) -> Result<Vec<PropRecord>> {
    props
        .iter()
        .map(|(k, v)| Ok((k.0, to_tokens(v)?)))
        .collect()
}

/// The payload describing `graph`.
pub fn from_graph(graph: &Graph, meta: Meta) -> Result<PayloadV2> {
    let (labels, types, keys) = graph.parts();
    let names = |i: &crate::graph::Interner| i.iter().map(|(_, n)| n.to_string()).collect();
    let mut nodes = Vec::with_capacity(graph.node_count());
    let mut node_holes = Vec::new();
    for slot in 0..graph.node_bound() {
        match graph.node(NodeId(slot as u32)) {
            Some(data) => nodes.push(NodeRecord {
                id: slot as u32,
                labels: data.labels().iter().map(|l| l.0).collect(),
                properties: props_out(&data.properties())?,
            }),
            None => node_holes.push(slot as u32),
        }
    }
    let mut relationships = Vec::with_capacity(graph.relationship_count());
    let mut relationship_holes = Vec::new();
    for slot in 0..graph.edge_bound() {
        let id = EdgeId(slot as u32);
        match (graph.relationship(id), graph.endpoints(id)) {
            (Some(data), Some((from, to))) => relationships.push(RelRecord {
                id: slot as u32,
                from: from.0,
                to: to.0,
                rel_type: data.rel_type().0,
                properties: props_out(&data.properties())?,
            }),
            _ => relationship_holes.push(slot as u32),
        }
    }
    Ok(PayloadV2 {
        meta,
        labels: names(labels),
        types: names(types),
        keys: names(keys),
        nodes,
        node_holes,
        relationships,
        relationship_holes,
    })
}

/// Which slot holds what: every id below `slots` is exactly one of a
/// record or a hole.
fn slot_map(ids: impl Iterator<Item = u32>, holes: &[u32], what: &str) -> Result<Vec<bool>> {
    let (lower, _) = ids.size_hint();
    let slots = lower + holes.len();
    if slots > u32::MAX as usize {
        return Err(format_error("BadPayload", format!("too many {what} slots")));
    }
    // `None` = unfilled, Some(true) = record, Some(false) = hole.
    let mut map: Vec<Option<bool>> = vec![None; slots];
    let mut fill = |id: u32, present: bool| -> Result<()> {
        match map.get_mut(id as usize) {
            Some(slot @ None) => {
                *slot = Some(present);
                Ok(())
            }
            Some(Some(_)) => Err(format_error(
                "BadPayload",
                format!("{what} id {id} occurs twice"),
            )),
            None => Err(format_error(
                "BadPayload",
                format!("{what} id {id} is beyond the {slots} slots the file describes"),
            )),
        }
    };
    for id in ids {
        fill(id, true)?;
    }
    for id in holes {
        fill(*id, false)?;
    }
    Ok(map.into_iter().map(|s| s.unwrap_or(false)).collect())
}

/// Interns `names` in order; a duplicate name is a format error.
fn intern_all(names: &[String], mut intern: impl FnMut(&str) -> u32, what: &str) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        if intern(name) as usize != i {
            return Err(format_error(
                "BadPayload",
                format!("the {what} name {name:?} occurs twice"),
            ));
        }
    }
    Ok(())
}

fn props_in(props: Vec<PropRecord>, key_count: usize) -> Result<Properties> {
    props
        .into_iter()
        .map(|(k, tokens)| {
            if k as usize >= key_count {
                return Err(format_error(
                    "BadPayload",
                    format!("property key id {k} is unknown"),
                ));
            }
            Ok((KeyId(k), from_tokens(tokens)?))
        })
        .collect()
}

/// Rebuilds a graph from a payload, with the same node and relationship
/// ids. Deleted slots become holes again; they are reused lowest id first.
pub fn to_graph(payload: PayloadV2) -> Result<Graph> {
    let mut graph = Graph::new();
    intern_all(&payload.labels, |n| graph.intern_label(n).0, "label")?;
    intern_all(&payload.types, |n| graph.intern_type(n).0, "type")?;
    intern_all(&payload.keys, |n| graph.intern_key(n).0, "key")?;
    let (label_count, type_count, key_count) = (
        payload.labels.len(),
        payload.types.len(),
        payload.keys.len(),
    );

    let node_map = slot_map(
        payload.nodes.iter().map(|n| n.id),
        &payload.node_holes,
        "node",
    )?;
    let rel_map = slot_map(
        payload.relationships.iter().map(|r| r.id),
        &payload.relationship_holes,
        "relationship",
    )?;
    if node_map.is_empty() && !rel_map.is_empty() {
        return Err(format_error(
            "BadPayload",
            "relationship slots without any node slot",
        ));
    }

    let mut nodes = payload.nodes;
    nodes.sort_by_key(|n| n.id);
    let mut nodes = nodes.into_iter();
    for (slot, present) in node_map.iter().enumerate() {
        let (labels, props) = match present.then(|| nodes.next()).flatten() {
            Some(n) => {
                let mut labels = Vec::with_capacity(n.labels.len());
                for l in n.labels {
                    if l as usize >= label_count {
                        return Err(format_error(
                            "BadPayload",
                            format!("label id {l} is unknown"),
                        ));
                    }
                    labels.push(LabelId(l));
                }
                (labels, props_in(n.properties, key_count)?)
            }
            None => (Vec::new(), Vec::new()),
        };
        let id = graph.add_node(labels, props);
        debug_assert_eq!(id.index(), slot);
    }

    let mut rels = payload.relationships;
    rels.sort_by_key(|r| r.id);
    let mut rels = rels.into_iter();
    for present in rel_map.iter() {
        let (from, to, rel_type, props) = match present.then(|| rels.next()).flatten() {
            Some(r) => {
                for end in [r.from, r.to] {
                    if !node_map.get(end as usize).copied().unwrap_or(false) {
                        return Err(format_error(
                            "BadPayload",
                            format!("relationship {} ends at missing node {end}", r.id),
                        ));
                    }
                }
                if r.rel_type as usize >= type_count {
                    return Err(format_error(
                        "BadPayload",
                        format!("relationship type id {} is unknown", r.rel_type),
                    ));
                }
                (
                    NodeId(r.from),
                    NodeId(r.to),
                    TypeId(r.rel_type),
                    props_in(r.properties, key_count)?,
                )
            }
            // A placeholder, removed below; node slot 0 exists until then.
            None => (NodeId(0), NodeId(0), TypeId(0), Vec::new()),
        };
        graph
            .add_relationship(from, to, rel_type, props)
            .ok_or_else(|| format_error("BadPayload", "a relationship could not be placed"))?;
    }

    // Remove placeholders highest id first, so the lowest hole is reused first.
    for (slot, present) in rel_map.iter().enumerate().rev() {
        if !present {
            graph.remove_relationship(EdgeId(slot as u32));
        }
    }
    for (slot, present) in node_map.iter().enumerate().rev() {
        if !present && graph.remove_node(NodeId(slot as u32)).is_err() {
            return Err(format_error(
                "BadPayload",
                "a deleted node slot is still connected",
            ));
        }
    }
    Ok(graph)
}
