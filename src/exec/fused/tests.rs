use super::*;
use crate::graph::KeyId;
use crate::plan::{Hop, NodeFilter, RelFilter};
use crate::syntax::ast::Direction;
use crate::value::Value;

fn hop(from: usize, rel: usize, to: usize) -> Hop {
    Hop {
        from,
        rel,
        to,
        into: false,
        rel_bound: false,
        direction: Direction::Outgoing,
        rel_filter: RelFilter::default(),
        node_filter: NodeFilter::default(),
        distinct_from: Vec::new(),
        var_length: None,
        leftward: false,
    }
}

fn prop(slot: usize) -> Expr {
    Expr::Property(Box::new(Expr::Slot(slot)), KeyId(0), "name".into())
}

#[test]
fn the_group_is_found_below_the_last_step_binding_a_key() {
    let run = [
        Step::Expand(hop(0, 1, 2)),
        Step::Filter(Expr::Const(Value::Bool(true))),
        Step::Expand(hop(2, 3, 4)),
    ];
    // Keys bound before the run: once per input row.
    assert_eq!(group_depth(&run, &[prop(0)]), 0);
    assert_eq!(group_depth(&run, &[]), 0);
    assert_eq!(group_depth(&run, &[Expr::Const(Value::Int(1))]), 0);
    // Bound by the first expansion: once per row it gives.
    assert_eq!(group_depth(&run, &[prop(2), prop(0)]), 1);
    // Bound by the last: every row.
    assert_eq!(group_depth(&run, &[Expr::Slot(3)]), 3);
    assert_eq!(group_depth(&run, &[prop(4)]), 3);
    // A key of another shape: every row.
    let call = Expr::Not(Box::new(Expr::Slot(0)));
    assert_eq!(group_depth(&run, &[call]), 3);
    let intersect = [Step::Intersect(vec![hop(0, 1, 2), hop(3, 4, 2)])];
    assert_eq!(group_depth(&intersect, &[prop(3)]), 0);
    assert_eq!(group_depth(&intersect, &[prop(2)]), 1);
    assert_eq!(group_depth(&intersect, &[Expr::Slot(4)]), 1);
}

#[test]
fn only_runs_with_an_expansion_qualify() {
    assert_eq!(run_step(&Step::Expand(hop(0, 1, 2))), Some(true));
    assert_eq!(
        run_step(&Step::Filter(Expr::Const(Value::Bool(true)))),
        Some(false)
    );
    let mut var = hop(0, 1, 2);
    var.var_length = Some((1, Some(3)));
    assert_eq!(run_step(&Step::Expand(var)), None);
    assert_eq!(run_step(&Step::Project(Vec::new())), None);
}

#[test]
fn segments_start_at_a_run_and_end_at_its_aggregation() {
    use crate::exec::{Ctx, Limits};
    use crate::graph::Graph;
    use std::sync::atomic::AtomicBool;

    let graph = Graph::new();
    let cancel = AtomicBool::new(false);
    let on = Limits::default();
    let off = Limits {
        fast_paths: false,
        ..Limits::default()
    };
    let aggregate = Step::Aggregate {
        keys: vec![prop(0)],
        aggregates: Vec::new(),
        by_entities: false,
    };
    let steps = [
        Step::Expand(hop(0, 1, 2)),
        Step::Filter(Expr::Const(Value::Bool(true))),
        Step::CheckNode {
            slot: 2,
            filter: NodeFilter::default(),
        },
        aggregate.clone(),
        Step::Project(Vec::new()),
    ];
    let ctx = Ctx::new(&graph, &cancel, &on);
    assert_eq!(segment(&steps, &ctx), Some(3));
    let filter_first = [steps[1].clone(), steps[0].clone(), aggregate.clone()];
    assert_eq!(
        segment(&filter_first, &ctx),
        Some(2),
        "a run may start with a filter"
    );
    assert_eq!(segment(&steps[1..], &ctx), None, "no expansion");
    assert!(applies(&steps[..3], &ctx));
    // No expansion, no fused run (the batch scan's case).
    assert_eq!(segment(&steps[2..], &ctx), None);
    assert!(!applies(&steps[1..3], &ctx));
    // Not ending at an aggregation.
    assert_eq!(segment(&[Step::Expand(hop(0, 1, 2))], &ctx), None);
    assert_eq!(segment(&[steps[0].clone(), steps[4].clone()], &ctx), None);
    // Fast paths off: the row engine.
    let ctx = Ctx::new(&graph, &cancel, &off);
    assert_eq!(segment(&steps, &ctx), None);
    assert!(!applies(&steps[..3], &ctx));
}
