//! Functions of Neo4j 5 that openCypher lacks: `elementId`,
//! `db.nameFromElementId`, `round` with a precision and a rounding mode,
//! `nullIf`, `valueType`, `randomUUID`, `timestamp`, `btrim`,
//! `char_length`, and the vector similarities.

use super::{arg, invalid_value, type_error};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::value::Value;

/// `elementId(x)`: the element id of a node or relationship, the same string
/// Bolt and the HTTP API give out (see [`crate::graph::element_id`]).
pub fn element_id(args: &[Value], _: &Graph) -> Result<Value> {
    use crate::graph::element_id::{node_element_id, relationship_element_id};
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(n) => Ok(Value::string(&node_element_id(*n))),
        Value::Relationship(r) => Ok(Value::string(&relationship_element_id(*r))),
        other => Err(type_error("elementId", "a node or a relationship", other)),
    }
}

/// `db.nameFromElementId(id)`: the database an element id belongs to
/// (always `kgq`); an id that is not a kgq element id is an
/// `InvalidArgumentValue`.
pub fn name_from_element_id(args: &[Value], _: &Graph) -> Result<Value> {
    use crate::graph::element_id::database_of_element_id;
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(id) => match database_of_element_id(id) {
            Some(name) => Ok(Value::string(name)),
            None => Err(invalid_value(format!(
                "db.nameFromElementId() expects a kgq element id (`4:kgq:N` or `5:kgq:N`), got `{id}`"
            ))),
        },
        other => Err(type_error("db.nameFromElementId", "a string", other)),
    }
}

/// `char_length(s)` / `character_length(s)`: the number of characters.
pub fn char_length(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(Value::Int(
            i64::try_from(s.chars().count()).unwrap_or(i64::MAX),
        )),
        other => Err(type_error("char_length", "a string", other)),
    }
}

/// `nullIf(a, b)`: null when `a = b`, else `a`.
pub fn null_if(args: &[Value], _: &Graph) -> Result<Value> {
    let (a, b) = (arg(args, 0), arg(args, 1));
    Ok(if a.equals(b) == Some(true) {
        Value::Null
    } else {
        a.clone()
    })
}

/// `btrim(s [, chars])`: `s` without leading and trailing whitespace, or
/// without leading and trailing characters from `chars`.
pub fn btrim(args: &[Value], _: &Graph) -> Result<Value> {
    let s = match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => s,
        other => return Err(type_error("btrim", "a string", other)),
    };
    match arg(args, 1) {
        Value::Null if args.len() > 1 => Ok(Value::Null),
        Value::Null => Ok(Value::string(s.trim())),
        Value::String(chars) => Ok(Value::string(s.trim_matches(|c| chars.contains(c)))),
        other => Err(type_error("btrim", "a string of characters to trim", other)),
    }
}

/// `randomUUID()`: a random version-4 UUID.
pub fn random_uuid(_: &[Value], _: &Graph) -> Result<Value> {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        let word = (super::math::random_unit() * f64::from(u32::MAX)) as u32;
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::string(&format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )))
}

/// `timestamp()`: milliseconds since 1970-01-01T00:00Z when the statement
/// started.
pub fn timestamp(_: &[Value], _: &Graph) -> Result<Value> {
    Ok(Value::Int(
        super::temporal::now_utc().and_utc().timestamp_millis(),
    ))
}

/// `valueType(x)`: the type of a value as Neo4j 5 names it, e.g.
/// `INTEGER NOT NULL` or `LIST<STRING NOT NULL> NOT NULL`.
pub fn value_type(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(Value::string(&type_name(arg(args, 0))))
}

fn type_name(value: &Value) -> String {
    let word = match value {
        Value::Null => return "NULL".to_string(),
        Value::Bool(_) => "BOOLEAN",
        Value::Int(_) => "INTEGER",
        Value::Float(_) => "FLOAT",
        Value::String(_) => "STRING",
        Value::Date(_) => "DATE",
        Value::LocalDateTime(_) => "LOCAL DATETIME",
        Value::DateTime(_) => "ZONED DATETIME",
        Value::LocalTime(_) => "LOCAL TIME",
        Value::Time(_) => "ZONED TIME",
        Value::Duration(_) => "DURATION",
        Value::Map(_) => "MAP",
        Value::Node(_) => "NODE",
        Value::Relationship(_) => "RELATIONSHIP",
        Value::Path(_) => "PATH",
        Value::List(items) => {
            let nullable = items.iter().any(Value::is_null);
            let mut inner: Vec<String> = Vec::new();
            for item in items.iter().filter(|v| !v.is_null()) {
                let mut name = type_name(item);
                if nullable {
                    name = name.trim_end_matches(" NOT NULL").to_string();
                }
                if !inner.contains(&name) {
                    inner.push(name);
                }
            }
            let inner = if inner.is_empty() {
                if nullable { "NULL" } else { "NOTHING" }.to_string()
            } else {
                inner.join(" | ")
            };
            return format!("LIST<{inner}> NOT NULL");
        }
    };
    format!("{word} NOT NULL")
}

