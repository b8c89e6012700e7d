//! The batch executor for `NodeScan(Label) → [Filter | CheckNode]* →
//! [Expand → [Filter | CheckNode]*] → Aggregate` (issue 16, ENGINE.md
//! §1.3–1.6): instead of one `Vec<Value>` row per scanned node, the
//! label's tables are read in chunks of rows, narrowed to a selection by
//! the filters, grouped by a typed key column and aggregated into typed
//! states read straight from the columns. With an expansion (Q7), each
//! selected node's typed adjacency slice is walked, its group found once
//! per node, and the states fed from the columns of the nodes reached.
//!
//! The modules, in the order data flows:
//! - [`shape`]: which step sequences qualify (from the plan alone);
//! - [`source`]: the tables, their typed columns, and the row runs that
//!   visit them in the row engine's scan order (ascending node id); a
//!   column of a type the path does not read makes the segment fall back;
//! - [`far`]: for an expansion, the tables of the nodes it may reach and
//!   their typed columns (the same fallback rule);
//! - [`worker`]: one thread's chunked pass (tests through the row
//!   evaluator on a reused scratch row, group ids, typed updates), and
//!   [`expand`] its pass through the expansion;
//! - [`keys`], [`accum`], [`partial`]: group ids, aggregate states, and
//!   the groups of one pass.
//!
//! **Same results as the row engine.** Groups come out first-seen in scan
//! order. Where the row engine runs the segment as morsel-parallel
//! aggregation (`exec::morsel`: two threads allowed and at least two
//! morsels of nodes), this path cuts the scan at the same morsel
//! boundaries and merges per-morsel states in morsel order exactly as
//! `Accumulator::merge` does, so float sums round and integer sums
//! overflow as there; otherwise it feeds one set of states in scan order,
//! as the single-threaded row engine does. The choice is made before the
//! first row, and the path is used only when `Limits::fast_paths` is on.
//! PROFILE times the segment as one operator (`exec::build_profiled`).

mod accum;
mod expand;
mod far;
mod keys;
mod partial;
mod shape;
mod source;
mod worker;

use self::accum::{Kind, State};
use self::far::Far;
use self::keys::KeyMap;
use self::partial::Partial;
use self::shape::Shape;
use self::source::Source;
use self::worker::Worker;
use super::{Ctx, Row, Rows, morsel, ops};
use crate::error::Result;
use crate::graph::columns::Dictionary;
use crate::plan::Step;

/// The fewest morsels a scan must have to run on more than one thread.
/// Below it (M's 45k products, 11 morsels) one thread is as fast: the
/// chunked pass costs about a millisecond, and a second thread costs its
/// start-up and contends with the first. The partials, and so the result,
/// are the same on any number of threads.
const THREADED_MORSELS: usize = 16;

/// "No group" in index tables.
const NONE: u32 = u32::MAX;

/// A batch segment ready to run: its shape, its columns and scan order.
pub struct Segment<'g, 'p> {
    shape: Shape<'p>,
    source: Source<'g>,
    /// The tables the expansion reaches, when the segment has one.
    far: Option<Far<'g>>,
    dict: &'g Dictionary,
    kinds: Vec<Kind>,
    /// The scan position of each piece's first row.
    starts: Vec<usize>,
    /// Where each morsel starts (then the scan's end), in scan positions,
    /// when the row engine would aggregate in morsels.
    morsel: Option<Vec<usize>>,
}

impl Segment<'_, '_> {
    /// The index of the segment's last step (its aggregation).
    pub fn last(&self) -> usize {
        self.shape.last
    }
}

/// The batch segment at the start of `steps`, when fast paths are on,
/// the steps have its shape and the columns have types it reads.
pub fn plan<'a>(steps: &'a [Step], ctx: &Ctx<'a>) -> Option<Segment<'a, 'a>> {
    if !ctx.limits.fast_paths {
        return None;
    }
    let shape = shape::shape(steps)?;
    let source = Source::new(&shape, ctx.graph, ctx.limits.max_value_bytes)?;
    let far = match &shape.expand {
        Some(expand) => Some(Far::new(
            &shape,
            expand,
            ctx.graph,
            ctx.limits.max_value_bytes,
        )?),
        None => None,
    };
    // The row engine's morsels for these steps (`exec::morsel`).
    let morsel = match morsel::segment(steps, ctx) {
        Some(last) if last == shape.last => morsel::scan_bounds(steps, last, ctx),
        _ => None,
    };
    let mut starts = Vec::with_capacity(source.pieces.len());
    let mut at = 0;
    for piece in &source.pieces {
        starts.push(at);
        at += piece.rows.len();
    }
    Some(Segment {
        kinds: shape.calls.iter().map(|c| c.kind).collect(),
        shape,
        source,
        far,
        dict: ctx.graph.property_store().dictionary(),
        starts,
        morsel,
    })
}

