//! The intersect operator: binds a node reached from several bound nodes at
//! once (the node that closes a cyclic pattern) by intersecting their typed
//! adjacency lists, which are sorted by (other end, relationship id). It
//! walks the shortest list and binary-searches the others, so the rows it
//! makes are exactly the matches: nothing is expanded and then filtered.

use std::iter;

use rustc_hash::FxHashMap;

use super::read::{needs_rel_data, node_matches, rel_properties_match, used_in};
use super::{Ctx, Row, Rows, internal};
use crate::error::Result;
use crate::graph::{Adj, EdgeId, NodeId};
use crate::plan::Hop;
use crate::syntax::ast::Direction;
use crate::value::Value;

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

/// The matches of two-hop intersections by start nodes (issue 16): in Q8
/// the rows of one agency reach the same company again and again through
/// different measures and products, and the officials that lead the
/// agency and criticized the company are the same each time. Used only
/// when the hops' node and relationship conditions are labels and types
/// (so matches depend on the start nodes alone); relationship uniqueness,
/// which does read the row, is still checked per row. Nothing writes
/// while the operator borrows the graph, so a remembered match stays
/// right. The memo is internal and bounded: it is emptied once it holds
/// [`MEMO_IDS`] ids. It is a fast path: off with `Limits::fast_paths`.
struct Memo {
    /// Start nodes of the two hops → range of their matches in `ids`.
    index: FxHashMap<u64, (usize, usize)>,
    /// Per match: the node, then one relationship per hop.
    ids: Vec<u32>,
}

/// The most ids a [`Memo`] holds before it is emptied (16 MiB).
const MEMO_IDS: usize = 1 << 22;

impl Memo {
    /// A memo for `hops`, when their matches depend on the start nodes
    /// alone.
    fn for_hops(hops: &[Hop]) -> Option<Memo> {
        let fixed = hops.len() == 2
            && hops.iter().all(|h| {
                h.node_filter.properties.is_empty()
                    && h.node_filter.property_map.is_none()
                    && h.node_filter.valid_at.is_none()
                    && !needs_rel_data(&h.rel_filter)
            });
        fixed.then(|| Memo {
            index: FxHashMap::default(),
            ids: Vec::new(),
        })
    }
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
                let mut memo = self
                    .memo
                    .take()
                    .ok_or_else(|| internal("an intersect memo without its table"))?;
                if memo.ids.len() >= MEMO_IDS {
                    memo.index.clear();
                    memo.ids.clear();
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
