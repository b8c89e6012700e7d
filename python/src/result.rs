//! One statement's result, resolved and held in Rust; rows become Python
//! objects as they are fetched.

use std::sync::Arc;

use kgq::{Graph, QueryResult, Stats, Value};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::arrowpy::ArrowBatch;
use crate::convert::{out_to_py, rel_to_py, value_to_py};
use crate::errors;
use crate::out::{self, Out, RelOut};

/// The rows, columns, statistics and provenance of one statement.
#[pyclass(module = "kgq._kgq")]
pub struct RawResult {
    columns: Vec<String>,
    /// The rows as the engine gave them (for `kgq::arrow`, and for
    /// Python when no value holds an entity).
    values: Vec<Vec<Value>>,
    /// The rows with their entities resolved, only when some value holds
    /// a node, relationship or path (plain rows are not copied).
    resolved: Option<Vec<Vec<Out>>>,
    next: usize,
    stats: Stats,
    why: Option<Vec<Vec<Arc<RelOut>>>>,
    plan: Option<String>,
    elapsed_ms: f64,
    notifications: Vec<kgq::Notification>,
}

impl RawResult {
    /// Resolves `result`'s entities in `graph` (the graph it ran against).
    pub fn new(result: QueryResult, graph: &Graph) -> RawResult {
        let values = result.rows;
        let resolved = values
            .iter()
            .any(|row| row.iter().any(out::has_entity))
            .then(|| {
                values
                    .iter()
                    .map(|row| row.iter().map(|v| out::resolve(graph, v.clone())).collect())
                    .collect()
            });
        let why = result.why.map(|rows| {
            rows.into_iter()
                .map(|rels| {
                    rels.into_iter()
                        .map(|r| Arc::new(out::rel(graph, r)))
                        .collect()
                })
                .collect()
        });
        RawResult {
            columns: result.columns,
            values,
            resolved,
            next: 0,
            stats: result.stats,
            why,
            plan: result.plan,
            elapsed_ms: 0.0,
            notifications: result.notifications,
        }
    }

    /// Records how long the engine took (planning, running and resolving
    /// the rows' entities, without any Python conversion).
    pub fn set_elapsed(&mut self, elapsed: std::time::Duration) {
        self.elapsed_ms = elapsed.as_secs_f64() * 1e3;
    }

    /// How many rows the result has in all.
    fn len(&self) -> usize {
        self.values.len()
    }

    /// Row `i` as a Python list (`i` must be in range).
    fn row_to_py<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyAny>> = match &self.resolved {
            Some(rows) => rows[i]
                .iter()
                .map(|v| out_to_py(py, v))
                .collect::<PyResult<_>>()?,
            None => self.values[i]
                .iter()
                .map(|v| value_to_py(py, v))
                .collect::<PyResult<_>>()?,
        };
        PyList::new(py, items)
    }

    /// The value in row `row`, column `col`, if there is one.
    fn cell_to_py<'py>(
        &self,
        py: Python<'py>,
        row: usize,
        col: usize,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.resolved {
            Some(rows) => rows[row].get(col).map(|v| out_to_py(py, v)).transpose(),
            None => self.values[row]
                .get(col)
                .map(|v| value_to_py(py, v))
                .transpose(),
        }
    }
}

#[pymethods]
impl RawResult {
    /// The column names.
    fn columns(&self) -> Vec<String> {
        self.columns.clone()
    }

    /// How many rows the result has in all.
    fn __len__(&self) -> usize {
        self.len()
    }

    /// Whether a row is left to fetch.
    fn has_next(&self) -> bool {
        self.next < self.len()
    }

    /// The next row, or `None` when none is left.
    fn get_next<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        if self.next >= self.len() {
            return Ok(None);
        }
        self.next += 1;
        self.row_to_py(py, self.next - 1).map(Some)
    }

    /// Up to `n` next rows (all that are left with `None`).
    #[pyo3(signature = (n=None))]
    fn get_n<'py>(&mut self, py: Python<'py>, n: Option<usize>) -> PyResult<Bound<'py, PyList>> {
        let end = match n {
            Some(n) => self.next.saturating_add(n).min(self.len()),
            None => self.len(),
        };
        let rows = (self.next..end)
            .map(|i| self.row_to_py(py, i))
            .collect::<PyResult<Vec<_>>>()?;
        self.next = end;
        PyList::new(py, rows)
    }

    /// Starts fetching from the first row again.
    fn reset_iterator(&mut self) {
        self.next = 0;
    }

    /// Every row as one Arrow record batch, converted by
    /// `kgq::arrow::rows_to_batch` (read it with `pyarrow.table(batch)`).
    fn arrow(&self, py: Python<'_>) -> PyResult<ArrowBatch> {
        let batch = py
            .detach(|| kgq::arrow::rows_to_batch(&self.columns, &self.values))
            .map_err(|e| errors::to_py(py, &e, ""))?;
        Ok(ArrowBatch::new(batch))
    }

    /// Every value of column `i`, from the first row.
    fn column<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyList>> {
        let mut values = Vec::with_capacity(self.len());
        for row in 0..self.len() {
            if let Some(v) = self.cell_to_py(py, row, i)? {
                values.push(v);
            }
        }
        PyList::new(py, values)
    }

    /// What the statement changed, by counter name.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::engine::stats_dict(py, &self.stats)
    }

    /// With provenance on: per row, the relationships that produced it.
    fn why<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(why) = &self.why else {
            return Ok(None);
        };
        let outer = PyList::empty(py);
        for rels in why {
            let inner = PyList::empty(py);
            for r in rels {
                inner.append(rel_to_py(py, r)?)?;
            }
            outer.append(inner)?;
        }
        Ok(Some(outer))
    }

    /// Milliseconds the engine took, without converting rows to Python.
    fn elapsed_ms(&self) -> f64 {
        self.elapsed_ms
    }

    /// The plan, for EXPLAIN and PROFILE.
    fn plan(&self) -> Option<String> {
        self.plan.clone()
    }

    /// The statement's notifications, each as a dict shaped like Neo4j's
    /// (code, title, description, severity, category, position) plus
    /// `gql_status` and a one-line `message`.
    fn notifications<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for n in &self.notifications {
            let d = PyDict::new(py);
            d.set_item("code", n.code())?;
            d.set_item("gql_status", n.gql_status())?;
            d.set_item("title", n.title)?;
            d.set_item("description", &n.description)?;
            d.set_item("message", &n.message)?;
            d.set_item("severity", n.severity().name())?;
            d.set_item("category", n.category().name())?;
            let position = PyDict::new(py);
            position.set_item("offset", n.position.offset)?;
            position.set_item("line", n.position.line)?;
            position.set_item("column", n.position.column)?;
            d.set_item("position", position)?;
            list.append(d)?;
        }
        Ok(list)
    }
}
