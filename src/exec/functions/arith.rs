//! The language's operators on values: arithmetic (`+ - * / % ^`, unary
//! `-`), the string predicates (`STARTS WITH`, `ENDS WITH`, `CONTAINS`) and
//! regular-expression matching (`=~`).
//!
//! * a null operand gives null;
//! * integer arithmetic is checked: overflow is an
//!   `ArithmeticError: IntegerOverflow`, integer division or modulo by zero
//!   an `ArithmeticError: DivisionByZero`; an integer and a float give a
//!   float, and float arithmetic follows IEEE 754 (`1.0 / 0` is
//!   `Infinity`);
//! * `+` also concatenates strings (a number on either side is converted
//!   as `toString` does), concatenates lists, appends or prepends an element
//!   to a list, and adds durations to dates, date-times and durations;
//! * any other combination is a `TypeError: InvalidArgumentType` naming
//!   both types.
//!
//! The arithmetic operators take their operands by value so that list
//! concatenation can reuse the left list's allocation.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use super::invalid_value;
use super::temporal::{
    date_plus, datetime_plus, duration_add, duration_mul, duration_neg, duration_scale,
    local_time_plus, time_plus, zoned_plus,
};
use crate::error::{Error, Result};
use crate::value::Value;

/// `TypeError: InvalidArgumentType` for operator `op` on `a` and `b`.
fn mismatch(op: &str, a: &Value, b: &Value) -> Error {
    Error::invalid_type(format!(
        "cannot apply {op} to {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

fn overflow(op: &str) -> Error {
    Error::arithmetic("IntegerOverflow", format!("integer overflow in {op}"))
}

fn division_by_zero(op: &str) -> Error {
    Error::arithmetic("DivisionByZero", format!("integer {op} by zero"))
}

/// The number as a float, for mixed integer/float arithmetic.
fn float_pair(a: &Value, b: &Value) -> Option<(f64, f64)> {
    Some((a.as_f64()?, b.as_f64()?))
}

/// The text a number contributes to string concatenation.
fn number_text(v: &Value) -> Option<String> {
    matches!(v, Value::Int(_) | Value::Float(_)).then(|| v.literal(None).to_string())
}

/// `a + b`.
pub fn add(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(x), Int(y)) => x.checked_add(y).map(Int).ok_or_else(|| overflow("+")),
        (String(x), String(y)) => Ok(Value::from(format!("{x}{y}"))),
        (String(x), y @ (Int(_) | Float(_))) => Ok(Value::from(format!(
            "{x}{}",
            number_text(&y).unwrap_or_default()
        ))),
        (x @ (Int(_) | Float(_)), String(y)) => Ok(Value::from(format!(
            "{}{y}",
            number_text(&x).unwrap_or_default()
        ))),
        (List(mut x), List(y)) => {
            x.extend(y);
            Ok(List(x))
        }
        (List(mut x), y) => {
            x.push(y);
            Ok(List(x))
        }
        (x, List(mut y)) => {
            y.insert(0, x);
            Ok(List(y))
        }
        (Duration(x), Duration(y)) => duration_add(&x, &y).map(Duration),
        (Date(d), Duration(x)) | (Duration(x), Date(d)) => date_plus(d, &x).map(Date),
        (LocalDateTime(d), Duration(x)) | (Duration(x), LocalDateTime(d)) => {
            datetime_plus(d, &x).map(LocalDateTime)
        }
        (DateTime(d), Duration(x)) | (Duration(x), DateTime(d)) => zoned_plus(&d, &x).map(DateTime),
        (LocalTime(t), Duration(x)) | (Duration(x), LocalTime(t)) => {
            Ok(LocalTime(local_time_plus(t, &x)))
        }
        (Time(t), Duration(x)) | (Duration(x), Time(t)) => Ok(Time(time_plus(t, &x))),
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Float(p + q)),
            None => Err(mismatch("+", &x, &y)),
        },
    }
}

