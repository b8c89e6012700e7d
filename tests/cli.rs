//! The real `kgq` binary: stdout, stderr and exit codes.

use std::io::Write;
use std::process::Stdio;

mod common;
use common::{kgq, run};

fn run_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = kgq()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kgq starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin accepts the script");
    let out = child.wait_with_output().expect("kgq finishes");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn query_on_the_bundled_graph_prints_a_table_and_a_row_count() {
    let (code, out, err) = run(&[
        "query",
        "MATCH (c:Country {name: 'Russia'}) RETURN c.name AS name",
    ]);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.contains("│ Russia │"), "{out}");
    assert!(out.trim_end().ends_with("1 row"), "{out}");
}

#[test]
fn a_script_from_stdin_reports_what_it_changed() {
    let script = "CREATE (:A {x: 1})-[:T]->(:B);\n// a comment; with a semicolon\nMATCH (a:A) RETURN a.x AS x;";
    let (code, out, err) = run_stdin(&["run", "-"], script);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(
        out.contains("Created 2 nodes, 1 relationship, set 1 property, added 2 new labels"),
        "{out}"
    );
    assert!(out.contains("│ 1 │"), "{out}");
}

#[test]
fn errors_name_the_file_line_and_column_with_a_caret() {
    let (code, out, err) = run_stdin(
        &["run", "-"],
        "CREATE (:A);\nMATCH (a:A)\nRETURN b;\nRETURN 1;",
    );
    assert_eq!(code, 1);
    assert!(out.contains("Created 1 node"), "{out}");
    assert!(
        !out.contains("│ 1 │"),
        "the script stops at the first error: {out}"
    );
    assert!(
        err.starts_with("<stdin>:3:8: SyntaxError: UndefinedVariable: variable `b` is not defined"),
        "{err}"
    );
    assert!(err.contains("\n  RETURN b;\n         ^"), "{err}");
}

#[test]
fn continue_on_error_runs_the_rest_and_still_fails() {
    let (code, out, err) = run_stdin(
        &["run", "-", "--continue-on-error"],
        "RETURN 1/0 AS x;\nRETURN 2 AS y;",
    );
    assert_eq!(code, 1);
    assert!(err.contains("ArithmeticError: DivisionByZero"), "{err}");
    assert!(out.contains("│ 2 │"), "{out}");
}

#[test]
fn syntax_errors_say_what_was_expected_in_words() {
    let (code, _, err) = run(&["query", "MATCH (a RETURN a"]);
    assert_eq!(code, 1);
    assert!(err.contains("SyntaxError"), "{err}");
    assert!(err.contains("expected"), "{err}");
    assert!(!err.contains("Rule::"), "{err}");
}

