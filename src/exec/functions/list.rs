//! List and path functions: sizes, heads and tails, ranges, reversal,
//! the parts of a path, and `coalesce`.

use super::{arg, int_arg, out_of_range, type_error};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::value::Value;

/// The most elements `range()` may produce.
pub const MAX_RANGE_LEN: i128 = 10_000_000;

/// Converts a length to an integer value (lengths always fit in an i64).
fn len_value(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `size(x)`: elements of a list, characters of a string. Maps are a type
/// error (use `size(keys(m))`).
pub fn size(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(len_value(items.len())),
        Value::String(s) => Ok(len_value(s.chars().count())),
        other => Err(type_error("size", "a list or a string", other)),
    }
}

/// `length(x)`: relationships of a path; characters of a string, for
/// compatibility with older Cypher.
pub fn length(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(len_value(p.relationships.len())),
        Value::String(s) => Ok(len_value(s.chars().count())),
        other => Err(type_error("length", "a path (use size() for lists)", other)),
    }
}

/// `isEmpty(x)`: whether a list, string or map has no elements.
pub fn is_empty(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::Bool(items.is_empty())),
        Value::String(s) => Ok(Value::Bool(s.is_empty())),
        Value::Map(m) => Ok(Value::Bool(m.is_empty())),
        other => Err(type_error("isEmpty", "a list, a string or a map", other)),
    }
}

/// `nodes(p)`: the nodes of a path.
pub fn nodes(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(
            p.nodes.iter().copied().map(Value::Node).collect(),
        )),
        other => Err(type_error("nodes", "a path", other)),
    }
}

/// `relationships(p)`: the relationships of a path.
pub fn relationships(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(
            p.relationships
                .iter()
                .copied()
                .map(Value::Relationship)
                .collect(),
        )),
        other => Err(type_error("relationships", "a path", other)),
    }
}

/// The list argument of `name`: `Ok(None)` for null.
fn list_arg<'a>(name: &str, args: &'a [Value]) -> Result<Option<&'a [Value]>> {
    match arg(args, 0) {
        Value::Null => Ok(None),
        Value::List(items) => Ok(Some(items)),
        other => Err(type_error(name, "a list", other)),
    }
}

/// `head(list)`: the first element, null for an empty list.
pub fn head(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(list_arg("head", args)?
        .and_then(<[Value]>::first)
        .cloned()
        .unwrap_or_default())
}

/// `last(list)`: the last element, null for an empty list.
pub fn last(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(list_arg("last", args)?
        .and_then(<[Value]>::last)
        .cloned()
        .unwrap_or_default())
}

/// `tail(list)`: all but the first element (`[]` for an empty list).
pub fn tail(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(list_arg("tail", args)?.map_or(Value::Null, |items| {
        Value::List(items.get(1..).unwrap_or_default().to_vec().into())
    }))
}

/// `range(start, end[, step])`: integers from `start` to `end` inclusive.
/// A step of 0 is an `ArgumentError: NumberOutOfRange`; more than
/// [`MAX_RANGE_LEN`] elements is a `LimitExceeded: ListTooLarge`. A null
/// argument gives null.
pub fn range(args: &[Value], _: &Graph) -> Result<Value> {
    // range() reports wrong argument types as an ArgumentError, as the
    // openCypher TCK expects.
    let as_argument_error = |e: Error| Error::argument(e.code, e.message);
    let start = int_arg("range", args, 0).map_err(as_argument_error)?;
    let end = int_arg("range", args, 1).map_err(as_argument_error)?;
    let step = if args.len() > 2 {
        int_arg("range", args, 2).map_err(as_argument_error)?
    } else {
        Some(1)
    };
    let (Some(start), Some(end), Some(step)) = (start, end, step) else {
        return Ok(Value::Null);
    };
    if step == 0 {
        return Err(out_of_range("range() step must not be 0"));
    }
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (end - start) / step + 1
    };
    if count > MAX_RANGE_LEN {
        return Err(Error::new(
            ErrorClass::LimitExceeded,
            "ListTooLarge",
            format!("range() would produce {count} elements; at most {MAX_RANGE_LEN} are allowed"),
        ));
    }
    // Every element lies between start and end, so it fits in an i64.
    let items = (0..count)
        .map(|i| start + i * step)
        .filter_map(|v| i64::try_from(v).ok())
        .map(Value::Int)
        .collect();
    Ok(Value::List(items))
}

/// `reverse(x)`: a list or a string (by characters) in reverse order.
pub fn reverse(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(items.iter().rev().cloned().collect())),
        Value::String(s) => Ok(Value::from(s.chars().rev().collect::<String>())),
        other => Err(type_error("reverse", "a list or a string", other)),
    }
}

