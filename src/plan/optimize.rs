//! The optimizer: a straight list of small rewrite passes over a plan. Each
//! pass keeps the rows a plan gives and only changes how it finds them.

use std::collections::HashSet;

use super::expr::CmpOp;
use super::{Expr, NodeSource, Plan, Slot, Step};
use crate::graph::Graph;

/// Runs every pass over every pipeline of the plan.
pub fn optimize(plan: &mut Plan, graph: &Graph) {
    for branch in &mut plan.branches {
        optimize_steps(&mut branch.steps, graph);
    }
}

fn optimize_steps(steps: &mut Vec<Step>, graph: &Graph) {
    for step in steps.iter_mut() {
        if let Step::Optional { steps: inner, .. } | Step::Merge { matcher: inner, .. } = step {
            optimize_steps(inner, graph);
        }
    }
    push_down_filters(steps);
    property_map_to_index_seek(steps, graph);
    filter_to_index_seek(steps);
    sort_limit_to_top_k(steps);
    group_by_entities(steps);
    super::liveness::mark_moved_lists(steps);
}

/// The slots a matching step binds.
fn binds(step: &Step) -> Vec<Slot> {
    match step {
        Step::NodeScan { slot, .. } => vec![*slot],
        Step::Expand(hop) => vec![hop.rel, hop.to],
        Step::Intersect(hops) => hops.iter().flat_map(|h| [h.rel, h.to]).collect(),
        Step::ShortestPath { path, rels, .. } => vec![*path, *rels],
        Step::BuildPaths(specs) => specs.iter().map(|p| p.slot).collect(),
        _ => Vec::new(),
    }
}

fn is_matching_step(step: &Step) -> bool {
    matches!(
        step,
        Step::NodeScan { .. }
            | Step::CheckNode { .. }
            | Step::Expand(_)
            | Step::Intersect(_)
            | Step::ShortestPath { .. }
            | Step::BuildPaths(_)
            | Step::Filter(_)
    )
}

