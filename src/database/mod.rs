//! A database handle for many threads at once: [`Database`] is cheap to
//! clone and can be shared; front ends (the server, bindings, scripts with
//! BEGIN/COMMIT) run statements through it.
//!
//! **Concurrency.** Reads run in parallel, each against a consistent
//! graph: a statement that only reads is planned and run on a shared
//! `&Graph` (names the graph does not know match nothing). Writers take
//! turns: a write statement, or a write [`Transaction`] from its first
//! write statement to its commit or rollback, holds *the writer turn*. A
//! writer that waits past the lock timeout ([`Database::set_lock_timeout`])
//! fails with [`ErrorClass::TransientError`] (`LockTimeout`).
//!
//! **Isolation, and its cost.** The graph is changed in place, so while a
//! write transaction holds the turn, readers on other threads *wait* (up
//! to the lock timeout, then `TransientError`) instead of seeing its
//! uncommitted changes; they never see them. A transaction reads its own
//! writes. The price: a long write transaction stalls every reader, so
//! front ends should time out idle transactions. A transaction that has
//! only read so far holds nothing; other writers may commit between its
//! statements (read committed, as in Neo4j).
//!
//! **Durability.** On a store, an auto-commit write statement is journaled
//! and synced before it returns; a transaction's changes are journaled as
//! one record and synced before [`Transaction::commit`] returns.
//!
//! ```
//! use kgq::database::{AccessMode, Database, RunOptions};
//! let db = Database::in_memory(kgq::Graph::new());
//! let mut tx = db.begin(AccessMode::Write);
//! tx.run("CREATE (:Country {name: 'Russia'})", &RunOptions::default()).unwrap();
//! tx.commit().unwrap();
//! let r = db.run("MATCH (c:Country) RETURN c.name AS n", &RunOptions::default()).unwrap();
//! assert_eq!(r.rows[0][0], kgq::Value::from("Russia"));
//! ```

#[cfg(test)]
mod cache_tests;
mod gate;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorClass, Result};
use crate::exec::{CancelHandle, Limits, Stats};
use crate::graph::Graph;
use crate::plan::PlanOptions;
use crate::session::plan_cache::{CacheStats, PlanCache};
use crate::session::{QueryResult, ReadCall, Session, run_read};
use crate::store::{OpenOptions, Store};
use crate::syntax::ast::Statement;
use crate::value::Value;
use gate::Gate;

/// What one statement runs with. `Default` is: no parameters, the
/// database's default timeout, no as-of instant, provenance off.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The statement's parameters (`$name`).
    pub params: BTreeMap<String, Value>,
    /// Its time limit (`None`: the database's default, see
    /// [`Database::set_default_timeout`]).
    pub timeout: Option<Duration>,
    /// A handle another thread can use to cancel it.
    pub cancel: Option<CancelHandle>,
    /// The valid time its MATCH clauses see (see [`crate::valid_time`]).
    pub as_of: Option<Value>,
    /// Provenance: fill [`QueryResult::why`].
    pub provenance: bool,
}

/// Whether a transaction may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Statements that write are refused (`WriteInReadTransaction`).
    Read,
    /// Statements may write.
    Write,
}

/// Settings that apply to every statement.
#[derive(Debug, Clone)]
struct Config {
    read_only: bool,
    lock_timeout: Duration,
    default_timeout: Option<Duration>,
    limits: Limits,
}

/// Where the graph lives.
#[derive(Debug)]
enum Backend {
    Memory(Session),
    Store(Store),
}