/// `a - b`.
pub fn sub(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(x), Int(y)) => x.checked_sub(y).map(Int).ok_or_else(|| overflow("-")),
        (Duration(x), Duration(y)) => duration_add(&x, &duration_neg(&y)?).map(Duration),
        (Date(d), Duration(x)) => date_plus(d, &duration_neg(&x)?).map(Date),
        (LocalDateTime(d), Duration(x)) => datetime_plus(d, &duration_neg(&x)?).map(LocalDateTime),
        (DateTime(d), Duration(x)) => zoned_plus(&d, &duration_neg(&x)?).map(DateTime),
        (LocalTime(t), Duration(x)) => Ok(LocalTime(local_time_plus(t, &duration_neg(&x)?))),
        (Time(t), Duration(x)) => Ok(Time(time_plus(t, &duration_neg(&x)?))),
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Float(p - q)),
            None => Err(mismatch("-", &x, &y)),
        },
    }
}

/// `a * b`; a duration may be multiplied by an integer.
pub fn mul(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(x), Int(y)) => x.checked_mul(y).map(Int).ok_or_else(|| overflow("*")),
        (Duration(d), Int(k)) | (Int(k), Duration(d)) => duration_mul(&d, k).map(Duration),
        (Duration(d), Float(k)) | (Float(k), Duration(d)) => {
            duration_scale(&d, k, false).map(Duration)
        }
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Float(p * q)),
            None => Err(mismatch("*", &x, &y)),
        },
    }
}

/// `a / b`: integer division truncates toward zero.
pub fn div(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(_), Int(0)) => Err(division_by_zero("division")),
        (Int(x), Int(y)) => x.checked_div(y).map(Int).ok_or_else(|| overflow("/")),
        (Duration(_), Int(0)) => Err(division_by_zero("division")),
        (Duration(d), Int(k)) => duration_scale(&d, k as f64, true).map(Duration),
        (Duration(d), Float(k)) => duration_scale(&d, k, true).map(Duration),
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Float(p / q)),
            None => Err(mismatch("/", &x, &y)),
        },
    }
}

/// `a % b`: the remainder takes the sign of the dividend (as in Java).
pub fn rem(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(_), Int(0)) => Err(division_by_zero("modulo")),
        // Only i64::MIN % -1 fails, and its remainder is 0.
        (Int(x), Int(y)) => Ok(Int(x.checked_rem(y).unwrap_or(0))),
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Float(p % q)),
            None => Err(mismatch("%", &x, &y)),
        },
    }
}

/// `a ^ b`: always a float.
pub fn pow(a: Value, b: Value) -> Result<Value> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (x, y) => match float_pair(&x, &y) {
            Some((p, q)) => Ok(Value::Float(p.powf(q))),
            None => Err(mismatch("^", &x, &y)),
        },
    }
}

/// `-a`.
pub fn neg(a: Value) -> Result<Value> {
    match a {
        Value::Null => Ok(Value::Null),
        Value::Int(x) => x
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| overflow("unary -")),
        Value::Float(x) => Ok(Value::Float(-x)),
        Value::Duration(d) => duration_neg(&d).map(Value::Duration),
        other => Err(Error::invalid_type(format!(
            "cannot apply unary - to {}",
            other.type_name()
        ))),
    }
}

/// The string predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringOp {
    /// `a STARTS WITH b`.
    StartsWith,
    /// `a ENDS WITH b`.
    EndsWith,
    /// `a CONTAINS b`.
    Contains,
}

/// `a STARTS WITH b`, `a ENDS WITH b`, `a CONTAINS b`: null unless both
/// operands are strings.
pub fn string_op(kind: StringOp, a: &Value, b: &Value) -> Result<Value> {
    let (Value::String(a), Value::String(b)) = (a, b) else {
        return Ok(Value::Null);
    };
    Ok(Value::Bool(match kind {
        StringOp::StartsWith => a.starts_with(&**b),
        StringOp::EndsWith => a.ends_with(&**b),
        StringOp::Contains => a.contains(&**b),
    }))
}

