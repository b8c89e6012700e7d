//! Typed property columns: the storage of every node and relationship
//! property (ENGINE.md §1.1, migration step 1).
//!
//! Nodes are partitioned into tables by their exact label set, and
//! relationships by their type. A table has one row per element and one
//! [`Column`] per property key, typed (`Int`, `Float`, `Bool`, `Str` as
//! dictionary codes, `Date` as days and `LocalDateTime` as nanoseconds
//! since the Unix epoch) or `Any` for other and mixed types, with a validity
//! bitmap: an absent property is an invalid row. Strings are coded in one
//! [`Dictionary`] per store, so a code means the same string in every table.
//!
//! # Column read API (for the batch executor)
//! [`PropertyStore::node_tables`] gives, for a label, every table whose
//! label set contains it, as `(label set, &Table)`. A [`Table`] gives
//! `ids()` (the node id of each row) and `column(key)` — a [`Column`]
//! whose [`ColumnData`] slice and validity bitmap are aligned with
//! `ids()`. Read a `Str` code with [`PropertyStore::dictionary`]`.get(code)`;
//! decode a `Date` with [`days_to_date`] and a `LocalDateTime` with
//! [`nanos_to_local_datetime`], or encode a literal once with
//! [`date_to_days`] / [`local_datetime_to_nanos`] and compare codes (their
//! order is the values' order). A value that has no code in the column's
//! type (a string among dates, a local date-time before 1677) turns the
//! whole column into `Any`, holding the values themselves.
//! [`PropertyStore::relationship_table`] does the same per type.
//! `Table::in_id_order()` says whether rows are in ascending id order
//! (they are after loading; deletions and label changes may end it), so a
//! scan that must follow today's id order merges tables by id, or reads
//! through `ids()` when a single table is in order.

mod bitmap;
mod column;
mod dict;
mod slots;
mod table;
pub mod temporal;
#[cfg(test)]
mod tests;

pub use bitmap::Bitmap;
pub use column::{Column, ColumnData};
pub use dict::Dictionary;
pub use table::{Table, TableSet};
pub use temporal::{date_to_days, days_to_date, local_datetime_to_nanos, nanos_to_local_datetime};

use super::{EdgeId, KeyId, LabelId, NodeId, Properties, TypeId};
use crate::value::Value;

/// Every property of a graph, in typed columns.
#[derive(Debug, Clone, Default)]
pub struct PropertyStore {
    dict: Dictionary,
    nodes: TableSet<Vec<LabelId>>,
    edges: TableSet<TypeId>,
}

/// A node's table key: its labels sorted and deduplicated.
fn label_set(labels: &[LabelId]) -> Vec<LabelId> {
    let mut set = labels.to_vec();
    set.sort_unstable();
    set.dedup();
    set
}

impl PropertyStore {
    /// The string dictionary of every `Str` column.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    /// The tables holding nodes with `label`, each with its label set.
    pub fn node_tables(&self, label: LabelId) -> impl Iterator<Item = (&[LabelId], &Table)> {
        self.nodes
            .tables()
            .filter(move |(set, _)| set.binary_search(&label).is_ok())
            .map(|(set, t)| (set.as_slice(), t))
    }

    /// Every node table with its label set (the empty set for unlabelled nodes).
    pub fn all_node_tables(&self) -> impl Iterator<Item = (&[LabelId], &Table)> {
        self.nodes.tables().map(|(set, t)| (set.as_slice(), t))
    }

    /// The table of relationships of type `rel_type`.
    pub fn relationship_table(&self, rel_type: TypeId) -> Option<&Table> {
        self.edges.table(&rel_type)
    }

    /// Heap use of the dictionary, the node and the relationship tables,
    /// for memory reports.
    pub fn memory_use(&self) -> Vec<crate::graph::memory::MemoryUse> {
        use crate::graph::memory::MemoryUse;
        let (strings, map) = self.dict.memory_use();
        let (node_rows, node_cols) = self.nodes.memory_use();
        let (edge_rows, edge_cols) = self.edges.memory_use();
        vec![
            MemoryUse::new("dictionary strings", strings.0, strings.1),
            MemoryUse::new("dictionary hash map", map.0, map.1),
            MemoryUse::new("node table ids and slots", node_rows.0, node_rows.1),
            MemoryUse::new("node property columns", node_cols.0, node_cols.1),
            MemoryUse::new("relationship table ids and slots", edge_rows.0, edge_rows.1),
            MemoryUse::new("relationship property columns", edge_cols.0, edge_cols.1),
        ]
    }

