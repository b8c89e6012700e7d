//! Arrow between Rust and pyarrow through the Arrow PyCapsule interface
//! (the C stream interface wrapped in a capsule named
//! `arrow_array_stream`): results leave as [`ArrowBatch`], an object
//! pyarrow reads with `pyarrow.table(obj)`, and DataFrames come in as
//! any object with `__arrow_c_stream__` ([`read_columns`]). No value is
//! copied through Python objects either way; the Value ⇄ Arrow
//! conversion itself is the core crate's `kgq::arrow`.

use std::ffi::CStr;

use arrow::array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods};

use crate::errors;
use kgq::arrow::upsert;

/// The capsule name the Arrow PyCapsule interface gives C streams.
const STREAM: &CStr = c"arrow_array_stream";

/// One record batch, exported to pyarrow on request.
#[pyclass(frozen, module = "kgq._kgq")]
pub struct ArrowBatch {
    batch: RecordBatch,
}

impl ArrowBatch {
    /// Wraps `batch`.
    pub fn new(batch: RecordBatch) -> ArrowBatch {
        ArrowBatch { batch }
    }
}

#[pymethods]
impl ArrowBatch {
    /// The batch as a C stream of one batch, in a capsule (the Arrow
    /// PyCapsule interface). A requested schema is not honoured: the
    /// consumer casts if it wants other types.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        // RecordBatch clones share the column buffers.
        let reader = RecordBatchIterator::new([Ok(self.batch.clone())], self.batch.schema());
        let boxed: Box<dyn RecordBatchReader + Send> = Box::new(reader);
        // The capsule owns the stream; a consumer moves it out (leaving a
        // released one behind), and whatever is left is released when the
        // capsule is dropped, by FFI_ArrowArrayStream's Drop.
        PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(boxed), STREAM)
    }

    /// How many rows the batch has.
    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }
}

/// The record batches of `data` (an object with `__arrow_c_stream__`,
/// such as a pyarrow Table), imported without copying; decoding them into
/// values ([`upsert::Batches::decode`]) needs no GIL.
pub fn read_batches(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<upsert::Batches> {
    let capsule = data.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__arrow_c_stream__ did not return a capsule"))?;
    let ptr = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: the capsule is named `arrow_array_stream`, so by the Arrow
    // PyCapsule interface it points to a valid FFI_ArrowArrayStream that
    // the capsule keeps alive while we hold `capsule`. `from_raw` moves
    // the stream out and leaves a released one in its place, so the
    // capsule's own destructor does not release it a second time.
    let reader = unsafe { ArrowArrayStreamReader::from_raw(ptr.as_ptr().cast()) };
    let reader = reader.map_err(|e| errors::to_py(py, &kgq::arrow::arrow_error(&e), ""))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| errors::to_py(py, &kgq::arrow::arrow_error(&e), ""))?;
    Ok(upsert::Batches { schema, batches })
}
