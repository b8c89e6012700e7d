//! The constructors `date`, `localtime`, `time`, `localdatetime` and
//! `datetime`: now, from ISO 8601 text, from a map of fields, or from
//! another temporal value; and their clocks (`date.realtime()`, …).

use chrono::{NaiveTime, TimeDelta};

use super::fields::{DATE_KEYS, Fields, TIME_KEYS};
use super::select::{self, Target};
use super::{Parts, date_out_of_range, now_utc, real_now};
use crate::error::Result;
use crate::exec::functions::{arg, invalid_value, type_error};
use crate::graph::Graph;
use crate::value::{
    DateTime, LocalDateTime, Time, Value, Zone, parse_date, parse_datetime, parse_local_datetime,
    parse_local_time, parse_time,
};

const ANY: &str = "a string, a map or a temporal value";

/// The current moment (of the statement, or of the system clock when
/// `real`) in the zone given as the first argument (a zone name or offset
/// text; UTC when there is no argument). `None` when the argument is null.
fn now_in(name: &str, args: &[Value], real: bool) -> Result<Option<DateTime>> {
    let zone = match args.first() {
        None => Zone::UTC,
        Some(Value::Null) => return Ok(None),
        Some(Value::String(z)) => Zone::parse(z)
            .ok_or_else(|| invalid_value(format!("{name}(): unknown time zone '{z}'")))?,
        Some(other) => return Err(type_error(name, "a time zone name", other)),
    };
    let now = if real { real_now() } else { now_utc() };
    DateTime::at_utc(now, &zone)
        .map(Some)
        .ok_or_else(|| date_out_of_range(name))
}

/// The offset of `zone` now (for times, which have no date to pick the
/// offset of a named zone by).
fn offset_now(zone: &Zone) -> i32 {
    zone.offset_at_utc(now_utc())
}

/// The current moment in the zone of a map that gives only `timezone`.
fn now_for(name: &str, fields: &Fields) -> Result<Option<DateTime>> {
    if fields.has_any(DATE_KEYS) || fields.has_any(TIME_KEYS) {
        return Ok(None);
    }
    let zone = fields.zone.unwrap_or(Zone::UTC);
    DateTime::at_utc(now_utc(), &zone)
        .map(Some)
        .ok_or_else(|| date_out_of_range(name))
}

/// `date()`, `date(text)`, `date(map)`, `date(temporal)`.
pub fn date(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.is_empty() {
        return date_clock(args, graph);
    }
    let value = arg(args, 0);
    Ok(Value::Date(match value {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => parse_date(s)
            .or_else(|| parse_datetime(s).map(|(dt, _, _)| dt.date()))
            .ok_or_else(|| invalid_value(format!("date(): '{s}' is not a date")))?,
        Value::Map(m) => {
            if let Some(v) = select::from_map(Target::Date, m)? {
                return Ok(v);
            }
            let fields = Fields::read("date", m, &[DATE_KEYS], true)?;
            match now_for("date", &fields)? {
                Some(now) => now.local.date(),
                None => fields.date("date")?,
            }
        }
        other => Parts::of(other)
            .and_then(|p| p.date)
            .ok_or_else(|| type_error("date", ANY, other))?,
    }))
}

/// `localtime()`, `localtime(text)`, `localtime(map)`,
/// `localtime(temporal)`.
pub fn local_time(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.is_empty() {
        return local_time_clock(args, graph);
    }
    Ok(Value::LocalTime(match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => parse_local_time(s)
            .or_else(|| parse_time(s).map(|(t, _)| t))
            .ok_or_else(|| invalid_value(format!("localtime(): '{s}' is not a time")))?,
        Value::Map(m) => {
            if let Some(v) = select::from_map(Target::LocalTime, m)? {
                return Ok(v);
            }
            let fields = Fields::read("localtime", m, &[TIME_KEYS], true)?;
            match now_for("localtime", &fields)? {
                Some(now) => now.local.time(),
                None => fields.time("localtime")?,
            }
        }
        other => Parts::of(other)
            .and_then(|p| p.time)
            .ok_or_else(|| type_error("localtime", ANY, other))?,
    }))
}

