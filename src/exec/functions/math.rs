//! Numeric functions: absolute value, rounding, sign, roots, logarithms,
//! trigonometry, constants and random numbers. Results are floats except
//! for `abs` of an integer and `sign`.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use super::{arg, overflow, type_error};
use crate::error::Result;
use crate::graph::Graph;
use crate::value::Value;

/// The numeric argument `i` of `name` as a float: `Ok(None)` for null.
fn num_arg(name: &str, args: &[Value], i: usize) -> Result<Option<f64>> {
    match arg(args, i) {
        Value::Null => Ok(None),
        Value::Int(n) => Ok(Some(*n as f64)),
        Value::Float(f) => Ok(Some(*f)),
        other => Err(type_error(name, "a number", other)),
    }
}

/// A float function of one number; null passes through.
fn unary(name: &str, args: &[Value], f: impl FnOnce(f64) -> f64) -> Result<Value> {
    Ok(num_arg(name, args, 0)?.map_or(Value::Null, |x| Value::Float(f(x))))
}

/// `abs(x)`: an integer stays an integer; `abs(i64::MIN)` is an
/// `ArithmeticError: IntegerOverflow`.
pub fn abs(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Int(n) => n
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| overflow("abs()")),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        other => Err(type_error("abs", "a number", other)),
    }
}

/// `ceil(x)` as a float.
pub fn ceil(args: &[Value], _: &Graph) -> Result<Value> {
    unary("ceil", args, f64::ceil)
}

/// `floor(x)` as a float.
pub fn floor(args: &[Value], _: &Graph) -> Result<Value> {
    unary("floor", args, f64::floor)
}

/// Rounds to the nearest integral float with ties toward positive infinity,
/// as Neo4j (Java's `Math.round`) does: `round(2.5) = 3.0`,
/// `round(-1.5) = -1.0`, `round(-2.5) = -2.0`. NaN and infinities are kept.
pub fn round_half_up(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let floor = x.floor();
    // `x - floor` is exact for every finite float, so 0.49999999999999994
    // rounds to 0 (unlike `(x + 0.5).floor()`).
    if x - floor >= 0.5 { floor + 1.0 } else { floor }
}

/// `round(x)`: see [`round_half_up`].
pub fn round(args: &[Value], _: &Graph) -> Result<Value> {
    unary("round", args, round_half_up)
}

/// `sign(x)`: the integer -1, 0 or 1; `sign(NaN)` is 0 (as Neo4j's cast of
/// `Math.signum` gives).
pub fn sign(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Int(n) => Ok(Value::Int(n.signum())),
        Value::Float(f) if f.is_nan() || *f == 0.0 => Ok(Value::Int(0)),
        Value::Float(f) => Ok(Value::Int(if *f > 0.0 { 1 } else { -1 })),
        other => Err(type_error("sign", "a number", other)),
    }
}

/// `sqrt(x)`; NaN for negative numbers.
pub fn sqrt(args: &[Value], _: &Graph) -> Result<Value> {
    unary("sqrt", args, f64::sqrt)
}

/// `exp(x)`.
pub fn exp(args: &[Value], _: &Graph) -> Result<Value> {
    unary("exp", args, f64::exp)
}

/// `log(x)`: natural logarithm; `-Infinity` at 0, NaN below.
pub fn log(args: &[Value], _: &Graph) -> Result<Value> {
    unary("log", args, f64::ln)
}

/// `log10(x)`.
pub fn log10(args: &[Value], _: &Graph) -> Result<Value> {
    unary("log10", args, f64::log10)
}

/// `e()`.
pub fn e(_: &[Value], _: &Graph) -> Result<Value> {
    Ok(Value::Float(std::f64::consts::E))
}

/// `pi()`.
pub fn pi(_: &[Value], _: &Graph) -> Result<Value> {
    Ok(Value::Float(std::f64::consts::PI))
}

/// `sin(x)`.
pub fn sin(args: &[Value], _: &Graph) -> Result<Value> {
    unary("sin", args, f64::sin)
}

/// `cos(x)`.
pub fn cos(args: &[Value], _: &Graph) -> Result<Value> {
    unary("cos", args, f64::cos)
}

/// `tan(x)`.
pub fn tan(args: &[Value], _: &Graph) -> Result<Value> {
    unary("tan", args, f64::tan)
}

