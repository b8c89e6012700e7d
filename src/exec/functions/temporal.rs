//! Temporal functions (`date`, `localdatetime`, `datetime`, `duration`,
//! `date.truncate`) and the duration arithmetic the operators use.
//!
//! kgq has no time zones: `datetime` is `localdatetime` under another name,
//! and "now" is the local wall-clock time.
//!
//! Text or maps that do not describe a valid temporal value (`'2025-13-01'`,
//! `{year: 2025, month: 2, day: 30}`, unknown map keys) are an
//! `ArgumentError: InvalidArgumentValue`. A result outside the dates chrono
//! can represent is an `ArithmeticError: DateOutOfRange`; a duration
//! component that leaves the 64-bit range is an
//! `ArithmeticError: IntegerOverflow`.

use chrono::{Datelike, Months, NaiveTime, TimeDelta, Weekday};

use super::{arg, invalid_value, overflow, type_error};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::value::{Date, Duration, LocalDateTime, Value, parse_date, parse_local_datetime};

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

// ----- constructors -----

/// `date()`, `date(text)`, `date(map)`, `date(temporal)`.
pub fn date(args: &[Value], _: &Graph) -> Result<Value> {
    if args.is_empty() {
        return Ok(Value::Date(chrono::Local::now().date_naive()));
    }
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => parse_date(s).map(Value::Date).ok_or_else(|| {
            invalid_value(format!("date(): '{s}' is not a date (expected YYYY-MM-DD)"))
        }),
        Value::Map(m) => {
            let fields = Fields::read("date", m, DATE_KEYS)?;
            Ok(Value::Date(fields.date("date")?))
        }
        Value::Date(d) => Ok(Value::Date(*d)),
        Value::LocalDateTime(dt) => Ok(Value::Date(dt.date())),
        other => Err(type_error(
            "date",
            "a string, a map or a temporal value",
            other,
        )),
    }
}

/// `localdatetime()` / `datetime()`: now, from text, from a map, or from a
/// date (at midnight) or date-time.
pub fn local_datetime(args: &[Value], _: &Graph) -> Result<Value> {
    if args.is_empty() {
        return Ok(Value::LocalDateTime(chrono::Local::now().naive_local()));
    }
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => parse_local_datetime(s)
            .map(Value::LocalDateTime)
            .ok_or_else(|| {
                invalid_value(format!(
                    "localdatetime(): '{s}' is not a date-time (expected YYYY-MM-DDTHH:MM:SS)"
                ))
            }),
        Value::Map(m) => {
            let fields = Fields::read("localdatetime", m, DATETIME_KEYS)?;
            let date = fields.date("localdatetime")?;
            let time = fields.time("localdatetime")?;
            Ok(Value::LocalDateTime(date.and_time(time)))
        }
        Value::Date(d) => Ok(Value::LocalDateTime(d.and_time(NaiveTime::MIN))),
        Value::LocalDateTime(dt) => Ok(Value::LocalDateTime(*dt)),
        other => Err(type_error(
            "localdatetime",
            "a string, a map or a temporal value",
            other,
        )),
    }
}

/// `duration(text)` (ISO 8601, e.g. `'P1Y2M3W4DT5H6M7.5S'`, components may
/// be negative, the whole may be preceded by `-`; fractions are allowed on
/// weeks, days, hours, minutes and seconds and cascade into smaller units)
/// or `duration(map)` with keys `years`, `months`, `weeks`, `days`, `hours`,
/// `minutes`, `seconds`, `milliseconds`, `microseconds`, `nanoseconds`
/// (integers; floats allowed except for years and months).
pub fn duration(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => parse_duration(s)
            .map(Value::Duration)
            .ok_or_else(|| invalid_value(format!("duration(): '{s}' is not an ISO 8601 duration"))),
        Value::Map(m) => duration_from_map(m).map(Value::Duration),
        Value::Duration(d) => Ok(Value::Duration(*d)),
        other => Err(type_error("duration", "a string or a map", other)),
    }
}

