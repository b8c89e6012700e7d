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
                script.push_str(&create_node(labels, &k, &v));
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

/// A statement creating a node with labels `labels` and the properties
/// `k` and `v` (each left out when its literal is empty).
fn create_node(labels: u8, k: &str, v: &str) -> String {
    let mut props = Vec::new();
    if !k.is_empty() {
        props.push(format!("k: {k}"));
    }
    if !v.is_empty() {
        props.push(format!("v: {v}"));
    }
    format!("CREATE ({} {{{}}});\n", label(labels), props.join(", "))
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

// ---------------------------------------------------------------------------
// One expansion between the scan and the aggregation (Q7's shape).

/// Nodes as in [`graph_script`], relationships of types T and U between
/// them (self-loops and parallel ones included), then deletions of nodes
/// and relationships, relabellings and property changes.
fn linked_script() -> impl Strategy<Value = String> {
    (0..3u8).prop_flat_map(linked_script_of)
}

/// A value for `v` in a graph of number kind `kind`: integers only (so
/// that columns stay typed and the batch path runs), floats only, or
/// anything [`num_value`] gives (mixed columns: the path falls back).
fn linked_num(kind: u8) -> BoxedStrategy<String> {
    match kind {
        0 => prop_oneof![
            6 => (-5i64..20).prop_map(|i| i.to_string()),
            1 => Just("9223372036854775800".to_string()),
            2 => Just(String::new()),
        ]
        .boxed(),
        1 => prop_oneof![
            6 => (-5i64..20).prop_map(|i| format!("{i}.25")),
            1 => Just("0.0 / 0.0".to_string()),
            1 => Just("-0.0".to_string()),
            1 => Just("1.0e308".to_string()),
            2 => Just(String::new()),
        ]
        .boxed(),
        _ => num_value().boxed(),
    }
}

/// [`linked_script`] for one number kind.
fn linked_script_of(kind: u8) -> impl Strategy<Value = String> {
    let node = (0..4u8, key_value(), linked_num(kind));
    let rel = (0..16u32, 0..16u32, prop::bool::ANY);
    let change = prop_oneof![
        (0..16u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} DETACH DELETE n")),
        (0..16u32).prop_map(|i| format!("MATCH ()-[r]->() WHERE id(r) = {i} DELETE r")),
        (0..16u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} SET n:B")),
        (0..16u32).prop_map(|i| format!("MATCH (n) WHERE id(n) = {i} REMOVE n:A")),
        (0..16u32, linked_num(kind)).prop_map(|(i, v)| {
            let v = if v.is_empty() { "null".to_string() } else { v };
            format!("MATCH (n) WHERE id(n) = {i} SET n.v = {v}")
        }),
    ];
    (
        prop::collection::vec(node, 1..16),
        prop::collection::vec(rel, 0..40),
        prop::collection::vec(change, 0..5),
    )
        .prop_map(|(nodes, rels, changes)| {
            let mut script = String::new();
            let count = nodes.len() as u32;
            for (labels, k, v) in nodes {
                script.push_str(&create_node(labels, &k, &v));
            }
            for (a, b, t) in rels {
                let (a, b) = (a % count, b % count);
                let t = if t { "T" } else { "U" };
                script.push_str(&format!(
                    "MATCH (a), (b) WHERE id(a) = {a} AND id(b) = {b} CREATE (a)-[:{t}]->(b);\n"
                ));
            }
            for change in changes {
                script.push_str(&change);
                script.push_str(";\n");
            }
            script
        })
}

/// Queries of the expanding batch shape (and a few just outside it).
fn linked_query() -> impl Strategy<Value = String> {
    let scan = prop_oneof![
        Just("MATCH (n:A)"),
        Just("MATCH (n:A:B)"),
        Just("MATCH (n:B)")
    ];
    let hop = prop_oneof![
        Just("-[r:T]->(m)"),
        Just("<-[r:T|U]-(m:B)"),
        Just("-[r]-(m)"),
        Just("-[r:U]->(m:A:B)"),
        Just("-[r:T|T]->(m:A)"),
    ];
    let filter = prop_oneof![
        Just(""),
        Just(" WHERE m.v > 2"),
        Just(" WHERE n.v < 10 AND m.k <> 'y'"),
        Just(" WHERE m:B"),
        Just(" WHERE m.v + n.v > 0"),
        Just(" WHERE m.k STARTS WITH 'x' OR m.v IS NULL"),
        Just(" WHERE id(m) <> id(n)"),
    ];
    let key = prop_oneof![Just(""), Just("n.k AS k, "), Just("n.v AS k, ")];
    let aggregates = prop_oneof![
        Just("count(*) AS c"),
        Just("count(m.v) AS c, sum(m.v) AS s"),
        Just("avg(m.v) AS a, min(n.v) AS lo, max(m.v) AS hi"),
        Just("count(m) AS c, count(r) AS cr, sum(n.v) AS s"),
        Just("min(m.v) AS lo, avg(n.v) AS a, count(m.k) AS ck"),
        Just("sum(m.v) AS s, count(DISTINCT m) AS d"),
        Just("m.k AS mk, count(*) AS c"),
    ];
    (scan, hop, filter, key, aggregates)
        .prop_map(|(s, h, f, k, a)| format!("{s}{h}{f} RETURN {k}{a}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn expanding_batch_path_and_row_engine_agree(
        script in linked_script(),
        query in linked_query(),
    ) {
        let mut session = session_with(&script);
        // `agree` asserts; the rows or error themselves may be anything.
        let _ = agree(&mut session, &query);
    }
}

/// `companies` companies named from a pool of `names`, each making
/// `i % 5` products (some none) with integer units and float prices,
/// enough for the row engine to aggregate in morsels on two threads.
fn makers(companies: usize, names: usize) -> Session {
    session_with(&format!(
        "UNWIND range(0, {last}) AS i CREATE (c:Company {{id: i, name: 'c' + toString(i % {names})}}) \
         WITH c, i UNWIND range(1, i % 5) AS j \
         CREATE (c)-[:MAKES]->(:Product {{units: i * j, price: toFloat(i) / (j * 7.0), \
         tag: CASE WHEN j = 2 THEN null ELSE 'p' END}});",
        last = companies - 1
    ))
}

#[test]
fn q7_groups_sums_and_order_agree_over_morsels() {
    let mut session = makers(3000, 1200);
    let q7 = "MATCH (c:Company)-[:MAKES]->(p:Product) \
              RETURN c.name AS company, sum(p.units) AS units ORDER BY units DESC, company LIMIT 10";
    let top = agree(&mut session, q7).unwrap();
    assert_eq!(top.len(), 10);
    for q in [
        // Every group in first-seen order, float sums that depend on order.
        "MATCH (c:Company)-[:MAKES]->(p:Product) RETURN c.name AS company, count(*) AS n, \
         sum(p.price) AS f, avg(p.price) AS a, min(p.units) AS lo, max(p.price) AS hi",
        "MATCH (c:Company)-[:MAKES]->(p:Product) WHERE p.units % 3 = 1 AND c.id > 100 \
         RETURN c.name AS company, count(p.tag) AS tagged, sum(c.id) AS ids",
        "MATCH (p:Product)<-[:MAKES]-(c:Company) RETURN count(*) AS n, sum(p.price) AS f",
        "MATCH (c:Company)-[r:MAKES]-(p) RETURN c.id % 7 AS k, count(r) AS n",
    ] {
        let out = agree(&mut session, q).unwrap();
        assert!(!out.is_empty(), "{q}");
    }
}

#[test]
fn a_node_with_no_accepted_neighbour_makes_no_group() {
    let mut session = session_with(
        "CREATE (:C {k: 'lonely'}), (a:C {k: 'a'})-[:T]->(:P {v: 1}), (a)-[:T]->(:Q {v: 2}), \
         (:C {k: 'only q'})-[:T]->(:Q {v: 3});",
    );
    let out = agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p:P) RETURN c.k AS k, count(*) AS n, sum(p.v) AS s",
    )
    .unwrap();
    assert_eq!(out, ["[String(\"a\"), Int(1), Int(1)]"]);
    let out = agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p) WHERE p.v > 5 RETURN count(*) AS n, sum(p.v) AS s",
    )
    .unwrap();
    assert_eq!(out, ["[Int(0), Int(0)]"]);
}

