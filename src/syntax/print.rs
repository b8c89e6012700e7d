//! AST → canonical statement text. Printing a parsed statement and parsing
//! the result gives the same AST except for spans and the source text kept
//! in [`ProjectionItem::text`](super::ast::ProjectionItem::text).
//! Parentheses are added only where precedence requires them.

use std::fmt::Write;

mod commands;
use commands::{procedure_call, schema_command};

use super::ast::{
    BinaryOp, Clause, ClauseKind, Direction, Expr, ExprKind, Ident, LabelExpr, LengthRange,
    Literal, MapProjectionItem, NodePattern, PathSelector, PatternElement, PatternPart, Projection,
    Quantifier, RelPattern, RemoveItem, SetItem, SingleQuery, Statement, StatementMode, UnaryOp,
};

/// Words that must be backticked when used as variable names.
const RESERVED: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "BY",
    "CALL",
    "CASE",
    "CONTAINS",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "ELSE",
    "END",
    "ENDS",
    "EXISTS",
    "FALSE",
    "IN",
    "IS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "NOT",
    "NULL",
    "OF",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "REMOVE",
    "RETURN",
    "SET",
    "SKIP",
    "STARTS",
    "THEN",
    "TRUE",
    "UNION",
    "UNWIND",
    "WHEN",
    "WHERE",
    "WITH",
    "XOR",
    "YIELD",
];

/// Prints a statement as canonical text that parses back to it.
pub fn print_statement(statement: &Statement) -> String {
    let mut out = String::new();
    match statement.mode {
        StatementMode::Run => {}
        StatementMode::Explain => out.push_str("EXPLAIN "),
        StatementMode::Profile => out.push_str("PROFILE "),
    }
    query(&mut out, &statement.query);
    out
}

fn query(out: &mut String, q: &crate::syntax::ast::Query) {
    single_query(out, &q.first);
    for (all, q) in &q.unions {
        out.push_str(if *all { " UNION ALL " } else { " UNION " });
        single_query(out, q);
    }
}

/// Prints one expression as canonical text.
pub fn print_expr(expr: &Expr) -> String {
    let mut out = String::new();
    expr_at(&mut out, expr, 0);
    out
}

fn single_query(out: &mut String, q: &SingleQuery) {
    for (i, c) in q.clauses.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        clause(out, c);
    }
}

fn clause(out: &mut String, c: &Clause) {
    match &c.kind {
        ClauseKind::Match(m) => {
            out.push_str(if m.optional {
                "OPTIONAL MATCH "
            } else {
                "MATCH "
            });
            pattern(out, &m.pattern);
            if let Some(e) = &m.as_of {
                out.push_str(" AS OF ");
                expr_at(out, e, 0);
            }
            where_(out, m.where_.as_ref());
        }
        ClauseKind::Unwind { expr, alias } => {
            out.push_str("UNWIND ");
            expr_at(out, expr, 0);
            out.push_str(" AS ");
            variable(out, &alias.name);
        }
        ClauseKind::With(p) => {
            out.push_str("WITH ");
            projection(out, p);
            where_(out, p.where_.as_ref());
        }
        ClauseKind::Return(p) => {
            out.push_str("RETURN ");
            projection(out, p);
        }
        ClauseKind::Create(parts) => {
            out.push_str("CREATE ");
            pattern(out, parts);
        }
        ClauseKind::Merge(m) => {
            out.push_str("MERGE ");
            pattern_part(out, &m.pattern);
            if m.on_alias {
                out.push_str(" ON ALIAS");
            }
            for (head, items) in [
                (" ON CREATE SET ", &m.on_create),
                (" ON MATCH SET ", &m.on_match),
            ] {
                if !items.is_empty() {
                    out.push_str(head);
                    set_items(out, items);
                }
            }
        }
        ClauseKind::Set(items) => {
            out.push_str("SET ");
            set_items(out, items);
        }
        ClauseKind::Remove(items) => {
            out.push_str("REMOVE ");
            comma_separated(out, items, remove_item);
        }
        ClauseKind::Delete { detach, exprs } => {
            out.push_str(if *detach { "DETACH DELETE " } else { "DELETE " });
            comma_separated(out, exprs, |o, e| expr_at(o, e, 0));
        }
        ClauseKind::Call(call) => procedure_call(out, call),
        ClauseKind::CallSubquery(sub) => {
            out.push_str("CALL ");
            match &sub.scope {
                Some(crate::syntax::ast::ImportScope::All) => out.push_str("(*) "),
                Some(crate::syntax::ast::ImportScope::Vars(vars)) => {
                    out.push('(');
                    comma_separated(out, vars, |o, v| variable(o, &v.name));
                    out.push_str(") ");
                }
                None => {}
            }
            out.push_str("{ ");
            query(out, &sub.query);
            out.push_str(" }");
            if let Some(rows) = &sub.in_transactions {
                out.push_str(" IN TRANSACTIONS");
                if let Some(rows) = rows {
                    out.push_str(" OF ");
                    expr_at(out, rows, 0);
                    out.push_str(" ROWS");
                }
            }
        }
        ClauseKind::Foreach {
            variable: v,
            list,
            clauses,
        } => {
            out.push_str("FOREACH (");
            variable(out, &v.name);
            out.push_str(" IN ");
            expr_at(out, list, 0);
            out.push_str(" | ");
            for (i, c) in clauses.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                clause(out, c);
            }
            out.push(')');
        }
        ClauseKind::Schema(cmd) => schema_command(out, cmd),
        ClauseKind::LoadCsv {
            headers,
            url,
            alias,
            terminator,
        } => {
            out.push_str(if *headers {
                "LOAD CSV WITH HEADERS FROM "
            } else {
                "LOAD CSV FROM "
            });
            expr_at(out, url, 0);
            out.push_str(" AS ");
            variable(out, &alias.name);
            if let Some(t) = terminator {
                out.push_str(" FIELDTERMINATOR ");
                string(out, t);
            }
        }
        ClauseKind::Use(target) => {
            out.push_str("USE ");
            expr_at(out, target, 0);
        }
    }
}

