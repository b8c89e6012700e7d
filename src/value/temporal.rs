//! Temporal values beyond chrono's plain dates and date-times: times of day
//! with an offset, date-times with an offset and an optional named zone,
//! durations, and the parsing and printing of their ISO 8601 text.

mod accessors;
mod format;
mod parse;

pub use parse::weekday;
mod zone;

use std::sync::Arc;

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

pub use format::{format_date, format_local_datetime, format_offset, format_time_of_day};
pub use parse::{
    DateTimeParts, parse_date, parse_datetime, parse_local_datetime, parse_local_time, parse_time,
};
pub use zone::Zone;

use super::LocalDateTime;

/// Nanoseconds in a second.
pub const NANOS_PER_SECOND: i128 = 1_000_000_000;
/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;
/// Nanoseconds in a day.
pub const NANOS_PER_DAY: i64 = 86_400_000_000_000;

/// A duration as openCypher defines it: months, days and seconds kept apart
/// because their lengths vary.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Duration {
    /// Whole months (years are 12 months).
    pub months: i64,
    /// Whole days (weeks are 7 days).
    pub days: i64,
    /// Whole seconds.
    pub seconds: i64,
    /// Nanoseconds, 0..1_000_000_000.
    pub nanos: i32,
}

impl Duration {
    /// The seconds and nanoseconds as one signed count of nanoseconds.
    pub fn time_nanos(&self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.nanos)
    }
}

/// A time of day with an offset from UTC (`12:31:14+01:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Time {
    /// The local time of day.
    pub time: NaiveTime,
    /// Seconds east of UTC.
    pub offset: i32,
}

impl Time {
    /// The time of day in UTC as nanoseconds since midnight; may fall
    /// outside one day (the offset is subtracted without wrapping).
    pub fn utc_nanos(&self) -> i64 {
        nanos_of_day(self.time) - i64::from(self.offset) * 1_000_000_000
    }
}

/// A date and time with an offset from UTC and, when built from a named
/// zone (`Europe/Stockholm`), that zone's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateTime {
    /// The local date and time.
    pub local: NaiveDateTime,
    /// Seconds east of UTC in force at `local`.
    pub offset: i32,
    /// The IANA name of the zone, if there is one.
    pub zone: Option<Arc<str>>,
}

impl DateTime {
    /// The moment in UTC (clamped to the representable range, which
    /// values built by [`DateTime::at_local`] never leave).
    pub fn utc(&self) -> NaiveDateTime {
        self.local
            .checked_sub_signed(TimeDelta::seconds(i64::from(self.offset)))
            .unwrap_or(if self.offset > 0 {
                NaiveDateTime::MIN
            } else {
                NaiveDateTime::MAX
            })
    }

    /// The zone this date-time lives in: its named zone, or its offset.
    pub fn time_zone(&self) -> Zone {
        self.zone
            .as_deref()
            .and_then(Zone::named)
            .unwrap_or(Zone::Offset(self.offset))
    }

    /// The date-time at the local time `local` in `zone`; in a gap of the
    /// zone (clocks moved forward) the time moves forward by the gap, in an
    /// overlap `preferred` is kept when it is one of the two offsets, else
    /// the earlier offset wins. `None` when out of range.
    pub fn at_local(local: LocalDateTime, zone: &Zone, preferred: Option<i32>) -> Option<DateTime> {
        let (local, offset) = zone.resolve_local(local, preferred)?;
        // The moment must be representable too.
        local.checked_sub_signed(TimeDelta::seconds(i64::from(offset)))?;
        Some(DateTime {
            local,
            offset,
            zone: zone.name().map(Arc::from),
        })
    }

    /// The date-time at the moment `utc`, seen in `zone`.
    pub fn at_utc(utc: NaiveDateTime, zone: &Zone) -> Option<DateTime> {
        let offset = zone.offset_at_utc(utc);
        Some(DateTime {
            local: utc.checked_add_signed(TimeDelta::seconds(i64::from(offset)))?,
            offset,
            zone: zone.name().map(Arc::from),
        })
    }
}

/// Nanoseconds since midnight.
pub fn nanos_of_day(t: NaiveTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(t.nanosecond())
}

/// The time of day `nanos` nanoseconds after midnight, wrapping around days.
pub fn time_from_nanos(nanos: i64) -> NaiveTime {
    let n = nanos.rem_euclid(NANOS_PER_DAY);
    let secs = u32::try_from(n / 1_000_000_000).unwrap_or(0);
    let frac = u32::try_from(n % 1_000_000_000).unwrap_or(0);
    NaiveTime::from_num_seconds_from_midnight_opt(secs, frac).unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests;
