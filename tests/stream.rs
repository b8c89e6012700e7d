//! Streaming output with the real binary: CSV, TSV and JSON lines start
//! while the statement runs and stop when the reader goes away; rows
//! streamed out are not held (so they do not count against --max-memory).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

fn kgq() -> Command {
    let mut cmd = Command::cargo_bin("kgq").expect("the kgq binary is built by cargo test");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Ten billion rows: only a stream that stops when the pipe closes ends
/// (the time limit turns a regression into a failure, not a hang).
const ENDLESS: &str = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN a, b";

#[test]
fn a_closed_pipe_stops_a_streamed_read_early_and_quietly() {
    for format in ["csv", "tsv", "jsonl"] {
        let mut child = kgq()
            .args(["query", "--timeout", "120", "-f", format, ENDLESS])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kgq starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let first: Vec<String> = BufReader::new(stdout)
            .lines()
            .take(3)
            .map(|l| l.expect("a line of output"))
            .collect();
        // The reader is gone now (`| head -3`).
        let out = child.wait_with_output().expect("kgq ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        let expected = match format {
            "csv" => vec!["a,b", "1,1", "1,2"],
            "tsv" => vec!["a\tb", "1\t1", "1\t2"],
            _ => vec![r#"{"a":1,"b":1}"#, r#"{"a":1,"b":2}"#, r#"{"a":1,"b":3}"#],
        };
        assert_eq!(first, expected, "{format}");
    }
}

#[test]
fn streamed_rows_are_not_held_against_the_memory_limit() {
    let query = "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b RETURN a, b";
    // A table needs every row first: over the limit.
    let out = kgq()
        .args(["query", "--max-memory", "8M", query])
        .output()
        .expect("kgq runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("MemoryLimitExceeded"), "{stderr}");
    // CSV goes out row by row.
    let out = kgq()
        .args(["query", "--max-memory", "8M", "-f", "csv", query])
        .output()
        .expect("kgq runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1_000_001);
    assert_eq!(stdout.lines().last(), Some("1000,1000"));
}

#[test]
fn an_error_after_streamed_rows_still_fails_the_statement() {
    let out = kgq()
        .args([
            "query",
            "-f",
            "csv",
            "UNWIND [1, 2, 0, 4] AS x RETURN 10 / x AS y",
        ])
        .output()
        .expect("kgq runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("DivisionByZero"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "y\n10\n5\n");
}

#[test]
fn writes_are_not_streamed_and_a_failing_write_prints_no_rows() {
    let out = kgq()
        .args(["run", "-f", "csv", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(
                b"UNWIND [1, 2, 0] AS x CREATE (n:N {v: 10 / x}) RETURN n.v AS v;\n\
                  MATCH (n:N) RETURN count(n) AS n;\n",
            )?;
            child.wait_with_output()
        })
        .expect("kgq runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("DivisionByZero"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn csv_writes_lists_and_maps_as_json() {
    let out = kgq()
        .args([
            "query",
            "-f",
            "csv",
            "RETURN [1, 'a', null] AS l, {k: [1.5]} AS m, 'x' AS s, null AS n",
        ])
        .output()
        .expect("kgq runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "l,m,s,n\n\"[1,\"\"a\"\",null]\",\"{\"\"k\"\":[1.5]}\",x,\n"
    );
}