/// `cot(x)`: `1 / tan(x)`; `Infinity` at 0.
pub fn cot(args: &[Value], _: &Graph) -> Result<Value> {
    unary("cot", args, |x| 1.0 / x.tan())
}

/// `asin(x)`; NaN outside [-1, 1].
pub fn asin(args: &[Value], _: &Graph) -> Result<Value> {
    unary("asin", args, f64::asin)
}

/// `acos(x)`; NaN outside [-1, 1].
pub fn acos(args: &[Value], _: &Graph) -> Result<Value> {
    unary("acos", args, f64::acos)
}

/// `atan(x)`.
pub fn atan(args: &[Value], _: &Graph) -> Result<Value> {
    unary("atan", args, f64::atan)
}

/// `atan2(y, x)`.
pub fn atan2(args: &[Value], _: &Graph) -> Result<Value> {
    let y = num_arg("atan2", args, 0)?;
    let x = num_arg("atan2", args, 1)?;
    Ok(match (y, x) {
        (Some(y), Some(x)) => Value::Float(y.atan2(x)),
        _ => Value::Null,
    })
}

/// `haversin(x)`: `(1 - cos(x)) / 2`.
pub fn haversin(args: &[Value], _: &Graph) -> Result<Value> {
    unary("haversin", args, |x| (1.0 - x.cos()) / 2.0)
}

/// `degrees(x)`: radians to degrees.
pub fn degrees(args: &[Value], _: &Graph) -> Result<Value> {
    unary("degrees", args, f64::to_degrees)
}

/// `radians(x)`: degrees to radians.
pub fn radians(args: &[Value], _: &Graph) -> Result<Value> {
    unary("radians", args, f64::to_radians)
}

thread_local! {
    /// The state of this thread's random generator (splitmix64), seeded
    /// from the standard library's per-process random hasher keys.
    static RNG: Cell<u64> = Cell::new(RandomState::new().hash_one(std::process::id()) | 1);
}

