//! One walk over a statement's AST that gathers what the checks need: the
//! names it reads and the names it creates, its MATCH clauses with the
//! variables bound before each, its variable-length relationships, its
//! comparisons, and which variables are nodes or relationships.

use std::collections::{HashMap, HashSet};

use crate::syntax::ast::{
    BinaryOp, Clause, ClauseKind, Expr, ExprKind, Ident, LabelExpr, MapProjectionItem, Match,
    NodePattern, PathSelector, PatternElement, PatternPart, Projection, Query, RelPattern,
    RemoveItem, SetItem, SingleQuery, Statement, SubqueryBody,
};

/// A variable bound by a pattern: a node with its labels or a
/// relationship with its types (as written; empty when none was).
#[derive(Debug, Default)]
pub(super) struct Entity {
    /// Bound by a relationship pattern.
    pub relationship: bool,
    /// Its labels (nodes) or type alternatives (relationships).
    pub names: Vec<String>,
}

/// A MATCH clause with the variables bound before it.
pub(super) struct MatchFact<'a> {
    /// The clause's pattern parts.
    pub pattern: &'a [PatternPart],
    /// Variables bound by earlier clauses.
    pub bound_before: HashSet<String>,
}

/// A comparison `left op right`.
pub(super) struct Comparison<'a> {
    /// `=`, `<>`, `<`, `<=`, `>` or `>=`.
    pub op: BinaryOp,
    /// The left operand.
    pub left: &'a Expr,
    /// The right operand.
    pub right: &'a Expr,
    /// The whole comparison.
    pub expr: &'a Expr,
}

/// What [`collect`] found.
#[derive(Default)]
pub(super) struct Facts<'a> {
    /// Labels the statement reads (patterns of MATCH, label tests).
    pub read_labels: Vec<&'a Ident>,
    /// Relationship types it reads.
    pub read_types: Vec<&'a Ident>,
    /// Property keys it reads: keys of MATCH property maps, and `v.key`
    /// where `v` is a pattern variable.
    pub read_keys: Vec<&'a Ident>,
    /// `v.key` accesses with the variable's name, checked against
    /// [`Facts::entities`] once the walk is over.
    pub accesses: Vec<(&'a str, &'a Ident)>,
    /// Labels the statement creates or sets.
    pub created_labels: HashSet<&'a str>,
    /// Relationship types it creates.
    pub created_types: HashSet<&'a str>,
    /// Property keys it creates or sets.
    pub created_keys: HashSet<&'a str>,
    /// Every MATCH clause.
    pub matches: Vec<MatchFact<'a>>,
    /// Variable-length relationships of MATCH clauses, with the selector
    /// of their pattern part.
    pub var_lengths: Vec<(&'a RelPattern, PathSelector)>,
    /// Every comparison.
    pub comparisons: Vec<Comparison<'a>>,
    /// Pattern variables.
    pub entities: HashMap<&'a str, Entity>,
    /// Variables (also) bound by something other than a pattern.
    pub other_vars: HashSet<&'a str>,
    /// How deep in expression subqueries (`COUNT { … }` …) the walk is:
    /// their MATCH clauses see outer variables the walk does not track,
    /// so they are not checked for cartesian products.
    nested: usize,
}

impl Facts<'_> {
    /// The entity a variable surely is, if it is one.
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        if self.other_vars.contains(name) {
            return None;
        }
        self.entities.get(name)
    }
}

/// Gathers the facts of `statement`.
pub(super) fn collect(statement: &Statement) -> Facts<'_> {
    let mut facts = Facts::default();
    query(&mut facts, &statement.query, &HashSet::new());
    let accesses = std::mem::take(&mut facts.accesses);
    for (var, key) in &accesses {
        if facts.entity(var).is_some() {
            facts.read_keys.push(key);
        }
    }
    facts.accesses = accesses;
    facts
}

fn query<'a>(f: &mut Facts<'a>, q: &'a Query, bound: &HashSet<String>) {
    single(f, &q.first, bound);
    for (_, s) in &q.unions {
        single(f, s, bound);
    }
}

fn single<'a>(f: &mut Facts<'a>, q: &'a SingleQuery, bound: &HashSet<String>) {
    let mut bound = bound.clone();
    for c in &q.clauses {
        clause(f, c, &mut bound);
    }
}

