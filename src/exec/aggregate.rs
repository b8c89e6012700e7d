//! Aggregate functions: `count`, `sum`, `avg`, `min`, `max`, `collect`,
//! `stDev`, `stDevP`, `percentileCont` and `percentileDisc`, each optionally
//! `DISTINCT`.
//!
//! An [`Accumulator`] is fed one value per row with
//! [`Accumulator::update`] and gives the result with
//! [`Accumulator::finish`]. Null values are ignored by every aggregate
//! except `count(*)`, which counts every call of `update` (the executor
//! passes `Value::Null` for each row). `DISTINCT` drops values equivalent
//! (as grouping defines it: `1` and `1.0` alike) to one seen before.
//!
//! Results on empty input: `count` 0, `sum` 0, `collect` `[]`, `stDev` and
//! `stDevP` 0.0; `avg`, `min`, `max` and the percentiles null.

use rustc_hash::FxHashSet;
use std::cmp::Ordering;

use crate::error::{Error, Result};
use crate::exec::functions::arith;
use crate::value::{Duration, GroupKey, Value, compare_for_order};

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateKind {
    /// `count(x)`: the non-null values.
    Count,
    /// `count(*)`: the rows.
    CountStar,
    /// `sum(x)`: integers stay integers (checked), any float makes a float;
    /// durations add up to a duration.
    Sum,
    /// `avg(x)`: the mean as a float.
    Avg,
    /// `min(x)`: the least value in the language's total order.
    Min,
    /// `max(x)`: the greatest value in the language's total order.
    Max,
    /// `collect(x)`: the non-null values as a list, in row order.
    Collect,
    /// `stDev(x)`: the sample standard deviation.
    StDev,
    /// `stDevP(x)`: the population standard deviation.
    StDevP,
    /// `percentileCont(x, p)`: the interpolated percentile.
    PercentileCont,
    /// `percentileDisc(x, p)`: the nearest-rank percentile (a value from
    /// the input).
    PercentileDisc,
}

impl AggregateKind {
    /// The aggregate called `name` (case-insensitive). `count(*)` is not a
    /// name: the parser produces [`AggregateKind::CountStar`] itself.
    pub fn lookup(name: &str) -> Option<AggregateKind> {
        const NAMES: &[(&str, AggregateKind)] = &[
            ("count", AggregateKind::Count),
            ("sum", AggregateKind::Sum),
            ("avg", AggregateKind::Avg),
            ("min", AggregateKind::Min),
            ("max", AggregateKind::Max),
            ("collect", AggregateKind::Collect),
            ("stdev", AggregateKind::StDev),
            ("stdevp", AggregateKind::StDevP),
            ("percentilecont", AggregateKind::PercentileCont),
            ("percentiledisc", AggregateKind::PercentileDisc),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, k)| *k)
    }

    /// The name as queries usually spell it.
    pub fn name(self) -> &'static str {
        match self {
            AggregateKind::Count | AggregateKind::CountStar => "count",
            AggregateKind::Sum => "sum",
            AggregateKind::Avg => "avg",
            AggregateKind::Min => "min",
            AggregateKind::Max => "max",
            AggregateKind::Collect => "collect",
            AggregateKind::StDev => "stDev",
            AggregateKind::StDevP => "stDevP",
            AggregateKind::PercentileCont => "percentileCont",
            AggregateKind::PercentileDisc => "percentileDisc",
        }
    }

    /// Whether the aggregate takes a second, constant argument (the
    /// percentile), passed to [`Accumulator::new`].
    pub fn takes_param(self) -> bool {
        matches!(
            self,
            AggregateKind::PercentileCont | AggregateKind::PercentileDisc
        )
    }
}

/// A running sum.
#[derive(Debug, Clone, Copy)]
enum Sum {
    Int(i64),
    Float(f64),
    Duration(Duration),
}

/// The state of one aggregate.
#[derive(Debug)]
enum State {
    Count(i64),
    Sum(Option<Sum>),
    Avg {
        int_sum: i128,
        float_sum: f64,
        count: u64,
    },
    Extreme(Option<Value>),
    Collect(Vec<Value>),
    /// Welford's online mean and sum of squared deviations.
    Deviation {
        count: u64,
        mean: f64,
        m2: f64,
    },
    Percentile {
        values: Vec<Value>,
        p: f64,
    },
}