#[test]
fn self_loops_parallel_relationships_and_deleted_nodes_agree() {
    let mut session = session_with(
        "CREATE (a:C {k: 'a', v: 1.5}), (b:C:P {k: 'b', v: 2.5}), (p:P {v: 4.0}), (q:P {v: 0.0 / 0.0});\n\
         MATCH (a:C {k: 'a'}), (p:P {v: 4.0}) CREATE (a)-[:T]->(p), (a)-[:T]->(p), (p)-[:T]->(a);\n\
         MATCH (b:C {k: 'b'}), (a:C {k: 'a'}) CREATE (b)-[:T]->(b), (b)-[:U]->(a), (b)-[:T]->(a);\n\
         MATCH (b:C {k: 'b'}), (q:P) WHERE q.v <> q.v CREATE (b)-[:T]->(q);\n\
         CREATE (d:P {v: 8.0}) WITH d MATCH (a:C {k: 'a'}) CREATE (a)-[:T]->(d) WITH d DETACH DELETE d;",
    );
    for q in [
        "MATCH (c:C)-[:T]->(p) RETURN c.k AS k, count(*) AS n, sum(p.v) AS s, max(p.v) AS m",
        "MATCH (c:C)-[:T|U]-(p) RETURN c.k AS k, count(*) AS n, avg(p.v) AS a, min(p.v) AS lo",
        "MATCH (c:C)<-[r]-(p:C) RETURN c.k AS k, count(r) AS n, sum(c.v) AS s",
        "MATCH (c:P)-[:T]-(x) RETURN c.k AS k, count(x) AS n, sum(x.v) AS s",
    ] {
        agree(&mut session, q).unwrap();
    }
    // With an integer among the floats the column is mixed: the same
    // queries fall back to the row engine and still agree.
    session.run("MATCH (p:P {v: 4.0}) SET p.v = 4").unwrap();
    agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p) RETURN c.k AS k, count(*) AS n, sum(p.v) AS s",
    )
    .unwrap();
}

