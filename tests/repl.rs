//! The interactive shell, driven through a real pseudo-terminal: the
//! binary is started as a user would start it, keys are sent, and what
//! appears on the terminal is checked. Every wait has a timeout, so a hang
//! fails the test instead of blocking it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::{PtyStream, UnixProcess};
use expectrl::{Eof, Expect, Regex, Session};

type Pty = Session<UnixProcess, PtyStream>;

/// How long any one expected output may take.
const WAIT: Duration = Duration::from_secs(20);
/// The Enter key (the terminal is in raw mode while the shell reads).
const ENTER: &str = "\r";
/// The prompt, as a pattern (`kgq> `, or `kgq[as of …, why]> ` when
/// those are on).
const PROMPT: &str = r"kgq(\[[^\]]*\])?> ";
/// The continuation prompt (what is open, right-aligned under `kgq> `).
const CONTINUATION: &str = r"\r\x1b\[K {1,3}\S{1,2}> ";

/// Starts `kgq repl` on the bundled graph, with its history in `history`,
/// and waits for the banner.
fn start(history: &Path) -> Pty {
    start_on(history, None)
}

/// Starts the shell on `graph` (a store path), or on the bundled graph.
fn start_on(history: &Path, graph: Option<&Path>) -> Pty {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgq"));
    command.arg("repl");
    if let Some(graph) = graph {
        command.arg(graph);
    }
    command
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KGQ_HISTORY", history);
    let mut pty = Session::spawn(command).expect("the shell starts");
    pty.set_expect_timeout(Some(WAIT));
    pty.expect("Type :help").expect("the banner");
    pty
}

/// Waits for the prompt (the editor then reads the keyboard in raw mode),
/// then types `text` and Enter.
fn enter(pty: &mut Pty, text: &str) {
    expect(pty, PROMPT);
    typed(pty, text);
    typed(pty, ENTER);
}

/// Waits for the continuation prompt of an unfinished statement, then
/// types the next line of it and Enter.
fn next_line(pty: &mut Pty, text: &str) {
    expect(pty, CONTINUATION);
    typed(pty, text);
    typed(pty, ENTER);
}

fn typed(pty: &mut Pty, keys: &str) {
    pty.send(keys).expect("keys are sent");
}

fn expect(pty: &mut Pty, what: &str) {
    if let Err(e) = pty.expect(Regex(what)) {
        panic!("expected /{what}/ on the terminal: {e}");
    }
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[test]
fn the_banner_tells_what_is_loaded() {
    let dir = temp();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgq"));
    command
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KGQ_HISTORY", dir.path().join("h"));
    let mut pty = Session::spawn(command).expect("kgq starts");
    pty.set_expect_timeout(Some(WAIT));
    expect(
        &mut pty,
        r"bundled example graph: \d+ nodes, \d+ relationships",
    );
    enter(&mut pty, ":quit");
    pty.expect(Eof).expect("the shell ends");
}

#[test]
fn a_statement_can_span_several_lines() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "MATCH (c:Company)");
    next_line(&mut pty, "RETURN count(c)");
    next_line(&mut pty, "AS companies;");
    expect(&mut pty, r"│ +3 +│");
    expect(&mut pty, "1 row");
}

#[test]
fn tab_completes_a_label() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    expect(&mut pty, PROMPT);
    typed(&mut pty, "MATCH (c:Comp\t");
    typed(&mut pty, ") RETURN count(c) AS n;");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ 3 │");
}

#[test]
fn tab_completes_an_entity_name_inside_quotes() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    expect(&mut pty, PROMPT);
    // Without the completion the string would stay open and nothing would run.
    typed(&mut pty, "MATCH (c:Company {name: 'Sha\t");
    typed(&mut pty, "}) RETURN size(c.name) AS len;");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ +19 │");
}

#[test]
fn history_survives_a_restart() {
    let dir = temp();
    let history = dir.path().join("state").join("history");
    let mut pty = start(&history);
    enter(&mut pty, "RETURN 40 +");
    next_line(&mut pty, "2 AS answer;");
    expect(&mut pty, r"│ +42 +│");
    expect(&mut pty, PROMPT);
    typed(&mut pty, "\x04"); // Ctrl-D on an empty line leaves.
    pty.expect(Eof).expect("Ctrl-D ends the shell");

    let saved = std::fs::read_to_string(&history).expect("the history file");
    assert!(saved.contains(r"RETURN 40 +\n2 AS answer;"), "{saved}");

    let mut pty = start(&history);
    expect(&mut pty, PROMPT);
    typed(&mut pty, "\x1b[A"); // Up: the whole two-line statement comes back.
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ +42 +│");
    enter(&mut pty, "RETURN 7 AS seven;");
    expect(&mut pty, r"│ +7 +│");
    // Ctrl-R finds the statement by a word inside it.
    expect(&mut pty, PROMPT);
    typed(&mut pty, "\x12answer");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ +42 +│");
}

