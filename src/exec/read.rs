//! Reading operators: scans, expansions, filters and OPTIONAL MATCH, each a
//! lazy iterator over the rows before it.

use std::iter;

use super::eval::{eval, truth};
use super::kernels::{self, Predicate, SlotFilter};
use super::{Ctx, Row, Rows, internal, ops, paths};
use crate::error::{Error, Result};
use crate::graph::{Direction as GraphDirection, EdgeId, KeyId, LabelId, NodeId, RelRef};
use crate::plan::{Expr, Hop, NodeFilter, NodeSource, RelFilter, Step};
use crate::syntax::ast::Direction;
use crate::value::Value;

/// Wraps `rows` in the operator for `step`.
pub fn build_step<'a>(step: &'a Step, ctx: &'a Ctx<'a>, rows: Rows<'a>) -> Rows<'a> {
    match step {
        Step::Widen { width } => Box::new(rows.map(move |r| {
            r.map(|mut row| {
                row.resize(*width, Value::Null);
                row
            })
        })),
        Step::NodeScan {
            slot,
            source,
            filter,
        } => flat_map(rows, move |row| node_scan(row, *slot, source, filter, ctx)),
        Step::CheckNode { slot, filter } => Box::new(rows.filter_map(move |r| match r {
            Ok(row) => match row.get(*slot) {
                Some(Value::Node(id)) => match node_matches(*id, filter, &row, ctx) {
                    Ok(true) => Some(Ok(row)),
                    Ok(false) => None,
                    Err(e) => Some(Err(e)),
                },
                _ => None,
            },
            Err(e) => Some(Err(e)),
        })),
        Step::Expand(hop) if hop.var_length.is_some() => {
            flat_map(rows, move |row| paths::var_length(row, hop, ctx))
        }
        Step::Expand(hop) => flat_map(rows, move |row| expand(row, hop, ctx)),
        Step::Intersect(hops) => {
            let mut op = super::intersect::Intersect::new(hops, ctx);
            flat_map(rows, move |row| op.rows(row))
        }
        Step::ShortestPath {
            from,
            to,
            path,
            rels,
            direction,
            rel_filter,
            min,
            max,
            all,
            path_filter,
        } => {
            let mut reach = paths::Reach::default();
            flat_map(rows, move |row| {
                let spec = paths::ShortestSpec {
                    from: *from,
                    to: *to,
                    path: *path,
                    rels: *rels,
                    direction: *direction,
                    rel_filter,
                    min: *min,
                    max: *max,
                    all: *all,
                    path_filter,
                };
                paths::shortest(row, &spec, &mut reach, ctx)
            })
        }
        Step::BuildPaths(specs) => Box::new(rows.map(move |r| {
            let mut row = r?;
            for spec in specs {
                let path = paths::assemble(spec, &row, ctx)?;
                row[spec.slot] = path;
            }
            Ok(row)
        })),
        Step::Filter(predicate) => {
            let mut kernel = kernel_filter(predicate, None, ctx);
            Box::new(rows.filter_map(move |r| match r {
                Ok(row) => match passes(&mut kernel, predicate, &row, ctx) {
                    Ok(true) => Some(Ok(row)),
                    Ok(false) => None,
                    Err(e) => Some(Err(e)),
                },
                Err(e) => Some(Err(e)),
            }))
        }
        Step::Optional { steps, nulls } => flat_map(rows, move |row| {
            let mut inner =
                super::build(steps, ctx, Box::new(iter::once(Ok(row.clone())))).peekable();
            if inner.peek().is_some() {
                Box::new(inner) as Rows<'a>
            } else {
                let mut row = row;
                for slot in nulls {
                    if let Some(v) = row.get_mut(*slot) {
                        *v = Value::Null;
                    }
                }
                Box::new(iter::once(Ok(row)))
            }
        }),
        Step::Unwind {
            expr,
            slot,
            move_list,
        } => flat_map(rows, move |row| {
            ops::unwind(row, expr, *slot, *move_list, ctx)
        }),
        Step::Project(exprs) => {
            // `[$0, $1, …]` over rows of that width (after an aggregation)
            // gives each row back as it is.
            let identity = exprs
                .iter()
                .enumerate()
                .all(|(i, e)| matches!(e, Expr::Slot(s) if *s == i));
            Box::new(rows.map(move |r| {
                let row = r?;
                if identity && row.len() == exprs.len() {
                    return Ok(row);
                }
                exprs.iter().map(|e| eval(e, &row, ctx)).collect()
            }))
        }
        Step::Aggregate {
            keys,
            aggregates,
            by_entities,
        } => ops::aggregate(rows, keys, aggregates, *by_entities, ctx),
        Step::Distinct { width } => ops::distinct(rows, *width, ctx),
        Step::Sort(keys) => ops::sort(rows, keys, ctx),
        Step::TopK { keys, limit, skip } => ops::top_k(rows, keys, limit, skip.as_ref(), ctx),
        Step::Skip(e) => match ops::row_count(e, ctx) {
            Ok(n) => ops::skip(rows, n),
            Err(err) => Box::new(iter::once(Err(err))),
        },
        Step::Limit(e) => match ops::row_count(e, ctx) {
            Ok(n) => Box::new(rows.take(n)),
            Err(err) => Box::new(iter::once(Err(err))),
        },
        Step::ProcedureCall {
            procedure,
            args,
            yields,
        } => flat_map(rows, move |row| {
            super::call::procedure_rows(row, procedure, args, yields, ctx)
        }),
        Step::LoadCsv(spec) => flat_map(rows, move |row| super::load_csv::rows(row, spec, ctx)),
        Step::CallSubquery(plan) if !plan.writes() => {
            flat_map(rows, move |row| super::subquery::call_rows(row, plan, ctx))
        }
        Step::CallSubquery(_)
        | Step::Create(_)
        | Step::Merge { .. }
        | Step::Set(_)
        | Step::Delete { .. } => Box::new(iter::once(Err(internal(
            "a writing step reached the read pipeline",
        )))),
    }
}