fn where_(out: &mut String, e: Option<&Expr>) {
    if let Some(e) = e {
        out.push_str(" WHERE ");
        expr_at(out, e, 0);
    }
}

fn comma_separated<T>(out: &mut String, items: &[T], mut f: impl FnMut(&mut String, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        f(out, item);
    }
}

fn projection(out: &mut String, p: &Projection) {
    if p.distinct {
        out.push_str("DISTINCT ");
    }
    if p.star {
        out.push('*');
        if !p.items.is_empty() {
            out.push_str(", ");
        }
    }
    comma_separated(out, &p.items, |o, item| {
        expr_at(o, &item.expr, 0);
        if let Some(alias) = &item.alias {
            o.push_str(" AS ");
            variable(o, &alias.name);
        }
    });
    if !p.order_by.is_empty() {
        out.push_str(" ORDER BY ");
        comma_separated(out, &p.order_by, |o, s| {
            expr_at(o, &s.expr, 0);
            if s.descending {
                o.push_str(" DESC");
            }
        });
    }
    for (kw, e) in [(" SKIP ", &p.skip), (" LIMIT ", &p.limit)] {
        if let Some(e) = e {
            out.push_str(kw);
            expr_at(out, e, 0);
        }
    }
}

fn set_items(out: &mut String, items: &[SetItem]) {
    comma_separated(out, items, |o, item| match item {
        SetItem::Property { target, key, value } => {
            property(o, target, key);
            o.push_str(" = ");
            expr_at(o, value, 0);
        }
        SetItem::Replace { variable: v, value } | SetItem::Merge { variable: v, value } => {
            variable(o, &v.name);
            o.push_str(if matches!(item, SetItem::Merge { .. }) {
                " += "
            } else {
                " = "
            });
            expr_at(o, value, 0);
        }
        SetItem::Labels {
            variable: v,
            labels: l,
        } => {
            variable(o, &v.name);
            labels(o, l);
        }
    });
}

fn remove_item(out: &mut String, item: &RemoveItem) {
    match item {
        RemoveItem::Property { target, key } => property(out, target, key),
        RemoveItem::Labels {
            variable: v,
            labels: l,
        } => {
            variable(out, &v.name);
            labels(out, l);
        }
    }
}

fn property(out: &mut String, target: &Expr, key: &Ident) {
    expr_at(out, target, POSTFIX);
    out.push('.');
    name(out, &key.name);
}

// ------------------------------------------------------------- patterns

fn pattern(out: &mut String, parts: &[PatternPart]) {
    comma_separated(out, parts, pattern_part);
}

fn pattern_part(out: &mut String, part: &PatternPart) {
    if let Some(v) = &part.variable {
        variable(out, &v.name);
        out.push_str(" = ");
    }
    match part.selector {
        PathSelector::All => element(out, &part.element),
        PathSelector::Shortest | PathSelector::AllShortest => {
            out.push_str(if part.selector == PathSelector::Shortest {
                "shortestPath("
            } else {
                "allShortestPaths("
            });
            element(out, &part.element);
            out.push(')');
        }
    }
}

