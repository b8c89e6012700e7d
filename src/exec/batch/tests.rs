//! Which statements the batch path takes, and which fall back (the
//! results themselves are compared with the row engine in `tests/batch.rs`).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use crate::exec::{Ctx, Limits};
use crate::plan::{self, PlanOptions, Step};
use crate::session::Session;
use crate::syntax::parse_statement;

/// Whether `query` on the graph made by `script` runs a batch segment.
fn batched(script: &str, query: &str) -> bool {
    let mut session = Session::new();
    session.run_script(script).expect("the script runs");
    let graph = session.graph();
    let cancel = AtomicBool::new(false);
    let limits = Limits::default();
    let guard = plan::Guard {
        cancel: &cancel,
        limits: &limits,
    };
    let statement = parse_statement(query).expect("the query parses");
    let plan = plan::bind_read_only(
        &statement,
        graph,
        &BTreeMap::new(),
        &PlanOptions::default(),
        guard,
    )
    .expect("the query binds");
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
        // Expansions and property filters in the pattern.
        "MATCH (p:P)-->(q) RETURN count(*)",
        "MATCH (p:P {cat: 'a'}) RETURN count(*)",
    ] {
        assert!(!batched(GRAPH, query), "{query}");
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
    let guard = plan::Guard {
        cancel: &cancel,
        limits: &limits,
    };
    let statement = parse_statement(query).expect("the query parses");
    let plan = plan::bind_read_only(
        &statement,
        graph,
        &BTreeMap::new(),
        &PlanOptions::default(),
        guard,
    )
    .expect("the query binds");
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
        for part in super::morsels(&seg, size, &row, &ctx).expect("the morsels run") {
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
