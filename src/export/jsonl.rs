//! JSON lines: one object per node, then one per relationship (the shape
//! of APOC's JSON export):
//!
//! ```text
//! {"type":"node","id":0,"labels":["Company"],"properties":{"name":"Sinotruk","founded":1956}}
//! {"type":"relationship","id":0,"label":"MAKES","start":0,"end":1,"properties":{}}
//! ```
//!
//! Booleans, integers, finite floats (always with a `.` or an exponent),
//! strings and lists are plain JSON; every other value is an object
//! `{"$type": TAG, "value": TEXT}`: temporal values with their ISO 8601
//! text ([`crate::value::tagged`]) and the floats JSON has no number for
//! (`{"$type": "float", "value": "NaN"}`).

use std::io::Write;

use serde_json::{Map, Number, Value as Json, json};

use super::Subgraph;
use crate::error::Result;
use crate::graph::Graph;
use crate::value::{Value, tagged};

/// Writes `subgraph` as JSON lines.
pub fn write(graph: &Graph, subgraph: &Subgraph, out: &mut dyn Write) -> Result<()> {
    let positions = subgraph.positions();
    let fail = |e: std::io::Error| super::write_error("the JSONL output", &e);
    for (i, n) in subgraph.nodes.iter().enumerate() {
        let line = json!({
            "type": "node",
            "id": i,
            "labels": graph.node_labels(*n),
            "properties": properties(graph.node_properties(*n)),
        });
        writeln!(out, "{line}").map_err(fail)?;
    }
    for (i, r) in subgraph.relationships.iter().enumerate() {
        let Some((a, b)) = graph.endpoints(*r) else {
            continue;
        };
        let line = json!({
            "type": "relationship",
            "id": i,
            "label": graph.relationship_type(*r).unwrap_or_default(),
            "start": positions[a.index()],
            "end": positions[b.index()],
            "properties": properties(graph.relationship_properties(*r)),
        });
        writeln!(out, "{line}").map_err(fail)?;
    }
    out.flush().map_err(fail)
}

fn properties(props: Vec<(&str, Value)>) -> Json {
    Json::Object(
        props
            .into_iter()
            .map(|(k, v)| (k.to_string(), to_json(&v)))
            .collect::<Map<_, _>>(),
    )
}

/// A value as JSON (tagged where JSON has no type for it).
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => match Number::from_f64(*f) {
            Some(n) => Json::Number(n),
            None => json!({"$type": "float", "value": tagged::special_float(*f)}),
        },
        Value::String(s) => Json::String(s.to_string()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        other => match (tagged::tag(other), tagged::iso_text(other)) {
            (Some(tag), Some(text)) => json!({"$type": tag, "value": text}),
            // Entities are not properties; their ids are the best we can say.
            _ => Json::String(other.literal(None).to_string()),
        },
    }
}

/// Reads a property value written by [`to_json`]; `Err` says why not.
pub fn from_json(json: &Json) -> std::result::Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if n.is_f64() {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            } else {
                return Err(format!("the integer {n} does not fit in 64 bits"));
            }
        }
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => {
            let items = items.iter().map(from_json).collect::<Result<Vec<_>, _>>()?;
            if items
                .iter()
                .any(|v| matches!(v, Value::List(_) | Value::Null))
            {
                return Err("a list property cannot hold lists or nulls".to_string());
            }
            Value::List(items.into())
        }
        Json::Object(map) => {
            let (Some(Json::String(tag)), Some(Json::String(text)), 2) =
                (map.get("$type"), map.get("value"), map.len())
            else {
                return Err(
                    "an object must be a tagged value {\"$type\": …, \"value\": \"…\"}; \
                     maps cannot be properties"
                        .to_string(),
                );
            };
            if tag == "float" {
                Value::Float(
                    tagged::parse_float(text).ok_or_else(|| format!("`{text}` is not a float"))?,
                )
            } else {
                tagged::parse(tag, text).ok_or_else(|| {
                    if tagged::TAGS.contains(&tag.as_str()) {
                        format!("`{text}` is not a valid {tag}")
                    } else {
                        format!("unknown $type `{tag}`")
                    }
                })?
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_stay_floats_and_specials_are_tagged() {
        for v in [
            Value::Float(1.0),
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
            Value::Int(i64::MIN),
            Value::List(vec![].into()),
            Value::from("a\"\n✓"),
        ] {
            let text = to_json(&v).to_string();
            let back: Json = serde_json::from_str(&text).unwrap();
            assert_eq!(from_json(&back).unwrap(), v, "{text}");
        }
        assert!(from_json(&json!({"a": 1})).is_err());
        assert!(from_json(&json!(u64::MAX)).is_err());
    }
}
