//! Typed predicate kernels over property columns (issue 16).
//!
//! A filter whose only row inputs are properties of one slot (a node or a
//! relationship) — comparisons (`= <> < <= > >=`), `STARTS WITH`,
//! `ENDS WITH`, `CONTAINS`, `=~`, `IN [constants]`, `IS [NOT] NULL` and bare
//! boolean properties against constants, joined by `AND`, `OR`, `XOR` and
//! `NOT` — compiles into a [`Predicate`]. [`Predicate::bind`] resolves it
//! against one [`Table`] (each key to its column, each constant to the
//! column's type) into a [`Bound`] predicate that decides rows of that
//! table without building a row or a [`Value`]: strings are compared as
//! `&str` borrowed from the dictionary (equality by dictionary code),
//! numbers in their own type.
//!
//! The outcome is the row evaluator's, in three-valued logic: an absent
//! property is null, incomparable types give null, `NaN` compares false.
//! A predicate never raises an error: an expression that could raise one
//! (a non-boolean operand of `AND`, `IN` over a non-list, an invalid
//! regular expression, a value over the size limit) is not compiled or
//! not bound, so the caller evaluates it row by row and raises the error
//! the row engine raises.
//!
//! [`SlotFilter`] applies a predicate to rows of the row engine: it finds
//! the table and row of the slot's entity and binds each table once.

mod bound;
mod slot;
#[cfg(test)]
mod tests;

pub use bound::Bound;
pub use slot::SlotFilter;

use super::Ctx;
use super::eval::{compare, in_list, truth};
use super::functions::arith::{StringOp, regex_match, string_op};
use crate::graph::columns::{ColumnData, Dictionary, Table};
use crate::graph::{KeyId, NodeId};
use crate::plan::Expr;
use crate::plan::expr::{CmpOp, StrOp};
use crate::value::Value;

/// A filter compiled for the properties of one slot, not yet bound to a
/// table.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    slot: usize,
    root: Node,
    /// Every constant the expression holds: the row evaluator checks each
    /// against the value size limit, so binding does too.
    constants: Vec<Value>,
}

/// A compiled boolean expression.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// The same outcome for every row (constants only).
    Known(Option<bool>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Xor(Box<Node>, Box<Node>),
    /// A test of property `key` of the slot's entity.
    Leaf(KeyId, Test),
}

/// What a leaf tests of its property's value `p`.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `p op value`, or `value op p` when `flipped`.
    Compare {
        op: CmpOp,
        value: Value,
        flipped: bool,
    },
    /// `p op value` (a string predicate), or `value op p` when `flipped`.
    Str {
        op: StrOp,
        value: Value,
        flipped: bool,
    },
    /// `p IN list` (`list` is a list or null).
    In(Value),
    /// `p IS NULL`, or `p IS NOT NULL` when `true`.
    IsNull(bool),
    /// `p` itself as a boolean.
    Truth,
}

impl Test {
    /// The outcome for a property value `p` (null when absent), exactly as
    /// the row evaluator computes it; `None` inside when it would raise an
    /// error (callers bind only tests that cannot).
    fn on_value(&self, p: &Value) -> Result<Option<bool>, ()> {
        let value = match self {
            Test::Compare { op, value, flipped } => {
                if *flipped {
                    compare(*op, value, p)
                } else {
                    compare(*op, p, value)
                }
            }
            Test::Str { op, value, flipped } => {
                let (a, b) = if *flipped { (value, p) } else { (p, value) };
                let result = match op {
                    StrOp::StartsWith => string_op(StringOp::StartsWith, a, b),
                    StrOp::EndsWith => string_op(StringOp::EndsWith, a, b),
                    StrOp::Contains => string_op(StringOp::Contains, a, b),
                    StrOp::Regex => regex_match(a, b),
                };
                result.map_err(|_| ())?
            }
            Test::In(list) => in_list(p, list).map_err(|_| ())?,
            Test::IsNull(negated) => Value::Bool(p.is_null() != *negated),
            Test::Truth => p.clone(),
        };
        truth(value).map_err(|_| ())
    }
}

impl Predicate {
    /// Compiles `expr` when its only row inputs are properties of `slot`
    /// (`slot.key`) under the operators the kernels implement, with
    /// constants (parameters are bound as constants) elsewhere; `None`
    /// for any other shape, or when evaluating it could raise an error.
    pub fn compile(expr: &Expr, slot: usize) -> Option<Predicate> {
        let mut constants = Vec::new();
        let root = node(expr, slot, &mut constants)?;
        Some(Predicate {
            slot,
            root,
            constants,
        })
    }

    /// Compiles `expr` for the slot of its first property `slot.key` (see
    /// [`Predicate::compile`]).
    pub fn compile_single(expr: &Expr) -> Option<Predicate> {
        Predicate::compile(expr, first_property_slot(expr, 0)?)
    }

    /// The slot whose properties the predicate reads.
    pub fn slot(&self) -> usize {
        self.slot
    }

    /// The predicate resolved against `table` (whose strings are coded in
    /// `dict`), or `None` when a column it reads has a kind the kernels do
    /// not handle (`Any`), when a constant or a stored string is over
    /// `max_value_bytes` (the row evaluator would fail on it), or when a
    /// test could raise an error for this table (a bare property that is
    /// not a boolean column, an invalid regular expression).
    pub fn bind<'t>(
        &self,
        table: &'t Table,
        dict: &'t Dictionary,
        max_value_bytes: u64,
    ) -> Option<Bound<'t>> {
        if self.constants.iter().any(|c| !within(c, max_value_bytes)) {
            return None;
        }
        bound::bind(&self.root, table, dict, max_value_bytes)
    }
}

