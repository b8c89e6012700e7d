//! Temporal functions: the constructors `date`, `localtime`, `time`,
//! `localdatetime`, `datetime` (and their `.realtime()`, `.statement()`,
//! `.transaction()` clocks), `duration`, the `<type>.truncate` functions and
//! `duration.between` / `inMonths` / `inDays` / `inSeconds`, plus the
//! duration arithmetic the operators use.
//!
//! Values without a zone that must get one (a `datetime` built from a
//! `localdatetime`, a `time` from text without offset) are placed in UTC,
//! and "now" is the current moment in UTC.
//!
//! Text or maps that do not describe a valid temporal value (`'2025-13-01'`,
//! `{year: 2025, month: 2, day: 30}`, unknown map keys, unknown zones) are
//! an `ArgumentError: InvalidArgumentValue`. A result outside the dates
//! chrono can represent is an `ArithmeticError: DateOutOfRange`; a duration
//! component that leaves the 64-bit range is an
//! `ArithmeticError: IntegerOverflow`.

mod between;
mod construct;
mod duration;
mod fields;
mod select;
mod truncate;

use std::cell::Cell;

use chrono::{NaiveDateTime, NaiveTime};

pub use between::{duration_between, duration_in_days, duration_in_months, duration_in_seconds};
pub use construct::{
    date, date_clock, date_realtime, datetime, datetime_clock, datetime_from_epoch,
    datetime_from_epoch_millis, datetime_realtime, local_datetime, local_datetime_clock,
    local_datetime_realtime, local_time, local_time_clock, local_time_realtime, time, time_clock,
    time_realtime,
};
pub use duration::{
    date_plus, datetime_plus, duration, duration_add, duration_mul, duration_neg, duration_scale,
    local_time_plus, parse_duration, time_plus, zoned_plus,
};
pub use truncate::{
    date_truncate, datetime_truncate, local_datetime_truncate, local_time_truncate, time_truncate,
};

use crate::error::Error;
use crate::value::{Date, Value, Zone};

/// `ArithmeticError: DateOutOfRange` for `what`.
fn date_out_of_range(what: &str) -> Error {
    Error::arithmetic(
        "DateOutOfRange",
        format!("{what}: the result is outside the supported range of dates"),
    )
}

/// A temporal value taken apart: the date, time of day and zone it has.
#[derive(Debug, Clone)]
struct Parts {
    date: Option<Date>,
    time: Option<NaiveTime>,
    /// The offset in force, for values with a zone.
    offset: Option<i32>,
    /// The zone (named or a fixed offset), for values with a zone.
    zone: Option<Zone>,
}

impl Parts {
    /// The parts of a temporal value; `None` for other values.
    fn of(value: &Value) -> Option<Parts> {
        let none = Parts {
            date: None,
            time: None,
            offset: None,
            zone: None,
        };
        Some(match value {
            Value::Date(d) => Parts {
                date: Some(*d),
                ..none
            },
            Value::LocalDateTime(dt) => Parts {
                date: Some(dt.date()),
                time: Some(dt.time()),
                ..none
            },
            Value::DateTime(dt) => Parts {
                date: Some(dt.local.date()),
                time: Some(dt.local.time()),
                offset: Some(dt.offset),
                zone: Some(dt.time_zone()),
            },
            Value::LocalTime(t) => Parts {
                time: Some(*t),
                ..none
            },
            Value::Time(t) => Parts {
                time: Some(t.time),
                offset: Some(t.offset),
                zone: Some(Zone::Offset(t.offset)),
                ..none
            },
            _ => return None,
        })
    }
}

thread_local! {
    /// The moment the running statement started, if one is running.
    static STATEMENT_NOW: Cell<Option<NaiveDateTime>> = const { Cell::new(None) };
}

/// Fixes "now" for the statement about to run on this thread: `date()`,
/// `datetime()`, … and the `.statement()` / `.transaction()` clocks all
/// read this moment until the next statement starts.
pub fn start_statement_clock() {
    STATEMENT_NOW.with(|now| now.set(Some(real_now())));
}

/// The current moment in UTC, read from the system clock.
fn real_now() -> NaiveDateTime {
    super::note_impure_read();
    chrono::Utc::now().naive_utc()
}

/// The moment the running statement started, in UTC (the system clock when
/// no statement is running).
pub(super) fn now_utc() -> NaiveDateTime {
    super::note_impure_read();
    STATEMENT_NOW.with(Cell::get).unwrap_or_else(real_now)
}

#[cfg(test)]
mod tests;
