//! ISO 8601 text of temporal values, as openCypher prints them: seconds
//! only when not zero (`12:30`, `12:30:05`, `12:30:05.25`), offsets as `Z`
//! or `+01:00`, a named zone in brackets after the offset.

use std::fmt;

use chrono::{NaiveTime, Timelike};

use super::{DateTime, Duration, NANOS_PER_SECOND, Time};

/// `HH:MM`, then `:SS` when seconds or nanoseconds are not zero, then the
/// fraction without trailing zeros.
pub fn format_time_of_day(t: &NaiveTime) -> String {
    let mut s = format!("{:02}:{:02}", t.hour(), t.minute());
    let nanos = t.nanosecond().min(999_999_999);
    if t.second() != 0 || nanos != 0 {
        s.push_str(&format!(":{:02}", t.second()));
        if nanos != 0 {
            let frac = format!("{nanos:09}");
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
    }
    s
}

/// `Z` for UTC, else `+HH:MM` (with `:SS` when the offset has seconds).
pub fn format_offset(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// The date part as ISO 8601 (years beyond four digits get a sign).
pub fn format_date(d: &chrono::NaiveDate) -> String {
    d.to_string()
}

/// `YYYY-MM-DDTHH:MM[:SS[.f]]`.
pub fn format_local_datetime(dt: &chrono::NaiveDateTime) -> String {
    format!(
        "{}T{}",
        format_date(&dt.date()),
        format_time_of_day(&dt.time())
    )
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            format_time_of_day(&self.time),
            format_offset(self.offset)
        )
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            format_local_datetime(&self.local),
            format_offset(self.offset)
        )?;
        if let Some(zone) = &self.zone {
            write!(f, "[{zone}]")?;
        }
        Ok(())
    }
}

/// Durations print each component with its own sign: `P1Y-2M3DT-4H-5.5S`.
/// Hours, minutes and seconds come from the signed total of seconds and
/// nanoseconds, so `-1.999` seconds print as `PT-1.999S`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P")?;
        let (years, months) = (self.months / 12, self.months % 12);
        if years != 0 {
            write!(f, "{years}Y")?;
        }
        if months != 0 {
            write!(f, "{months}M")?;
        }
        if self.days != 0 {
            write!(f, "{}D", self.days)?;
        }
        let total = self.time_nanos();
        if total != 0 {
            write!(f, "T")?;
            let negative = total < 0;
            let abs = total.unsigned_abs();
            let whole = abs / NANOS_PER_SECOND.unsigned_abs();
            let nanos = abs % NANOS_PER_SECOND.unsigned_abs();
            let (hours, minutes, seconds) = (whole / 3600, whole / 60 % 60, whole % 60);
            let sign = if negative { "-" } else { "" };
            if hours != 0 {
                write!(f, "{sign}{hours}H")?;
            }
            if minutes != 0 {
                write!(f, "{sign}{minutes}M")?;
            }
            if seconds != 0 || nanos != 0 {
                if nanos != 0 {
                    let frac = format!("{nanos:09}");
                    write!(f, "{sign}{seconds}.{}S", frac.trim_end_matches('0'))?;
                } else {
                    write!(f, "{sign}{seconds}S")?;
                }
            }
        } else if self.months == 0 && self.days == 0 {
            write!(f, "T0S")?;
        }
        Ok(())
    }
}