fn clause<'a>(f: &mut Facts<'a>, c: &'a Clause, bound: &mut HashSet<String>) {
    match &c.kind {
        ClauseKind::Match(m) => match_clause(f, m, bound),
        ClauseKind::Unwind { expr: e, alias } => {
            expr(f, e);
            other(f, alias, bound);
        }
        ClauseKind::With(p) => projection(f, p, bound, true),
        ClauseKind::Return(p) => projection(f, p, bound, false),
        ClauseKind::Create(parts) => {
            for part in parts {
                created_part(f, part, bound);
            }
        }
        ClauseKind::Merge(m) => {
            created_part(f, &m.pattern, bound);
            for item in m.on_create.iter().chain(&m.on_match) {
                set_item(f, item);
            }
        }
        ClauseKind::Set(items) => items.iter().for_each(|i| set_item(f, i)),
        ClauseKind::Remove(items) => {
            for item in items {
                if let RemoveItem::Property { target, .. } = item {
                    expr(f, target);
                }
            }
        }
        ClauseKind::Delete { exprs, .. } => exprs.iter().for_each(|e| expr(f, e)),
        ClauseKind::Call(call) => {
            call.args.iter().flatten().for_each(|e| expr(f, e));
            if let Some(crate::syntax::ast::Yields::Items(items)) = &call.yields {
                for item in items {
                    other(f, item.variable(), bound);
                }
            }
            if let Some(w) = &call.where_ {
                expr(f, w);
            }
        }
        ClauseKind::CallSubquery(sub) => {
            query(f, &sub.query, bound);
            for c in returned(&sub.query) {
                bound.insert(c);
            }
        }
        ClauseKind::Foreach {
            variable,
            list,
            clauses,
        } => {
            expr(f, list);
            let mut inner = bound.clone();
            other(f, variable, &mut inner);
            for c in clauses {
                clause(f, c, &mut inner);
            }
        }
        ClauseKind::Use(e) => expr(f, e),
        ClauseKind::LoadCsv { url, alias, .. } => {
            expr(f, url);
            other(f, alias, bound);
        }
        ClauseKind::Schema(_) => {}
    }
}

/// The columns a subquery returns (the variables it adds to the outer scope).
fn returned(q: &Query) -> Vec<String> {
    let Some(last) = q.first.clauses.last() else {
        return Vec::new();
    };
    match &last.kind {
        ClauseKind::Return(p) => p
            .items
            .iter()
            .map(|i| match (&i.alias, &i.expr.kind) {
                (Some(a), _) => a.name.clone(),
                (None, ExprKind::Variable(v)) => v.clone(),
                (None, _) => i.text.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn other<'a>(f: &mut Facts<'a>, name: &'a Ident, bound: &mut HashSet<String>) {
    f.other_vars.insert(&name.name);
    bound.insert(name.name.clone());
}

fn match_clause<'a>(f: &mut Facts<'a>, m: &'a Match, bound: &mut HashSet<String>) {
    if f.nested == 0 {
        f.matches.push(MatchFact {
            pattern: &m.pattern,
            bound_before: bound.clone(),
        });
    }
    for part in &m.pattern {
        read_part(f, part, bound);
        for (rel, _) in &part.element.chain {
            if rel.length.is_some() {
                f.var_lengths.push((rel, part.selector));
            }
        }
    }
    if let Some(e) = &m.as_of {
        expr(f, e);
    }
    if let Some(e) = &m.where_ {
        expr(f, e);
    }
}

fn projection<'a>(f: &mut Facts<'a>, p: &'a Projection, bound: &mut HashSet<String>, with: bool) {
    for item in &p.items {
        expr(f, &item.expr);
    }
    for key in &p.order_by {
        expr(f, &key.expr);
    }
    for e in p.skip.iter().chain(&p.limit).chain(&p.where_) {
        expr(f, e);
    }
    if !with {
        return;
    }
    let mut next = if p.star {
        bound.clone()
    } else {
        HashSet::new()
    };
    for item in &p.items {
        match (&item.alias, &item.expr.kind) {
            // `WITH n` / `WITH n AS m` pass a node or relationship on.
            (None, ExprKind::Variable(v)) => {
                next.insert(v.clone());
            }
            (Some(a), ExprKind::Variable(v)) => {
                if let Some(e) = f.entities.get(v.as_str()) {
                    let copy = Entity {
                        relationship: e.relationship,
                        names: e.names.clone(),
                    };
                    f.entities.entry(&a.name).or_insert(copy);
                } else {
                    f.other_vars.insert(&a.name);
                }
                next.insert(a.name.clone());
            }
            (Some(a), _) => {
                f.other_vars.insert(&a.name);
                next.insert(a.name.clone());
            }
            (None, _) => {
                next.insert(item.text.clone());
            }
        }
    }
    *bound = next;
}

/// A pattern part that is read (MATCH, pattern predicates, EXISTS).
fn read_part<'a>(f: &mut Facts<'a>, part: &'a PatternPart, bound: &mut HashSet<String>) {
    if let Some(v) = &part.variable {
        other(f, v, bound);
    }
    read_element(f, &part.element, bound);
}

