//! A session: a graph, parameters and limits, and the entry points that run
//! statements against them.

mod stream;

pub use stream::RowSink;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub mod plan_cache;
mod read;
mod transaction;

pub use read::{ReadCall, run_read};

use crate::error::{Error, Result};
use crate::exec::{self, CancelHandle, Change, Limits, Row, Stats, Tx};
use crate::graph::{EdgeId, Graph};
use crate::plan::{self, PlanOptions};
use crate::syntax::{self, ScriptChunk, ast::StatementMode};
use crate::value::Value;

/// What one statement gave back.
#[derive(Debug, Clone, Default)]
pub struct QueryResult {
    /// Column names (empty for a statement without RETURN).
    pub columns: Vec<String>,
    /// The rows, each as wide as `columns`. Nodes and relationships are ids
    /// into the session's graph.
    pub rows: Vec<Row>,
    /// What the statement changed.
    pub stats: Stats,
    /// The plan, for EXPLAIN and PROFILE.
    pub plan: Option<String>,
    /// With provenance on ([`Session::set_provenance`]): for each row, the
    /// relationships its MATCH clauses bound (inside paths too; for an
    /// aggregate, those of every row of the group, at most
    /// [`crate::provenance::MAX_FACTS_PER_ROW`]).
    pub why: Option<Vec<Vec<EdgeId>>>,
    /// Warnings and hints about the statement (see [`crate::notify`]);
    /// they never change the rows.
    pub notifications: Vec<crate::notify::Notification>,
}

impl QueryResult {
    /// The statement's notifications: unknown names, comparisons that
    /// cannot hold, cartesian products, unbounded patterns.
    pub fn notifications(&self) -> &[crate::notify::Notification] {
        &self.notifications
    }

    /// Moves the notifications of a statement cut out of `script` at byte
    /// `offset` so that they point into `script`.
    pub fn shift_notifications(&mut self, offset: usize, script: &str) {
        self.notifications = std::mem::take(&mut self.notifications)
            .into_iter()
            .map(|n| n.shifted(offset, script))
            .collect();
    }
}

/// What [`Session::run_logged`] calls with a statement's changes before
/// keeping them; an error rolls the statement back.
pub type ChangeLog<'a> = &'a mut dyn FnMut(&[Change]) -> Result<()>;

/// A graph with parameters and limits, ready to run statements.
#[derive(Debug, Default)]
pub struct Session {
    graph: Graph,
    params: BTreeMap<String, Value>,
    options: PlanOptions,
    limits: Limits,
    timeout: Option<Duration>,
    cancel: CancelHandle,
    /// The open multi-statement transaction, if any ([`Session::begin`]).
    open_tx: Option<transaction::OpenTx>,
    /// Whether statements that write are refused.
    read_only: bool,
}

impl Session {
    /// A session on an empty graph.
    pub fn new() -> Self {
        Session::default()
    }