/// For each input row, the rows `f` makes of it; errors pass through.
pub fn flat_map<'a, F>(rows: Rows<'a>, mut f: F) -> Rows<'a>
where
    F: FnMut(Row) -> Rows<'a> + 'a,
{
    Box::new(rows.flat_map(move |r| match r {
        Ok(row) => f(row),
        Err(e) => Box::new(iter::once(Err(e))) as Rows<'a>,
    }))
}

/// The kernel filter of `predicate` (over `slot`, or over the slot of
/// its first property when `None`), when fast paths are on and it compiles.
/// Whether `row` passes `predicate`: by its kernel when the kernel
/// decides, else by the evaluator.
pub(super) fn passes(
    kernel: &mut Option<SlotFilter<'_>>,
    predicate: &Expr,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    let outcome = match kernel.as_mut().and_then(|k| k.test(row)) {
        Some(outcome) => outcome,
        None => truth(eval(predicate, row, ctx)?)?,
    };
    Ok(outcome == Some(true))
}

/// The kernel of a filter, when fast paths are on and it compiles.
pub(super) fn kernel_filter<'a>(
    predicate: &Expr,
    slot: Option<usize>,
    ctx: &Ctx<'a>,
) -> Option<SlotFilter<'a>> {
    if !ctx.limits.fast_paths {
        return None;
    }
    let compiled = match slot {
        Some(slot) => Predicate::compile(predicate, slot),
        None => Predicate::compile_single(predicate),
    }?;
    Some(SlotFilter::new(
        compiled,
        ctx.graph,
        ctx.limits.max_value_bytes,
    ))
}

/// When `steps` starts with a label scan followed by a filter that the
/// kernels compile for the scanned slot, the scan with the filter pushed
/// into it (rejected nodes never become rows) and the number of steps it
/// replaces; else `rows` back.
pub fn pushed_scan<'a>(
    steps: &'a [Step],
    ctx: &'a Ctx<'a>,
    rows: Rows<'a>,
) -> std::result::Result<(Rows<'a>, usize), Rows<'a>> {
    let (
        Some(Step::NodeScan {
            slot,
            source: NodeSource::Label(label),
            filter,
        }),
        Some(Step::Filter(predicate)),
    ) = (steps.first(), steps.get(1))
    else {
        return Err(rows);
    };
    let Some(kernel) = kernel_filter(predicate, Some(*slot), ctx) else {
        return Err(rows);
    };
    let scan = FilteredScan {
        slot: *slot,
        label: *label,
        filter,
        predicate,
    };
    Ok((
        flat_map(rows, move |row| scan.rows(row, kernel.clone_unbound(), ctx)),
        2,
    ))
}

/// A label scan with a filter on the scanned node pushed into it.
#[derive(Clone, Copy)]
struct FilteredScan<'a> {
    slot: usize,
    label: LabelId,
    filter: &'a NodeFilter,
    predicate: &'a Expr,
}

