//! The hostile-input suite: inputs generated at run time (nothing large is
//! committed) go through the real `kgq` binary, which must either answer
//! correctly or exit 1 with a classified error — never crash, hang or grow
//! without bound. See `docs/reliability.md` for the classes and limits.

mod harness;

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use harness::{Expect, Scratch, err, ok, run, run_cases};

type Case = (String, Vec<u8>, Vec<&'static str>, Expect);

fn case(name: impl Into<String>, script: impl Into<Vec<u8>>, expect: Expect) -> Case {
    (name.into(), script.into(), Vec::new(), expect)
}

fn case_with(
    name: impl Into<String>,
    script: impl Into<Vec<u8>>,
    args: &[&'static str],
    expect: Expect,
) -> Case {
    (name.into(), script.into(), args.to_vec(), expect)
}

/// `open` n times, `middle`, `close` n times, after `RETURN `.
fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("RETURN {}{middle}{} AS x;", open.repeat(n), close.repeat(n))
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let mut cases = Vec::new();
    for n in [10_000, 100_000] {
        let deep = err("SyntaxError: NestingTooDeep");
        cases.push(case(
            format!("parens {n}"),
            nested("(", "1", ")", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("lists {n}"),
            nested("[", "1", "]", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("maps {n}"),
            nested("{a: ", "1", "}", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("calls {n}"),
            nested("abs(", "1", ")", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("minus {n}"),
            nested("- ", "1", "", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("not {n}"),
            nested("NOT ", "true", "", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("case {n}"),
            nested("CASE WHEN true THEN ", "1", " END", n),
            deep.clone(),
        ));
        cases.push(case(
            format!("unclosed parens {n}"),
            format!("RETURN {}1;", "(".repeat(n)),
            deep,
        ));
    }
    // Right at the limits, the answer is computed.
    cases.push(case(
        "parens 190",
        nested("(", "41 + 1", ")", 190),
        ok("42"),
    ));
    cases.push(case(
        "lists 190",
        nested("[", "1", "]", 190).replace(" AS x", "[0] AS x"),
        ok("[["),
    ));
    cases.push(case("minus 190", nested("- ", "7", "", 190), ok("7")));
    cases.push(case(
        "not 191",
        nested("NOT ", "true", "", 191),
        ok("false"),
    ));
    run_cases(cases);
}

#[test]
fn long_operator_chains_and_patterns_end_cleanly() {
    let mut cases = Vec::new();
    for n in [100_000, 1_000_000] {
        cases.push(case(
            format!("+ chain {n}"),
            format!("RETURN 1{} AS x;", " + 1".repeat(n - 1)),
            err("SyntaxError: ExpressionTooDeep"),
        ));
        cases.push(case(
            format!("AND chain {n}"),
            format!("RETURN true{} AS x;", " AND true".repeat(n - 1)),
            err("SyntaxError: ExpressionTooDeep"),
        ));
    }
    cases.push(case(
        "+ chain 3000",
        format!("RETURN 1{} AS x;", " + 1".repeat(2999)),
        ok("3000"),
    ));
    cases.push(case(
        "10k-hop pattern",
        format!(
            "CREATE (:A); MATCH (a:A){} RETURN count(*) AS n;",
            "-->()".repeat(10_000)
        ),
        Expect::Clean,
    ));
    cases.push(case(
        "10k-hop create",
        format!("CREATE (:A){};", "-[:T]->()".repeat(10_000)),
        Expect::Clean,
    ));
    cases.push(case(
        "deep value built by reduce",
        "RETURN size(reduce(l = [], i IN range(1, 100000) | [l])) AS x;",
        err("LimitExceeded: ValueTooDeep"),
    ));
    cases.push(case(
        "deep map built by reduce",
        "RETURN size(keys(reduce(m = {}, i IN range(1, 100000) | {m: m}))) AS x;",
        err("LimitExceeded: ValueTooDeep"),
    ));
    run_cases(cases);
}

#[test]
fn huge_and_odd_literals() {
    let ten_mb = "x".repeat(10 << 20);
    let one_mb = "a".repeat(1 << 20);
    let mut cases = vec![
        case(
            "10 MB string",
            format!("RETURN size('{ten_mb}') AS n;"),
            ok(&(10 << 20).to_string()),
        ),
        case(
            "1 MB line with an error at its end",
            format!("RETURN '{one_mb}' + nope AS n;"),
            err("UndefinedVariable"),
        ),
        case(
            "1 MB identifier",
            format!("WITH 1 AS {one_mb} RETURN {one_mb} + 1 AS n;"),
            ok("2"),
        ),
        case(
            "1 MB backticked identifier",
            format!("WITH 1 AS `{one_mb} x` RETURN `{one_mb} x` + 1 AS n;"),
            ok("2"),
        ),
        case(
            "decimal past i64",
            "RETURN 9223372036854775808 AS n;",
            err("SyntaxError: IntegerOverflow"),
        ),
        case(
            "i64 minimum",
            "RETURN -9223372036854775808 AS n;",
            ok("-9223372036854775808"),
        ),
        case(
            "hex past i64",
            "RETURN 0x8000000000000000 AS n;",
            err("SyntaxError: IntegerOverflow"),
        ),
        case(
            "octal past i64",
            "RETURN 0o1000000000000000000000 AS n;",
            err("SyntaxError: IntegerOverflow"),
        ),
        case(
            "100k-digit integer",
            format!("RETURN {} AS n;", "9".repeat(100_000)),
            err("SyntaxError: IntegerOverflow"),
        ),
        case(
            "float overflow",
            "RETURN 1e400 AS n;",
            err("SyntaxError: FloatingPointOverflow"),
        ),
        case(
            "100k-digit float",
            format!("RETURN {}.5 AS n;", "9".repeat(100_000)),
            err("SyntaxError: FloatingPointOverflow"),
        ),
        case("invalid escape", "RETURN 'a\\qb' AS s;", Expect::Clean),
        case(
            "short unicode escape",
            "RETURN '\\u12' AS s;",
            err("SyntaxError"),
        ),
        case(
            "surrogate escape",
            "RETURN '\\uD800' AS s;",
            err("SyntaxError"),
        ),
        case(
            "unterminated string",
            "RETURN 1;\nRETURN 'abc;\n",
            err(":2:8: SyntaxError"),
        ),
        case(
            "unterminated comment",
            "RETURN 1;\n/* never closed",
            err(":2:1: SyntaxError"),
        ),
        case(
            "unterminated backticks",
            "RETURN 1 AS `x;",
            err(":1:13: SyntaxError"),
        ),
    ];
    // Limited by size, not by element count (a generated `IN [...]`).
    let ids: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    cases.push(case(
        "list literal of 20k elements",
        format!("RETURN size([{}]) AS n;", ids.join(", ")),
        ok("20000"),
    ));
    cases.push(case(
        "IN list of 20k elements",
        format!(
            "UNWIND [3, -1, 19999] AS x WITH x WHERE x IN [{}] RETURN count(x) AS n;",
            ids.join(",")
        ),
        ok("2"),
    ));
    cases.push(case(
        "10 MB unterminated string",
        format!("RETURN '{ten_mb}"),
        err(":1:8: SyntaxError"),
    ));
    run_cases(cases);
}

#[test]
fn encodings() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "RETURN 1 AS x;".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let utf16_no_bom: Vec<u8> = "RETURN 1 AS x;"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let cases = vec![
        case(
            "invalid UTF-8",
            b"RETURN 'a\xff\xfeb' AS s;".to_vec(),
            err("IoError: InvalidEncoding"),
        ),
        case(
            "invalid UTF-8 names its line and column",
            b"RETURN 1;\nRETURN '\xc3\xa9\xff' AS s;".to_vec(),
            err(":2:10: not valid UTF-8 (byte 0xff"),
        ),
        case(
            "NUL between tokens",
            b"RETURN 1\0 AS x;".to_vec(),
            err("SyntaxError"),
        ),
        case(
            "NUL inside a string",
            b"RETURN size('a\0b') AS x;".to_vec(),
            ok("3"),
        ),
        case("BOM", b"\xEF\xBB\xBFRETURN 41 + 1 AS x;".to_vec(), ok("42")),
        case("UTF-16 with a BOM", utf16, err("IoError: InvalidEncoding")),
        case("UTF-16 without a BOM", utf16_no_bom, err("SyntaxError")),
        case(
            "CRLF line numbers",
            "RETURN 1;\r\nRETURN 2;\r\nRETURN nope;\r\n",
            err(":3:8: SyntaxError: UndefinedVariable"),
        ),
        case(
            "lone CR line numbers",
            "RETURN 1;\rRETURN 2;\rRETURN nope;\r",
            err(":3:8: SyntaxError: UndefinedVariable"),
        ),
        case(
            "mixed line ends",
            "RETURN 1;\n\rRETURN 2;\r\n\nRETURN nope;",
            err(":5:8: SyntaxError: UndefinedVariable"),
        ),
    ];
    run_cases(cases);
}

#[test]
fn sums_past_the_value_size_limit_stop_before_they_are_built() {
    run_cases(vec![
        case_with(
            "doubling a string",
            "RETURN size(reduce(s = 'xxxxxxxx', i IN range(1, 30) | s + s)) AS n;",
            &["--max-value-size", "16M"],
            err("LimitExceeded: ValueTooLarge: a string grew past 16 MiB"),
        ),
        case_with(
            "doubling a list",
            "RETURN size(reduce(l = [1, 2], i IN range(1, 30) | l + l)) AS n;",
            &["--max-value-size", "16M"],
            err("LimitExceeded: ValueTooLarge: a list grew past 16 MiB"),
        ),
    ]);
}

#[test]
fn arithmetic_edges() {
    const MAX: &str = "9223372036854775807";
    const MIN: &str = "(-9223372036854775807 - 1)";
    let overflow = || err("ArithmeticError");
    let cases = vec![
        case(
            "int / 0",
            "RETURN 1 / 0 AS x;",
            err("ArithmeticError: DivisionByZero"),
        ),
        case(
            "int % 0",
            "RETURN 1 % 0 AS x;",
            err("ArithmeticError: DivisionByZero"),
        ),
        case("float / 0", "RETURN 1.0 / 0 AS x;", ok("Infinity")),
        case("float % 0", "RETURN 1.0 % 0 AS x;", ok("NaN")),
        case("max + 1", format!("RETURN {MAX} + 1 AS x;"), overflow()),
        case("min - 1", format!("RETURN {MIN} - 1 AS x;"), overflow()),
        case("max * 2", format!("RETURN {MAX} * 2 AS x;"), overflow()),
        case("abs(min)", format!("RETURN abs({MIN}) AS x;"), overflow()),
        case("-min", format!("RETURN -{MIN} AS x;"), overflow()),
        case("min / -1", format!("RETURN {MIN} / -1 AS x;"), overflow()),
        case("min % -1", format!("RETURN {MIN} % -1 AS x;"), ok("0")),
        case(
            "sum overflow",
            format!("UNWIND [{MAX}, 1] AS v RETURN sum(v) AS x;"),
            overflow(),
        ),
        case(
            "range step 0",
            "RETURN range(1, 10, 0) AS x;",
            err("ArgumentError"),
        ),
        case(
            "range near max",
            format!("RETURN size(range({MAX} - 3, {MAX})) AS x;"),
            ok("4"),
        ),
        case(
            "range near min",
            format!("RETURN size(range({MIN} + 3, {MIN}, -1)) AS x;"),
            ok("4"),
        ),
        case(
            "range across i64",
            format!("RETURN range({MIN}, {MAX}, {MAX}) AS x;"),
            ok("[-9223372036854775808, -1, 9223372036854775806]"),
        ),
        case(
            "toInteger(1e100)",
            "RETURN toInteger(1e100) AS x;",
            Expect::Clean,
        ),
        case(
            "toInteger(-1e19)",
            "RETURN toInteger(-1e19) AS x;",
            Expect::Clean,
        ),
        case(
            "toInteger(NaN)",
            "RETURN toInteger(0.0 / 0.0) AS x;",
            Expect::Clean,
        ),
        case(
            "toInteger(huge string)",
            "RETURN toInteger('99999999999999999999') AS x;",
            Expect::Clean,
        ),
        case(
            "float to int in range()",
            "RETURN range(1, 1e300) AS x;",
            Expect::Clean,
        ),
        case("2 ^ 100000", "RETURN 2 ^ 100000 AS x;", ok("Infinity")),
        case(
            "max as float",
            format!("RETURN toFloat({MAX}) AS x;"),
            ok("9.223372036854776e18"),
        ),
        case("round huge", "RETURN round(1e300) AS x;", Expect::Clean),
        case(
            "int * float",
            format!("RETURN {MAX} * 1.5 AS x;"),
            Expect::Clean,
        ),
        case(
            "abs(float min)",
            "RETURN abs(-1.7976931348623157e308) AS x;",
            Expect::Clean,
        ),
        case(
            "substring at max",
            format!("RETURN substring('abc', {MAX}, {MAX}) AS x;"),
            Expect::Clean,
        ),
        case(
            "left at max",
            format!("RETURN left('abc', {MAX}) AS x;"),
            ok("abc"),
        ),
        case(
            "list index min",
            format!("RETURN [1, 2][{MIN}] AS x;"),
            Expect::Clean,
        ),
        case(
            "slice at extremes",
            format!("RETURN [1, 2][{MIN}..{MAX}] AS x;"),
            ok("[1, 2]"),
        ),
    ];
    run_cases(cases);
}

/// A script that builds a complete directed graph on `n` nodes.
fn complete_graph(n: usize) -> String {
    format!(
        "UNWIND range(1, {n}) AS i CREATE (:N {{i: i}});\n\
         MATCH (a:N), (b:N) WHERE a <> b CREATE (a)-[:E]->(b);\n"
    )
}

#[test]
fn runaway_work_hits_a_named_limit() {
    let dense = complete_graph(12);
    let wide = "UNWIND range(1, 2000) AS i CREATE (:N);\n";
    let cases = vec![
        case_with(
            "var-length on a dense graph: expansions",
            format!("{dense}MATCH p = (:N)-[*]->(:N) RETURN count(p) AS n;"),
            &["--max-expansions", "100000"],
            err("LimitExceeded: TooManyExpansions"),
        ),
        case_with(
            "var-length on a dense graph: timeout",
            format!("{dense}MATCH p = (:N)-[*]->(:N) RETURN count(p) AS n;"),
            &["--timeout", "1"],
            err("LimitExceeded: Timeout"),
        ),
        case(
            "var-length on a dense graph: default limit",
            format!("{dense}MATCH p = (:N)-[*1..4]->(:N) RETURN count(p) AS n;"),
            ok("189024"),
        ),
        case_with(
            "cartesian product: timeout",
            format!("{wide}MATCH (a), (b), (c) RETURN count(*) AS n;"),
            &["--timeout", "1"],
            err("--timeout"),
        ),
        case_with(
            "cartesian product sorted: memory",
            format!("{wide}MATCH (a), (b) RETURN a, b ORDER BY id(b) DESC;"),
            &["--max-memory", "16M"],
            err("LimitExceeded: MemoryLimitExceeded"),
        ),
        case_with(
            "cartesian product collected: memory",
            format!("{wide}MATCH (a), (b) RETURN size(collect([a, b])) AS n;"),
            &["--max-memory", "16M"],
            err("--max-memory"),
        ),
        case_with(
            "cartesian product distinct: memory",
            format!("{wide}MATCH (a), (b) RETURN DISTINCT id(a) * 10000 + id(b) AS n;"),
            &["--max-memory", "16M"],
            err("MemoryLimitExceeded"),
        ),
        case_with(
            "cartesian product top-k past i64: memory",
            format!("{wide}MATCH (a), (b) RETURN id(a) AS x ORDER BY x LIMIT 9223372036854775807;"),
            &["--max-memory", "16M"],
            err("MemoryLimitExceeded"),
        ),
        case(
            "string doubling",
            "RETURN size(reduce(s = 'x', i IN range(1, 64) | s + s)) AS n;",
            err("LimitExceeded: ValueTooLarge"),
        ),
        case(
            "list doubling",
            "RETURN size(reduce(l = [1], i IN range(1, 64) | l + l)) AS n;",
            err("--max-value-size"),
        ),
        case(
            "nested list doubling",
            "RETURN size(reduce(l = [1], i IN range(1, 64) | [l, l])) AS n;",
            err("ValueTooLarge"),
        ),
        case_with(
            "comprehension growth",
            "RETURN size([i IN range(1, 10000000) | 'some text ' + toString(i)]) AS n;",
            &["--max-value-size", "1M"],
            err("ValueTooLarge"),
        ),
        case(
            "huge range",
            "RETURN size(range(1, 100000000000)) AS n;",
            err("LimitExceeded"),
        ),
        case(
            "LIMIT at i64",
            "UNWIND [1, 2, 3] AS x RETURN x LIMIT 9223372036854775807;",
            ok("3 rows"),
        ),
        case(
            "ORDER BY … LIMIT at i64",
            "UNWIND [3, 1, 2] AS x RETURN x ORDER BY x SKIP 1 LIMIT 9223372036854775807;",
            ok("2 rows"),
        ),
        case(
            "SKIP at i64",
            "UNWIND [1, 2, 3] AS x RETURN x SKIP 9223372036854775807;",
            ok("0 rows"),
        ),
        case(
            "LIMIT past i64",
            "UNWIND [1] AS x RETURN x LIMIT 9223372036854775808;",
            err("SyntaxError: IntegerOverflow"),
        ),
        case(
            "negative LIMIT",
            "UNWIND [1] AS x RETURN x LIMIT -1;",
            err("NegativeIntegerArgument"),
        ),
        case_with(
            "100k statements",
            "CREATE ();\n".repeat(100_000) + "MATCH (n) RETURN count(n) AS n;",
            &["--format", "csv"],
            ok("n\n100000\n"),
        ),
        case_with(
            "100k columns",
            format!(
                "RETURN {};",
                (0..100_000)
                    .map(|i| format!("{i} AS c{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &["--format", "csv"],
            ok("99999"),
        ),
    ];
    run_cases(cases);
}

#[test]
fn environment_failures_are_clear_errors() {
    let scratch = Scratch::new();
    let dir = scratch.path().to_str().expect("a UTF-8 path");
    let script = scratch.file("ok.kgq", "UNWIND range(1, 200000) AS i RETURN i;");
    let script = script.to_str().expect("a UTF-8 path");
    let mut failures = Vec::new();
    let mut expect = |name: &str, outcome: harness::Outcome, e: Expect| {
        if let Some(f) = harness::check(name, &outcome, &e) {
            failures.push(f);
        }
    };
    expect("directory as script", run(&["run", dir]), err("IoError"));
    expect(
        "directory as graph",
        run(&["query", "RETURN 1", "-g", dir]),
        err("IoError"),
    );
    expect(
        "/dev/zero as script",
        run(&["run", "/dev/zero"]),
        err("IoError"),
    );
    expect(
        "/dev/zero as graph",
        run(&["query", "RETURN 1", "-g", "/dev/zero"]),
        err("IoError"),
    );
    expect(
        "missing file",
        run(&["run", "/nonexistent/kgq/script"]),
        err("IoError"),
    );
    expect(
        "missing parameter",
        run(&["query", "RETURN $nope AS x"]),
        err("ParameterMissing"),
    );

    // stdout on /dev/full.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    if let Ok(full) = full {
        let child = harness::command(&["run", script])
            .stdout(Stdio::from(full))
            .spawn()
            .expect("kgq starts");
        let outcome = harness::wait(child, harness::WALL);
        expect(
            "stdout on /dev/full",
            outcome,
            err("cannot write the output"),
        );
    }

    // stdout closed after the first line (`| head -1`).
    let mut child = harness::command(&["run", script])
        .spawn()
        .expect("kgq starts");
    let mut first = [0u8; 64];
    let _ = child
        .stdout
        .as_mut()
        .expect("stdout is piped")
        .read(&mut first);
    drop(child.stdout.take());
    let outcome = harness::wait(child, harness::WALL);
    expect("stdout closed early", outcome, Expect::Ok(String::new()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ctrl_c_cancels_the_statement_and_keeps_the_graph() {
    let scratch = Scratch::new();
    let store = scratch.path().join("g.kgq");
    let store = store.to_str().expect("a UTF-8 path");
    let created = run(&[
        "query",
        "UNWIND range(1, 2000) AS i CREATE (:N {i: i})",
        "--save",
        store,
    ]);
    assert_eq!(created.code, Some(0), "{created:?}");
    let count = || {
        run(&[
            "query",
            "MATCH (n) RETURN count(n) AS n",
            "-g",
            store,
            "--format",
            "csv",
        ])
    };
    let before = count();
    assert_eq!(before.code, Some(0), "{before:?}");
    // A statement that writes, then runs for ever; Ctrl-C must stop it and
    // roll the write back.
    let child = harness::command(&[
        "query",
        "CREATE (:Extra) WITH 1 AS one MATCH (a), (b), (c) RETURN count(*) AS n",
        "-g",
        store,
    ])
    .spawn()
    .expect("kgq starts");
    std::thread::sleep(Duration::from_millis(1500));
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let outcome = harness::wait(child, Duration::from_secs(10));
    // 130 = 128 + SIGINT, as shells report an interrupted command.
    assert_eq!(outcome.code, Some(130), "{outcome:?}");
    assert!(
        outcome.stderr.contains("LimitExceeded: Cancelled"),
        "{outcome:?}"
    );
    assert!(outcome.elapsed < Duration::from_secs(5), "{outcome:?}");
    let after = count();
    assert_eq!(after.stdout, before.stdout, "{after:?}");
}

#[test]
fn grammar_has_no_exponential_backtracking() {
    // A hang guard, not a speed test: each input would take hours with
    // exponential backtracking and takes milliseconds without.
    let mut cases = Vec::new();
    for n in [30, 150] {
        cases.push(case(
            format!("{n} unclosed parens mixing patterns and expressions"),
            format!("MATCH {}", "((a)-[:T]->(".repeat(n / 3)),
            err("SyntaxError"),
        ));
        cases.push(case(
            format!("{n} unclosed ( in RETURN"),
            format!("RETURN {}", "(a, (b".repeat(n / 2)),
            err("SyntaxError"),
        ));
        cases.push(case(
            format!("{n} unclosed [ and {{"),
            format!("RETURN {}", "[{a: [".repeat(n / 3)),
            err("SyntaxError"),
        ));
        cases.push(case(
            format!("{n} ambiguous patterns in WHERE"),
            format!("MATCH (n) WHERE {} RETURN n", "(n)-->(".repeat(n)),
            err("SyntaxError"),
        ));
        cases.push(case(
            format!("{n} unbalanced pattern comprehensions"),
            format!("RETURN {}", "[(a)-->(b) WHERE [(c)--(".repeat(n / 4)),
            err("SyntaxError"),
        ));
    }
    run_cases(cases);
}