/// A random float in `[0, 1)` from a thread-local splitmix64 generator
/// (not cryptographic).
pub fn random_unit() -> f64 {
    super::note_impure_read();
    let bits = RNG.with(|state| {
        let s = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    });
    // The top 53 bits, scaled into [0, 1).
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// `rand()`: see [`random_unit`].
pub fn rand(_: &[Value], _: &Graph) -> Result<Value> {
    Ok(Value::Float(random_unit()))
}

/// `isNaN(x)`: false for integers.
pub fn is_nan(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Int(_) => Ok(Value::Bool(false)),
        Value::Float(f) => Ok(Value::Bool(f.is_nan())),
        other => Err(type_error("isNaN", "a number", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::round_half_up;
    use crate::error::ErrorClass;
    use crate::exec::functions::call;
    use crate::value::Value;

    fn float(name: &str, x: Value) -> f64 {
        match call(name, vec![x]) {
            Ok(Value::Float(f)) => f,
            other => panic!("{name}: expected a float, got {other:?}"),
        }
    }

    #[test]
    fn abs_keeps_integers_and_checks_overflow() {
        assert_eq!(call("abs", vec![Value::Int(-3)]).unwrap(), Value::Int(3));
        assert_eq!(
            call("abs", vec![Value::Float(-2.5)]).unwrap(),
            Value::Float(2.5)
        );
        assert_eq!(
            call("abs", vec![Value::Int(i64::MAX)]).unwrap(),
            Value::Int(i64::MAX)
        );
        assert_eq!(call("abs", vec![Value::Null]).unwrap(), Value::Null);
        let err = call("abs", vec![Value::Int(i64::MIN)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArithmeticError, "IntegerOverflow")
        );
        let err = call("abs", vec![Value::from("1")]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentType")
        );
    }

    #[test]
    fn rounding_follows_neo4j() {
        assert_eq!(round_half_up(2.5), 3.0);
        assert_eq!(round_half_up(-1.5), -1.0);
        assert_eq!(round_half_up(-2.5), -2.0);
        assert_eq!(round_half_up(-2.6), -3.0);
        assert_eq!(round_half_up(0.49999999999999994), 0.0);
        assert_eq!(round_half_up(1e300), 1e300);
        assert!(round_half_up(f64::NAN).is_nan());
        assert_eq!(
            call("round", vec![Value::Int(3)]).unwrap(),
            Value::Float(3.0)
        );
        assert_eq!(
            call("round", vec![Value::Float(3.25)]).unwrap(),
            Value::Float(3.0)
        );
        assert_eq!(
            call("ceil", vec![Value::Float(0.1)]).unwrap(),
            Value::Float(1.0)
        );
        assert_eq!(
            call("floor", vec![Value::Float(-0.1)]).unwrap(),
            Value::Float(-1.0)
        );
        assert_eq!(
            call("ceil", vec![Value::Int(2)]).unwrap(),
            Value::Float(2.0)
        );
        assert_eq!(call("floor", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("ceil", vec![Value::Bool(true)]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn sign_is_an_integer() {
        assert_eq!(call("sign", vec![Value::Int(-7)]).unwrap(), Value::Int(-1));
        assert_eq!(call("sign", vec![Value::Int(0)]).unwrap(), Value::Int(0));
        assert_eq!(
            call("sign", vec![Value::Float(0.5)]).unwrap(),
            Value::Int(1)
        );
        assert_eq!(
            call("sign", vec![Value::Float(-0.0)]).unwrap(),
            Value::Int(0)
        );
        assert_eq!(
            call("sign", vec![Value::Float(f64::NAN)]).unwrap(),
            Value::Int(0)
        );
        assert_eq!(call("sign", vec![Value::Null]).unwrap(), Value::Null);
    }

    #[test]
    fn roots_logs_and_trigonometry() {
        assert_eq!(float("sqrt", Value::Int(16)), 4.0);
        assert!(float("sqrt", Value::Int(-1)).is_nan());
        assert_eq!(float("exp", Value::Int(0)), 1.0);
        assert_eq!(float("log", Value::Float(std::f64::consts::E)), 1.0);
        assert_eq!(float("log", Value::Int(0)), f64::NEG_INFINITY);
        assert_eq!(float("log10", Value::Int(1000)), 3.0);
        assert_eq!(
            call("e", vec![]).unwrap(),
            Value::Float(std::f64::consts::E)
        );
        assert_eq!(
            call("pi", vec![]).unwrap(),
            Value::Float(std::f64::consts::PI)
        );
        assert!((float("sin", Value::Float(std::f64::consts::FRAC_PI_2)) - 1.0).abs() < 1e-12);
        assert_eq!(float("cos", Value::Int(0)), 1.0);
        assert!((float("tan", Value::Float(std::f64::consts::FRAC_PI_4)) - 1.0).abs() < 1e-12);
        assert!((float("cot", Value::Float(std::f64::consts::FRAC_PI_4)) - 1.0).abs() < 1e-12);
        assert_eq!(float("asin", Value::Int(1)), std::f64::consts::FRAC_PI_2);
        assert_eq!(float("acos", Value::Int(1)), 0.0);
        assert!(float("acos", Value::Int(2)).is_nan());
        assert_eq!(float("atan", Value::Int(0)), 0.0);
        assert_eq!(float("haversin", Value::Float(std::f64::consts::PI)), 1.0);
        assert_eq!(float("degrees", Value::Float(std::f64::consts::PI)), 180.0);
        assert_eq!(float("radians", Value::Int(180)), std::f64::consts::PI);
        assert_eq!(
            call("atan2", vec![Value::Int(1), Value::Int(1)]).unwrap(),
            Value::Float(std::f64::consts::FRAC_PI_4)
        );
        assert_eq!(
            call("atan2", vec![Value::Null, Value::Int(1)]).unwrap(),
            Value::Null
        );
        assert_eq!(call("sin", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("sqrt", vec![Value::from("4")]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn rand_is_in_the_unit_interval() {
        let draws: Vec<f64> = (0..1000)
            .map(|_| match call("rand", vec![]) {
                Ok(Value::Float(f)) => f,
                other => panic!("rand(): {other:?}"),
            })
            .collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(draws.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn is_nan_accepts_numbers_only() {
        assert_eq!(
            call("isNaN", vec![Value::Float(f64::NAN)]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            call("isNaN", vec![Value::Float(1.0)]).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            call("isNaN", vec![Value::Int(1)]).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(call("isNaN", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("isNaN", vec![Value::from("NaN")]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }
}
