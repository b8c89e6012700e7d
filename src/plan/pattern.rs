//! Planning patterns: MATCH (choice of the starting node, expansions),
//! CREATE and MERGE, and pattern subqueries inside expressions.

use std::collections::HashSet;

use super::bind::{Binder, undefined};
use super::expr::CmpOp;
use super::scope::VarKind;
use super::{
    CreateNode, CreateRel, CreateSpec, Expr, Hop, NodeFilter, NodeSource, PathSpec, RelFilter,
    Slot, Step,
};
use crate::error::{Error, Result};
use crate::syntax::ast::{self, Direction, PathSelector};
use crate::value::Value;

/// What a pattern is for: it decides which forms are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternUse {
    /// MATCH, OPTIONAL MATCH and patterns in expressions.
    Match,
    /// CREATE.
    Create,
    /// MERGE.
    Merge,
}

/// A node of a pattern with its slot resolved.
#[derive(Clone)]
struct NodeSlot {
    slot: Slot,
    /// Bound before the clause began (an existing node, not a new match).
    bound_before: bool,
    filter: NodeFilter,
    has_details: bool,
}

/// A relationship of a pattern with its slot resolved.
#[derive(Clone)]
struct RelSlot {
    slot: Slot,
    bound_before: bool,
    direction: Direction,
    filter: RelFilter,
    type_names: Vec<String>,
    var_length: Option<(u64, Option<u64>)>,
    span: crate::error::Span,
}

/// A pattern part with every element resolved to a slot.
#[derive(Clone)]
struct PartSlots {
    nodes: Vec<NodeSlot>,
    rels: Vec<RelSlot>,
    path: Option<Slot>,
    selector: PathSelector,
}