/// The values a `DISTINCT` aggregate has seen: nodes and relationships
/// as tagged ids (an integer hash, 8 bytes each: `count(DISTINCT m)` over
/// millions of groups, issue 16), anything else by its grouping key.
/// An entity equals only itself under grouping equality, so the split
/// keeps the same values apart.
#[derive(Debug, Default)]
struct Seen {
    ids: FxHashSet<u64>,
    values: FxHashSet<GroupKey>,
}

impl Seen {
    /// Records `value`; whether it is new.
    fn insert(&mut self, value: &Value) -> bool {
        match value {
            Value::Node(n) => self.ids.insert(u64::from(n.0)),
            Value::Relationship(r) => self.ids.insert(u64::from(r.0) | 1 << 32),
            other => self.values.insert(GroupKey(other.clone())),
        }
    }

    /// The values `later` saw that this did not, recorded here: how many.
    fn absorb(&mut self, later: Seen) -> usize {
        let before = self.ids.len() + self.values.len();
        self.ids.extend(later.ids);
        self.values.extend(later.values);
        self.ids.len() + self.values.len() - before
    }
}

/// The running state of one aggregate over one group.
#[derive(Debug)]
pub struct Accumulator {
    kind: AggregateKind,
    seen: Option<Seen>,
    state: State,
}

fn overflow() -> Error {
    Error::arithmetic("IntegerOverflow", "integer overflow in sum()")
}

fn not_numeric(kind: AggregateKind, value: &Value) -> Error {
    Error::invalid_type(format!(
        "{}() expects numbers, got {}",
        kind.name(),
        value.type_name()
    ))
}

impl Accumulator {
    /// A fresh accumulator. `param` is the percentile (a number in [0, 1])
    /// for `percentileCont` and `percentileDisc`, ignored by the others; a
    /// percentile outside [0, 1] is an `ArgumentError: NumberOutOfRange`, a
    /// missing or non-numeric one a type error.
    pub fn new(kind: AggregateKind, distinct: bool, param: Option<Value>) -> Result<Self> {
        let state = match kind {
            AggregateKind::Count | AggregateKind::CountStar => State::Count(0),
            AggregateKind::Sum => State::Sum(None),
            AggregateKind::Avg => State::Avg {
                int_sum: 0,
                float_sum: 0.0,
                count: 0,
            },
            AggregateKind::Min | AggregateKind::Max => State::Extreme(None),
            AggregateKind::Collect => State::Collect(Vec::new()),
            AggregateKind::StDev | AggregateKind::StDevP => State::Deviation {
                count: 0,
                mean: 0.0,
                m2: 0.0,
            },
            AggregateKind::PercentileCont | AggregateKind::PercentileDisc => {
                let p = match param.as_ref().and_then(Value::as_f64) {
                    Some(p) => p,
                    None => {
                        let got = param.as_ref().map_or("nothing", Value::type_name);
                        return Err(Error::invalid_type(format!(
                            "{}() expects a number between 0.0 and 1.0 as percentile, got {got}",
                            kind.name()
                        )));
                    }
                };
                if !(0.0..=1.0).contains(&p) {
                    return Err(Error::argument(
                        "NumberOutOfRange",
                        format!(
                            "{}() needs a percentile between 0.0 and 1.0, got {p}",
                            kind.name()
                        ),
                    ));
                }
                State::Percentile {
                    values: Vec::new(),
                    p,
                }
            }
        };
        let seen = (distinct && kind != AggregateKind::CountStar).then(Seen::default);
        Ok(Accumulator { kind, seen, state })
    }

    /// The aggregate this accumulator computes.
    pub fn kind(&self) -> AggregateKind {
        self.kind
    }

    /// Feeds one row's value.
    pub fn update(&mut self, value: Value) -> Result<()> {
        self.update_kept(value).map(|_| ())
    }

