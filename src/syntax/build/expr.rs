//! Expression builders: one function per grammar rule. Operator chains
//! are folded left-deep in loops, so long flat chains do not recurse.

use super::literal::{self, Number};
use super::{Builder, Kids, Node, ident, internal, span_of};
use crate::error::{Error, Result, Span};
use crate::syntax::ast::{
    BinaryOp, Exists, Expr, ExprKind, Ident, Literal, MapProjectionItem, NormalForm, Quantifier,
    SubqueryBody, SubqueryKind, UnaryOp,
};
use crate::syntax::grammar::Rule;

/// The optional `WHERE p` and `| e` of a comprehension.
type ComprehensionTail = (Option<Box<Expr>>, Option<Box<Expr>>);

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr::new(ExprKind::Binary(op, boxed(lhs), boxed(rhs)), span)
}

/// The operator of an operator token in a chain.
fn binary_op(pair: &Node) -> Option<BinaryOp> {
    Some(match pair.as_rule() {
        Rule::kw_or => BinaryOp::Or,
        Rule::kw_xor => BinaryOp::Xor,
        Rule::kw_and => BinaryOp::And,
        Rule::pow_op => BinaryOp::Pow,
        Rule::add_op | Rule::mul_op | Rule::comp_op => match pair.as_str() {
            "+" => BinaryOp::Add,
            "-" => BinaryOp::Sub,
            "*" => BinaryOp::Mul,
            "/" => BinaryOp::Div,
            "%" => BinaryOp::Mod,
            "<>" => BinaryOp::Ne,
            "<=" => BinaryOp::Le,
            ">=" => BinaryOp::Ge,
            "<" => BinaryOp::Lt,
            ">" => BinaryOp::Gt,
            _ => BinaryOp::Eq,
        },
        _ => return None,
    })
}

/// Rules that are pure precedence levels: with one child they are that child.
fn is_level(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::expression
            | Rule::xor_expr
            | Rule::and_expr
            | Rule::not_expr
            | Rule::comparison
            | Rule::predicate_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::pow_expr
            | Rule::unary_expr
            | Rule::postfix_expr
            | Rule::slice_from
            | Rule::slice_to
            | Rule::case_operand
            | Rule::comprehension_where
            | Rule::comprehension_projection
    )
}

/// Descends through single-child precedence levels without recursing.
fn skip_levels(mut pair: Node) -> Node {
    while is_level(pair.as_rule()) {
        let mut inner = pair.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) => pair = only,
            _ => break,
        }
    }
    pair
}

