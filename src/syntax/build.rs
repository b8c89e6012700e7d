//! Statement text → AST: runs the pest grammar, then builds the AST with
//! one function per grammar rule. Clauses and patterns live here,
//! expressions in [`expr`], literals in [`literal`] and the translation of
//! pest failures into worded errors in [`expected`].

mod expected;
mod expr;
mod fulltext;
mod literal;
#[cfg(test)]
mod tests;

use pest::Parser;
use pest::iterators::{Pair, Pairs};

use super::ast::{
    CallSubquery, Clause, ClauseKind, Direction, FunctionFilter, Ident, ImportScope, LabelExpr,
    LengthRange, Match, Merge, NodePattern, PathSelector, PatternElement, PatternPart,
    ProcedureCall, Projection, ProjectionItem, Query, RelPattern, RemoveItem, SchemaCommand,
    SetItem, Show, SingleQuery, SortItem, Statement, StatementMode, YieldItem, Yields,
};
use super::depth;
use super::grammar::{KgqParser, Rule};
use crate::error::{Error, Result, Span};

type Node<'i> = Pair<'i, Rule>;

/// Parses one statement (an optional trailing `;` is allowed) into its
/// AST. Every node carries its byte span in `text`.
pub fn parse_statement(text: &str) -> Result<Statement> {
    depth::check(text)?;
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SIZE, || parse_checked(text))
}

/// Parsing recurses once per nesting level (bounded by
/// [`depth::MAX_NESTING`]); with less than this much stack left, the parse
/// runs on a fresh stack of [`STACK_SIZE`] bytes.
const STACK_RED_ZONE: usize = 4 << 20;
/// The size of the stack a parse gets when the caller's is short.
const STACK_SIZE: usize = 32 << 20;

fn parse_checked(text: &str) -> Result<Statement> {
    let mut pairs =
        KgqParser::parse(Rule::statement, text).map_err(|e| expected::from_pest(text, &e))?;
    let whole = Span::new(0, text.len());
    let root = pairs
        .next()
        .ok_or_else(|| internal(whole, "no statement"))?;
    Builder {
        text,
        depth: std::cell::Cell::new(0),
    }
    .statement(root)
}

/// Builds AST nodes from pairs of one parse of `text`.
struct Builder<'t> {
    text: &'t str,
    /// How deep the expression being built is, counted conservatively
    /// (a chain of `n` operators counts `n`), to bound [`MAX_EXPRESSION_DEPTH`].
    depth: std::cell::Cell<usize>,
}

/// The deepest expression tree kgq builds. Every later pass (binding,
/// evaluation, printing, dropping) walks the tree recursively, so its depth
/// is bounded here, before it exists; deeper input is a clear error.
pub const MAX_EXPRESSION_DEPTH: usize = 4_000;

/// An error for a parse tree shape the grammar should have ruled out.
fn internal(span: Span, what: &str) -> Error {
    Error::syntax("UnexpectedSyntax", format!("internal parser error: {what}")).at(span)
}

/// The span of a pair without the whitespace and comments pest may have
/// skipped after its last token.
fn span_of(pair: &Node) -> Span {
    let start = pair.as_span().start();
    let mut last = pair.clone();
    while let Some(child) = last.clone().into_inner().next_back() {
        last = child;
    }
    let end = last.as_span().end().max(start);
    Span::new(start, end)
}

/// Punctuation rules exist only for error messages; builders skip them.
fn is_punct(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::LPAREN
            | Rule::RPAREN
            | Rule::LBRACKET
            | Rule::RBRACKET
            | Rule::LBRACE
            | Rule::RBRACE
            | Rule::COMMA
            | Rule::COLON
            | Rule::EQ
            | Rule::PIPE
            | Rule::SEMI
            | Rule::DASH
            | Rule::PLUS_EQ
            | Rule::AMP
            | Rule::BANG
            | Rule::EOI
    )
}

/// The significant children of a pair, with lookahead by rule.
struct Kids<'i> {
    inner: Pairs<'i, Rule>,
    span: Span,
}

