//! One thread's pass over a range of scan positions: chunks of up to
//! [`CHUNK`] rows of one table are narrowed to a selection of rows by the
//! per-row tests, their group ids found from the key column, and each
//! aggregate's typed state updated straight from its column.
//!
//! Errors are the row engine's: a test that fails on a row ends the
//! selection before it, the rows before it are still aggregated (an
//! aggregate error among them comes first), then the test's error is
//! raised. Cancellation and time limits are checked once per chunk.

use std::ops::Range;

use super::accum::Num;
use super::expand::Hits;
use super::keys::{KeyMap, KeyVal};
use super::partial::Partial;
use super::shape::Pred;
use super::source::{ArgCol, TableView};
use super::{NONE, Segment, group_bytes};
use crate::error::{Error, Result};
use crate::exec::eval::{eval, truth};
use crate::exec::read::node_matches;
use crate::exec::{Ctx, Row, check_now};
use crate::graph::NodeId;
use crate::value::Value;

/// Rows per chunk.
pub const CHUNK: usize = 2048;

/// The reusable buffers of one thread.
pub struct Worker<'s, 'g, 'p> {
    pub(super) seg: &'s Segment<'g, 'p>,
    keys: KeyMap,
    /// Per key-map id, the group's index in the current partial.
    local: Vec<u32>,
    pub(super) scratch: Row,
    pub(super) sel: Vec<u32>,
    kept: Vec<u32>,
    pub(super) groups: Vec<u32>,
    /// The rows an expansion gave and not yet aggregated (see `expand`).
    pub(super) hits: Hits,
}

impl<'s, 'g, 'p> Worker<'s, 'g, 'p> {
    /// A worker for `seg`, evaluating tests on copies of `row`.
    pub fn new(seg: &'s Segment<'g, 'p>, row: &Row) -> Self {
        Worker {
            seg,
            keys: KeyMap::new(seg.source.code_range, seg.source.len),
            local: Vec::new(),
            scratch: row.clone(),
            sel: Vec::with_capacity(CHUNK),
            kept: Vec::with_capacity(CHUNK),
            groups: Vec::with_capacity(CHUNK),
            hits: Hits::default(),
        }
    }

    /// Evaluates tests on copies of `row` from now on.
    pub fn set_row(&mut self, row: &Row) {
        self.scratch.clone_from(row);
    }

    /// Feeds the scan positions `range` into `part`.
    pub fn run(&mut self, range: Range<usize>, part: &mut Partial, ctx: &Ctx<'_>) -> Result<()> {
        let seg = self.seg;
        let Some(first) = seg
            .starts
            .partition_point(|s| *s <= range.start)
            .checked_sub(1)
        else {
            return Ok(()); // no rows
        };
        for (piece, start) in seg.source.pieces[first..].iter().zip(&seg.starts[first..]) {
            if *start >= range.end {
                break;
            }
            let table = &seg.source.tables[piece.table];
            if !table.passes {
                continue;
            }
            let from = piece.rows.start + range.start.saturating_sub(*start);
            let to = piece.rows.end.min(piece.rows.start + (range.end - start));
            let mut at = from;
            while at < to {
                let end = (at + CHUNK).min(to);
                check_now(ctx.cancel, ctx.limits)?;
                self.chunk(table, at..end, part, ctx)?;
                at = end;
            }
        }
        Ok(())
    }

    /// Forgets the group indexes of `part` (done with it): the next
    /// partial starts empty, while the key map keeps its ids.
    pub fn forget(&mut self, part: &Partial) {
        for key in &part.keys {
            let (id, _) = self.keys.id(*key);
            self.local[id as usize] = NONE;
        }
    }

    fn chunk(
        &mut self,
        table: &TableView<'_>,
        rows: Range<usize>,
        part: &mut Partial,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        if self.seg.far.is_some() {
            return self.expand_chunk(table, rows, part, ctx);
        }
        let mut pending = self.select(table, rows, ctx);
        if let Some(e) = self.group(table, part, ctx) {
            pending = Some(e);
        }
        self.update(table, part)?;
        pending.map_or(Ok(()), Err)
    }

