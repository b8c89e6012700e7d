//! One typed column: the values of one property key for the rows of one
//! table, with a validity bitmap (an absent property is an invalid row;
//! properties never hold null).

use std::sync::Arc;

use super::bitmap::Bitmap;
use super::dict::Dictionary;
use super::temporal::{
    date_to_days, days_to_date, local_datetime_to_nanos, nanos_to_local_datetime,
};
use crate::value::Value;

/// The values of a column, by type. Invalid rows hold a filler (0, false,
/// code 0 or `Value::Null`) that readers must ignore. Temporal codes are
/// described in [`super::temporal`].
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// Integers.
    Int(Vec<i64>),
    /// Floats.
    Float(Vec<f64>),
    /// Booleans, one bit a row.
    Bool(Bitmap),
    /// Strings as codes into the store's [`Dictionary`].
    Str(Vec<u32>),
    /// Dates as days since 1970-01-01 ([`super::date_to_days`]).
    Date(Vec<i32>),
    /// Local date-times as nanoseconds since 1970-01-01T00:00
    /// ([`super::local_datetime_to_nanos`]); one without such a code makes
    /// the column `Any`.
    LocalDateTime(Vec<i64>),
    /// Anything else, or a mix of types: the values themselves.
    Any(Vec<Value>),
}

/// The type a value would get in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Bool,
    Str,
    Date,
    LocalDateTime,
    Any,
}

fn kind_of(value: &Value) -> Kind {
    match value {
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Bool(_) => Kind::Bool,
        Value::String(_) => Kind::Str,
        Value::Date(_) => Kind::Date,
        Value::LocalDateTime(t) if local_datetime_to_nanos(t).is_some() => Kind::LocalDateTime,
        _ => Kind::Any,
    }
}

/// A column: typed data plus validity.
#[derive(Debug, Clone)]
pub struct Column {
    data: ColumnData,
    valid: Bitmap,
}

impl Column {
    /// A column of `len` absent rows, typed for `value`.
    pub fn for_value(value: &Value, len: usize) -> Column {
        let data = match kind_of(value) {
            Kind::Int => ColumnData::Int(vec![0; len]),
            Kind::Float => ColumnData::Float(vec![0.0; len]),
            Kind::Bool => ColumnData::Bool(Bitmap::zeros(len)),
            Kind::Str => ColumnData::Str(vec![0; len]),
            Kind::Date => ColumnData::Date(vec![0; len]),
            Kind::LocalDateTime => ColumnData::LocalDateTime(vec![0; len]),
            Kind::Any => ColumnData::Any(vec![Value::Null; len]),
        };
        Column {
            data,
            valid: Bitmap::zeros(len),
        }
    }

