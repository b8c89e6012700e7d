//! Bulk loads straight into the graph: one node or relationship per row,
//! checked in full before anything changes, so a load is all or nothing.

use std::collections::HashMap;

use kgq::graph::LabelId;
use kgq::value::GroupKey;
use kgq::{ErrorClass, Graph, NodeId, Stats, Value};

/// Rows as columns: names and, for each, one value per row.
pub struct Columns {
    /// The property names.
    pub names: Vec<String>,
    /// One column per name, all of the same length.
    pub values: Vec<Vec<Value>>,
}

fn error(code: &'static str, message: String) -> kgq::Error {
    kgq::Error::new(ErrorClass::TypeError, code, message)
}

fn check_storable(cols: &Columns) -> kgq::Result<()> {
    for (name, column) in cols.names.iter().zip(&cols.values) {
        if let Some((row, v)) = column.iter().enumerate().find(|(_, v)| !v.is_storable()) {
            return Err(error(
                "InvalidPropertyType",
                format!(
                    "row {row}, column `{name}`: a {} cannot be stored as a property",
                    v.type_name()
                ),
            ));
        }
    }
    Ok(())
}

fn properties(
    graph: &mut Graph,
    cols: &Columns,
    row: usize,
    skip: &[usize],
) -> Vec<(kgq::graph::KeyId, Value)> {
    let mut props = Vec::with_capacity(cols.names.len());
    for (i, (name, column)) in cols.names.iter().zip(&cols.values).enumerate() {
        let v = &column[row];
        if skip.contains(&i) || v.is_null() {
            continue;
        }
        props.push((graph.intern_key(name), v.clone()));
    }
    props.sort_by_key(|(k, _)| *k);
    props
}

/// The nodes (with `label`, if given) by their `key` property.
fn by_key(graph: &Graph, label: Option<LabelId>, key: &str) -> HashMap<GroupKey, Vec<NodeId>> {
    let mut map: HashMap<GroupKey, Vec<NodeId>> = HashMap::new();
    let Some(key) = graph.key_id(key) else {
        return map;
    };
    let mut add = |n: NodeId| {
        if let Some(v) = graph.node(n).and_then(|d| d.property(key)) {
            map.entry(GroupKey(v.clone())).or_default().push(n);
        }
    };
    match label {
        Some(l) => graph.nodes_with_label(l).for_each(&mut add),
        None => graph.nodes().for_each(&mut add),
    }
    map
}

/// Adds a `label` node per row; with `key` (a column index), a row whose
/// key matches an existing node of that label updates that node instead.
pub fn load_nodes(
    graph: &mut Graph,
    label: &str,
    cols: &Columns,
    key: Option<usize>,
) -> kgq::Result<Stats> {
    check_storable(cols)?;
    let rows = cols.values.first().map_or(0, Vec::len);
    let mut stats = Stats::default();
    let mut existing = HashMap::new();
    if let Some(k) = key {
        if let Some(row) = cols.values[k].iter().position(Value::is_null) {
            return Err(error(
                "MissingKey",
                format!("row {row}: the key column `{}` is null", cols.names[k]),
            ));
        }
        // A label not seen yet has no nodes to update (`by_key` with no
        // label would look at every node).
        if let Some(l) = graph.label_id(label) {
            existing = by_key(graph, Some(l), &cols.names[k]);
        }
    }
    if graph
        .label_id(label)
        .is_none_or(|l| graph.label_count(l) == 0)
        && rows > 0
    {
        stats.labels_added = 1;
    }
    let label_id = graph.intern_label(label);
    for row in 0..rows {
        let found = key.and_then(|k| {
            existing
                .get(&GroupKey(cols.values[k][row].clone()))
                .and_then(|nodes| nodes.first().copied())
        });
        match found {
            Some(node) => {
                for (k, v) in properties(graph, cols, row, &[]) {
                    if graph.set_node_property(node, k, v).is_none() {
                        stats.properties_set += 1;
                    }
                }
            }
            None => {
                let props = properties(graph, cols, row, &[]);
                stats.properties_set += props.len() as u64;
                let node = graph.add_node(vec![label_id], props);
                stats.nodes_created += 1;
                if let Some(k) = key {
                    existing
                        .entry(GroupKey(cols.values[k][row].clone()))
                        .or_default()
                        .push(node);
                }
            }
        }
    }
    Ok(stats)
}

/// Where a relationship's ends are found: nodes with `label` (any node
/// without one) whose property `key` equals the row's value in `column`.
pub struct Ends<'a> {
    /// The label to look in.
    pub label: Option<&'a str>,
    /// The key property.
    pub key: &'a str,
    /// The column index of the key values.
    pub column: usize,
}

fn resolve(graph: &Graph, ends: &Ends<'_>, cols: &Columns, what: &str) -> kgq::Result<Vec<NodeId>> {
    let label = match ends.label {
        Some(l) => match graph.label_id(l) {
            Some(id) => Some(id),
            None => {
                return Err(missing(format!("no node has the {what} label `{l}`")));
            }
        },
        None => None,
    };
    let index = by_key(graph, label, ends.key);
    let column = &cols.values[ends.column];
    column
        .iter()
        .enumerate()
        .map(
            |(row, v)| match index.get(&GroupKey(v.clone())).map(Vec::as_slice) {
                Some([one]) => Ok(*one),
                Some(many) => Err(missing(format!(
                    "row {row}: {} nodes have {} = {}; a {what} must be one node",
                    many.len(),
                    ends.key,
                    v.literal(Some(graph))
                ))),
                None => Err(missing(format!(
                    "row {row}: no {what} node has {} = {}",
                    ends.key,
                    v.literal(Some(graph))
                ))),
            },
        )
        .collect()
}

fn missing(message: String) -> kgq::Error {
    kgq::Error::new(ErrorClass::EntityNotFound, "MissingNode", message)
}

/// Adds a `rel_type` relationship per row from the `src` node to the `dst`
/// node; the other columns become properties.
pub fn load_relationships(
    graph: &mut Graph,
    rel_type: &str,
    src: &Ends<'_>,
    dst: &Ends<'_>,
    cols: &Columns,
) -> kgq::Result<Stats> {
    check_storable(cols)?;
    let from = resolve(graph, src, cols, "start")?;
    let to = resolve(graph, dst, cols, "end")?;
    let t = graph.intern_type(rel_type);
    let mut stats = Stats::default();
    graph.begin_bulk_load();
    for (row, (a, b)) in from.iter().zip(&to).enumerate() {
        let props = properties(graph, cols, row, &[src.column, dst.column]);
        stats.properties_set += props.len() as u64;
        if graph.add_relationship(*a, *b, t, props).is_some() {
            stats.relationships_created += 1;
        }
    }
    graph.finish_bulk_load();
    Ok(stats)
}
