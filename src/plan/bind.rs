//! The binder: AST → plan. Resolves variables to slots, names to interned
//! ids, parameters to constants, functions to the built-in table, and
//! enforces the static rules of the language.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::expr::{ArithOp, CmpOp, StrOp};
use super::scope::{Scope, VarKind};
use super::{AggregateCall, Expr, Pipeline, Plan, SetOp, Step, optimize};
use crate::error::{Error, ErrorClass, Result, Span};
use crate::exec::aggregate::AggregateKind;
use crate::graph::Graph;
use crate::procedures::Registry;
use crate::syntax::ast::{self, BinaryOp, ClauseKind, ExprKind, Literal, UnaryOp};
use crate::value::Value;

/// Stack left below which recursive passes switch to a fresh stack segment.
pub(crate) const STACK_RED_ZONE: usize = 128 * 1024;
/// The size of each fresh stack segment.
pub(crate) const STACK_GROWTH: usize = 4 << 20;
/// The most steps a pipeline may have (each step is one level of nested
/// iterators when rows are pulled).
const MAX_STEPS: usize = 2_000;

/// What bounds the evaluation of constants while planning: the
/// statement's cancel flag and limits.
#[derive(Debug, Clone, Copy)]
pub struct Guard<'a> {
    /// Set to cancel the statement.
    pub cancel: &'a std::sync::atomic::AtomicBool,
    /// Time, expansion and size limits.
    pub limits: &'a crate::exec::Limits,
}

/// Choices that change how a statement is planned.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Run the optimizer passes (index seeks, filter pushdown, anchor choice, top-k).
    pub optimize: bool,
    /// A session-wide valid time: every MATCH without its own `AS OF` (and
    /// every pattern in an expression) matches only elements valid then.
    pub as_of: Option<Value>,
    /// Provenance: each WITH and RETURN carries a hidden last column,
    /// [`WHY_COLUMN`], listing the relationships (and paths) its row was
    /// made of (collected over the group for aggregates).
    pub provenance: bool,
    /// The procedures CALL can name.
    pub procedures: Arc<Registry>,
    /// The directory `LOAD CSV FROM 'file:///…'` reads in (`None`: the
    /// current directory).
    pub import_dir: Option<std::path::PathBuf>,
}

/// The name of the hidden provenance column (it starts with a space, so no
/// query can name it).
pub const WHY_COLUMN: &str = " why";

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            optimize: true,
            as_of: None,
            provenance: false,
            procedures: Arc::new(Registry::with_builtins()),
            import_dir: None,
        }
    }
}

/// Plans a parsed statement against `graph` (whose name tables gain any new
/// label, type or key the statement mentions) with the given parameters.
/// Constant expressions are evaluated while planning, under `guard`: the
/// statement's cancel flag and limits.
pub fn bind_statement(
    statement: &ast::Statement,
    graph: &mut Graph,
    params: &BTreeMap<String, Value>,
    options: &PlanOptions,
    guard: Guard<'_>,
) -> Result<Plan> {
    bind_with(statement, GraphAccess::Mut(graph), params, options, guard)
}

/// Plans a parsed statement against a graph it may not change: names the
/// graph has never seen get an id that matches nothing (so a read finds no
/// such label, type or key). A plan that writes is bound this way too, but
/// must not be run: callers check [`Plan::writes`] and bind it again with
/// [`bind_statement`].
pub fn bind_read_only(
    statement: &ast::Statement,
    graph: &Graph,
    params: &BTreeMap<String, Value>,
    options: &PlanOptions,
    guard: Guard<'_>,
) -> Result<Plan> {
    bind_with(
        statement,
        GraphAccess::Shared(graph),
        params,
        options,
        guard,
    )
}

/// The id every name unknown to a shared graph gets: no node, relationship
/// or property ever has it.
const UNKNOWN_NAME: u32 = u32::MAX;

