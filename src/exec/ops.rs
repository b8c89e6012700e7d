//! Row-shaping operators: UNWIND, aggregation, DISTINCT, ORDER BY, top-k,
//! SKIP and LIMIT counts.

use rustc_hash::FxHashSet;
use std::cmp::Ordering;
use std::iter;

use super::eval::eval;
use super::groups::GroupTable;
use super::{Ctx, Row, Rows};
use crate::error::{Error, Result};
use crate::plan::{AggregateCall, Expr, SortKey};
use crate::value::{GroupKey, Value, compare_for_order};

/// One row per element of the list `expr` gives. With `move_list`, `expr`
/// is a variable no later step reads: its list is moved out of the row
/// (which keeps null there) instead of being copied into every row.
pub fn unwind<'a>(
    mut row: Row,
    expr: &'a Expr,
    slot: usize,
    move_list: bool,
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    let value = match (move_list, expr) {
        (true, Expr::Slot(s)) if *s < row.len() => Ok(std::mem::take(&mut row[*s])),
        _ => eval(expr, &row, ctx),
    };
    match value {
        Ok(Value::List(items)) => Box::new(items.into_iter().map(move |item| {
            let mut out = row.clone();
            out[slot] = item;
            Ok(out)
        })),
        Ok(Value::Null) => Box::new(iter::empty()),
        Ok(other) => {
            let mut out = row;
            out[slot] = other;
            Box::new(iter::once(Ok(out)))
        }
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

/// Hash aggregation: one output row per group (keys, then aggregates). With
/// no keys, one row even for no input.
pub fn aggregate<'a>(
    rows: Rows<'a>,
    keys: &'a [Expr],
    calls: &'a [AggregateCall],
    by_entities: bool,
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    deferred(move || {
        let mut table = GroupTable::new(keys, calls, by_entities);
        for row in rows {
            let row = row?;
            ctx.check()?;
            table.add(&row, ctx)?;
        }
        table.finish(ctx)
    })
}

/// Rows whose first `width` values were not seen before.
pub fn distinct<'a>(rows: Rows<'a>, width: usize, ctx: &'a Ctx<'a>) -> Rows<'a> {
    let mut seen: FxHashSet<Vec<GroupKey>> = FxHashSet::default();
    let mut held = 0u64;
    Box::new(rows.filter_map(move |r| match r {
        Ok(row) => {
            if let Err(e) = ctx.check() {
                return Some(Err(e));
            }
            let key: Vec<GroupKey> = row.iter().take(width).cloned().map(GroupKey).collect();
            if seen.contains(&key) {
                return None;
            }
            let bytes = match ctx.row_bytes(&row[..width.min(row.len())]) {
                Ok(b) => b,
                Err(e) => {
                    ctx.release(std::mem::take(&mut held));
                    return Some(Err(e));
                }
            };
            if let Err(e) = ctx
                .hold(bytes)
                .and_then(|()| ctx.check_buffer(seen.len() + 1))
            {
                ctx.release(std::mem::take(&mut held));
                return Some(Err(e));
            }
            held += bytes;
            seen.insert(key);
            Some(Ok(row))
        }
        Err(e) => Some(Err(e)),
    }))
}

