//! Conversion functions: `toInteger`, `toFloat`, `toString`, `toBoolean`,
//! their `…OrNull` forms and their `…List` forms.
//!
//! Choices where openCypher leaves room:
//!
//! * strings that do not parse give null (never an error); surrounding
//!   whitespace is ignored, as Java's `Double.parseDouble` does;
//! * `toInteger` truncates floats toward zero, also for strings such as
//!   `'4.7'` (→ 4); a float that is NaN, infinite or outside the range of
//!   64-bit integers is an `ArgumentError: NumberOutOfRange`, while such a
//!   string (`'1e30'`) gives null like any other string that does not
//!   denote an integer;
//! * a value of a type the conversion does not accept (a list, a map, a
//!   node, …) is a type error for the plain form and null for the
//!   `…OrNull` form.

use super::{arg, out_of_range, type_error};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::value::Value;

/// The float `f` truncated toward zero, if it is finite and in range.
fn float_to_int(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every float below it and at or above
    // -2^63 truncates into range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.trunc() < LIMIT && f.trunc() >= -LIMIT).then(|| f.trunc() as i64)
}

/// The integer a string denotes: an integer literal, or a float literal
/// truncated toward zero.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>()
        .ok()
        .or_else(|| parse_float(t).and_then(float_to_int))
}

/// The float a string denotes (also `NaN`, `Infinity`, `-Infinity`).
fn parse_float(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok()
}

/// A value of a type a conversion cannot take: `TypeError:
/// InvalidArgumentValue`, the code the openCypher TCK uses for conversions.
fn not_convertible(name: &str, expected: &str, got: &Value) -> Error {
    Error::type_error(
        "InvalidArgumentValue",
        format!("{name}() expects {expected}, got {}", got.type_name()),
    )
}

/// The conversion of `value` to an integer: `Ok(None)` means "null".
fn integer_of(value: &Value) -> Result<Option<i64>> {
    match value {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Float(f) => float_to_int(*f).map(Some).ok_or_else(|| {
            out_of_range(format!("toInteger(): {f} is out of the range of integers"))
        }),
        Value::Bool(b) => Ok(Some(i64::from(*b))),
        Value::String(s) => Ok(parse_int(s)),
        other => Err(not_convertible(
            "toInteger",
            "a number, a boolean or a string",
            other,
        )),
    }
}

/// The conversion of `value` to a float: `Ok(None)` means "null".
fn float_of(value: &Value) -> Result<Option<f64>> {
    match value {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        Value::String(s) => Ok(parse_float(s)),
        other => Err(not_convertible("toFloat", "a number or a string", other)),
    }
}

/// The conversion of `value` to a boolean: `Ok(None)` means "null".
fn boolean_of(value: &Value) -> Result<Option<bool>> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Int(i) => Ok(Some(*i != 0)),
        Value::String(s) => {
            let t = s.trim();
            Ok(if t.eq_ignore_ascii_case("true") {
                Some(true)
            } else if t.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            })
        }
        other => Err(not_convertible(
            "toBoolean",
            "a boolean, an integer or a string",
            other,
        )),
    }
}

/// The conversion of `value` to a string: `Ok(None)` means "null". Floats
/// print as the language writes them (`1.0`, `NaN`), temporal values in
/// ISO 8601.
fn string_of(value: &Value) -> Result<Option<String>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.to_string())),
        Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Date(_)
        | Value::LocalDateTime(_)
        | Value::DateTime(_)
        | Value::LocalTime(_)
        | Value::Time(_)
        | Value::Duration(_) => Ok(Some(value.literal(None).to_string())),
        other => Err(not_convertible(
            "toString",
            "a number, a boolean, a string or a temporal value",
            other,
        )),
    }
}

/// `toInteger(x)`.
pub fn to_integer(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(integer_of(arg(args, 0))?.into())
}

/// `toIntegerOrNull(x)`: null wherever `toInteger` fails.
pub fn to_integer_or_null(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(integer_of(arg(args, 0)).ok().flatten().into())
}

/// `toFloat(x)`.
pub fn to_float(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(float_of(arg(args, 0))?.into())
}

/// `toFloatOrNull(x)`.
pub fn to_float_or_null(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(float_of(arg(args, 0)).ok().flatten().into())
}

