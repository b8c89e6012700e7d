//! Row-shaping operators: UNWIND, aggregation, DISTINCT, ORDER BY, top-k,
//! SKIP and LIMIT counts.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::iter;

use super::aggregate::Accumulator;
use super::eval::eval;
use super::{Ctx, Row, Rows};
use crate::error::{Error, Result};
use crate::plan::{AggregateCall, Expr, SortKey};
use crate::value::{GroupKey, Value, compare_for_order};

/// One row per element of the list `expr` gives.
pub fn unwind<'a>(row: Row, expr: &'a Expr, slot: usize, ctx: &'a Ctx<'a>) -> Rows<'a> {
    match eval(expr, &row, ctx) {
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
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    let run = move || -> Result<Vec<Row>> {
        let mut index: HashMap<Vec<GroupKey>, usize> = HashMap::new();
        let mut groups: Vec<(Row, Vec<Accumulator>)> = Vec::new();
        let new_accumulators = |row: &Row| -> Result<Vec<Accumulator>> {
            calls
                .iter()
                .map(|c| {
                    let param = c.param.as_ref().map(|p| eval(p, row, ctx)).transpose()?;
                    Accumulator::new(c.kind, c.distinct, param)
                })
                .collect()
        };
        for row in rows {
            let row = row?;
            ctx.check()?;
            let key_values: Row = keys
                .iter()
                .map(|k| eval(k, &row, ctx))
                .collect::<Result<_>>()?;
            let group_key: Vec<GroupKey> = key_values.iter().cloned().map(GroupKey).collect();
            let at = match index.get(&group_key) {
                Some(i) => *i,
                None => {
                    groups.push((key_values, new_accumulators(&row)?));
                    index.insert(group_key, groups.len() - 1);
                    ctx.check_buffer(groups.len())?;
                    groups.len() - 1
                }
            };
            for (call, acc) in calls.iter().zip(groups[at].1.iter_mut()) {
                let value = match &call.arg {
                    Some(arg) => eval(arg, &row, ctx)?,
                    None => Value::Null,
                };
                acc.update(value)?;
            }
        }
        if groups.is_empty() && keys.is_empty() {
            groups.push((Vec::new(), new_accumulators(&Vec::new())?));
        }
        groups
            .into_iter()
            .map(|(mut key_values, accs)| {
                for acc in accs {
                    key_values.push(acc.finish()?);
                }
                Ok(key_values)
            })
            .collect()
    };
    deferred(run)
}

/// Rows whose first `width` values were not seen before.
pub fn distinct<'a>(rows: Rows<'a>, width: usize) -> Rows<'a> {
    let mut seen: HashSet<Vec<GroupKey>> = HashSet::new();
    Box::new(rows.filter(move |r| match r {
        Ok(row) => seen.insert(row.iter().take(width).cloned().map(GroupKey).collect()),
        Err(_) => true,
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
        for row in rows {
            all.push(keyed(row?, keys, ctx)?);
            ctx.check_buffer(all.len())?;
        }
        all.sort_by(|a, b| compare_keys(&a.0, &b.0, keys));
        Ok(all.into_iter().map(|(_, r)| r).collect())
    })
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
        for (n, row) in rows.enumerate() {
            let (k, row) = keyed(row?, keys, ctx)?;
            buffer.push((k, n, row));
            if buffer.len() >= keep.saturating_mul(2).max(1024) {
                buffer.select_nth_unstable_by(keep - 1, order);
                buffer.truncate(keep);
            }
        }
        buffer.sort_by(order);
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
        Value::Int(i) => Err(Error::argument(
            "NegativeIntegerArgument",
            format!("SKIP and LIMIT must not be negative, got {i}"),
        )),
        other => Err(Error::argument(
            "InvalidArgumentType",
            format!("SKIP and LIMIT must be integers, got {}", other.type_name()),
        )),
    }
}

/// A blocking operator: runs `f` when the first row is pulled.
fn deferred<'a>(f: impl FnOnce() -> Result<Vec<Row>> + 'a) -> Rows<'a> {
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
