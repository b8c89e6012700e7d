//! Arrow arrays → kgq values. Reads the arrays kgq writes (see the table
//! in the module above) and the ones other tools make (pandas, polars,
//! DuckDB, Spark): every integer width, floats of every width and
//! decimals, large and view strings, dictionaries, every timestamp, time
//! and duration unit, intervals, large and fixed-size lists, structs and
//! maps. Binary columns and unions are refused with a clear error.

use std::collections::BTreeMap;
use std::sync::Arc;

use ::arrow::array::{Array, AsArray, GenericListArray, OffsetSizeTrait};
use ::arrow::compute::{CastOptions, cast_with_options};
use ::arrow::datatypes::{
    DataType, Date32Type, Field, Float64Type, Int32Type, Int64Type, IntervalMonthDayNanoType,
    IntervalUnit, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimeUnit,
};
use chrono::{NaiveDate, NaiveTime, TimeDelta};

use super::json;
use super::types::KGQ_TYPE;
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, NodeId};
use crate::value::temporal::{Duration, Zone, time_from_nanos};
use crate::value::{DateTime, Value, tagged};

/// An error about column `name`.
fn bad(name: &str, message: String) -> Error {
    Error::new(
        ErrorClass::TypeError,
        "UnsupportedArrowValue",
        format!("column `{name}`: {message}"),
    )
}

/// The values of `array`, a column described by `field`; nulls become
/// [`Value::Null`].
pub fn decode(field: &Field, array: &dyn Array) -> Result<Vec<Value>> {
    let name = field.name();
    let tag = field.metadata().get(KGQ_TYPE).map(String::as_str);
    let n = array.len();
    let valid = |i: usize| array.is_valid(i);
    let mut out = Vec::with_capacity(n);
    match (array.data_type(), tag) {
        (DataType::Null, _) => out.resize(n, Value::Null),
        (DataType::Boolean, _) => {
            let a = array.as_boolean();
            out.extend((0..n).map(|i| {
                if valid(i) {
                    Value::Bool(a.value(i))
                } else {
                    Value::Null
                }
            }));
        }
        (DataType::Int64, Some("node")) => {
            ints(array, &mut out, |i| Ok(Value::Node(NodeId(id(name, i)?))))?
        }
        (DataType::Int64, Some("relationship")) => ints(array, &mut out, |i| {
            Ok(Value::Relationship(EdgeId(id(name, i)?)))
        })?,
        (DataType::Int64, _) => ints(array, &mut out, |i| Ok(Value::Int(i)))?,
        (DataType::Float64, _) => {
            let a = array.as_primitive::<Float64Type>();
            out.extend((0..n).map(|i| {
                if valid(i) {
                    Value::Float(a.value(i))
                } else {
                    Value::Null
                }
            }));
        }
        (DataType::Utf8, tag) => {
            let a = array.as_string::<i32>();
            for i in 0..n {
                out.push(if valid(i) {
                    text(name, tag, a.value(i))?
                } else {
                    Value::Null
                });
            }
        }
        (DataType::Date32, _) => {
            let a = array.as_primitive::<Date32Type>();
            for i in 0..n {
                out.push(if valid(i) {
                    Value::Date(date(name, a.value(i))?)
                } else {
                    Value::Null
                });
            }
        }
        (DataType::Timestamp(unit, zone), _) => {
            let zone = match zone {
                Some(z) => Some(
                    Zone::named(z)
                        .or_else(|| Zone::parse(z))
                        .ok_or_else(|| bad(name, format!("unknown time zone `{z}`")))?,
                ),
                None => None,
            };
            let cast = cast_with_options(array, &DataType::Int64, &STRICT)
                .map_err(|e| bad(name, e.to_string()))?;
            let a = cast.as_primitive::<Int64Type>();
            for i in 0..n {
                out.push(if valid(i) {
                    timestamp(name, a.value(i), *unit, zone.as_ref())?
                } else {
                    Value::Null
                });
            }
        }
        (DataType::Time32(_) | DataType::Time64(_), _) => times(array, &mut out),
        (DataType::Duration(unit), _) => {
            let cast = cast_with_options(array, &DataType::Int64, &STRICT)
                .map_err(|e| bad(name, e.to_string()))?;
            let a = cast.as_primitive::<Int64Type>();
            for i in 0..n {
                out.push(if valid(i) {
                    Value::Duration(exact_duration(a.value(i), *unit))
                } else {
                    Value::Null
                });
            }
        }
        (DataType::Interval(IntervalUnit::MonthDayNano), _) => {
            let a = array.as_primitive::<IntervalMonthDayNanoType>();
            for i in 0..n {
                out.push(if valid(i) {
                    let v = a.value(i);
                    let mut d = exact_duration(v.nanoseconds, TimeUnit::Nanosecond);
                    d.months = i64::from(v.months);
                    d.days = i64::from(v.days);
                    Value::Duration(d)
                } else {
                    Value::Null
                });
            }
        }
        (DataType::Struct(_), Some("duration")) => duration_struct(name, array, &mut out)?,
        (DataType::Struct(fields), _) => {
            let a = array.as_struct();
            let columns = fields
                .iter()
                .zip(a.columns())
                .map(|(f, c)| Ok((f.name().clone(), decode(f, c.as_ref())?)))
                .collect::<Result<Vec<_>>>()?;
            for i in 0..n {
                out.push(if valid(i) {
                    Value::Map(
                        columns
                            .iter()
                            .map(|(k, v)| (k.clone(), v[i].clone()))
                            .collect(),
                    )
                } else {
                    Value::Null
                });
            }
        }
        (DataType::List(item), _) => lists(item, array.as_list::<i32>(), &mut out)?,
        (DataType::LargeList(item), _) => lists(item, array.as_list::<i64>(), &mut out)?,
        (DataType::Map(entry, _), _) => {
            let a = array.as_map();
            let keys = decode(entry_field(entry, 0), a.keys().as_ref())?;
            let values = decode(entry_field(entry, 1), a.values().as_ref())?;
            let offsets = a.value_offsets();
            for i in 0..n {
                if !valid(i) {
                    out.push(Value::Null);
                    continue;
                }
                let mut map = BTreeMap::new();
                for j in offsets[i] as usize..offsets[i + 1] as usize {
                    let key = match &keys[j] {
                        Value::String(s) => s.to_string(),
                        other => other.literal(None).to_string(),
                    };
                    map.insert(key, values[j].clone());
                }
                out.push(Value::Map(map));
            }
        }
        (other, _) => {
            let target = canonical(other)
                .ok_or_else(|| bad(name, format!("Arrow type {other} has no kgq value")))?;
            let cast = cast_with_options(array, &target, &STRICT)
                .map_err(|e| bad(name, format!("cannot read {other} as {target}: {e}")))?;
            let field = Field::new(name, target, true).with_metadata(field.metadata().clone());
            return decode(&field, cast.as_ref());
        }
    }
    Ok(out)
}

