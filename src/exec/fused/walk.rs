//! The fused walker: a depth-first walk of a run of per-row steps over
//! one scratch row, feeding a group table at its end.

use super::super::groups::GroupTable;
use super::super::intersect::Intersect;
use super::super::kernels::SlotFilter;
use super::super::read::{
    graph_direction, kernel_filter, node_matches, passes, rel_properties_match, used_in,
};
use super::super::{Ctx, Row};
use super::args::Args;
use crate::error::Result;
use crate::graph::{EdgeId, NodeId};
use crate::plan::{AggregateCall, Expr, Hop, Step};
use crate::value::Value;

/// What one step of the run keeps between rows.
enum State<'a> {
    /// A filter's typed kernel, when it compiles.
    Filter(Option<SlotFilter<'a>>),
    /// An intersection, with the matches of the current row (the node,
    /// then one relationship per hop, for each match) and the values
    /// they overwrite.
    Intersect(Box<Intersect<'a>>, Vec<u32>, Vec<Value>),
    /// Nothing.
    None,
}

/// A fused run and its aggregation's argument readers.
pub struct Fused<'a> {
    steps: &'a [Step],
    states: Vec<State<'a>>,
    args: Args<'a>,
    /// The depth at which the group is found (see `super::group_depth`).
    group_depth: usize,
    /// The group of the current row at `group_depth`, once found.
    group: Option<usize>,
    ctx: &'a Ctx<'a>,
}