/// The graph as the binder sees it: writable (names are interned) or
/// shared (unknown names get [`UNKNOWN_NAME`]).
pub(super) enum GraphAccess<'a> {
    Mut(&'a mut Graph),
    Shared(&'a Graph),
}

impl std::ops::Deref for GraphAccess<'_> {
    type Target = Graph;
    fn deref(&self) -> &Graph {
        match self {
            GraphAccess::Mut(g) => g,
            GraphAccess::Shared(g) => g,
        }
    }
}

impl GraphAccess<'_> {
    pub(super) fn intern_key(&mut self, name: &str) -> crate::graph::KeyId {
        match self {
            GraphAccess::Mut(g) => g.intern_key(name),
            GraphAccess::Shared(g) => g.key_id(name).unwrap_or(crate::graph::KeyId(UNKNOWN_NAME)),
        }
    }
    pub(super) fn intern_label(&mut self, name: &str) -> crate::graph::LabelId {
        match self {
            GraphAccess::Mut(g) => g.intern_label(name),
            GraphAccess::Shared(g) => g
                .label_id(name)
                .unwrap_or(crate::graph::LabelId(UNKNOWN_NAME)),
        }
    }
    pub(super) fn intern_type(&mut self, name: &str) -> crate::graph::TypeId {
        match self {
            GraphAccess::Mut(g) => g.intern_type(name),
            GraphAccess::Shared(g) => g
                .type_id(name)
                .unwrap_or(crate::graph::TypeId(UNKNOWN_NAME)),
        }
    }
    pub(super) fn reborrow(&mut self) -> GraphAccess<'_> {
        match self {
            GraphAccess::Mut(g) => GraphAccess::Mut(g),
            GraphAccess::Shared(g) => GraphAccess::Shared(g),
        }
    }
}

fn bind_with(
    statement: &ast::Statement,
    mut graph: GraphAccess<'_>,
    params: &BTreeMap<String, Value>,
    options: &PlanOptions,
    guard: Guard<'_>,
) -> Result<Plan> {
    let mut branches = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    let query = &statement.query;
    let mut union_kinds = Vec::new();
    for (i, single) in std::iter::once(&query.first)
        .chain(query.unions.iter().map(|(_, q)| q))
        .enumerate()
    {
        let mut binder = Binder::new(graph.reborrow(), params, options.clone(), guard);
        let (pipeline, cols) = binder.bind_single(single)?;
        if let Some(expected) = &columns {
            if *expected != cols {
                return Err(Error::syntax(
                    "DifferentColumnsInUnion",
                    "all parts of a UNION must return the same column names",
                )
                .at(single.span));
            }
        } else {
            columns = Some(cols);
        }
        if i > 0 {
            union_kinds.push(query.unions[i - 1].0);
        }
        branches.push(pipeline);
    }
    if union_kinds.iter().any(|all| *all) && union_kinds.iter().any(|all| !*all) {
        return Err(Error::syntax(
            "InvalidClauseComposition",
            "UNION and UNION ALL cannot be mixed",
        )
        .at(query.span));
    }
    let mut plan = Plan {
        mode: statement.mode,
        branches,
        union_distinct: union_kinds.iter().any(|all| !*all),
        columns: columns.unwrap_or_default(),
    };
    if options.optimize {
        optimize::optimize(&mut plan, &graph);
    }
    Ok(plan)
}