    /// Feeds one row's value; whether the accumulator keeps it: a value
    /// new to a `DISTINCT` aggregate's set, or one `collect` or a
    /// percentile stores (what counts against the memory limit).
    pub fn update_kept(&mut self, value: Value) -> Result<bool> {
        if let State::Count(n) = &mut self.state
            && self.kind == AggregateKind::CountStar
        {
            *n = n.checked_add(1).ok_or_else(overflow)?;
            return Ok(false);
        }
        if value.is_null() {
            return Ok(false);
        }
        let kept = match &mut self.seen {
            Some(seen) => {
                if !seen.insert(&value) {
                    return Ok(false);
                }
                true
            }
            None => matches!(self.state, State::Collect(_) | State::Percentile { .. }),
        };
        let kind = self.kind;
        match &mut self.state {
            State::Count(n) => *n = n.checked_add(1).ok_or_else(overflow)?,
            State::Sum(sum) => *sum = Some(add_to_sum(kind, *sum, &value)?),
            State::Avg {
                int_sum,
                float_sum,
                count,
            } => {
                match value {
                    Value::Int(i) => *int_sum += i128::from(i),
                    Value::Float(f) => *float_sum += f,
                    ref other => return Err(not_numeric(kind, other)),
                }
                *count += 1;
            }
            State::Extreme(current) => {
                let wanted = if kind == AggregateKind::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let replace = current
                    .as_ref()
                    .is_none_or(|c| compare_for_order(&value, c) == wanted);
                if replace {
                    *current = Some(value);
                }
            }
            State::Collect(items) => items.push(value),
            State::Deviation { count, mean, m2 } => {
                let x = value.as_f64().ok_or_else(|| not_numeric(kind, &value))?;
                *count += 1;
                let delta = x - *mean;
                *mean += delta / *count as f64;
                *m2 += delta * (x - *mean);
            }
            State::Percentile { values, .. } => {
                if value.as_f64().is_none() {
                    return Err(not_numeric(kind, &value));
                }
                values.push(value);
            }
        }
        Ok(kept)
    }

    /// Adds the state of `later`, an accumulator of the same call fed the
    /// values that follow this one's: the result is that of one
    /// accumulator fed both runs, except that float sums round per part
    /// and an integer sum fails only when a part's or the total's sum
    /// overflows (not on an intermediate running sum). Among `DISTINCT`
    /// aggregates only `count` merges, and the standard deviations do not
    /// (see `exec::groups::mergeable`): the others give an internal error.
    pub fn merge(&mut self, later: Accumulator) -> Result<()> {
        match (&mut self.seen, later.seen, &mut self.state) {
            (None, None, _) => {}
            // count(DISTINCT x): count the values only `later` saw.
            (Some(seen), Some(more), State::Count(n)) if self.kind == AggregateKind::Count => {
                let new = i64::try_from(seen.absorb(more)).map_err(|_| overflow())?;
                *n = n.checked_add(new).ok_or_else(overflow)?;
                return Ok(());
            }
            _ => {
                return Err(crate::exec::internal(
                    "only count(DISTINCT …) merges among DISTINCT aggregates",
                ));
            }
        }
        let kind = self.kind;
        match (&mut self.state, later.state) {
            (State::Count(a), State::Count(b)) => *a = a.checked_add(b).ok_or_else(overflow)?,
            (State::Sum(_), State::Sum(None)) => {}
            (State::Sum(a), State::Sum(Some(b))) => {
                let b = match b {
                    Sum::Int(i) => Value::Int(i),
                    Sum::Float(f) => Value::Float(f),
                    Sum::Duration(d) => Value::Duration(d),
                };
                *a = Some(add_to_sum(kind, *a, &b)?);
            }
            (
                State::Avg {
                    int_sum,
                    float_sum,
                    count,
                },
                State::Avg {
                    int_sum: i,
                    float_sum: f,
                    count: c,
                },
            ) => {
                *int_sum += i;
                *float_sum += f;
                *count += c;
            }
            (State::Extreme(_), State::Extreme(None)) => {}
            (State::Extreme(current), State::Extreme(Some(value))) => {
                let wanted = if kind == AggregateKind::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                if current
                    .as_ref()
                    .is_none_or(|c| compare_for_order(&value, c) == wanted)
                {
                    *current = Some(value);
                }
            }
            (State::Collect(items), State::Collect(more)) => items.extend(more),
            (State::Percentile { values, .. }, State::Percentile { values: more, .. }) => {
                values.extend(more)
            }
            _ => {
                return Err(crate::exec::internal(
                    "aggregate states of different kinds cannot merge",
                ));
            }
        }
        Ok(())
    }

