//! Notifications printed by the real `kgq` binary: on stderr after the
//! result, in the style of errors (a caret under the place), never on
//! stdout for CSV and JSON lines, inside the document for `--format json`,
//! silenced by `--no-warnings`, and never changing the exit status.

mod common;

use common::run;
use serde_json::Value as Json;

const TYPO: &str = "MATCH (a:Agncy)\nRETURN count(a) AS n";

#[test]
fn query_prints_each_warning_with_a_caret_and_succeeds() {
    let (code, out, err) = run(&["query", TYPO]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("│ 0 │"), "{out}");
    assert!(!out.contains("warning"), "stdout stays clean: {out}");
    let expected = "warning: The label `Agncy` does not exist in the graph. Verify that the \
                    spelling is correct. (line 1, column 10)\n  MATCH (a:Agncy)\n           ^^^^^\n";
    assert_eq!(err, expected);
}

#[test]
fn no_warnings_silences_them_everywhere() {
    let (code, _, err) = run(&["query", "--no-warnings", TYPO]);
    assert_eq!(code, 0);
    assert_eq!(err, "");
    let (code, out, err) = run(&["query", "--no-warnings", "-f", "json", TYPO]);
    assert_eq!(code, 0);
    assert_eq!(err, "");
    let doc: Json = serde_json::from_str(&out).expect("JSON");
    assert!(doc.get("notifications").is_none(), "{doc}");
}

#[test]
fn csv_and_jsonl_stdout_hold_only_rows() {
    let (code, out, err) = run(&["query", "-f", "csv", TYPO]);
    assert_eq!(code, 0);
    assert_eq!(out, "n\n0\n");
    assert!(err.starts_with("warning: The label `Agncy`"), "{err}");
    let (code, out, err) = run(&["query", "-f", "jsonl", TYPO]);
    assert_eq!(code, 0);
    assert_eq!(out, "{\"n\":0}\n");
    // With JSON lines, warnings are JSON objects on stderr, as errors are.
    let warning: Json = serde_json::from_str(err.trim()).expect("one JSON line");
    assert_eq!(
        warning["warning"]["code"],
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(warning["warning"]["position"]["line"], 1);
    assert_eq!(warning["warning"]["position"]["column"], 10);
}

#[test]
fn json_documents_carry_them() {
    let (code, out, err) = run(&["query", "-f", "json", TYPO]);
    assert_eq!(code, 0);
    assert_eq!(err, "", "in the document, not on stderr");
    let doc: Json = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["rows"], serde_json::json!([[0]]));
    let n = &doc["notifications"][0];
    assert_eq!(
        n["code"],
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(n["gqlStatus"], "01N50");
    assert_eq!(n["severity"], "WARNING");
    assert_eq!(n["category"], "UNRECOGNIZED");
    assert_eq!(n["position"]["offset"], 9);
}

#[test]
fn scripts_name_the_file_and_the_line_in_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = dir.path().join("ask.kgq");
    std::fs::write(
        &script,
        "CREATE (:Country {name: 'China'});\n\
         MATCH (c:Country) RETURN c.name AS name;\n\
         MATCH (a:Country), (b:Country)\n  RETURN count(*) AS pairs;\n\
         MATCH (c:Country) WHERE c.name > 3 RETURN c;\n",
    )
    .expect("the script is written");
    let path = common::path_str(&script);
    let (code, out, err) = run(&["run", path, "-f", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "name\nChina\npairs\n1\nc\n");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert_eq!(
        lines[0],
        format!(
            "warning: The pattern `(b:Country)` is not connected to the rest of the MATCH, so \
             every match of it is combined with every match of the rest (a cartesian product). \
             ({path}, line 3, column 20)"
        )
    );
    assert_eq!(lines[1], "  MATCH (a:Country), (b:Country)");
    assert_eq!(lines[2], "                     ^^^^^^^^^^^");
    assert!(
        lines[3].starts_with(
            "warning: The comparison `c.name > 3` is always null: it compares a string with a number."
        ),
        "{err}"
    );
    assert!(
        lines[3].ends_with(&format!("({path}, line 5, column 25)")),
        "{err}"
    );
}

#[test]
fn no_warning_for_names_a_statement_creates_or_a_bounded_connected_pattern() {
    let (code, _, err) = run(&[
        "query",
        "CREATE (a:Brand {slogan: 'x'})-[:SELLS]->(:Car) \
         WITH a MATCH (a:Brand)-[:SELLS*1..3]->(b:Car), (a)-[:SELLS]->(c) RETURN a.slogan",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
}

#[test]
fn a_failing_statement_reports_its_error_not_warnings() {
    let (code, _, err) = run(&["query", "MATCH (a:Agncy) RETURN nope"]);
    assert_eq!(code, 1);
    assert!(!err.contains("warning"), "{err}");
    assert!(err.contains("UndefinedVariable"), "{err}");
}
