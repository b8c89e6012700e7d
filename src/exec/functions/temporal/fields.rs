//! Maps of temporal fields (`{year: 2025, month: 2, day: 10, hour: 12,
//! timezone: 'Europe/Stockholm'}`), read case-insensitively.

use crate::value::temporal::weekday;
use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveTime, TimeDelta, Timelike};

use crate::error::Result;
use crate::exec::functions::{invalid_value, type_error};
use crate::value::{Date, Value, Zone};

/// The fields of a date.
pub const DATE_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayofweek",
    "ordinalday",
    "quarter",
    "dayofquarter",
];
/// The fields of a time of day.
pub const TIME_KEYS: &[&str] = &[
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

/// The integer fields of a temporal map, keyed by lower-case name, and its
/// `timezone`.
#[derive(Debug, Default)]
pub struct Fields {
    ints: Vec<(&'static str, i64)>,
    /// The `timezone` field, if given.
    pub zone: Option<Zone>,
}

impl Fields {
    /// Reads `map`, whose keys (any case) must be among `allowed` (plus
    /// `timezone` when `zoned`) and whose values must be integers (the zone
    /// a string); null values count as absent.
    pub fn read(
        name: &str,
        map: &BTreeMap<String, Value>,
        allowed: &[&[&'static str]],
        zoned: bool,
    ) -> Result<Fields> {
        let mut fields = Fields::default();
        for (key, value) in map {
            if zoned && key.eq_ignore_ascii_case("timezone") {
                fields.zone = match value {
                    Value::Null => None,
                    Value::String(z) => Some(Zone::parse(z).ok_or_else(|| {
                        invalid_value(format!("{name}(): unknown time zone '{z}'"))
                    })?),
                    other => return Err(type_error(name, "a string for 'timezone'", other)),
                };
                continue;
            }
            let Some(canonical) = allowed
                .iter()
                .flat_map(|keys| keys.iter())
                .find(|k| k.eq_ignore_ascii_case(key))
            else {
                return Err(invalid_value(format!("{name}(): unknown field '{key}'")));
            };
            match value {
                Value::Null => {}
                Value::Int(i) => fields.ints.push((*canonical, *i)),
                other => return Err(type_error(name, &format!("an integer for '{key}'"), other)),
            }
        }
        Ok(fields)
    }

    /// Field `key` (lower case), if given.
    pub fn get(&self, key: &str) -> Option<i64> {
        self.ints.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether any of `keys` is given.
    pub fn has_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.has(k))
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
    pub fn date(&self, name: &str) -> Result<Date> {
        let year = self
            .get("year")
            .ok_or_else(|| invalid_value(format!("{name}(): a map needs at least 'year'")))?;
        let year = i32::try_from(year)
            .map_err(|_| invalid_value(format!("{name}(): year {year} is out of range")))?;
        let date = if self.has("week") || self.has("dayofweek") {
            let week = self.small(name, "week", 1)?;
            weekday(self.small(name, "dayofweek", 1)?)
                .and_then(|wd| Date::from_isoywd_opt(year, week, wd))
        } else if self.has("ordinalday") {
            Date::from_yo_opt(year, self.small(name, "ordinalday", 1)?)
        } else if self.has("quarter") || self.has("dayofquarter") {
            let quarter = self.small(name, "quarter", 1)?;
            let day = self.small(name, "dayofquarter", 1)?;
            quarter_day(year, quarter, day)
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

    /// The sub-second fields as nanoseconds, if any is given.
    fn fraction(&self, name: &str) -> Result<Option<u32>> {
        if !self.has_any(&["millisecond", "microsecond", "nanosecond"]) {
            return Ok(None);
        }
        let milli = self.small(name, "millisecond", 0)?;
        let micro = self.small(name, "microsecond", 0)?;
        let nano = self.small(name, "nanosecond", 0)?;
        let limits_ok = milli < 1000
            && micro
                < if self.has("millisecond") {
                    1000
                } else {
                    1_000_000
                }
            && nano
                < if self.has("microsecond") {
                    1000
                } else if self.has("millisecond") {
                    1_000_000
                } else {
                    1_000_000_000
                };
        if !limits_ok {
            return Err(invalid_value(format!(
                "{name}(): the sub-second fields are out of range"
            )));
        }
        Ok(Some(milli * 1_000_000 + micro * 1000 + nano))
    }

    /// The time of day the fields describe (missing fields are 0).
    pub fn time(&self, name: &str) -> Result<NaiveTime> {
        let hour = self.small(name, "hour", 0)?;
        let minute = self.small(name, "minute", 0)?;
        let second = self.small(name, "second", 0)?;
        let fraction = self.fraction(name)?.unwrap_or(0);
        NaiveTime::from_hms_nano_opt(hour, minute, second, fraction)
            .filter(|_| second < 60 && fraction < 1_000_000_000)
            .ok_or_else(|| {
                invalid_value(format!(
                    "{name}(): the fields do not describe a valid time of day"
                ))
            })
    }

    /// `base` with the date fields given replacing its own: `dayOfWeek`
    /// (and `week`) move within ISO weeks, `ordinalDay` within the year,
    /// `dayOfQuarter` within the quarter, otherwise `year`, `month`, `day`.
    pub fn overlay_date(&self, name: &str, base: Date) -> Result<Date> {
        let year = self.get("year").unwrap_or(i64::from(base.year()));
        let year = i32::try_from(year)
            .map_err(|_| invalid_value(format!("{name}(): year {year} is out of range")))?;
        let date = if self.has("week") || self.has("dayofweek") {
            let iso = base.iso_week();
            let week = self.small(name, "week", iso.week())?;
            let wd = self.small(name, "dayofweek", base.weekday().number_from_monday())?;
            let year = if self.has("year") { year } else { iso.year() };
            weekday(wd).and_then(|wd| Date::from_isoywd_opt(year, week, wd))
        } else if self.has("ordinalday") {
            Date::from_yo_opt(year, self.small(name, "ordinalday", base.ordinal())?)
        } else if self.has("quarter") || self.has("dayofquarter") {
            let quarter = self.small(name, "quarter", base.month0() / 3 + 1)?;
            let first = Date::from_ymd_opt(base.year(), base.month0() / 3 * 3 + 1, 1);
            let current = first.map_or(1, |f| (base - f).num_days() + 1);
            let day = self.small(name, "dayofquarter", u32::try_from(current).unwrap_or(1))?;
            quarter_day(year, quarter, day)
        } else {
            Date::from_ymd_opt(
                year,
                self.small(name, "month", base.month())?,
                self.small(name, "day", base.day())?,
            )
        };
        date.ok_or_else(|| {
            invalid_value(format!("{name}(): the fields do not describe a valid date"))
        })
    }

    /// `base` with `hour`, `minute`, `second` replaced and the sub-second
    /// fields added to its fraction (a truncated time has none finer than
    /// the unit it was truncated to).
    pub fn overlay_time(&self, name: &str, base: NaiveTime) -> Result<NaiveTime> {
        let hour = self.small(name, "hour", base.hour())?;
        let minute = self.small(name, "minute", base.minute())?;
        let second = self.small(name, "second", base.second())?;
        let fraction = match self.fraction(name)? {
            Some(f) => f + base.nanosecond(),
            None => base.nanosecond(),
        };
        NaiveTime::from_hms_nano_opt(hour, minute, second, fraction)
            .filter(|_| second < 60 && fraction < 1_000_000_000)
            .ok_or_else(|| {
                invalid_value(format!(
                    "{name}(): the fields do not describe a valid time of day"
                ))
            })
    }
}

/// Day `day` (from 1) of quarter `quarter` of `year`, if it exists.
fn quarter_day(year: i32, quarter: u32, day: u32) -> Option<Date> {
    if !(1..=4).contains(&quarter) || day < 1 {
        return None;
    }
    let start = Date::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?;
    let end = Date::from_ymd_opt(year, quarter * 3, 1)?.checked_add_months(Months::new(1))?;
    let date = start.checked_add_signed(TimeDelta::try_days(i64::from(day) - 1)?)?;
    (date < end).then_some(date)
}
