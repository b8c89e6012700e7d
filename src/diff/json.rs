//! The JSON form of a diff.

use serde_json::{Map, Value as Json, json};

use super::{Changed, GraphDiff, NodeEntry, PropertyChange, PropertyMap, RelEntry};
use crate::value::Value;

/// A property value as JSON: strings, numbers, booleans, lists and maps
/// natively; temporal values as ISO strings.
pub fn value_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(crate::value::format_float(*f))),
        Value::String(s) => Json::String(s.to_string()),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), value_json(v))).collect()),
        other => Json::String(other.literal(None).to_string()),
    }
}

fn props_json(props: &PropertyMap) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect::<Map<_, _>>(),
    )
}

fn node_json(n: &NodeEntry) -> Json {
    json!({ "key": n.key, "labels": n.labels, "properties": props_json(&n.properties) })
}

fn rel_json(r: &RelEntry) -> Json {
    json!({
        "start": r.start.key,
        "type": r.rel_type,
        "end": r.end.key,
        "properties": props_json(&r.properties),
    })
}

fn changes_json(changes: &[PropertyChange]) -> Json {
    Json::Array(
        changes
            .iter()
            .map(|c| {
                json!({
                    "key": c.key,
                    "before": c.before.as_ref().map(value_json),
                    "after": c.after.as_ref().map(value_json),
                })
            })
            .collect(),
    )
}

impl GraphDiff {
    /// The diff as one JSON document: `nodes` and `relationships`, each
    /// with `added`, `removed` and `changed` (before, after, changes).
    pub fn to_json(&self) -> Json {
        let changed_nodes = |c: &Changed<NodeEntry>| json!({ "key": c.after.key, "labels": c.after.labels, "changes": changes_json(&c.changes) });
        let changed_rels = |c: &Changed<RelEntry>| {
            let mut v = rel_json(&c.before);
            v["changes"] = changes_json(&c.changes);
            v
        };
        json!({
            "nodes": {
                "added": self.added_nodes.iter().map(node_json).collect::<Vec<_>>(),
                "removed": self.removed_nodes.iter().map(node_json).collect::<Vec<_>>(),
                "changed": self.changed_nodes.iter().map(changed_nodes).collect::<Vec<_>>(),
            },
            "relationships": {
                "added": self.added_relationships.iter().map(rel_json).collect::<Vec<_>>(),
                "removed": self.removed_relationships.iter().map(rel_json).collect::<Vec<_>>(),
                "changed": self.changed_relationships.iter().map(changed_rels).collect::<Vec<_>>(),
            },
        })
    }
}
