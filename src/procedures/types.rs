//! The types of procedure signatures (`STRING?`, `LIST? OF INTEGER?`,
//! `NUMBER`, …) and the check of a value against them.

use std::fmt;

use crate::value::Value;

/// A type in a procedure signature. Every type accepts `null`: the `?`
/// of the signature text is kept for printing only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `ANY`
    Any,
    /// `BOOLEAN`
    Boolean,
    /// `INTEGER`
    Integer,
    /// `FLOAT` (accepts integers, converted)
    Float,
    /// `NUMBER` (integers and floats)
    Number,
    /// `STRING`
    String,
    /// `MAP`
    Map,
    /// `NODE`
    Node,
    /// `RELATIONSHIP`
    Relationship,
    /// `PATH`
    Path,
    /// `DATE`
    Date,
    /// `DATETIME`
    DateTime,
    /// `LOCALDATETIME`
    LocalDateTime,
    /// `DURATION`
    Duration,
    /// `LIST OF t`
    List(Box<Type>),
}

impl Type {
    /// The type named by `word` (case-insensitive), not a list.
    pub fn scalar(word: &str) -> Option<Type> {
        Some(match word.to_ascii_uppercase().as_str() {
            "ANY" => Type::Any,
            "BOOLEAN" | "BOOL" => Type::Boolean,
            "INTEGER" | "INT" => Type::Integer,
            "FLOAT" => Type::Float,
            "NUMBER" => Type::Number,
            "STRING" => Type::String,
            "MAP" => Type::Map,
            "NODE" => Type::Node,
            "RELATIONSHIP" => Type::Relationship,
            "PATH" => Type::Path,
            "DATE" => Type::Date,
            "DATETIME" | "ZONED DATETIME" => Type::DateTime,
            "LOCALDATETIME" => Type::LocalDateTime,
            "DURATION" => Type::Duration,
            _ => return None,
        })
    }

    /// Whether `value` is of this type (`null` always is).
    pub fn accepts(&self, value: &Value) -> bool {
        match (self, value) {
            (_, Value::Null) | (Type::Any, _) => true,
            (Type::Boolean, Value::Bool(_))
            | (Type::Integer, Value::Int(_))
            | (Type::Float | Type::Number, Value::Int(_) | Value::Float(_))
            | (Type::String, Value::String(_))
            | (Type::Map, Value::Map(_))
            | (Type::Node, Value::Node(_))
            | (Type::Relationship, Value::Relationship(_))
            | (Type::Path, Value::Path(_))
            | (Type::Date, Value::Date(_))
            | (Type::DateTime, Value::DateTime(_))
            | (Type::LocalDateTime, Value::LocalDateTime(_))
            | (Type::Duration, Value::Duration(_)) => true,
            (Type::List(inner), Value::List(items)) => items.iter().all(|v| inner.accepts(v)),
            _ => false,
        }
    }

    /// `value` converted to this type where the language converts
    /// implicitly (an integer passed as a FLOAT).
    pub fn coerce(&self, value: Value) -> Value {
        match (self, value) {
            (Type::Float, Value::Int(i)) => Value::Float(i as f64),
            (_, v) => v,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self {
            Type::Any => "ANY",
            Type::Boolean => "BOOLEAN",
            Type::Integer => "INTEGER",
            Type::Float => "FLOAT",
            Type::Number => "NUMBER",
            Type::String => "STRING",
            Type::Map => "MAP",
            Type::Node => "NODE",
            Type::Relationship => "RELATIONSHIP",
            Type::Path => "PATH",
            Type::Date => "DATE",
            Type::DateTime => "DATETIME",
            Type::LocalDateTime => "LOCALDATETIME",
            Type::Duration => "DURATION",
            Type::List(inner) => return write!(f, "LIST<{inner}>"),
        };
        f.write_str(word)
    }
}

/// Parses a type as signatures write it: `STRING?`, `LIST? OF STRING?`,
/// `LIST<STRING>`.
pub fn parse_type(text: &str) -> Option<Type> {
    let text = text.trim().trim_end_matches('?').trim();
    let upper = text.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("LIST") {
        let rest = rest.trim_start().trim_start_matches('?').trim_start();
        let inner = if let Some(of) = rest.strip_prefix("OF ") {
            of
        } else if let Some(angle) = rest.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            angle
        } else if rest.is_empty() {
            "ANY"
        } else {
            return None;
        };
        return parse_type(inner).map(|t| Type::List(Box::new(t)));
    }
    Type::scalar(&upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_signature_types() {
        assert_eq!(parse_type("STRING?"), Some(Type::String));
        assert_eq!(
            parse_type("LIST? OF INTEGER?"),
            Some(Type::List(Box::new(Type::Integer)))
        );
        assert_eq!(
            parse_type("LIST<STRING>"),
            Some(Type::List(Box::new(Type::String)))
        );
        assert_eq!(parse_type("WHATEVER"), None);
    }

    #[test]
    fn numbers_accept_integers() {
        assert!(Type::Number.accepts(&Value::Int(1)));
        assert!(Type::Float.accepts(&Value::Int(1)));
        assert!(!Type::Integer.accepts(&Value::Float(1.5)));
        assert!(!Type::Integer.accepts(&Value::Bool(true)));
        assert_eq!(Type::Float.coerce(Value::Int(2)), Value::Float(2.0));
    }
}
