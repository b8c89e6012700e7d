//! A Mermaid flowchart (`graph LR`) for pictures in Markdown: one box per
//! node with its caption, a class (colour) per first label, and the
//! relationship type on each arrow.

use std::fmt::Write as _;
use std::io::Write;

use super::{PALETTE, Subgraph, caption, first_labels};
use crate::error::Result;
use crate::graph::Graph;

/// Writes `subgraph` as a Mermaid flowchart.
pub fn write(graph: &Graph, subgraph: &Subgraph, out: &mut dyn Write) -> Result<()> {
    let labels = first_labels(graph, subgraph);
    let mut text = String::from("graph LR\n");
    let positions = subgraph.positions();
    for (i, n) in subgraph.nodes.iter().enumerate() {
        let _ = write!(text, "  n{i}[\"{}\"]", escape(&caption(graph, *n)));
        if let Some(l) = graph.node_labels(*n).first()
            && let Some(c) = labels.iter().position(|x| x == l)
        {
            let _ = write!(text, ":::c{c}");
        }
        text.push('\n');
    }
    for r in &subgraph.relationships {
        if let Some((a, b)) = graph.endpoints(*r) {
            let _ = writeln!(
                text,
                "  n{} -->|\"{}\"| n{}",
                positions[a.index()],
                escape(graph.relationship_type(*r).unwrap_or_default()),
                positions[b.index()]
            );
        }
    }
    for (i, l) in labels.iter().enumerate() {
        let _ = writeln!(
            text,
            "  classDef c{i} fill:{},stroke:#555555,color:#000000\n  %% c{i} = {}",
            PALETTE[i % PALETTE.len()],
            l.replace('\n', " ")
        );
    }
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| super::write_error("the Mermaid output", &e))
}

/// Escapes text inside a quoted Mermaid label (entity codes).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
