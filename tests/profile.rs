//! PROFILE shows the engine path each operator ran on: a fast-path
//! segment is timed as one operator at its last step, its other steps are
//! marked as run inside it, and with fast paths off every step has rows
//! of its own.

use engines::{rows, session_with};

mod engines;

const GRAPH: &str = "
UNWIND range(1, 40) AS i CREATE (:Company {name: 'c' + toString(i % 7), i: i});
UNWIND range(1, 60) AS i CREATE (:Product {name: 'p' + toString(i), units: i});
MATCH (c:Company), (p:Product) WHERE p.units % 10 = c.i % 10 CREATE (c)-[:MAKES]->(p);
";

/// The PROFILE text of `query`, fast paths on or off; asserts that
/// profiling leaves the rows as they are.
fn profile(query: &str, fast: bool) -> String {
    let mut session = session_with(GRAPH);
    session.set_fast_paths(fast);
    let plain = rows(&mut session, query);
    let result = session
        .run(&format!("PROFILE {query}"))
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    let profiled: Vec<String> = result.rows.iter().map(|r| format!("{r:?}")).collect();
    assert_eq!(plain, Ok(profiled), "{query}");
    result.plan.unwrap_or_else(|| panic!("no plan for {query}"))
}

/// The line of `text` that starts with `operator`.
fn line<'t>(text: &'t str, operator: &str) -> &'t str {
    text.lines()
        .find(|l| l.starts_with(operator))
        .unwrap_or_else(|| panic!("no {operator} in\n{text}"))
}

#[test]
fn a_batch_segment_through_one_expansion_is_one_operator() {
    let query = "MATCH (c:Company)-[:MAKES]->(p:Product) RETURN c.name AS c, sum(p.units) AS s";
    let fast = profile(query, true);
    assert!(
        line(&fast, "HashAggregate").ends_with("batch over typed columns)"),
        "{fast}"
    );
    assert!(line(&fast, "HashAggregate").contains("rows: 7,"), "{fast}");
    for inside in ["Expand", "NodeByLabelScan"] {
        assert!(
            line(&fast, inside).ends_with("(run inside the segment above)"),
            "{fast}"
        );
    }
}

#[test]
fn a_fused_segment_is_one_operator() {
    // DISTINCT is not a batch aggregate: the fused walker runs it.
    let query = "MATCH (c:Company)-[:MAKES]->(p:Product) \
                 RETURN c.name AS c, sum(p.units) AS s, count(DISTINCT p) AS d";
    let fast = profile(query, true);
    assert!(
        line(&fast, "HashAggregate").ends_with("fused expand and aggregate)"),
        "{fast}"
    );
    assert!(line(&fast, "HashAggregate").contains("rows: 7,"), "{fast}");
    assert!(
        line(&fast, "Expand").ends_with("(run inside the segment above)"),
        "{fast}"
    );
    // Too few companies for morsels: the scan feeds the fused run as rows.
    assert!(
        line(&fast, "NodeByLabelScan").contains("rows: 40,"),
        "{fast}"
    );
    let slow = profile(query, false);
    assert!(line(&slow, "HashAggregate").ends_with("ms)"), "{slow}");
    assert!(line(&slow, "Expand").contains("rows: "), "{slow}");
    assert!(
        line(&slow, "NodeByLabelScan").contains("rows: 40,"),
        "{slow}"
    );
}

#[test]
fn batch_and_pushed_filters_are_named() {
    let fast = profile(
        "MATCH (p:Product) RETURN p.units % 3 AS k, count(*) AS n",
        true,
    );
    // A computed key is not a batch key: the row engine aggregates.
    assert!(line(&fast, "HashAggregate").ends_with("ms)"), "{fast}");
    let fast = profile(
        "MATCH (p:Product) RETURN count(*) AS n, max(p.units) AS m",
        true,
    );
    assert!(
        line(&fast, "HashAggregate").ends_with("batch over typed columns)"),
        "{fast}"
    );
    let fast = profile(
        "MATCH (p:Product) WHERE p.units > 50 RETURN p.name AS name",
        true,
    );
    let filter = line(&fast, "Filter");
    assert!(filter.contains("rows: 10,"), "{fast}");
    assert!(filter.ends_with("filter pushed into the scan)"), "{fast}");
}