impl<'a> FilteredScan<'a> {
    /// The scan's rows for input `row`: each node with the label that
    /// passes the node filter (checked first, as the scan does) and the
    /// predicate (by the kernel, or evaluated when it cannot decide).
    fn rows(self, row: Row, mut kernel: SlotFilter<'a>, ctx: &'a Ctx<'a>) -> Rows<'a> {
        if let Some(scan) = TableScan::new(self, &row, &kernel, ctx) {
            return Box::new(scan);
        }
        let candidates = ctx.graph.nodes_with_label(self.label);
        Box::new(candidates.filter_map(move |node| {
            if let Err(e) = ctx.check() {
                return Some(Err(e));
            }
            match node_matches(node, self.filter, &row, ctx) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
            let keep = match kernel.test_node(node) {
                Some(outcome) => outcome == Some(true),
                None => {
                    let mut out = row.clone();
                    out[self.slot] = Value::Node(node);
                    return match eval(self.predicate, &out, ctx).and_then(truth) {
                        Ok(Some(true)) => Some(Ok(out)),
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    };
                }
            };
            keep.then(|| {
                let mut out = row.clone();
                out[self.slot] = Value::Node(node);
                Ok(out)
            })
        }))
    }
}

/// Table rows a [`TableScan`] decides at a time.
const SELECT_CHUNK: usize = 1024;

/// A filtered label scan over the one table that holds every node with the
/// label, in id order (the scan's order): the kernel selects rows a chunk
/// at a time straight from the columns.
struct TableScan<'a> {
    scan: FilteredScan<'a>,
    row: Row,
    ids: &'a [u32],
    bound: kernels::Bound<'a>,
    ctx: &'a Ctx<'a>,
    /// The next table row to decide.
    next: usize,
    chunk: Vec<u32>,
    kept: Vec<u32>,
    at: usize,
}

impl<'a> TableScan<'a> {
    /// The table scan, when the label's nodes are exactly one table's
    /// rows in id order, the node filter asks only for labels (it cannot
    /// fail) and the predicate binds to the table.
    fn new(
        scan: FilteredScan<'a>,
        row: &Row,
        kernel: &SlotFilter<'a>,
        ctx: &'a Ctx<'a>,
    ) -> Option<TableScan<'a>> {
        let f = scan.filter;
        if !f.properties.is_empty() || f.property_map.is_some() || f.valid_at.is_some() {
            return None;
        }
        let store = ctx.graph.property_store();
        let mut tables = store.node_tables(scan.label);
        let (_, table) = tables.next()?;
        if tables.next().is_some()
            || !table.in_id_order()
            || table.ids().len() != ctx.graph.label_count(scan.label)
        {
            return None;
        }
        let bound =
            kernel
                .predicate()
                .bind(table, store.dictionary(), ctx.limits.max_value_bytes)?;
        Some(TableScan {
            scan,
            row: row.clone(),
            ids: table.ids(),
            bound,
            ctx,
            next: 0,
            chunk: Vec::with_capacity(SELECT_CHUNK),
            kept: Vec::new(),
            at: 0,
        })
    }
}

impl Iterator for TableScan<'_> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        loop {
            if let Some(&r) = self.kept.get(self.at) {
                self.at += 1;
                let node = NodeId(self.ids[r as usize]);
                match node_matches(node, self.scan.filter, &self.row, self.ctx) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => return Some(Err(e)),
                }
                let mut out = self.row.clone();
                out[self.scan.slot] = Value::Node(node);
                return Some(Ok(out));
            }
            if self.next >= self.ids.len() {
                return None;
            }
            let end = (self.next + SELECT_CHUNK).min(self.ids.len());
            for _ in self.next..end {
                if let Err(e) = self.ctx.check() {
                    self.next = self.ids.len();
                    return Some(Err(e));
                }
            }
            self.chunk.clear();
            self.chunk.extend(self.next as u32..end as u32);
            self.kept.clear();
            self.at = 0;
            self.bound.select(&self.chunk, &mut self.kept);
            self.next = end;
        }
    }
}

