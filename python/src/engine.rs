//! The graph behind a `kgq.Database`: an in-memory session or a durable
//! store, behind one lock, with the GIL released while statements run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::ThreadId;
use std::time::Duration;

use kgq::store::{OpenOptions, Store};
use kgq::{CancelHandle, ErrorClass, Graph, QueryResult, Session, Value};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::bulk;
use crate::convert;
use crate::errors;
use crate::out;
use crate::result::RawResult;

/// The thread the module was imported on: the only one Python delivers
/// signals to.
pub static MAIN_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Where the graph lives.
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

    fn cancel_handle(&self) -> CancelHandle {
        match self {
            Backend::Memory(s) => s.cancel_handle(),
            Backend::Store(s) => s.session().cancel_handle(),
        }
    }

    fn configure(&mut self, req: &Request) -> kgq::Result<()> {
        match self {
            Backend::Memory(s) => {
                s.set_as_of(req.as_of.clone())?;
                s.set_provenance(req.why);
                s.set_timeout(req.timeout);
            }
            Backend::Store(s) => {
                s.set_as_of(req.as_of.clone())?;
                s.set_provenance(req.why);
                s.set_timeout(req.timeout);
            }
        }
        Ok(())
    }

    fn run(&mut self, text: &str, params: &BTreeMap<String, Value>) -> kgq::Result<QueryResult> {
        match self {
            Backend::Memory(s) => s.run_with(text, params),
            Backend::Store(s) => s.run_with(text, params),
        }
    }
}

/// One call of `execute`.
struct Request {
    text: String,
    params: BTreeMap<String, Value>,
    as_of: Option<Value>,
    why: bool,
    timeout: Option<Duration>,
}

/// What running a request gave.
enum Outcome {
    Done(Vec<RawResult>),
    Failed(kgq::Error),
    Closed,
}

/// A graph shared by every connection of one `kgq.Database`.
#[pyclass(frozen, module = "kgq._kgq")]
pub struct Engine {
    state: Mutex<Option<Backend>>,
    cancel: CancelHandle,
    durable: bool,
    /// Set by `close`; read without waiting for a running statement.
    is_closed: AtomicBool,
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
    fn new(backend: Backend) -> Engine {
        let durable = matches!(backend, Backend::Store(_));
        Engine {
            cancel: backend.cancel_handle(),
            state: Mutex::new(Some(backend)),
            durable,
            is_closed: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Backend>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the open backend with the GIL released.
    fn with_backend<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Backend) -> kgq::Result<T> + Send,
    ) -> PyResult<T> {
        let outcome = py.detach(|| {
            let mut guard = self.lock();
            guard.as_mut().map(f)
        });
        match outcome {
            None => Err(closed_error(py)),
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(errors::to_py(py, &e, "")),
        }
    }

    /// Changes the graph in code: in memory directly, in a store followed
    /// by a checkpoint (so the change is durable when this returns).
    fn with_change<T: Send>(
        &self,
        py: Python<'_>,
        change: impl FnOnce(&mut Graph) -> kgq::Result<T> + Send,
    ) -> PyResult<T> {
        self.with_backend(py, |b| match b {
            Backend::Memory(s) => change(s.graph_mut()),
            Backend::Store(s) => s.change_and_checkpoint(change),
        })
    }

    fn run_request(&self, req: &Request) -> Outcome {
        let mut guard = self.lock();
        let Some(backend) = guard.as_mut() else {
            return Outcome::Closed;
        };
        if let Err(e) = backend.configure(req) {
            return Outcome::Failed(e);
        }
        let chunks = kgq::syntax::split_script(&req.text);
        let mut results = Vec::with_capacity(chunks.len());
        let mut failure = None;
        for chunk in &chunks {
            let text = req
                .text
                .get(chunk.span.start..chunk.span.end)
                .unwrap_or_default();
            match backend.run(text, &req.params) {
                Ok(result) => results.push(RawResult::new(result, backend.graph())),
                Err(e) => {
                    failure = Some(e.shifted(chunk.span.start));
                    break;
                }
            }
        }
        if chunks.is_empty() {
            failure = Some(kgq::Error::syntax(
                "EmptyQuery",
                "the query text holds no statement",
            ));
        }
        let reset = Request {
            text: String::new(),
            params: BTreeMap::new(),
            as_of: None,
            why: false,
            timeout: None,
        };
        let _ = backend.configure(&reset);
        match failure {
            Some(e) => Outcome::Failed(e),
            None => Outcome::Done(results),
        }
    }