impl<'i> Kids<'i> {
    fn of(pair: Node<'i>) -> Self {
        let span = span_of(&pair);
        Kids {
            inner: pair.into_inner(),
            span,
        }
    }

    fn skip_punct(&mut self) {
        while self.inner.peek().is_some_and(|p| is_punct(p.as_rule())) {
            self.inner.next();
        }
    }

    fn peek(&mut self) -> Option<Rule> {
        self.skip_punct();
        self.inner.peek().map(|p| p.as_rule())
    }

    fn next(&mut self) -> Option<Node<'i>> {
        self.skip_punct();
        self.inner.next()
    }

    /// The next child if it is a `rule`.
    fn take(&mut self, rule: Rule) -> Option<Node<'i>> {
        if self.peek() == Some(rule) {
            self.next()
        } else {
            None
        }
    }

    /// Whether the next child is a `rule` (consuming it if so).
    fn flag(&mut self, rule: Rule) -> bool {
        self.take(rule).is_some()
    }

    /// The next child, which must be a `rule`.
    fn expect(&mut self, rule: Rule) -> Result<Node<'i>> {
        self.take(rule)
            .ok_or_else(|| internal(self.span, &format!("expected {rule:?}")))
    }

    /// The next child, whatever it is.
    fn any(&mut self) -> Result<Node<'i>> {
        let span = self.span;
        self.next().ok_or_else(|| internal(span, "missing part"))
    }
}