/// `toBoolean(x)`.
pub fn to_boolean(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(boolean_of(arg(args, 0))?.into())
}

/// `toBooleanOrNull(x)`.
pub fn to_boolean_or_null(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(boolean_of(arg(args, 0)).ok().flatten().into())
}

/// `toString(x)`.
pub fn to_string(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(string_of(arg(args, 0))?.into())
}

/// `toStringOrNull(x)`.
pub fn to_string_or_null(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(string_of(arg(args, 0)).ok().flatten().into())
}

/// Converts each element of a list argument with `convert`, null for
/// elements it cannot convert.
fn list_of<T: Into<Value>>(
    name: &str,
    args: &[Value],
    convert: fn(&Value) -> Result<Option<T>>,
) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(
            items
                .iter()
                .map(|v| convert(v).ok().flatten().into())
                .collect(),
        )),
        other => Err(type_error(name, "a list", other)),
    }
}

/// `toIntegerList(list)`.
pub fn to_integer_list(args: &[Value], _: &Graph) -> Result<Value> {
    list_of("toIntegerList", args, integer_of)
}

/// `toFloatList(list)`.
pub fn to_float_list(args: &[Value], _: &Graph) -> Result<Value> {
    list_of("toFloatList", args, float_of)
}

/// `toStringList(list)`.
pub fn to_string_list(args: &[Value], _: &Graph) -> Result<Value> {
    list_of("toStringList", args, string_of)
}