    /// Runs `req`; on the main thread in a worker thread, polling for
    /// signals so that Ctrl-C cancels the statement (which rolls back).
    fn run_interruptible(&self, py: Python<'_>, req: &Request) -> PyResult<Outcome> {
        let on_main = MAIN_THREAD.get() == Some(&std::thread::current().id());
        if !on_main {
            return Ok(py.detach(|| self.run_request(req)));
        }
        let slot: (Mutex<Option<Outcome>>, Condvar) = (Mutex::new(None), Condvar::new());
        std::thread::scope(|scope| {
            let slot = &slot;
            scope.spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.run_request(req)
                }))
                .unwrap_or_else(|_| {
                    Outcome::Failed(kgq::Error::new(
                        ErrorClass::SemanticError,
                        "InternalError",
                        "kgq failed unexpectedly while running the statement",
                    ))
                });
                *slot.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                slot.1.notify_all();
            });
            let wait = || {
                let guard = slot.0.lock().unwrap_or_else(|e| e.into_inner());
                let (mut guard, _) = slot
                    .1
                    .wait_timeout_while(guard, Duration::from_millis(50), |o| o.is_none())
                    .unwrap_or_else(|e| e.into_inner());
                guard.take()
            };
            let mut interrupted: Option<PyErr> = None;
            loop {
                if let Some(outcome) = py.detach(wait) {
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
                    self.cancel.cancel();
                }
            }
        })
    }
}

#[pymethods]
impl Engine {
    /// An empty in-memory graph.
    #[staticmethod]
    fn memory() -> Engine {
        Engine::new(Backend::Memory(Session::new()))
    }

    /// The bundled article graph, in memory.
    #[staticmethod]
    fn example(py: Python<'_>) -> PyResult<Engine> {
        let graph = kgq::bundled::graph().map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(Engine::new(Backend::Memory(Session::with_graph(graph))))
    }

    /// A `.kgq` script run into an in-memory graph.
    #[staticmethod]
    fn script(py: Python<'_>, text: String) -> PyResult<Engine> {
        let mut session = Session::new();
        py.detach(|| session.run_script(&text))
            .map_err(|e| errors::to_py(py, &e, &text))?;
        Ok(Engine::new(Backend::Memory(session)))
    }

    /// A snapshot loaded into memory (read-only use of a file).
    #[staticmethod]
    fn snapshot(py: Python<'_>, path: String) -> PyResult<Engine> {
        let graph = py
            .detach(|| kgq::snapshot::load(&path))
            .map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(Engine::new(Backend::Memory(Session::with_graph(graph))))
    }

    /// The durable store at `path` (created if missing unless read-only).
    #[staticmethod]
    fn store(py: Python<'_>, path: String, read_only: bool) -> PyResult<Engine> {
        let options = if read_only {
            OpenOptions::read_only()
        } else {
            OpenOptions::create()
        };
        let store = py
            .detach(|| Store::open(&path, options))
            .map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(Engine::new(Backend::Store(store)))
    }

    /// Whether the graph is a durable store.
    #[getter]
    fn durable(&self) -> bool {
        self.durable
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
        let req = Request {
            text,
            params,
            as_of,
            why,
            timeout,
        };
        match self.run_interruptible(py, &req)? {
            Outcome::Done(results) => Ok(results),
            Outcome::Failed(e) => Err(errors::to_py(py, &e, &req.text)),
            Outcome::Closed => Err(closed_error(py)),
        }
    }

    /// Saves the graph as a snapshot at `path`.
    fn save(&self, py: Python<'_>, path: String) -> PyResult<()> {
        self.with_backend(py, |b| kgq::snapshot::save(b.graph(), &path))
    }

