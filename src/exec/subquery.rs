//! Running subqueries: `CALL { … }` for each row (reading lazily, or
//! writing through the statement's transaction) and the `EXISTS`, `COUNT`
//! and `COLLECT` expressions.

use std::collections::HashSet;
use std::iter;
use std::sync::atomic::AtomicBool;

use super::{Ctx, Limits, Row, Rows, Tx, build, drain, run_pipeline_from};
use crate::error::Result;
use crate::plan::expr::SubqueryExpr;
use crate::plan::{CallSubqueryPlan, SubqueryBranch};
use crate::syntax::ast::SubqueryKind;
use crate::value::{GroupKey, Value};

/// The row a branch starts from: the imported values of `row`.
fn imported(branch: &SubqueryBranch, row: &[Value]) -> Row {
    branch
        .imports
        .iter()
        .map(|s| row.get(*s).cloned().unwrap_or(Value::Null))
        .collect()
}

/// The rows of every branch of a read-only subquery for `row`.
fn read_rows(
    branches: &[SubqueryBranch],
    union_distinct: bool,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for branch in branches {
        let input: Rows<'_> = Box::new(iter::once(Ok(imported(branch, row))));
        out.extend(drain(build(&branch.pipeline.steps, ctx, input), ctx)?);
    }
    if union_distinct {
        dedup(&mut out);
    }
    Ok(out)
}

fn dedup(rows: &mut Vec<Row>) {
    let mut seen = HashSet::new();
    rows.retain(|row| seen.insert(row.iter().cloned().map(GroupKey).collect::<Vec<_>>()));
}

/// The outer rows a subquery's `results` make of `row`: one per result
/// (columns placed in `plan.returns`), or `row` itself for a subquery
/// without RETURN.
fn widen(row: Row, results: Vec<Row>, plan: &CallSubqueryPlan) -> Vec<Row> {
    if plan.returns.is_empty() {
        return vec![row];
    }
    results
        .into_iter()
        .map(|result| {
            let mut out = row.clone();
            for (value, slot) in result.into_iter().zip(&plan.returns) {
                if let Some(place) = out.get_mut(*slot) {
                    *place = value;
                }
            }
            out
        })
        .collect()
}

/// `CALL { … }` without writes, for one input row.
pub fn call_rows<'a>(row: Row, plan: &'a CallSubqueryPlan, ctx: &'a Ctx<'a>) -> Rows<'a> {
    match read_rows(&plan.branches, plan.union_distinct, &row, ctx) {
        Ok(results) => Box::new(widen(row, results, plan).into_iter().map(Ok)),
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

/// `CALL { … }` with writes: each input row in turn. A statement is one
/// transaction in kgq, so `IN TRANSACTIONS OF n ROWS` changes nothing here:
/// the rows are written in the same order and a failure rolls all back.
pub fn apply(
    plan: &CallSubqueryPlan,
    rows: Vec<Row>,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for row in rows {
        let mut results = Vec::new();
        for branch in &plan.branches {
            let input = vec![imported(branch, &row)];
            results.extend(run_pipeline_from(
                &branch.pipeline.steps,
                input,
                tx,
                cancel,
                limits,
                None,
            )?);
        }
        if plan.union_distinct {
            dedup(&mut results);
        }
        out.extend(widen(row, results, plan));
        let ctx = Ctx::new(tx.graph(), cancel, limits);
        ctx.check_buffer(out.len())?;
    }
    Ok(out)
}

/// The value of `EXISTS { … }`, `COUNT { … }` or `COLLECT { … }` for `row`.
pub fn evaluate(sub: &SubqueryExpr, row: &[Value], ctx: &Ctx<'_>) -> Result<Value> {
    let rows = read_rows(&sub.branches, sub.union_distinct, row, ctx)?;
    Ok(match sub.kind {
        SubqueryKind::Exists => Value::Bool(!rows.is_empty()),
        SubqueryKind::Count => Value::Int(i64::try_from(rows.len()).unwrap_or(i64::MAX)),
        SubqueryKind::Collect => Value::List(
            rows.into_iter()
                .map(|mut r| {
                    if r.is_empty() {
                        Value::Null
                    } else {
                        r.swap_remove(0)
                    }
                })
                .collect(),
        ),
    })
}
