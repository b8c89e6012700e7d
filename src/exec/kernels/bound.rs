//! A predicate bound to one table: each leaf holds its column's typed
//! slice and a kernel specialised for the column's type and the constant's.

use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashSet;

use super::{Node, Test};
use crate::exec::functions::arith::compiled;
use crate::graph::columns::{
    Bitmap, ColumnData, Dictionary, Table, date_to_days, days_to_date, local_datetime_to_nanos,
    nanos_to_local_datetime,
};
use crate::plan::expr::{CmpOp, StrOp};
use crate::value::Value;

/// A [`Predicate`](super::Predicate) resolved against one table; it
/// decides rows of that table (by their row number in the table).
#[derive(Debug)]
pub struct Bound<'t> {
    root: BNode<'t>,
}

#[derive(Debug)]
enum BNode<'t> {
    Known(Option<bool>),
    Not(Box<BNode<'t>>),
    And(Box<BNode<'t>>, Box<BNode<'t>>),
    Or(Box<BNode<'t>>, Box<BNode<'t>>),
    Xor(Box<BNode<'t>>, Box<BNode<'t>>),
    Leaf(Leaf<'t>),
}

/// One property test over one column.
#[derive(Debug)]
struct Leaf<'t> {
    valid: &'t Bitmap,
    /// The outcome for a row without the property.
    absent: Option<bool>,
    kernel: Kernel<'t>,
}

