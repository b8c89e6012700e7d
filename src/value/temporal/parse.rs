//! Parsing ISO 8601 text into dates, times and date-times, in the extended
//! (`2015-07-21`, `21:40:32`) and basic (`20150721`, `214032`) forms, with
//! week dates (`2015-W30-2`) and ordinal dates (`2015-202`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::zone::{Zone, parse_offset};

/// Parses a date: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM`, `YYYYMM`,
/// `YYYY-Www-D`, `YYYYWwwD`, `YYYY-Www`, `YYYYWww`, `YYYY-DDD`, `YYYYDDD`
/// or `YYYY`. Years beyond four digits need a sign (`+10000-01-01`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let (year, rest) = split_year(t)?;
    if rest.is_empty() {
        return NaiveDate::from_ymd_opt(year, 1, 1);
    }
    let (dashed, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if let Some(week_part) = rest.strip_prefix(['W', 'w']) {
        let week = number(week_part.get(..2)?)?;
        let day_part = &week_part[2..];
        let day = match (dashed, day_part) {
            (_, "") => 1,
            (true, d) => number(d.strip_prefix('-')?)?,
            (false, d) => number(d)?,
        };
        return NaiveDate::from_isoywd_opt(year, week, weekday(day)?);
    }
    if let Some((month, day)) = rest.split_once('-') {
        if !dashed || month.len() != 2 || day.len() != 2 {
            return None;
        }
        return NaiveDate::from_ymd_opt(year, number(month)?, number(day)?);
    }
    match (dashed, rest.len()) {
        (_, 2) => NaiveDate::from_ymd_opt(year, number(rest)?, 1),
        (_, 3) => NaiveDate::from_yo_opt(year, number(rest)?),
        (false, 4) => {
            NaiveDate::from_ymd_opt(year, number(rest.get(..2)?)?, number(rest.get(2..)?)?)
        }
        _ => None,
    }
}

/// The year at the start of a date and the text after it.
fn split_year(t: &str) -> Option<(i32, &str)> {
    let (sign, digits) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => (0, t),
    };
    let len = if sign == 0 {
        4
    } else {
        digits.bytes().take_while(u8::is_ascii_digit).count()
    };
    let year_digits = digits.get(..len)?;
    if len < 4 || !year_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year_digits.parse().ok()?;
    Some((if sign < 0 { -year } else { year }, digits.get(len..)?))
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The ISO weekday numbered `n` (Monday is 1).
pub fn weekday(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

/// Parses a time of day without offset: `HH:MM:SS.fffffffff`,
/// `HHMMSS.fff`, `HH:MM:SS`, `HHMMSS`, `HH:MM`, `HHMM` or `HH`.
pub fn parse_local_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    let (main, fraction) = match t.split_once(['.', ',']) {
        Some((m, f)) => (m, Some(f)),
        None => (t, None),
    };
    let parts: Vec<&str> = if main.contains(':') {
        main.split(':').collect()
    } else {
        if main.len() % 2 != 0 {
            return None;
        }
        (0..main.len() / 2)
            .map(|i| main.get(2 * i..2 * i + 2))
            .collect::<Option<Vec<_>>>()?
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let field = |i: usize| parts.get(i).map_or(Some(0), |p| number(p));
    let (h, m, s) = (field(0)?, field(1)?, field(2)?);
    let nanos = match fraction {
        None => 0,
        Some(f) if parts.len() == 3 && !f.is_empty() && f.len() <= 9 => {
            number(f)? * 10u32.pow(9 - u32::try_from(f.len()).ok()?)
        }
        Some(_) => return None,
    };
    NaiveTime::from_hms_nano_opt(h, m, s, nanos).filter(|_| nanos < 1_000_000_000)
}

/// Where the offset of a time starts: the first `+`, `-`, `Z` or `[`.
fn offset_start(t: &str) -> Option<usize> {
    t.find(['+', '-', 'Z', 'z', '['])
}

/// Parses a time of day with an optional offset: `21:40:32.142+01:00`,
/// `214032Z`, `21:40-02`. The offset is `None` when absent.
pub fn parse_time(text: &str) -> Option<(NaiveTime, Option<i32>)> {
    let t = text.trim();
    match offset_start(t) {
        None => Some((parse_local_time(t)?, None)),
        Some(i) => {
            let offset = parse_offset(&t[i..]).filter(|o| o.abs() <= 18 * 3600)?;
            Some((parse_local_time(&t[..i])?, Some(offset)))
        }
    }
}

/// Parses a date-time without offset: a date, then optionally `T` and a
/// time of day (both in any of the forms above).
pub fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    match t.split_once(['T', 't']) {
        Some((d, tm)) => Some(parse_date(d)?.and_time(parse_local_time(tm)?)),
        None => Some(parse_date(t)?.and_time(NaiveTime::MIN)),
    }
}

/// The parts of a date-time text: local date-time, offset and zone as
/// written (either may be absent).
pub type DateTimeParts = (NaiveDateTime, Option<i32>, Option<Zone>);

/// Parses a date-time with an optional offset and an optional bracketed
/// zone name: `2015-07-21T21:40:32.142+01:00`,
/// `2015-07-21T21:40:32.142[Europe/London]`.
pub fn parse_datetime(text: &str) -> Option<DateTimeParts> {
    let t = text.trim();
    let (t, zone) = match t.strip_suffix(']') {
        Some(rest) => {
            let (main, name) = rest.split_once('[')?;
            (main, Some(Zone::named(name)?))
        }
        None => (t, None),
    };
    let Some((d, tm)) = t.split_once(['T', 't']) else {
        return Some((parse_date(t)?.and_time(NaiveTime::MIN), None, zone));
    };
    let date = parse_date(d)?;
    let (time, offset) = parse_time(tm)?;
    Some((date.and_time(time), offset, zone))
}
