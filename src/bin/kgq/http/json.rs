//! Value ⇄ JSON for the HTTP API, in Neo4j's Query API mappings: plain
//! JSON (the default) and typed JSON (`Accept:
//! application/vnd.neo4j.query`), where every value is
//! `{"$type": …, "_value": …}`. This is the one place the server turns
//! values into JSON and JSON parameters into values.

use std::collections::BTreeMap;

use kgq::value::tagged;
use kgq::{EdgeId, Graph, NodeId, Value};
use serde_json::{Map, Number, Value as Json, json};

/// The media type that asks for (or sends) typed JSON.
pub const TYPED_MEDIA: &str = "application/vnd.neo4j.query";

/// Which JSON mapping a request asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    /// Plain JSON: temporal values as ISO strings, integers as numbers.
    Plain,
    /// Typed JSON: every value tagged with its type.
    Typed,
}

pub use kgq::graph::element_id::{node_element_id, relationship_element_id};

/// The index an element id names, if it is a node id (`node`) or a
/// relationship id (`!node`) of this server.
pub fn parse_element_id(text: &str, node: bool) -> Option<u32> {
    use kgq::graph::element_id::{parse_node_element_id, parse_relationship_element_id};
    if node {
        parse_node_element_id(text).map(|n| n.0)
    } else {
        parse_relationship_element_id(text).map(|r| r.0)
    }
}

/// The Neo4j type name of a temporal value.
fn temporal_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Date(_) => "Date",
        Value::LocalDateTime(_) => "LocalDateTime",
        Value::DateTime(d) if d.zone.as_deref().is_some_and(|z| z.contains('/')) => "ZonedDateTime",
        Value::DateTime(_) => "OffsetDateTime",
        Value::LocalTime(_) => "LocalTime",
        Value::Time(_) => "Time",
        Value::Duration(_) => "Duration",
        _ => return None,
    })
}

fn typed(kind: &str, value: Json) -> Json {
    json!({"$type": kind, "_value": value})
}

/// A float as JSON: a number when finite, else its text (`NaN`, `Infinity`).
fn float_json(f: f64) -> Json {
    match Number::from_f64(f) {
        Some(n) => Json::Number(n),
        None => Json::String(tagged::special_float(f).unwrap_or("NaN").to_string()),
    }
}

/// Writes `value` (from `graph`) as JSON in `mapping`.
pub fn to_json(value: &Value, graph: &Graph, mapping: Mapping) -> Json {
    let plain = mapping == Mapping::Plain;
    match value {
        Value::Null if plain => Json::Null,
        Value::Null => typed("Null", Json::Null),
        Value::Bool(b) if plain => Json::Bool(*b),
        Value::Bool(b) => typed("Boolean", Json::Bool(*b)),
        Value::Int(i) if plain => Json::from(*i),
        Value::Int(i) => typed("Integer", Json::String(i.to_string())),
        Value::Float(f) if plain => float_json(*f),
        Value::Float(f) => typed("Float", Json::String(kgq::value::format_float(*f))),
        Value::String(s) if plain => Json::String(s.to_string()),
        Value::String(s) => typed("String", Json::String(s.to_string())),
        Value::List(items) => {
            let list = items.iter().map(|v| to_json(v, graph, mapping)).collect();
            if plain {
                Json::Array(list)
            } else {
                typed("List", Json::Array(list))
            }
        }
        Value::Map(map) => {
            let obj = map_json(map.iter().map(|(k, v)| (k.as_str(), v)), graph, mapping);
            if plain { obj } else { typed("Map", obj) }
        }
        Value::Node(id) => node_json(*id, graph, mapping),
        Value::Relationship(id) => relationship_json(*id, graph, mapping),
        Value::Path(path) => {
            let mut items = Vec::with_capacity(path.nodes.len() * 2);
            for (i, n) in path.nodes.iter().enumerate() {
                items.push(node_json(*n, graph, mapping));
                if let Some(r) = path.relationships.get(i) {
                    items.push(relationship_json(*r, graph, mapping));
                }
            }
            if plain {
                Json::Array(items)
            } else {
                typed("Path", Json::Array(items))
            }
        }
        temporal => {
            let text = tagged::iso_text(temporal).unwrap_or_default();
            match temporal_type(temporal) {
                Some(kind) if !plain => typed(kind, Json::String(text)),
                _ => Json::String(text),
            }
        }
    }
}