    /// Fills `sel` with the rows of `rows` that pass every test, test
    /// after test (a kernel selects a whole chunk, other tests run row by
    /// row). A test that fails on a row drops that row and the ones after
    /// it, and the later tests still run on the rows before it (one of
    /// them may fail earlier); the error of the earliest row is returned.
    pub(super) fn select(
        &mut self,
        table: &TableView<'_>,
        rows: Range<usize>,
        ctx: &Ctx<'_>,
    ) -> Option<Error> {
        self.sel.clear();
        self.sel.extend(rows.start as u32..rows.end as u32);
        let slot = self.seg.shape.slot;
        let mut pending = None;
        for (pred, kernel) in self.seg.shape.preds.iter().zip(&table.kernels) {
            if self.sel.is_empty() {
                break;
            }
            if let Some(kernel) = kernel {
                self.kept.clear();
                kernel.select(&self.sel, &mut self.kept);
                std::mem::swap(&mut self.sel, &mut self.kept);
                continue;
            }
            let scratch = &mut self.scratch;
            let failed = retain_passing(&mut self.sel, |row| {
                scratch[slot] = Value::Node(NodeId(table.ids[row as usize]));
                passes(pred, scratch, ctx)
            });
            // A later test's error is for an earlier row: it comes first.
            pending = failed.or(pending);
        }
        pending
    }

    /// Fills `groups` with the group index of each selected row, adding
    /// groups to `part`; on a limit error, cuts the selection there.
    fn group(&mut self, table: &TableView<'_>, part: &mut Partial, ctx: &Ctx<'_>) -> Option<Error> {
        self.groups.clear();
        for i in 0..self.sel.len() {
            let key = KeyVal::read(&table.key, self.sel[i] as usize);
            let (id, new) = self.keys.id(key);
            if new {
                self.local.push(NONE);
            }
            let mut at = self.local[id as usize];
            if at == NONE {
                if let Err(e) = self.new_group(key, part, ctx) {
                    self.sel.truncate(i);
                    return Some(e);
                }
                at = (part.keys.len() - 1) as u32;
                self.local[id as usize] = at;
            }
            self.groups.push(at);
        }
        None
    }

    /// The index in `part` of the group of `key`, added if new.
    #[inline]
    pub(super) fn group_of(
        &mut self,
        key: KeyVal,
        part: &mut Partial,
        ctx: &Ctx<'_>,
    ) -> Result<u32> {
        let (id, new) = self.keys.id(key);
        if new {
            self.local.push(NONE);
        }
        let at = self.local[id as usize];
        if at != NONE {
            return Ok(at);
        }
        self.new_group(key, part, ctx)?;
        let at = (part.keys.len() - 1) as u32;
        self.local[id as usize] = at;
        Ok(at)
    }

    fn new_group(&mut self, key: KeyVal, part: &mut Partial, ctx: &Ctx<'_>) -> Result<()> {
        let bytes = group_bytes(self.seg, key);
        ctx.hold(bytes)?;
        part.held += bytes;
        part.push(key, &self.seg.kinds);
        ctx.check_buffer(part.keys.len())
    }

    /// Updates every call's state for the selected rows.
    fn update(&self, table: &TableView<'_>, part: &mut Partial) -> Result<()> {
        let width = self.seg.kinds.len();
        for (c, arg) in table.args.iter().enumerate() {
            let state = |g: u32| g as usize * width + c;
            let pairs = self.sel.iter().zip(&self.groups);
            match arg {
                ArgCol::Absent => {}
                ArgCol::Row => {
                    for g in &self.groups {
                        part.states[state(*g)].count_one()?;
                    }
                }
                ArgCol::Valid(valid) => {
                    for (row, g) in pairs {
                        if valid.get(*row as usize) {
                            part.states[state(*g)].count_one()?;
                        }
                    }
                }
                ArgCol::Int(values, valid) => {
                    for (row, g) in pairs {
                        let row = *row as usize;
                        if valid.get(row) {
                            part.states[state(*g)].update(Num::Int(values[row]))?;
                        }
                    }
                }
                ArgCol::Float(values, valid) => {
                    for (row, g) in pairs {
                        let row = *row as usize;
                        if valid.get(row) {
                            part.states[state(*g)].update(Num::Float(values[row]))?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether the row passes one test, through the row evaluator.
pub(super) fn passes(pred: &Pred<'_>, row: &Row, ctx: &Ctx<'_>) -> Result<bool> {
    Ok(match pred {
        Pred::Filter(predicate, _) => truth(eval(predicate, row, ctx)?)? == Some(true),
        Pred::Check(slot, filter) => match row.get(*slot) {
            Some(Value::Node(id)) => node_matches(*id, filter, row, ctx)?,
            _ => false,
        },
    })
}

/// Keeps, in order, the entries of `sel` that `test` passes. At the first
/// error the entries from it on are dropped (the row engine stops at that
/// row) and the error is given back.
pub(super) fn retain_passing(
    sel: &mut Vec<u32>,
    mut test: impl FnMut(u32) -> Result<bool>,
) -> Option<Error> {
    let mut kept = 0;
    let mut failed = None;
    for i in 0..sel.len() {
        let entry = sel[i];
        match test(entry) {
            Ok(true) => {
                sel[kept] = entry;
                kept += 1;
            }
            Ok(false) => {}
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    sel.truncate(kept);
    failed
}
