//! Python bindings for kgq: the native module `kgq._kgq` under the
//! pure-Python package `kgq` (python/kgq). The core crate has no Python
//! dependency; this crate is a thin front end over it.

mod arrowpy;
mod convert;
mod diffpy;
mod engine;
mod errors;
mod out;
mod result;
mod signals;
mod worker;

use pyo3::prelude::*;

/// The native part of the `kgq` package.
#[pymodule]
fn _kgq(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let _ = engine::MAIN_THREAD.set(std::thread::current().id());
    m.add_class::<engine::Engine>()?;
    m.add_class::<result::RawResult>()?;
    m.add_class::<arrowpy::ArrowBatch>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
