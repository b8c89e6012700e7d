//! The JSON text of columns typed `json`: the JSON lines export's value
//! encoding (temporal values and special floats as `{"$type": tag,
//! "value": text}`), extended to maps (plain objects), nodes and
//! relationships (`{"$type": "node", "id": 7}`) and paths (`{"$type":
//! "path", "nodes": [...], "relationships": [...]}`), so that any value
//! survives the round trip.

use std::sync::Arc;

use serde_json::{Value as Json, json};

use crate::export::jsonl;
use crate::graph::{EdgeId, NodeId};
use crate::value::{Path, Value, tagged};

/// The JSON text of `value`.
pub fn to_text(value: &Value) -> String {
    to_json(value).to_string()
}

fn to_json(value: &Value) -> Json {
    match value {
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Value::Node(n) => json!({"$type": "node", "id": n.0}),
        Value::Relationship(r) => json!({"$type": "relationship", "id": r.0}),
        Value::Path(p) => json!({
            "$type": "path",
            "nodes": p.nodes.iter().map(|n| n.0).collect::<Vec<_>>(),
            "relationships": p.relationships.iter().map(|r| r.0).collect::<Vec<_>>(),
        }),
        other => jsonl::to_json(other),
    }
}

/// Reads text written by [`to_text`]; `Err` says what is wrong.
pub fn from_text(text: &str) -> Result<Value, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    from_json(&json)
}

fn ids(json: Option<&Json>) -> Result<Vec<u32>, String> {
    json.and_then(Json::as_array)
        .ok_or("a path needs `nodes` and `relationships` lists")?
        .iter()
        .map(|v| {
            v.as_u64()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| format!("`{v}` is not an id"))
        })
        .collect()
}

fn from_json(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Array(items) => Value::List(items.iter().map(from_json).collect::<Result<_, _>>()?),
        Json::Object(map) => match map.get("$type").and_then(Json::as_str) {
            Some("node" | "relationship") => {
                let id = ids(Some(&Json::Array(vec![
                    map.get("id").cloned().unwrap_or_default(),
                ])))?[0];
                if map.get("$type").and_then(Json::as_str) == Some("node") {
                    Value::Node(NodeId(id))
                } else {
                    Value::Relationship(EdgeId(id))
                }
            }
            Some("path") => Value::Path(Arc::new(Path {
                nodes: ids(map.get("nodes"))?.into_iter().map(NodeId).collect(),
                relationships: ids(map.get("relationships"))?
                    .into_iter()
                    .map(EdgeId)
                    .collect(),
            })),
            Some(_) => jsonl::from_json(json)?,
            None => Value::Map(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), from_json(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
        },
        other => jsonl::from_json(other)?,
    })
}

/// Whether `tag` is a temporal tag a text column may carry.
pub fn is_temporal_tag(tag: &str) -> bool {
    tagged::TAGS.contains(&tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_value_survives_json() {
        let values = [
            Value::Map(
                [
                    ("a".to_string(), Value::Int(1)),
                    (
                        "b".to_string(),
                        Value::List(vec![Value::Null, Value::List(vec![].into())].into()),
                    ),
                ]
                .into(),
            ),
            Value::Node(NodeId(3)),
            Value::Relationship(EdgeId(4)),
            Value::Path(Arc::new(Path {
                nodes: vec![NodeId(1), NodeId(2)],
                relationships: vec![EdgeId(9)],
            })),
            Value::Float(f64::NAN),
            Value::Date(chrono::NaiveDate::from_ymd_opt(2025, 2, 10).unwrap()),
        ];
        for v in &values {
            assert_eq!(&from_text(&to_text(v)).unwrap(), v, "{}", to_text(v));
        }
        assert!(from_text("{\"$type\": \"node\"}").is_err());
        assert!(from_text("[1,").is_err());
    }
}