/// Binds one single query (no UNION).
pub(super) struct Binder<'a> {
    pub(super) graph: GraphAccess<'a>,
    params: &'a BTreeMap<String, Value>,
    pub(super) options: PlanOptions,
    /// The cancel flag and limits that constant folding runs under.
    pub(super) guard: Guard<'a>,
    pub(super) scope: Scope,
    /// Aggregate calls found while binding a projection item; `None` where
    /// aggregates are not allowed.
    pub(super) aggregates: Option<Vec<AggregateCall>>,
    /// Whether an aggregate's arguments are being bound.
    pub(super) in_aggregate: bool,
    /// Whether the expression bound next stands where a predicate is
    /// expected (WHERE, a boolean operand, `exists()`), the only place a
    /// bare pattern such as `(a)-->()` may stand. Read and cleared by
    /// [`Binder::bind_expr`].
    predicate_position: bool,
    anonymous: usize,
    /// Index of the `Widen` step that opens the current scope.
    widen_at: usize,
    /// The instant matched patterns must be valid at: the current MATCH's
    /// `AS OF`, else the session's as-of.
    pub(super) valid_at: Option<Expr>,
    /// The scope a subquery starts in (its imported variables).
    pub(super) initial_scope: Option<Scope>,
    /// A subquery in an expression may end without RETURN.
    pub(super) allow_reading_end: bool,
    /// While a MATCH pattern is declared: (pattern slot, given slot) of each
    /// variable-length relationship that reuses a list bound before.
    pub(super) reused_rel_lists: Option<Vec<(super::Slot, super::Slot)>>,
}

impl<'a> Binder<'a> {
    pub(super) fn new(
        graph: GraphAccess<'a>,
        params: &'a BTreeMap<String, Value>,
        options: PlanOptions,
        guard: Guard<'a>,
    ) -> Self {
        Binder {
            graph,
            params,
            guard,
            scope: Scope::default(),
            aggregates: None,
            in_aggregate: false,
            predicate_position: false,
            anonymous: 0,
            widen_at: 0,
            valid_at: options.as_of.clone().map(Expr::Const),
            initial_scope: None,
            allow_reading_end: false,
            reused_rel_lists: None,
            options,
        }
    }

    /// A fresh name for an anonymous pattern element.
    pub(super) fn anonymous_name(&mut self) -> String {
        self.anonymous += 1;
        format!(" anon{}", self.anonymous)
    }

    /// Closes the current scope: fixes the width of its opening `Widen`.
    pub(super) fn close_scope(&mut self, steps: &mut [Step]) {
        if let Some(Step::Widen { width }) = steps.get_mut(self.widen_at) {
            *width = self.scope.width;
        }
    }

    /// Opens a new scope whose first slots hold `vars`.
    pub(super) fn open_scope(&mut self, steps: &mut Vec<Step>, scope: Scope) {
        self.scope = scope;
        self.widen_at = steps.len();
        steps.push(Step::Widen {
            width: self.scope.width,
        });
    }

