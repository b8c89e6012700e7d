//! Checking a graph against its constraints.

use std::collections::HashMap;

use super::{ConstraintDef, ConstraintKind};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::value::{GroupKey, Value};

/// Fails on the first constraint the graph breaks, naming it. Takes time
/// in proportion to the nodes with a constrained label.
pub fn check(graph: &Graph) -> Result<()> {
    for constraint in &graph.schema().constraints {
        check_one(graph, constraint)?;
    }
    Ok(())
}

fn check_one(graph: &Graph, c: &ConstraintDef) -> Result<()> {
    let Some(label) = graph.label_id(&c.label) else {
        return Ok(());
    };
    let keys: Vec<Option<crate::graph::KeyId>> =
        c.properties.iter().map(|p| graph.key_id(p)).collect();
    let mut seen: HashMap<Vec<GroupKey>, crate::graph::NodeId> = HashMap::new();
    for node in graph.nodes_with_label(label) {
        let Some(data) = graph.node(node) else {
            continue;
        };
        let values: Vec<Option<Value>> = keys
            .iter()
            .map(|k| k.and_then(|k| data.property(k)))
            .collect();
        let complete = values.iter().all(Option::is_some);
        if matches!(c.kind, ConstraintKind::NotNull | ConstraintKind::NodeKey) && !complete {
            return Err(broken(
                c,
                format!(
                    "node #{} with label `{}` must have {}",
                    node.index(),
                    c.label,
                    list(&c.properties)
                ),
            ));
        }
        if c.kind == ConstraintKind::NotNull || !complete {
            continue;
        }
        let key: Vec<GroupKey> = values
            .into_iter()
            .map(|v| GroupKey(v.unwrap_or_default()))
            .collect();
        if let Some(other) = seen.insert(key, node) {
            let shown: Vec<String> = keys
                .iter()
                .filter_map(|k| k.and_then(|k| data.property(k)))
                .map(|v| v.literal(Some(graph)).to_string())
                .collect();
            return Err(broken(
                c,
                format!(
                    "nodes #{} and #{} with label `{}` both have {} = {}",
                    other.index(),
                    node.index(),
                    c.label,
                    list(&c.properties),
                    shown.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn list(properties: &[String]) -> String {
    properties
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn broken(c: &ConstraintDef, what: String) -> Error {
    Error::new(
        ErrorClass::ConstraintVerificationFailed,
        "ConstraintValidationFailed",
        format!("{what}, which breaks constraint `{}`", c.name),
    )
}
