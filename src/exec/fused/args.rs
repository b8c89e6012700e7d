//! How the fused walker reads aggregate arguments and feeds them to a
//! group: `slot.key` on a node straight from the property columns (the
//! column found once per table, not per row), anything else through the
//! evaluator.

use super::super::eval::eval;
use super::super::groups::GroupTable;
use super::super::{Ctx, Row};
use crate::error::Result;
use crate::graph::KeyId;
use crate::graph::columns::{Column, Table};
use crate::plan::{AggregateCall, Expr};
use crate::value::Value;

/// How one argument is read.
enum Reader<'a> {
    /// `count(*)`: every row counts, the value is null.
    Star,
    /// `slot.key`: read from the node's column when the slot holds a node.
    NodeProperty {
        slot: usize,
        key: KeyId,
        expr: &'a Expr,
        /// The column of `key` in the table last read (tables differ per
        /// label set).
        last: Option<(&'a Table, Option<&'a Column>)>,
    },
    /// Any other expression, on the scratch row.
    Eval(&'a Expr),
}

impl<'a> Reader<'a> {
    fn new(call: &'a AggregateCall) -> Reader<'a> {
        match &call.arg {
            None => Reader::Star,
            Some(expr @ Expr::Property(target, key, _)) => match **target {
                Expr::Slot(slot) => Reader::NodeProperty {
                    slot,
                    key: *key,
                    expr,
                    last: None,
                },
                _ => Reader::Eval(expr),
            },
            Some(expr) => Reader::Eval(expr),
        }
    }

    /// The value the row engine's evaluator gives for the argument.
    fn read(&mut self, row: &Row, ctx: &Ctx<'a>) -> Result<Value> {
        match self {
            Reader::Star => Ok(Value::Null),
            Reader::Eval(expr) => eval(expr, row, ctx),
            Reader::NodeProperty {
                slot,
                key,
                expr,
                last,
            } => {
                let Some(Value::Node(id)) = row.get(*slot) else {
                    return eval(expr, row, ctx);
                };
                // A deleted node (its error) and a node without a row take
                // the evaluator.
                if ctx.graph.node(*id).is_none() {
                    return eval(expr, row, ctx);
                }
                let graph: &'a crate::graph::Graph = ctx.graph;
                let store = graph.property_store();
                let Some((table, at)) = store.node_row(*id) else {
                    return eval(expr, row, ctx);
                };
                let column = match last {
                    Some((cached, column)) if std::ptr::eq(*cached, table) => *column,
                    _ => {
                        let column = table.column(*key);
                        *last = Some((table, column));
                        column
                    }
                };
                Ok(column
                    .and_then(|c| c.get(at, store.dictionary()))
                    .unwrap_or(Value::Null))
            }
        }
    }
}

/// The argument readers of an aggregation's calls.
pub struct Args<'a> {
    readers: Vec<Reader<'a>>,
}

impl<'a> Args<'a> {
    /// Readers for `calls`.
    pub fn new(calls: &'a [AggregateCall]) -> Args<'a> {
        Args {
            readers: calls.iter().map(Reader::new).collect(),
        }
    }

    /// Feeds the row's arguments to group `at`, in call order, as
    /// `GroupTable::add` does (a `DISTINCT` accumulator keeps nodes and
    /// relationships as ids, so a repeated entity costs one integer hash).
    pub fn feed(
        &mut self,
        at: usize,
        row: &Row,
        table: &mut GroupTable<'_>,
        ctx: &Ctx<'a>,
    ) -> Result<()> {
        for (i, reader) in self.readers.iter_mut().enumerate() {
            let value = reader.read(row, ctx)?;
            table.update(at, i, value, ctx)?;
        }
        Ok(())
    }
}
