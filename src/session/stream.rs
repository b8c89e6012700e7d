//! Streaming a statement's result: rows go to a [`RowSink`] as the
//! executor makes them, so output starts before the statement ends, a
//! reader that goes away stops the statement early, and the caller holds
//! only the rows it keeps.
//!
//! Read statements stream. A statement that writes (or is profiled, runs
//! with provenance on, or is a `UNION` that removes duplicates) is run
//! whole first — so a failing write is rolled back before any of its rows
//! is shown — and its rows are then handed to the sink.

use std::collections::BTreeMap;

use super::{ChangeLog, QueryResult, Session};
use crate::error::Result;
use crate::exec::{self, Row, Tx};
use crate::graph::Graph;
use crate::plan::{self, Plan};
use crate::syntax::{self, ast::StatementMode};
use crate::value::Value;

/// Receives a statement's result as it is made.
pub trait RowSink {
    /// The column names, once, before any row.
    fn columns(&mut self, columns: &[String]) -> Result<()>;
    /// One row, as wide as the columns, with the graph its nodes and
    /// relationships belong to. `Ok(false)` means "no more rows wanted"
    /// (the reader went away): a read statement then stops early and
    /// succeeds.
    fn row(&mut self, row: Row, graph: &Graph) -> Result<bool>;
}

/// Whether rows of `plan` can go out while it runs (see the module docs).
fn streams(plan: &Plan, mode: StatementMode, provenance: bool) -> bool {
    mode == StatementMode::Run
        && !provenance
        && !plan.writes()
        && !plan.union_distinct
        && !plan.columns.is_empty()
}

impl Session {
    /// Runs one statement like [`Session::run_with`] (with `log`, like
    /// [`Session::run_logged`]), handing its rows to `sink` instead of
    /// returning them: the result's `rows` are empty. An error after some
    /// rows were handed over (a read that fails half-way) is returned
    /// after them.
    pub fn run_streaming(
        &mut self,
        text: &str,
        params: &BTreeMap<String, Value>,
        log: Option<ChangeLog<'_>>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryResult> {
        exec::functions::start_statement_clock();
        let statement = syntax::parse_statement(text)?;
        if let Some(cmd) = super::schema_command(&statement)? {
            return self.run_schema(cmd, log);
        }
        let notifications = crate::notify::analyze(&statement, text, &self.graph);
        self.cancel.reset();
        let limits = self.statement_limits();
        let guard = plan::Guard {
            cancel: self.cancel.flag(),
            limits: &limits,
        };
        let plan = plan::bind_statement(&statement, &mut self.graph, params, &self.options, guard)?;
        if !streams(&plan, statement.mode, self.options.provenance) {
            let mut result = self.run_plan(statement.mode, statement.span, plan, &limits, log)?;
            result.notifications = notifications;
            if !result.columns.is_empty() {
                sink.columns(&result.columns)?;
                for row in std::mem::take(&mut result.rows) {
                    if !sink.row(row, &self.graph)? {
                        break;
                    }
                }
            }
            return Ok(result);
        }
        sink.columns(&plan.columns)?;
        let mut tx = Tx::new(&mut self.graph);
        let outcome = exec::stream(
            &plan,
            &mut tx,
            self.cancel.flag(),
            &limits,
            &mut |row, graph| sink.row(row, graph),
        );
        match outcome {
            Ok(()) => {
                let stats = tx.commit();
                Ok(QueryResult {
                    columns: plan.columns,
                    stats,
                    notifications,
                    ..QueryResult::default()
                })
            }
            Err(e) => Err(super::rolled_back(e, tx)),
        }
    }
}