/// Casts that fail on overflow rather than writing null.
const STRICT: CastOptions = CastOptions {
    safe: false,
    format_options: ::arrow::util::display::FormatOptions::new(),
};

/// The type kgq reads `ty` as after a cast, for types read that way.
fn canonical(ty: &DataType) -> Option<DataType> {
    Some(match ty {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => DataType::Int64,
        DataType::Float16
        | DataType::Float32
        | DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => DataType::Float64,
        DataType::LargeUtf8 | DataType::Utf8View => DataType::Utf8,
        DataType::Date64 => DataType::Date32,
        DataType::Interval(_) => DataType::Interval(IntervalUnit::MonthDayNano),
        DataType::Dictionary(_, value) => (**value).clone(),
        DataType::FixedSizeList(item, _)
        | DataType::ListView(item)
        | DataType::LargeListView(item) => DataType::List(item.clone()),
        _ => return None,
    })
}

fn entry_field(entry: &Field, i: usize) -> &Field {
    match entry.data_type() {
        DataType::Struct(fields) if fields.len() == 2 => &fields[i],
        _ => entry,
    }
}

fn ints(
    array: &dyn Array,
    out: &mut Vec<Value>,
    make: impl Fn(i64) -> Result<Value>,
) -> Result<()> {
    let a = array.as_primitive::<Int64Type>();
    for i in 0..a.len() {
        out.push(if a.is_valid(i) {
            make(a.value(i))?
        } else {
            Value::Null
        });
    }
    Ok(())
}

fn id(name: &str, i: i64) -> Result<u32> {
    u32::try_from(i).map_err(|_| bad(name, format!("{i} is not an entity id")))
}

/// A text value; columns tagged with a temporal type or `json` are parsed.
fn text(name: &str, tag: Option<&str>, s: &str) -> Result<Value> {
    match tag {
        Some("json") => json::from_text(s).map_err(|e| bad(name, e)),
        Some(t) if json::is_temporal_tag(t) => {
            tagged::parse(t, s).ok_or_else(|| bad(name, format!("`{s}` is not a valid {t}")))
        }
        _ => Ok(Value::from(s)),
    }
}

fn date(name: &str, days: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(TimeDelta::try_days(i64::from(days))?))
        .ok_or_else(|| bad(name, format!("day {days} is out of range")))
}

