//! A Cypher script that rebuilds the graph, in kgq or another openCypher
//! database. Values are written with the language's literal syntax
//! (`date('2025-02-10')`, `duration('P1Y2M')`, `0.0/0.0` for NaN).
//!
//! A small graph (at most `batch` nodes) becomes one `CREATE` statement
//! with a variable per node. A larger one is written in batches:
//! `CREATE` statements of `batch` nodes, each node carrying a temporary
//! label `_KgqExport` and property `_kgq_export_id`; then statements that
//! `MATCH` the ends by that id and `CREATE` up to `batch / 5`
//! relationships; last, one statement removes the temporary label and
//! property. (In Neo4j, run the commented `CREATE INDEX` first.)

use std::fmt::Write as _;
use std::io::Write;

use super::Subgraph;
use crate::error::Result;
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::display::{format_float, write_key, write_quoted};
use crate::value::{Value, tagged};

/// The temporary label of nodes in a batched script.
pub const EXPORT_LABEL: &str = "_KgqExport";
/// The temporary property of nodes in a batched script.
pub const EXPORT_ID: &str = "_kgq_export_id";

/// How to write the script.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Nodes per `CREATE` statement (at least 1); graphs with more nodes
    /// are written in batches.
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { batch: 500 }
    }
}

/// Writes `subgraph` as a Cypher script.
pub fn write(
    graph: &Graph,
    subgraph: &Subgraph,
    options: Options,
    out: &mut dyn Write,
) -> Result<()> {
    let batch = options.batch.max(1);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "// Written by kgq export: {} nodes, {} relationships.\n\
         // Rebuild with `kgq import cypher FILE --out SNAPSHOT` or `kgq run FILE`.",
        subgraph.nodes.len(),
        subgraph.relationships.len()
    );
    let fail = |e: std::io::Error| super::write_error("the Cypher output", &e);
    if subgraph.nodes.len() <= batch {
        one_statement(graph, subgraph, &mut text);
        return out.write_all(text.as_bytes()).map_err(fail);
    }
    let _ = writeln!(
        text,
        "// In Neo4j, first: CREATE INDEX FOR (n:{EXPORT_LABEL}) ON (n.{EXPORT_ID});"
    );
    let positions = subgraph.positions();
    for (b, chunk) in subgraph.nodes.chunks(batch).enumerate() {
        text.push_str("CREATE ");
        for (i, n) in chunk.iter().enumerate() {
            if i > 0 {
                text.push_str(",\n       ");
            }
            node_pattern(graph, *n, None, Some(b * batch + i), &mut text);
        }
        text.push_str(";\n");
        out.write_all(text.as_bytes()).map_err(fail)?;
        text.clear();
    }
    for chunk in subgraph.relationships.chunks((batch / 5).max(1)) {
        let mut ends: Vec<u32> = chunk
            .iter()
            .filter_map(|r| graph.endpoints(*r))
            .flat_map(|(a, b)| [positions[a.index()], positions[b.index()]])
            .collect();
        ends.sort_unstable();
        ends.dedup();
        text.push_str("MATCH ");
        for (i, p) in ends.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let _ = write!(text, "(n{p}:{EXPORT_LABEL} {{{EXPORT_ID}: {p}}})");
        }
        text.push_str("\nCREATE ");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                text.push_str(",\n       ");
            }
            relationship_pattern(graph, *r, &positions, &mut text);
        }
        text.push_str(";\n");
        out.write_all(text.as_bytes()).map_err(fail)?;
        text.clear();
    }
    let _ = writeln!(
        text,
        "MATCH (n:{EXPORT_LABEL}) REMOVE n:{EXPORT_LABEL}, n.{EXPORT_ID};"
    );
    out.write_all(text.as_bytes()).map_err(fail)?;
    out.flush().map_err(fail)
}

/// The whole graph as one `CREATE` with a variable per node.
fn one_statement(graph: &Graph, subgraph: &Subgraph, text: &mut String) {
    if subgraph.nodes.is_empty() {
        return;
    }
    let positions = subgraph.positions();
    text.push_str("CREATE ");
    for (i, n) in subgraph.nodes.iter().enumerate() {
        if i > 0 {
            text.push_str(",\n       ");
        }
        node_pattern(graph, *n, Some(i), None, text);
    }
    for r in &subgraph.relationships {
        text.push_str(",\n       ");
        relationship_pattern(graph, *r, &positions, text);
    }
    text.push_str(";\n");
}

/// `(nV:Label {props})`, with the temporary label and id when `export_id` is set.
fn node_pattern(
    graph: &Graph,
    node: NodeId,
    variable: Option<usize>,
    export_id: Option<usize>,
    text: &mut String,
) {
    text.push('(');
    if let Some(v) = variable {
        let _ = write!(text, "n{v}");
    }
    for label in graph.node_labels(node) {
        text.push(':');
        let _ = write_key(text, label);
    }
    if export_id.is_some() {
        let _ = write!(text, ":{EXPORT_LABEL}");
    }
    let props = graph.node_properties(node);
    if !props.is_empty() || export_id.is_some() {
        text.push_str(" {");
        for (i, (k, v)) in props.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let _ = write_key(text, k);
            text.push_str(": ");
            literal(v, text);
        }
        if let Some(id) = export_id {
            if !props.is_empty() {
                text.push_str(", ");
            }
            let _ = write!(text, "{EXPORT_ID}: {id}");
        }
        text.push('}');
    }
    text.push(')');
}

/// `(nA)-[:TYPE {props}]->(nB)`.
fn relationship_pattern(graph: &Graph, rel: EdgeId, positions: &[u32], text: &mut String) {
    let Some((a, b)) = graph.endpoints(rel) else {
        return;
    };
    let _ = write!(text, "(n{})-[:", positions[a.index()]);
    let _ = write_key(text, graph.relationship_type(rel).unwrap_or_default());
    let props = graph.relationship_properties(rel);
    if !props.is_empty() {
        text.push_str(" {");
        for (i, (k, v)) in props.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let _ = write_key(text, k);
            text.push_str(": ");
            literal(v, text);
        }
        text.push('}');
    }
    let _ = write!(text, "]->(n{})", positions[b.index()]);
}

/// Writes a property value as an expression of the language that
/// evaluates to it.
pub fn literal(value: &Value, text: &mut String) {
    match value {
        Value::Float(f) if f.is_nan() => text.push_str("(0.0 / 0.0)"),
        Value::Float(f) if f.is_infinite() => {
            text.push_str(if *f > 0.0 {
                "(1.0 / 0.0)"
            } else {
                "(-1.0 / 0.0)"
            });
        }
        Value::Float(f) => text.push_str(&format_float(*f)),
        // The literal 9223372036854775808 does not exist; negating it is not an option.
        Value::Int(i64::MIN) => text.push_str("(-9223372036854775807 - 1)"),
        Value::Int(i) => {
            let _ = write!(text, "{i}");
        }
        Value::String(s) => {
            let _ = write_quoted(text, s);
        }
        Value::List(items) => {
            text.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.push_str(", ");
                }
                literal(item, text);
            }
            text.push(']');
        }
        other => match (tagged::tag(other), tagged::iso_text(other)) {
            (Some(tag), Some(iso)) => {
                text.push_str(tag);
                text.push('(');
                let _ = write_quoted(text, &iso);
                text.push(')');
            }
            _ => {
                let _ = write!(text, "{}", other.literal(None));
            }
        },
    }
}