/// The test of a row that holds the property.
#[derive(Debug)]
enum Kernel<'t> {
    /// The same outcome for every value of the column's type.
    Same(Option<bool>),
    /// `p op value` on integers (and on local date-times, as nanoseconds
    /// since 1970).
    Int {
        data: &'t [i64],
        op: CmpOp,
        value: i64,
    },
    /// `p op value` on dates, as days since 1970.
    Days {
        data: &'t [i32],
        op: CmpOp,
        value: i32,
    },
    /// `p op value` on floats (IEEE comparisons are the language's).
    Float {
        data: &'t [f64],
        op: CmpOp,
        value: f64,
    },
    /// Any other test of a number or boolean, on the value itself.
    Scalar { data: Scalars<'t>, test: Test },
    /// A boolean column read as a truth value.
    Truth(&'t Bitmap),
    /// `p = s` (or `p <> s` when not `equal`) by dictionary code; `code`
    /// is `None` when no stored string is `s`.
    Code {
        codes: &'t [u32],
        code: Option<u32>,
        equal: bool,
    },
    /// `p op value` on strings.
    StrCmp {
        codes: &'t [u32],
        dict: &'t Dictionary,
        op: CmpOp,
        value: Arc<str>,
    },
    /// `p STARTS WITH / ENDS WITH / CONTAINS value` (`value … p` when
    /// flipped).
    StrOp {
        codes: &'t [u32],
        dict: &'t Dictionary,
        op: StrOp,
        value: Arc<str>,
        flipped: bool,
    },
    /// `p =~ regex`.
    Regex {
        codes: &'t [u32],
        dict: &'t Dictionary,
        regex: Regex,
    },
    /// `p IN list` over strings: true for a code of `set`, else null when
    /// the list holds a null, else false.
    CodeIn {
        codes: &'t [u32],
        set: FxHashSet<u32>,
        unknown: bool,
    },
}

/// The typed values of a number, boolean or temporal column.
#[derive(Debug, Clone, Copy)]
enum Scalars<'t> {
    Int(&'t [i64]),
    Float(&'t [f64]),
    Bool(&'t Bitmap),
    Date(&'t [i32]),
    LocalDateTime(&'t [i64]),
}

impl Scalars<'_> {
    fn get(self, row: usize) -> Value {
        match self {
            Scalars::Int(v) => Value::Int(v[row]),
            Scalars::Float(v) => Value::Float(v[row]),
            Scalars::Bool(v) => Value::Bool(v.get(row)),
            // As the column decodes it (its codes are only written from dates).
            Scalars::Date(v) => Value::Date(days_to_date(v[row]).unwrap_or_default()),
            Scalars::LocalDateTime(v) => Value::LocalDateTime(nanos_to_local_datetime(v[row])),
        }
    }
}

/// Binds `root` to `table`; see [`Predicate::bind`](super::Predicate::bind).
pub(super) fn bind<'t>(
    root: &Node,
    table: &'t Table,
    dict: &'t Dictionary,
    max_value_bytes: u64,
) -> Option<Bound<'t>> {
    let binder = Binder {
        table,
        dict,
        max_value_bytes,
    };
    Some(Bound {
        root: binder.node(root)?,
    })
}

struct Binder<'t> {
    table: &'t Table,
    dict: &'t Dictionary,
    max_value_bytes: u64,
}

impl<'t> Binder<'t> {
    fn node(&self, n: &Node) -> Option<BNode<'t>> {
        let pair = |a: &Node, b: &Node| Some((Box::new(self.node(a)?), Box::new(self.node(b)?)));
        Some(match n {
            Node::Known(k) => BNode::Known(*k),
            Node::Not(a) => BNode::Not(Box::new(self.node(a)?)),
            Node::And(a, b) => pair(a, b).map(|(a, b)| BNode::And(a, b))?,
            Node::Or(a, b) => pair(a, b).map(|(a, b)| BNode::Or(a, b))?,
            Node::Xor(a, b) => pair(a, b).map(|(a, b)| BNode::Xor(a, b))?,
            Node::Leaf(key, test) => {
                let absent = test.on_value(&Value::Null).ok()?;
                match self.table.column(*key) {
                    None => BNode::Known(absent),
                    Some(column) => BNode::Leaf(Leaf {
                        valid: column.validity(),
                        absent,
                        kernel: self.kernel(column.data(), test)?,
                    }),
                }
            }
        })
    }

    fn kernel(&self, data: &'t ColumnData, test: &Test) -> Option<Kernel<'t>> {
        match data {
            ColumnData::Int(v) => scalar(Scalars::Int(v), test),
            ColumnData::Float(v) => scalar(Scalars::Float(v), test),
            ColumnData::Bool(v) => scalar(Scalars::Bool(v), test),
            ColumnData::Date(v) => scalar(Scalars::Date(v), test),
            ColumnData::LocalDateTime(v) => scalar(Scalars::LocalDateTime(v), test),
            ColumnData::Str(codes) if self.dict.longest() as u64 <= self.max_value_bytes => {
                self.strings(codes, test)
            }
            ColumnData::Str(_) | ColumnData::Any(_) => None,
        }
    }

    fn strings(&self, codes: &'t [u32], test: &Test) -> Option<Kernel<'t>> {
        let dict = self.dict;
        Some(match test {
            // Reading a string property as a truth value is a type error.
            Test::Truth => return None,
            Test::Compare {
                op,
                value: Value::String(s),
                flipped,
            } => match op {
                CmpOp::Eq | CmpOp::Ne => Kernel::Code {
                    codes,
                    code: dict.code(s),
                    equal: *op == CmpOp::Eq,
                },
                _ => Kernel::StrCmp {
                    codes,
                    dict,
                    op: if *flipped { flip(*op) } else { *op },
                    value: Arc::clone(s),
                },
            },
            Test::Str {
                op: StrOp::Regex,
                value: Value::String(pattern),
                flipped,
            } => {
                if *flipped {
                    // The pattern is the stored string: it may not compile.
                    return None;
                }
                Kernel::Regex {
                    codes,
                    dict,
                    regex: compiled(pattern).ok()?,
                }
            }
            Test::Str {
                op,
                value: Value::String(s),
                flipped,
            } => Kernel::StrOp {
                codes,
                dict,
                op: *op,
                value: Arc::clone(s),
                flipped: *flipped,
            },
            Test::In(Value::List(items)) => {
                let probe = Value::String(Arc::from(""));
                Kernel::CodeIn {
                    codes,
                    set: items
                        .iter()
                        .filter_map(|item| match item {
                            Value::String(s) => dict.code(s),
                            _ => None,
                        })
                        .collect(),
                    unknown: items.iter().any(|item| probe.equals(item).is_none()),
                }
            }
            // The constant is not a string (or the list is null): the
            // outcome does not depend on which string the row holds.
            _ => Kernel::Same(test.on_value(&Value::String(Arc::from(""))).ok()?),
        })
    }
}

/// The kernel of `test` over a number or boolean column.
fn scalar<'t>(data: Scalars<'t>, test: &Test) -> Option<Kernel<'t>> {
    Some(match (data, test) {
        (Scalars::Bool(bits), Test::Truth) => Kernel::Truth(bits),
        // A number read as a truth value is a type error.
        (_, Test::Truth) => return None,
        (
            Scalars::Int(data),
            Test::Compare {
                op,
                value: Value::Int(value),
                flipped,
            },
        ) => Kernel::Int {
            data,
            op: if *flipped { flip(*op) } else { *op },
            value: *value,
        },
        (
            Scalars::Float(data),
            Test::Compare {
                op,
                value: Value::Float(value),
                flipped,
            },
        ) => Kernel::Float {
            data,
            op: if *flipped { flip(*op) } else { *op },
            value: *value,
        },
        (
            Scalars::Date(data),
            Test::Compare {
                op,
                value: Value::Date(value),
                flipped,
            },
        ) => Kernel::Days {
            data,
            op: if *flipped { flip(*op) } else { *op },
            value: date_to_days(*value),
        },
        (
            Scalars::LocalDateTime(data),
            Test::Compare {
                op,
                value: Value::LocalDateTime(value),
                flipped,
            },
        ) if local_datetime_to_nanos(value).is_some() => Kernel::Int {
            data,
            op: if *flipped { flip(*op) } else { *op },
            value: local_datetime_to_nanos(value)?,
        },
        (data, test) => Kernel::Scalar {
            data,
            test: test.clone(),
        },
    })
}

