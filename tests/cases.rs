//! Data-driven tests: runs every `tests/cases/**/*.case` file.
//!
//! Format (one file = one session; blocks separated by blank lines):
//!
//! ```text
//! # comment
//! graph bundled                  (optional, first directive: start on the bundled graph)
//! param name = <literal>         (sets $name to the value of `RETURN <literal>`)
//!
//! statement ok
//! CREATE (:A {x: 1});
//! ----                           (optional: expected write statistics)
//! +nodes 1, +labels 1, +properties 1
//!
//! query ordered|unordered
//! MATCH (a:A) RETURN a.x AS x;
//! ----
//! x
//! 1
//!
//! statement error <Class> <Code> (also: query error <Class> <Code>)
//! RETURN nope;
//!
//! query unordered
//! MATCH (a:Agncy) RETURN a;
//! ----
//! a
//! ==== warnings                  (optional, last: the expected notifications)
//! UnknownLabelWarning 1:10 Agncy
//! ```
//!
//! A `==== warnings` section lists the statement's notifications in order,
//! one a line: the last part of the code, `line:column`, and the text the
//! notification points at. An empty section expects none; without the
//! section notifications are not checked.
//!
//! A comment `# known-bug: <reason>` directly above a block marks the block
//! as a known engine bug: it still runs, a failure is reported as "known
//! bug", and an unexpected pass fails the test (remove the marker).
//!
//! Environment:
//! * `KGQ_BLESS=1` rewrites the expectations of failing blocks in place
//!   (known-bug blocks are never rewritten).
//! * `KGQ_CASES=<substring>` runs only files whose path contains it.
//! * `KGQ_CASES_VERBOSE=1` lists every known-bug block.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kgq::{QueryResult, Session, Value};

/// What a block expects.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// `statement ok`, with optional expected statistics.
    Ok { stats: Option<String> },
    /// `query ordered|unordered`.
    Rows {
        ordered: bool,
        columns: String,
        rows: Vec<String>,
    },
    /// `statement error` / `query error`.
    Error {
        class: String,
        code: String,
        query_kw: bool,
    },
}

#[derive(Debug)]
enum Item {
    /// `graph bundled`
    Graph(String, usize),
    /// `param name = literal`
    Param(String, String, usize),
    Block(Block),
}

#[derive(Debug)]
struct Block {
    /// 1-based line of the header.
    line: usize,
    /// 0-based line range of the block (header to last line, exclusive end).
    range: (usize, usize),
    known_bug: Option<String>,
    query_lines: Vec<String>,
    expect: Expect,
    /// The `==== warnings` section, if the block has one.
    warnings: Option<Vec<String>>,
}

/// The line that starts a block's expected notifications.
const WARNINGS: &str = "==== warnings";

