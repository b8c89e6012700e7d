//! `db.schema.*`: the shape of the graph as found in its data — which
//! label sets and relationship types carry which properties of which
//! types, and which labels relationship types connect.

use std::collections::{BTreeMap, BTreeSet};

use super::Procedure;
use super::builtin::native;
use crate::error::Result;
use crate::exec::{Ctx, Row};
use crate::graph::{Graph, KeyId, Properties};
use crate::value::Value;

/// The procedures of this module.
pub(super) fn all() -> Vec<Procedure> {
    [
        native(
            "db.schema.nodeTypeProperties() :: (nodeType :: STRING, nodeLabels :: LIST<STRING>, \
             propertyName :: STRING, propertyTypes :: LIST<STRING>, mandatory :: BOOLEAN)",
            "Show the properties of each combination of node labels, with their types.",
            node_type_properties,
        ),
        native(
            "db.schema.relTypeProperties() :: (relType :: STRING, propertyName :: STRING, \
             propertyTypes :: LIST<STRING>, mandatory :: BOOLEAN)",
            "Show the properties of each relationship type, with their types.",
            rel_type_properties,
        ),
        native(
            "db.schema.visualization() :: (nodes :: LIST<MAP>, relationships :: LIST<MAP>)",
            "Show the labels and which relationship types connect them \
             (as maps: kgq has no virtual nodes).",
            visualization,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The properties seen on a group of elements: per key, the type names
/// seen and on how many elements.
#[derive(Default)]
struct Group {
    count: usize,
    keys: BTreeMap<String, (BTreeSet<&'static str>, usize)>,
}

impl Group {
    fn add(&mut self, graph: &Graph, props: &Properties) {
        self.count += 1;
        for (key, value) in props {
            let entry = self.keys.entry(key_name(graph, *key)).or_default();
            entry.0.insert(neo4j_type(value));
            entry.1 += 1;
        }
    }

    /// One row per property (`prefix` then name, types, mandatory), or one
    /// row of nulls when the group has no property.
    fn rows(&self, prefix: &[Value]) -> Vec<Row> {
        if self.keys.is_empty() {
            let mut row = prefix.to_vec();
            row.extend([Value::Null, Value::Null, Value::Bool(false)]);
            return vec![row];
        }
        self.keys
            .iter()
            .map(|(name, (types, seen))| {
                let mut row = prefix.to_vec();
                row.push(Value::string(name));
                row.push(Value::List(
                    types.iter().map(|t| Value::string(t)).collect(),
                ));
                row.push(Value::Bool(*seen == self.count));
                row
            })
            .collect()
    }
}

fn key_name(graph: &Graph, key: KeyId) -> String {
    graph.key_name(key).to_string()
}

/// The type name Neo4j's schema procedures give a property value.
fn neo4j_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "Boolean",
        Value::Int(_) => "Long",
        Value::Float(_) => "Double",
        Value::String(_) => "String",
        Value::List(items) => match items.first() {
            Some(Value::Bool(_)) => "BooleanArray",
            Some(Value::Int(_)) => "LongArray",
            Some(Value::Float(_)) => "DoubleArray",
            Some(Value::String(_)) => "StringArray",
            Some(Value::Date(_)) => "DateArray",
            _ => "List",
        },
        other => other.type_name(),
    }
}

/// `:`Label`:`Other`` as Neo4j writes a node type.
fn quoted_labels(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!(":`{}`", l.replace('`', "``")))
        .collect()
}

fn node_type_properties(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    let mut groups: BTreeMap<Vec<String>, Group> = BTreeMap::new();
    for node in graph.nodes() {
        ctx.check()?;
        let Some(data) = graph.node(node) else {
            continue;
        };
        let mut labels: Vec<String> = data
            .labels()
            .iter()
            .map(|l| graph.label_name(*l).to_string())
            .collect();
        labels.sort();
        groups
            .entry(labels)
            .or_default()
            .add(graph, &data.properties());
    }
    Ok(groups
        .iter()
        .flat_map(|(labels, group)| {
            let prefix = [
                Value::string(&quoted_labels(labels)),
                Value::List(labels.iter().map(|l| Value::string(l)).collect()),
            ];
            group.rows(&prefix)
        })
        .collect())
}

fn rel_type_properties(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for edge in graph.relationships() {
        ctx.check()?;
        let Some(data) = graph.relationship(edge) else {
            continue;
        };
        let name = graph.type_name(data.rel_type()).to_string();
        groups
            .entry(name)
            .or_default()
            .add(graph, &data.properties());
    }
    Ok(groups
        .iter()
        .flat_map(|(name, group)| {
            let prefix = [Value::string(&format!(":`{}`", name.replace('`', "``")))];
            group.rows(&prefix)
        })
        .collect())
}

fn visualization(ctx: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    let graph = ctx.graph;
    let mut links: BTreeSet<(String, String, String)> = BTreeSet::new();
    for edge in graph.relationships() {
        ctx.check()?;
        let (Some(data), Some((from, to))) = (graph.relationship(edge), graph.endpoints(edge))
        else {
            continue;
        };
        let rel_type = graph.type_name(data.rel_type());
        for start in node_labels(graph, from) {
            for end in node_labels(graph, to) {
                links.insert((start.clone(), rel_type.to_string(), end));
            }
        }
    }
    let nodes = graph
        .all_labels()
        .filter(|(id, _)| graph.label_count(*id) > 0)
        .map(|(_, name)| {
            let mut map = BTreeMap::new();
            map.insert("name".to_string(), Value::string(name));
            map.insert("indexes".to_string(), Value::List(Default::default()));
            map.insert("constraints".to_string(), Value::List(Default::default()));
            Value::Map(map)
        })
        .collect();
    let relationships = links
        .into_iter()
        .map(|(start, rel_type, end)| {
            let mut map = BTreeMap::new();
            map.insert("start".to_string(), Value::string(&start));
            map.insert("type".to_string(), Value::string(&rel_type));
            map.insert("end".to_string(), Value::string(&end));
            Value::Map(map)
        })
        .collect();
    Ok(vec![vec![Value::List(nodes), Value::List(relationships)]])
}

fn node_labels(graph: &Graph, node: crate::graph::NodeId) -> Vec<String> {
    graph
        .node(node)
        .map(|d| {
            d.labels()
                .iter()
                .map(|l| graph.label_name(*l).to_string())
                .collect()
        })
        .unwrap_or_default()
}