/// How `round(x, precision, mode)` breaks ties and drops digits (Java's
/// rounding modes, as Neo4j uses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
}

/// `round(x)`, `round(x, precision)`, `round(x, precision, mode)`. With one
/// argument ties go toward positive infinity (as before); with a precision
/// the decimal value of `x` (as printed) is rounded, by default HALF_UP.
pub fn round(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.len() < 2 {
        return super::math::round(args, graph);
    }
    let x = match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        other => return Err(type_error("round", "a number", other)),
    };
    let precision = match arg(args, 1) {
        Value::Null => return Ok(Value::Null),
        Value::Int(p) if (-400..=400).contains(p) => *p,
        Value::Int(p) => {
            return Err(invalid_value(format!(
                "round() takes a precision between -400 and 400, got {p}"
            )));
        }
        other => return Err(type_error("round", "an integer precision", other)),
    };
    let mode = match arg(args, 2) {
        Value::Null if args.len() > 2 => return Ok(Value::Null),
        Value::Null => Mode::HalfUp,
        Value::String(s) => match s.to_ascii_uppercase().as_str() {
            "UP" => Mode::Up,
            "DOWN" => Mode::Down,
            "CEILING" => Mode::Ceiling,
            "FLOOR" => Mode::Floor,
            "HALF_UP" => Mode::HalfUp,
            "HALF_DOWN" => Mode::HalfDown,
            "HALF_EVEN" => Mode::HalfEven,
            _ => {
                return Err(invalid_value(format!(
                    "round() takes a mode among UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN \
                     and HALF_EVEN, got '{s}'"
                )));
            }
        },
        other => return Err(type_error("round", "a rounding mode string", other)),
    };
    if !x.is_finite() {
        return Ok(Value::Float(x));
    }
    Ok(Value::Float(round_decimal(x, precision, mode)))
}

/// Rounds the shortest decimal form of `x` to `precision` digits after the
/// point (before it, when negative).
fn round_decimal(x: f64, precision: i64, mode: Mode) -> f64 {
    let text = format!("{}", x.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    let point = int_part.len() as i64;
    let keep = point + precision;
    let negative = x.is_sign_negative() && x != 0.0;
    let (mut kept, dropped): (Vec<u8>, &[u8]) = if keep <= 0 {
        (Vec::new(), &digits[..])
    } else if keep as usize >= digits.len() {
        return x;
    } else {
        (digits[..keep as usize].to_vec(), &digits[keep as usize..])
    };
    // Digits dropped in front of the first one when keep < 0 are zeros.
    let first = if keep < 0 {
        0
    } else {
        dropped.first().copied().unwrap_or(0)
    };
    let rest_nonzero = if keep < 0 {
        dropped.iter().any(|d| *d != 0)
    } else {
        dropped.iter().skip(1).any(|d| *d != 0)
    };
    let any_dropped = first != 0 || rest_nonzero;
    let last_odd = kept.last().is_some_and(|d| d % 2 == 1);
    let increment = match mode {
        Mode::Up => any_dropped,
        Mode::Down => false,
        Mode::Ceiling => any_dropped && !negative,
        Mode::Floor => any_dropped && negative,
        Mode::HalfUp => first >= 5,
        Mode::HalfDown => first > 5 || (first == 5 && rest_nonzero),
        Mode::HalfEven => first > 5 || (first == 5 && (rest_nonzero || last_odd)),
    };
    let kept_len = kept.len() as i64;
    if increment {
        let mut carry = true;
        for d in kept.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            kept.insert(0, 1);
        }
    }
    let mut magnitude = 0.0f64;
    for d in &kept {
        magnitude = magnitude * 10.0 + f64::from(*d);
    }
    // `kept` holds the digits down to 10^-precision (one more on carry).
    let result = if precision >= 0 {
        let text = digits_to_text(&kept, kept_len, point, precision);
        text.parse::<f64>().unwrap_or(magnitude)
    } else {
        magnitude * 10f64.powi(i32::try_from(-precision).unwrap_or(0))
    };
    if negative { -result } else { result }
}

/// The decimal text of rounded digits `kept` (`kept_len` before any carry)
/// with `precision` digits after the point.
fn digits_to_text(kept: &[u8], kept_len: i64, point: i64, precision: i64) -> String {
    let carried = kept.len() as i64 - kept_len;
    let int_len = (point + carried).max(0) as usize;
    let mut text = String::new();
    let mut all: Vec<u8> = Vec::new();
    // Leading zeros when nothing of the integer part was kept.
    let needed = int_len + precision as usize;
    if kept.len() < needed {
        all.extend(std::iter::repeat_n(0, needed - kept.len()));
    }
    all.extend_from_slice(kept);
    let split = all.len() - precision as usize;
    for d in &all[..split] {
        text.push(char::from(b'0' + d));
    }
    if text.is_empty() {
        text.push('0');
    }
    text.push('.');
    for d in &all[split..] {
        text.push(char::from(b'0' + d));
    }
    text.push('0');
    text
}