fn parse_case_file(text: &str) -> Result<Vec<Item>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut items = Vec::new();
    let mut i = 0;
    let mut seen_directive_or_block = false;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if line.starts_with('#') {
            i += 1;
            continue;
        }
        if let Some(rest) = line.strip_prefix("graph ") {
            if seen_directive_or_block {
                return Err(format!(
                    "line {}: `graph` must be the first directive of the file",
                    i + 1
                ));
            }
            let name = rest.trim().to_string();
            if name != "bundled" && name != "empty" {
                return Err(format!("line {}: unknown graph `{name}`", i + 1));
            }
            items.push(Item::Graph(name, i + 1));
            seen_directive_or_block = true;
            i += 1;
            continue;
        }
        seen_directive_or_block = true;
        if let Some(rest) = line.strip_prefix("param ") {
            let Some((name, lit)) = rest.split_once('=') else {
                return Err(format!("line {}: expected `param name = <literal>`", i + 1));
            };
            let name = name.trim().trim_start_matches('$').to_string();
            if name.is_empty() || lit.trim().is_empty() {
                return Err(format!("line {}: expected `param name = <literal>`", i + 1));
            }
            items.push(Item::Param(name, lit.trim().to_string(), i + 1));
            i += 1;
            continue;
        }
        // A block header. Known-bug marker = the comment line right above.
        let known_bug = if i > 0 {
            lines[i - 1]
                .trim()
                .strip_prefix("# known-bug:")
                .map(|r| r.trim().to_string())
        } else {
            None
        };
        let header_line = i;
        let words: Vec<&str> = line.split_whitespace().collect();
        enum Kind {
            Ok,
            Rows(bool),
            Error(String, String, bool),
        }
        let kind = match words.as_slice() {
            ["statement", "ok"] => Kind::Ok,
            ["query", "ordered"] => Kind::Rows(true),
            ["query", "unordered"] => Kind::Rows(false),
            ["statement", "error", class, code] => {
                Kind::Error(class.to_string(), code.to_string(), false)
            }
            ["query", "error", class, code] => {
                Kind::Error(class.to_string(), code.to_string(), true)
            }
            _ => {
                return Err(format!(
                    "line {}: expected a block header (`statement ok`, `statement error <Class> <Code>`, \
                     `query ordered|unordered`, `query error <Class> <Code>`), `graph` or `param`, found `{line}`",
                    i + 1
                ));
            }
        };
        i += 1;
        let mut query_lines = Vec::new();
        let ends =
            |l: &str| l.trim().is_empty() || l.trim_end() == "----" || l.trim_end() == WARNINGS;
        while i < lines.len() && !ends(lines[i]) {
            query_lines.push(lines[i].trim_end().to_string());
            i += 1;
        }
        if query_lines.is_empty() {
            return Err(format!(
                "line {}: block has no statement text",
                header_line + 1
            ));
        }
        let has_sep = i < lines.len() && lines[i].trim_end() == "----";
        let mut after = Vec::new();
        if has_sep {
            i += 1;
            while i < lines.len() && !lines[i].trim().is_empty() && lines[i].trim_end() != WARNINGS
            {
                after.push(lines[i].trim_end().to_string());
                i += 1;
            }
        }
        let warnings = if i < lines.len() && lines[i].trim_end() == WARNINGS {
            i += 1;
            let mut list = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() {
                list.push(lines[i].trim_end().to_string());
                i += 1;
            }
            Some(list)
        } else {
            None
        };
        let expect = match kind {
            Kind::Ok => {
                if after.len() > 1 {
                    return Err(format!(
                        "line {}: `statement ok` takes at most one statistics line after `----`",
                        header_line + 1
                    ));
                }
                let stats = if has_sep {
                    Some(
                        normalize_stats(after.first().map(String::as_str).unwrap_or(""))
                            .map_err(|e| format!("line {}: {e}", header_line + 1))?,
                    )
                } else {
                    None
                };
                Expect::Ok { stats }
            }
            Kind::Rows(ordered) => {
                if !has_sep || after.is_empty() {
                    return Err(format!(
                        "line {}: query block needs `----` followed by a column header line",
                        header_line + 1
                    ));
                }
                Expect::Rows {
                    ordered,
                    columns: after[0].clone(),
                    rows: after[1..].to_vec(),
                }
            }
            Kind::Error(class, code, query_kw) => {
                if has_sep || warnings.is_some() {
                    return Err(format!(
                        "line {}: an error block takes no `----` or `{WARNINGS}` section",
                        header_line + 1
                    ));
                }
                Expect::Error {
                    class,
                    code,
                    query_kw,
                }
            }
        };
        items.push(Item::Block(Block {
            line: header_line + 1,
            range: (header_line, i),
            known_bug,
            query_lines,
            expect,
            warnings,
        }));
    }
    Ok(items)
}

const STAT_KEYS: [&str; 8] = [
    "+nodes",
    "-nodes",
    "+relationships",
    "-relationships",
    "+labels",
    "-labels",
    "+properties",
    "-properties",
];