impl<'a> Fused<'a> {
    /// The walker of `steps` (each fits a fused run) feeding an aggregation
    /// grouped by `keys` with `calls`.
    pub fn new(
        steps: &'a [Step],
        keys: &'a [Expr],
        calls: &'a [AggregateCall],
        ctx: &'a Ctx<'a>,
    ) -> Fused<'a> {
        let states = steps
            .iter()
            .map(|step| match step {
                Step::Filter(predicate) => State::Filter(kernel_filter(predicate, None, ctx)),
                Step::Intersect(hops) => {
                    State::Intersect(Box::new(Intersect::new(hops, ctx)), Vec::new(), Vec::new())
                }
                _ => State::None,
            })
            .collect();
        Fused {
            steps,
            states,
            args: Args::new(calls),
            group_depth: super::group_depth(steps, keys),
            group: None,
            ctx,
        }
    }

    /// Walks the run from `row`, feeding every row it gives to `table`.
    /// `row` is given back as it came.
    pub fn feed(&mut self, row: &mut Row, table: &mut GroupTable<'_>) -> Result<()> {
        self.walk(0, row, table)
    }

    fn walk(&mut self, depth: usize, row: &mut Row, table: &mut GroupTable<'_>) -> Result<()> {
        if depth == self.group_depth {
            self.group = None;
        }
        let ctx = self.ctx;
        let steps = self.steps;
        let Some(step) = steps.get(depth) else {
            return self.aggregate(row, table);
        };
        match step {
            Step::Filter(predicate) => {
                let State::Filter(kernel) = &mut self.states[depth] else {
                    return Err(super::super::internal("a fused filter without its state"));
                };
                if passes(kernel, predicate, row, ctx)? {
                    self.walk(depth + 1, row, table)?;
                }
                Ok(())
            }
            Step::CheckNode { slot, filter } => {
                if let Some(Value::Node(id)) = row.get(*slot)
                    && node_matches(*id, filter, row, ctx)?
                {
                    self.walk(depth + 1, row, table)?;
                }
                Ok(())
            }
            Step::Expand(hop) => self.expand(depth, hop, row, table),
            Step::Intersect(hops) => self.intersect(depth, hops, row, table),
            _ => Err(super::super::internal("a step that cannot run fused")),
        }
    }

    /// A row that reached the aggregation: its group (found once per row
    /// at the group depth), then its arguments.
    fn aggregate(&mut self, row: &mut Row, table: &mut GroupTable<'_>) -> Result<()> {
        let ctx = self.ctx;
        ctx.check()?;
        let at = match self.group {
            Some(at) => at,
            None => {
                let at = table.group(row, ctx)?;
                self.group = Some(at);
                at
            }
        };
        self.args.feed(at, row, table, ctx)
    }

    /// A fixed-length expansion, as `read::expand` makes it.
    fn expand(
        &mut self,
        depth: usize,
        hop: &'a Hop,
        row: &mut Row,
        table: &mut GroupTable<'_>,
    ) -> Result<()> {
        let ctx = self.ctx;
        let from = match row.get(hop.from) {
            Some(Value::Node(id)) => *id,
            _ => return Ok(()),
        };
        let target = match (hop.into, row.get(hop.to)) {
            (true, Some(Value::Node(id))) => Some(*id),
            (true, _) => return Ok(()),
            (false, _) => None,
        };
        let bound_rel = match (hop.rel_bound, row.get(hop.rel)) {
            (true, Some(Value::Relationship(r))) => Some(*r),
            (true, _) => return Ok(()),
            (false, _) => None,
        };
        if hop.rel_filter.unknown_types_only {
            return Ok(());
        }
        let (Some(old_rel), Some(old_to)) = (row.get(hop.rel).cloned(), row.get(hop.to).cloned())
        else {
            return Err(super::super::internal("an expansion past the row's end"));
        };
        let types = &hop.rel_filter.types;
        let direction = graph_direction(hop.direction);
        let mut step = |this: &mut Self, edge: EdgeId, reached: NodeId| -> Result<()> {
            ctx.check()?;
            if bound_rel.is_some_and(|r| r != edge) || used_in(edge, &hop.distinct_from, row) {
                return Ok(());
            }
            if !rel_properties_match(edge, &hop.rel_filter, row, ctx)?
                || !node_matches(reached, &hop.node_filter, row, ctx)?
            {
                return Ok(());
            }
            row[hop.rel] = Value::Relationship(edge);
            row[hop.to] = Value::Node(reached);
            let result = this.walk(depth + 1, row, table);
            row[hop.rel] = old_rel.clone();
            row[hop.to] = old_to.clone();
            result
        };
        match target {
            Some(t) => {
                for edge in ctx.graph.relationships_between(from, t, direction, types) {
                    step(self, edge, t)?;
                }
            }
            None => {
                for (edge, other) in ctx.graph.neighbours(from, direction, types) {
                    step(self, edge, other)?;
                }
            }
        }
        Ok(())
    }

    /// An intersection: its matches for the row are found first (as the
    /// row engine finds them all before passing any on), then walked.
    fn intersect(
        &mut self,
        depth: usize,
        hops: &'a [Hop],
        row: &mut Row,
        table: &mut GroupTable<'_>,
    ) -> Result<()> {
        let Some(first) = hops.first() else {
            return Err(super::super::internal("an intersect without hops"));
        };
        let State::Intersect(op, buffer, old) = &mut self.states[depth] else {
            return Err(super::super::internal(
                "a fused intersect without its state",
            ));
        };
        let mut matches = std::mem::take(buffer);
        matches.clear();
        op.visit(row, &mut |found: &Row| {
            for slot in std::iter::once(first.to).chain(hops.iter().map(|h| h.rel)) {
                match found.get(slot) {
                    Some(Value::Node(n)) => matches.push(n.0),
                    Some(Value::Relationship(r)) => matches.push(r.0),
                    _ => return Err(super::super::internal("an intersect match without ids")),
                }
            }
            Ok(())
        })?;
        if matches.is_empty() {
            *buffer = matches;
            return Ok(());
        }
        let mut old = std::mem::take(old);
        old.clear();
        old.extend(
            std::iter::once(first.to)
                .chain(hops.iter().map(|h| h.rel))
                .map(|s| row.get(s).cloned().unwrap_or_default()),
        );
        let mut result = Ok(());
        for ids in matches.chunks_exact(hops.len() + 1) {
            row[first.to] = Value::Node(NodeId(ids[0]));
            for (hop, edge) in hops.iter().zip(&ids[1..]) {
                row[hop.rel] = Value::Relationship(EdgeId(*edge));
            }
            result = self.walk(depth + 1, row, table);
            if result.is_err() {
                break;
            }
        }
        row[first.to] = old[0].clone();
        for (hop, value) in hops.iter().zip(&old[1..]) {
            row[hop.rel] = value.clone();
        }
        if let State::Intersect(_, buffer, old_values) = &mut self.states[depth] {
            *buffer = matches;
            *old_values = old;
        }
        result
    }
}
