//! Which row slots are still read later in a pipeline. Used to let
//! `UNWIND list` move the list out of each row instead of copying it into
//! every row it makes (which made unwinding a list variable quadratic in
//! time and in the memory the rows were charged for).

use super::{AggregateCall, Expr, Slot, Step};

/// Marks every `UNWIND var` whose list variable no later step reads, so the
/// executor moves the list out of the row rather than cloning it.
pub fn mark_moved_lists(steps: &mut [Step]) {
    for i in 0..steps.len() {
        let dead = match &steps[i] {
            Step::Unwind {
                expr: Expr::Slot(s),
                slot,
                ..
            } => s != slot && !read_later(&steps[i + 1..], *s),
            _ => false,
        };
        if let Step::Unwind { move_list, .. } = &mut steps[i] {
            *move_list = dead;
        }
    }
}

/// Whether any of `steps` (or the result) may read `slot`. Conservative:
/// a step it does not know, or reaching the end of the steps, counts as a
/// read. A projection that only copies the slot moves the question to the
/// copies (WITH and RETURN carry earlier variables for ORDER BY); one that
/// does not mention it, an aggregation that does not read it, or a `Widen`
/// that cuts it off ends its life.
fn read_later(steps: &[Step], slot: Slot) -> bool {
    let mut tracked = vec![slot];
    for step in steps {
        let reads = |e: &Expr| {
            e.slots()
                .iter()
                .any(|s| tracked.contains(s) || *s == usize::MAX)
        };
        let call_reads = |c: &AggregateCall| c.arg.iter().chain(&c.param).any(reads);
        match step {
            Step::Project(exprs) => {
                let mut copies = Vec::new();
                for (at, e) in exprs.iter().enumerate() {
                    match e {
                        Expr::Slot(s) if tracked.contains(s) => copies.push(at),
                        e if reads(e) => return true,
                        _ => {}
                    }
                }
                if copies.is_empty() {
                    return false;
                }
                tracked = copies;
            }
            Step::Aggregate {
                keys, aggregates, ..
            } => {
                return keys.iter().any(reads) || aggregates.iter().any(call_reads);
            }
            Step::Filter(e) | Step::Skip(e) | Step::Limit(e) => {
                if reads(e) {
                    return true;
                }
            }
            Step::Unwind {
                expr, slot: out, ..
            } => {
                if reads(expr) || tracked.contains(out) {
                    return true;
                }
            }
            Step::Sort(keys) => {
                if keys.iter().any(|k| reads(&k.expr)) {
                    return true;
                }
            }
            Step::TopK { keys, limit, skip } => {
                if keys.iter().any(|k| reads(&k.expr)) || reads(limit) || skip.iter().any(reads) {
                    return true;
                }
            }
            Step::Distinct { width } => {
                if tracked.iter().any(|s| s < width) {
                    return true;
                }
            }
            Step::Widen { width } => {
                tracked.retain(|s| s < width);
                if tracked.is_empty() {
                    return false;
                }
            }
            _ => return true,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::SortKey;
    use crate::value::Value;

    fn unwind(list: Slot, slot: Slot) -> Step {
        Step::Unwind {
            expr: Expr::Slot(list),
            slot,
            move_list: false,
        }
    }

    fn moved(steps: &[Step]) -> bool {
        matches!(
            steps[0],
            Step::Unwind {
                move_list: true,
                ..
            }
        )
    }

    #[test]
    fn a_list_no_later_step_reads_is_moved() {
        let mut steps = vec![
            unwind(0, 1),
            Step::Filter(Expr::Slot(1)),
            // RETURN x ORDER BY x carries the list along, then cuts it off.
            Step::Project(vec![Expr::Slot(1), Expr::Slot(0)]),
            Step::Sort(vec![SortKey {
                expr: Expr::Slot(0),
                descending: false,
            }]),
            Step::Widen { width: 1 },
        ];
        mark_moved_lists(&mut steps);
        assert!(moved(&steps));
    }

    #[test]
    fn a_list_read_later_is_kept() {
        let kept_by = [
            Step::Project(vec![Expr::Slot(1), Expr::Slot(0)]),
            Step::Project(vec![Expr::Call(
                crate::plan::expr::FunctionRef(crate::exec::functions::lookup("size").unwrap()),
                vec![Expr::Slot(0)],
            )]),
            Step::Filter(Expr::Slot(0)),
            Step::Distinct { width: 2 },
            Step::Limit(Expr::Const(Value::Int(1))),
        ];
        for later in kept_by {
            let mut steps = vec![unwind(0, 1), later.clone()];
            mark_moved_lists(&mut steps);
            assert!(!moved(&steps), "{later:?}");
        }
    }
}