fn node_scan<'a>(
    row: Row,
    slot: usize,
    source: &'a NodeSource,
    filter: &'a NodeFilter,
    ctx: &'a Ctx<'a>,
) -> Rows<'a> {
    let candidates: Box<dyn Iterator<Item = NodeId> + 'a> = match source {
        NodeSource::All => Box::new(ctx.graph.nodes()),
        NodeSource::Label(label) => Box::new(ctx.graph.nodes_with_label(*label)),
        NodeSource::Index { label, key, value } => match eval(value, &row, ctx) {
            Ok(Value::Null) => Box::new(iter::empty()),
            Ok(v) => Box::new(ctx.graph.find_nodes(*label, *key, &v).into_iter()),
            Err(e) => return Box::new(iter::once(Err(e))),
        },
    };
    Box::new(candidates.filter_map(move |node| {
        if let Err(e) = ctx.check() {
            return Some(Err(e));
        }
        match node_matches(node, filter, &row, ctx) {
            Ok(true) => {
                let mut out = row.clone();
                out[slot] = Value::Node(node);
                Some(Ok(out))
            }
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }))
}

/// Whether `node` has the filter's labels and properties.
pub fn node_matches(
    node: NodeId,
    filter: &NodeFilter,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    if filter.is_empty() {
        return Ok(true);
    }
    if filter.properties.is_empty() && filter.property_map.is_none() && filter.valid_at.is_none() {
        // Labels only: bit tests, no read of the node's data.
        return Ok(filter.labels.iter().all(|l| ctx.graph.has_label(node, *l)));
    }
    let Some(data) = ctx.graph.node(node) else {
        return Ok(false);
    };
    if !filter.labels.iter().all(|l| data.has_label(*l)) {
        return Ok(false);
    }
    conditions_hold(
        filter.valid_at.as_ref(),
        &filter.properties,
        filter.property_map.as_ref(),
        |k| data.property(k),
        row,
        ctx,
    )
}

/// Whether an element whose property `k` is `get(k)` is valid at the
/// instant `at` evaluates to (always, without an `AS OF`).
fn valid_at(
    at: Option<&Expr>,
    get: impl Fn(KeyId) -> Option<Value>,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    let Some(at) = at else {
        return Ok(true);
    };
    let instant = eval(at, row, ctx)?;
    match crate::valid_time::instant_of(&instant, "the instant of AS OF")? {
        Some(t) => crate::valid_time::valid_at_by(ctx.graph, get, t),
        None => Err(Error::invalid_type(
            "AS OF needs a date or a date-time, got null",
        )),
    }
}

/// Whether node `node` is valid at the instant `at` evaluates to (always,
/// without an `AS OF`): the check a variable-length or shortest path makes
/// of every node it passes.
pub fn node_valid(node: NodeId, at: Option<&Expr>, row: &[Value], ctx: &Ctx<'_>) -> Result<bool> {
    if at.is_none() {
        return Ok(true);
    }
    match ctx.graph.node(node) {
        Some(data) => valid_at(at, |k| data.property(k), row, ctx),
        None => Ok(false),
    }
}

/// Whether a relationship passes the filter's type and property conditions.
pub fn rel_matches(
    data: RelRef<'_>,
    filter: &RelFilter,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    if filter.unknown_types_only {
        return Ok(false);
    }
    if !filter.types.is_empty() && !filter.types.contains(&data.rel_type()) {
        return Ok(false);
    }
    conditions_hold(
        filter.valid_at.as_ref(),
        &filter.properties,
        filter.property_map.as_ref(),
        |k| data.property(k),
        row,
        ctx,
    )
}

/// Whether an element with `properties` is valid at the `valid` instant
/// and has every pinned property (`pairs`) and every entry of the `map`
/// expression.
fn conditions_hold(
    valid: Option<&Expr>,
    pairs: &[(KeyId, Expr)],
    map: Option<&Expr>,
    lookup: impl Fn(KeyId) -> Option<Value>,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    if !valid_at(valid, &lookup, row, ctx)? {
        return Ok(false);
    }
    for (key, expr) in pairs {
        let expected = eval(expr, row, ctx)?;
        if lookup(*key).and_then(|v| v.equals(&expected)) != Some(true) {
            return Ok(false);
        }
    }
    match map {
        Some(map) => map_matches(map, row, ctx, |name| {
            ctx.graph.key_id(name).and_then(&lookup)
        }),
        None => Ok(true),
    }
}