    pub(super) fn bind_single(
        &mut self,
        query: &ast::SingleQuery,
    ) -> Result<(Pipeline, Vec<String>)> {
        let mut steps = Vec::new();
        let initial = self.initial_scope.take().unwrap_or_default();
        self.open_scope(&mut steps, initial);
        let mut columns = Vec::new();
        let last = query.clauses.len().saturating_sub(1);
        for (i, clause) in query.clauses.iter().enumerate() {
            match &clause.kind {
                ClauseKind::Return(_) if i != last => {
                    return Err(Error::syntax(
                        "InvalidClauseComposition",
                        "RETURN can only be the last clause",
                    )
                    .at(clause.span));
                }
                ClauseKind::Return(p) => columns = self.bind_projection(p, false, &mut steps)?,
                ClauseKind::With(p) => {
                    self.bind_projection(p, true, &mut steps)?;
                }
                ClauseKind::Match(m) => self.bind_match(m, &mut steps)?,
                ClauseKind::Unwind { expr, alias } => {
                    let expr = self.bind_expr(expr)?;
                    let slot = self.declare_new(alias, VarKind::Value)?;
                    steps.push(Step::Unwind {
                        expr,
                        slot,
                        move_list: false,
                    });
                }
                ClauseKind::Create(parts) => self.bind_create(parts, &mut steps)?,
                ClauseKind::Merge(merge) => self.bind_merge(merge, &mut steps)?,
                ClauseKind::Set(items) => {
                    let ops = items
                        .iter()
                        .map(|item| self.bind_set_item(item))
                        .collect::<Result<_>>()?;
                    steps.push(Step::Set(ops));
                }
                ClauseKind::Remove(items) => {
                    let ops = items
                        .iter()
                        .map(|item| self.bind_remove_item(item))
                        .collect::<Result<_>>()?;
                    steps.push(Step::Set(ops));
                }
                ClauseKind::Delete { detach, exprs } => {
                    let exprs = exprs
                        .iter()
                        .map(|e| self.bind_delete_target(e))
                        .collect::<Result<_>>()?;
                    steps.push(Step::Delete {
                        exprs,
                        detach: *detach,
                    });
                }
                ClauseKind::CallSubquery(sub) => {
                    self.bind_call_subquery(sub, &mut steps, clause.span)?
                }
                ClauseKind::Foreach {
                    variable,
                    list,
                    clauses,
                } => self.bind_foreach(variable, list, clauses, &mut steps, clause.span)?,
                ClauseKind::Schema(_) => {
                    return Err(Error::syntax(
                        "InvalidClauseComposition",
                        "CREATE/DROP INDEX and CONSTRAINT must each be a statement of its own",
                    )
                    .at(clause.span));
                }
                ClauseKind::LoadCsv {
                    headers,
                    url,
                    alias,
                    terminator,
                } => self.bind_load_csv(*headers, url, alias, terminator.as_deref(), &mut steps)?,
                ClauseKind::Use(_) => {
                    return Err(Error::unsupported(
                        "USE is not supported: kgq runs each statement on the one graph of its \
                         session (open another graph to query it)",
                    )
                    .at(clause.span));
                }
                ClauseKind::Call(call) => {
                    let place = super::call::CallPlace {
                        standalone: query.clauses.len() == 1,
                        last: i == last,
                    };
                    if let Some(cols) = self.bind_call(call, place, &mut steps, clause.span)? {
                        columns = cols;
                    }
                }
            }
            self.check_clause_order(query, i)?;
        }
        self.close_scope(&mut steps);
        if steps.len() > MAX_STEPS {
            return Err(Error::syntax(
                "QueryTooLarge",
                format!(
                    "this query needs {} operators, more than the {MAX_STEPS} kgq allows in one statement; \
                     split its patterns or clauses",
                    steps.len()
                ),
            )
            .at(query.span));
        }
        Ok((Pipeline { steps }, columns))
    }