/// How many compiled patterns each thread keeps.
const REGEX_CACHE_SIZE: usize = 64;

thread_local! {
    static REGEX_CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// The compiled, anchored form of `pattern`, from this thread's cache.
pub fn compiled(pattern: &str) -> Result<Regex> {
    if let Some(re) = REGEX_CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let invalid =
        |e: regex::Error| invalid_value(format!("invalid regular expression '{pattern}': {e}"));
    // Checking the pattern on its own first guarantees that it cannot
    // close the anchoring group early (`a)|(b` is refused).
    Regex::new(pattern).map_err(invalid)?;
    // A pattern ending inside an `(?x)` comment swallows the closing `)$`;
    // a newline (insignificant whitespace in that mode) ends the comment.
    let re = Regex::new(&format!("^(?:{pattern})$"))
        .or_else(|_| Regex::new(&format!("^(?:{pattern}\n)$")))
        .map_err(invalid)?;
    REGEX_CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= REGEX_CACHE_SIZE {
            // Evict an arbitrary entry: good enough for the few patterns a
            // query uses, and bounded for a session running many.
            if let Some(key) = cache.keys().next().cloned() {
                cache.remove(&key);
            }
        }
        cache.insert(pattern.to_owned(), re.clone());
    });
    Ok(re)
}

