//! Exporting a graph, or the part of it a query returned, to files other
//! tools read: a Cypher script ([`cypher`]), JSON lines ([`jsonl`]), the
//! neo4j-admin CSV layout ([`neo4j`]), GraphML ([`graphml`]), and pictures
//! ([`dot`] for Graphviz, [`mermaid`]). Formats and type mappings are
//! described in `docs/formats.md`.
//!
//! ```
//! use kgq::export::{Subgraph, jsonl};
//!
//! let graph = kgq::bundled::graph().unwrap();
//! let mut out = Vec::new();
//! jsonl::write(&graph, &Subgraph::whole(&graph), &mut out).unwrap();
//! assert_eq!(out.iter().filter(|b| **b == b'\n').count(),
//!            graph.node_count() + graph.relationship_count());
//! ```

pub mod cypher;
pub mod dot;
pub mod graphml;
pub mod jsonl;
pub mod mermaid;
pub mod neo4j;
#[cfg(feature = "parquet")]
pub mod parquet;

use std::collections::BTreeSet;

use crate::error::{Error, ErrorClass};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::Value;

/// The nodes and relationships to export; every relationship's ends are
/// among the nodes. Both lists are sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// The nodes, by id.
    pub nodes: Vec<NodeId>,
    /// The relationships, by id.
    pub relationships: Vec<EdgeId>,
}

impl Subgraph {
    /// Every node and relationship of `graph`.
    pub fn whole(graph: &Graph) -> Subgraph {
        Subgraph {
            nodes: graph.nodes().collect(),
            relationships: graph.relationships().collect(),
        }
    }

    /// The nodes, relationships and paths found in a query's result rows
    /// (also inside lists and maps); a relationship brings its two ends.
    pub fn from_rows<'a>(graph: &Graph, rows: impl IntoIterator<Item = &'a [Value]>) -> Subgraph {
        let mut nodes = BTreeSet::new();
        let mut relationships = BTreeSet::new();
        let mut stack: Vec<&Value> = rows.into_iter().flatten().collect();
        while let Some(value) = stack.pop() {
            match value {
                Value::Node(n) => {
                    nodes.insert(*n);
                }
                Value::Relationship(r) => {
                    relationships.insert(*r);
                }
                Value::Path(p) => {
                    nodes.extend(p.nodes.iter().copied());
                    relationships.extend(p.relationships.iter().copied());
                }
                Value::List(items) => stack.extend(items),
                Value::Map(map) => stack.extend(map.values()),
                _ => {}
            }
        }
        relationships.retain(|r| graph.relationship(*r).is_some());
        for r in &relationships {
            if let Some((a, b)) = graph.endpoints(*r) {
                nodes.insert(a);
                nodes.insert(b);
            }
        }
        nodes.retain(|n| graph.node(*n).is_some());
        Subgraph {
            nodes: nodes.into_iter().collect(),
            relationships: relationships.into_iter().collect(),
        }
    }

    /// The position of each node in [`Subgraph::nodes`], indexed by node id
    /// (`u32::MAX` for nodes not exported): exports number nodes densely.
    pub fn positions(&self) -> Vec<u32> {
        let len = self.nodes.last().map_or(0, |n| n.index() + 1);
        let mut out = vec![u32::MAX; len];
        for (i, n) in self.nodes.iter().enumerate() {
            out[n.index()] = i as u32;
        }
        out
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Cypher script that rebuilds the graph.
    Cypher,
    /// One JSON object per node and per relationship.
    Jsonl,
    /// The neo4j-admin bulk-import CSV layout (a folder).
    Neo4j,
    /// GraphML.
    Graphml,
    /// Graphviz DOT, for pictures.
    Dot,
    /// A Mermaid flowchart, for pictures.
    Mermaid,
}

/// The caption a picture shows for a node: its `name`, else its first
/// string property (by key), else its first label, else `#id`.
pub fn caption(graph: &Graph, node: NodeId) -> String {
    if let Some(Value::String(s)) = graph.node_property(node, "name") {
        return s.to_string();
    }
    let props = graph.node_properties(node);
    if let Some(s) = props.iter().find_map(|(_, v)| v.as_str()) {
        return s.to_string();
    }
    graph
        .node_labels(node)
        .first()
        .map_or_else(|| format!("#{}", node.index()), |l| (*l).to_string())
}

/// A palette of light fills for pictures, one per label (12 colours from
/// ColorBrewer's Set3, readable under black text).
pub const PALETTE: &[&str] = &[
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];

/// The first label of every exported node, each once, in order of first
/// appearance; pictures colour nodes by it.
pub fn first_labels<'g>(graph: &'g Graph, subgraph: &Subgraph) -> Vec<&'g str> {
    let mut out: Vec<&str> = Vec::new();
    for n in &subgraph.nodes {
        if let Some(l) = graph.node_labels(*n).first()
            && !out.contains(l)
        {
            out.push(l);
        }
    }
    out
}

/// Breaks a caption into lines of about `width` characters at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// An error writing the export to `what`.
pub fn write_error(what: &str, err: &std::io::Error) -> Error {
    Error::io(what, err)
}

/// An export that cannot represent a value.
pub fn unsupported(message: String) -> Error {
    Error::new(ErrorClass::Unsupported, "CannotExport", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_bring_their_ends() {
        let mut g = Graph::new();
        let a = g.add_node_with(&["A"], [("name", "a")]);
        let b = g.add_node_with(&["B"], [("x", 1)]);
        let _c = g.add_node_with(&["C"], Vec::<(&str, Value)>::new());
        let r = g
            .add_relationship_with(a, b, "T", Vec::<(&str, Value)>::new())
            .unwrap();
        let rows = [vec![Value::List(vec![Value::Relationship(r)].into())]];
        let sub = Subgraph::from_rows(&g, rows.iter().map(Vec::as_slice));
        assert_eq!(sub.nodes, vec![a, b]);
        assert_eq!(sub.relationships, vec![r]);
        assert_eq!(caption(&g, a), "a");
        assert_eq!(caption(&g, b), "B");
        assert_eq!(
            wrap("one two three four", 8),
            vec!["one two", "three", "four"]
        );
    }
}
