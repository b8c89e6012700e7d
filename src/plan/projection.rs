//! Planning WITH and RETURN: projection, aggregation, DISTINCT, ORDER BY,
//! SKIP and LIMIT, and the scope that follows.

use super::bind::{Binder, WHY_COLUMN};
use super::scope::{Scope, VarKind};
use super::{AggregateCall, Expr, SortKey, Step};
use crate::error::{Error, Result, Span};
use crate::exec::aggregate::AggregateKind;
use crate::syntax::ast::{self, ExprKind};
use crate::value::Value;

/// One projected column: its name and its expression bound in the scope
/// before the projection.
struct Item {
    name: String,
    expr: Expr,
    kind: VarKind,
}

impl Binder<'_> {
    /// Binds a WITH (`is_with`) or RETURN; returns the column names.
    pub(super) fn bind_projection(
        &mut self,
        p: &ast::Projection,
        is_with: bool,
        steps: &mut Vec<Step>,
    ) -> Result<Vec<String>> {
        let (items, aggregates, unaliased) = self.bind_items(p, is_with)?;
        let names: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
        let old_scope = self.scope.clone();
        let grouped = !aggregates.is_empty();

        // Rows after this: [items…] then, for a plain projection, every
        // variable of the old scope (so ORDER BY can still read them).
        let carried = if grouped || p.distinct {
            Vec::new()
        } else {
            old_scope.named()
        };
        let mut post = Scope::with_vars(items.iter().map(|i| (i.name.clone(), i.kind)).collect());
        for var in &carried {
            if post.get(&var.name).is_none() {
                post.declare(&var.name, var.kind);
            } else {
                post.fresh_slot();
            }
        }
        let keys = self.bind_sort_keys(p, &items, &aggregates, &old_scope, &mut post);
        // An ambiguous aggregation in ORDER BY is reported before a missing
        // alias in WITH (as the TCK expects); any other error after it.
        if let Some(e) = unaliased {
            return Err(match keys {
                Err(k) if k.code == "AmbiguousAggregationExpression" => k,
                _ => e,
            });
        }
        let keys = keys?;
        let mut exprs = if grouped {
            self.plan_aggregation(&items, aggregates.clone(), steps)?
        } else {
            let mut exprs: Vec<Expr> = items.iter().map(|i| i.expr.clone()).collect();
            exprs.extend(carried.iter().map(|v| Expr::Slot(v.slot)));
            exprs
        };
        // Sort keys may need scratch slots (list comprehensions).
        exprs.resize(post.width.max(exprs.len()), Expr::Const(Value::Null));
        steps.push(Step::Project(exprs));
        if p.distinct {
            // The hidden provenance column does not make rows distinct.
            let width = items.iter().filter(|i| i.name != WHY_COLUMN).count();
            steps.push(Step::Distinct { width });
        }
        let skip = p
            .skip
            .as_ref()
            .map(|e| self.bind_row_count(e, "SKIP"))
            .transpose()?;
        let limit = p
            .limit
            .as_ref()
            .map(|e| self.bind_row_count(e, "LIMIT"))
            .transpose()?;
        if !keys.is_empty() {
            steps.push(Step::Sort(keys));
        }
        if let Some(skip) = skip {
            steps.push(Step::Skip(skip));
        }
        if let Some(limit) = limit {
            steps.push(Step::Limit(limit));
        }
        // WITH … WHERE sees the projected names and, for a plain
        // projection, the variables before it too.
        if let Some(w) = &p.where_ {
            let saved = std::mem::replace(&mut self.scope, post);
            let mut predicate = self.bind_predicate(w);
            post = std::mem::replace(&mut self.scope, saved);
            // After DISTINCT or aggregation, WHERE may still name what was
            // projected through the old variables (`WITH DISTINCT a.x AS x
            // WHERE a.x = 1`), like ORDER BY.
            if (grouped || p.distinct)
                && predicate
                    .as_ref()
                    .is_err_and(|e| e.code == "UndefinedVariable")
                && let Ok(over) = self.bind_over_items(w, &items, &aggregates, &old_scope)
            {
                predicate = Ok(over);
            }
            steps.push(Step::Filter(predicate?));
        }
        if post.width != items.len() {
            steps.push(Step::Widen { width: items.len() });
        }

        self.close_scope(steps);
        let next = Scope::with_vars(items.iter().map(|i| (i.name.clone(), i.kind)).collect());
        self.open_scope(steps, next);
        Ok(names)
    }

    fn bind_items(
        &mut self,
        p: &ast::Projection,
        is_with: bool,
    ) -> Result<(Vec<Item>, Vec<AggregateCall>, Option<Error>)> {
        let mut items = Vec::new();
        if p.star {
            let mut vars = self.scope.named();
            if !is_with {
                vars.sort_by(|a, b| a.name.cmp(&b.name));
            }
            if vars.is_empty() && p.items.is_empty() && !is_with {
                return Err(Error::syntax(
                    "NoVariablesInScope",
                    "RETURN * / WITH * needs at least one variable in scope",
                ));
            }
            items.extend(vars.into_iter().map(|v| Item {
                name: v.name,
                expr: Expr::Slot(v.slot),
                kind: v.kind,
            }));
        }
        self.aggregates = Some(Vec::new());
        // Column names seen so far (a set: a projection may have 100k columns).
        let mut seen = std::collections::HashSet::new();
        let mut unaliased = None;
        for item in &p.items {
            let bound = self.bind_expr(&item.expr);
            let bound = match bound {
                Ok(b) => b,
                Err(e) => {
                    self.aggregates = None;
                    return Err(e);
                }
            };
            let name = match (&item.alias, &item.expr.kind) {
                (Some(alias), _) => alias.name.clone(),
                (None, ExprKind::Variable(v)) => v.clone(),
                (None, _) if is_with => {
                    unaliased.get_or_insert_with(|| {
                        Error::syntax(
                            "NoExpressionAlias",
                            "expressions in WITH must be aliased (use AS)",
                        )
                        .at(item.expr.span)
                    });
                    item.text.clone()
                }
                (None, _) => item.text.clone(),
            };
            if !seen.insert(name.clone()) && unaliased.is_none() {
                self.aggregates = None;
                return Err(Error::syntax(
                    "ColumnNameConflict",
                    format!("multiple result columns with the same name `{name}`"),
                )
                .at(item.expr.span));
            }
            let kind = match (&item.expr.kind, &bound) {
                (ExprKind::Variable(v), _) => {
                    self.scope.get(v).map_or(VarKind::Value, |var| var.kind)
                }
                _ => static_kind(&bound),
            };
            items.push(Item {
                name,
                expr: bound,
                kind,
            });
        }
        if self.options.provenance {
            let why = self.why_expr();
            let grouped = self.aggregates.as_ref().is_some_and(|a| !a.is_empty());
            let expr = if grouped {
                self.add_aggregate(
                    AggregateCall {
                        kind: AggregateKind::Collect,
                        distinct: false,
                        arg: Some(why),
                        param: None,
                    },
                    Span::default(),
                )?
            } else {
                why
            };
            items.push(Item {
                name: WHY_COLUMN.to_string(),
                expr,
                kind: VarKind::Value,
            });
        }
        let aggregates = self.aggregates.take().unwrap_or_default();
        Ok((items, aggregates, unaliased))
    }

    /// Provenance: a list of every relationship, relationship list and
    /// path in scope, and the provenance carried from the projection before.
    fn why_expr(&self) -> Expr {
        let mut slots: Vec<usize> = self
            .scope
            .all()
            .iter()
            .filter(|v| {
                v.name == WHY_COLUMN
                    || matches!(
                        v.kind,
                        VarKind::Relationship | VarKind::RelationshipList | VarKind::Path
                    )
            })
            .map(|v| v.slot)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        Expr::List(slots.into_iter().map(Expr::Slot).collect())
    }

    /// Aggregate step plus the expressions that compute each item from its
    /// output (grouping keys first, then aggregate values).
    fn plan_aggregation(
        &mut self,
        items: &[Item],
        aggregates: Vec<AggregateCall>,
        steps: &mut Vec<Step>,
    ) -> Result<Vec<Expr>> {
        let keys: Vec<Expr> = items
            .iter()
            .filter(|i| !contains_aggregate(&i.expr))
            .map(|i| i.expr.clone())
            .collect();
        let key_count = keys.len();
        let mut output = Vec::new();
        let mut key_index = 0;
        for item in items {
            if contains_aggregate(&item.expr) {
                output.push(rewrite_over(&item.expr, &keys, key_count).map_err(|_| {
                    Error::syntax(
                        "AmbiguousAggregationExpression",
                        format!(
                            "`{}` mixes an aggregate with a value that is not a grouping key",
                            item.name
                        ),
                    )
                })?);
            } else {
                output.push(Expr::Slot(key_index));
                key_index += 1;
            }
        }
        steps.push(Step::Aggregate {
            keys,
            aggregates,
            by_entities: false,
        });
        Ok(output)
    }

    fn bind_sort_keys(
        &mut self,
        p: &ast::Projection,
        items: &[Item],
        aggregates: &[AggregateCall],
        old_scope: &Scope,
        post: &mut Scope,
    ) -> Result<Vec<SortKey>> {
        let grouped = !aggregates.is_empty();
        let mut keys = Vec::new();
        for sort in &p.order_by {
            let saved = std::mem::replace(&mut self.scope, post.clone());
            let in_post = self.bind_expr(&sort.expr);
            *post = std::mem::replace(&mut self.scope, saved);
            let expr = match in_post {
                Ok(e) if !contains_aggregate(&e) => e,
                _ if grouped || p.distinct => {
                    self.bind_over_items(&sort.expr, items, aggregates, old_scope)?
                }
                Ok(_) => {
                    return Err(Error::syntax(
                        "InvalidAggregation",
                        "ORDER BY may use aggregates only when RETURN or WITH aggregates",
                    )
                    .at(sort.expr.span));
                }
                Err(e) => return Err(e),
            };
            keys.push(SortKey {
                expr,
                descending: sort.descending,
            });
        }
        Ok(keys)
    }

    /// Binds an ORDER BY key of a grouped or DISTINCT projection in the old
    /// scope, then expresses it over the projected items.
    fn bind_over_items(
        &mut self,
        expr: &ast::Expr,
        items: &[Item],
        aggregates: &[AggregateCall],
        old_scope: &Scope,
    ) -> Result<Expr> {
        // The projection's aliases are visible too: each stands for its
        // item's expression.
        let mut scope = old_scope.clone();
        let mut aliases = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if old_scope.get(&item.name).is_none() && item.name != WHY_COLUMN {
                aliases.push((scope.declare(&item.name, VarKind::Value), i));
            }
        }
        let saved_scope = std::mem::replace(&mut self.scope, scope);
        self.aggregates = Some(aggregates.to_vec());
        let bound = self.bind_expr(expr);
        let seen = self.aggregates.take().unwrap_or_default();
        self.scope = saved_scope;
        let mut bound = bound?;
        if seen.len() > aggregates.len() {
            return Err(Error::syntax(
                "UndefinedVariable",
                "ORDER BY after aggregation can only use an aggregate that is projected",
            )
            .at(expr.span));
        }
        // As in RETURN: inside an expression with an aggregate, a grouping
        // key may be reused only if it is a variable or a property of one
        // (an alias is a variable).
        if contains_aggregate(&bound) {
            let mut ambiguous = false;
            bound.visit(&mut |e| {
                ambiguous |= !is_simple_key(e)
                    && !contains_aggregate(e)
                    && items
                        .iter()
                        .any(|i| i.expr == *e && !contains_aggregate(&i.expr));
            });
            if ambiguous {
                return Err(Error::syntax(
                    "AmbiguousAggregationExpression",
                    "an ORDER BY key with an aggregate can reuse only simple grouping keys \
                     (a variable or a property); use the alias of a larger one",
                )
                .at(expr.span));
            }
        }
        bound.substitute_slots(&|slot| {
            aliases
                .iter()
                .find(|(s, _)| *s == slot)
                .map(|(_, i)| items[*i].expr.clone())
        });
        let item_exprs: Vec<Expr> = items.iter().map(|i| i.expr.clone()).collect();
        rewrite_over(&bound, &item_exprs, usize::MAX).map_err(|_| {
            Error::syntax(
                "UndefinedVariable",
                "ORDER BY after DISTINCT or aggregation can only use projected values",
            )
            .at(expr.span)
        })
    }

    /// SKIP / LIMIT: a constant expression.
    fn bind_row_count(&mut self, expr: &ast::Expr, clause: &str) -> Result<Expr> {
        let saved = std::mem::take(&mut self.scope);
        let bound = self.bind_expr(expr);
        self.scope = saved;
        let bound = bound.map_err(|e| {
            if e.code == "UndefinedVariable" {
                Error::syntax(
                    "NonConstantExpression",
                    format!("{clause} must be a constant expression"),
                )
                .at(expr.span)
            } else {
                e
            }
        })?;
        let bound = self.fold_constant(bound).map_err(|e| e.at(expr.span))?;
        // A parameter's value is checked when the statement runs (the TCK
        // raises a bad `SKIP $n` at runtime, a bad `SKIP -1` at compile time).
        let parameter = matches!(expr.kind, ast::ExprKind::Parameter(_));
        if let (Expr::Const(v), false) = (&bound, parameter) {
            match v {
                Value::Int(i) if *i < 0 => {
                    return Err(Error::syntax(
                        "NegativeIntegerArgument",
                        format!("{clause} must not be negative, got {i}"),
                    )
                    .at(expr.span));
                }
                Value::Int(_) => {}
                other => {
                    return Err(Error::syntax(
                        "InvalidArgumentType",
                        format!("{clause} must be an integer, got {}", other.type_name()),
                    )
                    .at(expr.span));
                }
            }
        }
        Ok(bound)
    }
}

