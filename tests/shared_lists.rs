//! A list held in a variable and read again after `UNWIND` is shared by the
//! rows, not copied into each (issue 17): the work is linear in the list's
//! length and a buffer counts the shared list once against --max-memory.

mod common;

use common::run;
use kgq::{Session, Value};

#[test]
fn unwound_rows_share_the_list_they_read_again() {
    let mut session = Session::new();
    let result = session
        .run("WITH range(1, 5) AS xs UNWIND xs AS x RETURN x, xs")
        .expect("runs");
    assert_eq!(result.rows.len(), 5);
    let lists: Vec<&kgq::value::List> = result
        .rows
        .iter()
        .map(|row| match &row[1] {
            Value::List(l) => l,
            other => panic!("not a list: {other:?}"),
        })
        .collect();
    assert_eq!(*lists[0], (1..=5).map(Value::Int).collect::<Vec<_>>());
    assert!(
        lists.iter().all(|l| l.shares(lists[0])),
        "each row has its own copy"
    );
}

#[test]
fn writing_to_a_shared_list_copies_it_first() {
    let mut a: kgq::value::List = vec![Value::Int(1), Value::Int(2)].into();
    let b = a.clone();
    assert!(a.shares(&b));
    a.push(Value::Int(3));
    assert!(!a.shares(&b));
    assert_eq!(b.len(), 2);
    assert_eq!(a.len(), 3);
}

#[test]
fn a_shared_list_counts_once_against_the_memory_limit() {
    // A sort of 40,000 rows that each hold the 40,000-element list: counted
    // per row this needs tens of GiB; counted once, a few MiB.
    let (code, stdout, stderr) = run(&[
        "query",
        "--max-memory",
        "16M",
        "-f",
        "csv",
        "WITH range(1, 40000) AS xs UNWIND xs AS x WITH x, xs ORDER BY x DESC \
         RETURN x, size(xs) AS n, xs[x - 1] AS y",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 40_001);
    assert_eq!(
        lines[..3],
        ["x,n,y", "40000,40000,40000", "39999,40000,39999"]
    );
    assert_eq!(lines.last(), Some(&"1,40000,1"));
    // A list made for each row is that row's own and still counts in full
    // (40,000 rows of 200 elements: more than 16 MiB).
    let (code, _, stderr) = run(&[
        "query",
        "--max-memory",
        "16M",
        "-f",
        "csv",
        "UNWIND range(1, 40000) AS x WITH x, [i IN range(1, 200) | i * x] AS xs \
         ORDER BY x DESC RETURN x, size(xs) AS n",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("MemoryLimitExceeded"), "{stderr}");
}

#[test]
fn unwinding_a_list_variable_read_again_is_linear() {
    // Quadratic work (a copy of the list per row) would need hours here;
    // the time limit turns such a regression into a failure, not a hang.
    let (code, stdout, stderr) = run(&[
        "query",
        "--timeout",
        "120",
        "-f",
        "csv",
        "WITH range(1, 300000) AS xs UNWIND xs AS x RETURN sum(x + size(xs)) AS s",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "s\n135000150000\n");
}
