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

/// The rows `row` extends to: one per common neighbour of the hops' start
/// nodes and per combination of the relationships that reach it.
pub fn rows<'a>(row: Row, hops: &'a [Hop], ctx: &'a Ctx<'a>) -> Rows<'a> {
    match matches(row, hops, ctx) {
        Ok(out) => Box::new(out.into_iter().map(Ok)),
        Err(e) => Box::new(iter::once(Err(e))),
    }
}

/// The typed adjacency slice a hop walks from its start node in `row`, or
/// `None` when the start is not a node.
fn slice<'g>(hop: &Hop, row: &[Value], ctx: &Ctx<'g>) -> Result<Option<&'g [Adj]>> {
    let Some(Value::Node(from)) = row.get(hop.from) else {
        return Ok(None);
    };
    let outgoing = match hop.direction {
        Direction::Outgoing => true,
        Direction::Incoming => false,
        Direction::Either => return Err(internal("an intersect hop without a direction")),
    };
    let [rel_type] = hop.rel_filter.types.as_slice() else {
        return Err(internal("an intersect hop without exactly one type"));
    };
    Ok(Some(ctx.graph.typed_adjacency(*from, outgoing, *rel_type)))
}

/// The run of entries whose other end is `node` in a slice sorted by it.
fn run(list: &[Adj], node: NodeId) -> &[Adj] {
    let start = list.partition_point(|a| a.other < node);
    let len = list[start..].partition_point(|a| a.other == node);
    &list[start..start + len]
}

fn matches(row: Row, hops: &[Hop], ctx: &Ctx<'_>) -> Result<Vec<Row>> {
    let Some(first) = hops.first() else {
        return Err(internal("an intersect without hops"));
    };
    let mut lists = Vec::with_capacity(hops.len());
    for hop in hops {
        if hop.rel_filter.unknown_types_only || hop.into || hop.rel_bound {
            return Err(internal("an intersect hop that cannot bind"));
        }
        match slice(hop, &row, ctx)? {
            Some(list) if !list.is_empty() => lists.push(list),
            _ => return Ok(Vec::new()),
        }
    }
    // Walk the shortest list; the others are searched.
    let lead = (0..lists.len())
        .min_by_key(|i| lists[*i].len())
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut runs: Vec<&[Adj]> = vec![&[]; lists.len()];
    let mut at = 0;
    let leader = lists[lead];
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
        let mut base = row.clone();
        base[first.to] = Value::Node(node);
        let mut accepted = true;
        for hop in hops {
            if !node_matches(node, &hop.node_filter, &base, ctx)? {
                accepted = false;
                break;
            }
        }
        if accepted {
            combine(&mut base, hops, &runs, 0, ctx, &mut out)?;
        }
    }
    Ok(out)
}

/// Every combination of one relationship per hop (relationship uniqueness
/// and property conditions checked), each pushed as a row.
fn combine(
    row: &mut Row,
    hops: &[Hop],
    runs: &[&[Adj]],
    depth: usize,
    ctx: &Ctx<'_>,
    out: &mut Vec<Row>,
) -> Result<()> {
    let Some(hop) = hops.get(depth) else {
        out.push(row.clone());
        return Ok(());
    };
    for adj in runs[depth] {
        if used_in(adj.edge, &hop.distinct_from, row)
            || !rel_properties_match(adj.edge, &hop.rel_filter, row, ctx)?
        {
            continue;
        }
        row[hop.rel] = Value::Relationship(adj.edge);
        combine(row, hops, runs, depth + 1, ctx, out)?;
    }
    row[hop.rel] = Value::Null;
    Ok(())
}
