//! Differential tests of the batch path for a label scan feeding an
//! aggregation (issue 16, `exec::batch`): with fast paths on, a query
//! must give the row engine's rows (same order, same values, same
//! errors) on graphs that hit every condition the path checks: key and
//! value columns of every type and of mixed types, absent properties,
//! nodes in several label sets, deleted and relabelled nodes (tables out
//! of id order), integer overflow, NaN and mixed integer/float input, on
//! one thread and on two (where the row engine aggregates in morsels).

use proptest::prelude::*;

use engines::{rows, session_with};
use kgq::Session;

mod engines;

/// Runs `query` with fast paths on and off, on one and two threads, and
/// checks they agree; returns the rows.
fn agree(session: &mut Session, query: &str) -> Result<Vec<String>, String> {
    let mut first = None;
    for threads in [1, 2] {
        session.set_threads(threads);
        session.set_fast_paths(true);
        let fast = rows(session, query);
        session.set_fast_paths(false);
        let row_engine = rows(session, query);
        session.set_fast_paths(true);
        assert_eq!(fast, row_engine, "{query} on {threads} thread(s)");
        first.get_or_insert(fast);
    }
    first.unwrap_or_else(|| Ok(Vec::new()))
}

/// A value for a key property: mostly strings, sometimes other types.
fn key_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["'x'", "'y'", "'z'", "''"]).prop_map(str::to_string),
        1 => (0i64..3).prop_map(|i| i.to_string()),
        1 => Just("true".to_string()),
        1 => Just("1.0".to_string()),
        2 => Just(String::new()),
    ]
}

/// A value for a numeric property: mostly integers, sometimes floats,
/// NaN, huge integers, strings or nothing.
fn num_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (-5i64..20).prop_map(|i| i.to_string()),
        2 => (-5i64..20).prop_map(|i| format!("{i}.25")),
        1 => Just("0.0 / 0.0".to_string()),
        1 => Just("9223372036854775800".to_string()),
        1 => Just("-0.0".to_string()),
        1 => Just("'s'".to_string()),
        2 => Just(String::new()),
    ]
}

/// Nodes with labels from A, B, A:B or none and properties `k` and `v`,
/// then deletions, relabellings and property changes.
fn graph_script() -> impl Strategy<Value = String> {
    let node = (0..4u8, key_value(), num_value());
    let change = prop_oneof![
        (0..20u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} DETACH DELETE n")),
        (0..20u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} SET n:A")),
        (0..20u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} REMOVE n:A")),
        (0..20u32, num_value()).prop_map(|(i, v)| {
            let v = if v.is_empty() { "null".to_string() } else { v };
            format!("MATCH (n) WHERE id(n) = {i} SET n.v = {v}")
        }),
        (0..4u8).prop_map(|l| format!("CREATE ({} {{k: 'late', v: 7}})", label(l))),
    ];
    (
        prop::collection::vec(node, 1..20),
        prop::collection::vec(change, 0..6),
    )
        .prop_map(|(nodes, changes)| {
            let mut script = String::new();
            for (labels, k, v) in nodes {
                let mut props = Vec::new();
                if !k.is_empty() {
                    props.push(format!("k: {k}"));
                }
                if !v.is_empty() {
                    props.push(format!("v: {v}"));
                }
                script.push_str(&format!(
                    "CREATE ({} {{{}}});\n",
                    label(labels),
                    props.join(", ")
                ));
            }
            for change in changes {
                script.push_str(&change);
                script.push_str(";\n");
            }
            script
        })
}

fn label(l: u8) -> &'static str {
    ["", ":A", ":B", ":A:B"][l as usize]
}

