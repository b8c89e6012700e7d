//! `duration.between(a, b)`, `duration.inMonths(a, b)`,
//! `duration.inDays(a, b)`, `duration.inSeconds(a, b)`: the duration from
//! `a` to `b`.
//!
//! A value without a date (a time) takes the date of the other; a value
//! without a zone takes the zone of the other. Months and days are counted
//! only when both values have a date, on the local date-times after `b` is
//! moved into `a`'s zone (a whole month or day counts only once its time of
//! day is reached); the rest is the exact time between the moments.

use chrono::{Datelike, Months, NaiveDateTime, NaiveTime, TimeDelta};

use super::duration::duration_from_parts_checked;
use super::{Parts, date_out_of_range};
use crate::error::Result;
use crate::exec::functions::{arg, type_error};
use crate::graph::Graph;
use crate::value::{Date, DateTime, Value};

/// Which components to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    All,
    Months,
    Days,
    Seconds,
}

/// `duration.between(a, b)`: months, then days, then the time left.
pub fn duration_between(args: &[Value], _: &Graph) -> Result<Value> {
    between("duration.between", args, Mode::All)
}

/// `duration.inMonths(a, b)`: whole months only.
pub fn duration_in_months(args: &[Value], _: &Graph) -> Result<Value> {
    between("duration.inMonths", args, Mode::Months)
}

/// `duration.inDays(a, b)`: whole days only.
pub fn duration_in_days(args: &[Value], _: &Graph) -> Result<Value> {
    between("duration.inDays", args, Mode::Days)
}

/// `duration.inSeconds(a, b)`: seconds and nanoseconds only.
pub fn duration_in_seconds(args: &[Value], _: &Graph) -> Result<Value> {
    between("duration.inSeconds", args, Mode::Seconds)
}

/// `b`'s end date for counting whole units from `a`: a day earlier (later)
/// when `b` is after (before) `a` but its time of day is not yet reached.
fn end_date(a: NaiveDateTime, b: NaiveDateTime) -> Date {
    let end = b.date();
    if end > a.date() && b.time() < a.time() {
        end.pred_opt().unwrap_or(end)
    } else if end < a.date() && b.time() > a.time() {
        end.succ_opt().unwrap_or(end)
    } else {
        end
    }
}

/// Whole months from `a` to `b`.
fn months_until(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    let end = end_date(a, b);
    let packed =
        |d: Date| (i64::from(d.year()) * 12 + i64::from(d.month0())) * 32 + i64::from(d.day());
    (packed(end) - packed(a.date())) / 32
}

/// Whole days from `a` to `b`.
fn days_until(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    (end_date(a, b) - a.date()).num_days()
}

fn add_months(t: NaiveDateTime, months: i64) -> Option<NaiveDateTime> {
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        t.checked_add_months(m)
    } else {
        t.checked_sub_months(m)
    }
}

fn between(name: &str, args: &[Value], mode: Mode) -> Result<Value> {
    let (a, b) = (arg(args, 0), arg(args, 1));
    if a.is_null() || b.is_null() {
        return Ok(Value::Null);
    }
    let pa = Parts::of(a).ok_or_else(|| type_error(name, "temporal values", a))?;
    let pb = Parts::of(b).ok_or_else(|| type_error(name, "temporal values", b))?;
    let dated = pa.date.is_some() && pb.date.is_some();
    let any_date = pa.date.or(pb.date).unwrap_or_default();
    let local_a = pa
        .date
        .or(pb.date)
        .unwrap_or(any_date)
        .and_time(pa.time.unwrap_or(NaiveTime::MIN));
    let local_b = pb
        .date
        .or(pa.date)
        .unwrap_or(any_date)
        .and_time(pb.time.unwrap_or(NaiveTime::MIN));
    let out_of_range = || date_out_of_range(name);

    // Both in a's zone (or both local), plus a way to measure exact time.
    let zone_a = pa.zone.or(pb.zone);
    let zone_b = pb.zone.or(pa.zone);
    let (start, end, zoned) = match (zone_a, zone_b) {
        (Some(za), Some(zb)) => {
            let da = DateTime::at_local(local_a, &za, pa.offset).ok_or_else(out_of_range)?;
            let db = DateTime::at_local(local_b, &zb, pb.offset).ok_or_else(out_of_range)?;
            let b_in_a = DateTime::at_utc(db.utc(), &za).ok_or_else(out_of_range)?;
            (da.local, b_in_a.local, Some((za, da.offset, db.utc())))
        }
        _ => (local_a, local_b, None),
    };
    // The exact time from the local date-time `from` (in a's zone) to b.
    let nanos_from = |from: NaiveDateTime, preferred: Option<i32>| -> Result<i128> {
        let delta = match zoned {
            Some((za, _, b_utc)) => {
                let f = DateTime::at_local(from, &za, preferred).ok_or_else(out_of_range)?;
                b_utc - f.utc()
            }
            None => end - from,
        };
        delta_nanos(delta).ok_or_else(out_of_range)
    };
    let preferred = zoned.map(|(_, offset, _)| offset);

    let (mut months, mut days, mut nanos) = (0i64, 0i64, 0i128);
    match mode {
        Mode::Months => {
            if dated {
                months = months_until(start, end);
            }
        }
        Mode::Days => {
            if dated {
                days = days_until(start, end);
            }
        }
        Mode::Seconds => nanos = nanos_from(start, preferred)?,
        Mode::All => {
            let mut from = start;
            if dated {
                months = months_until(from, end);
                from = add_months(from, months).ok_or_else(out_of_range)?;
                days = days_until(from, end);
                from = from
                    .checked_add_signed(TimeDelta::try_days(days).ok_or_else(out_of_range)?)
                    .ok_or_else(out_of_range)?;
            }
            nanos = nanos_from(from, preferred)?;
        }
    }
    duration_from_parts_checked(i128::from(months), i128::from(days), nanos).map(Value::Duration)
}

/// A chrono time delta as nanoseconds.
fn delta_nanos(d: TimeDelta) -> Option<i128> {
    Some(i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos()))
}
