//! Temporal values built from other temporal values: the `date`, `time` and
//! `datetime` keys of a constructor's map (`date({date: d, day: 28})`,
//! `localdatetime({date: d, time: t, second: 42})`,
//! `datetime({datetime: x, timezone: '+05:00'})`).
//!
//! The rules (those of openCypher's temporal CIP and Neo4j):
//! - `date` selects the date of any value that has one, `time` the time of
//!   day (and zone) of any value that has one, `datetime` both and the zone;
//! - the other fields of the map replace the selected components (`day`
//!   keeps the month and year, `week` keeps the day of the week, `second`
//!   keeps the fraction of a second);
//! - the zone comes from the `time` or `datetime` source, never from the
//!   `date` source; a `timezone` field converts a zoned source to that zone
//!   (same instant) and gives a source without zone that zone (same local
//!   time). With no zone at all, `time` and `datetime` are in UTC.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, NaiveTime, TimeDelta, Timelike};

use super::fields::{DATE_KEYS, Fields, TIME_KEYS};
use super::{Parts, date_out_of_range};
use crate::error::Result;
use crate::exec::functions::{invalid_value, type_error};
use crate::value::{Date, DateTime, Time, Value, Zone};

/// The temporal type a constructor builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `date`
    Date,
    /// `localtime`
    LocalTime,
    /// `time`
    Time,
    /// `localdatetime`
    LocalDateTime,
    /// `datetime`
    DateTime,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Date => "date",
            Target::LocalTime => "localtime",
            Target::Time => "time",
            Target::LocalDateTime => "localdatetime",
            Target::DateTime => "datetime",
        }
    }

    /// The source keys this type accepts.
    fn sources(self) -> &'static [&'static str] {
        match self {
            Target::Date => &["date"],
            Target::LocalTime | Target::Time => &["time"],
            Target::LocalDateTime | Target::DateTime => &["date", "time", "datetime"],
        }
    }

    fn field_keys(self) -> &'static [&'static [&'static str]] {
        match self {
            Target::Date => &[DATE_KEYS],
            Target::LocalTime | Target::Time => &[TIME_KEYS],
            Target::LocalDateTime | Target::DateTime => &[DATE_KEYS, TIME_KEYS],
        }
    }

    fn zoned(self) -> bool {
        matches!(self, Target::Time | Target::DateTime)
    }
}

/// The components selected from the source values.
#[derive(Default)]
struct Selected {
    date: Option<Date>,
    time: Option<NaiveTime>,
    /// The zone and offset of the `time` or `datetime` source.
    zone: Option<(Zone, i32)>,
}

/// Builds a value of type `target` from `map` when it names a source value
/// (`date`, `time` or `datetime`, any case); `None` when it names none, so
/// the caller reads the map as plain fields.
pub fn from_map(target: Target, map: &BTreeMap<String, Value>) -> Result<Option<Value>> {
    let name = target.name();
    let is_source = |k: &str| ["date", "time", "datetime"].contains(&k.to_lowercase().as_str());
    if !map.keys().any(|k| is_source(k)) {
        return Ok(None);
    }
    let mut selected = Selected::default();
    let mut rest = BTreeMap::new();
    for (key, value) in map {
        let lower = key.to_lowercase();
        if !is_source(&lower) {
            rest.insert(key.clone(), value.clone());
            continue;
        }
        if !target.sources().contains(&lower.as_str()) {
            return Err(invalid_value(format!("{name}(): unknown field '{key}'")));
        }
        if matches!(value, Value::Null) {
            return Ok(Some(Value::Null));
        }
        let parts = Parts::of(value);
        let wanted = match lower.as_str() {
            "date" => "a value with a date",
            "time" => "a value with a time of day",
            _ => "a value with a date and a time of day",
        };
        let parts = parts
            .filter(|p| match lower.as_str() {
                "date" => p.date.is_some(),
                "time" => p.time.is_some(),
                _ => p.date.is_some(),
            })
            .ok_or_else(|| type_error(name, &format!("{wanted} for '{key}'"), value))?;
        if lower != "time" {
            selected.date = parts.date;
        }
        if lower != "date" {
            selected.time = Some(parts.time.unwrap_or(NaiveTime::MIN));
            selected.zone = parts.zone.zip(parts.offset);
        }
    }
    let fields = Fields::read(name, &rest, target.field_keys(), target.zoned())?;
    let date = match selected.date {
        Some(base) if fields.has_any(DATE_KEYS) => Some(fields.overlay_date(name, base)?),
        Some(base) => Some(base),
        None if matches!(target, Target::LocalDateTime | Target::DateTime) => {
            Some(fields.date(name)?)
        }
        None => None,
    };
    let time = match selected.time {
        Some(base) => select_time(&fields, name, base)?,
        None => fields.time(name)?,
    };
    Ok(Some(match target {
        Target::Date => Value::Date(date.unwrap_or_default()),
        Target::LocalTime => Value::LocalTime(time),
        Target::LocalDateTime => Value::LocalDateTime(date.unwrap_or_default().and_time(time)),
        Target::Time => Value::Time(zoned_time(time, selected.zone, fields.zone)),
        Target::DateTime => Value::DateTime(zoned_datetime(
            name,
            date.unwrap_or_default().and_time(time),
            selected.zone,
            fields.zone,
        )?),
    }))
}