/// Queries of the batch shape (and a few just outside it).
fn query() -> impl Strategy<Value = String> {
    let filter = prop_oneof![
        Just(""),
        Just(" WHERE n.v > 2"),
        Just(" WHERE n.v < 10 AND n.k <> 'y'"),
        Just(" WHERE n:B"),
        Just(" WHERE n.v + 1 > 0"),
        Just(" WHERE n.k STARTS WITH 'x' OR n.v IS NULL"),
    ];
    let key = prop_oneof![Just(""), Just("n.k AS k, "), Just("n.v AS k, ")];
    let aggregates = prop_oneof![
        Just("count(*) AS c"),
        Just("count(n.v) AS c, sum(n.v) AS s"),
        Just("avg(n.v) AS a, min(n.v) AS lo, max(n.v) AS hi"),
        Just("count(n) AS c, max(n.k) AS m"),
        Just("sum(n.v) AS s, count(DISTINCT n.v) AS d"),
        Just("collect(n.v) AS vs"),
    ];
    let scan = prop_oneof![
        Just("MATCH (n:A)"),
        Just("MATCH (n:A:B)"),
        Just("MATCH (n:B)")
    ];
    (scan, filter, key, aggregates).prop_map(|(s, f, k, a)| format!("{s}{f} RETURN {k}{a}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn batch_path_and_row_engine_agree(script in graph_script(), query in query()) {
        let mut session = session_with(&script);
        // `agree` asserts; the rows or error themselves may be anything.
        let _ = agree(&mut session, &query);
    }
}

/// A graph of `n` products in 7 categories with integer and float units,
/// big enough for the row engine to aggregate in morsels on two threads.
fn products(n: usize) -> Session {
    session_with(&format!(
        "UNWIND range(0, {}) AS i CREATE (:Product {{id: i, category: 'c' + toString(i % 7), \
         units: i * 3, price: toFloat(i) / 7.0, flag: i % 2 = 0, tier: i % 3}});",
        n - 1
    ))
}

const BIG: usize = 10_000;

#[test]
fn grouped_sums_over_morsels_agree() {
    let mut session = products(BIG);
    let q = "MATCH (p:Product) RETURN p.category AS c, count(*) AS n, sum(p.units) AS s, \
             max(p.units) AS m, sum(p.price) AS f, avg(p.price) AS a, min(p.price) AS lo";
    let out = agree(&mut session, q).unwrap();
    assert_eq!(out.len(), 7);
    assert!(
        out[0].starts_with("[String(\"c0\"), Int(1429), Int("),
        "{out:?}"
    );
    for q in [
        "MATCH (p:Product) WHERE p.units > 300 AND p.price < 1000.0 \
         RETURN p.tier AS t, count(*) AS n, sum(p.price) AS f",
        "MATCH (p:Product) RETURN p.flag AS t, avg(p.units) AS a, count(p.price) AS n",
        "MATCH (p:Product) RETURN sum(p.price) AS f, count(*) AS n",
        "MATCH (p:Product) WHERE p.id % 1000 = 999 RETURN p.category AS c, sum(p.units) AS s",
        "UNWIND [1, 2] AS x MATCH (p:Product) WHERE p.id < x * 5000 \
         RETURN p.category AS c, sum(p.price) AS f",
    ] {
        agree(&mut session, q).unwrap();
    }
}

#[test]
fn deleted_and_relabelled_nodes_keep_the_scan_order() {
    let mut session = products(BIG);
    session
        .run_script(
            "MATCH (p:Product) WHERE p.id % 97 = 3 DETACH DELETE p;\n\
             MATCH (p:Product) WHERE p.id % 89 = 5 SET p:Hot;\n\
             UNWIND range(1, 50) AS i CREATE (:Product:Hot {category: 'late', units: i, price: 0.1});",
        )
        .unwrap();
    for q in [
        "MATCH (p:Product) RETURN p.category AS c, count(*) AS n, sum(p.price) AS f",
        "MATCH (p:Product) WHERE p.units % 2 = 0 RETURN p.category AS c, sum(p.price) AS f",
        "MATCH (p:Hot) RETURN p.category AS c, sum(p.price) AS f, max(p.units) AS m",
    ] {
        agree(&mut session, q).unwrap();
    }
}

#[test]
fn integer_overflow_is_raised_as_by_the_row_engine() {
    let mut session = products(BIG);
    session
        .run("MATCH (p:Product) WHERE p.id = 5000 SET p.units = 9223372036854775000")
        .unwrap();
    let out = agree(
        &mut session,
        "MATCH (p:Product) RETURN p.category AS c, sum(p.units) AS s",
    );
    assert!(out.unwrap_err().contains("overflow"));
    // Overflow on a running sum that comes back into range still fails.
    let mut small =
        session_with("CREATE (:N {v: 9223372036854775807}), (:N {v: 1}), (:N {v: -10});");
    let out = agree(&mut small, "MATCH (n:N) RETURN sum(n.v) AS s");
    assert!(out.unwrap_err().contains("overflow"));
}

#[test]
fn a_filter_error_comes_after_the_rows_before_it() {
    let mut session = session_with(
        "CREATE (:N {v: 9223372036854775807, w: 1}), (:N {v: 1, w: 1}), (:N {v: 1, w: 'x'});",
    );
    // The overflow (row 2) comes before the filter's type error (row 3).
    let out = agree(
        &mut session,
        "MATCH (n:N) WHERE n.w * 2 > 0 RETURN sum(n.v) AS s",
    );
    assert!(out.unwrap_err().contains("overflow"));
    let out = agree(
        &mut session,
        "MATCH (n:N) WHERE n.w * 2 > 0 RETURN count(*) AS c",
    );
    assert!(out.is_err());
}

#[test]
fn nan_mixed_numbers_and_absent_values_aggregate_as_the_row_engine() {
    let mut session = session_with(
        "CREATE (:N {k: 'a', v: 1}), (:N {k: 'a'}), (:N {k: 'b', v: 2.5});\n\
         CREATE (:N:M {k: 'a', v: 0.0 / 0.0}), (:N:M {v: 3}), (:N:M {k: 'b', v: -0.0});\n\
         CREATE (:N {k: 7, v: 4}), (:N {k: true, v: 5});",
    );
    for q in [
        "MATCH (n:N) RETURN n.k AS k, count(*) AS c, count(n.v) AS cv, sum(n.v) AS s, \
         avg(n.v) AS a, min(n.v) AS lo, max(n.v) AS hi",
        "MATCH (n:N) WHERE n.v >= 0 RETURN n.k AS k, sum(n.v) AS s",
        "MATCH (n:M) RETURN count(*) AS c, sum(n.v) AS s",
        "MATCH (n:Absent) RETURN count(*) AS c, sum(n.v) AS s, max(n.v) AS m",
        "MATCH (n:Absent) RETURN n.k AS k, count(*) AS c",
    ] {
        agree(&mut session, q).unwrap();
    }
}

#[test]
fn date_filters_select_as_the_row_engine() {
    let mut session = session_with(
        "UNWIND range(0, 399) AS i CREATE (:M {kind: 'k' + toString(i % 5), severity: i % 6, \
         announced: date('2023-06-01') + duration({days: i * 2})});\n\
         CREATE (:M {kind: 'odd', severity: 2, announced: '2024-05-05'}), (:M {kind: 'none'});",
    );
    for q in [
        "MATCH (m:M) WHERE m.announced >= date('2024-01-01') AND m.announced <= date('2024-12-31') \
         RETURN m.kind AS kind, count(*) AS measures, avg(m.severity) AS avg_severity",
        "MATCH (m:M) WHERE m.announced < date('2024-01-01') OR m.severity > 4 \
         RETURN m.kind AS kind, sum(m.severity) AS s",
        "MATCH (m:M) WHERE m.severity * 2 > 3 AND m.announced > date('2023-12-01') \
         RETURN m.kind AS kind, count(*) AS c",
    ] {
        let out = agree(&mut session, q).unwrap();
        assert!(!out.is_empty(), "{q}");
    }
}
