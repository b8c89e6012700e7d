//! Evaluation of bound expressions against a row.

use std::cmp::Ordering;
use std::iter;

use super::functions::arith;
use super::{Ctx, build, internal};
use crate::error::{Error, Result};
use crate::plan::Expr;
use crate::plan::expr::{ArithOp, CmpOp, StrOp};
use crate::syntax::ast::Quantifier;
use crate::value::Value;
use crate::value::size::footprint;

/// Evaluates `expr` with the values of `row`.
pub fn eval(expr: &Expr, row: &[Value], ctx: &Ctx<'_>) -> Result<Value> {
    // Leaves do not recurse: they skip the stack check below.
    let value = match expr {
        Expr::Const(v) => v.clone(),
        // A slot holds what an earlier step made and checked; reading it
        // copies a shared list, so it must not measure it again.
        Expr::Slot(s) => return Ok(row.get(*s).cloned().unwrap_or(Value::Null)),
        Expr::Property(target, key, name) if matches!(**target, Expr::Slot(_)) => {
            let Expr::Slot(s) = **target else {
                return Err(internal("a property of a slot without its slot"));
            };
            match row.get(s) {
                Some(target) => property(target, *key, name, ctx)?,
                None => Value::Null,
            }
        }
        // Expressions nest up to the parser's depth limit; grow the stack
        // rather than overflow it.
        _ => stacker::maybe_grow(128 * 1024, 4 << 20, || eval_inner(expr, row, ctx))?,
    };
    ctx.check_value(&value)?;
    Ok(value)
}

/// A list being built element by element, measured as it grows so that a
/// runaway comprehension stops at the value size limit, not after it.
struct Growing<'c, 'g> {
    ctx: &'c Ctx<'g>,
    items: Vec<Value>,
    bytes: u64,
}

impl<'c, 'g> Growing<'c, 'g> {
    fn new(ctx: &'c Ctx<'g>) -> Self {
        Growing {
            ctx,
            items: Vec::new(),
            bytes: 0,
        }
    }

