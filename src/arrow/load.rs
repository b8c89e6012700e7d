//! Bulk ingest from Arrow: a [`RecordBatch`] of nodes (one row per node)
//! or of relationships (one row per relationship, ends given by key
//! columns) into a [`Graph`]. A batch is checked whole before anything is
//! added, so a bad batch leaves the graph as it was.

use std::collections::HashMap;
use std::sync::Arc;

use ::arrow::array::RecordBatch;

use super::decode::decode;
use super::types::KGQ_PROPERTY;
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{Graph, KeyId, LabelId, NodeId, Properties};
use crate::value::Value;

/// A node key: the value of a key column, an integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// An integer key.
    Int(i64),
    /// A string key.
    String(Arc<str>),
}

impl Key {
    /// The key of `value`; `None` for values other than integers and strings.
    pub fn of(value: &Value) -> Option<Key> {
        match value {
            Value::Int(i) => Some(Key::Int(*i)),
            Value::String(s) => Some(Key::String(s.clone())),
            _ => None,
        }
    }
}

/// Nodes by key, for finding the ends of relationships loaded later.
#[derive(Debug, Clone, Default)]
pub struct NodeKeys {
    map: HashMap<Key, NodeId>,
}

impl NodeKeys {
    /// No keys.
    pub fn new() -> NodeKeys {
        NodeKeys::default()
    }

    /// The nodes of `graph` labelled `label` keyed by their property
    /// `property` (nodes without it are left out); an error when two nodes
    /// share a key or a key is not an integer or a string.
    pub fn from_graph(graph: &Graph, label: &str, property: &str) -> Result<NodeKeys> {
        let mut keys = NodeKeys::new();
        for n in graph.nodes_labeled(label) {
            if let Some(v) = graph.node_property(n, property) {
                let key = Key::of(&v).ok_or_else(|| key_type(property, &v))?;
                keys.insert(property, key, n)?;
            }
        }
        Ok(keys)
    }

    /// The node with key `key`.
    pub fn get(&self, key: &Key) -> Option<NodeId> {
        self.map.get(key).copied()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn insert(&mut self, column: &str, key: Key, node: NodeId) -> Result<()> {
        if self.map.insert(key.clone(), node).is_some() {
            return Err(load_error(
                "DuplicateKey",
                format!("column `{column}`: two nodes have the key {key:?}"),
            ));
        }
        Ok(())
    }
}

/// How to read a batch of nodes.
#[derive(Debug, Clone, Default)]
pub struct NodeLoad {
    /// Labels every node gets.
    pub labels: Vec<String>,
    /// The column that identifies each node (for [`NodeKeys`]); its values
    /// must be unique integers or strings.
    pub key: Option<String>,
    /// Whether the key column is also stored as a property (false for a
    /// structural id column such as the Parquet export's `id`; not stored
    /// either when another column names the same property through its
    /// `kgq.property` metadata).
    pub store_key: bool,
    /// A column of string lists giving each node's labels, in addition to
    /// [`NodeLoad::labels`]; not stored as a property.
    pub labels_column: Option<String>,
}

/// How to read a batch of relationships.
#[derive(Debug, Clone, Default)]
pub struct RelationshipLoad {
    /// The type of every relationship.
    pub rel_type: String,
    /// The column with the start node's key.
    pub src: String,
    /// The column with the end node's key.
    pub dst: String,
    /// Columns neither stored nor used (such as the export's `id`).
    pub skip: Vec<String>,
}

/// The property name a column is stored under: its `kgq.property`
/// metadata, else its name.
fn property_name(field: &::arrow::datatypes::Field) -> &str {
    field
        .metadata()
        .get(KGQ_PROPERTY)
        .map_or(field.name().as_str(), String::as_str)
}

/// The decoded columns of a batch, with their property keys (`None` for
/// columns that are not properties).
struct Columns {
    values: Vec<Vec<Value>>,
    keys: Vec<Option<KeyId>>,
}

fn columns(graph: &mut Graph, batch: &RecordBatch, structural: &[&str]) -> Result<Columns> {
    let schema = batch.schema();
    let mut values = Vec::new();
    let mut keys = Vec::new();
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let decoded = decode(field, array.as_ref())?;
        let is_property = !structural.contains(&field.name().as_str());
        if is_property && let Some(bad) = decoded.iter().find(|v| !v.is_storable()) {
            return Err(load_error(
                "NotAProperty",
                format!(
                    "column `{}`: a {} cannot be a property",
                    field.name(),
                    bad.type_name()
                ),
            ));
        }
        keys.push(is_property.then(|| graph.intern_key(property_name(field))));
        values.push(decoded);
    }
    Ok(Columns { values, keys })
}

fn column_index(batch: &RecordBatch, name: &str) -> Result<usize> {
    batch
        .schema()
        .index_of(name)
        .map_err(|_| load_error("MissingColumn", format!("the batch has no column `{name}`")))
}