/// The slot of the first `slot.key` in `e` (operands left to right),
/// looked for down to the depth the kernels compile.
fn first_property_slot(e: &Expr, depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let inner = |a: &Expr| first_property_slot(a, depth + 1);
    match e {
        Expr::Property(target, ..) => match **target {
            Expr::Slot(slot) => Some(slot),
            _ => None,
        },
        Expr::Not(a) | Expr::IsNull(a, _) => inner(a),
        Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Xor(a, b)
        | Expr::Compare(_, a, b)
        | Expr::Str(_, a, b)
        | Expr::In(a, b) => inner(a).or_else(|| inner(b)),
        _ => None,
    }
}

/// The dictionary code of node `id`'s property `key`, when it is stored
/// in a `Str` column (the aggregation finds groups by it).
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

/// Whether the row evaluator's size check accepts constant `c`.
fn within(c: &Value, max: u64) -> bool {
    match c {
        Value::String(s) => s.len() as u64 <= max,
        // Lists (`IN`) are checked by measuring them; a constant list is
        // small in practice, and one over the limit simply is not bound.
        Value::List(_) | Value::Map(_) => {
            let f = crate::value::size::footprint(c, max, super::MAX_VALUE_DEPTH);
            f.depth <= super::MAX_VALUE_DEPTH && f.bytes <= max
        }
        _ => true,
    }
}

/// The constant value of `e`, when it is one (a literal list of constants
/// counts), recorded in `constants`.
fn constant(e: &Expr, constants: &mut Vec<Value>) -> Option<Value> {
    match e {
        Expr::Const(v) => {
            constants.push(v.clone());
            Some(v.clone())
        }
        Expr::List(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(constant(item, constants)?);
            }
            let list = Value::List(values.into());
            constants.push(list.clone());
            Some(list)
        }
        _ => None,
    }
}

/// The key of `e` when it is `slot.key`.
fn property_of(e: &Expr, slot: usize) -> Option<KeyId> {
    match e {
        Expr::Property(target, key, _) if **target == Expr::Slot(slot) => Some(*key),
        _ => None,
    }
}

/// The deepest boolean nesting the kernels compile: compiling, binding
/// and testing recurse, so deeper expressions (the parser allows
/// thousands of levels) are left to the row evaluator, which grows its
/// stack.
const MAX_DEPTH: usize = 64;

/// `e` compiled as a boolean expression.
fn node(e: &Expr, slot: usize, constants: &mut Vec<Value>) -> Option<Node> {
    nested(e, slot, constants, 0)
}

/// `e`, at nesting `depth`, compiled as a boolean expression.
fn nested(e: &Expr, slot: usize, constants: &mut Vec<Value>, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    let both = |a: &Expr, b: &Expr, constants: &mut Vec<Value>| {
        Some((
            Box::new(nested(a, slot, constants, depth + 1)?),
            Box::new(nested(b, slot, constants, depth + 1)?),
        ))
    };
    match e {
        Expr::Not(a) => Some(Node::Not(Box::new(nested(a, slot, constants, depth + 1)?))),
        Expr::And(a, b) => both(a, b, constants).map(|(a, b)| Node::And(a, b)),
        Expr::Or(a, b) => both(a, b, constants).map(|(a, b)| Node::Or(a, b)),
        Expr::Xor(a, b) => both(a, b, constants).map(|(a, b)| Node::Xor(a, b)),
        Expr::Const(v) => {
            constants.push(v.clone());
            truth(v.clone()).ok().map(Node::Known)
        }
        Expr::Property(..) => property_of(e, slot).map(|k| Node::Leaf(k, Test::Truth)),
        Expr::IsNull(a, negated) => match property_of(a, slot) {
            Some(key) => Some(Node::Leaf(key, Test::IsNull(*negated))),
            None => {
                let v = constant(a, constants)?;
                Some(Node::Known(Some(v.is_null() != *negated)))
            }
        },
        Expr::Compare(op, a, b) => binary(a, b, slot, constants, |value, flipped| Test::Compare {
            op: *op,
            value,
            flipped,
        }),
        Expr::Str(op, a, b) => binary(a, b, slot, constants, |value, flipped| Test::Str {
            op: *op,
            value,
            flipped,
        }),
        Expr::In(a, b) => {
            let list = constant(b, constants)?;
            if !matches!(list, Value::List(_) | Value::Null) {
                return None;
            }
            match property_of(a, slot) {
                Some(key) => Some(Node::Leaf(key, Test::In(list))),
                None => {
                    let needle = constant(a, constants)?;
                    Test::In(list).on_value(&needle).ok().map(Node::Known)
                }
            }
        }
        _ => None,
    }
}

/// A binary test of `a` and `b`: one is `slot.key` and the other a
/// constant (`test(constant, flipped)`, flipped when the property is on
/// the right), or both are constants (decided now).
fn binary(
    a: &Expr,
    b: &Expr,
    slot: usize,
    constants: &mut Vec<Value>,
    test: impl Fn(Value, bool) -> Test,
) -> Option<Node> {
    match (property_of(a, slot), property_of(b, slot)) {
        (Some(key), None) => Some(Node::Leaf(key, test(constant(b, constants)?, false))),
        (None, Some(key)) => Some(Node::Leaf(key, test(constant(a, constants)?, true))),
        (None, None) => {
            // `x op y` is the test `p op y` of the value `p = x`.
            let (x, y) = (constant(a, constants)?, constant(b, constants)?);
            test(y, false).on_value(&x).ok().map(Node::Known)
        }
        (Some(_), Some(_)) => None,
    }
}
