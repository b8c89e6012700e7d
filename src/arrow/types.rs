//! Choosing one Arrow type for a column of kgq values: each value proposes
//! a [`ColumnType`], and [`ColumnType::merge`] folds the proposals into the
//! narrowest type that holds every value without loss (falling back to
//! tagged text or JSON when the values' types differ).

use std::collections::HashMap;
use std::sync::Arc;

use ::arrow::datatypes::{DataType, Field, Fields, TimeUnit};

use crate::value::Value;

/// The field metadata key naming the kgq type a column holds where the
/// Arrow type alone does not say it (`node`, `relationship`, `duration`,
/// `json`, or a temporal tag such as `time` on a text column).
pub const KGQ_TYPE: &str = "kgq.type";

/// The field metadata key naming the property a column holds when the
/// column's name differs from it (the Parquet export renames a property
/// called `id`, `src`, `dst` or `labels` to `prop_id`, …).
pub const KGQ_PROPERTY: &str = "kgq.property";

/// The Arrow time zone string (`+01:00`) for an offset of `seconds` east
/// of UTC; `None` for offsets with seconds, which Arrow cannot name.
pub fn offset_zone(seconds: i32) -> Option<String> {
    if seconds % 60 != 0 {
        return None;
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    Some(format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60))
}

/// The type of one column, before it becomes an Arrow [`DataType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// Only nulls seen (written as nullable text).
    Null,
    /// `Boolean`.
    Bool,
    /// `Int64`.
    Int,
    /// `Float64`.
    Float,
    /// `Utf8`.
    String,
    /// `Date32`.
    Date,
    /// `Timestamp(ns)` without a zone.
    LocalDateTime,
    /// `Timestamp(ns, zone)`: every value is in this zone (an IANA name or
    /// an offset such as `+01:00`).
    DateTime(Arc<str>),
    /// `Time64(ns)`.
    LocalTime,
    /// The struct `{months, days, seconds: Int64, nanoseconds: Int32}`.
    Duration,
    /// `Int64` holding a node id.
    Node,
    /// `Int64` holding a relationship id.
    Relationship,
    /// `List` of the element type.
    List(Box<ColumnType>),
    /// `Utf8` holding the ISO 8601 text of a temporal value of this tag
    /// (`time`, `datetime`, `localdatetime`): used for times with an offset,
    /// date-times in several zones, and instants outside the
    /// nanosecond timestamp range (years 1677–2262).
    Text(&'static str),
    /// `Utf8` holding JSON: maps, paths, and columns whose values have
    /// different types.
    Json,
}

/// The zone a date-time column is written in: the value's IANA zone name,
/// else its offset (`None` when Arrow cannot name it).
fn zone_of(d: &crate::value::DateTime) -> Option<Arc<str>> {
    match &d.zone {
        Some(z) => Some(z.clone()),
        None => offset_zone(d.offset).map(Arc::from),
    }
}

/// Whether a date-time fits a nanosecond timestamp.
fn fits_nanos(utc: &chrono::NaiveDateTime) -> bool {
    utc.and_utc().timestamp_nanos_opt().is_some()
}

impl ColumnType {
    /// The type proposed by one value.
    pub fn of(value: &Value) -> ColumnType {
        match value {
            Value::Null => ColumnType::Null,
            Value::Bool(_) => ColumnType::Bool,
            Value::Int(_) => ColumnType::Int,
            Value::Float(_) => ColumnType::Float,
            Value::String(_) => ColumnType::String,
            Value::Date(_) => ColumnType::Date,
            Value::LocalDateTime(d) if fits_nanos(d) => ColumnType::LocalDateTime,
            Value::LocalDateTime(_) => ColumnType::Text("localdatetime"),
            Value::DateTime(d) => match zone_of(d) {
                Some(zone) if fits_nanos(&d.utc()) => ColumnType::DateTime(zone),
                _ => ColumnType::Text("datetime"),
            },
            Value::LocalTime(_) => ColumnType::LocalTime,
            Value::Time(_) => ColumnType::Text("time"),
            Value::Duration(_) => ColumnType::Duration,
            Value::Node(_) => ColumnType::Node,
            Value::Relationship(_) => ColumnType::Relationship,
            Value::List(items) => ColumnType::List(Box::new(ColumnType::infer(items))),
            Value::Map(_) | Value::Path(_) => ColumnType::Json,
        }
    }

