//! Tables (rows of elements sharing a label set or a relationship type,
//! one column per property key) and the element → (table, row) slots.

use std::collections::HashMap;
use std::hash::Hash;

use super::column::Column;
use super::dict::Dictionary;
use super::slots::{Slot, Slots};
use crate::graph::{KeyId, Properties};
use crate::value::Value;

/// The rows of one table: element ids plus one column per key, sorted by key.
#[derive(Debug, Clone, Default)]
pub struct Table {
    ids: Vec<u32>,
    keys: Vec<KeyId>,
    columns: Vec<Column>,
    in_id_order: bool,
}

impl Table {
    fn new() -> Table {
        Table {
            in_id_order: true,
            ..Table::default()
        }
    }
    /// The element id of each row.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }
    /// Whether rows are in ascending id order (true after a bulk load;
    /// deletions and re-inserted older ids may end it).
    pub fn in_id_order(&self) -> bool {
        self.in_id_order
    }
    /// The keys that have a column, ascending.
    pub fn keys(&self) -> &[KeyId] {
        &self.keys
    }
    /// The column of `key`, if any row ever had it.
    pub fn column(&self, key: KeyId) -> Option<&Column> {
        self.keys.binary_search(&key).ok().map(|i| &self.columns[i])
    }
    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.ids.capacity() * 4
            + self.keys.capacity() * 4
            + self.columns.iter().map(Column::heap_bytes).sum::<usize>()
    }

    /// A table from its row ids and its columns (keys strictly ascending,
    /// each column as long as `ids`), as a snapshot stores it.
    pub fn from_parts(ids: Vec<u32>, columns: Vec<(KeyId, Column)>) -> Result<Table, String> {
        let mut keys = Vec::with_capacity(columns.len());
        let mut cols = Vec::with_capacity(columns.len());
        for (key, column) in columns {
            if keys.last().is_some_and(|last| *last >= key) {
                return Err(format!("the column of key id {} is out of order", key.0));
            }
            if column.len() != ids.len() {
                return Err(format!(
                    "a column has {} rows in a table of {}",
                    column.len(),
                    ids.len()
                ));
            }
            keys.push(key);
            cols.push(column);
        }
        let in_id_order = ids.windows(2).all(|w| w[0] < w[1]);
        Ok(Table {
            ids,
            keys,
            columns: cols,
            in_id_order,
        })
    }

    fn push(&mut self, id: u32) -> usize {
        if self.ids.last().is_some_and(|last| *last > id) {
            self.in_id_order = false;
        }
        self.ids.push(id);
        for c in &mut self.columns {
            c.push_absent();
        }
        self.ids.len() - 1
    }

    /// Removes `row`; returns the id of the row moved into its place.
    fn swap_remove(&mut self, row: usize) -> Option<u32> {
        self.ids.swap_remove(row);
        for c in &mut self.columns {
            c.swap_remove(row);
        }
        let moved = self.ids.get(row).copied();
        if moved.is_some() {
            self.in_id_order = false;
        }
        moved
    }

    fn get(&self, row: usize, key: KeyId, dict: &Dictionary) -> Option<Value> {
        self.column(key)?.get(row, dict)
    }

    fn properties(&self, row: usize, dict: &Dictionary) -> Properties {
        self.keys
            .iter()
            .zip(&self.columns)
            .filter_map(|(k, c)| Some((*k, c.get(row, dict)?)))
            .collect()
    }

    fn set(
        &mut self,
        row: usize,
        key: KeyId,
        value: Value,
        dict: &mut Dictionary,
    ) -> Option<Value> {
        let i = match self.keys.binary_search(&key) {
            Ok(i) => i,
            Err(_) if value.is_null() => return None,
            Err(i) => {
                self.keys.insert(i, key);
                self.columns
                    .insert(i, Column::for_value(&value, self.ids.len()));
                i
            }
        };
        if value.is_null() {
            self.columns[i].clear(row, dict)
        } else {
            self.columns[i].set(row, value, dict)
        }
    }
}

/// The tables of one element kind, partitioned by `K` (a label set or a
/// relationship type), and each element's slot.
#[derive(Debug, Clone)]
pub struct TableSet<K> {
    tables: Vec<Table>,
    table_keys: Vec<K>,
    by_key: HashMap<K, u32>,
    slots: Slots,
}

impl<K> Default for TableSet<K> {
    fn default() -> Self {
        TableSet {
            tables: Vec::new(),
            table_keys: Vec::new(),
            by_key: HashMap::new(),
            slots: Slots::default(),
        }
    }
}

impl<K: Clone + Eq + Hash> TableSet<K> {
    /// Every table with its partition key.
    pub fn tables(&self) -> impl Iterator<Item = (&K, &Table)> {
        self.table_keys.iter().zip(&self.tables)
    }
    /// The table for `key`, if one was made.
    pub fn table(&self, key: &K) -> Option<&Table> {
        self.by_key.get(key).map(|t| &self.tables[*t as usize])
    }
    /// The table and row of element `id`.
    pub fn locate(&self, id: u32) -> Option<(&Table, usize)> {
        let slot = self.slots.get(id)?;
        let table = self.tables.get(slot.table as usize)?;
        Some((table, slot.row as usize))
    }
    /// (bytes, allocations) of row ids, slots and table maps, and of the
    /// columns.
    pub fn memory_use(&self) -> ((usize, usize), (usize, usize)) {
        let rows = self.slots.heap_bytes()
            + self
                .tables
                .iter()
                .map(|t| t.ids.capacity() * 4 + t.keys.capacity() * 4)
                .sum::<usize>();
        let columns: usize = self
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .map(Column::heap_bytes)
            .sum();
        let column_count = self.tables.iter().map(|t| t.columns.len()).sum::<usize>();
        (
            (rows, 1 + 2 * self.tables.len()),
            (columns, 2 * column_count),
        )
    }