fn map_json<'a>(
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
    graph: &Graph,
    mapping: Mapping,
) -> Json {
    let mut obj = Map::new();
    for (k, v) in entries {
        obj.insert(k.to_string(), to_json(v, graph, mapping));
    }
    Json::Object(obj)
}

/// A node: element id, labels and properties (a deleted node has none).
pub fn node_json(id: NodeId, graph: &Graph, mapping: Mapping) -> Json {
    let labels: Vec<&str> = graph.node_labels(id);
    let props = map_json(
        graph.node_properties(id).iter().map(|(k, v)| (*k, v)),
        graph,
        mapping,
    );
    match mapping {
        Mapping::Plain => json!({
            "elementId": node_element_id(id),
            "labels": labels,
            "properties": props,
        }),
        Mapping::Typed => typed(
            "Node",
            json!({
                "_element_id": node_element_id(id),
                "_labels": labels,
                "_properties": props,
            }),
        ),
    }
}

/// A relationship: element id, its ends' element ids, type and properties.
pub fn relationship_json(id: EdgeId, graph: &Graph, mapping: Mapping) -> Json {
    let (start, end) = graph
        .endpoints(id)
        .map(|(a, b)| (node_element_id(a), node_element_id(b)))
        .unwrap_or_default();
    let rel_type = graph.relationship_type(id).unwrap_or_default();
    let props = map_json(
        graph
            .relationship_properties(id)
            .iter()
            .map(|(k, v)| (*k, v)),
        graph,
        mapping,
    );
    match mapping {
        Mapping::Plain => json!({
            "elementId": relationship_element_id(id),
            "startNodeElementId": start,
            "endNodeElementId": end,
            "type": rel_type,
            "properties": props,
        }),
        Mapping::Typed => typed(
            "Relationship",
            json!({
                "_element_id": relationship_element_id(id),
                "_start_node_element_id": start,
                "_end_node_element_id": end,
                "_type": rel_type,
                "_properties": props,
            }),
        ),
    }
}

/// Reads a parameter value sent in `mapping`. Plain JSON numbers without a
/// fraction or exponent become integers, other numbers floats; typed JSON
/// reads each `$type`. Nodes and relationships cannot be parameters.
pub fn from_json(json: &Json, mapping: Mapping) -> Result<Value, String> {
    match mapping {
        Mapping::Plain => from_plain(json),
        Mapping::Typed => from_typed(json),
    }
}

fn from_plain(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => number(n)?,
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::List(items.iter().map(from_plain).collect::<Result<_, _>>()?),
        Json::Object(obj) => Value::Map(
            obj.iter()
                .map(|(k, v)| Ok((k.clone(), from_plain(v)?)))
                .collect::<Result<BTreeMap<_, _>, String>>()?,
        ),
    })
}

fn number(n: &Number) -> Result<Value, String> {
    if let Some(i) = n.as_i64() {
        return Ok(Value::Int(i));
    }
    if n.is_u64() {
        return Err(format!("{n} is too large for an integer"));
    }
    n.as_f64()
        .map(Value::Float)
        .ok_or_else(|| format!("{n} is not a number kgq can hold"))
}