    /// Folds a store's journal into its snapshot (nothing in memory).
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        self.with_backend(py, |b| match b {
            Backend::Store(s) => s.checkpoint(),
            Backend::Memory(_) => Ok(()),
        })
    }

    /// Closes the database (a store is checkpointed and unlocked).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.is_closed.store(true, Ordering::Release);
        let backend = py.detach(|| self.lock().take());
        match backend {
            Some(Backend::Store(store)) => py
                .detach(|| store.close())
                .map_err(|e| errors::to_py(py, &e, "")),
            _ => Ok(()),
        }
    }

    /// Asks the running statement to stop (it rolls back).
    fn interrupt(&self) {
        self.cancel.cancel();
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
        let found = self.with_backend(py, |b| {
            let g = b.graph();
            Ok(kgq::resolve::find(g, &text, min, limit)
                .into_iter()
                .map(|c| (c.score, out::node(g, c.node), c.matched))
                .collect::<Vec<_>>())
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

    /// Adds a node per row (see `kgq.Connection.load_nodes`).
    #[pyo3(signature = (label, names, columns, key=None))]
    fn load_nodes<'py>(
        &self,
        py: Python<'py>,
        label: String,
        names: Vec<String>,
        columns: Vec<Bound<'py, PyList>>,
        key: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let cols = columns_of(names, &columns)?;
        let stats = self.with_change(py, |g| bulk::load_nodes(g, &label, &cols, key))?;
        stats_dict(py, &stats)
    }

    /// Adds a relationship per row (see `kgq.Connection.load_relationships`).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (rel_type, names, columns, src_label, src_key, src_column, dst_label, dst_key, dst_column))]
    fn load_relationships<'py>(
        &self,
        py: Python<'py>,
        rel_type: String,
        names: Vec<String>,
        columns: Vec<Bound<'py, PyList>>,
        src_label: Option<String>,
        src_key: String,
        src_column: usize,
        dst_label: Option<String>,
        dst_key: String,
        dst_column: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let cols = columns_of(names, &columns)?;
        let src = bulk::Ends {
            label: src_label.as_deref(),
            key: &src_key,
            column: src_column,
        };
        let dst = bulk::Ends {
            label: dst_label.as_deref(),
            key: &dst_key,
            column: dst_column,
        };
        let stats = self.with_change(py, |g| {
            bulk::load_relationships(g, &rel_type, &src, &dst, &cols)
        })?;
        stats_dict(py, &stats)
    }

    /// How many nodes and relationships the graph holds.
    fn counts(&self, py: Python<'_>) -> PyResult<(usize, usize)> {
        self.with_backend(py, |b| {
            Ok((b.graph().node_count(), b.graph().relationship_count()))
        })
    }

    /// The differences from `self` to `other`, as plain Python data.
    fn diff<'py>(&self, py: Python<'py>, other: &Engine) -> PyResult<Bound<'py, PyAny>> {
        let same = std::ptr::eq(self, other);
        let diff = py.detach(|| {
            let a = self.lock();
            if same {
                return a.as_ref().map(|a| kgq::diff::diff(a.graph(), a.graph()));
            }
            let b = other.lock();
            match (a.as_ref(), b.as_ref()) {
                (Some(a), Some(b)) => Some(kgq::diff::diff(a.graph(), b.graph())),
                _ => None,
            }
        });
        match diff {
            Some(d) => crate::diffpy::to_py(py, &d),
            None => Err(closed_error(py)),
        }
    }
}

/// Python columns as values; a cell that cannot be converted is a
/// `TypeError` naming its column and row.
fn columns_of(names: Vec<String>, columns: &[Bound<'_, PyList>]) -> PyResult<bulk::Columns> {
    if names.len() != columns.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "one name is needed per column",
        ));
    }
    let rows = columns.first().map_or(0, |c| c.len());
    let mut values = Vec::with_capacity(columns.len());
    for (name, column) in names.iter().zip(columns) {
        if column.len() != rows {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "column `{name}` has {} values, not {rows}",
                column.len()
            )));
        }
        let mut out = Vec::with_capacity(rows);
        for (row, cell) in column.iter().enumerate() {
            out.push(convert::one_value(
                &cell,
                &format!("column '{name}', row {row}"),
            )?);
        }
        values.push(out);
    }
    Ok(bulk::Columns { names, values })
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
