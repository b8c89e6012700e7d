//! Printing results: table, CSV, TSV, JSON, JSON lines and Markdown, plus
//! the summary line and errors.

use std::io::{self, Write};

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use kgq::exec::Stats;
use kgq::value::Path;
use kgq::{Error, Graph, Notification, QueryResult, Value};
use serde_json::{Map, Value as Json, json};

use crate::args::Format;
use crate::why;

/// Writes one statement's result in `format`.
pub fn write_result(
    out: &mut dyn Write,
    result: &QueryResult,
    graph: &Graph,
    format: Format,
) -> io::Result<()> {
    if let Some(plan) = &result.plan {
        if format == Format::Json || format == Format::Jsonl {
            let mut doc = json!({ "plan": plan });
            if format == Format::Json && !result.notifications.is_empty() {
                doc["notifications"] = notifications_json(&result.notifications);
            }
            return writeln!(out, "{doc}");
        }
        write!(out, "{plan}")?;
        if result.columns.is_empty() {
            return Ok(());
        }
    }
    match format {
        Format::Table => {
            write_table(out, result, graph)?;
            why::write_section(out, result, graph, result.rows.len())
        }
        Format::Markdown => {
            write_markdown(out, result, graph)?;
            why::write_section(out, result, graph, result.rows.len())
        }
        Format::Csv => write_delimited(out, &why::with_column(result, graph), graph, b','),
        Format::Tsv => write_delimited(out, &why::with_column(result, graph), graph, b'\t'),
        Format::Json => {
            let mut doc = json!({
                "columns": result.columns,
                "rows": result.rows.iter().map(|r| r.iter().map(|v| to_json(v, graph)).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "statistics": stats_json(&result.stats),
            });
            if !result.notifications.is_empty() {
                doc["notifications"] = notifications_json(&result.notifications);
            }
            if result.why.is_some() {
                doc["why"] = Json::Array(
                    (0..result.rows.len())
                        .map(|i| why::json_facts(result, i, graph))
                        .collect(),
                );
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
        Format::Jsonl => {
            for (i, row) in result.rows.iter().enumerate() {
                let mut object: Map<String, Json> = result
                    .columns
                    .iter()
                    .cloned()
                    .zip(row.iter().map(|v| to_json(v, graph)))
                    .collect();
                if result.why.is_some() {
                    object.insert("_why".to_string(), why::json_facts(result, i, graph));
                }
                writeln!(out, "{}", Json::Object(object))?;
            }
            Ok(())
        }
    }
}

/// A cell as people read it: top-level strings without quotes, everything
/// else in the language's literal notation.
pub fn cell(value: &Value, graph: &Graph) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => other.literal(Some(graph)).to_string(),
    }
}

/// A CSV or TSV cell: null empty, lists and maps as JSON (what spreadsheets
/// and other tools parse), everything else as [`cell`] shows it.
pub fn delimited_cell(value: &Value, graph: &Graph) -> String {
    match value {
        Value::Null => String::new(),
        Value::List(_) | Value::Map(_) => to_json(value, graph).to_string(),
        other => cell(other, graph),
    }
}

fn write_table(out: &mut dyn Write, result: &QueryResult, graph: &Graph) -> io::Result<()> {
    if !result.columns.is_empty() {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(result.columns.clone());
        for row in &result.rows {
            table.add_row(row.iter().map(|v| cell(v, graph)).collect::<Vec<_>>());
        }
        for (i, column) in table.column_iter_mut().enumerate() {
            if is_numeric_column(result, i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out, "{}", summary(result))
}

/// Whether every non-null value of column `i` is a number (shown right-aligned).
pub fn is_numeric_column(result: &QueryResult, i: usize) -> bool {
    let mut values = result
        .rows
        .iter()
        .filter_map(|r| r.get(i))
        .filter(|v| !v.is_null())
        .peekable();
    values.peek().is_some() && values.all(|v| matches!(v, Value::Int(_) | Value::Float(_)))
}

fn write_markdown(out: &mut dyn Write, result: &QueryResult, graph: &Graph) -> io::Result<()> {
    if !result.columns.is_empty() {
        let escape = |s: String| s.replace('|', "\\|").replace('\n', " ");
        writeln!(
            out,
            "| {} |",
            result
                .columns
                .iter()
                .map(|c| escape(c.clone()))
                .collect::<Vec<_>>()
                .join(" | ")
        )?;
        writeln!(out, "|{}", "---|".repeat(result.columns.len()))?;
        for row in &result.rows {
            let cells: Vec<String> = row.iter().map(|v| escape(cell(v, graph))).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(result))
}

fn write_delimited(
    out: &mut dyn Write,
    result: &QueryResult,
    graph: &Graph,
    delimiter: u8,
) -> io::Result<()> {
    if result.columns.is_empty() {
        return Ok(());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    let to_io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    };
    writer.write_record(&result.columns).map_err(to_io)?;
    for row in &result.rows {
        let cells: Vec<String> = row.iter().map(|v| delimited_cell(v, graph)).collect();
        writer.write_record(&cells).map_err(to_io)?;
    }
    writer.flush()
}

/// `3 rows`, then what changed: `Created 2 nodes, 1 relationship, set 4 properties`.
pub fn summary(result: &QueryResult) -> String {
    summary_of(result, result.rows.len() as u64)
}

/// [`summary`] of a result that had `rows` rows (not all of them kept).
pub fn summary_of(result: &QueryResult, rows: u64) -> String {
    let mut parts = Vec::new();
    if !result.columns.is_empty() {
        parts.push(plural(rows, "row", "rows"));
    }
    let changes = describe_changes(&result.stats);
    if !changes.is_empty() {
        parts.push(changes);
    }
    if parts.is_empty() {
        return "OK, no changes".to_string();
    }
    parts.join("; ")
}

fn describe_changes(s: &Stats) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut add = |verb: &str, items: Vec<String>| {
        if !items.is_empty() {
            out.push(format!("{verb} {}", items.join(", ")));
        }
    };
    let count = |n: u64, one: &str, many: &str| (n > 0).then(|| plural(n, one, many));
    add(
        "created",
        [
            count(s.nodes_created, "node", "nodes"),
            count(s.relationships_created, "relationship", "relationships"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    );
    add(
        "deleted",
        [
            count(s.nodes_deleted, "node", "nodes"),
            count(s.relationships_deleted, "relationship", "relationships"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    );
    add(
        "set",
        [count(s.properties_set, "property", "properties")]
            .into_iter()
            .flatten()
            .collect(),
    );
    add(
        "removed",
        [count(s.properties_removed, "property", "properties")]
            .into_iter()
            .flatten()
            .collect(),
    );
    add(
        "added",
        [count(s.labels_added, "new label", "new labels")]
            .into_iter()
            .flatten()
            .collect(),
    );
    add(
        "removed",
        [count(
            s.labels_removed,
            "label no longer used",
            "labels no longer used",
        )]
        .into_iter()
        .flatten()
        .collect(),
    );
    let text = out.join(", ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => text,
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn stats_json(s: &Stats) -> Json {
    json!({
        "nodes_created": s.nodes_created,
        "nodes_deleted": s.nodes_deleted,
        "relationships_created": s.relationships_created,
        "relationships_deleted": s.relationships_deleted,
        "labels_added": s.labels_added,
        "labels_removed": s.labels_removed,
        "properties_set": s.properties_set,
        "properties_removed": s.properties_removed,
    })
}

/// A value as JSON: numbers, strings, booleans, null, arrays and objects as
/// themselves; dates and durations as ISO strings; nodes as
/// `{id, labels, properties}`, relationships as `{id, type, start, end,
/// properties}`, paths as `{nodes, relationships}`; NaN and infinities as
/// strings.
pub fn to_json(value: &Value, graph: &Graph) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(value.literal(None).to_string())),
        Value::String(s) => Json::String(s.to_string()),
        Value::Date(_)
        | Value::LocalDateTime(_)
        | Value::DateTime(_)
        | Value::LocalTime(_)
        | Value::Time(_)
        | Value::Duration(_) => Json::String(value.literal(None).to_string()),
        Value::List(items) => Json::Array(items.iter().map(|v| to_json(v, graph)).collect()),
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_json(v, graph)))
                .collect(),
        ),
        Value::Node(id) => {
            let (labels, props) = match graph.node(*id) {
                Some(n) => (
                    n.labels()
                        .iter()
                        .map(|l| graph.label_name(*l).to_string())
                        .collect(),
                    properties_json(graph, &n.properties()),
                ),
                None => (Vec::new(), Map::new()),
            };
            json!({ "id": id.0, "labels": labels, "properties": props })
        }
        Value::Relationship(id) => {
            let (start, end) = graph
                .endpoints(*id)
                .map_or((None, None), |(a, b)| (Some(a.0), Some(b.0)));
            let (rel_type, props) = match graph.relationship(*id) {
                Some(r) => (
                    graph.type_name(r.rel_type()).to_string(),
                    properties_json(graph, &r.properties()),
                ),
                None => (String::new(), Map::new()),
            };
            json!({ "id": id.0, "type": rel_type, "start": start, "end": end, "properties": props })
        }
        Value::Path(path) => path_json(path, graph),
    }
}

fn path_json(path: &Path, graph: &Graph) -> Json {
    json!({
        "nodes": path.nodes.iter().map(|n| to_json(&Value::Node(*n), graph)).collect::<Vec<_>>(),
        "relationships": path.relationships.iter().map(|r| to_json(&Value::Relationship(*r), graph)).collect::<Vec<_>>(),
    })
}

fn properties_json(graph: &Graph, props: &kgq::graph::Properties) -> Map<String, Json> {
    graph
        .sorted_properties(props)
        .into_iter()
        .map(|(k, v)| (k.to_string(), to_json(v, graph)))
        .collect()
}

/// Writes an error to standard error: as text with the source line and a
/// caret, or as a JSON object for the JSON formats.
pub fn report_error(error: &Error, origin: &str, source: &str, format: Format) {
    let text = if matches!(format, Format::Json | Format::Jsonl) {
        let position = error
            .span
            .map(|s| kgq::error::Position::of(source, s.start));
        json!({
            "error": {
                "class": error.class.name(),
                "code": error.code,
                "message": error.message,
                "file": origin,
                "line": position.map(|p| p.line),
                "column": position.map(|p| p.column),
            }
        })
        .to_string()
    } else {
        error.render(origin, source)
    };
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Notifications as JSON objects, in the shape of Neo4j's (code, title,
/// description, severity, category, position) plus the GQLSTATUS code and
/// kgq's one-line message.
pub fn notifications_json(notifications: &[Notification]) -> Json {
    Json::Array(notifications.iter().map(notification_json).collect())
}

fn notification_json(n: &Notification) -> Json {
    json!({
        "code": n.code(),
        "gqlStatus": n.gql_status(),
        "title": n.title,
        "description": n.description,
        "message": n.message,
        "severity": n.severity().name(),
        "category": n.category().name(),
        "position": {
            "offset": n.position.offset,
            "line": n.position.line,
            "column": n.position.column,
        },
    })
}

/// Writes a statement's notifications to standard error, where its
/// errors would go: in the error style (`warning: … (line L, column C)`,
/// the source line and a caret), or as one JSON object per line with
/// `--format jsonl`. With `--format json` they are in the result document
/// instead, so nothing is written.
pub fn report_notifications(result: &QueryResult, origin: &str, source: &str, format: Format) {
    if result.notifications.is_empty() || format == Format::Json {
        return;
    }
    let mut err = io::stderr().lock();
    for n in &result.notifications {
        let text = if format == Format::Jsonl {
            let mut object = notification_json(n);
            object["file"] = json!(origin);
            json!({ "warning": object }).to_string()
        } else {
            n.render(origin, source)
        };
        let _ = writeln!(err, "{text}");
    }
}

/// Writes an error to standard error on one line, as `kgq: Class: Code: message`.
pub fn report_plain(error: &Error) {
    eprintln!(
        "kgq: {}: {}: {}",
        error.class.name(),
        error.code,
        error.message
    );
}