fn from_typed(json: &Json) -> Result<Value, String> {
    let Json::Object(obj) = json else {
        return Err(format!(
            "a typed value must be an object with $type and _value, not {json}"
        ));
    };
    let kind = obj
        .get("$type")
        .and_then(Json::as_str)
        .ok_or("a typed value needs a string $type")?;
    let value = obj.get("_value").unwrap_or(&Json::Null);
    let text = || {
        value
            .as_str()
            .ok_or_else(|| format!("the _value of a {kind} must be a string"))
    };
    let tag = match kind {
        "Null" => return Ok(Value::Null),
        "Boolean" => {
            return value
                .as_bool()
                .map(Value::Bool)
                .ok_or_else(|| "the _value of a Boolean must be true or false".to_string());
        }
        "Integer" => {
            let t = text()?;
            return t
                .parse()
                .map(Value::Int)
                .map_err(|_| format!("{t:?} is not a 64-bit integer"));
        }
        "Float" => {
            let t = text()?;
            return tagged::parse_float(t)
                .map(Value::Float)
                .ok_or_else(|| format!("{t:?} is not a float"));
        }
        "String" => return Ok(Value::from(text()?)),
        "List" => {
            let items = value
                .as_array()
                .ok_or("the _value of a List must be an array")?;
            return Ok(Value::List(
                items.iter().map(from_typed).collect::<Result<_, _>>()?,
            ));
        }
        "Map" => {
            let entries = value
                .as_object()
                .ok_or("the _value of a Map must be an object")?;
            return Ok(Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), from_typed(v)?)))
                    .collect::<Result<BTreeMap<_, _>, String>>()?,
            ));
        }
        "Date" => "date",
        "LocalDateTime" => "localdatetime",
        "OffsetDateTime" | "ZonedDateTime" => "datetime",
        "LocalTime" => "localtime",
        "Time" => "time",
        "Duration" => "duration",
        other => return Err(format!("kgq cannot take a parameter of type {other}")),
    };
    let t = text()?;
    tagged::parse(tag, t).ok_or_else(|| format!("{t:?} is not a {kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_ways(value: Value) {
        let graph = Graph::new();
        let typed = to_json(&value, &graph, Mapping::Typed);
        assert_eq!(
            from_json(&typed, Mapping::Typed).as_ref(),
            Ok(&value),
            "{typed}"
        );
    }

    #[test]
    fn typed_values_round_trip() {
        both_ways(Value::Int(i64::MIN));
        both_ways(Value::Float(1.5));
        both_ways(Value::from("Rosstandart"));
        both_ways(Value::Bool(true));
        both_ways(Value::Null);
        both_ways(Value::Date(kgq::value::parse_date("2025-02-10").unwrap()));
        both_ways(tagged::parse("datetime", "2025-02-10T12:00:00+03:00").unwrap());
        both_ways(tagged::parse("duration", "P1Y2M3DT4H").unwrap());
        both_ways(Value::List(vec![Value::Int(1), Value::from("a")].into()));
        let mut map = BTreeMap::new();
        map.insert("k".to_string(), Value::Float(-0.25));
        both_ways(Value::Map(map));
    }

    #[test]
    fn plain_temporal_is_iso_text_and_typed_carries_the_type() {
        let graph = Graph::new();
        let date = Value::Date(kgq::value::parse_date("2025-02-10").unwrap());
        assert_eq!(to_json(&date, &graph, Mapping::Plain), json!("2025-02-10"));
        assert_eq!(
            to_json(&date, &graph, Mapping::Typed),
            json!({"$type": "Date", "_value": "2025-02-10"})
        );
        let zoned = tagged::parse("datetime", "2025-02-10T12:00:00[Europe/Moscow]").unwrap();
        assert_eq!(
            to_json(&zoned, &graph, Mapping::Typed)["$type"],
            "ZonedDateTime"
        );
    }

    #[test]
    fn plain_numbers_keep_integer_and_float_apart() {
        assert_eq!(from_json(&json!(3), Mapping::Plain), Ok(Value::Int(3)));
        assert_eq!(
            from_json(&json!(3.0), Mapping::Plain),
            Ok(Value::Float(3.0))
        );
        assert!(from_json(&json!(u64::MAX), Mapping::Plain).is_err());
        assert!(from_json(&json!({"$type": "Node", "_value": {}}), Mapping::Typed).is_err());
    }

    #[test]
    fn nodes_have_element_ids_labels_and_properties() {
        let mut graph = Graph::new();
        let id = graph.add_node_with(&["Agency"], [("name", Value::from("Rosstandart"))]);
        let plain = node_json(id, &graph, Mapping::Plain);
        assert_eq!(plain["labels"], json!(["Agency"]));
        assert_eq!(plain["properties"]["name"], "Rosstandart");
        let element_id = plain["elementId"].as_str().unwrap();
        assert_eq!(parse_element_id(element_id, true), Some(id.0));
        assert_eq!(parse_element_id(element_id, false), None);
    }
}