/// A moment `v` units after the epoch: a local date-time without a zone,
/// else the date-time in that zone.
fn timestamp(name: &str, v: i64, unit: TimeUnit, zone: Option<&Zone>) -> Result<Value> {
    let per_second: i64 = match unit {
        TimeUnit::Second => 1,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    };
    let secs = v.div_euclid(per_second);
    let nanos = (v.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32;
    let utc = chrono::DateTime::from_timestamp(secs, nanos)
        .map(|d| d.naive_utc())
        .ok_or_else(|| bad(name, format!("timestamp {v} is out of range")))?;
    Ok(match zone {
        None => Value::LocalDateTime(utc),
        Some(zone) => Value::DateTime(
            DateTime::at_utc(utc, zone)
                .ok_or_else(|| bad(name, format!("timestamp {v} is out of range")))?,
        ),
    })
}

fn times(array: &dyn Array, out: &mut Vec<Value>) {
    let nanos: Vec<Option<i64>> = match array.data_type() {
        DataType::Time32(TimeUnit::Second) => array
            .as_primitive::<Time32SecondType>()
            .iter()
            .map(|v| v.map(|s| i64::from(s) * 1_000_000_000))
            .collect(),
        DataType::Time32(_) => array
            .as_primitive::<Time32MillisecondType>()
            .iter()
            .map(|v| v.map(|s| i64::from(s) * 1_000_000))
            .collect(),
        DataType::Time64(TimeUnit::Microsecond) => array
            .as_primitive::<Time64MicrosecondType>()
            .iter()
            .map(|v| v.map(|s| s * 1_000))
            .collect(),
        _ => array
            .as_primitive::<Time64NanosecondType>()
            .iter()
            .collect(),
    };
    out.extend(nanos.into_iter().map(|v| {
        v.map_or(Value::Null, |n| {
            Value::LocalTime(if n == 86_400_000_000_000 {
                NaiveTime::MIN
            } else {
                time_from_nanos(n)
            })
        })
    }));
}

/// An exact duration of `v` units, as seconds and nanoseconds.
fn exact_duration(v: i64, unit: TimeUnit) -> Duration {
    let per_second: i64 = match unit {
        TimeUnit::Second => 1,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    };
    Duration {
        months: 0,
        days: 0,
        seconds: v.div_euclid(per_second),
        nanos: (v.rem_euclid(per_second) * (1_000_000_000 / per_second)) as i32,
    }
}

fn duration_struct(name: &str, array: &dyn Array, out: &mut Vec<Value>) -> Result<()> {
    let a = array.as_struct();
    let part = |field: &str| {
        a.column_by_name(field)
            .ok_or_else(|| bad(name, format!("a duration needs a `{field}` field")))
    };
    let cast = |field: &str, ty: DataType| {
        cast_with_options(part(field)?.as_ref(), &ty, &STRICT).map_err(|e| bad(name, e.to_string()))
    };
    let (months, days, seconds) = (
        cast("months", DataType::Int64)?,
        cast("days", DataType::Int64)?,
        cast("seconds", DataType::Int64)?,
    );
    let nanos = cast("nanoseconds", DataType::Int32)?;
    let (months, days, seconds) = (
        months.as_primitive::<Int64Type>(),
        days.as_primitive::<Int64Type>(),
        seconds.as_primitive::<Int64Type>(),
    );
    let nanos = nanos.as_primitive::<Int32Type>();
    for i in 0..a.len() {
        out.push(if a.is_valid(i) {
            let n = nanos.value(i);
            if !(0..1_000_000_000).contains(&n) {
                return Err(bad(name, format!("{n} nanoseconds is out of range")));
            }
            Value::Duration(Duration {
                months: months.value(i),
                days: days.value(i),
                seconds: seconds.value(i),
                nanos: n,
            })
        } else {
            Value::Null
        });
    }
    Ok(())
}

fn lists<O: OffsetSizeTrait>(
    item: &Arc<Field>,
    a: &GenericListArray<O>,
    out: &mut Vec<Value>,
) -> Result<()> {
    let offsets = a.value_offsets();
    let first = offsets.first().map_or(0, |o| o.as_usize());
    let last = offsets.last().map_or(0, |o| o.as_usize());
    let values = a.values().slice(first, last - first);
    let items = decode(item, values.as_ref())?;
    for i in 0..a.len() {
        out.push(if a.is_valid(i) {
            let (s, e) = (
                offsets[i].as_usize() - first,
                offsets[i + 1].as_usize() - first,
            );
            Value::List(items[s..e].to_vec().into())
        } else {
            Value::Null
        });
    }
    Ok(())
}