    /// Gives back the spare capacity of slots, row ids and columns (after
    /// a bulk load, which grows them by doubling).
    pub fn shrink_to_fit(&mut self) {
        self.slots.shrink_to_fit();
        for t in &mut self.tables {
            t.ids.shrink_to_fit();
            t.keys.shrink_to_fit();
            t.columns.iter_mut().for_each(Column::shrink_to_fit);
        }
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.slots.heap_bytes() + self.tables.iter().map(Table::heap_bytes).sum::<usize>()
    }

    /// A table set from its tables in order, each with its partition key
    /// (distinct); `slots` is one past the highest element id. Every id
    /// must be below `slots` and in one row only.
    pub fn from_tables(parts: Vec<(K, Table)>, slots: usize) -> Result<Self, String> {
        let mut set = TableSet {
            tables: Vec::with_capacity(parts.len()),
            table_keys: Vec::with_capacity(parts.len()),
            by_key: HashMap::with_capacity(parts.len()),
            slots: Slots::free(slots),
        };
        for (t, (key, table)) in parts.into_iter().enumerate() {
            if set.by_key.insert(key.clone(), t as u32).is_some() {
                return Err("two tables have the same labels or type".to_string());
            }
            for (row, id) in table.ids.iter().enumerate() {
                if *id as usize >= slots {
                    return Err(format!("element {id} is beyond the {slots} slots"));
                }
                if set.slots.get(*id).is_some() {
                    return Err(format!("element {id} has two rows"));
                }
                let row = u32::try_from(row).map_err(|_| "a table has too many rows")?;
                set.slots.set(
                    *id,
                    Slot {
                        table: t as u32,
                        row,
                    },
                );
            }
            set.tables.push(table);
            set.table_keys.push(key);
        }
        set.slots.shrink_to_fit();
        Ok(set)
    }

    fn table_for(&mut self, key: K) -> u32 {
        // Loads add runs of elements with the same key: try the last table first.
        if let Some(t) = self.slots.last_table()
            && self.table_keys.get(t as usize) == Some(&key)
        {
            return t;
        }
        if let Some(t) = self.by_key.get(&key) {
            return *t;
        }
        let t = self.tables.len() as u32;
        self.tables.push(Table::new());
        self.table_keys.push(key.clone());
        self.by_key.insert(key, t);
        t
    }

    /// Gives element `id` (which has no row) a row in the table of `key`.
    pub fn insert(&mut self, id: u32, key: K, props: Properties, dict: &mut Dictionary) {
        debug_assert!(self.locate(id).is_none(), "element {id} already has a row");
        let t = self.table_for(key);
        let table = &mut self.tables[t as usize];
        let row = table.push(id);
        for (k, v) in props {
            table.set(row, k, v, dict);
        }
        self.slots.set(
            id,
            Slot {
                table: t,
                row: row as u32,
            },
        );
    }

    /// Drops element `id`'s row; returns its properties.
    pub fn remove(&mut self, id: u32, dict: &Dictionary) -> Properties {
        let Some(slot) = self.slots.get(id) else {
            return Vec::new();
        };
        let Some(table) = self.tables.get_mut(slot.table as usize) else {
            return Vec::new();
        };
        let props = table.properties(slot.row as usize, dict);
        if let Some(moved) = table.swap_remove(slot.row as usize) {
            self.slots.set_row(moved, slot.row);
        }
        // Trailing free slots go: `slots` is no longer than needed.
        self.slots.clear(id);
        props
    }

    /// Moves element `id`'s row to the table of `key`.
    pub fn relocate(&mut self, id: u32, key: K, dict: &mut Dictionary) {
        if self
            .by_key
            .get(&key)
            .is_some_and(|t| self.slots.get(id).is_some_and(|s| s.table == *t))
        {
            return;
        }
        let props = self.remove(id, dict);
        self.insert(id, key, props, dict);
    }

    /// The value of `key` for element `id`.
    pub fn get(&self, id: u32, key: KeyId, dict: &Dictionary) -> Option<Value> {
        let (table, row) = self.locate(id)?;
        table.get(row, key, dict)
    }

    /// Element `id`'s properties, sorted by key.
    pub fn properties(&self, id: u32, dict: &Dictionary) -> Properties {
        self.locate(id)
            .map(|(table, row)| table.properties(row, dict))
            .unwrap_or_default()
    }

    /// Sets (or with null, removes) `key` of element `id`; returns the old value.
    pub fn set(
        &mut self,
        id: u32,
        key: KeyId,
        value: Value,
        dict: &mut Dictionary,
    ) -> Option<Value> {
        let slot = self.slots.get(id)?;
        let table = self.tables.get_mut(slot.table as usize)?;
        table.set(slot.row as usize, key, value, dict)
    }
}