/// `coalesce(a, b, …)`: the first argument that is not null.
pub fn coalesce(args: &[Value], _: &Graph) -> Result<Value> {
    Ok(args
        .iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::error::ErrorClass;
    use crate::exec::functions::call;
    use crate::graph::{EdgeId, NodeId};
    use crate::value::{Path, Value};

    fn ints(items: &[i64]) -> Value {
        Value::List(items.iter().map(|i| Value::Int(*i)).collect())
    }

    fn path() -> Value {
        Value::Path(Arc::new(Path {
            nodes: vec![NodeId(0), NodeId(1), NodeId(2)],
            relationships: vec![EdgeId(5), EdgeId(6)],
        }))
    }

    #[test]
    fn size_and_length() {
        assert_eq!(call("size", vec![ints(&[1, 2, 3])]).unwrap(), Value::Int(3));
        assert_eq!(
            call("size", vec![Value::from("héllo→")]).unwrap(),
            Value::Int(6)
        );
        assert_eq!(call("size", vec![Value::from("")]).unwrap(), Value::Int(0));
        assert_eq!(call("size", vec![Value::Null]).unwrap(), Value::Null);
        let err = call("size", vec![Value::Map(Default::default())]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentType")
        );
        assert_eq!(call("length", vec![path()]).unwrap(), Value::Int(2));
        assert_eq!(
            call("length", vec![Value::from("日本")]).unwrap(),
            Value::Int(2)
        );
        assert_eq!(
            call("length", vec![ints(&[1])]).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(call("isEmpty", vec![ints(&[])]).unwrap(), Value::Bool(true));
        assert_eq!(
            call("isEmpty", vec![Value::from("a")]).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            call("isEmpty", vec![Value::Map(Default::default())]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            call("isEmpty", vec![Value::Int(1)]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn path_parts() {
        assert_eq!(
            call("nodes", vec![path()]).unwrap(),
            Value::List(
                vec![
                    Value::Node(NodeId(0)),
                    Value::Node(NodeId(1)),
                    Value::Node(NodeId(2))
                ]
                .into()
            )
        );
        assert_eq!(
            call("relationships", vec![path()]).unwrap(),
            Value::List(
                vec![
                    Value::Relationship(EdgeId(5)),
                    Value::Relationship(EdgeId(6))
                ]
                .into()
            )
        );
        assert_eq!(call("nodes", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("relationships", vec![ints(&[])]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn head_last_tail() {
        assert_eq!(call("head", vec![ints(&[1, 2, 3])]).unwrap(), Value::Int(1));
        assert_eq!(call("last", vec![ints(&[1, 2, 3])]).unwrap(), Value::Int(3));
        assert_eq!(call("tail", vec![ints(&[1, 2, 3])]).unwrap(), ints(&[2, 3]));
        assert_eq!(call("head", vec![ints(&[])]).unwrap(), Value::Null);
        assert_eq!(call("last", vec![ints(&[])]).unwrap(), Value::Null);
        assert_eq!(call("tail", vec![ints(&[])]).unwrap(), ints(&[]));
        assert_eq!(call("head", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(call("tail", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("head", vec![Value::from("abc")]).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            call("range", vec![Value::Int(0), Value::Int(3)]).unwrap(),
            ints(&[0, 1, 2, 3])
        );
        assert_eq!(
            call("range", vec![Value::Int(0), Value::Int(10), Value::Int(4)]).unwrap(),
            ints(&[0, 4, 8])
        );
        assert_eq!(
            call("range", vec![Value::Int(3), Value::Int(0), Value::Int(-2)]).unwrap(),
            ints(&[3, 1])
        );
        assert_eq!(
            call("range", vec![Value::Int(3), Value::Int(0)]).unwrap(),
            ints(&[])
        );
        assert_eq!(
            call("range", vec![Value::Int(0), Value::Int(3), Value::Int(-1)]).unwrap(),
            ints(&[])
        );
        assert_eq!(
            call("range", vec![Value::Int(5), Value::Int(5)]).unwrap(),
            ints(&[5])
        );
        assert_eq!(
            call(
                "range",
                vec![Value::Int(i64::MAX - 1), Value::Int(i64::MAX)]
            )
            .unwrap(),
            ints(&[i64::MAX - 1, i64::MAX])
        );
        assert_eq!(
            call(
                "range",
                vec![
                    Value::Int(i64::MIN),
                    Value::Int(i64::MAX),
                    Value::Int(i64::MAX)
                ]
            )
            .unwrap(),
            ints(&[i64::MIN, -1, i64::MAX - 1])
        );
        assert_eq!(
            call("range", vec![Value::Null, Value::Int(3)]).unwrap(),
            Value::Null
        );
        let err = call("range", vec![Value::Int(0), Value::Int(3), Value::Int(0)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "NumberOutOfRange")
        );
        let err = call("range", vec![Value::Int(0), Value::Int(i64::MAX)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::LimitExceeded, "ListTooLarge")
        );
        let err = call("range", vec![Value::Int(0), Value::Int(10_000_000)]).unwrap_err();
        assert_eq!(err.code, "ListTooLarge");
        let err = call(
            "range",
            vec![Value::Int(0), Value::Int(30_000_000), Value::Int(3)],
        )
        .unwrap_err();
        assert_eq!(err.code, "ListTooLarge");
        let err = call("range", vec![Value::Float(0.0), Value::Int(3)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "InvalidArgumentType")
        );
    }

    #[test]
    fn reverse_and_coalesce() {
        assert_eq!(
            call("reverse", vec![ints(&[1, 2, 3])]).unwrap(),
            ints(&[3, 2, 1])
        );
        assert_eq!(
            call("reverse", vec![Value::from("añb→")]).unwrap(),
            Value::from("→bña")
        );
        assert_eq!(call("reverse", vec![Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            call("reverse", vec![Value::Int(12)]).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(
            call("coalesce", vec![Value::Null, Value::Int(2), Value::Int(3)]).unwrap(),
            Value::Int(2)
        );
        assert_eq!(
            call("coalesce", vec![Value::Null, Value::Null]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("coalesce", vec![Value::Int(1)]).unwrap(),
            Value::Int(1)
        );
        let err = call("coalesce", vec![]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::SyntaxError, "InvalidNumberOfArguments")
        );
    }
}