/// `time()`, `time(text)`, `time(map)`, `time(temporal)`; without an
/// offset the time is in UTC.
pub fn time(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.is_empty() {
        return time_clock(args, graph);
    }
    Ok(Value::Time(match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => {
            let (time, offset) = parse_time(s)
                .ok_or_else(|| invalid_value(format!("time(): '{s}' is not a time")))?;
            Time {
                time,
                offset: offset.unwrap_or(0),
            }
        }
        Value::Map(m) => {
            if let Some(v) = select::from_map(Target::Time, m)? {
                return Ok(v);
            }
            let fields = Fields::read("time", m, &[TIME_KEYS], true)?;
            match now_for("time", &fields)? {
                Some(now) => Time {
                    time: now.local.time(),
                    offset: now.offset,
                },
                None => Time {
                    time: fields.time("time")?,
                    offset: fields.zone.as_ref().map_or(0, offset_now),
                },
            }
        }
        other => {
            let parts = Parts::of(other).filter(|p| p.time.is_some());
            let parts = parts.ok_or_else(|| type_error("time", ANY, other))?;
            Time {
                time: parts.time.unwrap_or(NaiveTime::MIN),
                offset: parts.offset.unwrap_or(0),
            }
        }
    }))
}

/// `localdatetime()`, `localdatetime(text)`, `localdatetime(map)`,
/// `localdatetime(temporal)` (a date is taken at midnight).
pub fn local_datetime(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.is_empty() {
        return local_datetime_clock(args, graph);
    }
    Ok(Value::LocalDateTime(match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => parse_local_datetime(s)
            .or_else(|| parse_datetime(s).map(|(dt, _, _)| dt))
            .ok_or_else(|| invalid_value(format!("localdatetime(): '{s}' is not a date-time")))?,
        Value::Map(m) => {
            if let Some(v) = select::from_map(Target::LocalDateTime, m)? {
                return Ok(v);
            }
            let fields = Fields::read("localdatetime", m, &[DATE_KEYS, TIME_KEYS], true)?;
            match now_for("localdatetime", &fields)? {
                Some(now) => now.local,
                None => fields
                    .date("localdatetime")?
                    .and_time(fields.time("localdatetime")?),
            }
        }
        other => {
            let parts = Parts::of(other).filter(|p| p.date.is_some());
            let parts = parts.ok_or_else(|| type_error("localdatetime", ANY, other))?;
            let date = parts.date.unwrap_or_default();
            date.and_time(parts.time.unwrap_or(NaiveTime::MIN))
        }
    }))
}

/// The date-time at `local` in `zone` (keeping `offset` where the zone
/// allows), an error when out of range.
fn zoned(name: &str, local: LocalDateTime, zone: &Zone, offset: Option<i32>) -> Result<DateTime> {
    DateTime::at_local(local, zone, offset).ok_or_else(|| date_out_of_range(name))
}

/// `datetime()`, `datetime(text)`, `datetime(map)` (with `timezone`, or
/// `epochSeconds` / `epochMillis`), `datetime(temporal)`; without a zone
/// the date-time is in UTC.
pub fn datetime(args: &[Value], graph: &Graph) -> Result<Value> {
    if args.is_empty() {
        return datetime_clock(args, graph);
    }
    Ok(Value::DateTime(match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(s) => {
            let (local, offset, zone) = parse_datetime(s)
                .ok_or_else(|| invalid_value(format!("datetime(): '{s}' is not a date-time")))?;
            let zone = zone.unwrap_or(Zone::Offset(offset.unwrap_or(0)));
            zoned("datetime", local, &zone, offset)?
        }
        Value::Map(m) => return datetime_from_map(m),
        other => {
            let parts = Parts::of(other).filter(|p| p.date.is_some());
            let parts = parts.ok_or_else(|| type_error("datetime", ANY, other))?;
            if let Value::DateTime(dt) = other {
                dt.clone()
            } else {
                let local = parts
                    .date
                    .unwrap_or_default()
                    .and_time(parts.time.unwrap_or(NaiveTime::MIN));
                zoned("datetime", local, &Zone::UTC, None)?
            }
        }
    }))
}

const EPOCH_KEYS: &[&str] = &["epochseconds", "epochmillis"];