    /// A column from its typed data and validity, as a snapshot stores
    /// them. Checks that both have the same length, that every valid
    /// string code is below `dict_len` and that `Any` columns hold null
    /// exactly in their invalid rows, and that valid date codes are dates;
    /// invalid string and date rows get code 0.
    pub fn from_parts(data: ColumnData, valid: Bitmap, dict_len: usize) -> Result<Column, String> {
        let len = match &data {
            ColumnData::Int(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Str(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::LocalDateTime(v) => v.len(),
            ColumnData::Any(v) => v.len(),
        };
        if len != valid.len() {
            return Err(format!(
                "a column has {len} values but {} validity bits",
                valid.len()
            ));
        }
        let mut data = data;
        match &mut data {
            ColumnData::Str(codes) => {
                for (row, code) in codes.iter_mut().enumerate() {
                    if (*code as usize) < dict_len {
                        continue;
                    }
                    if valid.get(row) {
                        return Err(format!("string code {code} is not in the dictionary"));
                    }
                    *code = 0;
                }
            }
            ColumnData::Date(days) => {
                for (row, d) in days.iter_mut().enumerate() {
                    if days_to_date(*d).is_some() {
                        continue;
                    }
                    if valid.get(row) {
                        return Err(format!("day {d} is not a date"));
                    }
                    *d = 0;
                }
            }
            ColumnData::Any(values) => {
                for (row, value) in values.iter().enumerate() {
                    if value.is_null() == valid.get(row) {
                        return Err(
                            "a value column holds null in a valid row, or a value in an absent one"
                                .to_string(),
                        );
                    }
                }
            }
            _ => {}
        }
        Ok(Column { data, valid })
    }

    /// The typed values (read only those rows [`Column::is_valid`] accepts).
    pub fn data(&self) -> &ColumnData {
        &self.data
    }
    /// Which rows hold a value.
    pub fn validity(&self) -> &Bitmap {
        &self.valid
    }
    /// Whether row `row` holds a value.
    pub fn is_valid(&self, row: usize) -> bool {
        self.valid.get(row)
    }
    /// Gives back spare capacity (after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.valid.shrink_to_fit();
        match &mut self.data {
            ColumnData::Int(v) | ColumnData::LocalDateTime(v) => v.shrink_to_fit(),
            ColumnData::Float(v) => v.shrink_to_fit(),
            ColumnData::Bool(v) => v.shrink_to_fit(),
            ColumnData::Str(v) => v.shrink_to_fit(),
            ColumnData::Date(v) => v.shrink_to_fit(),
            ColumnData::Any(v) => v.shrink_to_fit(),
        }
    }
    /// How many rows (valid or not).
    pub fn len(&self) -> usize {
        self.valid.len()
    }
    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// The value at `row`, if the row holds one.
    pub fn get(&self, row: usize, dict: &Dictionary) -> Option<Value> {
        if !self.valid.get(row) {
            return None;
        }
        Some(match &self.data {
            ColumnData::Int(v) => Value::Int(v[row]),
            ColumnData::Float(v) => Value::Float(v[row]),
            ColumnData::Bool(v) => Value::Bool(v.get(row)),
            ColumnData::Str(v) => Value::String(Arc::clone(dict.get(v[row]))),
            // Codes are only written from dates, so they always decode.
            ColumnData::Date(v) => Value::Date(days_to_date(v[row]).unwrap_or_default()),
            ColumnData::LocalDateTime(v) => Value::LocalDateTime(nanos_to_local_datetime(v[row])),
            ColumnData::Any(v) => v[row].clone(),
        })
    }

    /// Appends an absent row.
    pub fn push_absent(&mut self) {
        self.valid.push(false);
        match &mut self.data {
            ColumnData::Int(v) => v.push(0),
            ColumnData::Float(v) => v.push(0.0),
            ColumnData::Bool(v) => v.push(false),
            ColumnData::Str(v) => v.push(0),
            ColumnData::Date(v) => v.push(0),
            ColumnData::LocalDateTime(v) => v.push(0),
            ColumnData::Any(v) => v.push(Value::Null),
        }
    }

    /// Moves the last row to `row` and drops the last position.
    pub fn swap_remove(&mut self, row: usize) {
        self.valid.swap_remove(row);
        match &mut self.data {
            ColumnData::Int(v) => {
                v.swap_remove(row);
            }
            ColumnData::Float(v) => {
                v.swap_remove(row);
            }
            ColumnData::Bool(v) => v.swap_remove(row),
            ColumnData::Str(v) => {
                v.swap_remove(row);
            }
            ColumnData::Date(v) => {
                v.swap_remove(row);
            }
            ColumnData::LocalDateTime(v) => {
                v.swap_remove(row);
            }
            ColumnData::Any(v) => {
                v.swap_remove(row);
            }
        }
    }

    /// Makes `row` absent; returns the value it held.
    pub fn clear(&mut self, row: usize, dict: &Dictionary) -> Option<Value> {
        let old = self.get(row, dict)?;
        self.valid.set(row, false);
        if let ColumnData::Any(v) = &mut self.data {
            v[row] = Value::Null;
        }
        Some(old)
    }

    /// Stores a non-null `value` at `row`; returns the value it replaced.
    /// A value of another type than the column's re-types an all-absent
    /// column and turns any other column into `Any`.
    pub fn set(&mut self, row: usize, value: Value, dict: &mut Dictionary) -> Option<Value> {
        debug_assert!(!value.is_null());
        let old = self.get(row, dict);
        if !self.accepts(&value) {
            if self.valid.count_ones() == 0 {
                *self = Column::for_value(&value, self.len());
            } else {
                self.widen(dict);
            }
        }
        let stored = match (&mut self.data, value) {
            (ColumnData::Int(v), Value::Int(x)) => {
                v[row] = x;
                true
            }
            (ColumnData::Float(v), Value::Float(x)) => {
                v[row] = x;
                true
            }
            (ColumnData::Bool(v), Value::Bool(x)) => {
                v.set(row, x);
                true
            }
            (ColumnData::Str(v), Value::String(s)) => match dict.intern(&s) {
                Some(code) => {
                    v[row] = code;
                    true
                }
                None => {
                    // The dictionary is full: keep this column as values.
                    self.widen(dict);
                    if let ColumnData::Any(v) = &mut self.data {
                        v[row] = Value::String(s);
                    }
                    true
                }
            },
            (ColumnData::Date(v), Value::Date(d)) => {
                v[row] = date_to_days(d);
                true
            }
            // `accepts` only lets in local date-times that have a code.
            (ColumnData::LocalDateTime(v), Value::LocalDateTime(t)) => {
                match local_datetime_to_nanos(&t) {
                    Some(nanos) => {
                        v[row] = nanos;
                        true
                    }
                    None => false,
                }
            }
            (ColumnData::Any(v), x) => {
                v[row] = x;
                true
            }
            _ => false,
        };
        debug_assert!(stored, "a column was not widened for its value");
        self.valid.set(row, stored);
        old
    }

    fn accepts(&self, value: &Value) -> bool {
        matches!(
            (&self.data, kind_of(value)),
            (ColumnData::Int(_), Kind::Int)
                | (ColumnData::Float(_), Kind::Float)
                | (ColumnData::Bool(_), Kind::Bool)
                | (ColumnData::Str(_), Kind::Str)
                | (ColumnData::Date(_), Kind::Date)
                | (ColumnData::LocalDateTime(_), Kind::LocalDateTime)
                | (ColumnData::Any(_), _)
        )
    }

    /// Turns the column into an `Any` column holding the same values.
    fn widen(&mut self, dict: &Dictionary) {
        if matches!(self.data, ColumnData::Any(_)) {
            return;
        }
        let values = (0..self.len())
            .map(|row| self.get(row, dict).unwrap_or(Value::Null))
            .collect();
        self.data = ColumnData::Any(values);
    }

    /// Bytes held on the heap (not counting `Any` values' own heap).
    pub fn heap_bytes(&self) -> usize {
        self.valid.heap_bytes()
            + match &self.data {
                ColumnData::Int(v) => v.capacity() * 8,
                ColumnData::Float(v) => v.capacity() * 8,
                ColumnData::Bool(v) => v.heap_bytes(),
                ColumnData::Str(v) => v.capacity() * 4,
                ColumnData::Date(v) => v.capacity() * 4,
                ColumnData::LocalDateTime(v) => v.capacity() * 8,
                ColumnData::Any(v) => v.capacity() * std::mem::size_of::<Value>(),
            }
    }
}