    /// Every relationship table with its type.
    pub fn all_relationship_tables(&self) -> impl Iterator<Item = (TypeId, &Table)> {
        self.edges.tables().map(|(t, table)| (*t, table))
    }

    /// A store from its parts as a snapshot holds them: the dictionary,
    /// node tables by label set (sorted, distinct labels) and relationship
    /// tables by type, each in order; `node_slots` and `edge_slots` bound
    /// the ids. Every element must have at most one row.
    pub fn from_parts(
        dict: Dictionary,
        node_tables: Vec<(Vec<LabelId>, Table)>,
        edge_tables: Vec<(TypeId, Table)>,
        node_slots: usize,
        edge_slots: usize,
    ) -> Result<PropertyStore, String> {
        if let Some((set, _)) = node_tables
            .iter()
            .find(|(set, _)| set.windows(2).any(|w| w[0] >= w[1]))
        {
            return Err(format!("the label set {set:?} is not sorted and distinct"));
        }
        Ok(PropertyStore {
            dict,
            nodes: TableSet::from_tables(node_tables, node_slots)?,
            edges: TableSet::from_tables(edge_tables, edge_slots)?,
        })
    }

    /// Gives back spare capacity everywhere (a bulk load grows by doubling).
    pub fn shrink_to_fit(&mut self) {
        self.dict.shrink_to_fit();
        self.nodes.shrink_to_fit();
        self.edges.shrink_to_fit();
    }

    /// Bytes held on the heap by tables, columns, slots and the dictionary.
    pub fn heap_bytes(&self) -> usize {
        self.dict.heap_bytes() + self.nodes.heap_bytes() + self.edges.heap_bytes()
    }

    // ----- nodes -----

    /// Gives new node `id` its row; null values are dropped.
    pub fn add_node(&mut self, id: NodeId, labels: &[LabelId], props: Properties) {
        self.nodes
            .insert(id.0, label_set(labels), props, &mut self.dict);
    }
    /// Drops node `id`'s row; returns its properties.
    pub fn remove_node(&mut self, id: NodeId) -> Properties {
        self.nodes.remove(id.0, &self.dict)
    }
    /// Moves node `id` to the table of its new `labels`.
    pub fn relabel_node(&mut self, id: NodeId, labels: &[LabelId]) {
        self.nodes.relocate(id.0, label_set(labels), &mut self.dict);
    }
    /// The value of node `id`'s property `key`.
    pub fn node_property(&self, id: NodeId, key: KeyId) -> Option<Value> {
        self.nodes.get(id.0, key, &self.dict)
    }
    /// Node `id`'s properties, sorted by key.
    pub fn node_properties(&self, id: NodeId) -> Properties {
        self.nodes.properties(id.0, &self.dict)
    }
    /// Sets (or with null, removes) a node property; returns the old value.
    pub fn set_node_property(&mut self, id: NodeId, key: KeyId, value: Value) -> Option<Value> {
        self.nodes.set(id.0, key, value, &mut self.dict)
    }
    /// The table and row of node `id`.
    pub fn node_row(&self, id: NodeId) -> Option<(&Table, usize)> {
        self.nodes.locate(id.0)
    }

    // ----- relationships -----

    /// Gives new relationship `id` its row; null values are dropped.
    pub fn add_relationship(&mut self, id: EdgeId, rel_type: TypeId, props: Properties) {
        self.edges.insert(id.0, rel_type, props, &mut self.dict);
    }
    /// Drops relationship `id`'s row; returns its properties.
    pub fn remove_relationship(&mut self, id: EdgeId) -> Properties {
        self.edges.remove(id.0, &self.dict)
    }
    /// The value of relationship `id`'s property `key`.
    pub fn relationship_property(&self, id: EdgeId, key: KeyId) -> Option<Value> {
        self.edges.get(id.0, key, &self.dict)
    }
    /// Relationship `id`'s properties, sorted by key.
    pub fn relationship_properties(&self, id: EdgeId) -> Properties {
        self.edges.properties(id.0, &self.dict)
    }
    /// Sets (or with null, removes) a relationship property; returns the old value.
    pub fn set_relationship_property(
        &mut self,
        id: EdgeId,
        key: KeyId,
        value: Value,
    ) -> Option<Value> {
        self.edges.set(id.0, key, value, &mut self.dict)
    }
    /// The table and row of relationship `id`.
    pub fn relationship_row(&self, id: EdgeId) -> Option<(&Table, usize)> {
        self.edges.locate(id.0)
    }
}
