//! GraphML, readable by networkx, Gephi, yEd and APOC. Every property
//! gets a typed `<key>` per (node or edge, name, type): `boolean`,
//! `long` (integers), `double` (floats, `NaN` / `Infinity` as text),
//! `string`. Values GraphML has no type for are `string` keys with a
//! `kgq:type` attribute: a temporal tag (`date`, `datetime`, …, see
//! [`crate::value::tagged`]) with the ISO 8601 text, or `list` with the
//! list as JSON (elements as in [`super::jsonl`]). Labels are the node
//! key `labels` (`:Company:Org`, as APOC writes them), relationship types
//! the edge key `label`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use super::Subgraph;
use crate::error::Result;
use crate::graph::Graph;
use crate::value::{Value, tagged};

/// The namespace of the `kgq:type` attribute.
pub const KGQ_NAMESPACE: &str = "https://kgq.dev/ns/graphml";

/// The GraphML type of a value and its `kgq:type`, if any.
pub fn key_type(value: &Value) -> (&'static str, Option<&'static str>) {
    match value {
        Value::Bool(_) => ("boolean", None),
        Value::Int(_) => ("long", None),
        Value::Float(_) => ("double", None),
        Value::List(_) => ("string", Some("list")),
        other => ("string", tagged::tag(other)),
    }
}

/// The text of a value under its key.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => tagged::special_float(*f).map_or_else(|| format!("{f:?}"), String::from),
        Value::String(s) => s.to_string(),
        Value::List(_) => super::jsonl::to_json(value).to_string(),
        other => tagged::iso_text(other).unwrap_or_default(),
    }
}

type KeySpec = (bool, String, &'static str, Option<&'static str>);

/// Writes `subgraph` as a GraphML document.
pub fn write(graph: &Graph, subgraph: &Subgraph, out: &mut dyn Write) -> Result<()> {
    // Keys first: one per (node/edge, name, type), numbered in order of use.
    let mut keys: HashMap<KeySpec, String> = HashMap::new();
    let mut order: Vec<KeySpec> = Vec::new();
    let mut key_of = |node: bool, name: &str, value: &Value| -> String {
        let (ty, kgq) = key_type(value);
        let spec = (node, name.to_string(), ty, kgq);
        let next = format!("{}{}", if node { "n" } else { "e" }, order.len());
        keys.entry(spec.clone())
            .or_insert_with(|| {
                order.push(spec);
                next
            })
            .clone()
    };
    let mut body = String::new();
    for (i, n) in subgraph.nodes.iter().enumerate() {
        let labels: String = graph
            .node_labels(*n)
            .iter()
            .map(|l| format!(":{l}"))
            .collect();
        let _ = write!(
            body,
            "    <node id=\"n{i}\"><data key=\"labels\">{}</data>",
            escape(&labels)
        );
        for (k, v) in graph.node_properties(*n) {
            let id = key_of(true, k, &v);
            let _ = write!(
                body,
                "<data key=\"{id}\">{}</data>",
                escape(&value_text(&v))
            );
        }
        body.push_str("</node>\n");
    }
    let positions = subgraph.positions();
    for (i, r) in subgraph.relationships.iter().enumerate() {
        let Some((a, b)) = graph.endpoints(*r) else {
            continue;
        };
        let _ = write!(
            body,
            "    <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\"><data key=\"label\">{}</data>",
            positions[a.index()],
            positions[b.index()],
            escape(graph.relationship_type(*r).unwrap_or_default())
        );
        for (k, v) in graph.relationship_properties(*r) {
            let id = key_of(false, k, &v);
            let _ = write!(
                body,
                "<data key=\"{id}\">{}</data>",
                escape(&value_text(&v))
            );
        }
        body.push_str("</edge>\n");
    }
    let mut head = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:kgq=\"{KGQ_NAMESPACE}\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n  \
         <key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n  \
         <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
    );
    for spec in &order {
        let (node, name, ty, kgq) = spec;
        let id = keys.get(spec).cloned().unwrap_or_default();
        let _ = write!(
            head,
            "  <key id=\"{id}\" for=\"{}\" attr.name=\"{}\" attr.type=\"{ty}\"",
            if *node { "node" } else { "edge" },
            escape(name)
        );
        if let Some(k) = kgq {
            let _ = write!(head, " kgq:type=\"{k}\"");
        }
        head.push_str("/>\n");
    }
    head.push_str("  <graph id=\"G\" edgedefault=\"directed\">\n");
    let fail = |e: std::io::Error| super::write_error("the GraphML output", &e);
    out.write_all(head.as_bytes()).map_err(fail)?;
    out.write_all(body.as_bytes()).map_err(fail)?;
    out.write_all(b"  </graph>\n</graphml>\n").map_err(fail)?;
    out.flush().map_err(fail)
}

/// Escapes text for XML content and attribute values; carriage returns,
/// tabs and newlines become character references so that no reader
/// normalises them away. Characters XML 1.0 cannot hold at all (other
/// control characters) are written as `\u{…}`-free U+FFFD replacements.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
