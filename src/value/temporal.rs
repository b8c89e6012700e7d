//! Temporal values beyond chrono's dates: durations, and the parsing of
//! ISO 8601 text into dates and date-times.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Date, LocalDateTime};

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
        if self.seconds != 0 || self.nanos != 0 {
            write!(f, "T")?;
            let (hours, rest) = (self.seconds / 3600, self.seconds % 3600);
            let (minutes, seconds) = (rest / 60, rest % 60);
            if hours != 0 {
                write!(f, "{hours}H")?;
            }
            if minutes != 0 {
                write!(f, "{minutes}M")?;
            }
            if seconds != 0 || self.nanos != 0 {
                if self.nanos != 0 {
                    let frac = format!("{:09}", self.nanos);
                    write!(f, "{seconds}.{}S", frac.trim_end_matches('0'))?;
                } else {
                    write!(f, "{seconds}S")?;
                }
            }
        } else if self.months == 0 && self.days == 0 {
            write!(f, "T0S")?;
        }
        Ok(())
    }
}

/// Parses `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM` or `YYYY` into a date.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = Date::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Date::parse_from_str(t, "%Y%m%d").ok();
    }
    if t.len() == 7 {
        return Date::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok();
    }
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Date::parse_from_str(&format!("{t}-01-01"), "%Y-%m-%d").ok();
    }
    None
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` into a local date-time.
pub fn parse_local_datetime(text: &str) -> Option<LocalDateTime> {
    let t = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|fmt| LocalDateTime::parse_from_str(t, fmt).ok())
    .or_else(|| parse_date(t).and_then(|d| d.and_hms_opt(0, 0, 0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_in_iso_8601() {
        let d = Duration {
            months: 14,
            days: 3,
            seconds: 3723,
            nanos: 500_000_000,
        };
        assert_eq!(d.to_string(), "P1Y2M3DT1H2M3.5S");
        assert_eq!(Duration::default().to_string(), "PT0S");
    }

    #[test]
    fn dates_parse_in_several_forms() {
        assert_eq!(parse_date("2025-02-10"), Date::from_ymd_opt(2025, 2, 10));
        assert_eq!(parse_date("20250210"), Date::from_ymd_opt(2025, 2, 10));
        assert_eq!(parse_date("2025-13-01"), None);
    }
}
