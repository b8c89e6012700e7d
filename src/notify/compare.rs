//! Comparisons that cannot hold because of the types of their operands:
//! `date(…) < '2024-01-01'`, `n.year >= '2020'` where every `year` in the
//! graph is a number. An ordering comparison of values of different types
//! is null; an equality is false (and `<>` true).
//!
//! An operand's type is known when it is a literal, a call of a function
//! whose result type is fixed, or `v.key` where `v` is a pattern variable
//! with a label (or types) and every value of `key` on the elements with
//! that label is of one type. That last look is bounded: it is skipped
//! when more than [`MAX_SCAN`] elements would have to be read.

use super::walk::{Comparison, Facts};
use super::{Notification, NotificationKind};
use crate::graph::Graph;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use crate::value::Value;

/// The most elements read to learn the type of one property.
pub const MAX_SCAN: usize = 10_000;

/// The types that matter for comparisons (integers and floats compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Number,
    String,
    Boolean,
    Date,
    LocalDateTime,
    DateTime,
    LocalTime,
    Time,
    Duration,
    List,
    Map,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Number => "a number",
            Ty::String => "a string",
            Ty::Boolean => "a boolean",
            Ty::Date => "a date",
            Ty::LocalDateTime => "a local date-time",
            Ty::DateTime => "a date-time",
            Ty::LocalTime => "a local time",
            Ty::Time => "a time",
            Ty::Duration => "a duration",
            Ty::List => "a list",
            Ty::Map => "a map",
        }
    }

    /// The type of a stored value; `None` for null and graph elements.
    fn of_value(v: &Value) -> Option<Ty> {
        Some(match v {
            Value::Int(_) | Value::Float(_) => Ty::Number,
            Value::String(_) => Ty::String,
            Value::Bool(_) => Ty::Boolean,
            Value::Date(_) => Ty::Date,
            Value::LocalDateTime(_) => Ty::LocalDateTime,
            Value::DateTime(_) => Ty::DateTime,
            Value::LocalTime(_) => Ty::LocalTime,
            Value::Time(_) => Ty::Time,
            Value::Duration(_) => Ty::Duration,
            Value::List(_) => Ty::List,
            Value::Map(_) => Ty::Map,
            _ => return None,
        })
    }
}

/// Adds a notification for each comparison whose operand types differ.
pub(super) fn check(facts: &Facts<'_>, text: &str, graph: &Graph, out: &mut Vec<Notification>) {
    for c in &facts.comparisons {
        let Some(left) = type_of(facts, graph, c.left) else {
            continue;
        };
        let Some(right) = type_of(facts, graph, c.right) else {
            continue;
        };
        if left == right {
            continue;
        }
        out.push(notification(c, left, right, text));
    }
}

fn notification(c: &Comparison<'_>, left: Ty, right: Ty, text: &str) -> Notification {
    let (outcome, why) = match c.op {
        BinaryOp::Eq => ("always false", "values of different types are never equal"),
        BinaryOp::Ne => ("always true", "values of different types are never equal"),
        _ => ("always null", "values of different types cannot be ordered"),
    };
    let written = text.get(c.expr.span.start..c.expr.span.end).unwrap_or("?");
    let message = format!(
        "The comparison `{written}` is {outcome}: it compares {} with {}.",
        left.name(),
        right.name()
    );
    let description = format!(
        "The comparison `{written}` is {outcome} because {why}; a filter on it keeps \
         {}. Convert one side first, e.g. with date(), toString() or toInteger().",
        if c.op == BinaryOp::Ne {
            "every row"
        } else {
            "no row"
        }
    );
    Notification::new(
        NotificationKind::IncomparableTypes,
        text,
        c.expr.span,
        message,
        description,
    )
}

/// The type `e` surely has, if known.
fn type_of(facts: &Facts<'_>, graph: &Graph, e: &Expr) -> Option<Ty> {
    match &e.kind {
        ExprKind::Literal(l) => match l {
            Literal::Null => None,
            Literal::Bool(_) => Some(Ty::Boolean),
            Literal::Integer(_) | Literal::Float(_) => Some(Ty::Number),
            Literal::String(_) => Some(Ty::String),
        },
        ExprKind::List(_) => Some(Ty::List),
        ExprKind::Map(_) => Some(Ty::Map),
        ExprKind::Unary(UnaryOp::Negate | UnaryOp::Plus, inner) => {
            (type_of(facts, graph, inner) == Some(Ty::Number)).then_some(Ty::Number)
        }
        ExprKind::Function { name, .. } => function_type(&name.name),
        ExprKind::CountStar => Some(Ty::Number),
        ExprKind::Property(target, key) => {
            let ExprKind::Variable(v) = &target.kind else {
                return None;
            };
            property_type(facts, graph, v, &key.name)
        }
        _ => None,
    }
}

/// The result type of a function whose result type does not depend on
/// its arguments' values (null arguments aside).
fn function_type(name: &str) -> Option<Ty> {
    let ty = match name.to_ascii_lowercase().as_str() {
        "date" => Ty::Date,
        "datetime" => Ty::DateTime,
        "localdatetime" => Ty::LocalDateTime,
        "localtime" => Ty::LocalTime,
        "time" => Ty::Time,
        "duration" => Ty::Duration,
        "tostring" | "toupper" | "tolower" | "trim" | "ltrim" | "rtrim" | "substring"
        | "replace" | "left" | "right" | "type" | "elementid" => Ty::String,
        "tointeger" | "tofloat" | "size" | "length" | "count" | "id" => Ty::Number,
        "keys" | "labels" | "nodes" | "relationships" | "range" | "split" => Ty::List,
        _ => return None,
    };
    Some(ty)
}

/// The one type every value of `key` has on the elements `var` can match,
/// when they are few enough to look at.
fn property_type(facts: &Facts<'_>, graph: &Graph, var: &str, key: &str) -> Option<Ty> {
    let entity = facts.entity(var)?;
    let key_id = graph.key_id(key)?;
    let first = entity.names.first()?;
    let mut seen: Option<Ty> = None;
    let mut note = |v: Option<&Value>| -> bool {
        match v.and_then(Ty::of_value) {
            None => v.is_none_or(Value::is_null),
            Some(t) if seen.is_none() => {
                seen = Some(t);
                true
            }
            Some(t) => seen == Some(t),
        }
    };
    if entity.relationship {
        if graph.relationship_count() > MAX_SCAN {
            return None;
        }
        let types: Vec<_> = entity
            .names
            .iter()
            .filter_map(|t| graph.type_id(t))
            .collect();
        for r in graph.relationships() {
            let Some(data) = graph.relationship(r) else {
                continue;
            };
            if types.contains(&data.rel_type()) && !note(data.property(key_id).as_ref()) {
                return None;
            }
        }
    } else {
        let label = graph.label_id(first)?;
        if graph.label_count(label) > MAX_SCAN {
            return None;
        }
        for n in graph.nodes_with_label(label) {
            let Some(data) = graph.node(n) else { continue };
            if !note(data.property(key_id).as_ref()) {
                return None;
            }
        }
    }
    seen
}