/// The properties of row `row`.
fn row_properties(cols: &Columns, row: usize) -> Properties {
    let mut props: Properties = cols
        .keys
        .iter()
        .zip(&cols.values)
        .filter_map(|(k, v)| Some((((*k)?), v[row].clone())))
        .filter(|(_, v)| !v.is_null())
        .collect();
    props.sort_by_key(|(k, _)| *k);
    props
}

/// Adds one node per row of `batch`; keys go into `keys`. Returns the
/// nodes added, in row order.
pub fn load_nodes(
    graph: &mut Graph,
    batch: &RecordBatch,
    spec: &NodeLoad,
    keys: &mut NodeKeys,
) -> Result<Vec<NodeId>> {
    let mut structural: Vec<&str> = spec.labels_column.iter().map(String::as_str).collect();
    if let Some(key) = &spec.key {
        // Another column holding the property of the key's name wins.
        let schema = batch.schema();
        let shadowed = schema
            .fields()
            .iter()
            .any(|f| f.name() != key && property_name(f) == key);
        if !spec.store_key || shadowed {
            structural.push(key);
        }
    }
    let key_col = spec
        .key
        .as_deref()
        .map(|k| column_index(batch, k))
        .transpose()?;
    let labels_col = spec
        .labels_column
        .as_deref()
        .map(|k| column_index(batch, k))
        .transpose()?;
    let cols = columns(graph, batch, &structural)?;
    // Check every key before adding anything.
    let mut row_keys = Vec::new();
    if let (Some(c), Some(name)) = (key_col, &spec.key) {
        let mut seen = NodeKeys::new();
        for (row, v) in cols.values[c].iter().enumerate() {
            let key = Key::of(v).ok_or_else(|| key_type(name, v))?;
            if keys.get(&key).is_some() {
                return Err(load_error(
                    "DuplicateKey",
                    format!("column `{name}`: a node with the key {key:?} exists already"),
                ));
            }
            seen.insert(name, key.clone(), NodeId(row as u32))?;
            row_keys.push(key);
        }
    }
    let base: Vec<LabelId> = spec.labels.iter().map(|l| graph.intern_label(l)).collect();
    let mut row_labels = Vec::new();
    if let Some(c) = labels_col {
        for v in &cols.values[c] {
            let names = match v {
                Value::Null => Vec::new(),
                Value::List(items) => items
                    .iter()
                    .map(|l| {
                        l.as_str().map(str::to_string).ok_or_else(|| {
                            load_error("BadLabel", format!("{l:?} is not a label name"))
                        })
                    })
                    .collect::<Result<_>>()?,
                other => {
                    return Err(load_error(
                        "BadLabel",
                        format!("{other:?} is not a list of labels"),
                    ));
                }
            };
            row_labels.push(names);
        }
    }
    let mut added = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let mut labels = base.clone();
        if let Some(names) = row_labels.get(row) {
            labels.extend(names.iter().map(|l| graph.intern_label(l)));
        }
        let id = graph.add_node(labels, row_properties(&cols, row));
        if let Some(key) = row_keys.get(row) {
            keys.map.insert(key.clone(), id);
        }
        added.push(id);
    }
    Ok(added)
}

/// Adds one relationship per row of `batch`, from the node whose key in
/// `src_keys` is the row's `src` value to the one whose key in `dst_keys`
/// is its `dst` value. An error (and nothing added) when a key is missing.
pub fn load_relationships(
    graph: &mut Graph,
    batch: &RecordBatch,
    spec: &RelationshipLoad,
    src_keys: &NodeKeys,
    dst_keys: &NodeKeys,
) -> Result<usize> {
    let src = column_index(batch, &spec.src)?;
    let dst = column_index(batch, &spec.dst)?;
    let mut structural: Vec<&str> = vec![&spec.src, &spec.dst];
    structural.extend(spec.skip.iter().map(String::as_str));
    let cols = columns(graph, batch, &structural)?;
    let ends = |c: usize, name: &str, keys: &NodeKeys| -> Result<Vec<NodeId>> {
        cols.values[c]
            .iter()
            .map(|v| {
                let key = Key::of(v).ok_or_else(|| key_type(name, v))?;
                keys.get(&key).ok_or_else(|| {
                    load_error(
                        "MissingNode",
                        format!("column `{name}`: no node has the key {key:?}"),
                    )
                })
            })
            .collect()
    };
    let from = ends(src, &spec.src, src_keys)?;
    let to = ends(dst, &spec.dst, dst_keys)?;
    let t = graph.intern_type(&spec.rel_type);
    for row in 0..batch.num_rows() {
        graph
            .add_relationship(from[row], to[row], t, row_properties(&cols, row))
            .ok_or_else(|| load_error("MissingNode", "a relationship end was removed".into()))?;
    }
    Ok(batch.num_rows())
}

fn key_type(column: &str, v: &Value) -> Error {
    load_error(
        "BadKey",
        format!(
            "column `{column}`: a key must be an integer or a string, not {}",
            v.type_name()
        ),
    )
}

fn load_error(code: &'static str, message: String) -> Error {
    Error::new(ErrorClass::FormatError, code, message)
}
