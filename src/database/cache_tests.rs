//! The plan cache under the database handle: reuse, and rebinding after
//! anything that could change a plan.

use std::collections::BTreeMap;

use super::*;

fn opts() -> RunOptions {
    RunOptions::default()
}

fn with(name: &str, v: Value) -> RunOptions {
    RunOptions {
        params: BTreeMap::from([(name.to_string(), v)]),
        ..RunOptions::default()
    }
}

fn rows(db: &Database, text: &str, options: &RunOptions) -> Vec<Vec<Value>> {
    db.run(text, options).unwrap().rows
}

#[test]
fn a_repeated_read_is_parsed_and_bound_once() {
    let db = Database::in_memory(Graph::new());
    db.run("CREATE (:A {x: 1}), (:A {x: 2})", &opts()).unwrap();
    let q = "MATCH (n:A) WHERE n.x >= $min RETURN n.x AS x ORDER BY x";
    let before = db.plan_cache_stats();
    let first = rows(&db, q, &with("min", Value::Int(2)));
    let second = rows(&db, q, &with("min", Value::Int(2)));
    assert_eq!(first, vec![vec![Value::Int(2)]]);
    assert_eq!(first, second);
    let after = db.plan_cache_stats();
    assert_eq!(after.parses - before.parses, 1);
    assert_eq!(after.plan_hits - before.plan_hits, 1);
    // Other parameter values reuse the parse, not the plan.
    let third = rows(&db, q, &with("min", Value::Int(1)));
    assert_eq!(third.len(), 2);
    let last = db.plan_cache_stats();
    assert_eq!(last.parses, after.parses);
    assert_eq!(last.plan_hits, after.plan_hits);
}

#[test]
fn parameter_values_of_another_type_are_bound_again() {
    let db = Database::in_memory(Graph::new());
    let q = "RETURN $x AS v";
    assert_eq!(
        rows(&db, q, &with("x", Value::Int(1))),
        vec![vec![Value::Int(1)]]
    );
    assert_eq!(
        rows(&db, q, &with("x", Value::Float(1.0))),
        vec![vec![Value::Float(1.0)]]
    );
    let neg = rows(&db, "RETURN 1.0 / $x AS v", &with("x", Value::Float(-0.0)));
    let pos = rows(&db, "RETURN 1.0 / $x AS v", &with("x", Value::Float(0.0)));
    assert_eq!(neg, vec![vec![Value::Float(f64::NEG_INFINITY)]]);
    assert_eq!(pos, vec![vec![Value::Float(f64::INFINITY)]]);
}

#[test]
fn names_interned_by_a_write_are_seen_by_a_cached_read() {
    let db = Database::in_memory(Graph::new());
    let q = "MATCH (n:Late)-[:KNOWS]->(m) WHERE n.since = 1 RETURN count(*) AS c";
    assert_eq!(rows(&db, q, &opts()), vec![vec![Value::Int(0)]]);
    assert_eq!(rows(&db, q, &opts()), vec![vec![Value::Int(0)]]);
    db.run("CREATE (:Late {since: 1})-[:KNOWS]->()", &opts())
        .unwrap();
    assert_eq!(rows(&db, q, &opts()), vec![vec![Value::Int(1)]]);
}

#[test]
fn every_change_makes_plans_bound_again() {
    let db = Database::in_memory(Graph::new());
    db.run("CREATE (:C {name: 'a'})", &opts()).unwrap();
    let q = "MATCH (c:C {name: 'a'}) RETURN c.name AS n";
    rows(&db, q, &opts());
    rows(&db, q, &opts());
    let hits = db.plan_cache_stats().plan_hits;
    db.run("CREATE INDEX c_name FOR (c:C) ON (c.name)", &opts())
        .unwrap();
    rows(&db, q, &opts());
    assert_eq!(db.plan_cache_stats().plan_hits, hits, "a schema change");
    rows(&db, q, &opts());
    assert_eq!(db.plan_cache_stats().plan_hits, hits + 1);
    db.change(|g| {
        g.add_node_with(&["C"], [("name", "a")]);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows(&db, q, &opts()).len(), 2);
    assert_eq!(
        db.plan_cache_stats().plan_hits,
        hits + 1,
        "a change in code"
    );
}

#[test]
fn plans_that_read_the_clock_or_randomness_are_not_kept() {
    let db = Database::in_memory(Graph::new());
    let q = "RETURN randomUUID() AS u";
    let a = rows(&db, q, &opts());
    let b = rows(&db, q, &opts());
    assert_ne!(a, b, "each call draws a new UUID");
    let hits = db.plan_cache_stats().plan_hits;
    rows(&db, "RETURN datetime() AS now", &opts());
    rows(&db, "RETURN datetime() AS now", &opts());
    rows(&db, "RETURN date.realtime() AS today", &opts());
    rows(&db, "RETURN date.realtime() AS today", &opts());
    assert_eq!(db.plan_cache_stats().plan_hits, hits);
}

#[test]
fn as_of_and_provenance_are_part_of_the_key() {
    let db = Database::in_memory(Graph::new());
    db.run(
        "CREATE (:P {name: 'p'})-[:R {valid_from: date('2020-01-01'), valid_to: date('2021-01-01')}]->(:Q)",
        &opts(),
    )
    .unwrap();
    let q = "MATCH (p:P)-[r:R]->(q) RETURN p.name AS n";
    assert_eq!(rows(&db, q, &opts()).len(), 1);
    let later = RunOptions {
        as_of: Some(Value::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        )),
        ..opts()
    };
    assert_eq!(rows(&db, q, &later).len(), 0);
    assert_eq!(rows(&db, q, &opts()).len(), 1);
    let why = RunOptions {
        provenance: true,
        ..opts()
    };
    let r = db.run(q, &why).unwrap();
    assert_eq!(r.why.map(|w| w[0].len()), Some(1));
    assert!(db.run(q, &opts()).unwrap().why.is_none());
}

#[test]
fn a_cache_of_capacity_zero_keeps_nothing() {
    let db = Database::in_memory(Graph::new());
    db.set_plan_cache_capacity(0);
    rows(&db, "RETURN 1 AS one", &opts());
    rows(&db, "RETURN 1 AS one", &opts());
    let stats = db.plan_cache_stats();
    assert_eq!((stats.parses, stats.plan_hits, stats.entries), (2, 0, 0));
}