/// The numbers of a vector argument.
fn vector(name: &str, value: &Value) -> Result<Option<Vec<f64>>> {
    match value {
        Value::Null => Ok(None),
        Value::List(items) => items
            .iter()
            .map(|v| match v {
                Value::Int(i) => Ok(Some(*i as f64)),
                Value::Float(f) => Ok(Some(*f)),
                Value::Null => Ok(None),
                other => Err(type_error(name, "a list of numbers", other)),
            })
            .collect::<Result<Option<Vec<f64>>>>(),
        other => Err(type_error(name, "a list of numbers", other)),
    }
}

fn vectors(name: &str, args: &[Value]) -> Result<Option<(Vec<f64>, Vec<f64>)>> {
    let (Some(a), Some(b)) = (vector(name, arg(args, 0))?, vector(name, arg(args, 1))?) else {
        return Ok(None);
    };
    if a.len() != b.len() || a.is_empty() {
        return Err(Error::argument(
            "InvalidArgumentValue",
            format!(
                "{name}() needs two vectors of the same, non-zero length, got {} and {}",
                a.len(),
                b.len()
            ),
        ));
    }
    Ok(Some((a, b)))
}

/// `vector.similarity.cosine(a, b)`: the cosine similarity scaled to
/// [0, 1] as Neo4j does: `(1 + cos) / 2`.
pub fn cosine(args: &[Value], _: &Graph) -> Result<Value> {
    let Some((a, b)) = vectors("vector.similarity.cosine", args)? else {
        return Ok(Value::Null);
    };
    let dot: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let norms =
        (a.iter().map(|x| x * x).sum::<f64>() * b.iter().map(|x| x * x).sum::<f64>()).sqrt();
    if norms == 0.0 {
        return Ok(Value::Null);
    }
    Ok(Value::Float((1.0 + dot / norms) / 2.0))
}

/// `vector.similarity.euclidean(a, b)`: `1 / (1 + d²)` for the Euclidean
/// distance `d`, as Neo4j does.
pub fn euclidean(args: &[Value], _: &Graph) -> Result<Value> {
    let Some((a, b)) = vectors("vector.similarity.euclidean", args)? else {
        return Ok(Value::Null);
    };
    let d2: f64 = a.iter().zip(&b).map(|(x, y)| (x - y) * (x - y)).sum();
    Ok(Value::Float(1.0 / (1.0 + d2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x: f64, p: i64, mode: Mode) -> f64 {
        round_decimal(x, p, mode)
    }

    #[test]
    fn rounds_decimal_digits_like_neo4j() {
        assert_eq!(r(2.675, 2, Mode::HalfUp), 2.68);
        assert_eq!(r(5.432109, 3, Mode::HalfUp), 5.432);
        assert_eq!(r(2.71851, 3, Mode::HalfUp), 2.719);
        assert_eq!(r(-1.5, 0, Mode::HalfUp), -2.0);
        assert_eq!(r(1.25, 1, Mode::HalfEven), 1.2);
        assert_eq!(r(1.35, 1, Mode::HalfEven), 1.4);
        assert_eq!(r(1.25, 1, Mode::HalfDown), 1.2);
        assert_eq!(r(1.251, 1, Mode::HalfDown), 1.3);
        assert_eq!(r(1.21, 1, Mode::Up), 1.3);
        assert_eq!(r(-1.21, 1, Mode::Ceiling), -1.2);
        assert_eq!(r(-1.21, 1, Mode::Floor), -1.3);
        assert_eq!(r(9.99, 1, Mode::HalfUp), 10.0);
        assert_eq!(r(0.004, 2, Mode::HalfUp), 0.0);
        assert_eq!(r(0.005, 2, Mode::HalfUp), 0.01);
        assert_eq!(r(1234.5, -2, Mode::HalfUp), 1200.0);
        assert_eq!(r(1250.0, -2, Mode::HalfEven), 1200.0);
        assert_eq!(r(99.0, -3, Mode::Up), 1000.0);
        assert_eq!(r(1.5, 5, Mode::HalfUp), 1.5);
    }

    #[test]
    fn value_types() {
        assert_eq!(type_name(&Value::Int(1)), "INTEGER NOT NULL");
        assert_eq!(
            type_name(&Value::List(vec![Value::Int(1), Value::string("a")].into())),
            "LIST<INTEGER NOT NULL | STRING NOT NULL> NOT NULL"
        );
        assert_eq!(
            type_name(&Value::List(vec![].into())),
            "LIST<NOTHING> NOT NULL"
        );
        assert_eq!(type_name(&Value::Null), "NULL");
    }
}
