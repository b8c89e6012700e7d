//! Morsel-parallel aggregation (ENGINE.md §1.9): a label scan, the
//! per-row steps after it (filters, node checks, fixed-length expansions,
//! intersections) and the hash aggregation they feed run on several
//! threads. The scanned nodes are cut into morsels of [`MORSEL`] nodes
//! (at most [`EXPANDING_MORSEL`] when rows expand, fewer for nodes of high
//! degree) that the threads take in turn; each morsel is aggregated into its own group
//! table, and the tables are merged in morsel order, so groups come out in
//! the order the single-threaded engine gives (first seen), whatever
//! thread ran which morsel.
//!
//! An error is the one the single-threaded engine would raise: morsels are
//! taken in increasing order, a morsel below a failed one always runs to
//! its end, and the failure of the lowest morsel is reported. Float sums
//! and averages round per morsel before the merge, and an integer sum
//! fails when a morsel's or the total sum overflows rather than on the
//! first overflowing running sum (see [`Accumulator::merge`]).
//!
//! [`Accumulator::merge`]: super::aggregate::Accumulator::merge

use std::sync::atomic::{AtomicUsize, Ordering};

use super::groups::{GroupTable, mergeable};
use super::read::node_matches;
use super::{Ctx, Row, Rows, fused, internal, ops};
use crate::error::Result;
use crate::graph::NodeId;
use crate::plan::{AggregateCall, Expr, NodeFilter, NodeSource, Step};
use crate::value::Value;

/// Nodes per morsel when every scanned node gives at most one row. A scan
/// of fewer than two morsels runs on one thread (starting threads would
/// cost more than they save).
pub const MORSEL: usize = 4096;

/// Nodes per morsel when the rows expand: a node may give thousands of
/// rows (skewed degrees), so smaller morsels keep both threads busy.
pub const EXPANDING_MORSEL: usize = 256;

/// The nodes per morsel for the steps between the scan and the aggregation.
fn morsel_nodes(middle: &[Step]) -> usize {
    let expands = middle
        .iter()
        .any(|s| matches!(s, Step::Expand(_) | Step::Intersect(_)));
    if expands { EXPANDING_MORSEL } else { MORSEL }
}

/// When `steps` starts with a parallel aggregation segment, the index of
/// its aggregation: a label scan of at least two morsels of nodes, then
/// only per-row steps, then an aggregation whose partial results merge,
/// with more than one thread allowed.
pub fn segment(steps: &[Step], ctx: &Ctx<'_>) -> Option<usize> {
    if ctx.limits.threads < 2 {
        return None;
    }
    let Step::NodeScan {
        source: NodeSource::Label(label),
        ..
    } = steps.first()?
    else {
        return None;
    };
    for (i, step) in steps.iter().enumerate().skip(1) {
        match step {
            Step::Filter(_) | Step::CheckNode { .. } | Step::Intersect(_) => {}
            Step::Expand(hop) if hop.var_length.is_none() => {}
            Step::Aggregate { aggregates, .. } if mergeable(aggregates) => {
                let morsel = morsel_nodes(&steps[1..i]);
                return (ctx.graph.label_count(*label) >= 2 * morsel).then_some(i);
            }
            _ => return None,
        }
    }
    None
}

/// What one morsel runs: the scan's slot and filter, the per-row steps and
/// the aggregation.
struct Segment<'p> {
    slot: usize,
    filter: &'p NodeFilter,
    middle: &'p [Step],
    keys: &'p [Expr],
    calls: &'p [AggregateCall],
    by_entities: bool,
}

