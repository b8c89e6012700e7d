//! One breadth-first search per source node, shared by the rows that ask
//! for shortest paths from that source to different targets (e.g. `MATCH
//! (a:Official), (b:Company) MATCH p = allShortestPaths((a)-[*]-(b))`).
//!
//! The search grows one whole level at a time, only as far as the current
//! target needs; a later row with the same source (and the same values in
//! every slot the path conditions read) resumes it instead of starting
//! again. Because whole levels are expanded, every node reached has all its
//! predecessors of the previous level recorded, which is what listing all
//! shortest paths needs; the levels, the predecessors and their order are
//! those a search for the one pair would find.

use std::collections::HashMap;

use super::paths::ShortestSpec;
use super::read::{graph_direction, node_valid, rel_properties_match};
use super::shortest::Conditions;
use super::{Ctx, Row};
use crate::error::{Error, Result};
use crate::graph::{EdgeId, NodeId};
use crate::plan::{Expr, Slot};
use crate::value::{Path, Value};

/// The search state of a shortest-path step, kept from row to row.
#[derive(Default)]
pub struct Reach {
    /// The slots the conditions read (computed once); `None` when one reads
    /// any slot (a subquery), so the whole row is the key.
    key_slots: Option<Option<Vec<Slot>>>,
    /// Source node and the values of `key_slots` the search was made for.
    key: Vec<Value>,
    /// How many rows before the current one had the same key.
    served: u64,
    start: Option<NodeId>,
    level: HashMap<NodeId, u64>,
    parents: HashMap<NodeId, Vec<(EdgeId, NodeId)>>,
    /// The nodes of the deepest level reached, in the order found.
    frontier: Vec<NodeId>,
    depth: u64,
}

impl Reach {
    /// Makes the search serve `row` (from `start`): keeps what was found
    /// when the previous row had the same key, starts afresh otherwise.
    /// Returns how many earlier rows the kept search served.
    pub fn enter(&mut self, row: &Row, spec: &ShortestSpec<'_>, start: NodeId) -> u64 {
        let slots = self
            .key_slots
            .get_or_insert_with(|| condition_slots(spec))
            .as_ref();
        let key: Vec<Value> = match slots {
            Some(slots) => std::iter::once(Value::Node(start))
                .chain(
                    slots
                        .iter()
                        .map(|s| row.get(*s).cloned().unwrap_or_default()),
                )
                .collect(),
            None => std::iter::once(Value::Node(start))
                .chain(row.iter().cloned())
                .collect(),
        };
        if self.start == Some(start) && key == self.key {
            self.served += 1;
            return self.served;
        }
        self.key = key;
        self.served = 0;
        self.start = Some(start);
        self.level = HashMap::from([(start, 0)]);
        self.parents.clear();
        self.frontier = vec![start];
        self.depth = 0;
        0
    }

    /// The shortest paths from the entered source to `end` (every one with
    /// `spec.all`, else the first), growing the search as far as needed.
    pub fn paths_to(
        &mut self,
        row: &Row,
        spec: &ShortestSpec<'_>,
        conditions: &Conditions<'_>,
        ctx: &Ctx<'_>,
        end: NodeId,
    ) -> Result<Vec<Path>> {
        let start = self
            .start
            .ok_or_else(|| super::internal("shortest-path search not entered"))?;
        while !self.level.contains_key(&end)
            && !self.frontier.is_empty()
            && spec.max.is_none_or(|m| self.depth < m)
        {
            self.grow(row, spec, conditions, ctx)?;
        }
        let Some(length) = self.level.get(&end).copied() else {
            return Ok(Vec::new());
        };
        if length < spec.min {
            return Err(Error::unsupported(
                "shortestPath with a least length above the shortest distance",
            ));
        }
        self.list(start, end, spec.all, ctx)
    }

    /// Expands every node of the frontier by one relationship.
    fn grow(
        &mut self,
        row: &Row,
        spec: &ShortestSpec<'_>,
        conditions: &Conditions<'_>,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        let frontier = std::mem::take(&mut self.frontier);
        let depth = self.depth;
        let mut next = Vec::new();
        for node in frontier {
            let mut edges = 0;
            for (edge, other) in ctx.graph.neighbours(
                node,
                graph_direction(spec.direction),
                &spec.rel_filter.types,
            ) {
                edges += 1;
                if !rel_properties_match(edge, spec.rel_filter, row, ctx)?
                    || !node_valid(other, spec.rel_filter.valid_at.as_ref(), row, ctx)?
                    || !conditions.rel_ok(edge, ctx)?
                    || !conditions.node_ok(other, ctx)?
                {
                    continue;
                }
                match self.level.get(&other) {
                    None => {
                        self.level.insert(other, depth + 1);
                        self.parents.insert(other, vec![(edge, node)]);
                        next.push(other);
                    }
                    Some(l) if *l == depth + 1 => {
                        self.parents.entry(other).or_default().push((edge, node));
                    }
                    Some(_) => {}
                }
            }
            ctx.expand(edges)?;
        }
        self.frontier = next;
        self.depth += 1;
        Ok(())
    }

    /// Lists the paths from `start` to `end` along recorded predecessors.
    fn list(&self, start: NodeId, end: NodeId, all: bool, ctx: &Ctx<'_>) -> Result<Vec<Path>> {
        let mut out = Vec::new();
        let mut partial = vec![(end, Vec::<(EdgeId, NodeId)>::new())];
        while let Some((node, suffix)) = partial.pop() {
            if node == start {
                let mut nodes = vec![start];
                let mut relationships = Vec::new();
                for (edge, next) in suffix.iter().rev() {
                    relationships.push(*edge);
                    nodes.push(*next);
                }
                out.push(Path {
                    nodes,
                    relationships,
                });
                if !all {
                    break;
                }
                continue;
            }
            for (edge, prev) in self.parents.get(&node).into_iter().flatten() {
                let mut longer = suffix.clone();
                longer.push((*edge, node));
                partial.push((*prev, longer));
            }
            ctx.check()?;
        }
        Ok(out)
    }
}

/// The slots read by the conditions a search applies to each relationship
/// and node (the element slots themselves included, harmlessly), sorted;
/// `None` when one of them may read any slot.
fn condition_slots(spec: &ShortestSpec<'_>) -> Option<Vec<Slot>> {
    let filter = spec.rel_filter;
    let exprs: Vec<&Expr> = filter
        .properties
        .iter()
        .map(|(_, e)| e)
        .chain(filter.property_map.iter())
        .chain(filter.valid_at.iter())
        .chain(spec.path_filter.rels.iter().map(|c| &c.predicate))
        .chain(spec.path_filter.nodes.iter().map(|c| &c.predicate))
        .collect();
    let mut slots: Vec<Slot> = exprs.iter().flat_map(|e| e.slots()).collect();
    if slots.contains(&usize::MAX) {
        return None;
    }
    slots.sort_unstable();
    slots.dedup();
    Some(slots)
}
