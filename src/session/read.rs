//! Statements that only read, run on a graph shared with other readers
//! (`&Graph`): names the graph does not know match nothing, and a
//! statement that turns out to write is handed back to the caller.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use super::{QueryResult, split_provenance};
use crate::error::Result;
use crate::exec::{self, Limits};
use crate::graph::Graph;
use crate::plan::{self, PlanOptions};
use crate::syntax::{self, ast::StatementMode};
use crate::value::Value;

/// Everything one read needs besides the graph and the text.
#[derive(Debug, Clone, Copy)]
pub struct ReadCall<'a> {
    /// The statement's parameters.
    pub params: &'a BTreeMap<String, Value>,
    /// Planning choices (optimizer, as-of, provenance).
    pub options: &'a PlanOptions,
    /// Limits, with the deadline already set.
    pub limits: &'a Limits,
    /// Set to cancel the statement.
    pub cancel: &'a AtomicBool,
}

/// Runs `text` on `graph` if it only reads: `Ok(None)` means the statement
/// writes and must be run through a [`Session`](crate::Session) instead.
/// EXPLAIN and PROFILE work as in [`Session::run`](crate::Session::run).
pub fn run_read(graph: &Graph, text: &str, call: &ReadCall<'_>) -> Result<Option<QueryResult>> {
    exec::functions::start_statement_clock();
    let statement = syntax::parse_statement(text)?;
    let notifications = crate::notify::analyze(&statement, text, graph);
    let guard = plan::Guard {
        cancel: call.cancel,
        limits: call.limits,
    };
    let plan = plan::bind_read_only(&statement, graph, call.params, call.options, guard)?;
    if statement.mode == StatementMode::Explain {
        if plan.writes() {
            // Names a write would add are unknown here; let the session
            // print them.
            return Ok(None);
        }
        return Ok(Some(QueryResult {
            plan: Some(plan::explain(&plan, graph, None)),
            notifications,
            ..QueryResult::default()
        }));
    }
    if plan.writes() {
        return Ok(None);
    }
    let profiling = statement.mode == StatementMode::Profile;
    let mut profile = Vec::new();
    let rows = exec::execute_read(
        &plan,
        graph,
        call.cancel,
        call.limits,
        profiling.then_some(&mut profile),
    )?;
    let mut result = QueryResult {
        plan: profiling.then(|| plan::explain(&plan, graph, Some(&profile))),
        columns: plan.columns,
        rows,
        stats: exec::Stats::default(),
        why: None,
        notifications,
    };
    if call.options.provenance {
        split_provenance(&mut result);
    }
    Ok(Some(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    fn read(graph: &Graph, text: &str) -> Option<QueryResult> {
        let params = BTreeMap::new();
        let options = PlanOptions::default();
        let limits = Limits::default();
        let cancel = AtomicBool::new(false);
        let call = ReadCall {
            params: &params,
            options: &options,
            limits: &limits,
            cancel: &cancel,
        };
        run_read(graph, text, &call).unwrap()
    }

    #[test]
    fn reads_on_a_shared_graph_and_unknown_names_match_nothing() {
        let mut s = Session::new();
        s.run("CREATE (:A {x: 1})-[:R]->(:B {x: 2})").unwrap();
        let g = s.graph();
        let r = read(g, "MATCH (a:A)-[:R]->(b) RETURN b.x AS x").unwrap();
        assert_eq!(r.rows, vec![vec![Value::Int(2)]]);
        let r = read(g, "MATCH (a:Nope) RETURN a").unwrap();
        assert!(r.rows.is_empty());
        let r = read(g, "MATCH (a)-[:NOPE]->(b) RETURN a").unwrap();
        assert!(r.rows.is_empty());
        let r = read(g, "MATCH (a:A) RETURN a.nope AS v, {k: a.nope} AS m").unwrap();
        assert_eq!(r.rows[0][0], Value::Null);
        let map = BTreeMap::from([("k".to_string(), Value::Null)]);
        assert_eq!(r.rows[0][1], Value::Map(map));
        let r = read(g, "MATCH (a:A) WHERE a.nope = 1 RETURN a").unwrap();
        assert!(r.rows.is_empty());
        assert_eq!(g.label_id("Nope"), None, "nothing was interned");
    }

    #[test]
    fn writes_are_handed_back() {
        let s = Session::new();
        assert!(read(s.graph(), "CREATE (:A)").is_none());
        assert!(read(s.graph(), "MATCH (n) SET n.x = 1").is_none());
        assert_eq!(s.graph().node_count(), 0);
    }
}
