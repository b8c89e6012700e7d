//! Parallel (morsel) aggregation against the single-threaded engine: a
//! label scan of several morsels feeding an aggregation gives the same
//! rows in the same order, and the same error, on two threads as on one.

use kgq::Session;

/// 12,000 `:P` nodes (three morsels) in 7 categories, each `MAKES` one
/// `:Q` node; one `:P` node near the end has a string where the others
/// have an integer `bad`.
fn session() -> Session {
    let mut session = Session::new();
    session
        .run_script(
            "UNWIND range(0, 11999) AS i
             CREATE (:P {i: i, cat: 'c' + toString(i % 7), u: i % 100, f: toFloat(i % 13) / 4.0,
                         bad: CASE WHEN i = 11000 THEN 'x' ELSE i END})
                    -[:MAKES {w: i % 3}]->(:Q {k: i % 5});",
        )
        .expect("the graph script runs");
    session
}

fn rows(session: &mut Session, threads: usize, query: &str) -> Result<Vec<String>, String> {
    session.set_threads(threads);
    session
        .run(query)
        .map(|r| r.rows.iter().map(|row| format!("{row:?}")).collect())
        .map_err(|e| format!("{}: {}", e.code, e.message))
}

const QUERIES: &[&str] = &[
    "MATCH (p:P) RETURN p.cat AS cat, count(*) AS n, sum(p.u) AS s, max(p.u) AS mx, min(p.f) AS mn, avg(p.u) AS a",
    "MATCH (p:P) WHERE p.u >= 40 AND p.u < 60 RETURN p.cat AS cat, count(p) AS n, collect(p.i)[0..3] AS first",
    "MATCH (p:P)-[r:MAKES]->(q:Q) WHERE r.w = 1 RETURN q.k AS k, p.cat AS cat, sum(p.u) AS s",
    "MATCH (p:P)-[:MAKES]->(q:Q) RETURN p AS p, sum(q.k) AS s",
    "MATCH (p:P) RETURN count(*) AS n, sum(p.f) AS f, percentileDisc(p.u, 0.5) AS median",
    "MATCH (p:P) WHERE p.i < 0 RETURN count(*) AS n, sum(p.u) AS s",
    "MATCH (p:P)-[:MAKES]->(q:Q) RETURN p.cat AS cat, count(DISTINCT q.k) AS dk, count(DISTINCT p) AS dp",
    "MATCH (p:P) RETURN p.u % 3 AS m, count(DISTINCT p.cat) AS cats",
    "MATCH (p:P) WHERE EXISTS { MATCH (p)-[:MAKES]->(q:Q) WHERE q.k = 1 } RETURN p.cat AS cat, count(*) AS n",
];

#[test]
fn two_threads_give_the_rows_of_one() {
    let mut session = session();
    for query in QUERIES {
        let one = rows(&mut session, 1, query);
        let two = rows(&mut session, 2, query);
        let one_rows = one.as_ref().expect("the query runs");
        assert!(!one_rows.is_empty(), "{query}");
        assert_eq!(one, two, "{query}");
    }
}

#[test]
fn grouped_counts_match_a_count_by_hand() {
    let mut session = session();
    let got = rows(
        &mut session,
        2,
        "MATCH (p:P) RETURN p.cat AS cat, count(*) AS n",
    )
    .expect("the query runs");
    // Categories in first-seen order c0..c6; 12000 = 7 * 1714 + 2.
    let want: Vec<String> = (0..7)
        .map(|c| {
            let n = 1714 + i64::from(c < 2);
            format!("[String(\"c{c}\"), Int({n})]")
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn the_error_is_the_one_of_the_first_failing_row() {
    let mut session = session();
    let query = "MATCH (p:P) RETURN p.cat AS cat, sum(p.bad) AS s";
    let one = rows(&mut session, 1, query);
    let two = rows(&mut session, 2, query);
    assert!(one.is_err(), "sum over a string fails");
    assert_eq!(one, two);
}
