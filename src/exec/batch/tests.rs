//! Which statements the batch path takes, and which fall back (the
//! results themselves are compared with the row engine in `tests/batch.rs`).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use crate::exec::{Ctx, Limits};
use crate::graph::Graph;
use crate::plan::{self, Plan, PlanOptions, Step};
use crate::session::Session;
use crate::syntax::parse_statement;

/// The read plan of `query` on `graph`.
fn bind(graph: &Graph, query: &str, cancel: &AtomicBool, limits: &Limits) -> Plan {
    let guard = plan::Guard { cancel, limits };
    let statement = parse_statement(query).expect("the query parses");
    plan::bind_read_only(
        &statement,
        graph,
        &BTreeMap::new(),
        &PlanOptions::default(),
        guard,
    )
    .expect("the query binds")
}

/// Whether `query` on the graph made by `script` runs a batch segment.
fn batched(script: &str, query: &str) -> bool {
    let mut session = Session::new();
    session.run_script(script).expect("the script runs");
    let graph = session.graph();
    let cancel = AtomicBool::new(false);
    let limits = Limits::default();
    let plan = bind(graph, query, &cancel, &limits);
    let steps = &plan.branches[0].steps;
    let ctx = Ctx::new(graph, &cancel, &limits);
    steps.iter().enumerate().any(|(i, step)| {
        matches!(step, Step::NodeScan { .. }) && super::plan(&steps[i..], &ctx).is_some()
    })
}

const GRAPH: &str = "CREATE (:P {cat: 'a', n: 1, f: 1.5, b: true, d: date('2024-01-02')}), \
                     (:P {cat: 'b', n: 2, f: 2.5, b: false}), (:P:Q {cat: 'a', f: 0.5}), \
                     (:M {mix: 1}), (:M {mix: 'one'});";

#[test]
fn label_scans_feeding_numeric_aggregates_are_batched() {
    for query in [
        "MATCH (p:P) RETURN p.cat AS c, count(*) AS n, sum(p.n) AS s, max(p.f) AS m",
        "MATCH (p:P) WHERE p.d >= date('2024-01-01') RETURN p.cat AS c, count(*), avg(p.n)",
        "MATCH (p:P) RETURN count(p), min(p.n), count(p.d)",
        "MATCH (p:P) RETURN p.n AS k, count(*)",
        "MATCH (p:P) RETURN p.b AS k, sum(p.f)",
        "MATCH (p:P:Q) WHERE p.f > 0 RETURN p.absent AS k, count(*)",
        "MATCH (m:M) RETURN count(m.mix)",
        "MATCH (x:Nothing) RETURN count(*)",
    ] {
        assert!(batched(GRAPH, query), "{query}");
    }
}

#[test]
fn other_shapes_and_column_types_fall_back() {
    for query in [
        // Mixed-type (`Any`) columns as keys or summed values.
        "MATCH (m:M) RETURN m.mix AS k, count(*)",
        "MATCH (m:M) RETURN sum(m.mix)",
        // Float keys, string sums, dates as aggregate input.
        "MATCH (p:P) RETURN p.f AS k, count(*)",
        "MATCH (p:P) RETURN sum(p.cat)",
        "MATCH (p:P) RETURN max(p.d)",
        // DISTINCT, collect, expression keys and arguments, two keys.
        "MATCH (p:P) RETURN count(DISTINCT p.n)",
        "MATCH (p:P) RETURN collect(p.n)",
        "MATCH (p:P) RETURN toUpper(p.cat) AS k, count(*)",
        "MATCH (p:P) RETURN sum(p.n * 2)",
        "MATCH (p:P) RETURN p.cat AS c, p.n AS n, count(*)",
        // Property filters in the pattern.
        "MATCH (p:P {cat: 'a'}) RETURN count(*)",
    ] {
        assert!(!batched(GRAPH, query), "{query}");
    }
}

const LINKED: &str = "CREATE (a:C {name: 'a', n: 1})-[:MAKES {w: 1}]->(:P {u: 3, f: 0.5, s: 'x'}), \
                      (a)-[:SELLS]->(:P:Q {u: 4, f: 1.5}), (a)-[:MAKES]->(:M {mix: 1}), \
                      (b:C {name: 'b'})-[:MAKES]->(:M {mix: 'one'}), (b)-[:MAKES]->(b);";

