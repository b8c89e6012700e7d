//! Values that text formats without a native type for them (JSON, GraphML,
//! CSV) carry as ISO 8601 text plus a type tag: `date`, `localdatetime`,
//! `datetime`, `localtime`, `time`, `duration`. [`tag`] and [`iso_text`]
//! write them, [`parse`] reads them back; the text is the one the
//! language prints and its constructor functions read, so
//! `parse(tag(v), iso_text(v)) == v` for every temporal value.

use super::temporal::{Zone, format_date, format_local_datetime, format_time_of_day};
use super::{DateTime, Time, Value, parse_date, parse_datetime, parse_local_datetime};

/// Every tag, in the order the language introduces the types.
pub const TAGS: &[&str] = &[
    "date",
    "localdatetime",
    "datetime",
    "localtime",
    "time",
    "duration",
];

/// The tag of a temporal value; `None` for every other value.
pub fn tag(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Date(_) => "date",
        Value::LocalDateTime(_) => "localdatetime",
        Value::DateTime(_) => "datetime",
        Value::LocalTime(_) => "localtime",
        Value::Time(_) => "time",
        Value::Duration(_) => "duration",
        _ => return None,
    })
}

/// The ISO 8601 text of a temporal value; `None` for every other value.
pub fn iso_text(value: &Value) -> Option<String> {
    Some(match value {
        Value::Date(d) => format_date(d),
        Value::LocalDateTime(d) => format_local_datetime(d),
        Value::DateTime(d) => d.to_string(),
        Value::LocalTime(t) => format_time_of_day(t),
        Value::Time(t) => t.to_string(),
        Value::Duration(d) => d.to_string(),
        _ => return None,
    })
}

/// Reads the text of a value tagged `tag`; `None` when the tag is unknown
/// or the text is not a value of that type.
pub fn parse(tag: &str, text: &str) -> Option<Value> {
    Some(match tag {
        "date" => Value::Date(parse_date(text)?),
        "localdatetime" => Value::LocalDateTime(parse_local_datetime(text)?),
        "datetime" => {
            let (local, offset, zone) = parse_datetime(text)?;
            let zone = match zone {
                Some(z) => z,
                None => Zone::offset(offset.unwrap_or(0))?,
            };
            Value::DateTime(DateTime::at_local(local, &zone, offset)?)
        }
        "localtime" => Value::LocalTime(super::parse_local_time(text)?),
        "time" => {
            let (time, offset) = super::parse_time(text)?;
            Value::Time(Time {
                time,
                offset: offset.unwrap_or(0),
            })
        }
        "duration" => Value::Duration(crate::exec::functions::parse_duration(text)?),
        _ => return None,
    })
}

/// The float text formats write for numbers JSON cannot hold: `NaN`,
/// `Infinity`, `-Infinity`; `None` for finite floats.
pub fn special_float(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("Infinity")
    } else if f == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// Reads `NaN`, `Infinity`, `-Infinity` (and `inf`, any case) or a decimal.
pub fn parse_float(text: &str) -> Option<f64> {
    match text.trim() {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        t => t.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    #[test]
    fn every_temporal_type_reads_back_its_text() {
        let mut s = Session::new();
        let r = s
            .run(
                "RETURN date('2025-02-10'), localdatetime('2025-02-10T12:30:01.5'), \
                 datetime('2025-01-01T10:00+01:00[Europe/Stockholm]'), datetime('2025-01-01T10:00-03:30'), \
                 localtime('23:59'), time('10:00:01.5-03:00'), duration('P1Y-2M3DT-4H-5.5S')",
            )
            .unwrap();
        for v in &r.rows[0] {
            let back = parse(tag(v).unwrap(), &iso_text(v).unwrap());
            assert_eq!(back.as_ref(), Some(v), "{v:?}");
        }
        assert!(parse("date", "2025-02-30").is_none());
        assert!(parse("widget", "x").is_none());
    }
}
