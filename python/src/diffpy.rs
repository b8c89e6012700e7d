//! A graph diff as plain Python data: a dict of lists of dicts.

use kgq::diff::{Changed, GraphDiff, NodeEntry, PropertyChange, PropertyMap, RelEntry};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::value_to_py;

fn props<'py>(py: Python<'py>, map: &PropertyMap) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, value_to_py(py, v)?)?;
    }
    Ok(dict)
}

fn node<'py>(py: Python<'py>, n: &NodeEntry) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("key", &n.key)?;
    dict.set_item("labels", &n.labels)?;
    dict.set_item("properties", props(py, &n.properties)?)?;
    Ok(dict)
}

fn rel<'py>(py: Python<'py>, r: &RelEntry) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("start", node(py, &r.start)?)?;
    dict.set_item("type", &r.rel_type)?;
    dict.set_item("end", node(py, &r.end)?)?;
    dict.set_item("properties", props(py, &r.properties)?)?;
    Ok(dict)
}

fn changes<'py>(py: Python<'py>, list: &[PropertyChange]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in list {
        let dict = PyDict::new(py);
        dict.set_item("key", &c.key)?;
        let before = c.before.as_ref().map(|v| value_to_py(py, v)).transpose()?;
        let after = c.after.as_ref().map(|v| value_to_py(py, v)).transpose()?;
        dict.set_item("before", before)?;
        dict.set_item("after", after)?;
        out.append(dict)?;
    }
    Ok(out)
}

fn changed<'py, T>(
    py: Python<'py>,
    list: &[Changed<T>],
    each: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in list {
        let dict = PyDict::new(py);
        dict.set_item("before", each(py, &c.before)?)?;
        dict.set_item("after", each(py, &c.after)?)?;
        dict.set_item("changes", changes(py, &c.changes)?)?;
        out.append(dict)?;
    }
    Ok(out)
}

fn all<'py, T>(
    py: Python<'py>,
    list: &[T],
    each: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in list {
        out.append(each(py, item)?)?;
    }
    Ok(out)
}

/// `diff` as a dict with one list per kind of change.
pub fn to_py<'py>(py: Python<'py>, diff: &GraphDiff) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    dict.set_item("added_nodes", all(py, &diff.added_nodes, node)?)?;
    dict.set_item("removed_nodes", all(py, &diff.removed_nodes, node)?)?;
    dict.set_item("changed_nodes", changed(py, &diff.changed_nodes, node)?)?;
    dict.set_item(
        "added_relationships",
        all(py, &diff.added_relationships, rel)?,
    )?;
    dict.set_item(
        "removed_relationships",
        all(py, &diff.removed_relationships, rel)?,
    )?;
    dict.set_item(
        "changed_relationships",
        changed(py, &diff.changed_relationships, rel)?,
    )?;
    Ok(dict.into_any())
}