#[test]
fn one_expansion_into_an_aggregate_is_batched() {
    for query in [
        "MATCH (c:C)-[:MAKES]->(p:P) RETURN c.name AS c, sum(p.u) AS units",
        "MATCH (c:C)-[:MAKES|SELLS]->(p:P) RETURN c.name AS c, count(*), avg(p.f), max(p.u)",
        "MATCH (c:C)<-[r]-(x) RETURN count(r), count(x), count(c), sum(c.n)",
        "MATCH (c:C)--(p) WHERE p.u > 3 AND c.n > 0 RETURN c.n AS k, min(p.f)",
        "MATCH (c:C)-->(p) WHERE p.u + 1 > 0 RETURN c.name AS c, count(p.s), count(p.mix)",
        "MATCH (c:C)-[:MAKES]->(p:P:Q) RETURN count(*)",
        "MATCH (c:C)-[:MAKES]->(m:M) RETURN c.name AS c, count(m.mix)",
    ] {
        assert!(batched(LINKED, query), "{query}");
    }
}

#[test]
fn other_expansions_and_far_columns_fall_back() {
    for query in [
        // A mixed-type (`Any`) column on a node the hop accepts.
        "MATCH (c:C)-[:MAKES]->(m:M) RETURN c.name AS c, sum(m.mix)",
        "MATCH (c:C)-[:MAKES]->(m) RETURN sum(m.mix)",
        // Keys on the node reached, relationship properties, DISTINCT.
        "MATCH (c:C)-[:MAKES]->(p:P) RETURN p.s AS k, count(*)",
        "MATCH (c:C)-[r:MAKES]->(p:P) RETURN c.name AS c, sum(r.w)",
        "MATCH (c:C)-[:MAKES]->(p:P) RETURN c.name AS c, count(DISTINCT p)",
        // Conditions on the relationship or the node reached in the pattern.
        "MATCH (c:C)-[:MAKES {w: 1}]->(p:P) RETURN count(*)",
        "MATCH (c:C)-[:MAKES]->(p:P {u: 3}) RETURN count(*)",
        // Variable length, two hops, a cycle back to the scanned node.
        "MATCH (c:C)-[:MAKES*1..2]->(p) RETURN count(*)",
        "MATCH (c:C)-->()-->(p) RETURN count(*)",
        "MATCH (c:C)-[:MAKES]->(c) RETURN count(*)",
        // Only relationship types the graph has never seen.
        "MATCH (c:C)-[:NEVER]->(p:P) RETURN c.name AS c, count(*)",
    ] {
        assert!(!batched(LINKED, query), "{query}");
    }
}

/// The rows of the batch segment of `query`, its scan cut into morsels of
/// `size` nodes (0: one sequential pass), on `threads` threads.
fn morsel_rows(script: &str, query: &str, size: usize, threads: usize) -> Vec<crate::exec::Row> {
    let mut session = Session::new();
    session.run_script(script).expect("the script runs");
    let graph = session.graph();
    let cancel = AtomicBool::new(false);
    let limits = Limits {
        threads,
        ..Limits::default()
    };
    let plan = bind(graph, query, &cancel, &limits);
    let steps = &plan.branches[0].steps;
    let ctx = Ctx::new(graph, &cancel, &limits);
    let at = steps
        .iter()
        .position(|s| matches!(s, Step::NodeScan { .. }))
        .expect("a scan");
    let seg = super::plan(&steps[at..], &ctx).expect("a batch segment");
    let row = vec![crate::value::Value::Null; 8];
    let total = if size == 0 {
        let input: crate::exec::Rows<'_> = Box::new(std::iter::once(Ok(row)));
        super::sequential(&seg, &ctx, input).expect("the scan runs")
    } else {
        let mut total = super::Total::new(&seg);
        let mut bounds: Vec<usize> = (0..seg.source.len).step_by(size).collect();
        bounds.push(seg.source.len);
        for part in super::morsels(&seg, &bounds, &row, &ctx).expect("the morsels run") {
            total.merge(part, &seg, &ctx).expect("the partials merge");
        }
        total.part
    };
    super::finish(&seg, total)
}

#[test]
fn morsels_on_two_threads_give_the_groups_of_one_pass() {
    let script = "UNWIND range(0, 999) AS i CREATE (:P {k: 'k' + toString((i * 7) % 13), \
                  n: i * 3 - 500, odd: i % 2 = 1});\n\
                  MATCH (p:P) WHERE p.n % 11 = 0 DETACH DELETE p;";
    for query in [
        "MATCH (p:P) WHERE p.n > -400 RETURN p.k AS k, count(*), sum(p.n), min(p.n), max(p.n)",
        "MATCH (p:P) RETURN p.odd AS k, count(p.n), avg(p.n)",
        "MATCH (p:P) RETURN count(*), sum(p.n)",
    ] {
        let one_pass = morsel_rows(script, query, 0, 1);
        assert!(!one_pass.is_empty());
        // 1000 nodes in morsels of 8: more than THREADED_MORSELS morsels.
        const { assert!(1000 / 8 >= super::THREADED_MORSELS) };
        for threads in [1, 2] {
            assert_eq!(morsel_rows(script, query, 8, threads), one_pass, "{query}");
        }
    }
}
