//! The plan cache changes no result: two databases built from the same
//! random graph, one with the cache on and one with it off, run the same
//! random sequence of reads (some repeated, with parameters) and writes,
//! and give the same rows in the same order, and the same errors, at
//! every step.

use std::collections::BTreeMap;

use kgq::{Database, RunOptions, Value};
use proptest::prelude::*;

use engines::graph_script;

mod engines;

/// One step: a read (with `$v`) or a write.
#[derive(Debug, Clone)]
enum Step {
    Read(&'static str, i64),
    Write(&'static str),
}

const READS: &[&str] = &[
    "MATCH (a)-[r]->(b) WHERE a.x > $v RETURN a.x AS ax, b.x AS bx",
    "MATCH (a:A)-[r:T]->(b) RETURN a.x AS k, count(b) AS c, $v AS v",
    "MATCH (a:New) RETURN a.v AS v, $v AS p",
    "MATCH (a {x: $v})-->(b) RETURN b.y AS y",
    "MATCH (a:A), (b:B) WHERE a.x = b.x + $v RETURN a, b",
    "MATCH (a)-[:T*1..2]->(b) RETURN b.x AS k, sum(a.x) AS s ORDER BY k",
    "MATCH (a) WHERE a.made = true OR a.x = $v RETURN a.x AS x, labels(a) AS l",
    "MATCH (a)-[r:Fresh]->(b) RETURN r.w AS w, $v AS v",
    "MATCH (a) RETURN a.x / $v AS q",
    "MATCH (a:B) WHERE a.z = 'new' RETURN count(*) AS c, min(a.x) AS m",
];

const WRITES: &[&str] = &[
    "MATCH (a) SET a.x = a.x + 1",
    "MATCH (a:A) REMOVE a:A",
    "CREATE (:New {v: 1})-[:T]->(:New)",
    "MATCH (a)-[r:T]->() DELETE r",
    "MERGE (m:A {x: 2}) ON CREATE SET m.made = true",
    "MATCH (a:B) SET a.z = 'new'",
    "MATCH (a), (b:A) WHERE id(a) < id(b) CREATE (a)-[:Fresh {w: 3}]->(b)",
    "CREATE INDEX idx_x IF NOT EXISTS FOR (n:A) ON (n.x)",
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..READS.len(), -1i64..3).prop_map(|(i, v)| Step::Read(READS[i], v)),
        1 => (0..WRITES.len()).prop_map(|i| Step::Write(WRITES[i])),
    ]
}

fn outcome(db: &Database, text: &str, v: Option<i64>) -> Result<Vec<String>, String> {
    let options = RunOptions {
        params: v
            .map(|v| BTreeMap::from([("v".to_string(), Value::Int(v))]))
            .unwrap_or_default(),
        ..RunOptions::default()
    };
    let result = db.run(text, &options).map_err(|e| e.to_string())?;
    Ok(result
        .rows
        .iter()
        .map(|r| format!("{r:?}"))
        .chain(result.notifications.iter().map(|n| n.message.clone()))
        .collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn cached_and_fresh_plans_agree(
        script in graph_script(),
        steps in prop::collection::vec(step(), 1..16),
    ) {
        let cached = Database::from_script(&script).unwrap();
        let fresh = Database::from_script(&script).unwrap();
        fresh.set_plan_cache_capacity(0);
        for (i, step) in steps.iter().enumerate() {
            let (text, v) = match step {
                Step::Read(text, v) => (*text, Some(*v)),
                Step::Write(text) => (*text, None),
            };
            // Each read twice: the second may come from the cache.
            for _ in 0..2 {
                let a = outcome(&cached, text, v);
                let b = outcome(&fresh, text, v);
                prop_assert_eq!(a, b, "step {}: {}", i, text);
                if v.is_none() {
                    break;
                }
            }
        }
        prop_assert!(cached.plan_cache_stats().plan_hits > 0 || steps.iter().all(|s| matches!(s, Step::Write(_))));
        prop_assert_eq!(fresh.plan_cache_stats().plan_hits, 0);
    }
}