/// Parses a statistics line (any order) and prints it in the fixed order.
fn normalize_stats(line: &str) -> Result<String, String> {
    let line = line.trim();
    let mut counts = BTreeMap::new();
    if !line.is_empty() && line != "no changes" {
        for part in line.split(',') {
            let mut w = part.split_whitespace();
            let (Some(key), Some(n), None) = (w.next(), w.next(), w.next()) else {
                return Err(format!("bad statistics item `{}`", part.trim()));
            };
            if !STAT_KEYS.contains(&key) {
                return Err(format!("unknown statistics key `{key}`"));
            }
            let n: u64 = n
                .parse()
                .map_err(|_| format!("bad count in statistics item `{}`", part.trim()))?;
            if counts.insert(key, n).is_some() {
                return Err(format!("statistics key `{key}` given twice"));
            }
        }
    }
    let values: Vec<u64> = STAT_KEYS
        .iter()
        .map(|k| counts.get(k).copied().unwrap_or(0))
        .collect();
    Ok(render_counts(&values))
}

fn render_counts(values: &[u64]) -> String {
    let parts: Vec<String> = STAT_KEYS
        .iter()
        .zip(values)
        .filter(|(_, n)| **n != 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    }
}

fn render_stats(r: &QueryResult) -> String {
    let s = &r.stats;
    render_counts(&[
        s.nodes_created,
        s.nodes_deleted,
        s.relationships_created,
        s.relationships_deleted,
        s.labels_added,
        s.labels_removed,
        s.properties_set,
        s.properties_removed,
    ])
}

/// What actually happened, rendered.
enum Actual {
    Ok {
        stats: String,
        columns: String,
        rows: Vec<String>,
        warnings: Vec<String>,
    },
    Error {
        class: String,
        code: String,
        message: String,
    },
    Panic(String),
}

fn run_statement(session: &mut Session, text: &str) -> Actual {
    let outcome = catch_unwind(AssertUnwindSafe(|| session.run(text)));
    match outcome {
        Ok(Ok(result)) => {
            let graph = session.graph();
            let rows = result
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| v.literal(Some(graph)).to_string())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect();
            Actual::Ok {
                stats: render_stats(&result),
                columns: result.columns.join(" | "),
                rows,
                warnings: result
                    .notifications()
                    .iter()
                    .map(|n| {
                        let code = n.code().rsplit('.').next().unwrap_or_default();
                        let at = text.get(n.span.start..n.span.end).unwrap_or("?");
                        let at = at.split_whitespace().collect::<Vec<_>>().join(" ");
                        format!("{code} {}:{} {at}", n.position.line, n.position.column)
                    })
                    .collect(),
            }
        }
        Ok(Err(e)) => Actual::Error {
            class: e.class.name().to_string(),
            code: e.code.to_string(),
            message: e.message.clone(),
        },
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "<non-string panic>".into());
            Actual::Panic(msg)
        }
    }
}

fn describe_actual(a: &Actual) -> String {
    match a {
        Actual::Ok {
            stats,
            columns,
            rows,
            warnings,
        } => {
            let mut s = format!("ok ({stats})\n      {columns}");
            for r in rows {
                let _ = write!(s, "\n      {r}");
            }
            if !warnings.is_empty() {
                let _ = write!(s, "\n      {WARNINGS}");
                for w in warnings {
                    let _ = write!(s, "\n      {w}");
                }
            }
            s
        }
        Actual::Error {
            class,
            code,
            message,
        } => format!("error {class} {code}: {message}"),
        Actual::Panic(m) => format!("PANIC: {m}"),
    }
}

fn describe_block(block: &Block) -> String {
    let mut s = describe_expect(&block.expect);
    if let Some(warnings) = &block.warnings {
        let _ = write!(s, "\n      {WARNINGS}");
        for w in warnings {
            let _ = write!(s, "\n      {w}");
        }
    }
    s
}

fn describe_expect(e: &Expect) -> String {
    match e {
        Expect::Ok { stats: None } => "ok".into(),
        Expect::Ok { stats: Some(s) } => format!("ok ({s})"),
        Expect::Rows { columns, rows, .. } => {
            let mut s = format!("rows\n      {columns}");
            for r in rows {
                let _ = write!(s, "\n      {r}");
            }
            s
        }
        Expect::Error { class, code, .. } => format!("error {class} {code}"),
    }
}

/// Whether `actual` satisfies `block`'s expectations.
fn block_matches(block: &Block, actual: &Actual) -> bool {
    let warnings_ok = match (&block.warnings, actual) {
        (None, _) => true,
        (Some(want), Actual::Ok { warnings, .. }) => want == warnings,
        (Some(_), _) => false,
    };
    warnings_ok && matches(&block.expect, actual)
}

