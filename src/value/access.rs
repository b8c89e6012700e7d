//! Typed accessors and conversions for using values from Rust.

use std::collections::BTreeMap;

use super::{Date, Duration, LocalDateTime, Path, Value};
use crate::graph::{EdgeId, NodeId};

impl Value {
    /// The float inside, if this is a float (integers are not converted;
    /// see [`Value::as_f64`] for that).
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    /// The date inside, if this is a date.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
    /// The local date-time inside, if this is one.
    pub fn as_local_datetime(&self) -> Option<LocalDateTime> {
        match self {
            Value::LocalDateTime(t) => Some(*t),
            _ => None,
        }
    }
    /// The duration inside, if this is a duration.
    pub fn as_duration(&self) -> Option<Duration> {
        match self {
            Value::Duration(d) => Some(*d),
            _ => None,
        }
    }
    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
    /// The entries, if this is a map.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    /// The node id, if this is a node.
    pub fn as_node(&self) -> Option<NodeId> {
        match self {
            Value::Node(n) => Some(*n),
            _ => None,
        }
    }
    /// The relationship id, if this is a relationship.
    pub fn as_relationship(&self) -> Option<EdgeId> {
        match self {
            Value::Relationship(r) => Some(*r),
            _ => None,
        }
    }
    /// The path, if this is a path.
    pub fn as_path(&self) -> Option<&Path> {
        match self {
            Value::Path(p) => Some(p),
            _ => None,
        }
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Int(i64::from(i))
    }
}

impl From<LocalDateTime> for Value {
    fn from(t: LocalDateTime) -> Self {
        Value::LocalDateTime(t)
    }
}

impl From<Duration> for Value {
    fn from(d: Duration) -> Self {
        Value::Duration(d)
    }
}

impl From<BTreeMap<String, Value>> for Value {
    fn from(m: BTreeMap<String, Value>) -> Self {
        Value::Map(m)
    }
}
