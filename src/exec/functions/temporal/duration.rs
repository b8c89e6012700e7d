//! Durations: `duration(text | map)`, their arithmetic, and adding them to
//! temporal values.
//!
//! Fractions cascade into smaller units: a fraction of a month becomes
//! days and seconds by the average month (2 629 746 seconds), a fraction of
//! a day becomes seconds. A component that leaves the 64-bit range is an
//! `ArithmeticError: IntegerOverflow`; a result outside the supported dates
//! an `ArithmeticError: DateOutOfRange`.

use chrono::{Months, NaiveTime, TimeDelta};

use super::date_out_of_range;
use crate::error::Result;
use crate::exec::functions::{arg, invalid_value, overflow, type_error};
use crate::graph::Graph;
use crate::value::temporal::{NANOS_PER_SECOND, SECONDS_PER_DAY, nanos_of_day, time_from_nanos};
use crate::value::{Date, DateTime, Duration, LocalDateTime, Time, Value};

/// Seconds in the average Gregorian month (365.2425 × 86 400 / 12).
const SECONDS_PER_MONTH: i128 = 2_629_746;

/// `duration(text)` (ISO 8601, e.g. `'P1Y2M3W4DT5H6M7.5S'` or
/// `'P2012-02-02T14:37:21.545'`; components may be negative and
/// fractional) or `duration(map)` with keys `years`, `months`, `weeks`,
/// `days`, `hours`, `minutes`, `seconds`, `milliseconds`, `microseconds`,
/// `nanoseconds` (numbers).
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
    d.time_nanos()
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
    /// Adds `scaled` (a number × 10^9) of a unit. Fractions of months
    /// cascade into days and seconds, fractions of days into seconds.
    fn add(&mut self, scaled: i128, unit: Unit) -> Option<()> {
        match unit {
            Unit::Months(per) => {
                let scaled_months = scaled.checked_mul(per)?;
                self.months = self.months.checked_add(scaled_months / NANOS_PER_SECOND)?;
                // The fraction of a month, in nanoseconds of an average month.
                let rest = (scaled_months % NANOS_PER_SECOND).checked_mul(SECONDS_PER_MONTH)?;
                let day = NANOS_PER_SECOND * i128::from(SECONDS_PER_DAY);
                self.days = self.days.checked_add(rest / day)?;
                self.nanos = self.nanos.checked_add(rest % day)?;
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
    if let Some(d) = parse_alternative_duration(t) {
        return Some(d);
    }
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
            Value::Float(f) => {
                let scaled = (f * 1e9).round();
                if !scaled.is_finite() || scaled.abs() >= 1e36 {
                    return Err(overflow("duration()"));
                }
                scaled as i128
            }
            other => {
                return Err(type_error(
                    "duration",
                    &format!("a number for '{name}'"),
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

/// The alternative ISO 8601 form `PYYYY-MM-DDTHH:MM:SS[.f]`.
fn parse_alternative_duration(t: &str) -> Option<Duration> {
    let body = t.strip_prefix(['P', 'p'])?;
    let (date, time) = body.split_once(['T', 't'])?;
    let mut d = date.split('-');
    let (y, m, dd) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() || y.len() != 4 || m.len() != 2 || dd.len() != 2 {
        return None;
    }
    let num = |s: &str| -> Option<i128> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut t = time.split(':');
    let (h, mi, sec) = (t.next()?, t.next()?, t.next()?);
    if t.next().is_some() || h.len() != 2 || mi.len() != 2 {
        return None;
    }
    let seconds = parse_scaled(sec).filter(|s| *s >= 0)?;
    let nanos = (num(h)? * 3600 + num(mi)? * 60) * NANOS_PER_SECOND + seconds;
    duration_from_parts(num(y)? * 12 + num(m)?, num(dd)?, nanos)
}

/// `d * factor` or `d / divisor` for a float: each component is scaled and
/// fractions cascade into smaller units (sub-nanosecond parts are dropped).
pub fn duration_scale(d: &Duration, factor: f64, divide: bool) -> Result<Duration> {
    let scale = |x: f64| if divide { x / factor } else { x * factor };
    let scaled = |x: f64| -> Option<i128> {
        let v = (scale(x) * 1e9).trunc();
        (v.is_finite() && v.abs() < 1e36).then_some(v as i128)
    };
    let mut builder = DurationBuilder::default();
    let ok = (|| {
        builder.add(scaled(d.months as f64)?, Unit::Months(1))?;
        builder.add(scaled(d.days as f64)?, Unit::Days(1))?;
        let nanos = scale(time_nanos(d) as f64).trunc();
        if !nanos.is_finite() || nanos.abs() >= 1e36 {
            return None;
        }
        builder.nanos = builder.nanos.checked_add(nanos as i128)?;
        builder.build()
    })();
    ok.ok_or_else(|| overflow("duration scaling"))
}

/// `time + d` for a time of day: only the seconds and nanoseconds count,
/// wrapping around midnight.
pub fn local_time_plus(t: NaiveTime, d: &Duration) -> NaiveTime {
    let day = i128::from(crate::value::temporal::NANOS_PER_DAY);
    let delta = time_nanos(d).rem_euclid(day);
    let n = (i128::from(nanos_of_day(t)) + delta).rem_euclid(day);
    time_from_nanos(i64::try_from(n).unwrap_or(0))
}

/// `time + d` for a time with offset.
pub fn time_plus(t: Time, d: &Duration) -> Time {
    Time {
        time: local_time_plus(t.time, d),
        offset: t.offset,
    }
}

/// `datetime + d` for a date-time with zone: months and days move the
/// local date (keeping the offset where the zone allows), seconds and
/// nanoseconds move the moment.
pub fn zoned_plus(dt: &DateTime, d: &Duration) -> Result<DateTime> {
    let zone = dt.time_zone();
    let dated = Duration {
        months: d.months,
        days: d.days,
        seconds: 0,
        nanos: 0,
    };
    let local = datetime_plus(dt.local, &dated)?;
    let moved = DateTime::at_local(local, &zone, Some(dt.offset))
        .ok_or_else(|| date_out_of_range("datetime + duration"))?;
    let utc = moved
        .utc()
        .checked_add_signed(
            TimeDelta::try_seconds(d.seconds)
                .ok_or_else(|| date_out_of_range("datetime + duration"))?,
        )
        .and_then(|u| u.checked_add_signed(TimeDelta::nanoseconds(i64::from(d.nanos))))
        .ok_or_else(|| date_out_of_range("datetime + duration"))?;
    DateTime::at_utc(utc, &zone).ok_or_else(|| date_out_of_range("datetime + duration"))
}

/// [`duration_from_parts`], an `IntegerOverflow` when out of range.
pub fn duration_from_parts_checked(months: i128, days: i128, nanos: i128) -> Result<Duration> {
    duration_from_parts(months, days, nanos).ok_or_else(|| overflow("duration"))
}
