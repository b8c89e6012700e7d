//! A worker's pass over one chunk of a segment with an expansion: the
//! chunk's scanned rows are narrowed by the scan's tests, then each
//! selected node's relationships are walked in the row engine's order
//! (`Graph::neighbours`: per side, per type, the typed CSR slice) and the
//! rows they give — (scanned row, relationship, node reached, its table
//! and row) — collected in [`Hits`]. Every [`CHUNK`] hits, and at the end
//! of the chunk, the hits are narrowed by the tests after the expansion,
//! grouped by the scanned node's key, and fed to the typed states from
//! the scanned node's or the reached node's columns.
//!
//! A group is made at the first row that reaches the aggregation, as the
//! row engine makes it: a scanned node with no accepted neighbour makes
//! none. Errors keep the row engine's order: a failing test drops its row
//! and the rows after it, the rows before it are aggregated first (an
//! aggregate error among them comes first), and an error in the scan's
//! tests comes after every row of the nodes before it.

use std::ops::Range;

use super::accum::{Num, State};
use super::keys::KeyVal;
use super::partial::Partial;
use super::shape::Arg;
use super::source::{ArgCol, TableView};
use super::worker::{CHUNK, Worker, passes, retain_passing};
use crate::error::{Error, Result};
use crate::exec::read::graph_direction;
use crate::exec::{Ctx, check_now, internal};
use crate::graph::{EdgeId, NodeId};
use crate::value::Value;

/// Rows an expansion gave, one entry per row in each vector.
#[derive(Debug, Default)]
pub struct Hits {
    /// The scanned node's row in its table.
    parent: Vec<u32>,
    /// The relationship.
    edge: Vec<u32>,
    /// The node reached.
    node: Vec<u32>,
    /// The node reached: its view in `Far::views` and its table row.
    view: Vec<u32>,
    row: Vec<u32>,
    /// The hits that passed the tests after the expansion.
    sel: Vec<u32>,
}

impl Hits {
    fn len(&self) -> usize {
        self.parent.len()
    }

    fn clear(&mut self) {
        self.parent.clear();
        self.edge.clear();
        self.node.clear();
        self.view.clear();
        self.row.clear();
        self.sel.clear();
    }
}

/// Feeds the value of `column` at `row` (if any) to `state`.
#[inline]
fn feed(column: &ArgCol<'_>, row: usize, state: &mut State) -> Result<()> {
    match column {
        ArgCol::Absent => Ok(()),
        ArgCol::Row => state.count_one(),
        ArgCol::Valid(valid) if valid.get(row) => state.count_one(),
        ArgCol::Int(values, valid) if valid.get(row) => state.update(Num::Int(values[row])),
        ArgCol::Float(values, valid) if valid.get(row) => state.update(Num::Float(values[row])),
        ArgCol::Valid(_) | ArgCol::Int(..) | ArgCol::Float(..) => Ok(()),
    }
}