fn element(out: &mut String, e: &PatternElement) {
    node(out, &e.start);
    for (r, n) in &e.chain {
        rel(out, r);
        node(out, n);
    }
}

fn node(out: &mut String, n: &NodePattern) {
    out.push('(');
    if let Some(v) = &n.variable {
        variable(out, &v.name);
    }
    labels(out, &n.labels);
    if let Some(e) = &n.label_expr {
        out.push(':');
        label_expr(out, e);
    }
    if let Some(p) = &n.properties {
        if n.variable.is_some() || !n.labels.is_empty() || n.label_expr.is_some() {
            out.push(' ');
        }
        expr_at(out, p, 0);
    }
    out.push(')');
}

fn rel(out: &mut String, r: &RelPattern) {
    out.push_str(if r.direction == Direction::Incoming {
        "<-"
    } else {
        "-"
    });
    let has_detail = r.variable.is_some()
        || !r.types.is_empty()
        || r.type_expr.is_some()
        || r.length.is_some()
        || r.properties.is_some();
    if has_detail {
        out.push('[');
        if let Some(v) = &r.variable {
            variable(out, &v.name);
        }
        for (i, t) in r.types.iter().enumerate() {
            out.push(if i == 0 { ':' } else { '|' });
            name(out, &t.name);
        }
        if let Some(e) = &r.type_expr {
            out.push(':');
            label_expr(out, e);
        }
        if let Some(len) = &r.length {
            length(out, len);
        }
        if let Some(p) = &r.properties {
            out.push(' ');
            expr_at(out, p, 0);
        }
        out.push(']');
    }
    out.push_str(if r.direction == Direction::Outgoing {
        "->"
    } else {
        "-"
    });
}

/// A label expression after its `:`.
fn label_expr(out: &mut String, e: &LabelExpr) {
    match e {
        LabelExpr::And(items) | LabelExpr::Or(items) => {
            let sep = if matches!(e, LabelExpr::And(_)) {
                "&"
            } else {
                "|"
            };
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                label_atom(out, item);
            }
        }
        _ => label_atom(out, e),
    }
}

/// A label expression as an operand: parenthesized unless a name, `%` or
/// a negation.
fn label_atom(out: &mut String, e: &LabelExpr) {
    match e {
        LabelExpr::Name(n) => name(out, &n.name),
        LabelExpr::Wildcard => out.push('%'),
        LabelExpr::Not(inner) => {
            out.push('!');
            label_atom(out, inner);
        }
        LabelExpr::And(_) | LabelExpr::Or(_) => {
            out.push('(');
            label_expr(out, e);
            out.push(')');
        }
    }
}

fn length(out: &mut String, len: &LengthRange) {
    out.push('*');
    match (len.min, len.max) {
        (None, None) => {}
        (Some(a), Some(b)) if a == b => {
            let _ = write!(out, "{a}");
        }
        (a, b) => {
            if let Some(a) = a {
                let _ = write!(out, "{a}");
            }
            out.push_str("..");
            if let Some(b) = b {
                let _ = write!(out, "{b}");
            }
        }
    }
}

fn labels(out: &mut String, labels: &[Ident]) {
    for l in labels {
        out.push(':');
        name(out, &l.name);
    }
}

// ---------------------------------------------------------- expressions

const NOT: u8 = 4;
const COMPARISON: u8 = 5;
const PREDICATE: u8 = 6;
const UNARY: u8 = 10;
const POSTFIX: u8 = 11;
const ATOM: u8 = 12;

fn binary_level(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Or => 1,
        Xor => 2,
        And => 3,
        Eq | Ne | Lt | Le | Gt | Ge => COMPARISON,
        In | StartsWith | EndsWith | Contains | Regex => PREDICATE,
        Add | Sub => 7,
        Mul | Div | Mod => 8,
        Pow => 9,
    }
}

fn binary_token(op: BinaryOp) -> &'static str {
    use BinaryOp::*;
    match op {
        Or => "OR",
        Xor => "XOR",
        And => "AND",
        Eq => "=",
        Ne => "<>",
        Lt => "<",
        Le => "<=",
        Gt => ">",
        Ge => ">=",
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
        Mod => "%",
        Pow => "^",
        In => "IN",
        StartsWith => "STARTS WITH",
        EndsWith => "ENDS WITH",
        Contains => "CONTAINS",
        Regex => "=~",
    }
}