/// The aggregation of `seg` over the rows of `input` (one scan per input
/// row), computed when first pulled.
pub fn aggregate<'a>(seg: Segment<'a, 'a>, ctx: &'a Ctx<'a>, input: Rows<'a>) -> Rows<'a> {
    ops::deferred(move || {
        let total = match &seg.morsel {
            None => sequential(&seg, ctx, input)?,
            Some(bounds) => {
                let mut total = Total::new(&seg);
                for row in input {
                    let row = row?;
                    ctx.check()?;
                    for part in morsels(&seg, bounds, &row, ctx)? {
                        total.merge(part, &seg, ctx)?;
                    }
                }
                total.part
            }
        };
        ctx.release(total.held);
        Ok(finish(&seg, total))
    })
}

/// One pass over every input row's scan, feeding one set of states.
fn sequential(seg: &Segment<'_, '_>, ctx: &Ctx<'_>, input: Rows<'_>) -> Result<Partial> {
    let mut part = Partial::default();
    let mut worker: Option<Worker<'_, '_, '_>> = None;
    for row in input {
        let row = row?;
        ctx.check()?;
        let w = match worker.as_mut() {
            Some(w) => {
                w.set_row(&row);
                w
            }
            None => worker.insert(Worker::new(seg, &row)),
        };
        if let Err(e) = w.run(0..seg.source.len, &mut part, ctx) {
            ctx.release(part.held);
            return Err(e);
        }
    }
    Ok(part)
}

/// The partials of every morsel of one scan, in morsel order, or the
/// error of the lowest failing morsel (the others below it ran to their
/// end), as `exec::morsel` runs them.
fn morsels(
    seg: &Segment<'_, '_>,
    bounds: &[usize],
    row: &Row,
    ctx: &Ctx<'_>,
) -> Result<Vec<Partial>> {
    let count = bounds.len().saturating_sub(1);
    let threads = if count >= THREADED_MORSELS {
        ctx.limits.threads.min(count).max(1)
    } else {
        1
    };
    let init = || Worker::new(seg, row);
    morsel::in_order(count, threads, ctx, init, |worker, m, ctx| {
        let mut part = Partial::default();
        let range = bounds[m]..bounds[m + 1];
        let result = worker.run(range, &mut part, ctx);
        worker.forget(&part);
        result.map(|()| part)
    })
}

/// The groups of the whole input, merged from partials in input order.
struct Total {
    keys: KeyMap,
    part: Partial,
}

impl Total {
    fn new(seg: &Segment<'_, '_>) -> Total {
        Total {
            keys: KeyMap::new(seg.source.code_range, seg.source.len),
            part: Partial::default(),
        }
    }

    /// Adds `later`'s groups: new ones after the known ones, in their
    /// order; known ones merge their states (as `GroupTable::merge`).
    fn merge(&mut self, later: Partial, seg: &Segment<'_, '_>, ctx: &Ctx<'_>) -> Result<()> {
        ctx.hold(later.held)?;
        self.part.held += later.held;
        let width = seg.kinds.len();
        let mut states = later.states.into_iter();
        for key in later.keys {
            let (id, new) = self.keys.id(key);
            if new {
                self.part.keys.push(key);
                self.part.states.extend(states.by_ref().take(width));
                ctx.check_buffer(self.part.keys.len())?;
            } else {
                let mine = &mut self.part.states[id as usize * width..(id as usize + 1) * width];
                for (m, theirs) in mine.iter_mut().zip(states.by_ref().take(width)) {
                    m.merge(theirs)?;
                }
            }
        }
        Ok(())
    }
}

/// The output rows (key, then aggregates) of the groups in `part`; with
/// no key, one row even for no input.
fn finish(seg: &Segment<'_, '_>, part: Partial) -> Vec<Row> {
    let width = seg.kinds.len();
    if part.keys.is_empty() && seg.shape.key.is_none() {
        return vec![seg.kinds.iter().map(|k| State::new(*k).finish()).collect()];
    }
    let mut states = part.states.into_iter();
    part.keys
        .into_iter()
        .map(|key| {
            let mut row = Vec::with_capacity(width + 1);
            if seg.shape.key.is_some() {
                row.push(key.value(seg.dict));
            }
            row.extend(states.by_ref().take(width).map(State::finish));
            row
        })
        .collect()
}

/// Bytes a group of `key` is counted as (the key held twice, as the row
/// engine's group table counts it).
fn group_bytes(seg: &Segment<'_, '_>, key: keys::KeyVal) -> u64 {
    match seg.shape.key {
        Some(_) => 2 * key.bytes(seg.dict),
        None => 0,
    }
}

#[cfg(test)]
mod tests;