impl Worker<'_, '_, '_> {
    /// Feeds the rows that the scanned rows `rows` of `table` expand to.
    /// (Kept out of line: inlined into `Worker::run`, it made the scan
    /// without expansion stop inlining its key lookups.)
    #[inline(never)]
    pub(super) fn expand_chunk(
        &mut self,
        table: &TableView<'_>,
        rows: Range<usize>,
        part: &mut Partial,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        let seg = self.seg;
        let (Some(expand), Some(far)) = (&seg.shape.expand, &seg.far) else {
            return Err(internal("a batch expansion without its far tables"));
        };
        let pending = self.select(table, rows, ctx);
        let hop = expand.hop;
        let direction = graph_direction(hop.direction);
        let types = hop.rel_filter.types.as_slice();
        self.hits.clear();
        let mut last = 0;
        for i in 0..self.sel.len() {
            let parent = self.sel[i];
            let node = NodeId(table.ids[parent as usize]);
            for (edge, other) in ctx.graph.neighbours(node, direction, types) {
                let (view, row) = far.locate(other, &mut last)?;
                if !far.views[view as usize].passes {
                    continue;
                }
                let hits = &mut self.hits;
                hits.parent.push(parent);
                hits.edge.push(edge.0);
                hits.node.push(other.0);
                hits.view.push(view);
                hits.row.push(row);
                if hits.len() >= CHUNK {
                    check_now(ctx.cancel, ctx.limits)?;
                    self.flush(table, part, ctx)?;
                }
            }
        }
        self.flush(table, part, ctx)?;
        pending.map_or(Ok(()), Err)
    }

    /// Aggregates the hits collected so far and forgets them.
    fn flush(&mut self, table: &TableView<'_>, part: &mut Partial, ctx: &Ctx<'_>) -> Result<()> {
        if self.hits.len() == 0 {
            return Ok(());
        }
        let mut pending = self.select_hits(table, ctx);
        if let Some(e) = self.group_hits(table, part, ctx) {
            pending = Some(e);
        }
        let result = self.update_hits(table, part);
        self.hits.clear();
        result?;
        pending.map_or(Ok(()), Err)
    }

    /// Fills `hits.sel` with the hits that pass every test after the
    /// expansion, test after test (see `Worker::select`): a kernel bound
    /// to the reached node's table decides from its columns, any other
    /// test runs through the row evaluator on the scratch row.
    fn select_hits(&mut self, table: &TableView<'_>, ctx: &Ctx<'_>) -> Option<Error> {
        let seg = self.seg;
        let (Some(expand), Some(far)) = (&seg.shape.expand, &seg.far) else {
            return Some(internal("a batch expansion without its far tables"));
        };
        let hop = expand.hop;
        let hits = &mut self.hits;
        hits.sel.clear();
        hits.sel.extend(0..hits.parent.len() as u32);
        // The row engine's rows hold the input row's values in the
        // relationship and reached-node slots before the expansion: they
        // are put back after the tests.
        let saved = [self.scratch[hop.rel].clone(), self.scratch[hop.to].clone()];
        let mut pending = None;
        for (p, pred) in expand.preds.iter().enumerate() {
            if hits.sel.is_empty() {
                break;
            }
            let scratch = &mut self.scratch;
            let (view, row, parent, edge, node) =
                (&hits.view, &hits.row, &hits.parent, &hits.edge, &hits.node);
            let failed = retain_passing(&mut hits.sel, |h| {
                let h = h as usize;
                let far_view = &far.views[view[h] as usize];
                match far_view.kernels.get(p).and_then(Option::as_ref) {
                    Some(kernel) => Ok(kernel.test(row[h]) == Some(true)),
                    None => {
                        scratch[seg.shape.slot] =
                            Value::Node(NodeId(table.ids[parent[h] as usize]));
                        scratch[hop.rel] = Value::Relationship(EdgeId(edge[h]));
                        scratch[hop.to] = Value::Node(NodeId(node[h]));
                        passes(pred, scratch, ctx)
                    }
                }
            });
            // A later test's error is for an earlier hit: it comes first.
            pending = failed.or(pending);
        }
        let [rel, to] = saved;
        self.scratch[hop.rel] = rel;
        self.scratch[hop.to] = to;
        pending
    }

    /// Fills `groups` with the group of each selected hit (its scanned
    /// node's key, read once per run of hits of one node), adding groups
    /// to `part`; on a limit error, cuts the selection there.
    fn group_hits(
        &mut self,
        table: &TableView<'_>,
        part: &mut Partial,
        ctx: &Ctx<'_>,
    ) -> Option<Error> {
        self.groups.clear();
        let mut last: Option<(u32, u32)> = None;
        for i in 0..self.hits.sel.len() {
            let parent = self.hits.parent[self.hits.sel[i] as usize];
            let at = match last {
                Some((p, at)) if p == parent => at,
                _ => {
                    let key = KeyVal::read(&table.key, parent as usize);
                    match self.group_of(key, part, ctx) {
                        Ok(at) => at,
                        Err(e) => {
                            self.hits.sel.truncate(i);
                            return Some(e);
                        }
                    }
                }
            };
            last = Some((parent, at));
            self.groups.push(at);
        }
        None
    }

    /// Updates every call's state for the selected hits, reading the
    /// scanned node's columns or the reached node's.
    fn update_hits(&self, table: &TableView<'_>, part: &mut Partial) -> Result<()> {
        let seg = self.seg;
        let Some(far) = &seg.far else {
            return Err(internal("a batch expansion without its far tables"));
        };
        let hits = &self.hits;
        let width = seg.kinds.len();
        for (c, call) in seg.shape.calls.iter().enumerate() {
            let state = |g: u32| g as usize * width + c;
            let pairs = hits.sel.iter().zip(&self.groups);
            match call.arg {
                Arg::Row => {
                    for g in &self.groups {
                        part.states[state(*g)].count_one()?;
                    }
                }
                Arg::Prop(_) => {
                    let column = &table.args[c];
                    for (h, g) in pairs {
                        let row = hits.parent[*h as usize] as usize;
                        feed(column, row, &mut part.states[state(*g)])?;
                    }
                }
                Arg::Far(_) => {
                    for (h, g) in pairs {
                        let h = *h as usize;
                        let column = &far.views[hits.view[h] as usize].args[c];
                        feed(column, hits.row[h] as usize, &mut part.states[state(*g)])?;
                    }
                }
            }
        }
        Ok(())
    }
}