/// The aggregation of a segment ([`segment`] gave the index of its last
/// step) over the rows of `input`, computed on parallel threads.
pub fn aggregate<'a>(steps: &'a [Step], ctx: &'a Ctx<'a>, input: Rows<'a>) -> Rows<'a> {
    let (
        Some(Step::NodeScan {
            slot,
            source: NodeSource::Label(label),
            filter,
        }),
        Some(Step::Aggregate {
            keys,
            aggregates,
            by_entities,
        }),
    ) = (steps.first(), steps.last())
    else {
        return Box::new(std::iter::once(Err(internal(
            "a parallel aggregation must start with a label scan and end with an aggregation",
        ))));
    };
    let segment = Segment {
        slot: *slot,
        filter,
        middle: &steps[1..steps.len() - 1],
        keys,
        calls: aggregates,
        by_entities: *by_entities,
    };
    ops::deferred(move || {
        let nodes: Vec<NodeId> = ctx.graph.nodes_with_label(*label).collect();
        let mut total = GroupTable::new(keys, aggregates, *by_entities);
        for row in input {
            let row = row?;
            ctx.check()?;
            for part in run_morsels(&segment, &nodes, &row, ctx)? {
                total.merge(part, ctx)?;
            }
        }
        total.finish(ctx)
    })
}

/// The group tables of every morsel of `nodes`, in morsel order, or the
/// error of the lowest failing morsel.
fn run_morsels<'p>(
    segment: &Segment<'p>,
    nodes: &[NodeId],
    row: &Row,
    ctx: &Ctx<'_>,
) -> Result<Vec<GroupTable<'p>>> {
    let bounds = morsel_bounds(
        segment.slot,
        segment.middle,
        nodes.len(),
        nodes.iter().copied(),
        ctx,
    );
    let count = bounds.len() - 1;
    let threads = ctx.limits.threads.min(count).max(1);
    in_order(
        count,
        threads,
        ctx,
        || (),
        |(), m, ctx| {
            let morsel = &nodes[bounds[m]..bounds[m + 1]];
            run_morsel(segment, morsel, row, ctx)
        },
    )
}

/// Morsels per thread that [`morsel_bounds`] aims at when rows expand.
const MORSELS_PER_THREAD: usize = 32;

/// Where the morsels of the `len` scanned `nodes` start, then `len` (the
/// nodes are read only when rows expand). Without
/// expansions a morsel is [`MORSEL`] nodes. With them it is at most
/// [`EXPANDING_MORSEL`] nodes and ends early once its nodes' degrees
/// along the first expansion (plus one per node) reach a share of the
/// total: under skewed degrees (Q8: the first agencies issue most
/// measures) equal node counts would leave one thread with most of the
/// work. Morsels stay in scan order, so results do not change.
fn morsel_bounds(
    slot: usize,
    middle: &[Step],
    len: usize,
    nodes: impl Iterator<Item = NodeId>,
    ctx: &Ctx<'_>,
) -> Vec<usize> {
    let size = morsel_nodes(middle);
    let first = middle.iter().find_map(|s| match s {
        Step::Expand(hop) if hop.from == slot && !hop.into && hop.var_length.is_none() => Some(hop),
        _ => None,
    });
    let Some(hop) = first.filter(|_| size == EXPANDING_MORSEL) else {
        let mut bounds: Vec<usize> = (0..len).step_by(size.max(1)).collect();
        bounds.push(len);
        return bounds;
    };
    let direction = super::read::graph_direction(hop.direction);
    let weights: Vec<usize> = nodes
        .map(|n| {
            1 + ctx
                .graph
                .neighbour_count(n, direction, &hop.rel_filter.types)
        })
        .collect();
    let total: usize = weights.iter().sum();
    let share = (total / (MORSELS_PER_THREAD * ctx.limits.threads.max(1))).max(1);
    let mut bounds = vec![0];
    let (mut weight, mut start) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        weight += w;
        if weight >= share || i + 1 - start >= size {
            bounds.push(i + 1);
            (weight, start) = (0, i + 1);
        }
    }
    if start < len {
        bounds.push(len);
    }
    bounds
}

/// The morsel bounds, as positions in the label scan, of the segment
/// `steps[..=last]` ([`segment`] gave `last`): the batch path
/// (`exec::batch`) cuts its scan where the row engine does, so that its
/// partial states merge as the row engine's group tables do.
pub(super) fn scan_bounds(steps: &[Step], last: usize, ctx: &Ctx<'_>) -> Option<Vec<usize>> {
    let Step::NodeScan {
        slot,
        source: NodeSource::Label(label),
        ..
    } = steps.first()?
    else {
        return None;
    };
    let (len, nodes) = (
        ctx.graph.label_count(*label),
        ctx.graph.nodes_with_label(*label),
    );
    Some(morsel_bounds(*slot, steps.get(1..last)?, len, nodes, ctx))
}

