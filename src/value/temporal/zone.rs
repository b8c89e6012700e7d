//! Time zones: fixed offsets and named IANA zones (through `chrono-tz`).

use chrono::{LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone};
use chrono_tz::Tz;

/// A time zone: a fixed offset from UTC or a named zone whose offset
/// depends on the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Seconds east of UTC.
    Offset(i32),
    /// A zone of the IANA database.
    Named(Tz),
}

/// The largest offset openCypher accepts, ±18 hours.
const MAX_OFFSET: i32 = 18 * 3600;

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Offset(0);

    /// The named zone `name` (case as in the IANA database, e.g.
    /// `Europe/Stockholm`), if it exists.
    pub fn named(name: &str) -> Option<Zone> {
        name.parse::<Tz>().ok().map(Zone::Named)
    }

    /// A fixed offset in seconds, if within ±18 hours.
    pub fn offset(seconds: i32) -> Option<Zone> {
        (seconds.abs() <= MAX_OFFSET).then_some(Zone::Offset(seconds))
    }

    /// Parses `Z`, `+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS` (or `-`), or a
    /// zone name.
    pub fn parse(text: &str) -> Option<Zone> {
        parse_offset(text)
            .and_then(Zone::offset)
            .or_else(|| Zone::named(text))
    }

    /// The zone's IANA name, if it is a named zone.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Zone::Offset(_) => None,
            Zone::Named(tz) => Some(tz.name()),
        }
    }

    /// The offset in force at the moment `utc`.
    pub fn offset_at_utc(&self, utc: NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(s) => *s,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&utc).fix().local_minus_utc(),
        }
    }

    /// The local time and offset for the local time `local`: in a gap the
    /// time moves forward by the gap's length; in an overlap `preferred` is
    /// kept if valid, else the earlier offset.
    pub fn resolve_local(
        &self,
        local: NaiveDateTime,
        preferred: Option<i32>,
    ) -> Option<(NaiveDateTime, i32)> {
        let tz = match self {
            Zone::Offset(s) => return Some((local, *s)),
            Zone::Named(tz) => tz,
        };
        match tz.offset_from_local_datetime(&local) {
            LocalResult::Single(o) => Some((local, o.fix().local_minus_utc())),
            LocalResult::Ambiguous(a, b) => {
                let (a, b) = (a.fix().local_minus_utc(), b.fix().local_minus_utc());
                let (early, late) = if a >= b { (a, b) } else { (b, a) };
                Some((local, if preferred == Some(late) { late } else { early }))
            }
            LocalResult::None => {
                let day = TimeDelta::days(1);
                let before = self.offset_at_utc(local.checked_sub_signed(day)?);
                let after = self.offset_at_utc(local.checked_add_signed(day)?);
                let gap = TimeDelta::seconds(i64::from(after - before).abs());
                Some((local.checked_add_signed(gap)?, after))
            }
        }
    }
}

/// Parses an offset (`Z`, `+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS`, `+HHMMSS`)
/// into seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let colons = rest.matches(':').count();
    let expected_colons = match digits.len() {
        2 => 0,
        4 => 1,
        6 => 2,
        _ => return None,
    };
    if colons != 0 && colons != expected_colons {
        return None;
    }
    let num = |i: usize| digits.get(i..i + 2).and_then(|s| s.parse::<i32>().ok());
    let hours = num(0)?;
    let minutes = if digits.len() >= 4 { num(2)? } else { 0 };
    let seconds = if digits.len() == 6 { num(4)? } else { 0 };
    if minutes >= 60 || seconds >= 60 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}