/// Splits each filter at the end of a run of matching steps into its
/// conjuncts and moves each right after the step that binds the last slot
/// it reads.
fn push_down_filters(steps: &mut Vec<Step>) {
    let mut start = 0;
    while start < steps.len() {
        if !is_matching_step(&steps[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < steps.len() && is_matching_step(&steps[end]) {
            end += 1;
        }
        let run: Vec<Step> = steps.drain(start..end).collect();
        let rebuilt = reorder_run(run);
        let len = rebuilt.len();
        steps.splice(start..start, rebuilt);
        start += len.max(1);
    }
}

fn reorder_run(run: Vec<Step>) -> Vec<Step> {
    let bound_in_run: HashSet<Slot> = run.iter().flat_map(binds).collect();
    let mut kept = Vec::new();
    let mut terms = Vec::new();
    for step in run {
        match step {
            Step::Filter(e) => terms.extend(e.conjuncts()),
            other => kept.push(other),
        }
    }
    // placed[i] = terms to put after kept[i - 1] (0 = before everything).
    let mut placed: Vec<Vec<Expr>> = vec![Vec::new(); kept.len() + 1];
    for term in terms {
        let needed = term.slots();
        let position = if needed.contains(&usize::MAX) {
            kept.len()
        } else {
            let mut bound: HashSet<Slot> = HashSet::new();
            let mut position = 0;
            let ready = |bound: &HashSet<Slot>| {
                needed
                    .iter()
                    .all(|s| !bound_in_run.contains(s) || bound.contains(s))
            };
            if !ready(&bound) {
                for (i, step) in kept.iter().enumerate() {
                    bound.extend(binds(step));
                    if ready(&bound) {
                        position = i + 1;
                        break;
                    }
                    position = kept.len();
                }
            }
            position
        };
        placed[position].push(term);
    }
    let mut out = Vec::new();
    let mut placed = placed.into_iter();
    if let Some(first) = placed.next()
        && !first.is_empty()
    {
        out.push(Step::Filter(Expr::conjunction(first)));
    }
    for (step, terms) in kept.into_iter().zip(placed) {
        out.push(step);
        if !terms.is_empty() {
            out.push(Step::Filter(Expr::conjunction(terms)));
        }
    }
    out
}

/// `(n:L {k: const})` scanned by label becomes an index seek on (L, k).
fn property_map_to_index_seek(steps: &mut [Step], _graph: &Graph) {
    for step in steps.iter_mut() {
        if let Step::NodeScan { source, filter, .. } = step
            && let NodeSource::Label(label) = *source
            && let Some(i) = filter.properties.iter().position(|(_, v)| v.is_constant())
        {
            let (key, value) = filter.properties.remove(i);
            *source = NodeSource::Index { label, key, value };
        }
    }
}

/// A label scan followed by a filter `n.k = const` becomes an index seek.
fn filter_to_index_seek(steps: &mut Vec<Step>) {
    let mut i = 0;
    while i + 1 < steps.len() {
        let seek = match (&steps[i], &steps[i + 1]) {
            (
                Step::NodeScan {
                    slot,
                    source: NodeSource::Label(label),
                    ..
                },
                Step::Filter(predicate),
            ) => {
                let terms = predicate.clone().conjuncts();
                terms
                    .iter()
                    .enumerate()
                    .find_map(|(pos, t)| {
                        let (key, value) = seek_key(t, *slot)?;
                        Some((*label, key, value, pos))
                    })
                    .map(|found| (found, terms))
            }
            _ => None,
        };
        if let Some(((label, key, value, pos), mut terms)) = seek {
            if let Step::NodeScan { source, .. } = &mut steps[i] {
                *source = NodeSource::Index { label, key, value };
            }
            terms.remove(pos);
            if terms.is_empty() {
                steps.remove(i + 1);
            } else {
                steps[i + 1] = Step::Filter(Expr::conjunction(terms));
            }
        }
        i += 1;
    }
}

/// `slot.key = const` (either side) as (key, value expression).
fn seek_key(term: &Expr, slot: Slot) -> Option<(crate::graph::KeyId, Expr)> {
    let Expr::Compare(CmpOp::Eq, a, b) = term else {
        return None;
    };
    let pick = |p: &Expr, v: &Expr| match p {
        Expr::Property(target, key, _) if **target == Expr::Slot(slot) && v.is_constant() => {
            Some((*key, v.clone()))
        }
        _ => None,
    };
    pick(a, b).or_else(|| pick(b, a))
}

/// `ORDER BY … [SKIP s] LIMIT n` keeps only the best rows while sorting.
fn sort_limit_to_top_k(steps: &mut Vec<Step>) {
    let mut i = 0;
    while i < steps.len() {
        if let Step::Sort(keys) = &steps[i] {
            let keys = keys.clone();
            match (steps.get(i + 1).cloned(), steps.get(i + 2).cloned()) {
                (Some(Step::Limit(limit)), _) => {
                    steps.splice(
                        i..i + 2,
                        [Step::TopK {
                            keys,
                            limit,
                            skip: None,
                        }],
                    );
                }
                (Some(Step::Skip(skip)), Some(Step::Limit(limit))) => {
                    steps.splice(
                        i..i + 3,
                        [Step::TopK {
                            keys,
                            limit,
                            skip: Some(skip),
                        }],
                    );
                }
                _ => {}
            }
        }
        i += 1;
    }
}

/// Marks each aggregation whose keys are all entity slots or properties of
/// them to find groups by entity ids (see `exec::group_cache`).
fn group_by_entities(steps: &mut [Step]) {
    for step in steps {
        if let Step::Aggregate {
            keys, by_entities, ..
        } = step
        {
            *by_entities = crate::exec::entity_keyed(keys);
        }
    }
}
