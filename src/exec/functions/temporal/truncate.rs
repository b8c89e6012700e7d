//! `date.truncate`, `localtime.truncate`, `time.truncate`,
//! `localdatetime.truncate`, `datetime.truncate`: a temporal value cut
//! down to the start of a unit, then adjusted by an optional map of fields.
//!
//! Units: `millennium`, `century`, `decade`, `year`, `weekYear`, `quarter`,
//! `month`, `week` (ISO, from Monday), `day`, `hour`, `minute`, `second`,
//! `millisecond`, `microsecond`. In the map, `year` … `day` (and `week`,
//! `dayOfWeek`, …) and `hour`, `minute`, `second` replace the truncated
//! fields, sub-second fields are added to the truncated fraction, and
//! `timezone` (for `time` and `datetime`) places the truncated local time
//! in another zone.

use chrono::{Datelike, NaiveTime, TimeDelta, Timelike};

use super::fields::{DATE_KEYS, Fields, TIME_KEYS};
use super::{Parts, date_out_of_range, now_utc};
use crate::error::Result;
use crate::exec::functions::{arg, invalid_value, type_error};
use crate::graph::Graph;
use crate::value::temporal::weekday;
use crate::value::{Date, DateTime, Time, Value, Zone};

/// A unit to truncate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Millennium,
    Century,
    Decade,
    Year,
    WeekYear,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

impl Unit {
    fn parse(name: &str, text: &str) -> Result<Unit> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "millennium" => Unit::Millennium,
            "century" => Unit::Century,
            "decade" => Unit::Decade,
            "year" => Unit::Year,
            "weekyear" => Unit::WeekYear,
            "quarter" => Unit::Quarter,
            "month" => Unit::Month,
            "week" => Unit::Week,
            "day" => Unit::Day,
            "hour" => Unit::Hour,
            "minute" => Unit::Minute,
            "second" => Unit::Second,
            "millisecond" => Unit::Millisecond,
            "microsecond" => Unit::Microsecond,
            _ => {
                return Err(invalid_value(format!(
                    "{name}(): unknown unit '{text}' (use millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute, second, millisecond or microsecond)"
                )));
            }
        })
    }
}

/// The first day of the unit containing `date` (`Day` and finer: `date`).
fn truncate_date(unit: Unit, date: Date) -> Option<Date> {
    let year = date.year();
    let first_of = |y: i32, m: u32| Date::from_ymd_opt(y, m, 1);
    match unit {
        Unit::Millennium => first_of(year - year.rem_euclid(1000), 1),
        Unit::Century => first_of(year - year.rem_euclid(100), 1),
        Unit::Decade => first_of(year - year.rem_euclid(10), 1),
        Unit::Year => first_of(year, 1),
        Unit::WeekYear => Date::from_isoywd_opt(date.iso_week().year(), 1, weekday(1)?),
        Unit::Quarter => first_of(year, date.month0() / 3 * 3 + 1),
        Unit::Month => first_of(year, date.month()),
        Unit::Week => date.checked_sub_signed(TimeDelta::days(i64::from(
            date.weekday().num_days_from_monday(),
        ))),
        _ => Some(date),
    }
}

/// The start of the unit containing `time` (units of a day or more:
/// midnight).
fn truncate_time(unit: Unit, time: NaiveTime) -> NaiveTime {
    let nanos = time.nanosecond();
    let (h, m, s) = (time.hour(), time.minute(), time.second());
    let t = match unit {
        Unit::Hour => NaiveTime::from_hms_opt(h, 0, 0),
        Unit::Minute => NaiveTime::from_hms_opt(h, m, 0),
        Unit::Second => NaiveTime::from_hms_opt(h, m, s),
        Unit::Millisecond => NaiveTime::from_hms_nano_opt(h, m, s, nanos / 1_000_000 * 1_000_000),
        Unit::Microsecond => NaiveTime::from_hms_nano_opt(h, m, s, nanos / 1000 * 1000),
        _ => None,
    };
    t.unwrap_or(NaiveTime::MIN)
}