impl Backend {
    fn graph(&self) -> &Graph {
        match self {
            Backend::Memory(s) => s.graph(),
            Backend::Store(s) => s.graph(),
        }
    }
    fn session_settings(
        &mut self,
        options: &RunOptions,
        cancel: CancelHandle,
        config: &Config,
    ) -> Result<()> {
        let timeout = options.timeout.or(config.default_timeout);
        let l = &config.limits;
        match self {
            Backend::Memory(s) => {
                s.set_timeout(timeout);
                s.set_cancel_handle(cancel);
                s.set_provenance(options.provenance);
                s.set_limits(l.max_expansions, l.max_buffered_rows);
                s.set_memory_limits(l.max_memory, l.max_value_bytes);
                s.set_as_of(options.as_of.clone())
            }
            Backend::Store(s) => {
                s.set_timeout(timeout);
                s.set_cancel_handle(cancel);
                s.set_provenance(options.provenance);
                s.set_limits(l.max_expansions, l.max_buffered_rows);
                s.set_memory_limits(l.max_memory, l.max_value_bytes);
                s.set_as_of(options.as_of.clone())
            }
        }
    }
    /// Runs `text`, whose parse `parsed` is when the plan cache has it.
    fn run_with(
        &mut self,
        text: &str,
        parsed: Option<&Statement>,
        params: &BTreeMap<String, Value>,
    ) -> Result<QueryResult> {
        match (self, parsed) {
            (Backend::Memory(s), Some(st)) => s.run_parsed(st, text, params, None),
            (Backend::Memory(s), None) => s.run_with(text, params),
            (Backend::Store(s), Some(st)) => s.run_parsed(st, text, params),
            (Backend::Store(s), None) => s.run_with(text, params),
        }
    }
    fn in_transaction(&self) -> bool {
        match self {
            Backend::Memory(s) => s.in_transaction(),
            Backend::Store(s) => s.in_transaction(),
        }
    }
    fn begin(&mut self) -> Result<()> {
        match self {
            Backend::Memory(s) => s.begin(),
            Backend::Store(s) => s.begin(),
        }
    }
    fn commit(&mut self) -> Result<Stats> {
        match self {
            Backend::Memory(s) => s.commit(),
            Backend::Store(s) => s.commit(),
        }
    }
    fn rollback(&mut self) -> Result<()> {
        match self {
            Backend::Memory(s) => s.rollback(),
            Backend::Store(s) => s.rollback(),
        }
    }
}

#[derive(Debug)]
struct Shared {
    backend: RwLock<Backend>,
    gate: Gate,
    config: Mutex<Config>,
    next_id: AtomicU64,
    store_path: Option<PathBuf>,
    /// Parsed statements and bound read plans.
    plans: PlanCache,
    /// The graph's version for [`PlanCache`]: bumped each time the
    /// writer's lock is taken (every change to the graph happens under it).
    version: AtomicU64,
}

/// A graph shared by many threads. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Database {
    shared: Arc<Shared>,
}

fn write_refused(mode_read_only: bool) -> Error {
    if mode_read_only {
        Error::new(
            ErrorClass::SemanticError,
            "ReadOnlyStore",
            "the database is open read-only: write statements are refused",
        )
    } else {
        Error::new(
            ErrorClass::SemanticError,
            "WriteInReadTransaction",
            "a write statement cannot run in a read transaction",
        )
    }
}

impl Database {
    fn with_backend(backend: Backend, store_path: Option<PathBuf>, read_only: bool) -> Database {
        Database {
            shared: Arc::new(Shared {
                backend: RwLock::new(backend),
                gate: Gate::default(),
                config: Mutex::new(Config {
                    read_only,
                    lock_timeout: Duration::from_secs(10),
                    default_timeout: None,
                    limits: Limits::default(),
                }),
                next_id: AtomicU64::new(1),
                store_path,
                plans: PlanCache::default(),
                version: AtomicU64::new(0),
            }),
        }
    }

    /// A database on `graph`, kept in memory.
    pub fn in_memory(graph: Graph) -> Database {
        Database::with_backend(Backend::Memory(Session::with_graph(graph)), None, false)
    }

    /// The bundled example graph, in memory.
    pub fn bundled() -> Result<Database> {
        crate::bundled::graph().map(Database::in_memory)
    }

