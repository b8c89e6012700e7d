//! Bound expressions: names resolved to slots, keys and functions.

use super::{Slot, Step};
use crate::exec::aggregate::AggregateKind;
use crate::exec::functions::Function;
use crate::graph::{KeyId, LabelId};
use crate::syntax::ast::Quantifier;
use crate::value::Value;

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

/// String predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrOp {
    /// `STARTS WITH`
    StartsWith,
    /// `ENDS WITH`
    EndsWith,
    /// `CONTAINS`
    Contains,
    /// `=~`
    Regex,
}

/// A reference to a built-in scalar function (compared by name).
#[derive(Debug, Clone, Copy)]
pub struct FunctionRef(pub &'static Function);

impl PartialEq for FunctionRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

/// An aggregate call in a projection.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCall {
    /// Which aggregate.
    pub kind: AggregateKind,
    /// `DISTINCT` inside the call.
    pub distinct: bool,
    /// The argument (none for `count(*)`).
    pub arg: Option<Expr>,
    /// A second, constant argument (percentiles).
    pub param: Option<Expr>,
}

/// A bound expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant (literals and parameters).
    Const(Value),
    /// The value in a row slot.
    Slot(Slot),
    /// `e.key` on a node, relationship, map or temporal value.
    Property(Box<Expr>, KeyId, super::Name),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `{k: v}`
    Map(Vec<(String, Expr)>),
    /// `e[i]` on a list or `e[k]` on a map or entity.
    Index(Box<Expr>, Box<Expr>),
    /// `e[a..b]`
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `NOT e`
    Not(Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `a AND b`
    And(Box<Expr>, Box<Expr>),
    /// `a OR b`
    Or(Box<Expr>, Box<Expr>),
    /// `a XOR b`
    Xor(Box<Expr>, Box<Expr>),
    /// Comparisons.
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// Arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `a IN list`
    In(Box<Expr>, Box<Expr>),
    /// String predicates.
    Str(StrOp, Box<Expr>, Box<Expr>),
    /// `e IS NULL` (false) / `e IS NOT NULL` (true).
    IsNull(Box<Expr>, bool),
    /// `n:A:B`
    HasLabels(Box<Expr>, Vec<LabelId>),
    /// A scalar function call.
    Call(FunctionRef, Vec<Expr>),
    /// `n{.name, .*, key: expr}`: null when `target` is null; else the
    /// map `all` gives (`.*`), with `entries` set over it.
    MapProjection {
        /// The projected variable.
        target: Box<Expr>,
        /// `properties(target)` when `.*` was written.
        all: Option<Box<Expr>>,
        /// The other items, in order.
        entries: Vec<(String, Expr)>,
    },
    /// `CASE` (both forms; the simple form has an operand).
    Case {
        /// The operand of the simple form.
        operand: Option<Box<Expr>>,
        /// `WHEN` / `THEN` pairs.
        alternatives: Vec<(Expr, Expr)>,
        /// `ELSE`.
        default: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE p | e]`
    ListComprehension {
        /// The element slot.
        slot: Slot,
        /// The list.
        list: Box<Expr>,
        /// The filter.
        predicate: Option<Box<Expr>>,
        /// The mapping.
        projection: Option<Box<Expr>>,
    },
    /// `all/any/none/single(x IN list WHERE p)`
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The element slot.
        slot: Slot,
        /// The list.
        list: Box<Expr>,
        /// The predicate.
        predicate: Box<Expr>,
    },
    /// `reduce(acc = init, x IN list | e)`
    Reduce {
        /// The accumulator slot.
        accumulator: Slot,
        /// The initial value.
        init: Box<Expr>,
        /// The element slot.
        slot: Slot,
        /// The list.
        list: Box<Expr>,
        /// The step.
        expr: Box<Expr>,
    },
    /// Whether the steps give at least one row for this row.
    Exists(Box<Vec<Step>>),
    /// The values of `projection` for each row the steps give.
    Collect {
        /// Pattern-matching steps run against the row.
        steps: Box<Vec<Step>>,
        /// Evaluated on each matched row.
        projection: Box<Expr>,
    },
    /// A placeholder for the `i`-th aggregate while a projection is bound.
    Aggregate(usize),
}

impl Expr {
    /// A boxed expression.
    pub fn boxed(self) -> Box<Expr> {
        Box::new(self)
    }

    /// Whether the expression reads no row slot and has the same value
    /// every time (no `rand()`, subquery or aggregate).
    pub fn is_constant(&self) -> bool {
        let mut fixed = true;
        self.visit(&mut |e| {
            fixed &= !matches!(
                e,
                Expr::Exists(_) | Expr::Collect { .. } | Expr::Aggregate(_)
            );
        });
        fixed && !self.is_random() && self.slots().is_empty()
    }

    /// Whether the expression calls `rand()`.
    pub fn is_random(&self) -> bool {
        let mut random = false;
        self.visit(&mut |e| {
            if let Expr::Call(f, _) = e {
                random |= f.0.name == "rand";
            }
        });
        random
    }

    /// The row slots the expression reads, not counting the variables that
    /// list comprehensions, quantifiers and `reduce` bind themselves.
    /// Subqueries may read any slot, so they report `usize::MAX`.
    pub fn slots(&self) -> Vec<Slot> {
        let mut local = Vec::new();
        self.visit(&mut |e| match e {
            Expr::ListComprehension { slot, .. } | Expr::Quantified { slot, .. } => {
                local.push(*slot)
            }
            Expr::Reduce {
                accumulator, slot, ..
            } => local.extend([*accumulator, *slot]),
            _ => {}
        });
        let mut out = Vec::new();
        self.visit(&mut |e| match e {
            Expr::Slot(s) if !local.contains(s) => out.push(*s),
            Expr::Exists(_) | Expr::Collect { .. } => out.push(usize::MAX),
            _ => {}
        });
        out
    }

    /// Calls `f` on this expression and every sub-expression.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        self.for_each_child(&mut |c| c.visit(f));
    }

    /// Calls `f` on each direct sub-expression.
    pub fn for_each_child(&self, f: &mut dyn FnMut(&Expr)) {
        use Expr::*;
        match self {
            Const(_) | Slot(_) | Exists(_) | Aggregate(_) => {}
            Collect { projection, .. } => f(projection),
            Property(e, _, _) | Not(e) | Neg(e) | IsNull(e, _) | HasLabels(e, _) => f(e),
            List(items) | Call(_, items) => items.iter().for_each(f),
            Map(entries) => entries.iter().for_each(|(_, e)| f(e)),
            MapProjection {
                target,
                all,
                entries,
            } => {
                f(target);
                if let Some(a) = all {
                    f(a)
                }
                entries.iter().for_each(|(_, e)| f(e))
            }
            Index(a, b)
            | And(a, b)
            | Or(a, b)
            | Xor(a, b)
            | Compare(_, a, b)
            | Arith(_, a, b)
            | In(a, b)
            | Str(_, a, b) => {
                f(a);
                f(b)
            }
            Slice(a, b, c) => {
                f(a);
                if let Some(b) = b {
                    f(b)
                }
                if let Some(c) = c {
                    f(c)
                }
            }
            Case {
                operand,
                alternatives,
                default,
            } => {
                if let Some(o) = operand {
                    f(o)
                }
                for (w, t) in alternatives {
                    f(w);
                    f(t)
                }
                if let Some(d) = default {
                    f(d)
                }
            }
            ListComprehension {
                list,
                predicate,
                projection,
                ..
            } => {
                f(list);
                if let Some(p) = predicate {
                    f(p)
                }
                if let Some(p) = projection {
                    f(p)
                }
            }
            Quantified {
                list, predicate, ..
            } => {
                f(list);
                f(predicate)
            }
            Reduce {
                init, list, expr, ..
            } => {
                f(init);
                f(list);
                f(expr)
            }
        }
    }

    /// Splits a conjunction into its terms.
    pub fn conjuncts(self) -> Vec<Expr> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::And(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                other => out.push(other),
            }
        }
        out
    }

    /// Joins terms with AND (`true` for none).
    pub fn conjunction(terms: Vec<Expr>) -> Expr {
        let mut iter = terms.into_iter();
        let Some(first) = iter.next() else {
            return Expr::Const(Value::Bool(true));
        };
        iter.fold(first, |acc, t| Expr::And(acc.boxed(), t.boxed()))
    }
}
