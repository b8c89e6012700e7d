//! A statement's notifications in the summary of its last PULL: before
//! Bolt 5.5 as `notifications` (code, title, description, severity,
//! category, position), from 5.5 on as GQL `statuses` (GQLSTATUS code,
//! status description, diagnostic record), headed by the status of the
//! result itself (success, no data or omitted result).

use super::Version;
use super::packstream::Pack;
use crate::notify::Notification;

/// The summary entry for `notifications` under protocol `version`:
/// `(key, value)`, or `None` when there is nothing to send.
/// `had_rows`/`had_fields` say whether the result gave records / columns.
pub fn summary_entry(
    version: Version,
    notifications: &[Notification],
    had_rows: bool,
    had_fields: bool,
) -> Option<(&'static str, Pack)> {
    if version >= (Version { major: 5, minor: 5 }) {
        return Some(("statuses", statuses(notifications, had_rows, had_fields)));
    }
    if notifications.is_empty() {
        return None;
    }
    let list = notifications.iter().map(notification).collect();
    Some(("notifications", Pack::List(list)))
}

fn entry(key: &str, value: Pack) -> (String, Pack) {
    (key.to_string(), value)
}

fn position(n: &Notification) -> Pack {
    let p = n.position;
    Pack::Map(vec![
        entry("offset", Pack::Int(p.offset as i64)),
        entry("line", Pack::Int(p.line as i64)),
        entry("column", Pack::Int(p.column as i64)),
    ])
}

/// A Bolt 5.0–5.4 notification map.
fn notification(n: &Notification) -> Pack {
    Pack::Map(vec![
        entry("code", Pack::str(n.code())),
        entry("title", Pack::str(n.title)),
        entry("description", Pack::String(n.description.clone())),
        entry("severity", Pack::str(n.severity().name())),
        entry("category", Pack::str(n.category().name())),
        entry("position", position(n)),
    ])
}

/// The diagnostic record every status carries.
fn diagnostic(extra: Vec<(String, Pack)>) -> Pack {
    let mut record = vec![
        entry("OPERATION", Pack::str("")),
        entry("OPERATION_CODE", Pack::str("0")),
        entry("CURRENT_SCHEMA", Pack::str("/")),
    ];
    record.extend(extra);
    Pack::Map(record)
}

/// A Bolt 5.5+ status for a notification.
fn status(n: &Notification) -> Pack {
    Pack::Map(vec![
        entry("gql_status", Pack::str(n.gql_status())),
        entry("status_description", Pack::String(n.status_description())),
        entry("neo4j_code", Pack::str(n.code())),
        entry("title", Pack::str(n.title)),
        entry("description", Pack::String(n.description.clone())),
        entry(
            "diagnostic_record",
            diagnostic(vec![
                entry("_severity", Pack::str(n.severity().name())),
                entry("_classification", Pack::str(n.category().name())),
                entry("_position", position(n)),
            ]),
        ),
    ])
}

/// The status of the result, then the notifications' statuses, in the
/// order GQL gives them precedence: no data, warnings, success,
/// information.
fn statuses(notifications: &[Notification], had_rows: bool, had_fields: bool) -> Pack {
    let (code, description) = if had_rows {
        ("00000", "note: successful completion")
    } else if had_fields {
        ("02000", "note: no data")
    } else {
        ("00001", "note: successful completion - omitted result")
    };
    let result = Pack::Map(vec![
        entry("gql_status", Pack::str(code)),
        entry("status_description", Pack::str(description)),
        entry("diagnostic_record", diagnostic(Vec::new())),
    ]);
    let mut ranked: Vec<(u8, Pack)> = vec![(rank(code), result)];
    ranked.extend(
        notifications
            .iter()
            .map(|n| (rank(n.gql_status()), status(n))),
    );
    ranked.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    Pack::List(ranked.into_iter().map(|(_, p)| p).collect())
}

fn rank(gql_status: &str) -> u8 {
    match gql_status.get(..2) {
        Some("02") => 3,
        Some("01") => 2,
        Some("00") => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    fn notes() -> Vec<Notification> {
        let mut s = Session::new();
        s.run("MATCH (a:Nope), (b)-[*]->(c) RETURN a")
            .unwrap()
            .notifications
    }

    #[test]
    fn before_5_5_a_notifications_list() {
        let v = Version { major: 5, minor: 4 };
        let (key, list) = summary_entry(v, &notes(), false, true).unwrap();
        assert_eq!(key, "notifications");
        let Pack::List(items) = list else { panic!() };
        assert_eq!(items.len(), 3);
        let first = &items[0];
        assert_eq!(
            first.get("code").and_then(Pack::as_str),
            Some("Neo.ClientNotification.Statement.UnknownLabelWarning")
        );
        assert_eq!(
            first.get("severity").and_then(Pack::as_str),
            Some("WARNING")
        );
        assert_eq!(
            first.get("category").and_then(Pack::as_str),
            Some("UNRECOGNIZED")
        );
        let pos = first.get("position").unwrap();
        assert_eq!(pos.get("offset").and_then(Pack::as_int), Some(9));
        assert_eq!(pos.get("line").and_then(Pack::as_int), Some(1));
        assert_eq!(pos.get("column").and_then(Pack::as_int), Some(10));
        assert!(summary_entry(v, &[], true, true).is_none());
    }

    #[test]
    fn from_5_5_statuses_in_precedence_order() {
        let v = Version { major: 5, minor: 6 };
        let (key, list) = summary_entry(v, &notes(), false, true).unwrap();
        assert_eq!(key, "statuses");
        let Pack::List(items) = list else { panic!() };
        let codes: Vec<&str> = items
            .iter()
            .map(|s| s.get("gql_status").and_then(Pack::as_str).unwrap())
            .collect();
        assert_eq!(codes, ["02000", "01N50", "03N90", "03N91"]);
        let record = items[1].get("diagnostic_record").unwrap();
        assert_eq!(
            record.get("_severity").and_then(Pack::as_str),
            Some("WARNING")
        );
        let (_, list) = summary_entry(v, &[], true, true).unwrap();
        let Pack::List(items) = list else { panic!() };
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].get("gql_status").and_then(Pack::as_str),
            Some("00000")
        );
    }
}
