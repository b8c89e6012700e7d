//! Knowledge-graph functions: valid time (`validAt`), provenance
//! (`sources`) and entity resolution (`resolve`).

use super::arg;
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