impl Builder<'_> {
    /// Builds any expression-level pair.
    pub(super) fn expr(&self, pair: Node) -> Result<Expr> {
        let pair = skip_levels(pair);
        let kids = pair.clone().into_inner().count();
        let extra = match pair.as_rule() {
            // `a op b op c`: kids are operands and operators.
            Rule::expression
            | Rule::xor_expr
            | Rule::and_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::pow_expr => kids / 2,
            // Chains of prefix, postfix, comparison and predicate
            // operators nest one level per operator.
            Rule::not_expr
            | Rule::comparison
            | Rule::predicate_expr
            | Rule::unary_expr
            | Rule::postfix_expr => kids,
            // An atom (a list or map literal, a call, CASE) builds each
            // part one level down, side by side: a list of a million
            // elements is one level deep, limited by size, not count.
            _ => 1,
        }
        .max(1);
        let depth = self.depth.get() + extra;
        if depth > super::MAX_EXPRESSION_DEPTH {
            return Err(Error::syntax(
                "ExpressionTooDeep",
                format!(
                    "this expression nests or chains more than {} operators; split it into smaller parts \
                     (for example with WITH)",
                    super::MAX_EXPRESSION_DEPTH
                ),
            )
            .at(span_of(&pair)));
        }
        self.depth.set(depth);
        let built = self.expr_at_depth(pair);
        self.depth.set(depth - extra);
        built
    }

    fn expr_at_depth(&self, pair: Node) -> Result<Expr> {
        match pair.as_rule() {
            Rule::expression | Rule::xor_expr | Rule::and_expr => self.fold_left(pair),
            Rule::add_expr | Rule::mul_expr | Rule::pow_expr => self.fold_left(pair),
            Rule::not_expr => self.not_expr(pair),
            Rule::comparison => self.comparison(pair),
            Rule::predicate_expr => self.predicate_expr(pair),
            Rule::unary_expr => self.unary_expr(pair),
            Rule::postfix_expr => self.postfix_expr(pair),
            _ => self.atom(pair),
        }
    }

    /// `a op b op c …` → `((a op b) op c) …`.
    fn fold_left(&self, pair: Node) -> Result<Expr> {
        let span = span_of(&pair);
        let mut kids = pair.into_inner();
        let first = kids.next().ok_or_else(|| internal(span, "empty chain"))?;
        let mut acc = self.expr(first)?;
        while let Some(op_pair) = kids.next() {
            let op = binary_op(&op_pair).ok_or_else(|| internal(span, "operator expected"))?;
            let rhs = kids
                .next()
                .ok_or_else(|| internal(span, "operand expected"))?;
            acc = binary(op, acc, self.expr(rhs)?);
        }
        Ok(acc)
    }

    fn not_expr(&self, pair: Node) -> Result<Expr> {
        let mut nots = Vec::new();
        let mut operand = None;
        for kid in pair.into_inner() {
            if kid.as_rule() == Rule::kw_not {
                nots.push(kid.as_span().start());
            } else {
                operand = Some(kid);
            }
        }
        let operand = operand.ok_or_else(|| internal(Span::default(), "NOT without operand"))?;
        let mut acc = self.expr(operand)?;
        for start in nots.into_iter().rev() {
            let span = Span::new(start, acc.span.end);
            acc = Expr::new(ExprKind::Unary(UnaryOp::Not, boxed(acc)), span);
        }
        Ok(acc)
    }

    /// `a < b < c` → `a < b AND b < c`.
    fn comparison(&self, pair: Node) -> Result<Expr> {
        let span = span_of(&pair);
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        for kid in pair.into_inner() {
            match kid.as_rule() {
                Rule::comp_op => ops.push(binary_op(&kid).unwrap_or(BinaryOp::Eq)),
                _ => operands.push(self.expr(kid)?),
            }
        }
        if operands.len() != ops.len() + 1 {
            return Err(internal(span, "malformed comparison"));
        }
        let mut operands = operands.into_iter();
        let mut lhs = operands
            .next()
            .ok_or_else(|| internal(span, "empty comparison"))?;
        let mut acc: Option<Expr> = None;
        for (op, rhs) in ops.into_iter().zip(operands) {
            let next_lhs = rhs.clone();
            let cmp = binary(op, lhs, rhs);
            acc = Some(match acc {
                Some(prev) => binary(BinaryOp::And, prev, cmp),
                None => cmp,
            });
            lhs = next_lhs;
        }
        Ok(acc.unwrap_or(lhs))
    }

    fn predicate_expr(&self, pair: Node) -> Result<Expr> {
        let span = span_of(&pair);
        let mut kids = pair.into_inner();
        let first = kids
            .next()
            .ok_or_else(|| internal(span, "empty predicate"))?;
        let mut acc = self.expr(first)?;
        for tail in kids {
            let tail_span = span_of(&tail);
            let whole = Span::new(acc.span.start, tail_span.end);
            let op = match tail.as_rule() {
                Rule::is_null | Rule::is_not_null => {
                    let not_null = tail.as_rule() == Rule::is_not_null;
                    acc = Expr::new(ExprKind::IsNull(boxed(acc), not_null), whole);
                    continue;
                }
                Rule::is_normalized => {
                    let mut negated = false;
                    let mut form = None;
                    for part in tail.into_inner() {
                        match part.as_rule() {
                            Rule::kw_not => negated = true,
                            Rule::normal_form => form = NormalForm::parse(part.as_str()),
                            _ => {}
                        }
                    }
                    acc = Expr::new(ExprKind::IsNormalized(boxed(acc), form, negated), whole);
                    continue;
                }
                Rule::starts_with => BinaryOp::StartsWith,
                Rule::ends_with => BinaryOp::EndsWith,
                Rule::contains => BinaryOp::Contains,
                Rule::regex_match => BinaryOp::Regex,
                Rule::in_list => BinaryOp::In,
                other => return Err(internal(tail_span, &format!("unexpected {other:?}"))),
            };
            let rhs = tail
                .into_inner()
                .find(|p| p.as_rule() == Rule::add_expr)
                .ok_or_else(|| internal(tail_span, "predicate without operand"))?;
            acc = binary(op, acc, self.expr(rhs)?);
        }
        Ok(acc)
    }

    fn unary_expr(&self, pair: Node) -> Result<Expr> {
        let span = span_of(&pair);
        let mut ops = Vec::new();
        let mut operand = None;
        for kid in pair.into_inner() {
            if kid.as_rule() == Rule::unary_op {
                let op = if kid.as_str() == "-" {
                    UnaryOp::Negate
                } else {
                    UnaryOp::Plus
                };
                ops.push((op, kid.as_span().start()));
            } else {
                operand = Some(kid);
            }
        }
        let operand = operand.ok_or_else(|| internal(span, "sign without operand"))?;
        let mut acc = match (ops.last(), bare_number(&operand)) {
            (Some(&(UnaryOp::Negate, start)), Some(number)) => {
                ops.pop();
                negated_number(&number, start)?
            }
            _ => self.expr(operand)?,
        };
        for (op, start) in ops.into_iter().rev() {
            let span = Span::new(start, acc.span.end);
            acc = Expr::new(ExprKind::Unary(op, boxed(acc)), span);
        }
        Ok(acc)
    }

    fn postfix_expr(&self, pair: Node) -> Result<Expr> {
        let start = pair.as_span().start();
        let span = span_of(&pair);
        let mut kids = pair.into_inner();
        let atom = kids
            .next()
            .ok_or_else(|| internal(span, "empty postfix expression"))?;
        let mut acc = self.expr(atom)?;
        for op in kids {
            acc = self.postfix_op(acc, op, start)?;
        }
        Ok(acc)
    }

    /// Applies `.key`, `[i]`, `[a..b]` or `:Label` to `target`.
    fn postfix_op(&self, target: Expr, op: Node, start: usize) -> Result<Expr> {
        let op_span = span_of(&op);
        let span = Span::new(start.min(target.span.start), op_span.end);
        let kind = match op.as_rule() {
            Rule::property_lookup => {
                let key = op
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::schema_name)
                    .ok_or_else(|| internal(op_span, "property without key"))?;
                ExprKind::Property(boxed(target), ident(&key))
            }
            Rule::label_predicate => {
                let e = op
                    .into_inner()
                    .next()
                    .ok_or_else(|| internal(op_span, "label predicate without labels"))
                    .and_then(super::label_expression)?;
                match e.conjunction() {
                    Some(labels) => ExprKind::HasLabels(boxed(target), labels),
                    None => ExprKind::LabelTest(boxed(target), e),
                }
            }
            Rule::subscript => self.subscript(target, op)?,
            other => return Err(internal(op_span, &format!("unexpected {other:?}"))),
        };
        Ok(Expr::new(kind, span))
    }

    fn subscript(&self, target: Expr, op: Node) -> Result<ExprKind> {
        let op_span = span_of(&op);
        let (mut from, mut to, mut dots) = (None, None, false);
        for kid in op.into_inner() {
            match kid.as_rule() {
                Rule::slice_from => from = Some(boxed(self.expr(kid)?)),
                Rule::slice_to => to = Some(boxed(self.expr(kid)?)),
                Rule::DOTDOT => dots = true,
                _ => {}
            }
        }
        match (dots, from) {
            (true, from) => Ok(ExprKind::Slice(boxed(target), from, to)),
            (false, Some(index)) => Ok(ExprKind::Index(boxed(target), index)),
            (false, None) => Err(Error::syntax(
                "UnexpectedSyntax",
                "expected an index or a range such as `[0]` or `[1..3]`",
            )
            .at(Span::new(op_span.end.saturating_sub(1), op_span.end))),
        }
    }

    /// Expression pairs that are atoms.
    fn atom(&self, pair: Node) -> Result<Expr> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::number => number_kind(&literal::number(pair.as_str(), span)?, span)?,
            Rule::string => {
                ExprKind::Literal(Literal::String(literal::string(pair.as_str(), span.start)?))
            }
            Rule::kw_true => ExprKind::Literal(Literal::Bool(true)),
            Rule::kw_false => ExprKind::Literal(Literal::Bool(false)),
            Rule::kw_null => ExprKind::Literal(Literal::Null),
            Rule::parameter => ExprKind::Parameter(literal::parameter_name(pair.as_str())),
            Rule::variable => ExprKind::Variable(ident(&pair).name),
            Rule::count_star => ExprKind::CountStar,
            Rule::paren_expr => {
                let inner = Kids::of(pair).expect(Rule::expression)?;
                return self.expr(inner);
            }
            Rule::list_literal => ExprKind::List(self.expr_list(pair)?),
            Rule::map_literal => self.map_literal(pair)?,
            Rule::case_expr => self.case_expr(pair)?,
            Rule::quantified => self.quantified(pair)?,
            Rule::reduce_expr => self.reduce(pair)?,
            Rule::exists_subquery => self.exists_subquery(pair)?,
            Rule::list_comprehension => self.list_comprehension(pair)?,
            Rule::pattern_comprehension => self.pattern_comprehension(pair)?,
            Rule::pattern_predicate => ExprKind::Pattern(Box::new(self.pattern_element(pair)?)),
            Rule::function_call => self.function_call(pair)?,
            Rule::map_projection => self.map_projection(pair)?,
            Rule::count_subquery | Rule::collect_subquery => self.count_or_collect(pair)?,
            other => return Err(internal(span, &format!("unexpected expression {other:?}"))),
        };
        Ok(Expr::new(kind, span))
    }

    /// All `expression` children of a pair.
    fn expr_list(&self, pair: Node) -> Result<Vec<Expr>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::expression)
            .map(|p| self.expr(p))
            .collect()
    }

    fn map_projection(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        let target = kids.expect(Rule::variable)?;
        let target = Expr::new(ExprKind::Variable(ident(&target).name), span_of(&target));
        let mut items = Vec::new();
        while let Some(item) = kids.take(Rule::map_projection_item) {
            let span = span_of(&item);
            let inner = item
                .into_inner()
                .next()
                .ok_or_else(|| internal(span, "empty map projection item"))?;
            items.push(match inner.as_rule() {
                Rule::all_properties_selector => MapProjectionItem::AllProperties,
                Rule::property_selector => {
                    let key = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::schema_name)
                        .ok_or_else(|| internal(span, "property selector without key"))?;
                    MapProjectionItem::Property(ident(&key))
                }
                Rule::map_entry => {
                    let mut entry = Kids::of(inner);
                    let key = ident(&entry.expect(Rule::schema_name)?);
                    MapProjectionItem::Entry(key, self.expr(entry.expect(Rule::expression)?)?)
                }
                Rule::variable => MapProjectionItem::Variable(ident(&inner)),
                other => return Err(internal(span, &format!("unexpected {other:?}"))),
            });
        }
        Ok(ExprKind::MapProjection(boxed(target), items))
    }

    pub(super) fn map_literal(&self, pair: Node) -> Result<ExprKind> {
        let mut entries = Vec::new();
        for entry in pair.into_inner().filter(|p| p.as_rule() == Rule::map_entry) {
            let mut kids = Kids::of(entry);
            let key = ident(&kids.expect(Rule::schema_name)?);
            let value = self.expr(kids.expect(Rule::expression)?)?;
            entries.push((key, value));
        }
        Ok(ExprKind::Map(entries))
    }

    fn case_expr(&self, pair: Node) -> Result<ExprKind> {
        let mut operand = None;
        let mut alternatives = Vec::new();
        let mut default = None;
        for kid in pair.into_inner() {
            match kid.as_rule() {
                Rule::case_operand => operand = Some(boxed(self.expr(kid)?)),
                Rule::case_alternative => {
                    let exprs = self.expr_list(kid)?;
                    let mut exprs = exprs.into_iter();
                    if let (Some(when), Some(then)) = (exprs.next(), exprs.next()) {
                        alternatives.push((when, then));
                    }
                }
                Rule::case_default => {
                    let mut kids = Kids::of(kid);
                    kids.expect(Rule::kw_else)?;
                    default = Some(boxed(self.expr(kids.expect(Rule::expression)?)?));
                }
                _ => {}
            }
        }
        Ok(ExprKind::Case {
            operand,
            alternatives,
            default,
        })
    }

    fn quantified(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        let quantifier = match kids
            .expect(Rule::kw_quantifier)?
            .as_str()
            .to_ascii_lowercase()
            .as_str()
        {
            "all" => Quantifier::All,
            "any" => Quantifier::Any,
            "none" => Quantifier::None,
            _ => Quantifier::Single,
        };
        let variable = ident(&kids.expect(Rule::variable)?);
        kids.expect(Rule::kw_in)?;
        let list = boxed(self.expr(kids.expect(Rule::expression)?)?);
        kids.expect(Rule::kw_where)?;
        let predicate = boxed(self.expr(kids.expect(Rule::expression)?)?);
        Ok(ExprKind::Quantified {
            quantifier,
            variable,
            list,
            predicate,
        })
    }

    fn reduce(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        kids.expect(Rule::kw_reduce)?;
        let accumulator = ident(&kids.expect(Rule::variable)?);
        let init = boxed(self.expr(kids.expect(Rule::expression)?)?);
        let variable = ident(&kids.expect(Rule::variable)?);
        kids.expect(Rule::kw_in)?;
        let list = boxed(self.expr(kids.expect(Rule::expression)?)?);
        let expr = boxed(self.expr(kids.expect(Rule::expression)?)?);
        Ok(ExprKind::Reduce {
            accumulator,
            init,
            variable,
            list,
            expr,
        })
    }

    fn exists_subquery(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        kids.expect(Rule::kw_exists)?;
        match self.subquery_body(kids.expect(Rule::subquery_body)?)? {
            SubqueryBody::Pattern(exists) => Ok(ExprKind::Exists(Box::new(exists))),
            body => Ok(ExprKind::Subquery(SubqueryKind::Exists, Box::new(body))),
        }
    }

    /// `COUNT { … }` / `COLLECT { … }`.
    fn count_or_collect(&self, pair: Node) -> Result<ExprKind> {
        let rule = pair.as_rule();
        let mut kids = Kids::of(pair);
        kids.any()?;
        if rule == Rule::collect_subquery {
            let query = self.query(kids.expect(Rule::query)?)?;
            return Ok(ExprKind::Subquery(
                SubqueryKind::Collect,
                Box::new(SubqueryBody::Query(query)),
            ));
        }
        let body = self.subquery_body(kids.expect(Rule::subquery_body)?)?;
        Ok(ExprKind::Subquery(SubqueryKind::Count, Box::new(body)))
    }

    fn subquery_body(&self, pair: Node) -> Result<SubqueryBody> {
        let mut kids = Kids::of(pair);
        if let Some(query) = kids.take(Rule::query) {
            return Ok(SubqueryBody::Query(self.query(query)?));
        }
        kids.flag(Rule::kw_match);
        let pattern = self.pattern(kids.expect(Rule::pattern)?)?;
        let where_ = self.opt_where(&mut kids)?;
        Ok(SubqueryBody::Pattern(Exists { pattern, where_ }))
    }

    /// The optional `WHERE p` and `| e` of a comprehension.
    fn comprehension_tail(&self, kids: &mut Kids) -> Result<ComprehensionTail> {
        kids.flag(Rule::kw_where);
        let predicate = match kids.take(Rule::comprehension_where) {
            Some(p) => Some(boxed(self.expr(p)?)),
            None => None,
        };
        let projection = match kids.take(Rule::comprehension_projection) {
            Some(p) => Some(boxed(self.expr(p)?)),
            None => None,
        };
        Ok((predicate, projection))
    }

    fn list_comprehension(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        let variable = ident(&kids.expect(Rule::variable)?);
        kids.expect(Rule::kw_in)?;
        let list = boxed(self.expr(kids.expect(Rule::expression)?)?);
        let (predicate, projection) = self.comprehension_tail(&mut kids)?;
        Ok(ExprKind::ListComprehension {
            variable,
            list,
            predicate,
            projection,
        })
    }

    fn pattern_comprehension(&self, pair: Node) -> Result<ExprKind> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let variable = kids.take(Rule::variable).map(|v| ident(&v));
        let pattern_pair = kids.expect(Rule::pattern_predicate)?;
        let pattern_span = span_of(&pattern_pair);
        let pattern = Box::new(self.pattern_element(pattern_pair)?);
        let (predicate, projection) = self.comprehension_tail(&mut kids)?;
        match projection {
            Some(projection) => Ok(ExprKind::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            }),
            None if variable.is_none() && predicate.is_none() => {
                Ok(ExprKind::List(vec![Expr::new(
                    ExprKind::Pattern(pattern),
                    pattern_span,
                )]))
            }
            None => Err(Error::syntax(
                "UnexpectedSyntax",
                "expected `|` and an expression to end the pattern comprehension",
            )
            .at(Span::new(span.end.saturating_sub(1), span.end))),
        }
    }

    fn function_call(&self, pair: Node) -> Result<ExprKind> {
        let mut kids = Kids::of(pair);
        let name_pair = kids.expect(Rule::function_name)?;
        let name = Ident {
            name: super::dotted_name(name_pair.as_str()),
            span: span_of(&name_pair),
        };
        let distinct = kids.flag(Rule::kw_distinct);
        let mut args = Vec::new();
        while let Some(arg) = kids.take(Rule::expression) {
            args.push(self.expr(arg)?);
        }
        Ok(ExprKind::Function {
            name,
            distinct,
            args,
        })
    }

    /// `target.key` of SET / REMOVE: the target expression and the key.
    pub(super) fn property_target(&self, pair: Node) -> Result<(Expr, Ident)> {
        let span = span_of(&pair);
        let start = pair.as_span().start();
        let mut kids: Vec<Node> = pair.into_inner().collect();
        let not_property =
            || Error::syntax("UnexpectedSyntax", "expected a property such as `n.key`").at(span);
        let last = kids.pop().ok_or_else(not_property)?;
        if last.as_rule() != Rule::property_lookup || kids.is_empty() {
            return Err(not_property());
        }
        let key = last
            .into_inner()
            .find(|p| p.as_rule() == Rule::schema_name)
            .ok_or_else(not_property)?;
        let mut kids = kids.into_iter();
        let atom = kids.next().ok_or_else(not_property)?;
        let mut target = self.expr(atom)?;
        for op in kids {
            target = self.postfix_op(target, op, start)?;
        }
        Ok((target, ident(&key)))
    }
}