fn read_element<'a>(f: &mut Facts<'a>, el: &'a PatternElement, bound: &mut HashSet<String>) {
    read_node(f, &el.start, bound);
    for (rel, node) in &el.chain {
        for t in &rel.types {
            f.read_types.push(t);
        }
        if let Some(e) = &rel.type_expr {
            label_names(e, &mut f.read_types);
        }
        entity(f, rel.variable.as_ref(), true, &rel.types, bound);
        read_map(f, rel.properties.as_ref());
        read_node(f, node, bound);
    }
}

fn read_node<'a>(f: &mut Facts<'a>, n: &'a NodePattern, bound: &mut HashSet<String>) {
    for l in &n.labels {
        f.read_labels.push(l);
    }
    if let Some(e) = &n.label_expr {
        label_names(e, &mut f.read_labels);
    }
    entity(f, n.variable.as_ref(), false, &n.labels, bound);
    read_map(f, n.properties.as_ref());
}

/// The keys of a property map in a pattern that is read.
fn read_map<'a>(f: &mut Facts<'a>, props: Option<&'a Expr>) {
    let Some(props) = props else { return };
    if let ExprKind::Map(entries) = &props.kind {
        for (k, v) in entries {
            f.read_keys.push(k);
            expr(f, v);
        }
    } else {
        expr(f, props);
    }
}

fn entity<'a>(
    f: &mut Facts<'a>,
    var: Option<&'a Ident>,
    relationship: bool,
    names: &[Ident],
    bound: &mut HashSet<String>,
) {
    let Some(var) = var else { return };
    bound.insert(var.name.clone());
    let e = f.entities.entry(&var.name).or_insert_with(|| Entity {
        relationship,
        names: Vec::new(),
    });
    if e.relationship != relationship {
        // The same name as a node and a relationship: an error the binder
        // reports; make no guesses about it here.
        f.other_vars.insert(&var.name);
    }
    e.names.extend(names.iter().map(|n| n.name.clone()));
}

fn label_names<'a>(e: &'a LabelExpr, out: &mut Vec<&'a Ident>) {
    match e {
        LabelExpr::Name(n) => out.push(n),
        LabelExpr::Wildcard => {}
        LabelExpr::Not(inner) => label_names(inner, out),
        LabelExpr::And(items) | LabelExpr::Or(items) => {
            items.iter().for_each(|i| label_names(i, out));
        }
    }
}

/// A pattern part that CREATE or MERGE may create.
fn created_part<'a>(f: &mut Facts<'a>, part: &'a PatternPart, bound: &mut HashSet<String>) {
    if let Some(v) = &part.variable {
        other(f, v, bound);
    }
    let el = &part.element;
    created_node(f, &el.start, bound);
    for (rel, node) in &el.chain {
        f.created_types
            .extend(rel.types.iter().map(|t| t.name.as_str()));
        entity(f, rel.variable.as_ref(), true, &rel.types, bound);
        created_map(f, rel.properties.as_ref());
        created_node(f, node, bound);
    }
}

fn created_node<'a>(f: &mut Facts<'a>, n: &'a NodePattern, bound: &mut HashSet<String>) {
    f.created_labels
        .extend(n.labels.iter().map(|l| l.name.as_str()));
    entity(f, n.variable.as_ref(), false, &n.labels, bound);
    created_map(f, n.properties.as_ref());
}

fn created_map<'a>(f: &mut Facts<'a>, props: Option<&'a Expr>) {
    let Some(props) = props else { return };
    if let ExprKind::Map(entries) = &props.kind {
        for (k, v) in entries {
            f.created_keys.insert(&k.name);
            expr(f, v);
        }
    } else {
        expr(f, props);
    }
}

fn set_item<'a>(f: &mut Facts<'a>, item: &'a SetItem) {
    match item {
        SetItem::Property { target, key, value } => {
            f.created_keys.insert(&key.name);
            expr(f, target);
            expr(f, value);
        }
        SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => {
            created_map(f, Some(value))
        }
        SetItem::Labels { labels, .. } => {
            f.created_labels
                .extend(labels.iter().map(|l| l.name.as_str()));
        }
    }
}

/// Walks an expression: property accesses, label tests, comparisons and
/// the patterns and subqueries inside it. Expressions nest deeply (as deep
/// as the parser allows), so the stack grows rather than overflows, as in
/// the binder.
fn expr<'a>(f: &mut Facts<'a>, e: &'a Expr) {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || expr_inner(f, e));
}

/// Below this much stack left, [`expr`] continues on a new segment…
const STACK_RED_ZONE: usize = 128 * 1024;
/// …of this size (the binder's values).
const STACK_GROWTH: usize = 4 << 20;