/// `date.truncate(unit, temporal)`: the first day of the unit containing
/// the date of `temporal`. Units: `millennium`, `century`, `decade`,
/// `year`, `quarter`, `month`, `week` (ISO, from Monday), `day`.
pub fn date_truncate(args: &[Value], _: &Graph) -> Result<Value> {
    let date = match arg(args, 1) {
        Value::Null => return Ok(Value::Null),
        Value::Date(d) => *d,
        Value::LocalDateTime(dt) => dt.date(),
        other => {
            return Err(type_error(
                "date.truncate",
                "a date or a date-time to truncate",
                other,
            ));
        }
    };
    let unit = match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::String(u) => u.to_ascii_lowercase(),
        other => return Err(type_error("date.truncate", "a unit name", other)),
    };
    let year = date.year();
    let first_of = |y: i32, m: u32| Date::from_ymd_opt(y, m, 1);
    let truncated = match unit.as_str() {
        "millennium" => first_of(year - year.rem_euclid(1000), 1),
        "century" => first_of(year - year.rem_euclid(100), 1),
        "decade" => first_of(year - year.rem_euclid(10), 1),
        "year" => first_of(year, 1),
        "quarter" => first_of(year, date.month0() / 3 * 3 + 1),
        "month" => first_of(year, date.month()),
        "week" => date.checked_sub_signed(TimeDelta::days(i64::from(
            date.weekday().num_days_from_monday(),
        ))),
        "day" => Some(date),
        _ => {
            return Err(invalid_value(format!(
                "date.truncate(): unknown unit '{unit}' (use millennium, century, decade, year, quarter, month, week or day)"
            )));
        }
    };
    truncated
        .map(Value::Date)
        .ok_or_else(|| date_out_of_range("date.truncate()"))
}

// ----- maps of fields -----

const DATE_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayofweek",
    "ordinalday",
    "quarter",
    "dayofquarter",
];
const DATETIME_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayofweek",
    "ordinalday",
    "quarter",
    "dayofquarter",
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

