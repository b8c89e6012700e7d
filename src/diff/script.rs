//! A kgq script that turns graph A into graph B.

use std::fmt::Write;

use super::{GraphDiff, NodeEntry, PropertyMap, RelEntry};
use crate::value::{Value, format_float, write_key, write_quoted};

/// A value as an expression of the language that evaluates to it.
pub fn expression(value: &Value) -> String {
    let mut out = String::new();
    write_expression(&mut out, value);
    out
}

fn write_expression(out: &mut String, value: &Value) {
    let call = |out: &mut String, f: &str, v: &Value| {
        let _ = write!(out, "{f}(");
        let _ = write_quoted(out, &v.literal(None).to_string());
        out.push(')');
    };
    match value {
        Value::Float(f) if f.is_nan() => out.push_str("(0.0 / 0.0)"),
        Value::Float(f) if f.is_infinite() => {
            out.push_str(if *f > 0.0 {
                "(1.0 / 0.0)"
            } else {
                "(-1.0 / 0.0)"
            });
        }
        Value::Float(f) => out.push_str(&format_float(*f)),
        Value::String(s) => {
            let _ = write_quoted(out, s);
        }
        Value::Date(_) => call(out, "date", value),
        Value::LocalDateTime(_) => call(out, "localdatetime", value),
        Value::DateTime(_) => call(out, "datetime", value),
        Value::LocalTime(_) => call(out, "localtime", value),
        Value::Time(_) => call(out, "time", value),
        Value::Duration(_) => call(out, "duration", value),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expression(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => write_map(out, map),
        other => {
            let _ = write!(out, "{}", other.literal(None));
        }
    }
}

fn write_map(out: &mut String, map: &PropertyMap) {
    out.push('{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write_key(out, k);
        out.push_str(": ");
        write_expression(out, v);
    }
    out.push('}');
}

fn labels(n: &NodeEntry) -> String {
    let mut out = String::new();
    for l in &n.labels {
        out.push(':');
        let _ = write_key(&mut out, l);
    }
    out
}

/// A pattern that finds node `n` by its key: labels and name, or labels
/// and every property for a node without a name.
fn node_pattern(var: &str, n: &NodeEntry) -> String {
    let mut map = PropertyMap::new();
    match n.properties.get("name") {
        Some(name @ Value::String(_)) => {
            map.insert("name".to_string(), name.clone());
        }
        _ => map = n.properties.clone(),
    }
    let mut out = format!("({var}{}", labels(n));
    if !map.is_empty() {
        out.push(' ');
        write_map(&mut out, &map);
    }
    out.push(')');
    out
}

fn type_name(t: &str) -> String {
    let mut out = String::new();
    let _ = write_key(&mut out, t);
    out
}

/// A pattern that finds relationship `r` (with all its properties).
fn rel_pattern(r: &RelEntry) -> String {
    let mut props = String::new();
    if !r.properties.is_empty() {
        props.push(' ');
        write_map(&mut props, &r.properties);
    }
    format!(
        "{}-[r:{}{props}]->{}",
        node_pattern("a", &r.start),
        type_name(&r.rel_type),
        node_pattern("b", &r.end)
    )
}

impl GraphDiff {
    /// A script of kgq statements that turns A into B: removed
    /// relationships, removed nodes, added nodes, changed nodes, changed
    /// relationships, added relationships, in that order. Nodes are found by
    /// labels and name, relationships by their ends, type and properties.
    pub fn script(&self) -> String {
        let mut out = String::from("// kgq diff: turns the first graph into the second\n");
        for r in &self.removed_relationships {
            let _ = writeln!(out, "MATCH {} WITH r LIMIT 1 DELETE r;", rel_pattern(r));
        }
        for n in &self.removed_nodes {
            let _ = writeln!(
                out,
                "MATCH {} WITH n LIMIT 1 DETACH DELETE n;",
                node_pattern("n", n)
            );
        }
        for n in &self.added_nodes {
            let mut props = String::new();
            if !n.properties.is_empty() {
                props.push(' ');
                write_map(&mut props, &n.properties);
            }
            let _ = writeln!(out, "CREATE ({}{props});", labels(n));
        }
        for c in &self.changed_nodes {
            let _ = writeln!(
                out,
                "MATCH {} SET {};",
                node_pattern("n", &c.before),
                assignments("n", &c.changes)
            );
        }
        for c in &self.changed_relationships {
            let _ = writeln!(
                out,
                "MATCH {} WITH r LIMIT 1 SET {};",
                rel_pattern(&c.before),
                assignments("r", &c.changes)
            );
        }
        for r in &self.added_relationships {
            let mut props = String::new();
            if !r.properties.is_empty() {
                props.push(' ');
                write_map(&mut props, &r.properties);
            }
            let _ = writeln!(
                out,
                "MATCH {}, {} WITH a, b LIMIT 1 CREATE (a)-[:{}{props}]->(b);",
                node_pattern("a", &r.start),
                node_pattern("b", &r.end),
                type_name(&r.rel_type)
            );
        }
        out
    }
}

fn assignments(var: &str, changes: &[super::PropertyChange]) -> String {
    changes
        .iter()
        .map(|c| {
            let mut key = String::new();
            let _ = write_key(&mut key, &c.key);
            let value = c.after.as_ref().map_or("null".to_string(), expression);
            format!("{var}.{key} = {value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