fn expr_inner<'a>(f: &mut Facts<'a>, e: &'a Expr) {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Parameter(_)
        | ExprKind::Variable(_)
        | ExprKind::CountStar => {}
        ExprKind::List(items) => items.iter().for_each(|i| expr(f, i)),
        ExprKind::Map(entries) => entries.iter().for_each(|(_, v)| expr(f, v)),
        ExprKind::Property(target, key) => {
            if let ExprKind::Variable(v) = &target.kind {
                f.accesses.push((v, key));
            }
            expr(f, target);
        }
        ExprKind::Index(a, b) => {
            expr(f, a);
            expr(f, b);
        }
        ExprKind::Slice(a, b, c) => {
            expr(f, a);
            b.iter().chain(c).for_each(|x| expr(f, x));
        }
        ExprKind::Unary(_, a) | ExprKind::IsNull(a, _) | ExprKind::IsNormalized(a, ..) => {
            expr(f, a)
        }
        ExprKind::Binary(op, a, b) => {
            if matches!(
                op,
                BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
            ) {
                f.comparisons.push(Comparison {
                    op: *op,
                    left: a,
                    right: b,
                    expr: e,
                });
            }
            expr(f, a);
            expr(f, b);
        }
        ExprKind::HasLabels(target, labels) => {
            let rel = is_relationship(f, target);
            let out = if rel {
                &mut f.read_types
            } else {
                &mut f.read_labels
            };
            out.extend(labels.iter());
            expr(f, target);
        }
        ExprKind::LabelTest(target, le) => {
            let rel = is_relationship(f, target);
            let out = if rel {
                &mut f.read_types
            } else {
                &mut f.read_labels
            };
            label_names(le, out);
            expr(f, target);
        }
        ExprKind::Function { args, .. } => args.iter().for_each(|a| expr(f, a)),
        ExprKind::Case {
            operand,
            alternatives,
            default,
        } => {
            operand.iter().chain(default).for_each(|x| expr(f, x));
            for (w, t) in alternatives {
                expr(f, w);
                expr(f, t);
            }
        }
        ExprKind::ListComprehension {
            variable,
            list,
            predicate,
            projection,
        } => {
            f.other_vars.insert(&variable.name);
            expr(f, list);
            predicate.iter().chain(projection).for_each(|x| expr(f, x));
        }
        ExprKind::Quantified {
            variable,
            list,
            predicate,
            ..
        } => {
            f.other_vars.insert(&variable.name);
            expr(f, list);
            expr(f, predicate);
        }
        ExprKind::Reduce {
            accumulator,
            init,
            variable,
            list,
            expr: step,
        } => {
            f.other_vars.insert(&accumulator.name);
            f.other_vars.insert(&variable.name);
            expr(f, init);
            expr(f, list);
            expr(f, step);
        }
        ExprKind::Pattern(el) => read_element(f, el, &mut HashSet::new()),
        ExprKind::PatternComprehension {
            variable,
            pattern,
            predicate,
            projection,
        } => {
            if let Some(v) = variable {
                f.other_vars.insert(&v.name);
            }
            read_element(f, pattern, &mut HashSet::new());
            predicate.iter().for_each(|x| expr(f, x));
            expr(f, projection);
        }
        ExprKind::MapProjection(target, items) => {
            expr(f, target);
            for item in items {
                match item {
                    MapProjectionItem::Property(key) => {
                        if let ExprKind::Variable(v) = &target.kind {
                            f.accesses.push((v, key));
                        }
                    }
                    MapProjectionItem::Entry(_, v) => expr(f, v),
                    MapProjectionItem::AllProperties | MapProjectionItem::Variable(_) => {}
                }
            }
        }
        ExprKind::Subquery(_, body) => match body.as_ref() {
            SubqueryBody::Pattern(ex) => exists(f, ex),
            SubqueryBody::Query(q) => {
                f.nested += 1;
                query(f, q, &HashSet::new());
                f.nested -= 1;
            }
        },
        ExprKind::Exists(ex) => exists(f, ex),
    }
}

fn exists<'a>(f: &mut Facts<'a>, ex: &'a crate::syntax::ast::Exists) {
    let mut bound = HashSet::new();
    for part in &ex.pattern {
        read_part(f, part, &mut bound);
    }
    if let Some(w) = &ex.where_ {
        expr(f, w);
    }
}

fn is_relationship(f: &Facts<'_>, target: &Expr) -> bool {
    match &target.kind {
        ExprKind::Variable(v) => f.entities.get(v.as_str()).is_some_and(|e| e.relationship),
        _ => false,
    }
}
