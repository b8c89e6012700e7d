//! What a command works on: a graph in memory (from a script, the bundled
//! graph or an empty one) or a durable store (a snapshot with its journal).

use std::path::{Path, PathBuf};
use std::time::Duration;

use kgq::store::{OpenOptions, Store};
use kgq::syntax::ScriptChunk;
use kgq::{CancelHandle, Error, Graph, QueryResult, Result, Session, Value};

/// A graph to run statements against.
pub enum Db {
    /// In memory: changes last as long as the process (or `--save`).
    Memory(Session),
    /// A store: every write statement is journaled before it is reported.
    Store(Store),
}

impl Db {
    /// An in-memory database on `graph`.
    pub fn memory(graph: Graph) -> Db {
        Db::Memory(Session::with_graph(graph))
    }

    /// Opens the store at `path` (creating it when `create`).
    pub fn open_store(path: &Path, read_only: bool, create: bool) -> Result<Db> {
        let options = OpenOptions { read_only, create };
        Store::open(path, options).map(Db::Store)
    }

    /// The session (settings, parameters, the graph).
    pub fn session(&self) -> &Session {
        match self {
            Db::Memory(s) => s,
            Db::Store(s) => s.session(),
        }
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        self.session().graph()
    }

    /// A handle that cancels the running statement.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.session().cancel_handle()
    }

    /// Sets the parameter `$name`.
    pub fn set_param(&mut self, name: &str, value: Value) {
        match self {
            Db::Memory(s) => s.set_param(name, value),
            Db::Store(s) => s.set_param(name, value),
        }
    }

    /// Forgets every parameter.
    pub fn clear_params(&mut self) {
        match self {
            Db::Memory(s) => s.clear_params(),
            Db::Store(s) => s.clear_params(),
        }
    }

    /// Sets (`None`: clears) the session-wide valid time.
    pub fn set_as_of(&mut self, instant: Option<Value>) -> Result<()> {
        match self {
            Db::Memory(s) => s.set_as_of(instant),
            Db::Store(s) => s.set_as_of(instant),
        }
    }

    /// The session-wide valid time.
    pub fn as_of(&self) -> Option<&Value> {
        self.session().as_of()
    }

    /// Turns provenance (`--why`) on or off.
    pub fn set_provenance(&mut self, on: bool) {
        match self {
            Db::Memory(s) => s.set_provenance(on),
            Db::Store(s) => s.set_provenance(on),
        }
    }

    /// Sets the time limit of each statement.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        match self {
            Db::Memory(s) => s.set_timeout(timeout),
            Db::Store(s) => s.set_timeout(timeout),
        }
    }

    /// Sets the expansion and buffered-row limits of each statement.
    pub fn set_limits(&mut self, max_expansions: u64, max_buffered_rows: usize) {
        match self {
            Db::Memory(s) => s.set_limits(max_expansions, max_buffered_rows),
            Db::Store(s) => s.set_limits(max_expansions, max_buffered_rows),
        }
    }

    /// Sets the directory `LOAD CSV` reads in.
    pub fn set_import_dir(&mut self, dir: Option<std::path::PathBuf>) {
        match self {
            Db::Memory(s) => s.set_import_dir(dir),
            Db::Store(s) => s.set_import_dir(dir),
        }
    }

    /// Sets the memory limits of each statement.
    pub fn set_memory_limits(&mut self, max_memory: u64, max_value_bytes: u64) {
        match self {
            Db::Memory(s) => s.set_memory_limits(max_memory, max_value_bytes),
            Db::Store(s) => s.set_memory_limits(max_memory, max_value_bytes),
        }
    }

    /// Replaces the graph of an in-memory database; a store keeps its own.
    pub fn set_graph(&mut self, graph: Graph) -> Result<()> {
        match self {
            Db::Memory(s) => {
                s.set_graph(graph);
                Ok(())
            }
            Db::Store(s) => Err(Error::new(
                kgq::ErrorClass::SemanticError,
                "StoreOpen",
                format!(
                    "{} is open as a store; leave the shell to open another graph",
                    s.path().display()
                ),
            )),
        }
    }

    /// Opens a multi-statement transaction.
    pub fn begin(&mut self) -> Result<()> {
        match self {
            Db::Memory(s) => s.begin(),
            Db::Store(s) => s.begin(),
        }
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        match self {
            Db::Memory(s) => s.in_transaction(),
            Db::Store(s) => s.in_transaction(),
        }
    }

    /// Keeps the open transaction (a store journals it as one record).
    pub fn commit(&mut self) -> Result<kgq::Stats> {
        match self {
            Db::Memory(s) => s.commit(),
            Db::Store(s) => s.commit(),
        }
    }

    /// Undoes every statement of the open transaction.
    pub fn rollback(&mut self) -> Result<()> {
        match self {
            Db::Memory(s) => s.rollback(),
            Db::Store(s) => s.rollback(),
        }
    }

    /// Runs `BEGIN`, `COMMIT` or `ROLLBACK` when `text` is one of them
    /// (see [`crate::transaction`]); `None` for any other statement.
    pub fn run_transaction_command(&mut self, text: &str) -> Option<Result<QueryResult>> {
        let command = crate::transaction::Command::of(text)?;
        Some(match command {
            crate::transaction::Command::Begin => self.begin().map(|()| QueryResult::default()),
            crate::transaction::Command::Commit => self.commit().map(|stats| QueryResult {
                stats,
                ..QueryResult::default()
            }),
            crate::transaction::Command::Rollback => {
                self.rollback().map(|()| QueryResult::default())
            }
        })
    }

    /// Runs one statement.
    pub fn run(&mut self, text: &str) -> Result<QueryResult> {
        match self {
            Db::Memory(s) => s.run(text),
            Db::Store(s) => s.run(text),
        }
    }

    /// Runs one statement, handing its rows to `sink` as they are made
    /// (see [`kgq::session::RowSink`]).
    pub fn run_streaming(
        &mut self,
        text: &str,
        sink: &mut dyn kgq::session::RowSink,
    ) -> Result<QueryResult> {
        match self {
            Db::Memory(s) => {
                let params = s.params().clone();
                s.run_streaming(text, &params, None, sink)
            }
            Db::Store(s) => s.run_streaming(text, sink),
        }
    }

    /// [`Db::run_streaming`] for a statement cut out of `script`.
    pub fn run_chunk_streaming(
        &mut self,
        script: &str,
        chunk: &ScriptChunk,
        sink: &mut dyn kgq::session::RowSink,
    ) -> Result<QueryResult> {
        let text = script
            .get(chunk.span.start..chunk.span.end)
            .unwrap_or_default();
        let outcome = match self.run_transaction_command(text) {
            Some(outcome) => outcome,
            None => self.run_streaming(text, sink),
        };
        outcome
            .map(|mut r| {
                r.shift_notifications(chunk.span.start, script);
                r
            })
            .map_err(|e| e.shifted(chunk.span.start).at(chunk.span))
    }

    /// Runs one statement cut out of `script`; error spans point into `script`.
    pub fn run_chunk(&mut self, script: &str, chunk: &ScriptChunk) -> Result<QueryResult> {
        let text = script
            .get(chunk.span.start..chunk.span.end)
            .unwrap_or_default();
        // A runtime error without a place of its own points at its statement.
        let outcome = match self.run_transaction_command(text) {
            Some(outcome) => outcome,
            None => self.run(text),
        };
        outcome
            .map(|mut r| {
                r.shift_notifications(chunk.span.start, script);
                r
            })
            .map_err(|e| e.shifted(chunk.span.start).at(chunk.span))
    }

    /// The plan of a statement.
    pub fn explain(&mut self, text: &str) -> Result<String> {
        match self {
            Db::Memory(s) => s.explain(text),
            Db::Store(s) => s.explain(text),
        }
    }

    /// The store's file, when this is a store.
    pub fn store_path(&self) -> Option<PathBuf> {
        match self {
            Db::Memory(_) => None,
            Db::Store(s) => Some(s.path().to_path_buf()),
        }
    }

    /// Folds a store's journal into its snapshot; an error for a graph in memory.
    pub fn checkpoint(&mut self) -> Result<()> {
        match self {
            Db::Memory(_) => Err(Error::new(
                kgq::ErrorClass::SemanticError,
                "NotAStore",
                "this graph is in memory, not a store: save it with :save FILE",
            )),
            Db::Store(s) => s.checkpoint(),
        }
    }

    /// Closes a store (checkpointing it); nothing to do in memory.
    pub fn close(self) -> Result<()> {
        match self {
            Db::Memory(_) => Ok(()),
            Db::Store(s) => s.close(),
        }
    }
}
