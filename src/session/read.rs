//! Statements that only read, run on a graph shared with other readers
//! (`&Graph`): names the graph does not know match nothing, and a
//! statement that turns out to write is handed back to the caller.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use std::sync::Arc;

use super::plan_cache::{CachedPlan, PlanCache, PlanKey};
use super::{QueryResult, schema_command, split_provenance};
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
    /// A plan cache and the graph's version (see [`PlanCache`]), or
    /// `None` to parse and bind afresh.
    pub cache: Option<(&'a PlanCache, u64)>,
}

/// Runs `text` on `graph` if it only reads: `Ok(None)` means the statement
/// writes and must be run through a [`Session`](crate::Session) instead.
/// EXPLAIN and PROFILE work as in [`Session::run`](crate::Session::run).
pub fn run_read(graph: &Graph, text: &str, call: &ReadCall<'_>) -> Result<Option<QueryResult>> {
    exec::functions::start_statement_clock();
    let Some(CachedPlan {
        plan,
        notifications,
    }) = plan_of(graph, text, call)?
    else {
        return Ok(None);
    };
    if plan.mode == StatementMode::Explain {
        if plan.writes() {
            // Names a write would add are unknown here; let the session
            // print them.
            return Ok(None);
        }
        return Ok(Some(QueryResult {
            plan: Some(plan::explain(&plan, graph, None)),
            notifications: notifications.to_vec(),
            ..QueryResult::default()
        }));
    }
    if plan.writes() {
        return Ok(None);
    }
    let profiling = plan.mode == StatementMode::Profile;
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
        columns: plan.columns.clone(),
        rows,
        stats: exec::Stats::default(),
        why: None,
        notifications: notifications.to_vec(),
    };
    if call.options.provenance {
        split_provenance(&mut result);
    }
    Ok(Some(result))
}

/// The plan of `text` bound against `graph` for `call`, with its
/// notifications: from the cache when it holds one that fits, else parsed
/// (unless cached) and bound now, and kept unless its binding read the
/// clock or the random generator. `None` for a schema command (which the
/// session runs).
fn plan_of(graph: &Graph, text: &str, call: &ReadCall<'_>) -> Result<Option<CachedPlan>> {
    let guard = plan::Guard {
        cancel: call.cancel,
        limits: call.limits,
    };
    let Some((cache, version)) = call.cache else {
        let statement = syntax::parse_statement(text)?;
        if schema_command(&statement)?.is_some() {
            return Ok(None);
        }
        let notifications = crate::notify::analyze(&statement, text, graph);
        let plan = plan::bind_read_only(&statement, graph, call.params, call.options, guard)?;
        return Ok(Some(CachedPlan {
            plan: Arc::new(plan),
            notifications: Arc::new(notifications),
        }));
    };
    let key = PlanKey {
        version,
        params: call.params,
        as_of: call.options.as_of.as_ref(),
        provenance: call.options.provenance,
    };
    let (statement, found) = cache.statement(text, &key)?;
    if let Some(found) = found {
        return Ok(Some(found));
    }
    if schema_command(&statement)?.is_some() {
        return Ok(None);
    }
    let notifications = crate::notify::analyze(&statement, text, graph);
    let impure = exec::functions::impure_reads();
    let plan = plan::bind_read_only(&statement, graph, call.params, call.options, guard)?;
    let found = CachedPlan {
        plan: Arc::new(plan),
        notifications: Arc::new(notifications),
    };
    if impure == exec::functions::impure_reads() && !found.plan.writes() {
        cache.keep(text, &key, found.clone());
    }
    Ok(Some(found))
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
            cache: None,
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
        assert!(read(s.graph(), "CREATE INDEX i FOR (n:A) ON (n.x)").is_none());
        assert!(read(s.graph(), "DROP INDEX i IF EXISTS").is_none());
        assert!(read(s.graph(), "MATCH (n) SET n.x = 1").is_none());
        assert_eq!(s.graph().node_count(), 0);
    }
}
