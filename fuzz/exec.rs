//! Fuzz target: whole statements on a small graph. Any statement either
//! succeeds or fails with a classified error that leaves the graph exactly
//! as it was; it never panics, and tight limits (time, expansions, memory)
//! keep each run short.
//!
//! `cargo run --release --example fuzz_exec -- SECONDS` (see docs/reliability.md).

#[path = "driver/mod.rs"]
mod driver;

use std::time::Duration;

use driver::{Target, Verdict};
use kgq::{Session, Value, snapshot};

const GRAPH: &str = "\
CREATE (a:Person {name: 'Ann', age: 41, tags: ['x', 'y']}), (b:Person {name: 'Bob', age: 7}),
       (c:Company {name: 'Acme', founded: date('1999-01-02')}), (d:Person:Admin {name: 'Dee'}),
       (a)-[:KNOWS {since: 2001}]->(b), (b)-[:KNOWS]->(d), (d)-[:KNOWS]->(a),
       (a)-[:WORKS_AT {share: 0.5}]->(c), (b)-[:WORKS_AT]->(c), (c)-[:OWNS]->(c)";

struct Exec {
    base: Vec<u8>,
    dump: String,
}

impl Exec {
    fn session(&self) -> Option<Session> {
        let graph = snapshot::from_bytes(&self.base).ok()?;
        let mut session = Session::with_graph(graph);
        session.set_timeout(Some(Duration::from_millis(300)));
        session.set_limits(200_000, 200_000);
        session.set_memory_limits(64 << 20, 8 << 20);
        session.set_param("p", Value::Int(1));
        session.set_param(
            "l",
            Value::List(vec![Value::Int(1), Value::Null, Value::string("s")].into()),
        );
        Some(session)
    }

    fn check(&self, bytes: &[u8]) -> Verdict {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Verdict::Ok("not utf-8".into());
        };
        let Some(mut session) = self.session() else {
            return Verdict::Bug("the base graph does not load".into());
        };
        match session.run(text) {
            Ok(result) => Verdict::Ok(format!(
                "ok {} {} {}",
                result.columns.len().min(4),
                result.rows.len().min(4),
                result.stats.nodes_created.min(2)
            )),
            Err(e) => {
                if e.code == "InternalError" {
                    return Verdict::Bug(format!("internal error: {e}"));
                }
                if session.graph().content_dump() != self.dump {
                    return Verdict::Bug(format!("a failed statement changed the graph: {e}"));
                }
                Verdict::Ok(format!("err {}", e.code))
            }
        }
    }
}

fn main() {
    let mut session = Session::new();
    if let Err(e) = session.run(GRAPH) {
        eprintln!("the fuzz graph does not build: {e}");
        std::process::exit(2);
    }
    let base = snapshot::to_bytes(session.graph()).unwrap_or_default();
    let exec = Exec {
        dump: session.graph().content_dump(),
        base,
    };
    let mut seeds = driver::statement_seeds();
    seeds.extend(
        [
            "MATCH (a:Person)-[:KNOWS*]->(b) RETURN a.name, collect(b.name)",
            "MATCH (a) SET a.x = 1 WITH a RETURN a.x / 0",
            "MATCH (a)-[r]->(b) DELETE r RETURN count(*)",
            "UNWIND $l AS x MERGE (n:M {v: x}) RETURN n",
            "MATCH p = shortestPath((a:Person {name: 'Ann'})-[*]-(c:Company)) RETURN nodes(p)",
            "CREATE (n:New {v: 1}) WITH n MATCH (m) RETURN count(m) / 0",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec()),
    );
    driver::main(Target {
        name: "exec",
        seeds,
        dictionary: driver::statement_dictionary(),
        check: Box::new(move |bytes| exec.check(bytes)),
        max_len: 2048,
        slow: Duration::from_secs(2),
        fixup: None,
    });
}
