//! Values both ways: resolved results ([`Out`]) to Python objects, and
//! Python parameters to [`Value`]s.
//!
//! Temporal values go through the `datetime` module's classes (the limited
//! API has no C-level datetime access); nodes, relationships, paths and
//! durations become the classes of `kgq._types`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use kgq::Value;
use kgq::value::{DateTime, Duration, Time, Zone};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::out::{NodeOut, Out, RelOut};

static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIMEZONE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static ZONEINFO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static NODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static REL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PATH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DURATION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || Ok(py.import(module)?.getattr(name)?.unbind()))
        .map(|c| c.bind(py))
}

fn timezone<'py>(py: Python<'py>, offset: i32) -> PyResult<Bound<'py, PyAny>> {
    let delta = class(py, &TIMEDELTA, "datetime", "timedelta")?.call1((0, offset))?;
    class(py, &TIMEZONE, "datetime", "timezone")?.call1((delta,))
}

fn date_args(d: NaiveDate) -> (i32, u32, u32) {
    (d.year(), d.month(), d.day())
}

fn time_args(t: NaiveTime) -> (u32, u32, u32, u32) {
    // Python keeps microseconds; the nanoseconds below them are dropped.
    let micros = (t.nanosecond() % 1_000_000_000) / 1000;
    (t.hour(), t.minute(), t.second(), micros)
}

fn local_datetime<'py>(
    py: Python<'py>,
    dt: chrono::NaiveDateTime,
    tz: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (y, mo, d) = date_args(dt.date());
    let (h, mi, s, us) = time_args(dt.time());
    class(py, &DATETIME, "datetime", "datetime")?.call1((y, mo, d, h, mi, s, us, tz))
}

fn zoned<'py>(py: Python<'py>, dt: &DateTime) -> PyResult<Bound<'py, PyAny>> {
    if let Some(name) = &dt.zone {
        // Built in UTC and moved into the zone, so that the fold of an
        // ambiguous local time comes out right.
        if let Ok(zone) = class(py, &ZONEINFO, "zoneinfo", "ZoneInfo")?.call1((name.as_ref(),)) {
            let utc = local_datetime(py, dt.utc(), Some(timezone(py, 0)?))?;
            return utc.call_method1("astimezone", (zone,));
        }
    }
    local_datetime(py, dt.local, Some(timezone(py, dt.offset)?))
}

/// A plain value as a Python object.
pub fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    match v {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Int(i) => i.into_bound_py_any(py),
        Value::Float(f) => f.into_bound_py_any(py),
        Value::String(s) => PyString::new(py, s).into_bound_py_any(py),
        Value::Date(d) => class(py, &DATE, "datetime", "date")?.call1(date_args(*d)),
        Value::LocalDateTime(dt) => local_datetime(py, *dt, None),
        Value::DateTime(dt) => zoned(py, dt),
        Value::LocalTime(t) => class(py, &TIME, "datetime", "time")?.call1(time_args(*t)),
        Value::Time(t) => time_with_offset(py, t),
        Value::Duration(d) => class(py, &DURATION, "kgq._types", "Duration")?
            .call1((d.months, d.days, d.seconds, d.nanos)),
        Value::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Value::Map(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, value_to_py(py, item)?)?;
            }
            Ok(dict.into_any())
        }
        // Entities only reach here unresolved from a context without a
        // graph; give their ids.
        Value::Node(id) => (id.index() as u64).into_bound_py_any(py),
        Value::Relationship(id) => (id.index() as u64).into_bound_py_any(py),
        Value::Path(p) => {
            let ids: Vec<u64> = p.nodes.iter().map(|n| n.index() as u64).collect();
            ids.into_bound_py_any(py)
        }
    }
}

fn time_with_offset<'py>(py: Python<'py>, t: &Time) -> PyResult<Bound<'py, PyAny>> {
    let (h, mi, s, us) = time_args(t.time);
    class(py, &TIME, "datetime", "time")?.call1((h, mi, s, us, timezone(py, t.offset)?))
}

fn properties<'py>(py: Python<'py>, props: &[(String, Value)]) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in props {
        dict.set_item(k, value_to_py(py, v)?)?;
    }
    Ok(dict)
}

/// A node as a `kgq.Node`.
pub fn node_to_py<'py>(py: Python<'py>, n: &NodeOut) -> PyResult<Bound<'py, PyAny>> {
    let labels = PyTuple::new(py, &n.labels)?;
    class(py, &NODE, "kgq._types", "Node")?.call1((n.id, labels, properties(py, &n.properties)?))
}