fn map_matches(
    map: &Expr,
    row: &[Value],
    ctx: &Ctx<'_>,
    lookup: impl Fn(&str) -> Option<Value>,
) -> Result<bool> {
    match eval(map, row, ctx)? {
        Value::Map(entries) => Ok(entries
            .iter()
            .all(|(k, v)| lookup(k).and_then(|actual| actual.equals(v)) == Some(true))),
        Value::Null => Ok(false),
        other => Err(Error::invalid_type(format!(
            "a property map must be a map, got {}",
            other.type_name()
        ))),
    }
}

/// The graph's direction for a pattern direction.
pub fn graph_direction(d: Direction) -> GraphDirection {
    match d {
        Direction::Outgoing => GraphDirection::Outgoing,
        Direction::Incoming => GraphDirection::Incoming,
        Direction::Either => GraphDirection::Both,
    }
}

/// Whether `rel` is already used by a relationship slot of the same MATCH.
pub fn used_in(rel: EdgeId, slots: &[usize], row: &[Value]) -> bool {
    slots.iter().any(|s| match row.get(*s) {
        Some(Value::Relationship(r)) => *r == rel,
        Some(Value::List(items)) => items.contains(&Value::Relationship(rel)),
        _ => false,
    })
}

/// The reverse of a graph direction.
pub fn reverse(d: GraphDirection) -> GraphDirection {
    match d {
        GraphDirection::Outgoing => GraphDirection::Incoming,
        GraphDirection::Incoming => GraphDirection::Outgoing,
        GraphDirection::Both => GraphDirection::Both,
    }
}

/// Whether the filter asks more of a relationship than its type (which the
/// typed adjacency already guarantees).
pub fn needs_rel_data(filter: &RelFilter) -> bool {
    !filter.properties.is_empty() || filter.property_map.is_some() || filter.valid_at.is_some()
}

/// Whether relationship `edge` passes the filter's property conditions
/// (its type was checked by the adjacency it came from).
pub fn rel_properties_match(
    edge: EdgeId,
    filter: &RelFilter,
    row: &[Value],
    ctx: &Ctx<'_>,
) -> Result<bool> {
    if !needs_rel_data(filter) {
        return Ok(true);
    }
    match ctx.graph.relationship(edge) {
        Some(data) => rel_matches(data, filter, row, ctx),
        None => Ok(false),
    }
}

fn expand<'a>(row: Row, hop: &'a Hop, ctx: &'a Ctx<'a>) -> Rows<'a> {
    let from = match row.get(hop.from) {
        Some(Value::Node(id)) => *id,
        _ => return Box::new(iter::empty()),
    };
    let target = match (hop.into, row.get(hop.to)) {
        (true, Some(Value::Node(id))) => Some(*id),
        (true, _) => return Box::new(iter::empty()),
        (false, _) => None,
    };
    let bound_rel = match (hop.rel_bound, row.get(hop.rel)) {
        (true, Some(Value::Relationship(r))) => Some(*r),
        (true, _) => return Box::new(iter::empty()),
        (false, _) => None,
    };
    if hop.rel_filter.unknown_types_only {
        return Box::new(iter::empty());
    }
    let types = &hop.rel_filter.types;
    let direction = graph_direction(hop.direction);
    // Into a bound node: a binary search in the typed adjacency.
    let edges: Box<dyn Iterator<Item = (EdgeId, NodeId)> + 'a> = match target {
        Some(t) => Box::new(
            ctx.graph
                .relationships_between(from, t, direction, types)
                .into_iter()
                .map(move |e| (e, t)),
        ),
        None => Box::new(ctx.graph.neighbours(from, direction, types)),
    };
    Box::new(edges.filter_map(move |(edge, other)| {
        if let Err(e) = ctx.check() {
            return Some(Err(e));
        }
        if bound_rel.is_some_and(|r| r != edge) {
            return None;
        }
        let reached = other;
        if used_in(edge, &hop.distinct_from, &row) {
            return None;
        }
        let accepted = rel_properties_match(edge, &hop.rel_filter, &row, ctx).and_then(|ok| {
            if ok {
                node_matches(reached, &hop.node_filter, &row, ctx)
            } else {
                Ok(false)
            }
        });
        match accepted {
            Ok(true) => {
                let mut out = row.clone();
                out[hop.rel] = Value::Relationship(edge);
                out[hop.to] = Value::Node(reached);
                Some(Ok(out))
            }
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }))
}
