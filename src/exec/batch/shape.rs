//! Which plan segments the batch path runs, read from the steps alone:
//! `NodeScan(Label) → [Filter | CheckNode]* → Aggregate` with at most one
//! grouping key that is a property of the scanned node, and aggregates
//! that are `count(*)`, `count(n)`, `count(n.k)` or `sum`, `avg`, `min`,
//! `max` of `n.k` (no `DISTINCT`). Anything else is not a batch segment.

use super::accum::Kind;
use crate::exec::aggregate::AggregateKind;
use crate::exec::kernels::Predicate;
use crate::graph::{KeyId, LabelId};
use crate::plan::{AggregateCall, Expr, NodeFilter, NodeSource, Step};

/// A per-row test of the segment.
#[derive(Debug, Clone)]
pub enum Pred<'p> {
    /// A `Filter` step's predicate (kept when true), with its kernel when
    /// it compiles to one over the scanned node's properties (see
    /// `exec::kernels`); else it is evaluated row by row.
    Filter(&'p Expr, Option<Predicate>),
    /// A `CheckNode` step: the node in the slot must match the filter.
    Check(usize, &'p NodeFilter),
}

/// What an aggregate reads per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// Nothing: every row counts (`count(*)`, `count(n)` of the scanned node).
    Row,
    /// A property of the scanned node.
    Prop(KeyId),
}

/// One aggregate call of the segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The aggregate.
    pub kind: Kind,
    /// Its input.
    pub arg: Arg,
}

/// A batch segment, as the steps describe it.
#[derive(Debug)]
pub struct Shape<'p> {
    /// The slot of the scanned node.
    pub slot: usize,
    /// The scanned label.
    pub label: LabelId,
    /// Labels every scanned node must have, tested before any filter (the
    /// scan's own filter and `CheckNode`s of the scanned slot that come
    /// before the first `Filter`): decided per table.
    pub labels: Vec<LabelId>,
    /// The other per-row tests, in step order.
    pub preds: Vec<Pred<'p>>,
    /// The grouping key, a property of the scanned node (none: one group).
    pub key: Option<KeyId>,
    /// The aggregates, in the order of the step's calls.
    pub calls: Vec<Call>,
    /// The index of the `Aggregate` step in the steps given.
    pub last: usize,
}

/// The batch shape of the segment at the start of `steps`, if it is one.
pub fn shape(steps: &[Step]) -> Option<Shape<'_>> {
    let Step::NodeScan {
        slot,
        source: NodeSource::Label(label),
        filter,
    } = steps.first()?
    else {
        return None;
    };
    if !labels_only(filter) {
        return None;
    }
    let slot = *slot;
    let mut labels = filter.labels.clone();
    let mut preds = Vec::new();
    for (i, step) in steps.iter().enumerate().skip(1) {
        match step {
            Step::CheckNode { slot: s, filter }
                if *s == slot && labels_only(filter) && preds.is_empty() =>
            {
                labels.extend_from_slice(&filter.labels);
            }
            Step::CheckNode { slot, filter } => preds.push(Pred::Check(*slot, filter)),
            Step::Filter(predicate) => {
                preds.push(Pred::Filter(predicate, Predicate::compile(predicate, slot)));
            }
            Step::Aggregate {
                keys, aggregates, ..
            } => {
                let key = match keys.as_slice() {
                    [] => None,
                    [key] => Some(property_of(key, slot)?),
                    _ => return None,
                };
                let calls = aggregates
                    .iter()
                    .map(|c| call(c, slot))
                    .collect::<Option<Vec<_>>>()?;
                return Some(Shape {
                    slot,
                    label: *label,
                    labels,
                    preds,
                    key,
                    calls,
                    last: i,
                });
            }
            _ => return None,
        }
    }
    None
}

/// Whether a node filter asks for labels only.
fn labels_only(filter: &NodeFilter) -> bool {
    filter.properties.is_empty() && filter.property_map.is_none() && filter.valid_at.is_none()
}

/// The key of `e` when it is `slot.key`.
fn property_of(e: &Expr, slot: usize) -> Option<KeyId> {
    match e {
        Expr::Property(target, key, _) if matches!(**target, Expr::Slot(s) if s == slot) => {
            Some(*key)
        }
        _ => None,
    }
}

/// The batch form of an aggregate call, if it has one.
fn call(c: &AggregateCall, slot: usize) -> Option<Call> {
    if c.distinct || c.param.is_some() {
        return None;
    }
    let arg = match &c.arg {
        None => Arg::Row,
        Some(Expr::Slot(s)) if *s == slot => Arg::Row,
        Some(e) => Arg::Prop(property_of(e, slot)?),
    };
    let kind = match (c.kind, arg) {
        (AggregateKind::CountStar, Arg::Row) | (AggregateKind::Count, _) => Kind::Count,
        (AggregateKind::Sum, Arg::Prop(_)) => Kind::Sum,
        (AggregateKind::Avg, Arg::Prop(_)) => Kind::Avg,
        (AggregateKind::Min, Arg::Prop(_)) => Kind::Min,
        (AggregateKind::Max, Arg::Prop(_)) => Kind::Max,
        _ => return None,
    };
    Some(Call { kind, arg })
}
