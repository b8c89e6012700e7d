//! Property values on disk: a value is written as a flat, pre-order list of
//! [`Token`]s, so decoding never recurses on file content (no stack
//! overflow from a hostile file) and nesting is bounded by [`MAX_DEPTH`].

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorClass, Result};
use crate::value::{Duration, Value};

/// The deepest nesting of lists and maps a stored value may have.
pub const MAX_DEPTH: usize = 64;

/// One token of a stored value (see `docs/snapshot-format.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Token {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A 64-bit float, bit for bit.
    Float(f64),
    /// A UTF-8 string.
    String(String),
    /// A date as days since 0001-01-01 (day 1 = 0001-01-01, proleptic Gregorian).
    Date(i32),
    /// A local date-time as seconds since 1970-01-01T00:00:00 and nanoseconds.
    LocalDateTime(i64, u32),
    /// A duration: months, days, seconds, nanoseconds.
    Duration(i64, i64, i64, i32),
    /// A list; the next `n` values are its items.
    List(u32),
    /// A map; the next `n` (Key, value) pairs are its entries.
    Map(u32),
    /// A map key; only directly inside a map.
    Key(String),
    /// A local time as nanoseconds since midnight.
    LocalTime(u64),
    /// A time with an offset: nanoseconds since midnight, seconds east of UTC.
    Time(u64, i32),
    /// A date-time with a zone: the local date-time as seconds since
    /// 1970-01-01T00:00:00 and nanoseconds, seconds east of UTC, and the
    /// IANA zone name if any.
    DateTime(i64, u32, i32, Option<String>),
}

fn nanos_of_day(t: chrono::NaiveTime) -> u64 {
    u64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + u64::from(t.nanosecond())
}

fn time_of_day(nanos: u64) -> Result<chrono::NaiveTime> {
    let secs = u32::try_from(nanos / 1_000_000_000).map_err(|_| bad("a time is out of range"))?;
    let frac = u32::try_from(nanos % 1_000_000_000).map_err(|_| bad("a time is out of range"))?;
    chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, frac)
        .ok_or_else(|| bad("a time is out of range"))
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorClass::FormatError, "BadValue", message)
}

/// Appends the tokens of `value`; nodes, relationships and paths cannot be
/// stored.
pub fn encode(value: &Value, out: &mut Vec<Token>) -> Result<()> {
    match value {
        Value::Null => out.push(Token::Null),
        Value::Bool(b) => out.push(Token::Bool(*b)),
        Value::Int(i) => out.push(Token::Int(*i)),
        Value::Float(f) => out.push(Token::Float(*f)),
        Value::String(s) => out.push(Token::String(s.to_string())),
        Value::Date(d) => out.push(Token::Date(d.num_days_from_ce())),
        Value::LocalDateTime(t) => {
            let utc = t.and_utc();
            out.push(Token::LocalDateTime(
                utc.timestamp(),
                utc.timestamp_subsec_nanos(),
            ))
        }
        Value::Duration(d) => out.push(Token::Duration(d.months, d.days, d.seconds, d.nanos)),
        Value::LocalTime(t) => out.push(Token::LocalTime(nanos_of_day(*t))),
        Value::Time(t) => out.push(Token::Time(nanos_of_day(t.time), t.offset)),
        Value::DateTime(dt) => {
            let local = dt.local.and_utc();
            out.push(Token::DateTime(
                local.timestamp(),
                local.timestamp_subsec_nanos(),
                dt.offset,
                dt.zone.as_ref().map(|z| z.to_string()),
            ))
        }
        Value::List(items) => {
            out.push(Token::List(len_u32(items.len())?));
            for item in items {
                encode(item, out)?;
            }
        }
        Value::Map(map) => {
            out.push(Token::Map(len_u32(map.len())?));
            for (k, v) in map {
                out.push(Token::Key(k.clone()));
                encode(v, out)?;
            }
        }
        Value::Node(_) | Value::Relationship(_) | Value::Path(_) => {
            return Err(Error::new(
                ErrorClass::TypeError,
                "UnstorableValue",
                format!("a {} cannot be stored as a property", value.type_name()),
            ));
        }
    }
    Ok(())
}

fn len_u32(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| bad("a list or map is too long to store"))
}

/// The tokens of `value`.
pub fn to_tokens(value: &Value) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    encode(value, &mut out)?;
    Ok(out)
}

/// Rebuilds the value the tokens describe; every token must be used.
pub fn from_tokens(tokens: Vec<Token>) -> Result<Value> {
    let mut iter = tokens.into_iter();
    let value = decode_one(&mut iter, 0)?;
    if iter.next().is_some() {
        return Err(bad("extra tokens after a value"));
    }
    Ok(value)
}

