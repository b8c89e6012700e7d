//! Binding calls: scalar functions against the built-in table (arity and
//! static argument kinds), aggregates into the projection's aggregate list,
//! and constant folding.

use super::bind::{Binder, kind_name};
use super::expr::FunctionRef;
use super::scope::VarKind;
use super::{AggregateCall, Expr};
use crate::error::{Error, Result, Span};
use crate::exec::aggregate::AggregateKind;
use crate::exec::functions;
use crate::syntax::ast::{self, ExprKind};

impl Binder<'_> {
    pub(super) fn bind_function(
        &mut self,
        name: &ast::Ident,
        distinct: bool,
        args: &[ast::Expr],
    ) -> Result<Expr> {
        let lower = name.name.to_lowercase();
        if let Some(kind) = AggregateKind::lookup(&lower) {
            return self.bind_aggregate(kind, distinct, args, name.span);
        }
        if lower == "exists" {
            return match args {
                [arg] if matches!(arg.kind, ExprKind::Property(..)) => {
                    Ok(Expr::IsNull(self.bind_boxed(arg)?, true))
                }
                [arg] => self.bind_predicate(arg),
                _ => Err(
                    Error::syntax("InvalidArgumentCount", "exists() takes one argument")
                        .at(name.span),
                ),
            };
        }
        if let Some(bound) = self.bind_load_csv_function(&lower, args, name.span)? {
            return Ok(bound);
        }
        let Some(function) = functions::lookup(&lower) else {
            return Err(Error::syntax(
                "UnknownFunction",
                format!("unknown function `{}`", name.name),
            )
            .at(name.span));
        };
        if distinct {
            return Err(Error::syntax(
                "InvalidUseOfDistinct",
                format!(
                    "DISTINCT is only allowed in aggregate functions, not in `{}`",
                    name.name
                ),
            )
            .at(name.span));
        }
        if args.len() < function.min_args || args.len() > function.max_args {
            return Err(Error::syntax(
                "InvalidNumberOfArguments",
                format!(
                    "`{}` takes {} argument(s), got {}",
                    function.name,
                    arity(function),
                    args.len()
                ),
            )
            .at(name.span));
        }
        self.check_argument_kinds(function.name, args)?;
        if function.name == "normalize" && args.len() == 2 {
            return self.bind_normalize(function, name, args);
        }
        let args = args
            .iter()
            .map(|a| self.bind_expr(a))
            .collect::<Result<_>>()?;
        Ok(Expr::Call(FunctionRef(function), args))
    }

    /// `normalize(s, form)`: the form is a bare word (`NFC`, `NFD`, `NFKC`,
    /// `NFKD`, any case), as in Neo4j, never an expression; it reaches the
    /// function as a string constant.
    fn bind_normalize(
        &mut self,
        function: &'static functions::Function,
        name: &ast::Ident,
        args: &[ast::Expr],
    ) -> Result<Expr> {
        let form = match &args[1].kind {
            ExprKind::Variable(word) => ast::NormalForm::parse(word),
            _ => None,
        };
        let Some(form) = form else {
            return Err(Error::syntax(
                "InvalidArgumentValue",
                format!(
                    "the second argument of `{}` must be a normal form: NFC, NFD, NFKC or NFKD",
                    name.name
                ),
            )
            .at(args[1].span));
        };
        let input = self.bind_expr(&args[0])?;
        Ok(Expr::Call(
            FunctionRef(function),
            vec![input, Expr::Const(form.name().into())],
        ))
    }

    /// `e IS [NOT] [form] NORMALIZED` (NFC when no form is written).
    pub(super) fn bind_is_normalized(
        &mut self,
        target: &ast::Expr,
        form: Option<ast::NormalForm>,
        negated: bool,
    ) -> Result<Expr> {
        let form = form.unwrap_or(ast::NormalForm::Nfc);
        let test = Expr::Call(
            FunctionRef(&functions::IS_NORMALIZED),
            vec![self.bind_expr(target)?, Expr::Const(form.name().into())],
        );
        Ok(if negated {
            Expr::Not(test.boxed())
        } else {
            test
        })
    }

    /// Refuses, when planning, a variable that certainly has the wrong
    /// kind for a graph function (`type(n)` of a node, `length(r)` of a
    /// relationship, `labels(p)` or `size(p)` of a path).
    pub(super) fn check_argument_kinds(&self, function: &str, args: &[ast::Expr]) -> Result<()> {
        let refused: &[VarKind] = match function {
            "type" => &[VarKind::Node, VarKind::Path, VarKind::RelationshipList],
            "length" => &[VarKind::Node, VarKind::Relationship],
            "labels" => &[
                VarKind::Relationship,
                VarKind::Path,
                VarKind::RelationshipList,
            ],
            "size" => &[VarKind::Node, VarKind::Relationship, VarKind::Path],
            _ => return Ok(()),
        };
        for arg in args {
            if let ExprKind::Variable(name) = &arg.kind
                && let Some(var) = self.scope.get(name)
                && refused.contains(&var.kind)
            {
                return Err(Error::syntax(
                    "InvalidArgumentType",
                    format!(
                        "{function}() cannot take `{name}`, which is {}",
                        kind_name(var.kind)
                    ),
                )
                .at(arg.span));
            }
        }
        Ok(())
    }

    pub(super) fn bind_aggregate(
        &mut self,
        kind: AggregateKind,
        distinct: bool,
        args: &[ast::Expr],
        span: Span,
    ) -> Result<Expr> {
        let wanted = if matches!(
            kind,
            AggregateKind::PercentileCont | AggregateKind::PercentileDisc
        ) {
            2
        } else {
            1
        };
        if args.len() != wanted {
            return Err(Error::syntax(
                "InvalidNumberOfArguments",
                format!("this aggregate takes {wanted} argument(s)"),
            )
            .at(span));
        }
        let Some(mut collected) = self.aggregates.take() else {
            let (code, message) = if self.in_aggregate {
                (
                    "NestedAggregation",
                    "an aggregate function cannot be used inside another one",
                )
            } else {
                (
                    "InvalidAggregation",
                    "aggregate functions are only allowed in RETURN and WITH",
                )
            };
            return Err(Error::syntax(code, message).at(span));
        };
        self.in_aggregate = true;
        // Arguments may not contain aggregates themselves.
        let arg = self.bind_expr(&args[0]);
        let param = args.get(1).map(|a| self.bind_expr(a)).transpose();
        self.in_aggregate = false;
        self.aggregates = Some(std::mem::take(&mut collected));
        let arg = arg?;
        if arg.is_random() {
            return Err(Error::syntax(
                "NonConstantExpression",
                "an aggregate's argument cannot be a random value such as rand()",
            )
            .at(span));
        }
        let call = AggregateCall {
            kind,
            distinct,
            arg: Some(arg),
            param: param?,
        };
        self.add_aggregate(call, span)
    }

    pub(super) fn add_aggregate(&mut self, call: AggregateCall, span: Span) -> Result<Expr> {
        let nested = self.in_aggregate;
        let Some(list) = self.aggregates.as_mut() else {
            let (code, message) = if nested {
                (
                    "NestedAggregation",
                    "an aggregate function cannot be used inside another one",
                )
            } else {
                (
                    "InvalidAggregation",
                    "aggregate functions are only allowed in RETURN and WITH",
                )
            };
            return Err(Error::syntax(code, message).at(span));
        };
        if let Some(i) = list.iter().position(|c| *c == call) {
            return Ok(Expr::Aggregate(i));
        }
        list.push(call);
        Ok(Expr::Aggregate(list.len() - 1))
    }

    /// Evaluates a constant expression now (for SKIP, LIMIT and the like).
    pub(super) fn fold_constant(&self, expr: Expr) -> Result<Expr> {
        if !expr.is_constant() || matches!(expr, Expr::Const(_)) {
            return Ok(expr);
        }
        let ctx = crate::exec::Ctx::new(&self.graph, self.guard.cancel, self.guard.limits);
        crate::exec::eval(&expr, &[], &ctx).map(Expr::Const)
    }
}

fn arity(f: &functions::Function) -> String {
    if f.min_args == f.max_args {
        f.min_args.to_string()
    } else if f.max_args == usize::MAX {
        format!("at least {}", f.min_args)
    } else {
        format!("{} to {}", f.min_args, f.max_args)
    }
}
