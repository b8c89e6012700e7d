//! The intersect operator: binds a node reached from several bound nodes at
//! once (the node that closes a cyclic pattern) by intersecting their typed
//! adjacency lists, which are sorted by (other end, relationship id). It
//! walks the shortest list and binary-searches the others, so the rows it
//! makes are exactly the matches: nothing is expanded and then filtered.

use std::iter;

use super::read::{node_matches, rel_properties_match, used_in};
use super::{Ctx, Row, Rows, internal};
use crate::error::Result;
use crate::graph::{Adj, NodeId};
use crate::plan::Hop;
use crate::syntax::ast::Direction;
use crate::value::Value;

/// The intersect operator over a stream of rows. It remembers the last
/// adjacency slice of each hop, since consecutive rows often start from
/// the same node.
pub struct Intersect<'a> {
    hops: &'a [Hop],
    ctx: &'a Ctx<'a>,
    cache: Vec<Option<(NodeId, &'a [Adj])>>,
}

impl<'a> Intersect<'a> {
    /// The operator for `hops` (all reaching the same slot).
    pub fn new(hops: &'a [Hop], ctx: &'a Ctx<'a>) -> Self {
        Intersect {
            hops,
            ctx,
            cache: vec![None; hops.len()],
        }
    }

    /// The rows `row` extends to: one per common neighbour of the hops'
    /// start nodes and per combination of the relationships that reach it.
    pub fn rows(&mut self, row: Row) -> Rows<'a> {
        match self.matches(row) {
            Ok(out) => Box::new(out.into_iter().map(Ok)),
            Err(e) => Box::new(iter::once(Err(e))),
        }
    }

    /// The typed adjacency slice hop `i` walks from its start node in
    /// `row`, or `None` when the start is not a node.
    fn slice(&mut self, i: usize, row: &[Value]) -> Result<Option<&'a [Adj]>> {
        let hop = &self.hops[i];
        let Some(Value::Node(from)) = row.get(hop.from) else {
            return Ok(None);
        };
        if let Some((node, list)) = self.cache[i]
            && node == *from
        {
            return Ok(Some(list));
        }
        let outgoing = match hop.direction {
            Direction::Outgoing => true,
            Direction::Incoming => false,
            Direction::Either => return Err(internal("an intersect hop without a direction")),
        };
        let [rel_type] = hop.rel_filter.types.as_slice() else {
            return Err(internal("an intersect hop without exactly one type"));
        };
        let list = self.ctx.graph.typed_adjacency(*from, outgoing, *rel_type);
        self.cache[i] = Some((*from, list));
        Ok(Some(list))
    }

    fn matches(&mut self, row: Row) -> Result<Vec<Row>> {
        let mut row = row;
        let mut out = Vec::new();
        self.visit(&mut row, &mut |found: &Row| {
            out.push(found.clone());
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `found` with `row` extended by each match in turn (the
    /// matches [`Intersect::rows`] gives, in its order); `row` is given
    /// back as it was. The fused expand-aggregate (`exec::fused`) walks
    /// matches this way without copying rows.
    pub fn visit(
        &mut self,
        row: &mut Row,
        found: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let (hops, ctx) = (self.hops, self.ctx);
        let Some(first) = hops.first() else {
            return Err(internal("an intersect without hops"));
        };
        let mut lists = Vec::with_capacity(hops.len());
        for (i, hop) in hops.iter().enumerate() {
            if hop.rel_filter.unknown_types_only || hop.into || hop.rel_bound {
                return Err(internal("an intersect hop that cannot bind"));
            }
            match self.slice(i, row)? {
                Some(list) if !list.is_empty() => lists.push(list),
                _ => return Ok(()),
            }
        }
        visit_matches(row, first.to, hops, &lists, ctx, found)
    }
}

/// The run of entries whose other end is `node` in a slice sorted by it.
fn run(list: &[Adj], node: NodeId) -> &[Adj] {
    let start = list.partition_point(|a| a.other < node);
    let len = list[start..].partition_point(|a| a.other == node);
    &list[start..start + len]
}

fn visit_matches(
    row: &mut Row,
    to: usize,
    hops: &[Hop],
    lists: &[&[Adj]],
    ctx: &Ctx<'_>,
    found: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    // Walk the shortest list; the others are searched.
    let lead = (0..lists.len())
        .min_by_key(|i| lists[*i].len())
        .unwrap_or(0);
    let mut runs: Vec<&[Adj]> = vec![&[]; lists.len()];
    let mut at = 0;
    let leader = lists[lead];
    let unbound = row.get(to).cloned().unwrap_or_default();
    while at < leader.len() {
        let node = leader[at].other;
        let lead_run = run(&leader[at..], node);
        at += lead_run.len();
        ctx.check()?;
        let mut all = true;
        for (i, list) in lists.iter().enumerate() {
            runs[i] = if i == lead { lead_run } else { run(list, node) };
            if runs[i].is_empty() {
                all = false;
                break;
            }
        }
        if !all {
            continue;
        }
        // As in an expansion, the node's conditions see the row before
        // the node is bound.
        let mut accepted = true;
        for hop in hops {
            if !node_matches(node, &hop.node_filter, row, ctx)? {
                accepted = false;
                break;
            }
        }
        if accepted {
            row[to] = Value::Node(node);
            let result = combine(row, hops, &runs, 0, ctx, found);
            row[to] = unbound.clone();
            result?;
        }
    }
    Ok(())
}

/// Every combination of one relationship per hop (relationship uniqueness
/// and property conditions checked), each handed to `found`; the
/// relationship slots are given back as they were.
fn combine(
    row: &mut Row,
    hops: &[Hop],
    runs: &[&[Adj]],
    depth: usize,
    ctx: &Ctx<'_>,
    found: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let Some(hop) = hops.get(depth) else {
        return found(row);
    };
    let unbound = row[hop.rel].clone();
    for adj in runs[depth] {
        if used_in(adj.edge, &hop.distinct_from, row)
            || !rel_properties_match(adj.edge, &hop.rel_filter, row, ctx)?
        {
            continue;
        }
        row[hop.rel] = Value::Relationship(adj.edge);
        let result = combine(row, hops, runs, depth + 1, ctx, found);
        row[hop.rel] = unbound.clone();
        result?;
    }
    Ok(())
}
