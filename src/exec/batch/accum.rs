//! Typed aggregate states for the batch path: `count`, `sum`, `avg`,
//! `min` and `max` fed integers and floats read straight from columns.
//!
//! Each state follows `exec::aggregate::Accumulator` step for step for
//! numeric input, so a group fed the same values in the same order ends
//! in the same result: integer sums are checked on the running sum, a
//! float turns a sum into a float from then on (`a as f64 + b`), averages
//! keep an `i128` integer sum beside a float sum, and `min`/`max` keep the
//! first value of the language's total order (`compare_for_order`: NaN
//! above every number, `1` and `1.0` equal). [`State::merge`] is
//! `Accumulator::merge` for the same states (morsel partials).

use std::cmp::Ordering;

use crate::error::{Error, Result};
use crate::value::{Value, compare_for_order};

/// A number read from a column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// From an `Int` column.
    Int(i64),
    /// From a `Float` column.
    Float(f64),
}

impl Num {
    fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            Num::Float(f) => Value::Float(f),
        }
    }
}

/// Which aggregate a [`State`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `count(*)`, `count(x)`: rows or non-null values.
    Count,
    /// `sum(x)`.
    Sum,
    /// `avg(x)`.
    Avg,
    /// `min(x)`.
    Min,
    /// `max(x)`.
    Max,
}

/// The running state of one aggregate over one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum State {
    /// A count.
    Count(i64),
    /// A sum: nothing yet, or its running value.
    Sum(Option<Num>),
    /// An average's integer sum, float sum and count.
    Avg {
        /// Sum of the integers.
        ints: i128,
        /// Sum of the floats, in input order.
        floats: f64,
        /// Values seen.
        count: u64,
    },
    /// The least or greatest value so far (`wanted` says which).
    Extreme(Option<Num>, Ordering),
}

fn overflow() -> Error {
    Error::arithmetic("IntegerOverflow", "integer overflow in sum()")
}

/// Whether `candidate` replaces `current` as the extreme (`wanted` is
/// `Less` for `min`, `Greater` for `max`).
fn replaces(candidate: Num, current: Num, wanted: Ordering) -> bool {
    match (candidate, current) {
        (Num::Int(a), Num::Int(b)) => a.cmp(&b) == wanted,
        _ => compare_for_order(&candidate.value(), &current.value()) == wanted,
    }
}

/// `sum` plus one value, as `Accumulator` adds.
fn add(sum: Option<Num>, x: Num) -> Result<Num> {
    Ok(match (sum, x) {
        (None, x) => x,
        (Some(Num::Int(a)), Num::Int(b)) => Num::Int(a.checked_add(b).ok_or_else(overflow)?),
        (Some(Num::Int(a)), Num::Float(b)) => Num::Float(a as f64 + b),
        (Some(Num::Float(a)), Num::Int(b)) => Num::Float(a + b as f64),
        (Some(Num::Float(a)), Num::Float(b)) => Num::Float(a + b),
    })
}

impl State {
    /// The empty state of `kind`.
    pub fn new(kind: Kind) -> State {
        match kind {
            Kind::Count => State::Count(0),
            Kind::Sum => State::Sum(None),
            Kind::Avg => State::Avg {
                ints: 0,
                floats: 0.0,
                count: 0,
            },
            Kind::Min => State::Extreme(None, Ordering::Less),
            Kind::Max => State::Extreme(None, Ordering::Greater),
        }
    }

    /// Counts one row or value (a `Count` state; others ignore it).
    #[inline]
    pub fn count_one(&mut self) -> Result<()> {
        if let State::Count(n) = self {
            *n = n.checked_add(1).ok_or_else(overflow)?;
        }
        Ok(())
    }

    /// Feeds one number.
    #[inline]
    pub fn update(&mut self, x: Num) -> Result<()> {
        match self {
            State::Count(n) => *n = n.checked_add(1).ok_or_else(overflow)?,
            State::Sum(sum) => *sum = Some(add(*sum, x)?),
            State::Avg {
                ints,
                floats,
                count,
            } => {
                match x {
                    Num::Int(i) => *ints += i128::from(i),
                    Num::Float(f) => *floats += f,
                }
                *count += 1;
            }
            State::Extreme(current, wanted) => {
                if current.is_none_or(|c| replaces(x, c, *wanted)) {
                    *current = Some(x);
                }
            }
        }
        Ok(())
    }