/// Whether `actual` satisfies `expect`.
fn matches(expect: &Expect, actual: &Actual) -> bool {
    match (expect, actual) {
        (Expect::Ok { stats }, Actual::Ok { stats: got, .. }) => {
            stats.as_ref().is_none_or(|s| s == got)
        }
        (
            Expect::Rows {
                ordered,
                columns,
                rows,
            },
            Actual::Ok {
                columns: got_cols,
                rows: got_rows,
                ..
            },
        ) => {
            if columns != got_cols {
                return false;
            }
            if *ordered {
                rows == got_rows
            } else {
                let mut a = rows.clone();
                let mut b = got_rows.clone();
                a.sort();
                b.sort();
                a == b
            }
        }
        (
            Expect::Error { class, code, .. },
            Actual::Error {
                class: c, code: k, ..
            },
        ) => class == c && code == k,
        _ => false,
    }
}

/// The new text of a block (header to end) that `actual` would satisfy.
fn blessed_block(block: &Block, actual: &Actual) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let query_kw = matches!(
        block.expect,
        Expect::Rows { .. } | Expect::Error { query_kw: true, .. }
    );
    match actual {
        Actual::Panic(_) => return None,
        Actual::Error { class, code, .. } => {
            let kw = if query_kw { "query" } else { "statement" };
            out.push(format!("{kw} error {class} {code}"));
            out.extend(block.query_lines.iter().cloned());
        }
        Actual::Ok {
            stats,
            columns,
            rows,
            ..
        } => match &block.expect {
            Expect::Rows { ordered, .. } => {
                out.push(format!(
                    "query {}",
                    if *ordered { "ordered" } else { "unordered" }
                ));
                out.extend(block.query_lines.iter().cloned());
                out.push("----".into());
                out.push(columns.clone());
                out.extend(rows.iter().cloned());
            }
            Expect::Error { .. } if !columns.is_empty() => {
                out.push("query unordered".into());
                out.extend(block.query_lines.iter().cloned());
                out.push("----".into());
                out.push(columns.clone());
                out.extend(rows.iter().cloned());
            }
            Expect::Ok { stats: Some(_) } => {
                out.push("statement ok".into());
                out.extend(block.query_lines.iter().cloned());
                out.push("----".into());
                out.push(stats.clone());
            }
            _ => {
                out.push("statement ok".into());
                out.extend(block.query_lines.iter().cloned());
            }
        },
    }
    if let (Some(_), Actual::Ok { warnings, .. }) = (&block.warnings, actual) {
        out.push(WARNINGS.into());
        out.extend(warnings.iter().cloned());
    }
    Some(out)
}

#[derive(Default)]
struct Report {
    files: usize,
    blocks: usize,
    passed: usize,
    known_bugs: Vec<String>,
    failures: Vec<String>,
    blessed: usize,
}

