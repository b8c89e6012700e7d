//! The intersect operator: binds a node reached from several bound nodes at
//! once (the node that closes a cyclic pattern) by intersecting their typed
//! adjacency lists, which are sorted by (other end, relationship id). It
//! walks the shortest list and binary-searches the others, so the rows it
//! makes are exactly the matches: nothing is expanded and then filtered.

use std::iter;

use super::read::{node_matches, rel_properties_match, used_in};
use super::{Ctx, Row, Rows, internal};
use crate::error::Result;
use crate::graph::{Adj, EdgeId, NodeId};
use crate::plan::Hop;
use crate::syntax::ast::Direction;
use crate::value::Value;

mod memo;

use memo::{MEMO_IDS, MISS_COST, Memo};

/// The intersect operator over a stream of rows. It remembers the last
/// adjacency slice of each hop, since consecutive rows often start from
/// the same node, and, when the hops' conditions do not read the row,
/// the matches of recent start nodes (see [`Memo`]).
pub struct Intersect<'a> {
    hops: &'a [Hop],
    ctx: &'a Ctx<'a>,
    cache: Vec<Option<(NodeId, &'a [Adj])>>,
    /// Scratch buffers for one row's slices and runs.
    lists: Vec<&'a [Adj]>,
    runs: Vec<&'a [Adj]>,
    /// Scratch buffer for the relationship slots a match overwrites.
    old: Vec<Value>,
    memo: Option<Memo>,
}