    fn check_clause_order(&self, query: &ast::SingleQuery, i: usize) -> Result<()> {
        let clause = &query.clauses[i];
        let is_last = i + 1 == query.clauses.len();
        let is_reading_only = matches!(
            clause.kind,
            ClauseKind::Match(_) | ClauseKind::Unwind { .. } | ClauseKind::With(_)
        );
        if is_last && is_reading_only && !self.allow_reading_end {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "a query cannot end with MATCH, UNWIND or WITH: add a RETURN clause",
            )
            .at(clause.span));
        }
        Ok(())
    }

    /// The statement's parameters.
    pub(super) fn params_ref(&self) -> &'a BTreeMap<String, Value> {
        self.params
    }

    /// The cancel flag and limits constant folding runs under.
    pub(super) fn guard(&self) -> Guard<'a> {
        self.guard
    }

    /// The value of parameter `$name`, if given.
    pub(super) fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// Declares a variable that must not exist yet.
    pub(super) fn declare_new(&mut self, name: &ast::Ident, kind: VarKind) -> Result<usize> {
        if self.scope.get(&name.name).is_some() {
            return Err(Error::syntax(
                "VariableAlreadyBound",
                format!("variable `{}` is already defined", name.name),
            )
            .at(name.span));
        }
        Ok(self.scope.declare(&name.name, kind))
    }

    fn bind_delete_target(&mut self, expr: &ast::Expr) -> Result<Expr> {
        let bound = self.bind_expr(expr)?;
        if matches!(expr.kind, ExprKind::HasLabels(..)) {
            return Err(Error::syntax(
                "InvalidDelete",
                "DELETE removes nodes, relationships or paths; use REMOVE to remove labels",
            )
            .at(expr.span));
        }
        if matches!(
            expr.kind,
            ExprKind::Literal(_) | ExprKind::List(_) | ExprKind::Map(_) | ExprKind::Binary(..)
        ) {
            return Err(Error::syntax(
                "InvalidArgumentType",
                "DELETE expects a node, relationship or path",
            )
            .at(expr.span));
        }
        Ok(bound)
    }

    pub(super) fn bind_set_item(&mut self, item: &ast::SetItem) -> Result<SetOp> {
        Ok(match item {
            ast::SetItem::Property { target, key, value } => SetOp::Property {
                target: self.bind_expr(target)?,
                key: self.graph.intern_key(&key.name),
                value: self.bind_expr(value)?,
            },
            ast::SetItem::Replace { variable, value } | ast::SetItem::Merge { variable, value } => {
                SetOp::Map {
                    target: self.bind_variable(variable)?,
                    value: self.bind_expr(value)?,
                    merge: matches!(item, ast::SetItem::Merge { .. }),
                }
            }
            ast::SetItem::Labels { variable, labels } => SetOp::AddLabels {
                target: self.bind_variable(variable)?,
                labels: self.intern_labels(labels),
            },
        })
    }

    fn bind_remove_item(&mut self, item: &ast::RemoveItem) -> Result<SetOp> {
        Ok(match item {
            ast::RemoveItem::Property { target, key } => SetOp::RemoveProperty {
                target: self.bind_expr(target)?,
                key: self.graph.intern_key(&key.name),
            },
            ast::RemoveItem::Labels { variable, labels } => SetOp::RemoveLabels {
                target: self.bind_variable(variable)?,
                labels: self.intern_labels(labels),
            },
        })
    }

    /// Interns each label named.
    pub(super) fn intern_labels(&mut self, labels: &[ast::Ident]) -> Vec<crate::graph::LabelId> {
        labels
            .iter()
            .map(|l| self.graph.intern_label(&l.name))
            .collect()
    }

    fn bind_variable(&mut self, name: &ast::Ident) -> Result<Expr> {
        match self.scope.get(&name.name) {
            Some(var) => Ok(Expr::Slot(var.slot)),
            None => Err(undefined(&name.name, name.span)),
        }
    }

    /// Binds an expression in the current scope.
    pub(super) fn bind_expr(&mut self, expr: &ast::Expr) -> Result<Expr> {
        // Expressions nest up to `MAX_EXPRESSION_DEPTH`; grow the stack
        // rather than overflow it.
        let predicate = std::mem::take(&mut self.predicate_position);
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || {
            let bound = self
                .bind_expr_inner(expr, predicate)
                .map_err(|e| e.at(expr.span))?;
            self.fold(bound).map_err(|e| e.at(expr.span))
        })
    }

    /// Evaluates a constant expression now. A type error there is certain
    /// whatever the data, so it is reported as a `SyntaxError` when the
    /// statement is planned; any other error is left for run time.
    fn fold(&self, expr: Expr) -> Result<Expr> {
        if matches!(expr, Expr::Const(_)) || !expr.is_constant() {
            return Ok(expr);
        }
        match self.fold_constant(expr.clone()) {
            Ok(folded) => Ok(folded),
            Err(e) if e.class == ErrorClass::TypeError && e.code == "InvalidArgumentType" => {
                Err(Error::syntax("InvalidArgumentType", e.message))
            }
            Err(_) => Ok(expr),
        }
    }

    pub(super) fn bind_boxed(&mut self, expr: &ast::Expr) -> Result<Box<Expr>> {
        self.bind_expr(expr).map(Box::new)
    }

    /// Binds an expression that stands where a predicate is expected.
    pub(super) fn bind_predicate(&mut self, expr: &ast::Expr) -> Result<Expr> {
        self.predicate_position = true;
        self.bind_expr(expr)
    }

    fn bind_predicate_boxed(&mut self, expr: &ast::Expr) -> Result<Box<Expr>> {
        self.bind_predicate(expr).map(Box::new)
    }

    fn bind_expr_inner(&mut self, expr: &ast::Expr, predicate: bool) -> Result<Expr> {
        Ok(match &expr.kind {
            ExprKind::Literal(lit) => Expr::Const(literal_value(lit)),
            ExprKind::Parameter(name) => match self.params.get(name) {
                Some(v) => Expr::Const(v.clone()),
                None => {
                    return Err(Error::new(
                        ErrorClass::ParameterMissing,
                        "MissingParameter",
                        format!("parameter `${name}` was not given a value"),
                    ));
                }
            },
            ExprKind::Variable(name) => match self.scope.get(name) {
                Some(var)
                    if predicate
                        && matches!(
                            var.kind,
                            VarKind::Node | VarKind::Relationship | VarKind::Path
                        ) =>
                {
                    return Err(Error::syntax(
                        "InvalidArgumentType",
                        format!("`{name}` is {}, not a predicate", kind_name(var.kind)),
                    )
                    .at(expr.span));
                }
                Some(var) => Expr::Slot(var.slot),
                None => return Err(undefined(name, expr.span)),
            },
            ExprKind::List(items) => Expr::List(
                items
                    .iter()
                    .map(|e| self.bind_expr(e))
                    .collect::<Result<_>>()?,
            ),
            ExprKind::Map(entries) => Expr::Map(
                entries
                    .iter()
                    .map(|(k, e)| Ok((k.name.clone(), self.bind_expr(e)?)))
                    .collect::<Result<_>>()?,
            ),
            ExprKind::Property(target, key) => {
                if let ExprKind::Variable(name) = &target.kind
                    && self
                        .scope
                        .get(name)
                        .is_some_and(|v| v.kind == VarKind::NoProperties)
                {
                    return Err(Error::new(
                        ErrorClass::TypeError,
                        "InvalidArgumentType",
                        format!("`{name}` is not a map, node, relationship or temporal value, so it has no property `{}`", key.name),
                    )
                    .at(expr.span));
                }
                let target = self.bind_boxed(target)?;
                Expr::Property(
                    target,
                    self.graph.intern_key(&key.name),
                    key.name.as_str().into(),
                )
            }
            ExprKind::Index(a, b) => Expr::Index(self.bind_boxed(a)?, self.bind_boxed(b)?),
            ExprKind::Slice(a, from, to) => Expr::Slice(
                self.bind_boxed(a)?,
                from.as_deref().map(|e| self.bind_boxed(e)).transpose()?,
                to.as_deref().map(|e| self.bind_boxed(e)).transpose()?,
            ),
            ExprKind::Unary(op, e) => {
                self.predicate_position = *op == UnaryOp::Not;
                let inner = self.bind_boxed(e)?;
                match op {
                    UnaryOp::Not => Expr::Not(expect_boolean(inner, e.span)?),
                    UnaryOp::Negate => Expr::Neg(inner),
                    UnaryOp::Plus => {
                        Expr::Arith(ArithOp::Add, Expr::Const(Value::Int(0)).boxed(), inner)
                    }
                }
            }
            ExprKind::Binary(op, a, b) => self.bind_binary(*op, a, b)?,
            ExprKind::IsNull(e, negated) => Expr::IsNull(self.bind_boxed(e)?, *negated),
            ExprKind::IsNormalized(e, form, negated) => {
                self.bind_is_normalized(e, *form, *negated)?
            }
            ExprKind::HasLabels(e, labels) => {
                Expr::HasLabels(self.bind_boxed(e)?, self.intern_labels(labels))
            }
            ExprKind::LabelTest(e, test) => self.bind_label_test(e, test)?,
            ExprKind::MapProjection(target, items) => self.bind_map_projection(target, items)?,
            ExprKind::Subquery(kind, body) => self.bind_subquery_expr(*kind, body, expr.span)?,
            ExprKind::Function {
                name,
                distinct,
                args,
            } => self.bind_function(name, *distinct, args)?,
            ExprKind::CountStar => self.add_aggregate(
                AggregateCall {
                    kind: AggregateKind::CountStar,
                    distinct: false,
                    arg: None,
                    param: None,
                },
                expr.span,
            )?,
            ExprKind::Case {
                operand,
                alternatives,
                default,
            } => Expr::Case {
                operand: operand.as_deref().map(|e| self.bind_boxed(e)).transpose()?,
                alternatives: alternatives
                    .iter()
                    .map(|(w, t)| {
                        let when = if operand.is_some() {
                            self.bind_expr(w)?
                        } else {
                            self.bind_predicate(w)?
                        };
                        Ok((when, self.bind_expr(t)?))
                    })
                    .collect::<Result<_>>()?,
                default: default.as_deref().map(|e| self.bind_boxed(e)).transpose()?,
            },
            ExprKind::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                let list = self.bind_boxed(list)?;
                let mark = self.scope.mark();
                let slot = self.scope.declare(&variable.name, VarKind::Value);
                // No aggregate in the body: it runs once per element.
                let saved = self.aggregates.take();
                let predicate = predicate
                    .as_deref()
                    .map(|e| self.bind_predicate_boxed(e))
                    .transpose();
                let projection = projection
                    .as_deref()
                    .map(|e| self.bind_boxed(e))
                    .transpose();
                self.aggregates = saved;
                self.scope.truncate(mark);
                Expr::ListComprehension {
                    slot,
                    list,
                    predicate: predicate?,
                    projection: projection?,
                }
            }
            ExprKind::Quantified {
                quantifier,
                variable,
                list,
                predicate,
            } => {
                let list = self.bind_boxed(list)?;
                let mark = self.scope.mark();
                let slot = self.scope.declare(&variable.name, VarKind::Value);
                let saved = self.aggregates.take();
                let predicate = self.bind_predicate_boxed(predicate);
                self.aggregates = saved;
                self.scope.truncate(mark);
                Expr::Quantified {
                    quantifier: *quantifier,
                    slot,
                    list,
                    predicate: predicate?,
                }
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => {
                let init = self.bind_boxed(init)?;
                let list = self.bind_boxed(list)?;
                let mark = self.scope.mark();
                let acc = self.scope.declare(&accumulator.name, VarKind::Value);
                let slot = self.scope.declare(&variable.name, VarKind::Value);
                let saved = self.aggregates.take();
                let body = self.bind_boxed(expr);
                self.aggregates = saved;
                self.scope.truncate(mark);
                Expr::Reduce {
                    accumulator: acc,
                    init,
                    slot,
                    list,
                    expr: body?,
                }
            }
            ExprKind::Pattern(element) => {
                if !predicate {
                    return Err(Error::syntax(
                        "UnexpectedSyntax",
                        "a pattern such as `(a)-->()` can only be used as a predicate \
                         (in WHERE, as an operand of NOT, AND, OR or XOR, or in exists()); \
                         use EXISTS { … } or a pattern comprehension [p = (a)-->() | p] here",
                    )
                    .at(expr.span));
                }
                let steps = self.bind_subpattern(&[part_of(element)], None, false)?;
                Expr::Exists(Box::new(steps))
            }
            ExprKind::Exists(exists) => {
                let steps = self.bind_subpattern(&exists.pattern, exists.where_.as_ref(), true)?;
                Expr::Exists(Box::new(steps))
            }
            ExprKind::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                let mut part = part_of(pattern);
                part.variable = variable.clone();
                let mark = self.scope.mark();
                let saved = self.aggregates.take();
                let result = self
                    .bind_subpattern_keep_scope(&[part], predicate.as_deref(), true)
                    .and_then(|steps| {
                        let projection = self.bind_boxed(projection)?;
                        Ok(Expr::Collect {
                            steps: Box::new(steps),
                            projection,
                        })
                    });
                self.aggregates = saved;
                self.scope.truncate(mark);
                result?
            }
        })
    }

    fn bind_binary(&mut self, op: BinaryOp, a: &ast::Expr, b: &ast::Expr) -> Result<Expr> {
        let boolean = matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor);
        self.predicate_position = boolean;
        let mut x = self.bind_boxed(a)?;
        self.predicate_position = boolean;
        let mut y = self.bind_boxed(b)?;
        if boolean {
            x = expect_boolean(x, a.span)?;
            y = expect_boolean(y, b.span)?;
        }
        Ok(match op {
            BinaryOp::Or => Expr::Or(x, y),
            BinaryOp::Xor => Expr::Xor(x, y),
            BinaryOp::And => Expr::And(x, y),
            BinaryOp::Eq => Expr::Compare(CmpOp::Eq, x, y),
            BinaryOp::Ne => Expr::Compare(CmpOp::Ne, x, y),
            BinaryOp::Lt => Expr::Compare(CmpOp::Lt, x, y),
            BinaryOp::Le => Expr::Compare(CmpOp::Le, x, y),
            BinaryOp::Gt => Expr::Compare(CmpOp::Gt, x, y),
            BinaryOp::Ge => Expr::Compare(CmpOp::Ge, x, y),
            BinaryOp::Add => Expr::Arith(ArithOp::Add, x, y),
            BinaryOp::Sub => Expr::Arith(ArithOp::Sub, x, y),
            BinaryOp::Mul => Expr::Arith(ArithOp::Mul, x, y),
            BinaryOp::Div => Expr::Arith(ArithOp::Div, x, y),
            BinaryOp::Mod => Expr::Arith(ArithOp::Mod, x, y),
            BinaryOp::Pow => Expr::Arith(ArithOp::Pow, x, y),
            BinaryOp::In => Expr::In(x, y),
            BinaryOp::StartsWith => Expr::Str(StrOp::StartsWith, x, y),
            BinaryOp::EndsWith => Expr::Str(StrOp::EndsWith, x, y),
            BinaryOp::Contains => Expr::Str(StrOp::Contains, x, y),
            BinaryOp::Regex => Expr::Str(StrOp::Regex, x, y),
        })
    }
}