#[test]
fn an_unreadable_history_gives_a_warning_not_an_exit() {
    let dir = temp();
    // A directory cannot be read as a history file.
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgq"));
    command
        .arg("repl")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KGQ_HISTORY", dir.path());
    let mut pty = Session::spawn(command).expect("the shell starts");
    pty.set_expect_timeout(Some(WAIT));
    expect(&mut pty, "warning: cannot read the history");
    enter(&mut pty, "RETURN 1 AS one;");
    expect(&mut pty, "1 row");
}

#[test]
fn ctrl_c_cancels_a_running_query_and_the_shell_goes_on() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "CREATE (:Marker);");
    expect(&mut pty, "Created 1 node");
    enter(
        &mut pty,
        "MATCH (m:Marker) SET m.touched = true WITH m \
         UNWIND range(1, 10000) AS a UNWIND range(1, 10000) AS b RETURN count(*);",
    );
    std::thread::sleep(Duration::from_millis(1500));
    typed(&mut pty, "\x03");
    expect(
        &mut pty,
        "Query cancelled after .*; its changes were rolled back and the graph is unchanged",
    );
    // The statement was undone as a whole.
    enter(
        &mut pty,
        "MATCH (m:Marker) RETURN m.touched IS NULL AS untouched;",
    );
    expect(&mut pty, r"│ true +│");
}

#[test]
fn ctrl_c_cancels_a_write_of_millions_of_nodes_and_rolls_it_back() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(
        &mut pty,
        "CREATE (:Start) WITH 1 AS one UNWIND range(1, 5000000) AS i CREATE (:Tmp {i: i});",
    );
    std::thread::sleep(Duration::from_millis(2000));
    typed(&mut pty, "\x03");
    expect(
        &mut pty,
        "Query cancelled after .*; its changes were rolled back and the graph is unchanged",
    );
    enter(
        &mut pty,
        "MATCH (n) WHERE n:Start OR n:Tmp RETURN count(n) AS left;",
    );
    expect(&mut pty, r"│ +0 +│");
}

#[test]
fn the_shell_holds_only_the_rows_it_shows_and_counts_the_rest() {
    let dir = temp();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgq"));
    command
        .args(["repl", "--max-memory", "8M"])
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KGQ_HISTORY", dir.path().join("history"));
    let mut pty = Session::spawn(command).expect("the shell starts");
    pty.set_expect_timeout(Some(WAIT));
    enter(&mut pty, ":maxrows 2");
    // A million rows: far more than 8 MiB if they were all held.
    enter(
        &mut pty,
        "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b RETURN a, b;",
    );
    expect(&mut pty, r"│ 1 ┆ 2 │");
    expect(
        &mut pty,
        r"1000000 rows — 999998 more rows not shown \(:maxrows 2\)",
    );
    // Numbers are right-aligned, as on the command line.
    enter(&mut pty, "UNWIND [5, 1234] AS n RETURN n, 'x' AS s;");
    expect(&mut pty, r"│    5 ┆ x │");
}

#[test]
fn begin_and_rollback_in_the_shell() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "BEGIN;");
    expect(&mut pty, "Transaction open");
    enter(&mut pty, "CREATE (:Draft);");
    expect(&mut pty, "Created 1 node");
    enter(&mut pty, "ROLLBACK;");
    expect(&mut pty, "Rolled back");
    enter(&mut pty, "MATCH (d:Draft) RETURN count(d) AS drafts;");
    expect(&mut pty, r"│ +0 +│");
    enter(&mut pty, "BEGIN;");
    enter(&mut pty, "CREATE (:Draft);");
    enter(&mut pty, "COMMIT;");
    expect(&mut pty, "Committed");
    enter(&mut pty, "MATCH (d:Draft) RETURN count(d) AS drafts;");
    expect(&mut pty, r"│ +1 +│");
}

