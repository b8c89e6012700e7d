//! A compiled predicate applied to rows of the row engine: the slot's
//! entity is found in its table and the table's bound predicate decides.

use super::{Bound, Predicate};
use crate::graph::columns::{PropertyStore, Table};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::Value;

/// A predicate over one slot with its bound form for each table met so far.
#[derive(Debug)]
pub struct SlotFilter<'g> {
    predicate: Predicate,
    store: &'g PropertyStore,
    max_value_bytes: u64,
    /// Tables met, each with its bound predicate (`None`: not bindable).
    /// A scan meets one table, or a few: a linear search is enough.
    tables: Vec<(&'g Table, Option<Bound<'g>>)>,
}

impl<'g> SlotFilter<'g> {
    /// The kernel filter of `predicate` over `graph`'s columns.
    pub fn new(predicate: Predicate, graph: &'g Graph, max_value_bytes: u64) -> SlotFilter<'g> {
        SlotFilter {
            predicate,
            store: graph.property_store(),
            max_value_bytes,
            tables: Vec::new(),
        }
    }

    /// The predicate.
    pub fn predicate(&self) -> &Predicate {
        &self.predicate
    }

    /// A filter of the same predicate that has bound no table yet.
    pub fn clone_unbound(&self) -> SlotFilter<'g> {
        SlotFilter {
            predicate: self.predicate.clone(),
            store: self.store,
            max_value_bytes: self.max_value_bytes,
            tables: Vec::new(),
        }
    }

    /// The predicate's outcome for `row`, or `None` when the kernels cannot
    /// decide it (the slot holds no node or relationship with a table row,
    /// or the table's columns cannot be bound): the caller then evaluates
    /// the expression.
    pub fn test(&mut self, row: &[Value]) -> Option<Option<bool>> {
        match row.get(self.predicate.slot())? {
            Value::Node(id) => self.test_node(*id),
            Value::Relationship(id) => self.test_relationship(*id),
            _ => None,
        }
    }

    /// The outcome for node `id` (see [`SlotFilter::test`]).
    pub fn test_node(&mut self, id: NodeId) -> Option<Option<bool>> {
        let (table, row) = self.store.node_row(id)?;
        Some(self.bound(table)?.test(row as u32))
    }

    /// The outcome for relationship `id` (see [`SlotFilter::test`]).
    pub fn test_relationship(&mut self, id: EdgeId) -> Option<Option<bool>> {
        let (table, row) = self.store.relationship_row(id)?;
        Some(self.bound(table)?.test(row as u32))
    }

    /// The bound predicate of `table`, bound on first use.
    fn bound(&mut self, table: &'g Table) -> Option<&Bound<'g>> {
        let at = match self
            .tables
            .iter()
            .position(|(t, _)| std::ptr::eq(*t, table))
        {
            Some(at) => at,
            None => {
                let bound =
                    self.predicate
                        .bind(table, self.store.dictionary(), self.max_value_bytes);
                self.tables.push((table, bound));
                self.tables.len() - 1
            }
        };
        self.tables[at].1.as_ref()
    }
}