/// The precedence level of an expression (higher binds tighter).
fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => binary_level(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(..) => UNARY,
        ExprKind::IsNull(..) | ExprKind::IsNormalized(..) => PREDICATE,
        ExprKind::Literal(Literal::Integer(i)) if *i < 0 => UNARY,
        ExprKind::Literal(Literal::Float(f)) if f.is_sign_negative() => UNARY,
        ExprKind::Property(..) | ExprKind::Index(..) | ExprKind::Slice(..) => POSTFIX,
        ExprKind::HasLabels(..) | ExprKind::LabelTest(..) => POSTFIX,
        _ => ATOM,
    }
}

/// Prints `e`, in parentheses if it binds looser than `min`.
fn expr_at(out: &mut String, e: &Expr, min: u8) {
    if level(e) < min {
        out.push('(');
        expr(out, e);
        out.push(')');
    } else {
        expr(out, e);
    }
}

fn expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Binary(op, l, r) => {
            let lvl = binary_level(*op);
            let (lmin, rmin) = match lvl {
                COMPARISON => (PREDICATE, PREDICATE),
                _ => (lvl, lvl + 1),
            };
            expr_at(out, l, lmin);
            let _ = write!(out, " {} ", binary_token(*op));
            expr_at(out, r, rmin);
        }
        ExprKind::Unary(UnaryOp::Not, x) => {
            out.push_str("NOT ");
            expr_at(out, x, NOT);
        }
        ExprKind::Unary(op, x) => {
            out.push(if *op == UnaryOp::Negate { '-' } else { '+' });
            if level(x) == UNARY {
                out.push(' ');
            }
            expr_at(out, x, UNARY);
        }
        ExprKind::IsNull(x, not) => {
            expr_at(out, x, PREDICATE);
            out.push_str(if *not { " IS NOT NULL" } else { " IS NULL" });
        }
        ExprKind::IsNormalized(x, form, not) => {
            expr_at(out, x, PREDICATE);
            out.push_str(if *not { " IS NOT " } else { " IS " });
            if let Some(form) = form {
                out.push_str(form.name());
                out.push(' ');
            }
            out.push_str("NORMALIZED");
        }
        ExprKind::Property(t, key) => property(out, t, key),
        ExprKind::Index(t, i) => {
            expr_at(out, t, POSTFIX);
            out.push('[');
            expr_at(out, i, 0);
            out.push(']');
        }
        ExprKind::Slice(t, a, b) => {
            expr_at(out, t, POSTFIX);
            out.push('[');
            if let Some(a) = a {
                expr_at(out, a, 0);
            }
            out.push_str("..");
            if let Some(b) = b {
                expr_at(out, b, 0);
            }
            out.push(']');
        }
        ExprKind::HasLabels(t, l) => {
            expr_at(out, t, POSTFIX);
            labels(out, l);
        }
        ExprKind::LabelTest(t, l) => {
            expr_at(out, t, POSTFIX);
            out.push(':');
            // Parenthesized so that a `|` cannot be read as a
            // comprehension's projection.
            label_atom(out, l);
        }
        _ => atom(out, e),
    }
}

fn atom(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Literal(l) => literal(out, l),
        ExprKind::Parameter(p) => {
            out.push('$');
            if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) {
                out.push_str(p);
            } else {
                name(out, p);
            }
        }
        ExprKind::Variable(v) => variable(out, v),
        ExprKind::List(items) => {
            out.push('[');
            comma_separated(out, items, |o, x| {
                if matches!(x.kind, ExprKind::Pattern(_)) && items.len() > 1 {
                    o.push('(');
                    expr(o, x);
                    o.push(')');
                } else {
                    expr_at(o, x, 0);
                }
            });
            out.push(']');
        }
        ExprKind::MapProjection(target, items) => {
            expr_at(out, target, POSTFIX);
            out.push('{');
            comma_separated(out, items, |o, item| match item {
                MapProjectionItem::Property(k) => {
                    o.push('.');
                    name(o, &k.name);
                }
                MapProjectionItem::AllProperties => o.push_str(".*"),
                MapProjectionItem::Entry(k, v) => {
                    name(o, &k.name);
                    o.push_str(": ");
                    expr_at(o, v, 0);
                }
                MapProjectionItem::Variable(v) => variable(o, &v.name),
            });
            out.push('}');
        }
        ExprKind::Map(entries) => {
            out.push('{');
            comma_separated(out, entries, |o, (k, v)| {
                name(o, &k.name);
                o.push_str(": ");
                expr_at(o, v, 0);
            });
            out.push('}');
        }
        ExprKind::Function {
            name: n,
            distinct,
            args,
        } => {
            out.push_str(&dotted(&n.name));
            out.push('(');
            if *distinct {
                out.push_str("DISTINCT ");
            }
            comma_separated(out, args, |o, a| expr_at(o, a, 0));
            out.push(')');
        }
        ExprKind::CountStar => out.push_str("count(*)"),
        ExprKind::Pattern(p) => element(out, p),
        _ => compound(out, e),
    }
}

