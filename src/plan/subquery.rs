//! Binding subqueries: `CALL { … }` (with an importing `WITH` or a scope
//! clause `CALL (x) { … }`, UNION inside, `IN TRANSACTIONS`), `FOREACH`
//! (a unit subquery over an UNWIND), and `EXISTS`, `COUNT` and `COLLECT`
//! around whole queries. Each UNION branch is bound by its own binder in
//! a scope holding just the variables it imports.

use super::bind::Binder;
use super::scope::{Scope, VarKind};
use super::{CallSubqueryPlan, Expr, Pipeline, Step, SubqueryBranch};
use crate::error::{Error, Result, Span};
use crate::syntax::ast::{
    self, CallSubquery, Clause, ClauseKind, Ident, ImportScope, SubqueryBody, SubqueryKind,
};
use crate::value::Value;

/// How many input rows one batch of `IN TRANSACTIONS` takes by default
/// (as in Neo4j).
const DEFAULT_BATCH_ROWS: i64 = 1000;

/// What a bound subquery gives back.
struct Bound {
    branches: Vec<SubqueryBranch>,
    union_distinct: bool,
    columns: Vec<String>,
}

impl Binder<'_> {
    /// `CALL [(…)] { … } [IN TRANSACTIONS [OF n ROWS]]`.
    pub(super) fn bind_call_subquery(
        &mut self,
        sub: &CallSubquery,
        steps: &mut Vec<Step>,
        span: Span,
    ) -> Result<()> {
        let scope = sub.scope.clone();
        let bound = self.bind_subquery(&sub.query, false, |binder, single| {
            binder.imports_of(scope.as_ref(), single)
        })?;
        let mut returns = Vec::new();
        for name in &bound.columns {
            let ident = Ident {
                name: name.clone(),
                span,
            };
            returns.push(self.declare_new(&ident, VarKind::Value)?);
        }
        let batch_rows = match &sub.in_transactions {
            None => None,
            Some(rows) => Some(self.batch_rows(rows.as_ref(), span)?),
        };
        let plan = CallSubqueryPlan {
            branches: bound.branches,
            union_distinct: bound.union_distinct,
            returns,
            batch_rows,
        };
        if plan.batch_rows.is_some() && !plan.writes() {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "CALL { … } IN TRANSACTIONS is for subqueries that write",
            )
            .at(span));
        }
        steps.push(Step::CallSubquery(Box::new(plan)));
        Ok(())
    }

    /// The batch size of `IN TRANSACTIONS [OF n ROWS]`: a positive integer.
    fn batch_rows(&mut self, rows: Option<&ast::Expr>, span: Span) -> Result<Expr> {
        let Some(rows) = rows else {
            return Ok(Expr::Const(Value::Int(DEFAULT_BATCH_ROWS)));
        };
        match self.bind_expr(rows)? {
            Expr::Const(Value::Int(n)) if n > 0 => Ok(Expr::Const(Value::Int(n))),
            _ => Err(Error::argument(
                "InvalidArgumentValue",
                "IN TRANSACTIONS OF n ROWS needs a positive integer n",
            )
            .at(rows.span.to(span))),
        }
    }

    /// `FOREACH (x IN list | updates)`: a unit subquery importing every
    /// variable, `UNWIND list AS x` followed by the updates.
    pub(super) fn bind_foreach(
        &mut self,
        variable: &Ident,
        list: &ast::Expr,
        clauses: &[Clause],
        steps: &mut Vec<Step>,
        span: Span,
    ) -> Result<()> {
        for clause in clauses {
            if !matches!(
                clause.kind,
                ClauseKind::Create(_)
                    | ClauseKind::Merge(_)
                    | ClauseKind::Set(_)
                    | ClauseKind::Remove(_)
                    | ClauseKind::Delete { .. }
                    | ClauseKind::Foreach { .. }
            ) {
                return Err(Error::syntax(
                    "InvalidClauseComposition",
                    "FOREACH takes only CREATE, MERGE, SET, REMOVE, DELETE and FOREACH",
                )
                .at(clause.span));
            }
        }
        let mut body = vec![Clause {
            kind: ClauseKind::Unwind {
                expr: list.clone(),
                alias: variable.clone(),
            },
            span,
        }];
        body.extend(clauses.iter().cloned());
        let query = ast::Query {
            first: ast::SingleQuery {
                clauses: body,
                span,
            },
            unions: Vec::new(),
            span,
        };
        let sub = CallSubquery {
            scope: Some(ImportScope::All),
            query,
            in_transactions: None,
        };
        self.bind_call_subquery(&sub, steps, span)
    }

    /// `EXISTS { query }`, `COUNT { … }`, `COLLECT { query }`: every
    /// variable in scope is visible inside.
    pub(super) fn bind_subquery_expr(
        &mut self,
        kind: SubqueryKind,
        body: &SubqueryBody,
        span: Span,
    ) -> Result<Expr> {
        let query = match body {
            SubqueryBody::Query(q) => q.clone(),
            SubqueryBody::Pattern(exists) => pattern_query(exists, span),
        };
        let bound = self.bind_subquery(&query, kind != SubqueryKind::Collect, |binder, _| {
            Ok(binder
                .scope
                .named()
                .into_iter()
                .map(|v| (v.name, v.kind, v.slot))
                .collect())
        })?;
        if bound.branches.iter().any(SubqueryBranch::writes) {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "EXISTS, COUNT and COLLECT subqueries cannot change the graph",
            )
            .at(span));
        }
        if kind == SubqueryKind::Collect && bound.columns.len() != 1 {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "a COLLECT subquery must end with a RETURN of exactly one column",
            )
            .at(span));
        }
        Ok(Expr::Subquery(Box::new(super::expr::SubqueryExpr {
            kind,
            branches: bound.branches,
            union_distinct: bound.union_distinct,
        })))
    }

    /// Binds each UNION branch of `query` in a scope holding the variables
    /// `imports` chooses for it (name, kind and outer slot).
    fn bind_subquery(
        &mut self,
        query: &ast::Query,
        allow_reading_end: bool,
        imports: impl Fn(&Self, &ast::SingleQuery) -> Result<Vec<(String, VarKind, usize)>>,
    ) -> Result<Bound> {
        let mut branches = Vec::new();
        let mut columns: Option<Vec<String>> = None;
        let mut kinds = Vec::new();
        for (i, single) in std::iter::once(&query.first)
            .chain(query.unions.iter().map(|(_, q)| q))
            .enumerate()
        {
            let imported = imports(self, single)?;
            let scope =
                Scope::with_vars(imported.iter().map(|(n, k, _)| (n.clone(), *k)).collect());
            let mut options = self.options.clone();
            options.provenance = false;
            let (pipeline, cols) = {
                let (params, guard) = (self.params_ref(), self.guard());
                let mut inner = Binder::new(self.graph.reborrow(), params, options, guard);
                inner.initial_scope = Some(scope);
                inner.allow_reading_end = allow_reading_end;
                inner.valid_at = self.valid_at.clone();
                inner.bind_single(single)?
            };
            match &columns {
                Some(expected) if *expected != cols => {
                    return Err(Error::syntax(
                        "DifferentColumnsInUnion",
                        "all parts of a UNION must return the same column names",
                    )
                    .at(single.span));
                }
                Some(_) => {}
                None => columns = Some(cols),
            }
            if i > 0 {
                kinds.push(query.unions[i - 1].0);
            }
            branches.push(SubqueryBranch {
                imports: imported.iter().map(|(_, _, slot)| *slot).collect(),
                pipeline: Pipeline {
                    steps: pipeline.steps,
                },
            });
        }
        if kinds.iter().any(|all| *all) && kinds.iter().any(|all| !*all) {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "UNION and UNION ALL cannot be mixed",
            )
            .at(query.span));
        }
        Ok(Bound {
            branches,
            union_distinct: kinds.iter().any(|all| !*all),
            columns: columns.unwrap_or_default(),
        })
    }

    /// The variables a `CALL { … }` branch imports: those of its scope
    /// clause, else those of an importing `WITH` that opens it, else none.
    fn imports_of(
        &self,
        scope: Option<&ImportScope>,
        single: &ast::SingleQuery,
    ) -> Result<Vec<(String, VarKind, usize)>> {
        let named = self.scope.named();
        let by_name = |ident: &Ident| {
            named
                .iter()
                .find(|v| v.name == ident.name)
                .map(|v| (v.name.clone(), v.kind, v.slot))
                .ok_or_else(|| super::bind::undefined(&ident.name, ident.span))
        };
        match scope {
            Some(ImportScope::All) => {
                return Ok(named
                    .iter()
                    .map(|v| (v.name.clone(), v.kind, v.slot))
                    .collect());
            }
            Some(ImportScope::Vars(vars)) => return vars.iter().map(by_name).collect(),
            None => {}
        }
        let Some(ClauseKind::With(with)) = single.clauses.first().map(|c| &c.kind) else {
            return Ok(Vec::new());
        };
        let plain = !with.distinct
            && with.order_by.is_empty()
            && with.skip.is_none()
            && with.limit.is_none()
            && with.where_.is_none();
        let vars: Option<Vec<Ident>> = with
            .items
            .iter()
            .map(|item| match &item.expr.kind {
                ast::ExprKind::Variable(name)
                    if item.alias.as_ref().is_none_or(|a| a.name == *name) =>
                {
                    Some(Ident {
                        name: name.clone(),
                        span: item.expr.span,
                    })
                }
                _ => None,
            })
            .collect();
        match vars {
            Some(_) if plain && with.star => Ok(named
                .iter()
                .map(|v| (v.name.clone(), v.kind, v.slot))
                .collect()),
            Some(vars) if plain => vars.iter().map(by_name).collect(),
            _ => Ok(Vec::new()),
        }
    }
}

/// `MATCH pattern [WHERE …]` as a query of its own (the body of
/// `COUNT { (a)-->(b) }`).
fn pattern_query(exists: &ast::Exists, span: Span) -> ast::Query {
    let clause = Clause {
        kind: ClauseKind::Match(ast::Match {
            optional: false,
            pattern: exists.pattern.clone(),
            as_of: None,
            where_: exists.where_.clone(),
        }),
        span,
    };
    ast::Query {
        first: ast::SingleQuery {
            clauses: vec![clause],
            span,
        },
        unions: Vec::new(),
        span,
    }
}
