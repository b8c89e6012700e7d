//! Values: what properties hold and expressions compute, with openCypher's
//! equality, comparison (three-valued) and total ordering.

mod access;
pub mod display;
mod list;
mod order;
pub mod size;
pub mod tagged;
pub mod temporal;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use display::{format_float, write_key, write_quoted};
pub use list::List;
pub use order::{GroupKey, compare_for_order};
pub use temporal::{
    DateTime, Duration, Time, Zone, parse_date, parse_datetime, parse_local_datetime,
    parse_local_time, parse_time,
};

use crate::graph::{EdgeId, NodeId};

/// A date without a time zone.
pub type Date = chrono::NaiveDate;
/// A date and time without a time zone.
pub type LocalDateTime = chrono::NaiveDateTime;
/// A time of day without a time zone.
pub type LocalTime = chrono::NaiveTime;

/// A path: alternating nodes and relationships, starting and ending with a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Path {
    /// The nodes in order; one more than `relationships`.
    pub nodes: Vec<NodeId>,
    /// The relationships in order.
    pub relationships: Vec<EdgeId>,
}

/// Every value kgq stores or computes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub enum Value {
    /// The absence of a value.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit signed integer; overflow is an error.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string (shared, cheap to clone).
    String(Arc<str>),
    /// A calendar date.
    Date(Date),
    /// A date and time without time zone.
    LocalDateTime(LocalDateTime),
    /// A date and time with an offset and possibly a named zone.
    DateTime(DateTime),
    /// A time of day without time zone.
    LocalTime(LocalTime),
    /// A time of day with an offset.
    Time(Time),
    /// A duration in months, days, seconds and nanoseconds.
    Duration(Duration),
    /// An ordered list of values.
    List(List),
    /// A map from string keys to values, ordered by key.
    Map(BTreeMap<String, Value>),
    /// A node of the graph.
    Node(NodeId),
    /// A relationship of the graph.
    Relationship(EdgeId),
    /// A path through the graph.
    Path(Arc<Path>),
}

impl Value {
    /// A string value.
    pub fn string(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The name of this value's type, as error messages and `:schema` show it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Float",
            Value::String(_) => "String",
            Value::Date(_) => "Date",
            Value::LocalDateTime(_) => "LocalDateTime",
            Value::DateTime(_) => "DateTime",
            Value::LocalTime(_) => "LocalTime",
            Value::Time(_) => "Time",
            Value::Duration(_) => "Duration",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Node(_) => "Node",
            Value::Relationship(_) => "Relationship",
            Value::Path(_) => "Path",
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The number inside as a float, if this is an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Whether the value may be stored as a property: scalars, temporals
    /// and lists of them (no maps, entities or nested lists of mixed kinds
    /// are refused later by the writer).
    pub fn is_storable(&self) -> bool {
        match self {
            Value::Map(_) | Value::Node(_) | Value::Relationship(_) | Value::Path(_) => false,
            Value::List(items) => items.iter().all(|v| {
                !matches!(
                    v,
                    Value::List(_)
                        | Value::Map(_)
                        | Value::Node(_)
                        | Value::Relationship(_)
                        | Value::Path(_)
                )
            }),
            _ => true,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::string(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Arc::from(s))
    }
}

impl From<Date> for Value {
    fn from(d: Date) -> Self {
        Value::Date(d)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Structural equality used by tests and result comparison: `1` and `1.0`
/// differ, `NaN` equals `NaN`, `null` equals `null`. For the language's
/// `=` see [`Value::equals`].
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (String(a), String(b)) => a == b,
            (Date(a), Date(b)) => a == b,
            (LocalDateTime(a), LocalDateTime(b)) => a == b,
            (DateTime(a), DateTime(b)) => a == b,
            (LocalTime(a), LocalTime(b)) => a == b,
            (Time(a), Time(b)) => a == b,
            (Duration(a), Duration(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Map(a), Map(b)) => a == b,
            (Node(a), Node(b)) => a == b,
            (Relationship(a), Relationship(b)) => a == b,
            (Path(a), Path(b)) => a == b,
            _ => false,
        }
    }
}