/// The integer fields of a temporal map, keyed by lower-case name.
struct Fields(Vec<(&'static str, i64)>);

impl Fields {
    /// Reads `map`, whose keys (any case) must be among `allowed` and whose
    /// values must be integers; null values count as absent.
    fn read(
        name: &str,
        map: &std::collections::BTreeMap<String, Value>,
        allowed: &[&'static str],
    ) -> Result<Fields> {
        let mut fields = Vec::new();
        for (key, value) in map {
            let Some(canonical) = allowed.iter().find(|k| k.eq_ignore_ascii_case(key)) else {
                return Err(invalid_value(format!("{name}(): unknown field '{key}'")));
            };
            match value {
                Value::Null => {}
                Value::Int(i) => fields.push((*canonical, *i)),
                other => return Err(type_error(name, &format!("an integer for '{key}'"), other)),
            }
        }
        Ok(Fields(fields))
    }

    fn get(&self, key: &str) -> Option<i64> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Field `key` as a u32 (or `default`), an argument error when out of range.
    fn small(&self, name: &str, key: &str, default: u32) -> Result<u32> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => u32::try_from(v)
                .map_err(|_| invalid_value(format!("{name}(): {key} {v} is out of range"))),
        }
    }

    /// The date the fields describe: `year` with `month`/`day`, with
    /// `week`/`dayOfWeek` (ISO weeks), with `ordinalDay`, or with
    /// `quarter`/`dayOfQuarter`.
    fn date(&self, name: &str) -> Result<Date> {
        let year = self
            .get("year")
            .ok_or_else(|| invalid_value(format!("{name}(): a map needs at least 'year'")))?;
        let year = i32::try_from(year)
            .map_err(|_| invalid_value(format!("{name}(): year {year} is out of range")))?;
        let has = |k| self.get(k).is_some();
        let date = if has("week") || has("dayofweek") {
            let week = self.small(name, "week", 1)?;
            let weekday = match self.small(name, "dayofweek", 1)? {
                1 => Some(Weekday::Mon),
                2 => Some(Weekday::Tue),
                3 => Some(Weekday::Wed),
                4 => Some(Weekday::Thu),
                5 => Some(Weekday::Fri),
                6 => Some(Weekday::Sat),
                7 => Some(Weekday::Sun),
                _ => None,
            };
            weekday.and_then(|wd| Date::from_isoywd_opt(year, week, wd))
        } else if has("ordinalday") {
            Date::from_yo_opt(year, self.small(name, "ordinalday", 1)?)
        } else if has("quarter") || has("dayofquarter") {
            let quarter = self.small(name, "quarter", 1)?;
            let day = self.small(name, "dayofquarter", 1)?;
            (1..=4).contains(&quarter).then_some(()).and_then(|()| {
                let start = Date::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?;
                let end =
                    Date::from_ymd_opt(year, quarter * 3, 1)?.checked_add_months(Months::new(1))?;
                let date = start.checked_add_signed(TimeDelta::try_days(i64::from(day) - 1)?)?;
                (day >= 1 && date < end).then_some(date)
            })
        } else {
            Date::from_ymd_opt(
                year,
                self.small(name, "month", 1)?,
                self.small(name, "day", 1)?,
            )
        };
        date.ok_or_else(|| {
            invalid_value(format!("{name}(): the fields do not describe a valid date"))
        })
    }

    /// The time of day the fields describe (missing fields are 0).
    fn time(&self, name: &str) -> Result<NaiveTime> {
        let hour = self.small(name, "hour", 0)?;
        let minute = self.small(name, "minute", 0)?;
        let second = self.small(name, "second", 0)?;
        let milli = self.small(name, "millisecond", 0)?;
        let micro = self.small(name, "microsecond", 0)?;
        let nano = self.small(name, "nanosecond", 0)?;
        let fraction = (milli < 1000 && micro < 1000 && nano < 1000)
            .then(|| milli * 1_000_000 + micro * 1000 + nano);
        fraction
            .and_then(|f| NaiveTime::from_hms_nano_opt(hour, minute, second, f))
            .ok_or_else(|| {
                invalid_value(format!(
                    "{name}(): the fields do not describe a valid time of day"
                ))
            })
    }
}

// ----- durations -----

/// A duration from months, days and nanoseconds, normalised so that
/// `0 <= nanos < 10^9`; `None` if a component leaves the 64-bit range.
pub fn duration_from_parts(months: i128, days: i128, nanos: i128) -> Option<Duration> {
    let seconds = nanos.div_euclid(NANOS_PER_SECOND);
    let rest = nanos.rem_euclid(NANOS_PER_SECOND);
    Some(Duration {
        months: i64::try_from(months).ok()?,
        days: i64::try_from(days).ok()?,
        seconds: i64::try_from(seconds).ok()?,
        nanos: i32::try_from(rest).ok()?,
    })
}

/// The seconds and nanoseconds of a duration as nanoseconds.
fn time_nanos(d: &Duration) -> i128 {
    i128::from(d.seconds) * NANOS_PER_SECOND + i128::from(d.nanos)
}

/// `a + b`, component by component.
pub fn duration_add(a: &Duration, b: &Duration) -> Result<Duration> {
    duration_from_parts(
        i128::from(a.months) + i128::from(b.months),
        i128::from(a.days) + i128::from(b.days),
        time_nanos(a) + time_nanos(b),
    )
    .ok_or_else(|| overflow("duration addition"))
}

/// `-d`.
pub fn duration_neg(d: &Duration) -> Result<Duration> {
    duration_from_parts(-i128::from(d.months), -i128::from(d.days), -time_nanos(d))
        .ok_or_else(|| overflow("duration negation"))
}

/// `d * k`, component by component.
pub fn duration_mul(d: &Duration, k: i64) -> Result<Duration> {
    let k = i128::from(k);
    let nanos = time_nanos(d).checked_mul(k);
    nanos
        .and_then(|n| duration_from_parts(i128::from(d.months) * k, i128::from(d.days) * k, n))
        .ok_or_else(|| overflow("duration multiplication"))
}

fn date_out_of_range(what: &str) -> Error {
    Error::arithmetic(
        "DateOutOfRange",
        format!("{what}: the result is outside the supported range of dates"),
    )
}

fn add_months<T>(
    t: T,
    months: i64,
    add: fn(T, Months) -> Option<T>,
    sub: fn(T, Months) -> Option<T>,
) -> Option<T> {
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 { add(t, m) } else { sub(t, m) }
}

/// `date + d`: months first (clamping to the end of shorter months), then
/// days, then the whole days in the seconds (a date has no time of day, so
/// smaller parts are dropped).
pub fn date_plus(date: Date, d: &Duration) -> Result<Date> {
    let whole_days = d.seconds / SECONDS_PER_DAY;
    add_months(
        date,
        d.months,
        Date::checked_add_months,
        Date::checked_sub_months,
    )
    .and_then(|t| t.checked_add_signed(TimeDelta::try_days(d.days)?))
    .and_then(|t| t.checked_add_signed(TimeDelta::try_days(whole_days)?))
    .ok_or_else(|| date_out_of_range("date + duration"))
}

/// `datetime + d`: months first (clamping to the end of shorter months),
/// then days, then seconds and nanoseconds.
pub fn datetime_plus(dt: LocalDateTime, d: &Duration) -> Result<LocalDateTime> {
    add_months(
        dt,
        d.months,
        LocalDateTime::checked_add_months,
        LocalDateTime::checked_sub_months,
    )
    .and_then(|t| t.checked_add_signed(TimeDelta::try_days(d.days)?))
    .and_then(|t| t.checked_add_signed(TimeDelta::try_seconds(d.seconds)?))
    .and_then(|t| t.checked_add_signed(TimeDelta::nanoseconds(i64::from(d.nanos))))
    .ok_or_else(|| date_out_of_range("localdatetime + duration"))
}

/// A decimal number scaled by 10^9 (`1.5` → 1_500_000_000), exact to nine
/// decimal places (further digits are dropped).
fn parse_scaled(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match digits.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut frac: i128 = 0;
    for b in fraction.bytes().chain(std::iter::repeat(b'0')).take(9) {
        frac = frac * 10 + i128::from(b - b'0');
    }
    let value = i128::from(whole) * NANOS_PER_SECOND + frac;
    Some(if negative { -value } else { value })
}

/// Accumulates duration components given as scaled decimals.
#[derive(Default)]
struct DurationBuilder {
    months: i128,
    days: i128,
    nanos: i128,
}

impl DurationBuilder {
    /// Adds `scaled` (a number × 10^9) of a unit. `months_per`: months per
    /// unit (years, months: fractions are refused); `days_per`: days per
    /// unit (weeks, days: fractions cascade into seconds); otherwise
    /// `seconds_per` seconds per unit.
    fn add(&mut self, scaled: i128, unit: Unit) -> Option<()> {
        match unit {
            Unit::Months(per) => {
                if scaled % NANOS_PER_SECOND != 0 {
                    return None;
                }
                self.months = self
                    .months
                    .checked_add((scaled / NANOS_PER_SECOND).checked_mul(per)?)?;
            }
            Unit::Days(per) => {
                let scaled_days = scaled.checked_mul(per)?;
                self.days = self.days.checked_add(scaled_days / NANOS_PER_SECOND)?;
                let rest = scaled_days % NANOS_PER_SECOND;
                self.nanos = self
                    .nanos
                    .checked_add(rest.checked_mul(i128::from(SECONDS_PER_DAY))?)?;
            }
            Unit::Seconds(per) => {
                self.nanos = self.nanos.checked_add(scaled.checked_mul(per)?)?;
            }
            Unit::Nanos(per) => {
                // `scaled` is nanoseconds × 10^9 × per-unit nanoseconds / 10^9.
                self.nanos = self
                    .nanos
                    .checked_add(scaled.checked_mul(per)? / NANOS_PER_SECOND)?;
            }
        }
        Some(())
    }

    fn build(self) -> Option<Duration> {
        duration_from_parts(self.months, self.days, self.nanos)
    }
}

/// A unit of a duration component and its size.
#[derive(Clone, Copy)]
enum Unit {
    Months(i128),
    Days(i128),
    Seconds(i128),
    /// Sub-second units, in nanoseconds.
    Nanos(i128),
}

/// Parses an ISO 8601 duration: `[-]P[nY][nM][nW][nD][T[nH][nM][nS]]`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let body = t.strip_prefix('P').or_else(|| t.strip_prefix('p'))?;
    let (date_part, time_part) = match body.split_once(['T', 't']) {
        Some((d, tp)) if !tp.is_empty() => (d, Some(tp)),
        Some(_) => return None,
        None => (body, None),
    };
    let mut builder = DurationBuilder::default();
    let mut any = false;
    let date_units: &[(char, Unit)] = &[
        ('Y', Unit::Months(12)),
        ('M', Unit::Months(1)),
        ('W', Unit::Days(7)),
        ('D', Unit::Days(1)),
    ];
    let time_units: &[(char, Unit)] = &[
        ('H', Unit::Seconds(3600)),
        ('M', Unit::Seconds(60)),
        ('S', Unit::Seconds(1)),
    ];
    for (part, units) in [
        (date_part, date_units),
        (time_part.unwrap_or(""), time_units),
    ] {
        let mut rest = part;
        let mut next_unit = 0;
        while !rest.is_empty() {
            let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let (number, tail) = rest.split_at(end);
            let letter = tail.chars().next()?.to_ascii_uppercase();
            // Units must appear in order, each at most once.
            let offset = units
                .get(next_unit..)?
                .iter()
                .position(|(c, _)| *c == letter)?;
            let (_, unit) = units.get(next_unit + offset)?;
            next_unit += offset + 1;
            builder.add(parse_scaled(number)?, *unit)?;
            any = true;
            rest = tail.get(1..)?;
        }
    }
    if !any {
        return None;
    }
    let d = builder.build()?;
    if negative {
        duration_neg(&d).ok()
    } else {
        Some(d)
    }
}

