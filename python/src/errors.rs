//! kgq errors as Python exceptions: `kgq._errors.make_error` picks the
//! subclass of `kgq.Error` for the error's class and code.

use kgq::error::Position;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static MAKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for `err`, whose span (if any) points into `source`.
pub fn to_py(py: Python<'_>, err: &kgq::Error, source: &str) -> PyErr {
    let (line, column) = match err.span {
        Some(span) => {
            let pos = Position::of(source, span.start);
            (Some(pos.line), Some(pos.column))
        }
        None => (None, None),
    };
    let rendered = err.render("", source);
    let made = MAKE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("kgq._errors")?.getattr("make_error")?.unbind())
        })
        .and_then(|make| {
            make.bind(py).call1((
                err.class.name(),
                err.code,
                &err.message,
                line,
                column,
                rendered,
            ))
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// A `kgq.Error` of kind `kind` and code `code` made here (not by the
/// engine), without a position.
pub fn make(py: Python<'_>, class: kgq::ErrorClass, code: &'static str, message: &str) -> PyErr {
    to_py(py, &kgq::Error::new(class, code, message.to_string()), "")
}