    /// A session on `graph`.
    pub fn with_graph(graph: Graph) -> Self {
        Session {
            graph,
            ..Session::default()
        }
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The graph, for building it in code.
    pub fn graph_mut(&mut self) -> &mut Graph {
        &mut self.graph
    }

    /// Replaces the graph (e.g. after loading another one).
    pub fn set_graph(&mut self, graph: Graph) -> Graph {
        std::mem::replace(&mut self.graph, graph)
    }

    /// Takes the graph out of the session.
    pub fn into_graph(self) -> Graph {
        self.graph
    }

    /// Sets the parameter `$name`.
    pub fn set_param(&mut self, name: &str, value: Value) {
        self.params.insert(name.to_string(), value);
    }

    /// The parameters set so far.
    pub fn params(&self) -> &BTreeMap<String, Value> {
        &self.params
    }

    /// Forgets every parameter.
    pub fn clear_params(&mut self) {
        self.params.clear();
    }

    /// Chooses whether plans are optimized (on by default).
    pub fn set_optimize(&mut self, optimize: bool) {
        self.options.optimize = optimize;
    }

    /// Sets (or, with `None`, clears) the session-wide valid time: every
    /// MATCH without its own `AS OF` then matches only the nodes and
    /// relationships valid at `instant` (a date, local date-time or
    /// date-time; see [`crate::valid_time`]).
    pub fn set_as_of(&mut self, instant: Option<Value>) -> Result<()> {
        if let Some(v) = &instant {
            crate::valid_time::instant_of(v, "the as-of instant")?;
        }
        self.options.as_of = instant.filter(|v| !v.is_null());
        Ok(())
    }

    /// The session-wide valid time, if one is set.
    pub fn as_of(&self) -> Option<&Value> {
        self.options.as_of.as_ref()
    }

    /// Turns provenance on or off: with it on, every result carries, for
    /// each row, the relationships that produced it ([`QueryResult::why`]).
    pub fn set_provenance(&mut self, on: bool) {
        self.options.provenance = on;
    }

    /// Whether provenance is on.
    pub fn provenance(&self) -> bool {
        self.options.provenance
    }

    /// Runs one statement with provenance on for it alone: the result's
    /// `why` lists, per row, the relationships that produced it.
    pub fn run_explained(&mut self, text: &str) -> Result<QueryResult> {
        let before = self.options.provenance;
        self.options.provenance = true;
        let result = self.run(text);
        self.options.provenance = before;
        result
    }

    /// Adds a procedure that `CALL` can then name (replacing one of the
    /// same name); see [`crate::procedures`].
    pub fn register_procedure(&mut self, procedure: crate::procedures::Procedure) {
        std::sync::Arc::make_mut(&mut self.options.procedures).register(procedure);
    }

    /// Sets the directory `LOAD CSV FROM 'file:///…'` reads in (`None`:
    /// the current directory). URLs cannot leave it.
    pub fn set_import_dir(&mut self, dir: Option<std::path::PathBuf>) {
        self.options.import_dir = dir;
    }

    /// The procedures `CALL` can name.
    pub fn procedures(&self) -> &crate::procedures::Registry {
        &self.options.procedures
    }

    /// Sets the time limit of each statement (`None` = unlimited).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// Sets the expansion and buffered-row limits.
    pub fn set_limits(&mut self, max_expansions: u64, max_buffered_rows: usize) {
        self.limits.max_expansions = max_expansions;
        self.limits.max_buffered_rows = max_buffered_rows;
    }

    /// Sets the memory limits of each statement: the bytes its intermediate
    /// results may hold and the size of the largest value it may build.
    pub fn set_memory_limits(&mut self, max_memory: u64, max_value_bytes: u64) {
        self.limits.max_memory = max_memory;
        self.limits.max_value_bytes = max_value_bytes;
    }

    /// Sets the most threads one statement may run on (at least 1; 1 runs
    /// every statement on the calling thread).
    pub fn set_threads(&mut self, threads: usize) {
        self.limits.threads = threads.max(1);
    }

    /// Turns the column-aware fast paths on (the default) or off; off, every
    /// statement runs on the row-at-a-time engine (tests compare the two).
    pub fn set_fast_paths(&mut self, on: bool) {
        self.limits.fast_paths = on;
    }

    /// The limits each statement runs under (the deadline is set per statement).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A handle another thread can use to cancel the running statement.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Replaces the handle that cancels statements (a caller that shares
    /// one handle across sessions, or wants one per statement).
    pub fn set_cancel_handle(&mut self, cancel: CancelHandle) {
        self.cancel = cancel;
    }

    /// Refuses (`true`) or allows statements that write: a refused one
    /// fails with `SemanticError: ReadOnlyStore` before it runs.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    /// Whether statements that write are refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Runs one statement (a trailing `;` is allowed) with the session's
    /// parameters. On error the graph is left exactly as it was.
    pub fn run(&mut self, text: &str) -> Result<QueryResult> {
        let params = self.params.clone();
        self.run_with(text, &params)
    }

    /// Runs one statement with the given parameters.
    pub fn run_with(
        &mut self,
        text: &str,
        params: &BTreeMap<String, Value>,
    ) -> Result<QueryResult> {
        self.run_inner(text, params, None)
    }

    /// Runs one statement like [`Session::run_with`], recording its changes
    /// as redo [`Change`]s. If it changed the graph, `log` is called with
    /// the changes before they are kept; if `log` fails, the statement is
    /// rolled back and `log`'s error returned. The durable store uses this
    /// to journal each statement before reporting success.
    pub fn run_logged(
        &mut self,
        text: &str,
        params: &BTreeMap<String, Value>,
        log: ChangeLog<'_>,
    ) -> Result<QueryResult> {
        self.run_inner(text, params, Some(log))
    }

    fn run_inner(
        &mut self,
        text: &str,
        params: &BTreeMap<String, Value>,
        log: Option<ChangeLog<'_>>,
    ) -> Result<QueryResult> {
        let statement = syntax::parse_statement(text)?;
        self.run_parsed(&statement, text, params, log)
    }

    /// Runs `statement`, parsed from `text` (a plan cache's copy), like
    /// [`Session::run_logged`] runs a text.
    pub(crate) fn run_parsed(
        &mut self,
        statement: &syntax::ast::Statement,
        text: &str,
        params: &BTreeMap<String, Value>,
        log: Option<ChangeLog<'_>>,
    ) -> Result<QueryResult> {
        // `datetime()` and the statement clocks read one moment per statement.
        exec::functions::start_statement_clock();
        if let Some(cmd) = schema_command(statement)? {
            return self.run_schema(cmd, log);
        }
        let notifications = crate::notify::analyze(statement, text, &self.graph);
        self.cancel.reset();
        let limits = self.statement_limits();
        let guard = plan::Guard {
            cancel: self.cancel.flag(),
            limits: &limits,
        };
        let plan = plan::bind_statement(statement, &mut self.graph, params, &self.options, guard)?;
        let mut result = self.run_plan(statement.mode, statement.span, plan, &limits, log)?;
        result.notifications = notifications;
        Ok(result)
    }

    /// Runs a bound statement (the second half of [`Session::run_inner`]).
    fn run_plan(
        &mut self,
        mode: StatementMode,
        span: crate::error::Span,
        plan: plan::Plan,
        limits: &Limits,
        log: Option<ChangeLog<'_>>,
    ) -> Result<QueryResult> {
        if self.read_only && plan.writes() && mode != StatementMode::Explain {
            return Err(read_only_error());
        }
        if mode == StatementMode::Explain {
            return Ok(QueryResult {
                plan: Some(plan::explain(&plan, &self.graph, None)),
                ..QueryResult::default()
            });
        }
        let in_tx = self.open_tx.is_some();
        let mut tx = if log.is_some() || in_tx {
            Tx::with_redo(&mut self.graph)
        } else {
            Tx::new(&mut self.graph)
        };
        let profiling = mode == StatementMode::Profile;
        let mut profile = Vec::new();
        let mut outcome = exec::execute_with_profile(
            &plan,
            &mut tx,
            self.cancel.flag(),
            limits,
            profiling.then_some(&mut profile),
        );
        if outcome.is_ok()
            && plan.writes()
            && !tx.graph().schema().constraints.is_empty()
            && let Err(e) = crate::schema::check(tx.graph())
        {
            outcome = Err(e.at(span));
        }
        if let (Ok(_), Some(log), false) = (&outcome, log, in_tx)
            && !tx.redo().is_empty()
            && let Err(e) = log(tx.redo())
        {
            outcome = Err(e);
        }
        match outcome {
            Ok(rows) => {
                let stats = match &mut self.open_tx {
                    Some(open) => open.keep(tx),
                    None => tx.commit(),
                };
                let plan_text =
                    profiling.then(|| plan::explain(&plan, &self.graph, Some(&profile)));
                let mut result = QueryResult {
                    columns: plan.columns,
                    rows,
                    stats,
                    plan: plan_text,
                    why: None,
                    notifications: Vec::new(),
                };
                if self.options.provenance {
                    split_provenance(&mut result);
                }
                Ok(result)
            }
            Err(e) => Err(rolled_back(e, tx)),
        }
    }

    /// The limits of a statement starting now (its deadline set).
    fn statement_limits(&self) -> Limits {
        Limits {
            deadline: self.timeout.map(|t| Instant::now() + t),
            ..self.limits.clone()
        }
    }

    /// Runs a schema command, journalling it through `log` when given.
    fn run_schema(
        &mut self,
        cmd: &crate::syntax::ast::SchemaCommand,
        log: Option<ChangeLog<'_>>,
    ) -> Result<QueryResult> {
        let Some(change) = crate::schema::command::change_for(cmd, &self.graph)? else {
            return Ok(QueryResult::default());
        };
        let before = self.graph.schema().clone();
        crate::schema::command::apply(&mut self.graph, &change)?;
        if let Some(log) = log
            && let Err(e) = log(&[Change::Schema(change)])
        {
            *self.graph.schema_mut() = before;
            self.graph.sync_fulltext();
            return Err(e);
        }
        Ok(QueryResult::default())
    }

    /// The plan of a statement, as EXPLAIN prints it.
    pub fn explain(&mut self, text: &str) -> Result<String> {
        let statement = syntax::parse_statement(text)?;
        let limits = self.limits.clone();
        let guard = plan::Guard {
            cancel: self.cancel.flag(),
            limits: &limits,
        };
        let plan = plan::bind_statement(
            &statement,
            &mut self.graph,
            &self.params.clone(),
            &self.options,
            guard,
        )?;
        Ok(plan::explain(&plan, &self.graph, None))
    }

    /// Runs every statement of a script in order, stopping at the first
    /// error. Errors carry spans into `script`.
    pub fn run_script(&mut self, script: &str) -> Result<Vec<QueryResult>> {
        let mut results = Vec::new();
        for chunk in syntax::split_script(script) {
            results.push(self.run_chunk(script, &chunk)?);
        }
        Ok(results)
    }

    /// Runs one statement cut out of `script`; error spans point into
    /// `script`, and an error without a place of its own (a runtime error)
    /// points at the statement.
    pub fn run_chunk(&mut self, script: &str, chunk: &ScriptChunk) -> Result<QueryResult> {
        let text = script
            .get(chunk.span.start..chunk.span.end)
            .unwrap_or_default();
        self.run(text)
            .map(|mut r| {
                r.shift_notifications(chunk.span.start, script);
                r
            })
            .map_err(|e| e.shifted(chunk.span.start).at(chunk.span))
    }
}

/// Rolls back a failed statement's transaction and returns its error; a
/// cancelled or timed-out statement says that nothing stayed changed.
fn rolled_back(mut e: Error, tx: Tx<'_>) -> Error {
    if exec::is_stop(&e) {
        e.message.push_str(if tx.changed() {
            "; its changes were rolled back and the graph is unchanged"
        } else {
            "; the graph is unchanged"
        });
    }
    if !tx.rollback() {
        return Error::new(
            crate::error::ErrorClass::SemanticError,
            "InternalError",
            format!("{e}; moreover the rollback could not restore the graph exactly"),
        );
    }
    e
}

/// The error of a write refused by a read-only session.
fn read_only_error() -> Error {
    Error::new(
        crate::error::ErrorClass::SemanticError,
        "ReadOnlyStore",
        "the graph is open read-only: write statements are refused",
    )
}

/// The schema command a statement is, if it is one (alone, not explained).
fn schema_command(
    statement: &syntax::ast::Statement,
) -> Result<Option<&syntax::ast::SchemaCommand>> {
    let query = &statement.query;
    let [clause] = query.first.clauses.as_slice() else {
        return Ok(None);
    };
    let syntax::ast::ClauseKind::Schema(cmd) = &clause.kind else {
        return Ok(None);
    };
    if !query.unions.is_empty() || statement.mode != StatementMode::Run {
        return Err(Error::syntax(
            "InvalidClauseComposition",
            "schema commands cannot be explained, profiled or joined by UNION",
        )
        .at(statement.span));
    }
    Ok(Some(cmd))
}

/// Moves the hidden provenance column of `result` into `result.why`.
fn split_provenance(result: &mut QueryResult) {
    if result.columns.last().map(String::as_str) != Some(plan::WHY_COLUMN) {
        result.why = Some(vec![Vec::new(); result.rows.len()]);
        return;
    }
    result.columns.pop();
    let why = result
        .rows
        .iter_mut()
        .map(|row| {
            row.pop()
                .map(|v| crate::provenance::relationships_in(&v))
                .unwrap_or_default()
        })
        .collect();
    result.why = Some(why);
}