impl<'a> Intersect<'a> {
    /// The operator for `hops` (all reaching the same slot).
    pub fn new(hops: &'a [Hop], ctx: &'a Ctx<'a>) -> Self {
        Intersect {
            hops,
            ctx,
            cache: vec![None; hops.len()],
            lists: Vec::with_capacity(hops.len()),
            runs: Vec::with_capacity(hops.len()),
            old: Vec::with_capacity(hops.len()),
            memo: Memo::for_hops(hops).filter(|_| ctx.limits.fast_paths),
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
        if self.hops.is_empty() {
            return Err(internal("an intersect without hops"));
        }
        for hop in self.hops {
            if hop.rel_filter.unknown_types_only || hop.into || hop.rel_bound {
                return Err(internal("an intersect hop that cannot bind"));
            }
        }
        if let Some(key) = self.memo_key(row) {
            return self.visit_memo(key, row, found);
        }
        self.visit_lists(row, true, found)
    }

    /// The matches for `row` from its adjacency slices (relationship
    /// uniqueness checked when `unique`).
    fn visit_lists(
        &mut self,
        row: &mut Row,
        unique: bool,
        found: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut lists = std::mem::take(&mut self.lists);
        lists.clear();
        let mut result = Ok(true);
        for i in 0..self.hops.len() {
            match self.slice(i, row) {
                Ok(Some(list)) if !list.is_empty() => lists.push(list),
                Ok(_) => {
                    result = Ok(false);
                    break;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let result = match result {
            Ok(true) => {
                let mut runs = std::mem::take(&mut self.runs);
                let result =
                    visit_matches(row, self.hops, &lists, &mut runs, unique, self.ctx, found);
                self.runs = runs;
                result
            }
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        };
        self.lists = lists;
        result
    }

    /// The typed adjacency `hop` walks from `node` (`reverse`: from its
    /// other end).
    fn typed_list(&self, hop: &Hop, node: NodeId, reverse: bool) -> Result<&'a [Adj]> {
        let outgoing = match hop.direction {
            Direction::Outgoing => !reverse,
            Direction::Incoming => reverse,
            Direction::Either => return Err(internal("an intersect hop without a direction")),
        };
        let [rel_type] = hop.rel_filter.types.as_slice() else {
            return Err(internal("an intersect hop without exactly one type"));
        };
        Ok(self.ctx.graph.typed_adjacency(node, outgoing, *rel_type))
    }

    /// Fills the memo with every match whose start node for hop `outer`
    /// is `node`, when that costs less than the misses it saves: walks
    /// `node`'s list for the outer hop and, from each accepted node
    /// there, the inner hop's list backwards, which gives each inner
    /// start node its matches. They are sorted by (inner start node,
    /// node, relationship of hop 0, of hop 1), the order the intersection
    /// gives them in. Whether it filled.
    fn fill(&mut self, outer: usize, node: NodeId, row: &[Value]) -> Result<bool> {
        let (hops, ctx) = (self.hops, self.ctx);
        let inner = 1 - outer;
        let list = self.typed_list(&hops[outer], node, false)?;
        let Some(memo) = self.memo.as_mut() else {
            return Err(internal("an intersect memo without its table"));
        };
        let cost = match memo.outer {
            Some((_, _, _, Some(cost))) => cost,
            _ => {
                let mut cost = list.len();
                for adj in list {
                    cost += self.typed_list(&hops[inner], adj.other, true)?.len();
                }
                if let Some(Some((_, _, _, known))) = self.memo.as_mut().map(|m| &mut m.outer) {
                    *known = Some(cost);
                }
                cost
            }
        };
        let misses = self
            .memo
            .as_ref()
            .and_then(|m| m.outer)
            .map_or(0, |(_, _, misses, _)| misses);
        if misses * MISS_COST < cost || cost * 3 > MEMO_IDS {
            return Ok(false);
        }
        // (inner start node, match node, relationship of hop 0, of hop 1)
        let mut found: Vec<[u32; 4]> = Vec::new();
        for adj in list {
            ctx.check()?;
            let mut accepted = true;
            for hop in hops {
                if !node_matches(adj.other, &hop.node_filter, row, ctx)? {
                    accepted = false;
                    break;
                }
            }
            if !accepted {
                continue;
            }
            for back in self.typed_list(&hops[inner], adj.other, true)? {
                let (e0, e1) = if outer == 0 {
                    (adj.edge.0, back.edge.0)
                } else {
                    (back.edge.0, adj.edge.0)
                };
                found.push([back.other.0, adj.other.0, e0, e1]);
            }
        }
        found.sort_unstable();
        let Some(memo) = self.memo.as_mut() else {
            return Err(internal("an intersect memo without its table"));
        };
        if memo.ids.len() + 3 * found.len() > MEMO_IDS {
            memo.clear();
        }
        let mut at = 0;
        while at < found.len() {
            let other = found[at][0];
            let start = memo.ids.len();
            while at < found.len() && found[at][0] == other {
                memo.ids.extend_from_slice(&found[at][1..]);
                at += 1;
            }
            let key = if outer == 0 {
                u64::from(node.0) << 32 | u64::from(other)
            } else {
                u64::from(other) << 32 | u64::from(node.0)
            };
            memo.index.insert(key, (start, memo.ids.len()));
        }
        memo.complete = Some((outer, node));
        Ok(true)
    }

    /// The memo's key for the row: the two start nodes, when memoised.
    fn memo_key(&self, row: &[Value]) -> Option<u64> {
        self.memo.as_ref()?;
        let mut key = 0u64;
        for hop in self.hops {
            let Some(Value::Node(n)) = row.get(hop.from) else {
                return None;
            };
            key = key << 32 | u64::from(n.0);
        }
        Some(key)
    }

    /// [`Intersect::visit`] through the memo: the matches of the start
    /// nodes are found once (every combination of relationships, in the
    /// order [`combine`] makes them), then each is checked for
    /// relationship uniqueness against the row.
    fn visit_memo(
        &mut self,
        key: u64,
        row: &mut Row,
        found: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let hops = self.hops;
        let to = hops[0].to;
        let cached = self.memo.as_ref().and_then(|m| m.index.get(&key).copied());
        let range = match cached {
            Some(range) => range,
            None => {
                let froms = [NodeId((key >> 32) as u32), NodeId(key as u32)];
                let Some(memo) = self.memo.as_mut() else {
                    return Err(internal("an intersect memo without its table"));
                };
                if let Some((hop, node)) = memo.complete
                    && froms[hop] == node
                {
                    return Ok(());
                }
                if let Some((hop, node)) = memo.miss(froms)
                    && self.fill(hop, node, row)?
                {
                    return self.visit_memo(key, row, found);
                }
                let mut memo = self
                    .memo
                    .take()
                    .ok_or_else(|| internal("an intersect memo without its table"))?;
                if memo.ids.len() >= MEMO_IDS {
                    memo.clear();
                }
                let start = memo.ids.len();
                let ids = &mut memo.ids;
                let result = self.visit_lists(row, false, &mut |m| {
                    for slot in std::iter::once(to).chain(hops.iter().map(|h| h.rel)) {
                        match m.get(slot) {
                            Some(Value::Node(n)) => ids.push(n.0),
                            Some(Value::Relationship(r)) => ids.push(r.0),
                            _ => return Err(internal("an intersect match without ids")),
                        }
                    }
                    Ok(())
                });
                if let Err(e) = result {
                    memo.ids.truncate(start);
                    self.memo = Some(memo);
                    return Err(e);
                }
                let range = (start, memo.ids.len());
                memo.index.insert(key, range);
                self.memo = Some(memo);
                range
            }
        };
        if range.0 == range.1 {
            return Ok(());
        }
        self.ctx.check()?;
        let Some(memo) = self.memo.as_ref() else {
            return Err(internal("an intersect memo without its table"));
        };
        let width = hops.len() + 1;
        let old_to = row.get(to).cloned().unwrap_or_default();
        let mut old = std::mem::take(&mut self.old);
        old.clear();
        old.extend(
            hops.iter()
                .map(|h| row.get(h.rel).cloned().unwrap_or_default()),
        );
        let mut result = Ok(());
        for ids in memo.ids[range.0..range.1].chunks_exact(width) {
            row[to] = Value::Node(NodeId(ids[0]));
            let mut unique = true;
            for (hop, edge) in hops.iter().zip(&ids[1..]) {
                let edge = EdgeId(*edge);
                if used_in(edge, &hop.distinct_from, row) {
                    unique = false;
                    break;
                }
                row[hop.rel] = Value::Relationship(edge);
            }
            if unique {
                result = found(row);
            }
            for (hop, value) in hops.iter().zip(&old) {
                row[hop.rel] = value.clone();
            }
            if result.is_err() {
                break;
            }
        }
        row[to] = old_to;
        self.old = old;
        result
    }
}

/// The run of entries whose other end is `node` in a slice sorted by it.
fn run(list: &[Adj], node: NodeId) -> &[Adj] {
    let start = list.partition_point(|a| a.other < node);
    let len = list[start..].partition_point(|a| a.other == node);
    &list[start..start + len]
}

fn visit_matches<'l>(
    row: &mut Row,
    hops: &[Hop],
    lists: &[&'l [Adj]],
    runs: &mut Vec<&'l [Adj]>,
    unique: bool,
    ctx: &Ctx<'_>,
    found: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let Some(to) = hops.first().map(|h| h.to) else {
        return Ok(());
    };
    // Walk the shortest list; the others are searched.
    let lead = (0..lists.len())
        .min_by_key(|i| lists[*i].len())
        .unwrap_or(0);
    runs.clear();
    runs.resize(lists.len(), &[]);
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
            let result = combine(row, hops, runs, 0, unique, ctx, found);
            row[to] = unbound.clone();
            result?;
        }
    }
    Ok(())
}

/// Every combination of one relationship per hop (property conditions
/// checked, and relationship uniqueness when `unique`), each handed to
/// `found`; the relationship slots are given back as they were.
fn combine(
    row: &mut Row,
    hops: &[Hop],
    runs: &[&[Adj]],
    depth: usize,
    unique: bool,
    ctx: &Ctx<'_>,
    found: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let Some(hop) = hops.get(depth) else {
        return found(row);
    };
    let unbound = row[hop.rel].clone();
    for adj in runs[depth] {
        if (unique && used_in(adj.edge, &hop.distinct_from, row))
            || !rel_properties_match(adj.edge, &hop.rel_filter, row, ctx)?
        {
            continue;
        }
        row[hop.rel] = Value::Relationship(adj.edge);
        let result = combine(row, hops, runs, depth + 1, unique, ctx, found);
        row[hop.rel] = unbound.clone();
        result?;
    }
    Ok(())
}
