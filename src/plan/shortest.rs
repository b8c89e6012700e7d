//! WHERE conditions on a shortest path, applied during the search as Neo4j
//! does: `MATCH p = shortestPath((a)-[*]-(b)) WHERE none(r IN
//! relationships(p) WHERE type(r) = 'X')` finds the shortest path that
//! meets the condition, even when a shorter one does not.
//!
//! A condition that every relationship (or node) of the path must meet,
//! `all(x IN relationships(p) WHERE …)` or `none(x IN nodes(p) WHERE …)`,
//! becomes a filter on each element the search crosses; any other
//! condition on the path is checked on whole candidate paths, shortest
//! first.

use super::expr::{Expr, FunctionRef};
use super::{Slot, Step};
use crate::exec::functions;
use crate::syntax::ast::Quantifier;

/// The conditions on a shortest path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathFilter {
    /// Conditions each relationship of the path must meet.
    pub rels: Vec<ElementCondition>,
    /// Conditions each node of the path must meet.
    pub nodes: Vec<ElementCondition>,
    /// Other conditions, checked on a whole path (with the path and
    /// relationship-list slots bound).
    pub whole: Option<Expr>,
}

impl PathFilter {
    /// Whether there is no condition at all.
    pub fn is_empty(&self) -> bool {
        self.rels.is_empty() && self.nodes.is_empty() && self.whole.is_none()
    }
}

/// One element condition: with the element in `slot`, `predicate` must be
/// `want` (true for `all`, false for `none`).
#[derive(Debug, Clone, PartialEq)]
pub struct ElementCondition {
    /// Where the element goes.
    pub slot: Slot,
    /// The condition.
    pub predicate: Expr,
    /// The truth value the condition must have.
    pub want: bool,
}

/// Moves the conjuncts of `predicate` that read a shortest path of `steps`
/// (and nothing bound after it) into that step's filter; returns the rest.
pub fn attach_path_conditions(steps: &mut [Step], predicate: Option<Expr>) -> Option<Expr> {
    let mut terms = predicate.map(Expr::conjuncts).unwrap_or_default();
    for i in 0..steps.len() {
        let Step::ShortestPath { path, rels, .. } = &steps[i] else {
            continue;
        };
        let (path, rels) = (*path, *rels);
        let later: Vec<Slot> = steps[i + 1..].iter().flat_map(binds).collect();
        let (mine, rest): (Vec<Expr>, Vec<Expr>) = terms.into_iter().partition(|t| {
            let slots = t.slots();
            slots.iter().any(|s| *s == path || *s == rels)
                && !slots.iter().any(|s| *s == usize::MAX || later.contains(s))
        });
        terms = rest;
        if let Step::ShortestPath { path_filter, .. } = &mut steps[i] {
            for term in mine {
                add_condition(path_filter, term, path, rels);
            }
        }
    }
    (!terms.is_empty()).then(|| Expr::conjunction(terms))
}

/// The slots a matching step binds.
fn binds(step: &Step) -> Vec<Slot> {
    match step {
        Step::NodeScan { slot, .. } => vec![*slot],
        Step::Expand(hop) => vec![hop.rel, hop.to],
        Step::ShortestPath { path, rels, .. } => vec![*path, *rels],
        Step::BuildPaths(specs) => specs.iter().map(|p| p.slot).collect(),
        _ => Vec::new(),
    }
}

/// Files `term` as an element condition when it is one, else as a whole-path one.
fn add_condition(filter: &mut PathFilter, term: Expr, path: Slot, rels: Slot) {
    if let Expr::Quantified {
        quantifier: quantifier @ (Quantifier::All | Quantifier::None),
        slot,
        list,
        predicate,
    } = &term
        && !predicate.slots().iter().any(|s| *s == path || *s == rels)
    {
        let condition = ElementCondition {
            slot: *slot,
            predicate: (**predicate).clone(),
            want: *quantifier == Quantifier::All,
        };
        match elements_of(list, path, rels) {
            Some(Elements::Relationships) => return filter.rels.push(condition),
            Some(Elements::Nodes) => return filter.nodes.push(condition),
            None => {}
        }
    }
    filter.whole = Some(match filter.whole.take() {
        Some(w) => Expr::And(w.boxed(), term.boxed()),
        None => term,
    });
}

enum Elements {
    Relationships,
    Nodes,
}

/// Which elements of the path `list` lists: `relationships(p)`, the
/// relationship variable of `[r*]`, or `nodes(p)`.
fn elements_of(list: &Expr, path: Slot, rels: Slot) -> Option<Elements> {
    match list {
        Expr::Slot(s) if *s == rels && rels != path => Some(Elements::Relationships),
        Expr::Call(f, args) if matches!(args.as_slice(), [Expr::Slot(s)] if *s == path) => {
            if is_function(f, "relationships") {
                Some(Elements::Relationships)
            } else if is_function(f, "nodes") {
                Some(Elements::Nodes)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn is_function(f: &FunctionRef, name: &str) -> bool {
    functions::lookup(name).is_some_and(|g| std::ptr::eq(f.0, g))
}