    /// A graph built by running a query script, in memory.
    pub fn from_script(script: &str) -> Result<Database> {
        let mut session = Session::new();
        session.run_script(script)?;
        Ok(Database::in_memory(session.into_graph()))
    }

    /// Opens the durable store at `path` (its lock is held until the last
    /// clone of the handle is dropped or [`Database::close`] is called).
    pub fn open_store(path: impl AsRef<Path>, options: OpenOptions) -> Result<Database> {
        let store = Store::open(path.as_ref(), options)?;
        let path = store.path().to_path_buf();
        Ok(Database::with_backend(
            Backend::Store(store),
            Some(path),
            options.read_only,
        ))
    }

    /// Opens GRAPH as the `kgq` command does: a snapshot file is opened as
    /// a durable store (read-only when asked), any other file is run as a
    /// query script into a graph in memory, and no path means the bundled
    /// graph.
    pub fn open(path: Option<&Path>, read_only: bool) -> Result<Database> {
        let db = match path {
            Some(p) if crate::snapshot::is_snapshot_file(p).unwrap_or(false) => {
                let options = OpenOptions {
                    read_only,
                    create: false,
                };
                return Database::open_store(p, options);
            }
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::io(&p.display().to_string(), &e))?;
                Database::from_script(&text)?
            }
            None => Database::bundled()?,
        };
        db.set_read_only(read_only);
        Ok(db)
    }

    fn config(&self) -> Config {
        self.shared
            .config
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut Config)) {
        f(&mut self.shared.config.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Refuses (`true`) or allows write statements from now on.
    pub fn set_read_only(&self, read_only: bool) {
        self.update(|c| c.read_only = read_only);
    }

    /// Whether write statements are refused.
    pub fn is_read_only(&self) -> bool {
        self.config().read_only
    }

    /// How long a writer waits for its turn (and a reader for a write
    /// transaction to end) before failing with `TransientError`
    /// (default 10 s).
    pub fn set_lock_timeout(&self, wait: Duration) {
        self.update(|c| c.lock_timeout = wait);
    }

    /// The time limit of statements whose [`RunOptions`] set none.
    pub fn set_default_timeout(&self, timeout: Option<Duration>) {
        self.update(|c| c.default_timeout = timeout);
    }

    /// The expansion, row and memory limits of every statement (its
    /// `deadline` is ignored; use timeouts).
    pub fn set_limits(&self, limits: Limits) {
        self.update(|c| c.limits = limits);
    }

    /// The store's snapshot path, when this is a durable store.
    pub fn store_path(&self) -> Option<&Path> {
        self.shared.store_path.as_deref()
    }

    fn next_id(&self) -> u64 {
        self.shared.next_id.fetch_add(1, Ordering::Relaxed)
    }

    fn read_backend(&self) -> RwLockReadGuard<'_, Backend> {
        self.shared
            .backend
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The backend for changing; the graph counts as changed (cached plans
    /// are bound again).
    fn write_backend(&self) -> RwLockWriteGuard<'_, Backend> {
        let backend = self
            .shared
            .backend
            .write()
            .unwrap_or_else(|e| e.into_inner());
        self.shared.version.fetch_add(1, Ordering::AcqRel);
        backend
    }

    /// What the plan cache has done: statements parsed, plans reused and
    /// bound (see [`crate::session::plan_cache`]).
    pub fn plan_cache_stats(&self) -> CacheStats {
        self.shared.plans.stats()
    }

    /// How many statement texts the plan cache keeps (default
    /// [`DEFAULT_CAPACITY`](crate::session::plan_cache::DEFAULT_CAPACITY); 0 turns it off).
    pub fn set_plan_cache_capacity(&self, capacity: usize) {
        self.shared.plans.set_capacity(capacity);
    }

    /// Runs one statement in its own transaction (auto-commit).
    pub fn run(&self, text: &str, options: &RunOptions) -> Result<QueryResult> {
        self.run_map(text, options, |_, r| r)
    }

    /// Like [`Database::run`], then calls `f` with the graph the result
    /// refers to (still locked, so node and relationship ids in the rows
    /// can be looked up) and returns what `f` returns.
    pub fn run_map<R>(
        &self,
        text: &str,
        options: &RunOptions,
        f: impl FnOnce(&Graph, QueryResult) -> R,
    ) -> Result<R> {
        let me = self.next_id();
        let mut state = TxState {
            id: me,
            mode: AccessMode::Write,
            explicit: false,
            holds_turn: false,
        };
        let out = self.run_in(&mut state, text, options, f);
        if state.holds_turn {
            self.shared.gate.release(me);
        }
        out
    }

    /// Reads the graph as last committed (waiting, like a read statement,
    /// while a write transaction is open).
    pub fn read<R>(&self, f: impl FnOnce(&Graph) -> R) -> Result<R> {
        let wait = self.config().lock_timeout;
        let gate = self.shared.gate.wait_for_readers(None, wait)?;
        let backend = self.read_backend();
        drop(gate);
        Ok(f(backend.graph()))
    }

    /// Starts a transaction. It takes nothing until its first write.
    pub fn begin(&self, mode: AccessMode) -> Transaction {
        Transaction {
            db: self.clone(),
            state: TxState {
                id: self.next_id(),
                mode,
                explicit: true,
                holds_turn: false,
            },
            finished: false,
        }
    }

    /// Folds a store's journal into its snapshot (waits for the writer
    /// turn); nothing to do in memory.
    pub fn checkpoint(&self) -> Result<()> {
        let me = self.next_id();
        self.shared.gate.acquire(me, self.config().lock_timeout)?;
        let out = match &mut *self.write_backend() {
            Backend::Store(s) => s.checkpoint(),
            Backend::Memory(_) => Ok(()),
        };
        self.shared.gate.release(me);
        out
    }

    /// Changes the graph in code (a bulk load, say) holding the writer
    /// turn: in memory directly, in a store followed by a checkpoint so
    /// the change is durable when this returns (see
    /// [`Store::change_and_checkpoint`]). `change` must check its input
    /// before changing anything: when it fails, the graph must be as it
    /// was. Refused when the database is read-only.
    pub fn change<T>(&self, change: impl FnOnce(&mut Graph) -> Result<T>) -> Result<T> {
        let config = self.config();
        if config.read_only {
            return Err(write_refused(true));
        }
        let me = self.next_id();
        self.shared.gate.acquire(me, config.lock_timeout)?;
        let out = match &mut *self.write_backend() {
            Backend::Store(s) => s.change_and_checkpoint(change),
            Backend::Memory(s) => change(s.graph_mut()),
        };
        self.shared.gate.release(me);
        out
    }

    /// Runs `text` for the transaction `tx` (or an auto-commit statement).
    fn run_in<R>(
        &self,
        tx: &mut TxState,
        text: &str,
        options: &RunOptions,
        f: impl FnOnce(&Graph, QueryResult) -> R,
    ) -> Result<R> {
        let config = self.config();
        let cancel = options.cancel.clone().unwrap_or_default();
        {
            let me = tx.holds_turn.then_some(tx.id);
            let gate = self.shared.gate.wait_for_readers(me, config.lock_timeout)?;
            let backend = self.read_backend();
            drop(gate);
            let timeout = options.timeout.or(config.default_timeout);
            let limits = Limits {
                deadline: timeout.map(|t| Instant::now() + t),
                ..config.limits.clone()
            };
            let plan_options = PlanOptions {
                as_of: options.as_of.clone(),
                provenance: options.provenance,
                ..PlanOptions::default()
            };
            let version = self.shared.version.load(Ordering::Acquire);
            let call = ReadCall {
                params: &options.params,
                options: &plan_options,
                limits: &limits,
                cancel: cancel.flag(),
                cache: Some((&self.shared.plans, version)),
            };
            if let Some(result) = run_read(backend.graph(), text, &call)? {
                return Ok(f(backend.graph(), result));
            }
        }
        if config.read_only || tx.mode == AccessMode::Read {
            return Err(write_refused(config.read_only));
        }
        if !tx.holds_turn {
            self.shared.gate.acquire(tx.id, config.lock_timeout)?;
            tx.holds_turn = true;
        }
        let mut backend = self.write_backend();
        backend.session_settings(options, cancel, &config)?;
        if tx.explicit && !backend.in_transaction() {
            backend.begin()?;
        }
        let parsed = self.shared.plans.parsed(text);
        let result = backend.run_with(text, parsed.as_deref(), &options.params)?;
        Ok(f(backend.graph(), result))
    }

    /// Commits or rolls back the transaction's changes and gives the turn
    /// back.
    fn finish(&self, tx: &mut TxState, commit: bool) -> Result<Stats> {
        if !tx.holds_turn {
            return Ok(Stats::default());
        }
        let out = {
            let mut backend = self.write_backend();
            if !backend.in_transaction() {
                Ok(Stats::default())
            } else if commit {
                backend.commit()
            } else {
                backend.rollback().map(|()| Stats::default())
            }
        };
        tx.holds_turn = false;
        self.shared.gate.release(tx.id);
        out
    }

    /// Rolls back what an open transaction left (none should remain once
    /// every [`Transaction`] is dropped) and checkpoints a store. The
    /// store's lock is released when the last clone of the handle goes.
    pub fn close(&self) -> Result<()> {
        let me = self.next_id();
        self.shared.gate.acquire(me, self.config().lock_timeout)?;
        let out = match &mut *self.write_backend() {
            Backend::Store(s) => {
                if s.in_transaction() {
                    let _ = s.rollback();
                }
                s.checkpoint()
            }
            Backend::Memory(s) => {
                if s.in_transaction() {
                    let _ = s.rollback();
                }
                Ok(())
            }
        };
        self.shared.gate.release(me);
        out
    }
}

/// What a transaction holds.
#[derive(Debug)]
struct TxState {
    id: u64,
    mode: AccessMode,
    /// An explicit transaction (else one auto-commit statement).
    explicit: bool,
    holds_turn: bool,
}

/// A multi-statement transaction. Dropped without [`Transaction::commit`],
/// it rolls back.
#[derive(Debug)]
pub struct Transaction {
    db: Database,
    state: TxState,
    finished: bool,
}

impl Transaction {
    /// Whether the transaction may write.
    pub fn mode(&self) -> AccessMode {
        self.state.mode
    }

    /// Runs one statement inside the transaction; it sees the
    /// transaction's earlier writes. A failing statement changes nothing,
    /// and the transaction stays open.
    pub fn run(&mut self, text: &str, options: &RunOptions) -> Result<QueryResult> {
        self.run_map(text, options, |_, r| r)
    }

    /// Like [`Transaction::run`], then calls `f` with the graph the result
    /// refers to (see [`Database::run_map`]).
    pub fn run_map<R>(
        &mut self,
        text: &str,
        options: &RunOptions,
        f: impl FnOnce(&Graph, QueryResult) -> R,
    ) -> Result<R> {
        self.db.run_in(&mut self.state, text, options, f)
    }

    /// Keeps every change: on a store they are journaled and synced
    /// before this returns `Ok`. Returns the transaction's total counts.
    pub fn commit(mut self) -> Result<Stats> {
        self.finished = true;
        self.db.finish(&mut self.state, true)
    }

    /// Undoes every change.
    pub fn rollback(mut self) -> Result<()> {
        self.finished = true;
        self.db.finish(&mut self.state, false).map(|_| ())
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.db.finish(&mut self.state, false);
        }
    }
}
