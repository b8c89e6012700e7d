//! kgq values ⇄ PackStream: plain values map one to one; nodes,
//! relationships and paths become Bolt's structures (with element ids
//! from Bolt 5.0); temporal values become Date, Time, LocalTime,
//! LocalDateTime, DateTime (offset or zone id) and Duration structures.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::packstream::{Pack, kind};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::temporal::{nanos_of_day, time_from_nanos};
use crate::value::{DateTime, Duration, Time, Value, Zone};

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// How structures are written for the negotiated protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// Bolt 5+: nodes and relationships carry element ids.
    pub element_ids: bool,
    /// Bolt 5+ (or 4.4 with the `utc` patch): date-times are sent as UTC
    /// seconds (`I`, `i`), else as local seconds (`F`, `f`).
    pub utc_datetimes: bool,
}

pub use crate::graph::element_id::{node_element_id, relationship_element_id};

/// A value as PackStream; nodes, relationships and paths are looked up
/// in `graph`.
pub fn to_pack(value: &Value, graph: &Graph, dialect: Dialect) -> Pack {
    match value {
        Value::Null => Pack::Null,
        Value::Bool(b) => Pack::Bool(*b),
        Value::Int(i) => Pack::Int(*i),
        Value::Float(f) => Pack::Float(*f),
        Value::String(s) => Pack::String(s.to_string()),
        Value::List(items) => {
            Pack::List(items.iter().map(|v| to_pack(v, graph, dialect)).collect())
        }
        Value::Map(map) => Pack::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), to_pack(v, graph, dialect)))
                .collect(),
        ),
        Value::Node(id) => node(*id, graph, dialect),
        Value::Relationship(id) => relationship(*id, graph, dialect),
        Value::Path(path) => {
            let mut nodes: Vec<NodeId> = Vec::new();
            let mut rels: Vec<EdgeId> = Vec::new();
            let mut indices = Vec::new();
            if let Some(first) = path.nodes.first() {
                index_of(&mut nodes, *first);
            }
            for (i, rel) in path.relationships.iter().enumerate() {
                let (Some(from), Some(to)) = (path.nodes.get(i), path.nodes.get(i + 1)) else {
                    break;
                };
                let r = index_of(&mut rels, *rel) as i64 + 1;
                let forward = graph.endpoints(*rel).is_none_or(|(s, _)| s == *from);
                indices.push(Pack::Int(if forward { r } else { -r }));
                indices.push(Pack::Int(index_of(&mut nodes, *to) as i64));
            }
            Pack::Struct(
                b'P',
                vec![
                    Pack::List(nodes.iter().map(|n| node(*n, graph, dialect)).collect()),
                    Pack::List(rels.iter().map(|r| unbound(*r, graph, dialect)).collect()),
                    Pack::List(indices),
                ],
            )
        }
        Value::Date(d) => Pack::Struct(b'D', vec![Pack::Int(days(*d))]),
        Value::LocalTime(t) => Pack::Struct(b't', vec![Pack::Int(nanos_of_day(*t))]),
        Value::Time(t) => Pack::Struct(
            b'T',
            vec![
                Pack::Int(nanos_of_day(t.time)),
                Pack::Int(i64::from(t.offset)),
            ],
        ),
        Value::LocalDateTime(d) => {
            let (s, n) = seconds(*d);
            Pack::Struct(b'd', vec![Pack::Int(s), Pack::Int(n)])
        }
        Value::DateTime(d) => datetime(d, dialect),
        Value::Duration(d) => Pack::Struct(
            b'E',
            vec![
                Pack::Int(d.months),
                Pack::Int(d.days),
                Pack::Int(d.seconds),
                Pack::Int(i64::from(d.nanos)),
            ],
        ),
    }
}

/// The position of `item` in `list`, adding it at the end if missing.
fn index_of<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

fn props(pairs: Vec<(&str, Value)>, graph: &Graph, dialect: Dialect) -> Pack {
    Pack::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), to_pack(&v, graph, dialect)))
            .collect(),
    )
}

