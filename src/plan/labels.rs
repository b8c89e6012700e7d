//! Label expressions (`:A|B`, `:A&B`, `:!A`, `:%`) bound to predicates.
//! On a node they test its labels; on a relationship, its type. In a
//! relationship pattern they become the set of types that satisfy them.

use super::Expr;
use super::bind::Binder;
use super::expr::{CmpOp, FunctionRef};
use super::scope::VarKind;
use crate::error::Result;
use crate::exec::{functions, internal};
use crate::graph::TypeId;
use crate::syntax::ast::{self, LabelExpr};
use crate::value::Value;

impl Binder<'_> {
    /// The test of `e` on `target`, a relationship when `kind` says so and
    /// a node otherwise (`null` when `target` is null).
    pub(super) fn label_test(
        &mut self,
        target: Expr,
        kind: Option<VarKind>,
        e: &LabelExpr,
    ) -> Result<Expr> {
        let relationship = kind == Some(VarKind::Relationship);
        Ok(match e {
            LabelExpr::Name(name) if relationship => Expr::Compare(
                CmpOp::Eq,
                call("type", vec![target])?.boxed(),
                Expr::Const(Value::string(&name.name)).boxed(),
            ),
            LabelExpr::Name(name) => {
                Expr::HasLabels(target.boxed(), vec![self.graph.intern_label(&name.name)])
            }
            LabelExpr::Wildcard if relationship => {
                Expr::IsNull(call("type", vec![target])?.boxed(), true)
            }
            LabelExpr::Wildcard => Expr::Compare(
                CmpOp::Gt,
                call("size", vec![call("labels", vec![target])?])?.boxed(),
                Expr::Const(Value::Int(0)).boxed(),
            ),
            LabelExpr::Not(inner) => Expr::Not(self.label_test(target, kind, inner)?.boxed()),
            LabelExpr::And(items) | LabelExpr::Or(items) => {
                let mut tests = items
                    .iter()
                    .map(|i| self.label_test(target.clone(), kind, i))
                    .collect::<Result<Vec<_>>>()?
                    .into_iter();
                let first = tests
                    .next()
                    .ok_or_else(|| internal("empty label expression"))?;
                let and = matches!(e, LabelExpr::And(_));
                tests.fold(first, |acc, t| {
                    if and {
                        Expr::And(acc.boxed(), t.boxed())
                    } else {
                        Expr::Or(acc.boxed(), t.boxed())
                    }
                })
            }
        })
    }

    /// `target:expr` in an expression.
    pub(super) fn bind_label_test(&mut self, target: &ast::Expr, e: &LabelExpr) -> Result<Expr> {
        let kind = match &target.kind {
            ast::ExprKind::Variable(name) => self.scope.get(name).map(|v| v.kind),
            _ => None,
        };
        let bound = self.bind_expr(target)?;
        self.label_test(bound, kind, e)
    }

    /// The relationship types of the graph that satisfy `e` (a type is one
    /// name, so `:A&B` matches none and `:%` every one).
    pub(super) fn types_matching(&self, e: &LabelExpr) -> Vec<TypeId> {
        self.graph
            .all_types()
            .filter(|(_, name)| e.holds(&|n| n == *name, true))
            .map(|(id, _)| id)
            .collect()
    }
}

fn call(name: &str, args: Vec<Expr>) -> Result<Expr> {
    let f = functions::lookup(name).ok_or_else(|| internal("a built-in function is missing"))?;
    Ok(Expr::Call(FunctionRef(f), args))
}

impl Binder<'_> {
    /// `n{.name, .*, key: expr, var}`.
    pub(super) fn bind_map_projection(
        &mut self,
        target: &ast::Expr,
        items: &[ast::MapProjectionItem],
    ) -> Result<Expr> {
        let bound = self.bind_expr(target)?;
        let mut all = None;
        let mut entries = Vec::new();
        for item in items {
            match item {
                ast::MapProjectionItem::Property(key) => entries.push((
                    key.name.clone(),
                    Expr::Property(
                        bound.clone().boxed(),
                        self.graph.intern_key(&key.name),
                        key.name.as_str().into(),
                    ),
                )),
                ast::MapProjectionItem::AllProperties => {
                    all = Some(call("properties", vec![bound.clone()])?.boxed());
                }
                ast::MapProjectionItem::Entry(key, value) => {
                    entries.push((key.name.clone(), self.bind_expr(value)?));
                }
                ast::MapProjectionItem::Variable(var) => {
                    let value = ast::Expr::new(ast::ExprKind::Variable(var.name.clone()), var.span);
                    entries.push((var.name.clone(), self.bind_expr(&value)?));
                }
            }
        }
        Ok(Expr::MapProjection {
            target: bound.boxed(),
            all,
            entries,
        })
    }
}