    /// Adds `later`, the state of the same aggregate over the input that
    /// follows this one's (as `Accumulator::merge`).
    pub fn merge(&mut self, later: State) -> Result<()> {
        match (self, later) {
            (State::Count(a), State::Count(b)) => *a = a.checked_add(b).ok_or_else(overflow)?,
            (State::Sum(_), State::Sum(None)) => {}
            (State::Sum(a), State::Sum(Some(b))) => *a = Some(add(*a, b)?),
            (
                State::Avg {
                    ints,
                    floats,
                    count,
                },
                State::Avg {
                    ints: i,
                    floats: f,
                    count: c,
                },
            ) => {
                *ints += i;
                *floats += f;
                *count += c;
            }
            (State::Extreme(_, _), State::Extreme(None, _)) => {}
            (State::Extreme(current, wanted), State::Extreme(Some(x), _)) => {
                if current.is_none_or(|c| replaces(x, c, *wanted)) {
                    *current = Some(x);
                }
            }
            _ => {
                return Err(crate::exec::internal(
                    "batch aggregate states of different kinds cannot merge",
                ));
            }
        }
        Ok(())
    }

    /// The result, as `Accumulator::finish` gives it.
    pub fn finish(self) -> Value {
        match self {
            State::Count(n) => Value::Int(n),
            State::Sum(None) => Value::Int(0),
            State::Sum(Some(x)) => x.value(),
            State::Avg { count: 0, .. } => Value::Null,
            State::Avg {
                ints,
                floats,
                count,
            } => Value::Float((ints as f64 + floats) / count as f64),
            State::Extreme(x, _) => x.map_or(Value::Null, Num::value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::aggregate::{Accumulator, AggregateKind};

    const KINDS: [(Kind, AggregateKind); 5] = [
        (Kind::Count, AggregateKind::Count),
        (Kind::Sum, AggregateKind::Sum),
        (Kind::Avg, AggregateKind::Avg),
        (Kind::Min, AggregateKind::Min),
        (Kind::Max, AggregateKind::Max),
    ];

    /// A deterministic mix of ints, floats, NaN, ±0.0 and near-overflow.
    fn inputs(seed: u64, n: usize) -> Vec<Num> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                match (x >> 33) % 9 {
                    0 => Num::Float(f64::NAN),
                    1 => Num::Float(-0.0),
                    2 => Num::Int(i64::MAX - (x >> 60) as i64),
                    3 => Num::Int(-((x >> 40) as i64)),
                    4 => Num::Float((x >> 20) as f64 / 7.0),
                    5 => Num::Float(0.1),
                    6 => Num::Int(0),
                    _ => Num::Int((x >> 50) as i64),
                }
            })
            .collect()
    }

    fn outcome(r: Result<Value>) -> String {
        match r {
            Ok(v) => format!("{v:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn mine(kind: Kind, parts: &[&[Num]]) -> String {
        let run = || -> Result<Value> {
            let mut total = State::new(kind);
            for part in parts {
                let mut s = State::new(kind);
                for x in *part {
                    s.update(*x)?;
                }
                total.merge(s)?;
            }
            Ok(total.finish())
        };
        outcome(run())
    }

    fn theirs(kind: AggregateKind, parts: &[&[Num]]) -> String {
        let run = || -> Result<Value> {
            let mut total = Accumulator::new(kind, false, None)?;
            for part in parts {
                let mut a = Accumulator::new(kind, false, None)?;
                for x in *part {
                    a.update(x.value())?;
                }
                total.merge(a)?;
            }
            total.finish()
        };
        outcome(run())
    }

    #[test]
    fn states_agree_with_the_row_accumulators() {
        for seed in 0..300 {
            let values = inputs(seed, (seed % 13) as usize);
            let cut = values.len() / 2;
            for (kind, agg) in KINDS {
                let whole = [values.as_slice()];
                assert_eq!(
                    mine(kind, &whole),
                    theirs(agg, &whole),
                    "{kind:?} {values:?}"
                );
                let halves = [&values[..cut], &values[cut..]];
                assert_eq!(
                    mine(kind, &halves),
                    theirs(agg, &halves),
                    "{kind:?} {values:?}"
                );
            }
        }
    }

    #[test]
    fn a_running_integer_overflow_fails_even_if_the_total_fits() {
        let values = [Num::Int(i64::MAX), Num::Int(1), Num::Int(-5)];
        let mut s = State::new(Kind::Sum);
        s.update(values[0]).unwrap();
        assert!(s.update(values[1]).is_err());
        assert_eq!(
            mine(Kind::Sum, &[&values]),
            theirs(AggregateKind::Sum, &[&values])
        );
    }

    #[test]
    fn empty_states_finish_as_the_row_engine() {
        assert_eq!(State::new(Kind::Count).finish(), Value::Int(0));
        assert_eq!(State::new(Kind::Sum).finish(), Value::Int(0));
        assert_eq!(State::new(Kind::Avg).finish(), Value::Null);
        assert_eq!(State::new(Kind::Max).finish(), Value::Null);
    }
}
