//! Bulk loads of record batches by key, as the Python bindings'
//! `load_nodes` and `load_relationships` make them: one node or
//! relationship per row; a node row whose key matches an existing node
//! (or an earlier row) updates it; relationship ends are found by a key
//! property. Everything is checked before anything changes, so a load is
//! all or nothing. (The Parquet import's keyed loads are in [`super::load`].)
//!
//! The work is column-wise: the Arrow columns are decoded once
//! ([`Batches::decode`], outside the graph's write lock), every column's property
//! key is interned once, and each row's properties are moved (not cloned)
//! out of the columns in key order, so no row needs a sort, a map or a
//! name lookup. Keys are found through one hash map per load.

use std::collections::HashMap;

use crate::graph::{KeyId, LabelId};
use crate::value::GroupKey;
use crate::{ErrorClass, Graph, NodeId, Stats, Value};
use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;

/// Arrow record batches as read from Python, not decoded yet.
pub struct Batches {
    /// The schema every batch has.
    pub schema: SchemaRef,
    /// The batches, in order.
    pub batches: Vec<RecordBatch>,
}

impl Batches {
    /// The column names.
    pub fn names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// Every column decoded into values ([`super::array_to_values`]).
    pub fn decode(&self) -> crate::Result<Columns> {
        let fields = self.schema.fields();
        let mut values: Vec<Vec<Value>> = vec![Vec::new(); fields.len()];
        for batch in &self.batches {
            for ((field, array), column) in fields.iter().zip(batch.columns()).zip(&mut values) {
                let decoded = super::array_to_values(field, array.as_ref())?;
                if column.is_empty() {
                    // One batch (the usual case): no copy.
                    *column = decoded;
                } else {
                    column.extend(decoded);
                }
            }
        }
        Ok(Columns {
            names: self.names(),
            values,
        })
    }
}

/// Rows as columns: names and, for each, one value per row.
pub struct Columns {
    /// The property names.
    pub names: Vec<String>,
    /// One column per name, all of the same length.
    pub values: Vec<Vec<Value>>,
}

impl Columns {
    fn rows(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }
}

fn error(code: &'static str, message: String) -> crate::Error {
    crate::Error::new(ErrorClass::TypeError, code, message)
}

