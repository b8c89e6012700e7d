//! Paths: variable-length expansion (trail semantics: no relationship twice
//! in one path), shortest paths by breadth-first search, and assembling
//! path values from bound slots.

use std::collections::HashMap;
use std::iter;
use std::sync::Arc;

pub use super::reach::Reach;
use super::read::{
    graph_direction, node_matches, node_valid, rel_properties_match, reverse, used_in,
};
use super::shortest::{Conditions, search_whole};
use super::{Ctx, Row, Rows, internal};
use crate::error::{Error, Result};
use crate::graph::{Direction as GraphDirection, EdgeId, NodeId};
use crate::plan::{Hop, PathFilter, PathSpec, RelFilter, Slot};
use crate::syntax::ast::Direction;
use crate::value::{Path, Value};

/// The rows of a variable-length hop from one input row, found depth-first
/// and lazily.
pub fn var_length<'a>(row: Row, hop: &'a Hop, ctx: &'a Ctx<'a>) -> Rows<'a> {
    let Some(Value::Node(start)) = row.get(hop.from).cloned() else {
        return Box::new(iter::empty());
    };
    let (min, max) = hop.var_length.unwrap_or((1, Some(1)));
    let target = match (hop.into, row.get(hop.to)) {
        (true, Some(Value::Node(id))) => Some(*id),
        (true, _) => return Box::new(iter::empty()),
        (false, _) => None,
    };
    Box::new(Trails {
        row,
        hop,
        ctx,
        min,
        max,
        target,
        stack: vec![Frame {
            node: start,
            edges: None,
            next: 0,
        }],
        path: Vec::new(),
    })
}

struct Frame {
    node: NodeId,
    /// The node's matching relationships, listed when first visited.
    edges: Option<Vec<(EdgeId, NodeId)>>,
    next: usize,
}

struct Trails<'a> {
    row: Row,
    hop: &'a Hop,
    ctx: &'a Ctx<'a>,
    min: u64,
    max: Option<u64>,
    target: Option<NodeId>,
    stack: Vec<Frame>,
    path: Vec<EdgeId>,
}

impl Trails<'_> {
    fn edges_of(&self, node: NodeId) -> Result<Vec<(EdgeId, NodeId)>> {
        let mut out = Vec::new();
        let filter = &self.hop.rel_filter;
        if filter.unknown_types_only {
            return Ok(out);
        }
        for (edge, other) in
            self.ctx
                .graph
                .neighbours(node, graph_direction(self.hop.direction), &filter.types)
        {
            if rel_properties_match(edge, filter, &self.row, self.ctx)?
                && node_valid(other, filter.valid_at.as_ref(), &self.row, self.ctx)?
            {
                out.push((edge, other));
            }
        }
        self.ctx.expand(out.len() as u64)?;
        Ok(out)
    }

    fn emit(&self, node: NodeId) -> Result<Option<Row>> {
        if self.target.is_some_and(|t| t != node) {
            return Ok(None);
        }
        if !node_matches(node, &self.hop.node_filter, &self.row, self.ctx)? {
            return Ok(None);
        }
        let mut out = self.row.clone();
        let mut rels: Vec<Value> = self.path.iter().map(|e| Value::Relationship(*e)).collect();
        if self.hop.leftward {
            rels.reverse();
        }
        out[self.hop.rel] = Value::List(rels.into());
        out[self.hop.to] = Value::Node(node);
        Ok(Some(out))
    }

    fn step(&mut self) -> Result<Option<Row>> {
        loop {
            let depth = self.path.len() as u64;
            let Some(frame) = self.stack.last_mut() else {
                return Ok(None);
            };
            if frame.edges.is_none() {
                let node = frame.node;
                // First visit of this frame: maybe emit, then list its edges.
                let can_go_deeper = self.max.is_none_or(|m| depth < m);
                let edges = if can_go_deeper {
                    self.edges_of(node)?
                } else {
                    Vec::new()
                };
                if let Some(f) = self.stack.last_mut() {
                    f.edges = Some(edges);
                }
                if depth >= self.min
                    && let Some(row) = self.emit(node)?
                {
                    return Ok(Some(row));
                }
                continue;
            }
            let next = frame.next;
            let candidate = frame.edges.as_ref().and_then(|e| e.get(next)).copied();
            frame.next += 1;
            match candidate {
                Some((edge, other)) => {
                    if self.path.contains(&edge)
                        || used_in(edge, &self.hop.distinct_from, &self.row)
                    {
                        continue;
                    }
                    self.path.push(edge);
                    self.stack.push(Frame {
                        node: other,
                        edges: None,
                        next: 0,
                    });
                }
                None => {
                    self.stack.pop();
                    self.path.pop();
                }
            }
        }
    }
}

