//! kgq values → Arrow arrays of a chosen [`ColumnType`]. A value that does
//! not fit the column's type (possible only when a caller picks the type)
//! is an error, never silently dropped.

use std::sync::Arc;

use ::arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, ListArray,
    StringArray, StructArray, Time64NanosecondArray, TimestampNanosecondArray,
};
use ::arrow::buffer::{NullBuffer, OffsetBuffer};

use super::types::{ColumnType, duration_fields};
use super::{json, mismatch};
use crate::error::Result;
use crate::value::temporal::nanos_of_day;
use crate::value::{Value, tagged};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The array of `values` as a column of type `ty`.
pub fn encode(values: &[&Value], ty: &ColumnType) -> Result<ArrayRef> {
    use chrono::Datelike;
    Ok(match ty {
        ColumnType::Null => Arc::new(StringArray::new_null(values.len())),
        ColumnType::Bool => Arc::new(collect::<BooleanArray, _>(values, ty, |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })?),
        ColumnType::Int => Arc::new(collect::<Int64Array, _>(values, ty, Value::as_int)?),
        ColumnType::Node => Arc::new(collect::<Int64Array, _>(values, ty, |v| match v {
            Value::Node(n) => Some(i64::from(n.0)),
            _ => None,
        })?),
        ColumnType::Relationship => Arc::new(collect::<Int64Array, _>(values, ty, |v| match v {
            Value::Relationship(r) => Some(i64::from(r.0)),
            _ => None,
        })?),
        ColumnType::Float => Arc::new(collect::<Float64Array, _>(values, ty, |v| match v {
            Value::Float(f) => Some(*f),
            _ => None,
        })?),
        ColumnType::String => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    Value::Null => Ok(None),
                    Value::String(s) => Ok(Some(&**s)),
                    other => Err(mismatch(other, ty)),
                })
                .collect::<Result<StringArray>>()?,
        ),
        ColumnType::Date => Arc::new(collect::<Date32Array, _>(values, ty, |v| match v {
            Value::Date(d) => Some(d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE),
            _ => None,
        })?),
        ColumnType::LocalDateTime => Arc::new(collect::<TimestampNanosecondArray, _>(
            values,
            ty,
            |v| match v {
                Value::LocalDateTime(d) => d.and_utc().timestamp_nanos_opt(),
                _ => None,
            },
        )?),
        ColumnType::DateTime(zone) => Arc::new(
            collect::<TimestampNanosecondArray, _>(values, ty, |v| match v {
                Value::DateTime(d) => d.utc().and_utc().timestamp_nanos_opt(),
                _ => None,
            })?
            .with_timezone(zone.clone()),
        ),
        ColumnType::LocalTime => {
            Arc::new(collect::<Time64NanosecondArray, _>(
                values,
                ty,
                |v| match v {
                    Value::LocalTime(t) => Some(nanos_of_day(*t)),
                    _ => None,
                },
            )?)
        }
        ColumnType::Duration => duration(values, ty)?,
        ColumnType::Text(tag) => Arc::new(strings(values, ty, |v| {
            (tagged::tag(v) == Some(tag)).then(|| tagged::iso_text(v))?
        })?),
        ColumnType::Json => Arc::new(strings(values, ty, |v| Some(json::to_text(v)))?),
        ColumnType::List(item) => list(values, item)?,
    })
}

/// A primitive array from `get` applied to each non-null value.
fn collect<A, T>(values: &[&Value], ty: &ColumnType, get: impl Fn(&Value) -> Option<T>) -> Result<A>
where
    A: FromIterator<Option<T>>,
{
    values
        .iter()
        .map(|v| match v {
            Value::Null => Ok(None),
            v => get(v).map(Some).ok_or_else(|| mismatch(v, ty)),
        })
        .collect()
}

fn strings(
    values: &[&Value],
    ty: &ColumnType,
    get: impl Fn(&Value) -> Option<String>,
) -> Result<StringArray> {
    collect::<StringArray, String>(values, ty, get)
}

/// Durations as the struct `{months, days, seconds, nanoseconds}`.
fn duration(values: &[&Value], ty: &ColumnType) -> Result<ArrayRef> {
    let mut parts = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut valid = Vec::with_capacity(values.len());
    for v in values {
        let d = match v {
            Value::Null => Default::default(),
            Value::Duration(d) => *d,
            other => return Err(mismatch(other, ty)),
        };
        parts.0.push(d.months);
        parts.1.push(d.days);
        parts.2.push(d.seconds);
        parts.3.push(d.nanos);
        valid.push(!v.is_null());
    }
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(parts.0)),
        Arc::new(Int64Array::from(parts.1)),
        Arc::new(Int64Array::from(parts.2)),
        Arc::new(Int32Array::from(parts.3)),
    ];
    Ok(Arc::new(StructArray::new(
        duration_fields(),
        arrays,
        Some(NullBuffer::from(valid)),
    )))
}

/// Lists: the elements of every list, encoded as one child array, and the
/// offsets where each list starts.
fn list(values: &[&Value], item: &ColumnType) -> Result<ArrayRef> {
    let mut children: Vec<&Value> = Vec::new();
    let mut lengths = Vec::with_capacity(values.len());
    let mut valid = Vec::with_capacity(values.len());
    for v in values {
        match v {
            Value::Null => lengths.push(0),
            Value::List(items) => {
                children.extend(items);
                lengths.push(items.len());
            }
            other => return Err(mismatch(other, &ColumnType::List(Box::new(item.clone())))),
        }
        valid.push(!v.is_null());
    }
    let child = encode(&children, item)?;
    Ok(Arc::new(ListArray::new(
        Arc::new(item.field("item")),
        OffsetBuffer::from_lengths(lengths),
        child,
        Some(NullBuffer::from(valid)),
    )))
}
