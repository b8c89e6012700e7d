//! Converting between kgq's values and TCK values. Nodes and relationships
//! are looked up in the session's graph right after the query ran.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use kgq::Value;
use kgq::graph::{EdgeId, Graph, NodeId, Properties};

use crate::values::{TNode, TRel, TStep, TVal};

/// The TCK view of a kgq value.
pub fn to_tck(value: &Value, graph: &Graph) -> TVal {
    match value {
        Value::Null => TVal::Null,
        Value::Bool(b) => TVal::Bool(*b),
        Value::Int(i) => TVal::Int(*i),
        Value::Float(x) => TVal::Float(*x),
        Value::String(s) => TVal::Str(s.to_string()),
        // Temporal values compare through their ISO 8601 text, which is
        // what the TCK writes as expected results.
        Value::Date(_)
        | Value::LocalDateTime(_)
        | Value::DateTime(_)
        | Value::LocalTime(_)
        | Value::Time(_)
        | Value::Duration(_) => TVal::Str(value.literal(None).to_string()),
        Value::List(items) => TVal::List(items.iter().map(|v| to_tck(v, graph)).collect()),
        Value::Map(m) => TVal::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), to_tck(v, graph)))
                .collect(),
        ),
        Value::Node(id) => TVal::Node(node(*id, graph)),
        Value::Relationship(id) => TVal::Rel(rel(*id, graph)),
        Value::Path(path) => {
            let start = node(path.nodes[0], graph);
            let steps = path
                .relationships
                .iter()
                .enumerate()
                .map(|(i, r)| TStep {
                    rel: rel(*r, graph),
                    forward: graph
                        .endpoints(*r)
                        .is_none_or(|(from, _)| from == path.nodes[i]),
                    node: node(path.nodes[i + 1], graph),
                })
                .collect();
            TVal::Path(start, steps)
        }
    }
}

fn props(p: &Properties, graph: &Graph) -> BTreeMap<String, TVal> {
    p.iter()
        .map(|(k, v)| (graph.key_name(*k).to_string(), to_tck(v, graph)))
        .collect()
}

/// A node; a deleted one shows as `()`.
fn node(id: NodeId, graph: &Graph) -> TNode {
    match graph.node(id) {
        Some(n) => TNode {
            labels: n
                .labels()
                .iter()
                .map(|l| graph.label_name(*l).to_string())
                .collect(),
            props: props(&n.properties(), graph),
        },
        None => TNode {
            labels: BTreeSet::new(),
            props: BTreeMap::new(),
        },
    }
}

/// A relationship; a deleted one shows as `[:?]`.
fn rel(id: EdgeId, graph: &Graph) -> TRel {
    match graph.relationship(id) {
        Some(r) => TRel {
            rel_type: graph.type_name(r.rel_type()).to_string(),
            props: props(&r.properties(), graph),
        },
        None => TRel {
            rel_type: "?".into(),
            props: BTreeMap::new(),
        },
    }
}

/// A parameter value for kgq; entities cannot be parameters.
pub fn to_kgq(value: &TVal) -> Result<Value, String> {
    Ok(match value {
        TVal::Null => Value::Null,
        TVal::Bool(b) => Value::Bool(*b),
        TVal::Int(i) => Value::Int(*i),
        TVal::Float(x) => Value::Float(*x),
        TVal::Str(s) => Value::String(Arc::from(s.as_str())),
        TVal::List(items) => Value::List(items.iter().map(to_kgq).collect::<Result<_, _>>()?),
        TVal::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), to_kgq(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => return Err(format!("cannot pass {other} as a parameter")),
    })
}
