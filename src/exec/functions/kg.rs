//! Knowledge-graph functions: valid time (`validAt`), provenance
//! (`sources`) and entity resolution (`resolve`).

use super::{arg, type_error};
use crate::error::Result;
use crate::graph::Graph;
use crate::value::Value;

/// `validAt(x, instant)`: whether a node, relationship or path is valid at
/// `instant`; null when either is null.
pub fn valid_at(args: &[Value], graph: &Graph) -> Result<Value> {
    Ok(
        match crate::valid_time::value_valid_at(graph, arg(args, 0), arg(args, 1))? {
            Some(b) => Value::Bool(b),
            None => Value::Null,
        },
    )
}

/// `resolve(text [, label])`: the node(s) whose name or alias is `text` in
/// normal form (else the best fuzzy matches), best first, as a list;
/// with `label`, only nodes that have it.
pub fn resolve(args: &[Value], graph: &Graph) -> Result<Value> {
    let text = match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => s.clone(),
        other => return Err(type_error("resolve", "a string", other)),
    };
    let label = match arg(args, 1) {
        Value::Null => None,
        Value::String(s) => match graph.label_id(s) {
            Some(l) => Some(l),
            None => return Ok(Value::List(Default::default())),
        },
        other => {
            return Err(type_error(
                "resolve",
                "a label name as its second argument",
                other,
            ));
        }
    };
    let nodes = match label {
        None => crate::resolve::resolve(graph, &text),
        Some(l) => {
            let fits =
                |c: &crate::resolve::Candidate| graph.node(c.node).is_some_and(|d| d.has_label(l));
            let found: Vec<_> =
                crate::resolve::find(graph, &text, crate::resolve::RESOLVE_THRESHOLD, usize::MAX)
                    .into_iter()
                    .filter(fits)
                    .collect();
            let top = found.first().map(|c| c.score);
            found
                .into_iter()
                .take_while(|c| Some(c.score) == top)
                .map(|c| c.node)
                .collect()
        }
    };
    Ok(Value::List(nodes.into_iter().map(Value::Node).collect()))
}

/// `matchesName(n, text)`: whether node `n` has a name or alias equal to
/// `text` in normal form; null when either is null.
pub fn matches_name(args: &[Value], graph: &Graph) -> Result<Value> {
    match (arg(args, 0), arg(args, 1)) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::Node(n), Value::String(s)) => {
            Ok(Value::Bool(crate::resolve::names_match(graph, *n, s)))
        }
        (Value::Node(_), other) => Err(type_error(
            "matchesName",
            "a string as its second argument",
            other,
        )),
        (other, _) => Err(type_error("matchesName", "a node", other)),
    }
}

/// `sources(r)`: the source entities of a relationship, node or path.
pub fn sources(args: &[Value], graph: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::List(
            crate::provenance::sources(graph, v)?
                .iter()
                .map(crate::provenance::SourceRef::to_value)
                .collect(),
        )),
    }
}