impl Builder<'_> {
    fn statement(&self, pair: Node) -> Result<Statement> {
        let mut kids = Kids::of(pair);
        let mut start = None;
        let mode = match kids.peek() {
            Some(Rule::kw_explain) | Some(Rule::kw_profile) => {
                let kw = kids.any()?;
                start = Some(kw.as_span().start());
                if kw.as_rule() == Rule::kw_explain {
                    StatementMode::Explain
                } else {
                    StatementMode::Profile
                }
            }
            _ => StatementMode::Run,
        };
        let query = self.query(kids.expect(Rule::query)?)?;
        let span = Span::new(start.unwrap_or(query.span.start), query.span.end);
        Ok(Statement { mode, query, span })
    }

    fn query(&self, pair: Node) -> Result<Query> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let first = self.single_query(kids.expect(Rule::single_query)?)?;
        let mut unions = Vec::new();
        while let Some(part) = kids.take(Rule::union_part) {
            let mut part = Kids::of(part);
            part.expect(Rule::kw_union)?;
            let all = part.flag(Rule::kw_all);
            unions.push((all, self.single_query(part.expect(Rule::single_query)?)?));
        }
        Ok(Query {
            first,
            unions,
            span,
        })
    }

    fn single_query(&self, pair: Node) -> Result<SingleQuery> {
        let span = span_of(&pair);
        let clauses = pair
            .into_inner()
            .map(|clause| self.clause(clause))
            .collect::<Result<_>>()?;
        Ok(SingleQuery { clauses, span })
    }

    fn clause(&self, pair: Node) -> Result<Clause> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let mut kids = Kids::of(pair);
        let kind = match rule {
            Rule::match_clause => self.match_clause(&mut kids)?,
            Rule::unwind_clause => {
                kids.expect(Rule::kw_unwind)?;
                let expr = self.expr(kids.expect(Rule::expression)?)?;
                kids.expect(Rule::kw_as)?;
                let alias = ident(&kids.expect(Rule::variable)?);
                ClauseKind::Unwind { expr, alias }
            }
            Rule::with_clause => {
                kids.expect(Rule::kw_with)?;
                let mut projection = self.projection(kids.expect(Rule::projection)?)?;
                projection.where_ = self.opt_where(&mut kids)?;
                ClauseKind::With(projection)
            }
            Rule::return_clause => {
                kids.expect(Rule::kw_return)?;
                ClauseKind::Return(self.projection(kids.expect(Rule::projection)?)?)
            }
            Rule::create_clause => {
                kids.expect(Rule::kw_create)?;
                ClauseKind::Create(self.pattern(kids.expect(Rule::pattern)?)?)
            }
            Rule::merge_clause => self.merge_clause(&mut kids)?,
            Rule::set_clause => {
                kids.expect(Rule::kw_set)?;
                ClauseKind::Set(self.set_items(&mut kids)?)
            }
            Rule::remove_clause => {
                kids.expect(Rule::kw_remove)?;
                ClauseKind::Remove(self.remove_items(&mut kids)?)
            }
            Rule::delete_clause => {
                let detach = kids.flag(Rule::kw_detach);
                kids.expect(Rule::kw_delete)?;
                let mut exprs = Vec::new();
                while let Some(e) = kids.take(Rule::expression) {
                    exprs.push(self.expr(e)?);
                }
                ClauseKind::Delete { detach, exprs }
            }
            Rule::call_clause => ClauseKind::Call(self.call_clause(&mut kids)?),
            Rule::show_clause => ClauseKind::Call(self.show_clause(&mut kids, span)?),
            Rule::call_subquery => self.call_subquery(&mut kids)?,
            Rule::foreach_clause => {
                kids.expect(Rule::kw_foreach)?;
                let variable = ident(&kids.expect(Rule::variable)?);
                kids.expect(Rule::kw_in)?;
                let list = self.expr(kids.expect(Rule::expression)?)?;
                let mut clauses = Vec::new();
                while let Some(clause) = kids.next() {
                    clauses.push(self.clause(clause)?);
                }
                ClauseKind::Foreach {
                    variable,
                    list,
                    clauses,
                }
            }
            Rule::schema_clause => ClauseKind::Schema(self.schema_clause(kids.any()?)?),
            Rule::load_csv_clause => {
                kids.expect(Rule::kw_load)?;
                kids.expect(Rule::kw_csv)?;
                let headers = kids.flag(Rule::kw_with);
                kids.flag(Rule::kw_headers);
                kids.expect(Rule::kw_from)?;
                let url = self.expr(kids.expect(Rule::expression)?)?;
                kids.expect(Rule::kw_as)?;
                let alias = ident(&kids.expect(Rule::variable)?);
                let terminator = match kids.take(Rule::kw_fieldterminator) {
                    Some(_) => {
                        let s = kids.expect(Rule::string)?;
                        Some(literal::string(s.as_str(), s.as_span().start())?)
                    }
                    None => None,
                };
                ClauseKind::LoadCsv {
                    headers,
                    url,
                    alias,
                    terminator,
                }
            }
            Rule::use_clause => {
                kids.expect(Rule::kw_use)?;
                ClauseKind::Use(self.expr(kids.expect(Rule::expression)?)?)
            }
            other => return Err(internal(span, &format!("unexpected clause {other:?}"))),
        };
        Ok(Clause { kind, span })
    }

    fn opt_where(&self, kids: &mut Kids) -> Result<Option<super::ast::Expr>> {
        match kids.take(Rule::where_clause) {
            Some(w) => {
                let mut w = Kids::of(w);
                w.expect(Rule::kw_where)?;
                Ok(Some(self.expr(w.expect(Rule::expression)?)?))
            }
            None => Ok(None),
        }
    }

    fn schema_clause(&self, pair: Node) -> Result<SchemaCommand> {
        use crate::schema::{ConstraintKind, IndexKind};
        let rule = pair.as_rule();
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        if rule == Rule::drop_schema {
            kids.expect(Rule::kw_drop)?;
            let constraint = kids.flag(Rule::kw_constraints);
            if !constraint {
                kids.expect(Rule::kw_indexes)?;
            }
            let name = ident(&kids.expect(Rule::schema_name)?);
            let if_exists = kids.flag(Rule::if_exists);
            return Ok(SchemaCommand::Drop {
                constraint,
                name,
                if_exists,
            });
        }
        if rule == Rule::create_fulltext {
            return self.create_fulltext(kids, span);
        }
        kids.expect(Rule::kw_create)?;
        let kind = if kids.flag(Rule::kw_text) {
            IndexKind::Text
        } else {
            kids.flag(Rule::kw_range);
            IndexKind::Range
        };
        kids.next();
        let name = match kids.take(Rule::schema_object_name) {
            Some(n) => Some(ident(&Kids::of(n).expect(Rule::schema_name)?)),
            None => None,
        };
        let if_not_exists = kids.flag(Rule::if_not_exists);
        kids.expect(Rule::kw_for)?;
        let mut target = Kids::of(kids.expect(Rule::schema_target)?);
        let variable = ident(&target.expect(Rule::variable)?);
        let label = ident(&target.expect(Rule::schema_name)?);
        kids.flag(Rule::kw_on);
        kids.flag(Rule::kw_require);
        let properties = schema_properties(&mut kids, &variable, span)?;
        if rule == Rule::create_index {
            return Ok(SchemaCommand::CreateIndex {
                name,
                kind,
                label,
                properties,
                if_not_exists,
            });
        }
        kids.expect(Rule::kw_is)?;
        let what = kids.expect(Rule::constraint_kind)?;
        let first = what.into_inner().next().map(|p| p.as_rule());
        let kind = match first {
            Some(Rule::kw_unique) => ConstraintKind::Unique,
            Some(Rule::kw_not) => ConstraintKind::NotNull,
            _ => ConstraintKind::NodeKey,
        };
        if kind == ConstraintKind::NotNull && properties.len() != 1 {
            return Err(Error::syntax(
                "InvalidConstraint",
                "IS NOT NULL constrains exactly one property",
            )
            .at(span));
        }
        Ok(SchemaCommand::CreateConstraint {
            name,
            kind,
            label,
            properties,
            if_not_exists,
        })
    }

    fn call_subquery(&self, kids: &mut Kids) -> Result<ClauseKind> {
        kids.expect(Rule::kw_call)?;
        let scope = match kids.take(Rule::subquery_scope) {
            Some(scope) => {
                let mut scope = Kids::of(scope);
                if scope.flag(Rule::star) {
                    Some(ImportScope::All)
                } else {
                    let mut vars = Vec::new();
                    while let Some(v) = scope.take(Rule::variable) {
                        vars.push(ident(&v));
                    }
                    Some(ImportScope::Vars(vars))
                }
            }
            None => None,
        };
        let query = self.query(kids.expect(Rule::query)?)?;
        let in_transactions = match kids.take(Rule::in_transactions) {
            Some(t) => {
                let mut t = Kids::of(t);
                t.expect(Rule::kw_in)?;
                t.expect(Rule::kw_transactions)?;
                Some(match t.take(Rule::kw_of) {
                    Some(_) => Some(self.expr(t.expect(Rule::expression)?)?),
                    None => None,
                })
            }
            None => None,
        };
        Ok(ClauseKind::CallSubquery(CallSubquery {
            scope,
            query,
            in_transactions,
        }))
    }

    fn call_clause(&self, kids: &mut Kids) -> Result<ProcedureCall> {
        kids.expect(Rule::kw_call)?;
        let name = kids.expect(Rule::procedure_name)?;
        let name = Ident {
            name: dotted_name(name.as_str()),
            span: span_of(&name),
        };
        let args = match kids.take(Rule::call_args) {
            Some(args) => Some(
                args.into_inner()
                    .filter(|p| p.as_rule() == Rule::expression)
                    .map(|p| self.expr(p))
                    .collect::<Result<_>>()?,
            ),
            None => None,
        };
        let (yields, where_) = self.yield_clause(kids)?;
        Ok(ProcedureCall {
            name,
            args,
            yields,
            where_,
            show: None,
        })
    }

    /// `YIELD * | item, … [WHERE …]`, when present.
    fn yield_clause(&self, kids: &mut Kids) -> Result<(Option<Yields>, Option<super::ast::Expr>)> {
        let Some(clause) = kids.take(Rule::yield_clause) else {
            return Ok((None, None));
        };
        let mut clause = Kids::of(clause);
        clause.expect(Rule::kw_yield)?;
        let yields = if clause.flag(Rule::star) {
            Yields::Star
        } else {
            let mut items = Vec::new();
            while let Some(item) = clause.take(Rule::yield_item) {
                let mut item = Kids::of(item);
                let field = ident(&item.expect(Rule::schema_name)?);
                let alias = match item.take(Rule::kw_as) {
                    Some(_) => Some(ident(&item.expect(Rule::variable)?)),
                    None => None,
                };
                items.push(YieldItem { field, alias });
            }
            Yields::Items(items)
        };
        Ok((Some(yields), self.opt_where(&mut clause)?))
    }

    fn show_clause(&self, kids: &mut Kids, span: Span) -> Result<ProcedureCall> {
        kids.expect(Rule::kw_show)?;
        let mut what = Kids::of(kids.expect(Rule::show_what)?);
        let mut filter = FunctionFilter::All;
        let show = loop {
            let Some(word) = what.next() else {
                return Err(internal(span, "SHOW without a subject"));
            };
            match word.as_rule() {
                Rule::kw_procedures => break Show::Procedures,
                Rule::kw_functions => break Show::Functions(filter),
                Rule::kw_indexes => break Show::Indexes,
                Rule::kw_constraints => break Show::Constraints,
                Rule::kw_built_in => filter = FunctionFilter::BuiltIn,
                Rule::kw_user_defined => filter = FunctionFilter::UserDefined,
                _ => {}
            }
        };
        let (yields, mut where_) = self.yield_clause(kids)?;
        if where_.is_none() {
            where_ = self.opt_where(kids)?;
        }
        Ok(ProcedureCall {
            name: Ident {
                name: crate::procedures::show_procedure_name(show).to_string(),
                span,
            },
            args: Some(Vec::new()),
            yields,
            where_,
            show: Some(show),
        })
    }

    fn match_clause(&self, kids: &mut Kids) -> Result<ClauseKind> {
        let optional = kids.flag(Rule::kw_optional);
        kids.expect(Rule::kw_match)?;
        let pattern = self.pattern(kids.expect(Rule::pattern)?)?;
        let as_of = match kids.take(Rule::as_of) {
            Some(a) => {
                let mut a = Kids::of(a);
                a.expect(Rule::kw_as)?;
                a.expect(Rule::kw_of)?;
                Some(self.expr(a.expect(Rule::expression)?)?)
            }
            None => None,
        };
        let where_ = self.opt_where(kids)?;
        Ok(ClauseKind::Match(Match {
            optional,
            pattern,
            as_of,
            where_,
        }))
    }

    fn merge_clause(&self, kids: &mut Kids) -> Result<ClauseKind> {
        kids.expect(Rule::kw_merge)?;
        let pattern = self.pattern_part(kids.expect(Rule::pattern_part)?)?;
        let on_alias = kids.take(Rule::merge_on_alias).is_some();
        let (mut on_create, mut on_match) = (Vec::new(), Vec::new());
        while let Some(action) = kids.take(Rule::merge_action) {
            let mut action = Kids::of(action);
            action.expect(Rule::kw_on)?;
            let on_create_action = action.flag(Rule::kw_create);
            if !on_create_action {
                action.expect(Rule::kw_match)?;
            }
            action.expect(Rule::kw_set)?;
            let items = self.set_items(&mut action)?;
            if on_create_action {
                on_create.extend(items);
            } else {
                on_match.extend(items);
            }
        }
        Ok(ClauseKind::Merge(Merge {
            pattern,
            on_alias,
            on_create,
            on_match,
        }))
    }

    fn projection(&self, pair: Node) -> Result<Projection> {
        let mut kids = Kids::of(pair);
        let distinct = kids.flag(Rule::kw_distinct);
        let mut items_kids = Kids::of(kids.expect(Rule::projection_items)?);
        let star = items_kids.flag(Rule::star);
        let mut items = Vec::new();
        while let Some(item) = items_kids.take(Rule::projection_item) {
            items.push(self.projection_item(item)?);
        }
        let mut order_by = Vec::new();
        if let Some(order) = kids.take(Rule::order_by) {
            let mut order = Kids::of(order);
            order.expect(Rule::kw_order)?;
            order.expect(Rule::kw_by)?;
            while let Some(sort) = order.take(Rule::sort_item) {
                let mut sort = Kids::of(sort);
                let expr = self.expr(sort.expect(Rule::expression)?)?;
                let descending = sort.flag(Rule::kw_desc);
                order_by.push(SortItem { expr, descending });
            }
        }
        let skip = self.keyword_expr(&mut kids, Rule::skip, Rule::kw_skip)?;
        let limit = self.keyword_expr(&mut kids, Rule::limit, Rule::kw_limit)?;
        Ok(Projection {
            distinct,
            star,
            items,
            order_by,
            skip,
            limit,
            where_: None,
        })
    }

    /// `SKIP expr` / `LIMIT expr`, when present.
    fn keyword_expr(
        &self,
        kids: &mut Kids,
        rule: Rule,
        keyword: Rule,
    ) -> Result<Option<super::ast::Expr>> {
        match kids.take(rule) {
            Some(p) => {
                let mut p = Kids::of(p);
                p.expect(keyword)?;
                Ok(Some(self.expr(p.expect(Rule::expression)?)?))
            }
            None => Ok(None),
        }
    }

    fn projection_item(&self, pair: Node) -> Result<ProjectionItem> {
        let mut kids = Kids::of(pair);
        let expr_pair = kids.expect(Rule::expression)?;
        let span = span_of(&expr_pair);
        let text = self
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim()
            .to_string();
        let expr = self.expr(expr_pair)?;
        let alias = match kids.take(Rule::kw_as) {
            Some(_) => Some(ident(&kids.expect(Rule::variable)?)),
            None => None,
        };
        Ok(ProjectionItem { expr, alias, text })
    }

    fn set_items(&self, kids: &mut Kids) -> Result<Vec<SetItem>> {
        let mut items = Vec::new();
        while let Some(item) = kids.next() {
            items.push(self.set_item(item)?);
        }
        Ok(items)
    }

    fn set_item(&self, pair: Node) -> Result<SetItem> {
        let rule = pair.as_rule();
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        match rule {
            Rule::set_labels => {
                let variable = ident(&kids.expect(Rule::variable)?);
                let labels = labels(kids.expect(Rule::node_labels)?);
                Ok(SetItem::Labels { variable, labels })
            }
            Rule::set_merge | Rule::set_replace => {
                let variable = ident(&kids.expect(Rule::variable)?);
                let value = self.expr(kids.expect(Rule::expression)?)?;
                Ok(if rule == Rule::set_merge {
                    SetItem::Merge { variable, value }
                } else {
                    SetItem::Replace { variable, value }
                })
            }
            Rule::set_property => {
                let (target, key) = self.property_target(kids.expect(Rule::property_target)?)?;
                let value = self.expr(kids.expect(Rule::expression)?)?;
                Ok(SetItem::Property { target, key, value })
            }
            other => Err(internal(span, &format!("unexpected SET item {other:?}"))),
        }
    }

    fn remove_items(&self, kids: &mut Kids) -> Result<Vec<RemoveItem>> {
        let mut items = Vec::new();
        while let Some(item) = kids.next() {
            if item.as_rule() == Rule::remove_labels {
                let mut k = Kids::of(item);
                let variable = ident(&k.expect(Rule::variable)?);
                let labels = labels(k.expect(Rule::node_labels)?);
                items.push(RemoveItem::Labels { variable, labels });
            } else {
                let (target, key) = self.property_target(item)?;
                items.push(RemoveItem::Property { target, key });
            }
        }
        Ok(items)
    }

    // ------------------------------------------------------------ patterns

    fn pattern(&self, pair: Node) -> Result<Vec<PatternPart>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::pattern_part)
            .map(|p| self.pattern_part(p))
            .collect()
    }

    fn pattern_part(&self, pair: Node) -> Result<PatternPart> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let variable = kids.take(Rule::variable).map(|v| ident(&v));
        let body = kids.any()?;
        let (selector, element) = match body.as_rule() {
            Rule::pattern_element => (PathSelector::All, self.pattern_element(body)?),
            Rule::shortest_path | Rule::all_shortest_paths => {
                let selector = if body.as_rule() == Rule::shortest_path {
                    PathSelector::Shortest
                } else {
                    PathSelector::AllShortest
                };
                let mut inner = Kids::of(body);
                inner.any()?;
                (
                    selector,
                    self.pattern_element(inner.expect(Rule::pattern_element)?)?,
                )
            }
            other => return Err(internal(span, &format!("unexpected pattern {other:?}"))),
        };
        Ok(PatternPart {
            variable,
            selector,
            element,
            span,
        })
    }

    /// A `pattern_element` or a `pattern_predicate`: node (rel node)*.
    fn pattern_element(&self, pair: Node) -> Result<PatternElement> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let start = self.node_pattern(kids.expect(Rule::node_pattern)?)?;
        let mut chain = Vec::new();
        while let Some(rel) = kids.take(Rule::rel_pattern) {
            let rel = self.rel_pattern(rel)?;
            let node = self.node_pattern(kids.expect(Rule::node_pattern)?)?;
            chain.push((rel, node));
        }
        Ok(PatternElement { start, chain, span })
    }

    fn node_pattern(&self, pair: Node) -> Result<NodePattern> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let variable = kids.take(Rule::variable).map(|v| ident(&v));
        let (labels, label_expr) = match kids.take(Rule::label_expression) {
            Some(e) => {
                let e = label_expression(e)?;
                match e.conjunction() {
                    Some(names) => (names, None),
                    None => (Vec::new(), Some(e)),
                }
            }
            None => (Vec::new(), None),
        };
        let properties = self.properties(&mut kids)?;
        Ok(NodePattern {
            variable,
            labels,
            label_expr,
            properties,
            span,
        })
    }

    fn properties(&self, kids: &mut Kids) -> Result<Option<super::ast::Expr>> {
        match kids.take(Rule::properties) {
            Some(p) => {
                let mut p = Kids::of(p);
                Ok(Some(self.expr(p.any()?)?))
            }
            None => Ok(None),
        }
    }

    fn rel_pattern(&self, pair: Node) -> Result<RelPattern> {
        let span = span_of(&pair);
        let mut kids = Kids::of(pair);
        let left = kids.flag(Rule::left_arrow);
        let mut rel = RelPattern {
            variable: None,
            types: Vec::new(),
            type_expr: None,
            direction: Direction::Either,
            length: None,
            properties: None,
            span,
        };
        if let Some(detail) = kids.take(Rule::rel_detail) {
            let mut d = Kids::of(detail);
            rel.variable = d.take(Rule::variable).map(|v| ident(&v));
            if let Some(types) = d.take(Rule::label_expression) {
                let e = label_expression(types)?;
                match e.disjunction() {
                    Some(names) => rel.types = names,
                    None => rel.type_expr = Some(e),
                }
            }
            if let Some(bad) = d.take(Rule::bad_range) {
                return Err(Error::syntax(
                    "InvalidRelationshipPattern",
                    format!(
                        "`{}` is not a length: write `*`, `*n`, `*min..max`, `*..max` or `*min..` \
                         with bounds of zero or more",
                        bad.as_str()
                    ),
                )
                .at(span_of(&bad)));
            }
            if let Some(range) = d.take(Rule::range) {
                rel.length = Some(length_range(range)?);
            }
            rel.properties = self.properties(&mut d)?;
        }
        let right = kids.flag(Rule::right_arrow);
        rel.direction = match (left, right) {
            (true, false) => Direction::Incoming,
            (false, true) => Direction::Outgoing,
            _ => Direction::Either,
        };
        Ok(rel)
    }
}