fn compare_keys(a: &[Value], b: &[Value], keys: &[SortKey]) -> Ordering {
    for ((x, y), key) in a.iter().zip(b).zip(keys) {
        let o = compare_for_order(x, y);
        let o = if key.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The slot of each sort key, when every key is a slot.
fn key_slots(keys: &[SortKey]) -> Option<Vec<usize>> {
    keys.iter()
        .map(|k| match k.expr {
            Expr::Slot(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn keyed(row: Row, keys: &[SortKey], ctx: &Ctx<'_>) -> Result<(Vec<Value>, Row)> {
    let k = keys
        .iter()
        .map(|k| eval(&k.expr, &row, ctx))
        .collect::<Result<_>>()?;
    Ok((k, row))
}

/// ORDER BY: a stable sort of every row.
pub fn sort<'a>(rows: Rows<'a>, keys: &'a [SortKey], ctx: &'a Ctx<'a>) -> Rows<'a> {
    deferred(move || {
        let mut all = Vec::new();
        let mut held = 0u64;
        for row in rows {
            ctx.check()?;
            let entry = keyed(row?, keys, ctx)?;
            let bytes = ctx.row_bytes(&entry.0)? + ctx.row_bytes(&entry.1)?;
            ctx.hold(bytes)?;
            held += bytes;
            all.push(entry);
            ctx.check_buffer(all.len())?;
        }
        ctx.release(held);
        let all = sort_checked(all, |a, b| compare_keys(&a.0, &b.0, keys), ctx)?;
        Ok(all.into_iter().map(|(_, r)| r).collect())
    })
}

/// Rows sorted per run before they are merged: small enough that sorting
/// one takes milliseconds, so a cancel or time-out is seen promptly.
const SORT_RUN: usize = 1 << 14;

/// A stable sort of `items` that stops with an error when the statement is
/// cancelled or times out: runs of [`SORT_RUN`] items are sorted one by
/// one, then merged pairwise, checking between runs and while merging.
fn sort_checked<T>(
    mut items: Vec<T>,
    order: impl Fn(&T, &T) -> Ordering,
    ctx: &Ctx<'_>,
) -> Result<Vec<T>> {
    if items.len() <= SORT_RUN {
        items.sort_by(&order);
        return Ok(items);
    }
    let mut runs: Vec<Vec<T>> = Vec::with_capacity(items.len() / SORT_RUN + 1);
    while !items.is_empty() {
        super::check_now(ctx.cancel, ctx.limits)?;
        let rest = items.split_off(items.len().min(SORT_RUN));
        let mut run = std::mem::replace(&mut items, rest);
        run.sort_by(&order);
        runs.push(run);
    }
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        let mut pending = runs.into_iter();
        while let Some(left) = pending.next() {
            match pending.next() {
                Some(right) => merged.push(merge_runs(left, right, &order, ctx)?),
                None => merged.push(left),
            }
        }
        runs = merged;
    }
    Ok(runs.pop().unwrap_or_default())
}

/// Merges two sorted runs, keeping `left`'s item first on ties (stable).
fn merge_runs<T>(
    left: Vec<T>,
    right: Vec<T>,
    order: &impl Fn(&T, &T) -> Ordering,
    ctx: &Ctx<'_>,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (Some(a), Some(b)) => order(a, b) != Ordering::Greater,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return Ok(out),
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
        ctx.check()?;
    }
}

/// SKIP n: drops the first `n` rows; an error is never skipped, it passes
/// through (a failing statement fails whatever its SKIP).
pub fn skip<'a>(rows: Rows<'a>, n: usize) -> Rows<'a> {
    let mut left = n;
    Box::new(rows.filter(move |r| match r {
        Ok(_) if left > 0 => {
            left -= 1;
            false
        }
        _ => true,
    }))
}

/// ORDER BY … SKIP s LIMIT n, holding at most about 2·(s+n) rows.
pub fn top_k<'a>(
    rows: Rows<'a>,
    keys: &'a [SortKey],
    limit: &'a Expr,
    skip: Option<&'a Expr>,
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    deferred(move || {
        let limit = row_count(limit, ctx)?;
        let skip = skip.map(|s| row_count(s, ctx)).transpose()?.unwrap_or(0);
        let keep = skip.saturating_add(limit);
        if keep == 0 {
            return Ok(Vec::new());
        }
        // Each entry carries its arrival number so ties keep input order.
        let mut buffer: Vec<(Vec<Value>, usize, Row)> = Vec::new();
        let order = |a: &(Vec<Value>, usize, Row), b: &(Vec<Value>, usize, Row)| {
            compare_keys(&a.0, &b.0, keys).then(a.1.cmp(&b.1))
        };
        let mut held = 0u64;
        let entry_bytes =
            |k: &[Value], r: &[Value]| -> Result<u64> { Ok(ctx.row_bytes(k)? + ctx.row_bytes(r)?) };
        // The worst key kept after the last cut: a later row whose key is
        // not better cannot make the top (a tie loses on arrival).
        let mut boundary: Option<Vec<Value>> = None;
        let slots = key_slots(keys);
        for (n, row) in rows.enumerate() {
            ctx.check()?;
            let row = row?;
            // Keys that are slots cannot fail: a row can be dropped before
            // its keys are copied out.
            if let (Some(worst), Some(slots)) = (&boundary, &slots)
                && slots.iter().all(|s| *s < row.len())
            {
                let o = keys
                    .iter()
                    .zip(slots)
                    .zip(worst)
                    .map(|((key, s), w)| {
                        let o = compare_for_order(&row[*s], w);
                        if key.descending { o.reverse() } else { o }
                    })
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal);
                if o != Ordering::Less {
                    continue;
                }
            }
            let (k, row) = keyed(row, keys, ctx)?;
            if let Some(worst) = &boundary
                && compare_keys(&k, worst, keys) != Ordering::Less
            {
                continue;
            }
            let bytes = entry_bytes(&k, &row)?;
            ctx.hold(bytes)?;
            held += bytes;
            buffer.push((k, n, row));
            ctx.check_buffer(buffer.len())?;
            if buffer.len() >= keep.saturating_mul(2).max(1024) {
                buffer.select_nth_unstable_by(keep - 1, order);
                let dropped: u64 = buffer[keep..]
                    .iter()
                    .map(|(k, _, r)| entry_bytes(k, r))
                    .sum::<Result<u64>>()?;
                ctx.release(dropped);
                held -= dropped.min(held);
                buffer.truncate(keep);
                boundary = buffer.get(keep - 1).map(|(k, _, _)| k.clone());
            }
        }
        ctx.release(held);
        let buffer = sort_checked(buffer, order, ctx)?;
        Ok(buffer
            .into_iter()
            .skip(skip)
            .take(limit)
            .map(|(_, _, r)| r)
            .collect())
    })
}

/// The value of a SKIP or LIMIT expression as a row count.
pub fn row_count(expr: &Expr, ctx: &Ctx<'_>) -> Result<usize> {
    match eval(expr, &[], ctx)? {
        Value::Int(i) if i >= 0 => Ok(usize::try_from(i).unwrap_or(usize::MAX)),
        Value::Int(i) => Err(Error::syntax(
            "NegativeIntegerArgument",
            format!("SKIP and LIMIT must not be negative, got {i}"),
        )),
        other => Err(Error::syntax(
            "InvalidArgumentType",
            format!("SKIP and LIMIT must be integers, got {}", other.type_name()),
        )),
    }
}

/// A blocking operator: runs `f` when the first row is pulled.
pub(super) fn deferred<'a>(f: impl FnOnce() -> Result<Vec<Row>> + 'a) -> Rows<'a> {
    let mut f = Some(f);
    let mut output: Option<std::vec::IntoIter<Row>> = None;
    Box::new(iter::from_fn(move || {
        if output.is_none() {
            let run = f.take()?;
            match run() {
                Ok(rows) => output = Some(rows.into_iter()),
                Err(e) => return Some(Err(e)),
            }
        }
        output.as_mut()?.next().map(Ok)
    }))
}