/// The duration a map describes.
fn duration_from_map(map: &std::collections::BTreeMap<String, Value>) -> Result<Duration> {
    const KEYS: &[(&str, Unit)] = &[
        ("years", Unit::Months(12)),
        ("months", Unit::Months(1)),
        ("weeks", Unit::Days(7)),
        ("days", Unit::Days(1)),
        ("hours", Unit::Seconds(3600)),
        ("minutes", Unit::Seconds(60)),
        ("seconds", Unit::Seconds(1)),
        ("milliseconds", Unit::Nanos(1_000_000)),
        ("microseconds", Unit::Nanos(1000)),
        ("nanoseconds", Unit::Nanos(1)),
    ];
    let mut builder = DurationBuilder::default();
    for (key, value) in map {
        let Some((name, unit)) = KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) else {
            return Err(invalid_value(format!("duration(): unknown field '{key}'")));
        };
        let scaled = match value {
            Value::Null => continue,
            Value::Int(i) => i128::from(*i) * NANOS_PER_SECOND,
            Value::Float(f) if !matches!(unit, Unit::Months(_)) => {
                let scaled = (f * 1e9).round();
                if !scaled.is_finite() || scaled.abs() >= 1e36 {
                    return Err(overflow("duration()"));
                }
                scaled as i128
            }
            other => {
                let expected = if matches!(unit, Unit::Months(_)) {
                    "an integer"
                } else {
                    "a number"
                };
                return Err(type_error(
                    "duration",
                    &format!("{expected} for '{name}'"),
                    other,
                ));
            }
        };
        builder
            .add(scaled, *unit)
            .ok_or_else(|| overflow("duration()"))?;
    }
    builder.build().ok_or_else(|| overflow("duration()"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::error::ErrorClass;
    use crate::exec::functions::call;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap()
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn dur(months: i64, days: i64, seconds: i64, nanos: i32) -> Duration {
        Duration {
            months,
            days,
            seconds,
            nanos,
        }
    }

    #[test]
    fn dates_from_text_maps_and_temporals() {
        assert_eq!(
            call("date", vec![Value::from("2025-02-10")]).unwrap(),
            Value::Date(ymd(2025, 2, 10))
        );
        assert!(matches!(call("date", vec![]).unwrap(), Value::Date(_)));
        let err = call("date", vec![Value::from("2025-02-30")]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "InvalidArgumentValue")
        );
        let m = map(&[
            ("year", Value::Int(2024)),
            ("month", Value::Int(2)),
            ("day", Value::Int(29)),
        ]);
        assert_eq!(
            call("date", vec![m]).unwrap(),
            Value::Date(ymd(2024, 2, 29))
        );
        assert_eq!(
            call("date", vec![map(&[("year", Value::Int(2024))])]).unwrap(),
            Value::Date(ymd(2024, 1, 1))
        );
        let m = map(&[
            ("year", Value::Int(2025)),
            ("week", Value::Int(1)),
            ("dayOfWeek", Value::Int(1)),
        ]);
        assert_eq!(
            call("date", vec![m]).unwrap(),
            Value::Date(ymd(2024, 12, 30))
        );
        let m = map(&[("year", Value::Int(2025)), ("ordinalDay", Value::Int(32))]);
        assert_eq!(call("date", vec![m]).unwrap(), Value::Date(ymd(2025, 2, 1)));
        let m = map(&[
            ("year", Value::Int(2025)),
            ("quarter", Value::Int(2)),
            ("dayOfQuarter", Value::Int(31)),
        ]);
        assert_eq!(call("date", vec![m]).unwrap(), Value::Date(ymd(2025, 5, 1)));
        let m = map(&[
            ("year", Value::Int(2025)),
            ("quarter", Value::Int(1)),
            ("dayOfQuarter", Value::Int(91)),
        ]);
        assert_eq!(
            call("date", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let m = map(&[
            ("year", Value::Int(2025)),
            ("month", Value::Int(2)),
            ("day", Value::Int(29)),
        ]);
        assert_eq!(
            call("date", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let m = map(&[("year", Value::Int(2025)), ("month", Value::Int(-1))]);
        assert_eq!(
            call("date", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let m = map(&[("year", Value::Int(2025)), ("hour", Value::Int(1))]);
        assert_eq!(
            call("date", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        assert_eq!(
            call("date", vec![map(&[("month", Value::Int(1))])])
                .unwrap_err()
                .class,
            ErrorClass::ArgumentError
        );
        let m = map(&[("year", Value::from("2025"))]);
        assert_eq!(
            call("date", vec![m]).unwrap_err().class,
            ErrorClass::TypeError
        );
        let dt = ymd(2025, 2, 10).and_hms_opt(13, 0, 0).unwrap();
        assert_eq!(
            call("date", vec![Value::LocalDateTime(dt)]).unwrap(),
            Value::Date(ymd(2025, 2, 10))
        );
        assert_eq!(
            call("date", vec![Value::Date(ymd(2000, 1, 1))]).unwrap(),
            Value::Date(ymd(2000, 1, 1))
        );
        assert_eq!(call("date", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("date", vec![Value::Int(2025)]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn local_datetimes() {
        let expected = ymd(2025, 2, 10).and_hms_opt(12, 30, 0).unwrap();
        assert_eq!(
            call("localdatetime", vec![Value::from("2025-02-10T12:30")]).unwrap(),
            Value::LocalDateTime(expected)
        );
        assert_eq!(
            call("datetime", vec![Value::from("2025-02-10T12:30:00")]).unwrap(),
            Value::LocalDateTime(expected)
        );
        assert!(matches!(
            call("localdatetime", vec![]).unwrap(),
            Value::LocalDateTime(_)
        ));
        let m = map(&[
            ("year", Value::Int(2025)),
            ("month", Value::Int(2)),
            ("day", Value::Int(10)),
            ("hour", Value::Int(12)),
            ("minute", Value::Int(30)),
            ("millisecond", Value::Int(5)),
        ]);
        let with_millis = ymd(2025, 2, 10).and_hms_milli_opt(12, 30, 0, 5).unwrap();
        assert_eq!(
            call("localdatetime", vec![m]).unwrap(),
            Value::LocalDateTime(with_millis)
        );
        let m = map(&[("year", Value::Int(2025)), ("hour", Value::Int(24))]);
        assert_eq!(
            call("localdatetime", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let m = map(&[("year", Value::Int(2025)), ("second", Value::Int(60))]);
        assert_eq!(
            call("localdatetime", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let midnight = ymd(2025, 2, 10).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(
            call("localdatetime", vec![Value::Date(ymd(2025, 2, 10))]).unwrap(),
            Value::LocalDateTime(midnight)
        );
        assert_eq!(
            call("localdatetime", vec![Value::from("noon")])
                .unwrap_err()
                .class,
            ErrorClass::ArgumentError
        );
        assert_eq!(call("datetime", vec![Value::Null]).unwrap(), Value::Null);
    }

    #[test]
    fn durations_from_text() {
        assert_eq!(parse_duration("P1Y2M3DT4H"), Some(dur(14, 3, 4 * 3600, 0)));
        assert_eq!(parse_duration("P2W"), Some(dur(0, 14, 0, 0)));
        assert_eq!(parse_duration("PT1.5S"), Some(dur(0, 0, 1, 500_000_000)));
        assert_eq!(parse_duration("PT0.000000001S"), Some(dur(0, 0, 0, 1)));
        assert_eq!(parse_duration("P1.5D"), Some(dur(0, 1, 12 * 3600, 0)));
        assert_eq!(parse_duration("PT1M30S"), Some(dur(0, 0, 90, 0)));
        assert_eq!(parse_duration("P1M"), Some(dur(1, 0, 0, 0)));
        assert_eq!(parse_duration("PT1M"), Some(dur(0, 0, 60, 0)));
        assert_eq!(parse_duration("-P1D"), Some(dur(0, -1, 0, 0)));
        assert_eq!(
            parse_duration("P-1DT-0.5S"),
            Some(dur(0, -1, -1, 500_000_000))
        );
        assert_eq!(parse_duration("PT0S"), Some(Duration::default()));
        for bad in [
            "", "P", "PT", "1D", "P1", "PD", "P1H", "P1D1Y", "P1DD", "P1.5Y", "PT1D", "P1DT",
            "P1X", "P--1D",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("P99999999999999999999Y"), None);
        assert_eq!(
            call("duration", vec![Value::from("P1Y2M3DT4H")]).unwrap(),
            Value::Duration(dur(14, 3, 14_400, 0))
        );
        let err = call("duration", vec![Value::from("one day")]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "InvalidArgumentValue")
        );
        assert_eq!(call("duration", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("duration", vec![Value::Int(1)]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn durations_from_maps() {
        let m = map(&[
            ("years", Value::Int(1)),
            ("months", Value::Int(2)),
            ("weeks", Value::Int(1)),
            ("days", Value::Int(3)),
            ("hours", Value::Int(4)),
            ("minutes", Value::Int(5)),
            ("seconds", Value::Int(6)),
            ("milliseconds", Value::Int(7)),
            ("microseconds", Value::Int(8)),
            ("nanoseconds", Value::Int(9)),
        ]);
        assert_eq!(
            call("duration", vec![m]).unwrap(),
            Value::Duration(dur(14, 10, 4 * 3600 + 5 * 60 + 6, 7_008_009))
        );
        let m = map(&[
            ("days", Value::Float(0.5)),
            ("seconds", Value::Float(-1.25)),
        ]);
        assert_eq!(
            call("duration", vec![m]).unwrap(),
            Value::Duration(dur(0, 0, 43_198, 750_000_000))
        );
        let m = map(&[("years", Value::Float(1.5))]);
        assert_eq!(
            call("duration", vec![m]).unwrap_err().class,
            ErrorClass::TypeError
        );
        let m = map(&[("fortnights", Value::Int(1))]);
        assert_eq!(
            call("duration", vec![m]).unwrap_err().class,
            ErrorClass::ArgumentError
        );
        let m = map(&[
            ("seconds", Value::Int(i64::MAX)),
            ("minutes", Value::Int(i64::MAX)),
        ]);
        let err = call("duration", vec![m]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArithmeticError, "IntegerOverflow")
        );
        let m = map(&[("days", Value::Float(f64::INFINITY))]);
        assert_eq!(
            call("duration", vec![m]).unwrap_err().class,
            ErrorClass::ArithmeticError
        );
        assert_eq!(
            call("duration", vec![map(&[])]).unwrap(),
            Value::Duration(Duration::default())
        );
    }

    #[test]
    fn duration_arithmetic_helpers() {
        let a = dur(1, 2, 3, 600_000_000);
        let b = dur(0, 1, 0, 500_000_000);
        assert_eq!(duration_add(&a, &b).unwrap(), dur(1, 3, 4, 100_000_000));
        assert_eq!(duration_neg(&b).unwrap(), dur(0, -1, -1, 500_000_000));
        assert_eq!(duration_mul(&a, 2).unwrap(), dur(2, 4, 7, 200_000_000));
        assert_eq!(
            duration_add(&dur(i64::MAX, 0, 0, 0), &dur(1, 0, 0, 0))
                .unwrap_err()
                .code,
            "IntegerOverflow"
        );
        assert_eq!(
            duration_neg(&dur(i64::MIN, 0, 0, 0)).unwrap_err().code,
            "IntegerOverflow"
        );
        assert_eq!(
            duration_mul(&dur(0, 0, i64::MAX, 0), 2).unwrap_err().code,
            "IntegerOverflow"
        );
        assert_eq!(
            date_plus(ymd(2025, 1, 31), &dur(1, 0, 0, 0)).unwrap(),
            ymd(2025, 2, 28)
        );
        assert_eq!(
            date_plus(ymd(2025, 3, 31), &dur(-1, 1, 0, 0)).unwrap(),
            ymd(2025, 3, 1)
        );
        assert_eq!(
            date_plus(ymd(2025, 1, 1), &dur(0, 0, 36 * 3600, 0)).unwrap(),
            ymd(2025, 1, 2)
        );
        let dt = ymd(2025, 1, 31).and_hms_opt(23, 0, 0).unwrap();
        let later = ymd(2025, 3, 1).and_hms_milli_opt(0, 30, 0, 500).unwrap();
        assert_eq!(
            datetime_plus(dt, &dur(1, 0, 5400, 500_000_000)).unwrap(),
            later
        );
        let err = date_plus(ymd(2025, 1, 1), &dur(0, i64::MAX, 0, 0)).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArithmeticError, "DateOutOfRange")
        );
        assert_eq!(
            date_plus(ymd(2025, 1, 1), &dur(i64::MAX, 0, 0, 0))
                .unwrap_err()
                .code,
            "DateOutOfRange"
        );
    }

    #[test]
    fn truncating_dates() {
        let d = Value::Date(ymd(2017, 11, 11));
        let cases = [
            ("millennium", ymd(2000, 1, 1)),
            ("century", ymd(2000, 1, 1)),
            ("decade", ymd(2010, 1, 1)),
            ("year", ymd(2017, 1, 1)),
            ("quarter", ymd(2017, 10, 1)),
            ("Month", ymd(2017, 11, 1)),
            ("week", ymd(2017, 11, 6)),
            ("day", ymd(2017, 11, 11)),
        ];
        for (unit, expected) in cases {
            assert_eq!(
                call("date.truncate", vec![Value::from(unit), d.clone()]).unwrap(),
                Value::Date(expected),
                "{unit}"
            );
        }
        let dt = Value::LocalDateTime(ymd(2017, 11, 11).and_hms_opt(10, 0, 0).unwrap());
        assert_eq!(
            call("DATE.TRUNCATE", vec![Value::from("month"), dt]).unwrap(),
            Value::Date(ymd(2017, 11, 1))
        );
        assert_eq!(
            call("date.truncate", vec![Value::from("hour"), d.clone()])
                .unwrap_err()
                .class,
            ErrorClass::ArgumentError
        );
        assert_eq!(
            call("date.truncate", vec![Value::from("day"), Value::Null]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("date.truncate", vec![Value::Int(1), d])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }
}
