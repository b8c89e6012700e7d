//! How temporal values are encoded in typed columns, so a kernel can
//! encode a literal once and compare integers.
//!
//! - A `Date` is its day count since 1970-01-01 as an `i32` (every date
//!   kgq can hold fits, and the order of the integers is the order of the
//!   dates).
//! - A `LocalDateTime` is its nanoseconds since 1970-01-01T00:00 as an
//!   `i64`, which covers the years 1677 to 2262. A value outside that range,
//!   or a leap second, has no encoding: it keeps its column `Any`.
//!
//! Zoned date-times, times and durations stay in `Any` columns.

use crate::value::{Date, LocalDateTime};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// The column code of `date`: days since 1970-01-01.
pub fn date_to_days(date: Date) -> i32 {
    // chrono's dates span ±262,143 years, about ±9.6e7 days: no overflow.
    chrono::Datelike::num_days_from_ce(&date) - EPOCH_FROM_CE
}

/// The date with column code `days`, if it is a date chrono can hold.
pub fn days_to_date(days: i32) -> Option<Date> {
    Date::from_num_days_from_ce_opt(days.checked_add(EPOCH_FROM_CE)?)
}

/// The column code of `t`: nanoseconds since 1970-01-01T00:00, if that
/// fits an `i64` and decodes back to exactly `t` (not for leap seconds).
pub fn local_datetime_to_nanos(t: &LocalDateTime) -> Option<i64> {
    let nanos = t.and_utc().timestamp_nanos_opt()?;
    (nanos_to_local_datetime(nanos) == *t).then_some(nanos)
}

/// The local date-time with column code `nanos` (every `i64` is one).
pub fn nanos_to_local_datetime(nanos: i64) -> LocalDateTime {
    chrono::DateTime::from_timestamp_nanos(nanos).naive_utc()
}