    /// The narrowest type holding every value of `values`.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a Value>) -> ColumnType {
        let mut ty = ColumnType::Null;
        for v in values {
            ty = ty.merge(ColumnType::of(v));
            if ty == ColumnType::Json {
                break;
            }
        }
        ty
    }

    /// The narrowest type holding the values of both types.
    pub fn merge(self, other: ColumnType) -> ColumnType {
        use ColumnType as T;
        match (self, other) {
            (T::Null, t) | (t, T::Null) => t,
            (a, b) if a == b => a,
            (T::List(a), T::List(b)) => match a.merge(*b) {
                T::Json => T::Json,
                t => T::List(Box::new(t)),
            },
            // Date-times in several zones, or some out of range, keep
            // their text.
            (T::DateTime(_) | T::Text("datetime"), T::DateTime(_) | T::Text("datetime")) => {
                T::Text("datetime")
            }
            (T::LocalDateTime | T::Text("localdatetime"), T::LocalDateTime)
            | (T::LocalDateTime, T::Text("localdatetime")) => T::Text("localdatetime"),
            _ => T::Json,
        }
    }

    /// The Arrow field for a column called `name` of this type (always
    /// nullable); kgq-specific types carry [`KGQ_TYPE`] metadata.
    pub fn field(&self, name: &str) -> Field {
        let field = Field::new(name, self.data_type(), true);
        match self.tag() {
            Some(tag) => {
                field.with_metadata(HashMap::from([(KGQ_TYPE.to_string(), tag.to_string())]))
            }
            None => field,
        }
    }

    /// The [`KGQ_TYPE`] tag, for the types that need one.
    fn tag(&self) -> Option<&'static str> {
        match self {
            ColumnType::Duration => Some("duration"),
            ColumnType::Node => Some("node"),
            ColumnType::Relationship => Some("relationship"),
            ColumnType::Text(tag) => Some(tag),
            ColumnType::Json => Some("json"),
            _ => None,
        }
    }

    /// The Arrow data type.
    pub fn data_type(&self) -> DataType {
        match self {
            ColumnType::Null | ColumnType::String | ColumnType::Text(_) | ColumnType::Json => {
                DataType::Utf8
            }
            ColumnType::Bool => DataType::Boolean,
            ColumnType::Int | ColumnType::Node | ColumnType::Relationship => DataType::Int64,
            ColumnType::Float => DataType::Float64,
            ColumnType::Date => DataType::Date32,
            ColumnType::LocalDateTime => DataType::Timestamp(TimeUnit::Nanosecond, None),
            ColumnType::DateTime(zone) => {
                DataType::Timestamp(TimeUnit::Nanosecond, Some(zone.clone()))
            }
            ColumnType::LocalTime => DataType::Time64(TimeUnit::Nanosecond),
            ColumnType::Duration => DataType::Struct(duration_fields()),
            ColumnType::List(item) => DataType::List(Arc::new(item.field("item"))),
        }
    }
}

/// The fields of the duration struct.
pub fn duration_fields() -> Fields {
    Fields::from(vec![
        Field::new("months", DataType::Int64, false),
        Field::new("days", DataType::Int64, false),
        Field::new("seconds", DataType::Int64, false),
        Field::new("nanoseconds", DataType::Int32, false),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_the_narrowest_lossless_type() {
        let ints = [Value::Int(1), Value::Null, Value::Int(2)];
        assert_eq!(ColumnType::infer(&ints), ColumnType::Int);
        let mixed = [Value::Int(1), Value::from("x")];
        assert_eq!(ColumnType::infer(&mixed), ColumnType::Json);
        let lists = [
            Value::List(vec![].into()),
            Value::List(vec![Value::from("a")].into()),
            Value::Null,
        ];
        assert_eq!(
            ColumnType::infer(&lists),
            ColumnType::List(Box::new(ColumnType::String))
        );
        let nothing: [Value; 0] = [];
        assert_eq!(ColumnType::infer(&nothing), ColumnType::Null);
        assert_eq!(ColumnType::Null.data_type(), DataType::Utf8);
    }

    #[test]
    fn date_times_in_several_zones_become_text() {
        let a = crate::value::parse_datetime("2024-01-01T10:00:00+01:00").unwrap();
        let zone = crate::value::Zone::offset(a.1.unwrap()).unwrap();
        let one = Value::DateTime(crate::value::DateTime::at_local(a.0, &zone, a.1).unwrap());
        let zone2 = crate::value::Zone::offset(7200).unwrap();
        let two = Value::DateTime(crate::value::DateTime::at_local(a.0, &zone2, None).unwrap());
        assert_eq!(
            ColumnType::infer([&one, &one]),
            ColumnType::DateTime(Arc::from("+01:00"))
        );
        assert_eq!(
            ColumnType::infer([&one, &two]),
            ColumnType::Text("datetime")
        );
    }
}