/// The unit, the parts of the value and the fields of the map, or `None`
/// when the unit or the value is null.
fn read_args(name: &str, args: &[Value], zoned: bool) -> Result<Option<(Unit, Parts, Fields)>> {
    let unit = match arg(args, 0) {
        Value::Null => return Ok(None),
        Value::String(u) => Unit::parse(name, u)?,
        other => return Err(type_error(name, "a unit name", other)),
    };
    let parts = match arg(args, 1) {
        Value::Null => return Ok(None),
        other => Parts::of(other)
            .ok_or_else(|| type_error(name, "a temporal value to truncate", other))?,
    };
    let fields = match arg(args, 2) {
        Value::Null => Fields::default(),
        Value::Map(m) => Fields::read(name, m, &[DATE_KEYS, TIME_KEYS], zoned)?,
        other => return Err(type_error(name, "a map of fields", other)),
    };
    Ok(Some((unit, parts, fields)))
}

/// The truncated and adjusted date of `parts`.
fn new_date(name: &str, unit: Unit, parts: &Parts, fields: &Fields) -> Result<Date> {
    let date = parts
        .date
        .ok_or_else(|| invalid_value(format!("{name}(): the value has no date to truncate")))?;
    let truncated = truncate_date(unit, date).ok_or_else(|| date_out_of_range(name))?;
    fields.overlay_date(name, truncated)
}

/// The truncated and adjusted time of day of `parts` (midnight for a date).
fn new_time(name: &str, unit: Unit, parts: &Parts, fields: &Fields) -> Result<NaiveTime> {
    let time = truncate_time(unit, parts.time.unwrap_or(NaiveTime::MIN));
    fields.overlay_time(name, time)
}

/// Refuses units longer than a day for values without a date.
fn time_unit(name: &str, unit: Unit) -> Result<()> {
    if unit < Unit::Day {
        return Err(invalid_value(format!(
            "{name}(): a time of day cannot be truncated to a unit longer than a day"
        )));
    }
    Ok(())
}

/// `date.truncate(unit, temporal [, map])`.
pub fn date_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let name = "date.truncate";
    let Some((unit, parts, fields)) = read_args(name, args, false)? else {
        return Ok(Value::Null);
    };
    if unit > Unit::Day {
        return Err(invalid_value(format!(
            "{name}(): a date cannot be truncated to a unit shorter than a day"
        )));
    }
    Ok(Value::Date(new_date(name, unit, &parts, &fields)?))
}

/// `localdatetime.truncate(unit, temporal [, map])`.
pub fn local_datetime_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let name = "localdatetime.truncate";
    let Some((unit, parts, fields)) = read_args(name, args, false)? else {
        return Ok(Value::Null);
    };
    let date = new_date(name, unit, &parts, &fields)?;
    Ok(Value::LocalDateTime(
        date.and_time(new_time(name, unit, &parts, &fields)?),
    ))
}

/// `datetime.truncate(unit, temporal [, map])`: in the map's `timezone`,
/// else the value's zone, else UTC.
pub fn datetime_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let name = "datetime.truncate";
    let Some((unit, parts, fields)) = read_args(name, args, true)? else {
        return Ok(Value::Null);
    };
    let local =
        new_date(name, unit, &parts, &fields)?.and_time(new_time(name, unit, &parts, &fields)?);
    let (zone, preferred) = match fields.zone {
        Some(zone) => (zone, None),
        None => (parts.zone.unwrap_or(Zone::UTC), parts.offset),
    };
    DateTime::at_local(local, &zone, preferred)
        .map(Value::DateTime)
        .ok_or_else(|| date_out_of_range(name))
}

/// `localtime.truncate(unit, temporal [, map])`.
pub fn local_time_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let name = "localtime.truncate";
    let Some((unit, parts, fields)) = read_args(name, args, false)? else {
        return Ok(Value::Null);
    };
    time_unit(name, unit)?;
    Ok(Value::LocalTime(new_time(name, unit, &parts, &fields)?))
}

/// `time.truncate(unit, temporal [, map])`: with the map's `timezone`,
/// else the value's offset, else UTC.
pub fn time_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let name = "time.truncate";
    let Some((unit, parts, fields)) = read_args(name, args, true)? else {
        return Ok(Value::Null);
    };
    time_unit(name, unit)?;
    let offset = match fields.zone {
        Some(zone) => zone.offset_at_utc(now_utc()),
        None => parts.offset.unwrap_or(0),
    };
    Ok(Value::Time(Time {
        time: new_time(name, unit, &parts, &fields)?,
        offset,
    }))
}
