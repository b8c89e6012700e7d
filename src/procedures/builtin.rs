//! The `db.*` and `dbms.*` procedures that list what a graph holds.

use std::collections::BTreeSet;

use super::{Body, NativeFn, Procedure};
use crate::error::Result;
use crate::exec::{Ctx, Row};
use crate::value::Value;

/// A native procedure from its signature; built-in signatures are checked
/// by the module's tests, so one that fails to parse is left out.
pub(super) fn native(signature: &str, description: &str, f: NativeFn) -> Option<Procedure> {
    Procedure::from_signature(signature, description, Body::Native(f)).ok()
}

/// The procedures of this module.
pub(super) fn all() -> Vec<Procedure> {
    [
        native(
            "db.labels() :: (label :: STRING)",
            "List all labels in use in the graph.",
            labels,
        ),
        native(
            "db.relationshipTypes() :: (relationshipType :: STRING)",
            "List all relationship types in use in the graph.",
            relationship_types,
        ),
        native(
            "db.propertyKeys() :: (propertyKey :: STRING)",
            "List all property keys in use in the graph.",
            property_keys,
        ),
        native(
            "dbms.components() :: (name :: STRING, versions :: LIST<STRING>, edition :: STRING)",
            "List the name, version and edition of the running engine.",
            components,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn labels(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    Ok(graph
        .all_labels()
        .filter(|(id, _)| graph.label_count(*id) > 0)
        .map(|(_, name)| vec![Value::string(name)])
        .collect())
}

fn relationship_types(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    let mut used = BTreeSet::new();
    for edge in graph.relationships() {
        ctx.check()?;
        if let Some(data) = graph.relationship(edge) {
            used.insert(data.rel_type());
        }
    }
    Ok(graph
        .all_types()
        .filter(|(id, _)| used.contains(id))
        .map(|(_, name)| vec![Value::string(name)])
        .collect())
}

fn property_keys(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    let mut used = BTreeSet::new();
    for node in graph.nodes() {
        ctx.check()?;
        if let Some(data) = graph.node(node) {
            used.extend(data.properties().iter().map(|(k, _)| *k));
        }
    }
    for edge in graph.relationships() {
        ctx.check()?;
        if let Some(data) = graph.relationship(edge) {
            used.extend(data.properties().iter().map(|(k, _)| *k));
        }
    }
    Ok(graph
        .all_keys()
        .filter(|(id, _)| used.contains(id))
        .map(|(_, name)| vec![Value::string(name)])
        .collect())
}

fn components(_: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    Ok(vec![vec![
        Value::string("kgq"),
        Value::List(vec![Value::string(env!("CARGO_PKG_VERSION"))].into()),
        Value::string("embedded"),
    ]])
}