/// A relationship as a `kgq.Relationship`.
pub fn rel_to_py<'py>(py: Python<'py>, r: &RelOut) -> PyResult<Bound<'py, PyAny>> {
    class(py, &REL, "kgq._types", "Relationship")?.call1((
        r.id,
        &r.rel_type,
        r.start,
        r.end,
        properties(py, &r.properties)?,
    ))
}

/// A resolved result value as a Python object.
pub fn out_to_py<'py>(py: Python<'py>, v: &Out) -> PyResult<Bound<'py, PyAny>> {
    match v {
        Out::Plain(v) => value_to_py(py, v),
        Out::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(out_to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Out::Map(entries) => {
            let dict = PyDict::new(py);
            for (k, item) in entries {
                dict.set_item(k, out_to_py(py, item)?)?;
            }
            Ok(dict.into_any())
        }
        Out::Node(n) => node_to_py(py, n),
        Out::Rel(r) => rel_to_py(py, r),
        Out::Path(nodes, rels) => {
            let nodes: Vec<_> = nodes
                .iter()
                .map(|n| node_to_py(py, n))
                .collect::<PyResult<_>>()?;
            let rels: Vec<_> = rels
                .iter()
                .map(|r| rel_to_py(py, r))
                .collect::<PyResult<_>>()?;
            class(py, &PATH, "kgq._types", "Path")?
                .call1((PyTuple::new(py, nodes)?, PyTuple::new(py, rels)?))
        }
    }
}

/// Why a Python object could not become a value: the path inside the
/// parameter and a description.
pub struct Refused(pub String);

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

fn refused(obj: &Bound<'_, PyAny>, why: &str) -> Refused {
    Refused(format!("{} ({why})", type_name(obj)))
}

fn int_attr(obj: &Bound<'_, PyAny>, name: &str) -> Result<i64, Refused> {
    obj.getattr(name)
        .and_then(|v| v.extract::<i64>())
        .map_err(|_| refused(obj, &format!("no integer attribute {name}")))
}

fn naive_date(obj: &Bound<'_, PyAny>) -> Result<NaiveDate, Refused> {
    let (y, m, d) = (
        int_attr(obj, "year")?,
        int_attr(obj, "month")?,
        int_attr(obj, "day")?,
    );
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or_else(|| refused(obj, "bad date"))
}

fn naive_time(obj: &Bound<'_, PyAny>) -> Result<NaiveTime, Refused> {
    let (h, mi, s, us) = (
        int_attr(obj, "hour")?,
        int_attr(obj, "minute")?,
        int_attr(obj, "second")?,
        int_attr(obj, "microsecond")?,
    );
    // pandas Timestamps carry nanoseconds below the microsecond.
    let ns = obj
        .getattr("nanosecond")
        .and_then(|v| v.extract::<i64>())
        .unwrap_or(0);
    NaiveTime::from_hms_nano_opt(h as u32, mi as u32, s as u32, (us * 1000 + ns) as u32)
        .ok_or_else(|| refused(obj, "bad time"))
}

/// The offset of an aware datetime or time in seconds, `None` when naive.
fn utc_offset(obj: &Bound<'_, PyAny>) -> Result<Option<i32>, Refused> {
    let offset = obj
        .call_method0("utcoffset")
        .map_err(|_| refused(obj, "utcoffset failed"))?;
    if offset.is_none() {
        return Ok(None);
    }
    let days = int_attr(&offset, "days")?;
    let secs = int_attr(&offset, "seconds")?;
    Ok(Some((days * 86_400 + secs) as i32))
}

fn zone_name(obj: &Bound<'_, PyAny>) -> Option<String> {
    let tz = obj.getattr("tzinfo").ok()?;
    tz.getattr("key").ok()?.extract::<String>().ok()
}

