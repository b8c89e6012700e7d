//! Which plan segments the batch path runs, read from the steps alone:
//! `NodeScan(Label) → [Filter | CheckNode]* → [Expand → [Filter |
//! CheckNode]*] → Aggregate` with at most one grouping key that is a
//! property of the scanned node, and aggregates that are `count(*)`,
//! `count(x)` of a node or relationship of the pattern, `count(n.k)` or
//! `sum`, `avg`, `min`, `max` of `n.k` (no `DISTINCT`), `n` the scanned
//! node or the node the expansion reaches. The expansion is one
//! fixed-length hop from the scanned node to a new node, with any
//! relationship types and direction, no relationship property or time
//! condition, and labels only on the node it reaches. Anything else is
//! not a batch segment.

use super::accum::Kind;
use crate::exec::aggregate::AggregateKind;
use crate::exec::kernels::Predicate;
use crate::graph::{KeyId, LabelId};
use crate::plan::{AggregateCall, Expr, Hop, NodeFilter, NodeSource, Step};

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
    /// Nothing: every row counts (`count(*)`, `count(n)` of a node or
    /// relationship the segment binds).
    Row,
    /// A property of the scanned node.
    Prop(KeyId),
    /// A property of the node the expansion reaches.
    Far(KeyId),
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
    /// The expansion after the scan's tests, if the segment has one.
    pub expand: Option<Expand<'p>>,
    /// The index of the `Aggregate` step in the steps given.
    pub last: usize,
}

/// The one expansion of a batch segment and the tests after it.
#[derive(Debug)]
pub struct Expand<'p> {
    /// The hop: from the scanned slot to a new node (see [`expandable`]).
    pub hop: &'p Hop,
    /// The per-row tests after the expansion, in step order, on rows that
    /// hold the scanned node, the relationship and the node reached;
    /// filters carry their kernel over the reached node when they compile
    /// to one.
    pub preds: Vec<Pred<'p>>,
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
    let mut expand: Option<Expand<'_>> = None;
    for (i, step) in steps.iter().enumerate().skip(1) {
        match step {
            Step::CheckNode { slot: s, filter }
                if *s == slot && labels_only(filter) && preds.is_empty() && expand.is_none() =>
            {
                labels.extend_from_slice(&filter.labels);
            }
            Step::CheckNode { slot, filter } => match expand.as_mut() {
                Some(e) => e.preds.push(Pred::Check(*slot, filter)),
                None => preds.push(Pred::Check(*slot, filter)),
            },
            Step::Filter(predicate) => match expand.as_mut() {
                Some(e) => e.preds.push(Pred::Filter(
                    predicate,
                    Predicate::compile(predicate, e.hop.to),
                )),
                None => {
                    preds.push(Pred::Filter(predicate, Predicate::compile(predicate, slot)));
                }
            },
            Step::Expand(hop) if expand.is_none() && expandable(hop, slot) => {
                expand = Some(Expand {
                    hop,
                    preds: Vec::new(),
                });
            }
            Step::Aggregate {
                keys, aggregates, ..
            } => {
                let key = match keys.as_slice() {
                    [] => None,
                    [key] => Some(property_of(key, slot)?),
                    _ => return None,
                };
                let hop = expand.as_ref().map(|e| e.hop);
                let calls = aggregates
                    .iter()
                    .map(|c| call(c, slot, hop))
                    .collect::<Option<Vec<_>>>()?;
                return Some(Shape {
                    slot,
                    label: *label,
                    labels,
                    preds,
                    key,
                    calls,
                    expand,
                    last: i,
                });
            }
            _ => return None,
        }
    }
    None
}

/// Whether the batch path can run `hop` after a scan of `slot`: one
/// fixed-length hop from the scanned node that binds a new relationship
/// and a new node, with no condition on the relationship but its types
/// (none of them unknown to the graph), labels only on the node it
/// reaches, and no earlier relationship to differ from.
fn expandable(hop: &Hop, slot: usize) -> bool {
    let rel = &hop.rel_filter;
    hop.from == slot
        && hop.rel != slot
        && hop.to != slot
        && hop.rel != hop.to
        && !hop.into
        && !hop.rel_bound
        && hop.var_length.is_none()
        && hop.distinct_from.is_empty()
        && !rel.unknown_types_only
        && rel.properties.is_empty()
        && rel.property_map.is_none()
        && rel.valid_at.is_none()
        && labels_only(&hop.node_filter)
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

/// The batch form of an aggregate call, if it has one (`hop`: the
/// segment's expansion).
fn call(c: &AggregateCall, slot: usize, hop: Option<&Hop>) -> Option<Call> {
    if c.distinct || c.param.is_some() {
        return None;
    }
    let bound = |s: usize| s == slot || hop.is_some_and(|h| s == h.rel || s == h.to);
    let arg = match &c.arg {
        None => Arg::Row,
        Some(Expr::Slot(s)) if bound(*s) => Arg::Row,
        Some(e) => match (property_of(e, slot), hop) {
            (Some(key), _) => Arg::Prop(key),
            (None, Some(h)) => Arg::Far(property_of(e, h.to)?),
            (None, None) => return None,
        },
    };
    let kind = match (c.kind, arg) {
        (AggregateKind::CountStar, Arg::Row) | (AggregateKind::Count, _) => Kind::Count,
        (AggregateKind::Sum, Arg::Prop(_) | Arg::Far(_)) => Kind::Sum,
        (AggregateKind::Avg, Arg::Prop(_) | Arg::Far(_)) => Kind::Avg,
        (AggregateKind::Min, Arg::Prop(_) | Arg::Far(_)) => Kind::Min,
        (AggregateKind::Max, Arg::Prop(_) | Arg::Far(_)) => Kind::Max,
        _ => return None,
    };
    Some(Call { kind, arg })
}