/// The operator with its operands swapped: `c < p` is `p > c`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

/// `a op b` for totally ordered operands.
#[inline]
fn ordered<T: PartialOrd>(op: CmpOp, a: T, b: T) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
    }
}

impl Kernel<'_> {
    #[inline]
    fn test(&self, row: usize) -> Option<bool> {
        match self {
            Kernel::Same(outcome) => *outcome,
            Kernel::Int { data, op, value } => Some(ordered(*op, data[row], *value)),
            Kernel::Days { data, op, value } => Some(ordered(*op, data[row], *value)),
            // IEEE comparisons give what the language gives, NaN included:
            // `=` and every ordering are false, `<>` is true.
            Kernel::Float { data, op, value } => Some(ordered(*op, data[row], *value)),
            Kernel::Scalar { data, test } => test.on_value(&data.get(row)).unwrap_or(None),
            Kernel::Truth(bits) => Some(bits.get(row)),
            Kernel::Code { codes, code, equal } => Some((Some(codes[row]) == *code) == *equal),
            Kernel::StrCmp {
                codes,
                dict,
                op,
                value,
            } => Some(ordered(*op, &**dict.get(codes[row]), &**value)),
            Kernel::StrOp {
                codes,
                dict,
                op,
                value,
                flipped,
            } => {
                let p: &str = dict.get(codes[row]);
                let (a, b): (&str, &str) = if *flipped { (value, p) } else { (p, value) };
                Some(match op {
                    StrOp::StartsWith => a.starts_with(b),
                    StrOp::EndsWith => a.ends_with(b),
                    StrOp::Contains => a.contains(b),
                    StrOp::Regex => return None,
                })
            }
            Kernel::Regex { codes, dict, regex } => Some(regex.is_match(dict.get(codes[row]))),
            Kernel::CodeIn {
                codes,
                set,
                unknown,
            } => {
                if set.contains(&codes[row]) {
                    Some(true)
                } else if *unknown {
                    None
                } else {
                    Some(false)
                }
            }
        }
    }
}

impl BNode<'_> {
    fn test(&self, row: usize) -> Option<bool> {
        match self {
            BNode::Known(k) => *k,
            BNode::Leaf(leaf) => {
                if leaf.valid.get(row) {
                    leaf.kernel.test(row)
                } else {
                    leaf.absent
                }
            }
            BNode::Not(a) => a.test(row).map(|b| !b),
            BNode::And(a, b) => match a.test(row) {
                Some(false) => Some(false),
                left => match (left, b.test(row)) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
            },
            BNode::Or(a, b) => match a.test(row) {
                Some(true) => Some(true),
                left => match (left, b.test(row)) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                },
            },
            BNode::Xor(a, b) => {
                let (x, y) = (a.test(row), b.test(row));
                Some(x? != y?)
            }
        }
    }
}

impl Bound<'_> {
    /// The predicate's outcome for table row `row`: true, false or null
    /// (`None`), as the row evaluator would give it.
    pub fn test(&self, row: u32) -> Option<bool> {
        self.root.test(row as usize)
    }

    /// Appends to `out` the rows of `rows` (table rows) for which the
    /// predicate is true, in the order given.
    pub fn select(&self, rows: &[u32], out: &mut Vec<u32>) {
        out.extend(rows.iter().copied().filter(|r| self.test(*r) == Some(true)));
    }
}
