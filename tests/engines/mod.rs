//! Helpers for the tests that compare kgq's fast paths with its row engine,
//! optimized with unoptimized plans, and the plan cache on with off.
// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

use kgq::Session;
use proptest::prelude::*;

/// A session holding the graph `script` builds.
pub fn session_with(script: &str) -> Session {
    let mut session = Session::new();
    session
        .run_script(script)
        .unwrap_or_else(|e| panic!("the graph script fails: {e}\n{script}"));
    session
}

/// Rows in their returned order (floats printed exactly), or the error's
/// code and message.
pub fn rows(session: &mut Session, query: &str) -> Result<Vec<String>, String> {
    session
        .run(query)
        .map(|r| r.rows.iter().map(|row| format!("{row:?}")).collect())
        .map_err(|e| format!("{}: {}", e.code, e.message))
}

/// A script building a random graph: `nodes` nodes with labels A/B and
/// small properties, and relationships of types T/U between them.
pub fn graph_script() -> impl Strategy<Value = String> {
    let node = (0..4u8, -3i64..4, prop::option::of(0..3u8)).prop_map(|(labels, x, y)| {
        let labels = ["", ":A", ":B", ":A:B"][labels as usize];
        let y = y
            .map(|y| format!(", y: '{}'", ["p", "q", "r"][y as usize]))
            .unwrap_or_default();
        format!("({labels} {{x: {x}{y}}})")
    });
    (
        prop::collection::vec(node, 1..7),
        prop::collection::vec((0..7usize, 0..7usize, 0..2u8, 0..3i64), 0..12),
    )
        .prop_map(|(nodes, rels)| {
            let n = nodes.len();
            let mut script = String::new();
            for (i, node) in nodes.iter().enumerate() {
                script.push_str(&format!("CREATE (n{i}{}", &node[1..]));
                script.push_str(";\n");
            }
            for (from, to, t, w) in rels {
                let t = ["T", "U"][t as usize];
                script.push_str(&format!(
                    "MATCH (a), (b) WHERE id(a) = {} AND id(b) = {} CREATE (a)-[:{t} {{w: {w}}}]->(b);\n",
                    from % n,
                    to % n
                ));
            }
            script
        })
}
