//! Column types of CSV files: inferred from the values (as DuckDB's CSV
//! reader does: boolean, integer, float, ISO date, else string) or declared
//! in a neo4j-admin header (`founded:int`), and the conversion of one field.

use std::collections::HashMap;
use std::sync::Arc;

use crate::value::{Date, Value, parse_local_datetime, tagged};

/// The type of a CSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `true` / `false` (any case).
    Bool,
    /// A 64-bit signed integer.
    Int,
    /// A 64-bit float.
    Float,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// A local date-time `YYYY-MM-DDTHH:MM[:SS[.fff]]`.
    DateTime,
    /// A date-time with an offset and maybe a zone
    /// (`2025-02-10T12:00+01:00[Europe/Berlin]`; UTC when none is given).
    ZonedDateTime,
    /// A time of day without offset.
    LocalTime,
    /// A time of day with an offset (UTC when none is given).
    Time,
    /// An ISO 8601 duration (`P1Y2M3DT4H`).
    Duration,
    /// Any text.
    String,
}

impl ColumnType {
    /// The type named in a neo4j-admin header (`int`, `long`, `float`,
    /// `double`, `boolean`, `date`, `localdatetime`, `datetime`, `string`…).
    pub fn from_header(name: &str) -> Option<ColumnType> {
        Some(match name.to_ascii_lowercase().as_str() {
            "int" | "long" | "short" | "byte" | "integer" => ColumnType::Int,
            "float" | "double" => ColumnType::Float,
            "boolean" | "bool" => ColumnType::Bool,
            "date" => ColumnType::Date,
            "localdatetime" => ColumnType::DateTime,
            "datetime" => ColumnType::ZonedDateTime,
            "localtime" => ColumnType::LocalTime,
            "time" => ColumnType::Time,
            "duration" => ColumnType::Duration,
            "string" | "char" => ColumnType::String,
            _ => return None,
        })
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Bool => "boolean",
            ColumnType::Int => "integer",
            ColumnType::Float => "float",
            ColumnType::Date => "date",
            ColumnType::DateTime => "local date-time",
            ColumnType::ZonedDateTime => "date-time",
            ColumnType::LocalTime => "local time",
            ColumnType::Time => "time",
            ColumnType::Duration => "duration",
            ColumnType::String => "string",
        }
    }
}

const BOOL: u8 = 1;
const INT: u8 = 2;
const FLOAT: u8 = 4;
const DATE: u8 = 8;
const ALL: u8 = BOOL | INT | FLOAT | DATE;

/// The types a column may still have, narrowed by every value seen.
#[derive(Debug, Clone, Copy)]
pub struct Candidates(u8);

impl Default for Candidates {
    fn default() -> Self {
        Candidates(ALL)
    }
}

impl Candidates {
    /// Narrows by one field (an empty field is null and narrows nothing).
    pub fn observe(&mut self, field: &str) {
        if field.is_empty() || self.0 == 0 {
            return;
        }
        let mut keep = 0;
        if self.0 & BOOL != 0 && parse_bool(field).is_some() {
            keep |= BOOL;
        }
        if self.0 & INT != 0 && parse_int(field).is_some() {
            keep |= INT;
        }
        if self.0 & FLOAT != 0 && parse_float(field).is_some() {
            keep |= FLOAT;
        }
        if self.0 & DATE != 0 && parse_iso_date(field).is_some() {
            keep |= DATE;
        }
        self.0 = keep;
    }

    /// The narrowest type every value seen fits (string when nothing else does).
    pub fn resolve(self) -> ColumnType {
        if self.0 == ALL {
            // Only empty fields: nulls, stored as nothing.
            ColumnType::String
        } else if self.0 & BOOL != 0 {
            ColumnType::Bool
        } else if self.0 & INT != 0 {
            ColumnType::Int
        } else if self.0 & FLOAT != 0 {
            ColumnType::Float
        } else if self.0 & DATE != 0 {
            ColumnType::Date
        } else {
            ColumnType::String
        }
    }
}