    fn push(&mut self, item: Value) -> Result<()> {
        self.bytes += footprint(&item, u64::MAX, usize::MAX).bytes;
        self.ctx.check_size("list", self.bytes)?;
        self.ctx.check()?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Value {
        Value::List(self.items.into())
    }
}

/// Fails before `x + y` is built when the string or list it would make is
/// larger than the single-value limit (rather than after allocating it).
fn check_sum_size(x: &Value, y: &Value, ctx: &Ctx<'_>) -> Result<()> {
    let max = ctx.limits.max_value_bytes;
    let size = |v: &Value| match v {
        Value::String(s) => s.len() as u64,
        Value::List(_) => footprint(v, max, usize::MAX).bytes,
        _ => 0,
    };
    match (x, y) {
        (Value::String(_), Value::String(_)) => ctx.check_size("string", size(x) + size(y)),
        (Value::List(_), _) | (_, Value::List(_)) => ctx.check_size("list", size(x) + size(y)),
        _ => Ok(()),
    }
}

fn eval_inner(expr: &Expr, row: &[Value], ctx: &Ctx<'_>) -> Result<Value> {
    Ok(match expr {
        Expr::Const(v) => v.clone(),
        Expr::Slot(s) => row.get(*s).cloned().unwrap_or(Value::Null),
        Expr::Property(target, key, name) => {
            let target = eval(target, row, ctx)?;
            property(&target, *key, name, ctx)?
        }
        Expr::List(items) => Value::List(
            items
                .iter()
                .map(|e| eval(e, row, ctx))
                .collect::<Result<_>>()?,
        ),
        Expr::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, e)| Ok((k.clone(), eval(e, row, ctx)?)))
                .collect::<Result<_>>()?,
        ),
        Expr::MapProjection {
            target,
            all,
            entries,
        } => {
            if eval(target, row, ctx)?.is_null() {
                return Ok(Value::Null);
            }
            let mut map = match all.as_ref().map(|a| eval(a, row, ctx)).transpose()? {
                Some(Value::Map(m)) => m,
                None | Some(Value::Null) => Default::default(),
                Some(other) => {
                    return Err(Error::invalid_type(format!(
                        "a map projection needs a node, relationship or map, got {}",
                        other.type_name()
                    )));
                }
            };
            for (key, e) in entries {
                map.insert(key.clone(), eval(e, row, ctx)?);
            }
            Value::Map(map)
        }
        Expr::Index(target, index) => {
            index_value(eval(target, row, ctx)?, eval(index, row, ctx)?, ctx)?
        }
        Expr::Slice(target, from, to) => {
            let target = eval(target, row, ctx)?;
            let from = from.as_ref().map(|e| eval(e, row, ctx)).transpose()?;
            let to = to.as_ref().map(|e| eval(e, row, ctx)).transpose()?;
            slice(target, from, to)?
        }
        Expr::Not(e) => match truth(eval(e, row, ctx)?)? {
            Some(b) => Value::Bool(!b),
            None => Value::Null,
        },
        Expr::Neg(e) => arith::neg(eval(e, row, ctx)?)?,
        Expr::And(a, b) => {
            let left = truth(eval(a, row, ctx)?)?;
            if left == Some(false) {
                return Ok(Value::Bool(false));
            }
            match (left, truth(eval(b, row, ctx)?)?) {
                (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            }
        }
        Expr::Or(a, b) => {
            let left = truth(eval(a, row, ctx)?)?;
            if left == Some(true) {
                return Ok(Value::Bool(true));
            }
            match (left, truth(eval(b, row, ctx)?)?) {
                (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            }
        }
        Expr::Xor(a, b) => match (truth(eval(a, row, ctx)?)?, truth(eval(b, row, ctx)?)?) {
            (Some(x), Some(y)) => Value::Bool(x != y),
            _ => Value::Null,
        },
        Expr::Compare(op, a, b) => compare(*op, &eval(a, row, ctx)?, &eval(b, row, ctx)?),
        Expr::Arith(op, a, b) => {
            let (x, y) = (eval(a, row, ctx)?, eval(b, row, ctx)?);
            match op {
                ArithOp::Add => {
                    check_sum_size(&x, &y, ctx)?;
                    arith::add(x, y)?
                }
                ArithOp::Sub => arith::sub(x, y)?,
                ArithOp::Mul => arith::mul(x, y)?,
                ArithOp::Div => arith::div(x, y)?,
                ArithOp::Mod => arith::rem(x, y)?,
                ArithOp::Pow => arith::pow(x, y)?,
            }
        }
        Expr::In(a, b) => in_list(&eval(a, row, ctx)?, &eval(b, row, ctx)?)?,
        Expr::Str(op, a, b) => {
            let (x, y) = (eval(a, row, ctx)?, eval(b, row, ctx)?);
            match op {
                StrOp::StartsWith => arith::string_op(arith::StringOp::StartsWith, &x, &y)?,
                StrOp::EndsWith => arith::string_op(arith::StringOp::EndsWith, &x, &y)?,
                StrOp::Contains => arith::string_op(arith::StringOp::Contains, &x, &y)?,
                StrOp::Regex => arith::regex_match(&x, &y)?,
            }
        }
        Expr::IsNull(e, negated) => Value::Bool(eval(e, row, ctx)?.is_null() != *negated),
        Expr::HasLabels(e, labels) => match eval(e, row, ctx)? {
            Value::Node(id) => match ctx.graph.node(id) {
                Some(node) => Value::Bool(labels.iter().all(|l| node.has_label(*l))),
                None => Value::Null,
            },
            Value::Null => Value::Null,
            other => {
                return Err(Error::invalid_type(format!(
                    "expected a node, got {}",
                    other.type_name()
                )));
            }
        },
        Expr::Call(f, args) => {
            let args = args
                .iter()
                .map(|e| eval(e, row, ctx))
                .collect::<Result<Vec<_>>>()?;
            (f.0.call)(&args, ctx.graph)?
        }
        Expr::Case {
            operand,
            alternatives,
            default,
        } => {
            let operand = operand.as_ref().map(|o| eval(o, row, ctx)).transpose()?;
            for (when, then) in alternatives {
                let w = eval(when, row, ctx)?;
                let hit = match &operand {
                    Some(o) => o.equals(&w) == Some(true),
                    None => w == Value::Bool(true),
                };
                if hit {
                    return eval(then, row, ctx);
                }
            }
            match default {
                Some(d) => eval(d, row, ctx)?,
                None => Value::Null,
            }
        }
        Expr::ListComprehension {
            slot,
            list,
            predicate,
            projection,
        } => {
            let Some(items) = list_items(eval(list, row, ctx)?)? else {
                return Ok(Value::Null);
            };
            let mut scratch = row.to_vec();
            let mut out = Growing::new(ctx);
            for item in items {
                set(&mut scratch, *slot, item.clone());
                if let Some(p) = predicate
                    && eval(p, &scratch, ctx)? != Value::Bool(true)
                {
                    continue;
                }
                out.push(match projection {
                    Some(p) => eval(p, &scratch, ctx)?,
                    None => item,
                })?;
            }
            out.finish()
        }
        Expr::Quantified {
            quantifier,
            slot,
            list,
            predicate,
        } => {
            let Some(items) = list_items(eval(list, row, ctx)?)? else {
                return Ok(Value::Null);
            };
            let mut scratch = row.to_vec();
            let (mut trues, mut nulls) = (0usize, 0usize);
            for item in items.iter() {
                ctx.check()?;
                set(&mut scratch, *slot, item.clone());
                match truth(eval(predicate, &scratch, ctx)?)? {
                    Some(true) => trues += 1,
                    None => nulls += 1,
                    Some(false) => {}
                }
            }
            let falses = items.len() - trues - nulls;
            let known = |b: bool| Value::Bool(b);
            match quantifier {
                Quantifier::All if falses > 0 => known(false),
                Quantifier::All if nulls > 0 => Value::Null,
                Quantifier::All => known(true),
                Quantifier::Any if trues > 0 => known(true),
                Quantifier::Any if nulls > 0 => Value::Null,
                Quantifier::Any => known(false),
                Quantifier::None if trues > 0 => known(false),
                Quantifier::None if nulls > 0 => Value::Null,
                Quantifier::None => known(true),
                Quantifier::Single if trues > 1 => known(false),
                Quantifier::Single if nulls > 0 => Value::Null,
                Quantifier::Single => known(trues == 1),
            }
        }
        Expr::Reduce {
            accumulator,
            init,
            slot,
            list,
            expr,
        } => {
            let acc = eval(init, row, ctx)?;
            let Some(items) = list_items(eval(list, row, ctx)?)? else {
                return Ok(Value::Null);
            };
            let mut scratch = row.to_vec();
            set(&mut scratch, *accumulator, acc);
            for item in items {
                ctx.check()?;
                set(&mut scratch, *slot, item);
                let next = eval(expr, &scratch, ctx)?;
                set(&mut scratch, *accumulator, next);
            }
            scratch.get(*accumulator).cloned().unwrap_or(Value::Null)
        }
        Expr::Exists(steps) => {
            let mut rows = build(steps, ctx, Box::new(iter::once(Ok(row.to_vec()))));
            match rows.next() {
                Some(Ok(_)) => Value::Bool(true),
                Some(Err(e)) => return Err(e),
                None => Value::Bool(false),
            }
        }
        Expr::Collect { steps, projection } => {
            let rows = build(steps, ctx, Box::new(iter::once(Ok(row.to_vec()))));
            let mut out = Growing::new(ctx);
            for r in rows {
                out.push(eval(projection, &r?, ctx)?)?;
            }
            out.finish()
        }
        Expr::Subquery(sub) => super::subquery::evaluate(sub, row, ctx)?,
        Expr::Aggregate(_) => return Err(internal("aggregate evaluated outside aggregation")),
    })
}