#[test]
fn overflow_and_filter_errors_after_an_expansion_agree() {
    let mut session = session_with(
        "CREATE (c:C {k: 'a'})-[:T]->(:P {v: 9223372036854775807, w: 1}), \
         (c)-[:T]->(:P {v: 1, w: 1}), (c)-[:T]->(:P {v: 1, w: 'x'}), \
         (:C {k: 'b'})-[:T]->(:P {v: 2, w: 2});",
    );
    // The overflow (second product) comes before the type error (third).
    let out = agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p:P) WHERE p.w * 2 > 0 RETURN c.k AS k, sum(p.v) AS s",
    );
    assert!(out.unwrap_err().contains("overflow"));
    let out = agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p:P) WHERE p.w * 2 > 0 RETURN c.k AS k, count(*) AS n",
    );
    assert!(!out.unwrap_err().contains("overflow"));
    // Mixed-type columns on the node reached fall back and agree.
    session
        .run("MATCH (p:P {w: 'x'}) SET p.v = 'text'")
        .unwrap();
    let out = agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p:P) RETURN c.k AS k, sum(p.v) AS s",
    );
    assert!(out.is_err());
    agree(
        &mut session,
        "MATCH (c:C)-[:T]->(p:P) RETURN c.k AS k, count(p.v) AS s",
    )
    .unwrap();
}
