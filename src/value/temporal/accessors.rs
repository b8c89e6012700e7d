//! The components of temporal values that `value.field` reads:
//! `d.year`, `t.hour`, `dt.timezone`, `dt.epochSeconds`, `dur.days`, ….

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::format::format_offset;
use super::{DateTime, Duration};
use crate::value::Value;

impl Value {
    /// The component `name` (case-sensitive, as openCypher spells it) of a
    /// temporal value; `None` for other values and unknown components.
    pub fn temporal_field(&self, name: &str) -> Option<Value> {
        match self {
            Value::Date(d) => date_field(d, name),
            Value::LocalDateTime(dt) => {
                time_field(&dt.time(), name).or_else(|| date_field(&dt.date(), name))
            }
            Value::DateTime(dt) => datetime_field(dt, name),
            Value::LocalTime(t) => time_field(t, name),
            Value::Time(t) => {
                time_field(&t.time, name).or_else(|| offset_field(t.offset, None, name))
            }
            Value::Duration(d) => duration_field(d, name),
            _ => None,
        }
    }
}

fn date_field(d: &NaiveDate, name: &str) -> Option<Value> {
    let v = match name {
        "year" => i64::from(d.year()),
        "month" => i64::from(d.month()),
        "day" => i64::from(d.day()),
        "quarter" => i64::from(d.month0() / 3 + 1),
        "week" => i64::from(d.iso_week().week()),
        "weekYear" => i64::from(d.iso_week().year()),
        "dayOfWeek" | "weekDay" => i64::from(d.weekday().number_from_monday()),
        "ordinalDay" => i64::from(d.ordinal()),
        "dayOfQuarter" => {
            let first = NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1)?;
            (*d - first).num_days() + 1
        }
        _ => return None,
    };
    Some(Value::Int(v))
}

fn time_field(t: &NaiveTime, name: &str) -> Option<Value> {
    let nanos = i64::from(t.nanosecond().min(999_999_999));
    let v = match name {
        "hour" => i64::from(t.hour()),
        "minute" => i64::from(t.minute()),
        "second" => i64::from(t.second()),
        "millisecond" => nanos / 1_000_000,
        "microsecond" => nanos / 1000,
        "nanosecond" => nanos,
        _ => return None,
    };
    Some(Value::Int(v))
}

fn offset_field(offset: i32, zone: Option<&str>, name: &str) -> Option<Value> {
    Some(match name {
        "timezone" => Value::from(zone.map_or_else(|| format_offset(offset), str::to_owned)),
        "offset" => Value::from(format_offset(offset)),
        "offsetMinutes" => Value::Int(i64::from(offset / 60)),
        "offsetSeconds" => Value::Int(i64::from(offset)),
        _ => return None,
    })
}

fn datetime_field(dt: &DateTime, name: &str) -> Option<Value> {
    let utc = dt.utc().and_utc();
    match name {
        "epochSeconds" => Some(Value::Int(utc.timestamp())),
        "epochMillis" => Some(Value::Int(utc.timestamp_millis())),
        _ => time_field(&dt.local.time(), name)
            .or_else(|| date_field(&dt.local.date(), name))
            .or_else(|| offset_field(dt.offset, dt.zone.as_deref(), name)),
    }
}

fn duration_field(d: &Duration, name: &str) -> Option<Value> {
    let total = d.time_nanos();
    let nanos = i64::from(d.nanos);
    let v = match name {
        "years" => d.months / 12,
        "quarters" => d.months / 3,
        "months" => d.months,
        "weeks" => d.days / 7,
        "days" => d.days,
        "hours" => d.seconds / 3600,
        "minutes" => d.seconds / 60,
        "seconds" => d.seconds,
        "milliseconds" => i64::try_from(total.div_euclid(1_000_000)).ok()?,
        "microseconds" => i64::try_from(total.div_euclid(1000)).ok()?,
        "nanoseconds" => i64::try_from(total).ok()?,
        "quartersOfYear" => d.months / 3 % 4,
        "monthsOfQuarter" => d.months % 3,
        "monthsOfYear" => d.months % 12,
        "daysOfWeek" => d.days % 7,
        "minutesOfHour" => d.seconds / 60 % 60,
        "secondsOfMinute" => d.seconds % 60,
        "millisecondsOfSecond" => nanos / 1_000_000,
        "microsecondsOfSecond" => nanos / 1000,
        "nanosecondsOfSecond" => nanos,
        _ => return None,
    };
    Some(Value::Int(v))
}