fn node(id: NodeId, graph: &Graph, dialect: Dialect) -> Pack {
    let labels = graph.node_labels(id).into_iter().map(Pack::str).collect();
    let mut fields = vec![
        Pack::Int(id.index() as i64),
        Pack::List(labels),
        props(graph.node_properties(id), graph, dialect),
    ];
    if dialect.element_ids {
        fields.push(Pack::String(node_element_id(id)));
    }
    Pack::Struct(b'N', fields)
}

fn relationship(id: EdgeId, graph: &Graph, dialect: Dialect) -> Pack {
    let (from, to) = graph
        .endpoints(id)
        .unwrap_or((NodeId(u32::MAX), NodeId(u32::MAX)));
    let mut fields = vec![
        Pack::Int(id.index() as i64),
        Pack::Int(from.index() as i64),
        Pack::Int(to.index() as i64),
        Pack::str(graph.relationship_type(id).unwrap_or_default()),
        props(graph.relationship_properties(id), graph, dialect),
    ];
    if dialect.element_ids {
        fields.push(Pack::String(relationship_element_id(id)));
        fields.push(Pack::String(node_element_id(from)));
        fields.push(Pack::String(node_element_id(to)));
    }
    Pack::Struct(b'R', fields)
}

fn unbound(id: EdgeId, graph: &Graph, dialect: Dialect) -> Pack {
    let mut fields = vec![
        Pack::Int(id.index() as i64),
        Pack::str(graph.relationship_type(id).unwrap_or_default()),
        props(graph.relationship_properties(id), graph, dialect),
    ];
    if dialect.element_ids {
        fields.push(Pack::String(relationship_element_id(id)));
    }
    Pack::Struct(b'r', fields)
}

fn days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

fn seconds(d: NaiveDateTime) -> (i64, i64) {
    let utc = d.and_utc();
    (utc.timestamp(), i64::from(utc.timestamp_subsec_nanos()))
}

fn datetime(d: &DateTime, dialect: Dialect) -> Pack {
    let (secs, nanos) = seconds(if dialect.utc_datetimes {
        d.utc()
    } else {
        d.local
    });
    let zone = d.zone.as_deref().filter(|z| Zone::named(z).is_some());
    let (tag, last) = match (zone, dialect.utc_datetimes) {
        (Some(z), true) => (b'i', Pack::str(z)),
        (Some(z), false) => (b'f', Pack::str(z)),
        (None, true) => (b'I', Pack::Int(i64::from(d.offset))),
        (None, false) => (b'F', Pack::Int(i64::from(d.offset))),
    };
    Pack::Struct(tag, vec![Pack::Int(secs), Pack::Int(nanos), last])
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorClass::TypeError, "InvalidParameter", message)
}

/// A parameter sent by a client as a kgq value. Bytes, points and graph
/// structures have no kgq counterpart and are refused.
pub fn from_pack(pack: &Pack) -> Result<Value> {
    Ok(match pack {
        Pack::Null => Value::Null,
        Pack::Bool(b) => Value::Bool(*b),
        Pack::Int(i) => Value::Int(*i),
        Pack::Float(f) => Value::Float(*f),
        Pack::String(s) => Value::String(Arc::from(s.as_str())),
        Pack::Bytes(_) => return Err(bad("kgq has no byte arrays; send a list of integers")),
        Pack::List(items) => Value::List(items.iter().map(from_pack).collect::<Result<_>>()?),
        Pack::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), from_pack(v)?)))
                .collect::<Result<BTreeMap<_, _>>>()?,
        ),
        Pack::Struct(tag, fields) => structure(*tag, fields)?,
    })
}

fn int(fields: &[Pack], i: usize, tag: u8) -> Result<i64> {
    fields.get(i).and_then(Pack::as_int).ok_or_else(|| {
        bad(format!(
            "structure 0x{tag:02X} needs an integer as field {}",
            i + 1
        ))
    })
}

