//! The graph behind a `kgq.Database`: an in-memory session or a durable
//! store, behind one lock, with the GIL released while statements run.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicU64;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, RwLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use kgq::database::{Database, RunOptions};
use kgq::store::OpenOptions;
use kgq::{CancelHandle, ErrorClass, Graph};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::arrowpy;
use crate::convert;
use crate::errors;
use crate::out;
use crate::result::RawResult;
use crate::signals;
use crate::worker;
use kgq::arrow::upsert;

/// The thread the module was imported on: the only one Python delivers
/// signals to.
pub static MAIN_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// One call of `execute`.
struct Request {
    text: String,
    options: RunOptions,
}

/// What running a request gave.
enum Outcome {
    Done(Vec<RawResult>),
    Failed(kgq::Error),
    Closed,
}

/// The graph behind one `kgq.Database`, shared by its connections and
/// threads: a [`Database`] handle (parallel reads, writers in turn).
#[pyclass(frozen, module = "kgq._kgq")]
pub struct Engine {
    db: RwLock<Option<Database>>,
    durable: bool,
    /// Set by `close`; read without waiting for a running statement.
    is_closed: AtomicBool,
    /// The cancel handles of the statements running now, by call number.
    running: Mutex<HashMap<u64, CancelHandle>>,
    next_call: AtomicU64,
}

fn closed_error(py: Python<'_>) -> PyErr {
    errors::make(
        py,
        ErrorClass::IoError,
        "DatabaseClosed",
        "the database is closed; open it again with kgq.Database(...)",
    )
}

impl Engine {
    fn new(db: Database) -> Engine {
        Engine {
            durable: db.store_path().is_some(),
            db: RwLock::new(Some(db)),
            is_closed: AtomicBool::new(false),
            running: Mutex::new(HashMap::new()),
            next_call: AtomicU64::new(1),
        }
    }

    /// The database handle (a cheap clone), unless closed.
    fn handle(&self) -> Option<Database> {
        self.db.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn running(&self) -> MutexGuard<'_, HashMap<u64, CancelHandle>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the open database with the GIL released.
    fn with_db<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Database) -> kgq::Result<T> + Send,
    ) -> PyResult<T> {
        let outcome = py.detach(|| self.handle().map(|db| f(&db)));
        match outcome {
            None => Err(closed_error(py)),
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(errors::to_py(py, &e, "")),
        }
    }

    /// Runs `req` with the GIL released, so that Ctrl-C cancels the
    /// statement (which rolls back) when called on the main thread: there
    /// the statement runs on this thread while [`signals`] watches for
    /// SIGINT, or, when it cannot, in the worker thread
    /// ([`worker::submit`]) while this thread polls for signals.
    fn run_interruptible(
        &self,
        py: Python<'_>,
        req: Request,
        cancel: &CancelHandle,
        call: u64,
    ) -> PyResult<Outcome> {
        let db = self.handle();
        let on_main = MAIN_THREAD.get() == Some(&std::thread::current().id());
        if !on_main {
            return Ok(py.detach(|| run_request(db, &req)));
        }
        if let Some(armed) = signals::arm(py, cancel, call) {
            let done = py.detach(|| catch_unwind(AssertUnwindSafe(|| run_request(db, &req))));
            armed.disarm(py)?;
            return Ok(done.unwrap_or_else(|_| internal_failure()));
        }
        let pending = worker::submit(move || run_request(db, &req));
        let mut interrupted: Option<PyErr> = None;
        loop {
            if let Some(done) = py.detach(|| pending.wait(Duration::from_millis(50))) {
                let outcome = done.unwrap_or_else(|_| internal_failure());
                return match interrupted {
                    Some(e) => Err(e),
                    None => Ok(outcome),
                };
            }
            if interrupted.is_none()
                && let Err(e) = py.check_signals()
            {
                interrupted = Some(e);
            }
            if interrupted.is_some() {
                // Repeated: a statement starting resets the flag.
                cancel.cancel();
            }
        }
    }
}

/// What a statement that panicked gives.
fn internal_failure() -> Outcome {
    Outcome::Failed(kgq::Error::new(
        ErrorClass::SemanticError,
        "InternalError",
        "kgq failed unexpectedly while running the statement",
    ))
}

/// Runs the statements of `req` on `db` (`None`: closed).
fn run_request(db: Option<Database>, req: &Request) -> Outcome {
    let Some(db) = db else {
        return Outcome::Closed;
    };
    let chunks = kgq::syntax::split_script(&req.text);
    if chunks.is_empty() {
        return Outcome::Failed(kgq::Error::syntax(
            "EmptyQuery",
            "the query text holds no statement",
        ));
    }
    let mut results = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        let text = req
            .text
            .get(chunk.span.start..chunk.span.end)
            .unwrap_or_default();
        let started = Instant::now();
        match db.run_map(text, &req.options, |graph, result| {
            RawResult::new(result, graph)
        }) {
            Ok(mut result) => {
                result.set_elapsed(started.elapsed());
                results.push(result);
            }
            Err(e) => return Outcome::Failed(e.shifted(chunk.span.start)),
        }
    }
    Outcome::Done(results)
}