fn check_storable(cols: &Columns, skip: &[usize]) -> crate::Result<()> {
    for (i, (name, column)) in cols.names.iter().zip(&cols.values).enumerate() {
        if skip.contains(&i) {
            continue;
        }
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

/// The property columns (all but `skip`), as (key, column index) sorted
/// by key: the order a node's or relationship's property list has.
fn property_order(graph: &mut Graph, cols: &Columns, skip: &[usize]) -> Vec<(KeyId, usize)> {
    let mut order: Vec<(KeyId, usize)> = cols
        .names
        .iter()
        .enumerate()
        .filter(|(i, _)| !skip.contains(i))
        .map(|(i, name)| (graph.intern_key(name), i))
        .collect();
    order.sort_by_key(|(k, _)| *k);
    order
}

/// The non-null properties of `row`, moved out of the columns (each cell
/// is taken once), already in key order.
fn take_properties(
    values: &mut [Vec<Value>],
    order: &[(KeyId, usize)],
    row: usize,
) -> Vec<(KeyId, Value)> {
    let mut props = Vec::with_capacity(order.len());
    for &(key, column) in order {
        let v = std::mem::replace(&mut values[column][row], Value::Null);
        if !v.is_null() {
            props.push((key, v));
        }
    }
    props
}

/// The nodes found under one key value: the first, and how many share it.
#[derive(Clone, Copy)]
struct Found {
    first: NodeId,
    count: usize,
}

/// The nodes (with `label`, if given) by their `key` property: one hash
/// map, built once per load.
fn by_key(graph: &Graph, label: Option<LabelId>, key: &str) -> HashMap<GroupKey, Found> {
    let Some(key) = graph.key_id(key) else {
        return HashMap::new();
    };
    let size = label.map_or(graph.node_count(), |l| graph.label_count(l));
    let mut map: HashMap<GroupKey, Found> = HashMap::with_capacity(size);
    let mut add = |n: NodeId| {
        if let Some(v) = graph.node(n).and_then(|d| d.property(key)) {
            map.entry(GroupKey(v.clone()))
                .and_modify(|f| f.count += 1)
                .or_insert(Found { first: n, count: 1 });
        }
    };
    match label {
        Some(l) => graph.nodes_with_label(l).for_each(&mut add),
        None => graph.nodes().for_each(&mut add),
    }
    map
}

/// Adds a `label` node per row; with `key` (a column index), a row whose
/// key matches an existing node of that label (or an earlier row) updates
/// that node instead.
pub fn load_nodes(
    graph: &mut Graph,
    label: &str,
    mut cols: Columns,
    key: Option<usize>,
) -> crate::Result<Stats> {
    check_storable(&cols, &[])?;
    let rows = cols.rows();
    let mut stats = Stats::default();
    // Which node each row updates (`None`: a new node), decided before
    // anything changes.
    let mut targets: Vec<Option<NodeId>> = vec![None; rows];
    let mut first_of: Vec<Option<usize>> = Vec::new();
    if let Some(k) = key {
        if let Some(row) = cols.values[k].iter().position(Value::is_null) {
            return Err(error(
                "MissingKey",
                format!("row {row}: the key column `{}` is null", cols.names[k]),
            ));
        }
        // A label not seen yet has no nodes to update (`by_key` with no
        // label would look at every node).
        let existing = match graph.label_id(label) {
            Some(l) => by_key(graph, Some(l), &cols.names[k]),
            None => HashMap::new(),
        };
        // Rows repeating a key new to the graph update the node of the
        // first such row.
        let mut new_keys: HashMap<GroupKey, usize> = HashMap::with_capacity(rows);
        first_of = vec![None; rows];
        for (row, v) in cols.values[k].iter().enumerate() {
            let group = GroupKey(v.clone());
            match existing.get(&group) {
                Some(found) => targets[row] = Some(found.first),
                None => match new_keys.get(&group) {
                    Some(&first) => first_of[row] = Some(first),
                    None => {
                        new_keys.insert(group, row);
                    }
                },
            }
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
    let order = property_order(graph, &cols, &[]);
    // The node made for each row that made one, for the rows repeating
    // its key.
    let mut made: Vec<Option<NodeId>> = if first_of.is_empty() {
        Vec::new()
    } else {
        vec![None; rows]
    };
    for (row, target) in targets.into_iter().enumerate() {
        let target = target.or_else(|| {
            first_of
                .get(row)
                .copied()
                .flatten()
                .and_then(|first| made[first])
        });
        let props = take_properties(&mut cols.values, &order, row);
        match target {
            Some(node) => {
                for (k, v) in props {
                    if graph.set_node_property(node, k, v).is_none() {
                        stats.properties_set += 1;
                    }
                }
            }
            None => {
                stats.properties_set += props.len() as u64;
                let node = graph.add_node(vec![label_id], props);
                stats.nodes_created += 1;
                if let Some(slot) = made.get_mut(row) {
                    *slot = Some(node);
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

fn resolve(
    graph: &Graph,
    ends: &Ends<'_>,
    cols: &Columns,
    what: &str,
) -> crate::Result<Vec<NodeId>> {
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
        .map(|(row, v)| match index.get(&GroupKey(v.clone())) {
            Some(Found { first, count: 1 }) => Ok(*first),
            Some(Found { count, .. }) => Err(missing(format!(
                "row {row}: {count} nodes have {} = {}; a {what} must be one node",
                ends.key,
                v.literal(Some(graph))
            ))),
            None => Err(missing(format!(
                "row {row}: no {what} node has {} = {}",
                ends.key,
                v.literal(Some(graph))
            ))),
        })
        .collect()
}

fn missing(message: String) -> crate::Error {
    crate::Error::new(ErrorClass::EntityNotFound, "MissingNode", message)
}

/// Adds a `rel_type` relationship per row from the `src` node to the `dst`
/// node; the other columns become properties.
pub fn load_relationships(
    graph: &mut Graph,
    rel_type: &str,
    src: &Ends<'_>,
    dst: &Ends<'_>,
    mut cols: Columns,
) -> crate::Result<Stats> {
    let ends = [src.column, dst.column];
    check_storable(&cols, &ends)?;
    let from = resolve(graph, src, &cols, "start")?;
    let to = resolve(graph, dst, &cols, "end")?;
    let t = graph.intern_type(rel_type);
    let order = property_order(graph, &cols, &ends);
    let mut stats = Stats::default();
    graph.begin_bulk_load();
    for (row, (a, b)) in from.iter().zip(&to).enumerate() {
        let props = take_properties(&mut cols.values, &order, row);
        stats.properties_set += props.len() as u64;
        if graph.add_relationship(*a, *b, t, props).is_some() {
            stats.relationships_created += 1;
        }
    }
    graph.finish_bulk_load();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Int64Array, StringArray};

    use super::*;
    use crate::Session;

    /// Rows as columns named `names`, decoded from one record batch.
    fn columns(names: &[&str], arrays: Vec<ArrayRef>) -> Columns {
        let batch = RecordBatch::try_from_iter(names.iter().copied().zip(arrays)).unwrap();
        let batches = Batches {
            schema: batch.schema(),
            batches: vec![batch],
        };
        batches.decode().unwrap()
    }

    fn strings(values: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(values.to_vec()))
    }

    fn ints(values: &[Option<i64>]) -> ArrayRef {
        Arc::new(Int64Array::from(values.to_vec()))
    }

    /// The rows `query` gives on `graph`, printed.
    fn rows(graph: &Graph, query: &str) -> Vec<String> {
        let mut session = Session::with_graph(graph.clone());
        let result = session.run(query).unwrap();
        result.rows.iter().map(|r| format!("{r:?}")).collect()
    }

    #[test]
    fn keyed_node_rows_update_existing_nodes_and_earlier_rows() {
        let mut g = Graph::new();
        let first = columns(
            &["name", "founded"],
            vec![strings(&[Some("Sinotruk")]), ints(&[Some(1956)])],
        );
        let stats = load_nodes(&mut g, "Company", first, Some(0)).unwrap();
        assert_eq!((stats.nodes_created, stats.labels_added), (1, 1));
        let second = columns(
            &["name", "founded"],
            vec![
                strings(&[Some("Sinotruk"), Some("Weichai"), Some("Weichai")]),
                ints(&[Some(1960), None, Some(2002)]),
            ],
        );
        let stats = load_nodes(&mut g, "Company", second, Some(0)).unwrap();
        // Sinotruk is updated; the second Weichai row updates the first.
        assert_eq!(stats.nodes_created, 1);
        assert_eq!(
            rows(
                &g,
                "MATCH (c:Company) RETURN c.name AS n, c.founded AS f ORDER BY n"
            ),
            [
                r#"[String("Sinotruk"), Int(1960)]"#,
                r#"[String("Weichai"), Int(2002)]"#
            ]
        );
    }

    #[test]
    fn a_null_key_or_an_unknown_end_changes_nothing() {
        let mut g = Graph::new();
        let nodes = columns(&["name"], vec![strings(&[Some("Rosstandart"), None])]);
        let err = load_nodes(&mut g, "Agency", nodes, Some(0)).unwrap_err();
        assert_eq!(err.code, "MissingKey");
        assert_eq!(g.node_count(), 0);
        let nodes = columns(&["name"], vec![strings(&[Some("A"), Some("B")])]);
        load_nodes(&mut g, "Agency", nodes, Some(0)).unwrap();
        let ends = |column| Ends {
            label: Some("Agency"),
            key: "name",
            column,
        };
        let rels = columns(
            &["from", "to", "since"],
            vec![
                strings(&[Some("A"), Some("B")]),
                strings(&[Some("B"), Some("Z")]),
                ints(&[Some(1), Some(2)]),
            ],
        );
        let err = load_relationships(&mut g, "TALKS_TO", &ends(0), &ends(1), rels).unwrap_err();
        assert_eq!(err.code, "MissingNode");
        assert!(err.message.contains("row 1"), "{}", err.message);
        assert_eq!(g.relationship_count(), 0);
        let rels = columns(
            &["from", "to", "since"],
            vec![
                strings(&[Some("A"), Some("B")]),
                strings(&[Some("B"), Some("A")]),
                ints(&[Some(1), None]),
            ],
        );
        let stats = load_relationships(&mut g, "TALKS_TO", &ends(0), &ends(1), rels).unwrap();
        assert_eq!((stats.relationships_created, stats.properties_set), (2, 1));
        assert_eq!(
            rows(
                &g,
                "MATCH (a)-[r:TALKS_TO]->(b) RETURN a.name, b.name, r.since ORDER BY a.name"
            ),
            [
                r#"[String("A"), String("B"), Int(1)]"#,
                r#"[String("B"), String("A"), Null]"#
            ]
        );
    }
}
