//! The WHERE conditions of a shortest path, applied during the search (see
//! `plan::shortest`): element conditions filter each relationship and node
//! the breadth-first searches cross; a condition on the whole path makes
//! the search list candidate paths level by level, shortest first, until
//! one meets it.

use std::cell::RefCell;
use std::sync::Arc;

use super::paths::ShortestSpec;
use super::read::{graph_direction, node_valid, rel_properties_match};
use super::{Ctx, Row, eval};
use crate::error::Result;
use crate::graph::{EdgeId, NodeId};
use crate::plan::ElementCondition;
use crate::value::{Path, Value};

/// Checks the conditions of one search, over a scratch copy of its row.
pub struct Conditions<'s> {
    spec: &'s ShortestSpec<'s>,
    scratch: RefCell<Row>,
}

impl<'s> Conditions<'s> {
    /// The conditions of `spec`, evaluated against `row`.
    pub fn new(spec: &'s ShortestSpec<'s>, row: &Row) -> Self {
        Conditions {
            spec,
            scratch: RefCell::new(row.clone()),
        }
    }

    /// Whether relationship `edge` may be on the path.
    pub fn rel_ok(&self, edge: EdgeId, ctx: &Ctx<'_>) -> Result<bool> {
        self.elements_ok(&self.spec.path_filter.rels, Value::Relationship(edge), ctx)
    }

    /// Whether node `node` may be on the path.
    pub fn node_ok(&self, node: NodeId, ctx: &Ctx<'_>) -> Result<bool> {
        self.elements_ok(&self.spec.path_filter.nodes, Value::Node(node), ctx)
    }

    fn elements_ok(
        &self,
        conditions: &[ElementCondition],
        element: Value,
        ctx: &Ctx<'_>,
    ) -> Result<bool> {
        let mut row = self.scratch.borrow_mut();
        for c in conditions {
            put(&mut row, c.slot, element.clone());
            if eval(&c.predicate, &row, ctx)? != Value::Bool(c.want) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the whole path meets the path conditions.
    pub fn path_ok(&self, path: &Path, ctx: &Ctx<'_>) -> Result<bool> {
        let Some(whole) = &self.spec.path_filter.whole else {
            return Ok(true);
        };
        let mut row = self.scratch.borrow_mut();
        put(
            &mut row,
            self.spec.rels,
            Value::List(
                path.relationships
                    .iter()
                    .map(|e| Value::Relationship(*e))
                    .collect(),
            ),
        );
        put(
            &mut row,
            self.spec.path,
            Value::Path(Arc::new(path.clone())),
        );
        Ok(eval(whole, &row, ctx)? == Value::Bool(true))
    }

    /// Whether there is a condition on the whole path.
    pub fn has_whole(&self) -> bool {
        self.spec.path_filter.whole.is_some()
    }
}

fn put(row: &mut Row, slot: usize, value: Value) {
    if row.len() <= slot {
        row.resize(slot + 1, Value::Null);
    }
    row[slot] = value;
}

/// The shortest paths from `start` to `end` that meet every condition, by
/// listing the trails (no relationship twice) from `start` one length at a
/// time: the first length with a path that meets them gives the answer
/// (one path, or with `spec.all` every such path of that length). Bounded
/// by the expansion limit of `ctx`.
pub fn search_whole(
    row: &Row,
    spec: &ShortestSpec<'_>,
    conditions: &Conditions<'_>,
    ctx: &Ctx<'_>,
    start: NodeId,
    end: NodeId,
) -> Result<Vec<Path>> {
    let direction = graph_direction(spec.direction);
    let mut level = vec![Path {
        nodes: vec![start],
        relationships: Vec::new(),
    }];
    let mut length = 0u64;
    loop {
        if length >= spec.min {
            let mut found = Vec::new();
            for path in &level {
                if path.nodes.last() == Some(&end) && conditions.path_ok(path, ctx)? {
                    found.push(path.clone());
                    if !spec.all {
                        return Ok(found);
                    }
                }
            }
            if !found.is_empty() {
                return Ok(found);
            }
        }
        if level.is_empty() || spec.max.is_some_and(|m| length >= m) {
            return Ok(Vec::new());
        }
        let mut next = Vec::new();
        for path in &level {
            let node = *path.nodes.last().unwrap_or(&start);
            let mut edges = 0;
            for (edge, other) in ctx
                .graph
                .neighbours(node, direction, &spec.rel_filter.types)
            {
                edges += 1;
                if path.relationships.contains(&edge)
                    || !rel_properties_match(edge, spec.rel_filter, row, ctx)?
                    || !node_valid(other, spec.rel_filter.valid_at.as_ref(), row, ctx)?
                    || !conditions.rel_ok(edge, ctx)?
                    || !conditions.node_ok(other, ctx)?
                {
                    continue;
                }
                let mut longer = path.clone();
                longer.relationships.push(edge);
                longer.nodes.push(other);
                next.push(longer);
            }
            ctx.expand(edges)?;
        }
        level = next;
        length += 1;
    }
}
