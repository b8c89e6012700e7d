//! Graphviz DOT for pictures: `kgq export dot | dot -Tsvg > graph.svg`.
//! Each node shows its caption ([`super::caption`], wrapped), is filled
//! with its first label's colour and has its labels as tooltip; each edge
//! shows its relationship type. A legend maps colours to labels.

use std::fmt::Write as _;
use std::io::Write;

use super::{PALETTE, Subgraph, caption, first_labels, wrap};
use crate::error::Result;
use crate::graph::Graph;

/// Writes `subgraph` as a DOT digraph.
pub fn write(graph: &Graph, subgraph: &Subgraph, out: &mut dyn Write) -> Result<()> {
    let labels = first_labels(graph, subgraph);
    let colour = |node| {
        graph
            .node_labels(node)
            .first()
            .and_then(|l| labels.iter().position(|x| x == l))
            .map_or("#ffffff", |i| PALETTE[i % PALETTE.len()])
    };
    let mut text = String::from(
        "digraph kgq {\n  rankdir=LR;\n  graph [fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.6];\n  \
         node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, margin=\"0.12,0.05\"];\n  \
         edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\"];\n",
    );
    let positions = subgraph.positions();
    for (i, n) in subgraph.nodes.iter().enumerate() {
        let lines = wrap(&caption(graph, *n), 24);
        let tooltip = graph
            .node_labels(*n)
            .iter()
            .map(|l| format!(":{l}"))
            .collect::<String>();
        let _ = writeln!(
            text,
            "  n{i} [label=\"{}\", fillcolor=\"{}\", tooltip=\"{}\"];",
            lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("\\n"),
            colour(*n),
            escape(&tooltip)
        );
    }
    for r in &subgraph.relationships {
        if let Some((a, b)) = graph.endpoints(*r) {
            let _ = writeln!(
                text,
                "  n{} -> n{} [label=\"{}\"];",
                positions[a.index()],
                positions[b.index()],
                escape(graph.relationship_type(*r).unwrap_or_default())
            );
        }
    }
    if !labels.is_empty() {
        text.push_str(
            "  subgraph cluster_legend {\n    label=\"Labels\"; fontsize=11; style=\"rounded\"; color=\"#999999\";\n",
        );
        for (i, l) in labels.iter().enumerate() {
            let _ = writeln!(
                text,
                "    legend{i} [label=\"{}\", fillcolor=\"{}\"];",
                escape(l),
                PALETTE[i % PALETTE.len()]
            );
        }
        // Stack the legend entries.
        for i in 1..labels.len() {
            let _ = writeln!(text, "    legend{} -> legend{i} [style=invis];", i - 1);
        }
        text.push_str("  }\n");
    }
    text.push_str("}\n");
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| super::write_error("the DOT output", &e))
}

/// Escapes a string for a double-quoted DOT id.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    #[test]
    fn quotes_are_escaped_and_edges_labelled() {
        let mut g = Graph::new();
        let a = g.add_node_with(&["Person"], [("name", "Say \"hi\"")]);
        let b = g.add_node_with(&["Company"], [("name", "B")]);
        g.add_relationship_with(a, b, "WORKS_AT", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::whole(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"label="Say \"hi\"""#), "{text}");
        assert!(text.contains(r#"n0 -> n1 [label="WORKS_AT"]"#), "{text}");
        assert!(text.contains("legend1"), "{text}");
    }
}
