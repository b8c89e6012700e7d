//! A filter fast path over dictionary-coded string columns (issue 16).
//!
//! A predicate whose only row-dependent input is one node property
//! `n.key` (for example `n.name STARTS WITH 'Sino'`, `n.kind = $k`, or
//! several such tests of the same property joined by `AND`/`OR`/`NOT`)
//! has the same outcome for every row whose `n.key` is the same string.
//! When that property sits in a `Str` column, the filter reads the row's
//! dictionary code and decides once per distinct code: the first row
//! with a code is evaluated by the ordinary row path and its outcome is
//! remembered. Rows that do not fit (a slot that is not a node, a node
//! without a row, an absent property, a column of another kind, or an
//! error) always take the row path, so results and errors are the same.

use rustc_hash::FxHashMap;

use super::Ctx;
use super::eval::{eval, truth};
use crate::error::Result;
use crate::graph::columns::ColumnData;
use crate::graph::{KeyId, NodeId};
use crate::plan::Expr;
use crate::value::Value;

/// The memo of one filter operator: outcome by dictionary code.
#[derive(Debug)]
pub struct CodeFilter {
    slot: usize,
    key: KeyId,
    memo: FxHashMap<u32, Option<bool>>,
    /// Rows decided by the memo, and rows that missed it.
    hits: u32,
    misses: u32,
}

/// After this many misses the memo is kept only if most rows hit it:
/// over nearly distinct strings (names) it costs more than it saves.
const TRIAL_MISSES: u32 = 256;

impl CodeFilter {
    /// The fast path for `predicate`, if its shape allows one.
    pub fn new(predicate: &Expr) -> Option<CodeFilter> {
        let mut target = None;
        if !single_property(predicate, &mut target) {
            return None;
        }
        let (slot, key) = target?;
        Some(CodeFilter {
            slot,
            key,
            memo: FxHashMap::default(),
            hits: 0,
            misses: 0,
        })
    }

    /// The code of the row's property, if it is a dictionary string.
    fn code(&self, row: &[Value], ctx: &Ctx<'_>) -> Option<u32> {
        let Some(Value::Node(id)) = row.get(self.slot) else {
            return None;
        };
        code_of(*id, self.key, ctx)
    }
}

/// The dictionary code of node `id`'s property `key`, when it is stored
/// in a `Str` column.
pub fn code_of(id: NodeId, key: KeyId, ctx: &Ctx<'_>) -> Option<u32> {
    let (table, row) = ctx.graph.property_store().node_row(id)?;
    let column = table.column(key)?;
    if !column.is_valid(row) {
        return None;
    }
    match column.data() {
        ColumnData::Str(codes) => codes.get(row).copied(),
        _ => None,
    }
}

/// Whether every row-dependent part of `e` is `Property(Slot(s), key)`
/// for one `(s, key)` (recorded in `target`), under operators whose
/// outcome depends on their operands' values only.
fn single_property(e: &Expr, target: &mut Option<(usize, KeyId)>) -> bool {
    match e {
        Expr::Const(_) => true,
        Expr::Property(inner, key, _) => match &**inner {
            Expr::Slot(slot) => match target {
                Some(t) => *t == (*slot, *key),
                None => {
                    *target = Some((*slot, *key));
                    true
                }
            },
            _ => false,
        },
        Expr::Str(_, a, b)
        | Expr::Compare(_, a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Xor(a, b) => single_property(a, target) && single_property(b, target),
        Expr::Not(a) | Expr::IsNull(a, _) => single_property(a, target),
        _ => false,
    }
}

/// The truth of `predicate` for `row`: by the memo when `filter` applies,
/// else (and on a memo miss) by the row path.
pub fn test(
    filter: &mut Option<CodeFilter>,
    predicate: &Expr,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<Option<bool>> {
    let Some(memo) = filter.as_mut() else {
        return eval(predicate, row, ctx).and_then(truth);
    };
    let Some(code) = memo.code(row, ctx) else {
        return eval(predicate, row, ctx).and_then(truth);
    };
    if let Some(outcome) = memo.memo.get(&code) {
        memo.hits = memo.hits.saturating_add(1);
        return Ok(*outcome);
    }
    let outcome = eval(predicate, row, ctx).and_then(truth)?;
    memo.misses += 1;
    if memo.misses >= TRIAL_MISSES && memo.hits < memo.misses {
        // Mostly distinct strings: the row path from here on.
        *filter = None;
    } else {
        memo.memo.insert(code, outcome);
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::expr::{CmpOp, StrOp};

    fn prop(slot: usize, key: u32) -> Box<Expr> {
        Box::new(Expr::Property(
            Box::new(Expr::Slot(slot)),
            KeyId(key),
            "k".into(),
        ))
    }
    fn text(s: &str) -> Box<Expr> {
        Box::new(Expr::Const(Value::String(s.into())))
    }

    #[test]
    fn one_property_against_constants_is_eligible() {
        let starts = Expr::Str(StrOp::StartsWith, prop(0, 1), text("Sino"));
        assert!(CodeFilter::new(&starts).is_some());
        let both = Expr::And(
            Box::new(starts.clone()),
            Box::new(Expr::Compare(CmpOp::Ne, text("x"), prop(0, 1))),
        );
        assert!(CodeFilter::new(&both).is_some());
    }

    #[test]
    fn two_properties_or_other_inputs_are_not() {
        let two = Expr::Compare(CmpOp::Eq, prop(0, 1), prop(0, 2));
        assert!(CodeFilter::new(&two).is_none());
        let slot = Expr::Compare(CmpOp::Eq, prop(0, 1), Box::new(Expr::Slot(1)));
        assert!(CodeFilter::new(&slot).is_none());
        assert!(CodeFilter::new(&Expr::Const(Value::Bool(true))).is_none());
    }
}