impl Iterator for Trails<'_> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        match self.step() {
            Ok(Some(row)) => Some(Ok(row)),
            Ok(None) => None,
            Err(e) => {
                self.stack.clear();
                Some(Err(e))
            }
        }
    }
}

/// What a shortest-path step needs.
pub struct ShortestSpec<'a> {
    /// Start node slot.
    pub from: Slot,
    /// End node slot.
    pub to: Slot,
    /// Path slot.
    pub path: Slot,
    /// Relationship list slot.
    pub rels: Slot,
    /// Direction from start to end.
    pub direction: Direction,
    /// Relationship conditions.
    pub rel_filter: &'a RelFilter,
    /// Least length.
    pub min: u64,
    /// Greatest length.
    pub max: Option<u64>,
    /// Every shortest path rather than one.
    pub all: bool,
    /// The WHERE conditions on the path.
    pub path_filter: &'a PathFilter,
}

/// Shortest path(s) between the bound start and end nodes of `row`;
/// `reach` carries the search from one source over the rows that share it.
pub fn shortest<'a>(
    row: Row,
    spec: &ShortestSpec<'_>,
    reach: &mut Reach,
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    match shortest_paths(&row, spec, reach, ctx) {
        Ok(found) => {
            let (path_slot, rels_slot) = (spec.path, spec.rels);
            Box::new(found.into_iter().map(move |p| {
                let mut out = row.clone();
                out[rels_slot] = Value::List(
                    p.relationships
                        .iter()
                        .map(|e| Value::Relationship(*e))
                        .collect(),
                );
                out[path_slot] = Value::Path(Arc::new(p));
                Ok(out)
            }))
        }
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

fn shortest_paths(
    row: &Row,
    spec: &ShortestSpec<'_>,
    reach: &mut Reach,
    ctx: &Ctx<'_>,
) -> Result<Vec<Path>> {
    let (Some(Value::Node(start)), Some(Value::Node(end))) = (row.get(spec.from), row.get(spec.to))
    else {
        return Ok(Vec::new());
    };
    let (start, end) = (*start, *end);
    let conditions = Conditions::new(spec, row);
    if !conditions.node_ok(start, ctx)? || !conditions.node_ok(end, ctx)? {
        return Ok(Vec::new());
    }
    if start == end {
        let empty = Path {
            nodes: vec![start],
            relationships: Vec::new(),
        };
        return Ok(if spec.min == 0 && conditions.path_ok(&empty, ctx)? {
            vec![empty]
        } else {
            Vec::new()
        });
    }
    if spec.rel_filter.unknown_types_only {
        return Ok(Vec::new());
    }
    // The element conditions prune the breadth-first searches; a condition
    // on the whole path is checked on what they find, and when no path of
    // the shortest length meets it, longer candidates are listed.
    // allShortestPaths always searches from the source, resuming the search
    // of the previous row when it had the same source; shortestPath meets
    // in the middle for one pair and resumes from the second row on.
    let earlier_rows = reach.enter(row, spec, start);
    let found = if spec.all || earlier_rows > 0 {
        reach.paths_to(row, spec, &conditions, ctx, end)?
    } else {
        bidirectional(row, spec, &conditions, ctx, start, end)?
            .into_iter()
            .collect()
    };
    if !conditions.has_whole() {
        return Ok(found);
    }
    let mut kept = Vec::new();
    for path in found {
        if conditions.path_ok(&path, ctx)? {
            kept.push(path);
        }
    }
    if !kept.is_empty() {
        return Ok(kept);
    }
    search_whole(row, spec, &conditions, ctx, start, end)
}

/// One side of a bidirectional search: how each reached node was reached.
struct Side {
    parents: HashMap<NodeId, Option<(EdgeId, NodeId)>>,
    frontier: Vec<NodeId>,
    direction: GraphDirection,
}

impl Side {
    fn new(root: NodeId, direction: GraphDirection) -> Side {
        Side {
            parents: HashMap::from([(root, None)]),
            frontier: vec![root],
            direction,
        }
    }

    /// The chain of (relationship, node) from `node` back to the root.
    fn chain(&self, mut node: NodeId) -> Vec<(EdgeId, NodeId)> {
        let mut out = Vec::new();
        while let Some(Some((edge, prev))) = self.parents.get(&node) {
            out.push((*edge, *prev));
            node = *prev;
        }
        out
    }
}

/// One shortest path by breadth-first search from both ends at once,
/// always growing the smaller frontier by a whole level: the first meeting
/// gives a shortest path.
fn bidirectional(
    row: &Row,
    spec: &ShortestSpec<'_>,
    conditions: &Conditions<'_>,
    ctx: &Ctx<'_>,
    start: NodeId,
    end: NodeId,
) -> Result<Option<Path>> {
    let forward = graph_direction(spec.direction);
    let mut sides = [Side::new(start, forward), Side::new(end, reverse(forward))];
    let mut depth = 0u64;
    let meet = 'search: loop {
        if spec.max.is_some_and(|m| depth >= m) {
            return Ok(None);
        }
        let grow = usize::from(sides[1].frontier.len() < sides[0].frontier.len());
        if sides[grow].frontier.is_empty() {
            return Ok(None);
        }
        let frontier = std::mem::take(&mut sides[grow].frontier);
        let mut next = Vec::new();
        for node in frontier {
            let mut edges = 0;
            for (edge, other) in
                ctx.graph
                    .neighbours(node, sides[grow].direction, &spec.rel_filter.types)
            {
                edges += 1;
                if sides[grow].parents.contains_key(&other)
                    || !rel_properties_match(edge, spec.rel_filter, row, ctx)?
                    || !node_valid(other, spec.rel_filter.valid_at.as_ref(), row, ctx)?
                    || !conditions.rel_ok(edge, ctx)?
                    || !conditions.node_ok(other, ctx)?
                {
                    continue;
                }
                sides[grow].parents.insert(other, Some((edge, node)));
                if sides[1 - grow].parents.contains_key(&other) {
                    break 'search other;
                }
                next.push(other);
            }
            ctx.expand(edges)?;
        }
        sides[grow].frontier = next;
        depth += 1;
    };
    let head = sides[0].chain(meet);
    let tail = sides[1].chain(meet);
    let length = (head.len() + tail.len()) as u64;
    if length < spec.min {
        return Err(Error::unsupported(
            "shortestPath with a least length above the shortest distance",
        ));
    }
    let mut nodes = vec![start];
    let mut relationships = Vec::new();
    // head: from the meeting node back to the start.
    let mut walk: Vec<(EdgeId, NodeId)> = head.clone();
    walk.reverse();
    for (i, (edge, _)) in walk.iter().enumerate() {
        relationships.push(*edge);
        nodes.push(walk.get(i + 1).map_or(meet, |(_, n)| *n));
    }
    for (edge, next) in tail {
        relationships.push(edge);
        nodes.push(next);
    }
    Ok(Some(Path {
        nodes,
        relationships,
    }))
}

/// Builds the path value of `spec` from the row's bound slots.
pub fn assemble(spec: &PathSpec, row: &[Value], ctx: &Ctx<'_>) -> Result<Value> {
    let Some(Value::Node(start)) = row.get(spec.start) else {
        return Ok(Value::Null);
    };
    let mut nodes = vec![*start];
    let mut relationships = Vec::new();
    for (rel_slot, is_list, _) in &spec.hops {
        let rels: Vec<EdgeId> = match row.get(*rel_slot) {
            Some(Value::Relationship(r)) if !is_list => vec![*r],
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Relationship(r) => Some(*r),
                    _ => None,
                })
                .collect(),
            _ => return Ok(Value::Null),
        };
        for rel in rels {
            let current = *nodes.last().ok_or_else(|| internal("empty path"))?;
            let (a, b) = ctx
                .graph
                .endpoints(rel)
                .ok_or_else(|| internal("path over a deleted relationship"))?;
            nodes.push(if a == current { b } else { a });
            relationships.push(rel);
        }
    }
    Ok(Value::Path(Arc::new(Path {
        nodes,
        relationships,
    })))
}
