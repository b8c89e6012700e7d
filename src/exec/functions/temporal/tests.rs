//! Unit tests of the temporal functions.

use std::collections::BTreeMap;

use super::duration::parse_duration;
use super::*;
use crate::error::ErrorClass;
use crate::exec::functions::call;
use crate::value::{Date, Duration};

fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap()
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn dur(months: i64, days: i64, seconds: i64, nanos: i32) -> Duration {
    Duration {
        months,
        days,
        seconds,
        nanos,
    }
}

#[test]
fn dates_from_text_maps_and_temporals() {
    assert_eq!(
        call("date", vec![Value::from("2025-02-10")]).unwrap(),
        Value::Date(ymd(2025, 2, 10))
    );
    assert!(matches!(call("date", vec![]).unwrap(), Value::Date(_)));
    let err = call("date", vec![Value::from("2025-02-30")]).unwrap_err();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::ArgumentError, "InvalidArgumentValue")
    );
    let m = map(&[
        ("year", Value::Int(2024)),
        ("month", Value::Int(2)),
        ("day", Value::Int(29)),
    ]);
    assert_eq!(
        call("date", vec![m]).unwrap(),
        Value::Date(ymd(2024, 2, 29))
    );
    assert_eq!(
        call("date", vec![map(&[("year", Value::Int(2024))])]).unwrap(),
        Value::Date(ymd(2024, 1, 1))
    );
    let m = map(&[
        ("year", Value::Int(2025)),
        ("week", Value::Int(1)),
        ("dayOfWeek", Value::Int(1)),
    ]);
    assert_eq!(
        call("date", vec![m]).unwrap(),
        Value::Date(ymd(2024, 12, 30))
    );
    let m = map(&[("year", Value::Int(2025)), ("ordinalDay", Value::Int(32))]);
    assert_eq!(call("date", vec![m]).unwrap(), Value::Date(ymd(2025, 2, 1)));
    let m = map(&[
        ("year", Value::Int(2025)),
        ("quarter", Value::Int(2)),
        ("dayOfQuarter", Value::Int(31)),
    ]);
    assert_eq!(call("date", vec![m]).unwrap(), Value::Date(ymd(2025, 5, 1)));
    let m = map(&[
        ("year", Value::Int(2025)),
        ("quarter", Value::Int(1)),
        ("dayOfQuarter", Value::Int(91)),
    ]);
    assert_eq!(
        call("date", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let m = map(&[
        ("year", Value::Int(2025)),
        ("month", Value::Int(2)),
        ("day", Value::Int(29)),
    ]);
    assert_eq!(
        call("date", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let m = map(&[("year", Value::Int(2025)), ("month", Value::Int(-1))]);
    assert_eq!(
        call("date", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let m = map(&[("year", Value::Int(2025)), ("hour", Value::Int(1))]);
    assert_eq!(
        call("date", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    assert_eq!(
        call("date", vec![map(&[("month", Value::Int(1))])])
            .unwrap_err()
            .class,
        ErrorClass::ArgumentError
    );
    let m = map(&[("year", Value::from("2025"))]);
    assert_eq!(
        call("date", vec![m]).unwrap_err().class,
        ErrorClass::TypeError
    );
    let dt = ymd(2025, 2, 10).and_hms_opt(13, 0, 0).unwrap();
    assert_eq!(
        call("date", vec![Value::LocalDateTime(dt)]).unwrap(),
        Value::Date(ymd(2025, 2, 10))
    );
    assert_eq!(
        call("date", vec![Value::Date(ymd(2000, 1, 1))]).unwrap(),
        Value::Date(ymd(2000, 1, 1))
    );
    assert_eq!(call("date", vec![Value::Null]).unwrap(), Value::Null);
    assert_eq!(
        call("date", vec![Value::Int(2025)]).unwrap_err().class,
        ErrorClass::TypeError
    );
}

#[test]
fn local_datetimes() {
    let expected = ymd(2025, 2, 10).and_hms_opt(12, 30, 0).unwrap();
    assert_eq!(
        call("localdatetime", vec![Value::from("2025-02-10T12:30")]).unwrap(),
        Value::LocalDateTime(expected)
    );
    assert_eq!(
        call("datetime", vec![Value::from("2025-02-10T12:30:00")])
            .unwrap()
            .literal(None)
            .to_string(),
        "2025-02-10T12:30Z"
    );
    assert!(matches!(
        call("localdatetime", vec![]).unwrap(),
        Value::LocalDateTime(_)
    ));
    let m = map(&[
        ("year", Value::Int(2025)),
        ("month", Value::Int(2)),
        ("day", Value::Int(10)),
        ("hour", Value::Int(12)),
        ("minute", Value::Int(30)),
        ("millisecond", Value::Int(5)),
    ]);
    let with_millis = ymd(2025, 2, 10).and_hms_milli_opt(12, 30, 0, 5).unwrap();
    assert_eq!(
        call("localdatetime", vec![m]).unwrap(),
        Value::LocalDateTime(with_millis)
    );
    let m = map(&[("year", Value::Int(2025)), ("hour", Value::Int(24))]);
    assert_eq!(
        call("localdatetime", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let m = map(&[("year", Value::Int(2025)), ("second", Value::Int(60))]);
    assert_eq!(
        call("localdatetime", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let midnight = ymd(2025, 2, 10).and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(
        call("localdatetime", vec![Value::Date(ymd(2025, 2, 10))]).unwrap(),
        Value::LocalDateTime(midnight)
    );
    assert_eq!(
        call("localdatetime", vec![Value::from("noon")])
            .unwrap_err()
            .class,
        ErrorClass::ArgumentError
    );
    assert_eq!(call("datetime", vec![Value::Null]).unwrap(), Value::Null);
}

#[test]
fn durations_from_text() {
    assert_eq!(parse_duration("P1Y2M3DT4H"), Some(dur(14, 3, 4 * 3600, 0)));
    assert_eq!(parse_duration("P2W"), Some(dur(0, 14, 0, 0)));
    assert_eq!(parse_duration("PT1.5S"), Some(dur(0, 0, 1, 500_000_000)));
    assert_eq!(parse_duration("PT0.000000001S"), Some(dur(0, 0, 0, 1)));
    assert_eq!(parse_duration("P1.5D"), Some(dur(0, 1, 12 * 3600, 0)));
    assert_eq!(parse_duration("PT1M30S"), Some(dur(0, 0, 90, 0)));
    assert_eq!(parse_duration("P1M"), Some(dur(1, 0, 0, 0)));
    assert_eq!(parse_duration("PT1M"), Some(dur(0, 0, 60, 0)));
    assert_eq!(parse_duration("-P1D"), Some(dur(0, -1, 0, 0)));
    assert_eq!(
        parse_duration("P-1DT-0.5S"),
        Some(dur(0, -1, -1, 500_000_000))
    );
    assert_eq!(parse_duration("PT0S"), Some(Duration::default()));
    for bad in [
        "", "P", "PT", "1D", "P1", "PD", "P1H", "P1D1Y", "P1DD", "PT1D", "P1DT", "P1X", "P--1D",
    ] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
    assert_eq!(parse_duration("P99999999999999999999Y"), None);
    assert_eq!(
        call("duration", vec![Value::from("P1Y2M3DT4H")]).unwrap(),
        Value::Duration(dur(14, 3, 14_400, 0))
    );
    let err = call("duration", vec![Value::from("one day")]).unwrap_err();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::ArgumentError, "InvalidArgumentValue")
    );
    assert_eq!(call("duration", vec![Value::Null]).unwrap(), Value::Null);
    assert_eq!(
        call("duration", vec![Value::Int(1)]).unwrap_err().class,
        ErrorClass::TypeError
    );
}

#[test]
fn durations_from_maps() {
    let m = map(&[
        ("years", Value::Int(1)),
        ("months", Value::Int(2)),
        ("weeks", Value::Int(1)),
        ("days", Value::Int(3)),
        ("hours", Value::Int(4)),
        ("minutes", Value::Int(5)),
        ("seconds", Value::Int(6)),
        ("milliseconds", Value::Int(7)),
        ("microseconds", Value::Int(8)),
        ("nanoseconds", Value::Int(9)),
    ]);
    assert_eq!(
        call("duration", vec![m]).unwrap(),
        Value::Duration(dur(14, 10, 4 * 3600 + 5 * 60 + 6, 7_008_009))
    );
    let m = map(&[
        ("days", Value::Float(0.5)),
        ("seconds", Value::Float(-1.25)),
    ]);
    assert_eq!(
        call("duration", vec![m]).unwrap(),
        Value::Duration(dur(0, 0, 43_198, 750_000_000))
    );
    let m = map(&[("years", Value::Float(1.5))]);
    assert_eq!(
        call("duration", vec![m]).unwrap(),
        Value::Duration(dur(18, 0, 0, 0))
    );
    let m = map(&[("years", Value::from("1"))]);
    assert_eq!(
        call("duration", vec![m]).unwrap_err().class,
        ErrorClass::TypeError
    );
    let m = map(&[("fortnights", Value::Int(1))]);
    assert_eq!(
        call("duration", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    let m = map(&[
        ("seconds", Value::Int(i64::MAX)),
        ("minutes", Value::Int(i64::MAX)),
    ]);
    let err = call("duration", vec![m]).unwrap_err();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::ArithmeticError, "IntegerOverflow")
    );
    let m = map(&[("days", Value::Float(f64::INFINITY))]);
    assert_eq!(
        call("duration", vec![m]).unwrap_err().class,
        ErrorClass::ArithmeticError
    );
    assert_eq!(
        call("duration", vec![map(&[])]).unwrap(),
        Value::Duration(Duration::default())
    );
}

#[test]
fn duration_arithmetic_helpers() {
    let a = dur(1, 2, 3, 600_000_000);
    let b = dur(0, 1, 0, 500_000_000);
    assert_eq!(duration_add(&a, &b).unwrap(), dur(1, 3, 4, 100_000_000));
    assert_eq!(duration_neg(&b).unwrap(), dur(0, -1, -1, 500_000_000));
    assert_eq!(duration_mul(&a, 2).unwrap(), dur(2, 4, 7, 200_000_000));
    assert_eq!(
        duration_add(&dur(i64::MAX, 0, 0, 0), &dur(1, 0, 0, 0))
            .unwrap_err()
            .code,
        "IntegerOverflow"
    );
    assert_eq!(
        duration_neg(&dur(i64::MIN, 0, 0, 0)).unwrap_err().code,
        "IntegerOverflow"
    );
    assert_eq!(
        duration_mul(&dur(0, 0, i64::MAX, 0), 2).unwrap_err().code,
        "IntegerOverflow"
    );
    assert_eq!(
        date_plus(ymd(2025, 1, 31), &dur(1, 0, 0, 0)).unwrap(),
        ymd(2025, 2, 28)
    );
    assert_eq!(
        date_plus(ymd(2025, 3, 31), &dur(-1, 1, 0, 0)).unwrap(),
        ymd(2025, 3, 1)
    );
    assert_eq!(
        date_plus(ymd(2025, 1, 1), &dur(0, 0, 36 * 3600, 0)).unwrap(),
        ymd(2025, 1, 2)
    );
    let dt = ymd(2025, 1, 31).and_hms_opt(23, 0, 0).unwrap();
    let later = ymd(2025, 3, 1).and_hms_milli_opt(0, 30, 0, 500).unwrap();
    assert_eq!(
        datetime_plus(dt, &dur(1, 0, 5400, 500_000_000)).unwrap(),
        later
    );
    let err = date_plus(ymd(2025, 1, 1), &dur(0, i64::MAX, 0, 0)).unwrap_err();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::ArithmeticError, "DateOutOfRange")
    );
    assert_eq!(
        date_plus(ymd(2025, 1, 1), &dur(i64::MAX, 0, 0, 0))
            .unwrap_err()
            .code,
        "DateOutOfRange"
    );
}

#[test]
fn truncating_dates() {
    let d = Value::Date(ymd(2017, 11, 11));
    let cases = [
        ("millennium", ymd(2000, 1, 1)),
        ("century", ymd(2000, 1, 1)),
        ("decade", ymd(2010, 1, 1)),
        ("year", ymd(2017, 1, 1)),
        ("quarter", ymd(2017, 10, 1)),
        ("Month", ymd(2017, 11, 1)),
        ("week", ymd(2017, 11, 6)),
        ("day", ymd(2017, 11, 11)),
    ];
    for (unit, expected) in cases {
        assert_eq!(
            call("date.truncate", vec![Value::from(unit), d.clone()]).unwrap(),
            Value::Date(expected),
            "{unit}"
        );
    }
    let dt = Value::LocalDateTime(ymd(2017, 11, 11).and_hms_opt(10, 0, 0).unwrap());
    assert_eq!(
        call("DATE.TRUNCATE", vec![Value::from("month"), dt]).unwrap(),
        Value::Date(ymd(2017, 11, 1))
    );
    assert_eq!(
        call("date.truncate", vec![Value::from("hour"), d.clone()])
            .unwrap_err()
            .class,
        ErrorClass::ArgumentError
    );
    assert_eq!(
        call("date.truncate", vec![Value::from("day"), Value::Null]).unwrap(),
        Value::Null
    );
    assert_eq!(
        call("date.truncate", vec![Value::Int(1), d])
            .unwrap_err()
            .class,
        ErrorClass::TypeError
    );
}

/// Calls `name` on `args` and prints the result as the language writes it.
fn text(name: &str, args: Vec<Value>) -> String {
    call(name, args).unwrap().literal(None).to_string()
}

fn v(name: &str, arg: &str) -> Value {
    call(name, vec![Value::from(arg)]).unwrap()
}

#[test]
fn datetimes_keep_zones_and_offsets() {
    assert_eq!(
        text(
            "datetime",
            vec![Value::from("2015-07-21T21:40:32.142[Europe/London]")]
        ),
        "2015-07-21T21:40:32.142+01:00[Europe/London]"
    );
    assert_eq!(
        text("datetime", vec![Value::from("2015-202T21+18:00")]),
        "2015-07-21T21:00+18:00"
    );
    let m = map(&[
        ("year", Value::Int(1984)),
        ("month", Value::Int(11)),
        ("day", Value::Int(11)),
        ("hour", Value::Int(12)),
        ("timezone", Value::from("Europe/Stockholm")),
    ]);
    assert_eq!(
        text("datetime", vec![m]),
        "1984-11-11T12:00+01:00[Europe/Stockholm]"
    );
    let m = map(&[
        ("year", Value::Int(1984)),
        ("timezone", Value::from("Mars/Olympus")),
    ]);
    assert_eq!(
        call("datetime", vec![m]).unwrap_err().class,
        ErrorClass::ArgumentError
    );
    assert_eq!(text("time", vec![Value::from("2140-02")]), "21:40-02:00");
    assert_eq!(
        text("localtime", vec![Value::from("214032.142")]),
        "21:40:32.142"
    );
    assert_eq!(
        call("date.statement", vec![Value::Null]).unwrap(),
        Value::Null
    );
}

#[test]
fn truncation_with_adjustments() {
    let dt = v("datetime", "1984-10-11T12:31:14.645876123-01:00");
    assert_eq!(
        text("datetime.truncate", vec![Value::from("hour"), dt.clone()]),
        "1984-10-11T12:00-01:00"
    );
    let stockholm = map(&[("timezone", Value::from("Europe/Stockholm"))]);
    assert_eq!(
        text(
            "datetime.truncate",
            vec![Value::from("year"), dt.clone(), stockholm]
        ),
        "1984-01-01T00:00+01:00[Europe/Stockholm]"
    );
    let nanos = map(&[("nanosecond", Value::Int(2))]);
    assert_eq!(
        text(
            "localtime.truncate",
            vec![Value::from("millisecond"), dt.clone(), nanos]
        ),
        "12:31:14.645000002"
    );
    let ld = v("localdatetime", "1984-01-01T12:00");
    assert_eq!(
        text("date.truncate", vec![Value::from("weekYear"), ld.clone()]),
        "1983-01-03"
    );
    let tuesday = map(&[("dayOfWeek", Value::Int(2))]);
    assert_eq!(
        text(
            "date.truncate",
            vec![Value::from("week"), v("date", "1984-10-11"), tuesday]
        ),
        "1984-10-09"
    );
    assert_eq!(
        text("time.truncate", vec![Value::from("day"), ld.clone()]),
        "00:00Z"
    );
    assert_eq!(
        call("date.truncate", vec![Value::from("hour"), ld.clone()])
            .unwrap_err()
            .class,
        ErrorClass::ArgumentError
    );
    assert_eq!(
        call("localtime.truncate", vec![Value::from("month"), ld])
            .unwrap_err()
            .class,
        ErrorClass::ArgumentError
    );
}

#[test]
fn durations_between_temporals() {
    let between = |f: &str, a: Value, b: Value| text(f, vec![a, b]);
    let d = v("date", "1984-10-11");
    let ldt = v("localdatetime", "2015-07-21T21:40:32.142");
    assert_eq!(
        between("duration.between", d.clone(), v("date", "2015-06-24")),
        "P30Y8M13D"
    );
    assert_eq!(
        between("duration.between", ldt.clone(), v("date", "2015-06-24")),
        "P-27DT-21H-40M-32.142S"
    );
    assert_eq!(
        between(
            "duration.inMonths",
            v("date", "2018-03-11"),
            v("date", "2016-06-24")
        ),
        "P-1Y-8M"
    );
    assert_eq!(
        between("duration.inDays", d.clone(), v("localtime", "16:30")),
        "PT0S"
    );
    assert_eq!(
        between("duration.inSeconds", d, v("localtime", "16:30")),
        "PT16H30M"
    );
    assert_eq!(
        between(
            "duration.between",
            v("time", "14:30"),
            v("time", "16:30+0100")
        ),
        "PT1H"
    );
    // Across the end of summer time in Stockholm: 6 hours, not 5.
    assert_eq!(
        between(
            "duration.between",
            v("datetime", "2017-10-28T23:00+02:00[Europe/Stockholm]"),
            v("datetime", "2017-10-29T04:00+01:00[Europe/Stockholm]")
        ),
        "PT6H"
    );
    assert_eq!(
        between(
            "duration.inSeconds",
            v("localtime", "12:34:54.7"),
            v("localtime", "12:34:54.3")
        ),
        "PT-0.4S"
    );
    assert_eq!(
        call("duration.between", vec![Value::Null, ldt]).unwrap(),
        Value::Null
    );
    assert_eq!(
        call("duration.between", vec![Value::Int(1), Value::Int(2)])
            .unwrap_err()
            .class,
        ErrorClass::TypeError
    );
}

#[test]
fn fractional_durations_cascade() {
    assert_eq!(
        text("duration", vec![Value::from("P0.75M")]),
        "P22DT19H51M49.5S"
    );
    assert_eq!(text("duration", vec![Value::from("P2.5W")]), "P17DT12H");
    assert_eq!(
        text("duration", vec![Value::from("P2012-02-02T14:37:21.545")]),
        "P2012Y2M2DT14H37M21.545S"
    );
    let m = map(&[("seconds", Value::Int(-2)), ("milliseconds", Value::Int(1))]);
    assert_eq!(text("duration", vec![m]), "PT-1.999S");
}