fn set(row: &mut Vec<Value>, slot: usize, value: Value) {
    if row.len() <= slot {
        row.resize(slot + 1, Value::Null);
    }
    row[slot] = value;
}

/// A boolean's truth: `None` for null, an error for other types.
pub fn truth(v: Value) -> Result<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(b)),
        Value::Null => Ok(None),
        other => Err(Error::invalid_type(format!(
            "expected a boolean, got {}",
            other.type_name()
        ))),
    }
}

fn list_items(v: Value) -> Result<Option<Vec<Value>>> {
    match v {
        Value::List(items) => Ok(Some(items.into_vec())),
        Value::Null => Ok(None),
        other => Err(Error::invalid_type(format!(
            "expected a list, got {}",
            other.type_name()
        ))),
    }
}

/// `a op b` for a comparison operator: a boolean, or null when unknown.
pub(super) fn compare(op: CmpOp, a: &Value, b: &Value) -> Value {
    let result = match op {
        CmpOp::Eq => a.equals(b),
        CmpOp::Ne => a.equals(b).map(|x| !x),
        _ if is_nan(a) && b.as_f64().is_some() || is_nan(b) && a.as_f64().is_some() => Some(false),
        _ => a.compare(b).map(|o| match op {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            _ => o != Ordering::Less,
        }),
    };
    result.map_or(Value::Null, Value::Bool)
}

fn is_nan(v: &Value) -> bool {
    matches!(v, Value::Float(f) if f.is_nan())
}