#[test]
fn parameters_are_literals_of_the_language() {
    let (code, out, err) = run(&[
        "query",
        "UNWIND $names AS n RETURN n, $year AS year",
        "--param",
        "names=['Russia', 'China']",
        "--param",
        "year=2024",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "n,year\nRussia,2024\nChina,2024\n");
}

#[test]
fn a_missing_parameter_is_an_error() {
    let (code, _, err) = run(&["query", "RETURN $nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("ParameterMissing"), "{err}");
}

#[test]
fn json_output_has_columns_rows_and_statistics() {
    let (code, out, _) = run(&[
        "query",
        "MATCH (c:Company {name: 'FAW Jiefang'}) RETURN c",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["columns"][0], "c");
    assert_eq!(doc["rows"][0][0]["labels"][0], "Company");
    assert_eq!(doc["rows"][0][0]["properties"]["name"], "FAW Jiefang");
    assert_eq!(doc["statistics"]["nodes_created"], 0);
}

#[test]
fn jsonl_tsv_and_markdown_formats() {
    let q = "UNWIND [1, 2] AS x RETURN x, 'a|b' AS s";
    let (_, jsonl, _) = run(&["query", q, "-f", "jsonl"]);
    assert_eq!(jsonl, "{\"s\":\"a|b\",\"x\":1}\n{\"s\":\"a|b\",\"x\":2}\n");
    let (_, tsv, _) = run(&["query", q, "-f", "tsv"]);
    assert_eq!(tsv, "x\ts\n1\ta|b\n2\ta|b\n");
    let (_, md, _) = run(&["query", q, "-f", "markdown"]);
    assert!(
        md.starts_with("| x | s |\n|---|---|\n| 1 | a\\|b |\n"),
        "{md}"
    );
}

#[test]
fn errors_are_json_objects_with_json_formats() {
    let (code, _, err) = run(&["query", "RETURN nope", "-f", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(err.trim()).expect("a JSON error");
    assert_eq!(doc["error"]["code"], "UndefinedVariable");
    assert_eq!(doc["error"]["line"], 1);
    assert_eq!(doc["error"]["column"], 8);
}

#[test]
fn usage_errors_exit_with_two() {
    let (code, _, err) = run(&["query"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn a_graph_script_is_loaded_with_dash_g() {
    let dir = tempfile::tempdir().expect("temp dir");
    let graph = dir.path().join("g.kgq");
    std::fs::write(&graph, "CREATE (:P {name: 'x'}), (:P {name: 'y'});").expect("write graph");
    let (code, out, err) = run(&[
        "query",
        "MATCH (p:P) RETURN count(p) AS n",
        "-g",
        graph.to_str().unwrap_or(""),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("│ 2 │"), "{out}");
}

#[test]
fn unreadable_inputs_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(&["run", dir.path().to_str().unwrap_or("")]);
    assert_eq!(code, 1);
    assert!(err.contains("is a directory"), "{err}");
    let (code, _, err) = run(&["run", "/nonexistent/script.kgq"]);
    assert_eq!(code, 1);
    assert!(err.contains("IoError"), "{err}");
    let bad = dir.path().join("bad.kgq");
    std::fs::write(&bad, b"RETURN '\xff';").expect("write");
    let (code, _, err) = run(&["run", bad.to_str().unwrap_or("")]);
    assert_eq!(code, 1);
    assert!(err.contains("not valid UTF-8"), "{err}");
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let mut child = kgq()
        .args([
            "query",
            "UNWIND range(1, 200000) AS x RETURN x",
            "-f",
            "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kgq starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("kgq finishes");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_full_disk_is_an_error_not_a_crash() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = kgq()
        .args(["query", "RETURN 1 AS x"])
        .stdout(full)
        .output()
        .expect("kgq runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

#[test]
fn save_writes_a_snapshot_that_dash_g_and_inspect_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("article.kgqs");
    let snap_arg = snap.to_str().unwrap_or("");
    let (code, _, err) = run(&[
        "query",
        "MATCH (n) RETURN count(n) AS n",
        "--save",
        snap_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["inspect", snap_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("format version:  3"), "{out}");
    assert!(out.contains("checksum:        ok"), "{out}");
    assert!(out.contains(":Company"), "{out}");
    let (code, out, err) = run(&[
        "query",
        "MATCH (c:Company) RETURN count(c) AS n",
        "-g",
        snap_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("│ 3 │"), "{out}");
}

#[test]
fn a_snapshot_given_with_dash_g_is_a_durable_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("work.kgqs");
    let store_arg = store.to_str().unwrap_or("");
    let (code, _, err) = run(&[
        "query",
        "CREATE (:Note {n: 1})",
        "-g",
        "/dev/null",
        "--save",
        store_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_stdin(&["run", "-", "-g", store_arg], "CREATE (:Note {n: 2});");
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&[
        "query",
        "MATCH (n:Note) RETURN sum(n.n) AS total",
        "-g",
        store_arg,
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("│     3 │"), "{out}");
    let (code, _, err) = run(&[
        "query",
        "CREATE (:Note {n: 4})",
        "-g",
        store_arg,
        "--read-only",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("read-only"), "{err}");
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("busy.kgqs");
    let store_arg = store.to_str().unwrap_or("");
    let (code, _, err) = run(&[
        "query",
        "CREATE (:A)",
        "-g",
        "/dev/null",
        "--save",
        store_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    let lock = dir.path().join("busy.kgqs.lock");
    std::fs::write(&lock, std::process::id().to_string()).expect("fake lock of a live process");
    // A second writer is refused; a read opens the store read-only and says so.
    let (code, _, err) = run(&["query", "CREATE (:B)", "-g", store_arg]);
    assert_eq!(code, 1);
    assert!(
        err.contains("open for writing in another kgq process"),
        "{err}"
    );
    assert!(err.contains("ReadOnlyStore"), "{err}");
    let (code, _, err) = run(&["query", "MATCH (n) RETURN n", "-g", store_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("opened it read-only"), "{err}");
    let (code, _, err) = run(&[
        "query",
        "MATCH (n) RETURN count(n) AS n",
        "-g",
        store_arg,
        "--read-only",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn inspect_refuses_a_damaged_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("g.kgqs");
    let snap_arg = snap.to_str().unwrap_or("");
    let (code, _, _) = run(&["query", "RETURN 1", "--save", snap_arg]);
    assert_eq!(code, 0);
    let mut bytes = std::fs::read(&snap).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    std::fs::write(&snap, bytes).expect("write");
    let (code, out, err) = run(&["inspect", snap_arg]);
    assert_eq!(code, 1);
    assert!(
        out.contains("MISMATCH") || err.contains("checksum"),
        "{out}{err}"
    );
}

#[test]
fn export_materialises_the_graph_as_of_a_date() {
    let (code, before, err) = run(&["export", "cypher", "--as-of", "2025-02-09"]);
    assert_eq!(code, 0, "{err}");
    let (code, after, err) = run(&["export", "cypher", "--as-of", "2025-02-11"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        before.contains(":CERTIFIED_IN") && !before.contains(":SUSPENDED_SALES_OF"),
        "{before}"
    );
    assert!(
        after.contains(":SUSPENDED_SALES_OF") && !after.contains(":CERTIFIED_IN"),
        "{after}"
    );
}