/// What a projected expression certainly is, as far as planning can tell.
fn static_kind(expr: &Expr) -> VarKind {
    match expr {
        Expr::Const(Value::Null) => VarKind::Value,
        Expr::Const(
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::String(_) | Value::List(_),
        )
        | Expr::List(_)
        | Expr::Compare(..)
        | Expr::And(..)
        | Expr::Or(..)
        | Expr::Xor(..)
        | Expr::Not(_)
        | Expr::Str(..)
        | Expr::In(..)
        | Expr::IsNull(..)
        | Expr::HasLabels(..)
        | Expr::ListComprehension { .. }
        | Expr::Quantified { .. }
        | Expr::Exists(_)
        | Expr::Subquery(_)
        | Expr::Collect { .. } => VarKind::NoProperties,
        Expr::Const(_) | Expr::Map(_) | Expr::Arith(..) | Expr::Neg(_) => VarKind::Scalar,
        _ => VarKind::Value,
    }
}

/// Whether the expression holds an aggregate placeholder.
pub(super) fn contains_aggregate(expr: &Expr) -> bool {
    let mut found = false;
    expr.visit(&mut |e| found |= matches!(e, Expr::Aggregate(_)));
    found
}

/// Rewrites `expr` (bound before a projection) to read the projection's
/// output: a sub-expression equal to `targets[i]` becomes `Slot(i)`, and
/// `Aggregate(j)` becomes `Slot(aggregate_base + j)`. Fails when a row slot
/// of the old scope would remain.
fn rewrite_over(
    expr: &Expr,
    targets: &[Expr],
    aggregate_base: usize,
) -> std::result::Result<Expr, ()> {
    // Within an aggregating item, only a grouping key that is a variable or
    // a property of one may be reused (`n.x + count(*)`); a larger key
    // (`n.x + m.y`) is ambiguous there, as openCypher says.
    let reusable = aggregate_base == usize::MAX || is_simple_key(expr);
    if reusable && let Some(i) = targets.iter().position(|t| t == expr) {
        return Ok(Expr::Slot(i));
    }
    Ok(match expr {
        Expr::Aggregate(j) if aggregate_base != usize::MAX => Expr::Slot(aggregate_base + j),
        Expr::Aggregate(_)
        | Expr::Slot(_)
        | Expr::Exists(_)
        | Expr::Subquery(_)
        | Expr::Collect { .. } => {
            return Err(());
        }
        Expr::ListComprehension {
            slot,
            list,
            predicate,
            projection,
        } => {
            let (inner, local) = with_locals(targets, aggregate_base, &[*slot], expr);
            Expr::ListComprehension {
                slot: local[0],
                list: rewrite_over(list, targets, aggregate_base)?.boxed(),
                predicate: predicate
                    .as_ref()
                    .map(|p| rewrite_over(p, &inner, aggregate_base).map(Box::new))
                    .transpose()?,
                projection: projection
                    .as_ref()
                    .map(|p| rewrite_over(p, &inner, aggregate_base).map(Box::new))
                    .transpose()?,
            }
        }
        Expr::Quantified {
            quantifier,
            slot,
            list,
            predicate,
        } => {
            let (inner, local) = with_locals(targets, aggregate_base, &[*slot], expr);
            Expr::Quantified {
                quantifier: *quantifier,
                slot: local[0],
                list: rewrite_over(list, targets, aggregate_base)?.boxed(),
                predicate: rewrite_over(predicate, &inner, aggregate_base)?.boxed(),
            }
        }
        Expr::Reduce {
            accumulator,
            init,
            slot,
            list,
            expr: body,
        } => {
            let (inner, local) = with_locals(targets, aggregate_base, &[*accumulator, *slot], expr);
            Expr::Reduce {
                accumulator: local[0],
                init: rewrite_over(init, targets, aggregate_base)?.boxed(),
                slot: local[1],
                list: rewrite_over(list, targets, aggregate_base)?.boxed(),
                expr: rewrite_over(body, &inner, aggregate_base)?.boxed(),
            }
        }
        Expr::Const(v) => Expr::Const(v.clone()),
        Expr::Property(e, k, n) => Expr::Property(
            rewrite_over(e, targets, aggregate_base)?.boxed(),
            *k,
            n.clone(),
        ),
        Expr::List(items) => Expr::List(rewrite_all(items, targets, aggregate_base)?),
        Expr::Map(entries) => Expr::Map(
            entries
                .iter()
                .map(|(k, e)| Ok((k.clone(), rewrite_over(e, targets, aggregate_base)?)))
                .collect::<std::result::Result<_, ()>>()?,
        ),
        Expr::MapProjection {
            target,
            all,
            entries,
        } => Expr::MapProjection {
            target: rewrite_over(target, targets, aggregate_base)?.boxed(),
            all: all
                .as_ref()
                .map(|a| rewrite_over(a, targets, aggregate_base).map(Box::new))
                .transpose()?,
            entries: entries
                .iter()
                .map(|(k, e)| Ok((k.clone(), rewrite_over(e, targets, aggregate_base)?)))
                .collect::<std::result::Result<_, ()>>()?,
        },
        Expr::Index(a, b) => Expr::Index(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Slice(a, b, c) => Expr::Slice(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            b.as_ref()
                .map(|b| rewrite_over(b, targets, aggregate_base).map(Box::new))
                .transpose()?,
            c.as_ref()
                .map(|c| rewrite_over(c, targets, aggregate_base).map(Box::new))
                .transpose()?,
        ),
        Expr::Not(e) => Expr::Not(rewrite_over(e, targets, aggregate_base)?.boxed()),
        Expr::Neg(e) => Expr::Neg(rewrite_over(e, targets, aggregate_base)?.boxed()),
        Expr::IsNull(e, n) => Expr::IsNull(rewrite_over(e, targets, aggregate_base)?.boxed(), *n),
        Expr::HasLabels(e, l) => {
            Expr::HasLabels(rewrite_over(e, targets, aggregate_base)?.boxed(), l.clone())
        }
        Expr::And(a, b) => Expr::And(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Or(a, b) => Expr::Or(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Xor(a, b) => Expr::Xor(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Compare(op, a, b) => Expr::Compare(
            *op,
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Arith(op, a, b) => Expr::Arith(
            *op,
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::In(a, b) => Expr::In(
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Str(op, a, b) => Expr::Str(
            *op,
            rewrite_over(a, targets, aggregate_base)?.boxed(),
            rewrite_over(b, targets, aggregate_base)?.boxed(),
        ),
        Expr::Call(f, args) => Expr::Call(*f, rewrite_all(args, targets, aggregate_base)?),
        Expr::Case {
            operand,
            alternatives,
            default,
        } => Expr::Case {
            operand: operand
                .as_ref()
                .map(|o| rewrite_over(o, targets, aggregate_base).map(Box::new))
                .transpose()?,
            alternatives: alternatives
                .iter()
                .map(|(w, t)| {
                    Ok((
                        rewrite_over(w, targets, aggregate_base)?,
                        rewrite_over(t, targets, aggregate_base)?,
                    ))
                })
                .collect::<std::result::Result<_, ()>>()?,
            default: default
                .as_ref()
                .map(|d| rewrite_over(d, targets, aggregate_base).map(Box::new))
                .transpose()?,
        },
    })
}

/// A variable, or a property of a variable (`n`, `n.x`, `n.x.y`).
fn is_simple_key(expr: &Expr) -> bool {
    match expr {
        Expr::Slot(_) => true,
        Expr::Property(e, _, _) => is_simple_key(e),
        _ => false,
    }
}

/// The targets to rewrite the body of a comprehension (or quantifier, or
/// reduce) with: `targets` plus its own variables `locals`, moved to fresh
/// slots past every slot the rewritten `whole` reads. Returns the targets
/// and the new slots.
fn with_locals(
    targets: &[Expr],
    aggregate_base: usize,
    locals: &[usize],
    whole: &Expr,
) -> (Vec<Expr>, Vec<usize>) {
    let mut first = targets.len();
    if aggregate_base != usize::MAX {
        whole.visit(&mut |e| {
            if let Expr::Aggregate(j) = e {
                first = first.max(aggregate_base + j + 1);
            }
        });
    }
    // Placeholders that never equal a real expression keep the positions.
    let mut inner = targets.to_vec();
    inner.resize(first, Expr::Aggregate(usize::MAX));
    let mut slots = Vec::new();
    for (i, local) in locals.iter().enumerate() {
        inner.push(Expr::Slot(*local));
        slots.push(first + i);
    }
    (inner, slots)
}

fn rewrite_all(
    items: &[Expr],
    targets: &[Expr],
    base: usize,
) -> std::result::Result<Vec<Expr>, ()> {
    items
        .iter()
        .map(|e| rewrite_over(e, targets, base))
        .collect()
}
