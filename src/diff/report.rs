//! The readable report of a diff.

use std::fmt::Write;

use super::{Changed, GraphDiff, NodeEntry, PropertyChange, PropertyMap, RelEntry};
use crate::value::Value;

fn props(map: &PropertyMap) -> String {
    if map.is_empty() {
        String::new()
    } else {
        format!(" {}", Value::Map(map.clone()).literal(None))
    }
}

fn node(n: &NodeEntry) -> String {
    let labels: String = n.labels.iter().map(|l| format!(":{l}")).collect();
    format!("({labels}{})", props(&n.properties))
}

/// A node as an end of a relationship: its name, else its key.
fn end(n: &NodeEntry) -> String {
    match n.name() {
        Some(name) => name.to_string(),
        None => n.key.clone(),
    }
}

fn rel(r: &RelEntry) -> String {
    format!(
        "({})-[:{}{}]->({})",
        end(&r.start),
        r.rel_type,
        props(&r.properties),
        end(&r.end)
    )
}

fn rel_head(r: &RelEntry) -> String {
    format!("({})-[:{}]->({})", end(&r.start), r.rel_type, end(&r.end))
}

fn change_lines(out: &mut String, changes: &[PropertyChange]) {
    let show = |v: &Option<Value>| match v {
        Some(v) => v.literal(None).to_string(),
        None => "(absent)".to_string(),
    };
    for c in changes {
        let _ = writeln!(
            out,
            "      {}: {} → {}",
            c.key,
            show(&c.before),
            show(&c.after)
        );
    }
}

fn section<T>(
    out: &mut String,
    title: &str,
    added: &[T],
    removed: &[T],
    changed: &[Changed<T>],
    full: impl Fn(&T) -> String,
    head: impl Fn(&T) -> String,
) {
    let _ = writeln!(
        out,
        "{title}: {} added, {} removed, {} changed",
        added.len(),
        removed.len(),
        changed.len()
    );
    for x in added {
        let _ = writeln!(out, "  + {}", full(x));
    }
    for x in removed {
        let _ = writeln!(out, "  - {}", full(x));
    }
    for c in changed {
        let _ = writeln!(out, "  ~ {}", head(&c.after));
        change_lines(out, &c.changes);
    }
}

impl GraphDiff {
    /// The diff as a readable report: a section for nodes and one for
    /// relationships, `+` added, `-` removed, `~` changed with one line per
    /// property (`key: before → after`).
    pub fn report(&self) -> String {
        if self.is_empty() {
            return "No differences.\n".to_string();
        }
        let mut out = String::new();
        section(
            &mut out,
            "Nodes",
            &self.added_nodes,
            &self.removed_nodes,
            &self.changed_nodes,
            node,
            |n| {
                let labels: String = n.labels.iter().map(|l| format!(":{l}")).collect();
                format!("({labels} {})", end(n))
            },
        );
        section(
            &mut out,
            "Relationships",
            &self.added_relationships,
            &self.removed_relationships,
            &self.changed_relationships,
            rel,
            rel_head,
        );
        out
    }
}
