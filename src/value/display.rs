//! Printing values in the language's literal notation: `'text'`, `[1, 2]`,
//! `{a: 1}`, `(:Label {k: v})`, `[:TYPE {k: v}]`, `<(a)-[r]->(b)>`.

use std::fmt::{self, Write};

use super::Value;
use crate::graph::{EdgeId, Graph, NodeId};

/// A value paired with the graph its nodes and relationships live in, for
/// printing. Without a graph, entities print as their ids.
pub struct Literal<'a> {
    value: &'a Value,
    graph: Option<&'a Graph>,
}

impl Value {
    /// Prints the value in literal notation; entities are looked up in `graph`.
    pub fn literal<'a>(&'a self, graph: Option<&'a Graph>) -> Literal<'a> {
        Literal { value: self, graph }
    }
}

/// Formats a float the way the language writes it: always with a `.` or an
/// exponent, `NaN`, `Infinity`, `-Infinity`.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        format!("{f:?}")
    }
}

/// Writes `s` as a single-quoted string literal.
pub fn write_quoted(out: &mut impl Write, s: &str) -> fmt::Result {
    out.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\'' => out.write_str("\\'")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('\'')
}

/// Writes a map key, backticked when it is not a plain identifier.
pub fn write_key(out: &mut impl Write, key: &str) -> fmt::Result {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        out.write_str(key)
    } else {
        write!(out, "`{}`", key.replace('`', "``"))
    }
}

impl fmt::Display for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(f, self.value, self.graph)
    }
}

fn write_value(out: &mut impl Write, value: &Value, graph: Option<&Graph>) -> fmt::Result {
    match value {
        Value::Null => out.write_str("null"),
        Value::Bool(b) => write!(out, "{b}"),
        Value::Int(i) => write!(out, "{i}"),
        Value::Float(x) => out.write_str(&format_float(*x)),
        Value::String(s) => write_quoted(out, s),
        Value::Date(d) => out.write_str(&super::temporal::format_date(d)),
        Value::LocalDateTime(d) => out.write_str(&super::temporal::format_local_datetime(d)),
        Value::DateTime(d) => write!(out, "{d}"),
        Value::LocalTime(t) => out.write_str(&super::temporal::format_time_of_day(t)),
        Value::Time(t) => write!(out, "{t}"),
        Value::Duration(d) => write!(out, "{d}"),
        Value::List(items) => {
            out.write_char('[')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_str(", ")?;
                }
                write_value(out, item, graph)?;
            }
            out.write_char(']')
        }
        Value::Map(map) => write_entries(out, map.iter().map(|(k, v)| (k.as_str(), v)), graph),
        Value::Node(id) => write_node(out, *id, graph),
        Value::Relationship(id) => write_relationship(out, *id, graph),
        Value::Path(path) => {
            out.write_char('<')?;
            write_node(out, path.nodes[0], graph)?;
            for (i, rel) in path.relationships.iter().enumerate() {
                let next = path.nodes[i + 1];
                let forward = graph
                    .and_then(|g| g.endpoints(*rel))
                    .is_none_or(|(from, _)| from == path.nodes[i]);
                out.write_str(if forward { "-" } else { "<-" })?;
                write_relationship(out, *rel, graph)?;
                out.write_str(if forward { "->" } else { "-" })?;
                write_node(out, next, graph)?;
            }
            out.write_char('>')
        }
    }
}

fn write_entries<'v>(
    out: &mut impl Write,
    entries: impl Iterator<Item = (&'v str, &'v Value)>,
    graph: Option<&Graph>,
) -> fmt::Result {
    out.write_char('{')?;
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write_key(out, k)?;
        out.write_str(": ")?;
        write_value(out, v, graph)?;
    }
    out.write_char('}')
}

fn write_node(out: &mut impl Write, id: NodeId, graph: Option<&Graph>) -> fmt::Result {
    let Some(node) = graph.and_then(|g| g.node(id).map(|n| (g, n))) else {
        return write!(out, "(#{})", id.index());
    };
    let (g, data) = node;
    out.write_char('(')?;
    for label in data.labels() {
        out.write_char(':')?;
        write_key(out, g.label_name(*label))?;
    }
    let props = data.properties();
    let props = g.sorted_properties(&props);
    if !props.is_empty() {
        if !data.labels().is_empty() {
            out.write_char(' ')?;
        }
        write_entries(out, props.into_iter(), graph)?;
    }
    out.write_char(')')
}

fn write_relationship(out: &mut impl Write, id: EdgeId, graph: Option<&Graph>) -> fmt::Result {
    let Some((g, data)) = graph.and_then(|g| g.relationship(id).map(|r| (g, r))) else {
        return write!(out, "[#{}]", id.index());
    };
    out.write_str("[:")?;
    write_key(out, g.type_name(data.rel_type()))?;
    let props = data.properties();
    let props = g.sorted_properties(&props);
    if !props.is_empty() {
        out.write_char(' ')?;
        write_entries(out, props.into_iter(), graph)?;
    }
    out.write_char(']')
}
