//! Valid time: when a node or relationship holds.
//!
//! An element may carry `valid_from` and `valid_to` (a date, local
//! date-time or date-time). It is valid at instant `t` when
//! `valid_from <= t < valid_to` (a half-open interval); a missing bound is
//! unbounded. Dates count as their midnight, and dates and local date-times
//! are read as UTC when compared with date-times that carry an offset.
//!
//! `MATCH … AS OF t` (and a session-wide as-of, see
//! [`crate::Session::set_as_of`]) keeps only elements valid at `t`;
//! `validAt(x, t)` asks the same question in an expression; [`as_of`]
//! materialises the whole graph as it stood at `t`.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::graph::{EdgeId, Graph, NodeId, Properties};
use crate::value::{Value, parse_date, parse_local_datetime};

/// The property that opens an element's validity interval.
pub const VALID_FROM: &str = "valid_from";
/// The property that closes it (exclusive).
pub const VALID_TO: &str = "valid_to";

/// The instant a temporal value stands for, on one UTC time line; `None`
/// for null; a `TypeError` for anything else.
pub fn instant_of(value: &Value, what: &str) -> Result<Option<NaiveDateTime>> {
    match value {
        Value::Null => Ok(None),
        Value::Date(d) => Ok(d.and_hms_opt(0, 0, 0)),
        Value::LocalDateTime(t) => Ok(Some(*t)),
        Value::DateTime(t) => Ok(Some(t.utc())),
        other => Err(Error::invalid_type(format!(
            "{what} must be a date or a date-time, got {}",
            other.type_name()
        ))),
    }
}

/// Reads `text` as an instant: `2025-02-10`, `2025-02-10T12:00` or
/// `2025-02-10T12:00+01:00` (for `--as-of` and `:asof`).
pub fn parse_instant(text: &str) -> Result<Value> {
    let text = text.trim();
    if let Some(d) = parse_date(text) {
        return Ok(Value::Date(d));
    }
    if let Some(t) = parse_local_datetime(text) {
        return Ok(Value::LocalDateTime(t));
    }
    if let Some(f) = crate::exec::functions::lookup("datetime")
        && let Ok(v @ Value::DateTime(_)) = f.invoke(&[Value::string(text)], &Graph::new())
    {
        return Ok(v);
    }
    Err(Error::argument(
        "InvalidArgumentValue",
        format!(
            "`{text}` is not a date or date-time (expected e.g. 2025-02-10 or 2025-02-10T12:00)"
        ),
    ))
}

/// Whether properties `props` (of some element of `graph`) make it valid
/// at `t`.
pub fn properties_valid_at(graph: &Graph, props: &Properties, t: NaiveDateTime) -> Result<bool> {
    valid_at_by(graph, |k| crate::graph::get_property(props, k).cloned(), t)
}

/// Whether the element whose property `k` is `get(k)` is valid at `t`.
pub fn valid_at_by(
    graph: &Graph,
    get: impl Fn(crate::graph::KeyId) -> Option<Value>,
    t: NaiveDateTime,
) -> Result<bool> {
    let get = |name: &str| graph.key_id(name).and_then(&get);
    if let Some(from) = get(VALID_FROM)
        && let Some(from) = instant_of(&from, VALID_FROM)?
        && t < from
    {
        return Ok(false);
    }
    if let Some(to) = get(VALID_TO)
        && let Some(to) = instant_of(&to, VALID_TO)?
        && t >= to
    {
        return Ok(false);
    }
    Ok(true)
}

/// Whether node `id` is valid at `t` (a deleted node is not).
pub fn node_valid_at(graph: &Graph, id: NodeId, t: NaiveDateTime) -> Result<bool> {
    match graph.node(id) {
        Some(data) => valid_at_by(graph, |k| data.property(k), t),
        None => Ok(false),
    }
}

/// Whether relationship `id` is valid at `t` (a deleted one is not).
pub fn relationship_valid_at(graph: &Graph, id: EdgeId, t: NaiveDateTime) -> Result<bool> {
    match graph.relationship(id) {
        Some(data) => valid_at_by(graph, |k| data.property(k), t),
        None => Ok(false),
    }
}

/// `validAt(x, t)` on values: a node, a relationship or a path (every
/// element valid); `None` when `x` or `t` is null.
pub fn value_valid_at(graph: &Graph, x: &Value, t: &Value) -> Result<Option<bool>> {
    let Some(t) = instant_of(t, "the instant of validAt()")? else {
        return Ok(None);
    };
    match x {
        Value::Null => Ok(None),
        Value::Node(n) => node_valid_at(graph, *n, t).map(Some),
        Value::Relationship(r) => relationship_valid_at(graph, *r, t).map(Some),
        Value::Path(p) => {
            for n in &p.nodes {
                if !node_valid_at(graph, *n, t)? {
                    return Ok(Some(false));
                }
            }
            for r in &p.relationships {
                if !relationship_valid_at(graph, *r, t)? {
                    return Ok(Some(false));
                }
            }
            Ok(Some(true))
        }
        other => Err(Error::invalid_type(format!(
            "validAt() expects a node, a relationship or a path, got {}",
            other.type_name()
        ))),
    }
}

/// The graph as it stood at `instant`: a copy without the nodes and
/// relationships that were not valid then (nor the relationships of the
/// nodes removed). Ids of the elements kept do not change.
pub fn as_of(graph: &Graph, instant: &Value) -> Result<Graph> {
    let Some(t) = instant_of(instant, "the as-of instant")? else {
        return Err(Error::invalid_type("the as-of instant must not be null"));
    };
    let mut out = graph.clone();
    let mut dead_nodes = Vec::new();
    for n in graph.nodes() {
        if !node_valid_at(graph, n, t)? {
            dead_nodes.push(n);
        }
    }
    let mut dead_rels = Vec::new();
    for r in graph.relationships() {
        let ends_dead = graph
            .endpoints(r)
            .is_some_and(|(a, b)| dead_nodes.contains(&a) || dead_nodes.contains(&b));
        if ends_dead || !relationship_valid_at(graph, r, t)? {
            dead_rels.push(r);
        }
    }
    for r in dead_rels {
        out.remove_relationship(r);
    }
    for n in dead_nodes {
        // Every relationship of the node is gone, so this cannot fail.
        let _ = out.remove_node(n);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        let mut s = crate::Session::new();
        s.run(
            "CREATE (p:P {name: 'p'})-[:CERTIFIED {valid_to: date('2025-02-10')}]->(:C {name: 'ru'}),
                    (p)-[:SUSPENDED {valid_from: date('2025-02-10')}]->(:C {name: 'ru2', valid_from: date('2025-01-01')})",
        )
        .unwrap();
        s.into_graph()
    }

    #[test]
    fn half_open_interval() {
        let g = graph();
        let before = as_of(&g, &parse_instant("2025-02-09").unwrap()).unwrap();
        let after = as_of(&g, &parse_instant("2025-02-10").unwrap()).unwrap();
        let early = as_of(&g, &parse_instant("2024-12-31T23:59").unwrap()).unwrap();
        assert_eq!(before.relationship_count(), 1);
        assert_eq!(after.relationship_count(), 1);
        assert_eq!(early.node_count(), 2);
        assert_eq!(early.relationship_count(), 1);
    }

    #[test]
    fn instants() {
        assert!(parse_instant("yesterday").is_err());
        assert!(instant_of(&Value::Int(3), "x").is_err());
        let zoned = parse_instant("2025-02-10T01:00+02:00").unwrap();
        let t = instant_of(&zoned, "x").unwrap().unwrap();
        assert_eq!(t.to_string(), "2025-02-09 23:00:00");
    }
}