/// `a =~ b`: whether the whole of string `a` matches the regular
/// expression `b` (Rust `regex` syntax, which lacks look-around and
/// back-references). Null unless both operands are strings; an invalid
/// pattern is an `ArgumentError: InvalidArgumentValue`.
pub fn regex_match(a: &Value, b: &Value) -> Result<Value> {
    let (Value::String(text), Value::String(pattern)) = (a, b) else {
        return Ok(Value::Null);
    };
    Ok(Value::Bool(compiled(pattern)?.is_match(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorClass;
    use crate::value::Duration;

    fn ints(items: &[i64]) -> Value {
        Value::List(items.iter().map(|i| Value::Int(*i)).collect())
    }

    fn class_code(r: Result<Value>) -> (ErrorClass, &'static str) {
        let e = r.unwrap_err();
        (e.class, e.code)
    }

    #[test]
    fn integer_arithmetic_is_checked() {
        assert_eq!(add(Value::Int(2), Value::Int(3)).unwrap(), Value::Int(5));
        assert_eq!(sub(Value::Int(2), Value::Int(3)).unwrap(), Value::Int(-1));
        assert_eq!(mul(Value::Int(4), Value::Int(-3)).unwrap(), Value::Int(-12));
        assert_eq!(div(Value::Int(7), Value::Int(2)).unwrap(), Value::Int(3));
        assert_eq!(div(Value::Int(-7), Value::Int(2)).unwrap(), Value::Int(-3));
        assert_eq!(rem(Value::Int(-7), Value::Int(3)).unwrap(), Value::Int(-1));
        assert_eq!(
            rem(Value::Int(i64::MIN), Value::Int(-1)).unwrap(),
            Value::Int(0)
        );
        let overflow = (ErrorClass::ArithmeticError, "IntegerOverflow");
        assert_eq!(
            class_code(add(Value::Int(i64::MAX), Value::Int(1))),
            overflow
        );
        assert_eq!(
            class_code(sub(Value::Int(i64::MIN), Value::Int(1))),
            overflow
        );
        assert_eq!(
            class_code(mul(Value::Int(i64::MAX), Value::Int(2))),
            overflow
        );
        assert_eq!(
            class_code(div(Value::Int(i64::MIN), Value::Int(-1))),
            overflow
        );
        assert_eq!(class_code(neg(Value::Int(i64::MIN))), overflow);
        let by_zero = (ErrorClass::ArithmeticError, "DivisionByZero");
        assert_eq!(class_code(div(Value::Int(1), Value::Int(0))), by_zero);
        assert_eq!(class_code(rem(Value::Int(1), Value::Int(0))), by_zero);
        assert_eq!(neg(Value::Int(5)).unwrap(), Value::Int(-5));
    }

    #[test]
    fn floats_and_mixed_numbers() {
        assert_eq!(
            add(Value::Int(1), Value::Float(0.5)).unwrap(),
            Value::Float(1.5)
        );
        assert_eq!(
            sub(Value::Float(1.0), Value::Int(3)).unwrap(),
            Value::Float(-2.0)
        );
        assert_eq!(
            mul(Value::Float(1.5), Value::Int(2)).unwrap(),
            Value::Float(3.0)
        );
        assert_eq!(
            div(Value::Int(1), Value::Float(4.0)).unwrap(),
            Value::Float(0.25)
        );
        assert_eq!(
            div(Value::Float(1.0), Value::Int(0)).unwrap(),
            Value::Float(f64::INFINITY)
        );
        assert_eq!(
            div(Value::Int(-1), Value::Float(0.0)).unwrap(),
            Value::Float(f64::NEG_INFINITY)
        );
        assert!(
            matches!(div(Value::Float(0.0), Value::Float(0.0)).unwrap(), Value::Float(f) if f.is_nan())
        );
        assert!(
            matches!(rem(Value::Int(1), Value::Float(0.0)).unwrap(), Value::Float(f) if f.is_nan())
        );
        assert_eq!(
            rem(Value::Float(7.5), Value::Int(2)).unwrap(),
            Value::Float(1.5)
        );
        assert_eq!(
            pow(Value::Int(2), Value::Int(3)).unwrap(),
            Value::Float(8.0)
        );
        assert_eq!(
            pow(Value::Int(4), Value::Float(0.5)).unwrap(),
            Value::Float(2.0)
        );
        assert_eq!(neg(Value::Float(1.5)).unwrap(), Value::Float(-1.5));
        assert_eq!(
            add(Value::Int(i64::MAX), Value::Float(1.0)).unwrap(),
            Value::Float(9_223_372_036_854_775_808.0)
        );
    }

    #[test]
    fn nulls_propagate() {
        for op in [add, sub, mul, div, rem, pow] {
            assert_eq!(op(Value::Null, Value::Int(1)).unwrap(), Value::Null);
            assert_eq!(op(Value::Int(1), Value::Null).unwrap(), Value::Null);
            assert_eq!(op(Value::from("a"), Value::Null).unwrap(), Value::Null);
        }
        assert_eq!(add(ints(&[1]), Value::Null).unwrap(), Value::Null);
        assert_eq!(neg(Value::Null).unwrap(), Value::Null);
        assert_eq!(div(Value::Null, Value::Int(0)).unwrap(), Value::Null);
    }

    #[test]
    fn plus_on_strings_and_lists() {
        assert_eq!(
            add(Value::from("kg"), Value::from("q")).unwrap(),
            Value::from("kgq")
        );
        assert_eq!(
            add(Value::from("n"), Value::Int(1)).unwrap(),
            Value::from("n1")
        );
        assert_eq!(
            add(Value::Float(1.0), Value::from("x")).unwrap(),
            Value::from("1.0x")
        );
        assert_eq!(add(ints(&[1, 2]), ints(&[3])).unwrap(), ints(&[1, 2, 3]));
        assert_eq!(add(ints(&[1]), Value::Int(2)).unwrap(), ints(&[1, 2]));
        assert_eq!(add(Value::Int(0), ints(&[1])).unwrap(), ints(&[0, 1]));
        assert_eq!(add(ints(&[]), ints(&[])).unwrap(), ints(&[]));
        assert_eq!(
            add(ints(&[1]), Value::from("a")).unwrap(),
            Value::List(vec![Value::Int(1), Value::from("a")].into())
        );
    }

    #[test]
    fn type_errors_name_both_types() {
        let err = add(Value::Bool(true), Value::Int(1)).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentType")
        );
        assert!(
            err.message.contains("Boolean") && err.message.contains("Integer"),
            "{}",
            err.message
        );
        assert_eq!(
            class_code(sub(Value::from("a"), Value::Int(1))).0,
            ErrorClass::TypeError
        );
        assert_eq!(
            class_code(add(Value::from("a"), Value::Bool(true))).0,
            ErrorClass::TypeError
        );
        assert_eq!(
            class_code(mul(Value::from("a"), Value::Int(2))).0,
            ErrorClass::TypeError
        );
        assert_eq!(
            class_code(div(ints(&[]), Value::Int(2))).0,
            ErrorClass::TypeError
        );
        assert_eq!(
            class_code(rem(Value::Int(2), Value::Bool(false))).0,
            ErrorClass::TypeError
        );
        assert_eq!(
            class_code(pow(Value::from("2"), Value::Int(2))).0,
            ErrorClass::TypeError
        );
        assert_eq!(class_code(neg(Value::from("a"))).0, ErrorClass::TypeError);
        let d = Value::Duration(Duration::default());
        let date = Value::Date(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        assert_eq!(
            class_code(sub(d.clone(), date.clone())).0,
            ErrorClass::TypeError
        );
        assert_eq!(class_code(sub(date.clone(), date)).0, ErrorClass::TypeError);
        assert_eq!(
            class_code(mul(d.clone(), Value::from("x"))).0,
            ErrorClass::TypeError
        );
        assert_eq!(class_code(div(d, Value::Int(0))).1, "DivisionByZero");
    }

    #[test]
    fn durations_scale_by_floats_and_times_wrap() {
        let d = Duration {
            months: 149,
            days: 14,
            seconds: 58_390,
            nanos: 1,
        };
        let half = Duration {
            months: 74,
            days: 22,
            seconds: 48_068,
            nanos: 0,
        };
        assert_eq!(
            mul(Value::Duration(d), Value::Float(0.5)).unwrap(),
            Value::Duration(half)
        );
        assert_eq!(
            div(Value::Duration(d), Value::Int(2)).unwrap(),
            Value::Duration(half)
        );
        let noon = chrono::NaiveTime::from_hms_opt(23, 0, 0).unwrap();
        let two_hours = Duration {
            months: 5,
            days: 3,
            seconds: 7200,
            nanos: 0,
        };
        assert_eq!(
            add(Value::LocalTime(noon), Value::Duration(two_hours)).unwrap(),
            Value::LocalTime(chrono::NaiveTime::from_hms_opt(1, 0, 0).unwrap())
        );
        assert_eq!(
            sub(Value::LocalTime(noon), Value::Duration(two_hours)).unwrap(),
            Value::LocalTime(chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap())
        );
    }

    #[test]
    fn temporal_arithmetic() {
        let ymd = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let month = Duration {
            months: 1,
            days: 0,
            seconds: 0,
            nanos: 0,
        };
        let day_and_hour = Duration {
            months: 0,
            days: 1,
            seconds: 3600,
            nanos: 0,
        };
        assert_eq!(
            add(Value::Date(ymd(2025, 1, 31)), Value::Duration(month)).unwrap(),
            Value::Date(ymd(2025, 2, 28))
        );
        assert_eq!(
            add(Value::Duration(month), Value::Date(ymd(2025, 1, 15))).unwrap(),
            Value::Date(ymd(2025, 2, 15))
        );
        assert_eq!(
            sub(Value::Date(ymd(2025, 3, 31)), Value::Duration(month)).unwrap(),
            Value::Date(ymd(2025, 2, 28))
        );
        let dt = ymd(2025, 1, 1).and_hms_opt(23, 30, 0).unwrap();
        assert_eq!(
            add(Value::LocalDateTime(dt), Value::Duration(day_and_hour)).unwrap(),
            Value::LocalDateTime(ymd(2025, 1, 3).and_hms_opt(0, 30, 0).unwrap())
        );
        assert_eq!(
            sub(Value::LocalDateTime(dt), Value::Duration(day_and_hour)).unwrap(),
            Value::LocalDateTime(ymd(2024, 12, 31).and_hms_opt(22, 30, 0).unwrap())
        );
        assert_eq!(
            add(Value::Duration(month), Value::Duration(day_and_hour)).unwrap(),
            Value::Duration(Duration {
                months: 1,
                days: 1,
                seconds: 3600,
                nanos: 0
            })
        );
        assert_eq!(
            sub(Value::Duration(month), Value::Duration(day_and_hour)).unwrap(),
            Value::Duration(Duration {
                months: 1,
                days: -1,
                seconds: -3600,
                nanos: 0
            })
        );
        assert_eq!(
            mul(Value::Int(3), Value::Duration(day_and_hour)).unwrap(),
            Value::Duration(Duration {
                months: 0,
                days: 3,
                seconds: 10_800,
                nanos: 0
            })
        );
        assert_eq!(
            neg(Value::Duration(month)).unwrap(),
            Value::Duration(Duration {
                months: -1,
                days: 0,
                seconds: 0,
                nanos: 0
            })
        );
        let huge = Duration {
            months: i64::MAX,
            days: 0,
            seconds: 0,
            nanos: 0,
        };
        assert_eq!(
            class_code(add(Value::Duration(huge), Value::Duration(month))).1,
            "IntegerOverflow"
        );
        assert_eq!(
            class_code(add(Value::Date(ymd(2025, 1, 1)), Value::Duration(huge))).1,
            "DateOutOfRange"
        );
    }

    #[test]
    fn string_predicates() {
        let s = Value::from("graph→db");
        assert_eq!(
            string_op(StringOp::StartsWith, &s, &Value::from("gra")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            string_op(StringOp::EndsWith, &s, &Value::from("→db")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            string_op(StringOp::Contains, &s, &Value::from("ph→")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            string_op(StringOp::Contains, &s, &Value::from("x")).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            string_op(StringOp::StartsWith, &s, &Value::from("")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            string_op(StringOp::Contains, &s, &Value::Null).unwrap(),
            Value::Null
        );
        assert_eq!(
            string_op(StringOp::Contains, &Value::Int(12), &Value::from("1")).unwrap(),
            Value::Null
        );
        assert_eq!(
            string_op(StringOp::EndsWith, &s, &Value::Int(1)).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn regular_expressions_match_whole_strings() {
        let s = Value::from("kgq-2025");
        assert_eq!(
            regex_match(&s, &Value::from("kgq-\\d+")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            regex_match(&s, &Value::from("kgq")).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            regex_match(&s, &Value::from("a|kgq-2025")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            regex_match(&s, &Value::from("(?i)KGQ.*")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            regex_match(&Value::from("日本"), &Value::from("..")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(regex_match(&s, &Value::Null).unwrap(), Value::Null);
        assert_eq!(
            regex_match(&Value::Int(1), &Value::from("1")).unwrap(),
            Value::Null
        );
        assert_eq!(
            class_code(regex_match(&s, &Value::from("(unclosed"))),
            (ErrorClass::ArgumentError, "InvalidArgumentValue")
        );
        // A pattern cannot break out of the anchoring.
        assert_eq!(
            class_code(regex_match(&s, &Value::from("x)|(kgq"))).0,
            ErrorClass::ArgumentError
        );
        assert_eq!(
            regex_match(&s, &Value::from("(?x) kgq - \\d+ # year")).unwrap(),
            Value::Bool(true)
        );
        // The cache stays bounded and keeps answering correctly.
        for i in 0..200 {
            let pattern = Value::from(format!("x{i}"));
            assert_eq!(
                regex_match(&Value::from(format!("x{i}")), &pattern).unwrap(),
                Value::Bool(true)
            );
        }
        assert!(REGEX_CACHE.with(|c| c.borrow().len()) <= REGEX_CACHE_SIZE);
        assert_eq!(
            regex_match(&s, &Value::from("kgq-\\d+")).unwrap(),
            Value::Bool(true)
        );
    }
}
