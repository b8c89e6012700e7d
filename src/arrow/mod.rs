//! The one Value ⇄ Arrow conversion (cargo feature `arrow`): query results
//! to Arrow [`RecordBatch`]es (for the Python bindings' `get_as_arrow`,
//! pandas and polars, and the Parquet export), and record batches back to
//! values and into a graph ([`load`]: the Parquet import's bulk ingest of
//! nodes and relationships; [`upsert`]: loads by key, for the Python
//! bindings' `load_nodes` / `load_relationships`).
//!
//! # Type mapping
//!
//! Every column is nullable; `null` is an Arrow null. A column's type is
//! the narrowest one that holds all of its values ([`ColumnType::infer`]).
//! Types Arrow cannot say alone carry the field metadata
//! `kgq.type` ([`KGQ_TYPE`]).
//!
//! | kgq value | Arrow type (Parquet logical type) | `kgq.type` |
//! |---|---|---|
//! | Boolean | `Boolean` (BOOLEAN) | |
//! | Integer | `Int64` (INT64) | |
//! | Float | `Float64` (DOUBLE) | |
//! | String | `Utf8` (STRING) | |
//! | Date | `Date32` (DATE) | |
//! | LocalDateTime | `Timestamp(ns)` (TIMESTAMP, not adjusted to UTC) | |
//! | DateTime | `Timestamp(ns, zone)` (TIMESTAMP adjusted to UTC): the zone is the values' IANA name (`Europe/Moscow`) or offset (`+03:00`) | |
//! | LocalTime | `Time64(ns)` (TIME) | |
//! | Time (with offset) | `Utf8`, ISO text `12:00:00+01:00` | `time` |
//! | Duration | `Struct{months, days, seconds: Int64, nanoseconds: Int32}` | `duration` |
//! | List | `List<item>`, the item type found the same way | |
//! | Map, Path | `Utf8` JSON (`{"$type": "path", "nodes": […], "relationships": […]}` for paths) | `json` |
//! | Node | `Int64` node id | `node` |
//! | Relationship | `Int64` relationship id | `relationship` |
//!
//! A column mixing types is written as JSON text (tag `json`) in the JSON
//! lines export's encoding; date-times in several zones, or outside the
//! nanosecond range (years 1677–2262), and offsets with seconds are
//! written as ISO text tagged `datetime` / `localdatetime`. So every value
//! survives the round trip exactly.
//!
//! Reading accepts more than kgq writes: integers of every width (an
//! `UInt64` above `i64::MAX` is an error), `Float16/32` and decimals (as
//! floats), large and view strings, dictionaries (pandas categoricals),
//! `Date64`, timestamps, times and durations of every unit, intervals (as
//! durations), large, fixed-size and view lists, structs (as maps), and
//! maps (keys as strings). Binary and union columns are refused.
//!
//! ```
//! let mut session = kgq::Session::new();
//! session.run("CREATE (:Company {name: 'Sinotruk', founded: 1956})").unwrap();
//! let result = session.run("MATCH (c:Company) RETURN c.name AS name, c.founded AS founded").unwrap();
//! let batch = kgq::arrow::result_to_batch(&result).unwrap();
//! assert_eq!(batch.num_rows(), 1);
//! let (columns, rows) = kgq::arrow::batch_to_rows(&batch).unwrap();
//! assert_eq!(columns, result.columns);
//! assert_eq!(rows, result.rows);
//! ```

mod decode;
mod encode;
pub mod json;
pub mod load;
mod types;
pub mod upsert;

use std::sync::Arc;

use ::arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions};
use ::arrow::datatypes::{Field, Schema};

/// The arrow-rs crate kgq is built with, for callers that need the same
/// version of its types.
pub use ::arrow as arrow_rs;
pub use decode::decode as array_to_values;
pub use load::{Key, NodeKeys, NodeLoad, RelationshipLoad, load_nodes, load_relationships};
pub use types::{ColumnType, KGQ_PROPERTY, KGQ_TYPE};

use crate::error::{Error, ErrorClass, Result};
use crate::session::QueryResult;
use crate::value::Value;

/// One column of values as an Arrow field (named `name`) and array, typed
/// by [`ColumnType::infer`].
pub fn values_to_array(name: &str, values: &[&Value]) -> Result<(Field, ArrayRef)> {
    let ty = ColumnType::infer(values.iter().copied());
    values_to_array_as(name, values, &ty)
}

/// One column of values as an array of the given type; an error when a
/// value does not fit it.
pub fn values_to_array_as(
    name: &str,
    values: &[&Value],
    ty: &ColumnType,
) -> Result<(Field, ArrayRef)> {
    let array = encode::encode(values, ty).map_err(|e| in_column(name, e))?;
    Ok((ty.field(name), array))
}

/// Rows (each as wide as `columns`) as one record batch.
pub fn rows_to_batch(columns: &[String], rows: &[Vec<Value>]) -> Result<RecordBatch> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for (i, name) in columns.iter().enumerate() {
        let values: Vec<&Value> = rows
            .iter()
            .map(|r| r.get(i).unwrap_or(&Value::Null))
            .collect();
        let (field, array) = values_to_array(name, &values)?;
        fields.push(field);
        arrays.push(array);
    }
    batch(fields, arrays, rows.len())
}

/// A query's result as one record batch: a column per result column.
/// Nodes and relationships are ids (fetch their properties by returning
/// them, e.g. `RETURN n.name`).
pub fn result_to_batch(result: &QueryResult) -> Result<RecordBatch> {
    rows_to_batch(&result.columns, &result.rows)
}

/// A record batch from fields and arrays of `rows` rows each.
pub fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch> {
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| arrow_error(&e))
}

/// A record batch's column names and rows of values.
pub fn batch_to_rows(batch: &RecordBatch) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
    let schema = batch.schema();
    let mut rows = vec![Vec::with_capacity(batch.num_columns()); batch.num_rows()];
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        for (row, v) in rows.iter_mut().zip(array_to_values(field, array.as_ref())?) {
            row.push(v);
        }
    }
    let columns = schema.fields().iter().map(|f| f.name().clone()).collect();
    Ok((columns, rows))
}

/// An error from arrow-rs.
pub fn arrow_error(e: &::arrow::error::ArrowError) -> Error {
    Error::new(ErrorClass::FormatError, "ArrowError", e.to_string())
}

/// A value of the wrong type for a column's type.
fn mismatch(value: &Value, ty: &ColumnType) -> Error {
    Error::new(
        ErrorClass::TypeError,
        "ArrowTypeMismatch",
        format!(
            "a {} does not fit a column of Arrow type {}",
            value.type_name(),
            ty.data_type()
        ),
    )
}

fn in_column(name: &str, e: Error) -> Error {
    Error::new(e.class, e.code, format!("column `{name}`: {}", e.message))
}

#[cfg(test)]
mod tests;