#[pymethods]
impl Engine {
    /// An empty in-memory graph.
    #[staticmethod]
    fn memory() -> Engine {
        Engine::new(Database::in_memory(Graph::new()))
    }

    /// The bundled article graph, in memory.
    #[staticmethod]
    fn example(py: Python<'_>) -> PyResult<Engine> {
        let db = Database::bundled().map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(Engine::new(db))
    }

    /// A `.kgq` script run into an in-memory graph.
    #[staticmethod]
    fn script(py: Python<'_>, text: String) -> PyResult<Engine> {
        let db = py
            .detach(|| Database::from_script(&text))
            .map_err(|e| errors::to_py(py, &e, &text))?;
        Ok(Engine::new(db))
    }

    /// The durable store at `path` (created if missing unless read-only).
    #[staticmethod]
    fn store(py: Python<'_>, path: String, read_only: bool) -> PyResult<Engine> {
        let options = if read_only {
            OpenOptions::read_only()
        } else {
            OpenOptions::create()
        };
        let db = py
            .detach(|| Database::open_store(&path, options))
            .map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(Engine::new(db))
    }

    /// Whether the graph is a durable store.
    #[getter]
    fn durable(&self) -> bool {
        self.durable
    }

    /// How many statements are running on this database now.
    #[getter]
    fn running_statements(&self) -> usize {
        self.running().len()
    }

    /// Whether the database was closed.
    #[getter]
    fn closed(&self) -> bool {
        self.is_closed.load(Ordering::Acquire)
    }