fn instant(secs: i64, nanos: i64) -> Result<NaiveDateTime> {
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|n| *n < 1_000_000_000)
        .ok_or_else(|| bad("nanoseconds must be 0..999999999"))?;
    chrono::DateTime::from_timestamp(secs, nanos)
        .map(|d| d.naive_utc())
        .ok_or_else(|| bad("a date-time is out of range"))
}

fn zone_named(fields: &[Pack]) -> Result<Zone> {
    let name = fields
        .get(2)
        .and_then(Pack::as_str)
        .ok_or_else(|| bad("a zoned date-time needs a zone id"))?;
    Zone::named(name).ok_or_else(|| bad(format!("unknown time zone {name:?}")))
}

fn offset(fields: &[Pack], tag: u8) -> Result<i32> {
    i32::try_from(int(fields, 2, tag)?)
        .ok()
        .filter(|o| o.abs() <= 18 * 3600)
        .ok_or_else(|| bad("an offset must be within ±18 hours"))
}

fn structure(tag: u8, fields: &[Pack]) -> Result<Value> {
    let arity = |n: usize| {
        if fields.len() == n {
            Ok(())
        } else {
            Err(bad(format!(
                "structure 0x{tag:02X} needs {n} fields, not {}",
                fields.len()
            )))
        }
    };
    Ok(match tag {
        b'D' => {
            arity(1)?;
            let d = int(fields, 0, tag)?
                .checked_add(EPOCH_DAYS_FROM_CE)
                .and_then(|d| i32::try_from(d).ok())
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(|| bad("a date is out of range"))?;
            Value::Date(d)
        }
        b't' => {
            arity(1)?;
            Value::LocalTime(time_of_day(int(fields, 0, tag)?)?)
        }
        b'T' => {
            arity(2)?;
            let offset = i32::try_from(int(fields, 1, tag)?)
                .ok()
                .filter(|o| o.abs() <= 18 * 3600)
                .ok_or_else(|| bad("an offset must be within ±18 hours"))?;
            Value::Time(Time {
                time: time_of_day(int(fields, 0, tag)?)?,
                offset,
            })
        }
        b'd' => {
            arity(2)?;
            Value::LocalDateTime(instant(int(fields, 0, tag)?, int(fields, 1, tag)?)?)
        }
        b'I' | b'F' => {
            arity(3)?;
            let offset = offset(fields, tag)?;
            let at = instant(int(fields, 0, tag)?, int(fields, 1, tag)?)?;
            let zone = Zone::Offset(offset);
            let dt = if tag == b'I' {
                DateTime::at_utc(at, &zone)
            } else {
                DateTime::at_local(at, &zone, Some(offset))
            };
            Value::DateTime(dt.ok_or_else(|| bad("a date-time is out of range"))?)
        }
        b'i' | b'f' => {
            arity(3)?;
            let zone = zone_named(fields)?;
            let at = instant(int(fields, 0, tag)?, int(fields, 1, tag)?)?;
            let dt = if tag == b'i' {
                DateTime::at_utc(at, &zone)
            } else {
                DateTime::at_local(at, &zone, None)
            };
            Value::DateTime(dt.ok_or_else(|| bad("a date-time is out of range"))?)
        }
        b'E' => {
            arity(4)?;
            let nanos = int(fields, 3, tag)?;
            let seconds = int(fields, 2, tag)?
                .checked_add(nanos.div_euclid(1_000_000_000))
                .ok_or_else(|| bad("a duration is out of range"))?;
            Value::Duration(Duration {
                months: int(fields, 0, tag)?,
                days: int(fields, 1, tag)?,
                seconds,
                nanos: nanos.rem_euclid(1_000_000_000) as i32,
            })
        }
        b'X' | b'Y' => return Err(bad("kgq has no spatial points")),
        b'N' | b'R' | b'r' | b'P' => {
            return Err(bad(
                "nodes, relationships and paths cannot be parameters; send their ids",
            ));
        }
        other => return Err(bad(format!("unknown structure tag 0x{other:02X}"))),
    })
}