    /// The result over every value fed.
    pub fn finish(self) -> Result<Value> {
        Ok(match self.state {
            State::Count(n) => Value::Int(n),
            State::Sum(None) => Value::Int(0),
            State::Sum(Some(Sum::Int(i))) => Value::Int(i),
            State::Sum(Some(Sum::Float(f))) => Value::Float(f),
            State::Sum(Some(Sum::Duration(d))) => Value::Duration(d),
            State::Avg { count: 0, .. } => Value::Null,
            State::Avg {
                int_sum,
                float_sum,
                count,
            } => Value::Float((int_sum as f64 + float_sum) / count as f64),
            State::Extreme(v) => v.unwrap_or_default(),
            State::Collect(items) => Value::List(items.into()),
            State::Deviation { count, m2, .. } => {
                let divisor = match self.kind {
                    AggregateKind::StDev => count.saturating_sub(1),
                    _ => count,
                };
                if divisor == 0 {
                    Value::Float(0.0)
                } else {
                    Value::Float((m2 / divisor as f64).sqrt())
                }
            }
            State::Percentile { mut values, p } => {
                if values.is_empty() {
                    return Ok(Value::Null);
                }
                values.sort_by(compare_for_order);
                if self.kind == AggregateKind::PercentileDisc {
                    percentile_disc(values, p)
                } else {
                    percentile_cont(&values, p)
                }
            }
        })
    }
}

/// Adds `value` to a running sum.
fn add_to_sum(kind: AggregateKind, sum: Option<Sum>, value: &Value) -> Result<Sum> {
    Ok(match (sum, value) {
        (None, Value::Int(i)) => Sum::Int(*i),
        (None, Value::Float(f)) => Sum::Float(*f),
        (None, Value::Duration(d)) => Sum::Duration(*d),
        (Some(Sum::Int(a)), Value::Int(b)) => Sum::Int(a.checked_add(*b).ok_or_else(overflow)?),
        (Some(Sum::Int(a)), Value::Float(b)) => Sum::Float(a as f64 + b),
        (Some(Sum::Float(a)), Value::Int(b)) => Sum::Float(a + *b as f64),
        (Some(Sum::Float(a)), Value::Float(b)) => Sum::Float(a + b),
        (Some(Sum::Duration(a)), Value::Duration(b)) => {
            match arith::add(Value::Duration(a), Value::Duration(*b))? {
                Value::Duration(d) => Sum::Duration(d),
                _ => return Err(not_numeric(kind, value)),
            }
        }
        (Some(Sum::Duration(_)), Value::Int(_) | Value::Float(_)) => {
            return Err(Error::invalid_type(
                "sum() cannot add numbers and durations",
            ));
        }
        (Some(Sum::Int(_) | Sum::Float(_)), Value::Duration(_)) => {
            return Err(Error::invalid_type(
                "sum() cannot add durations and numbers",
            ));
        }
        (_, other) => {
            return Err(Error::invalid_type(format!(
                "{}() expects numbers or durations, got {}",
                kind.name(),
                other.type_name()
            )));
        }
    })
}

/// The nearest-rank percentile of sorted, non-empty `values`: the value at
/// rank `ceil(p * n)` (the first for p = 0).
fn percentile_disc(mut values: Vec<Value>, p: f64) -> Value {
    let n = values.len();
    let rank = (p * n as f64).ceil() as usize;
    let index = rank.saturating_sub(1).min(n - 1);
    values.swap_remove(index)
}

