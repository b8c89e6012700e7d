//! The procedure call operator: evaluates the arguments against each row,
//! checks them against the signature and widens the row with each result.

use std::iter;

use super::eval::eval;
use super::{Ctx, Row, Rows};
use crate::error::Result;
use crate::plan::{Expr, Slot};
use crate::procedures::Procedure;

/// The rows a call of `procedure` gives for `row`.
pub fn procedure_rows<'a>(
    row: Row,
    procedure: &'a Procedure,
    args: &'a [Expr],
    yields: &'a [(usize, Slot)],
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    match call(&row, procedure, args, ctx) {
        Ok(results) => Box::new(results.into_iter().map(move |result| {
            let mut out = row.clone();
            for (column, slot) in yields {
                if let (Some(value), Some(place)) = (result.get(*column), out.get_mut(*slot)) {
                    *place = value.clone();
                }
            }
            Ok(out)
        })),
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

fn call(row: &Row, procedure: &Procedure, args: &[Expr], ctx: &Ctx<'_>) -> Result<Vec<Row>> {
    let values = args
        .iter()
        .map(|a| eval(a, row, ctx))
        .collect::<Result<Vec<_>>>()?;
    let values = procedure.check_args(values)?;
    let rows = procedure.call(ctx, &values)?;
    ctx.check_buffer(rows.len())?;
    Ok(rows)
}