/// CASE, comprehensions, quantifiers, reduce and EXISTS.
fn compound(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Case {
            operand,
            alternatives,
            default,
        } => {
            out.push_str("CASE");
            if let Some(op) = operand {
                out.push(' ');
                expr_at(out, op, 0);
            }
            for (w, t) in alternatives {
                out.push_str(" WHEN ");
                expr_at(out, w, 0);
                out.push_str(" THEN ");
                expr_at(out, t, 0);
            }
            if let Some(d) = default {
                out.push_str(" ELSE ");
                expr_at(out, d, 0);
            }
            out.push_str(" END");
        }
        ExprKind::ListComprehension {
            variable: v,
            list,
            predicate,
            projection,
        } => {
            out.push('[');
            variable(out, &v.name);
            out.push_str(" IN ");
            expr_at(out, list, 0);
            comprehension_tail(out, predicate.as_deref(), projection.as_deref());
            out.push(']');
        }
        ExprKind::PatternComprehension {
            variable: v,
            pattern,
            predicate,
            projection,
        } => {
            out.push('[');
            if let Some(v) = v {
                variable(out, &v.name);
                out.push_str(" = ");
            }
            element(out, pattern);
            comprehension_tail(out, predicate.as_deref(), Some(projection));
            out.push(']');
        }
        ExprKind::Quantified {
            quantifier,
            variable: v,
            list,
            predicate,
        } => {
            out.push_str(match quantifier {
                Quantifier::All => "all(",
                Quantifier::Any => "any(",
                Quantifier::None => "none(",
                Quantifier::Single => "single(",
            });
            variable(out, &v.name);
            out.push_str(" IN ");
            expr_at(out, list, 0);
            out.push_str(" WHERE ");
            expr_at(out, predicate, 0);
            out.push(')');
        }
        ExprKind::Reduce {
            accumulator,
            init,
            variable: v,
            list,
            expr: step,
        } => {
            out.push_str("reduce(");
            variable(out, &accumulator.name);
            out.push_str(" = ");
            expr_at(out, init, 0);
            out.push_str(", ");
            variable(out, &v.name);
            out.push_str(" IN ");
            expr_at(out, list, 0);
            out.push_str(" | ");
            expr_at(out, step, 0);
            out.push(')');
        }
        ExprKind::Exists(ex) => {
            out.push_str("EXISTS { MATCH ");
            pattern(out, &ex.pattern);
            where_(out, ex.where_.as_ref());
            out.push_str(" }");
        }
        ExprKind::Subquery(kind, body) => {
            use crate::syntax::ast::{SubqueryBody, SubqueryKind};
            out.push_str(match kind {
                SubqueryKind::Exists => "EXISTS { ",
                SubqueryKind::Count => "COUNT { ",
                SubqueryKind::Collect => "COLLECT { ",
            });
            match &**body {
                SubqueryBody::Pattern(ex) => {
                    out.push_str("MATCH ");
                    pattern(out, &ex.pattern);
                    where_(out, ex.where_.as_ref());
                }
                SubqueryBody::Query(q) => query(out, q),
            }
            out.push_str(" }");
        }
        _ => {}
    }
}

fn comprehension_tail(out: &mut String, predicate: Option<&Expr>, projection: Option<&Expr>) {
    where_(out, predicate);
    if let Some(p) = projection {
        out.push_str(" | ");
        expr_at(out, p, 0);
    }
}

fn literal(out: &mut String, l: &Literal) {
    match l {
        Literal::Null => out.push_str("null"),
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Literal::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        Literal::Float(f) if f.is_nan() => out.push_str("(0.0 / 0.0)"),
        Literal::Float(f) => out.push_str(if *f > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        }),
        Literal::String(s) => string(out, s),
    }
}

fn string(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
}

fn is_plain(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn backticked(out: &mut String, s: &str) {
    out.push('`');
    out.push_str(&s.replace('`', "``"));
    out.push('`');
}

/// A label, type or key: keywords are fine unquoted.
fn name(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else {
        backticked(out, s);
    }
}

/// A variable: reserved words must be quoted.
fn variable(out: &mut String, s: &str) {
    if is_plain(s) && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) {
        out.push_str(s);
    } else {
        backticked(out, s);
    }
}

/// A dotted function or procedure name.
fn dotted(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        name(&mut out, part);
    }
    out
}