/// The linearly interpolated percentile of sorted, non-empty numeric
/// `values`, as a float.
fn percentile_cont(values: &[Value], p: f64) -> Value {
    let at = |i: usize| values.get(i).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let position = p * (values.len() - 1) as f64;
    let lower = position.floor();
    let (lo, hi) = (lower as usize, position.ceil() as usize);
    if lo == hi {
        return Value::Float(at(lo));
    }
    let fraction = position - lower;
    Value::Float(at(lo) + (at(hi) - at(lo)) * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorClass;

    fn run(kind: AggregateKind, distinct: bool, values: Vec<Value>) -> Result<Value> {
        run_with(kind, distinct, None, values)
    }

    fn run_with(
        kind: AggregateKind,
        distinct: bool,
        param: Option<Value>,
        values: Vec<Value>,
    ) -> Result<Value> {
        let mut acc = Accumulator::new(kind, distinct, param)?;
        for v in values {
            acc.update(v)?;
        }
        acc.finish()
    }

    fn ints(items: &[i64]) -> Vec<Value> {
        items.iter().map(|i| Value::Int(*i)).collect()
    }

    fn float_of(v: Value) -> f64 {
        match v {
            Value::Float(f) => f,
            other => panic!("expected a float, got {other:?}"),
        }
    }

    #[test]
    fn lookup_is_case_insensitive() {
        assert_eq!(AggregateKind::lookup("COUNT"), Some(AggregateKind::Count));
        assert_eq!(AggregateKind::lookup("stDevP"), Some(AggregateKind::StDevP));
        assert_eq!(
            AggregateKind::lookup("percentiledisc"),
            Some(AggregateKind::PercentileDisc)
        );
        assert_eq!(AggregateKind::lookup("count(*)"), None);
        assert_eq!(AggregateKind::lookup("size"), None);
        assert!(AggregateKind::PercentileCont.takes_param());
        assert!(!AggregateKind::Sum.takes_param());
    }

    #[test]
    fn counting() {
        let values = vec![
            Value::Int(1),
            Value::Null,
            Value::Float(1.0),
            Value::from("a"),
            Value::Int(2),
        ];
        assert_eq!(
            run(AggregateKind::Count, false, values.clone()).unwrap(),
            Value::Int(4)
        );
        assert_eq!(
            run(AggregateKind::Count, true, values.clone()).unwrap(),
            Value::Int(3)
        );
        assert_eq!(
            run(AggregateKind::CountStar, false, values.clone()).unwrap(),
            Value::Int(5)
        );
        assert_eq!(
            run(AggregateKind::CountStar, true, values).unwrap(),
            Value::Int(5)
        );
        assert_eq!(
            run(
                AggregateKind::CountStar,
                false,
                vec![Value::Null, Value::Null]
            )
            .unwrap(),
            Value::Int(2)
        );
        assert_eq!(
            run(AggregateKind::Count, false, vec![]).unwrap(),
            Value::Int(0)
        );
        assert_eq!(
            run(AggregateKind::Count, false, vec![Value::Null]).unwrap(),
            Value::Int(0)
        );
    }

    #[test]
    fn sums() {
        assert_eq!(
            run(AggregateKind::Sum, false, ints(&[1, 2, 3])).unwrap(),
            Value::Int(6)
        );
        assert_eq!(
            run(AggregateKind::Sum, false, vec![]).unwrap(),
            Value::Int(0)
        );
        assert_eq!(
            run(AggregateKind::Sum, false, vec![Value::Null]).unwrap(),
            Value::Int(0)
        );
        let mixed = vec![Value::Int(1), Value::Float(0.5), Value::Null, Value::Int(2)];
        assert_eq!(
            run(AggregateKind::Sum, false, mixed).unwrap(),
            Value::Float(3.5)
        );
        assert_eq!(
            run(AggregateKind::Sum, true, ints(&[2, 2, 3])).unwrap(),
            Value::Int(5)
        );
        let one_and_one = vec![Value::Int(1), Value::Float(1.0)];
        assert_eq!(
            run(AggregateKind::Sum, true, one_and_one).unwrap(),
            Value::Int(1)
        );
        let err = run(AggregateKind::Sum, false, ints(&[i64::MAX, 1])).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArithmeticError, "IntegerOverflow")
        );
        let err = run(
            AggregateKind::Sum,
            false,
            vec![Value::Int(1), Value::from("2")],
        )
        .unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentType")
        );
        let day = Value::Duration(Duration {
            months: 0,
            days: 1,
            seconds: 0,
            nanos: 0,
        });
        let hour = Value::Duration(Duration {
            months: 0,
            days: 0,
            seconds: 3600,
            nanos: 0,
        });
        assert_eq!(
            run(
                AggregateKind::Sum,
                false,
                vec![day.clone(), Value::Null, hour]
            )
            .unwrap(),
            Value::Duration(Duration {
                months: 0,
                days: 1,
                seconds: 3600,
                nanos: 0
            })
        );
        assert_eq!(
            run(AggregateKind::Sum, false, vec![day, Value::Int(1)])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn averages() {
        assert_eq!(
            run(AggregateKind::Avg, false, ints(&[1, 2])).unwrap(),
            Value::Float(1.5)
        );
        assert_eq!(run(AggregateKind::Avg, false, vec![]).unwrap(), Value::Null);
        assert_eq!(
            run(AggregateKind::Avg, false, vec![Value::Null]).unwrap(),
            Value::Null
        );
        let mixed = vec![Value::Int(1), Value::Float(2.0), Value::Null];
        assert_eq!(
            run(AggregateKind::Avg, false, mixed).unwrap(),
            Value::Float(1.5)
        );
        assert_eq!(
            run(AggregateKind::Avg, true, ints(&[1, 1, 1, 4])).unwrap(),
            Value::Float(2.5)
        );
        // No overflow for large integers: the sum is kept in 128 bits.
        assert_eq!(
            run(AggregateKind::Avg, false, ints(&[i64::MAX, i64::MAX])).unwrap(),
            Value::Float(i64::MAX as f64)
        );
        assert_eq!(
            run(AggregateKind::Avg, false, vec![Value::Bool(true)])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn minimum_and_maximum() {
        assert_eq!(
            run(AggregateKind::Min, false, ints(&[3, 1, 2])).unwrap(),
            Value::Int(1)
        );
        assert_eq!(
            run(AggregateKind::Max, false, ints(&[3, 1, 2])).unwrap(),
            Value::Int(3)
        );
        assert_eq!(run(AggregateKind::Min, false, vec![]).unwrap(), Value::Null);
        assert_eq!(
            run(AggregateKind::Max, false, vec![Value::Null]).unwrap(),
            Value::Null
        );
        let mixed = vec![
            Value::Int(2),
            Value::Float(2.5),
            Value::Null,
            Value::Int(-1),
        ];
        assert_eq!(
            run(AggregateKind::Max, false, mixed.clone()).unwrap(),
            Value::Float(2.5)
        );
        assert_eq!(
            run(AggregateKind::Min, true, mixed).unwrap(),
            Value::Int(-1)
        );
        // Across types the total order decides: strings sort before numbers.
        let across = vec![Value::Int(1), Value::from("a")];
        assert_eq!(
            run(AggregateKind::Min, false, across.clone()).unwrap(),
            Value::from("a")
        );
        assert_eq!(
            run(AggregateKind::Max, false, across).unwrap(),
            Value::Int(1)
        );
        let words = vec![Value::from("pear"), Value::from("apple")];
        assert_eq!(
            run(AggregateKind::Min, false, words).unwrap(),
            Value::from("apple")
        );
        // Ties keep the first value seen.
        assert_eq!(
            run(
                AggregateKind::Min,
                false,
                vec![Value::Int(1), Value::Float(1.0)]
            )
            .unwrap(),
            Value::Int(1)
        );
    }

    #[test]
    fn collecting() {
        let values = vec![
            Value::Int(1),
            Value::Null,
            Value::Int(2),
            Value::Float(1.0),
            Value::from("x"),
        ];
        assert_eq!(
            run(AggregateKind::Collect, false, values.clone()).unwrap(),
            Value::List(
                vec![
                    Value::Int(1),
                    Value::Int(2),
                    Value::Float(1.0),
                    Value::from("x")
                ]
                .into()
            )
        );
        assert_eq!(
            run(AggregateKind::Collect, true, values).unwrap(),
            Value::List(vec![Value::Int(1), Value::Int(2), Value::from("x")].into())
        );
        assert_eq!(
            run(AggregateKind::Collect, false, vec![]).unwrap(),
            Value::List(vec![].into())
        );
        assert_eq!(
            run(AggregateKind::Collect, false, vec![Value::Null]).unwrap(),
            Value::List(vec![].into())
        );
        let lists = vec![
            Value::List(ints(&[1]).into()),
            Value::List(vec![Value::Float(1.0)].into()),
        ];
        assert_eq!(
            run(AggregateKind::Collect, true, lists).unwrap(),
            Value::List(vec![Value::List(ints(&[1]).into())].into())
        );
    }

    #[test]
    fn standard_deviations() {
        let values = ints(&[2, 4, 4, 4, 5, 5, 7, 9]);
        let population = float_of(run(AggregateKind::StDevP, false, values.clone()).unwrap());
        assert!((population - 2.0).abs() < 1e-12);
        let sample = float_of(run(AggregateKind::StDev, false, values).unwrap());
        assert!((sample - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(
            run(AggregateKind::StDev, false, vec![]).unwrap(),
            Value::Float(0.0)
        );
        assert_eq!(
            run(AggregateKind::StDev, false, ints(&[5])).unwrap(),
            Value::Float(0.0)
        );
        assert_eq!(
            run(AggregateKind::StDevP, false, vec![Value::Null]).unwrap(),
            Value::Float(0.0)
        );
        let distinct = float_of(run(AggregateKind::StDevP, true, ints(&[1, 3, 3, 3])).unwrap());
        assert_eq!(distinct, 1.0);
        let mixed = vec![Value::Int(1), Value::Float(3.0)];
        assert_eq!(
            float_of(run(AggregateKind::StDevP, false, mixed).unwrap()),
            1.0
        );
        assert_eq!(
            run(AggregateKind::StDev, false, vec![Value::from("1")])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn percentiles() {
        let values = ints(&[10, 20, 30, 40]);
        let cont = |p: f64, vals: Vec<Value>| {
            run_with(
                AggregateKind::PercentileCont,
                false,
                Some(Value::Float(p)),
                vals,
            )
        };
        let disc = |p: f64, vals: Vec<Value>| {
            run_with(
                AggregateKind::PercentileDisc,
                false,
                Some(Value::Float(p)),
                vals,
            )
        };
        assert_eq!(cont(0.5, values.clone()).unwrap(), Value::Float(25.0));
        assert_eq!(cont(0.0, values.clone()).unwrap(), Value::Float(10.0));
        assert_eq!(cont(1.0, values.clone()).unwrap(), Value::Float(40.0));
        assert_eq!(
            cont(0.25, ints(&[40, 10, 30, 20])).unwrap(),
            Value::Float(17.5)
        );
        assert_eq!(disc(0.5, values.clone()).unwrap(), Value::Int(20));
        assert_eq!(disc(0.0, values.clone()).unwrap(), Value::Int(10));
        assert_eq!(disc(1.0, values.clone()).unwrap(), Value::Int(40));
        assert_eq!(disc(0.6, ints(&[40, 30, 20, 10])).unwrap(), Value::Int(30));
        let mixed = vec![Value::Float(1.5), Value::Null, Value::Int(1)];
        assert_eq!(disc(1.0, mixed.clone()).unwrap(), Value::Float(1.5));
        assert_eq!(cont(0.5, mixed).unwrap(), Value::Float(1.25));
        assert_eq!(cont(0.5, vec![]).unwrap(), Value::Null);
        assert_eq!(disc(0.5, vec![Value::Null]).unwrap(), Value::Null);
        let distinct = run_with(
            AggregateKind::PercentileDisc,
            true,
            Some(Value::Int(1)),
            ints(&[1, 5, 5]),
        );
        assert_eq!(distinct.unwrap(), Value::Int(5));
        let distinct = run_with(
            AggregateKind::PercentileCont,
            true,
            Some(Value::Float(0.5)),
            ints(&[1, 5, 5]),
        );
        assert_eq!(distinct.unwrap(), Value::Float(3.0));
        for bad in [1.5, -0.1, f64::NAN] {
            let err = Accumulator::new(
                AggregateKind::PercentileCont,
                false,
                Some(Value::Float(bad)),
            )
            .unwrap_err();
            assert_eq!(
                (err.class, err.code),
                (ErrorClass::ArgumentError, "NumberOutOfRange"),
                "{bad}"
            );
        }
        let err = Accumulator::new(AggregateKind::PercentileDisc, false, None).unwrap_err();
        assert_eq!(err.class, ErrorClass::TypeError);
        let err = Accumulator::new(
            AggregateKind::PercentileDisc,
            false,
            Some(Value::from("0.5")),
        )
        .unwrap_err();
        assert_eq!(err.class, ErrorClass::TypeError);
        assert_eq!(
            disc(0.5, vec![Value::from("a")]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }
}