#[test]
fn the_continuation_prompt_shows_what_is_open() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "RETURN 'two");
    expect(&mut pty, r"   '> ");
    typed(&mut pty, "lines' AS s, [1,");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"   \[> ");
    typed(&mut pty, "2] AS l");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"   -> ");
    typed(&mut pty, ";");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ two +");
    expect(&mut pty, "1 row");
    enter(&mut pty, ":why on");
    expect(&mut pty, r"kgq\[why\]> ");
}

#[test]
fn ctrl_c_while_editing_clears_the_input() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "RETURN 'never");
    expect(&mut pty, CONTINUATION);
    typed(&mut pty, "\x03");
    enter(&mut pty, "RETURN 5 AS five;");
    expect(&mut pty, r"│ +5 +│");
}

#[test]
fn schema_lists_labels_types_and_keys() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, ":schema");
    expect(&mut pty, "Labels");
    expect(&mut pty, r"│ Company +┆ +3 │");
    expect(&mut pty, "Relationship types");
    expect(&mut pty, r"│ BASED_IN +┆ +\d+ ┆ \(:");
    expect(&mut pty, "Property keys");
    expect(&mut pty, r"│ name +┆ String");
}

#[test]
fn an_error_shows_a_caret_and_the_shell_goes_on() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "MATCH (c:Company)");
    next_line(&mut pty, "RETURN c.name +;");
    expect(&mut pty, "2:16: SyntaxError");
    expect(&mut pty, r"RETURN c\.name \+;\r\n {17}\^");
    enter(&mut pty, "RETURN 3 AS three;");
    expect(&mut pty, r"│ +3 +│");
}

#[test]
fn format_json_changes_the_output() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, ":format json");
    expect(&mut pty, "Format: json");
    enter(&mut pty, "RETURN 1 AS one;");
    expect(&mut pty, r#""columns": \[\s*"one"\s*\]"#);
    expect(&mut pty, r#""rows""#);
}

#[test]
fn meta_commands_and_their_mistakes() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, ":shema");
    expect(&mut pty, r"Unknown command :shema\. Did you mean :schema\?");
    enter(&mut pty, ":help toUpper");
    expect(&mut pty, "Example:");
    enter(&mut pty, ":param year => 2020 + 5");
    expect(&mut pty, r"\$year = 2025");
    enter(&mut pty, ":maxrows 2");
    enter(&mut pty, ":timing on");
    enter(&mut pty, "UNWIND range(1, $year - 2020) AS x RETURN x;");
    expect(
        &mut pty,
        r"5 rows — 3 more rows not shown \(:maxrows 2\) \(\d+\.\d+ ms\)",
    );
    enter(&mut pty, ":save /nonexistent/g.kgqs");
    expect(&mut pty, "IoError");
    let snapshot = dir.path().join("bundled.kgqs");
    enter(&mut pty, &format!(":save {}", snapshot.display()));
    expect(&mut pty, "Saved the graph");
    enter(&mut pty, &format!(":save {}", snapshot.display()));
    expect(&mut pty, "FileExists: .* already exists");
    enter(&mut pty, &format!(":save! {}", snapshot.display()));
    expect(&mut pty, "Saved the graph");
    enter(&mut pty, "MATCH (n) DETACH DELETE n;");
    expect(&mut pty, "Deleted");
    enter(&mut pty, &format!(":load {}", snapshot.display()));
    expect(&mut pty, r"Loaded .*: \d+ nodes");
}

#[test]
fn a_store_keeps_what_was_written_across_sessions() {
    let dir = temp();
    let history = dir.path().join("history");
    let store = dir.path().join("work.kgqs");
    let mut pty = start_on(&history, Some(&store));
    enter(&mut pty, "CREATE (:Note {text: 'kept'});");
    expect(&mut pty, "Created 1 node");
    enter(&mut pty, ":checkpoint");
    expect(&mut pty, "Checkpoint done");
    enter(&mut pty, "CREATE (:Note {text: 'journaled'});");
    expect(&mut pty, "Created 1 node");
    enter(&mut pty, ":quit");
    pty.expect(expectrl::Eof).expect("the shell ends");
    let mut pty = start_on(&history, Some(&store));
    enter(
        &mut pty,
        "MATCH (n:Note) RETURN n.text AS text ORDER BY text;",
    );
    expect(&mut pty, r"journaled[\s\S]*kept[\s\S]*2 rows");
}