/// `base` with the hour, minute and second given replacing its own; the
/// sub-second fields, when any is given, replace its fraction.
fn select_time(fields: &Fields, name: &str, base: NaiveTime) -> Result<NaiveTime> {
    let pick = |key: &str, own: u32| -> Result<u32> {
        match fields.get(key) {
            None => Ok(own),
            Some(v) => u32::try_from(v)
                .map_err(|_| invalid_value(format!("{name}(): {key} {v} is out of range"))),
        }
    };
    let hour = pick("hour", base.hour())?;
    let minute = pick("minute", base.minute())?;
    let second = pick("second", base.second())?;
    let fraction = if fields.has_any(&["millisecond", "microsecond", "nanosecond"]) {
        fields.time(name)?.nanosecond()
    } else {
        base.nanosecond()
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, fraction)
        .filter(|_| second < 60 && fraction < 1_000_000_000)
        .ok_or_else(|| {
            invalid_value(format!(
                "{name}(): the fields do not describe a valid time of day"
            ))
        })
}

/// A time of day in the zone rules: a zoned source moves to `target` (same
/// instant), a source without zone takes it; UTC without either.
fn zoned_time(time: NaiveTime, source: Option<(Zone, i32)>, target: Option<Zone>) -> Time {
    let now = super::now_utc();
    match (source, target) {
        (Some((_, from)), Some(to)) => {
            let to = to.offset_at_utc(now);
            let shifted = time
                .overflowing_add_signed(TimeDelta::seconds(i64::from(to) - i64::from(from)))
                .0;
            Time {
                time: shifted,
                offset: to,
            }
        }
        (Some((_, offset)), None) => Time { time, offset },
        (None, Some(to)) => Time {
            time,
            offset: to.offset_at_utc(now),
        },
        (None, None) => Time { time, offset: 0 },
    }
}

/// A date-time in the zone rules: `local` is read in the source's zone,
/// then seen in `target` (same instant); a source without zone takes
/// `target`; UTC without either.
fn zoned_datetime(
    name: &str,
    local: NaiveDateTime,
    source: Option<(Zone, i32)>,
    target: Option<Zone>,
) -> Result<DateTime> {
    let out_of_range = || date_out_of_range(name);
    match (source, target) {
        (Some((from, offset)), Some(to)) => {
            let here = DateTime::at_local(local, &from, Some(offset)).ok_or_else(out_of_range)?;
            DateTime::at_utc(here.utc(), &to).ok_or_else(out_of_range)
        }
        (Some((from, offset)), None) => {
            DateTime::at_local(local, &from, Some(offset)).ok_or_else(out_of_range)
        }
        (None, to) => {
            DateTime::at_local(local, &to.unwrap_or(Zone::UTC), None).ok_or_else(out_of_range)
        }
    }
}