impl Binder<'_> {
    /// MATCH / OPTIONAL MATCH.
    pub(super) fn bind_match(&mut self, m: &ast::Match, steps: &mut Vec<Step>) -> Result<()> {
        let before = self.scope.width;
        let mut inner = Vec::new();
        let saved = self.valid_at.clone();
        if let Some(instant) = &m.as_of {
            let bound = self.bind_expr(instant)?;
            if let Expr::Const(v) = &bound {
                match v {
                    Value::Null => {
                        return Err(Error::invalid_type(
                            "AS OF needs a date or a date-time, got null",
                        )
                        .at(instant.span));
                    }
                    v => {
                        crate::valid_time::instant_of(v, "the instant of AS OF")
                            .map_err(|e| e.at(instant.span))?;
                    }
                }
            }
            self.valid_at = Some(bound);
        }
        let bound = self.bind_match_body(m, &mut inner);
        self.valid_at = saved;
        bound?;
        if m.optional {
            let nulls = (before..self.scope.width).collect();
            steps.push(Step::Optional {
                steps: inner,
                nulls,
            });
        } else {
            steps.extend(inner);
        }
        Ok(())
    }

    /// The pattern and WHERE of a MATCH, with `self.valid_at` in force.
    fn bind_match_body(&mut self, m: &ast::Match, inner: &mut Vec<Step>) -> Result<()> {
        self.reused_rel_lists = Some(Vec::new());
        let parts = self.declare_parts(&m.pattern, PatternUse::Match);
        let reused = self.reused_rel_lists.take().unwrap_or_default();
        let parts = parts?;
        let predicate = m
            .where_
            .as_ref()
            .map(|w| self.bind_predicate(w))
            .transpose()?;
        let predicate = self.with_label_filters(&m.pattern, &parts, predicate)?;
        let hints = predicate.as_ref().map(equality_hints).unwrap_or_default();
        self.plan_parts(&parts, &hints, inner)?;
        let predicate = super::shortest::attach_path_conditions(inner, predicate);
        if let Some(p) = predicate {
            inner.push(Step::Filter(p));
        }
        for (found, given) in reused {
            inner.push(Step::Filter(Expr::Compare(
                CmpOp::Eq,
                Box::new(Expr::Slot(found)),
                Box::new(Expr::Slot(given)),
            )));
        }
        Ok(())
    }

    /// A pattern inside an expression: `(a)-->(b)`, `EXISTS { … }`.
    pub(super) fn bind_subpattern(
        &mut self,
        parts: &[ast::PatternPart],
        where_: Option<&ast::Expr>,
        allow_new: bool,
    ) -> Result<Vec<Step>> {
        let mark = self.scope.mark();
        let saved = self.aggregates.take();
        let result = self.bind_subpattern_keep_scope(parts, where_, allow_new);
        self.aggregates = saved;
        self.scope.truncate(mark);
        result
    }

    /// Like [`Binder::bind_subpattern`] but leaves the pattern's variables
    /// visible (the caller restores the scope).
    pub(super) fn bind_subpattern_keep_scope(
        &mut self,
        parts: &[ast::PatternPart],
        where_: Option<&ast::Expr>,
        allow_new: bool,
    ) -> Result<Vec<Step>> {
        if !allow_new {
            for part in parts {
                for node in std::iter::once(&part.element.start)
                    .chain(part.element.chain.iter().map(|(_, n)| n))
                {
                    if let Some(v) = &node.variable
                        && self.scope.get(&v.name).is_none()
                    {
                        return Err(undefined(&v.name, v.span));
                    }
                }
                for (rel, _) in &part.element.chain {
                    if let Some(v) = &rel.variable
                        && self.scope.get(&v.name).is_none()
                    {
                        return Err(undefined(&v.name, v.span));
                    }
                }
            }
        }
        let parts_ast = parts;
        let parts = self.declare_parts(parts, PatternUse::Match)?;
        let mut steps = Vec::new();
        let predicate = where_.map(|w| self.bind_predicate(w)).transpose()?;
        let predicate = self.with_label_filters(parts_ast, &parts, predicate)?;
        self.plan_parts(&parts, &[], &mut steps)?;
        if let Some(p) = predicate {
            steps.push(Step::Filter(p));
        }
        Ok(steps)
    }

    /// CREATE.
    pub(super) fn bind_create(
        &mut self,
        parts: &[ast::PatternPart],
        steps: &mut Vec<Step>,
    ) -> Result<()> {
        let resolved = self.declare_parts(parts, PatternUse::Create)?;
        let mut spec = CreateSpec::default();
        let mut created = HashSet::new();
        for (part, ast_part) in resolved.iter().zip(parts) {
            self.create_spec(part, ast_part, &mut spec, &mut created, false)?;
        }
        steps.push(Step::Create(spec));
        Ok(())
    }

    /// MERGE.
    pub(super) fn bind_merge(&mut self, merge: &ast::Merge, steps: &mut Vec<Step>) -> Result<()> {
        let parts = self.declare_parts(std::slice::from_ref(&merge.pattern), PatternUse::Merge)?;
        let mut matcher = Vec::new();
        if merge.on_alias {
            self.plan_alias_matcher(&parts, merge.pattern.span, &mut matcher)?;
        } else {
            self.plan_parts(&parts, &[], &mut matcher)?;
        }
        let mut create = CreateSpec::default();
        self.create_spec(
            &parts[0],
            &merge.pattern,
            &mut create,
            &mut HashSet::new(),
            true,
        )?;
        let bind_items = |binder: &mut Self, items: &[ast::SetItem]| -> Result<Vec<super::SetOp>> {
            items.iter().map(|i| binder.bind_set_item(i)).collect()
        };
        let on_create = bind_items(self, &merge.on_create)?;
        let on_match = bind_items(self, &merge.on_match)?;
        steps.push(Step::Merge {
            matcher,
            create,
            on_create,
            on_match,
        });
        Ok(())
    }

    /// `MERGE … ON ALIAS`: the matcher compares each new node's `name`
    /// with the names and aliases of existing nodes in normal form
    /// (`matchesName(n, name)`) instead of by equality.
    fn plan_alias_matcher(
        &mut self,
        parts: &[PartSlots],
        span: crate::error::Span,
        matcher: &mut Vec<Step>,
    ) -> Result<()> {
        let name_key = self.graph.intern_key(crate::resolve::NAME);
        let Some(matches_name) = crate::exec::functions::lookup("matchesname") else {
            return Err(Error::unsupported("matchesName() is missing"));
        };
        let mut relaxed = parts.to_vec();
        let mut checks = Vec::new();
        for part in &mut relaxed {
            for node in part.nodes.iter_mut().filter(|n| !n.bound_before) {
                if let Some(i) = node
                    .filter
                    .properties
                    .iter()
                    .position(|(k, _)| *k == name_key)
                {
                    let (_, name) = node.filter.properties.remove(i);
                    checks.push(Expr::Call(
                        super::expr::FunctionRef(matches_name),
                        vec![Expr::Slot(node.slot), name],
                    ));
                }
            }
        }
        if checks.is_empty() {
            return Err(Error::syntax(
                "InvalidMergeOnAlias",
                "MERGE … ON ALIAS needs a node with a `name` property in its pattern",
            )
            .at(span));
        }
        self.plan_parts(&relaxed, &[], matcher)?;
        matcher.push(Step::Filter(Expr::conjunction(checks)));
        Ok(())
    }

    fn create_spec(
        &mut self,
        part: &PartSlots,
        ast_part: &ast::PatternPart,
        spec: &mut CreateSpec,
        created: &mut HashSet<Slot>,
        merge: bool,
    ) -> Result<()> {
        let ast_nodes: Vec<&ast::NodePattern> = std::iter::once(&ast_part.element.start)
            .chain(ast_part.element.chain.iter().map(|(_, n)| n))
            .collect();
        for (node, ast_node) in part.nodes.iter().zip(&ast_nodes) {
            if node.bound_before || created.contains(&node.slot) {
                let standalone = part.nodes.len() == 1;
                if node.has_details || (standalone && node.bound_before) {
                    let name = ast_node.variable.as_ref().map_or("", |v| v.name.as_str());
                    return Err(Error::syntax(
                        "VariableAlreadyBound",
                        format!("variable `{name}` is already defined and cannot be created again"),
                    )
                    .at(ast_node.span));
                }
                continue;
            }
            created.insert(node.slot);
            spec.nodes.push(CreateNode {
                slot: node.slot,
                bound: false,
                labels: node.filter.labels.clone(),
                properties: node.filter.properties.clone(),
                property_map: node.filter.property_map.clone(),
            });
        }
        for (i, rel) in part.rels.iter().enumerate() {
            if rel.bound_before {
                return Err(Error::syntax(
                    "VariableAlreadyBound",
                    "relationship variable is already defined",
                )
                .at(rel.span));
            }
            if rel.var_length.is_some() {
                return Err(Error::syntax(
                    "CreatingVarLength",
                    "variable-length relationships cannot be created",
                )
                .at(rel.span));
            }
            if rel.type_names.len() != 1 {
                return Err(Error::syntax(
                    "NoSingleRelationshipType",
                    "a relationship to create needs exactly one type",
                )
                .at(rel.span));
            }
            let (left, right) = (part.nodes[i].slot, part.nodes[i + 1].slot);
            let (from, to) = match rel.direction {
                Direction::Incoming => (right, left),
                Direction::Outgoing => (left, right),
                Direction::Either if merge => (left, right),
                Direction::Either => {
                    return Err(Error::syntax(
                        "RequiresDirectedRelationship",
                        "a relationship to create needs a direction",
                    )
                    .at(rel.span));
                }
            };
            let rel_type = self.graph.intern_type(&rel.type_names[0]);
            spec.rels.push(CreateRel {
                slot: rel.slot,
                from,
                to,
                rel_type,
                properties: rel.filter.properties.clone(),
                property_map: rel.filter.property_map.clone(),
            });
        }
        if let Some(path) = part.path {
            spec.paths.push(path_spec(path, part));
        }
        Ok(())
    }

    /// `predicate` and, for each node written with a label expression
    /// beyond `:A:B` (`:A|B`, `:!A`, `:%`), the test of that expression.
    fn with_label_filters(
        &mut self,
        parts: &[ast::PatternPart],
        slots: &[PartSlots],
        predicate: Option<Expr>,
    ) -> Result<Option<Expr>> {
        let mut terms: Vec<Expr> = predicate.into_iter().collect();
        for (part, resolved) in parts.iter().zip(slots) {
            let nodes = std::iter::once(&part.element.start)
                .chain(part.element.chain.iter().map(|(_, n)| n));
            for (node, slot) in nodes.zip(&resolved.nodes) {
                if let Some(e) = &node.label_expr {
                    terms.push(self.label_test(Expr::Slot(slot.slot), Some(VarKind::Node), e)?);
                }
            }
        }
        Ok((!terms.is_empty()).then(|| Expr::conjunction(terms)))
    }

    /// Resolves every element of the parts to a slot, declaring new
    /// variables.
    fn declare_parts(
        &mut self,
        parts: &[ast::PatternPart],
        usage: PatternUse,
    ) -> Result<Vec<PartSlots>> {
        // Slots below this were bound before the clause; the ones above are
        // declared by it.
        let clause_start = self.scope.width;
        let mut out = Vec::new();
        for part in parts {
            let mut nodes = vec![self.declare_node(&part.element.start, usage, clause_start)?];
            let mut rels = Vec::new();
            for (rel, node) in &part.element.chain {
                rels.push(self.declare_rel(rel, usage, clause_start)?);
                nodes.push(self.declare_node(node, usage, clause_start)?);
            }
            if part.selector != PathSelector::All
                && (rels.len() != 1 || part.element.chain.is_empty())
            {
                return Err(Error::syntax(
                    "InvalidShortestPath",
                    "shortestPath needs a pattern with exactly one relationship",
                )
                .at(part.span));
            }
            let path = match &part.variable {
                Some(v) => Some(self.declare_new(v, VarKind::Path)?),
                None if part.selector != PathSelector::All => Some(self.scope.fresh_slot()),
                None => None,
            };
            out.push(PartSlots {
                nodes,
                rels,
                path,
                selector: part.selector,
            });
        }
        Ok(out)
    }

    fn declare_node(
        &mut self,
        node: &ast::NodePattern,
        usage: PatternUse,
        clause_start: Slot,
    ) -> Result<NodeSlot> {
        let (slot, bound_before) = match &node.variable {
            Some(v) => match self.scope.get(&v.name) {
                Some(var) if matches!(var.kind, VarKind::Node | VarKind::Value) => {
                    (var.slot, var.slot < clause_start)
                }
                Some(_) => {
                    return Err(Error::syntax(
                        "VariableTypeConflict",
                        format!("variable `{}` is not a node", v.name),
                    )
                    .at(v.span));
                }
                None => (self.scope.declare(&v.name, VarKind::Node), false),
            },
            None => {
                let name = self.anonymous_name();
                (self.scope.declare(&name, VarKind::Node), false)
            }
        };
        if node.label_expr.is_some() && usage != PatternUse::Match {
            return Err(Error::syntax(
                "InvalidLabelExpression",
                "CREATE and MERGE give labels joined by `:` or `&`; `|`, `!` and `%` only match",
            )
            .at(node.span));
        }
        let mut filter = NodeFilter {
            labels: self.intern_labels(&node.labels),
            ..NodeFilter::default()
        };
        self.bind_properties(
            node.properties.as_ref(),
            usage,
            &mut filter.properties,
            &mut filter.property_map,
        )?;
        // `(n {})` names properties too, even none.
        let has_details = !filter.is_empty() || node.properties.is_some();
        if usage == PatternUse::Match {
            filter.valid_at = self.valid_at.clone();
        }
        Ok(NodeSlot {
            slot,
            bound_before,
            filter,
            has_details,
        })
    }

    fn declare_rel(
        &mut self,
        rel: &ast::RelPattern,
        usage: PatternUse,
        clause_start: Slot,
    ) -> Result<RelSlot> {
        let matching = usage == PatternUse::Match;
        let var_length = rel.length.map(|r| (r.min.unwrap_or(1), r.max));
        let kind = if var_length.is_some() {
            VarKind::RelationshipList
        } else {
            VarKind::Relationship
        };
        // `MATCH (a)-[rs*]->(b)` with `rs` a list bound before (deprecated
        // openCypher): the pattern binds a fresh list that must equal it.
        let reused_list = match (&rel.variable, var_length, &self.reused_rel_lists) {
            (Some(v), Some(_), Some(_)) => self.scope.get(&v.name).filter(|var| {
                var.slot < clause_start
                    && !matches!(
                        var.kind,
                        VarKind::Node | VarKind::Relationship | VarKind::Path
                    )
            }),
            _ => None,
        };
        if let Some(given) = reused_list.map(|var| var.slot) {
            let name = self.anonymous_name();
            let found = self.scope.declare(&name, kind);
            if let Some(reused) = self.reused_rel_lists.as_mut() {
                reused.push((found, given));
            }
            return self.rel_slot(rel, usage, found, false, var_length);
        }
        let (slot, bound_before) = match &rel.variable {
            Some(v) => match self.scope.get(&v.name) {
                Some(var) if var.slot >= clause_start && var.kind == VarKind::Relationship => {
                    return Err(Error::syntax(
                        "RelationshipUniquenessViolation",
                        format!(
                            "relationship variable `{}` is used twice in one pattern",
                            v.name
                        ),
                    )
                    .at(v.span));
                }
                Some(var) if var.kind == kind || (var.kind == VarKind::Value && matching) => {
                    (var.slot, true)
                }
                Some(_) => {
                    return Err(Error::syntax(
                        "VariableTypeConflict",
                        format!("variable `{}` is already defined as something else", v.name),
                    )
                    .at(v.span));
                }
                None => (self.scope.declare(&v.name, kind), false),
            },
            None => {
                let name = self.anonymous_name();
                (self.scope.declare(&name, kind), false)
            }
        };
        if bound_before && var_length.is_some() {
            return Err(Error::unsupported(
                "a variable-length relationship variable cannot be reused",
            )
            .at(rel.span));
        }
        self.rel_slot(rel, usage, slot, bound_before, var_length)
    }

    /// The filter and slot of a relationship pattern whose variable is in
    /// `slot`.
    fn rel_slot(
        &mut self,
        rel: &ast::RelPattern,
        usage: PatternUse,
        slot: Slot,
        bound_before: bool,
        var_length: Option<(u64, Option<u64>)>,
    ) -> Result<RelSlot> {
        let matching = usage == PatternUse::Match;
        let mut filter = RelFilter::default();
        for t in &rel.types {
            match self.graph.type_id(&t.name) {
                Some(id) => filter.types.push(id),
                None if matching => {}
                None => filter.types.push(self.graph.intern_type(&t.name)),
            }
        }
        filter.types.sort();
        filter.types.dedup();
        filter.unknown_types_only = !rel.types.is_empty() && filter.types.is_empty();
        if let Some(e) = &rel.type_expr {
            if !matching {
                return Err(Error::syntax(
                    "InvalidLabelExpression",
                    "CREATE and MERGE need exactly one relationship type",
                )
                .at(rel.span));
            }
            filter.types = self.types_matching(e);
            filter.unknown_types_only = filter.types.is_empty();
        }
        if matching {
            filter.valid_at = self.valid_at.clone();
        }
        self.bind_properties(
            rel.properties.as_ref(),
            usage,
            &mut filter.properties,
            &mut filter.property_map,
        )?;
        Ok(RelSlot {
            slot,
            bound_before,
            direction: rel.direction,
            filter,
            type_names: rel.types.iter().map(|t| t.name.clone()).collect(),
            var_length,
            span: rel.span,
        })
    }

    fn bind_properties(
        &mut self,
        properties: Option<&ast::Expr>,
        usage: PatternUse,
        pairs: &mut Vec<(crate::graph::KeyId, Expr)>,
        map: &mut Option<Expr>,
    ) -> Result<()> {
        match properties {
            None => {}
            Some(ast::Expr {
                kind: ast::ExprKind::Map(entries),
                ..
            }) => {
                for (key, value) in entries {
                    let key = self.graph.intern_key(&key.name);
                    let value = self.bind_expr(value)?;
                    pairs.push((key, value));
                }
            }
            Some(other) if usage != PatternUse::Create => {
                return Err(Error::syntax(
                    "InvalidParameterUse",
                    "a pattern in MATCH or MERGE needs a map literal of properties, not a parameter",
                )
                .at(other.span));
            }
            Some(other) => *map = Some(self.bind_expr(other)?),
        }
        Ok(())
    }

    /// Turns resolved parts into matching steps.
    fn plan_parts(
        &mut self,
        parts: &[PartSlots],
        hints: &[(Slot, crate::graph::KeyId)],
        steps: &mut Vec<Step>,
    ) -> Result<()> {
        let mut bound: HashSet<Slot> = HashSet::new();
        for part in parts {
            for node in &part.nodes {
                if node.bound_before {
                    bound.insert(node.slot);
                }
            }
            for rel in &part.rels {
                if rel.bound_before {
                    bound.insert(rel.slot);
                }
            }
        }
        let mut clause_rels: Vec<Slot> = Vec::new();
        for part in parts {
            if part.selector != PathSelector::All {
                self.plan_shortest(part, &mut bound, steps);
                continue;
            }
            let anchor = self.choose_anchor(part, &bound, hints);
            let start = &part.nodes[anchor];
            steps.push(self.node_step(start, &bound));
            bound.insert(start.slot);
            // Grow the matched stretch [left, right] one hop at a time, taking
            // whichever end's next hop is cheaper (closing a cycle first).
            let (mut left, mut right) = (anchor, anchor);
            while left > 0 || right < part.rels.len() {
                if self.closes_cycle(part, left, right, &bound) {
                    // Both ends reach the same unbound node: intersect.
                    let first = self.hop(part, left - 1, false, &bound, &clause_rels);
                    clause_rels.push(first.rel);
                    let second = self.hop(part, right, true, &bound, &clause_rels);
                    clause_rels.push(second.rel);
                    bound.extend([first.to, first.rel, second.rel]);
                    steps.push(Step::Intersect(vec![first, second]));
                    left -= 1;
                    right += 1;
                    continue;
                }
                let rightwards = if left == 0 {
                    true
                } else if right == part.rels.len() {
                    false
                } else if let Some(rightwards) = self.defer_cycle(part, left, right, &bound) {
                    rightwards
                } else {
                    self.hop_cost(part, right, true, &bound)
                        <= self.hop_cost(part, left - 1, false, &bound)
                };
                let j = if rightwards { right } else { left - 1 };
                let hop = self.hop(part, j, rightwards, &bound, &clause_rels);
                clause_rels.push(hop.rel);
                bound.insert(hop.to);
                bound.insert(hop.rel);
                steps.push(Step::Expand(hop));
                if rightwards {
                    right += 1;
                } else {
                    left -= 1;
                }
            }
            if let Some(path) = part.path {
                steps.push(Step::BuildPaths(vec![path_spec(path, part)]));
            }
        }
        Ok(())
    }

    fn plan_shortest(
        &mut self,
        part: &PartSlots,
        bound: &mut HashSet<Slot>,
        steps: &mut Vec<Step>,
    ) {
        for node in &part.nodes {
            steps.push(self.node_step(node, bound));
            bound.insert(node.slot);
        }
        let rel = &part.rels[0];
        let (min, max) = rel.var_length.unwrap_or((1, Some(1)));
        steps.push(Step::ShortestPath {
            from: part.nodes[0].slot,
            to: part.nodes[1].slot,
            path: part.path.unwrap_or(rel.slot),
            rels: rel.slot,
            direction: rel.direction,
            rel_filter: rel.filter.clone(),
            min,
            max,
            all: part.selector == PathSelector::AllShortest,
            path_filter: super::PathFilter::default(),
        });
        bound.insert(rel.slot);
    }

    fn node_step(&self, node: &NodeSlot, bound: &HashSet<Slot>) -> Step {
        if bound.contains(&node.slot) {
            return Step::CheckNode {
                slot: node.slot,
                filter: node.filter.clone(),
            };
        }
        let mut filter = node.filter.clone();
        let source = if self.options.optimize && !filter.labels.is_empty() {
            // Scan the rarest label; the others become filters.
            let best = (0..filter.labels.len())
                .min_by_key(|i| self.graph.label_count(filter.labels[*i]))
                .unwrap_or(0);
            NodeSource::Label(filter.labels[best])
        } else if let Some(first) = filter.labels.first() {
            NodeSource::Label(*first)
        } else {
            NodeSource::All
        };
        if let NodeSource::Label(l) = source {
            filter.labels.retain(|x| *x != l);
        }
        Step::NodeScan {
            slot: node.slot,
            source,
            filter,
        }
    }

    /// Picks the node a part is matched from: a bound node, else one with
    /// an equality on an indexed label, else the rarest label.
    fn choose_anchor(
        &self,
        part: &PartSlots,
        bound: &HashSet<Slot>,
        hints: &[(Slot, crate::graph::KeyId)],
    ) -> usize {
        if !self.options.optimize {
            return 0;
        }
        let cost = |node: &NodeSlot| -> (u8, usize) {
            if bound.contains(&node.slot) {
                return (0, 0);
            }
            let Some(count) = node
                .filter
                .labels
                .iter()
                .map(|l| self.graph.label_count(*l))
                .min()
            else {
                return (3, self.graph.node_count());
            };
            let pinned = node.filter.properties.iter().any(|(_, v)| v.is_constant())
                || hints.iter().any(|(slot, _)| *slot == node.slot);
            if pinned { (1, count) } else { (2, count) }
        };
        (0..part.nodes.len())
            .min_by_key(|i| cost(&part.nodes[*i]))
            .unwrap_or(0)
    }

    /// The estimated rows per input row of hop `j`: 0 when it reaches a
    /// bound node (a check), else the average number of relationships of
    /// its types per node of its start's rarest label, when optimizing.
    fn hop_cost(&self, part: &PartSlots, j: usize, rightwards: bool, bound: &HashSet<Slot>) -> f64 {
        if !self.options.optimize {
            return if rightwards { 0.0 } else { 1.0 };
        }
        let rel = &part.rels[j];
        let (from, to) = if rightwards {
            (&part.nodes[j], &part.nodes[j + 1])
        } else {
            (&part.nodes[j + 1], &part.nodes[j])
        };
        if bound.contains(&to.slot) && rel.var_length.is_none() {
            return 0.0;
        }
        let rels = if rel.filter.types.is_empty() {
            self.graph.relationship_count() as f64 * 2.0
        } else {
            rel.filter
                .types
                .iter()
                .map(|t| self.graph.type_count(*t) as f64)
                .sum()
        };
        let starts = from
            .filter
            .labels
            .iter()
            .map(|l| self.graph.label_count(*l))
            .min()
            .unwrap_or_else(|| self.graph.node_count())
            .max(1) as f64;
        let per_hop = rels / starts;
        match rel.var_length {
            Some((_, max)) => per_hop.max(1.0).powi(max.unwrap_or(4).min(4) as i32),
            None => per_hop,
        }
    }

    /// Whether the next hops at both ends of the matched stretch
    /// `[left, right]` reach the same unbound node and can be answered by
    /// intersecting typed adjacency lists (optimizing only).
    fn closes_cycle(
        &self,
        part: &PartSlots,
        left: usize,
        right: usize,
        bound: &HashSet<Slot>,
    ) -> bool {
        self.options.optimize
            && left > 0
            && right < part.rels.len()
            && part.nodes[left - 1].slot == part.nodes[right + 1].slot
            && !bound.contains(&part.nodes[left - 1].slot)
            && intersectable(&part.rels[left - 1], bound)
            && intersectable(&part.rels[right], bound)
    }

    /// When the next hop at one end reaches a node that the other end will
    /// also reach later (a cycle), and binding it now would multiply the
    /// rows, grow the other end first so that the cycle closes with an
    /// intersection. `Some(rightwards)` decides; `None` leaves it to cost.
    fn defer_cycle(
        &self,
        part: &PartSlots,
        left: usize,
        right: usize,
        bound: &HashSet<Slot>,
    ) -> Option<bool> {
        if !self.options.optimize {
            return None;
        }
        let n = part.rels.len();
        let left_slot = part.nodes[left - 1].slot;
        let right_slot = part.nodes[right + 1].slot;
        let left_closes_later = !bound.contains(&left_slot)
            && part.nodes[right + 2..=n]
                .iter()
                .any(|x| x.slot == left_slot)
            && intersectable(&part.rels[left - 1], bound);
        let right_closes_later = !bound.contains(&right_slot)
            && part.nodes[..left - 1].iter().any(|x| x.slot == right_slot)
            && intersectable(&part.rels[right], bound);
        match (left_closes_later, right_closes_later) {
            (true, false) if self.hop_cost(part, left - 1, false, bound) >= 1.0 => Some(true),
            (false, true) if self.hop_cost(part, right, true, bound) >= 1.0 => Some(false),
            _ => None,
        }
    }

    fn hop(
        &self,
        part: &PartSlots,
        j: usize,
        rightwards: bool,
        bound: &HashSet<Slot>,
        clause_rels: &[Slot],
    ) -> Hop {
        let rel = &part.rels[j];
        let (from, to) = if rightwards {
            (&part.nodes[j], &part.nodes[j + 1])
        } else {
            (&part.nodes[j + 1], &part.nodes[j])
        };
        let direction = match (rel.direction, rightwards) {
            (Direction::Either, _) => Direction::Either,
            (d, true) => d,
            (Direction::Outgoing, false) => Direction::Incoming,
            (Direction::Incoming, false) => Direction::Outgoing,
        };
        Hop {
            from: from.slot,
            rel: rel.slot,
            to: to.slot,
            into: bound.contains(&to.slot),
            rel_bound: bound.contains(&rel.slot),
            direction,
            rel_filter: rel.filter.clone(),
            node_filter: to.filter.clone(),
            distinct_from: clause_rels.to_vec(),
            var_length: rel.var_length,
            leftward: !rightwards,
        }
    }
}

