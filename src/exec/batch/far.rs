//! The far end of a batch segment's expansion: every node table the hop
//! may reach, with the columns its aggregates read and its tests' kernels
//! bound to each, and the lookup from a reached node to its table and row.
//!
//! A table whose label set lacks a label the hop asks of the node it
//! reaches is skipped row by row (the hop's labels-only test, decided per
//! table as `node_matches` decides it per node). A table the hop accepts
//! must have a typed column for every `sum`/`avg`/`min`/`max` over the
//! reached node, else [`Far::new`] gives `None` and the whole segment
//! falls back before it reads a row.

use rustc_hash::FxHashMap;

use super::shape::{Arg, Expand, Shape};
use super::source::{ArgCol, bind_kernels, prop_col};
use crate::error::Result;
use crate::exec::internal;
use crate::exec::kernels::Bound;
use crate::graph::columns::{PropertyStore, Table};
use crate::graph::{Graph, NodeId};

/// Tables up to which the lookup by table is a linear search.
const LINEAR_TABLES: usize = 8;

/// One node table as the far end of the expansion reads it.
#[derive(Debug)]
pub struct FarView<'g> {
    table: &'g Table,
    /// Whether its nodes have every label the hop asks of the node reached.
    pub passes: bool,
    /// Per aggregate call, the column it reads for a far-node property
    /// (`Row` for the other calls, which do not read it).
    pub args: Vec<ArgCol<'g>>,
    /// Per test after the expansion, its kernel bound to this table, or
    /// `None` where the test runs through the row evaluator.
    pub kernels: Vec<Option<Bound<'g>>>,
}

/// Every node table, as the far end of one segment's expansion.
#[derive(Debug)]
pub struct Far<'g> {
    store: &'g PropertyStore,
    /// One view per node table.
    pub views: Vec<FarView<'g>>,
    /// View index by table address, when there are many tables.
    by_table: FxHashMap<usize, u32>,
}

/// A table's address, its identity in [`Far::locate`].
fn address(table: &Table) -> usize {
    std::ptr::from_ref(table) as usize
}

impl<'g> Far<'g> {
    /// The far end of `shape`'s expansion in `graph`, or `None` when a
    /// table the hop accepts has a column of a type the aggregates cannot
    /// read, or some node has no table row.
    pub fn new(
        shape: &Shape<'_>,
        expand: &Expand<'_>,
        graph: &'g Graph,
        max_value_bytes: u64,
    ) -> Option<Far<'g>> {
        let store = graph.property_store();
        let dict = store.dictionary();
        let wanted = &expand.hop.node_filter.labels;
        let mut views = Vec::new();
        let mut rows = 0;
        for (set, table) in store.all_node_tables() {
            rows += table.ids().len();
            let passes = wanted.iter().all(|l| set.binary_search(l).is_ok());
            let (args, kernels) = if passes {
                let args = shape
                    .calls
                    .iter()
                    .map(|call| match call.arg {
                        Arg::Far(key) => prop_col(call.kind, key, table),
                        Arg::Row | Arg::Prop(_) => Some(ArgCol::Row),
                    })
                    .collect::<Option<Vec<_>>>()?;
                let kernels = bind_kernels(&expand.preds, table, dict, max_value_bytes);
                (args, kernels)
            } else {
                (Vec::new(), Vec::new())
            };
            views.push(FarView {
                table,
                passes,
                args,
                kernels,
            });
        }
        // Every live node has exactly one row, so a reached node always
        // has a table (checked once here rather than per node).
        if rows != graph.node_count() {
            return None;
        }
        let by_table = if views.len() > LINEAR_TABLES {
            views
                .iter()
                .enumerate()
                .map(|(i, v)| (address(v.table), i as u32))
                .collect()
        } else {
            FxHashMap::default()
        };
        Some(Far {
            store,
            views,
            by_table,
        })
    }

    /// The view index and table row of node `id`; `last` is the view of
    /// the previous lookup, tried first (neighbours often share a table).
    #[inline]
    pub fn locate(&self, id: NodeId, last: &mut u32) -> Result<(u32, u32)> {
        let Some((table, row)) = self.store.node_row(id) else {
            return Err(internal("a reached node has no property row"));
        };
        if let Some(view) = self.views.get(*last as usize)
            && std::ptr::eq(view.table, table)
        {
            return Ok((*last, row as u32));
        }
        let found = if self.by_table.is_empty() {
            self.views
                .iter()
                .position(|v| std::ptr::eq(v.table, table))
                .map(|i| i as u32)
        } else {
            self.by_table.get(&address(table)).copied()
        };
        let Some(at) = found else {
            return Err(internal("a reached node's table is not in the store"));
        };
        *last = at;
        Ok((at, row as u32))
    }
}
