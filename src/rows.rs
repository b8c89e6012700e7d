//! Typed access to query results from Rust: iterate rows, get values by
//! column name, convert them with [`FromValue`].
//!
//! ```
//! let mut session = kgq::Session::new();
//! session.run("CREATE (:Country {name: 'Russia', trucks: 15000})").unwrap();
//! let result = session
//!     .run("MATCH (c:Country) RETURN c.name AS name, c.trucks AS trucks")
//!     .unwrap();
//! for row in result.iter() {
//!     let name: String = row.get("name").unwrap();
//!     let trucks: i64 = row.get("trucks").unwrap();
//!     assert_eq!((name.as_str(), trucks), ("Russia", 15000));
//! }
//! ```

use std::collections::BTreeMap;

use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, NodeId};
use crate::session::QueryResult;
use crate::value::{Date, Duration, LocalDateTime, Value};

/// One row of a [`QueryResult`], with its column names.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> RowRef<'a> {
    /// The values in column order.
    pub fn values(&self) -> &'a [Value] {
        self.values
    }

    /// The value of column `name`.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        let i = self.columns.iter().position(|c| c == name)?;
        self.values.get(i)
    }

    /// The value at column position `index`.
    pub fn at(&self, index: usize) -> Option<&'a Value> {
        self.values.get(index)
    }

    /// The value of column `name` converted to `T`; an error if the column
    /// is missing or holds another type.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<T> {
        let value = self.value(name).ok_or_else(|| {
            Error::new(
                ErrorClass::SemanticError,
                "NoSuchColumn",
                format!("the result has no column {name:?}"),
            )
        })?;
        T::from_value(value)
    }
}

impl QueryResult {
    /// The rows, each with access by column name.
    pub fn iter(&self) -> impl Iterator<Item = RowRef<'_>> {
        self.rows.iter().map(|r| RowRef {
            columns: &self.columns,
            values: r,
        })
    }

    /// The position of column `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Every value of column `name` converted to `T`.
    pub fn column<T: FromValue>(&self, name: &str) -> Result<Vec<T>> {
        self.iter().map(|r| r.get(name)).collect()
    }
}

/// Conversion from a [`Value`] to a Rust type, failing with a TypeError.
pub trait FromValue: Sized {
    /// Converts `value`.
    fn from_value(value: &Value) -> Result<Self>;
}

fn mismatch(want: &str, value: &Value) -> Error {
    Error::new(
        ErrorClass::TypeError,
        "InvalidType",
        format!("expected {want}, found {}", value.type_name()),
    )
}

macro_rules! from_value {
    ($t:ty, $want:expr, $get:expr) => {
        impl FromValue for $t {
            fn from_value(value: &Value) -> Result<Self> {
                let get: fn(&Value) -> Option<$t> = $get;
                get(value).ok_or_else(|| mismatch($want, value))
            }
        }
    };
}

from_value!(bool, "Boolean", Value::as_bool);
from_value!(i64, "Integer", Value::as_int);
from_value!(f64, "Float or Integer", Value::as_f64);
from_value!(String, "String", |v| v.as_str().map(str::to_string));
from_value!(Date, "Date", Value::as_date);
from_value!(LocalDateTime, "LocalDateTime", Value::as_local_datetime);
from_value!(Duration, "Duration", Value::as_duration);
from_value!(NodeId, "Node", Value::as_node);
from_value!(EdgeId, "Relationship", Value::as_relationship);

impl FromValue for Value {
    fn from_value(value: &Value) -> Result<Self> {
        Ok(value.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value) -> Result<Self> {
        value
            .as_list()
            .ok_or_else(|| mismatch("List", value))?
            .iter()
            .map(T::from_value)
            .collect()
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(value: &Value) -> Result<Self> {
        value
            .as_map()
            .ok_or_else(|| mismatch("Map", value))?
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_value(v)?)))
            .collect()
    }
}