/// `needle IN list`: true, false or null; an error unless `list` is a list or null.
pub(super) fn in_list(needle: &Value, list: &Value) -> Result<Value> {
    let items = match list {
        Value::List(items) => items,
        Value::Null => return Ok(Value::Null),
        other => {
            return Err(Error::invalid_type(format!(
                "IN expects a list, got {}",
                other.type_name()
            )));
        }
    };
    let mut unknown = false;
    for item in items {
        match needle.equals(item) {
            Some(true) => return Ok(Value::Bool(true)),
            None => unknown = true,
            Some(false) => {}
        }
    }
    Ok(if unknown {
        Value::Null
    } else {
        Value::Bool(false)
    })
}

/// `target.name` on entities, maps and temporal values.
fn property(target: &Value, key: crate::graph::KeyId, name: &str, ctx: &Ctx<'_>) -> Result<Value> {
    Ok(match target {
        Value::Null => Value::Null,
        Value::Node(id) => match ctx.graph.node(*id) {
            Some(n) => n.property(key).unwrap_or(Value::Null),
            None => return Err(deleted(name)),
        },
        Value::Relationship(id) => match ctx.graph.relationship(*id) {
            Some(r) => r.property(key).unwrap_or(Value::Null),
            None => return Err(deleted(name)),
        },
        Value::Map(map) => map.get(name).cloned().unwrap_or(Value::Null),
        Value::Date(_)
        | Value::LocalDateTime(_)
        | Value::DateTime(_)
        | Value::LocalTime(_)
        | Value::Time(_)
        | Value::Duration(_) => target
            .temporal_field(name)
            .ok_or_else(|| no_field(target, name))?,
        other => {
            return Err(Error::invalid_type(format!(
                "cannot read property `{name}` of a {}",
                other.type_name()
            )));
        }
    })
}

fn deleted(name: &str) -> Error {
    Error::new(
        crate::error::ErrorClass::EntityNotFound,
        "DeletedEntityAccess",
        format!("cannot read property `{name}` of an entity deleted by this statement"),
    )
}

fn no_field(target: &Value, name: &str) -> Error {
    Error::argument(
        "InvalidArgumentValue",
        format!("a {} has no field `{name}`", target.type_name()),
    )
}

fn index_value(target: Value, index: Value, ctx: &Ctx<'_>) -> Result<Value> {
    Ok(match (&target, &index) {
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (Value::List(items), Value::Int(i)) => {
            let len = items.len() as i64;
            let pos = if *i < 0 { len + i } else { *i };
            if pos < 0 || pos >= len {
                Value::Null
            } else {
                items[pos as usize].clone()
            }
        }
        (Value::List(_), other) => {
            return Err(Error::invalid_type(format!(
                "a list index must be an integer, got {}",
                other.type_name()
            )));
        }
        (Value::Map(map), Value::String(k)) => map.get(&**k).cloned().unwrap_or(Value::Null),
        (Value::Node(_) | Value::Relationship(_), Value::String(k)) => match ctx.graph.key_id(k) {
            Some(key) => property(&target, key, k, ctx)?,
            None => Value::Null,
        },
        (Value::Map(_) | Value::Node(_) | Value::Relationship(_), other) => {
            return Err(Error::type_error(
                "MapElementAccessByNonString",
                format!("a map key must be a string, got {}", other.type_name()),
            ));
        }
        (other, _) => {
            return Err(Error::invalid_type(format!(
                "cannot index into a {}",
                other.type_name()
            )));
        }
    })
}

fn slice(target: Value, from: Option<Value>, to: Option<Value>) -> Result<Value> {
    let items = match target {
        Value::List(items) => items,
        Value::Null => return Ok(Value::Null),
        other => {
            return Err(Error::invalid_type(format!(
                "cannot slice a {}",
                other.type_name()
            )));
        }
    };
    let len = items.len() as i64;
    let bound = |v: Option<Value>, default: i64| -> Result<Option<i64>> {
        match v {
            None => Ok(Some(default)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(if i < 0 { (len + i).max(0) } else { i.min(len) })),
            Some(other) => Err(Error::invalid_type(format!(
                "a slice bound must be an integer, got {}",
                other.type_name()
            ))),
        }
    };
    let (Some(start), Some(end)) = (bound(from, 0)?, bound(to, len)?) else {
        return Ok(Value::Null);
    };
    if start >= end {
        return Ok(Value::List(Default::default()));
    }
    Ok(Value::List(
        items[start as usize..end as usize].to_vec().into(),
    ))
}
