//! Unit tests of temporal parsing and printing.

use chrono::{NaiveDate, NaiveTime};

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hms(h: u32, m: u32, s: u32, n: u32) -> NaiveTime {
    NaiveTime::from_hms_nano_opt(h, m, s, n).unwrap()
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
fn durations_print_each_component_with_its_sign() {
    assert_eq!(
        dur(14, 3, 3723, 500_000_000).to_string(),
        "P1Y2M3DT1H2M3.5S"
    );
    assert_eq!(Duration::default().to_string(), "PT0S");
    assert_eq!(dur(0, 0, -2, 1_000_000).to_string(), "PT-1.999S");
    assert_eq!(dur(0, 0, -1, 999_000_000).to_string(), "PT-0.001S");
    assert_eq!(dur(0, 0, -61, 0).to_string(), "PT-1M-1S");
    assert_eq!(dur(-23, -27, 0, 0).to_string(), "P-1Y-11M-27D");
    assert_eq!(dur(0, 1, -1, 999_000_000).to_string(), "P1DT-0.001S");
}

#[test]
fn dates_parse_in_all_iso_forms() {
    let d = Some(ymd(2015, 7, 21));
    for text in [
        "2015-07-21",
        "20150721",
        "2015-W30-2",
        "2015W302",
        "2015-202",
        "2015202",
    ] {
        assert_eq!(parse_date(text), d, "{text}");
    }
    assert_eq!(parse_date("2015-07"), Some(ymd(2015, 7, 1)));
    assert_eq!(parse_date("201507"), Some(ymd(2015, 7, 1)));
    assert_eq!(parse_date("2015-W30"), Some(ymd(2015, 7, 20)));
    assert_eq!(parse_date("2015"), Some(ymd(2015, 1, 1)));
    assert_eq!(parse_date("+2015-07-21"), d);
    assert_eq!(parse_date("20é1-01-01"), None);
    assert_eq!(parse_local_time("1é:00"), None);
    for bad in [
        "2015-13-01",
        "2015-02-30",
        "2015-W54-1",
        "2015-W30-8",
        "15-07-21",
        "2015-0721",
        "",
        "2015-7-21",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn times_parse_with_and_without_offsets() {
    assert_eq!(
        parse_local_time("21:40:32.142"),
        Some(hms(21, 40, 32, 142_000_000))
    );
    assert_eq!(
        parse_local_time("214032.142"),
        Some(hms(21, 40, 32, 142_000_000))
    );
    assert_eq!(parse_local_time("2140"), Some(hms(21, 40, 0, 0)));
    assert_eq!(parse_local_time("21"), Some(hms(21, 0, 0, 0)));
    assert_eq!(parse_local_time("24:00"), None);
    assert_eq!(parse_local_time("21:40.5"), None);
    assert_eq!(parse_local_time("21:40:60"), None);
    assert_eq!(
        parse_time("2140-02"),
        Some((hms(21, 40, 0, 0), Some(-7200)))
    );
    assert_eq!(parse_time("214032Z"), Some((hms(21, 40, 32, 0), Some(0))));
    assert_eq!(
        parse_time("22+18:00"),
        Some((hms(22, 0, 0, 0), Some(18 * 3600)))
    );
    assert_eq!(parse_time("22+19:00"), None);
    assert_eq!(
        parse_time("21:40-01:30"),
        Some((hms(21, 40, 0, 0), Some(-5400)))
    );
}

#[test]
fn datetimes_parse_with_zones() {
    let (local, offset, zone) =
        parse_datetime("2015-07-21T21:40:32.142+02:00[Europe/Stockholm]").unwrap();
    assert_eq!(
        local,
        ymd(2015, 7, 21).and_time(hms(21, 40, 32, 142_000_000))
    );
    assert_eq!(offset, Some(7200));
    assert_eq!(zone, Zone::named("Europe/Stockholm"));
    assert!(parse_datetime("2015-07-21T21:40[Nowhere/Special]").is_none());
    let (local, _, zone) = parse_datetime("1818-07-21T21:40:32.142[Europe/Stockholm]").unwrap();
    let dt = DateTime::at_local(local, &zone.unwrap(), None).unwrap();
    assert_eq!(
        dt.to_string(),
        "1818-07-21T21:40:32.142+00:53:28[Europe/Stockholm]"
    );
    assert_eq!(
        parse_local_datetime("2015-W30T2140"),
        Some(ymd(2015, 7, 20).and_time(hms(21, 40, 0, 0)))
    );
}

#[test]
fn named_zones_resolve_gaps_and_overlaps() {
    let zone = Zone::named("Europe/Stockholm").unwrap();
    // 2017-03-26 02:30 does not exist in Stockholm: moved to 03:30 +02:00.
    let gap = DateTime::at_local(ymd(2017, 3, 26).and_time(hms(2, 30, 0, 0)), &zone, None).unwrap();
    assert_eq!(gap.to_string(), "2017-03-26T03:30+02:00[Europe/Stockholm]");
    // 2017-10-29 02:30 happens twice: the earlier offset unless preferred.
    let local = ymd(2017, 10, 29).and_time(hms(2, 30, 0, 0));
    assert_eq!(DateTime::at_local(local, &zone, None).unwrap().offset, 7200);
    assert_eq!(
        DateTime::at_local(local, &zone, Some(3600)).unwrap().offset,
        3600
    );
    assert_eq!(Zone::parse("+0845"), Some(Zone::Offset(8 * 3600 + 45 * 60)));
    assert_eq!(Zone::parse("-04"), Some(Zone::Offset(-4 * 3600)));
    assert_eq!(Zone::parse("+25:00"), None);
}

#[test]
fn times_print_without_zero_seconds() {
    let t = Time {
        time: hms(12, 31, 14, 645_876_123),
        offset: 3600,
    };
    assert_eq!(t.to_string(), "12:31:14.645876123+01:00");
    let t = Time {
        time: hms(21, 40, 0, 0),
        offset: 0,
    };
    assert_eq!(t.to_string(), "21:40Z");
    assert_eq!(format_time_of_day(&hms(0, 0, 0, 2)), "00:00:00.000000002");
    assert_eq!(format_offset(-(3600 + 30 * 60)), "-01:30");
}

#[test]
fn moments_out_of_range_are_refused_not_panicking() {
    let last = NaiveDate::MAX.and_time(hms(23, 0, 0, 0));
    assert!(DateTime::at_local(last, &Zone::Offset(-18 * 3600), None).is_none());
    assert!(DateTime::at_local(last, &Zone::Offset(3600), None).is_some());
    assert!(DateTime::at_utc(last, &Zone::Offset(3600)).is_none());
}