fn decode_one(iter: &mut std::vec::IntoIter<Token>, depth: usize) -> Result<Value> {
    let token = iter.next().ok_or_else(|| bad("a value ends early"))?;
    Ok(match token {
        Token::Null => Value::Null,
        Token::Bool(b) => Value::Bool(b),
        Token::Int(i) => Value::Int(i),
        Token::Float(f) => Value::Float(f),
        Token::String(s) => Value::String(Arc::from(s)),
        Token::Date(days) => Value::Date(
            chrono::NaiveDate::from_num_days_from_ce_opt(days)
                .ok_or_else(|| bad("a date is out of range"))?,
        ),
        Token::LocalDateTime(secs, nanos) => Value::LocalDateTime(
            chrono::DateTime::from_timestamp(secs, nanos)
                .ok_or_else(|| bad("a date-time is out of range"))?
                .naive_utc(),
        ),
        Token::Duration(months, days, seconds, nanos) => {
            if !(0..1_000_000_000).contains(&nanos) {
                return Err(bad("a duration's nanoseconds are out of range"));
            }
            Value::Duration(Duration {
                months,
                days,
                seconds,
                nanos,
            })
        }
        Token::LocalTime(nanos) => Value::LocalTime(time_of_day(nanos)?),
        Token::Time(nanos, offset) => Value::Time(crate::value::Time {
            time: time_of_day(nanos)?,
            offset,
        }),
        Token::DateTime(secs, nanos, offset, zone) => Value::DateTime(crate::value::DateTime {
            local: chrono::DateTime::from_timestamp(secs, nanos)
                .ok_or_else(|| bad("a date-time is out of range"))?
                .naive_utc(),
            offset,
            zone: zone.map(Arc::from),
        }),
        Token::List(n) => {
            let depth = nested(depth)?;
            // Each item needs at least one token: never reserve more than remain.
            let mut items = Vec::with_capacity((n as usize).min(iter.len()));
            for _ in 0..n {
                items.push(decode_one(iter, depth)?);
            }
            Value::List(items.into())
        }
        Token::Map(n) => {
            let depth = nested(depth)?;
            let mut map = BTreeMap::new();
            for _ in 0..n {
                let Some(Token::Key(key)) = iter.next() else {
                    return Err(bad("a map entry lacks its key"));
                };
                let value = decode_one(iter, depth)?;
                if map.insert(key, value).is_some() {
                    return Err(bad("a map has a duplicate key"));
                }
            }
            Value::Map(map)
        }
        Token::Key(_) => return Err(bad("a map key outside a map")),
    })
}

fn nested(depth: usize) -> Result<usize> {
    if depth >= MAX_DEPTH {
        return Err(bad(format!(
            "a value is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(depth + 1)
}

/// Serde adapter (`#[serde(with = "…")]`) writing a [`Value`] as its tokens.
pub mod serde_value {
    use super::*;

    /// Writes `value` as a token list.
    pub fn serialize<S: Serializer>(value: &Value, s: S) -> std::result::Result<S::Ok, S::Error> {
        let tokens = to_tokens(value).map_err(serde::ser::Error::custom)?;
        tokens.serialize(s)
    }

    /// Reads a token list back into a value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Value, D::Error> {
        let tokens = Vec::<Token>::deserialize(d)?;
        from_tokens(tokens).map_err(serde::de::Error::custom)
    }
}

/// Serde adapter for `Vec<(String, Value)>` property lists.
pub mod serde_props {
    use super::*;

    /// Writes each (name, value) pair with the value as tokens.
    pub fn serialize<S: Serializer>(
        props: &[(String, Value)],
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut wire = Vec::with_capacity(props.len());
        for (k, v) in props {
            wire.push((k, to_tokens(v).map_err(serde::ser::Error::custom)?));
        }
        wire.serialize(s)
    }

    /// Reads the pairs back.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Vec<(String, Value)>, D::Error> {
        let wire = Vec::<(String, Vec<Token>)>::deserialize(d)?;
        wire.into_iter()
            .map(|(k, t)| Ok((k, from_tokens(t).map_err(serde::de::Error::custom)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_round_trip_and_depth_is_bounded() {
        let mut m = BTreeMap::new();
        m.insert(
            "a".to_string(),
            Value::from(vec![Value::Int(1), Value::Float(f64::NAN)]),
        );
        let v = Value::List(vec![Value::Map(m), Value::Null, Value::from("x")].into());
        assert_eq!(from_tokens(to_tokens(&v).unwrap()).unwrap(), v);
        let deep = vec![Token::List(1); MAX_DEPTH + 1]
            .into_iter()
            .chain([Token::Null])
            .collect();
        assert!(from_tokens(deep).is_err());
        assert!(from_tokens(vec![Token::List(u32::MAX)]).is_err());
        assert!(from_tokens(vec![]).is_err());
    }
}