    /// Runs the statements of `text`; one result per statement.
    #[pyo3(signature = (text, params=None, as_of=None, why=false, timeout=None))]
    fn execute(
        &self,
        py: Python<'_>,
        text: String,
        params: Option<&Bound<'_, PyAny>>,
        as_of: Option<&Bound<'_, PyAny>>,
        why: bool,
        timeout: Option<f64>,
    ) -> PyResult<Vec<RawResult>> {
        let params = convert::params(params)?;
        let as_of = match as_of.filter(|v| !v.is_none()) {
            Some(v) => Some(convert::one_value(v, "as_of")?),
            None => None,
        };
        let timeout = match timeout {
            Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t.min(1e9))),
            Some(t) => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "timeout must be a positive number of seconds, not {t}"
                )));
            }
            None => None,
        };
        let cancel = CancelHandle::default();
        let req = Request {
            text,
            options: RunOptions {
                params,
                timeout,
                cancel: Some(cancel.clone()),
                as_of,
                provenance: why,
            },
        };
        let call = self.next_call.fetch_add(1, Ordering::Relaxed);
        self.running().insert(call, cancel.clone());
        let text = req.text.clone();
        let outcome = self.run_interruptible(py, req, &cancel, call);
        self.running().remove(&call);
        match outcome? {
            Outcome::Done(results) => Ok(results),
            Outcome::Failed(e) => Err(errors::to_py(py, &e, &text)),
            Outcome::Closed => Err(closed_error(py)),
        }
    }

    /// Saves the graph as a snapshot at `path`.
    fn save(&self, py: Python<'_>, path: String) -> PyResult<()> {
        self.with_db(py, |db| db.read(|g| kgq::snapshot::save(g, &path))?)
    }

    /// Folds a store's journal into its snapshot (nothing in memory).
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        self.with_db(py, Database::checkpoint)
    }

    /// Closes the database (a store is checkpointed and unlocked).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.is_closed.store(true, Ordering::Release);
        let db = self.db.write().unwrap_or_else(|e| e.into_inner()).take();
        match db {
            // Dropping the last handle releases a store's lock.
            Some(db) => py
                .detach(move || db.close())
                .map_err(|e| errors::to_py(py, &e, "")),
            None => Ok(()),
        }
    }

    /// Asks every statement running on this database to stop (each rolls
    /// back).
    fn interrupt(&self) {
        for cancel in self.running().values() {
            cancel.cancel();
        }
    }

    /// Nodes whose names or aliases resemble `text`: (score, node, alias).
    #[pyo3(signature = (text, limit=10, min_score=None))]
    fn find<'py>(
        &self,
        py: Python<'py>,
        text: String,
        limit: usize,
        min_score: Option<f64>,
    ) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let min = min_score.unwrap_or(kgq::resolve::FIND_THRESHOLD);
        let found = self.with_db(py, |db| {
            db.read(|g| {
                kgq::resolve::find(g, &text, min, limit)
                    .into_iter()
                    .map(|c| (c.score, out::node(g, c.node), c.matched))
                    .collect::<Vec<_>>()
            })
        })?;
        found
            .into_iter()
            .map(|(score, node, matched)| {
                PyTuple::new(
                    py,
                    [
                        score.into_pyobject(py)?.into_any(),
                        convert::node_to_py(py, &node)?,
                        matched.into_pyobject(py)?.into_any(),
                    ],
                )
            })
            .collect()
    }

    /// Adds a node per row of `data`, an Arrow stream (any object with
    /// `__arrow_c_stream__`); see `kgq.Connection.load_nodes`.
    #[pyo3(signature = (label, data, key=None))]
    fn load_nodes<'py>(
        &self,
        py: Python<'py>,
        label: String,
        data: Bound<'py, PyAny>,
        key: Option<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let batches = arrowpy::read_batches(py, &data)?;
        let names = batches.names();
        let key = key.map(|k| column_index(&names, &k)).transpose()?;
        let stats = self.with_db(py, |db| {
            let cols = batches.decode()?;
            db.change(|g| upsert::load_nodes(g, &label, cols, key))
        })?;
        stats_dict(py, &stats)
    }

    /// Adds a relationship per row of `data`, an Arrow stream; see
    /// `kgq.Connection.load_relationships`.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (rel_type, data, src_label, src_key, src_column, dst_label, dst_key, dst_column))]
    fn load_relationships<'py>(
        &self,
        py: Python<'py>,
        rel_type: String,
        data: Bound<'py, PyAny>,
        src_label: Option<String>,
        src_key: String,
        src_column: String,
        dst_label: Option<String>,
        dst_key: String,
        dst_column: String,
    ) -> PyResult<Bound<'py, PyDict>> {
        let batches = arrowpy::read_batches(py, &data)?;
        let names = batches.names();
        let src = upsert::Ends {
            label: src_label.as_deref(),
            key: &src_key,
            column: column_index(&names, &src_column)?,
        };
        let dst = upsert::Ends {
            label: dst_label.as_deref(),
            key: &dst_key,
            column: column_index(&names, &dst_column)?,
        };
        let stats = self.with_db(py, |db| {
            let cols = batches.decode()?;
            db.change(|g| upsert::load_relationships(g, &rel_type, &src, &dst, cols))
        })?;
        stats_dict(py, &stats)
    }

    /// What the plan cache has done: a dict of `parses`, `plan_hits`,
    /// `plan_misses` and `entries` (statement texts held now).
    fn plan_cache_stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let Some(db) = self.handle() else {
            return Err(closed_error(py));
        };
        let s = db.plan_cache_stats();
        let dict = PyDict::new(py);
        dict.set_item("parses", s.parses)?;
        dict.set_item("plan_hits", s.plan_hits)?;
        dict.set_item("plan_misses", s.plan_misses)?;
        dict.set_item("entries", s.entries)?;
        Ok(dict)
    }

    /// How many statement texts the plan cache keeps (0 turns it off).
    fn set_plan_cache_capacity(&self, py: Python<'_>, capacity: usize) -> PyResult<()> {
        let Some(db) = self.handle() else {
            return Err(closed_error(py));
        };
        db.set_plan_cache_capacity(capacity);
        Ok(())
    }

    /// How many nodes and relationships the graph holds.
    fn counts(&self, py: Python<'_>) -> PyResult<(usize, usize)> {
        self.with_db(py, |db| {
            db.read(|g| (g.node_count(), g.relationship_count()))
        })
    }

    /// The differences from `self` to `other`, as plain Python data.
    fn diff<'py>(&self, py: Python<'py>, other: &Engine) -> PyResult<Bound<'py, PyAny>> {
        let (Some(a), Some(b)) = (self.handle(), other.handle()) else {
            return Err(closed_error(py));
        };
        let same = std::ptr::eq(self, other);
        let diff = py.detach(|| {
            if same {
                return a.read(|g| kgq::diff::diff(g, g));
            }
            a.read(|ga| b.read(|gb| kgq::diff::diff(ga, gb)))?
        });
        let diff = diff.map_err(|e| errors::to_py(py, &e, ""));
        crate::diffpy::to_py(py, &diff?)
    }
}

/// The index of the column named `name`; a `ValueError` when there is none.
fn column_index(names: &[String], name: &str) -> PyResult<usize> {
    names.iter().position(|n| n == name).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "column {name:?} is not among the columns {:?}",
            names
        ))
    })
}

/// Statistics as a dict, as `QueryResult.statistics` gives them.
pub fn stats_dict<'py>(py: Python<'py>, s: &kgq::Stats) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in [
        ("nodes_created", s.nodes_created),
        ("nodes_deleted", s.nodes_deleted),
        ("relationships_created", s.relationships_created),
        ("relationships_deleted", s.relationships_deleted),
        ("labels_added", s.labels_added),
        ("labels_removed", s.labels_removed),
        ("properties_set", s.properties_set),
        ("properties_removed", s.properties_removed),
    ] {
        dict.set_item(k, v)?;
    }
    Ok(dict)
}