/// `*`, `*n`, `*a..b`, `*..b`, `*a..`.
fn length_range(pair: Node) -> Result<LengthRange> {
    let mut range = LengthRange {
        min: None,
        max: None,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::range_min => range.min = Some(literal::length_bound(&part)?),
            Rule::range_max => range.max = Some(literal::length_bound(&part)?),
            Rule::range_exact => {
                let n = literal::length_bound(&part)?;
                range.min = Some(n);
                range.max = Some(n);
            }
            _ => {}
        }
    }
    Ok(range)
}

/// A `label_expression` (or its in-expression form) as a tree; one-element
/// conjunctions and disjunctions are flattened away.
pub(super) fn label_expression(pair: Node) -> Result<LabelExpr> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .find(|p| !is_punct(p.as_rule()))
        .ok_or_else(|| internal(span, "empty label expression"))?;
    label_tree(inner)
}

fn label_tree(pair: Node) -> Result<LabelExpr> {
    let span = span_of(&pair);
    let rule = pair.as_rule();
    let kids: Vec<Node> = pair
        .into_inner()
        .filter(|p| {
            !matches!(
                p.as_rule(),
                Rule::PIPE | Rule::COLON | Rule::AMP | Rule::LPAREN | Rule::RPAREN
            )
        })
        .collect();
    match rule {
        Rule::label_or | Rule::label_or_in_expr | Rule::label_and => {
            let mut items = kids
                .into_iter()
                .map(label_tree)
                .collect::<Result<Vec<_>>>()?;
            if items.len() == 1 {
                return items
                    .pop()
                    .ok_or_else(|| internal(span, "label expression"));
            }
            Ok(if rule == Rule::label_and {
                LabelExpr::And(items)
            } else {
                LabelExpr::Or(items)
            })
        }
        Rule::label_not => {
            let negations = kids.iter().filter(|k| k.as_rule() == Rule::BANG).count();
            let atom = kids
                .into_iter()
                .find(|k| k.as_rule() == Rule::label_atom)
                .ok_or_else(|| internal(span, "label without a name"))?;
            let mut e = label_tree(atom)?;
            for _ in 0..negations {
                e = LabelExpr::Not(Box::new(e));
            }
            Ok(e)
        }
        Rule::label_atom => {
            let first = kids
                .into_iter()
                .next()
                .ok_or_else(|| internal(span, "empty label"))?;
            match first.as_rule() {
                Rule::label_wildcard => Ok(LabelExpr::Wildcard),
                Rule::schema_name => Ok(LabelExpr::Name(ident(&first))),
                _ => label_tree(first),
            }
        }
        other => Err(internal(span, &format!("unexpected label part {other:?}"))),
    }
}