fn part_of(element: &ast::PatternElement) -> ast::PatternPart {
    ast::PatternPart {
        variable: None,
        selector: ast::PathSelector::All,
        element: element.clone(),
        span: element.span,
    }
}

/// Refuses, when planning, an operand of a boolean operator that is
/// certainly not a boolean (a literal number, string, list or map).
fn expect_boolean(expr: Box<Expr>, span: Span) -> Result<Box<Expr>> {
    let wrong = match &*expr {
        Expr::Const(v) => !matches!(v, Value::Bool(_) | Value::Null),
        Expr::List(_) | Expr::Map(_) => true,
        _ => false,
    };
    if wrong {
        return Err(Error::syntax(
            "InvalidArgumentType",
            "boolean operators (AND, OR, XOR, NOT) need boolean operands",
        )
        .at(span));
    }
    Ok(expr)
}

/// How a kind of variable reads in a message.
pub(super) fn kind_name(kind: VarKind) -> &'static str {
    match kind {
        VarKind::Node => "a node",
        VarKind::Relationship => "a relationship",
        VarKind::RelationshipList => "a list of relationships",
        VarKind::Path => "a path",
        VarKind::Scalar | VarKind::NoProperties | VarKind::Value => "a value",
    }
}

/// `SyntaxError: UndefinedVariable` for `name` at `span`.
pub(super) fn undefined(name: &str, span: Span) -> Error {
    Error::syntax(
        "UndefinedVariable",
        format!("variable `{name}` is not defined"),
    )
    .at(span)
}

fn literal_value(lit: &Literal) -> Value {
    match lit {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Integer(i) => Value::Int(*i),
        Literal::Float(f) => Value::Float(*f),
        Literal::String(s) => Value::string(s),
    }
}