fn parse_bool(field: &str) -> Option<bool> {
    if field.eq_ignore_ascii_case("true") {
        Some(true)
    } else if field.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_int(field: &str) -> Option<i64> {
    field.parse::<i64>().ok()
}

/// A decimal number: digits, sign, point and exponent only (so that `inf`
/// and `NaN` stay strings).
fn parse_float(field: &str) -> Option<f64> {
    let numeric = field
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if !numeric || !field.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse::<f64>().ok()
}

/// `YYYY-MM-DD` exactly (fast path; no other forms are sniffed as dates).
pub fn parse_iso_date(field: &str) -> Option<Date> {
    let b = field.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    Date::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// Shares the text of repeated string values (categories, titles): up to
/// `LIMIT` distinct values per column are kept, the rest are allocated
/// one by one.
#[derive(Debug, Default)]
pub struct StringPool {
    seen: HashMap<Box<str>, Arc<str>>,
}

impl StringPool {
    const LIMIT: usize = 4096;

    /// The value for `text`, shared with earlier equal texts when possible.
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(s) = self.seen.get(text) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(text);
        if self.seen.len() < Self::LIMIT {
            self.seen.insert(text.into(), s.clone());
        }
        s
    }
}

/// Converts a non-empty field to a value of `ty`; `Err` names what was expected.
pub fn convert(field: &str, ty: ColumnType, pool: &mut StringPool) -> Result<Value, String> {
    let bad = || format!("`{field}` is not a valid {}", ty.name());
    Ok(match ty {
        ColumnType::Bool => Value::Bool(parse_bool(field.trim()).ok_or_else(bad)?),
        ColumnType::Int => Value::Int(parse_int(field.trim()).ok_or_else(bad)?),
        ColumnType::Float => Value::Float(field.trim().parse::<f64>().map_err(|_| bad())?),
        ColumnType::Date => Value::Date(
            parse_iso_date(field.trim())
                .or_else(|| crate::value::parse_date(field))
                .ok_or_else(bad)?,
        ),
        ColumnType::DateTime => Value::LocalDateTime(parse_local_datetime(field).ok_or_else(bad)?),
        ColumnType::ZonedDateTime => tagged::parse("datetime", field).ok_or_else(bad)?,
        ColumnType::LocalTime => tagged::parse("localtime", field).ok_or_else(bad)?,
        ColumnType::Time => tagged::parse("time", field).ok_or_else(bad)?,
        ColumnType::Duration => tagged::parse("duration", field).ok_or_else(bad)?,
        ColumnType::String => Value::String(pool.get(field)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(values: &[&str]) -> ColumnType {
        let mut c = Candidates::default();
        for v in values {
            c.observe(v);
        }
        c.resolve()
    }

    #[test]
    fn narrowest_type_wins() {
        assert_eq!(infer(&["1", "-2", ""]), ColumnType::Int);
        assert_eq!(infer(&["1", "2.5"]), ColumnType::Float);
        assert_eq!(infer(&["true", "FALSE"]), ColumnType::Bool);
        assert_eq!(infer(&["2024-01-31", "2025-02-10"]), ColumnType::Date);
        assert_eq!(infer(&["2024-01-31", "soon"]), ColumnType::String);
        assert_eq!(infer(&["1", "inf"]), ColumnType::String);
        assert_eq!(infer(&["", ""]), ColumnType::String);
        assert_eq!(infer(&["2024-02-30"]), ColumnType::String);
    }

    #[test]
    fn fields_convert_or_say_why_not() {
        let mut pool = StringPool::default();
        assert_eq!(
            convert("42", ColumnType::Int, &mut pool),
            Ok(Value::Int(42))
        );
        assert!(
            convert("4x", ColumnType::Int, &mut pool)
                .unwrap_err()
                .contains("integer")
        );
        assert_eq!(
            convert("a", ColumnType::String, &mut pool),
            Ok(Value::from("a"))
        );
    }
}