/// The labels of a `node_labels` pair.
fn labels(pair: Node) -> Vec<Ident> {
    pair.into_inner()
        .filter_map(|label| {
            label
                .into_inner()
                .find(|p| p.as_rule() == Rule::schema_name)
        })
        .map(|p| ident(&p))
        .collect()
}

/// A name token (variable, label, key…) with backticks removed.
/// The keys of the `v.key, …` list of a schema command, each of whose
/// variables must be `variable`, the one its FOR clause binds.
fn schema_properties(kids: &mut Kids, variable: &Ident, span: Span) -> Result<Vec<Ident>> {
    let mut properties = Vec::new();
    while let Some(p) = kids.take(Rule::property_ref) {
        let mut p = Kids::of(p);
        let var = ident(&p.expect(Rule::variable)?);
        if var.name != variable.name {
            return Err(Error::syntax(
                "UndefinedVariable",
                format!(
                    "`{}` is not the variable of FOR (`{}`)",
                    var.name, variable.name
                ),
            )
            .at(var.span));
        }
        let key = p
            .expect(Rule::property_lookup)?
            .into_inner()
            .find(|k| k.as_rule() == Rule::schema_name)
            .ok_or_else(|| internal(span, "property without key"))?;
        properties.push(ident(&key));
    }
    Ok(properties)
}

fn ident(pair: &Node) -> Ident {
    Ident {
        name: unescape_name(pair.as_str()),
        span: span_of(pair),
    }
}

/// Removes the backticks of a backticked name and undoubles inner ones.
fn unescape_name(text: &str) -> String {
    match text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        Some(inner) if text.len() >= 2 => inner.replace("``", "`"),
        _ => text.to_string(),
    }
}

/// A dotted name (`a.b.c`, parts possibly backticked) with backticks removed.
fn dotted_name(text: &str) -> String {
    if !text.contains('`') {
        return text.to_string();
    }
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                out.push('`');
            }
            '`' => quoted = !quoted,
            _ => out.push(c),
        }
    }
    out
}