fn is_instance(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> bool {
    class(py, cell, module, name)
        .and_then(|c| obj.is_instance(c))
        .unwrap_or(false)
}

/// A Python object as a value; `Refused` names what is wrong.
pub fn py_to_value(obj: &Bound<'_, PyAny>) -> Result<Value, Refused> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.is_truthy().unwrap_or(false)));
    }
    if obj.is_instance_of::<PyInt>() {
        return obj
            .extract::<i64>()
            .map(Value::Int)
            .map_err(|_| refused(obj, "does not fit in 64 bits"));
    }
    if obj.is_instance_of::<PyFloat>() {
        return obj
            .extract::<f64>()
            .map(Value::Float)
            .map_err(|_| refused(obj, "not a float"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(Arc::from(s.as_ref())))
            .map_err(|_| refused(obj, "not valid UTF-8"));
    }
    let name = type_name(obj);
    if name == "NaTType" || name == "NAType" {
        return Ok(Value::Null);
    }
    if is_instance(py, obj, &DATETIME, "datetime", "datetime") {
        let local = naive_date(obj)?.and_time(naive_time(obj)?);
        return match utc_offset(obj)? {
            None => Ok(Value::LocalDateTime(local)),
            Some(offset) => {
                let named = zone_name(obj).and_then(|n| Zone::named(&n));
                let dt = match named {
                    Some(zone) => DateTime::at_local(local, &zone, Some(offset)),
                    None => Some(DateTime {
                        local,
                        offset,
                        zone: None,
                    }),
                };
                dt.map(Value::DateTime)
                    .ok_or_else(|| refused(obj, "out of range"))
            }
        };
    }
    if is_instance(py, obj, &DATE, "datetime", "date") {
        return naive_date(obj).map(Value::Date);
    }
    if is_instance(py, obj, &TIME, "datetime", "time") {
        let time = naive_time(obj)?;
        return Ok(match utc_offset(obj)? {
            None => Value::LocalTime(time),
            Some(offset) => Value::Time(Time { time, offset }),
        });
    }
    if is_instance(py, obj, &TIMEDELTA, "datetime", "timedelta") {
        return Ok(Value::Duration(Duration {
            months: 0,
            days: int_attr(obj, "days")?,
            seconds: int_attr(obj, "seconds")?,
            nanos: (int_attr(obj, "microseconds")? * 1000) as i32,
        }));
    }
    if is_instance(py, obj, &DURATION, "kgq._types", "Duration") {
        return Ok(Value::Duration(Duration {
            months: int_attr(obj, "months")?,
            days: int_attr(obj, "days")?,
            seconds: int_attr(obj, "seconds")?,
            nanos: int_attr(obj, "nanoseconds")? as i32,
        }));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return list
            .iter()
            .enumerate()
            .map(|(i, item)| at_index(&item, i))
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple
            .iter()
            .enumerate()
            .map(|(i, item)| at_index(&item, i))
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = BTreeMap::new();
        for (k, v) in dict.iter() {
            let key = k.extract::<String>().map_err(|_| {
                Refused(format!(
                    "a map key of type {} (keys must be str)",
                    type_name(&k)
                ))
            })?;
            let value =
                py_to_value(&v).map_err(|Refused(why)| Refused(format!("[{key:?}]: {why}")))?;
            map.insert(key, value);
        }
        return Ok(Value::Map(map));
    }
    // numpy and pandas scalars: anything with a dtype whose item() is a
    // plain Python value.
    if obj.hasattr("dtype").unwrap_or(false)
        && let Ok(item) = obj.call_method0("item")
        && !item.hasattr("dtype").unwrap_or(true)
    {
        return py_to_value(&item);
    }
    Err(refused(obj, "not a type kgq stores"))
}

fn at_index(item: &Bound<'_, PyAny>, i: usize) -> Result<Value, Refused> {
    py_to_value(item).map_err(|Refused(why)| Refused(format!("[{i}]: {why}")))
}

/// Parameters from a Python mapping; a value that cannot be converted is a
/// `TypeError` naming the parameter.
pub fn params(obj: Option<&Bound<'_, PyAny>>) -> PyResult<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(out);
    };
    let dict = obj.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!("parameters must be a dict, not {}", type_name(obj)))
    })?;
    for (k, v) in dict.iter() {
        let name = k.extract::<String>().map_err(|_| {
            PyTypeError::new_err(format!(
                "parameter names must be str, not {}",
                type_name(&k)
            ))
        })?;
        let value = py_to_value(&v).map_err(|Refused(why)| {
            PyTypeError::new_err(format!("parameter '{name}': cannot pass {why}"))
        })?;
        out.insert(name, value);
    }
    Ok(out)
}

/// One value from Python (e.g. an `as_of` instant); errors name `what`.
pub fn one_value(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    py_to_value(obj)
        .map_err(|Refused(why)| PyTypeError::new_err(format!("{what}: cannot pass {why}")))
}
