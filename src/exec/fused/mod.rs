//! Fused expand-aggregate (issue 16, ENGINE.md §1.3 and §1.6): a run of
//! per-row steps with at least one expansion — fixed-length `Expand`,
//! `Intersect`, `Filter`, `CheckNode` — feeding an `Aggregate` is walked
//! depth first over one scratch row instead of a chain of iterators that
//! copies the row at every expanded relationship.
//!
//! Per input row the walker writes each step's new slots into the row,
//! descends, and puts the old values back, so every step sees exactly
//! the row the row engine would give it. At the end of the run it feeds
//! the group table directly:
//! - **Key dependency.** When the grouping keys read only slots that are
//!   bound before some depth of the run (Q7 groups by `c.name`, `c` bound
//!   by the scan; Q3 by `a.name`), the group is found once per row at
//!   that depth — lazily, at the first row that reaches the aggregation,
//!   so keys are evaluated only where the row engine evaluates them — and
//!   reused for every row below it.
//! - **Distinct entities.** `agg(DISTINCT x)` over nodes or relationships
//!   keeps ids in the accumulator's set (`exec::aggregate`), an integer
//!   hash per row.
//! - **Typed reads.** An argument `slot.key` on a node is read straight
//!   from the property columns (see [`args`]).
//!
//! Rows, their order, group order (first seen), errors (the first in the
//! row engine's order) and memory accounting are those of the row engine;
//! `tests/fused.rs` and `tests/properties.rs` compare the two. The path
//! applies only when `Limits::fast_paths` is on, and `exec::morsel` runs
//! the same walker inside each morsel.

mod args;
mod walk;

use super::groups::GroupTable;
use super::{Ctx, Rows, ops};
use crate::plan::{Expr, Step};

pub use walk::Fused;

/// Whether `step` may sit inside a fused run, and whether it expands.
fn run_step(step: &Step) -> Option<bool> {
    match step {
        Step::Filter(_) | Step::CheckNode { .. } => Some(false),
        Step::Expand(hop) if hop.var_length.is_none() => Some(true),
        Step::Intersect(_) => Some(true),
        _ => None,
    }
}

/// Whether `middle`, the per-row steps between a scan and an aggregation,
/// can run fused: fast paths are on, every step fits, and at least one
/// expands (runs without expansions belong to the batch scan).
pub fn applies(middle: &[Step], ctx: &Ctx<'_>) -> bool {
    if !ctx.limits.fast_paths {
        return false;
    }
    let mut expands = false;
    for step in middle {
        match run_step(step) {
            Some(e) => expands |= e,
            None => return false,
        }
    }
    expands
}

/// When `steps` starts with a fused run, the index of the aggregation it
/// feeds.
pub fn segment(steps: &[Step], ctx: &Ctx<'_>) -> Option<usize> {
    let at = steps.iter().position(|s| run_step(s).is_none())?;
    match steps[at] {
        Step::Aggregate { .. } if applies(&steps[..at], ctx) => Some(at),
        _ => None,
    }
}

/// The aggregation of a fused segment ([`segment`] gave the index of its
/// last step) over the rows of `input`.
pub fn aggregate<'a>(steps: &'a [Step], ctx: &'a Ctx<'a>, input: Rows<'a>) -> Rows<'a> {
    let Some((
        Step::Aggregate {
            keys,
            aggregates,
            by_entities,
        },
        middle,
    )) = steps.split_last()
    else {
        return Box::new(std::iter::once(Err(super::internal(
            "a fused segment must end with an aggregation",
        ))));
    };
    ops::deferred(move || {
        let mut table = GroupTable::new(keys, aggregates, *by_entities);
        let mut fused = Fused::new(middle, keys, aggregates, ctx);
        for row in input {
            let mut row = row?;
            ctx.check()?;
            fused.feed(&mut row, &mut table)?;
        }
        table.finish(ctx)
    })
}

/// The slots the grouping keys read, when every key is a constant, a slot
/// or a property of a slot (pure functions of those slots); `None` for
/// any other key.
fn key_slots(keys: &[Expr]) -> Option<Vec<usize>> {
    let mut slots = Vec::new();
    for key in keys {
        match key {
            Expr::Const(_) => {}
            Expr::Slot(s) => slots.push(*s),
            Expr::Property(target, _, _) => match **target {
                Expr::Slot(s) => slots.push(s),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(slots)
}

/// The slots a run step binds.
fn written(step: &Step) -> Vec<usize> {
    match step {
        Step::Expand(hop) => vec![hop.rel, hop.to],
        Step::Intersect(hops) => hops.iter().flat_map(|h| [h.rel, h.to]).collect(),
        _ => Vec::new(),
    }
}

/// The depth of the run from which the grouping keys stay fixed: one past
/// the last step that binds a slot they read (0 when none does), or the
/// run's length when the keys are not simple enough to tell.
fn group_depth(middle: &[Step], keys: &[Expr]) -> usize {
    let Some(slots) = key_slots(keys) else {
        return middle.len();
    };
    middle
        .iter()
        .rposition(|step| written(step).iter().any(|s| slots.contains(s)))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests;