fn run_file(path: &Path, display: &str, bless: bool, report: &mut Report) {
    report.files += 1;
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            report.failures.push(format!("{display}: cannot read: {e}"));
            return;
        }
    };
    let items = match parse_case_file(&text) {
        Ok(items) => items,
        Err(e) => {
            report
                .failures
                .push(format!("{display}: CASE FILE DOES NOT PARSE: {e}"));
            return;
        }
    };
    let mut session = Session::new();
    session.set_timeout(Some(Duration::from_secs(20)));
    let mut rewrites: Vec<((usize, usize), Vec<String>)> = Vec::new();
    for item in &items {
        match item {
            Item::Graph(name, line) => {
                if name == "bundled" {
                    match kgq::bundled::graph() {
                        Ok(g) => {
                            session = Session::with_graph(g);
                            session.set_timeout(Some(Duration::from_secs(20)));
                        }
                        Err(e) => {
                            report.failures.push(format!(
                                "{display}:{line}: the bundled graph does not build: {e}"
                            ));
                            return;
                        }
                    }
                }
            }
            Item::Param(name, lit, line) => match session.run(&format!("RETURN {lit} AS v")) {
                Ok(r) if r.rows.len() == 1 && r.rows[0].len() == 1 => {
                    let v: Value = r.rows[0][0].clone();
                    session.set_param(name, v);
                }
                Ok(_) => report.failures.push(format!(
                    "{display}:{line}: param `{name}`: `RETURN {lit}` did not give one value"
                )),
                Err(e) => report
                    .failures
                    .push(format!("{display}:{line}: param `{name}`: {e}")),
            },
            Item::Block(block) => {
                report.blocks += 1;
                let text = block.query_lines.join("\n");
                let actual = run_statement(&mut session, &text);
                let ok = block_matches(block, &actual);
                match (&block.known_bug, ok) {
                    (None, true) => report.passed += 1,
                    (Some(reason), false) => report.known_bugs.push(format!(
                        "{display}:{}: known bug: {reason}\n    query: {}\n    expected: {}\n    actual:   {}",
                        block.line,
                        text.replace('\n', "\n           "),
                        describe_block(block),
                        describe_actual(&actual)
                    )),
                    (Some(reason), true) => report.failures.push(format!(
                        "{display}:{}: block marked `# known-bug: {reason}` now PASSES — remove the marker\n    query: {}",
                        block.line,
                        text.replace('\n', "\n           ")
                    )),
                    (None, false) => {
                        if bless {
                            if let Some(new) = blessed_block(block, &actual) {
                                rewrites.push((block.range, new));
                                report.blessed += 1;
                                continue;
                            }
                        }
                        report.failures.push(format!(
                            "{display}:{}: FAILED\n    query: {}\n    expected: {}\n    actual:   {}",
                            block.line,
                            text.replace('\n', "\n           "),
                            describe_block(block),
                            describe_actual(&actual)
                        ));
                    }
                }
            }
        }
    }
    if !rewrites.is_empty() {
        let lines: Vec<&str> = text.lines().collect();
        let mut out: Vec<String> = Vec::new();
        let mut pos = 0;
        for ((start, end), new) in rewrites {
            out.extend(lines[pos..start].iter().map(|s| s.to_string()));
            out.extend(new);
            pos = end;
        }
        out.extend(lines[pos..].iter().map(|s| s.to_string()));
        let mut joined = out.join("\n");
        joined.push('\n');
        if let Err(e) = std::fs::write(path, joined) {
            report
                .failures
                .push(format!("{display}: cannot bless: {e}"));
        }
    }
}

fn collect_case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "case") {
            out.push(path);
        }
    }
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/cases");
    let mut files = Vec::new();
    collect_case_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .case files under {}", dir.display());
    let filter = std::env::var("KGQ_CASES").ok().filter(|s| !s.is_empty());
    let bless = std::env::var("KGQ_BLESS").is_ok_and(|v| !v.is_empty() && v != "0");
    let verbose = std::env::var("KGQ_CASES_VERBOSE").is_ok_and(|v| !v.is_empty() && v != "0");
    let mut report = Report::default();
    for path in &files {
        let display = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if filter
            .as_ref()
            .is_some_and(|f| !display.contains(f.as_str()))
        {
            continue;
        }
        run_file(path, &display, bless, &mut report);
    }
    if verbose {
        for k in &report.known_bugs {
            println!("{k}\n");
        }
    } else {
        for k in &report.known_bugs {
            println!("{}", k.lines().next().unwrap_or_default());
        }
    }
    println!(
        "cases: {} files, {} blocks: {} passed, {} known bugs, {} failed{}",
        report.files,
        report.blocks,
        report.passed,
        report.known_bugs.len(),
        report.failures.len(),
        if bless {
            format!(", {} blessed", report.blessed)
        } else {
            String::new()
        }
    );
    if !report.failures.is_empty() {
        let mut msg = String::new();
        for f in &report.failures {
            let _ = writeln!(msg, "{f}\n");
        }
        let _ = writeln!(
            msg,
            "{} failing block(s) (of {}; {} known bugs). Rerun with KGQ_BLESS=1 to accept actual output \
             — only after checking it is right.",
            report.failures.len(),
            report.blocks,
            report.known_bugs.len()
        );
        panic!("\n{msg}");
    }
}