#[test]
fn without_a_terminal_it_reads_statements_like_run() {
    let output = Command::new(env!("CARGO_BIN_EXE_kgq"))
        .arg("repl")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(b"MATCH (c:Company) RETURN count(c) AS n;\nRETURN 1 +;\n")?;
            }
            child.wait_with_output()
        })
        .expect("kgq runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.contains("│ 3 │") && !stdout.contains("kgq>"),
        "{stdout}"
    );
    assert!(stderr.contains("<stdin>:2:11: SyntaxError"), "{stderr}");
    assert!(!stdout.contains('\x1b') && !stderr.contains('\x1b'));
}

#[test]
fn timeout_stops_a_statement_and_the_shell_goes_on() {
    let dir = temp();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgq"));
    command
        .args(["repl", "--timeout", "0.3"])
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KGQ_HISTORY", dir.path().join("history"));
    let mut pty = Session::spawn(command).expect("the shell starts");
    pty.set_expect_timeout(Some(WAIT));
    enter(
        &mut pty,
        "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b RETURN count(*);",
    );
    expect(&mut pty, "LimitExceeded: Timeout");
    enter(&mut pty, "RETURN 2 AS two;");
    expect(&mut pty, r"│ +2 +│");
}

#[test]
fn knowledge_graph_commands_asof_why_find_diff() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    // :asof applies to every MATCH until :asof off.
    enter(&mut pty, ":asof 2025-02-09");
    expect(&mut pty, "As of: 2025-02-09");
    // The prompt shows it.
    expect(&mut pty, r"kgq\[as of 2025-02-09\]> ");
    typed(
        &mut pty,
        "MATCH (:Product)-[r:CERTIFIED_IN|SUSPENDED_SALES_OF]-() RETURN type(r) AS fact;",
    );
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ CERTIFIED_IN │");
    enter(&mut pty, ":asof 2025-02-11");
    enter(
        &mut pty,
        "MATCH (:Product)-[r:CERTIFIED_IN|SUSPENDED_SALES_OF]-() RETURN type(r) AS fact;",
    );
    expect(&mut pty, r"│ SUSPENDED_SALES_OF │");
    enter(&mut pty, ":asof off");
    expect(&mut pty, "As of: off");
    enter(&mut pty, ":asof someday");
    expect(&mut pty, "not a date");
    // :why QUERY shows the facts behind each row and their sources.
    enter(
        &mut pty,
        ":why MATCH (p:Person {name: 'Yao Yuan'})-[:PREDICTED]->(s) RETURN count(s) AS n",
    );
    expect(&mut pty, r"row 1: 2");
    expect(&mut pty, r"source: Dajiyuan");
    // :find lists candidates with scores, from any script.
    enter(&mut pty, ":find Шакман");
    expect(
        &mut pty,
        r"1\.0 +┆ Company +┆ Shaanxi Heavy Truck +┆ Шакман",
    );
    // Name completion goes through aliases.
    expect(&mut pty, PROMPT);
    typed(&mut pty, "MATCH (c:Company {name: 'shacm\t");
    typed(&mut pty, "}) RETURN size(c.name) AS len;");
    typed(&mut pty, ENTER);
    expect(&mut pty, r"│ +19 │");
    // :diff FILE compares the session with a file.
    let saved = dir.path().join("before.kgqs");
    enter(&mut pty, &format!(":save {}", saved.display()));
    expect(&mut pty, "Saved the graph");
    enter(&mut pty, "MERGE (c:Company {name: 'Kamaz'}) ON ALIAS;");
    expect(&mut pty, "Created 1 node");
    enter(&mut pty, &format!(":diff {}", saved.display()));
    expect(&mut pty, r"Nodes: 1 added, 0 removed, 0 changed");
    expect(&mut pty, r"\+ \(:Company \{name: 'Kamaz'\}\)");
}

#[test]
fn warnings_follow_the_result_with_a_caret() {
    let dir = temp();
    let mut pty = start(&dir.path().join("history"));
    enter(&mut pty, "MATCH (a:Agncy) RETURN count(a) AS n;");
    expect(&mut pty, "1 row");
    expect(
        &mut pty,
        r"warning: The label `Agncy` does not exist in the graph\. Verify that the spelling is correct\. \(line 1, column 10\)",
    );
    expect(
        &mut pty,
        r"\r?\n  MATCH \(a:Agncy\) RETURN count\(a\) AS n;\r?\n           \^\^\^\^\^",
    );
    enter(&mut pty, ":quit");
    pty.expect(Eof).expect("the shell ends");
}