fn time_of_day(nanos: i64) -> Result<chrono::NaiveTime> {
    if !(0..crate::value::temporal::NANOS_PER_DAY).contains(&nanos) {
        return Err(bad("a time of day must be within one day"));
    }
    Ok(time_from_nanos(nanos))
}

/// The name of a PackStream value's type, for messages.
pub fn pack_kind(pack: &Pack) -> &'static str {
    kind(pack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    const V5: Dialect = Dialect {
        element_ids: true,
        utc_datetimes: true,
    };

    fn both_ways(text: &str) {
        let mut s = Session::new();
        let r = s.run(&format!("RETURN {text} AS v")).unwrap();
        let v = &r.rows[0][0];
        let pack = to_pack(v, s.graph(), V5);
        let mut bytes = Vec::new();
        super::super::packstream::encode(&pack, &mut bytes);
        let back = super::super::packstream::decode(&bytes).unwrap();
        assert_eq!(&from_pack(&back).unwrap(), v, "{text}");
    }

    #[test]
    fn values_round_trip() {
        for text in [
            "null",
            "true",
            "-5",
            "1.5",
            "'kgq'",
            "[1, 'a', [null]]",
            "{a: 1, b: {c: 'd'}}",
            "date('2025-02-10')",
            "date('1901-12-31')",
            "localtime('12:31:14.645')",
            "time('12:31:14+01:00')",
            "localdatetime('2025-02-10T08:00:00.000000001')",
            "datetime('2025-02-10T08:00:00+03:00')",
            "datetime('2025-03-30T02:30:00[Europe/Stockholm]')",
            "datetime('1969-12-31T23:59:59.5Z')",
            "duration('P1Y2M3DT4H5M6.7S')",
            "duration('-PT0.5S')",
        ] {
            both_ways(text);
        }
    }

    #[test]
    fn graph_structures_carry_element_ids_and_paths_index_correctly() {
        let mut s = Session::new();
        let r = s
            .run("CREATE p = (a:A {x: 1})-[:R {w: 2}]->(b:B)<-[:S]-(c:C) RETURN a, p")
            .unwrap();
        let g = s.graph();
        let Pack::Struct(b'N', fields) = to_pack(&r.rows[0][0], g, V5) else {
            panic!("not a node");
        };
        assert_eq!(fields[1], Pack::List(vec![Pack::str("A")]));
        assert_eq!(fields[3], Pack::str("4:kgq:0"));
        let Pack::Struct(b'P', parts) = to_pack(&r.rows[0][1], g, V5) else {
            panic!("not a path");
        };
        assert_eq!(
            parts[2],
            Pack::List(vec![
                Pack::Int(1),
                Pack::Int(1),
                Pack::Int(-2),
                Pack::Int(2)
            ])
        );
        let old = Dialect {
            element_ids: false,
            utc_datetimes: false,
        };
        let Pack::Struct(_, fields) = to_pack(&r.rows[0][0], g, old) else {
            panic!("not a node");
        };
        assert_eq!(fields.len(), 3);
    }

    #[test]
    fn unsupported_parameters_are_type_errors() {
        for p in [
            Pack::Bytes(vec![1]),
            Pack::Struct(b'X', vec![Pack::Int(1), Pack::Float(0.0), Pack::Float(0.0)]),
            Pack::Struct(b'N', vec![]),
            Pack::Struct(b'D', vec![Pack::Int(i64::MAX)]),
            Pack::Struct(b'I', vec![Pack::Int(0), Pack::Int(-1), Pack::Int(0)]),
            Pack::Struct(
                b'i',
                vec![Pack::Int(0), Pack::Int(0), Pack::str("Nowhere/Else")],
            ),
            Pack::Struct(b'Q', vec![]),
        ] {
            assert_eq!(
                from_pack(&p).unwrap_err().class,
                ErrorClass::TypeError,
                "{p:?}"
            );
        }
    }
}