/// Runs morsels `0..count` on `threads` threads (on the calling thread
/// when 1), which take them in increasing order: each thread makes its
/// state with `init` and runs `run(state, morsel, ctx)` per morsel, under
/// limits of one thread (a subquery in a filter starts no threads of its
/// own). No morsel above a failed one starts, and every morsel below it
/// runs to its end, so the results, in morsel order, end at the error of
/// the lowest failing morsel — the one a single thread would raise.
pub(super) fn in_order<S, T: Send>(
    count: usize,
    threads: usize,
    ctx: &Ctx<'_>,
    init: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, usize, &Ctx<'_>) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let next = AtomicUsize::new(0);
    let lowest_failure = AtomicUsize::new(usize::MAX);
    let (graph, cancel, limits) = (ctx.graph, ctx.cancel, ctx.limits);
    let worker_limits = super::Limits {
        threads: 1,
        ..limits.clone()
    };
    let work = || {
        let ctx = Ctx::new(graph, cancel, &worker_limits);
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let m = next.fetch_add(1, Ordering::Relaxed);
            if m >= count || m > lowest_failure.load(Ordering::Relaxed) {
                return done;
            }
            let result = run(&mut state, m, &ctx);
            if result.is_err() {
                lowest_failure.fetch_min(m, Ordering::Relaxed);
            }
            done.push((m, result));
        }
    };
    let mut parts: Vec<(usize, Result<T>)> = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            let mut parts = Vec::with_capacity(count);
            for handle in handles {
                match handle.join() {
                    Ok(done) => parts.extend(done),
                    Err(_) => parts.push((0, Err(internal("a worker thread panicked")))),
                }
            }
            parts
        })
    };
    parts.sort_by_key(|(m, _)| *m);
    parts.into_iter().map(|(_, part)| part).collect()
}

/// The group table of one morsel of scanned nodes.
fn run_morsel<'p>(
    segment: &Segment<'p>,
    morsel: &[NodeId],
    row: &Row,
    ctx: &Ctx<'_>,
) -> Result<GroupTable<'p>> {
    if fused::applies(segment.middle, ctx) {
        let mut table = GroupTable::new(segment.keys, segment.calls, segment.by_entities);
        run_fused(segment, morsel, row, &mut table, ctx)?;
        return Ok(table);
    }
    let scanned = morsel.iter().filter_map(|&node| {
        if let Err(e) = ctx.check() {
            return Some(Err(e));
        }
        match node_matches(node, segment.filter, row, ctx) {
            Ok(true) => {
                let mut out = row.clone();
                out[segment.slot] = Value::Node(node);
                Some(Ok(out))
            }
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    });
    let mut table = GroupTable::new(segment.keys, segment.calls, segment.by_entities);
    let rows = super::build(segment.middle, ctx, Box::new(scanned));
    for row in rows {
        table.add(&row?, ctx)?;
    }
    Ok(table)
}

/// [`run_morsel`]'s loop when the steps between the scan and the
/// aggregation run fused: one scratch row for the whole morsel.
fn run_fused<'p>(
    segment: &Segment<'p>,
    morsel: &[NodeId],
    row: &Row,
    table: &mut GroupTable<'p>,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut fused = fused::Fused::new(segment.middle, segment.keys, segment.calls, ctx);
    let mut scratch = row.clone();
    let unbound = scratch.get(segment.slot).cloned().unwrap_or_default();
    for &node in morsel {
        ctx.check()?;
        if !node_matches(node, segment.filter, &scratch, ctx)? {
            continue;
        }
        scratch[segment.slot] = Value::Node(node);
        let result = fused.feed(&mut scratch, table);
        scratch[segment.slot] = unbound.clone();
        result?;
    }
    Ok(())
}