/// `toBooleanList(list)`.
pub fn to_boolean_list(args: &[Value], _: &Graph) -> Result<Value> {
    list_of("toBooleanList", args, boolean_of)
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorClass;
    use crate::exec::functions::call;
    use crate::value::{Duration, Value};

    fn one(name: &str, v: Value) -> crate::error::Result<Value> {
        call(name, vec![v])
    }

    #[test]
    fn to_integer() {
        assert_eq!(one("toInteger", Value::from("42")).unwrap(), Value::Int(42));
        assert_eq!(
            one("toInteger", Value::from(" -7 ")).unwrap(),
            Value::Int(-7)
        );
        assert_eq!(one("toInteger", Value::from("4.7")).unwrap(), Value::Int(4));
        assert_eq!(
            one("toInteger", Value::from("-4.7")).unwrap(),
            Value::Int(-4)
        );
        assert_eq!(
            one("toInteger", Value::from("1e3")).unwrap(),
            Value::Int(1000)
        );
        assert_eq!(
            one("toInteger", Value::from("9223372036854775807")).unwrap(),
            Value::Int(i64::MAX)
        );
        assert_eq!(one("toInteger", Value::from("1e30")).unwrap(), Value::Null);
        assert_eq!(one("toInteger", Value::from("NaN")).unwrap(), Value::Null);
        assert_eq!(one("toInteger", Value::from("forty")).unwrap(), Value::Null);
        assert_eq!(one("toInteger", Value::Float(3.99)).unwrap(), Value::Int(3));
        assert_eq!(
            one("toInteger", Value::Float(-3.99)).unwrap(),
            Value::Int(-3)
        );
        assert_eq!(
            one("toInteger", Value::Float(-9_223_372_036_854_775_808.0)).unwrap(),
            Value::Int(i64::MIN)
        );
        assert_eq!(one("toInteger", Value::Bool(true)).unwrap(), Value::Int(1));
        assert_eq!(one("toInteger", Value::Null).unwrap(), Value::Null);
        let err = one("toInteger", Value::Float(9_223_372_036_854_775_808.0)).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "NumberOutOfRange")
        );
        assert_eq!(
            one("toInteger", Value::Float(f64::NAN)).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let err = one("toInteger", Value::List(vec![].into())).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentValue")
        );
        assert_eq!(
            one("toIntegerOrNull", Value::List(vec![].into())).unwrap(),
            Value::Null
        );
        assert_eq!(
            one("toIntegerOrNull", Value::Float(1e30)).unwrap(),
            Value::Null
        );
        assert_eq!(
            one("toIntegerOrNull", Value::from("12")).unwrap(),
            Value::Int(12)
        );
    }

    #[test]
    fn to_float() {
        assert_eq!(
            one("toFloat", Value::from("4.5")).unwrap(),
            Value::Float(4.5)
        );
        assert_eq!(
            one("toFloat", Value::from(" 1e2 ")).unwrap(),
            Value::Float(100.0)
        );
        assert_eq!(one("toFloat", Value::Int(3)).unwrap(), Value::Float(3.0));
        assert_eq!(
            one("toFloat", Value::Float(2.5)).unwrap(),
            Value::Float(2.5)
        );
        assert_eq!(one("toFloat", Value::from("x")).unwrap(), Value::Null);
        assert_eq!(one("toFloat", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            one("toFloat", Value::Bool(true)).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(
            one("toFloatOrNull", Value::Bool(true)).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn to_boolean() {
        assert_eq!(
            one("toBoolean", Value::from("TRUE")).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            one("toBoolean", Value::from("False")).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(one("toBoolean", Value::from("yes")).unwrap(), Value::Null);
        assert_eq!(
            one("toBoolean", Value::Bool(false)).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(one("toBoolean", Value::Int(0)).unwrap(), Value::Bool(false));
        assert_eq!(one("toBoolean", Value::Int(-3)).unwrap(), Value::Bool(true));
        assert_eq!(one("toBoolean", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            one("toBoolean", Value::Float(1.0)).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(
            one("toBooleanOrNull", Value::Float(1.0)).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn to_string() {
        assert_eq!(
            one("toString", Value::Float(1.0)).unwrap(),
            Value::from("1.0")
        );
        assert_eq!(
            one("toString", Value::Float(0.1)).unwrap(),
            Value::from("0.1")
        );
        assert_eq!(
            one("toString", Value::Float(f64::NAN)).unwrap(),
            Value::from("NaN")
        );
        assert_eq!(
            one("toString", Value::Int(-12)).unwrap(),
            Value::from("-12")
        );
        assert_eq!(
            one("toString", Value::Bool(true)).unwrap(),
            Value::from("true")
        );
        assert_eq!(
            one("toString", Value::from("it's")).unwrap(),
            Value::from("it's")
        );
        let date = chrono::NaiveDate::from_ymd_opt(2025, 2, 10).unwrap();
        assert_eq!(
            one("toString", Value::Date(date)).unwrap(),
            Value::from("2025-02-10")
        );
        let dt = date.and_hms_opt(7, 5, 0).unwrap();
        assert_eq!(
            one("toString", Value::LocalDateTime(dt)).unwrap(),
            Value::from("2025-02-10T07:05")
        );
        let d = Duration {
            months: 14,
            days: 0,
            seconds: 3600,
            nanos: 0,
        };
        assert_eq!(
            one("toString", Value::Duration(d)).unwrap(),
            Value::from("P1Y2MT1H")
        );
        assert_eq!(one("toString", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            one("toString", Value::List(vec![].into()))
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
        assert_eq!(
            one("toStringOrNull", Value::List(vec![].into())).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn list_conversions() {
        let mixed = Value::List(
            vec![
                Value::from("1"),
                Value::from("x"),
                Value::Float(2.7),
                Value::Null,
                Value::List(vec![].into()),
            ]
            .into(),
        );
        assert_eq!(
            one("toIntegerList", mixed.clone()).unwrap(),
            Value::List(
                vec![
                    Value::Int(1),
                    Value::Null,
                    Value::Int(2),
                    Value::Null,
                    Value::Null
                ]
                .into()
            )
        );
        assert_eq!(
            one("toFloatList", mixed.clone()).unwrap(),
            Value::List(
                vec![
                    Value::Float(1.0),
                    Value::Null,
                    Value::Float(2.7),
                    Value::Null,
                    Value::Null
                ]
                .into()
            )
        );
        assert_eq!(
            one("toStringList", mixed).unwrap(),
            Value::List(
                vec![
                    Value::from("1"),
                    Value::from("x"),
                    Value::from("2.7"),
                    Value::Null,
                    Value::Null
                ]
                .into()
            )
        );
        assert_eq!(
            one(
                "toBooleanList",
                Value::List(vec![Value::from("true"), Value::Int(0), Value::Float(1.0)].into())
            )
            .unwrap(),
            Value::List(vec![Value::Bool(true), Value::Bool(false), Value::Null].into())
        );
        assert_eq!(one("toIntegerList", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            one("toIntegerList", Value::Int(1)).unwrap_err().class,
            ErrorClass::TypeError
        );
    }
}