/// A `postfix_expr` that is just a number literal, as its parsed value.
fn bare_number(pair: &Node) -> Option<(Number, Span)> {
    let inner = skip_levels(pair.clone());
    if inner.as_rule() != Rule::number {
        return None;
    }
    let span = span_of(&inner);
    literal::number(inner.as_str(), span)
        .ok()
        .map(|n| (n, span))
}

/// `-<number>`: only needed as one literal for `-9223372036854775808`
/// (and its hex/octal spellings), whose magnitude does not fit in an i64.
fn negated_number(number: &(Number, Span), minus: usize) -> Result<Expr> {
    let (value, span) = number;
    let whole = Span::new(minus, span.end);
    match value {
        Number::Integer(m) if *m == i64::MIN.unsigned_abs() => Ok(Expr::new(
            ExprKind::Literal(Literal::Integer(i64::MIN)),
            whole,
        )),
        _ => {
            let operand = Expr::new(number_kind(value, *span)?, *span);
            Ok(Expr::new(
                ExprKind::Unary(UnaryOp::Negate, boxed(operand)),
                whole,
            ))
        }
    }
}

/// The literal for a parsed number; integers must fit in an i64.
fn number_kind(number: &Number, span: Span) -> Result<ExprKind> {
    match *number {
        Number::Float(f) => Ok(ExprKind::Literal(Literal::Float(f))),
        Number::Integer(m) => i64::try_from(m)
            .map(|i| ExprKind::Literal(Literal::Integer(i)))
            .map_err(|_| literal::integer_overflow(span)),
    }
}