/// Whether a pattern relationship can be one side of an intersection: one
/// type, one direction, fixed length, not bound yet.
fn intersectable(rel: &RelSlot, bound: &HashSet<Slot>) -> bool {
    rel.var_length.is_none()
        && !bound.contains(&rel.slot)
        && rel.filter.types.len() == 1
        && !rel.filter.unknown_types_only
        && rel.direction != Direction::Either
}

fn path_spec(slot: Slot, part: &PartSlots) -> PathSpec {
    PathSpec {
        slot,
        start: part.nodes[0].slot,
        hops: part
            .rels
            .iter()
            .zip(&part.nodes[1..])
            .map(|(r, n)| (r.slot, r.var_length.is_some(), n.slot))
            .collect(),
    }
}

/// `(slot, key)` pairs that a predicate pins with `slot.key = …`.
fn equality_hints(predicate: &Expr) -> Vec<(Slot, crate::graph::KeyId)> {
    predicate
        .clone()
        .conjuncts()
        .into_iter()
        .filter_map(|term| match term {
            Expr::Compare(CmpOp::Eq, a, b) => match (*a, *b) {
                (Expr::Property(target, key, _), other)
                | (other, Expr::Property(target, key, _)) => match *target {
                    Expr::Slot(s) if other.is_constant() => Some((s, key)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .collect()
}