fn datetime_from_map(m: &std::collections::BTreeMap<String, Value>) -> Result<Value> {
    if let Some(v) = select::from_map(Target::DateTime, m)? {
        return Ok(v);
    }
    let fields = Fields::read("datetime", m, &[DATE_KEYS, TIME_KEYS, EPOCH_KEYS], true)?;
    let zone = fields.zone.unwrap_or(Zone::UTC);
    if fields.has_any(EPOCH_KEYS) {
        let seconds = i128::from(fields.get("epochseconds").unwrap_or(0))
            + i128::from(fields.get("epochmillis").unwrap_or(0)) / 1000;
        let nanos = i128::from(fields.get("epochmillis").unwrap_or(0)) % 1000 * 1_000_000
            + i128::from(fields.get("nanosecond").unwrap_or(0))
            + i128::from(fields.get("microsecond").unwrap_or(0)) * 1000
            + i128::from(fields.get("millisecond").unwrap_or(0)) * 1_000_000;
        let utc = i64::try_from(seconds)
            .ok()
            .and_then(TimeDelta::try_seconds)
            .and_then(|s| {
                chrono::DateTime::UNIX_EPOCH
                    .naive_utc()
                    .checked_add_signed(s)
            })
            .and_then(|t| t.checked_add_signed(TimeDelta::nanoseconds(i64::try_from(nanos).ok()?)));
        return utc
            .and_then(|u| DateTime::at_utc(u, &zone))
            .map(Value::DateTime)
            .ok_or_else(|| date_out_of_range("datetime()"));
    }
    if let Some(now) = now_for("datetime", &fields)? {
        return Ok(Value::DateTime(now));
    }
    let local = fields.date("datetime")?.and_time(fields.time("datetime")?);
    zoned("datetime", local, &zone, None).map(Value::DateTime)
}

/// Defines the statement clock (`X.statement([zone])`, also used for
/// `X.transaction` and `X()`) and the real-time clock (`X.realtime([zone])`)
/// of one temporal type, converting the current moment with `convert`.
macro_rules! clocks {
    ($statement:ident, $realtime:ident, $name:literal, $convert:expr) => {
        #[doc = concat!("`", $name, ".statement([zone])`: the moment the statement started.")]
        pub fn $statement(args: &[Value], _: &Graph) -> Result<Value> {
            Ok(now_in($name, args, false)?.map_or(Value::Null, $convert))
        }

        #[doc = concat!("`", $name, ".realtime([zone])`: the moment of the call.")]
        pub fn $realtime(args: &[Value], _: &Graph) -> Result<Value> {
            Ok(now_in($name, args, true)?.map_or(Value::Null, $convert))
        }
    };
}

clocks!(date_clock, date_realtime, "date", |now: DateTime| {
    Value::Date(now.local.date())
});
clocks!(
    local_time_clock,
    local_time_realtime,
    "localtime",
    |now: DateTime| { Value::LocalTime(now.local.time()) }
);
clocks!(time_clock, time_realtime, "time", |now: DateTime| {
    Value::Time(Time {
        time: now.local.time(),
        offset: now.offset,
    })
});
clocks!(
    local_datetime_clock,
    local_datetime_realtime,
    "localdatetime",
    |now: DateTime| { Value::LocalDateTime(now.local) }
);
clocks!(
    datetime_clock,
    datetime_realtime,
    "datetime",
    Value::DateTime
);

/// `datetime.fromepoch(seconds, nanoseconds)`: the UTC date-time that many
/// seconds and nanoseconds after 1970-01-01T00:00Z.
pub fn datetime_from_epoch(args: &[Value], _: &Graph) -> Result<Value> {
    epoch_map(args, "epochSeconds", Some("nanosecond"))
}

/// `datetime.fromepochmillis(millis)`: the UTC date-time that many
/// milliseconds after 1970-01-01T00:00Z.
pub fn datetime_from_epoch_millis(args: &[Value], _: &Graph) -> Result<Value> {
    epoch_map(args, "epochMillis", None)
}

/// Reads the integer arguments into the map `datetime({…})` takes.
fn epoch_map(args: &[Value], first: &str, second: Option<&str>) -> Result<Value> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in std::iter::once(first).chain(second).zip(args) {
        match value {
            Value::Null => return Ok(Value::Null),
            Value::Int(_) => map.insert(key.to_string(), value.clone()),
            other => return Err(type_error("datetime.fromepoch", "an integer", other)),
        };
    }
    datetime_from_map(&map)
}
